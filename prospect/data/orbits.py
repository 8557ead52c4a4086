"""Earth parking orbits a spacecraft is released into, one record each.

The scans (a ``rideshare_leo`` or ``rideshare_gto`` profile pays its own departure
burn, NHATS counts the departure from LEO in its total delta-v) and the launch choice
of :mod:`prospect.cost.launch` (the escape burn after a LEO/SSO/GTO service or a
rideshare) read the same record, so the two cannot disagree.

:data:`LEO_PARKING`
    Circular, 400 km altitude: the parking orbit of NHATS (Barbee, Mink & Adamo 2011,
    AAS 11-444 / NTRS 20110010993: "total delta-v ... from a 400 km circular LEO"),
    the only source among the shipped profiles that states a LEO altitude (the DSI
    Prospector releases, the rideshare_leo profiles, give none).  Rideshare SSO
    drop-offs (SpaceX Transporter) are higher, ~500-600 km; from 500 km the escape
    burn to C3 = 0 is 23 m/s smaller, which the 400 km value keeps as margin.
:data:`GTO`
    Perigee altitude 250 km, apogee at geostationary altitude 35,786 km: an assumed
    standard GTO (R_geo = 42,164 km).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from prospect.core.constants import GM_EARTH_KM3_S2, R_EARTH_KM

__all__ = ["GTO", "LEO_PARKING", "ParkingOrbit", "parking_orbit", "perigee_burn_km_s"]


@dataclass(frozen=True)
class ParkingOrbit:
    """An Earth orbit the spacecraft is released into, with its source.

    Attributes
    ----------
    name : str
        ``"LEO"`` or ``"GTO"``.
    perigee_alt_km, apogee_alt_km : float
        Altitudes above the equatorial radius (:data:`prospect.core.constants.R_EARTH_KM`), km.
    source : str
        Where the numbers come from.
    """

    name: str
    perigee_alt_km: float
    apogee_alt_km: float
    source: str

    @property
    def r_perigee_km(self) -> float:
        """Perigee radius, km."""
        return R_EARTH_KM + self.perigee_alt_km

    @property
    def circular(self) -> bool:
        """True for a circular orbit."""
        return self.apogee_alt_km == self.perigee_alt_km

    @property
    def c3_km2_s2(self) -> float:
        """Twice the specific orbital energy, ``-mu / a`` = ``-2 mu / (r_p + r_a)``, km^2/s^2.

        Examples
        --------
        >>> round(LEO_PARKING.c3_km2_s2, 3)   # -mu / (R_E + 400 km)
        -58.807
        """
        return (
            -2.0 * GM_EARTH_KM3_S2 / (2.0 * R_EARTH_KM + self.perigee_alt_km + self.apogee_alt_km)
        )

    @property
    def label(self) -> str:
        """Short description for tables (``"circular LEO 400 km"``)."""
        if self.circular:
            return f"circular {self.name} {self.perigee_alt_km:.0f} km"
        return self.name

    def escape_burn_km_s(self, c3_km2_s2):
        """Impulsive perigee burn from this orbit onto a conic of energy ``C3/2``, km/s.

        ``dv = sqrt(C3 + 2 mu / r_p) - sqrt(C3_orbit + 2 mu / r_p)``: the speed at
        perigee of the target conic minus the orbit's perigee speed (vis-viva; Curtis,
        *Orbital Mechanics for Engineering Students*, 3rd ed. 2014, section 8.6).
        Zero where the target energy is not above the orbit's own.

        Parameters
        ----------
        c3_km2_s2 : array_like, shape (...)
            Target C3, km^2/s^2.

        Returns
        -------
        ndarray or float, shape (...)
            Burn, km/s (NaN where C3 is NaN).

        Examples
        --------
        Escape (C3 = 0) from the 400 km circular LEO, ``(sqrt(2) - 1) v_c``:

        >>> round(float(LEO_PARKING.escape_burn_km_s(0.0)), 4)
        3.1764
        """
        return perigee_burn_km_s(self.c3_km2_s2, self.r_perigee_km, c3_km2_s2)


def perigee_burn_km_s(c3_from_km2_s2: float, r_perigee_km: float, c3_to_km2_s2):
    """Impulsive burn at perigee radius `r_perigee_km` from a conic of energy
    ``C3_from/2`` to one of ``C3_to/2`` (same perigee), km/s.

    ``dv = sqrt(C3_to + 2 mu / r_p) - sqrt(C3_from + 2 mu / r_p)`` where
    ``C3_to > C3_from``, else 0 (vis-viva; Curtis, *Orbital Mechanics for Engineering
    Students*, 3rd ed. 2014, section 8.6).  The one formula for every escape from a
    delivered orbit: a parking orbit (:meth:`ParkingOrbit.escape_burn_km_s`) or a
    trans-lunar conic.

    Parameters
    ----------
    c3_from_km2_s2 : float
        Energy of the orbit the spacecraft is in, km^2/s^2 (``-mu/a``).
    r_perigee_km : float
        Its perigee radius, km.
    c3_to_km2_s2 : array_like, shape (...)
        Target C3, km^2/s^2.

    Returns
    -------
    ndarray or float, shape (...)
        Burn, km/s; NaN for a NaN target.

    Examples
    --------
    GTO perigee to a trans-lunar conic (C3 = -2 km^2/s^2):

    >>> round(float(perigee_burn_km_s(GTO.c3_km2_s2, GTO.r_perigee_km, -2.0)), 6)
    0.680513
    """
    c3 = np.asarray(c3_to_km2_s2, dtype=float)
    two_mu_r = 2.0 * GM_EARTH_KM3_S2 / r_perigee_km
    v_from = math.sqrt(c3_from_km2_s2 + two_mu_r)
    with np.errstate(invalid="ignore"):
        dv = np.where(c3 > c3_from_km2_s2, np.sqrt(np.maximum(c3 + two_mu_r, 0.0)) - v_from, 0.0)
    dv = np.where(np.isnan(c3), np.nan, dv)
    return dv[()] if dv.ndim == 0 else dv


#: NHATS parking orbit: circular, 400 km (Barbee, Mink & Adamo 2011, AAS 11-444).
LEO_PARKING = ParkingOrbit(
    "LEO",
    400.0,
    400.0,
    "NHATS: Barbee, Mink & Adamo 2011, AAS 11-444 / NTRS 20110010993 (total delta-v "
    "from a 400 km circular LEO)",
)

#: Assumed standard GTO: 250 km x 35,786 km (geostationary altitude).
GTO = ParkingOrbit(
    "GTO",
    250.0,
    35_786.0,
    "assumed standard GTO, perigee 250 km x apogee 35,786 km (geostationary altitude) [assumption]",
)


def parking_orbit(service: str) -> ParkingOrbit:
    """The parking orbit of a launch service or rideshare orbit name.

    ``"gto"`` gives :data:`GTO`; ``"leo"``, ``"sso"`` and anything else (a rideshare
    to SSO or to an unnamed low orbit) :data:`LEO_PARKING`.

    Examples
    --------
    >>> parking_orbit("GTO").apogee_alt_km
    35786.0
    """
    return GTO if service.strip().lower() == "gto" else LEO_PARKING
