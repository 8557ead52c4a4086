"""Coarse-to-fine search against the fine grid it replaces (same answers).

On a seeded 500-object sample of the shipped catalog, two-body states:
:func:`prospect.scan.search.oneway_chunk` against rank's fine-grid chunk scan
and :func:`prospect.scan.search.roundtrip_chunk` against rank's fine-lattice
scan.  The feasible sets must be equal and each feasible target's best
objective within 5 m/s (the search solves the same fine cells for every
target it does not prune, so they are equal to rounding).
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from prospect.core.constants import DAY_S, GM_EARTH_KM3_S2, GM_SUN_KM3_S2, R_EARTH_KM
from prospect.core.gridsearch import leg_vinf, transfer_search
from prospect.core.lambert import solve_lambert
from prospect.core.transfer import transfer_min
from prospect.scan import search
from prospect.scan._common import date_grid, tof_grid
from prospect.scan._mission import mission_spec
from prospect.scan._targets import earth_model
from prospect.scan.roundtrip import RoundTripLattice, nhats_spec

rank_mod = importlib.import_module("prospect.scan.rank")

START, END = "2027-01-01", "2029-01-01"  # the window the margins were measured on
SEED = 20261205
TOL_KM_S = 0.005  # 5 m/s


@pytest.fixture(scope="module")
def sample():
    from prospect.catalog import load_neas

    table = load_neas().sample(n=500, random_state=SEED).reset_index(drop=True)
    return table, rank_mod._elements(table)


def _oneway_grid():
    grid = date_grid(START, END, 5.0, start_option="a", end_option="b", step_option="c")
    tofs = tof_grid(30.0, 720.0, 10.0, min_option="a", max_option="b", step_option="c")
    arr = grid.seconds[:, None] + tofs[None, :] * DAY_S
    arr_u, inv = np.unique(np.round(arr, 3), return_inverse=True)
    r_e, v_e = earth_model().states(grid.seconds)
    return rank_mod._OneWayGrid(grid.seconds, tofs, arr_u, inv.reshape(arr.shape), r_e, v_e, 5.0)


def _judged(out: dict, spec) -> pd.DataFrame:
    return rank_mod._feasibility(rank_mod._oneway_frame(out, spec), spec)


@pytest.mark.parametrize("mission", ["prospector-1", "mx-1", "hakuto-r-m1", "nhats-human"])
def test_oneway_search_equals_fine_grid(sample, mission):
    _, el = sample
    spec = mission_spec(mission)
    g = _oneway_grid()
    fine = _judged(rank_mod._oneway_chunk(el, g, spec), spec)
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


def test_oneway_search_prunes(sample):
    """The measured margin of prospector-1 prunes most of the sample before the fine grid."""
    _, el = sample
    spec = mission_spec("prospector-1")
    g = _oneway_grid()
    r_t, v_t = rank_mod._propagate(el, g.arr_u)
    factors, levels, margins = search.oneway_margins("excess")
    *_, n_solved = transfer_search(
        GM_SUN_KM3_S2, g.r_e, g.v_e, r_t, v_t, g.inv, g.tof_days * DAY_S,
        mu_park=GM_EARTH_KM3_S2, r_park=R_EARTH_KM + spec.parking_alt_km,
        objective=rank_mod._kernel_objective(spec), limit=rank_mod._limit(spec),
        dep_every=factors[0], tof_every=factors[1], margin_levels_km_s=levels,
        margins_km_s=margins,
    )  # fmt: skip
    assert n_solved.sum() < 0.25 * g.inv.size * len(n_solved)


def test_search_without_margins_is_transfer_min(sample):
    _, el = sample
    g = _oneway_grid()
    r_t, v_t = rank_mod._propagate({k: v[:20] for k, v in el.items()}, g.arr_u)
    kw = dict(mu_park=GM_EARTH_KM3_S2, r_park=R_EARTH_KM + 400.0, limit=6.0, max_c3=40.0)
    a = transfer_min(GM_SUN_KM3_S2, g.r_e, g.v_e, r_t, v_t, g.inv, g.tof_days * DAY_S, **kw)
    b = transfer_search(GM_SUN_KM3_S2, g.r_e, g.v_e, r_t, v_t, g.inv, g.tof_days * DAY_S, **kw)
    for x, y in zip(a, b[:3], strict=True):
        np.testing.assert_array_equal(x, y)


def test_roundtrip_search_equals_fine_lattice(sample):
    _, el = sample
    spec = nhats_spec("nhats-human")
    lat = RoundTripLattice.make(
        START, END, step_days=5.0, max_duration_days=spec.max_duration_days,
        min_stay_days=spec.min_stay_days, min_leg_days=10.0,
    )  # fmt: skip
    r_e, v_e = earth_model().states(lat.seconds)
    fine = rank_mod._roundtrip_chunk(el, lat, r_e, v_e, spec)
    new = search.roundtrip_chunk(el, lat, r_e, v_e, spec)
    assert new == fine  # the same lattice dates (or None) for every target
    assert sum(r["min_dv"] is not None for r in fine) > 0


def test_roundtrip_bound_is_below_every_round_trip(sample):
    """The whole-lattice leg bound never exceeds the best round trip's cost."""
    _, el = sample
    spec = nhats_spec("nhats-human")
    lat = RoundTripLattice.make(
        START, END, step_days=5.0, max_duration_days=spec.max_duration_days,
        min_stay_days=spec.min_stay_days, min_leg_days=10.0,
    )  # fmt: skip
    from prospect.scan.roundtrip import lattice_search

    sub = {k: v[:60] for k, v in el.items()}
    r_t, v_t = rank_mod._propagate(sub, lat.seconds)
    r_e, v_e = earth_model().states(lat.seconds)
    bound = search.roundtrip_bound(r_e, v_e, r_t, v_t, lat, spec)
    best = lattice_search(r_e, v_e, r_t, v_t, lat, spec)["min_dv_cost"]
    ok = np.isfinite(best)
    assert ok.any()
    assert np.all(bound[ok] <= best[ok] + 1e-9)


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
