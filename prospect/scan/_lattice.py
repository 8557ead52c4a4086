"""The date lattice of round-trip searches and the range-minimum search over it.

Search without pairing every outbound with every return leg.  All dates sit on
one lattice ``t_n = t_0 + n h``.  With ``O(d, a)`` the cost of the outbound leg
leaving the Earth at ``d`` and arriving at ``a``, ``R(d2, a2)`` the cost of the
return leg, ``s`` the minimum stay and ``D`` the maximum duration (in steps),
the best round trip through ``(d, a)`` costs

    total(d, a) = O(d, a) + M(a + s, d + D),
    M(x, y) = min { R(d2, a2) : d2 >= x, a2 <= y },

and ``M`` is a two-dimensional range minimum: a suffix minimum of ``R`` along
``d2`` followed by a prefix minimum along ``a2``, with the arg-minima carried
along (``O(L^2)`` for ``L`` lattice dates).  The round trip then costs about
two one-way grids instead of their product.  The shortest feasible trip
through ``(d, a)`` is the first ``y`` with ``O(d, a) + M(a + s, y) <= limit``
(``M`` does not increase with ``y``): a vectorised binary search.  The best
lattice solutions are then refined over four continuous dates
(:func:`prospect.scan.refine.minimize_bounded`).

Costs on the lattice (km/s): the outbound leg pays the departure burn (the
spacecraft's share when the profile has a capacity, else the burn from the
parking orbit) plus the arrival ``v_inf``; the return leg the target-departure
``v_inf`` plus the entry burn (:func:`prospect.core.deltav.entry_speed_burn`).
Arcs are zero-revolution Lambert arcs (Izzo 2015,
:func:`prospect.core.lambert.solve_lambert`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from prospect.core.constants import DAY_S, GM_EARTH_KM3_S2, GM_SUN_KM3_S2
from prospect.core.deltav import burn_from_circular, entry_speed, entry_speed_burn
from prospect.core.lambert import solve_lambert
from prospect.errors import InputError
from prospect.scan._common import date_grid
from prospect.scan._mission import MissionSpec

__all__ = [
    "RoundTripLattice",
    "lattice_from_costs",
    "lattice_search",
    "leg_costs",
    "leg_costs_at",
    "range_min",
]

_INF = np.inf


def _norm(x):
    return np.sqrt(np.einsum("...i,...i->...", x, x))


@dataclass(frozen=True)
class RoundTripLattice:
    """Date lattice of a round-trip search (all indices in steps of ``step_days``).

    ``n_dep`` departure dates ``t_0 .. t_0 + (n_dep - 1) h``; legs of ``k_min ..
    k_max`` steps; stay >= ``stay_k`` steps; duration <= ``dur_k`` steps; the
    lattice holds ``size = n_dep + dur_k`` dates.
    """

    start_s: float
    step_days: float
    n_dep: int
    k_min: int
    k_max: int
    stay_k: int
    dur_k: int

    @property
    def size(self) -> int:
        return self.n_dep + self.dur_k

    @property
    def seconds(self) -> np.ndarray:
        return self.start_s + np.arange(self.size) * self.step_days * DAY_S

    @property
    def legs(self) -> np.ndarray:
        return np.arange(self.k_min, self.k_max + 1)

    @classmethod
    def make(
        cls,
        departure_start,
        departure_end,
        *,
        step_days: float,
        max_duration_days: float,
        min_stay_days: float,
        min_leg_days: float,
        start_option: str = "departure_start",
        end_option: str = "departure_end",
    ) -> RoundTripLattice:
        """The lattice of a launch window (errors name ``start_option`` etc.)."""
        grid = date_grid(
            departure_start,
            departure_end,
            step_days,
            start_option=start_option,
            end_option=end_option,
            step_option="step_days",
        )
        h = grid.step_days
        if not (max_duration_days > 0):
            raise InputError(
                f"must be positive, got {max_duration_days}", option="max_duration_days"
            )
        if min_stay_days < 0:
            raise InputError(f"must be >= 0, got {min_stay_days}", option="min_stay_days")
        dur_k = math.floor(max_duration_days / h + 1e-9)
        stay_k = math.ceil(min_stay_days / h - 1e-9)
        k_min = max(1, math.ceil(min_leg_days / h - 1e-9))
        k_max = dur_k - stay_k - k_min
        if k_max < k_min:
            raise InputError(
                f"no round trip fits: duration <= {max_duration_days:g} d cannot hold two legs "
                f"of >= {k_min * h:g} d and a stay of >= {min_stay_days:g} d",
                option="max_duration_days",
            )
        return cls(float(grid.seconds[0]), h, len(grid), k_min, k_max, stay_k, dur_k)


def range_min(R: np.ndarray):
    """Two-dimensional range minimum ``M(x, y) = min{R(d2, a2): d2 >= x, a2 <= y}``.

    Parameters
    ----------
    R : ndarray, shape (..., L, L)
        Costs indexed ``[..., d2, a2]`` (``inf`` where no leg).

    Returns
    -------
    M : ndarray, shape (..., L, L)
        Range minima indexed ``[..., x, y]``.
    arg_d2, arg_a2 : ndarray of int, shape (..., L, L)
        A minimising ``(d2, a2)`` of each ``(x, y)``.

    Examples
    --------
    >>> R = np.array([[5.0, 1.0], [2.0, 9.0]])
    >>> M, d2, a2 = range_min(R)
    >>> M.tolist(), int(d2[0, 1]), int(a2[0, 1])
    ([[2.0, 1.0], [2.0, 2.0]], 0, 1)
    """
    L = R.shape[-1]
    idx = np.arange(L)
    # suffix minimum along d2 (axis -2)
    S = np.flip(np.minimum.accumulate(np.flip(R, axis=-2), axis=-2), axis=-2)
    # first d2 >= x where R[d2] == S[d2] (a new suffix minimum) is the arg-min
    cand = np.where(R == S, idx[:, None], L).astype(np.int32)
    arg_s = np.flip(np.minimum.accumulate(np.flip(cand, axis=-2), axis=-2), axis=-2)
    del cand
    # prefix minimum along a2 (axis -1)
    M = np.minimum.accumulate(S, axis=-1)
    cand = np.where(S == M, idx, -1).astype(np.int32)
    arg_a2 = np.maximum.accumulate(cand, axis=-1)
    del cand
    arg_a2 = np.maximum(arg_a2, 0)
    arg_d2 = np.take_along_axis(arg_s, arg_a2, axis=-1)
    arg_d2 = np.minimum(arg_d2, L - 1)
    return M, arg_d2, arg_a2


def _lambert_vinf(r1, vb1, r2, vb2, tof_s):
    """Departure and arrival v_inf (relative to the bodies) of zero-revolution arcs."""
    v1, v2, status = solve_lambert(GM_SUN_KM3_S2, r1, r2, tof_s)
    v1 -= vb1
    v2 -= vb2
    return _norm(v1), _norm(v2), status


def _outbound(spec: MissionSpec, vinf_dep, vinf_arr):
    """Departure burn from the parking orbit and the spacecraft's share of it, km/s."""
    dv_leo = burn_from_circular(vinf_dep, spec.r_park_km, GM_EARTH_KM3_S2)
    dv_sc = spec.spacecraft_departure_dv(vinf_dep)
    return dv_leo, dv_sc


