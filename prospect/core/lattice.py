"""Best round trips on a date lattice from leg costs: the range-minimum search, fused.

With all dates on one lattice ``t_n = t_0 + n h``, ``O(i, j)`` the cost of the
outbound leg from the Earth at ``i`` to the target at ``j``, ``R(d2, a2)`` the
cost of the return leg, ``s`` the minimum stay and ``D`` the maximum duration
(steps), the best round trip through ``(i, j)`` costs

    O(i, j) + M(j + s, min(i + D, L - 1)),
    M(x, y) = min { R(d2, a2) : d2 >= x, a2 <= y },

(a two-dimensional range minimum: a suffix minimum of ``R`` along ``d2``, then
a prefix minimum along ``a2``), and the shortest trip through ``(i, j)`` within
a limit returns at the first ``y`` with ``O(i, j) + M(j + s, y) <= limit``
(``M`` does not increase with ``y``: a binary search).  This is the search of
:func:`prospect.scan._lattice.lattice_search` (which documents it and keeps a
NumPy formulation of each step); :func:`lattice_best` runs it per target in
compiled loops, one target per thread, on compact leg costs, so the ``(L, L)``
arrays of one target at a time exist, not ``(N, L, L)`` of a whole chunk, and
only the cells with an outbound leg are visited.  Ties break as the NumPy
formulation breaks them (first departure, first arrival; the first ``d2`` and
the last ``a2`` of a range minimum; the cheapest of equal durations), so the
lattice dates are the same.

Units: costs in km/s (any unit, as long as the limit has it); indices are
lattice steps.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from prospect.core.lambert import _solve_one

__all__ = ["DEPARTURE_KINDS", "lattice_best", "leg_cost_from_vinf", "leg_costs_into"]

#: Departure terms of an outbound leg's cost (:func:`leg_costs_into`): ``"burn"``
#: ``sqrt(v^2 + p) - q`` (an impulsive burn from a circular orbit, p = 2 mu / r,
#: q = sqrt(mu / r)), ``"excess"`` ``max(v - p, 0)`` (what a kick stage of excess
#: speed p leaves), ``"zero"`` (the launcher pays).
DEPARTURE_KINDS = ("burn", "excess", "zero")

#: Fields of :func:`lattice_best`'s output, in its column order.
FIELDS = ("i0", "i1", "i2", "i3")


@njit(cache=True, error_model="numpy")
def _range_min_one(ret, t, k_min, L, M, arg_s, arg_a):
    """M, first-d2 and last-a2 arg-minima of target ``t``'s return legs (in place)."""
    nk = ret.shape[2]
    inf = np.inf
    # suffix minimum along d2 of R[d2, a2] (R = ret[t, d2, a2 - d2 - k_min], inf elsewhere),
    # keeping the first d2 that reaches it; row d2 of M and arg_s from row d2 + 1
    for a2 in range(L):
        M[L - 1, a2] = inf
        arg_s[L - 1, a2] = L - 1
    for kk in range(nk):
        a2 = L - 1 + k_min + kk
        if a2 < L:
            M[L - 1, a2] = ret[t, L - 1, kk]
    for d2 in range(L - 2, -1, -1):
        for a2 in range(L):
            M[d2, a2] = M[d2 + 1, a2]
            arg_s[d2, a2] = arg_s[d2 + 1, a2]
        # R[d2, a2] is inf off the legs, and inf <= M keeps the first d2 as the arg-min
        for a2 in range(min(d2 + k_min, L)):
            if M[d2, a2] == inf:
                arg_s[d2, a2] = d2
        for kk in range(nk):
            a2 = d2 + k_min + kk
            if a2 >= L:
                break
            r = ret[t, d2, kk]
            if r <= M[d2, a2]:
                M[d2, a2] = r
                arg_s[d2, a2] = d2
        for a2 in range(d2 + k_min + nk, L):
            if M[d2, a2] == inf:
                arg_s[d2, a2] = d2
    # prefix minimum along a2, keeping the last a2 that reaches it
    for x in range(L):
        run = M[x, 0]
        arg = 0
        arg_a[x, 0] = 0
        for a2 in range(1, L):
            s = M[x, a2]
            if s <= run:
                run = s
                arg = a2
            M[x, a2] = run
            arg_a[x, a2] = arg


