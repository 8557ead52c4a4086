"""Tests of prospect.core.transfer: the fused kernels against the NumPy path.

The reference is the unfused formulation the scans used before the kernels:
``solve_lambert`` on gathered (n_dep, n_tof, 3) arrays, ``|v - v_body|`` norms,
``burn_from_circular`` and the multi-revolution selection, all in NumPy.  The
Lambert solver itself is checked against boinor in ``test_lambert.py``; here
the kernels must reproduce the NumPy path to 1e-12 relative (rounding only:
the operations are the same, their order may differ by a fused multiply-add).
"""

from __future__ import annotations

import numpy as np
import pytest

from prospect.core import status as S
from prospect.core.constants import AU_KM, GM_EARTH_KM3_S2, GM_SUN_KM3_S2, R_EARTH_KM
from prospect.core.deltav import burn_from_circular
from prospect.core.lambert import solve_lambert
from prospect.core.transfer import TRANSFER_STATUS, transfer_grid, transfer_min

RTOL = 1e-12
R_PARK = R_EARTH_KM + 400.0
FIELDS = ("c3", "vinf_dep", "vinf_arr", "dv_dep", "dv_arr", "dv_total")


def _reference(r_dep, v_dep, r_arr_u, v_arr_u, idx, tof, revs, rendezvous):
    """The NumPy path: gathered arrays, batched Lambert, norms, burns, selection."""
    r1 = r_dep[:, None, :]
    v1b = v_dep[:, None, :]
    r2 = r_arr_u[idx]
    v2b = v_arr_u[idx]

    def one(m, low):
        v1, v2, st = solve_lambert(GM_SUN_KM3_S2, r1, r2, tof, revs=m, low_path=low)
        vd = np.sqrt(np.einsum("...i,...i->...", v1 - v1b, v1 - v1b))
        va = np.sqrt(np.einsum("...i,...i->...", v2 - v2b, v2 - v2b))
        dd = burn_from_circular(vd, R_PARK, GM_EARTH_KM3_S2)
        da = va if rendezvous else np.where(np.isnan(va), np.nan, 0.0)
        return [vd, va, dd, da, dd + da], st

    cur, status = one(0, True)
    used = np.zeros(status.shape, dtype=np.int8)
    for m in range(1, revs + 1):
        for low in (True, False):
            new, _ = one(m, low)
            better = np.isfinite(new[4]) & ~(cur[4] <= new[4])
            for a, b in zip(cur, new, strict=True):
                a[better] = b[better]
            used[better] = m
            status = np.where(better, 0, status).astype(np.int8)
    vd, va, dd, da, tot = cur
    return {
        "c3": vd * vd,
        "vinf_dep": vd,
        "vinf_arr": va,
        "dv_dep": dd,
        "dv_arr": da,
        "dv_total": tot,
        "status": status,
        "revs": used,
    }


def _grid(seed, n_dep=23, n_tof=17, n_u=40):
    """Seeded Earth-like departures and NEA-like arrival states (km, km/s)."""
    rng = np.random.default_rng(seed)
    th = rng.uniform(0, 2 * np.pi, n_dep)
    vc = np.sqrt(GM_SUN_KM3_S2 / AU_KM)
    r_dep = AU_KM * np.stack([np.cos(th), np.sin(th), np.zeros(n_dep)], axis=1)
    v_dep = vc * np.stack([-np.sin(th), np.cos(th), np.zeros(n_dep)], axis=1)
    rr = AU_KM * rng.uniform(0.8, 1.8, n_u)
    ph = rng.uniform(0, 2 * np.pi, n_u)
    z = rr * rng.uniform(-0.1, 0.1, n_u)
    r_arr = np.stack([rr * np.cos(ph), rr * np.sin(ph), z], axis=1)
    vr = np.sqrt(GM_SUN_KM3_S2 / rr) * rng.uniform(0.85, 1.15, n_u)
    v_arr = np.stack([-vr * np.sin(ph), vr * np.cos(ph), 0.05 * vr], axis=1)
    idx = rng.integers(0, n_u, (n_dep, n_tof))
    tof = np.linspace(30.0, 720.0, n_tof) * 86400.0
    # a NaN arrival state (a target that failed to propagate) and a bad flight time
    tof2 = np.broadcast_to(tof, (n_dep, n_tof)).copy()
    if n_dep > 7:
        r_arr[3] = np.nan
        idx[5, :] = 3
        tof2[7, 2] = -1.0
    return r_dep, v_dep, r_arr, v_arr, idx, tof2


