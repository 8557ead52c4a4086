"""Shoemaker & Helin (1978) rendezvous delta-v from LEO, as tabulated by L. Benner:
the screen that bounds which NEAs a mission can reach.
"""

from __future__ import annotations

import numpy as np

from prospect.core._elementwise import (
    _ANGLE,
    _SH_UNDEF,
    _UNBOUND,
    _arrays,
    _finish,
    _flag,
    _new_status,
)
from prospect.core.constants import (
    V_EARTH_SH_KM_S,
    V_LEO_SH_KM_S,
)
from prospect.core.status import Checked

__all__ = [
    "SH_ALLOWANCE_KM_S",
    "SH_AMOR",
    "SH_APOLLO",
    "SH_ATEN",
    "SH_SPEED_UNIT_KM_S",
    "shoemaker_helin",
    "shoemaker_helin_group",
    "shoemaker_helin_with_status",
]


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


# --------------------------------------------------------------------------
# Shoemaker & Helin (1978), as tabulated by L. Benner
# --------------------------------------------------------------------------


def shoemaker_helin_group(a_au, ecc):
    """Shoemaker-Helin transfer group: :data:`SH_ATEN`, :data:`SH_APOLLO` or :data:`SH_AMOR`.

    ``a < 1`` -> Aten (Atiras included); ``a >= 1, q <= 1`` -> Apollo;
    ``a >= 1, q > 1`` -> Amor, with q = a (1 - e).  Returns ``int8``; 0 where
    a or e is NaN.

    Examples
    --------
    >>> shoemaker_helin_group([0.92, 1.13, 1.46], [0.19, 0.20, 0.22]).tolist()
    [1, 2, 3]
    """
    a, e = _arrays(a_au, ecc)
    q = a * (1.0 - e)
    group = np.zeros(a.shape, dtype=np.int8)
    group[a < 1.0] = SH_ATEN
    group[(a >= 1.0) & (q <= 1.0)] = SH_APOLLO
    group[(a >= 1.0) & (q > 1.0)] = SH_AMOR
    return group[()]


def shoemaker_helin(a_au, ecc, inc_deg, *, group=None):
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
    ecc : array_like, shape (...)
        Eccentricity, [0, 1).
    inc_deg : array_like, shape (...)
        Inclination to the ecliptic, degrees, [0, 180].
    group : array_like of int, shape (...), optional
        Override the group (:data:`SH_ATEN`, :data:`SH_APOLLO`,
        :data:`SH_AMOR`) computed by :func:`shoemaker_helin_group` -- e.g. a
        group decided from unrounded elements (or a catalog's orbit class)
        while a and e are rounded.

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
    return shoemaker_helin_with_status(a_au, ecc, inc_deg, group=group).value


def shoemaker_helin_with_status(a_au, ecc, inc_deg, *, group=None) -> Checked:
    """As :func:`shoemaker_helin`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    a, e, inc = _arrays(a_au, ecc, inc_deg)
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
    return _finish(dv, status)
