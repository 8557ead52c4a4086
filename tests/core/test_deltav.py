"""Tests of prospect.core.deltav against published tables, textbook cases and invariants.

References used here (none written by this project):

* L. Benner's Shoemaker-Helin table of 9,726 NEAs (2013-04-14), read from
  ``../shared/reference`` (skipped when absent), plus rows copied below.
* Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed. (2014),
  Example 8.3 (departure to Mars from a 300 km parking orbit).
* DOMAIN.md (../shared/domain): 2.1 lunar legs (Acta Astronautica 177:351,
  2020, Table 4) and [calc] TLI values; 2.3 plane-change table; 5.1 table of
  propellant fractions.
* Closed forms evaluated independently to 30 digits (``decimal``) for the
  hand-computed cases.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from shared_data import shared_file

from prospect.core import deltav as dvm
from prospect.core import status as S
from prospect.core.constants import GM_EARTH_KM3_S2, GM_MOON_KM3_S2, R_EARTH_KM, R_MOON_KM
from prospect.core.deltav import (
    DELTAV_STATUS,
    SH_AMOR,
    SH_APOLLO,
    SH_ATEN,
    arrival_burn,
    arrival_burn_with_status,
    burn_from_circular,
    burn_from_circular_c3,
    burn_from_circular_with_status,
    burn_sequence,
    burn_sequence_with_status,
    c3_from_vinf,
    circular_speed,
    dv_capacity,
    dv_capacity_with_status,
    entry_speed,
    entry_speed_burn,
    entry_speed_burn_with_status,
    escape_speed,
    lunar_landing_budget,
    lunar_plane_change,
    lunar_plane_change_with_status,
    parking_radius,
    plane_change,
    propellant_fraction,
    propellant_mass,
    propellant_mass_with_status,
    shoemaker_helin,
    shoemaker_helin_group,
    shoemaker_helin_with_status,
    vinf_from_c3,
    vinf_from_c3_with_status,
    wet_mass,
    wet_mass_with_status,
)

#: Benner prints delta-v with 3 decimals: a faithful reimplementation evaluated on
#: the same inputs differs by at most half a unit of the last digit (+ float noise).
PRINT_TOL_KM_S = 0.0005 + 1e-9

# --------------------------------------------------------------------------
# Shoemaker & Helin vs Benner's table
# --------------------------------------------------------------------------

#: Rows copied from Benner's table of 2013-04-14 (designation, a au, e, i deg,
#: delta-v km/s, group from the printed a and e).
BENNER_ROWS = [
    ("2006 RH120", 1.033, 0.025, 0.6, 3.813, SH_AMOR),  # rank 1
    ("2000 SG344", 0.978, 0.067, 0.1, 4.156, SH_ATEN),  # rank 31
    ("1998 KY26", 1.232, 0.202, 1.5, 4.207, SH_APOLLO),  # rank 36
    ("1998 SF36", 1.324, 0.280, 1.6, 4.632, SH_APOLLO),  # (25143) Itokawa, rank 175
    ("1999 JU3", 1.190, 0.190, 5.9, 4.646, SH_APOLLO),  # (162173) Ryugu, rank 183
    ("1999 RQ36", 1.126, 0.204, 6.0, 5.087, SH_APOLLO),  # (101955) Bennu, rank 517
    ("2008 EV5", 0.958, 0.084, 7.4, 5.629, SH_ATEN),  # (341843), rank 1163
    ("2004 MN4", 0.922, 0.191, 3.3, 5.687, SH_ATEN),  # (99942) Apophis, rank 1253
    ("1898 DQ", 1.458, 0.223, 10.8, 6.069, SH_AMOR),  # (433) Eros, rank 1900
    ("1989 AC", 2.534, 0.630, 0.4, 6.602, SH_APOLLO),  # (4179) Toutatis, rank 3302
    ("1924 TD", 2.662, 0.534, 26.7, 9.900, SH_AMOR),  # (1036) Ganymed, rank 7939
    ("2003 CP20", 0.741, 0.322, 25.6, 13.442, SH_ATEN),  # (163693) Atira (Q < 1), rank 9166
    ("1993 WD", 1.007, 0.266, 63.5, 25.277, SH_APOLLO),  # (10563) Izhdubar, rank 9724
    ("2009 FG1", 1.194, 0.272, 69.8, 26.047, SH_APOLLO),  # rank 9726 (last)
]


@pytest.mark.parametrize(("desig", "a", "e", "inc", "dv_tab", "group"), BENNER_ROWS)
def test_shoemaker_helin_benner_rows(desig, a, e, inc, dv_tab, group):
    assert shoemaker_helin_group(a, e) == group, desig
    dv = shoemaker_helin(a, e, inc)
    assert abs(dv - dv_tab) <= PRINT_TOL_KM_S, f"{desig}: {dv:.5f} vs {dv_tab}"


def test_shoemaker_helin_rows_cover_all_groups():
    assert {row[-1] for row in BENNER_ROWS} == {SH_ATEN, SH_APOLLO, SH_AMOR}


def test_shoemaker_helin_group_decided_from_unrounded_q():
    # 2004 MP1 (rank 1183): a 1.778, e 0.437 printed -> q = 1.00101 (Amor), but
    # q moves by +-0.0012 inside the rounding box, and Benner's 5.638 km/s is the
    # Apollo branch evaluated at the printed elements: the true q is <= 1.
    a, e, inc, tab = 1.778, 0.437, 8.7, 5.638
    assert shoemaker_helin_group(a, e) == SH_AMOR
    assert abs(shoemaker_helin(a, e, inc) - tab) == pytest.approx(0.0100, abs=5e-5)
    assert abs(shoemaker_helin(a, e, inc, group=SH_APOLLO) - tab) <= PRINT_TOL_KM_S


_ROW = re.compile(
    r"^\s*(\d+)\s+(\d+\.\d+)\s+.*?"
    r"\s+(-?\d+\.\d+)\s+(-?\d+\.\d+)\s+(-?\d+\.\d+)"  # dv, dv/moon, dv/mars
    r"\s+(-?\d+\.\d+)\s+(-?\d+\.\d+)\s+(-?\d+\.\d+)\s+(-?\d+\.\d+)"  # H, a, e, i
    r"((?:\s+[A-Z]+)*)\s*$"  # flags (RADAR, BINARY)
)


def _read_benner(path):
    """(designations, dv, a, e, inc) from Benner's fixed-width table (3 header lines)."""
    desig, values = [], []
    for lineno, line in enumerate(path.read_text().splitlines(), start=1):
        if lineno <= 3 or not line.strip():
            continue
        m = _ROW.match(line)
        assert m, f"{path}: line {lineno}: row not understood: {line!r}"
        desig.append(line[43:56].strip())  # the DESIGNATION column
        dv, _moon, _mars, _h, a, e, inc = (float(x) for x in m.groups()[2:9])
        values.append((dv, a, e, inc))
    dv, a, e, inc = np.array(values).T
    return desig, dv, a, e, inc


