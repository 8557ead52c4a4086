"""Coarse-to-fine search against the fine grid it replaces (same answers).

On a seeded 500-object sample of the shipped catalog, two-body states:
:func:`prospect.scan.search.oneway_chunk` against rank's fine-grid chunk scan
and :func:`prospect.scan.search.roundtrip_chunk` against rank's fine-lattice
scan.  The feasible sets must be equal and each feasible target's best
objective within 5 m/s (the search solves the same fine cells for every
target it does not prune, so they are equal to rounding).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from prospect.core.constants import DAY_S, GM_SUN_KM3_S2
from prospect.core.lambert import solve_lambert
from prospect.core.transfer import leg_vinf
from prospect.scan import search
from prospect.scan._common import date_grid, tof_grid
from prospect.scan._lattice import RoundTripLattice, lattice_search
from prospect.scan._mission import mission_spec
from prospect.scan._targets import earth_model
from prospect.scan.rank import chunks
from prospect.scan.rank.feasibility import feasibility
from prospect.scan.rank.grid import OneWayGrid
from prospect.scan.roundtrip import nhats_spec
from prospect.targets import element_arrays

START, END = "2027-01-01", "2029-01-01"  # the window the margins were measured on
SEED = 20261205
TOL_KM_S = 0.005  # 5 m/s


@pytest.fixture(scope="module")
def sample():
    from prospect.catalog import load_neas

    table = load_neas().sample(n=500, random_state=SEED).reset_index(drop=True)
    return table, element_arrays(table)


def _oneway_grid():
    grid = date_grid(START, END, 5.0, start_option="a", end_option="b", step_option="c")
    tofs = tof_grid(30.0, 720.0, 10.0, min_option="a", max_option="b", step_option="c")
    arr = grid.seconds[:, None] + tofs[None, :] * DAY_S
    arr_u, inv = np.unique(np.round(arr, 3), return_inverse=True)
    r_e, v_e = earth_model().states(grid.seconds)
    return OneWayGrid(grid.seconds, tofs, arr_u, inv.reshape(arr.shape), r_e, v_e, 5.0)


def _judged(out: dict, spec) -> pd.DataFrame:
    return feasibility(chunks.oneway_frame(out, spec), spec)


@pytest.mark.parametrize("mission", ["prospector-1", "mx-1", "hakuto-r-m1", "nhats-human"])
def test_oneway_search_equals_fine_grid(sample, mission):
    _, el = sample
    spec = mission_spec(mission)
    g = _oneway_grid()
    fine = _judged(chunks.oneway_chunk(el, g, spec), spec)
    new = _judged(search.oneway_chunk(el, g, spec), spec)
    assert np.array_equal(fine["feasible"].to_numpy(), new["feasible"].to_numpy())
    ok = fine["feasible"].to_numpy()
    diff = new["dv_objective_km_s"].to_numpy()[ok] - fine["dv_objective_km_s"].to_numpy()[ok]
    assert np.all(diff <= TOL_KM_S)
    assert np.array_equal(new["launch_days"].to_numpy()[ok], fine["launch_days"].to_numpy()[ok])
    # a pruned target's coarse best is a cell of the fine grid: never below the fine best
    ob_new = new["dv_objective_km_s"].to_numpy()
    ob_fine = fine["dv_objective_km_s"].to_numpy()
    both = np.isfinite(ob_new) & np.isfinite(ob_fine)
    assert np.all(ob_new[both] >= ob_fine[both] - 1e-9)


def test_oneway_search_prunes_and_takes_given_states(sample):
    """prospector-1: most targets never reach the fine grid; states come through ``states``."""
    _, el = sample
    spec = mission_spec("prospector-1")
    g = _oneway_grid()
    asked = []

    def states(epochs_s, rows):
        asked.append((epochs_s.size, rows.size))
        return chunks.propagate({k: v[rows] for k, v in el.items()}, epochs_s)

    a = search.oneway_chunk(el, g, spec, states=states)
    b = search.oneway_chunk(el, g, spec)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    fine_rows = sum(r for m, r in asked if m == g.arr_u.size)
    assert asked[0] == (asked[0][0], 500) and asked[0][0] < g.arr_u.size / 3
    assert fine_rows < 0.25 * 500


def test_roundtrip_search_equals_fine_lattice(sample):
    _, el = sample
    spec = nhats_spec("nhats-human")
    lat = RoundTripLattice.make(
        START, END, step_days=5.0, max_duration_days=spec.max_duration_days,
        min_stay_days=spec.min_stay_days, min_leg_days=10.0,
    )  # fmt: skip
    r_e, v_e = earth_model().states(lat.seconds)
    fine = chunks.roundtrip_chunk(el, lat, r_e, v_e, spec)
    new = search.roundtrip_chunk(el, lat, r_e, v_e, spec)
    for kind in ("min_dv", "min_dur"):  # the same lattice dates (or None) for every target
        assert [r[kind] for r in new] == [r[kind] for r in fine]
    assert sum(r["min_dv"] is not None for r in fine) > 0
    # the bound the n-body stage compares: the fine least cost where the fine lattice
    # was searched, below it (coarse value minus the measured margin) where pruned
    b_new = np.array([r["bound"] for r in new])
    b_fine = np.array([r["bound"] for r in fine])
    searched = np.array([r["min_dv"] is not None for r in new])
    np.testing.assert_array_equal(b_new[searched], b_fine[searched])
    assert np.all(b_new[~searched] > spec.max_total_dv_km_s)  # pruned: over the limit
    # the margins hold near the limit, where the n-body stage reads the bound (up to its
    # round-trip approach margin; far above, a coarse value may be closer)
    near = b_fine <= spec.max_total_dv_km_s + search.ROUNDTRIP_LEVEL_KM_S
    assert near.sum() > sum(r["min_dv"] is not None for r in fine)
    assert np.all(b_new[near] <= b_fine[near])


def test_roundtrip_search_without_measured_stages_is_the_fine_lattice(sample):
    """A lattice the stages were not measured on (4-day step) gets no pruning: the
    fine lattice's trips and least costs, from the staged leg store."""
    _, el = sample
    spec = nhats_spec("nhats-human")
    lat = RoundTripLattice.make(
        START, "2027-07-01", step_days=4.0, max_duration_days=spec.max_duration_days,
        min_stay_days=spec.min_stay_days, min_leg_days=10.0,
    )  # fmt: skip
    sub = {k: v[:40] for k, v in el.items()}
    r_e, v_e = earth_model().states(lat.seconds)
    fine = chunks.roundtrip_chunk(sub, lat, r_e, v_e, spec)
    new = search.roundtrip_chunk(sub, lat, r_e, v_e, spec, batch=16)
    for kind in ("min_dv", "min_dur"):
        assert [r[kind] for r in new] == [r[kind] for r in fine]
    assert [r["bound"] for r in new] == [r["bound"] for r in fine]


