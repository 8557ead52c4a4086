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