def _entry(vinf_ret, limit):
    """Entry speed and the burn that brings it to ``limit`` (None: no burn), km/s."""
    v_entry = entry_speed(vinf_ret)
    if limit is None:
        return v_entry, np.where(np.isnan(v_entry), np.nan, 0.0)
    return v_entry, entry_speed_burn(vinf_ret, limit)


def lattice_search(
    r_e: np.ndarray,
    v_e: np.ndarray,
    r_t: np.ndarray,
    v_t: np.ndarray,
    lat: RoundTripLattice,
    spec: MissionSpec,
    *,
    shortest: bool = True,
) -> dict[str, np.ndarray]:
    """Best round trips of N targets on one lattice.

    Stages: outbound and return leg costs (:func:`leg_costs`), then the range
    minima, the least-delta-v trip and the shortest trip within the limit
    (:func:`prospect.core.lattice.lattice_best`, the compiled form of
    :func:`range_min`, :func:`_least_dv` and :func:`_shortest`, which it
    equals date for date).

    Parameters
    ----------
    r_e, v_e : ndarray, shape (L, 3)
        Earth states at the lattice dates.
    r_t, v_t : ndarray, shape (N, L, 3)
        Target states at the lattice dates.
    lat : RoundTripLattice
    spec : MissionSpec
        Limits; the objective is the spacecraft's delta-v when the profile
        has a capacity, else the NHATS total.
    shortest : bool
        Also find the shortest trips (else their fields are -1 / NaN).

    Returns
    -------
    dict of ndarray, shape (N,) each
        For ``"min_dv"`` and ``"min_dur"`` solutions: lattice indices
        ``{kind}_i0, _i1, _i2, _i3`` (Earth departure, target arrival, target
        departure, Earth return; -1 if none) and ``{kind}_cost``; and
        ``least_cost``, the least-delta-v trip's cost whatever the limit
        (``inf`` where the lattice holds no round trip).
    """
    out_c, ret_c = leg_costs(r_e, v_e, r_t, v_t, lat, spec)
    return lattice_from_costs(out_c, ret_c, lat, spec, shortest=shortest)


