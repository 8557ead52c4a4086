"""Per-target reductions the scan functions do not expose: viable counts, class minima.

:func:`prospect.scan.roundtrip.lattice_search` gives each target's
minimum-delta-v and minimum-duration round trips on a lattice.  A survey also
needs (NHATS, Barbee et al. 2015, IAA-PDC-15-04-22):

* the number of lattice trajectories that meet the profile (NHATS's "number
  of viable trajectories"): :func:`count_viable`;
* the minimum delta-v under tighter stay and duration limits, so that the
  NHATS filters can be applied after the scan: :func:`class_minima`.

Both work on the stages of the lattice search (:mod:`prospect.scan._lattice`):
outbound leg costs ``O[i, j]`` (Earth at ``i`` -> target at ``j``), return
leg costs ``R[d2, a2]`` and their range minima ``M = range_min(R)``: the best
trip through ``(i, j)`` with stay ``>= s`` and duration ``<= D`` costs
``O[i, j] + M[j + s, i + D]``.  :func:`screened_search` runs those stages
once per target and feeds them to the search's compiled least-delta-v and
shortest-trip kernel (:func:`prospect.core.lattice.lattice_best`) and to the
two reductions here, after dropping the targets that no trip can make
feasible (:func:`may_be_feasible`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from prospect.scan._lattice import RoundTripLattice, leg_costs_at, range_min
from prospect.scan._mission import MissionSpec

__all__ = [
    "class_minima",
    "count_viable",
    "may_be_feasible",
    "objective_limit",
    "screened_search",
]

#: Relative slack of the delta-v limit test, as in ``lattice_search``.
LIMIT_RTOL = 1e-12


def objective_limit(spec: MissionSpec) -> float:
    """:attr:`MissionSpec.limit_km_s` as a float (inf: no limit)."""
    return np.inf if spec.limit_km_s is None else float(spec.limit_km_s)


def may_be_feasible(out_cost: np.ndarray, limit: float) -> np.ndarray:
    """Targets whose cheapest outbound leg leaves room under ``limit``, (N,) bool.

    Every round trip costs its outbound leg plus a return cost >= 0, so a
    target whose every outbound leg already exceeds the limit has no feasible
    trip on the lattice: ``lattice_search`` would report none.  (On a 100-object
    sample of the catalog, NHATS limits, 2028: 62 % of the targets.)

    Examples
    --------
    >>> o = np.array([[[5.0, np.inf]], [[13.0, 14.0]]])  # 2 targets, 1 x 2 legs
    >>> may_be_feasible(o, 12.0).tolist()
    [True, False]
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


def _legs(r_e, v_e, r_t, v_t, lat: RoundTripLattice, spec: MissionSpec, leg: str):
    """One of the arrays of :func:`prospect.scan._lattice.leg_costs`, alone: ``"out"``
    (N, n_dep, nk) or ``"return"`` (N, L, nk), from :func:`leg_costs_at`."""
    m = lat.n_dep if leg == "out" else lat.size
    a, b = (x.ravel() for x in np.indices((m, lat.legs.size)))
    dest = np.empty((r_t.shape[0], m, lat.legs.size))
    return leg_costs_at(r_e, v_e, r_t, v_t, lat, spec, (a, b), leg=leg, into=(dest, (a, b)))


def _dense(out_c, ret_c, lat: RoundTripLattice):
    """Leg costs of :func:`prospect.scan._lattice.leg_costs` as the full arrays of
    ``_outbound_costs`` and ``_return_costs``: ``O[n, i, j]`` (N, n_dep, L) and
    ``R[n, d2, a2]`` (N, L, L), inf where no leg."""
    n, nD, L = out_c.shape[0], lat.n_dep, lat.size
    i = np.arange(nD)[:, None]
    out = np.full((n, nD, L), np.inf)
    out[:, i, i + lat.legs[None, :]] = out_c
    d2 = np.arange(L)[:, None]
    a2 = d2 + lat.legs[None, :]
    ok = a2 < L
    R = np.full((n, L, L), np.inf)
    R[:, np.broadcast_to(d2, a2.shape)[ok], a2[ok]] = ret_c[:, ok]
    return out, R


def screened_search(r_e, v_e, r_t, v_t, lat, spec, stay_ks, dur_ks):
    """``lattice_search`` of N targets, plus their viable counts and class minima.

    The stages of :func:`prospect.scan._lattice.lattice_search`, run once:
    outbound leg costs of every target; for the targets :func:`may_be_feasible`
    keeps, their return leg costs (:func:`prospect.scan._lattice.leg_costs_at`),
    the least-delta-v and the shortest trip (the compiled
    :func:`prospect.core.lattice.lattice_best`, which equals the NumPy stages
    date for date; the others get what the search reports for a target without
    a feasible trip: indices -1, cost NaN); then, for the targets with a
    feasible trip, the range minima, :func:`count_viable` and
    :func:`class_minima`.  Each leg is solved once, and a return leg only for
    a kept target (on the 5-day lattice, ~60 % of a launch-year block's legs are
    return legs).

    Parameters
    ----------
    r_e, v_e : ndarray, shape (L, 3)
        Earth states at the lattice dates, km, km/s.
    r_t, v_t : ndarray, shape (N, L, 3)
        Target states, km, km/s.
    lat : RoundTripLattice
    spec : MissionSpec
    stay_ks, dur_ks : sequence of int
        Filter classes in lattice steps.

    Returns
    -------
    found : dict of ndarray, shape (N,)
        As :func:`prospect.scan._lattice.lattice_search`.
    counts : ndarray of int64, shape (N,)
    classes : ndarray, shape (N, len(stay_ks) * len(dur_ks))
    """
    from prospect.core.lattice import lattice_best

    n = r_t.shape[0]
    limit = objective_limit(spec)
    found = {}
    for kind in ("min_dv", "min_dur"):
        found[f"{kind}_cost"] = np.full(n, np.nan)
        for m in range(4):
            found[f"{kind}_i{m}"] = np.full(n, -1, dtype=np.int64)
    counts = np.zeros(n, dtype=np.int64)
    classes = np.full((n, len(stay_ks) * len(dur_ks)), np.nan)
    out_c = _legs(r_e, v_e, r_t, v_t, lat, spec, "out")
    keep = np.flatnonzero(may_be_feasible(out_c, limit))
    if not keep.size:
        return found, counts, classes
    ret_c = _legs(r_e, v_e, r_t[keep], v_t[keep], lat, spec, "return")
    idx, cost = lattice_best(out_c[keep], ret_c, lat.k_min, lat.stay_k, lat.dur_k,
                             spec.limit_km_s, shortest=True)  # fmt: skip
    for c, kind in enumerate(("min_dv", "min_dur")):
        found[f"{kind}_cost"][keep] = cost[:, c]
        for m in range(4):
            found[f"{kind}_i{m}"][keep] = idx[:, c, m]
    has = idx[:, 0, 0] >= 0
    good = keep[has]
    if good.size:
        o, R = _dense(out_c[good], ret_c[has], lat)
        M = range_min(R)[0]
        counts[good] = count_viable(o, R, M, lat, limit)
        classes[good] = class_minima(o, M, lat, stay_ks, dur_ks, limit).reshape(good.size, -1)
    return found, counts, classes
