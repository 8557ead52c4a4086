"""Catalogs other than NEAs (prospect.data) and their CLI listings.

References used below, nobody's code here:
- Rocket equation dv = Isp g0 ln(m0/mf), g0 = 9.80665 m/s^2 (3rd CGPM, exact),
  evaluated by hand with ``math`` in each test.
- COSPAR lunar category IIb: south of 79 S and north of 86 N (COSPAR 2021 policy).
- NASA 2011 heritage recommendations: 2 km buffer around US heritage landers.
- Published figures quoted in the catalogs (MX-1 600 kg wet / 75% propellant,
  HAKUTO-R M1 340 kg dry / 1,050 kg wet, SpaceX rideshare $350k per 50 kg + $7k/kg).
"""

from __future__ import annotations

import csv
import io
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import prospect.cli.data_cmds  # noqa: F401  (registers the commands on the app)
from prospect import data
from prospect._resources import catalog_path
from prospect.cli import app
from prospect.errors import CatalogFormatError, InputError, UnknownNameError

FIXTURES = Path(__file__).parent / "data_fixtures"
G0 = 9.80665  # m/s^2, standard gravity (exact)

NAMED_PROFILES = ("prospector-x", "prospector-1", "arkyd-300", "mx-1", "hakuto-r-m1", "argonaut")


def _dv_by_hand_km_s(wet, dry, isp):
    return math.log(wet / dry) * isp * G0 / 1000.0


# ---------------------------------------------------------------- shipped files


def test_shipped_moon_sites_load_and_validate():
    sites = data.load_moon_sites()
    assert len(sites) >= 30
    assert sites["id"].is_unique
    assert sites["lat_deg"].between(-90, 90).all()
    assert sites["lon_deg_east"].between(-180, 180).all()
    assert set(sites["confidence"]) <= {"V", "G", "A"}
    assert (sites["source"].str.len() > 0).all()
    # every resource of the vocabulary occurs at least once
    for res in data.RESOURCES:
        assert sites[f"has_{res}"].any(), res
    # the categories the brief asks for are all present
    for cat in ("polar_psr", "polar_illuminated", "mare_ti", "pyroclastic", "pit", "kreep"):
        assert (sites["category"] == cat).any(), cat
    assert (sites["category"] == "landing_site").sum() >= 10


def test_site_cospar_category_follows_latitude_rule():
    sites = data.load_moon_sites()
    polar = (sites["lat_deg"] <= -79.0) | (sites["lat_deg"] >= 86.0)
    assert (sites.loc[polar, "cospar_category"] == "IIb").all()
    assert (sites.loc[~polar, "cospar_category"] == "IIa").all()
    # all PSR sites of the catalog sit in the IIb band
    assert (sites.loc[sites["category"] == "polar_psr", "cospar_category"] == "IIb").all()


def test_site_earth_visibility_is_consistent_with_geometry():
    """'continuous' only on the near side, 'none' only on the far side.

    Angular distance d from the mean sub-Earth point: cos d = cos(lat) cos(lon).
    """
    sites = data.load_moon_sites()
    d = np.degrees(
        np.arccos(np.cos(np.radians(sites["lat_deg"])) * np.cos(np.radians(sites["lon_deg_east"])))
    )
    assert (d[sites["earth_visibility"] == "continuous"] < 90.0).all()
    assert (d[sites["earth_visibility"] == "none"] > 90.0).all()
    # the two far-side sample-return sites have no direct Earth view
    for sid in ("L09", "L11"):
        assert data.get_site(sid, sites)["earth_visibility"] == "none"


def test_site_heritage_and_evidence_columns():
    sites = data.load_moon_sites()
    us = sites[sites["heritage"] == "us"]
    assert len(us) >= 10  # Apollo 11-17 and five Surveyors
    assert (us["heritage_buffer_km"] == 2.0).all()
    assert sites.loc[sites["heritage"] != "us", "heritage_buffer_km"].isna().all()
    # evidence is given only for listed resources, and LCROSS is the in-situ water point
    for res in data.RESOURCES:
        listed = sites[f"has_{res}"]
        assert sites.loc[~listed, f"{res}_evidence"].isna().all()
    lcross = data.get_site("S05", sites)
    assert lcross["water_evidence"] == 3
    assert lcross["illumination_frac"] == 0.0
    # PSR darkness only where the category says PSR
    dark = sites["illumination_frac"] == 0.0
    assert (sites.loc[dark, "category"] == "polar_psr").all()