def lattice_from_costs(out_c, ret_c, lat: RoundTripLattice, spec: MissionSpec, *,
                       shortest: bool = True) -> dict[str, np.ndarray]:  # fmt: skip
    """:func:`lattice_search` from the leg costs of :func:`leg_costs` (same output)."""
    from prospect.core.lattice import lattice_best

    idx, cost = lattice_best(out_c, ret_c, lat.k_min, lat.stay_k, lat.dur_k, spec.limit_km_s,
                             shortest=shortest)  # fmt: skip
    found = {"least_cost": cost[:, 2]}
    for c, kind in enumerate(("min_dv", "min_dur")):
        found[f"{kind}_cost"] = cost[:, c]
        for m, name in enumerate(("i0", "i1", "i2", "i3")):
            found[f"{kind}_{name}"] = idx[:, c, m]
    return found


def _numpy_leg_cost(spec: MissionSpec, vd, va, leg: str):
    """Leg costs from v-infinities by the delta-v functions (the definition), km/s."""
    if leg == "out":
        dv_leo, dv_sc = _outbound(spec, vd, va)
        cost = (dv_sc if spec.capacity_km_s is not None else dv_leo) + va
        if spec.max_c3_km2_s2 is not None:
            cost = np.where(vd * vd <= spec.max_c3_km2_s2, cost, _INF)
    else:
        cost = vd + _entry(va, spec.max_entry_speed_km_s)[1]
    return np.where(np.isfinite(cost), cost, _INF)


#: v-infinity pairs (km/s) on which the compiled leg costs must equal
#: :func:`_numpy_leg_cost` before they are used (design choice: both sides of
#: the entry-burn threshold, ~4.6 km/s, and of the NHATS C3 limit, 7.75 km/s).
_PROBE_KM_S = np.array([0.0, 0.3, 1.0, 2.5, 4.0, 4.7, 6.0, 7.7, 7.8, 11.0, 25.0])


#: The last specs :func:`_kernel_costs` checked, by ``id`` (with the spec, so an id
#: reused by a new object is not taken for the old one).
_CHECKED: dict[int, tuple[MissionSpec, dict | None]] = {}