@njit(cache=True, error_model="numpy")
def _best_one(out, ret, t, k_min, stay_k, dur_k, limit, shortest, res, cost):
    n_dep, nk = out.shape[1], out.shape[2]
    L = ret.shape[1]
    M = np.empty((L, L))
    arg_s = np.empty((L, L), dtype=np.int32)
    arg_a = np.empty((L, L), dtype=np.int32)
    _range_min_one(ret, t, k_min, L, M, arg_s, arg_a)
    inf = np.inf
    # least cost: first (i, j) in row-major order of the smallest O(i, j) + M(j + s, y_i)
    best = inf
    bi = -1
    bj = -1
    for i in range(n_dep):
        y = min(i + dur_k, L - 1)
        for kk in range(nk):
            j = i + k_min + kk
            if j + stay_k >= L:
                break
            o = out[t, i, kk]
            if o == inf:
                continue
            tot = o + M[j + stay_k, y]
            if tot < best:
                best = tot
                bi = i
                bj = j
    cost[t, 2] = best
    if bi >= 0 and best <= limit * (1.0 + 1e-12) and math.isfinite(best):
        x = bj + stay_k
        y = min(bi + dur_k, L - 1)
        res[t, 0, 0] = bi
        res[t, 0, 1] = bj
        res[t, 0, 2] = arg_s[x, arg_a[x, y]]
        res[t, 0, 3] = arg_a[x, y]
        cost[t, 0] = best
    if not shortest:
        return
    # shortest within the limit: the first y with O + M(x, y) <= limit, cheapest of equal length
    best_key = inf
    for i in range(n_dep):
        hi0 = min(i + dur_k, L - 1)
        for kk in range(nk):
            j = i + k_min + kk
            x = j + stay_k
            if x >= L:
                break
            o = out[t, i, kk]
            if o == inf:
                continue
            thr = limit - o
            lo = min(x + k_min, L - 1)
            hi = hi0
            if lo > hi:
                continue
            m = M[x, hi]
            if not (math.isfinite(m) and m <= thr):
                continue
            while lo < hi:
                mid = (lo + hi) // 2
                m = M[x, mid]
                if math.isfinite(m) and m <= thr:
                    hi = mid
                else:
                    lo = mid + 1
            tot = o + M[x, hi]
            key = float(hi - i) * 1e6 + tot
            if key < best_key:
                best_key = key
                res[t, 1, 0] = i
                res[t, 1, 1] = j
                res[t, 1, 2] = arg_s[x, arg_a[x, hi]]
                res[t, 1, 3] = arg_a[x, hi]
                cost[t, 1] = tot


@njit(parallel=True, cache=True, error_model="numpy")
def _best_all(out, ret, k_min, stay_k, dur_k, limit, shortest, res, cost):
    for t in prange(out.shape[0]):
        _best_one(out, ret, t, k_min, stay_k, dur_k, limit, shortest, res, cost)


def lattice_best(out_cost, ret_cost, k_min, stay_k, dur_k, limit=None, *, shortest=True):
    """Least-cost and shortest round trip of each target from its leg costs.

    Parameters
    ----------
    out_cost : array_like, shape (N, n_dep, nk)
        Outbound leg costs: Earth at date ``i`` to the target at ``i + k_min +
        kk`` (``inf`` where no leg or not allowed).
    ret_cost : array_like, shape (N, L, nk)
        Return leg costs: the target at ``d2`` to the Earth at ``d2 + k_min +
        kk`` (``inf`` where no leg, including ``d2 + k_min + kk >= L``); ``L``
        is the lattice size, ``n_dep + dur_k``.
    k_min, stay_k, dur_k : int
        Shortest leg, shortest stay, longest trip, lattice steps.
    limit : float, optional
        Largest allowed total (same unit as the costs); None: any finite one.
    shortest : bool
        Also find the shortest trip within the limit (else its fields stay
        -1 / NaN).

    Returns
    -------
    index : ndarray of int64, shape (N, 2, 4)
        Lattice dates (Earth departure, target arrival, target departure,
        Earth return) of the least-cost trip ``[:, 0]`` and the shortest trip
        ``[:, 1]``; -1 where none is within the limit.
    cost : ndarray, shape (N, 3)
        Their totals (NaN where none), then the least total whatever the
        limit (``inf`` where the lattice has no round trip).

    Examples
    --------
    >>> out = np.full((1, 1, 2), np.inf); out[0, 0, 0] = 1.0   # Earth 0 -> target 1
    >>> ret = np.full((1, 4, 2), np.inf); ret[0, 2, 0] = 2.0   # target 2 -> Earth 3
    >>> idx, cost = lattice_best(out, ret, 1, 1, 3, 5.0)
    >>> idx[0, 0].tolist(), cost[0].tolist()
    ([0, 1, 2, 3], [3.0, 3.0, 3.0])
    """
    out = np.ascontiguousarray(out_cost, dtype=np.float64)
    ret = np.ascontiguousarray(ret_cost, dtype=np.float64)
    if out.ndim != 3 or ret.ndim != 3 or ret.shape[0] != out.shape[0]:
        raise ValueError(f"out_cost (N, n_dep, nk) and ret_cost (N, L, nk), got {out.shape}, "
                         f"{ret.shape}")  # fmt: skip
    if ret.shape[2] != out.shape[2] or ret.shape[1] != out.shape[1] + int(dur_k):
        raise ValueError(f"ret_cost must be (N, n_dep + dur_k, nk), got {ret.shape}")
    n = out.shape[0]
    res = np.full((n, 2, 4), -1, dtype=np.int64)
    cost = np.full((n, 3), np.nan)
    cost[:, 2] = np.inf
    lim = np.inf if limit is None else float(limit)
    if n:
        _best_all(out, ret, int(k_min), int(stay_k), int(dur_k), lim, bool(shortest), res, cost)
    return res, cost


