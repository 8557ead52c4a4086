"""The parking orbits scans and cost share (prospect.data.orbits), checked by hand.

Constants: GM_E 398600.4418 km^3/s^2 (IERS 2010), R_E 6378.137 km (WGS 84).
"""

import math

import numpy as np
import pytest

from prospect.core.constants import GM_EARTH_KM3_S2, R_EARTH_KM
from prospect.data.orbits import GTO, LEO_PARKING, parking_orbit, perigee_burn_km_s
from prospect.scan._mission import NHATS, MissionSpec

MU = GM_EARTH_KM3_S2


def test_leo_escape_is_sqrt2_minus_1_of_circular_speed():
    r = R_EARTH_KM + 400.0
    assert LEO_PARKING.r_perigee_km == r
    assert LEO_PARKING.c3_km2_s2 == pytest.approx(-MU / r, rel=1e-15)
    # circular LEO to C3 = 0: (sqrt 2 - 1) sqrt(mu / r) = 3.176421 km/s
    assert LEO_PARKING.escape_burn_km_s(0.0) == pytest.approx(
        (math.sqrt(2.0) - 1.0) * math.sqrt(MU / r), abs=1e-12
    )
    assert LEO_PARKING.escape_burn_km_s(0.0) == pytest.approx(3.176421, abs=1e-6)


def test_gto_perigee_to_tli_by_hand():
    rp, ra = R_EARTH_KM + 250.0, R_EARTH_KM + 35786.0
    hand = math.sqrt(-2.0 + 2 * MU / rp) - math.sqrt(-2 * MU / (rp + ra) + 2 * MU / rp)
    assert GTO.escape_burn_km_s(-2.0) == pytest.approx(hand, abs=1e-12)
    assert hand == pytest.approx(0.680513, abs=1e-6)


def test_burn_is_zero_below_the_orbit_energy_and_nan_propagates():
    dv = LEO_PARKING.escape_burn_km_s([-70.0, np.nan, 10.0])
    assert dv[0] == 0.0 and np.isnan(dv[1]) and dv[2] > LEO_PARKING.escape_burn_km_s(0.0)
    assert perigee_burn_km_s(-2.0, GTO.r_perigee_km, -3.0) == 0.0


def test_scan_and_cost_read_the_same_record():
    assert NHATS["parking_alt_km"] == LEO_PARKING.perigee_alt_km == 400.0
    assert MissionSpec().parking_alt_km == LEO_PARKING.perigee_alt_km
    assert parking_orbit("SSO") is LEO_PARKING and parking_orbit("gto") is GTO
    assert "AAS 11-444" in LEO_PARKING.source