def _kernel_costs(spec: MissionSpec):
    """Keywords of :func:`prospect.core.lattice.leg_costs_into` for ``spec``'s leg costs
    (``{leg: kwargs}``), or None when they do not equal :func:`_numpy_leg_cost` on probes."""
    hit = _CHECKED.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    if len(_CHECKED) >= 16:
        _CHECKED.clear()
    kw = _probed_kernel_costs(spec)
    _CHECKED[id(spec)] = (spec, kw)
    return kw


def _probed_kernel_costs(spec: MissionSpec):
    from prospect.core.constants import R_EARTH_KM
    from prospect.core.deltav import ENTRY_INTERFACE_ALT_KM
    from prospect.core.lattice import leg_cost_from_vinf

    if spec.capacity_km_s is None:
        r = spec.r_park_km
        dep = ("burn", 2.0 * GM_EARTH_KM3_S2 / r, math.sqrt(GM_EARTH_KM3_S2 / r))
    else:
        dep = spec.kernel_objective()
        if dep is None or dep[0] not in ("burn", "excess", "zero"):
            return None
    lim = spec.max_entry_speed_km_s
    entry = (
        None
        if lim is None
        else (2.0 * GM_EARTH_KM3_S2 / (R_EARTH_KM + ENTRY_INTERFACE_ALT_KM), lim)
    )
    kw = {
        "out": {"leg": "out", "departure": dep, "max_c3_km2_s2": spec.max_c3_km2_s2},
        "return": {"leg": "return", "entry": entry},
    }
    vd, va = (g.ravel() for g in np.meshgrid(_PROBE_KM_S, _PROBE_KM_S))
    for leg, k in kw.items():
        got = leg_cost_from_vinf(vd, va, **{n: x for n, x in k.items() if n != "leg"}, leg=leg)
        if not np.allclose(got, _numpy_leg_cost(spec, vd, va, leg), rtol=1e-14, atol=1e-14):
            return None
    return kw


def leg_costs_at(r_e, v_e, r_t, v_t, lat: RoundTripLattice, spec: MissionSpec, legs, *,
                 leg: str, into=None) -> np.ndarray:  # fmt: skip
    """Costs of listed legs of N targets, km/s, shape (N, m) (inf where no leg or not allowed).

    ``legs = (d, kk)``: int arrays (m,) of start dates and leg-length indices
    (a leg of ``lat.legs[kk]`` steps).  ``leg="out"``: Earth at ``d`` ->
    target at ``d + k``, the departure burn (the spacecraft's share when the
    profile has a capacity, else the burn from the parking orbit) plus the
    arrival ``v_inf``, ``inf`` above the C3 limit; ``"return"``: target at
    ``d`` -> Earth at ``d + k``, the departure ``v_inf`` plus the entry burn,
    ``inf`` past the lattice's end.  ``r_e, v_e`` (L, 3) and ``r_t, v_t``
    (N, L, 3) at the lattice dates.  ``into = (dest, (a, b))``: write leg
    ``c`` to ``dest[:, a[c], b[c]]`` instead (returns ``dest``).

    The costs are computed in the compiled Lambert loop
    (:func:`prospect.core.lattice.leg_costs_into`) when its formulas equal
    the delta-v functions' on probe speeds (:func:`_kernel_costs`), else
    from :func:`prospect.core.transfer.leg_vinf` and the functions.
    """
    from prospect.core.lattice import leg_costs_into
    from prospect.core.transfer import leg_vinf

    d = np.asarray(legs[0], dtype=np.int64)
    k = lat.legs[np.asarray(legs[1], dtype=np.int64)]
    ok = d + k < lat.size if leg == "return" else np.ones(d.size, dtype=bool)
    flat = into is None
    if flat:
        into = (
            np.empty((r_t.shape[0], 1, d.size)),
            (np.zeros(d.size, np.int64), np.arange(d.size)),
        )
    dest, (a, b) = into
    dest[:, a[~ok], b[~ok]] = _INF
    d, k, a, b = d[ok], k[ok], np.asarray(a)[ok], np.asarray(b)[ok]
    ends = (r_e[None], v_e[None], r_t, v_t) if leg == "out" else (r_t, v_t, r_e[None], v_e[None])
    h_s = lat.step_days * DAY_S
    kw = _kernel_costs(spec)
    if kw is not None:
        leg_costs_into(dest, (a, b), GM_SUN_KM3_S2, *ends, d, d + k, k * h_s, **kw[leg])
    else:
        vd, va = leg_vinf(GM_SUN_KM3_S2, *ends, d, d + k, k * h_s)
        dest[:, a, b] = _numpy_leg_cost(spec, vd, va, leg)
    return dest[:, 0, :] if flat else dest


