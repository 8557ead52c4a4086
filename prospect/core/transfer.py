"""Fused Lambert-transfer kernels: arcs, v-infinities and burns per grid cell.

For every cell ``(i, j)`` of a departure x time-of-flight grid the kernels
solve the ballistic Lambert arc (Izzo 2015, the per-problem solver of
:mod:`prospect.core.lambert`) from ``r_dep[i]`` to ``r_arr_u[arr_index[i, j]]``
in ``tof_s[j]`` (or ``tof_s[i, j]``) and, in registers, form

* ``vinf_dep = |v1 - v_dep[i]|``, ``c3 = vinf_dep**2``;
* ``dv_dep = sqrt(vinf_dep**2 + 2 mu_park / r_park) - sqrt(mu_park / r_park)``,
  the periapsis burn from a circular parking orbit (Curtis, *Orbital Mechanics
  for Engineering Students*, 3rd ed., 2014, section 8.6; the formula of
  :func:`prospect.core.deltav.burn_from_circular`);
* ``vinf_arr = |v2 - v_arr_u[arr_index[i, j]]|``, paid as ``dv_arr`` by a
  rendezvous, 0 for a flyby;
* ``dv_total = dv_dep + dv_arr``.

With ``revs >= 1`` every ``1..revs``-revolution arc is solved on both
branches and the cell keeps the candidate of least ``dv_total`` (ties keep
the earlier: zero revolutions first, then low path before high path).  Only
scalars per cell are written, so the ``(n_dep, n_tof, 3)`` position and
velocity arrays of a NumPy formulation never exist; :func:`transfer_min`
does not even keep the grid, it reduces each target to its best cell.
:func:`leg_vinf` solves listed legs (date pairs) of many targets, for the
round-trip legs of :mod:`prospect.scan.search`.

Bad cells never raise: NaN values and the Lambert status code
(:data:`TRANSFER_STATUS`, the codes of
:data:`prospect.core.lambert.LAMBERT_STATUS`) of the zero-revolution arc.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit, prange

from prospect.core.lambert import LAMBERT_STATUS, _solve_one

__all__ = [
    "OBJECTIVE_KINDS",
    "TRANSFER_STATUS",
    "TransferGrid",
    "TransferMin",
    "leg_vinf",
    "transfer_grid",
    "transfer_min",
]

#: Status codes of the kernels (int8 per cell; 0 = ok): the Lambert codes of
#: the zero-revolution arc, 0 wherever a multi-revolution arc was kept (the same
#: view of :data:`prospect.core.status.STATUS` as :data:`LAMBERT_STATUS`).
TRANSFER_STATUS = LAMBERT_STATUS


class TransferGrid(NamedTuple):
    """Every cell of a departure x time-of-flight grid (:func:`transfer_grid`).

    Each field has shape ``(n_dep, n_tof)``; speeds in km/s, C3 in km^2/s^2, NaN
    where no arc.
    """

    c3: np.ndarray
    vinf_dep: np.ndarray
    vinf_arr: np.ndarray
    dv_dep: np.ndarray
    dv_arr: np.ndarray
    dv_total: np.ndarray
    status: np.ndarray  # int8, TRANSFER_STATUS
    revs_used: np.ndarray  # int8, complete revolutions of the kept arc


class TransferMin(NamedTuple):
    """Best cell of each target (:func:`transfer_min`)."""

    best_index: np.ndarray  # int64, shape (n_t, 2): (departure row, tof column), -1 if none
    values: np.ndarray  # shape (n_t, 7)
    n_ok: np.ndarray  # int64, shape (n_t,)


#: Objective of :func:`transfer_min` (``objective=(kind, p, q)``), plus
#: ``dv_arr`` in every kind except ``"total"``:
#: ``"total"``: ``dv_total``; ``"zero"``: ``0`` (departure paid by the
#: launcher); ``"excess"``: ``max(vinf_dep - p, 0)`` (a stage supplies
#: ``v_inf = p`` free); ``"burn"``: ``sqrt(vinf_dep**2 + p) - q`` (periapsis
#: burn from an orbit with ``p = 2 mu / r_p`` and periapsis speed ``q``).
OBJECTIVE_KINDS = {"total": 0, "zero": 1, "excess": 2, "burn": 3}

# Below this many cells the kernels run on one thread (a parallel launch costs
# 0.1-1 ms on a busy machine; one solve ~0.3 us), as in prospect.core.lambert.
_PARALLEL_MIN = 2048


@njit(cache=True, error_model="numpy")
def _cell(mu, rd, vd, ra, va, tof, revs, rendezvous, p_park, q_park):
    """One cell: (vinf_dep, vinf_arr, dv_dep, dv_arr, dv_total, status, revs_used)."""
    nan = np.nan
    best_vd = nan
    best_va = nan
    best_dd = nan
    best_da = nan
    best_tot = nan
    status = 0
    used = 0
    for m in range(revs + 1):
        for branch in range(2 if m > 0 else 1):
            v1x, v1y, v1z, v2x, v2y, v2z, st = _solve_one(
                mu, rd[0], rd[1], rd[2], ra[0], ra[1], ra[2], tof, m, True, branch == 0
            )
            dx = v1x - vd[0]
            dy = v1y - vd[1]
            dz = v1z - vd[2]
            vinf_d = math.sqrt(dx * dx + dy * dy + dz * dz)
            ax = v2x - va[0]
            ay = v2y - va[1]
            az = v2z - va[2]
            vinf_a = math.sqrt(ax * ax + ay * ay + az * az)
            dv_d = math.sqrt(vinf_d * vinf_d + p_park) - q_park
            if rendezvous:
                dv_a = vinf_a
            elif vinf_a != vinf_a:
                dv_a = nan
            else:
                dv_a = 0.0
            tot = dv_d + dv_a
            if m == 0:
                best_vd, best_va, best_dd, best_da, best_tot = vinf_d, vinf_a, dv_d, dv_a, tot
                status = st
            elif math.isfinite(tot) and not (best_tot <= tot):
                best_vd, best_va, best_dd, best_da, best_tot = vinf_d, vinf_a, dv_d, dv_a, tot
                status = 0
                used = m
    return best_vd, best_va, best_dd, best_da, best_tot, status, used


@njit(cache=True, error_model="numpy")
def _grid_into(
    k, mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, revs, rendezvous, p, q, out, st, rv
):
    n_tof = arr_index.shape[1]
    i = k // n_tof
    j = k - i * n_tof
    u = arr_index[i, j]
    vd, va, dd, da, tot, s, m = _cell(
        mu, r_dep[i], v_dep[i], r_arr_u[u], v_arr_u[u], tof[i, j], revs, rendezvous, p, q
    )
    out[0, i, j] = vd * vd
    out[1, i, j] = vd
    out[2, i, j] = va
    out[3, i, j] = dd
    out[4, i, j] = da
    out[5, i, j] = tot
    st[i, j] = s
    rv[i, j] = m


@njit(parallel=True, cache=True, error_model="numpy")
def _grid_parallel(
    mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, revs, rend, p, q, out, st, rv
):
    for k in prange(arr_index.shape[0] * arr_index.shape[1]):
        _grid_into(
            k, mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, revs, rend, p, q, out, st, rv
        )


@njit(cache=True, error_model="numpy")
def _grid_serial(mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, revs, rend, p, q, out, st, rv):
    for k in range(arr_index.shape[0] * arr_index.shape[1]):
        _grid_into(
            k, mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, revs, rend, p, q, out, st, rv
        )


@njit(cache=True, error_model="numpy")
def _min_into(
    t, mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, tof_ok, revs, rend, p, q,
    kind, op, oq, max_c3, limit, best_idx, vals, n_ok,
):  # fmt: skip
    n_dep, n_tof = arr_index.shape
    best = np.inf
    bi = -1
    bj = -1
    b_vd = b_va = b_dd = b_da = b_tot = np.nan
    count = 0
    for i in range(n_dep):
        any_ok = False
        for j in range(n_tof):
            if not tof_ok[j]:
                continue
            u = arr_index[i, j]
            vd, va, dd, da, tot, _s, _m = _cell(
                mu, r_dep[i], v_dep[i], r_arr_u[t, u], v_arr_u[t, u], tof[j], revs, rend, p, q
            )
            if kind == 0:
                obj = tot
            elif kind == 1:
                obj = 0.0 + da
            elif kind == 2:
                obj = max(vd - op, 0.0) + da
            else:
                obj = (math.sqrt(vd * vd + op) - oq) + da
            if not (math.isfinite(obj) and vd * vd <= max_c3):
                continue
            if obj <= limit:
                any_ok = True
            if obj < best:
                best = obj
                bi = i
                bj = j
                b_vd, b_va, b_dd, b_da, b_tot = vd, va, dd, da, tot
        if any_ok:
            count += 1
    best_idx[t, 0] = bi
    best_idx[t, 1] = bj
    vals[t, 0] = b_vd * b_vd
    vals[t, 1] = b_vd
    vals[t, 2] = b_va
    vals[t, 3] = b_dd
    vals[t, 4] = b_da
    vals[t, 5] = b_tot
    vals[t, 6] = best
    n_ok[t] = count


@njit(parallel=True, cache=True, error_model="numpy")
def _min_parallel(
    mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, tof_ok, revs, rend, p, q,
    kind, op, oq, max_c3, limit, best_idx, vals, n_ok,
):  # fmt: skip
    for t in prange(r_arr_u.shape[0]):
        _min_into(
            t, mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, tof_ok, revs, rend, p, q,
            kind, op, oq, max_c3, limit, best_idx, vals, n_ok,
        )  # fmt: skip


@njit(cache=True, error_model="numpy")
def _min_serial(
    mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, tof_ok, revs, rend, p, q,
    kind, op, oq, max_c3, limit, best_idx, vals, n_ok,
):  # fmt: skip
    for t in range(r_arr_u.shape[0]):
        _min_into(
            t, mu, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof, tof_ok, revs, rend, p, q,
            kind, op, oq, max_c3, limit, best_idx, vals, n_ok,
        )  # fmt: skip


def _positive(x, name: str) -> float:
    if np.ndim(x) != 0:
        raise ValueError(f"{name} must be a scalar, got shape {np.shape(x)}")
    x = float(x)
    if not (math.isfinite(x) and x > 0.0):
        raise ValueError(f"{name} must be a finite positive scalar, got {x!r}")
    return x


def _revs(revs) -> int:
    if isinstance(revs, bool) or not isinstance(revs, (int, np.integer)) or revs < 0:
        raise ValueError(f"revs must be an integer >= 0, got {revs!r}")
    return int(revs)


def _vec(x, name: str, n: int | None = None) -> np.ndarray:
    a = np.ascontiguousarray(x, dtype=np.float64)
    if a.ndim != 2 or a.shape[1] != 3 or (n is not None and a.shape[0] != n):
        want = f"({n}, 3)" if n is not None else "(n, 3)"
        raise ValueError(f"{name} must have shape {want}, got {a.shape}")
    return a


def _index(arr_index, n_dep: int, n_u: int) -> np.ndarray:
    idx = np.asarray(arr_index)
    if idx.ndim != 2 or idx.shape[0] != n_dep or not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"arr_index must be an integer array of shape ({n_dep}, n_tof)")
    if idx.size and (idx.min() < 0 or idx.max() >= n_u):
        raise ValueError(f"arr_index out of range [0, {n_u})")
    return np.ascontiguousarray(idx, dtype=np.int64)


def transfer_grid(
    mu_km3_s2, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof_s, *, revs=0, mu_park_km3_s2,
    r_park_km,
    rendezvous=True,
):  # fmt: skip
    """Transfer quantities of every cell of a departure x time-of-flight grid.

    Parameters
    ----------
    mu_km3_s2 : float
        Gravitational parameter of the central body (the Sun), km^3/s^2 (> 0).
    r_dep, v_dep : array_like, shape (n_dep, 3)
        State of the departure body at each departure, km, km/s.
    r_arr_u, v_arr_u : array_like, shape (n_u, 3)
        State of the target at each distinct arrival epoch, km, km/s.
    arr_index : array_like of int, shape (n_dep, n_tof)
        Row of ``r_arr_u``/``v_arr_u`` of the arrival of cell ``(i, j)``.
    tof_s : array_like, shape (n_tof,) or (n_dep, n_tof)
        Times of flight, s.
    revs : int
        Largest number of complete revolutions tried (both branches each).
    mu_park_km3_s2, r_park_km : float
        Gravitational parameter of the departure body, km^3/s^2, and the
        radius of its circular parking orbit, km (both > 0).
    rendezvous : bool
        True: the arrival v-infinity is paid (``dv_arr = vinf_arr``); False
        (flyby): ``dv_arr = 0`` where an arc exists.

    Returns
    -------
    TransferGrid
        Named tuple of the fields below.
    c3, vinf_dep, vinf_arr, dv_dep, dv_arr, dv_total : ndarray, shape (n_dep, n_tof)
        km^2/s^2 and km/s; NaN where no arc.
    status : ndarray of int8, shape (n_dep, n_tof)
        :data:`TRANSFER_STATUS`.
    revs_used : ndarray of int8, shape (n_dep, n_tof)
        Complete revolutions of the kept arc.

    Raises
    ------
    ValueError
        ``mu_km3_s2``, ``mu_park_km3_s2`` or ``r_park_km`` not a finite positive scalar,
        ``revs`` not an integer >= 0, shapes that do not match, or an
        ``arr_index`` out of range.

    Notes
    -----
    Lambert arcs: D. Izzo, "Revisiting Lambert's problem", Celest. Mech. Dyn.
    Astr. 121:1-15 (2015), as implemented in :mod:`prospect.core.lambert`
    (prograde).  Grids of at least 2048 cells run on numba's thread pool.

    Examples
    --------
    Two departures from 1 au, flights to a circular 1.5 au orbit:

    >>> import numpy as np
    >>> au, mu = 149597870.7, 1.32712440018e11
    >>> vc = np.sqrt(mu / au)
    >>> r_dep = np.array([[au, 0, 0], [0, au, 0]])
    >>> v_dep = np.array([[0, vc, 0], [-vc, 0, 0]])
    >>> th = np.radians([100.0, 190.0, 280.0])
    >>> r_arr = 1.5 * au * np.stack([np.cos(th), np.sin(th), 0 * th], axis=1)
    >>> v_arr = np.sqrt(mu / (1.5 * au)) * np.stack(
    ...     [-np.sin(th), np.cos(th), 0 * th], axis=1)
    >>> out = transfer_grid(mu, r_dep, v_dep, r_arr, v_arr, [[0, 1], [1, 2]],
    ...                     np.array([150.0, 200.0]) * 86400.0,
    ...                     mu_park_km3_s2=398600.4418, r_park_km=6778.137)
    >>> out.dv_total.shape, out.status.tolist()
    ((2, 2), [[0, 0], [0, 0]])
    """
    mu = _positive(mu_km3_s2, "mu_km3_s2")
    mu_park = _positive(mu_park_km3_s2, "mu_park_km3_s2")
    r_park = _positive(r_park_km, "r_park_km")
    revs = _revs(revs)
    r_dep = _vec(r_dep, "r_dep")
    n_dep = r_dep.shape[0]
    v_dep = _vec(v_dep, "v_dep", n_dep)
    r_arr_u = _vec(r_arr_u, "r_arr_u")
    v_arr_u = _vec(v_arr_u, "v_arr_u", r_arr_u.shape[0])
    idx = _index(arr_index, n_dep, r_arr_u.shape[0])
    n_tof = idx.shape[1]
    tof = np.asarray(tof_s, dtype=np.float64)
    if tof.shape not in ((n_tof,), (n_dep, n_tof)):
        raise ValueError(f"tof_s must have shape ({n_tof},) or ({n_dep}, {n_tof}), got {tof.shape}")
    tof = np.ascontiguousarray(np.broadcast_to(tof, (n_dep, n_tof)))
    out = np.empty((6, n_dep, n_tof))
    st = np.empty((n_dep, n_tof), dtype=np.int8)
    rv = np.empty((n_dep, n_tof), dtype=np.int8)
    if idx.size:
        p = 2.0 * mu_park / r_park
        q = math.sqrt(mu_park / r_park)
        kernel = _grid_parallel if idx.size >= _PARALLEL_MIN else _grid_serial
        kernel(
            mu, r_dep, v_dep, r_arr_u, v_arr_u, idx, tof, revs, bool(rendezvous), p, q, out, st, rv
        )
    return TransferGrid(*out, st, rv)


def transfer_min(
    mu_km3_s2, r_dep, v_dep, r_arr_u, v_arr_u, arr_index, tof_s, *, revs=0, mu_park_km3_s2,
    r_park_km,
    rendezvous=True, objective=("total", 0.0, 0.0), tof_ok=None, max_c3_km2_s2=None,
    limit_km_s=None,
):  # fmt: skip
    """Best cell of each target's departure x time-of-flight grid, without the grid.

    Same cells as :func:`transfer_grid` for ``n_t`` targets at once; each
    target is reduced to the allowed cell of least objective (the first in
    departure-major order on ties, as ``numpy.argmin``).  A cell is allowed
    when its objective is finite, ``tof_ok[j]`` and ``c3 <= max_c3_km2_s2``.

    Parameters
    ----------
    mu, r_dep, v_dep, arr_index, revs, mu_park, r_park, rendezvous
        As :func:`transfer_grid`.
    r_arr_u, v_arr_u : array_like, shape (n_t, n_u, 3)
        States of each target at the distinct arrival epochs, km, km/s.
    tof_s : array_like, shape (n_tof,)
        Times of flight, s.
    objective : (str, float, float)
        ``(kind, p, q)``, see :data:`OBJECTIVE_KINDS`, km/s.
    tof_ok : array_like of bool, shape (n_tof,), optional
        Flight times allowed (default all).
    max_c3_km2_s2 : float, optional
        Launch limit, km^2/s^2 (default none).
    limit_km_s : float, optional
        Objective limit of ``n_ok`` (default none: any allowed cell counts).

    Returns
    -------
    best_index : ndarray of int64, shape (n_t, 2)
        ``(i, j)`` of the best cell, ``(-1, -1)`` where no cell is allowed.
    values : ndarray, shape (n_t, 7)
        ``c3, vinf_dep, vinf_arr, dv_dep, dv_arr, dv_total, objective`` of the
        best cell (NaN, objective inf, where none).
    n_ok : ndarray of int64, shape (n_t,)
        Number of departures with at least one allowed cell whose objective
        is ``<= limit_km_s``.

    Raises
    ------
    ValueError
        As :func:`transfer_grid`; an unknown objective kind.

    Examples
    --------
    >>> import numpy as np
    >>> au, mu = 149597870.7, 1.32712440018e11
    >>> vc = np.sqrt(mu / au)
    >>> th = np.radians([100.0, 190.0, 280.0])
    >>> r_arr = 1.5 * au * np.stack([np.cos(th), np.sin(th), 0 * th], axis=1)
    >>> v_arr = np.sqrt(mu / (1.5 * au)) * np.stack(
    ...     [-np.sin(th), np.cos(th), 0 * th], axis=1)
    >>> idx, val, n_ok = transfer_min(
    ...     mu, [[au, 0, 0], [0, au, 0]], [[0, vc, 0], [-vc, 0, 0]],
    ...     r_arr[None], v_arr[None], [[0, 1], [1, 2]],
    ...     np.array([150.0, 200.0]) * 86400.0, mu_park_km3_s2=398600.4418, r_park_km=6778.137)
    >>> idx.shape, val.shape, n_ok.tolist()
    ((1, 2), (1, 7), [2])
    """
    mu = _positive(mu_km3_s2, "mu_km3_s2")
    mu_park = _positive(mu_park_km3_s2, "mu_park_km3_s2")
    r_park = _positive(r_park_km, "r_park_km")
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
    best_idx = np.full((n_t, 2), -1, dtype=np.int64)
    vals = np.full((n_t, 7), np.nan)
    vals[:, 6] = np.inf
    n_ok = np.zeros(n_t, dtype=np.int64)
    if n_t and idx.size:
        p = 2.0 * mu_park / r_park
        q = math.sqrt(mu_park / r_park)
        c3 = np.inf if max_c3_km2_s2 is None else float(max_c3_km2_s2)
        lim = np.inf if limit_km_s is None else float(limit_km_s)
        kernel = _min_parallel if n_t * idx.size >= _PARALLEL_MIN and n_t > 1 else _min_serial
        kernel(
            mu, r_dep, v_dep, r_arr_u, v_arr_u, idx, tof, ok, revs, bool(rendezvous), p, q,
            OBJECTIVE_KINDS[kind_name], float(op), float(oq), c3, lim, best_idx, vals, n_ok,
        )  # fmt: skip
    return TransferMin(best_idx, vals, n_ok)


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


def leg_vinf(mu_km3_s2, r1, v1, r2, v2, i1, i2, tof_s):
    """Departure and arrival v-infinities of listed legs of many targets.

    Leg ``c`` of target ``t`` is the zero-revolution prograde Lambert arc
    (Izzo 2015) from body 1 at date index ``i1[c]`` to body 2 at ``i2[c]``
    in ``tof_s[c]``; either body is shared by all targets (leading axis 1,
    e.g. the Earth) or given per target (leading axis ``n_t``).

    Parameters
    ----------
    mu_km3_s2 : float
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
    mu = _positive(mu_km3_s2, "mu_km3_s2")
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
