"""Stage 1 of :func:`prospect.scan.moon.rank_moon`: the delta-v of each site.

The legs of :func:`prospect.core.deltav.lunar_landing_budget` at each site's latitude,
the departure burns the lander flies itself (:func:`lander_legs`, by launch mode), its
delta-v against the profile's capacity and total limit (the rules are described in the
:mod:`prospect.scan.moon` docstring).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from prospect.core.constants import GM_EARTH_KM3_S2, R_EARTH_KM
from prospect.core.deltav import (
    LUNAR_TABLE_RESERVE,
    burn_from_circular_c3,
    lunar_landing_budget,
)
from prospect.errors import InputError

__all__ = [
    "BUDGET_LEGS",
    "MOON_MEAN_DISTANCE_KM",
    "TABLE_LEO_ALT_KM",
    "SiteBudget",
    "lander_legs",
    "site_budget",
]

#: Legs of :class:`prospect.core.deltav.LunarBudget`, in flight order.
BUDGET_LEGS = (
    "leo_to_tli",
    "tli_to_orbit",
    "nrho_to_llo",
    "plane_change",
    "descent",
    "ascent",
    "llo_to_nrho",
    "tei",
)

#: Mean Earth-Moon distance (semi-major axis of the lunar orbit), km: 384,400 km,
#: NASA NSSDCA Moon Fact Sheet; the apogee of the Hohmann-type TLI of DOMAIN.md 2.1.
MOON_MEAN_DISTANCE_KM = 384_400.0

#: Altitude of the LEO of the tabulated LEO -> TLI leg, km (Acta Astronautica
#: 177:351, 2020, Table 4: "LEO (407 km)"; DOMAIN.md 2.1).
TABLE_LEO_ALT_KM = 407.0


def _perigee_burn(c3_from, c3_to, r_km):
    """Burn at a common perigee radius between conics of energies C3/2, km/s (vis-viva)."""
    return float(burn_from_circular_c3(c3_to, r_km) - burn_from_circular_c3(c3_from, r_km))


def _tli_c3(r_perigee_km: float) -> float:
    """C3 of a TLI ellipse from perigee radius r_p to the Moon's mean distance, km^2/s^2."""
    return -2.0 * GM_EARTH_KM3_S2 / (r_perigee_km + MOON_MEAN_DISTANCE_KM)


def lander_legs(mission, *, reserve: bool = True) -> tuple[str, float, tuple[str, ...]]:
    """How the lander leaves Earth: (description, departure delta-v, budget legs it flies).

    Parameters
    ----------
    mission : MissionProfile
        A profile with ``launch_mode`` (and optionally ``kick_stage_c3_km2_s2``,
        ``max_c3_km2_s2``).
    reserve : bool
        Add the tables' 5 % reserve to computed departure burns.

    Returns
    -------
    description : str
        One line for the report.
    departure_km_s : float
        Delta-v the lander spends to reach TLI that is *not* a budget leg (GTO ->
        TLI, top-ups), km/s; 0 when it starts on TLI or flies the tabulated
        LEO -> TLI leg.
    legs : tuple of str
        The :data:`BUDGET_LEGS` the lander flies.

    Examples
    --------
    >>> from prospect.data import get_mission
    >>> text, dep, legs = lander_legs(get_mission("mx-1"))
    >>> round(dep, 3), "leo_to_tli" in legs
    (0.713, False)
    """
    star = 1.0 + LUNAR_TABLE_RESERVE if reserve else 1.0
    lunar = BUDGET_LEGS[1:]
    mode = mission.launch_mode
    r_leo = R_EARTH_KM + TABLE_LEO_ALT_KM
    c3_tli = _tli_c3(r_leo)
    if mode == "rideshare_leo":
        kick = float(getattr(mission, "kick_stage_c3_km2_s2", math.nan))
        if math.isnan(kick):
            return "released in LEO: the lander flies every leg from LEO", 0.0, BUDGET_LEGS
        if kick >= c3_tli:
            return (
                f"kick stage to C3 {kick:g} km^2/s^2 (>= TLI): the lander starts on TLI",
                0.0,
                lunar,
            )
        top = star * _perigee_burn(kick, c3_tli, r_leo)
        return (
            f"kick stage to C3 {kick:g} km^2/s^2: the lander tops up to TLI ({top:.3f} km/s)",
            top,
            lunar,
        )
    if mode == "rideshare_gto":
        # Imported here: prospect.scan._mission belongs to the NEA scans.
        from prospect.scan._mission import GTO_APOGEE_ALT_KM, GTO_PERIGEE_ALT_KM

        rp = R_EARTH_KM + GTO_PERIGEE_ALT_KM
        ra = R_EARTH_KM + GTO_APOGEE_ALT_KM
        burn = star * _perigee_burn(-2.0 * GM_EARTH_KM3_S2 / (rp + ra), _tli_c3(rp), rp)
        return (f"released in GTO: the lander burns GTO -> TLI ({burn:.3f} km/s)", burn, lunar)
    if mode in ("dedicated", "c3"):
        max_c3 = float(getattr(mission, "max_c3_km2_s2", math.inf))
        if math.isnan(max_c3) or max_c3 >= c3_tli:
            return "launcher injects on TLI: the lander flies from TLI", 0.0, lunar
        top = star * _perigee_burn(max_c3, c3_tli, r_leo)
        return (
            f"launcher limited to C3 {max_c3:g} km^2/s^2: the lander tops up to TLI "
            f"({top:.3f} km/s)",
            top,
            lunar,
        )
    raise InputError(f"mission {mission.name!r}: unknown launch_mode {mode!r}", option="mission")


