"""Moon-site ranking (`prospect.scan.moon.rank_moon`), its map and `prospect moon`.

References used here, none of them written for prospect:

* boinor (`boinor.twobody.Orbit`, `boinor.bodies`) for orbital speeds: the
  plane change in LLO is the difference of two boinor velocity vectors at the
  node, and the GTO -> TLI and top-up perigee burns are differences of boinor
  perigee speeds.  Tolerance 1 mm/s (boinor's lunar GM, 4902.79981 km^3/s^2,
  differs from DE430's 4902.800066 by 5e-8 relative: < 0.1 mm/s here).
* astropy's `angular_separation` (Vincenty) for heritage distances, 1 mm.
* The rocket equation written out with `math.log`, 1e-12 km/s.
* `catalogs/resources.toml` read with `tomllib` for the grade factor.
"""

from __future__ import annotations

import json
import math
import tomllib

import astropy.units as u
import numpy as np
import pandas as pd
import pytest
from astropy.coordinates import angular_separation
from boinor.bodies import Earth, Moon
from boinor.twobody import Orbit
from typer.testing import CliRunner

from prospect._resources import catalog_path
from prospect.cli import app
from prospect.core.constants import G0_M_S2, GM_EARTH_KM3_S2, R_EARTH_KM, R_MOON_KM
from prospect.core.deltav import lunar_landing_budget
from prospect.data import MissionProfile, get_mission, load_moon_sites
from prospect.errors import InputError, UnknownNameError
from prospect.plot.moon import plot_moon_sites
from prospect.scan.moon import (
    BUDGET_LEGS,
    DEFAULT_WEIGHTS,
    MOON_MEAN_DISTANCE_KM,
    RANKABLE_RESOURCES,
    SCORE_TERMS,
    lander_legs,
    parse_weights,
    rank_moon,
    selenographic_distance_km,
)

MM_S = 1e-6  # 1 mm/s in km/s
RESERVE = 1.05  # the 5% reserve of the Acta Astronautica 177:351 Table 4 legs

runner = CliRunner()


@pytest.fixture(scope="module")
def sites():
    return load_moon_sites()


def _lander(launch_mode="dedicated", wet=5000.0, dry=1000.0, isp=320.0, **kw):
    """A synthetic lunar lander profile (capacity 5.05 km/s with the defaults)."""
    return MissionProfile(
        name=kw.pop("name", "test-lander"),
        label="test lander",
        target="moon",
        launch_mode=launch_mode,
        wet_mass_kg=wet,
        dry_mass_kg=dry,
        isp_s=isp,
        **kw,
    )


def _perigee_speed(rp_km, ra_km, body=Earth):
    """boinor: speed at periapsis of the ellipse rp..ra (radii), km/s."""
    a = (rp_km + ra_km) / 2.0 * u.km
    ecc = (ra_km - rp_km) / (ra_km + rp_km) * u.one
    orb = Orbit.from_classical(body, a, ecc, 0 * u.deg, 0 * u.deg, 0 * u.deg, 0 * u.deg)
    return float(np.linalg.norm(orb.v.to_value(u.km / u.s)))


# ----------------------------------------------------------------- delta-v physics


@pytest.mark.parametrize("via", ["llo", "nrho"])
@pytest.mark.parametrize("inc", [0.0, 45.0, 90.0])
def test_site_dv_is_the_sum_of_the_budget_legs(sites, via, inc):
    ranked = rank_moon(
        _lander(wet=1e6), "water", via=via, arrival_inc_deg=inc, include_unreachable=True
    )
    assert len(ranked) == len(sites)
    legs = ranked[list(BUDGET_LEGS)].to_numpy()
    np.testing.assert_allclose(ranked["dv_total_km_s"], legs.sum(axis=1), rtol=0, atol=1e-12)
    ref = lunar_landing_budget(ranked["lat_deg"].to_numpy(), via=via, arrival_inc_deg=inc)
    np.testing.assert_allclose(ranked["dv_total_km_s"], ref.total, rtol=0, atol=1e-12)
    for leg in BUDGET_LEGS:
        np.testing.assert_allclose(ranked[leg], getattr(ref, leg), rtol=0, atol=1e-12)