@pytest.fixture(scope="module")
def benner():
    return _read_benner(shared_file("reference/benner_dv_2013-04-14.txt"))


def test_benner_table_whole(benner, record_property):
    """All 9,726 rows: 0.01 km/s at the printed elements except where rounding hides the group.

    Benner evaluated the formulas on the elements as printed (3 decimals for a
    and e, 1 for i): 9,717 rows agree to his print precision (0.0005 km/s).
    The other 9 rows print q = a (1 - e) in (1, 1.0011] and are therefore put
    in the Amor group here, while Benner, deciding from unrounded q, used the
    Apollo group; those agree to 0.0005 km/s when computed with the group
    consistent with the table (test_benner_table_group_within_rounding).
    At the printed elements, one row exceeds 0.01 km/s: 2004 MP1 by 2.3e-6.
    """
    desig, dv_tab, a, e, inc = benner
    assert len(desig) == 9726
    dv, status = shoemaker_helin_with_status(a, e, inc)
    assert np.all(status == 0)
    err = np.abs(dv - dv_tab)
    worst = int(np.argmax(err))
    record_property("max_abs_error_km_s", float(err.max()))
    record_property("worst_row", desig[worst])
    print(f"Benner table: max |error| {err.max():.6f} km/s at {desig[worst]}")

    over = {desig[k] for k in np.flatnonzero(err > 0.01)}
    assert over == {"2004 MP1"}, over
    assert err.max() < 0.0101

    off_print = np.flatnonzero(err > PRINT_TOL_KM_S)
    assert len(off_print) == 9
    q = a * (1.0 - e)
    # every row off the print precision has a printed q just above 1 au ...
    assert np.all((q[off_print] > 1.0) & (q[off_print] <= 1.0011))
    # ... and the others agree to the table's last digit, in every group
    good = np.setdiff1d(np.arange(len(desig)), off_print)
    groups = shoemaker_helin_group(a, e)
    for g in (SH_ATEN, SH_APOLLO, SH_AMOR):
        sel = good[groups[good] == g]
        assert len(sel) > 700
        assert err[sel].max() <= PRINT_TOL_KM_S