def test_shipped_missions_load_and_named_profiles_exist():
    profiles = data.load_missions()
    for name in (*NAMED_PROFILES, "nhats-human"):
        assert name in profiles
    for p in profiles.values():
        assert p.target in data.TARGET_KINDS
        assert p.launch_mode in data.LAUNCH_MODES
        if not math.isnan(p.dry_mass_kg) and not math.isnan(p.wet_mass_kg):
            assert p.dry_mass_kg <= p.wet_mass_kg
            assert abs(p.wet_mass_kg - p.dry_mass_kg - p.propellant_mass_kg) < 1e-6


def test_every_number_in_shipped_toml_files_has_a_source():
    """No bare number in the shipped TOML catalogs: each carries a source string."""

    def walk(obj, where):
        if isinstance(obj, dict):
            if "value" in obj:
                assert isinstance(obj.get("source"), str) and obj["source"].strip(), where
                return
            keys = set(obj)
            for k, v in obj.items():
                if isinstance(v, bool) or k == "year":
                    continue
                if isinstance(v, int | float):
                    # a bare number is allowed only in a record that states its source
                    assert "source" in keys and obj["source"].strip(), f"{where}.{k}"
                else:
                    walk(v, f"{where}.{k}")
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                if isinstance(v, int | float) and not isinstance(v, bool):
                    continue  # arrays of a sourced table (C3 curve)
                walk(v, f"{where}[{i}]")

    for name in ("missions.toml", "launchers.toml", "consortia.toml", "resources.toml"):
        with open(catalog_path(name), "rb") as fh:
            walk(tomllib.load(fh), name)


def test_mission_delta_v_capacity_is_the_rocket_equation():
    mx1 = data.get_mission("mx-1")
    # MX-1: 600 kg wet, 75% propellant (450 kg) -> 150 kg dry; Isp 300 s (assumed)
    assert mx1.dry_mass_kg == 150.0
    expected = _dv_by_hand_km_s(600.0, 150.0, 300.0)  # = 4.07847 km/s
    assert abs(mx1.delta_v_capacity_km_s - expected) < 1e-9  # km/s, i.e. 1 um/s
    hak = data.get_mission("hakuto-r-m1")
    assert hak.propellant_mass_kg == 710.0
    expected = _dv_by_hand_km_s(1050.0, 340.0, 320.0)
    assert abs(hak.delta_v_capacity_km_s - expected) < 1e-9


@pytest.mark.parametrize(
    ("name", "design_dv_km_s"),
    [("prospector-1", 1.0), ("arkyd-300", 1.0), ("argonaut", 2.9)],
)
def test_assumed_propellant_loads_match_their_stated_design_dv(name, design_dv_km_s):
    """The 'calc' masses in missions.toml reproduce the delta-v their source states.

    Tolerance 2 m/s: the files round the masses to 0.01-1 kg.
    """
    p = data.get_mission(name)
    assert abs(p.delta_v_capacity_km_s - design_dv_km_s) < 0.002
    assert p.estimates  # the profile flags its assumed numbers


def test_limits_and_budget():
    nh = data.get_mission("nhats-human")
    assert nh.round_trip
    assert (nh.max_c3_km2_s2, nh.max_duration_days, nh.min_stay_days) == (60.0, 450.0, 8.0)
    assert math.isnan(nh.delta_v_capacity_km_s)
    assert nh.dv_budget_km_s == 12.0
    mx1 = data.get_mission("mx-1")
    assert mx1.max_c3_km2_s2 == math.inf and mx1.min_stay_days == 0.0
    assert mx1.dv_budget_km_s == mx1.delta_v_capacity_km_s
    px = data.get_mission("prospector-x")
    assert math.isnan(px.dv_budget_km_s)  # no masses, no limits
    assert data.get_mission("prospector-1").kick_stage_c3_km2_s2 == 0.0


