"""NHATS-style accessibility surveys of a whole catalog, on Dask or on this machine.

A survey answers "which targets can this spacecraft reach, from when, for
how much" for every catalog object and every launch year of a long period,
and stores per target what NHATS publishes (Barbee et al. 2015,
IAA-PDC-15-04-22; https://cneos.jpl.nasa.gov/nhats/): the minimum-delta-v
and minimum-duration trajectories that meet the profile, the minimum
delta-v per 5-year launch bin, the number of viable lattice trajectories,
and the minima under the NHATS filter classes, so one survey answers many
filtered queries.

Stages, each its own module:

1. :mod:`~prospect.survey._plan` -- lattice, launch-year blocks, bins,
   chunks and the key of the inputs;
2. :mod:`~prospect.survey._chunk` -- one chunk on one worker (the scan
   machinery of :mod:`prospect.scan.roundtrip` and :mod:`prospect.core.transfer`,
   reductions of :mod:`~prospect.survey._reduce`);
3. :mod:`~prospect.survey._engine` -- in-process, LocalCluster or a Dask scheduler;
4. :mod:`~prospect.survey.store` -- one Parquet file per finished chunk, resumable;
5. :mod:`~prospect.survey.query` -- filters after the scan, counts for the charts.

``prospect.survey(...)`` runs a survey (:func:`survey`),
``prospect.survey.query(DIR, ...)`` queries it.

Examples
--------
>>> import prospect
>>> df = prospect.survey("nhats-human", output="sv", start="2028-01-01",
...                      end="2028-12-31")  # doctest: +SKIP
>>> prospect.survey.query("sv", max_dv_km_s=6, max_duration_days=365)  # doctest: +SKIP
"""

import sys
import types

from prospect.survey.query import count_grid, query
from prospect.survey.store import read_results

__all__ = ["count_grid", "query", "read_results", "survey"]


def __getattr__(name: str):
    # the scan stack (numba kernels) loads only when a survey runs, so that
    # queries of a finished survey start fast
    if name == "survey":
        from prospect.survey._run import survey

        return survey
    raise AttributeError(f"module 'prospect.survey' has no attribute {name!r}")


class _CallableModule(types.ModuleType):
    """``prospect.survey(...)`` calls :func:`survey`; the package stays a package
    (``prospect.survey.query``, ``import prospect.survey.store``)."""

    def __call__(self, *args, **kwargs):
        from prospect.survey._run import survey

        return survey(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