def test_benner_table_group_within_rounding(benner):
    """Every row is reproduced to 0.0005 km/s by a group its rounding interval allows.

    The group is decided by a < 1 and q <= 1; the printed a and e are known to
    +-0.0005, so q is known to about +-0.0012.  For each row we take the groups
    reached at the corners of that box (q is monotonic in a and e) and demand
    that one of them reproduces the table at the printed elements.
    """
    desig, dv_tab, a, e, inc = benner
    half = 0.0005
    corners = [
        shoemaker_helin_group(a + sa * half, np.clip(e + se * half, 0.0, None))
        for sa in (-1, 1)
        for se in (-1, 1)
    ]
    allowed = {g: np.zeros(len(desig), dtype=bool) for g in (SH_ATEN, SH_APOLLO, SH_AMOR)}
    for grp in corners:
        for g in allowed:
            allowed[g] |= grp == g
    best = np.full(len(desig), np.inf)
    for g, ok in allowed.items():
        dv = shoemaker_helin(a, e, inc, group=np.full(len(desig), g, dtype=np.int8))
        err = np.where(ok, np.abs(dv - dv_tab), np.inf)
        best = np.minimum(best, np.nan_to_num(err, nan=np.inf))
    ambiguous = sum(allowed.values()) > 1
    print(f"rows with an ambiguous group: {int(ambiguous.sum())}; max best error {best.max():.6f}")
    assert best.max() <= PRINT_TOL_KM_S, desig[int(np.argmax(best))]
    assert 9 <= ambiguous.sum() < 100


def test_shoemaker_helin_asterank_form_does_not_reproduce_table():
    """The extra cos(i/2) in the rendezvous term (typpo/asterank) is what breaks the table.

    Rebuild 1924 TD (Ganymed, i = 26.7 deg) with that form: it is off by 0.46 km/s,
    while ours matches (row above).  Guards against "fixing" the formula back.
    """
    a, e, inc, tab = 2.662, 0.534, 26.7, 9.900
    i = math.radians(inc)
    big_q = a * (1 + e)
    c = math.cos(i / 2)
    ut2 = 3 - 2 / (big_q + 1) - 2 * c * math.sqrt(2 * big_q / (big_q + 1))
    uc2 = 3 / big_q - 2 / (big_q + 1) - (2 / big_q) * c * math.sqrt(2 / (big_q + 1))
    ur2 = 3 / big_q - 1 / a - (2 / big_q) * math.sqrt(a * (1 - e**2) / big_q)
    u0 = 7.727 / 29.784
    ul = math.sqrt(ut2 + 2 * u0**2) - u0
    ur_asterank = math.sqrt(uc2 - 2 * math.sqrt(ur2 * uc2) * c + ur2)
    assert abs(30 * (ul + ur_asterank) + 0.5 - tab) > 0.4
    assert abs(shoemaker_helin(a, e, inc) - tab) <= PRINT_TOL_KM_S


def test_shoemaker_helin_invalid_elements_give_nan_and_status():
    a = [1.2, np.nan, -1.0, 1.2, 1.2, 0.9]
    e = [0.2, 0.2, 0.2, 1.0, 0.2, 0.1]
    inc = [5.0, 5.0, 5.0, 5.0, 181.0, 3.0]
    dv, st = shoemaker_helin_with_status(a, e, inc)
    assert st.tolist() == [S.OK, S.NONFINITE, S.UNBOUND, S.UNBOUND, S.BAD_ANGLE, S.OK]
    assert np.isfinite(dv[[0, 5]]).all() and np.isnan(dv[1:5]).all()
    for code in st:
        assert code in DELTAV_STATUS
    # Aten formula forced on an orbit with Q > 2 au is undefined
    dv, st = shoemaker_helin_with_status(2.5, 0.3, 5.0, group=SH_ATEN)
    assert np.isnan(dv) and st == S.SH_UNDEFINED


def test_shoemaker_helin_bad_group_raises():
    with pytest.raises(ValueError, match="group"):
        shoemaker_helin([1.2], [0.2], [5.0], group=[7])
    with pytest.raises(ValueError, match="group"):
        shoemaker_helin([1.2], [0.2], [5.0], group=[1.5])
    with pytest.raises(ValueError, match="broadcast"):
        shoemaker_helin([1.2, 1.3], [0.2, 0.1, 0.3], [5.0])