def test_polar_site_costs_more_from_an_equatorial_llo_and_the_same_from_a_polar_one():
    eq = rank_moon(_lander(wet=1e6), "water", arrival_inc_deg=0.0, include_unreachable=True)
    polar = rank_moon(_lander(wet=1e6), "water", arrival_inc_deg=90.0, include_unreachable=True)
    by_id = eq.set_index("id")
    # LCROSS (84.68 S) vs Apollo 11 (0.67 N), equatorial arrival
    assert by_id.loc["S05", "dv_total_km_s"] > by_id.loc["M02", "dv_total_km_s"] + 2.0
    # cost never decreases with |latitude| from an equatorial LLO
    order = eq.assign(alat=eq["lat_deg"].abs()).sort_values("alat")
    assert (np.diff(order["dv_total_km_s"].to_numpy()) >= -1e-12).all()
    # a polar LLO overflies every latitude: the same cost everywhere
    assert np.ptp(polar["dv_total_km_s"].to_numpy()) == 0.0
    assert (polar["plane_change"] == 0.0).all()
    # equal or dearer from the equatorial orbit, at every site
    both = eq.set_index("id")["dv_total_km_s"] - polar.set_index("id")["dv_total_km_s"]
    assert (both >= 0.0).all()


@pytest.mark.parametrize("site_id", ["S05", "N03", "M10", "L09", "M02"])
def test_plane_change_matches_boinor_velocity_vectors(site_id):
    """|v(inc=0) - v(inc=|lat|)| at the node of two 100 km circular lunar orbits."""
    ranked = rank_moon(_lander(wet=1e6), "water", arrival_inc_deg=0.0, include_unreachable=True)
    row = ranked.set_index("id").loc[site_id]
    o1 = Orbit.circular(Moon, 100 * u.km, inc=0 * u.deg)
    o2 = Orbit.circular(Moon, 100 * u.km, inc=abs(row["lat_deg"]) * u.deg)
    dv = np.linalg.norm((o1.v - o2.v).to_value(u.km / u.s))
    assert abs(row["plane_change"] - dv) < MM_S


def test_gto_lander_burns_gto_to_tli_per_boinor():
    mx1 = get_mission("mx-1")
    assert mx1.launch_mode == "rideshare_gto"
    rp = R_EARTH_KM + 250.0  # assumed standard GTO of prospect.scan._mission
    v_gto = _perigee_speed(rp, R_EARTH_KM + 35_786.0)
    v_tli = _perigee_speed(rp, MOON_MEAN_DISTANCE_KM)
    _, dep, flown = lander_legs(mx1)
    assert abs(dep - RESERVE * (v_tli - v_gto)) < MM_S
    assert "leo_to_tli" not in flown
    _, dep_raw, _ = lander_legs(mx1, reserve=False)
    assert abs(dep_raw - (v_tli - v_gto)) < MM_S
    ranked = rank_moon(mx1, "water", include_unreachable=True)
    np.testing.assert_allclose(
        ranked["dv_lander_km_s"],
        ranked["dv_total_km_s"] - ranked["leo_to_tli"] + dep,
        rtol=0,
        atol=1e-12,
    )


