"""Planet states from astropy, in the frame of the asteroid elements.

Earth (and any planet) states come from astropy's solar-system ephemeris
(``"builtin"`` by default: ERFA ``epv00`` for the Earth, VSOP87-based, a few km;
``plan94`` for other planets), one call per date array.  astropy returns
barycentric ICRS vectors; we subtract the Sun and rotate once, about the x
axis by the J2000 obliquity 84381.448 arcsec, into heliocentric ecliptic J2000
- the convention of MPC and JPL small-body elements (JPL Horizons' "ecliptic
of J2000.0").

Set ``PROSPECT_EPHEMERIS`` (e.g. ``de432s``) to use a JPL kernel that astropy
has already cached; the default never touches the network.
"""

from __future__ import annotations

import os

import numpy as np
from astropy.coordinates import get_body_barycentric_posvel, solar_system_ephemeris

from prospect.core.constants import DAY_S, OBLIQUITY_J2000_RAD
from prospect.epochs import as_time

__all__ = ["ICRS_TO_ECLIPJ2000", "earth_state", "planet_state"]

_c, _s = np.cos(OBLIQUITY_J2000_RAD), np.sin(OBLIQUITY_J2000_RAD)
#: Rotation matrix from ICRS (equatorial) axes to ecliptic J2000 axes.
ICRS_TO_ECLIPJ2000 = np.array([[1.0, 0.0, 0.0], [0.0, _c, _s], [0.0, -_s, _c]])


def _ephemeris() -> str:
    return os.environ.get("PROSPECT_EPHEMERIS", "builtin")


def planet_state(body: str, epochs) -> tuple[np.ndarray, np.ndarray]:
    """Heliocentric ecliptic-J2000 state of a solar-system body.

    Parameters
    ----------
    body : str
        Name astropy knows (``"earth"``, ``"mars"``, ``"venus"``, ``"moon"``...).
    epochs : Time, str or sequence, shape (M,) or scalar
        Epochs (any time scale; astropy converts to TDB).

    Returns
    -------
    r_km : ndarray, shape (M, 3) (or (3,) for a scalar epoch)
        Position, km.
    v_km_s : ndarray, same shape
        Velocity, km/s.

    Examples
    --------
    >>> r, v = planet_state("earth", "2025-01-01")
    >>> 1.46e8 < float(np.linalg.norm(r)) < 1.48e8
    True
    """
    t = as_time(epochs)
    with solar_system_ephemeris.set(_ephemeris()):
        pb, vb = get_body_barycentric_posvel(body, t)
        ps, vs = get_body_barycentric_posvel("sun", t)
    r_icrs = (pb - ps).get_xyz(xyz_axis=-1).to_value("km")
    v_icrs = (vb - vs).get_xyz(xyz_axis=-1).to_value("km/d") / DAY_S
    return r_icrs @ ICRS_TO_ECLIPJ2000.T, v_icrs @ ICRS_TO_ECLIPJ2000.T


def earth_state(epochs) -> tuple[np.ndarray, np.ndarray]:
    """Heliocentric ecliptic-J2000 state of the Earth (km, km/s); see :func:`planet_state`."""
    return planet_state("earth", epochs)