def test_shoemaker_helin_batch_equals_loop_and_broadcasts():
    rng = np.random.default_rng(20240603)
    a = rng.uniform(0.7, 3.0, 200)
    e = rng.uniform(0.0, 0.7, 200)
    inc = rng.uniform(0.0, 60.0, 200)
    batch = shoemaker_helin(a, e, inc)
    loop = np.array([shoemaker_helin(x, y, z) for x, y, z in zip(a, e, inc, strict=True)])
    np.testing.assert_array_equal(batch, loop)
    grid = shoemaker_helin(a[:5, None], e[:5, None], inc[None, :7])
    assert grid.shape == (5, 7)
    assert grid[2, 3] == shoemaker_helin(a[2], e[2], inc[3])
    empty = shoemaker_helin(np.empty(0), np.empty(0), np.empty(0))
    assert empty.shape == (0,)


def test_shoemaker_helin_continuous_across_apollo_amor_boundary():
    # At q = 1 the Apollo and Amor branches coincide (the transfer orbit is the
    # asteroid's orbit in the plane); the kink is only in the derivative.
    big_q, inc = 2.4, 12.0
    a = (1.0 + big_q) / 2.0
    e = (big_q - 1.0) / (big_q + 1.0)
    apollo = shoemaker_helin(a, e, inc, group=SH_APOLLO)
    amor = shoemaker_helin(a, e, inc, group=SH_AMOR)
    assert abs(apollo - amor) < 1e-12


# --------------------------------------------------------------------------
# Hyperbolic departure and arrival
# --------------------------------------------------------------------------


def test_burn_from_circular_escape_from_400_km():
    # C3 = 0 from a 400 km orbit: dv = (sqrt(2) - 1) sqrt(mu / r), r = 6778.137 km,
    # mu = 398600.4418 -> 3.17642080010068 km/s (30-digit decimal evaluation).
    r = parking_radius(400.0)
    assert r == pytest.approx(6778.137, abs=1e-9)
    assert burn_from_circular(0.0, r) == pytest.approx(3.17642080010068, abs=1e-12)
    assert burn_from_circular_c3(0.0, r) == pytest.approx(3.17642080010068, abs=1e-12)


def test_burn_from_circular_curtis_example_8_3():
    # Curtis 3rd ed., Example 8.3: Earth -> Mars Hohmann, v_inf = 2.943 km/s from a
    # 300 km parking orbit (mu 398600, R 6378): dv = 3.590 km/s (printed to 1 m/s).
    dv = burn_from_circular(2.943, 6378.0 + 300.0, 398600.0)
    assert abs(dv - 3.590) <= 0.0005


@pytest.mark.parametrize(("alt_km", "dv_domain"), [(200.0, 3.131), (407.0, 3.080)])
def test_tli_from_leo_domain_calc(alt_km, dv_domain):
    # DOMAIN.md 2.1 [calc]: ideal Hohmann TLI to a 384,400 km apogee.
    r_p = parking_radius(alt_km)
    c3 = -2.0 * GM_EARTH_KM3_S2 / (r_p + 384_400.0)
    assert -2.1 < c3 < -2.0  # "C3 ~ -2 km^2/s^2"
    assert abs(burn_from_circular_c3(c3, r_p) - dv_domain) <= 0.0005


def test_burn_invariants_energy_and_capture_symmetry():
    rng = np.random.default_rng(7)
    v_inf = rng.uniform(0.0, 8.0, 100)
    r = rng.uniform(6600.0, 50_000.0, 100)
    dv = burn_from_circular(v_inf, r)
    v_p = np.sqrt(GM_EARTH_KM3_S2 / r) + dv
    # vis-viva at periapsis: v_p^2 / 2 - mu / r = v_inf^2 / 2
    np.testing.assert_allclose(v_p**2 / 2 - GM_EARTH_KM3_S2 / r, v_inf**2 / 2, atol=1e-9)
    np.testing.assert_allclose(burn_from_circular_c3(c3_from_vinf(v_inf), r), dv, atol=1e-12)


def test_c3_vinf_round_trip_and_negative_c3():
    v = np.array([0.0, 1.5, 4.2])
    np.testing.assert_allclose(vinf_from_c3(c3_from_vinf(v)), v, rtol=0, atol=1e-15)
    out, st = vinf_from_c3_with_status([-2.0, 9.0])
    assert np.isnan(out[0]) and out[1] == 3.0
    assert st.tolist() == [S.NEG_SPEED, S.OK]


def test_arrival_burn():
    v = np.array([0.0, 0.7, 2.5])
    np.testing.assert_array_equal(arrival_burn(v), v)
    np.testing.assert_array_equal(arrival_burn(v, rendezvous=False), 0.0)
    out, st = arrival_burn_with_status([1.0, -1.0, np.nan])
    assert st.tolist() == [S.OK, S.NEG_SPEED, S.NONFINITE]
    assert out[0] == 1.0 and np.isnan(out[1:]).all()