def test_shipped_launchers_and_rideshare_tariff():
    lv = data.load_launchers()
    for name in (
        "falcon-9",
        "falcon-heavy-expendable",
        "vulcan-vc6",
        "soyuz-fregat",
        "sls-block-1",
        "new-glenn",
        "falcon-9-rideshare",
    ):
        assert name in lv
    rs = lv["falcon-9-rideshare"].rideshare
    # SpaceX Feb 2026: $350k up to 50 kg, then $7,000/kg
    assert rs.price_for(10.0) == 350_000.0
    assert rs.price_for(50.0) == 350_000.0
    assert rs.price_for(200.0) == 350_000.0 + 150.0 * 7_000.0
    np.testing.assert_array_equal(rs.price_for([50.0, 51.0]), [350_000.0, 357_000.0])
    fh = lv["falcon-heavy-expendable"]
    np.testing.assert_array_equal(fh.payload_at_c3(fh.c3_km2_s2), fh.c3_payload_kg)
    # linear between C3 10 (12,433 kg) and 15 (11,242 kg)
    assert fh.payload_at_c3(12.5) == pytest.approx((12433.0 + 11242.0) / 2, abs=1e-9)
    assert np.isnan(fh.payload_at_c3(70.0)) and np.isnan(fh.payload_at_c3(0.0))
    assert np.isnan(lv["falcon-9"].payload_at_c3(5.0))  # no public F9 curve
    for launcher in lv.values():
        if launcher.price is not None:
            assert "price" in launcher.sources and launcher.price.currency in data.CURRENCIES


def test_shipped_consortia_and_legal_frameworks():
    cons = data.load_consortia()
    for name in (
        "lux-planetary-resources-2016",
        "lux-dsi-2016",
        "ispace-jaxa",
        "esa-moon-village",
        "moon-express",
        "artemis-clps",
        "ilrs",
        "chandrayaan-5-lupex",
        "astroforge",
        "emerging-powers",
    ):
        assert name in cons
    lpr = cons["lux-planetary-resources-2016"]
    # EUR 12 M equity + EUR 13 M grants = the EUR 25 M budget
    assert lpr.total("EUR") == lpr.budget.value == 25.0e6
    lux = lpr.member("government of luxembourg (ministry of the economy, snci)")
    assert lux.legal.space_resources_law.in_force == "2017-08-01"
    states = data.load_legal_frameworks()
    laws = {c for c, s in states.items() if s.space_resources_law is not None}
    assert laws == {"US", "LU", "AE", "JP"}  # the four national space-resource laws
    founders = {
        c for c, s in states.items() if s.artemis_accords and s.artemis_accords.date == "2020-10-13"
    }
    assert founders == {"AU", "CA", "IT", "JP", "LU", "AE", "GB", "US"}
    assert states["CN"].ilrs.date == states["RU"].ilrs.date == "2021-03-09"


def test_shipped_resources():
    cat = data.load_resources()
    assert all(p.assumption for p in cat.prices.values())
    assert {"water-ci", "pgm-m", "water-psr-cabeus", "he3-high-ti-mare"} <= set(cat.yields)
    names = [y.name for y in cat.yields_for("C", body="nea", resource="water")]
    assert "water-ci" in names and "water-cm" in names
    lo, hi = cat.yields["he3-high-ti-mare"].mass_fraction
    assert (lo, hi) == pytest.approx((7e-9, 20e-9))
    # ilmenite upper bound from TiO2: FeTiO3 is 52.66 wt% TiO2 (79.87 / 151.71)
    ilm = cat.yields["ilmenite-high-ti-mare"]
    assert ilm.low == pytest.approx(6.0 / (79.87 / 151.71), abs=0.05)
    assert ilm.high == pytest.approx(7.5 / (79.87 / 151.71), abs=0.05)
    # He-3 price: 1 L of gas at STP is 3.016 g/mol / 22.414 L/mol = 0.1346 g
    he3 = cat.prices["he3"]
    assert he3.value == pytest.approx(1500.0 / (3.016e-3 / 22.414), rel=0.01)


