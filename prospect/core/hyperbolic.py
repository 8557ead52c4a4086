"""Two-body speeds and impulsive hyperbolic departure, arrival and Earth entry
(patched conics).

References
----------
Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed. (2014), section 8.6.
"""

from __future__ import annotations

import numpy as np

from prospect.core._elementwise import (
    _NEG_SPEED,
    _NONPOS,
    _arrays,
    _finish,
    _flag,
    _new_status,
    _positive_scalar,
)
from prospect.core.constants import (
    GM_EARTH_KM3_S2,
    R_EARTH_KM,
)
from prospect.core.status import Checked

__all__ = [
    "ENTRY_INTERFACE_ALT_KM",
    "NHATS_ENTRY_SPEED_LIMIT_KM_S",
    "arrival_burn",
    "arrival_burn_with_status",
    "burn_from_circular",
    "burn_from_circular_c3",
    "burn_from_circular_c3_with_status",
    "burn_from_circular_with_status",
    "c3_from_vinf",
    "c3_from_vinf_with_status",
    "circular_speed",
    "circular_speed_with_status",
    "entry_speed",
    "entry_speed_burn",
    "entry_speed_burn_with_status",
    "entry_speed_with_status",
    "escape_speed",
    "escape_speed_with_status",
    "parking_radius",
    "parking_radius_with_status",
    "vinf_from_c3",
    "vinf_from_c3_with_status",
]


# --------------------------------------------------------------------------
# Constants (each with its source)
# --------------------------------------------------------------------------

#: NHATS limit on the atmospheric entry speed at Earth return, km/s.  Barbee et al.,
#: "The mission accessibility of near-Earth asteroids", 4th IAA Planetary Defense
#: Conference, IAA-PDC-15-04-22 (2015): "the atmospheric entry speed at Earth return
#: must be <= 12 km/s"; the same criterion appears in Barbee, Mink & Adamo,
#: "Methodology and results of the NEO HSF Accessible Targets Study (NHATS)",
#: AAS 11-444 (2011), NTRS 20110010993.
NHATS_ENTRY_SPEED_LIMIT_KM_S = 12.0
#: Altitude of the Earth entry interface at which the NHATS entry speed is evaluated, km.
#: The value the project uses for the NHATS entry interface (issue 3); the stored
#: NHATS texts consulted for this module (IAA-PDC-15-04-22, AAS 11-444 abstract)
#: state the 12 km/s limit but their excerpts do not show the altitude [A].
#: The Shuttle/Orion entry interface is 400,000 ft = 121.92 km, for comparison.
ENTRY_INTERFACE_ALT_KM = 125.0


# --------------------------------------------------------------------------
# Two-body speeds and hyperbolic departure/arrival
# --------------------------------------------------------------------------


def circular_speed(r_km, mu_km3_s2=GM_EARTH_KM3_S2):
    """Circular orbital speed sqrt(mu / r).

    Parameters
    ----------
    r_km : array_like, shape (...)
        Orbit radius, km (> 0).
    mu_km3_s2 : float
        Gravitational parameter of the central body, km^3/s^2 (> 0).

    Returns
    -------
    v_km_s : ndarray, shape (...)
        Circular speed, km/s.

    Examples
    --------
    >>> from prospect.core.constants import GM_MOON_KM3_S2, R_MOON_KM
    >>> round(float(circular_speed(R_MOON_KM + 100.0, GM_MOON_KM3_S2)), 4)
    1.6335
    """
    return circular_speed_with_status(r_km, mu_km3_s2).value


