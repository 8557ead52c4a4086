"""Closest Earth approach of catalog targets, from the n-body states.

For each target the geocentric distance ``|r_target - r_earth|`` (both
heliocentric from DE440 / the n-body cache, :func:`prospect.nbody.catalog_states`
and :func:`prospect.nbody.earth_states`) is sampled every ``step_days`` between
the catalog epoch and ``end``; the deepest local minima are then narrowed twice
on finer grids (each 48 times finer, down to ~40 s for a 1-day step) so a
fast flyby (Apophis 2029, ~7 km/s at 38,000 km) is resolved as well as a slow
co-orbital approach.  The interpolant behind the states is good to ~15 m
(:mod:`prospect.nbody.cache`).

Flags a mission analyst needs (issue 9, item 6): an approach under
:data:`CLOSE_APPROACH_AU` means the target's path through the mission depends
on that encounter (two-body states are useless across it), and an orbit
uncertainty parameter U of :data:`U_POOR` or more (MPC scale 0-9) means the
orbit itself is poorly known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from prospect.catalog.schema import U_POOR
from prospect.core.constants import AU_KM, DAY_S, JD_J2000

__all__ = ["CLOSE_APPROACH_AU", "U_POOR", "earth_approaches"]

#: Earth approaches closer than this are flagged (au); the Hill radius of the Earth is
#: 0.01 au, and within ~0.05 au the Earth turns a slow co-orbital's path by more than a
#: mission's delta-v resolution (issue 9: 2000 SG344 at 0.020 au changes its NHATS
#: round trip by 0.25 km/s).
CLOSE_APPROACH_AU = 0.05


def _epochs_s(value) -> float:
    if isinstance(value, (int, float, np.floating, np.integer)):
        return float(value)
    from prospect.epochs import as_time, tdb_seconds

    return float(tdb_seconds(as_time(value, option="end")))


def _distances(table: pd.DataFrame, t_s: np.ndarray) -> np.ndarray:
    """Geocentric distances (N, M) km of the table's targets at common epochs."""
    from prospect.nbody.states import catalog_states, earth_states

    r, _, status = catalog_states(table, t_s)
    r_e, _ = earth_states(t_s)
    d = np.linalg.norm(r - r_e[None], axis=-1)
    d[status != 0] = np.nan
    return d


def _narrow(row: pd.DataFrame, centres_s, half_s: float, n: int = 97):
    """Finest minimum of one target's distance around candidate times: (t_s, d_km)."""
    best = (np.nan, np.inf)
    for c in centres_s:
        lo_t, half = float(c), half_s
        for _ in range(2):
            t = lo_t + np.linspace(-half, half, n)
            d = _distances(row, t)[0]
            if not np.isfinite(d).any():
                break
            k = int(np.nanargmin(d))
            lo_t, half = float(t[k]), 2.0 * half / (n - 1)
            if d[k] < best[1]:
                best = (lo_t, float(d[k]))
    return best


def earth_approaches(table: pd.DataFrame, end, *, step_days: float = 1.0, candidates: int = 3):
    """Closest Earth approach of each target between its catalog epoch and ``end``.

    Parameters
    ----------
    table : DataFrame, N rows
        NEA table (:func:`prospect.catalog.load_neas`).
    end : Time, str or float
        End of the span (e.g. the end of a launch window plus the longest
        trajectory); a float is TDB seconds since J2000.  May lie before the
        catalog epoch (the span is then taken backwards).
    step_days : float
        Coarse sampling step, days.
    candidates : int
        Number of the deepest coarse minima narrowed per target.

    Returns
    -------
    DataFrame, N rows, index of ``table``
        ``approach_s`` (TDB s since J2000), ``approach_date`` (UTC ISO),
        ``approach_au``, ``close_approach`` (``approach_au < CLOSE_APPROACH_AU``),
        ``u_param``, ``poor_orbit`` (U >= :data:`U_POOR`), ``ephemeris`` ("nbody").
        NaN distance where the states could not be computed.

    Examples
    --------
    >>> from prospect.catalog import load_neas, find_target
    >>> t = load_neas()
    >>> ap = earth_approaches(t.loc[[find_target(t, "Apophis")]], "2029-12-31")
    >>> ap["approach_date"].iloc[0][:10], bool(ap["close_approach"].iloc[0])
    ('2029-04-13', True)
    """
    from prospect.epochs import quiet_erfa, time_from_tdb_seconds

    end_s = _epochs_s(end)
    ep0 = (table["epoch_jd_tt"].to_numpy(dtype=float) - JD_J2000) * DAY_S  # TT ~ TDB (2 ms)
    n = len(table)
    out_t, out_d = np.full(n, np.nan), np.full(n, np.nan)
    if n:
        lo, hi = min(ep0.min(), end_s), max(ep0.max(), end_s)
        step = step_days * DAY_S
        grid = np.arange(lo, hi + step, step)
        d = _distances(table, grid)
        inside = (grid[None] >= np.minimum(ep0, end_s)[:, None]) & (
            grid[None] <= np.maximum(ep0, end_s)[:, None]
        )
        d[~inside] = np.nan
        for i in range(n):
            di = d[i]
            if not np.isfinite(di).any():
                continue
            nb_l = np.r_[np.inf, di[:-1]]
            nb_r = np.r_[di[1:], np.inf]
            with np.errstate(invalid="ignore"):
                minima = np.flatnonzero((di <= nb_l) & (di <= nb_r))
            order = minima[np.argsort(di[minima])][:candidates]
            out_t[i], out_d[i] = _narrow(table.iloc[i : i + 1], grid[order], step)
    dates = np.full(n, None, dtype=object)
    ok = np.isfinite(out_t)
    if ok.any():
        with quiet_erfa():
            dates[ok] = [t.isot[:19] for t in np.atleast_1d(time_from_tdb_seconds(out_t[ok]).utc)]
    u = pd.to_numeric(table.get("u_param", pd.Series(np.nan, index=table.index)), "coerce")
    au = out_d / AU_KM
    return pd.DataFrame(
        {
            "designation": table["designation"].to_numpy(),
            "approach_s": out_t,
            "approach_date": dates,
            "approach_au": au,
            "close_approach": au < CLOSE_APPROACH_AU,
            "u_param": u.to_numpy(dtype=float),
            "poor_orbit": u.to_numpy(dtype=float) >= U_POOR,
            "ephemeris": "nbody",
        },
        index=table.index,
    )