# ---------------------------------------------------------------- names


def test_unknown_names_suggest_close_matches():
    with pytest.raises(UnknownNameError) as exc:
        data.get_mission("prospector")
    assert {"prospector-1", "prospector-x"} <= set(exc.value.suggestions)
    with pytest.raises(UnknownNameError) as exc:
        data.get_launcher("falcon9")
    assert "falcon-9" in exc.value.suggestions
    with pytest.raises(UnknownNameError, match="unknown consortium 'ilrz'"):
        data.get_consortium("ilrz")
    with pytest.raises(UnknownNameError) as exc:
        data.get_site("Shakleton")
    assert any("Shackleton" in s for s in exc.value.suggestions)
    assert data.get_mission("MX-1").name == "mx-1"  # case-insensitive


# ---------------------------------------------------------------- user files


def test_user_file_adds_and_overrides_profiles():
    extra = FIXTURES / "extra_profiles.toml"
    profiles = data.load_missions(extra=extra)
    assert "my-cubesat" in profiles
    cube = profiles["my-cubesat"]
    assert cube.wet_mass_kg == 25.0
    assert abs(cube.delta_v_capacity_km_s - _dv_by_hand_km_s(25.0, 20.0, 230.0)) < 1e-9
    assert cube.max_duration_days == 700.0 and cube.min_stay_days == 30.0
    # "MX-1" replaces the shipped "mx-1" whole: one entry, the user's Isp
    assert [n for n in profiles if n.lower() == "mx-1"] == ["MX-1"]
    assert data.get_mission("mx-1", profiles).isp_s == 320.0
    assert data.get_mission("mx-1", profiles).path == str(extra)
    # the shipped profiles are still there
    assert set(NAMED_PROFILES) - {"mx-1"} <= set(profiles)
    # a list of paths, read in order
    assert "my-cubesat" in data.load_missions(extra=[extra, extra])


# ---------------------------------------------------------------- bad inputs

_GOOD_PROFILE = """
[probe]
target = "nea"
launch_mode = "rideshare_leo"
dry_mass_kg = 20.0
wet_mass_kg = 30.0
isp_s = 220.0
"""


def _profile_file(tmp_path, text, name="bad.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("old", "new", "record", "field"),
    [
        ("dry_mass_kg = 20.0", "dry_mass_kg = -20.0", "probe", "dry_mass_kg"),
        ("isp_s = 220.0", "isp_s = -220.0", "probe", "isp_s"),
        ("isp_s = 220.0", "isp_s = 0.0", "probe", "isp_s"),
        ("dry_mass_kg = 20.0", "dry_mass_kg = 40.0", "probe", "dry_mass_kg"),
        ('target = "nea"\n', "", "probe", "target"),
        ('"rideshare_leo"', '"balloon"', "probe", "launch_mode"),
        ('"nea"', '"mars"', "probe", "target"),
        ("isp_s = 220.0", 'isp_s = "220"', "probe", "isp_s"),
        ("isp_s = 220.0", "isp = 220.0", "probe", "isp"),
        ("isp_s = 220.0", "isp_s = 220.0\npropellant_mass_kg = 5.0", "probe", "wet_mass_kg"),
        ("isp_s = 220.0", "isp_s = 220.0\npayload_mass_kg = 25.0", "probe", "payload_mass_kg"),
        (
            "isp_s = 220.0",
            'isp_s = { value = 220.0, source = "x", confidence = "maybe" }',
            "probe",
            "isp_s",
        ),
        (
            "isp_s = 220.0",
            "isp_s = 220.0\n[probe.limits]\nmax_duration_days = -5.0",
            "probe.limits",
            "max_duration_days",
        ),
    ],
)
def test_bad_profile_raises_naming_file_record_field(tmp_path, old, new, record, field):
    assert old in _GOOD_PROFILE
    path = _profile_file(tmp_path, _GOOD_PROFILE.replace(old, new, 1))
    with pytest.raises(CatalogFormatError) as exc:
        data.load_missions(path)
    err = exc.value
    assert err.path == str(path)
    assert err.record == record
    assert err.field == field
    msg = str(err)
    assert "\n" not in msg and str(path) in msg and f"record {record}" in msg and field in msg