def circular_speed_with_status(r_km, mu_km3_s2=GM_EARTH_KM3_S2) -> Checked:
    """As :func:`circular_speed`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    mu = _positive_scalar(mu_km3_s2, "mu_km3_s2")
    (r,) = _arrays(r_km)
    status = _new_status(r.shape, r)
    _flag(status, r <= 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.sqrt(mu / r)
    return _finish(v, status)


def escape_speed(r_km, mu_km3_s2=GM_EARTH_KM3_S2):
    """Escape speed sqrt(2 mu / r), km/s (same arguments as :func:`circular_speed`).

    Examples
    --------
    >>> from prospect.core.constants import GM_MOON_KM3_S2, R_MOON_KM
    >>> round(float(escape_speed(R_MOON_KM, GM_MOON_KM3_S2)), 3)
    2.376
    """
    return escape_speed_with_status(r_km, mu_km3_s2).value


def escape_speed_with_status(r_km, mu_km3_s2=GM_EARTH_KM3_S2) -> Checked:
    """As :func:`escape_speed`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    mu = _positive_scalar(mu_km3_s2, "mu_km3_s2")
    (r,) = _arrays(r_km)
    status = _new_status(r.shape, r)
    _flag(status, r <= 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.sqrt(2.0 * mu / r)
    return _finish(v, status)


def parking_radius(alt_km, r_body_km=R_EARTH_KM):
    """Orbit radius from altitude: r = R_body + alt.

    Parameters
    ----------
    alt_km : array_like, shape (...)
        Altitude above the body's reference radius, km (>= 0).
    r_body_km : float
        Reference radius of the body, km (default: Earth's equatorial radius,
        WGS 84).

    Returns
    -------
    r_km : ndarray, shape (...)
        Radius, km; NaN (status 3) for a negative altitude.

    Examples
    --------
    >>> float(parking_radius(400.0))
    6778.137
    """
    return parking_radius_with_status(alt_km, r_body_km).value


def parking_radius_with_status(alt_km, r_body_km=R_EARTH_KM) -> Checked:
    """As :func:`parking_radius`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    r_body = _positive_scalar(r_body_km, "r_body_km")
    (alt,) = _arrays(alt_km)
    status = _new_status(alt.shape, alt)
    _flag(status, alt < 0.0, _NONPOS)
    return _finish(r_body + alt, status)


def c3_from_vinf(v_inf_km_s):
    """Characteristic energy C3 = v_inf^2, km^2/s^2, from the hyperbolic excess speed.

    Examples
    --------
    >>> float(c3_from_vinf(3.0))
    9.0
    """
    return c3_from_vinf_with_status(v_inf_km_s).value


def c3_from_vinf_with_status(v_inf_km_s) -> Checked:
    """As :func:`c3_from_vinf`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    (v,) = _arrays(v_inf_km_s)
    status = _new_status(v.shape, v)
    _flag(status, v < 0.0, _NEG_SPEED)
    return _finish(v * v, status)


def vinf_from_c3(c3_km2_s2):
    """Hyperbolic excess speed sqrt(C3), km/s; NaN (status 2) for C3 < 0 (bound orbit).

    Examples
    --------
    >>> float(vinf_from_c3(16.0))
    4.0
    """
    return vinf_from_c3_with_status(c3_km2_s2).value


def vinf_from_c3_with_status(c3_km2_s2) -> Checked:
    """As :func:`vinf_from_c3`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    (c3,) = _arrays(c3_km2_s2)
    status = _new_status(c3.shape, c3)
    _flag(status, c3 < 0.0, _NEG_SPEED)
    with np.errstate(invalid="ignore"):
        v = np.sqrt(c3)
    return _finish(v, status)


def burn_from_circular_c3(c3_km2_s2, r_park_km, mu_km3_s2=GM_EARTH_KM3_S2):
    """Impulsive tangential burn from a circular orbit to an orbit of energy C3/2.

    ``dv = |sqrt(C3 + 2 mu / r) - sqrt(mu / r)|``: the burn at the periapsis
    (C3 >= -mu/r) of the new conic, valid for hyperbolas (C3 > 0) and for
    ellipses such as a trans-lunar injection (C3 ~ -2 km^2/s^2).  By symmetry
    it is also the capture burn from an approach of energy C3/2 into the
    circular orbit.

    Parameters
    ----------
    c3_km2_s2 : array_like, shape (...)
        Twice the specific orbital energy of the target conic, km^2/s^2.
    r_park_km : array_like, shape (...)
        Radius of the circular orbit, km (> 0).
    mu_km3_s2 : float
        Gravitational parameter, km^3/s^2 (> 0).

    Returns
    -------
    dv_km_s : ndarray, shape (...)
        Burn magnitude, km/s.  NaN with status 2 if C3 + 2 mu / r <= 0 (no
        orbit through r has that energy).

    References
    ----------
    Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed. (2014),
    section 8.6 (planetary departure).

    Examples
    --------
    Hohmann-type trans-lunar injection to 384,400 km apogee from a 407 km
    orbit (DOMAIN.md 2.1: 3.080 km/s):

    >>> r_p = 6378.137 + 407.0
    >>> c3 = -2 * 398600.4418 / (r_p + 384400.0)
    >>> round(float(burn_from_circular_c3(c3, r_p)), 3)
    3.08
    """
    return burn_from_circular_c3_with_status(c3_km2_s2, r_park_km, mu_km3_s2).value


def burn_from_circular_c3_with_status(c3_km2_s2, r_park_km, mu_km3_s2=GM_EARTH_KM3_S2) -> Checked:
    """As :func:`burn_from_circular_c3`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    mu = _positive_scalar(mu_km3_s2, "mu_km3_s2")
    c3, r = _arrays(c3_km2_s2, r_park_km)
    status = _new_status(c3.shape, c3, r)
    _flag(status, r <= 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        vp2 = c3 + 2.0 * mu / r
        _flag(status, vp2 <= 0.0, _NEG_SPEED)
        dv = np.abs(np.sqrt(vp2) - np.sqrt(mu / r))
    return _finish(dv, status)


def burn_from_circular(v_inf_km_s, r_park_km, mu_km3_s2=GM_EARTH_KM3_S2):
    """Impulsive burn from a circular parking orbit onto a hyperbola of excess speed v_inf.

    ``dv = sqrt(v_inf^2 + 2 mu / r) - sqrt(mu / r)``, the burn at periapsis of
    the departure hyperbola (Oberth-optimal, impulsive, coplanar).  By symmetry
    it is also the capture burn into a circular orbit of radius r from an
    approach at v_inf (e.g. orbit insertion at a planet).

    Parameters
    ----------
    v_inf_km_s : array_like, shape (...)
        Hyperbolic excess speed, km/s (>= 0).
    r_park_km : array_like, shape (...)
        Parking-orbit radius, km (> 0); see :func:`parking_radius`.
    mu_km3_s2 : float
        Gravitational parameter of the body, km^3/s^2 (default Earth).

    Returns
    -------
    dv_km_s : ndarray, shape (...)
        Burn, km/s.

    References
    ----------
    Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed. (2014),
    section 8.6 and Example 8.3 (v_inf = 2.943 km/s from a 300 km orbit:
    dv = 3.590 km/s).

    Examples
    --------
    >>> round(float(burn_from_circular(2.943, 6378.0 + 300.0, 398600.0)), 3)
    3.59
    """
    return burn_from_circular_with_status(v_inf_km_s, r_park_km, mu_km3_s2).value


def burn_from_circular_with_status(v_inf_km_s, r_park_km, mu_km3_s2=GM_EARTH_KM3_S2) -> Checked:
    """As :func:`burn_from_circular`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    mu = _positive_scalar(mu_km3_s2, "mu_km3_s2")
    v, r = _arrays(v_inf_km_s, r_park_km)
    status = _new_status(v.shape, v, r)
    _flag(status, v < 0.0, _NEG_SPEED)
    _flag(status, r <= 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        dv = np.sqrt(v * v + 2.0 * mu / r) - np.sqrt(mu / r)
    return _finish(dv, status)


def arrival_burn(v_inf_km_s, *, rendezvous=True):
    """Burn at a small body: rendezvous cancels v_inf, a flyby needs none.

    The target's gravity is neglected (an NEA's escape speed is cm/s to m/s),
    so matching its velocity costs exactly the arrival excess speed |v_inf|;
    a flyby keeps v_inf and burns nothing.

    Parameters
    ----------
    v_inf_km_s : array_like, shape (...)
        Arrival excess speed relative to the target, km/s (>= 0).
    rendezvous : bool
        True for rendezvous (dv = v_inf), False for a flyby (dv = 0).

    Returns
    -------
    dv_km_s : ndarray, shape (...)

    Examples
    --------
    >>> float(arrival_burn(1.2)), float(arrival_burn(1.2, rendezvous=False))
    (1.2, 0.0)
    """
    return arrival_burn_with_status(v_inf_km_s, rendezvous=rendezvous).value


def arrival_burn_with_status(v_inf_km_s, *, rendezvous=True) -> Checked:
    """As :func:`arrival_burn`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    (v,) = _arrays(v_inf_km_s)
    status = _new_status(v.shape, v)
    _flag(status, v < 0.0, _NEG_SPEED)
    dv = v if rendezvous else np.zeros_like(v)
    return _finish(dv, status)


# --------------------------------------------------------------------------
# Earth return
# --------------------------------------------------------------------------


def entry_speed(
    v_inf_km_s,
    alt_km=ENTRY_INTERFACE_ALT_KM,
    *,
    r_body_km=R_EARTH_KM,
    mu_km3_s2=GM_EARTH_KM3_S2,
):
    """Atmospheric entry speed from the return excess speed: sqrt(v_inf^2 + 2 mu / r).

    Energy conservation on the approach hyperbola, evaluated at the entry
    interface r = R_body + alt (inertial speed, Earth's rotation ignored).

    Parameters
    ----------
    v_inf_km_s : array_like, shape (...)
        Hyperbolic excess speed at Earth return, km/s (>= 0).
    alt_km : array_like, shape (...)
        Entry-interface altitude, km (default :data:`ENTRY_INTERFACE_ALT_KM`).
    r_body_km : float
        Reference radius, km (Earth's equatorial radius, WGS 84).
    mu_km3_s2 : float
        Gravitational parameter, km^3/s^2 (Earth).

    Returns
    -------
    v_entry_km_s : ndarray, shape (...)

    Examples
    --------
    >>> round(float(entry_speed(0.0)), 3)  # escape speed at 125 km
    11.072
    """
    return entry_speed_with_status(
        v_inf_km_s, alt_km, r_body_km=r_body_km, mu_km3_s2=mu_km3_s2
    ).value


def entry_speed_with_status(
    v_inf_km_s,
    alt_km=ENTRY_INTERFACE_ALT_KM,
    *,
    r_body_km=R_EARTH_KM,
    mu_km3_s2=GM_EARTH_KM3_S2,
) -> Checked:
    """As :func:`entry_speed`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    mu = _positive_scalar(mu_km3_s2, "mu_km3_s2")
    r_body = _positive_scalar(r_body_km, "r_body_km")
    v, alt = _arrays(v_inf_km_s, alt_km)
    status = _new_status(v.shape, v, alt)
    _flag(status, v < 0.0, _NEG_SPEED)
    _flag(status, alt < 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        ve = np.sqrt(v * v + 2.0 * mu / (r_body + alt))
    return _finish(ve, status)


def entry_speed_burn(
    v_inf_km_s,
    limit_km_s=NHATS_ENTRY_SPEED_LIMIT_KM_S,
    alt_km=ENTRY_INTERFACE_ALT_KM,
    *,
    at="interface",
    r_body_km=R_EARTH_KM,
    mu_km3_s2=GM_EARTH_KM3_S2,
):
    """Burn that brings the Earth entry speed down to a limit (NHATS: 12 km/s).

    NHATS counts, in a round trip's total delta-v, a maneuver that keeps the
    atmospheric entry speed at Earth return within 12 km/s (Barbee et al. 2015,
    IAA-PDC-15-04-22; :data:`NHATS_ENTRY_SPEED_LIMIT_KM_S`).  How the maneuver
    is modelled here:

    ``at="interface"`` (default)
        an impulsive retro-burn at the entry interface,
        ``max(0, v_entry - limit)``: the least delta-v that meets the limit
        (it uses the Oberth effect at the deepest point of the approach).
    ``at="infinity"``
        the excess speed is reduced far from Earth (e.g. on the return leg),
        ``max(0, v_inf - sqrt(limit^2 - 2 mu / r))``; always >= the former.

    Parameters
    ----------
    v_inf_km_s : array_like, shape (...)
        Return excess speed, km/s (>= 0).
    limit_km_s : array_like, shape (...)
        Allowed entry speed, km/s (must exceed the escape speed at the
        interface, ~11.07 km/s at 125 km; status 2 otherwise).
    alt_km : array_like, shape (...)
        Entry-interface altitude, km.
    at : {"interface", "infinity"}
        Where the burn is applied (see above).
    r_body_km, mu_km3_s2 : float
        Earth's radius (km) and GM (km^3/s^2).

    Returns
    -------
    dv_km_s : ndarray, shape (...)

    Examples
    --------
    >>> v_inf = 6.0  # entry at sqrt(36 + 122.59) = 12.593 km/s
    >>> round(float(entry_speed_burn(v_inf)), 3)
    0.593
    """
    return entry_speed_burn_with_status(
        v_inf_km_s, limit_km_s, alt_km, at=at, r_body_km=r_body_km, mu_km3_s2=mu_km3_s2
    ).value


def entry_speed_burn_with_status(
    v_inf_km_s,
    limit_km_s=NHATS_ENTRY_SPEED_LIMIT_KM_S,
    alt_km=ENTRY_INTERFACE_ALT_KM,
    *,
    at="interface",
    r_body_km=R_EARTH_KM,
    mu_km3_s2=GM_EARTH_KM3_S2,
) -> Checked:
    """As :func:`entry_speed_burn`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    if at not in ("interface", "infinity"):
        raise ValueError(f"at must be 'interface' or 'infinity', got {at!r}")
    mu = _positive_scalar(mu_km3_s2, "mu_km3_s2")
    r_body = _positive_scalar(r_body_km, "r_body_km")
    v, lim, alt = _arrays(v_inf_km_s, limit_km_s, alt_km)
    status = _new_status(v.shape, v, lim, alt)
    _flag(status, v < 0.0, _NEG_SPEED)
    _flag(status, alt < 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        vesc2 = 2.0 * mu / (r_body + alt)
        _flag(status, lim * lim <= vesc2, _NEG_SPEED)
        if at == "interface":
            dv = np.maximum(0.0, np.sqrt(v * v + vesc2) - lim)
        else:
            dv = np.maximum(0.0, v - np.sqrt(lim * lim - vesc2))
    return _finish(dv, status)
