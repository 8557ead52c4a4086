"""Per-target reductions the scan functions do not expose: viable counts, class minima.

:func:`prospect.scan.roundtrip.lattice_search` gives each target's
minimum-delta-v and minimum-duration round trips on a lattice.  A survey also
needs (NHATS, Barbee et al. 2015, IAA-PDC-15-04-22):

* the number of lattice trajectories that meet the profile (NHATS's "number
  of viable trajectories"): :func:`count_viable`;
* the minimum delta-v under tighter stay and duration limits, so that the
  NHATS filters can be applied after the scan: :func:`class_minima`.

Both work on the leg costs of the lattice search -- outbound ``O[i, j]``
(Earth at ``i`` -> target at ``j``) and return ``R[d2, a2]`` -- built by
:func:`leg_costs` from the round-trip module's own Lambert and burn
functions, and on ``M = range_min(R)`` (the same two-dimensional range
minimum): the best trip through ``(i, j)`` with stay ``>= s`` and duration
``<= D`` costs ``O[i, j] + M[j + s, i + D]``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from prospect.core.constants import DAY_S
from prospect.scan._mission import MissionSpec
from prospect.scan.roundtrip import (
    RoundTripLattice,
    _entry,
    _lambert_vinf,
    _outbound,
    range_min,
)

__all__ = [
    "class_minima",
    "count_viable",
    "leg_costs",
    "may_be_feasible",
    "objective_limit",
    "outbound_costs",
    "return_costs",
]

#: Relative slack of the delta-v limit test, as in ``lattice_search``.
LIMIT_RTOL = 1e-12


def objective_limit(spec: MissionSpec) -> float:
    """Limit of the objective delta-v: the spacecraft's capacity, else the total limit (inf)."""
    if spec.capacity_km_s is not None:
        return float(spec.capacity_km_s)
    if spec.max_total_dv_km_s is not None:
        return float(spec.max_total_dv_km_s)
    return np.inf


def outbound_costs(r_e, v_e, r_t, v_t, lat: RoundTripLattice, spec: MissionSpec) -> np.ndarray:
    """Objective delta-v of every outbound leg ``i -> j``, shape (N, n_dep, L), km/s.

    inf where no leg, or its C3 is over the limit (the ``O`` of ``lattice_search``).
    """
    L, nD = lat.size, lat.n_dep
    ks = lat.legs
    i_idx = np.arange(nD)[:, None]
    j_out = i_idx + ks[None, :]
    vd, va, _ = _lambert_vinf(
        r_e[:nD, None, :], v_e[:nD, None, :], r_t[:, j_out], v_t[:, j_out],
        ks * lat.step_days * DAY_S,
    )  # fmt: skip
    dv_leo, dv_sc = _outbound(spec, vd, va)
    cost_o = (dv_sc if spec.capacity_km_s is not None else dv_leo) + va
    if spec.max_c3_km2_s2 is not None:
        cost_o = np.where(vd * vd <= spec.max_c3_km2_s2, cost_o, np.inf)
    out_cost = np.full((r_t.shape[0], nD, L), np.inf)
    out_cost[:, i_idx, j_out] = np.where(np.isfinite(cost_o), cost_o, np.inf)
    return out_cost


def return_costs(r_e, v_e, r_t, v_t, lat: RoundTripLattice, spec: MissionSpec) -> np.ndarray:
    """Cost of every return leg ``d2 -> a2`` (target departure + entry burn), (N, L, L), km/s."""
    L = lat.size
    ks = lat.legs
    d2 = np.arange(L)[:, None]
    a2 = d2 + ks[None, :]
    ok = a2 < L
    a2c = np.minimum(a2, L - 1)
    vd, va, _ = _lambert_vinf(
        r_t[:, d2[:, 0]][:, :, None, :], v_t[:, d2[:, 0]][:, :, None, :], r_e[a2c], v_e[a2c],
        ks * lat.step_days * DAY_S,
    )  # fmt: skip
    _, dv_entry = _entry(va, spec.max_entry_speed_km_s)
    cost_r = vd + dv_entry
    cost_r = np.where(np.isfinite(cost_r) & ok, cost_r, np.inf)
    R = np.full((r_t.shape[0], L, L), np.inf)
    R[:, np.broadcast_to(d2, a2.shape)[ok], a2[ok]] = cost_r[:, ok]
    return R


def leg_costs(r_e, v_e, r_t, v_t, lat: RoundTripLattice, spec: MissionSpec):
    """Outbound and return leg costs of N targets on a lattice (the terms of ``lattice_search``).

    Parameters
    ----------
    r_e, v_e : ndarray, shape (L, 3)
        Earth states at the lattice dates, km, km/s.
    r_t, v_t : ndarray, shape (N, L, 3)
        Target states, km, km/s.
    lat : RoundTripLattice
    spec : MissionSpec

    Returns
    -------
    out_cost : ndarray, shape (N, n_dep, L)
        :func:`outbound_costs`.
    R : ndarray, shape (N, L, L)
        :func:`return_costs`.
    """
    return (
        outbound_costs(r_e, v_e, r_t, v_t, lat, spec),
        return_costs(r_e, v_e, r_t, v_t, lat, spec),
    )