def test_good_profile_template_is_valid(tmp_path):
    """The template the bad cases mutate is itself valid (so they fail for their reason)."""
    p = data.load_missions(_profile_file(tmp_path, _GOOD_PROFILE))["probe"]
    assert p.propellant_mass_kg == 10.0


def test_duplicate_profile_names_and_toml_syntax(tmp_path):
    dup = _GOOD_PROFILE + _GOOD_PROFILE.replace("[probe]", "[PROBE]")
    with pytest.raises(CatalogFormatError) as exc:
        data.load_missions(_profile_file(tmp_path, dup))
    assert exc.value.record == "PROBE" and "duplicate" in str(exc.value)
    broken = _GOOD_PROFILE.replace("isp_s = 220.0", "isp_s = = 220.0")
    path = _profile_file(tmp_path, broken, "broken.toml")
    with pytest.raises(CatalogFormatError) as exc:
        data.load_missions(path)
    assert exc.value.record == 7  # the line of the syntax error
    assert str(exc.value).startswith(f"{path}: line 7: invalid TOML")


def _sites_csv(tmp_path, edit):
    """The shipped CSV with `edit(lines)` applied (lines[0] is the header)."""
    lines = catalog_path("moon_sites.csv").read_text().splitlines()
    edit(lines)
    path = tmp_path / "sites.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _replace_cell(line: str, col: int, value: str) -> str:
    cells = next(csv.reader([line]))
    cells[col] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cells)
    return buf.getvalue()


_HEADER = catalog_path("moon_sites.csv").read_text().splitlines()[0].split(",")


@pytest.mark.parametrize(
    ("column", "value", "line", "field"),
    [
        ("lat_deg", "95.0", 3, "lat_deg"),
        ("lat_deg", "-90.5", 4, "lat_deg"),
        ("lon_deg_east", "190", 2, "lon_deg_east"),
        ("lon_deg_east", "east", 2, "lon_deg_east"),
        ("id", "S01", 3, "id"),  # duplicate of line 2
        ("resources", "water;gold", 2, "resources"),
        ("resource_evidence", "water:1;he3:2", 2, "resource_evidence"),
        ("resource_evidence", "water:5", 2, "resource_evidence"),
        ("category", "volcano", 2, "category"),
        ("cospar_category", "IIa", 2, "cospar_category"),
        ("illumination_frac", "1.2", 2, "illumination_frac"),
        ("name", "", 5, "name"),
        ("confidence", "B", 2, "confidence"),
    ],
)
def test_bad_site_rows_raise_naming_line_and_column(tmp_path, column, value, line, field):
    col = _HEADER.index(column)

    def edit(lines):
        lines[line - 1] = _replace_cell(lines[line - 1], col, value)

    path = _sites_csv(tmp_path, edit)
    with pytest.raises(CatalogFormatError) as exc:
        data.load_moon_sites(path)
    assert (exc.value.path, exc.value.record, exc.value.field) == (str(path), line, field)
    assert f"line {line}" in str(exc.value) and "\n" not in str(exc.value)


def test_bad_site_fixture_and_missing_column(tmp_path):
    with pytest.raises(CatalogFormatError) as exc:
        data.load_moon_sites(FIXTURES / "bad_lat_sites.csv")
    assert (exc.value.record, exc.value.field) == (3, "lat_deg")

    def drop_source(lines):
        col = _HEADER.index("source")
        for i, ln in enumerate(lines):
            cells = next(csv.reader([ln]))
            del cells[col]
            buf = io.StringIO()
            csv.writer(buf, lineterminator="").writerow(cells)
            lines[i] = buf.getvalue()

    path = _sites_csv(tmp_path, drop_source)
    with pytest.raises(CatalogFormatError) as exc:
        data.load_moon_sites(path)
    assert (exc.value.record, exc.value.field) == (1, "source")