def test_burn_nan_row_empty_batch_and_broadcast():
    v = np.array([1.0, np.nan, 3.0, 2.0])
    r = np.array([7000.0, 7000.0, -5.0, 7000.0])
    dv, st = burn_from_circular_with_status(v, r)
    assert st.tolist() == [S.OK, S.NONFINITE, S.NONPOSITIVE, S.OK]
    assert np.isnan(dv[1]) and np.isnan(dv[2])
    assert dv[0] == burn_from_circular(1.0, 7000.0)
    assert burn_from_circular(np.empty(0), 7000.0).shape == (0,)
    grid = burn_from_circular(np.linspace(0, 5, 6)[:, None], np.array([6700.0, 7000.0, 42164.0]))
    assert grid.shape == (6, 3)
    assert grid[4, 1] == burn_from_circular(4.0, 7000.0)
    with pytest.raises(ValueError, match="broadcast"):
        burn_from_circular(np.ones(3), np.ones(4) * 7000.0)
    with pytest.raises(ValueError, match="mu"):
        burn_from_circular(1.0, 7000.0, mu_km3_s2=0.0)
    with pytest.raises(ValueError, match="mu"):
        burn_from_circular(1.0, 7000.0, mu_km3_s2=-1.0)


# --------------------------------------------------------------------------
# Earth return
# --------------------------------------------------------------------------


def test_entry_speed_from_rest_at_infinity():
    # v_inf = 0: escape speed at 125 km, sqrt(2 mu / (R + 125)) = 11.0719071234815 km/s
    assert entry_speed(0.0) == pytest.approx(11.0719071234815, abs=1e-12)
    assert entry_speed(0.0, 125.0) == escape_speed(R_EARTH_KM + 125.0)


def test_entry_speed_burn_meets_the_nhats_limit():
    v_inf = np.array([0.0, 2.0, 4.5, 6.0, 9.0])
    v_entry = entry_speed(v_inf)
    dv = entry_speed_burn(v_inf)
    np.testing.assert_allclose(dv, np.maximum(0.0, v_entry - 12.0), atol=1e-15)
    # after the burn at the interface the capsule enters at exactly 12 km/s (or below)
    np.testing.assert_allclose(np.minimum(v_entry, 12.0), v_entry - dv, atol=1e-12)
    # burning far from Earth: the reduced v_inf then enters at 12 km/s, and costs more
    dv_inf = entry_speed_burn(v_inf, at="infinity")
    fast = v_entry > 12.0
    np.testing.assert_allclose(entry_speed(v_inf[fast] - dv_inf[fast]), 12.0, atol=1e-12)
    assert np.all(dv_inf[fast] > dv[fast]) and np.all(dv_inf[~fast] == 0.0)
    assert dv[3] == pytest.approx(math.sqrt(36.0 + 2 * GM_EARTH_KM3_S2 / 6503.137) - 12.0)


def test_entry_speed_burn_limit_below_escape_and_bad_option():
    dv, st = entry_speed_burn_with_status([3.0, 3.0], limit_km_s=[11.0, 12.0])
    assert np.isnan(dv[0]) and st.tolist() == [S.NEG_SPEED, S.OK]
    with pytest.raises(ValueError, match="at must be"):
        entry_speed_burn(3.0, at="perigee")


# --------------------------------------------------------------------------
# Moon
# --------------------------------------------------------------------------


def test_lunar_circular_and_escape_speeds_domain_2_3():
    # DOMAIN.md 2.3 [calc]: 1.6335 km/s at 100 km, 1.673 at 15 km, escape 2.376 at the
    # surface; exact: 1.63350412538770, 1.67265151943116, 2.37567583908536.
    assert circular_speed(R_MOON_KM + 100.0, GM_MOON_KM3_S2) == pytest.approx(
        1.63350412538770, abs=1e-12
    )
    assert circular_speed(R_MOON_KM + 15.0, GM_MOON_KM3_S2) == pytest.approx(
        1.67265151943116, abs=1e-12
    )
    assert escape_speed(R_MOON_KM, GM_MOON_KM3_S2) == pytest.approx(2.37567583908536, abs=1e-12)