def _assert_same(got, ref):
    for name, g in zip(FIELDS, got[:6], strict=True):
        r = ref[name]
        np.testing.assert_array_equal(np.isnan(g), np.isnan(r), err_msg=name)
        ok = ~np.isnan(r)
        np.testing.assert_allclose(g[ok], r[ok], rtol=RTOL, atol=0, err_msg=name)
    np.testing.assert_array_equal(got.status, ref["status"])
    np.testing.assert_array_equal(got.revs_used, ref["revs"])


@pytest.mark.parametrize(
    ("seed", "revs", "rendezvous"), [(1, 0, True), (2, 0, False), (3, 1, True), (4, 2, False)]
)
def test_grid_equals_numpy_path(seed, revs, rendezvous):
    r_dep, v_dep, r_arr, v_arr, idx, tof = _grid(seed)
    got = transfer_grid(
        GM_SUN_KM3_S2, r_dep, v_dep, r_arr, v_arr, idx, tof, revs=revs,
        mu_park_km3_s2=GM_EARTH_KM3_S2, r_park_km=R_PARK, rendezvous=rendezvous,
    )  # fmt: skip
    ref = _reference(r_dep, v_dep, r_arr, v_arr, idx, tof, revs, rendezvous)
    _assert_same(got, ref)
    # the NaN row and the bad flight time are flagged, the rest solved
    assert set(np.unique(got.status[5])) == {S.NONFINITE}
    assert got.status[7, 2] == S.BAD_TOF and np.isnan(got.dv_total[7, 2])
    assert np.isfinite(got.dv_total).mean() > 0.9
    if revs:
        assert (got.revs_used > 0).any()  # multi-revolution arcs were kept somewhere
    assert set(np.unique(got.status)) <= set(TRANSFER_STATUS)


def test_grid_large_runs_parallel_and_matches():
    # >= 2048 cells: the parallel kernel
    r_dep, v_dep, r_arr, v_arr, idx, tof = _grid(7, n_dep=60, n_tof=40, n_u=90)
    got = transfer_grid(
        GM_SUN_KM3_S2, r_dep, v_dep, r_arr, v_arr, idx, tof[0],
        mu_park_km3_s2=GM_EARTH_KM3_S2, r_park_km=R_PARK,
    )  # fmt: skip
    ref = _reference(r_dep, v_dep, r_arr, v_arr, idx, tof[0][None, :], 0, True)
    _assert_same(got, ref)


def test_grid_empty():
    z = np.empty((0, 3))
    out = transfer_grid(
        GM_SUN_KM3_S2, z, z, np.zeros((1, 3)), np.zeros((1, 3)),
        np.empty((0, 4), dtype=int), np.ones(4), mu_park_km3_s2=GM_EARTH_KM3_S2, r_park_km=R_PARK,
    )  # fmt: skip
    assert [a.shape for a in out] == [(0, 4)] * 8
    assert out.status.dtype == np.int8


def test_grid_bad_arguments():
    r_dep, v_dep, r_arr, v_arr, idx, tof = _grid(5, n_dep=3, n_tof=2, n_u=4)
    tof = tof[0]
    kw = {"mu_park_km3_s2": GM_EARTH_KM3_S2, "r_park_km": R_PARK}
    with pytest.raises(ValueError, match="mu"):
        transfer_grid(0.0, r_dep, v_dep, r_arr, v_arr, idx, tof, **kw)
    with pytest.raises(ValueError, match="r_park"):
        transfer_grid(
            GM_SUN_KM3_S2, r_dep, v_dep, r_arr, v_arr, idx, tof, mu_park_km3_s2=1.0, r_park_km=-1
        )
    with pytest.raises(ValueError, match="v_dep"):
        transfer_grid(GM_SUN_KM3_S2, r_dep, v_dep[:2], r_arr, v_arr, idx, tof, **kw)
    with pytest.raises(ValueError, match="arr_index"):
        transfer_grid(GM_SUN_KM3_S2, r_dep, v_dep, r_arr, v_arr, idx + 10, tof, **kw)
    with pytest.raises(ValueError, match="tof_s"):
        transfer_grid(GM_SUN_KM3_S2, r_dep, v_dep, r_arr, v_arr, idx, tof[:1], **kw)
    with pytest.raises(ValueError, match="revs"):
        transfer_grid(GM_SUN_KM3_S2, r_dep, v_dep, r_arr, v_arr, idx, tof, revs=-1, **kw)