def test_minimal_user_site_file_loads(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,name,lat_deg,lon_deg_east,category,resources,source,confidence\n"
        "U1,My ridge,-86.5,10.0,polar_illuminated,power;comms,my survey,A\n"
    )
    sites = data.load_moon_sites(path)
    row = sites.iloc[0]
    assert row["cospar_category"] == "IIb"  # filled from the latitude rule
    assert row["earth_visibility"] == "unknown" and row["heritage"] == "none"
    assert bool(row["has_power"]) and row["power_evidence"] is pd.NA


_LAUNCHER = """
[rocket]
modes = ["dedicated", "c3"]
price = { value = 50.0e6, currency = "USD", year = 2025, estimate = true, source = "test" }
[rocket.c3]
c3_km2_s2 = [0.0, 10.0, 20.0]
payload_kg = [3000.0, 2000.0, 1000.0]
source = "test"
"""


@pytest.mark.parametrize(
    ("old", "new", "record", "field"),
    [
        ('"c3"]', '"warp"]', "rocket", "modes"),
        ("[0.0, 10.0, 20.0]", "[0.0, 20.0, 10.0]", "rocket.c3", "c3_km2_s2"),
        ("[3000.0, 2000.0, 1000.0]", "[3000.0, 2000.0]", "rocket.c3", "payload_kg"),
        ("[3000.0, 2000.0, 1000.0]", "[1000.0, 2000.0, 3000.0]", "rocket.c3", "payload_kg"),
        ('currency = "USD", ', "", "rocket", "price"),
        ("value = 50.0e6", "value = -50.0e6", "rocket", "price"),
    ],
)
def test_bad_launcher_raises(tmp_path, old, new, record, field):
    assert old in _LAUNCHER
    path = _profile_file(tmp_path, _LAUNCHER.replace(old, new, 1))
    with pytest.raises(CatalogFormatError) as exc:
        data.load_launchers(path)
    assert (exc.value.path, exc.value.record, exc.value.field) == (str(path), record, field)


def test_good_launcher_template_is_valid(tmp_path):
    lv = data.load_launchers(_profile_file(tmp_path, _LAUNCHER))["rocket"]
    assert lv.payload_at_c3(5.0) == 2500.0


_CONSORTIUM = """
[consortium.duo]
era = "illustrative"
announced = "2026-01"
interests = ["moon"]
source = "test"

[[consortium.duo.members]]
name = "Agency A"
kind = "agency"
country = "LU"
share = 0.6

[[consortium.duo.members.contributions]]
kind = "cash"
value = 10.0e6
currency = "EUR"
year = 2026
source = "test"

[[consortium.duo.members]]
name = "Company B"
kind = "company"
country = "JP"
share = 0.4

[state.LU]
name = "Luxembourg"
space_resources_law = { name = "law", date = "2017-07-20", source = "test" }
"""


@pytest.mark.parametrize(
    ("old", "new", "record", "field"),
    [
        ("share = 0.4", "share = 0.5", "consortium.duo", "share"),
        ("share = 0.4\n", "", "consortium.duo", "share"),
        ('kind = "company"', 'kind = "pirate"', "consortium.duo.members[2]", "kind"),
        ('currency = "EUR"\n', "", "consortium.duo.members[1].contributions[1]", "currency"),
        ("value = 10.0e6", "value = -1.0", "consortium.duo.members[1].contributions[1]", "value"),
        ('country = "JP"', 'country = "Japan"', "consortium.duo.members[2]", "country"),
        ('announced = "2026-01"', 'announced = "Jan 2026"', "consortium.duo", "announced"),
        ('interests = ["moon"]', 'interests = ["mars"]', "consortium.duo", "interests"),
        ('name = "Company B"', 'name = "agency a"', "consortium.duo.members[2]", "name"),
    ],
)
def test_bad_consortium_raises(tmp_path, old, new, record, field):
    assert old in _CONSORTIUM
    path = _profile_file(tmp_path, _CONSORTIUM.replace(old, new, 1))
    with pytest.raises(CatalogFormatError) as exc:
        data.load_consortia(path)
    assert (exc.value.path, exc.value.record, exc.value.field) == (str(path), record, field)