@pytest.mark.parametrize("via", ["llo", "nrho"])
def test_lander_legs_follow_the_launch_mode(via):
    def lander_dv(p):
        r = rank_moon(p, "water", via=via, arrival_inc_deg=30.0, include_unreachable=True)
        return r, r["dv_lander_km_s"].to_numpy()

    # launched on a direct TLI: TLI -> orbit + plane change + descent
    r, dv = lander_dv(get_mission("hakuto-r-m1"))
    expect = r["tli_to_orbit"] + r["nrho_to_llo"] + r["plane_change"] + r["descent"]
    np.testing.assert_allclose(dv, expect, rtol=0, atol=1e-12)
    np.testing.assert_allclose(dv, r["dv_total_km_s"] - r["leo_to_tli"], rtol=0, atol=1e-12)
    # released in LEO without a kick stage: every leg
    r, dv = lander_dv(_lander("rideshare_leo"))
    np.testing.assert_allclose(dv, r["dv_total_km_s"], rtol=0, atol=1e-12)
    # a kick stage to escape (C3 = 0 > C3 of TLI): the lander starts on TLI
    r, dv = lander_dv(_lander("rideshare_leo", kick_stage_c3_km2_s2=0.0))
    np.testing.assert_allclose(dv, r["dv_total_km_s"] - r["leo_to_tli"], rtol=0, atol=1e-12)
    # a kick stage short of TLI (C3 = -10): perigee top-up from 407 km, checked with boinor
    r, dv = lander_dv(_lander("rideshare_leo", kick_stage_c3_km2_s2=-10.0))
    rp = R_EARTH_KM + 407.0
    ra_kick = 2.0 * GM_EARTH_KM3_S2 / 10.0 - rp  # 2a = -2 mu / C3
    top = RESERVE * (_perigee_speed(rp, MOON_MEAN_DISTANCE_KM) - _perigee_speed(rp, ra_kick))
    lunar = r["dv_total_km_s"] - r["leo_to_tli"]
    np.testing.assert_allclose(dv, lunar + top, rtol=0, atol=MM_S)
    # a launcher limited to the same C3 gives the same top-up
    r, dv2 = lander_dv(_lander("c3", max_c3_km2_s2=-10.0))
    np.testing.assert_allclose(dv2, dv, rtol=0, atol=1e-12)


def test_round_trip_profile_adds_ascent_and_tei():
    r = rank_moon(_lander(wet=1e6, round_trip=True), "water", include_unreachable=True)
    row = r.iloc[0]
    assert row["ascent"] == pytest.approx(1.968, abs=1e-12)  # Table 4, surface -> LLO
    assert row["tei"] == pytest.approx(1.256, abs=1e-12)  # Table 4, LLO -> TEI


# ----------------------------------------------------------------- feasibility


@pytest.mark.parametrize("name", ["mx-1", "hakuto-r-m1", "argonaut"])
def test_capacity_is_the_rocket_equation_and_decides_reachability(name):
    p = get_mission(name)
    cap = p.isp_s * G0_M_S2 / 1000.0 * math.log(p.wet_mass_kg / p.dry_mass_kg)
    r = rank_moon(p, "water", arrival_inc_deg=0.0, include_unreachable=True)
    np.testing.assert_allclose(r["capacity_km_s"], cap, rtol=0, atol=1e-12)
    np.testing.assert_allclose(r["margin_km_s"], cap - r["dv_lander_km_s"], rtol=0, atol=1e-12)
    assert (r["reachable"] == (r["dv_lander_km_s"] <= cap)).all()
    shown = rank_moon(p, "water", arrival_inc_deg=0.0)
    assert set(shown["id"]) == set(r.loc[r["reachable"], "id"])
    assert r.attrs["n_reachable"] == int(r["reachable"].sum())


def test_equatorial_arrival_limits_a_small_lander_to_low_latitudes():
    # HAKUTO-R M1 (capacity 3.539 km/s) from TLI: 3.132 km/s to land from a polar LLO;
    # from an equatorial LLO only sites where the plane change fits the 0.407 km/s margin
    r = rank_moon("hakuto-r-m1", "water", arrival_inc_deg=0.0, include_unreachable=True)
    v = math.sqrt(4902.800066 / (R_MOON_KM + 100.0))
    cap = r["capacity_km_s"].iloc[0]
    lat_max = math.degrees(2.0 * math.asin((cap - 3.132) / (2.0 * v)))
    reach = r.set_index("id")["reachable"]
    lat = r.set_index("id")["lat_deg"].abs()
    assert (reach == (lat <= lat_max)).all()
    assert 0 < reach.sum() < len(reach)