def test_lunar_plane_change_table_domain_2_3():
    # DOMAIN.md 2.3: dv = 2 v sin(di / 2) at 100 km, printed to 1 m/s.
    table = {5: 0.143, 10: 0.285, 20: 0.567, 30: 0.846, 45: 1.250, 60: 1.634, 90: 2.310}
    di = np.array(list(table), dtype=float)
    expected = np.array(list(table.values()))
    # as a site at latitude di reached from an equatorial LLO ...
    got = lunar_plane_change(di, arrival_inc_deg=0.0, llo_alt_km=100.0)
    assert np.abs(got - expected).max() <= PRINT_TOL_KM_S
    # ... and directly
    v = circular_speed(R_MOON_KM + 100.0, GM_MOON_KM3_S2)
    np.testing.assert_allclose(plane_change(v, np.deg2rad(di)), got, atol=1e-15)


def test_lunar_plane_change_acta_2p5_deg():
    # Acta Astronautica 177:351 (2020) Table 4: "LLO 2.5 deg plane change 0.071" (calculated)
    assert abs(lunar_plane_change(2.5, arrival_inc_deg=0.0) - 0.071) <= PRINT_TOL_KM_S


def test_lunar_plane_change_geometry():
    lat = np.array([-89.9, -45.0, 0.0, 30.0, 60.0, 89.9])
    np.testing.assert_array_equal(lunar_plane_change(lat), 0.0)  # polar LLO default
    # an orbit of inclination 30 deg overflies |lat| <= 30; beyond, di = |lat| - 30
    got = lunar_plane_change(lat, arrival_inc_deg=30.0)
    np.testing.assert_allclose(
        got, lunar_plane_change(np.maximum(0.0, np.abs(lat) - 30.0), arrival_inc_deg=0.0)
    )
    # retrograde 150 deg reaches the same latitudes as 30 deg
    np.testing.assert_array_equal(lunar_plane_change(lat, arrival_inc_deg=150.0), got)
    out, st = lunar_plane_change_with_status([95.0, 10.0, 10.0], [0.0, 190.0, 0.0])
    assert st.tolist() == [S.BAD_ANGLE, S.BAD_ANGLE, S.OK] and np.isnan(out[:2]).all()


def test_lunar_budget_llo_legs_match_table_4():
    b = lunar_landing_budget(-89.5)
    assert (b.leo_to_tli, b.tli_to_orbit, b.nrho_to_llo) == (3.276, 0.952, 0.0)
    assert (b.plane_change, b.descent, b.ascent, b.llo_to_nrho, b.tei) == (
        0.0,
        2.180,
        0.0,
        0.0,
        0.0,
    )
    assert b.total == pytest.approx(3.276 + 0.952 + 2.180, abs=1e-12)
    assert b.status == 0


def test_lunar_budget_nrho_round_trip_and_reserve():
    b = lunar_landing_budget(10.0, via="nrho", return_to_earth=True)
    legs = (b.leo_to_tli, b.tli_to_orbit, b.nrho_to_llo, b.descent, b.ascent)
    assert legs == (3.276, 0.450, 0.740, 2.180, 1.968)
    assert (b.llo_to_nrho, b.tei) == (0.850, 0.450)
    assert b.total == pytest.approx(3.276 + 0.45 + 0.74 + 2.18 + 1.968 + 0.85 + 0.45, abs=1e-12)
    nr = lunar_landing_budget(10.0, via="nrho", return_to_earth=True, reserve=False)
    # only Mueller's legs (marked * in Table 4) carry the 5% reserve
    assert nr.leo_to_tli == pytest.approx(3.276 / 1.05, abs=1e-12)
    assert nr.descent == pytest.approx(2.180 / 1.05, abs=1e-12)
    assert nr.ascent == pytest.approx(1.968 / 1.05, abs=1e-12)
    assert (nr.tli_to_orbit, nr.nrho_to_llo, nr.llo_to_nrho, nr.tei) == (0.45, 0.74, 0.85, 0.45)


def test_lunar_budget_apollo_style_check():
    """Apollo 11-like sortie: equatorial LLO, site at 0.674 N (moon_sites M02), round trip.

    Hand sum of Table 4 with the [calc] plane change 2 v sin(0.337 deg) = 0.01921 km/s:
    3.276 + 0.952 + 0.0192 + 2.180 + 1.968 + 1.256 = 9.651 km/s.  Physical checks
    without the 5% reserve: LEO -> LLO 4.027 km/s vs the textbook 4.04 [A]
    (DOMAIN.md 2.1); TLI above the ideal Hohmann value from 407 km (3.080) by less
    than 2% (finite-burn losses); descent 2.076 and ascent 1.874 within the Apollo
    LM's 2.47 and 2.22 km/s capabilities [A].
    """
    b = lunar_landing_budget(0.67408, arrival_inc_deg=0.0, return_to_earth=True)
    v = circular_speed(R_MOON_KM + 100.0, GM_MOON_KM3_S2)
    assert b.plane_change == pytest.approx(2 * v * math.sin(math.radians(0.67408) / 2), rel=1e-14)
    assert abs(b.total - 9.651) <= PRINT_TOL_KM_S
    legs = [b[k] for k in range(8)]
    assert b.total == pytest.approx(sum(legs), abs=1e-12)

    raw = lunar_landing_budget(0.67408, arrival_inc_deg=0.0, return_to_earth=True, reserve=False)
    assert abs(raw.leo_to_tli + raw.tli_to_orbit - 4.04) < 0.02
    r_p = parking_radius(407.0)
    ideal_tli = burn_from_circular_c3(-2.0 * GM_EARTH_KM3_S2 / (r_p + 384_400.0), r_p)
    assert 0.0 < raw.leo_to_tli - ideal_tli < 0.02 * ideal_tli
    assert raw.descent < 2.47 and raw.ascent < 2.22