def _numpy_min(ref, tof_ok, max_c3, limit, obj):
    allowed = np.isfinite(obj) & tof_ok[None, :]
    if max_c3 is not None:
        allowed &= ref["c3"] <= max_c3
    objm = np.where(allowed, obj, np.inf)
    best = int(np.argmin(objm))
    i, j = np.unravel_index(best, objm.shape)
    ok = (objm <= limit) if limit is not None else np.isfinite(objm)
    return (i, j), objm[i, j], int(ok.any(axis=1).sum())


@pytest.mark.parametrize(
    ("objective", "max_c3", "limit", "revs"),
    [
        (("total", 0.0, 0.0), None, None, 0),
        (("zero", 0.0, 0.0), 40.0, 7.0, 1),
        (("excess", 3.0, 0.0), None, 6.0, 0),
        (("burn", 2 * GM_EARTH_KM3_S2 / 6628.0, np.sqrt(GM_EARTH_KM3_S2 / 6628.0)), 60.0, 9.0, 0),
    ],
)
def test_min_equals_numpy_reduction(objective, max_c3, limit, revs):
    rng = np.random.default_rng(11)
    n_t = 5
    r_dep, v_dep, r_arr, v_arr, idx, tof = _grid(8, n_dep=19, n_tof=13, n_u=30)
    tof1 = tof[0].copy()
    tof1[2] = 45.0 * 86400.0
    r_t = np.stack([r_arr * rng.uniform(0.9, 1.1) for _ in range(n_t)])
    v_t = np.stack([v_arr * rng.uniform(0.95, 1.05) for _ in range(n_t)])
    r_t[4] = np.nan  # a target with no arc at all
    tof_ok = np.ones(tof1.size, dtype=bool)
    tof_ok[-3:] = False
    kind, p, q = objective
    bi, vals, n_ok = transfer_min(
        GM_SUN_KM3_S2, r_dep, v_dep, r_t, v_t, idx, tof1, revs=revs, mu_park_km3_s2=GM_EARTH_KM3_S2,
        r_park_km=R_PARK, objective=objective, tof_ok=tof_ok, max_c3_km2_s2=max_c3,
        limit_km_s=limit,
    )  # fmt: skip
    for t in range(n_t):
        ref = _reference(r_dep, v_dep, r_t[t], v_t[t], idx, tof1[None, :], revs, True)
        vd, da = ref["vinf_dep"], ref["dv_arr"]
        obj = {
            "total": ref["dv_total"],
            "zero": np.where(np.isnan(vd), np.nan, 0.0) + da,
            "excess": np.maximum(vd - p, 0.0) + da,
            "burn": np.sqrt(vd * vd + p) - q + da,
        }[kind]
        (i, j), value, count = _numpy_min(ref, tof_ok, max_c3, limit, obj)
        assert n_ok[t] == count
        if np.isfinite(value):
            assert tuple(bi[t]) == (i, j)
            np.testing.assert_allclose(vals[t, 6], value, rtol=RTOL)
            for k, name in enumerate(FIELDS):
                np.testing.assert_allclose(vals[t, k], ref[name][i, j], rtol=RTOL)
        else:
            assert tuple(bi[t]) == (-1, -1) and np.isnan(vals[t, :6]).all()
    assert tuple(bi[4]) == (-1, -1)
    assert (bi[:4] >= 0).all()


def test_min_empty():
    out = transfer_min(
        GM_SUN_KM3_S2, np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((0, 3, 3)),
        np.zeros((0, 3, 3)), np.zeros((2, 2), dtype=int), np.ones(2),
        mu_park_km3_s2=GM_EARTH_KM3_S2, r_park_km=R_PARK,
    )  # fmt: skip
    assert out[0].shape == (0, 2) and out[1].shape == (0, 7) and out[2].shape == (0,)
    with pytest.raises(ValueError, match="objective"):
        transfer_min(
            GM_SUN_KM3_S2, np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((1, 3, 3)),
            np.zeros((1, 3, 3)), np.zeros((2, 2), dtype=int), np.ones(2),
            mu_park_km3_s2=GM_EARTH_KM3_S2, r_park_km=R_PARK, objective=("nope", 0, 0),
        )  # fmt: skip
