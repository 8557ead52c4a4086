"""Coarse-to-fine searches: rank's answers without solving every fine cell.

Drop-in replacements of rank's per-chunk scans (same inputs, same per-target
output) that prune targets which cannot be feasible before the fine grid:

:func:`oneway_chunk`
    One-way rendezvous on a departure x time-of-flight grid.  A coarse
    sub-grid (every d-th departure and t-th flight time of the fine grid,
    plus the last of each; :data:`ONEWAY_MARGINS_KM_S`) bounds each target's
    fine minimum from above (``F <= C``); a margin measured on the catalog
    bounds it from below
    (``F >= C - margin``).  Targets with ``C - margin > limit`` cannot be
    feasible and keep their coarse best cell; every other target gets the
    whole fine grid, so its best cell, values and launch days are those of
    the fine grid (:func:`prospect.core.transfer.transfer_min` on both grids).
:func:`roundtrip_chunk`
    NHATS-style round trips on a date lattice, in three stages.  (1) A
    lower bound from each target's legs (cheapest outbound leg from each
    Earth departure plus the cheapest return leg inside that trip's window,
    :func:`roundtrip_window_bound`) on every 4th date and leg length; (2)
    the best round trip on the 10-day sub-lattice (:func:`coarse_lattice`,
    whose trips are trips of the fine lattice, so ``F <= C``); each stage
    drops the targets whose value exceeds the limit by more than its
    measured margin.  (3) The rest go through
    :func:`prospect.scan._lattice.lattice_search` unchanged, so their least-dv
    and shortest trips are the fine lattice's.

The margins are measured, not derived: ``benchmarks/calibrate_search.py``
scans the shipped catalog (40,874 MPC NEAs, epoch 2025-11-21; a seeded
sample for round trips) on the fine grid and the coarse one and prints, per
objective, ``max(C - F)`` over the targets whose fine value is at most a
level ``L``;
:data:`ONEWAY_MARGINS_KM_S` and :data:`ROUNDTRIP_MARGINS_KM_S` keep those
values times :data:`MARGIN_SAFETY` plus :data:`MARGIN_PAD_KM_S` (other launch
windows than the measured one).  Objectives, grids and limits that were not
measured fall back to the whole fine grid (same answers, no speed-up).

Both functions take the target states through ``states`` (``states(epochs_s,
rows) -> (r, v)`` of shape ``(len(rows), m, 3)``), so n-body states can
replace the two-body propagation of the elements.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from prospect.core.constants import DAY_S, GM_EARTH_KM3_S2, GM_SUN_KM3_S2
from prospect.core.transfer import leg_vinf, transfer_min

__all__ = [
    "MARGIN_PAD_KM_S",
    "MARGIN_SAFETY",
    "ONEWAY_MARGINS_KM_S",
    "ROUNDTRIP_MARGINS_KM_S",
    "coarse_lattice",
    "coarse_lattice_cost",
    "oneway_chunk",
    "oneway_margins",
    "roundtrip_chunk",
    "roundtrip_leg_costs",
    "roundtrip_legs",
    "roundtrip_window_bound",
]

#: Targets per chunk of the search, in multiples of the chunk the memory
#: budget allows for the fine grid (design choice).  A one-way search keeps
#: only states (the fused kernels keep no grid); a round-trip search keeps the
#: 10-day sub-lattice (a quarter of the fine lattice's arrays) and runs the fine
#: lattice in batches of the original chunk (``batch=``).
SEARCH_CHUNK_FACTOR = 4

StatesFn = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

#: Applied to every measured margin: ``margin = MARGIN_SAFETY * measured +
#: MARGIN_PAD_KM_S`` (a design choice covering launch windows other than the
#: measured 2027-2029 one).
MARGIN_SAFETY = 1.25
MARGIN_PAD_KM_S = 0.05

#: The fine grid the one-way margins were measured on (rank's default):
#: departure step, flight-time step, shortest and longest flight, days.
ONEWAY_MEASURED_GRID = (5.0, 10.0, 30.0, 720.0)

#: Measured one-way margins ``max(C - F)``, km/s, by objective: ``(coarse
#: factors, levels, margins)``; the margin holds for targets whose fine minimum
#: ``F`` is at most the level (above the last level: no pruning), ``C`` the
#: minimum over every ``d``-th departure and ``t``-th flight time (plus the
#: last of each).  Measured with ``benchmarks/calibrate_search.py`` (255 s) on
#: all 40,874 objects of the shipped catalog, rank's default grid, launches
#: 2027-01-01 to 2029-01-01.  Objectives: ``excess``, the spacecraft's
#: v-infinity sum after a C3 = 0 kick stage (prospector-1); ``gto-burn``, a
#: GTO-perigee departure burn + arrival (arkyd-300, mx-1); ``zero``, arrival
#: only (launcher-paid departure: hakuto-r-m1, argonaut); ``nhats-total``, the
#: total from a 400 km LEO with C3 <= 60 km^2/s^2 and flights <= 450 d.  The
#: factors are the coarsest of (2, 2), (4, 2), (4, 3), (6, 3) whose margin at
#: the shipped profiles' limits stays small.  ``inf``: some target had no
#: allowed coarse cell at all (C = inf) while its fine grid had one.
_INF = math.inf
#: A coarser first stage where it pays (same measurement, the same run, 345 s):
#: every 12th departure and 6th flight time (182 cells against 624 of (6, 3));
#: its survivors then go through :data:`ONEWAY_MARGINS_KM_S`.  For
#: ``gto-burn`` and ``zero`` its margins at the shipped limits (1.03 and 8.4
#: km/s) would prune too little to pay.
ONEWAY_PRESCREEN_KM_S = {
    "excess": (
        (12, 6),
        (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 15.0),
        (0.082, 0.187, 0.437, 0.781, 1.033, 1.306, 2.231, 2.626, 3.270, 3.683, 5.047, 7.177),
    ),
}
ONEWAY_MARGINS_KM_S = {
    "excess": (
        (6, 3),
        (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 15.0),
        (0.041, 0.100, 0.227, 0.227, 0.227, 0.609, 0.622, 1.090, 1.406, 1.660, 2.448, 3.128),
    ),
    "gto-burn": (
        (4, 2),
        (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 15.0),
        (0.068, 0.237, 0.428, 0.715, 0.715, 0.969, 0.969, 1.281, 1.716, 1.859, 1.859, 1.859),
    ),
    "zero": (
        (2, 2),
        (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 15.0),
        (1.332, 1.490, 1.490, 1.592, 1.592, 2.216, 2.216, 2.216),
    ),
    "nhats-total": (
        (2, 2),
        (4.0, 5.0, 6.0, 8.0),
        (0.164, 0.269, 0.372, _INF),
    ),
}


def _signature(spec, objective, g) -> str | None:
    """Key of :data:`ONEWAY_MARGINS_KM_S` that applies to this scan, if any."""
    if objective is None or spec.mode != "rendezvous" or spec.max_revs != 0:
        return None
    tofs = np.asarray(g.tof_days, dtype=float)
    grid = (g.step_days, float(tofs[1] - tofs[0]) if tofs.size > 1 else 0.0, tofs[0], tofs[-1])
    if not np.allclose(grid, ONEWAY_MEASURED_GRID):
        return None
    kind, p, _ = objective
    if kind == "excess" and p == 0.0 and spec.max_c3_km2_s2 is None:
        return "excess" if spec.max_duration_days is None else None
    if kind == "zero" and spec.max_c3_km2_s2 is None and spec.max_duration_days is None:
        return "zero"
    if kind == "burn" and spec.max_c3_km2_s2 is None and spec.max_duration_days is None:
        # the standard GTO of prospect.data.orbits, the one the margins were measured with
        return "gto-burn" if spec.launch_mode == "rideshare_gto" else None
    if (
        kind == "total"
        and spec.max_c3_km2_s2 == 60.0
        and spec.max_duration_days == 450.0
        and spec.parking_alt_km == 400.0
    ):
        return "nhats-total"
    return None


def oneway_margins(key: str | None) -> list[tuple[tuple[int, int], np.ndarray, np.ndarray]]:
    """Coarse stages of an objective, coarsest first: (factors, levels, margins with safety).

    Each stage's margin table is :data:`ONEWAY_MARGINS_KM_S` (plus
    :data:`ONEWAY_PRESCREEN_KM_S` before it when measured) times
    :data:`MARGIN_SAFETY` plus :data:`MARGIN_PAD_KM_S`, km/s.  An empty list
    (objective, grid or limits not measured) means: no pruning.
    """
    if key is None or key not in ONEWAY_MARGINS_KM_S:
        return []
    stages = []
    for table in (ONEWAY_PRESCREEN_KM_S, ONEWAY_MARGINS_KM_S):
        if key in table:
            factors, levels, measured = table[key]
            m = np.maximum.accumulate(np.asarray(measured, dtype=float))
            m = MARGIN_SAFETY * m + MARGIN_PAD_KM_S
            stages.append((factors, np.asarray(levels, dtype=float), m))
    return stages


def _coarse_index(n: int, every: int) -> np.ndarray:
    """Every ``every``-th index of ``0..n-1``, with ``n - 1`` always included."""
    idx = np.arange(0, n, max(int(every), 1), dtype=np.int64)
    if n and idx[-1] != n - 1:
        idx = np.append(idx, n - 1)
    return idx


def _margin_at(levels: np.ndarray, margins: np.ndarray, value: float) -> float:
    k = int(np.searchsorted(levels, value))
    return float(margins[k]) if k < levels.size else math.inf


def _chunk_states(el: dict, states: StatesFn | None) -> StatesFn:
    if states is not None:
        return states
    from prospect.scan.rank.chunks import propagate

    return lambda epochs_s, rows: propagate({k: v[rows] for k, v in el.items()}, epochs_s)


def oneway_chunk(el: dict, g, spec, *, states: StatesFn | None = None) -> dict[str, np.ndarray]:
    """Best one-way cell of each target by the coarse-to-fine search.

    Same inputs and output as rank's per-chunk grid scan
    (``prospect.scan.rank._oneway_chunk``): ``el`` the element arrays of the
    chunk's targets, ``g`` the one-way grid (departure epochs, flight times,
    distinct arrival epochs and their index, Earth states), ``spec`` the
    :class:`prospect.scan._mission.MissionSpec`.

    Parameters
    ----------
    states : callable, optional
        ``states(epochs_s, rows) -> (r, v)``: the states of the chunk's
        targets ``rows`` (int array) at ``epochs_s``, shape ``(len(rows), m,
        3)``, km, km/s; default the two-body propagation of ``el``.

    Returns
    -------
    dict of ndarray, shape (n,)
        ``departure_s``, ``tof_days``, ``launch_days`` and the cell columns
        (``c3_km2_s2``, ``vinf_dep_km_s``, ``vinf_arr_km_s``,
        ``dv_departure_km_s``, ``dv_arrival_km_s``, ``dv_total_km_s``).
        Targets pruned by the coarse bound carry their coarse best cell and
        ``launch_days = 0``.
    """
    from prospect.scan.rank.chunks import _oneway_chunk_grid

    states = _chunk_states(el, states)
    n = len(next(iter(el.values())))
    every = np.arange(n)
    objective = spec.kernel_objective()
    if objective is None:
        return _oneway_chunk_grid(*states(g.arr_u, every), g, spec)
    tof_ok = np.ones(g.tof_days.size, dtype=bool)
    if spec.max_duration_days is not None:
        tof_ok &= g.tof_days <= spec.max_duration_days
    limit = spec.limit_km_s
    kw = dict(
        revs=spec.max_revs,
        mu_park_km3_s2=GM_EARTH_KM3_S2,
        r_park_km=spec.r_park_km,
        rendezvous=spec.mode == "rendezvous",
        objective=objective,
        max_c3_km2_s2=spec.max_c3_km2_s2,
        limit_km_s=limit,
    )
    best = np.full((n, 2), -1, dtype=np.int64)
    vals = np.full((n, 7), np.nan)
    n_ok = np.zeros(n, dtype=np.int64)
    rows = np.arange(n)
    for factors, levels, margins in oneway_margins(_signature(spec, objective, g)):
        if limit is None or not rows.size:
            break
        # a coarse pass over the remaining rows, states only at its arrival epochs
        ci = _coarse_index(g.inv.shape[0], factors[0])
        cj = _coarse_index(g.inv.shape[1], factors[1])
        arr = g.dep_s[ci][:, None] + g.tof_days[cj][None, :] * DAY_S
        arr_u, inv = np.unique(np.round(arr, 3), return_inverse=True)
        r_c, v_c = states(arr_u, rows)
        b_c, vals_c, _ = transfer_min(
            GM_SUN_KM3_S2, g.r_e[ci], g.v_e[ci], r_c, v_c, inv.reshape(arr.shape),
            g.tof_days[cj] * DAY_S, tof_ok=tof_ok[cj], **kw,
        )  # fmt: skip
        cut = vals_c[:, 6] > limit + _margin_at(levels, margins, limit)
        has = cut & (b_c[:, 0] >= 0)
        best[rows[has]] = np.stack([ci[b_c[has, 0]], cj[b_c[has, 1]]], axis=1)
        vals[rows[cut]] = vals_c[cut]
        rows = rows[~cut]
    if rows.size:
        r_t, v_t = states(g.arr_u, rows)
        best[rows], vals[rows], n_ok[rows] = transfer_min(
            GM_SUN_KM3_S2, g.r_e, g.v_e, r_t, v_t, g.inv, g.tof_days * DAY_S, tof_ok=tof_ok, **kw
        )
    from prospect.scan.rank.chunks import best_cells

    return best_cells(g, best, vals, n_ok)


def roundtrip_leg_costs(spec, vinf_dep, vinf_arr, leg: str) -> np.ndarray:
    """Cost of round-trip legs as the fine lattice search counts them, km/s.

    ``leg="out"``: the outbound departure (the spacecraft's share when the
    profile has a capacity, else the burn from the parking orbit) plus the
    arrival v-infinity, ``inf`` above the profile's C3 limit; ``"return"``:
    the target departure v-infinity plus the entry-speed burn.  Non-finite
    costs (no arc) are ``inf``.  The same formulas as
    :func:`prospect.scan._lattice.lattice_search` (its helpers are called).
    """
    from prospect.scan._lattice import _entry, _outbound

    if leg == "out":
        dv_leo, dv_sc = _outbound(spec, vinf_dep, vinf_arr)
        cost = (dv_sc if spec.capacity_km_s is not None else dv_leo) + vinf_arr
        if spec.max_c3_km2_s2 is not None:
            cost = np.where(vinf_dep * vinf_dep <= spec.max_c3_km2_s2, cost, np.inf)
    else:
        _, dv_entry = _entry(vinf_arr, spec.max_entry_speed_km_s)
        cost = vinf_dep + dv_entry
    return np.where(np.isfinite(cost), cost, np.inf)


#: Measured round-trip margins, km/s, for the NHATS constraints
#: (``nhats-human``: total <= 12 km/s from a 400 km LEO, C3 <= 60 km^2/s^2,
#: <= 450 d, stay >= 8 d, entry <= 12 km/s) on rank's 5-day lattice with legs
#: >= 10 d, launches 2027-01-01 to 2029-01-01, measured with
#: ``benchmarks/calibrate_search.py --only roundtrip --sample 1500`` (a seeded
#: sample of 1,500 of the 40,874 shipped objects, 78 of them feasible; 353 s):
#:
#: ``"window"``: stage 1, :func:`roundtrip_window_bound` on every 4th start
#: date and leg length (:data:`ROUNDTRIP_WINDOW_FACTORS`) against the same
#: bound on every leg: ``max(C - F) = 1.922`` over the 264 targets with
#: ``F <= 12`` ((2, 2): 0.763, (8, 4): 3.626; (4, 4) leaves 399 of 1,500
#: targets for stage 2 at a quarter of the legs of (2, 2), which leaves 321);
#: ``"lattice"``: stage 2, the best round trip on the 10-day sub-lattice
#: (:func:`coarse_lattice`) against the best on the 5-day lattice: ``max(C -
#: F) = 0.379`` over the feasible targets (92 of 1,500 go on to the fine
#: lattice).
#:
#: The n-body stage reads ``C - margin`` of a pruned target as a lower bound of
#: its least cost up to the limit plus its approach margin (0.7 km/s): the same
#: run (``calibrate_search.py``, its ``max(C - least cost)`` lines) measured
#: ``max(C - F)`` against the fine lattice's least cost ``F`` over the 99
#: targets with ``F <= 12.7`` (119 with ``F <= 13.5``): stage 1 0.284, stage 2
#: 0.379 km/s, within both margins.
ROUNDTRIP_WINDOW_FACTORS = (4, 4)
ROUNDTRIP_MARGINS_KM_S = {"window": 1.922, "lattice": 0.379}


def _rt_signature(spec, lat) -> str | None:
    if (
        spec.capacity_km_s is None
        and spec.max_total_dv_km_s == 12.0
        and spec.max_c3_km2_s2 == 60.0
        and spec.max_duration_days == 450.0
        and spec.min_stay_days == 8.0
        and spec.max_entry_speed_km_s == 12.0
        and spec.parking_alt_km == 400.0
        and math.isclose(lat.step_days, 5.0)
        and lat.k_min == 2
    ):
        return "nhats"
    return None


def roundtrip_legs(lat, every_date: int = 1, every_leg: int = 1):
    """Outbound (Earth ``i`` -> target ``i + k``) and return (target ``d`` -> Earth ``d + k``) legs.

    Every ``every_date``-th start date and ``every_leg``-th leg length ``k``
    (from ``lat.k_min``) of the lattice ``lat``
    (:class:`prospect.scan._lattice.RoundTripLattice`).

    Returns
    -------
    out_i1, out_i2, ret_i1, ret_i2 : ndarray of int
        Lattice date indices of the two ends of each outbound and return leg.
    """
    ks = lat.legs[::every_leg]
    i = np.arange(0, lat.n_dep, every_date)
    oi, ok = np.meshgrid(i, ks, indexing="ij")
    d = np.arange(0, lat.size, every_date)
    ri, rk = np.meshgrid(d, ks, indexing="ij")
    keep = ri + rk < lat.size
    return oi.ravel(), (oi + ok).ravel(), ri[keep], (ri + rk)[keep]


def _min_by_start(cost: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each start date and the least ``cost[:, c]`` over the legs ``c`` that start on it.

    ``start`` (one date index per leg) is non-decreasing, as
    :func:`roundtrip_legs` lists legs date by date; returns the distinct
    dates ``(m,)`` and the minima ``(m, n)`` (one column per target).
    """
    if start.size == 0:
        return start, np.empty((0, cost.shape[0]))
    first = np.flatnonzero(np.r_[True, start[1:] != start[:-1]])
    return start[first], np.minimum.reduceat(cost, first, axis=1).T


