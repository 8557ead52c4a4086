"""The compiled lattice search equals its NumPy formulation, ties and all.

:func:`prospect.core.lattice.lattice_best` replaces
:func:`prospect.scan._lattice.range_min`, ``_least_dv`` and ``_shortest`` in
the round-trip search; both must pick the same lattice dates, including
among equal costs (small integer costs make ties common) and where no trip
fits the limit.  The definition itself (every outbound against every return
leg) is checked in ``tests/scan/test_roundtrip.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from prospect.core.lattice import lattice_best
from prospect.scan._lattice import RoundTripLattice, _least_dv, _shortest, range_min


def _dense(out, ret, lat):
    n, L = out.shape[0], lat.size
    out_d = np.full((n, lat.n_dep, L), np.inf)
    R = np.full((n, L, L), np.inf)
    for kk, k in enumerate(lat.legs):
        i = np.arange(lat.n_dep)
        out_d[:, i, i + k] = out[:, :, kk]
        d = np.arange(L - k)
        R[:, d, d + k] = ret[:, : L - k, kk]
    return out_d, R


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("limit", [None, 6.0, 2.0])
def test_lattice_best_equals_numpy_formulation(seed, limit):
    rng = np.random.default_rng(seed)
    lat = RoundTripLattice(0.0, 5.0, 11, 2, 6, 2, 10)  # L = 21, legs 2..6
    n, nk = 40, lat.legs.size
    out = rng.integers(0, 5, size=(n, lat.n_dep, nk)).astype(float)
    ret = rng.integers(0, 5, size=(n, lat.size, nk)).astype(float)
    out[rng.uniform(size=out.shape) < 0.4] = np.inf
    ret[rng.uniform(size=ret.shape) < 0.4] = np.inf
    for kk, k in enumerate(lat.legs):
        ret[:, lat.size - k :, kk] = np.inf  # past the lattice's end
    ret[0] = np.inf  # a target without any return leg
    out_d, R = _dense(out, ret, lat)
    M, d2, a2 = range_min(R)
    ref = _least_dv(out_d, M, d2, a2, lat, limit)
    ref.update(_shortest(out_d, M, d2, a2, lat, limit))
    idx, cost = lattice_best(out, ret, lat.k_min, lat.stay_k, lat.dur_k, limit)
    for c, kind in enumerate(("min_dv", "min_dur")):
        np.testing.assert_array_equal(cost[:, c], ref[f"{kind}_cost"])
        for m in range(4):
            np.testing.assert_array_equal(idx[:, c, m], ref[f"{kind}_i{m}"])
    assert (idx[:, 0, 0] >= 0).sum() > 5 and idx[0, 0, 0] == -1


def test_lattice_best_without_shortest_and_bad_shapes():
    out = np.zeros((2, 3, 2))
    ret = np.zeros((2, 8, 2))
    idx, cost = lattice_best(out, ret, 1, 1, 5, 1.0, shortest=False)
    assert (idx[:, 1] == -1).all() and np.isnan(cost[:, 1]).all() and (cost[:, 0] == 0).all()
    with pytest.raises(ValueError, match="n_dep \\+ dur_k"):
        lattice_best(out, ret[:, :7], 1, 1, 5)
    empty = lattice_best(np.zeros((0, 3, 2)), np.zeros((0, 8, 2)), 1, 1, 5)
    assert empty[0].shape == (0, 2, 4)


_MU_E, _R_LEO = 398600.4418, 6378.137 + 400.0  # km^3/s^2 (core.constants), km


def _states(rng, n, m):
    """Near-circular heliocentric states near 1 au (so that some legs pass a C3 limit)."""
    au, mu = 149597870.7, 1.32712440018e11
    th = rng.uniform(0.0, 2 * np.pi, (n, m))
    a = au * rng.uniform(0.9, 1.2, (n, m))
    vc = np.sqrt(mu / a) * rng.uniform(0.95, 1.05, (n, m))
    r = np.stack([a * np.cos(th), a * np.sin(th), a * rng.normal(0, 0.02, (n, m))], axis=-1)
    v = np.stack([-vc * np.sin(th), vc * np.cos(th), vc * rng.normal(0, 0.03, (n, m))], axis=-1)
    return r, v


@pytest.mark.parametrize(
    "kw",
    [
        {"leg": "out", "departure": ("burn", 2 * _MU_E / _R_LEO, (_MU_E / _R_LEO) ** 0.5),
         "max_c3_km2_s2": 60.0},
        {"leg": "out", "departure": ("excess", 1.5, 0.0)},
        {"leg": "out", "departure": ("zero", 0.0, 0.0), "max_c3_km2_s2": 30.0},
        {"leg": "return", "entry": (2 * _MU_E / (6378.137 + 125.0), 12.0)},
        {"leg": "return"},
    ],
)  # fmt: skip
def test_leg_costs_into_equals_lambert_and_the_delta_v_functions(kw):
    """Fused Lambert + cost loop against solve_lambert and the core delta-v functions."""
    from prospect.core.constants import GM_EARTH_KM3_S2, GM_SUN_KM3_S2, R_EARTH_KM
    from prospect.core.deltav import burn_from_circular, entry_speed_burn
    from prospect.core.lambert import solve_lambert
    from prospect.core.lattice import leg_cost_from_vinf, leg_costs_into

    rng = np.random.default_rng(3)
    r1, v1 = _states(rng, 1, 6)
    r2, v2 = _states(rng, 4, 5)
    i1, i2 = rng.integers(0, 6, 30), rng.integers(0, 5, 30)
    tof = rng.uniform(20.0, 400.0, 30) * 86400.0
    dest = np.full((4, 3, 10), np.nan)
    at = (np.arange(30) // 10, np.arange(30) % 10)
    leg_costs_into(dest, at, GM_SUN_KM3_S2, r1, v1, r2, v2, i1, i2, tof, **kw)
    for t in range(4):
        w1, w2, _ = solve_lambert(GM_SUN_KM3_S2, r1[0, i1], r2[t, i2], tof)
        vd = np.linalg.norm(w1 - v1[0, i1], axis=1)
        va = np.linalg.norm(w2 - v2[t, i2], axis=1)
        if kw["leg"] == "out":
            kind, p, _q = kw["departure"]
            dep = {"burn": burn_from_circular(vd, R_EARTH_KM + 400.0, GM_EARTH_KM3_S2),
                   "excess": np.maximum(vd - p, 0.0), "zero": 0.0 * vd}[kind]  # fmt: skip
            want = np.where(vd**2 <= kw.get("max_c3_km2_s2", np.inf), dep + va, np.inf)
        else:
            burn = entry_speed_burn(va, 12.0) if "entry" in kw else 0.0
            want = vd + burn
        want = np.where(np.isfinite(want), want, np.inf)
        np.testing.assert_allclose(dest[t][at], want, rtol=1e-12)
        np.testing.assert_allclose(
            leg_cost_from_vinf(vd, va, **kw), want, rtol=1e-12
        )  # the same formulas from the v-infinities
    assert np.isfinite(dest).any()


def test_leg_costs_into_writes_only_the_listed_cells_and_marks_no_arc():
    from prospect.core.lattice import leg_costs_into

    rng = np.random.default_rng(4)
    r1, v1 = _states(rng, 1, 3)
    r2, v2 = _states(rng, 2, 3)
    dest = np.full((2, 2, 2), -7.0)
    leg_costs_into(dest, ([1], [0]), 1.32712440018e11, r1, v1, r2, v2, [0], [1], [-5.0],
                   leg="return")  # fmt: skip
    assert np.all(dest[:, 1, 0] == np.inf)  # a negative flight time: no arc
    assert np.all(dest[:, 0, :] == -7.0) and np.all(dest[:, 1, 1] == -7.0)
    with pytest.raises(ValueError, match="leg"):
        leg_costs_into(dest, ([0], [0]), 1.0, r1, v1, r2, v2, [0], [0], [1.0], leg="sideways")
