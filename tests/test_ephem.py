"""Earth states: frame and time handling at the boundary (prospect.ephem, prospect.epochs)."""

import astropy.units as u
import numpy as np
import pytest
from astropy.coordinates import (
    HeliocentricMeanEcliptic,
    SkyCoord,
    get_body_barycentric,
    solar_system_ephemeris,
)
from astropy.time import Time

from prospect.core.constants import AU_KM, DAY_S
from prospect.ephem import ICRS_TO_ECLIPJ2000, earth_state, planet_state
from prospect.epochs import as_time, tdb_seconds, time_from_tdb_seconds
from prospect.errors import InputError

EPOCHS = Time(["2020-03-20", "2025-11-21", "2028-05-01", "2031-01-01"], scale="utc")


def test_rotation_is_orthonormal_and_maps_pole():
    m = ICRS_TO_ECLIPJ2000
    np.testing.assert_allclose(m @ m.T, np.eye(3), atol=1e-15)
    # The ecliptic pole in ICRS is at RA 18h, Dec 90 - 23.44 deg: it must map to +z.
    eps = np.radians(84381.448 / 3600)
    pole_icrs = np.array([0.0, -np.sin(eps), np.cos(eps)])
    np.testing.assert_allclose(m @ pole_icrs, [0, 0, 1], atol=1e-15)


def test_earth_position_matches_astropy_ecliptic_frame():
    """Independent route: astropy's own ICRS -> HeliocentricMeanEcliptic(J2000) transform.

    The two differ only by the ICRS frame bias (~23 mas, i.e. < 20 km at 1 au), which
    astropy applies and the MPC/JPL ecliptic convention (ICRF rotated by 84381.448") does
    not; 50 km is that bound with margin.
    """
    r, _ = earth_state(EPOCHS)
    with solar_system_ephemeris.set("builtin"):
        pos = get_body_barycentric("earth", EPOCHS)
    c = SkyCoord(pos, frame="icrs", obstime=EPOCHS, representation_type="cartesian")
    ecl = c.transform_to(HeliocentricMeanEcliptic(equinox="J2000", obstime=EPOCHS))
    ref = ecl.cartesian.xyz.to_value(u.km).T
    assert np.max(np.linalg.norm(r - ref, axis=-1)) < 50.0


def test_earth_velocity_is_derivative_of_position():
    """Central difference of positions over +-60 s reproduces the velocity to < 1 mm/s.

    (Truncation error of the difference is h^2/6 |d3r/dt3| ~ 1e-9 km/s at h = 60 s.)
    """
    t0 = EPOCHS.tdb
    h = 60.0 * u.s
    rp, _ = earth_state(t0 + h)
    rm, _ = earth_state(t0 - h)
    _, v = earth_state(t0)
    vfd = (rp - rm) / (2 * 60.0)
    assert np.max(np.abs(v - vfd)) < 1e-6  # km/s


def test_earth_orbit_is_near_ecliptic_and_one_au():
    r, v = earth_state(EPOCHS)
    dist = np.linalg.norm(r, axis=-1) / AU_KM
    assert np.all((dist > 0.983) & (dist < 1.017))  # perihelion/aphelion of Earth
    # Off the J2000 ecliptic: the Earth-EMB offset (4,671 km) tilted by the Moon's 5.1 deg
    # inclination (< 420 km), plus the precession of the ecliptic itself, ~47"/century
    # (Lieske et al. 1977), which tilts the Earth's orbit away from the J2000 plane.
    centuries = np.abs((EPOCHS.tdb.jd - 2451545.0) / 36525.0)
    bound = 420.0 + centuries * np.radians(47.0 / 3600.0) * AU_KM
    assert np.all(np.abs(r[:, 2]) < bound)
    # angular momentum points to ecliptic north
    h = np.cross(r, v)
    assert np.all(h[:, 2] / np.linalg.norm(h, axis=-1) > 0.99999)


def test_planet_state_shapes_scalar_and_array():
    r, v = planet_state("mars", "2026-01-01")
    assert r.shape == (3,) and v.shape == (3,)
    r, v = planet_state("mars", EPOCHS)
    assert r.shape == (4, 3)


def test_tdb_seconds_round_trip_and_j2000():
    assert float(tdb_seconds(Time(2451545.0, format="jd", scale="tdb"))) == 0.0
    s = tdb_seconds(EPOCHS)
    back = time_from_tdb_seconds(s)
    assert np.max(np.abs((back - EPOCHS.tdb).to_value(u.s))) < 1e-6
    # one day apart in TDB
    t = Time(["2030-01-01", "2030-01-02"], scale="tdb")
    assert np.diff(tdb_seconds(t))[0] == pytest.approx(DAY_S, abs=1e-6)


def test_as_time_rejects_garbage_naming_option():
    with pytest.raises(InputError, match="--from"):
        as_time("not-a-date", option="--from")
    assert as_time("2028-05-01").scale == "utc"


@pytest.mark.parametrize("epochs", ["3000-01-01", "1500-01-01", ["2027-01-01", "2700-01-01"]])
def test_nbody_planet_states_outside_de440_are_refused_naming_epochs(epochs):
    """ASSIST raised RuntimeError past DE440's end, and at times crashed the process
    (SIGSEGV, issue 13 audit): the span is checked before ASSIST is asked."""
    with pytest.raises(InputError, match=r"^epochs: .*outside the span of JPL's DE440"):
        earth_state(epochs)
    with pytest.raises(InputError, match=r"^epochs: "):
        planet_state("mars", epochs)


def test_epochs_just_inside_de440_and_two_body_beyond_it_still_work():
    """The guard refuses only what DE440 lacks: 1600 and 2600 give an Earth ~1 au from the
    Sun, and the two-body route (astropy) still answers outside DE440's span."""
    r, _ = earth_state(["1600-01-01", "2600-01-01"])
    assert np.all(np.abs(np.linalg.norm(r, axis=-1) / AU_KM - 1.0) < 0.02)
    r2, _ = planet_state("earth", "2700-01-01", ephemeris="two-body")
    assert abs(np.linalg.norm(r2) / AU_KM - 1.0) < 0.02


def test_unreadable_epoch_names_epochs():
    with pytest.raises(InputError, match=r"^epochs: cannot read '2025-13-45'"):
        earth_state("2025-13-45")