def may_be_feasible(out_cost: np.ndarray, limit: float) -> np.ndarray:
    """Targets whose cheapest outbound leg leaves room under ``limit``, (N,) bool.

    Every round trip costs its outbound leg plus a return cost >= 0, so a
    target whose every outbound leg already exceeds the limit has no feasible
    trip on the lattice: ``lattice_search`` would report none.  (On a 200-object
    sample of the catalog, NHATS limits, 2028: 62 % of the targets.)
    """
    if not np.isfinite(limit):
        return np.ones(out_cost.shape[0], dtype=bool)
    return out_cost.reshape(out_cost.shape[0], -1).min(axis=1) <= limit * (1 + LIMIT_RTOL)


@njit(cache=True)
def _count_kernel(out_cost, R, M, k_min, k_max, stay_k, dur_k, lim):  # pragma: no cover (numba)
    N, nD, L = out_cost.shape
    counts = np.zeros(N, dtype=np.int64)
    for n in range(N):
        c = 0
        for i in range(nD):
            y = min(i + dur_k, L - 1)
            for j in range(i + k_min, min(i + k_max, L - 1) + 1):
                o = out_cost[n, i, j]
                x = j + stay_k
                if not (o < np.inf) or x >= L or not (o + M[n, x, y] <= lim):
                    continue
                for d2 in range(x, y - k_min + 1):
                    for a2 in range(d2 + k_min, min(d2 + k_max, y) + 1):
                        if o + R[n, d2, a2] <= lim:
                            c += 1
        counts[n] = c
    return counts


def count_viable(out_cost, R, M, lat: RoundTripLattice, limit: float) -> np.ndarray:
    """Number of lattice round trips ``(i, j, d2, a2)`` that meet the limits.

    A trip counts when its legs exist (C3 and entry burn included in the leg
    costs), ``d2 - j >= stay_k``, ``a2 - i <= dur_k`` and ``O[i, j] +
    R[d2, a2] <= limit (1 + 1e-12)`` -- the acceptance test of
    ``lattice_search``.  Outbound legs that no return completes (``O + M >
    limit``) are skipped before the inner loops.

    Parameters
    ----------
    out_cost : ndarray, shape (N, n_dep, L)
    R, M : ndarray, shape (N, L, L)
        Return costs and their range minima (:func:`prospect.scan.roundtrip.range_min`).
    lat : RoundTripLattice
    limit : float
        Objective limit, km/s (inf: every trip with legs counts).

    Returns
    -------
    ndarray of int64, shape (N,)
    """
    lim = limit * (1 + LIMIT_RTOL) if np.isfinite(limit) else np.inf
    return _count_kernel(
        np.ascontiguousarray(out_cost),
        np.ascontiguousarray(R),
        np.ascontiguousarray(M),
        lat.k_min,
        lat.k_max,
        lat.stay_k,
        lat.dur_k,
        lim,
    )


def class_minima(out_cost, M, lat: RoundTripLattice, stay_ks, dur_ks, limit: float) -> np.ndarray:
    """Minimum round-trip cost under each (minimum stay, maximum duration) class.

    Parameters
    ----------
    out_cost : ndarray, shape (N, n_dep, L)
    M : ndarray, shape (N, L, L)
    lat : RoundTripLattice
    stay_ks, dur_ks : sequence of int
        Class limits in lattice steps (each ``stay >= lat.stay_k``,
        ``dur <= lat.dur_k``).
    limit : float
        Costs over ``limit (1 + 1e-12)`` become NaN.

    Returns
    -------
    ndarray, shape (N, len(stay_ks), len(dur_ks))
        km/s; NaN where no trip of the class meets the limit.
    """
    N, nD, L = out_cost.shape
    out = np.full((N, len(stay_ks), len(dur_ks)), np.nan)
    j = np.arange(L)[None, :]
    lim = limit * (1 + LIMIT_RTOL) if np.isfinite(limit) else np.inf
    for a, s in enumerate(stay_ks):
        x = j + s
        xs = np.broadcast_to(np.minimum(x, L - 1), (nD, L))
        for b, d in enumerate(dur_ks):
            y = np.broadcast_to(np.minimum(np.arange(nD)[:, None] + d, L - 1), (nD, L))
            total = np.where(x < L, out_cost + M[:, xs, y], np.inf)
            best = total.reshape(N, -1).min(axis=1)
            out[:, a, b] = np.where(best <= lim, best, np.nan)
    return out


def leg_reductions(r_e, v_e, r_t, v_t, lat, spec, stay_ks, dur_ks, *, out_cost=None):
    """``(count_viable, class_minima)`` of N targets on one lattice (see both);
    ``out_cost``: their :func:`outbound_costs` when already computed."""
    if out_cost is None:
        out_cost = outbound_costs(r_e, v_e, r_t, v_t, lat, spec)
    R = return_costs(r_e, v_e, r_t, v_t, lat, spec)
    M, _, _ = range_min(R)
    limit = objective_limit(spec)
    counts = count_viable(out_cost, R, M, lat, limit)
    del R
    return counts, class_minima(out_cost, M, lat, stay_ks, dur_ks, limit)