@dataclass(frozen=True)
class SiteBudget:
    """Delta-v of every site for one profile (arrays of shape ``(n_sites,)``, km/s).

    Attributes
    ----------
    legs : dict of str to ndarray
        Each of :data:`BUDGET_LEGS`, km/s.
    total : ndarray
        ``dv_total_km_s``: the sum of the legs, LEO to surface (and back), km/s.
    dv_lander : ndarray
        The legs the lander flies plus its own departure burn, km/s.
    reachable : ndarray of bool
        Within the capacity and the total limit (see :func:`site_budget`).
    capacity_km_s, max_total_dv_km_s : float
        The profile's rocket-equation capacity and total limit (inf or NaN: none).
    launch : str
        :func:`lander_legs`'s description of how the lander leaves Earth.
    departure_km_s : float
        The lander's departure burn that is not a budget leg, km/s.
    flown : tuple of str
        The :data:`BUDGET_LEGS` the lander flies.
    """

    legs: dict
    total: np.ndarray
    dv_lander: np.ndarray
    reachable: np.ndarray
    capacity_km_s: float
    max_total_dv_km_s: float
    launch: str
    departure_km_s: float
    flown: tuple


def site_budget(lat_deg, mission, *, via: str, arrival_inc_deg: float, reserve: bool):
    """Budget legs, lander delta-v and reachability of sites at ``lat_deg``.

    Parameters
    ----------
    lat_deg : ndarray, shape (n_sites,)
        Selenographic latitudes, degrees.
    mission : MissionProfile
        A Moon profile (``launch_mode``, ``round_trip``, ``delta_v_capacity_km_s``,
        ``max_total_dv_km_s``).
    via, arrival_inc_deg, reserve
        As :func:`prospect.core.deltav.lunar_landing_budget` (already checked).

    Returns
    -------
    SiteBudget
        A site is reachable when its total is finite, the lander's delta-v is within
        a finite capacity and the total within a finite ``max_total_dv_km_s``.

    Examples
    --------
    >>> import numpy as np
    >>> from prospect.data import get_mission
    >>> b = site_budget(np.array([0.0, -89.5]), get_mission("mx-1"), via="llo",
    ...                 arrival_inc_deg=90.0, reserve=True)
    >>> b.total.shape, bool(b.total[0] == b.total[1])
    ((2,), True)
    """
    budget = lunar_landing_budget(
        lat_deg,
        via=via,
        arrival_inc_deg=arrival_inc_deg,
        reserve=reserve,
        return_to_earth=bool(mission.round_trip),
    )
    legs = {k: np.atleast_1d(np.asarray(getattr(budget, k), dtype=float)) for k in BUDGET_LEGS}
    total = np.atleast_1d(np.asarray(budget.total, dtype=float))
    launch, departure, flown = lander_legs(mission, reserve=reserve)
    dv_lander = departure + sum(legs[k] for k in flown)
    capacity = float(mission.delta_v_capacity_km_s)
    max_total = float(mission.max_total_dv_km_s)
    reachable = np.isfinite(total)
    if math.isfinite(capacity):
        reachable &= dv_lander <= capacity
    if math.isfinite(max_total):
        reachable &= total <= max_total
    return SiteBudget(
        legs=legs,
        total=total,
        dv_lander=dv_lander,
        reachable=reachable,
        capacity_km_s=capacity,
        max_total_dv_km_s=max_total,
        launch=launch,
        departure_km_s=departure,
        flown=flown,
    )