def roundtrip_window_bound(r_e, v_e, r_t, v_t, lat, spec, factors=(1, 1)) -> np.ndarray:
    """Lower bound of each target's round-trip cost from its legs, km/s, shape (n,).

    For each Earth departure ``i``: the cheapest outbound leg from ``i`` plus
    the cheapest return leg that departs the target inside the trip's window
    (``i + k_min + stay`` to ``i + dur - k_min`` lattice steps); the bound is
    the least of these over ``i``.  Every round trip from ``i`` uses one such
    pair, so on the whole lattice (``factors=(1, 1)``) the bound is below
    every round trip's cost.  ``factors`` thin the legs
    (:func:`roundtrip_legs`); ``r_e, v_e`` Earth at the lattice dates
    ``(L, 3)``, ``r_t, v_t`` the targets ``(n, L, 3)``.
    """
    oi1, oi2, ri1, ri2 = roundtrip_legs(lat, *factors)
    h_s = lat.step_days * DAY_S
    n, L = r_t.shape[0], lat.size
    vd, va = leg_vinf(GM_SUN_KM3_S2, r_e[None], v_e[None], r_t, v_t, oi1, oi2, (oi2 - oi1) * h_s)
    cost = roundtrip_leg_costs(spec, vd, va, "out")
    out_min = np.full((lat.n_dep, n), np.inf)
    d, m = _min_by_start(cost, oi1)
    out_min[d] = m
    vd, va = leg_vinf(GM_SUN_KM3_S2, r_t, v_t, r_e[None], v_e[None], ri1, ri2, (ri2 - ri1) * h_s)
    cost = roundtrip_leg_costs(spec, vd, va, "return")
    ret_min = np.full((L, n), np.inf)
    d, m = _min_by_start(cost, ri1)
    ret_min[d] = m
    bound = np.full(n, np.inf)
    for i in np.unique(oi1):
        lo = i + lat.k_min + lat.stay_k
        hi = min(i + lat.dur_k - lat.k_min, L - 1)
        if lo <= hi:
            bound = np.minimum(bound, out_min[i] + ret_min[lo : hi + 1].min(axis=0))
    return bound


