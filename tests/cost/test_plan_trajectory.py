"""One trajectory per answer: plan flies rank's trajectory with the profile's own spacecraft.

* ``plan`` and ``prospect rank`` choose the same transfer for the same target,
  profile and ready date (departure and arrival dates equal, delta-v within
  1 mm/s);
* no output of a plan without ``allow_resize`` (table, JSON, CSV) shows a wet
  mass other than the profile's (``catalogs/missions.toml``: Prospector-1 50 kg
  "when fueled", Arkyd-300 11 + 6.49 kg);
* a spacecraft that cannot fly the target is said so, with the spacecraft it
  would take; resizing only when asked, and then flagged in every format;
* a budget below the cost gives the plan and its funding gap, exit 0.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from prospect.cli import app
from prospect.cli.plan import render
from prospect.cost import load_cost_model, plan
from prospect.cost.trajectory import rank_window
from prospect.data import get_mission
from prospect.scan import rank
from prospect.targets import target

pytestmark = pytest.mark.filterwarnings("ignore::erfa.core.ErfaWarning")

START = "2026-01-01"


@pytest.fixture(scope="module")
def sg344():
    return plan("2000 SG344", "astroforge", mission="prospector-1", start=START, n_draws=1000)


@pytest.fixture(scope="module")
def bennu():
    return plan("Bennu", "astroforge", mission="arkyd-300", start=START, n_draws=1000)


@pytest.fixture(scope="module")
def bennu_resized():
    return plan(
        "Bennu", "astroforge", mission="arkyd-300", start=START, n_draws=1000, allow_resize=True
    )


def _wet_masses(d, path="", skip=("would_take",)):
    """Every (key path, value) whose key names a wet mass, outside ``skip``."""
    if isinstance(d, dict):
        for k, v in d.items():
            if k in skip:
                continue
            p = f"{path}.{k}" if path else k
            if "wet" in k and isinstance(v, int | float):
                yield p, v
            yield from _wet_masses(v, p, skip)
    elif isinstance(d, list):
        for i, v in enumerate(d):
            yield from _wet_masses(v, f"{path}[{i}]", skip)


def _check_formats_show_only(result, wet_kg: float):
    d = json.loads(render(result, "json"))
    found = list(_wet_masses(d))
    assert len(found) >= 3
    for p, v in found:
        assert v == pytest.approx(wet_kg, abs=1e-9), p
    rows = list(csv.reader(io.StringIO(render(result, "csv"))))
    wet_rows = [(k, v) for k, v in rows[1:] if "wet" in k.split(".")[-1] and "would_take" not in k]
    assert len(wet_rows) == len(found)
    for k, v in wet_rows:
        assert float(v) == pytest.approx(wet_kg, abs=1e-9), k
    table = render(result, "table")
    masses = [
        float(m.group(1))
        for line in table.splitlines()
        if "it would take" not in line and "CANNOT FLY:" not in line
        for m in re.finditer(r"wet ([\d.,]+) kg", line)
    ]
    assert masses and all(m == pytest.approx(wet_kg, abs=0.05) for m in masses), masses


def test_plan_trajectory_is_ranks_for_the_same_target_profile_and_ready_date(sg344):
    prof = get_mission("prospector-1")
    ready = pd.Timestamp(sg344.timeline.ready).date()
    window = rank_window(ready, None, model=load_cost_model())
    ref = rank(
        prof,
        catalog=pd.DataFrame([target("2000 SG344").row]),
        exhaustive=True,
        checkpoint=False,
        **window,
    ).iloc[0]
    t = sg344.mission.trajectory
    # rank's date columns are datetime64 (issue 12); the plan shows ISO dates
    dep, arr = (ref[c].strftime("%Y-%m-%d") for c in ("departure", "arrival"))
    assert (t["departure"], t["arrival"]) == (dep, arr)
    assert sg344.timeline.launch == dep  # launch date = departure costed
    assert abs(t["spacecraft_dv_km_s"] - ref["dv_spacecraft_km_s"]) < 1e-6  # 1 mm/s
    assert abs(t["dv_arrival_km_s"] - ref["dv_arrival_km_s"]) < 1e-6
    assert abs(t["departure_c3_km2_s2"] - ref["c3_km2_s2"]) < 1e-6


def test_prospector_1_flies_its_50_kg_spacecraft_within_its_capacity(sg344):
    prof = get_mission("prospector-1")
    sz, t = sg344.mission.sizing, sg344.mission.trajectory
    assert prof.wet_mass_kg == pytest.approx(50.0)  # DSI: "50 kg when fueled"
    assert sz.wet_kg == pytest.approx(50.0) and not sz.resized and sz.can_fly
    # the profile's capacity, ln(50 / 27.9) * 175 s * g0 = 1.001 km/s
    assert t["profile_dv_capacity_km_s"] == pytest.approx(1.0012, abs=1e-4)
    assert t["spacecraft_dv_km_s"] <= t["profile_dv_capacity_km_s"]
    assert sz.spacecraft_dv_km_s <= t["profile_dv_capacity_km_s"]
    assert sz.propellant_used_kg <= sz.propellant_kg == pytest.approx(22.1)
    _check_formats_show_only(sg344, 50.0)


def test_arkyd_300_to_bennu_says_it_cannot_fly_and_what_it_would_take(bennu):
    prof = get_mission("arkyd-300")
    wet = prof.dry_mass_kg + prof.propellant_mass_kg  # 17.49 kg
    sz, t = bennu.mission.sizing, bennu.mission.trajectory
    assert not sz.can_fly and not sz.resized and sz.wet_kg == pytest.approx(wet)
    # rank's best transfer needs more than the 1.0 km/s the profile carries
    assert not t["feasible"] and t["spacecraft_dv_km_s"] > t["profile_dv_capacity_km_s"]
    w = sz.would_take
    assert w["wet_kg"] > wet and w["propellant_kg"] > prof.propellant_mass_kg
    # the spacecraft it would take closes the rocket equation for its delta-v
    g0 = 9.80665e-3
    assert w["spacecraft_dv_km_s"] == pytest.approx(
        prof.isp_s * g0 * math.log(w["wet_kg"] / w["dry_kg"]), rel=1e-9
    )
    # the spacecraft costed and launched is the profile's: 11 kg dry in the CERs
    best = bennu.mission.launch.best
    assert (best.dry_kg, best.wet_kg) == pytest.approx((prof.dry_mass_kg, wet))
    assert bennu.mission.spacecraft.bus_mass_kg == pytest.approx(prof.dry_mass_kg)
    flags = [f for f in bennu.flags if f.startswith("CANNOT FLY")]
    assert len(flags) == 1 and f"{w['wet_kg']:.1f} kg spacecraft" in flags[0]
    assert bennu.timeline.launch == t["departure"]
    table = render(bennu, "table")
    assert "[CANNOT FLY]" in table and "it would take: wet" in table
    _check_formats_show_only(bennu, wet)


def test_resizing_only_when_asked_and_flagged_in_every_format(bennu, bennu_resized):
    sz = bennu_resized.mission.sizing
    assert sz.resized and sz.wet_kg == pytest.approx(bennu.mission.sizing.would_take["wet_kg"])
    assert sz.profile_wet_kg == pytest.approx(17.49)
    assert json.loads(render(bennu_resized, "json"))["sizing"]["resized"] is True
    assert "sizing.resized,True" in render(bennu_resized, "csv").splitlines()
    table = render(bennu_resized, "table")
    assert "[RESIZED]" in table and "RESIZED (allow_resize)" in table
    assert "sizing.resized,False" in render(bennu, "csv").splitlines()


@pytest.mark.parametrize("resize", [[], ["--allow-resize"]])
def test_2008_ev5_for_lux_planetary_resources_exits_0_with_its_funding(resize):
    res = CliRunner().invoke(
        app,
        [
            "plan",
            "2008 EV5",
            "--consortium",
            "lux-planetary-resources-2016",
            "--start",
            START,
            "--draws",
            "500",
            *resize,
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    f, c = d["funding"], d["cost"]
    assert f["budget_musd"] == pytest.approx(d["consortium"]["budget_musd"])
    assert (f["p50_musd"], f["p90_musd"]) == (c["p50_musd"], c["p90_musd"])
    assert f["gap_p50_musd"] == pytest.approx(max(0.0, c["p50_musd"] - f["budget_musd"]))
    assert f["gap_p90_musd"] == pytest.approx(max(0.0, c["p90_musd"] - f["budget_musd"]))
    assert f["affordable"] == (f["budget_musd"] >= c["p50_musd"])
    assert any(x.startswith("FUNDING GAP") for x in d["flags"]) != f["affordable"]
    # neither NEA profile (~1 km/s each) can fly to 2008 EV5 with its own spacecraft
    assert d["sizing"]["resized"] == bool(resize) and d["sizing"]["can_fly"] == bool(resize)
