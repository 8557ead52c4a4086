"""Physical constants used by the kernels, each with its source.

All values in the canonical units of :mod:`prospect.core` (km, s, kg).
"""

import math

import numpy as np

#: Astronomical unit, km.  IAU 2012 Resolution B2 (exact).
AU_KM = 149_597_870.7

#: Seconds per day (SI day, exact).
DAY_S = 86_400.0

#: Julian year in days (IAU).
JULIAN_YEAR_D = 365.25

#: Julian date of the J2000.0 epoch (2000-01-01T12:00:00 TT/TDB).
JD_J2000 = 2_451_545.0

#: Gaussian gravitational constant k, au^1.5 / day (IAU 1938; exact by definition).
GAUSS_K = 0.01720209895

#: GM of the Sun implied by k: k^2 au^3/day^2 = 1.32712440041e11 km^3/s^2.
#: MPC and JPL osculating elements of small bodies assume this value, so every
#: catalog orbit is propagated with it.
GM_SUN_KM3_S2 = GAUSS_K**2 * AU_KM**3 / DAY_S**2

#: GM of the Earth, km^3/s^2.  IERS Conventions (2010), Table 1.1 (EGM2008/TCG-compatible).
GM_EARTH_KM3_S2 = 398_600.4418

#: Equatorial radius of the Earth, km.  WGS 84 / IERS Conventions (2010), Table 1.1.
R_EARTH_KM = 6_378.137

#: Radius of the Earth's sphere of influence about the Sun (Laplace), km.  Curtis,
#: *Orbital Mechanics for Engineering Students* (3rd ed., 2014), Table 8.1: 925,000 km
#: (= a (m/M)^(2/5) with a = 1 au).
EARTH_SOI_KM = 925_000.0

#: GM of the Moon, km^3/s^2.  JPL DE430 (Folkner et al. 2014, IPN PR 42-196, Table 4).
GM_MOON_KM3_S2 = 4_902.800066

#: Mean radius of the Moon, km.  IAU WGCCRE 2015 (Archinal et al. 2018, CMDA 130:22).
R_MOON_KM = 1_737.4

#: Standard gravity, m/s^2, for the rocket equation (3rd CGPM 1901; exact).
G0_M_S2 = 9.80665

#: Standard gravity in km/s^2.
G0_KM_S2 = G0_M_S2 / 1000.0

#: Obliquity of the ecliptic at J2000.0, rad: 84381.448 arcsec (IAU 1976, Lieske et al.
#: 1977), the value that defines the MPC's "J2000 ecliptic" frame.
OBLIQUITY_J2000_RAD = math.radians(84_381.448 / 3600.0)

#: Rotation matrix from ICRS (equatorial J2000) axes to ecliptic J2000 axes: a
#: rotation by :data:`OBLIQUITY_J2000_RAD` about x (one home for astropy's Earth
#: and ASSIST's barycentric states alike).
ICRS_TO_ECLIPJ2000 = np.array(
    [
        [1.0, 0.0, 0.0],
        [0.0, math.cos(OBLIQUITY_J2000_RAD), math.sin(OBLIQUITY_J2000_RAD)],
        [0.0, -math.sin(OBLIQUITY_J2000_RAD), math.cos(OBLIQUITY_J2000_RAD)],
    ]
)

#: Mean orbital speed of the Earth used by Shoemaker & Helin (1978) as their speed unit,
#: km/s (the "Earth-speed unit" of Benner's table: 29.784 km/s).
V_EARTH_SH_KM_S = 29.784

#: Circular speed in low Earth orbit used by Shoemaker & Helin (1978), km/s (7.727 km/s).
V_LEO_SH_KM_S = 7.727
