"""The table :func:`prospect.scan.rank.rank` returns: catalog columns, flags, rank, attrs.

:func:`attach_catalog` joins each scanned row to its catalog record (the
columns of :data:`INFO_COLUMNS` that the catalog has) and its Shoemaker-Helin
value; :func:`finish` adds the flags, counts the feasible rows (before
``top``), keeps the first ``top``, numbers them, turns the date columns into
``datetime64`` (UTC calendar dates), drops the internal TDB-second columns
and records how the table was made in ``attrs``.

Flags (boolean columns):

``orbit_poorly_known``
    MPC uncertainty parameter U >= :data:`POOR_ORBIT_U` (unknown U: False).
``window_edge``
    The best departure lies on the first or last departure date of the
    launch window (within :data:`WINDOW_EDGE_DAYS`): the optimum may lie
    outside the window, and a wider window may find a cheaper trajectory.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from prospect.catalog.schema import U_POOR
from prospect.core.constants import DAY_S
from prospect.scan.rank.screen import Screened

__all__ = [
    "DATE_COLUMNS",
    "FLAG_COLUMNS",
    "INFO_COLUMNS",
    "POOR_ORBIT_U",
    "WINDOW_EDGE_DAYS",
    "attach_catalog",
    "finish",
]

#: Catalog columns carried into the ranking, in this order.
INFO_COLUMNS = (
    "label",
    "designation",
    "orbit_class",
    "h_mag",
    "diameter_km",
    "albedo",
    "albedo_source",
    "diameter_source",
    "diameter_min_km",
    "diameter_max_km",
    "u_param",
    "spec_mahlke",
    "spec_b",
    "spec_t",
    "a_au",
    "e",
    "inc_deg",
)

#: Date columns of the ranking (UTC calendar dates, ``datetime64``).
DATE_COLUMNS = (
    "departure",
    "arrival",
    "target_departure",
    "earth_return",
    "min_duration_departure",
)

#: Flag columns of the ranking (see the module docstring).
FLAG_COLUMNS = ("orbit_poorly_known", "window_edge")

#: Orbit uncertainty parameter from which an orbit is flagged as poorly known
#: (one home: :data:`prospect.catalog.schema.U_POOR`).
POOR_ORBIT_U = U_POOR

#: A departure this close to either end of the window is on its edge, days (half a
#: day: a grid departure sits exactly on it, a refined one clipped to the bound).
WINDOW_EDGE_DAYS = 0.5


def attach_catalog(res: pd.DataFrame, screened: Screened) -> pd.DataFrame:
    """Scan rows (with ``row``, the index into the survivors) joined to their catalog record."""
    survivors = screened.survivors
    rows_idx = res["row"].to_numpy(dtype=int)
    info = survivors[[c for c in INFO_COLUMNS if c in survivors.columns]].iloc[rows_idx]
    res = pd.concat([info.reset_index(drop=True), res.drop(columns="row")], axis=1)
    res["sh_dv_km_s"] = screened.sh_dv_km_s[rows_idx]
    return res


def _flags(res: pd.DataFrame, window_s: tuple[float, float]) -> pd.DataFrame:
    u = pd.to_numeric(res.get("u_param", pd.Series(np.nan, index=res.index)), errors="coerce")
    res["orbit_poorly_known"] = (u.to_numpy(dtype=float) >= POOR_ORBIT_U).astype(bool)
    dep = res.get("departure_s", pd.Series(np.nan, index=res.index)).to_numpy(dtype=float)
    tol = WINDOW_EDGE_DAYS * DAY_S
    with np.errstate(invalid="ignore"):
        edge = (np.abs(dep - window_s[0]) <= tol) | (np.abs(dep - window_s[1]) <= tol)
    res["window_edge"] = edge.astype(bool)
    return res


def _dates(res: pd.DataFrame) -> pd.DataFrame:
    for c in DATE_COLUMNS:
        if c in res:
            text = res[c].astype(object).where(res[c].notna() & (res[c] != ""), None)
            res[c] = pd.to_datetime(text, format="%Y-%m-%d")
    return res


def finish(
    res: pd.DataFrame, top: int | None, window_s: tuple[float, float], attrs: dict
) -> pd.DataFrame:
    """The first ``top`` rows numbered from 1, with flags and typed dates; ``attrs`` set.

    ``attrs`` gets ``n_feasible`` (feasible rows before ``top`` is applied)
    besides the entries given.
    """
    res = _flags(res, window_s)
    n_feasible = int(res["feasible"].sum()) if len(res) else 0
    if top is not None:
        res = res.head(top).reset_index(drop=True)
    res.insert(0, "rank", np.arange(1, len(res) + 1))
    # TDB-second columns are internal (dates are shown as UTC calendar dates)
    res = res.drop(columns=[c for c in res.columns if c.endswith("_s") and not c.endswith("km_s")])
    res = _dates(res)
    res.attrs.update(attrs, n_feasible=n_feasible)
    return res
