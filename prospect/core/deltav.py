"""Delta-v models: hyperbolic departure and arrival, Earth entry, Shoemaker-Helin,
lunar budgets and the rocket equation.

Every function takes array-likes, broadcasts them against each other and
returns float64 arrays (numpy scalars for scalar input) in the canonical units
of :mod:`prospect.core` (km, s, km/s, kg); names carry the unit where it is not
canonical (``alt_km``, ``inc_deg``, ``isp_s``, ``a_au``).  An element that
cannot be computed (NaN input, negative mass, an orbit outside a model's
domain) comes back as NaN; ask for ``return_status=True`` to also get the
per-element ``int8`` code, explained by :data:`DELTAV_STATUS`.  Wrong arguments
(shapes that do not broadcast, ``mu <= 0``, an unknown option) raise
:class:`ValueError`.

Contents
--------
Hyperbolic departure/arrival (patched conics, impulsive burns)
    :func:`circular_speed`, :func:`escape_speed`, :func:`parking_radius`,
    :func:`c3_from_vinf`, :func:`vinf_from_c3`, :func:`burn_from_circular`,
    :func:`burn_from_circular_c3`, :func:`arrival_burn`.
Earth return
    :func:`entry_speed`, :func:`entry_speed_burn` (NHATS entry-speed limit).
NEA accessibility
    :func:`shoemaker_helin`, :func:`shoemaker_helin_group` (Shoemaker & Helin
    1978 as tabulated by L. Benner).
Moon
    :func:`plane_change`, :func:`lunar_plane_change`,
    :func:`lunar_landing_budget` (DOMAIN.md section 2).
Rocket equation
    :func:`propellant_fraction`, :func:`propellant_mass`, :func:`wet_mass`,
    :func:`dv_capacity`, :func:`burn_sequence`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from prospect.core.constants import (
    G0_KM_S2,
    GM_EARTH_KM3_S2,
    GM_MOON_KM3_S2,
    R_EARTH_KM,
    R_MOON_KM,
    V_EARTH_SH_KM_S,
    V_LEO_SH_KM_S,
)

__all__ = [
    "DELTAV_STATUS",
    "DV_LEO_TLI_KM_S",
    "DV_LLO_NRHO_KM_S",
    "DV_LLO_SURFACE_KM_S",
    "DV_LLO_TEI_KM_S",
    "DV_NRHO_LLO_KM_S",
    "DV_NRHO_TEI_KM_S",
    "DV_SURFACE_LLO_KM_S",
    "DV_TLI_LLO_KM_S",
    "DV_TLI_NRHO_KM_S",
    "ENTRY_INTERFACE_ALT_KM",
    "LUNAR_TABLE_RESERVE",
    "NHATS_ENTRY_SPEED_LIMIT_KM_S",
    "NHATS_PARKING_ALT_KM",
    "SH_ALLOWANCE_KM_S",
    "SH_AMOR",
    "SH_APOLLO",
    "SH_ATEN",
    "SH_SPEED_UNIT_KM_S",
    "LunarBudget",
    "arrival_burn",
    "burn_from_circular",
    "burn_from_circular_c3",
    "burn_sequence",
    "c3_from_vinf",
    "circular_speed",
    "dv_capacity",
    "entry_speed",
    "entry_speed_burn",
    "escape_speed",
    "lunar_landing_budget",
    "lunar_plane_change",
    "parking_radius",
    "plane_change",
    "propellant_fraction",
    "propellant_mass",
    "shoemaker_helin",
    "shoemaker_helin_group",
    "vinf_from_c3",
    "wet_mass",
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

#: Altitude of the circular Earth parking orbit from which NHATS departures start, km.
#: Barbee et al. (2015), IAA-PDC-15-04-22: "(1) Departure from a circular 400 km
#: altitude ... parking orbit".
NHATS_PARKING_ALT_KM = 400.0

#: Speed unit of Shoemaker & Helin's figure of merit, km/s: Benner's script converts
#: F (in units of Earth's orbital speed) to km/s with a factor 30 (Shoemaker & Helin
#: 1978 used 30 km/s for Earth's orbital speed), although U0 is normalised with
#: 29.784 km/s.  Source: L. Benner's deltav.13.pl as re-implemented in typpo/asterank
#: ``calc/deltav.py`` (``dv = 30*F + 0.5``); checked here against Benner's table.
SH_SPEED_UNIT_KM_S = 30.0

#: Constant allowance Shoemaker & Helin add to 30 F, km/s (same source as above).
SH_ALLOWANCE_KM_S = 0.5

#: Shoemaker-Helin orbit groups (the transfer geometry differs between them).
SH_ATEN = 1  # a < 1 au (Atiras, Q < 1 au, are computed with the Aten formulas, as Benner does)
SH_APOLLO = 2  # a >= 1 au and q <= 1 au
SH_AMOR = 3  # a >= 1 au and q > 1 au

# Lunar legs, km/s.  Acta Astronautica 177:351-372 (2020), doi 10.1016/j.actaastro.2020.07.032,
# Table 4 "Summary of dV requirements" (DOMAIN.md 2.1), compiling Mueller (2012) and NASA
# DAC-2.  Values marked (*) are Mueller's and INCLUDE a 5% reserve; DAC-2 values do not.
#: LEO (407 km) -> trans-lunar injection (*).
DV_LEO_TLI_KM_S = 3.276
#: TLI -> 100 km circular low lunar orbit (*).
DV_TLI_LLO_KM_S = 0.952
#: TLI -> NRHO (DAC-2).
DV_TLI_NRHO_KM_S = 0.450
#: NRHO -> 100 km LLO (DAC-2).
DV_NRHO_LLO_KM_S = 0.740
#: 100 km LLO -> NRHO (DAC-2).
DV_LLO_NRHO_KM_S = 0.850
#: 100 km LLO -> lunar surface (*).
DV_LLO_SURFACE_KM_S = 2.180
#: Lunar surface -> 100 km LLO (*).
DV_SURFACE_LLO_KM_S = 1.968
#: 100 km LLO -> trans-Earth injection (*).
DV_LLO_TEI_KM_S = 1.256
#: NRHO -> trans-Earth injection (DAC-2).
DV_NRHO_TEI_KM_S = 0.450
#: TLI -> lunar surface, direct descent without a parking orbit (Copernicus simulation in the
#: same Table 4; no reserve).
DV_TLI_SURFACE_DIRECT_KM_S = 2.900
#: Reserve included in the (*) legs of the table above (its footnote).
LUNAR_TABLE_RESERVE = 0.05

# --------------------------------------------------------------------------
# Status codes
# --------------------------------------------------------------------------

#: Per-element status codes of this module.
DELTAV_STATUS = {
    0: "ok",
    1: "input is NaN or infinite",
    2: "negative speed, delta-v or C3 below the circular-orbit floor",
    3: "non-positive radius, mass or Isp (or altitude below the surface)",
    4: "not a bound heliocentric orbit (a <= 0 or e outside [0, 1))",
    5: "infeasible mass ratio (tankage fraction too large, or wet mass < dry mass)",
    6: "angle outside its range (latitude in [-90, 90] deg, inclination in [0, 180] deg)",
    7: "Shoemaker-Helin terms undefined for these elements and group",
}

_OK, _NONFINITE, _NEG_SPEED, _NONPOS, _UNBOUND, _INFEASIBLE, _ANGLE, _SH_UNDEF = range(8)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _arrays(*args):
    """Broadcast array-likes to float64 arrays (ValueError if shapes do not broadcast)."""
    arrs = [np.asarray(a, dtype=np.float64) for a in args]
    try:
        return np.broadcast_arrays(*arrs)
    except ValueError as exc:
        shapes = ", ".join(str(a.shape) for a in arrs)
        raise ValueError(f"input shapes do not broadcast: {shapes}") from exc


def _positive_scalar(value, name):
    """A finite positive scalar argument (mu, a body radius), else ValueError."""
    v = float(value)
    if not math.isfinite(v) or v <= 0.0:
        raise ValueError(f"{name} must be a finite positive number, got {value!r}")
    return v


def _new_status(shape, *arrays):
    status = np.zeros(shape, dtype=np.int8)
    for a in arrays:
        _flag(status, ~np.isfinite(a), _NONFINITE)
    return status


def _flag(status, mask, code):
    """Set ``code`` where ``mask`` holds and no earlier problem was flagged."""
    status[(status == _OK) & mask] = code


def _finish(value, status, return_status):
    value = np.where(status == _OK, value, np.nan)
    # a finite input can still give a non-finite result (overflow of exp): flag it
    _flag(status, ~np.isfinite(value), _INFEASIBLE)
    value = np.where(status == _OK, value, np.nan)
    if return_status:
        return value[()], status[()]
    return value[()]


# --------------------------------------------------------------------------
# Two-body speeds and hyperbolic departure/arrival
# --------------------------------------------------------------------------


def circular_speed(r_km, mu=GM_EARTH_KM3_S2, *, return_status=False):
    """Circular orbital speed sqrt(mu / r).

    Parameters
    ----------
    r_km : array_like, shape (...)
        Orbit radius, km (> 0).
    mu : float
        Gravitational parameter of the central body, km^3/s^2 (> 0).
    return_status : bool
        Also return the ``int8`` status array (see :data:`DELTAV_STATUS`).

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
    mu = _positive_scalar(mu, "mu")
    (r,) = _arrays(r_km)
    status = _new_status(r.shape, r)
    _flag(status, r <= 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.sqrt(mu / r)
    return _finish(v, status, return_status)


def escape_speed(r_km, mu=GM_EARTH_KM3_S2, *, return_status=False):
    """Escape speed sqrt(2 mu / r), km/s (same arguments as :func:`circular_speed`).

    Examples
    --------
    >>> from prospect.core.constants import GM_MOON_KM3_S2, R_MOON_KM
    >>> round(float(escape_speed(R_MOON_KM, GM_MOON_KM3_S2)), 3)
    2.376
    """
    mu = _positive_scalar(mu, "mu")
    (r,) = _arrays(r_km)
    status = _new_status(r.shape, r)
    _flag(status, r <= 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.sqrt(2.0 * mu / r)
    return _finish(v, status, return_status)


def parking_radius(alt_km, r_body_km=R_EARTH_KM, *, return_status=False):
    """Orbit radius from altitude: r = R_body + alt.

    Parameters
    ----------
    alt_km : array_like, shape (...)
        Altitude above the body's reference radius, km (>= 0).
    r_body_km : float
        Reference radius of the body, km (default: Earth's equatorial radius,
        WGS 84).
    return_status : bool
        Also return the status array.

    Returns
    -------
    r_km : ndarray, shape (...)
        Radius, km; NaN (status 3) for a negative altitude.

    Examples
    --------
    >>> float(parking_radius(400.0))
    6778.137
    """
    r_body = _positive_scalar(r_body_km, "r_body_km")
    (alt,) = _arrays(alt_km)
    status = _new_status(alt.shape, alt)
    _flag(status, alt < 0.0, _NONPOS)
    return _finish(r_body + alt, status, return_status)


def c3_from_vinf(v_inf_km_s, *, return_status=False):
    """Characteristic energy C3 = v_inf^2, km^2/s^2, from the hyperbolic excess speed.

    Examples
    --------
    >>> float(c3_from_vinf(3.0))
    9.0
    """
    (v,) = _arrays(v_inf_km_s)
    status = _new_status(v.shape, v)
    _flag(status, v < 0.0, _NEG_SPEED)
    return _finish(v * v, status, return_status)


def vinf_from_c3(c3_km2_s2, *, return_status=False):
    """Hyperbolic excess speed sqrt(C3), km/s; NaN (status 2) for C3 < 0 (bound orbit).

    Examples
    --------
    >>> float(vinf_from_c3(16.0))
    4.0
    """
    (c3,) = _arrays(c3_km2_s2)
    status = _new_status(c3.shape, c3)
    _flag(status, c3 < 0.0, _NEG_SPEED)
    with np.errstate(invalid="ignore"):
        v = np.sqrt(c3)
    return _finish(v, status, return_status)


def burn_from_circular_c3(c3_km2_s2, r_park_km, mu=GM_EARTH_KM3_S2, *, return_status=False):
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
    mu : float
        Gravitational parameter, km^3/s^2 (> 0).
    return_status : bool
        Also return the status array.

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
    mu = _positive_scalar(mu, "mu")
    c3, r = _arrays(c3_km2_s2, r_park_km)
    status = _new_status(c3.shape, c3, r)
    _flag(status, r <= 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        vp2 = c3 + 2.0 * mu / r
        _flag(status, vp2 <= 0.0, _NEG_SPEED)
        dv = np.abs(np.sqrt(vp2) - np.sqrt(mu / r))
    return _finish(dv, status, return_status)


def burn_from_circular(v_inf_km_s, r_park_km, mu=GM_EARTH_KM3_S2, *, return_status=False):
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
    mu : float
        Gravitational parameter of the body, km^3/s^2 (default Earth).
    return_status : bool
        Also return the status array.

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
    mu = _positive_scalar(mu, "mu")
    v, r = _arrays(v_inf_km_s, r_park_km)
    status = _new_status(v.shape, v, r)
    _flag(status, v < 0.0, _NEG_SPEED)
    _flag(status, r <= 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        dv = np.sqrt(v * v + 2.0 * mu / r) - np.sqrt(mu / r)
    return _finish(dv, status, return_status)


def arrival_burn(v_inf_km_s, *, rendezvous=True, return_status=False):
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
    return_status : bool
        Also return the status array.

    Returns
    -------
    dv_km_s : ndarray, shape (...)

    Examples
    --------
    >>> float(arrival_burn(1.2)), float(arrival_burn(1.2, rendezvous=False))
    (1.2, 0.0)
    """
    (v,) = _arrays(v_inf_km_s)
    status = _new_status(v.shape, v)
    _flag(status, v < 0.0, _NEG_SPEED)
    dv = v if rendezvous else np.zeros_like(v)
    return _finish(dv, status, return_status)


# --------------------------------------------------------------------------
# Earth return
# --------------------------------------------------------------------------


def entry_speed(
    v_inf_km_s,
    alt_km=ENTRY_INTERFACE_ALT_KM,
    *,
    r_body_km=R_EARTH_KM,
    mu=GM_EARTH_KM3_S2,
    return_status=False,
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
    mu : float
        Gravitational parameter, km^3/s^2 (Earth).
    return_status : bool
        Also return the status array.

    Returns
    -------
    v_entry_km_s : ndarray, shape (...)

    Examples
    --------
    >>> round(float(entry_speed(0.0)), 3)  # escape speed at 125 km
    11.072
    """
    mu = _positive_scalar(mu, "mu")
    r_body = _positive_scalar(r_body_km, "r_body_km")
    v, alt = _arrays(v_inf_km_s, alt_km)
    status = _new_status(v.shape, v, alt)
    _flag(status, v < 0.0, _NEG_SPEED)
    _flag(status, alt < 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        ve = np.sqrt(v * v + 2.0 * mu / (r_body + alt))
    return _finish(ve, status, return_status)


def entry_speed_burn(
    v_inf_km_s,
    limit_km_s=NHATS_ENTRY_SPEED_LIMIT_KM_S,
    alt_km=ENTRY_INTERFACE_ALT_KM,
    *,
    at="interface",
    r_body_km=R_EARTH_KM,
    mu=GM_EARTH_KM3_S2,
    return_status=False,
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
    r_body_km, mu : float
        Earth's radius (km) and GM (km^3/s^2).
    return_status : bool
        Also return the status array.

    Returns
    -------
    dv_km_s : ndarray, shape (...)

    Examples
    --------
    >>> v_inf = 6.0  # entry at sqrt(36 + 122.59) = 12.593 km/s
    >>> round(float(entry_speed_burn(v_inf)), 3)
    0.593
    """
    if at not in ("interface", "infinity"):
        raise ValueError(f"at must be 'interface' or 'infinity', got {at!r}")
    mu = _positive_scalar(mu, "mu")
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
    return _finish(dv, status, return_status)


# --------------------------------------------------------------------------
# Shoemaker & Helin (1978), as tabulated by L. Benner
# --------------------------------------------------------------------------


def shoemaker_helin_group(a_au, e):
    """Shoemaker-Helin transfer group: :data:`SH_ATEN`, :data:`SH_APOLLO` or :data:`SH_AMOR`.

    ``a < 1`` -> Aten (Atiras included); ``a >= 1, q <= 1`` -> Apollo;
    ``a >= 1, q > 1`` -> Amor, with q = a (1 - e).  Returns ``int8``; 0 where
    a or e is NaN.

    Examples
    --------
    >>> shoemaker_helin_group([0.92, 1.13, 1.46], [0.19, 0.20, 0.22]).tolist()
    [1, 2, 3]
    """
    a, e = _arrays(a_au, e)
    q = a * (1.0 - e)
    group = np.zeros(a.shape, dtype=np.int8)
    group[a < 1.0] = SH_ATEN
    group[(a >= 1.0) & (q <= 1.0)] = SH_APOLLO
    group[(a >= 1.0) & (q > 1.0)] = SH_AMOR
    return group[()]


def shoemaker_helin(a_au, e, inc_deg, *, group=None, return_status=False):
    """Rendezvous delta-v from LEO after Shoemaker & Helin (1978), as Benner tabulates it.

    All speeds are in units of Earth's orbital speed (29.784 km/s), distances
    in au.  With Q = a (1 + e), q = a (1 - e) and c = cos(i / 2), the
    spacecraft leaves Earth (r = 1) on a transfer orbit whose far apsis is the
    asteroid's aphelion Q, taking half the plane change at departure:

    * Aten (a < 1): transfer of a = 1 au and e_t = Q - 1 (flight-path angle at
      Earth with cos = sqrt(2Q - Q^2)),
      ``ut2 = 2 - 2 c sqrt(2Q - Q^2)``, ``uc2 = 3/Q - 1 - (2/Q) sqrt(2 - Q)``;
    * Apollo and Amor (a >= 1): Hohmann-like transfer from 1 au to Q,
      ``ut2 = 3 - 2/(Q+1) - 2 c sqrt(2Q/(Q+1))``,
      ``uc2 = 3/Q - 2/(Q+1) - (2/Q) c' sqrt(2/(Q+1))``;

    with ``ur2 = 3/Q - 1/a - (2/Q) c'' sqrt(a (1 - e^2)/Q)``.  ``ut`` is the
    departure excess speed, ``uc`` the change from the transfer orbit to the
    circular orbit at Q, ``ur`` that from the circular orbit to the asteroid's
    orbit at aphelion.  The other half of the plane change sits in ``ur`` for
    Atens and Apollos (c'' = c, c' = 1) and in ``uc`` for Amors (c' = c,
    c'' = 1).  Then, with U0 = 7.727 / 29.784 (circular LEO speed):

    ``U_L = sqrt(ut2 + 2 U0^2) - U0`` (escape from LEO),
    ``U_R = |sqrt(uc2) - sqrt(ur2)|`` (rendezvous at aphelion),
    ``dv = 30 (U_L + U_R) + 0.5`` km/s.

    The rendezvous term is Benner's coplanar composition of uc and ur; the
    re-implementation in typpo/asterank (``calc/deltav.py``), which multiplies
    the cross term by another cos(i/2), misses Benner's table by up to
    3.04 km/s, whereas this form reproduces all 9,726 rows of the 2013-04-14
    table to its print precision (0.0005 km/s) once the group is taken from
    unrounded elements (see ``tests/core/test_deltav.py``).

    Parameters
    ----------
    a_au : array_like, shape (...)
        Semi-major axis, au (> 0).
    e : array_like, shape (...)
        Eccentricity, [0, 1).
    inc_deg : array_like, shape (...)
        Inclination to the ecliptic, degrees, [0, 180].
    group : array_like of int, shape (...), optional
        Override the group (:data:`SH_ATEN`, :data:`SH_APOLLO`,
        :data:`SH_AMOR`) computed by :func:`shoemaker_helin_group` -- e.g. a
        group decided from unrounded elements (or a catalog's orbit class)
        while a and e are rounded.
    return_status : bool
        Also return the status array.

    Returns
    -------
    dv_km_s : ndarray, shape (...)
        Delta-v from LEO to rendezvous, km/s.

    References
    ----------
    Shoemaker, E. M. & Helin, E. F. (1978), "Earth-approaching asteroids as
    targets for exploration", NASA CP-2053, pp. 245-256.  L. Benner, "Delta-v
    for spacecraft rendezvous with all known near-Earth asteroids",
    https://echo.jpl.nasa.gov/~lance/delta_v/delta_v.rendezvous.html and
    deltav.13.pl.

    Examples
    --------
    2006 RH120 in Benner's table (a 1.033, e 0.025, i 0.6 deg): 3.813 km/s.

    >>> round(float(shoemaker_helin(1.033, 0.025, 0.6)), 3)
    3.813
    """
    a, e, inc = _arrays(a_au, e, inc_deg)
    status = _new_status(a.shape, a, e, inc)
    _flag(status, (a <= 0.0) | (e < 0.0) | (e >= 1.0), _UNBOUND)
    _flag(status, (inc < 0.0) | (inc > 180.0), _ANGLE)
    if group is None:
        grp = np.asarray(shoemaker_helin_group(a, e), dtype=np.int8)
    else:
        grp = np.asarray(group)
        if not np.issubdtype(grp.dtype, np.integer):
            raise ValueError("group must be an integer array of SH_ATEN/SH_APOLLO/SH_AMOR")
        if np.any((grp != SH_ATEN) & (grp != SH_APOLLO) & (grp != SH_AMOR)):
            raise ValueError("group values must be SH_ATEN (1), SH_APOLLO (2) or SH_AMOR (3)")
        try:
            grp = np.broadcast_to(grp, a.shape)
        except ValueError as exc:
            raise ValueError(f"group shape {grp.shape} does not broadcast to {a.shape}") from exc

    aten = grp == SH_ATEN
    amor = grp == SH_AMOR
    with np.errstate(invalid="ignore", divide="ignore"):
        big_q = a * (1.0 + e)
        c = np.cos(np.deg2rad(inc) / 2.0)
        one = np.ones_like(c)
        # Aten transfer (a_t = 1 au) vs Hohmann-like transfer 1 au -> Q
        ut2 = np.where(
            aten,
            2.0 - 2.0 * c * np.sqrt(np.where(aten, 2.0 * big_q - big_q**2, 0.0)),
            3.0 - 2.0 / (big_q + 1.0) - 2.0 * c * np.sqrt(2.0 * big_q / (big_q + 1.0)),
        )
        c_uc = np.where(amor, c, one)
        c_ur = np.where(amor, one, c)
        uc2 = np.where(
            aten,
            3.0 / big_q - 1.0 - (2.0 / big_q) * np.sqrt(np.where(aten, 2.0 - big_q, 0.0)),
            3.0 / big_q - 2.0 / (big_q + 1.0) - (2.0 / big_q) * c_uc * np.sqrt(2.0 / (big_q + 1.0)),
        )
        ur2 = 3.0 / big_q - 1.0 / a - (2.0 / big_q) * c_ur * np.sqrt(a * (1.0 - e * e) / big_q)
        # Each of ut2, uc2, ur2 is a squared vector difference, >= 0 up to rounding.
        tiny = 1e-12
        bad = (ut2 < -tiny) | (uc2 < -tiny) | (ur2 < -tiny)
        bad |= aten & ((big_q > 2.0) | (big_q < 0.0))
        _flag(status, bad | ~np.isfinite(ut2 + uc2 + ur2), _SH_UNDEF)
        ut2 = np.maximum(ut2, 0.0)
        uc2 = np.maximum(uc2, 0.0)
        ur2 = np.maximum(ur2, 0.0)
        u0 = V_LEO_SH_KM_S / V_EARTH_SH_KM_S
        u_launch = np.sqrt(ut2 + 2.0 * u0 * u0) - u0
        u_rendezvous = np.abs(np.sqrt(uc2) - np.sqrt(ur2))
        dv = SH_SPEED_UNIT_KM_S * (u_launch + u_rendezvous) + SH_ALLOWANCE_KM_S
    return _finish(dv, status, return_status)


# --------------------------------------------------------------------------
# Moon
# --------------------------------------------------------------------------


def plane_change(v_km_s, delta_inc_rad, *, return_status=False):
    """Impulsive plane change at constant speed: dv = 2 v sin(di / 2).

    Parameters
    ----------
    v_km_s : array_like, shape (...)
        Orbital speed at the node, km/s (>= 0).
    delta_inc_rad : array_like, shape (...)
        Plane rotation, rad, [0, pi].
    return_status : bool
        Also return the status array.

    Returns
    -------
    dv_km_s : ndarray, shape (...)

    References
    ----------
    Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed. (2014),
    chapter 6 (plane change maneuvers): a rotation di of the velocity vector
    at constant magnitude v.

    Examples
    --------
    >>> import math
    >>> round(float(plane_change(1.0, math.pi / 3)), 12)
    1.0
    """
    v, di = _arrays(v_km_s, delta_inc_rad)
    status = _new_status(v.shape, v, di)
    _flag(status, v < 0.0, _NEG_SPEED)
    _flag(status, (di < 0.0) | (di > np.pi), _ANGLE)
    return _finish(2.0 * v * np.sin(di / 2.0), status, return_status)


def lunar_plane_change(lat_deg, arrival_inc_deg=90.0, llo_alt_km=100.0, *, return_status=False):
    """Plane change in a circular low lunar orbit needed to overfly a site at ``lat_deg``.

    An orbit of inclination i (to the lunar equator) overflies every latitude
    with |lat| <= min(i, 180 - i); the site then passes under the ground track
    as the Moon turns (a wait of up to ~13.7 days, not a delta-v).  A site
    poleward of that needs di = |lat| - min(i, 180 - i), done at the orbit's
    northernmost/southernmost point: dv = 2 v sin(di / 2) with v the circular
    speed sqrt(GM_moon / (R_moon + h)) (DOMAIN.md 2.3 [calc]).

    Parameters
    ----------
    lat_deg : array_like, shape (...)
        Selenographic latitude of the site, degrees, [-90, 90].
    arrival_inc_deg : array_like, shape (...)
        Inclination of the arrival LLO to the lunar equator, degrees, [0, 180]
        (default 90: a polar LLO reaches every latitude without a plane change).
    llo_alt_km : array_like, shape (...)
        LLO altitude above the mean lunar radius, km.
    return_status : bool
        Also return the status array.

    Returns
    -------
    dv_km_s : ndarray, shape (...)

    Examples
    --------
    Landing at 45 deg latitude from an equatorial LLO at 100 km
    (DOMAIN.md 2.3: 1.250 km/s):

    >>> round(float(lunar_plane_change(45.0, arrival_inc_deg=0.0)), 3)
    1.25
    """
    lat, inc, alt = _arrays(lat_deg, arrival_inc_deg, llo_alt_km)
    status = _new_status(lat.shape, lat, inc, alt)
    _flag(status, (np.abs(lat) > 90.0) | (inc < 0.0) | (inc > 180.0), _ANGLE)
    _flag(status, alt < 0.0, _NONPOS)
    reach = np.minimum(inc, 180.0 - inc)
    di = np.deg2rad(np.maximum(0.0, np.abs(lat) - reach))
    with np.errstate(invalid="ignore"):
        v = np.sqrt(GM_MOON_KM3_S2 / (R_MOON_KM + alt))
    return _finish(2.0 * v * np.sin(di / 2.0), status, return_status)


class LunarBudget(NamedTuple):
    """Delta-v legs of a lunar landing (km/s, arrays of the broadcast input shape).

    Legs that a profile does not fly are 0.  ``total`` is their sum.
    ``status`` is the per-element ``int8`` code (:data:`DELTAV_STATUS`); where
    it is non-zero every leg is NaN.
    """

    leo_to_tli: np.ndarray
    tli_to_orbit: np.ndarray  # TLI -> LLO (via "llo") or TLI -> NRHO (via "nrho")
    nrho_to_llo: np.ndarray
    plane_change: np.ndarray
    descent: np.ndarray  # LLO -> surface
    ascent: np.ndarray  # surface -> LLO
    llo_to_nrho: np.ndarray
    tei: np.ndarray  # LLO -> TEI (via "llo") or NRHO -> TEI (via "nrho")
    total: np.ndarray
    status: np.ndarray


def lunar_landing_budget(
    lat_deg,
    *,
    via="llo",
    llo_alt_km=100.0,
    arrival_inc_deg=90.0,
    ascent=False,
    return_to_earth=False,
    reserve=True,
):
    """Delta-v budget from LEO to a lunar site (and optionally back to trans-Earth injection).

    Legs, in flight order (Acta Astronautica 177:351, 2020, Table 4 = DOMAIN.md
    2.1, unless marked [calc]):

    ============  ===============================  ====================  =====================
    leg           via="llo"                        via="nrho"            via="direct"
    ============  ===============================  ====================  =====================
    leo_to_tli    LEO (407 km) -> TLI 3.276*       same                  same
    tli_to_orbit  TLI -> LLO 100 km 0.952*         TLI -> NRHO 0.450     --
    nrho_to_llo   --                               NRHO -> LLO 0.740     --
    plane_change  [calc] :func:`lunar_plane_change`  same                --
    descent       LLO -> surface 2.180*            same                  TLI -> surface 2.900
    ascent        surface -> LLO 1.968* (if ascent)  same                same
    llo_to_nrho   --                               LLO -> NRHO 0.850     --
    tei           LLO -> TEI 1.256* (if return)    NRHO -> TEI 0.450     as via="llo"
    ============  ===============================  ====================  =====================

    ``via="direct"`` is the direct descent from the translunar trajectory
    (Table 4's Copernicus simulation, no reserve); the approach hyperbola is
    aimed at the site, so there is no parking orbit and no plane change.

    Values marked * include a 5% reserve in the source (Mueller 2012);
    ``reserve=False`` divides them by 1.05.  NRHO legs (NASA DAC-2) carry no
    reserve.  Requesting ``return_to_earth`` implies the ascent.

    Plane change: the default ``arrival_inc_deg=90`` is a polar LLO, which
    overflies every latitude, so the site is reached by waiting for the Moon
    to turn under the orbit (up to ~13.7 d, DOMAIN.md 2.3 practice) rather
    than by a burn.  It is never dearer than a low-inclination arrival plus a
    plane change: in the patched-conic model the LOI burn depends only on the
    approach v_inf and the periapsis radius, and the inclination of the
    arrival hyperbola (any i >= the lunar declination of the approach
    asymptote, which polar orbits satisfy) is set by the translunar aim point
    at no extra cost.  Pass a lower ``arrival_inc_deg`` (e.g. 0 for an
    Apollo-style near-equatorial arrival) to pay for reaching higher
    latitudes: di = max(0, |lat| - min(i, 180 - i)).  The return plane change
    (the orbit plane drifts relative to the site during a stay) is not
    included.

    Parameters
    ----------
    lat_deg : array_like, shape (...)
        Selenographic latitude of the site, degrees.
    via : {"llo", "nrho", "direct"}
        Staging orbit: a 100 km LLO, the Gateway NRHO, or none (direct descent).
    llo_alt_km : array_like, shape (...)
        LLO altitude, km, used for the plane-change speed only; the tabulated
        legs refer to a 100 km LLO.
    arrival_inc_deg : array_like, shape (...)
        Inclination of the arrival LLO to the lunar equator, degrees.
    ascent : bool
        Include the ascent from the surface to LLO.
    return_to_earth : bool
        Include ascent and the legs to trans-Earth injection.
    reserve : bool
        Keep the 5% reserve of the (*) legs (as tabulated) or remove it.

    Returns
    -------
    LunarBudget
        Named tuple of arrays (km/s) with the legs, ``total`` and ``status``.

    Examples
    --------
    A polar south-pole sortie via LLO, one way: 3.276 + 0.952 + 0 + 2.180.

    >>> b = lunar_landing_budget(-89.5)
    >>> round(float(b.total), 3)
    6.408
    """
    if via not in ("llo", "nrho", "direct"):
        raise ValueError(f"via must be 'llo', 'nrho' or 'direct', got {via!r}")
    pc, status = lunar_plane_change(lat_deg, arrival_inc_deg, llo_alt_km, return_status=True)
    pc = np.asarray(pc, dtype=np.float64)
    if via == "direct":
        pc = np.where(status == _OK, 0.0, pc)
    status = np.asarray(status, dtype=np.int8)
    shape = pc.shape
    star = 1.0 if reserve else 1.0 / (1.0 + LUNAR_TABLE_RESERVE)
    with_ascent = ascent or return_to_earth

    def leg(value):
        return np.full(shape, value, dtype=np.float64)

    legs = {
        "leo_to_tli": leg(DV_LEO_TLI_KM_S * star),
        "tli_to_orbit": leg(
            {"llo": DV_TLI_LLO_KM_S * star, "nrho": DV_TLI_NRHO_KM_S, "direct": 0.0}[via]
        ),
        "nrho_to_llo": leg(DV_NRHO_LLO_KM_S if via == "nrho" else 0.0),
        "plane_change": pc,
        "descent": leg(
            DV_TLI_SURFACE_DIRECT_KM_S if via == "direct" else DV_LLO_SURFACE_KM_S * star
        ),
        "ascent": leg(DV_SURFACE_LLO_KM_S * star if with_ascent else 0.0),
        "llo_to_nrho": leg(DV_LLO_NRHO_KM_S if (return_to_earth and via == "nrho") else 0.0),
        "tei": leg(
            (DV_NRHO_TEI_KM_S if via == "nrho" else DV_LLO_TEI_KM_S * star)
            if return_to_earth
            else 0.0
        ),
    }
    total = sum(legs.values())
    bad = status != _OK
    out = {k: np.where(bad, np.nan, v)[()] for k, v in legs.items()}
    return LunarBudget(**out, total=np.where(bad, np.nan, total)[()], status=status[()])


# --------------------------------------------------------------------------
# Rocket equation (Tsiolkovsky), g0 = 9.80665 m/s^2
# --------------------------------------------------------------------------


def propellant_fraction(dv_km_s, isp_s, *, return_status=False):
    """Propellant fraction of the initial mass: m_p / m_0 = 1 - exp(-dv / (Isp g0)).

    Parameters
    ----------
    dv_km_s : array_like, shape (...)
        Delta-v, km/s (>= 0).
    isp_s : array_like, shape (...)
        Specific impulse, s (> 0).
    return_status : bool
        Also return the status array.

    Returns
    -------
    fraction : ndarray, shape (...)

    Examples
    --------
    >>> round(float(propellant_fraction(1.0, 320.0)), 3)  # DOMAIN.md 5.1: 0.273
    0.273
    """
    dv, isp = _arrays(dv_km_s, isp_s)
    status = _new_status(dv.shape, dv, isp)
    _flag(status, dv < 0.0, _NEG_SPEED)
    _flag(status, isp <= 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = -np.expm1(-dv / (isp * G0_KM_S2))
    return _finish(frac, status, return_status)


def propellant_mass(dv_km_s, m_final_kg, isp_s, *, return_status=False):
    """Propellant to give a final mass m_f a delta-v: m_p = m_f (exp(dv / (Isp g0)) - 1).

    Parameters
    ----------
    dv_km_s : array_like, shape (...)
        Delta-v, km/s (>= 0).
    m_final_kg : array_like, shape (...)
        Mass after the burn (burnout mass), kg (> 0).
    isp_s : array_like, shape (...)
        Specific impulse, s (> 0).
    return_status : bool
        Also return the status array.

    Returns
    -------
    m_prop_kg : ndarray, shape (...)

    Examples
    --------
    >>> round(float(propellant_mass(3.0, 1000.0, 450.0)), 1)
    973.5
    """
    dv, mf, isp = _arrays(dv_km_s, m_final_kg, isp_s)
    status = _new_status(dv.shape, dv, mf, isp)
    _flag(status, dv < 0.0, _NEG_SPEED)
    _flag(status, (mf <= 0.0) | (isp <= 0.0), _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        mp = mf * np.expm1(dv / (isp * G0_KM_S2))
    return _finish(mp, status, return_status)


def wet_mass(dv_km_s, dry_kg, isp_s, tank_fraction=0.0, *, return_status=False):
    """Initial (wet) mass that gives a dry mass a delta-v, with optional tankage.

    The tanks and structure that carry the propellant weigh ``tank_fraction``
    times the propellant and stay on board (DOMAIN.md 5.1: typically 0.05-0.15
    [A]; default 0, no tankage).  With R = exp(dv / (Isp g0)):

    ``m_p = (R - 1) m_dry / (1 - f (R - 1))``,  ``m_0 = m_dry + (1 + f) m_p``,

    infeasible (NaN, status 5) when f (R - 1) >= 1: the tanks alone would use
    up the delta-v.

    Parameters
    ----------
    dv_km_s : array_like, shape (...)
        Delta-v, km/s (>= 0).
    dry_kg : array_like, shape (...)
        Dry mass without the propellant tankage (payload + bus), kg (> 0).
    isp_s : array_like, shape (...)
        Specific impulse, s (> 0).
    tank_fraction : array_like, shape (...)
        Tank/structure mass per kg of propellant (>= 0).
    return_status : bool
        Also return the status array.

    Returns
    -------
    m_wet_kg : ndarray, shape (...)

    Examples
    --------
    >>> round(float(wet_mass(3.0, 1000.0, 450.0)), 1)
    1973.5
    """
    dv, dry, isp, f = _arrays(dv_km_s, dry_kg, isp_s, tank_fraction)
    status = _new_status(dv.shape, dv, dry, isp, f)
    _flag(status, (dv < 0.0) | (f < 0.0), _NEG_SPEED)
    _flag(status, (dry <= 0.0) | (isp <= 0.0), _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        rm1 = np.expm1(dv / (isp * G0_KM_S2))
        denom = 1.0 - f * rm1
        _flag(status, denom <= 0.0, _INFEASIBLE)
        mp = rm1 * dry / denom
        m0 = dry + (1.0 + f) * mp
    return _finish(m0, status, return_status)


def dv_capacity(m_wet_kg, m_dry_kg, isp_s, *, return_status=False):
    """Delta-v a stage can give: dv = Isp g0 ln(m_wet / m_dry), km/s.

    Parameters
    ----------
    m_wet_kg : array_like, shape (...)
        Initial mass, kg (> 0, >= m_dry).
    m_dry_kg : array_like, shape (...)
        Final mass, kg (> 0).
    isp_s : array_like, shape (...)
        Specific impulse, s (> 0).
    return_status : bool
        Also return the status array.

    Returns
    -------
    dv_km_s : ndarray, shape (...)

    Examples
    --------
    >>> round(float(dv_capacity(2000.0, 1000.0, 320.0)), 4)
    2.1752
    """
    mw, md, isp = _arrays(m_wet_kg, m_dry_kg, isp_s)
    status = _new_status(mw.shape, mw, md, isp)
    _flag(status, (mw <= 0.0) | (md <= 0.0) | (isp <= 0.0), _NONPOS)
    _flag(status, mw < md, _INFEASIBLE)
    with np.errstate(invalid="ignore", divide="ignore"):
        dv = isp * G0_KM_S2 * np.log(mw / md)
    return _finish(dv, status, return_status)


def burn_sequence(dv_km_s, isp_s, m_final_kg, drop_kg=None, *, return_status=False):
    """Masses for a sequence of burns with different Isp, with optional drops between them.

    Works backwards from the final mass: before burn k the vehicle weighs
    ``(m_after_k) * exp(dv_k / (Isp_k g0))``, and ``drop_kg[k]`` (a spent
    stage, a lander left behind) is added back before burn k+1 -- i.e. it is
    jettisoned right after burn k.

    Parameters
    ----------
    dv_km_s : array_like, shape (..., n)
        Delta-v of each burn, in flight order, km/s (>= 0).
    isp_s : array_like, shape (..., n)
        Isp of the engine for each burn, s (> 0).
    m_final_kg : array_like, shape (...)
        Mass after the last burn (and after the last drop), kg (> 0).
    drop_kg : array_like, shape (..., n), optional
        Mass jettisoned just after each burn, kg (>= 0); default none.
    return_status : bool
        Also return the status array (shape (...)).

    Returns
    -------
    m_initial_kg : ndarray, shape (...)
        Mass before the first burn.
    m_prop_kg : ndarray, shape (..., n)
        Propellant burnt in each burn.

    Examples
    --------
    A 3.2 km/s departure (Isp 450 s) then a 1.0 km/s arrival (Isp 320 s),
    1000 kg at the end:

    >>> m0, mp = burn_sequence([3.2, 1.0], [450.0, 320.0], 1000.0)
    >>> round(float(m0), 1), [round(float(x), 1) for x in mp]
    (2840.0, [1464.7, 375.3])
    """
    dv = np.asarray(dv_km_s, dtype=np.float64)
    isp = np.asarray(isp_s, dtype=np.float64)
    mf = np.asarray(m_final_kg, dtype=np.float64)
    drop = np.zeros_like(dv) if drop_kg is None else np.asarray(drop_kg, dtype=np.float64)
    if dv.ndim == 0:
        raise ValueError("dv_km_s must have a trailing axis of burns, shape (..., n)")
    try:
        dv, isp, drop = np.broadcast_arrays(dv, isp, drop)
        lead = np.broadcast_shapes(dv.shape[:-1], mf.shape)
    except ValueError as exc:
        raise ValueError(
            f"shapes do not broadcast: dv {dv.shape}, isp {isp.shape}, "
            f"m_final {mf.shape}, drop {drop.shape}"
        ) from exc
    n = dv.shape[-1]
    dv = np.broadcast_to(dv, (*lead, n))
    isp = np.broadcast_to(isp, (*lead, n))
    drop = np.broadcast_to(drop, (*lead, n))
    mf = np.broadcast_to(mf, lead)

    status = np.zeros(lead, dtype=np.int8)
    finite = np.isfinite(dv).all(-1) & np.isfinite(isp).all(-1) & np.isfinite(drop).all(-1)
    _flag(status, ~(finite & np.isfinite(mf)), _NONFINITE)
    _flag(status, (dv < 0.0).any(-1) | (drop < 0.0).any(-1), _NEG_SPEED)
    _flag(status, (isp <= 0.0).any(-1) | (mf <= 0.0), _NONPOS)

    mp = np.empty((*lead, n), dtype=np.float64)
    m = mf.astype(np.float64, copy=True)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for k in range(n - 1, -1, -1):  # loop over burns (a handful), not over targets
            m = m + drop[..., k]
            mp[..., k] = m * np.expm1(dv[..., k] / (isp[..., k] * G0_KM_S2))
            m = m + mp[..., k]
    _flag(status, ~np.isfinite(m), _INFEASIBLE)
    bad = status != _OK
    m0 = np.where(bad, np.nan, m)
    mp = np.where(bad[..., None], np.nan, mp)
    if return_status:
        return m0[()], mp, status[()]
    return m0[()], mp