def test_lunar_budget_vectorised_with_status():
    lat = np.array([0.0, 30.0, np.nan, 100.0, -60.0])
    b = lunar_landing_budget(lat, arrival_inc_deg=0.0)
    assert b.total.shape == (5,)
    assert b.status.tolist() == [S.OK, S.OK, S.NONFINITE, S.BAD_ANGLE, S.OK]
    assert np.isnan(b.total[2:4]).all() and np.isnan(b.descent[2:4]).all()
    assert b.total[4] == pytest.approx(
        3.276 + 0.952 + 2.180 + lunar_plane_change(60.0, arrival_inc_deg=0.0)
    )
    grid = lunar_landing_budget(lat[:2, None], arrival_inc_deg=np.array([0.0, 20.0, 90.0]))
    assert grid.total.shape == (2, 3)
    assert lunar_landing_budget(np.empty(0)).total.shape == (0,)
    with pytest.raises(ValueError, match="via"):
        lunar_landing_budget(0.0, via="hohmann")


def test_lunar_budget_direct_descent_is_table_leg_without_plane_change():
    """via="direct": LEO->TLI 3.276* + TLI->surface 2.900 (Table 4, Copernicus), any latitude."""
    b = lunar_landing_budget(np.array([0.0, -89.5, 60.0]), via="direct", arrival_inc_deg=0.0)
    np.testing.assert_allclose(b.total, 3.276 + 2.900, atol=1e-12)
    np.testing.assert_allclose(b.plane_change, 0.0)
    assert np.all(b.tli_to_orbit == 0.0)
    rt = lunar_landing_budget(0.0, via="direct", return_to_earth=True)
    assert float(rt.total) == pytest.approx(3.276 + 2.900 + 1.968 + 1.256, abs=1e-12)


# --------------------------------------------------------------------------
# Rocket equation
# --------------------------------------------------------------------------

#: DOMAIN.md 5.1: propellant fraction 1 - exp(-dv / (Isp g0)), g0 = 9.80665 m/s^2.
_DV_M_S = [100, 500, 1000, 2000, 3000, 5000]
_FRACTIONS = {
    70: [0.136, 0.517, 0.767, 0.946, None, None],
    175: [0.057, 0.253, 0.442, 0.688, 0.826, 0.946],
    225: [0.044, 0.203, 0.364, 0.596, 0.743, 0.896],
    320: [0.031, 0.147, 0.273, 0.471, 0.616, 0.797],
    450: [0.022, 0.107, 0.203, 0.364, 0.493, 0.678],
    1500: [0.007, 0.033, 0.066, 0.127, 0.184, 0.288],
    3000: [0.003, 0.017, 0.033, 0.066, 0.097, 0.156],
}


@pytest.mark.parametrize("isp", list(_FRACTIONS))
def test_propellant_fraction_domain_5_1_table(isp):
    for dv_m_s, expected in zip(_DV_M_S, _FRACTIONS[isp], strict=True):
        if expected is None:
            continue
        got = propellant_fraction(dv_m_s / 1000.0, isp)
        assert abs(got - expected) <= PRINT_TOL_KM_S, (isp, dv_m_s, got)


def test_rocket_equation_hand_cases_and_round_trips():
    # dv = Isp g0 ln 2 for a mass ratio of 2: 320 s -> 2.17518457543622 km/s (decimal)
    assert dv_capacity(2000.0, 1000.0, 320.0) == pytest.approx(2.17518457543622, abs=1e-12)
    assert propellant_mass(2.17518457543622, 1000.0, 320.0) == pytest.approx(1000.0, abs=1e-9)
    rng = np.random.default_rng(11)
    dv = rng.uniform(0.0, 6.0, 50)
    dry = rng.uniform(10.0, 1e5, 50)
    isp = rng.uniform(60.0, 3500.0, 50)
    m0 = wet_mass(dv, dry, isp)
    np.testing.assert_allclose(m0 - dry, propellant_mass(dv, dry, isp), rtol=1e-13)
    np.testing.assert_allclose(dv_capacity(m0, dry, isp), dv, atol=1e-12)
    np.testing.assert_allclose(1.0 - dry / m0, propellant_fraction(dv, isp), atol=1e-13)


