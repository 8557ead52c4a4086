"""Coarse-to-fine minimum of a departure x time-of-flight transfer grid.

:func:`transfer_search` returns what :func:`prospect.core.transfer.transfer_min`
returns (each target's best allowed cell, its values and the number of
departures with a cell under the limit) while solving the whole fine grid
only for the targets that can still be feasible:

1. The *coarse* grid: the fine rows ``dep_every`` apart and columns
   ``tof_every`` apart, plus the last of each (a subset of the fine grid).
   Its allowed minimum ``C`` bounds the fine minimum from above, ``F <= C``.
2. A *margin* table ``M(L)`` measured by the caller on a catalog: for every
   target whose fine minimum is ``F <= L``, ``C - F <= M(L)``.  A target
   with ``C > limit + M(limit)`` therefore has ``F > limit``: nothing on its
   fine grid is under the limit.  It is reported with its coarse best cell
   and ``n_ok = 0`` without solving the fine grid.
3. Every other target is solved on the whole fine grid, in the order of
   :func:`~prospect.core.transfer.transfer_min` (ties: first in
   departure-major order), so its best cell, values and ``n_ok`` are those
   of the fine grid.

Without a limit or without a margin table nothing is pruned.  Lambert arcs:
Izzo (2015) via :func:`prospect.core.transfer._cell`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from prospect.core.transfer import (
    OBJECTIVE_KINDS,
    _cell,
    _index,
    _min_into,
    _positive,
    _revs,
    _vec,
    transfer_min,
)

__all__ = ["leg_vinf", "transfer_search"]


@njit(cache=True, error_model="numpy")
def _objective(kind, op, oq, vd, da, tot):
    if kind == 0:
        return tot
    if kind == 1:
        return 0.0 + da
    if kind == 2:
        return max(vd - op, 0.0) + da
    return (math.sqrt(vd * vd + op) - oq) + da


@njit(cache=True, error_model="numpy")
def _margin_at(levels, margins, s):
    for k in range(levels.size):
        if s <= levels[k]:
            return margins[k]
    return np.inf


@njit(cache=True, error_model="numpy")
def _search_one(
    t, mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, tof_ok, revs, rend, p, q,
    kind, op, oq, max_c3, limit, ci, cj, levels, margins,
    best_idx, vals, n_ok, n_solved,
):  # fmt: skip
    # One target: the coarse pass, then (unless pruned) the whole fine grid.
    c_best = np.inf
    cbi = -1
    cbj = -1
    cv = np.full(5, np.nan)
    for a in range(ci.size):
        i = ci[a]
        for b in range(cj.size):
            j = cj[b]
            if not tof_ok[j]:
                continue
            u = arr_index[i, j]
            vd, va, dd, da, tot, _s, _m = _cell(
                mu, r_dep[i], v_dep[i], r_arr_u[t, u], v_arr_u[t, u], tof[j], revs, rend, p, q
            )
            obj = _objective(kind, op, oq, vd, da, tot)
            if math.isfinite(obj) and vd * vd <= max_c3 and obj < c_best:
                c_best = obj
                cbi = i
                cbj = j
                cv[0] = vd
                cv[1] = va
                cv[2] = dd
                cv[3] = da
                cv[4] = tot
    n_solved[t] = ci.size * cj.size
    if c_best > limit + _margin_at(levels, margins, limit):
        best_idx[t, 0] = cbi
        best_idx[t, 1] = cbj
        vals[t, 0] = cv[0] * cv[0]
        vals[t, 1] = cv[0]
        vals[t, 2] = cv[1]
        vals[t, 3] = cv[2]
        vals[t, 4] = cv[3]
        vals[t, 5] = cv[4]
        vals[t, 6] = c_best
        n_ok[t] = 0
        return
    _min_into(
        t, mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, tof_ok, revs, rend, p, q,
        kind, op, oq, max_c3, limit, best_idx, vals, n_ok,
    )  # fmt: skip
    n_solved[t] += arr_index.shape[0] * arr_index.shape[1]


@njit(parallel=True, cache=True, error_model="numpy")
def _search_all(
    mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, tof_ok, revs, rend, p, q,
    kind, op, oq, max_c3, limit, ci, cj, levels, margins,
    best_idx, vals, n_ok, n_solved,
):  # fmt: skip
    for t in prange(r_arr_u.shape[0]):
        _search_one(
            t, mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, tof_ok, revs, rend, p, q,
            kind, op, oq, max_c3, limit, ci, cj, levels, margins,
            best_idx, vals, n_ok, n_solved,
        )  # fmt: skip


def _coarse_index(n: int, every: int) -> np.ndarray:
    """Every ``every``-th index of ``0..n-1``, with ``n - 1`` always included."""
    idx = np.arange(0, n, max(int(every), 1), dtype=np.int64)
    if n and idx[-1] != n - 1:
        idx = np.append(idx, n - 1)
    return idx


def transfer_search(
    mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof_s, *, revs=0, mu_park, r_park,
    rendezvous=True, objective=("total", 0.0, 0.0), tof_ok=None, max_c3=None, limit=None,
    dep_every=4, tof_every=2, margin_levels_km_s=(), margins_km_s=(),
):  # fmt: skip
    """Best cell of each target's grid by a coarse-to-fine search (see the module notes).

    Parameters
    ----------
    mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof_s, revs, mu_park, r_park
        As :func:`prospect.core.transfer.transfer_min`.
    rendezvous, objective, tof_ok, max_c3, limit
        As :func:`prospect.core.transfer.transfer_min`.
    dep_every, tof_every : int
        Coarse grid: every ``dep_every``-th departure and ``tof_every``-th
        flight time of the fine grid (plus the last of each).
    margin_levels_km_s, margins_km_s : array_like, shape (n_levels,)
        Measured margin table: ``C - F <= margins_km_s[k]`` for targets whose
        fine minimum ``F`` of the objective is ``<= margin_levels_km_s[k]``
        (increasing levels; above the last one the margin is infinite: no
        pruning).  An empty table solves the whole fine grid.

    Returns
    -------
    best_index, values, n_ok
        As :func:`prospect.core.transfer.transfer_min`.
    n_solved : ndarray of int64, shape (n_t,)
        Cells solved per target (each multi-revolution branch counts once).

    Raises
    ------
    ValueError
        As :func:`prospect.core.transfer.transfer_min`; a margin table whose
        arrays differ in shape or are not increasing.

    Examples
    --------
    >>> import numpy as np
    >>> au, mu = 149597870.7, 1.32712440018e11
    >>> vc = np.sqrt(mu / au)
    >>> th = np.radians([100.0, 190.0, 280.0])
    >>> r_arr = 1.5 * au * np.stack([np.cos(th), np.sin(th), 0 * th], axis=1)
    >>> v_arr = np.sqrt(mu / (1.5 * au)) * np.stack(
    ...     [-np.sin(th), np.cos(th), 0 * th], axis=1)
    >>> idx, val, n_ok, n = transfer_search(
    ...     mu, [[au, 0, 0], [0, au, 0]], [[0, vc, 0], [-vc, 0, 0]],
    ...     r_arr[None], v_arr[None], [[0, 1], [1, 2]],
    ...     np.array([150.0, 200.0]) * 86400.0, mu_park=398600.4418, r_park=6778.137)
    >>> idx.shape, val.shape, n_ok.tolist()
    ((1, 2), (1, 7), [2])
    """
    mu = _positive(mu, "mu")
    mu_park = _positive(mu_park, "mu_park")
    r_park = _positive(r_park, "r_park")
    revs = _revs(revs)
    kind_name, op, oq = objective
    if kind_name not in OBJECTIVE_KINDS:
        raise ValueError(
            f"objective kind must be one of {list(OBJECTIVE_KINDS)}, got {kind_name!r}"
        )
    r_dep = _vec(r_dep, "r_dep")
    n_dep = r_dep.shape[0]
    v_dep = _vec(v_dep, "v_dep", n_dep)
    r_arr_u = np.ascontiguousarray(r_arr_u, dtype=np.float64)
    v_arr_u = np.ascontiguousarray(v_arr_u, dtype=np.float64)
    if r_arr_u.ndim != 3 or r_arr_u.shape[2] != 3 or v_arr_u.shape != r_arr_u.shape:
        raise ValueError(
            f"r_arr_u and v_arr_u must have one shape (n_t, n_u, 3), got {r_arr_u.shape}, "
            f"{v_arr_u.shape}"
        )
    n_t, n_u = r_arr_u.shape[:2]
    idx = _index(arr_index, n_dep, n_u)
    n_tof = idx.shape[1]
    tof = np.ascontiguousarray(tof_s, dtype=np.float64)
    if tof.shape != (n_tof,):
        raise ValueError(f"tof_s must have shape ({n_tof},), got {tof.shape}")
    ok = np.ones(n_tof, dtype=np.bool_) if tof_ok is None else np.asarray(tof_ok, dtype=np.bool_)
    if ok.shape != (n_tof,):
        raise ValueError(f"tof_ok must have shape ({n_tof},), got {ok.shape}")
    levels = np.ascontiguousarray(margin_levels_km_s, dtype=np.float64)
    margins = np.ascontiguousarray(margins_km_s, dtype=np.float64)
    if levels.shape != margins.shape or levels.ndim != 1 or np.any(np.diff(levels) <= 0):
        raise ValueError("margin_levels_km_s and margins_km_s must be 1-D, one shape, increasing")
    if levels.size == 0:  # no measured margin: the whole fine grid
        best, values, n_ok = transfer_min(
            mu, r_dep, v_dep, r_arr_u, v_arr_u, idx, tof, revs=revs, mu_park=mu_park,
            r_park=r_park, rendezvous=rendezvous, objective=objective, tof_ok=ok,
            max_c3=max_c3, limit=limit,
        )  # fmt: skip
        return best, values, n_ok, np.full(n_t, n_dep * int(ok.sum()), dtype=np.int64)
    best_idx = np.full((n_t, 2), -1, dtype=np.int64)
    vals = np.full((n_t, 7), np.nan)
    vals[:, 6] = np.inf
    n_ok = np.zeros(n_t, dtype=np.int64)
    n_solved = np.zeros(n_t, dtype=np.int64)
    if n_t and idx.size:
        p = 2.0 * mu_park / r_park
        q = math.sqrt(mu_park / r_park)
        c3 = np.inf if max_c3 is None else float(max_c3)
        lim = np.inf if limit is None else float(limit)
        kind = OBJECTIVE_KINDS[kind_name]
        ci = _coarse_index(n_dep, dep_every)
        cj = _coarse_index(n_tof, tof_every)
        _search_all(
            mu, r_dep, v_dep, r_arr_u, v_arr_u, idx, tof, ok, revs, bool(rendezvous), p, q,
            kind, float(op), float(oq), c3, lim, ci, cj, levels, margins,
            best_idx, vals, n_ok, n_solved,
        )  # fmt: skip
    return best_idx, vals, n_ok, n_solved


@njit(cache=True, error_model="numpy")
def _legs_one(t, mu, r1, v1, r2, v2, i1, i2, tof, vd_out, va_out):
    t1 = np.int64(t) if r1.shape[0] > 1 else np.int64(0)
    t2 = np.int64(t) if r2.shape[0] > 1 else np.int64(0)
    for c in range(i1.size):
        a = i1[c]
        b = i2[c]
        vd, va, _dd, _da, _tot, _s, _m = _cell(
            mu, r1[t1, a], v1[t1, a], r2[t2, b], v2[t2, b], tof[c], 0, True, 0.0, 0.0
        )
        vd_out[t, c] = vd
        va_out[t, c] = va


@njit(parallel=True, cache=True, error_model="numpy")
def _legs_all(mu, r1, v1, r2, v2, i1, i2, tof, vd_out, va_out):
    for t in prange(vd_out.shape[0]):
        _legs_one(t, mu, r1, v1, r2, v2, i1, i2, tof, vd_out, va_out)


def leg_vinf(mu, r1, v1, r2, v2, i1, i2, tof_s):
    """Departure and arrival v-infinities of listed legs of many targets.

    Leg ``c`` of target ``t`` is the zero-revolution prograde Lambert arc
    (Izzo 2015) from body 1 at date index ``i1[c]`` to body 2 at ``i2[c]``
    in ``tof_s[c]``; either body is shared by all targets (leading axis 1,
    e.g. the Earth) or given per target (leading axis ``n_t``).

    Parameters
    ----------
    mu : float
        Gravitational parameter of the Sun, km^3/s^2.
    r1, v1 : array_like, shape (1 or n_t, m1, 3)
        States of body 1 at its dates, km, km/s.
    r2, v2 : array_like, shape (1 or n_t, m2, 3)
        States of body 2, km, km/s.
    i1, i2 : array_like of int, shape (n_c,)
        Date indices of each leg's two ends.
    tof_s : array_like, shape (n_c,)
        Flight time of each leg, s.

    Returns
    -------
    vinf_dep, vinf_arr : ndarray, shape (n_t, n_c)
        ``|v1 - v_body1|`` and ``|v2 - v_body2|``, km/s; NaN where no arc.

    Raises
    ------
    ValueError
        Shapes that do not match, indices out of range.

    Examples
    --------
    >>> import numpy as np
    >>> au, mu = 149597870.7, 1.32712440018e11
    >>> vc = np.sqrt(mu / au)
    >>> earth_r = np.array([[[au, 0, 0], [0, au, 0]]])
    >>> earth_v = np.array([[[0, vc, 0], [-vc, 0, 0]]])
    >>> vd, va = leg_vinf(mu, earth_r, earth_v, 1.2 * earth_r, earth_v / np.sqrt(1.2),
    ...                   [0], [1], [120 * 86400.0])
    >>> vd.shape, bool(np.isfinite(vd).all())
    ((1, 1), True)
    """
    mu = _positive(mu, "mu")
    arrs = [np.ascontiguousarray(x, dtype=np.float64) for x in (r1, v1, r2, v2)]
    for name, a in zip(("r1", "v1", "r2", "v2"), arrs, strict=True):
        if a.ndim != 3 or a.shape[2] != 3:
            raise ValueError(f"{name} must have shape (1 or n_t, m, 3), got {a.shape}")
    r1, v1, r2, v2 = arrs
    if v1.shape != r1.shape or v2.shape != r2.shape:
        raise ValueError("positions and velocities must have one shape per body")
    n_t = max(r1.shape[0], r2.shape[0])
    if r1.shape[0] not in (1, n_t) or r2.shape[0] not in (1, n_t):
        raise ValueError(f"leading axes {r1.shape[0]} and {r2.shape[0]} do not broadcast")
    i1 = np.ascontiguousarray(i1, dtype=np.int64)
    i2 = np.ascontiguousarray(i2, dtype=np.int64)
    tof = np.ascontiguousarray(tof_s, dtype=np.float64)
    if i1.ndim != 1 or i2.shape != i1.shape or tof.shape != i1.shape:
        raise ValueError("i1, i2 and tof_s must be 1-D of one length")
    if i1.size and (
        i1.min() < 0 or i1.max() >= r1.shape[1] or i2.min() < 0 or i2.max() >= r2.shape[1]
    ):
        raise ValueError("leg date index out of range")
    vd = np.empty((n_t, i1.size))
    va = np.empty((n_t, i1.size))
    if n_t and i1.size:
        _legs_all(mu, r1, v1, r2, v2, i1, i2, tof, vd, va)
    return vd, va