def test_profile_that_reaches_no_site_gives_an_empty_table_with_the_reason():
    weak = _lander(wet=1500.0, dry=1000.0, name="weak")  # 1.27 km/s
    r = rank_moon(weak, "water")
    assert len(r) == 0
    assert "dv_lander_km_s" in r.columns and "score" in r.columns
    assert r.attrs["n_reachable"] == 0
    assert "no site is reachable" in r.attrs["reason"]
    assert "1.272 km/s" in r.attrs["reason"]


def test_profile_without_masses_is_limited_by_max_total_dv_only():
    nomass = MissionProfile(
        name="nomass", label="", target="moon", launch_mode="dedicated", max_total_dv_km_s=6.5
    )
    r = rank_moon(nomass, "water", arrival_inc_deg=0.0, include_unreachable=True)
    assert (r["reachable"] == (r["dv_total_km_s"] <= 6.5)).all()
    ok = r[r["reachable"]]
    np.testing.assert_allclose(
        ok["s_dv"], ok["dv_total_km_s"].min() / ok["dv_total_km_s"], rtol=0, atol=1e-12
    )


# ----------------------------------------------------------------- scoring


def test_water_ranking_puts_psr_sites_first_for_a_capable_lander(sites):
    psr_strong = set(
        sites.loc[(sites["category"] == "polar_psr") & (sites["water_evidence"] >= 2), "id"]
    )
    assert len(psr_strong) >= 4
    cases = [
        (get_mission("mx-1"), 90.0),
        (get_mission("hakuto-r-m1"), 90.0),
        (_lander(wet=1e6), 90.0),
        (_lander(wet=1e6), 0.0),  # reaches the poles even from an equatorial LLO
    ]
    for p, inc in cases:
        r = rank_moon(p, "water", arrival_inc_deg=inc)
        assert psr_strong <= set(r["id"])
        top = r.head(len(psr_strong))
        assert top.iloc[0]["id"] == "S05"  # LCROSS: water measured in situ
        assert set(top["id"]) == psr_strong, (p.name, inc, list(top["id"]))
        assert (top["category"] == "polar_psr").all()


def test_grade_factor_comes_from_the_yields_of_resources_toml():
    doc = tomllib.loads(catalog_path("resources.toml").read_text())
    scale = {"wt%": 1e-2, "ppm": 1e-6, "ppb": 1e-9}
    grade = {}
    for y in doc["yield"].values():
        if y["body"] == "moon" and y["resource"] == "water":
            rep = y.get("typical", (y["low"] + y["high"]) / 2.0) * scale[y["unit"]]
            for c in y["classes"]:
                grade[c] = min(grade.get(c, math.inf), rep)
    r = rank_moon("mx-1", "water").set_index("id")
    assert r.loc["S05", "grade_frac"] == pytest.approx(grade["polar_psr"], rel=1e-12)
    assert r.loc["M06", "grade_frac"] == pytest.approx(grade["pyroclastic"], rel=1e-12)
    best = max(grade.values())
    assert r.loc["M06", "s_resource"] == pytest.approx(2 / 3 * grade["pyroclastic"] / best)
    assert r.loc["S05", "s_resource"] == pytest.approx(3 / 3 * grade["polar_psr"] / best)
    # a category without a yield row keeps the evidence alone
    assert math.isnan(r.loc["S02", "grade_frac"])
    assert r.loc["S02", "s_resource"] == pytest.approx(1 / 3)


