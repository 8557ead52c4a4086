"""The n-body ephemeris of a survey, from :mod:`prospect.nbody` (ASSIST + DE440).

Kept apart so a two-body survey never imports the integrator, and so the
survey has one place that calls the n-body layer.
"""

from __future__ import annotations

import numpy as np

from prospect.errors import InputError

__all__ = ["nbody_available", "nbody_earth", "nbody_states"]


def _module():
    try:
        from prospect import nbody
    except ImportError:
        return None
    return nbody if hasattr(nbody, "catalog_states") else None


def nbody_available() -> bool:
    """True when this install provides the n-body target ephemeris."""
    return _module() is not None


def _require():
    mod = _module()
    if mod is None:
        raise InputError(
            "the n-body ephemeris (prospect.nbody) is not available in this install; "
            "use ephemeris='two-body'",
            option="ephemeris",
        )
    return mod


def nbody_states(rows, epochs_s: np.ndarray):
    """n-body states of catalog rows at ``epochs_s``: r, v (N, M, 3) km, km/s.

    Integrated directly to the epochs (``cache=False``): a survey visits each
    target once, so the on-disk interpolant cache would only grow, and direct
    states carry no interpolation error.
    """
    r, v = _require().catalog_states(rows, np.asarray(epochs_s, dtype=float), cache=False)[:2]
    return np.asarray(r, dtype=float), np.asarray(v, dtype=float)


def nbody_earth(epochs_s: np.ndarray):
    """Earth states from the n-body ephemeris's planetary kernel: r, v (M, 3)."""
    mod = _require()
    fn = getattr(mod, "earth_states", None)
    if fn is None:
        from prospect.scan._targets import earth_model

        return earth_model().states(epochs_s)
    r, v = fn(np.asarray(epochs_s, dtype=float))[:2]
    return np.asarray(r, dtype=float), np.asarray(v, dtype=float)
