"""Closest Earth approach of catalog targets, from the n-body states.

For each target the geocentric distance ``|r_target - r_earth|`` (both
heliocentric from DE440 / the n-body cache, :func:`prospect.nbody.catalog_states`
and :func:`prospect.nbody.earth_states`) is sampled every ``step_days`` between
the catalog epoch and ``end`` (one end for all rows, or one per row: the end of
each row's trajectory); the deepest local minima are then narrowed twice on
finer grids (each 48 times finer, down to ~40 s for a 1-day step) so a fast
flyby (Apophis 2029, ~7 km/s at 38,000 km) is resolved as well as a slow
co-orbital approach.  The interpolant behind the states is good to ~15 m
(:mod:`prospect.nbody.cache`).  Another pair of states (rank's two-body mode:
Kepler targets and astropy's Earth) can be given as ``states``.

Flags a mission analyst needs (issue 9, item 6): an approach under
:data:`CLOSE_APPROACH_AU` means the target's path through the mission depends
on that encounter (two-body states are useless across it), and an orbit
uncertainty parameter U of :data:`U_POOR` or more (MPC scale 0-9) means the
orbit itself is poorly known.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from prospect.catalog.schema import U_POOR
from prospect.core.constants import AU_KM, DAY_S, JD_J2000

__all__ = ["CLOSE_APPROACH_AU", "EARTH_NODE_DAYS", "U_POOR", "earth_approaches", "nbody_pair"]

#: Earth approaches closer than this are flagged (au).  0.05 au is the Earth MOID
#: below which the MPC and CNEOS call an asteroid potentially hazardous (PHA: MOID
#: <= 0.05 au and H <= 22; https://cneos.jpl.nasa.gov/about/neo_groups.html,
#: https://minorplanetcenter.net/mpc/summary); here it bounds the actual distance
#: of a pass, not the MOID.  The Hill radius of the Earth is 0.01 au, and within
#: ~0.05 au the Earth turns a slow co-orbital's path by more than a mission's
#: delta-v resolution (issue 9: 2000 SG344 at 0.020 au changes its NHATS round
#: trip by 0.25 km/s).
CLOSE_APPROACH_AU = 0.05

#: ``pair(rows (n,) int, epochs_s (M,)) -> (r (n, M, 3) km, r_earth (M, 3) km)``: states
#: of the given rows of a table and the Earth's, heliocentric ecliptic J2000; NaN rows
#: where a target's state cannot be computed.
StatePair = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

#: ``states(table, t0_s, t1_s) -> StatePair``, valid within ``[t0_s, t1_s]`` (TDB s).
StateSource = Callable[[pd.DataFrame, float, float], StatePair]

#: Node spacing of the Earth's cubic Hermite interpolant, days.  Its error is
#: h^4/384 max|r''''| (:mod:`prospect.nbody.interpolant`), set by the Earth's 4,670 km
#: monthly motion about the Earth-Moon barycentre: 4,670 km x (2 pi / 27.3 d)^4 x
#: (0.5 d)^4 / 384 = 2 m; measured 5.7 m at most over 2026-2029
#: (tests/test_nbody_approach.py), against ~15 m for the targets' own interpolant.
EARTH_NODE_DAYS = 0.5


def _epochs_s(value) -> np.ndarray:
    """``end`` as TDB seconds since J2000: a float, an array of floats, or a date."""
    arr = np.asarray(value) if not isinstance(value, str) else None
    if arr is not None and arr.dtype.kind in "fiu":
        return arr.astype(float)
    from prospect.epochs import as_time, tdb_seconds

    return np.asarray(tdb_seconds(as_time(value, option="end")), dtype=float)


def nbody_pair(table: pd.DataFrame, t0_s: float, t1_s: float) -> StatePair:
    """n-body states of the table's targets (the cache behind :func:`catalog_states`) and
    DE440's Earth (:func:`earth_states` sampled every :data:`EARTH_NODE_DAYS` over
    ``[t0_s, t1_s]`` once, then interpolated: DE440 through ASSIST costs ~0.1 ms an
    epoch, and a whole-catalog ranking asks for ~600 epochs per row)."""
    from prospect.core.constants import GM_SUN_KM3_S2
    from prospect.elements import element_arrays
    from prospect.nbody.cache import cached_states
    from prospect.nbody.interpolant import hermite_eval
    from prospect.nbody.states import earth_states

    el = element_arrays(table)
    labels = table["designation"].astype(str).to_numpy()
    gm = float(table.attrs.get("gm_km3_s2", GM_SUN_KM3_S2))
    h = EARTH_NODE_DAYS * DAY_S
    nodes = np.arange(np.floor(t0_s / h) - 1, np.ceil(t1_s / h) + 2) * h
    r_n, v_n = earth_states(nodes)

    def pair(rows: np.ndarray, t_s: np.ndarray):
        sub = {k: np.asarray(v)[rows] for k, v in el.items()}
        r, _, status = cached_states(labels[rows], sub, t_s, gm)
        r = np.where((status != 0)[..., None], np.nan, r)
        return r, hermite_eval(nodes, r_n, v_n, t_s)[0]

    return pair


def _distances(pair: StatePair, rows, t_s: np.ndarray) -> np.ndarray:
    """Geocentric distances (n, M) km of the given rows at common epochs."""
    r, r_e = pair(np.atleast_1d(rows), np.asarray(t_s, dtype=float))
    return np.linalg.norm(r - r_e[None], axis=-1)


def _narrow(pair: StatePair, row: int, centres_s, half_s: float, span_s, n: int = 97):
    """Finest minimum of one target's distance around candidate times, within
    ``span_s = (lo, hi)``: (t_s, d_km).

    Each of two levels samples ``n`` epochs around every candidate in one call
    (the candidates side by side) and keeps each candidate's best sample; the
    next level spans two samples of the previous one.
    """
    centres = np.asarray(centres_s, dtype=float)
    half = float(half_s)
    offsets = np.linspace(-1.0, 1.0, n)
    best = (np.nan, np.inf)
    for _ in range(2):
        t = np.clip(centres[:, None] + half * offsets[None], *span_s)  # (k, n)
        d = _distances(pair, row, t.ravel())[0].reshape(t.shape)
        d = np.where(np.isfinite(d), d, np.inf)
        j = np.argmin(d, axis=1)
        centres, dmin = t[np.arange(t.shape[0]), j], d[np.arange(t.shape[0]), j]
        k = int(np.argmin(dmin))
        if np.isfinite(dmin[k]) and dmin[k] < best[1]:
            best = (float(centres[k]), float(dmin[k]))
        half = 2.0 * half / (n - 1)
    return best


def _coarse_minima(d: np.ndarray, candidates: int) -> np.ndarray:
    """Indices of the ``candidates`` deepest local minima of one row of samples (NaN
    outside the span, so a sample next to an end of the span can be a minimum)."""
    e = np.where(np.isnan(d), np.inf, d)
    nb_l = np.r_[np.inf, e[:-1]]
    nb_r = np.r_[e[1:], np.inf]
    with np.errstate(invalid="ignore"):
        minima = np.flatnonzero(np.isfinite(d) & (e <= nb_l) & (e <= nb_r))
    return minima[np.argsort(e[minima])][:candidates]


#: Targets sampled together on the coarse grid (256 x 3,650 daily epochs x 3 x 8 B = 22 MB).
_CHUNK = 256


def _closest(source: StateSource, table, ep0, end_s, step_days: float, candidates: int):
    """Time (TDB s) and distance (km) of each row's closest approach in its span (N,)."""
    n = len(table)
    out_t, out_d = np.full(n, np.nan), np.full(n, np.nan)
    ok = np.isfinite(ep0) & np.isfinite(end_s)
    if not ok.any():
        return out_t, out_d
    lo_s, hi_s = np.minimum(ep0, end_s), np.maximum(ep0, end_s)
    step = step_days * DAY_S
    grid = np.arange(lo_s[ok].min(), hi_s[ok].max() + step, step)
    grid = np.unique(np.r_[grid, hi_s[ok]])  # every span's end is sampled
    pair = source(table, grid[0] - step, grid[-1] + step)
    all_rows = np.flatnonzero(ok)
    for a in range(0, all_rows.size, _CHUNK):  # bounded memory: (chunk, M, 3) states
        rows = all_rows[a : a + _CHUNK]
        d = _distances(pair, rows, grid)
        d[~((grid[None] >= lo_s[rows, None]) & (grid[None] <= hi_s[rows, None]))] = np.nan
        for j, i in enumerate(rows):
            if np.isfinite(d[j]).any():
                centres = grid[_coarse_minima(d[j], candidates)]
                span = (lo_s[i], hi_s[i])
                out_t[i], out_d[i] = _narrow(pair, i, centres, step, span)
    return out_t, out_d