def coarse_lattice(lat):
    """The sub-lattice of every second date (its round trips are round trips of ``lat``).

    Legs, stays and durations are rounded inward (legs and stays up, the
    duration down) so that every round trip on it satisfies ``lat``'s limits.
    """
    from prospect.scan._lattice import RoundTripLattice

    k_min = math.ceil(lat.k_min / 2)
    stay_k = math.ceil(lat.stay_k / 2)
    dur_k = lat.dur_k // 2
    return RoundTripLattice(
        lat.start_s,
        2.0 * lat.step_days,
        (lat.n_dep + 1) // 2,
        k_min,
        dur_k - stay_k - k_min,
        stay_k,
        dur_k,
    )


def coarse_lattice_cost(
    r_e, v_e, r_t, v_t, lat, spec, ceiling_km_s: float | None = None
) -> np.ndarray:
    """Best round-trip cost of each target on :func:`coarse_lattice`, km/s.

    ``r_e, v_e, r_t, v_t`` at the dates of the fine lattice ``lat``; ``inf``
    where the coarse lattice holds no round trip, NaN above ``ceiling_km_s``
    when given.
    """
    from prospect.scan._lattice import lattice_search

    c = coarse_lattice(lat)
    m = c.size
    found = lattice_search(
        r_e[::2][:m], v_e[::2][:m], r_t[:, ::2][:, :m], v_t[:, ::2][:, :m], c, spec,
        shortest=False,
    )  # fmt: skip
    cost = found["least_cost"]
    return cost if ceiling_km_s is None else np.where(cost <= ceiling_km_s, cost, np.nan)