def test_roundtrip_margins_cover_the_nbody_approach_margin():
    """The n-body stage compares a dropped target's bound with the limit plus its
    round-trip approach margin; the stage margins were measured up to that level."""
    from prospect.scan.rank.nbody import APPROACH_MARGINS_KM_S

    assert APPROACH_MARGINS_KM_S["round-trip"] <= search.ROUNDTRIP_LEVEL_KM_S


def test_roundtrip_bound_is_below_every_round_trip(sample):
    """The window bound on every leg never exceeds the best round trip's cost."""
    _, el = sample
    spec = nhats_spec("nhats-human")
    lat = RoundTripLattice.make(
        START, END, step_days=5.0, max_duration_days=spec.max_duration_days,
        min_stay_days=spec.min_stay_days, min_leg_days=10.0,
    )  # fmt: skip
    sub = {k: v[:60] for k, v in el.items()}
    r_t, v_t = chunks.propagate(sub, lat.seconds)
    r_e, v_e = earth_model().states(lat.seconds)
    bound = search.roundtrip_window_bound(r_e, v_e, r_t, v_t, lat, spec)
    best = lattice_search(r_e, v_e, r_t, v_t, lat, spec)["min_dv_cost"]
    ok = np.isfinite(best)
    assert ok.any()
    assert np.all(bound[ok] <= best[ok] + 1e-9)


