"""Schedule arithmetic: ready dates, the window searched from them, the phases."""

import datetime as dt

import pytest

from prospect.cost.model import load_cost_model
from prospect.cost.timeline import build_timeline, schedule
from prospect.cost.trajectory import rank_window
from prospect.data import get_mission
from prospect.errors import InputError


def test_schedule_ready_is_start_plus_development_of_the_class():
    m = load_cost_model()
    prof = get_mission("prospector-1")
    months, _ = m.development_months(prof.development_class)
    s = schedule(prof, "2026-01-01", model=m)
    days = m.number("timeline", "days_per_month")
    assert s.ready == dt.date(2026, 1, 1) + dt.timedelta(days=round(months * days))
    assert s.deadline is None and s.development_months == months


def test_schedule_ready_after_the_deadline_is_an_error():
    with pytest.raises(InputError, match=r"^start: start 2028-01-01 \+ .* after the launch"):
        schedule(get_mission("prospector-1"), "2028-01-01", "2028-06-30")
    with pytest.raises(InputError, match=r"^start: cannot read"):
        schedule(get_mission("prospector-1"), "2028-13-45")


def test_rank_window_spans_search_years_from_ready_with_the_model_grid():
    m = load_cost_model()
    t = m.tables["timeline"]
    w = rank_window(dt.date(2027, 1, 1), None, model=m)
    end = dt.date(2027, 1, 1) + dt.timedelta(days=round(float(t["search_years"]) * 365.25))
    assert (w["start"], w["end"]) == ("2027-01-01", end.isoformat())
    assert w["step_days"] == t["departure_step_days"] and w["tof_max_days"] == t["tof_max_days"]
    w = rank_window(dt.date(2027, 1, 1), dt.date(2027, 6, 1), model=m, scan_kwargs={"step_days": 9})
    assert (w["end"], w["step_days"]) == ("2027-06-01", 9)
    with pytest.raises(InputError, match=r"^scan_kwargs: unknown grid setting"):
        rank_window(dt.date(2027, 1, 1), None, model=m, scan_kwargs={"stepdays": 9})


def test_build_timeline_dates():
    tl = build_timeline(
        "2027-01-01",
        10,
        launch="2027-12-01",
        transfer_days=200,
        stay_days=14,
        return_days=300,
        waits=[("phasing", 3, "")],
    )
    # 10 months x 30.4375 d = 304.4 d -> 2027-11-01
    assert tl.ready == "2027-11-01"
    assert [p.name for p in tl.phases] == [
        "development",
        "wait for launch window",
        "transfer",
        "phasing",
        "operations at target",
        "return to Earth",
    ]
    assert tl.arrival == (dt.date(2027, 12, 1) + dt.timedelta(days=200)).isoformat()
    assert tl.end == (dt.date(2027, 12, 1) + dt.timedelta(days=517)).isoformat()
    assert tl.flight_years == pytest.approx(517 / 365.25)
    with pytest.raises(InputError, match="before the spacecraft is ready"):
        build_timeline("2027-01-01", 10, launch="2027-06-01", transfer_days=1, stay_days=1)
    with pytest.raises(InputError, match=r"^start: cannot read"):
        build_timeline("soon", 10, launch="2027-06-01", transfer_days=1, stay_days=1)
