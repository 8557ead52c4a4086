"""Lunar landing delta-v budgets and plane changes (DOMAIN.md section 2;
Acta Astronautica 177:351, 2020, Table 4).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from prospect.core._elementwise import (
    _ANGLE,
    _NEG_SPEED,
    _NONPOS,
    _OK,
    _arrays,
    _finish,
    _flag,
    _new_status,
)
from prospect.core.constants import (
    GM_MOON_KM3_S2,
    R_MOON_KM,
)
from prospect.core.status import Checked

__all__ = [
    "DV_LEO_TLI_KM_S",
    "DV_LLO_NRHO_KM_S",
    "DV_LLO_SURFACE_KM_S",
    "DV_LLO_TEI_KM_S",
    "DV_NRHO_LLO_KM_S",
    "DV_NRHO_TEI_KM_S",
    "DV_SURFACE_LLO_KM_S",
    "DV_TLI_LLO_KM_S",
    "DV_TLI_NRHO_KM_S",
    "DV_TLI_SURFACE_DIRECT_KM_S",
    "LUNAR_TABLE_RESERVE",
    "LunarBudget",
    "lunar_landing_budget",
    "lunar_plane_change",
    "lunar_plane_change_with_status",
    "plane_change",
    "plane_change_with_status",
]


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
# Moon
# --------------------------------------------------------------------------


def plane_change(v_km_s, delta_inc_rad):
    """Impulsive plane change at constant speed: dv = 2 v sin(di / 2).

    Parameters
    ----------
    v_km_s : array_like, shape (...)
        Orbital speed at the node, km/s (>= 0).
    delta_inc_rad : array_like, shape (...)
        Plane rotation, rad, [0, pi].

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
    return plane_change_with_status(v_km_s, delta_inc_rad).value


def plane_change_with_status(v_km_s, delta_inc_rad) -> Checked:
    """As :func:`plane_change`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    v, di = _arrays(v_km_s, delta_inc_rad)
    status = _new_status(v.shape, v, di)
    _flag(status, v < 0.0, _NEG_SPEED)
    _flag(status, (di < 0.0) | (di > np.pi), _ANGLE)
    return _finish(2.0 * v * np.sin(di / 2.0), status)


def lunar_plane_change(lat_deg, arrival_inc_deg=90.0, llo_alt_km=100.0):
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
    return lunar_plane_change_with_status(lat_deg, arrival_inc_deg, llo_alt_km).value


def lunar_plane_change_with_status(lat_deg, arrival_inc_deg=90.0, llo_alt_km=100.0) -> Checked:
    """As :func:`lunar_plane_change`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    lat, inc, alt = _arrays(lat_deg, arrival_inc_deg, llo_alt_km)
    status = _new_status(lat.shape, lat, inc, alt)
    _flag(status, (np.abs(lat) > 90.0) | (inc < 0.0) | (inc > 180.0), _ANGLE)
    _flag(status, alt < 0.0, _NONPOS)
    reach = np.minimum(inc, 180.0 - inc)
    di = np.deg2rad(np.maximum(0.0, np.abs(lat) - reach))
    with np.errstate(invalid="ignore"):
        v = np.sqrt(GM_MOON_KM3_S2 / (R_MOON_KM + alt))
    return _finish(2.0 * v * np.sin(di / 2.0), status)


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
    pc, status = lunar_plane_change_with_status(lat_deg, arrival_inc_deg, llo_alt_km)
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
