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
``close_approach``
    The target passes the Earth closer than
    :data:`prospect.nbody.CLOSE_APPROACH_AU` (0.05 au, the PHA MOID threshold
    of the MPC and CNEOS) between the catalog epoch and the end of the row's
    trajectory (the arrival one way, the Earth return of a round trip): its
    path through the mission depends on that encounter.

The closest approach itself is computed only for the rows kept (after
``top``) by :func:`prospect.nbody.earth_approaches`, with the ranking's
ephemeris (``"nbody"``: the n-body cache the n-body stage filled, and DE440's
Earth; ``"two-body"``: Kepler and astropy's Earth, as the two-body scan):
``approach_date`` (UTC, ``datetime64``), ``approach_au``, ``approach_km``
and ``approach_ephemeris``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from prospect.catalog.schema import U_POOR
from prospect.core.constants import DAY_S, GM_SUN_KM3_S2
from prospect.scan.rank.screen import Screened

__all__ = [
    "APPROACH_COLUMNS",
    "DATE_COLUMNS",
    "FLAG_COLUMNS",
    "FLAG_MARKS",
    "INFO_COLUMNS",
    "POOR_ORBIT_U",
    "WINDOW_EDGE_DAYS",
    "approach_summary",
    "approaches",
    "attach_catalog",
    "finish",
    "flag_notes",
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
FLAG_COLUMNS = ("orbit_poorly_known", "window_edge", "close_approach")

#: Short table marker and meaning of each flag column (the CLI's table and caption;
#: CSV, JSON and Parquet carry the boolean columns).
FLAG_MARKS = {
    "orbit_poorly_known": ("U>=7", "orbit poorly known"),
    "window_edge": ("edge", "best departure on the edge of the window"),
    "close_approach": ("CA", "passes the Earth within 0.05 au before the trajectory ends"),
}

#: Closest Earth approach columns of the ranking (see the module docstring).
APPROACH_COLUMNS = ("approach_date", "approach_au", "approach_km", "approach_ephemeris")

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


def _two_body_pair(table: pd.DataFrame, t0_s: float, t1_s: float):
    """States of Kepler targets and astropy's Earth (the two-body scan's pair) within
    ``[t0_s, t1_s]``: the Earth as a cubic spline of 1-day nodes (good to ~0.2 km,
    :meth:`prospect.scan._targets.TargetModel.interpolated`; astropy costs ~0.25 ms
    an epoch)."""
    from prospect.core import kepler
    from prospect.elements import element_arrays
    from prospect.scan._targets import earth_model

    earth = earth_model("two-body").interpolated(t0_s, t1_s, step_days=1.0)
    el = element_arrays(table)
    gm = float(table.attrs.get("gm_km3_s2", GM_SUN_KM3_S2))

    def pair(rows: np.ndarray, t_s: np.ndarray):
        sub = {k: np.asarray(v)[rows] for k, v in el.items()}
        r, _, status = kepler.propagate_elements(gm, **sub, epochs_s=t_s)
        return np.where((status != 0)[..., None], np.nan, r), earth(t_s)[0]

    return pair


def _trajectory_end_s(res: pd.DataFrame) -> np.ndarray:
    """End of each row's trajectory, TDB s: Earth return (round trip), else arrival."""
    nan = pd.Series(np.nan, index=res.index)
    dep = res.get("departure_s", nan).to_numpy(dtype=float)
    end = dep + res.get("tof_days", nan).to_numpy(dtype=float) * DAY_S
    if "return_s" in res:
        end = res["return_s"].to_numpy(dtype=float)
    return end


def approaches(res: pd.DataFrame, targets: pd.DataFrame, ephemeris: str) -> pd.DataFrame:
    """The closest Earth approach of each row's target before its trajectory ends.

    Parameters
    ----------
    res : DataFrame
        Rows with ``designation`` and the TDB-second dates (``departure_s`` and
        ``tof_days``, or ``return_s``).
    targets : DataFrame
        Catalog records of the rows' targets (the scan's survivors).
    ephemeris : {"nbody", "two-body"}
        The ranking's ephemeris.

    Returns
    -------
    DataFrame
        ``res`` with ``close_approach`` and :data:`APPROACH_COLUMNS`.
    """
    from prospect.epochs import utc_datetimes
    from prospect.nbody.approach import earth_approaches

    des = res["designation"].astype(str).to_numpy()
    wanted = set(des)
    pos: dict[str, int] = {}  # each designation's first catalog record
    for i, d in enumerate(targets["designation"].to_numpy(dtype=object)):
        if d in wanted:
            pos.setdefault(d, i)
    known = np.array([d in pos for d in des], dtype=bool)
    table = targets.iloc[[pos[d] for d in des[known]]]
    end_s = _trajectory_end_s(res)[known]
    t_s, au, km = (np.full(len(res), np.nan) for _ in range(3))
    close = np.zeros(len(res), dtype=bool)
    if known.any():
        kw = {"states": _two_body_pair} if ephemeris == "two-body" else {}
        ap = earth_approaches(table, end_s, ephemeris=ephemeris, **kw)
        t_s[known] = ap["approach_s"].to_numpy(dtype=float)
        au[known] = ap["approach_au"].to_numpy(dtype=float)
        km[known] = ap["approach_km"].to_numpy(dtype=float)
        close[known] = ap["close_approach"].to_numpy(dtype=bool)
    res["close_approach"] = close
    res["approach_date"] = utc_datetimes(t_s)
    res["approach_au"] = au
    res["approach_km"] = km
    res["approach_ephemeris"] = ephemeris
    return res


def approach_summary(row) -> dict | None:
    """The closest Earth approach of one rank row as a JSON-ready dict (None without one).

    ``date`` (UTC ISO), ``distance_au``, ``distance_km``, ``close`` (under
    ``threshold_au``), ``threshold_au``, ``ephemeris``, ``span``.
    """
    from prospect.nbody.approach import CLOSE_APPROACH_AU

    au = row.get("approach_au", np.nan)
    if au is None or not np.isfinite(au):
        return None
    return {
        "date": pd.Timestamp(row["approach_date"]).isoformat(),
        "distance_au": float(au),
        "distance_km": float(row["approach_km"]),
        "close": bool(row["close_approach"]),
        "threshold_au": CLOSE_APPROACH_AU,
        "ephemeris": str(row["approach_ephemeris"]),
        "span": "catalog epoch to the end of the trajectory",
    }


def flag_notes(row) -> list[str]:
    """Sentences for the raised ``orbit_poorly_known`` and ``close_approach`` flags of one
    rank row (what ``prospect plan`` lists among its flags)."""
    notes = []
    if bool(row.get("orbit_poorly_known", False)):
        notes.append(
            f"ORBIT POORLY KNOWN: uncertainty parameter U = {float(row['u_param']):.0f} "
            f"(>= {POOR_ORBIT_U} on the MPC's 0-9 scale): the target's position during the "
            "mission is uncertain"
        )
    ap = approach_summary(row) if bool(row.get("close_approach", False)) else None
    if ap is not None:
        notes.append(
            f"CLOSE EARTH APPROACH: the target passes the Earth at {ap['distance_au']:.4f} au "
            f"({ap['distance_km']:,.0f} km) on {ap['date'][:16].replace('T', ' ')} UTC, before "
            f"the trajectory ends (under {ap['threshold_au']:g} au, the PHA threshold): the "
            f"target's path depends on that encounter ({ap['ephemeris']} states)"
        )
    return notes


def _dates(res: pd.DataFrame) -> pd.DataFrame:
    """Date columns as ``datetime64[s]`` (the unit of :func:`prospect.epochs.utc_datetimes`,
    whatever pandas infers from the text or from no rows), ``refined`` as bool: an empty
    ranking has the dtypes of a full one (audit-3)."""
    for c in DATE_COLUMNS:
        if c in res:
            text = res[c].astype(object).where(res[c].notna() & (res[c] != ""), None)
            res[c] = pd.to_datetime(text, format="%Y-%m-%d").astype("datetime64[s]")
    if "refined" in res:
        res["refined"] = res["refined"].fillna(False).astype(bool)
    return res


def finish(
    res: pd.DataFrame,
    top: int | None,
    window_s: tuple[float, float],
    attrs: dict,
    *,
    targets: pd.DataFrame | None = None,
    ephemeris: str = "nbody",
) -> pd.DataFrame:
    """The first ``top`` rows numbered from 1, with flags and typed dates; ``attrs`` set.

    ``attrs`` gets ``n_feasible`` (feasible rows before ``top`` is applied)
    besides the entries given.  With ``targets`` (the catalog records), the
    rows kept get their closest Earth approach (:func:`approaches`).
    """
    res = _flags(res, window_s)
    n_feasible = int(res["feasible"].sum()) if len(res) else 0
    if top is not None:
        res = res.head(top).reset_index(drop=True)
    if targets is not None:
        res = approaches(res, targets, ephemeris)
    res.insert(0, "rank", np.arange(1, len(res) + 1))
    # TDB-second columns are internal (dates are shown as UTC calendar dates)
    res = res.drop(columns=[c for c in res.columns if c.endswith("_s") and not c.endswith("km_s")])
    res = _dates(res)
    res.attrs.update(attrs, n_feasible=n_feasible)
    return res