def leg_costs(r_e, v_e, r_t, v_t, lat: RoundTripLattice, spec: MissionSpec, every=(1, 1, 0)):
    """Outbound and return leg costs of N targets, km/s (inf where no leg or not allowed).

    ``every = (f_d, f_k[, kk0])`` keeps every ``f_d``-th start date and
    ``f_k``-th leg length from index ``kk0`` only (the coarse stages of
    :mod:`prospect.scan.search`); the arrays are then those of the whole
    lattice sliced ``[:, ::f_d, kk0::f_k]``.  Costs as :func:`leg_costs_at`.

    Returns
    -------
    out : ndarray, shape (N, n_dep, nk)
        Earth at ``i`` -> target at ``i + k_min + kk``.
    ret : ndarray, shape (N, L, nk)
        Target at ``d2`` -> Earth at ``d2 + k_min + kk``.
    """
    f_d, f_k, kk0 = (*(int(f) for f in every), 0)[:3]
    kks = np.arange(kk0, lat.legs.size, f_k)
    n = r_t.shape[0]
    res = []
    for leg, m in (("out", lat.n_dep), ("return", lat.size)):
        a, b = (x.ravel() for x in np.indices((len(range(0, m, f_d)), kks.size)))
        dest = np.empty((n, len(range(0, m, f_d)), kks.size))
        res.append(leg_costs_at(r_e, v_e, r_t, v_t, lat, spec, (a * f_d, kks[b]), leg=leg,
                                into=(dest, (a, b))))  # fmt: skip
    return res[0], res[1]


def _outbound_costs(r_e, v_e, r_t, v_t, lat: RoundTripLattice, spec: MissionSpec) -> np.ndarray:
    """``out_cost[n, i, j]``: Earth at ``i`` -> target at ``j`` (inf where no leg), (N, nD, L)."""
    nD = lat.n_dep
    i_idx = np.arange(nD)[:, None]
    out_cost = np.full((r_t.shape[0], nD, lat.size), _INF)
    out_cost[:, i_idx, i_idx + lat.legs[None, :]] = leg_costs(r_e, v_e, r_t, v_t, lat, spec)[0]
    return out_cost


def _return_costs(r_e, v_e, r_t, v_t, lat: RoundTripLattice, spec: MissionSpec) -> np.ndarray:
    """``R[n, d2, a2]``: target at ``d2`` -> Earth at ``a2`` (inf where no leg), (N, L, L)."""
    L = lat.size
    d2 = np.arange(L)[:, None]
    a2 = d2 + lat.legs[None, :]
    ok = a2 < L
    ret = leg_costs(r_e, v_e, r_t, v_t, lat, spec)[1]
    R = np.full((r_t.shape[0], L, L), _INF)
    R[:, np.broadcast_to(d2, a2.shape)[ok], a2[ok]] = ret[:, ok]
    return R


def _indices(kind, good, bi, bj, bx, by, arg_d2, arg_a2) -> dict[str, np.ndarray]:
    n_idx = np.arange(bi.size)
    b_a2 = arg_a2[n_idx, bx, by]
    b_d2 = arg_d2[n_idx, bx, by]
    return {
        f"{kind}_{name}": np.where(good, arr, -1)
        for name, arr in zip(("i0", "i1", "i2", "i3"), (bi, bj, b_d2, b_a2), strict=True)
    }