def test_wet_mass_with_tankage():
    # tanks = 10% of propellant stay on board: the final mass is dry + 0.1 m_p
    dv, dry, isp, f = 3.0, 1000.0, 320.0, 0.1
    m0 = wet_mass(dv, dry, isp, f)
    mp = (m0 - dry) / 1.1
    assert dv_capacity(m0, dry + f * mp, isp) == pytest.approx(dv, abs=1e-12)
    assert m0 > wet_mass(dv, dry, isp)
    # infeasible when f (R - 1) >= 1: 0.5 (exp(3 / (320 g0)) - 1) = 0.7 < 1 ok; 9 km/s not
    out, st = wet_mass_with_status([3.0, 9.0], dry, isp, 0.5)
    assert st.tolist() == [S.OK, S.INFEASIBLE] and np.isfinite(out[0]) and np.isnan(out[1])


def test_rocket_bad_inputs_nan_and_status():
    out, st = propellant_mass_with_status(
        [1.0, 1.0, 1.0, -1.0, np.nan], [100.0, -5.0, 100.0, 100.0, 100.0],
        [300.0, 300.0, 0.0, 300.0, 300.0])  # fmt: skip
    assert st.tolist() == [S.OK, S.NONPOSITIVE, S.NONPOSITIVE, S.NEG_SPEED, S.NONFINITE]
    assert np.isfinite(out[0]) and np.isnan(out[1:]).all()
    out, st = dv_capacity_with_status([500.0, 1000.0, 1000.0], [1000.0, -1.0, 500.0], 300.0)
    assert (
        st.tolist() == [S.INFEASIBLE, S.NONPOSITIVE, S.OK]
        and np.isnan(out[:2]).all()
        and out[2] > 0
    )
    assert propellant_fraction(np.empty(0), 300.0).shape == (0,)
    assert propellant_mass(np.ones((2, 1)), np.ones(3), 300.0).shape == (2, 3)


def test_burn_sequence_matches_single_burns():
    # two burns with one Isp = one burn of the summed dv
    m0, mp = burn_sequence([1.0, 2.0], [320.0, 320.0], 1000.0)
    assert m0 == pytest.approx(wet_mass(3.0, 1000.0, 320.0), rel=1e-14)
    assert mp.sum() == pytest.approx(m0 - 1000.0, rel=1e-14)
    # different Isp, and a 200 kg drop after the first burn (e.g. a spent stage)
    m0, mp = burn_sequence([3.2, 1.0], [450.0, 320.0], 1000.0, drop_kg=[200.0, 0.0])
    m1 = wet_mass(1.0, 1000.0, 320.0)  # before the second burn
    assert mp[1] == pytest.approx(m1 - 1000.0, rel=1e-14)
    assert m0 == pytest.approx(wet_mass(3.2, m1 + 200.0, 450.0), rel=1e-14)
    # batch of vehicles: leading axes broadcast; one bad vehicle flagged alone
    dv = np.array([[1.0, 2.0], [1.0, -2.0], [0.5, 0.5]])
    (m0, mp), st = burn_sequence_with_status(dv, [320.0, 450.0], [1000.0, 1000.0, 10.0])
    assert st.tolist() == [S.OK, S.NEG_SPEED, S.OK]
    assert np.isnan(m0[1]) and np.isnan(mp[1]).all()
    assert m0[0] == burn_sequence([1.0, 2.0], [320.0, 450.0], 1000.0)[0]
    m0, mp = burn_sequence(np.empty((0, 2)), [300.0, 300.0], 100.0)
    assert m0.shape == (0,) and mp.shape == (0, 2)
    with pytest.raises(ValueError, match="trailing axis"):
        burn_sequence(1.0, 300.0, 100.0)


def test_status_dictionary_is_complete():
    assert DELTAV_STATUS[0] == "ok"
    # a view of the one status space: every code means there what it means here
    assert all(S.STATUS[c] == m for c, m in DELTAV_STATUS.items())
    assert len(DELTAV_STATUS) == 8
    assert all(isinstance(v, str) and v for v in DELTAV_STATUS.values())
    assert dvm.NHATS_ENTRY_SPEED_LIMIT_KM_S == 12.0
