"""Yield value by target class and the environmental / heritage flags."""

import math

import pandas as pd
import pytest

from prospect.core.constants import R_MOON_KM
from prospect.core.sphere import great_circle_km
from prospect.cost.environment import (
    assess,
    asteroid_cospar_category,
    heritage_check,
)
from prospect.cost.value import parse_prices, yield_value
from prospect.errors import InputError


def test_c_type_water_expected_grade_and_value():
    # resources.toml water records listing class C: CI 10-31.8 (mid 20.9), CM 5-15.9
    # (mid 10.45), heated CI 2-9 (mid 5.5) wt% -> mean 12.283 wt%; range 2-31.8 wt%
    yv = yield_value("C", "nea", 1000.0, prices={"water": 5000.0})
    (w,) = yv.resources
    assert w.grade_expected == pytest.approx((20.9 + 10.45 + 5.5) / 300.0, rel=1e-12)
    assert (w.grade_low, w.grade_high) == pytest.approx((0.02, 0.318))
    assert w.mass_expected_kg == pytest.approx(1000.0 * w.grade_expected)
    assert yv.value_expected_musd == pytest.approx(w.mass_expected_kg * 5000.0 / 1e6)
    assert w.price_is_assumption and w.price_location == "user"


def test_moon_psr_water_uses_lunar_surface_price_escalated():
    yv = yield_value("polar_psr", "moon", 100.0)
    (w,) = yv.resources
    # $1 M/kg in 2020 (price.water-lunar-surface) escalated with the NNSI 1.666 -> 1.906
    assert w.price_usd_per_kg == pytest.approx(1.0e6 * 1.906 / 1.666, rel=1e-9)
    assert w.price_location == "lunar_surface" and w.price_is_assumption
    # LEND 0.27 wt% and LCROSS typical 5.6 wt% -> mean 2.935 wt%
    assert w.grade_expected == pytest.approx((0.27 + 5.6) / 200.0)


def test_m_type_has_two_resources_and_unknown_class_flags():
    yv = yield_value("M", "nea", 1000.0)
    assert {r.resource for r in yv.resources} == {"nickel", "pgm"}
    assert yield_value(None, "nea", 10.0).resources == []
    assert "target class unknown" in yield_value(None, "nea", 10.0).flags[0]
    assert "no feedstock" in yield_value("C", "nea", 0.0).flags[0]


def test_parse_prices():
    assert parse_prices(["water=500", " pgm = 1e4"]) == {"water": 500.0, "pgm": 10000.0}
    with pytest.raises(InputError, match=r"^prices: expected COMMODITY"):
        parse_prices(["water"])
    with pytest.raises(InputError, match=r"^prices"):
        parse_prices(["water=-3"])


def test_great_circle():
    assert great_circle_km(0, 0, 0, 180, R_MOON_KM) == pytest.approx(math.pi * R_MOON_KM, rel=1e-12)
    assert great_circle_km(-89.5, 10, -89.5, 10, R_MOON_KM) == pytest.approx(0.0, abs=1e-9)
    # 1 deg of latitude = 2 pi R / 360 = 30.3233 km on the Moon
    assert great_circle_km(10, 20, 11, 20, R_MOON_KM) == pytest.approx(
        2 * math.pi * R_MOON_KM / 360
    )


def test_heritage_buffer_apollo_11():
    from prospect.data import load_moon_sites

    sites = load_moon_sites()
    a11 = sites[sites["id"] == "M02"].iloc[0]
    # a site 1 km north of Apollo 11 is inside the NASA 2 km buffer
    dlat = 1.0 / (2 * math.pi * R_MOON_KM / 360)
    t = heritage_check(a11["lat_deg"] + dlat, a11["lon_deg_east"], sites, 2.0)
    assert t.iloc[0]["id"] == "M02" and t.iloc[0]["inside"]
    assert t.iloc[0]["distance_km"] == pytest.approx(1.0, abs=1e-9)
    env = assess(
        "moon",
        lat_deg=a11["lat_deg"] + dlat,
        lon_deg=a11["lon_deg_east"],
        dry_mass_kg=150.0,
        sites=sites,
    )
    assert env.cospar_category == "IIa"
    assert any("inside the 2 km heritage buffer of Apollo 11" in f for f in env.flags)
    assert env.mass_left_kg == 150.0


def test_cospar_categories():
    env = assess("moon", lat_deg=-84.68, lon_deg=-48.71, exhaust_kg=100.0)
    assert env.cospar_category == "IIb"
    assert any("IIb" in f and "organic inventory" in f for f in env.flags)
    assert any("descent propellant" in f for f in env.flags)
    assert asteroid_cospar_category("S")[0] == "I"
    assert asteroid_cospar_category("C")[0] == "II"
    assert asteroid_cospar_category(None)[0] == "II"
    env = assess("nea", target_class="C", sample_return=True, dry_mass_kg=0.0)
    assert env.earth_return.startswith("V (unrestricted") and env.mass_left_kg == 0.0
    env = assess("nea", target_class="D", sample_return=True)
    assert "[A]" in env.earth_return


def test_heritage_ignores_non_heritage_rows():
    sites = pd.DataFrame(
        {
            "id": ["X"],
            "name": ["x"],
            "lat_deg": [0.0],
            "lon_deg_east": [0.0],
            "heritage": ["none"],
            "heritage_buffer_km": [float("nan")],
        }
    )
    assert heritage_check(0.0, 0.0, sites, 2.0).empty
