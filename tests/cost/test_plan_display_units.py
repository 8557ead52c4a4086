"""`PlanResult` displays (one-line repr, notebook table) and the plan API's units and dates.

Quantities and dates go through :mod:`prospect._coerce` (issue 12, item 7): a plan
asked with astropy Quantities and an astropy ``Time`` is the plan asked with plain
days and an ISO date, and a Quantity of the wrong kind is one error naming the
Python parameter.
"""

import datetime as dt

import astropy.units as u
import numpy as np
import pytest
from astropy.time import Time

from prospect.cost import load_cost_model, plan
from prospect.cost.timeline import to_date
from prospect.cost.trajectory import rank_window
from prospect.errors import InputError

KW = dict(mission="mx-1", n_draws=800, seed=3)


@pytest.fixture(scope="module")
def moon_plan():
    return plan("S05", "emerging-powers", start="2027-01-01", stay_days=14, **KW)


def test_repr_is_one_short_line_with_the_answer(moon_plan):
    text = repr(moon_plan)
    assert "\n" not in text and len(text) < 300
    assert text.startswith("PlanResult(")
    assert moon_plan.timeline.launch in text and "mx-1" in text
    assert f"P50 ${moon_plan.cost['p50_musd']:,.1f} M" in text
    assert "array" not in text and "DataFrame" not in text


def test_repr_html_is_a_small_escaped_table(moon_plan):
    page = moon_plan._repr_html_()
    assert page.startswith("<table><caption><b>Plan: ") and page.endswith("</table>")
    assert page.count("<tr>") == len(moon_plan._summary_rows()) <= 12
    assert moon_plan.timeline.launch in page and "emerging-powers" in page
    p10, p50, p90 = (f"{moon_plan.cost[k]:,.1f}" for k in ("p10_musd", "p50_musd", "p90_musd"))
    assert f"{p10} / {p50} / {p90}" in page


def test_quantities_and_time_give_the_same_plan(moon_plan):
    q = plan("S05", "emerging-powers", start=Time("2027-01-01"), stay_days=2 * u.week, **KW)
    assert q.to_dict() == moon_plan.to_dict()
    stay = [p for p in q.timeline.phases if p.name == "operations at target"]
    assert stay and stay[0].days == 14


def test_a_quantity_of_the_wrong_kind_names_the_parameter():
    with pytest.raises(InputError, match=r"^stay_days: a quantity in km cannot be read as days"):
        plan("S05", "emerging-powers", start="2027-01-01", stay_days=3 * u.km, **KW)


def test_rank_window_takes_time_quantities_and_names_the_key():
    m = load_cost_model()
    w = rank_window(
        dt.date(2027, 1, 1),
        None,
        model=m,
        scan_kwargs={"step_days": 36 * u.hour, "tof_max_days": 1 * u.yr},
    )
    assert (w["step_days"], w["tof_max_days"]) == (1.5, 365.25)
    assert isinstance(w["step_days"], float)  # JSON-ready: no Quantity left in the window
    with pytest.raises(
        InputError, match=r"^tof_min_days: a quantity in km / s cannot be read as days"
    ):
        rank_window(
            dt.date(2027, 1, 1), None, model=m, scan_kwargs={"tof_min_days": 3 * u.km / u.s}
        )


def test_to_date_reads_dates_through_the_one_parser():
    want = dt.date(2027, 1, 15)
    for value in (
        "2027-01-15",
        "2027-01-15T23:59:00",
        Time("2027-01-15T12:00", scale="utc"),
        Time(Time("2027-01-15T12:00").jd, format="jd", scale="tdb"),
        np.datetime64("2027-01-15"),
        dt.datetime(2027, 1, 15, 18),
        want,
    ):
        assert to_date(value) == want, value
    with pytest.raises(InputError, match=r"^launch_by: cannot read 'soon' as a date") as err:
        to_date("soon", option="launch_by")
    assert "\n" not in str(err.value)
    with pytest.raises(InputError, match=r"^start: expected one date"):
        to_date(["2027-01-01", "2027-01-02"], option="start")
