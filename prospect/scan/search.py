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
    NHATS-style round trips on a date lattice, in stages
    (:data:`ROUNDTRIP_STAGES`), each on a subset of the fine lattice's legs
    that contains the previous stage's (so every leg is solved once, in
    :func:`prospect.core.lattice.leg_costs_into`): a lower bound from each
    target's legs (cheapest outbound leg from each Earth departure plus the
    cheapest return leg inside that trip's window, :func:`window_bound`) and
    the best round trip on a sub-lattice of every 2nd, 4th or 8th date
    (:func:`sub_lattice`, whose trips are trips of the fine lattice, so ``F
    <= C``); each stage drops the targets whose value exceeds the limit by
    more than its measured margin.  The rest get the fine lattice's least-dv
    and shortest trips (:func:`prospect.scan._lattice.lattice_from_costs`).

The margins are measured, not derived: ``benchmarks/calibrate_search.py``
scans the shipped catalog (40,874 MPC NEAs, epoch 2025-11-21) on the fine
grid and the coarse ones and prints, per objective or stage value, ``max(C -
F)`` over the targets whose fine value is at most a level ``L``;
:data:`ONEWAY_MARGINS_KM_S` and :data:`ROUNDTRIP_STAGES` keep those values,
used times :data:`MARGIN_SAFETY` plus :data:`MARGIN_PAD_KM_S` (other launch
windows than the measured one).  Objectives, grids and limits that were not
measured fall back to the whole fine grid (same answers, no speed-up).

Both functions take the target states through ``states`` (``states(epochs_s,
rows) -> (r, v)`` of shape ``(len(rows), m, 3)``), so n-body states can
replace the two-body propagation of the elements.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable

import numpy as np

from prospect.core.constants import DAY_S, GM_EARTH_KM3_S2, GM_SUN_KM3_S2
from prospect.core.transfer import transfer_min