@njit(cache=True, error_model="numpy")
def _leg_cost(vd, va, out_leg, kind, p, q, max_c3, p_entry, q_entry):
    """Cost of one leg from its departure and arrival v-infinities (inf: none or not allowed)."""
    if not (vd == vd and va == va):
        return np.inf
    if out_leg:
        if kind == 0:
            dep = math.sqrt(vd * vd + p) - q
        elif kind == 1:
            dep = vd - p if vd > p else 0.0
        else:
            dep = 0.0
        cost = dep + va
        if vd * vd > max_c3:
            return np.inf
    else:
        burn = math.sqrt(va * va + p_entry) - q_entry
        cost = vd + (burn if burn > 0.0 else 0.0)
    return cost if math.isfinite(cost) else np.inf


@njit(cache=True, error_model="numpy")
def _legs_one(t, mu, r1, v1, r2, v2, i1, i2, tof, at_a, at_b, dest, params):
    t1 = np.int64(t) if r1.shape[0] > 1 else np.int64(0)
    t2 = np.int64(t) if r2.shape[0] > 1 else np.int64(0)
    out_leg = params[0] > 0.5
    kind = int(params[1])
    for c in range(i1.size):
        a = i1[c]
        b = i2[c]
        x1, y1, z1, x2, y2, z2, _ = _solve_one(
            mu, r1[t1, a, 0], r1[t1, a, 1], r1[t1, a, 2],
            r2[t2, b, 0], r2[t2, b, 1], r2[t2, b, 2], tof[c], 0, True, True,
        )  # fmt: skip
        dx = x1 - v1[t1, a, 0]
        dy = y1 - v1[t1, a, 1]
        dz = z1 - v1[t1, a, 2]
        ex = x2 - v2[t2, b, 0]
        ey = y2 - v2[t2, b, 1]
        ez = z2 - v2[t2, b, 2]
        vd = math.sqrt(dx * dx + dy * dy + dz * dz)
        va = math.sqrt(ex * ex + ey * ey + ez * ez)
        dest[t, at_a[c], at_b[c]] = _leg_cost(
            vd, va, out_leg, kind, params[2], params[3], params[4], params[5], params[6]
        )


@njit(parallel=True, cache=True, error_model="numpy")
def _legs_into(mu, r1, v1, r2, v2, i1, i2, tof, at_a, at_b, dest, params):
    for t in prange(dest.shape[0]):
        _legs_one(t, mu, r1, v1, r2, v2, i1, i2, tof, at_a, at_b, dest, params)