def test_score_is_the_weighted_mean_of_the_terms_shown():
    w = {"resource": 3.0, "power": 2.0, "cospar": 0.0}
    r = rank_moon("mx-1", "he3", weights=w, include_unreachable=True)
    full = parse_weights(w)
    num = sum(full[k] * r[f"s_{k}"] for k in SCORE_TERMS)
    np.testing.assert_allclose(r["score"], num / sum(full.values()), rtol=0, atol=1e-12)
    for k in SCORE_TERMS:
        assert ((r[f"s_{k}"] >= 0) & (r[f"s_{k}"] <= 1)).all()
    only = rank_moon(
        "mx-1", "he3", weights={k: (1.0 if k == "resource" else 0.0) for k in SCORE_TERMS}
    )
    np.testing.assert_allclose(only["score"], only["s_resource"], rtol=0, atol=1e-15)


def test_terms_read_the_catalog_columns(sites):
    r = rank_moon("mx-1", "water", include_unreachable=True).set_index("id")
    s = sites.set_index("id").loc[r.index]
    np.testing.assert_array_equal(r["s_power"], s["illumination_frac"].fillna(0.0))
    comms = s["earth_visibility"].map(
        {"continuous": 1.0, "partial": 0.5, "none": 0.0, "unknown": 0.0}
    )
    np.testing.assert_array_equal(r["s_comms"], comms)
    # COSPAR IIb: south of 79 S and north of 86 N (COSPAR policy 2021, DOMAIN 7.2)
    iib = (s["lat_deg"] <= -79.0) | (s["lat_deg"] >= 86.0)
    np.testing.assert_array_equal(r["s_cospar"], np.where(iib, 0.0, 1.0))
    assert r.loc["S01", "terrain_class"] == "hazard"  # walls often >30 deg
    assert r.loc["M03", "terrain_class"] == "hazard"  # vertical pit walls
    assert r.loc["M01", "terrain_class"] == "benign"  # smooth mare
    assert r.loc["S05", "terrain_class"] == "unknown"


def test_sites_lacking_the_resource_are_ranked_last_or_excluded(sites):
    r = rank_moon("mx-1", "kreep")
    has = r["has_resource"].to_numpy()
    assert has.sum() == int((sites["kreep_evidence"].fillna(0) >= 1).sum())
    assert (np.diff(has.astype(int)) <= 0).all()  # True block, then False block
    assert len(r) == len(sites)
    # inside each block, best score first
    for _, block in r.groupby("has_resource"):
        assert (np.diff(block["score"].to_numpy()) <= 1e-15).all()
    ex = rank_moon("mx-1", "kreep", missing="exclude")
    assert ex["has_resource"].all()
    assert list(ex["id"]) == list(r.loc[r["has_resource"], "id"])
    assert list(ex["rank"]) == list(range(1, len(ex) + 1))


# ----------------------------------------------------------------- heritage


def test_surface_distance_matches_astropy():
    rng = np.random.default_rng(20240601)
    lat1, lat2 = rng.uniform(-90, 90, (2, 200))
    lon1, lon2 = rng.uniform(-180, 180, (2, 200))
    ref = angular_separation(*(np.radians(x) for x in (lon1, lat1, lon2, lat2))) * R_MOON_KM
    np.testing.assert_allclose(
        selenographic_distance_km(lat1, lon1, lat2, lon2), ref, rtol=0, atol=1e-6
    )


def _site_csv(tmp_path, rows):
    cols = [
        "id",
        "name",
        "lat_deg",
        "lon_deg_east",
        "category",
        "resources",
        "resource_evidence",
        "illumination_frac",
        "earth_visibility",
        "slope_note",
        "heritage",
        "heritage_buffer_km",
        "source",
        "confidence",
    ]
    df = pd.DataFrame(rows, columns=cols)
    path = tmp_path / "sites.csv"
    df.to_csv(path, index=False)
    return load_moon_sites(path)