def roundtrip_chunk(
    el: dict, lat, r_e, v_e, spec, *, states: StatesFn | None = None, batch: int | None = None
) -> list:
    """Best round trips of each target, pruning the ones that cannot be feasible.

    Same inputs and output as rank's per-chunk lattice scan
    (:func:`prospect.scan.rank.chunks.roundtrip_chunk`): one dict per target
    with ``"min_dv"`` and ``"min_dur"`` each ``None`` or the four lattice dates
    (TDB s) of the round trip, and ``"bound"``, a lower bound of the target's
    least cost on the fine lattice, km/s.  Targets whose coarse leg bound or
    coarse-lattice cost exceeds the limit by more than its margin in
    :data:`ROUNDTRIP_MARGINS_KM_S` have no feasible round trip (both
    ``None``, as the fine lattice gives them) and the bound ``value -
    margin``; the others go through
    :func:`prospect.scan._lattice.lattice_search` unchanged (bound: their
    least cost itself).

    Parameters
    ----------
    states : callable, optional
        As :func:`oneway_chunk`.
    batch : int, optional
        Most targets per call of the fine and coarse lattice searches (their
        memory grows with it; default: all at once).
    """
    from prospect.scan.rank.chunks import lattice_dates

    n = len(next(iter(el.values())))
    r_t, v_t = _chunk_states(el, states)(lat.seconds, np.arange(n))
    bound = np.full(n, -np.inf)
    limit = spec.limit_km_s
    if _rt_signature(spec, lat) is not None and limit is not None and n:
        m1 = MARGIN_SAFETY * ROUNDTRIP_MARGINS_KM_S["window"] + MARGIN_PAD_KM_S
        b1 = roundtrip_window_bound(r_e, v_e, r_t, v_t, lat, spec, ROUNDTRIP_WINDOW_FACTORS)
        bound = np.where(b1 > limit + m1, b1 - m1, bound)
        idx = np.flatnonzero(~(b1 > limit + m1))
        m2 = MARGIN_SAFETY * ROUNDTRIP_MARGINS_KM_S["lattice"] + MARGIN_PAD_KM_S
        step = batch or max(idx.size, 1)
        for a in range(0, idx.size, step):
            part = idx[a : a + step]
            c2 = coarse_lattice_cost(r_e, v_e, r_t[part], v_t[part], lat, spec)
            # no coarse trip at all: the leg bound is the one left
            low = np.where(np.isfinite(c2), c2 - m2, b1[part] - m1)
            bound[part] = np.where(c2 > limit + m2, low, bound[part])
    rows = [{"min_dv": None, "min_dur": None, "bound": float(b)} for b in bound]
    idx = np.flatnonzero(bound == -np.inf)
    step = batch or max(idx.size, 1)
    for a in range(0, idx.size, step):
        part = idx[a : a + step]
        found = lattice_dates(r_e, v_e, r_t[part], v_t[part], lat, spec)
        for kk, t in enumerate(part):
            rows[t] = found[kk]
    return rows
