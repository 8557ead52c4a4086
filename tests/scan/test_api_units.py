"""The Python API speaks astropy: Quantities and dates in, short reprs out (issue 12, item 7)."""

from __future__ import annotations

import datetime as dt

import astropy.units as u
import numpy as np
import pandas as pd
import pytest
from astropy.time import Time
from typer.testing import CliRunner

from prospect._coerce import as_days, as_deg, as_km, as_km2_s2, as_km_s
from prospect.catalog import find_target, load_neas
from prospect.cli import app
from prospect.errors import InputError
from prospect.scan import porkchop, rank, round_trip
from prospect.targets import target, target_state

GRID = {"step_days": 20, "tof_step_days": 40}


@pytest.fixture(scope="module")
def plain():
    return porkchop("2000 SG344", "2028-01-01", "2028-12-31", 60, 380, **GRID)


def test_quantities_and_numbers_give_the_same_grid(plain):
    pc = porkchop(
        "2000 SG344",
        Time("2028-01-01"),
        dt.date(2028, 12, 31),
        60 * u.day,
        380 * 86400 * u.s,
        step_days=20 * u.day,
        tof_step_days=dt.timedelta(days=40),
        parking_alt_km=400_000 * u.m,
    )
    np.testing.assert_array_equal(pc.departure_s, plain.departure_s)
    np.testing.assert_array_equal(pc.tof_days, plain.tof_days)
    np.testing.assert_array_equal(pc.dv_total_km_s, plain.dv_total_km_s)


@pytest.mark.parametrize(
    "start",
    ["2028-01-01", "2028-01-01T00:00:00", dt.datetime(2028, 1, 1), np.datetime64("2028-01-01")],
)
def test_every_date_form_is_accepted(plain, start):
    pc = porkchop("2000 SG344", start, pd.Timestamp("2028-12-31"), 60, 380, **GRID)
    np.testing.assert_array_equal(pc.departure_s, plain.departure_s)


def test_round_trip_takes_quantities():
    kw = {"step_days": 8, "refine": False}
    a = round_trip("2000 SG344", "2028-01-01", "2029-06-30", max_duration_days=400, **kw)
    b = round_trip(
        "2000 SG344",
        "2028-01-01",
        "2029-06-30",
        max_duration_days=400 * u.day,
        max_dv_km_s=12 * u.km / u.s,
        max_c3_km2_s2=60 * u.km**2 / u.s**2,
        step_days=8 * u.day,
        refine=False,
    )
    assert a.min_dv == b.min_dv and a.min_duration == b.min_duration


def test_rank_takes_day_quantities():
    cat = load_neas()
    rows = cat.loc[[find_target(cat, n) for n in ("2000 SG344", "2006 RH120")]]
    rows = rows.reset_index(drop=True)
    rows.attrs.update(cat.attrs)
    kw = {"catalog": rows, "start": "2027-11-01", "end": "2028-06-01", "refine": False}
    kw |= {"checkpoint": False, "exhaustive": True, "include_infeasible": True}
    a = rank("prospector-1", step_days=10, tof_step_days=20, **kw)
    b = rank("prospector-1", step_days=10 * u.day, tof_step_days=480 * u.hour, **kw)
    pd.testing.assert_frame_equal(a, b)


def test_coercion_helpers_convert_once_and_name_the_parameter():
    assert as_days(1 * u.yr, "d") == 365.25  # Julian year
    assert as_km(1 * u.au, "r_km") == 149_597_870.7  # IAU 2012 B2
    assert as_km_s(1000 * u.m / u.s, "v_km_s") == 1.0
    assert as_km2_s2(4 * u.km**2 / u.s**2, "c3") == 4.0
    assert as_deg(np.pi / 2 * u.rad, "inc_deg") == pytest.approx(90.0, abs=1e-12)
    assert as_days(None, "step_days", allow_none=True) is None
    for bad, msg in [
        (3 * u.km, "cannot be read as days"),
        ("ten", "not a number of days"),
        (-1, "positive"),
        (float("nan"), "finite"),
        ([1, 2] * u.day, "single value"),
        (True, "not a number"),
    ]:
        with pytest.raises(InputError, match=rf"^step_days \(--step\): .*{msg}"):
            as_days(bad, "step_days (--step)", positive=True)


@pytest.mark.parametrize("bad", ["2028-13-01", "2028-02-30", "next tuesday", 2028])
def test_a_bad_date_is_one_line_naming_the_parameter(bad):
    with pytest.raises(InputError) as err:
        porkchop("2000 SG344", bad, "2029-01-01", 60, 360)
    text = str(err.value)
    # the library names the Python parameter; the CLI maps it to --from
    assert "\n" not in text and text.startswith("departure_start: cannot read")
    with pytest.raises(InputError, match=r"^epochs: cannot read"):
        target_state("Eros", bad)


def test_cli_bad_date_is_one_line_naming_the_flag():
    res = CliRunner().invoke(app, ["porkchop", "2000 SG344", "--from", "2028-13-01"])
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "--from" in lines[0] and "2028-13-01" in lines[0]


def test_results_have_a_short_repr_and_a_notebook_table(plain):
    text = repr(plain)
    assert "\n" not in text and len(text) < 400 and "array" not in text
    assert text.startswith("PorkchopResult('2000 SG344', rendezvous, 19 departures x 9")
    best = plain.best()
    assert f"dv {best.dv_total_km_s:.3f} km/s" in text and best.departure in text
    assert repr(best).startswith("Transfer('2000 SG344', rendezvous: depart ")
    rt = round_trip("2000 SG344", "2028-01-01", "2029-06-30", step_days=8, refine=False)
    for obj in (plain, best, rt, rt.min_dv, target("Eros")):
        assert "\n" not in repr(obj) and len(repr(obj)) < 400
        html = obj._repr_html_()
        assert html.startswith("<table><caption>") and html.endswith("</table>")
    assert "16.840 km" in target("Eros")._repr_html_()


@pytest.mark.parametrize("module", ["prospect._coerce", "prospect._display", "prospect.epochs"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    failures, tried = doctest.testmod(importlib.import_module(module), raise_on_error=False)
    assert tried > 0 and failures == 0


def test_round_trip_frame_dates_are_datetime64():
    rt = round_trip("2000 SG344", "2028-01-01", "2029-06-30", step_days=8, refine=False)
    df = rt.to_frame()
    for col in ("departure", "arrival", "target_departure", "earth_return"):
        assert np.issubdtype(df[col].dtype, np.datetime64)
    first = rt.min_dv.as_dict()
    assert str(df["departure"][0])[:10] == first["departure"]
    assert str(df["earth_return"][0])[:10] == first["earth_return"]


def test_rank_moon_takes_angle_and_length_quantities():
    from prospect.data import MissionProfile
    from prospect.scan.moon import rank_moon

    lander = MissionProfile(
        name="test-lander",
        label="test lander",
        target="moon",
        launch_mode="dedicated",
        wet_mass_kg=1e6,
        dry_mass_kg=1000.0,
        isp_s=320.0,
    )
    kw = {"include_unreachable": True}
    a = rank_moon(lander, "water", arrival_inc_deg=30.0, default_buffer_km=5.0, **kw)
    b = rank_moon(
        lander,
        "water",
        arrival_inc_deg=np.pi / 6 * u.rad,
        default_buffer_km=5000 * u.m,
        **kw,
    )
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)
    with pytest.raises(InputError, match=r"^arrival_inc_deg: a quantity in km cannot"):
        rank_moon(lander, "water", arrival_inc_deg=3 * u.km)
