"""Launch-window choice on synthetic scan results and schedule arithmetic."""

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from prospect.cost.timeline import build_timeline, departure_table, first_window_after
from prospect.errors import InputError


def synthetic(dates, dv):
    return pd.DataFrame({"departure": dates, "dv_total_km_s": dv})


DATES = [f"2028-01-{d:02d}" for d in (1, 5, 9, 13, 17, 21, 25, 29)]
# two windows: 5-13 Jan (~3.1-3.3) and 25-29 Jan (3.0 best of the span)
DV = [6.0, 3.3, 3.2, 3.25, 6.0, np.nan, 3.0, 3.05]


def test_first_window_after_ready_not_the_global_best():
    w = first_window_after(synthetic(DATES, DV), "2028-01-03", margin_frac=0.10)
    # open: dv <= 3.0 x 1.1 = 3.3 -> 5, 9, 13 and 25, 29; the first window is 5-13 Jan
    assert (w["open_from"], w["open_to"], w["departure"]) == (
        "2028-01-05",
        "2028-01-13",
        "2028-01-09",
    )
    assert w["search_min_dv_km_s"] == 3.0


def test_ready_inside_a_window_and_later_windows():
    w = first_window_after(synthetic(DATES, DV), "2028-01-10")
    assert (w["open_from"], w["departure"]) == ("2028-01-13", "2028-01-13")
    w = first_window_after(synthetic(DATES, DV), "2028-01-14")
    assert (w["open_from"], w["open_to"], w["departure"]) == (
        "2028-01-25",
        "2028-01-29",
        "2028-01-25",
    )


def test_ready_after_the_window_is_an_error():
    with pytest.raises(InputError, match=r"^--start: the spacecraft is ready on 2028-02-10, after"):
        first_window_after(synthetic(DATES, DV), "2028-02-10")
    with pytest.raises(InputError, match="no feasible transfer departs"):
        first_window_after(synthetic(DATES, [np.nan] * 8), "2028-01-01")


def test_departure_table_picks_least_dv_feasible_tof():
    # 2 dates x 3 flight times; the C3 limit removes the cheapest cell of date 0
    pc = SimpleNamespace(
        departure=np.array(["2028-01-01", "2028-01-05"]),
        tof_days=np.array([100.0, 150.0, 200.0]),
        c3_km2_s2=np.array([[50.0, 5.0, 6.0], [np.nan, 4.0, 3.0]]),
        dv_arrival_km_s=np.array([[0.1, 0.5, 0.6], [np.nan, 0.4, 0.9]]),
        dv_total_km_s=np.array([[2.0, 3.5, 3.6], [np.nan, 3.4, 3.9]]),
    )
    pc.feasible = lambda: np.isfinite(pc.dv_total_km_s) & (pc.c3_km2_s2 <= 20.0)
    t = departure_table(pc)
    assert t["tof_days"].tolist() == [150.0, 150.0]
    assert t["dv_total_km_s"].tolist() == [3.5, 3.4]
    t = departure_table(pc, max_duration_days=120.0)
    assert np.isnan(t["dv_total_km_s"]).all()


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
    with pytest.raises(InputError, match="--start: cannot read"):
        build_timeline("soon", 10, launch="2027-06-01", transfer_days=1, stay_days=1)