def earth_approaches(
    table: pd.DataFrame,
    end,
    *,
    ephemeris: str = "nbody",
    states: StateSource | None = None,
    step_days: float = 1.0,
    candidates: int = 3,
) -> pd.DataFrame:
    """Closest Earth approach of each target between its catalog epoch and ``end``.

    Parameters
    ----------
    table : DataFrame, N rows
        NEA table (:func:`prospect.catalog.load_neas`).
    end : Time, str, float or array_like (N,)
        End of the span (e.g. the arrival, or the Earth return of a round trip);
        a float is TDB seconds since J2000, an array gives each row its own end
        (NaN: no span, NaN approach).  May lie before the catalog epoch (the
        span is then taken backwards).
    ephemeris : str
        Name of the states used, reported in the ``ephemeris`` column.
    states : callable, optional
        ``states(table, t0_s, t1_s) -> pair`` with ``pair(rows (n,) int, epochs_s
        (M,)) -> (r (n, M, 3) km, r_earth (M, 3) km)``, heliocentric ecliptic J2000,
        valid within ``[t0_s, t1_s]``; default :func:`nbody_pair` (n-body cache and
        DE440's Earth).  Required when ``ephemeris`` is not ``"nbody"``.
    step_days : float
        Coarse sampling step, days.
    candidates : int
        Number of the deepest coarse minima narrowed per target.

    Returns
    -------
    DataFrame, N rows, index of ``table``
        ``approach_s`` (TDB s since J2000), ``approach_date`` (UTC ISO),
        ``approach_au``, ``approach_km``, ``close_approach`` (``approach_au <
        CLOSE_APPROACH_AU``), ``u_param``, ``poor_orbit`` (U >= :data:`U_POOR`),
        ``ephemeris``.  NaN distance where the states could not be computed.

    Raises
    ------
    ValueError
        ``states`` missing for an ephemeris other than n-body.

    Examples
    --------
    >>> from prospect.catalog import load_neas, find_target
    >>> t = load_neas()
    >>> ap = earth_approaches(t.loc[[find_target(t, "Apophis")]], "2029-12-31")
    >>> ap["approach_date"].iloc[0][:10], bool(ap["close_approach"].iloc[0])
    ('2029-04-13', True)
    """
    from prospect.epochs import quiet_erfa, time_from_tdb_seconds

    if states is None:
        if ephemeris != "nbody":
            raise ValueError(f"states: needed for the {ephemeris!r} ephemeris")
        states = nbody_pair
    n = len(table)
    end_s = np.broadcast_to(_epochs_s(end), (n,)).astype(float)
    ep0 = (table["epoch_jd_tt"].to_numpy(dtype=float) - JD_J2000) * DAY_S  # TT ~ TDB (2 ms)
    out_t, out_d = _closest(states, table, ep0, end_s, step_days, candidates)
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
            "approach_km": out_d,
            "close_approach": au < CLOSE_APPROACH_AU,
            "u_param": u.to_numpy(dtype=float),
            "poor_orbit": u.to_numpy(dtype=float) >= U_POOR,
            "ephemeris": ephemeris,
        },
        index=table.index,
    )