def _least_dv(out_cost, M, arg_d2, arg_a2, lat: RoundTripLattice, limit) -> dict:
    """The least-cost trip: ``out_cost[i, j] + M[j + s, min(i + D, L - 1)]`` minimised."""
    N, nD, L = out_cost.shape
    x = np.arange(L)[None, :] + lat.stay_k  # (1, L)
    y = np.minimum(np.arange(nD)[:, None] + lat.dur_k, L - 1)  # (nD, 1)
    xs = np.minimum(x, L - 1)
    Mxy = M[:, np.broadcast_to(xs, (nD, L)), np.broadcast_to(y, (nD, L))]
    total = np.where(x < L, out_cost + Mxy, _INF)
    flat = total.reshape(N, -1)
    best = np.argmin(flat, axis=1)
    cost = flat[np.arange(N), best]
    good = cost <= limit * (1 + 1e-12) if limit is not None else np.isfinite(cost)
    bi, bj = np.divmod(best, L)
    bx = np.minimum(bj + lat.stay_k, L - 1)
    by = np.minimum(bi + lat.dur_k, L - 1)
    out = {"min_dv_cost": np.where(good, cost, np.nan)}
    out.update(_indices("min_dv", good, bi, bj, bx, by, arg_d2, arg_a2))
    return out


def _shortest(out_cost, M, arg_d2, arg_a2, lat: RoundTripLattice, limit) -> dict:
    """The shortest trip within ``limit``: for each ``(i, j)`` the first return date
    ``y`` in ``[j + s + k_min, min(i + D, L - 1)]`` with ``out_cost + M[j + s, y] <=
    limit`` (binary search: ``M`` does not increase with ``y``); the cheapest of
    equal durations."""
    N, nD, L = out_cost.shape
    j = np.arange(L)[None, :]
    x = j + lat.stay_k
    xs = np.minimum(x, L - 1)
    y = np.minimum(np.arange(nD)[:, None] + lat.dur_k, L - 1)
    n_idx = np.arange(N)
    thr = (limit - out_cost) if limit is not None else np.where(np.isfinite(out_cost), _INF, -_INF)
    lo = np.broadcast_to(np.minimum(j + lat.stay_k + lat.k_min, L - 1), (N, nD, L)).copy()
    hi = np.broadcast_to(y, (N, nD, L)).copy()
    xs_b = np.broadcast_to(xs, (N, nD, L))
    nn = np.broadcast_to(n_idx[:, None, None], (N, nD, L))

    def cond_at(y_idx):
        m = M[nn, xs_b, y_idx]
        return np.isfinite(m) & (m <= thr)

    feasible = (x < L) & (lo <= hi) & cond_at(hi)
    for _ in range(math.ceil(math.log2(max(L, 2))) + 1):
        mid = (lo + hi) // 2
        cond = cond_at(mid)
        hi = np.where(cond, mid, hi)
        lo = np.where(cond, lo, mid + 1)
    dur = np.where(feasible, hi - np.arange(nD)[None, :, None], np.iinfo(np.int32).max)
    # among equal durations prefer the cheapest
    tot_at = out_cost + M[nn, xs_b, hi]
    key = dur.astype(float) * 1e6 + np.where(feasible, tot_at, 0.0)
    best = np.argmin(key.reshape(N, -1), axis=1)
    has = feasible.reshape(N, -1)[n_idx, best]
    bi, bj = np.divmod(best, L)
    by = hi.reshape(N, -1)[n_idx, best]
    bx = np.minimum(bj + lat.stay_k, L - 1)
    out = {"min_dur_cost": np.where(has, tot_at.reshape(N, -1)[n_idx, best], np.nan)}
    out.update(_indices("min_dur", has, bi, bj, bx, by, arg_d2, arg_a2))
    return out