def test_good_consortium_template_is_valid(tmp_path):
    duo = data.load_consortia(_profile_file(tmp_path, _CONSORTIUM))["duo"]
    assert [m.share for m in duo.members] == [0.6, 0.4]
    assert duo.members[0].legal.space_resources_law.date == "2017-07-20"
    assert duo.members[1].legal is None  # no [state.JP] record in this file
    assert duo.total("EUR") == 10.0e6


_RESOURCES = """
[yield.w]
resource = "water"
body = "nea"
classes = ["C"]
unit = "wt%"
low = 5.0
high = 10.0
assumption = true
source = "test"
confidence = "A"

[price.p]
commodity = "water"
location = "leo"
value = 5000.0
unit = "USD/kg"
year = 2026
assumption = true
source = "test"
confidence = "A"
"""


@pytest.mark.parametrize(
    ("old", "new", "record", "field"),
    [
        ("high = 10.0", "high = 4.0", "yield.w", "high"),
        ('resource = "water"', 'resource = "unobtainium"', "yield.w", "resource"),
        ("assumption = true\nsource", "source", "yield.w", "assumption"),
        ('classes = ["C"]', 'classes = ["C"]\nbody2 = 1', "yield.w", "body2"),
        ('unit = "USD/kg"', 'unit = "dollars"', "price.p", "unit"),
        ("value = 5000.0", "value = 0.0", "price.p", "value"),
    ],
)
def test_bad_resources_raise(tmp_path, old, new, record, field):
    assert old in _RESOURCES
    path = _profile_file(tmp_path, _RESOURCES.replace(old, new, 1))
    with pytest.raises(CatalogFormatError) as exc:
        data.load_resources(path)
    assert (exc.value.path, exc.value.record, exc.value.field) == (str(path), record, field)


def test_select_sites_rejects_unknown_resource():
    sites = data.load_moon_sites()
    with pytest.raises(InputError):
        data.select_sites(sites, resource="gold")
    ice = data.select_sites(sites, resource="water", category="polar_psr")
    assert len(ice) >= 8 and (ice["category"] == "polar_psr").all()


# ---------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_missions_lists_profiles():
    res = runner.invoke(app, ["missions"])
    assert res.exit_code == 0, res.output
    for name in (*NAMED_PROFILES, "nhats-human"):
        assert name in res.output
    assert "4.078" in res.output  # MX-1 delta-v capacity, km/s


def test_cli_missions_with_user_profile():
    res = runner.invoke(app, ["missions", "--profile", str(FIXTURES / "extra_profiles.toml")])
    assert res.exit_code == 0, res.output
    assert "my-cubesat" in res.output and "MX-1" in res.output
    res = runner.invoke(app, ["missions", "--target", "moon"])
    assert res.exit_code == 0 and "argonaut" in res.output and "prospector-1" not in res.output


def test_cli_bad_profile_is_one_line_without_traceback():
    bad = FIXTURES / "bad_negative_isp.toml"
    res = runner.invoke(app, ["missions", "--profile", str(bad)])
    assert res.exit_code == 1
    err = res.stderr.strip()
    assert err.count("\n") == 0
    assert err.startswith("Error: ") and str(bad) in err
    assert "record broken-probe" in err and "field 'isp_s'" in err
    assert "Traceback" not in res.output


def test_cli_missing_profile_file_is_one_line(tmp_path):
    res = runner.invoke(app, ["missions", "--profile", str(tmp_path / "nope.toml")])
    assert res.exit_code == 1
    assert res.stderr.strip().count("\n") == 0 and "nope.toml" in res.stderr


def test_cli_sites_and_launchers():
    res = runner.invoke(app, ["sites", "--resource", "water"])
    assert res.exit_code == 0, res.output
    assert "S05" in res.output and "M01" not in res.output
    res = runner.invoke(app, ["sites", "--resource", "gold"])
    assert res.exit_code == 1 and "--resource" in res.stderr
    res = runner.invoke(app, ["launchers"])
    assert res.exit_code == 0 and "falcon-9-rideshare" in res.output