def test_heritage_buffer_flags_sites_within_2_km(tmp_path):
    lat0, lon0 = 1.41, 23.18  # Surveyor 5 (NSSDC), a US heritage site with a 2 km buffer
    dlat = lambda km: math.degrees(km / R_MOON_KM)  # noqa: E731
    base = ["mare_ti", "he3", "he3:2", 0.5, "continuous", "mare"]
    rows = [
        ["H1", "Surveyor 5", lat0, lon0, *base, "us", 2.0, "test", "V"],
        ["A", "1.5 km north", lat0 + dlat(1.5), lon0, *base, "none", "", "test", "A"],
        ["B", "2.5 km north", lat0 + dlat(2.5), lon0, *base, "none", "", "test", "A"],
        ["H2", "no-buffer heritage", 10.0, 10.0, *base, "china", "", "test", "A"],
        ["C", "1.0 km from H2", 10.0 + dlat(1.0), 10.0, *base, "none", "", "test", "A"],
        ["D", "far away", -10.0, -60.0, *base, "none", "", "test", "A"],
    ]
    sites = _site_csv(tmp_path, rows)
    r = rank_moon("mx-1", "he3", sites=sites).set_index("id")
    assert r.loc["A", "nearest_heritage_km"] == pytest.approx(1.5, abs=1e-6)
    assert r.loc["B", "nearest_heritage_km"] == pytest.approx(2.5, abs=1e-6)
    assert bool(r.loc["A", "heritage_flag"]) and "H1" in r.loc["A", "heritage_note"]
    assert not bool(r.loc["B", "heritage_flag"])
    assert bool(r.loc["H1", "heritage_flag"]) and bool(r.loc["H2", "heritage_flag"])
    assert bool(r.loc["C", "heritage_flag"])  # the NASA 2 km default where none is given
    assert not bool(r.loc["D", "heritage_flag"])
    assert (r["s_heritage"] == np.where(r["heritage_flag"], 0.0, 1.0)).all()
    # the same sites otherwise: the flagged one scores lower by w_heritage / sum(w)
    w = sum(DEFAULT_WEIGHTS.values())
    assert r.loc["B", "score"] - r.loc["A", "score"] == pytest.approx(
        DEFAULT_WEIGHTS["heritage"] / w, abs=1e-12
    )
    no_default = rank_moon("mx-1", "he3", sites=sites, default_buffer_km=0.0).set_index("id")
    assert not bool(no_default.loc["C", "heritage_flag"])
    assert bool(no_default.loc["H2", "heritage_flag"])  # still a heritage site itself


# ----------------------------------------------------------------- bad input (API)


def test_unknown_resource_lists_the_valid_ones():
    with pytest.raises(InputError) as exc:
        rank_moon("mx-1", "gold")
    assert exc.value.option == "resource"
    for name in RANKABLE_RESOURCES:
        assert name in str(exc.value)


def test_unknown_mission_suggests_close_names():
    with pytest.raises(UnknownNameError) as exc:
        rank_moon("mx1", "water")
    assert "mx-1" in exc.value.suggestions


@pytest.mark.parametrize(
    ("kwargs", "option"),
    [
        ({"mission": "prospector-1"}, "mission"),
        ({"via": "halo"}, "via"),
        ({"arrival_inc_deg": 181.0}, "arrival_inc_deg"),
        ({"weights": "resource=-1"}, "weights"),
        ({"weights": "gold=1"}, "weights"),
        ({"weights": "resource"}, "weights"),
        ({"weights": {k: 0.0 for k in SCORE_TERMS}}, "weights"),
        ({"missing": "first"}, "missing"),
    ],
)
def test_bad_arguments_name_the_option(kwargs, option):
    mission = kwargs.pop("mission", "mx-1")
    with pytest.raises(InputError) as exc:
        rank_moon(mission, "water", **kwargs)
    assert exc.value.option == option


def test_site_table_must_come_from_the_loader(sites):
    with pytest.raises(InputError) as exc:
        rank_moon("mx-1", "water", sites=sites.drop(columns=["water_evidence"]))
    assert exc.value.option == "sites" and "water_evidence" in str(exc.value)


def test_parse_weights_string_equals_mapping():
    assert parse_weights("dv=2, power=0") == parse_weights({"dv": 2, "power": 0.0})
    assert parse_weights(None) == DEFAULT_WEIGHTS