def test_staged_legs_are_the_lattice_legs_each_solved_once(sample):
    """Legs grown stage by stage (:class:`search._Legs`) equal the fine lattice's legs
    bit for bit, and each stage solves only the legs the earlier ones did not."""
    from prospect.scan import _lattice

    _, el = sample
    spec = nhats_spec("nhats-human")
    lat = RoundTripLattice.make(
        START, END, step_days=5.0, max_duration_days=spec.max_duration_days,
        min_stay_days=spec.min_stay_days, min_leg_days=10.0,
    )  # fmt: skip
    sub = {k: v[:8] for k, v in el.items()}
    r_t, v_t = chunks.propagate(sub, lat.seconds)
    r_e, v_e = earth_model().states(lat.seconds)
    out, ret = _lattice.leg_costs(r_e, v_e, r_t, v_t, lat, spec)
    legs = search._Legs(r_e, v_e, r_t, v_t, lat, spec)
    solved = [0]
    real = _lattice.leg_costs_at

    def counting(*args, **kw):
        solved[0] += args[6][0].size  # legs = (start dates, leg-length indices)
        return real(*args, **kw)

    _lattice.leg_costs_at = counting
    try:
        for j in (3, 2, 1, 0):  # every sub-lattice's legs are among the next finer one's
            sub_lat, stride, kk0 = search.sub_lattice(lat, j)
            legs.grow(stride, kk0)
            np.testing.assert_array_equal(legs.out, out[:, ::stride, kk0::stride])
            np.testing.assert_array_equal(legs.ret, ret[:, ::stride, kk0::stride])
            assert sub_lat.step_days == stride * lat.step_days
    finally:
        _lattice.leg_costs_at = real
    assert solved[0] == out.shape[1] * out.shape[2] + ret.shape[1] * ret.shape[2]  # once each


def test_leg_vinf_matches_solve_lambert():
    rng = np.random.default_rng(1)
    au = 149597870.7
    r1 = rng.normal(size=(1, 5, 3)) * au
    v1 = rng.normal(size=(1, 5, 3)) * 20.0
    r2 = rng.normal(size=(3, 4, 3)) * au
    v2 = rng.normal(size=(3, 4, 3)) * 20.0
    i1 = np.array([0, 1, 4, 2])
    i2 = np.array([3, 0, 1, 2])
    tof = np.array([100.0, 200.0, 300.0, 50.0]) * DAY_S
    vd, va = leg_vinf(GM_SUN_KM3_S2, r1, v1, r2, v2, i1, i2, tof)
    for t in range(3):
        w1, w2, _ = solve_lambert(GM_SUN_KM3_S2, r1[0, i1], r2[t, i2], tof)
        np.testing.assert_allclose(vd[t], np.linalg.norm(w1 - v1[0, i1], axis=1), rtol=1e-12)
        np.testing.assert_allclose(va[t], np.linalg.norm(w2 - v2[t, i2], axis=1), rtol=1e-12)


def test_cli_start_imports_no_scan_stack():
    code = (
        "import sys; from prospect.cli import app; "
        "heavy = [m for m in ('numba', 'astropy', 'pandas', 'prospect.scan') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_m_prospect():
    out = subprocess.run(
        [sys.executable, "-m", "prospect", "--version"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0 and out.stdout.startswith("prospect ")


def test_progress_plain_lines():
    import io

    from prospect._progress import progress

    buf = io.StringIO()
    with progress("scanning targets", stream=buf, delay_s=0.0, interval_s=0.0, tty=False) as up:
        up(10, 40)
        up(40, 40)
    lines = buf.getvalue().splitlines()
    assert lines[0].startswith("prospect: scanning targets: 10/40 (25%)")
    assert "left" in lines[0]
    assert lines[-1].endswith("- done")
    quiet = io.StringIO()
    with progress("x", stream=quiet, tty=False) as up:  # a fast run prints nothing
        up(1, 1)
    assert quiet.getvalue() == ""