def leg_costs_into(dest, at, mu_km3_s2, r1, v1, r2, v2, i1, i2, tof_s, *, leg, departure=None,
                   max_c3_km2_s2=None, entry=None):  # fmt: skip
    """Costs of listed Lambert legs of many targets, written into ``dest`` (in place).

    Leg ``c`` of target ``t`` is the zero-revolution prograde arc (Izzo 2015,
    :mod:`prospect.core.lambert`) from body 1 at date index ``i1[c]`` to body
    2 at ``i2[c]`` in ``tof_s[c]``, as :func:`prospect.core.transfer.leg_vinf`
    solves it; its cost goes to ``dest[t, at[0][c], at[1][c]]``, km/s:

    * ``leg="out"``: the departure term of ``v_dep`` (``departure = (kind, p,
      q)``, a kind of :data:`DEPARTURE_KINDS`) plus ``v_arr``; ``inf`` where
      ``v_dep^2 > max_c3_km2_s2``;
    * ``leg="return"``: ``v_dep`` plus the entry burn ``max(0, sqrt(v_arr^2 +
      p) - q)`` with ``entry = (p, q)`` (``p = 2 mu_E / r_entry``, ``q`` the
      allowed entry speed; None: no burn),

    ``v_dep, v_arr`` the v-infinities relative to the bodies; ``inf`` where
    the arc has none.

    Parameters
    ----------
    dest : ndarray, shape (n_t, A, B), float64, C-contiguous
        Written at the listed positions only.
    at : tuple of two int arrays, shape (n_c,)
    mu_km3_s2 : float
    r1, v1, r2, v2 : ndarray, shape (1 or n_t, m, 3)
        Body states at their dates, km, km/s (either body shared by all
        targets with a leading axis of 1).
    i1, i2 : array_like of int, shape (n_c,)
    tof_s : array_like, shape (n_c,)

    Examples
    --------
    >>> au, mu = 149597870.7, 1.32712440018e11
    >>> vc = np.sqrt(mu / au)
    >>> r = np.array([[[au, 0, 0], [0, au, 0]]]); v = np.array([[[0, vc, 0], [-vc, 0, 0]]])
    >>> dest = np.full((1, 1, 1), np.nan)
    >>> _ = leg_costs_into(dest, ([0], [0]), mu, r, v, 1.2 * r, v / np.sqrt(1.2), [0], [1],
    ...                    [120 * 86400.0], leg="out", departure=("zero", 0.0, 0.0))
    >>> bool(np.isfinite(dest).all())
    True
    """
    arrs = [np.ascontiguousarray(x, dtype=np.float64) for x in (r1, v1, r2, v2)]
    i1 = np.ascontiguousarray(i1, dtype=np.int64)
    i2 = np.ascontiguousarray(i2, dtype=np.int64)
    tof = np.ascontiguousarray(tof_s, dtype=np.float64)
    at_a = np.ascontiguousarray(at[0], dtype=np.int64)
    at_b = np.ascontiguousarray(at[1], dtype=np.int64)
    if not (dest.flags.c_contiguous and dest.dtype == np.float64 and dest.ndim == 3):
        raise ValueError("dest must be a C-contiguous float64 array (n_t, A, B)")
    if not (i2.shape == i1.shape == tof.shape == at_a.shape == at_b.shape and i1.ndim == 1):
        raise ValueError("i1, i2, tof_s and at must be 1-D of one length")
    params = _params(leg, departure, max_c3_km2_s2, entry)
    if dest.shape[0] and i1.size:
        _legs_into(float(mu_km3_s2), *arrs, i1, i2, tof, at_a, at_b, dest, params)
    return dest


def _params(leg, departure, max_c3_km2_s2, entry) -> np.ndarray:
    """The cost parameters of :func:`_legs_into` (see :func:`leg_costs_into`)."""
    if leg == "out":
        kind, p, q = departure
        c3 = np.inf if max_c3_km2_s2 is None else max_c3_km2_s2
        params = (1.0, float(DEPARTURE_KINDS.index(kind)), p, q, c3, 0.0, 0.0)
    elif leg == "return":
        p_e, q_e = (0.0, np.inf) if entry is None else entry
        params = (0.0, 0.0, 0.0, 0.0, np.inf, p_e, q_e)
    else:
        raise ValueError(f"leg must be 'out' or 'return', got {leg!r}")
    return np.array(params, dtype=np.float64)


@njit(cache=True, error_model="numpy")
def _costs_of(vd, va, params, out):
    for c in range(vd.size):
        out[c] = _leg_cost(vd[c], va[c], params[0] > 0.5, int(params[1]), params[2], params[3],
                           params[4], params[5], params[6])  # fmt: skip


def leg_cost_from_vinf(vinf_dep_km_s, vinf_arr_km_s, *, leg, departure=None, max_c3_km2_s2=None,
                       entry=None) -> np.ndarray:  # fmt: skip
    """The cost :func:`leg_costs_into` gives a leg of these v-infinities, km/s.

    Examples
    --------
    >>> leg_cost_from_vinf([1.0, 3.0], [2.0, 2.0], leg="out", departure=("excess", 2.0, 0.0))
    array([2., 3.])
    """
    vd = np.ascontiguousarray(vinf_dep_km_s, dtype=np.float64).ravel()
    va = np.ascontiguousarray(vinf_arr_km_s, dtype=np.float64).ravel()
    out = np.empty(vd.size)
    _costs_of(vd, va, _params(leg, departure, max_c3_km2_s2, entry), out)
    return out