# ----------------------------------------------------------------- map


def test_map_draws_every_site_and_both_poles():
    r = rank_moon("mx-1", "water")
    fig = plot_moon_sites(r, top=4)
    main, south, listing, north, cbar = fig.axes
    n_main = sum(len(c.get_offsets()) for c in main.collections)
    assert n_main == len(r)
    n_south = sum(len(c.get_offsets()) for c in south.collections)
    n_north = sum(len(c.get_offsets()) for c in north.collections)
    assert n_south == int((r["lat_deg"] <= -79.0).sum())
    assert n_north == int((r["lat_deg"] >= 79.0).sum())
    text = listing.texts[0].get_text()
    for site_id in r.head(4)["id"]:
        assert site_id in text
    assert r.iloc[4]["id"] not in text.split()
    assert cbar.get_ylabel() == "score"


def test_map_of_an_empty_ranking():
    empty = rank_moon(_lander(wet=1100.0), "water")
    fig = plot_moon_sites(empty)
    assert any("no site" in t.get_text() for t in fig.axes[0].texts)


# ----------------------------------------------------------------- CLI


def _run(*args):
    return runner.invoke(app, ["moon", *args])


def _one_error_line(result, *parts):
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    for part in parts:
        assert part in lines[0], (part, lines[0])


def test_cli_table():
    res = _run("--mission", "mx-1", "--resource", "water", "--top", "5")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("rank"))
    rows = [ln.split()[1] for ln in lines[head + 2 : head + 7]]
    assert rows == list(rank_moon("mx-1", "water").head(5)["id"])
    assert lines[head + 7] == ""
    assert "rideshare_gto" in res.stdout and "GTO -> TLI" in res.stdout


def test_cli_explain_shows_every_score_term():
    res = _run("-m", "hakuto-r-m1", "-r", "he3", "--explain", "--arrival-inc", "0")
    assert res.exit_code == 0, res.output
    header = next(ln for ln in res.stdout.splitlines() if ln.startswith("rank"))
    for k in SCORE_TERMS:
        assert f"s_{k}" in header
    assert "arrival orbit inclination 0 deg" in res.stdout


def test_cli_csv_output_is_written_atomically_and_matches_the_api(tmp_path):
    out = tmp_path / "rank.csv"
    out.write_text("old content")
    args = ["-m", "hakuto-r-m1", "-r", "ilmenite", "--via", "nrho"]
    res = _run(*args, "-f", "csv", "-o", str(out))
    assert res.exit_code == 0, res.output
    assert res.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rank.csv"]  # no temp file left
    got = pd.read_csv(out)
    api = rank_moon("hakuto-r-m1", "ilmenite", via="nrho")
    assert len(api) > 0
    assert list(got["id"]) == list(api["id"])
    np.testing.assert_allclose(got["dv_lander_km_s"], api["dv_lander_km_s"], rtol=1e-6)
    np.testing.assert_allclose(got["score"], api["score"], rtol=1e-6)


def test_cli_json():
    res = _run("-m", "mx-1", "-r", "shelter", "-f", "json", "--top", "3")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["query"]["resource"] == "shelter"
    assert doc["query"]["max_total_dv_km_s"] is None  # inf is not JSON
    assert [s["rank"] for s in doc["sites"]] == [1, 2, 3]
    assert doc["sites"][0]["category"] == "pit"


def test_cli_profile_file_and_no_reachable_site(tmp_path):
    prof = tmp_path / "weak.toml"
    prof.write_text(
        '[weak-lander]\ntarget = "moon"\nlaunch_mode = "dedicated"\n'
        "dry_mass_kg = 1000.0\nwet_mass_kg = 1500.0\nisp_s = 320.0\n"
    )
    res = _run("--profile", str(prof), "-r", "water")
    assert res.exit_code == 0, res.output
    assert "No result: no site is reachable" in res.stdout
    assert "weak-lander" in res.stdout
    res = _run("--profile", str(prof), "-r", "water", "-f", "csv")
    assert res.exit_code == 0
    assert "no site is reachable" in res.stderr
    assert pd.read_csv(pd.io.common.StringIO(res.stdout)).empty