__all__ = [
    "MARGIN_PAD_KM_S",
    "MARGIN_SAFETY",
    "ONEWAY_MARGINS_KM_S",
    "ROUNDTRIP_LEVEL_KM_S",
    "ROUNDTRIP_STAGES",
    "coarse_lattice",
    "oneway_chunk",
    "oneway_margins",
    "roundtrip_chunk",
    "roundtrip_window_bound",
    "sub_lattice",
    "window_bound",
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


#: The stages of :func:`roundtrip_chunk` for the NHATS constraints
#: (``nhats-human``: total <= 12 km/s from a 400 km LEO, C3 <= 60 km^2/s^2,
#: <= 450 d, stay >= 8 d, entry <= 12 km/s) on rank's 5-day lattice with legs
#: >= 10 d: ``(stride, kk0, {test: measured margin, km/s})``, coarsest first.
#: A stage solves the lattice's legs of every ``stride``-th start date and
#: leg-length index ``kk0, kk0 + stride, ...`` (each stage's legs include the
#: earlier stages', so no leg is solved twice) and drops a target when a
#: test's value ``C`` exceeds the limit by more than the test's margin (times
#: :data:`MARGIN_SAFETY` plus :data:`MARGIN_PAD_KM_S`).  Tests: ``"window"``,
#: :func:`window_bound` on the stage's legs; ``"lattice"``, the least cost on
#: the sub-lattice of every ``stride``-th date (:func:`sub_lattice`, whose
#: legs the stage's must be; its round trips are fine-lattice trips, so ``C
#: >= F``).
#:
#: Measured on all 40,874 objects of the shipped catalog (epoch 2025-11-21),
#: launches 2027-01-01 to 2029-01-01 (``benchmarks/calibrate_search.py --only
#: roundtrip``: 8.6 min of CPU; 2,214 feasible): ``max(C - F)`` against the
#: fine lattice's least cost ``F`` over the 2,703 targets with ``F <= limit +``
#: :data:`ROUNDTRIP_LEVEL_KM_S`.  So a dropped target has ``F > limit`` (it is
#: not feasible on the fine lattice), and ``C - margin`` is below ``F``
#: wherever ``F <= limit + 0.7``: the n-body stage reads it as a lower bound of
#: the least cost up to the limit plus its round-trip approach margin.  Stages:
#: the window bound on the legs of the 40-day sub-lattice (every 8th date,
#: 1/64 of the legs; 10,140 of 40,874 targets kept), then on those of the
#: 20-day one (1/16; 8,427 kept), then the 10-day sub-lattice's least cost
#: (1/4; 3,010 kept): 143 M Lambert solves in all, against 260 M for the
#: stages before (whose margins, measured on 1,500 objects, 1.922 and 0.379
#: km/s, left bounds up to 0.41 km/s above ``F`` for targets within 0.7 km/s of
#: the limit).  On the whole catalog the 10-day lattice's margin is 0.784 km/s
#: for the feasible targets, 1.240 within 2 km/s of the limit; the 20- and
#: 40-day lattices' are 13.9 and 14.3 (some targets' cheap trips need their
#: short stays), so they are not used.  A negative measured margin counts as 0.
ROUNDTRIP_STAGES = (
    (8, 6, {"window": 2.541}),
    (4, 2, {"window": 0.902}),
    (2, 0, {"lattice": 0.936}),
)
#: The level above the limit, km/s, up to which :data:`ROUNDTRIP_STAGES` was
#: measured: the n-body stage's round-trip approach margin
#: (:data:`prospect.scan.rank.nbody.APPROACH_MARGINS_KM_S`) may not exceed it.
ROUNDTRIP_LEVEL_KM_S = 0.7


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


def sub_lattice(lat, j: int):
    """The sub-lattice of every ``2**j``-th date and where its legs sit among ``lat``'s.

    Returns ``(sub, stride, kk0)``: ``sub`` is :func:`coarse_lattice` applied
    ``j`` times; its outbound leg from sub-date ``a`` of ``k'`` sub-steps is
    ``lat``'s leg from date ``stride * a`` of ``stride * k'`` steps, at
    leg-length index ``kk0 + stride * (k' - sub.k_min)`` of ``lat.legs``
    (the same for return legs).  The legs of ``j + 1`` are among those of ``j``.
    """
    sub = lat
    for _ in range(j):
        sub = coarse_lattice(sub)
    stride = 2**j
    return sub, stride, stride * sub.k_min - lat.k_min


def window_bound(out_cost, ret_cost, lat, every_date: int = 1) -> np.ndarray:
    """Lower bound of each target's round-trip cost from its leg costs, km/s, shape (n,).

    For each Earth departure ``i``: the cheapest outbound leg from ``i`` plus
    the cheapest return leg that departs the target inside the trip's window
    (``i + k_min + stay`` to ``i + dur - k_min`` lattice steps); the bound is
    the least of these over ``i``.  Every round trip from ``i`` uses one such
    pair, so on every leg of the lattice the bound is below every round
    trip's cost.

    Parameters
    ----------
    out_cost, ret_cost : ndarray, shape (n, n_dep', nk') and (n, L', nk')
        Leg costs of :func:`prospect.scan._lattice.leg_costs` (inf where no
        leg), possibly thinned (``every=(every_date, f_k)``: start dates
        ``0, every_date, ...``).
    lat : RoundTripLattice
    every_date : int
        Start-date stride of the arrays.
    """
    n = out_cost.shape[0]
    bound = np.full(n, np.inf)
    if out_cost.shape[2] == 0:
        return bound
    out_min = out_cost.min(axis=2)
    ret_min = ret_cost.min(axis=2)
    f = int(every_date)
    for a in range(out_min.shape[1]):
        i = a * f
        lo = i + lat.k_min + lat.stay_k
        hi = min(i + lat.dur_k - lat.k_min, lat.size - 1)
        a0, a1 = -(-lo // f), hi // f
        if a0 <= a1:
            bound = np.minimum(bound, out_min[:, a] + ret_min[:, a0 : a1 + 1].min(axis=1))
    return bound


def roundtrip_window_bound(r_e, v_e, r_t, v_t, lat, spec, factors=(1, 1)) -> np.ndarray:
    """:func:`window_bound` of the legs of every ``factors[0]``-th start date and
    ``factors[1]``-th leg length (:func:`prospect.scan._lattice.leg_costs`).

    ``r_e, v_e`` Earth at the lattice dates ``(L, 3)``, ``r_t, v_t`` the
    targets ``(n, L, 3)``; with ``factors=(1, 1)`` (every leg) the bound is
    below every round trip's cost.
    """
    from prospect.scan._lattice import leg_costs

    out, ret = leg_costs(r_e, v_e, r_t, v_t, lat, spec, every=factors)
    return window_bound(out, ret, lat, factors[0])


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


class _Legs:
    """Leg costs of a batch of targets on the legs of a sub-lattice, grown stage by stage.

    ``out`` (n, n_dep', nk'), ``ret`` (n, L', nk'): ``lat``'s legs of every
    ``stride``-th date and leg-length index ``kk0, kk0 + stride, ...``
    (:func:`prospect.scan._lattice.leg_costs` sliced ``[:, ::stride,
    kk0::stride]``).  :meth:`grow` goes to a finer stride keeping the legs
    already solved; :meth:`keep` drops targets.
    """

    def __init__(self, r_e, v_e, r_t, v_t, lat, spec):
        self.earth, self.r_t, self.v_t = (r_e, v_e), r_t, v_t
        self.lat, self.spec = lat, spec
        self.stride = self.kk0 = 0
        self.out = self.ret = None

    def grow(self, stride: int, kk0: int) -> None:
        """Solve the legs of ``(stride, kk0)`` not solved yet."""
        from prospect.scan._lattice import leg_costs_at

        lat = self.lat
        n = self.r_t.shape[0]
        kks = np.arange(kk0, lat.legs.size, stride)
        new = []
        for old, leg, m in ((self.out, "out", lat.n_dep), (self.ret, "return", lat.size)):
            arr = np.full((n, -(-m // stride), kks.size), np.nan)
            if old is not None:  # the previous stage's legs are a sub-slice of these
                q, o = self.stride // stride, (self.kk0 - kk0) // stride
                arr[:, ::q, o::q] = old
            a, b = np.nonzero(np.isnan(arr[0]))
            if a.size:
                leg_costs_at(*self.earth, self.r_t, self.v_t, lat, self.spec,
                             (a * stride, kks[b]), leg=leg, into=(arr, (a, b)))  # fmt: skip
            new.append(arr)
        self.out, self.ret = new
        self.stride, self.kk0 = stride, kk0

    def keep(self, mask: np.ndarray) -> None:
        """Keep the targets ``mask`` (bool or int index) only."""
        self.r_t, self.v_t = self.r_t[mask], self.v_t[mask]
        if self.out is not None:
            self.out, self.ret = self.out[mask], self.ret[mask]

    def take(self, idx: np.ndarray) -> _Legs:
        """A new store of the targets ``idx`` (int index) with their legs."""
        new = copy.copy(self)
        new.keep(idx)
        return new


def _stage_values(legs: _Legs, stride: int, kk0: int, tests) -> dict[str, np.ndarray]:
    """The values of a stage's tests on its legs (:data:`ROUNDTRIP_STAGES`), km/s."""
    from prospect.scan._lattice import lattice_from_costs

    lat = legs.lat
    legs.grow(stride, kk0)
    vals = {}
    if "window" in tests:
        vals["window"] = window_bound(legs.out, legs.ret, lat, stride)
    if "lattice" in tests:
        sub, s, k0 = sub_lattice(lat, stride.bit_length() - 1)
        if (s, k0) != (stride, kk0):
            raise ValueError(f"legs ({stride}, {kk0}) are not those of a sub-lattice")
        nk = sub.k_max - sub.k_min + 1
        out, ret = legs.out[:, : sub.n_dep, :nk], legs.ret[:, : sub.size, :nk]
        found = lattice_from_costs(out, ret, sub, legs.spec, shortest=False)
        vals["lattice"] = found["least_cost"]
    return vals


def _prune(legs: _Legs) -> tuple[np.ndarray, np.ndarray]:
    """The coarse stages of :data:`ROUNDTRIP_STAGES` on a batch.

    Returns the indices of the targets kept (``legs`` then holds them only)
    and, per target, the bound of a dropped one: the largest ``C - margin``
    of the tests of the stage that dropped it, or when that is infinite (no
    trip on a sub-lattice) the largest finite one of the earlier stages;
    ``-inf`` for the targets kept.
    """
    limit = legs.spec.limit_km_s
    n = legs.r_t.shape[0]
    bound = np.full(n, -np.inf)
    kept = np.arange(n)
    earlier = np.full(n, -np.inf)  # the largest finite C - margin so far
    for stride, kk0, tests in ROUNDTRIP_STAGES:
        vals = _stage_values(legs, stride, kk0, tests)
        low = np.full(kept.size, -np.inf)
        for name, measured in tests.items():
            m = MARGIN_SAFETY * max(measured, 0.0) + MARGIN_PAD_KM_S
            low = np.maximum(low, vals[name] - m)
        drop = low > limit
        prev = earlier[kept]
        bound[kept[drop]] = np.where(np.isfinite(low) | ~np.isfinite(prev), low, prev)[drop]
        earlier[kept] = np.where(np.isfinite(low), np.maximum(prev, low), prev)
        kept = kept[~drop]
        legs.keep(~drop)
        if not kept.size:
            break
    return kept, bound


def roundtrip_chunk(
    el: dict, lat, r_e, v_e, spec, *, states: StatesFn | None = None, batch: int | None = None
) -> list:
    """Best round trips of each target, pruning the ones that cannot be feasible.

    Same inputs and output as rank's per-chunk lattice scan
    (:func:`prospect.scan.rank.chunks.roundtrip_chunk`): one dict per target
    with ``"min_dv"`` and ``"min_dur"`` each ``None`` or the four lattice dates
    (TDB s) of the round trip, and ``"bound"``, a lower bound of the target's
    least cost on the fine lattice, km/s.  Targets dropped by a stage of
    :data:`ROUNDTRIP_STAGES` have no feasible round trip (both ``None``, as
    the fine lattice gives them) and the bound ``C - margin``; the others
    get the fine lattice's least-dv and shortest trips (bound: their least
    cost itself), from the legs of the stages and the rest of the fine legs,
    each solved once.

    Parameters
    ----------
    states : callable, optional
        As :func:`oneway_chunk`.
    batch : int, optional
        Most targets at a time through the stages (their memory grows with
        it; default: all at once).
    """
    from prospect.scan._lattice import lattice_from_costs
    from prospect.scan.rank.chunks import lattice_dates

    n = len(next(iter(el.values())))
    r_t, v_t = _chunk_states(el, states)(lat.seconds, np.arange(n))
    legs = _Legs(r_e, v_e, r_t, v_t, lat, spec)
    rows = [None] * n
    kept = np.arange(n)
    if _rt_signature(spec, lat) is not None and spec.limit_km_s is not None and n:
        # the coarse stages on the whole chunk at once: stage j keeps 4**-j of the fine
        # legs per target, and a chunk is SEARCH_CHUNK_FACTOR = 4 batches
        kept, bound = _prune(legs)
        for t in np.flatnonzero(bound > -np.inf):
            rows[t] = {"min_dv": None, "min_dur": None, "bound": float(bound[t])}
    step = batch or max(kept.size, 1)
    for a in range(0, kept.size, step):
        part = legs.take(np.arange(a, min(kept.size, a + step)))
        part.grow(1, 0)
        found = lattice_from_costs(part.out, part.ret, lat, spec)
        done = lattice_dates(r_e, v_e, part.r_t, part.v_t, lat, spec, found=found)
        for t, row in zip(kept[a : a + step], done, strict=True):
            rows[t] = row
    return rows
