"""prospect: a mission-planning calculator for space-resource prospecting.

Layers, bottom up (each imports only the layers below it):

1. :mod:`prospect.core` - unit-free array kernels (Kepler, Lambert, delta-v).
2. Objects and loaders - catalogs, targets, mission profiles, ephemerides;
   astropy ``Quantity``/``Time`` in, converted once.
3. Analyses - pork-chop scans, ranking, cost, timeline, consortia.
4. Plotting - draws what the analyses computed.
5. CLI - :mod:`prospect.cli`, a thin typer app over this API.

The public API is imported lazily so ``import prospect`` stays fast.
"""

from __future__ import annotations

import importlib

from prospect._version import __version__
from prospect.errors import (
    CatalogFormatError,
    DownloadError,
    InputError,
    ProspectError,
    UnknownNameError,
)

# public name -> module that defines it
_LAZY = {
    "load_neas": "prospect.catalog",
    "load_moon_sites": "prospect.data",
    "load_missions": "prospect.data",
    "load_launchers": "prospect.data",
    "load_consortia": "prospect.data",
    "target": "prospect.targets",
    "target_state": "prospect.targets",
    "Target": "prospect.targets",
    "earth_state": "prospect.ephem",
    "porkchop": "prospect.scan",
    "round_trip": "prospect.scan",
    "rank": "prospect.scan",
    "rank_moon": "prospect.scan",
    "plan": "prospect.cost",
}

__all__ = [
    "CatalogFormatError",
    "DownloadError",
    "InputError",
    "ProspectError",
    "UnknownNameError",
    "__version__",
    "survey",
    *_LAZY,
]


def __getattr__(name: str):
    if name == "survey":  # a callable package: prospect.survey(...), prospect.survey.query(...)
        return importlib.import_module("prospect.survey")
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'prospect' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