def test_cli_profile_file_with_two_profiles_needs_mission(tmp_path):
    prof = tmp_path / "two.toml"
    body = (
        'target = "moon"\nlaunch_mode = "dedicated"\n'
        "dry_mass_kg = 100.0\nwet_mass_kg = 500.0\nisp_s = 300.0\n"
    )
    prof.write_text(f"[a-lander]\n{body}\n[b-lander]\n{body}")
    _one_error_line(_run("--profile", str(prof), "-r", "water"), "--profile", "a-lander, b-lander")
    res = _run("--profile", str(prof), "-m", "b-lander", "-r", "water", "--top", "1")
    assert res.exit_code == 0, res.output
    assert "b-lander" in res.stdout


@pytest.mark.parametrize(
    ("args", "parts"),
    [
        (["-m", "mx1", "-r", "water"], ["unknown mission profile 'mx1'", "'mx-1'"]),
        (["-m", "mx-1", "-r", "gold"], ["--resource", *RANKABLE_RESOURCES]),
        (["-m", "prospector-1", "-r", "water"], ["--mission", "not the Moon"]),
        (["-r", "water"], ["--mission", "--profile FILE"]),
        (["-m", "mx-1", "-r", "water", "--via", "halo"], ["--via"]),
        (["-m", "mx-1", "-r", "water", "--weights", "dv=x"], ["--weights", "'dv'"]),
        (["-m", "mx-1", "-r", "water", "--arrival-inc", "200"], ["--arrival-inc"]),
        (["-m", "mx-1", "-r", "water", "-f", "xml"], ["--format"]),
        (["-m", "mx-1", "-r", "water", "--top", "0"], ["--top"]),
        (["-m", "mx-1", "-r", "water", "-o", "/nonexistent/dir/x.csv"], ["--output"]),
    ],
)
def test_cli_bad_input_is_one_line(args, parts):
    _one_error_line(_run(*args), *parts)


def test_cli_sites_file_all_and_missing(tmp_path):
    base = ["mare_ti", "he3", "he3:2", 0.5, "continuous", "mare", "none", ""]
    sites = _site_csv(
        tmp_path,
        [
            ["X1", "equatorial mare", 2.0, 20.0, *base, "test", "A"],
            ["X2", "high mare", 60.0, 20.0, *base, "test", "A"],
            [
                "X3",
                "no he3",
                3.0,
                21.0,
                "science",
                "science",
                "science:1",
                0.5,
                "continuous",
                "",
                "none",
                "",
                "test",
                "A",
            ],
        ],
    )
    path = sites.attrs["path"]
    common = ["-m", "hakuto-r-m1", "-r", "he3", "--sites", path, "--arrival-inc", "0", "-f", "csv"]
    got = pd.read_csv(pd.io.common.StringIO(_run(*common).stdout))
    assert list(got["id"]) == ["X1", "X3"]  # X2 (60 deg) is out of reach from an equatorial LLO
    got = pd.read_csv(pd.io.common.StringIO(_run(*common, "--all").stdout))
    assert list(got["id"]) == ["X1", "X3", "X2"] and list(got["reachable"]) == [True, True, False]
    got = pd.read_csv(pd.io.common.StringIO(_run(*common, "--missing", "exclude").stdout))
    assert list(got["id"]) == ["X1"]
    res = _run(*common[:-2], "--all")
    assert "X2!" in res.stdout and "! = not reachable" in res.stdout


def test_cli_plot(tmp_path):
    png = tmp_path / "map.png"
    res = _run("-m", "mx-1", "-r", "water", "--top", "3", "--plot", str(png))
    assert res.exit_code == 0, res.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png"]
