"""What the scans need from a mission profile, in one place.

A :class:`MissionSpec` is read from a :class:`prospect.data.MissionProfile`
(shipped ``catalogs/missions.toml`` or a user TOML file) and says how the
delta-v of a trajectory is split between the launcher and the spacecraft and
which limits a trajectory must meet.

Launch modes (``launch_mode`` of the profile) and who pays the Earth
departure:

``"c3"``, ``"dedicated"``
    The launcher injects the spacecraft onto its departure hyperbola, up to
    ``max_c3_km2_s2``.  The spacecraft pays nothing at departure.
``"rideshare_leo"``
    The spacecraft is released in a circular LEO (``parking_alt_km``, 400 km
    by default, the NHATS value of :data:`prospect.data.orbits.LEO_PARKING`).
    With a kick stage (``kick_stage_c3_km2_s2``)
    the stage supplies C3 up to that value and the spacecraft adds the rest of
    the hyperbolic excess speed in deep space, ``max(0, v_inf -
    sqrt(max(C3_kick, 0)))`` (no Oberth gain is claimed: the small
    spacecraft of these profiles have low-thrust engines).  Without a kick
    stage the spacecraft flies the whole departure burn from the parking orbit
    (:func:`prospect.core.deltav.burn_from_circular`).
``"rideshare_gto"``
    The spacecraft is released in a geostationary transfer orbit (perigee
    altitude 250 km, apogee at geostationary altitude 35,786 km: an assumed
    standard GTO) and departs with one burn at perigee,
    ``sqrt(v_inf**2 + 2 mu / r_p) - v_p(GTO)``.

The spacecraft's delta-v capacity is the rocket equation of its masses
(:attr:`prospect.data.MissionProfile.delta_v_capacity_km_s`); a profile without
masses (the NHATS reference limits) is judged on the total delta-v limit only.

The profile (:class:`prospect.data.MissionProfile`) is the one record of a
mission; :meth:`MissionSpec.from_profile` derives from it, attribute by
attribute, what a scan needs (``inf``/NaN "no limit" becomes None), and the
scan settings that are not part of a profile (trajectory mode, parking orbit,
revolutions) keep their defaults unless a scan overrides them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from prospect.core.constants import GM_EARTH_KM3_S2, R_EARTH_KM
from prospect.core.deltav import burn_from_circular
from prospect.data import MissionProfile, get_mission
from prospect.data.orbits import GTO, LEO_PARKING
from prospect.errors import InputError

__all__ = ["NHATS", "MissionSpec", "mission_spec"]


#: NHATS round-trip constraints (Barbee, Mink & Adamo 2011, AAS 11-444 /
#: NTRS 20110010993, and Barbee et al. 2015, IAA-PDC-15-04-22; the live
#: criteria at https://cneos.jpl.nasa.gov/nhats/): Earth departure C3 <= 60
#: km^2/s^2, total duration <= 450 d, stay >= 8 d, total delta-v <= 12 km/s
#: from a 400 km circular LEO, Earth atmospheric entry speed <= 12 km/s.
NHATS = {
    "max_c3_km2_s2": 60.0,
    "max_duration_days": 450.0,
    "min_stay_days": 8.0,
    "max_total_dv_km_s": 12.0,
    "max_entry_speed_km_s": 12.0,
    "parking_alt_km": LEO_PARKING.perigee_alt_km,
}

#: The standard GTO of :data:`prospect.data.orbits.GTO` (one record for scans and cost).
GTO_PERIGEE_ALT_KM = GTO.perigee_alt_km
GTO_APOGEE_ALT_KM = GTO.apogee_alt_km

LAUNCH_MODES = ("c3", "dedicated", "rideshare_leo", "rideshare_gto")


def gto_perigee() -> tuple[float, float]:
    """Perigee radius (km) and perigee speed (km/s) of the standard GTO
    (:data:`prospect.data.orbits.GTO`; vis-viva, ``v_p = sqrt(C3_GTO + 2 mu / r_p)``).

    Examples
    --------
    >>> rp, vp = gto_perigee()
    >>> round(rp, 1), round(vp, 3)
    (6628.1, 10.195)
    """
    rp = GTO.r_perigee_km
    return rp, math.sqrt(GTO.c3_km2_s2 + 2.0 * GM_EARTH_KM3_S2 / rp)


def _finite(x: float) -> float | None:
    """A profile value as a scan limit: NaN (unknown) and inf (no limit) -> None."""
    x = float(x)
    return x if math.isfinite(x) else None


@dataclass(frozen=True)
class MissionSpec:
    """Mission-derived settings and limits of a scan (None: no limit).

    Made by :meth:`from_profile` (or :func:`mission_spec`); the default
    instance is an unconstrained rendezvous from a 400 km parking orbit.
    """

    name: str = "unconstrained"
    label: str = ""
    mode: str = "rendezvous"
    launch_mode: str = "c3"
    round_trip: bool = False
    parking_alt_km: float = NHATS["parking_alt_km"]
    max_revs: int = 0
    max_c3_km2_s2: float | None = None
    kick_stage_c3_km2_s2: float | None = None
    max_duration_days: float | None = None
    min_stay_days: float = 0.0
    max_total_dv_km_s: float | None = None
    max_entry_speed_km_s: float | None = None
    capacity_km_s: float | None = None
    profile: MissionProfile | None = None

    @classmethod
    def from_profile(cls, profile: MissionProfile) -> MissionSpec:
        """The scan settings of a mission profile."""
        if profile.launch_mode not in LAUNCH_MODES:
            raise InputError(
                f"mission {profile.name!r}: launch_mode {profile.launch_mode!r} is not one "
                f"of {', '.join(LAUNCH_MODES)}",
                option="mission",
            )
        return cls(
            name=profile.name,
            label=profile.label,
            launch_mode=profile.launch_mode,
            round_trip=bool(profile.round_trip),
            max_c3_km2_s2=_finite(profile.max_c3_km2_s2),
            kick_stage_c3_km2_s2=_finite(profile.kick_stage_c3_km2_s2),
            max_duration_days=_finite(profile.max_duration_days),
            min_stay_days=_finite(profile.min_stay_days) or 0.0,
            max_total_dv_km_s=_finite(profile.max_total_dv_km_s),
            max_entry_speed_km_s=_finite(profile.max_entry_speed_km_s),
            capacity_km_s=_finite(profile.delta_v_capacity_km_s),
            profile=profile,
        )

    @property
    def free_c3_km2_s2(self) -> float | None:
        """C3 that comes free of spacecraft propellant (launcher or kick stage)."""
        if self.launch_mode in ("c3", "dedicated"):
            return self.max_c3_km2_s2
        if self.launch_mode == "rideshare_leo":
            return self.kick_stage_c3_km2_s2
        return None

    @property
    def limit_km_s(self) -> float | None:
        """Delta-v limit of a trajectory: the spacecraft's capacity, else the total limit."""
        return self.capacity_km_s if self.capacity_km_s is not None else self.max_total_dv_km_s

    @property
    def r_park_km(self) -> float:
        """Radius of the circular Earth parking orbit, km."""
        return R_EARTH_KM + self.parking_alt_km

    def objective_km_s(self, vinf_dep_km_s, dv_arrival_km_s, dv_total_km_s):
        """Delta-v judged against :attr:`limit_km_s`, km/s (array-wise).

        The spacecraft's share (departure per the launch mode + arrival) when
        the profile has a capacity, else the total from the parking orbit.
        """
        if self.capacity_km_s is not None:
            return self.spacecraft_departure_dv(vinf_dep_km_s) + dv_arrival_km_s
        return dv_total_km_s

    def spacecraft_departure_dv(self, vinf_km_s) -> np.ndarray:
        """Departure delta-v paid by the spacecraft for departure speeds ``vinf_km_s``, km/s."""
        vinf = np.asarray(vinf_km_s, dtype=float)
        if self.launch_mode in ("c3", "dedicated"):
            return np.where(np.isnan(vinf), np.nan, 0.0)
        if self.launch_mode == "rideshare_leo":
            if self.kick_stage_c3_km2_s2 is not None:
                free = math.sqrt(max(self.kick_stage_c3_km2_s2, 0.0))
                return np.maximum(vinf - free, 0.0)
            return burn_from_circular(vinf, self.r_park_km, GM_EARTH_KM3_S2)
        # rideshare_gto: one burn at GTO perigee
        return GTO.escape_burn_km_s(vinf * vinf)

    def kernel_objective(self) -> tuple[str, float, float] | None:
        """:meth:`objective_km_s` as a :func:`prospect.core.transfer.transfer_min` objective.

        ``("total", 0, 0)``, ``("zero", 0, 0)``, ``("excess", v_free, 0)`` or
        ``("burn", 2 mu / r, v_0)``, checked against :meth:`spacecraft_departure_dv`
        on probe speeds (None if they disagree: the caller then evaluates the grid).
        """
        if self.capacity_km_s is None:
            return ("total", 0.0, 0.0)
        if self.launch_mode in ("c3", "dedicated"):
            obj = ("zero", 0.0, 0.0)
        elif self.launch_mode == "rideshare_leo" and self.kick_stage_c3_km2_s2 is not None:
            obj = ("excess", math.sqrt(max(self.kick_stage_c3_km2_s2, 0.0)), 0.0)
        elif self.launch_mode == "rideshare_leo":
            r = self.r_park_km
            obj = ("burn", 2.0 * GM_EARTH_KM3_S2 / r, math.sqrt(GM_EARTH_KM3_S2 / r))
        else:
            rp, vp = gto_perigee()
            obj = ("burn", 2.0 * GM_EARTH_KM3_S2 / rp, vp)
        kind, p, q = obj
        probe = np.array([0.0, 0.3, 1.0, 2.5, 4.0, 7.0, 12.0, np.nan])
        mine = {
            "zero": np.where(np.isnan(probe), np.nan, 0.0),
            "excess": np.maximum(probe - p, 0.0),
            "burn": np.sqrt(probe * probe + p) - q,
        }[kind]
        theirs = np.asarray(self.spacecraft_departure_dv(probe), dtype=float)
        if not np.allclose(mine, theirs, rtol=1e-14, atol=0.0, equal_nan=True):
            return None
        return obj

    def leo_equivalent_budget_km_s(self) -> float | None:
        """Upper bound of the LEO-departure total a feasible trajectory can have, km/s.

        Free C3 counts as the burn that would reach it from the parking orbit,
        plus the spacecraft's whole capacity (valued at perigee, which bounds
        the deep-space value from above: ``d burn / d v_inf < 1``); or the
        total delta-v limit.  None when nothing bounds it.
        """
        bounds = []
        if self.max_total_dv_km_s is not None:
            bounds.append(self.max_total_dv_km_s)
        if self.capacity_km_s is not None:
            if self.launch_mode == "rideshare_gto":
                _, vp = gto_perigee()
                vc = math.sqrt(GM_EARTH_KM3_S2 / self.r_park_km)
                # LEO burn - GTO burn <= v_p(GTO) - v_c(LEO) for any v_inf (r_LEO > r_p)
                bounds.append(vp - vc + self.capacity_km_s)
            else:
                free = self.free_c3_km2_s2
                if self.launch_mode in ("c3", "dedicated") and free is None:
                    pass  # unlimited launcher: nothing bounds the departure
                elif self.launch_mode == "rideshare_leo" and free is None:
                    bounds.append(self.capacity_km_s)  # the spacecraft flies the whole burn
                else:
                    v_free = math.sqrt(max(free, 0.0))
                    base = float(burn_from_circular(v_free, self.r_park_km, GM_EARTH_KM3_S2))
                    bounds.append(base + self.capacity_km_s)
        return min(bounds) if bounds else None

    def for_round_trip(self, *, nhats_defaults: bool, **overrides) -> MissionSpec:
        """This spec as a round trip: its limits, NHATS values for the open ones.

        ``nhats_defaults`` True (no profile given) takes every limit from
        :data:`NHATS`.  A profile with a capacity and no total limit keeps no
        total limit.  ``overrides`` (None: keep) replace any field.
        """
        base = {
            "max_c3_km2_s2": self.max_c3_km2_s2,
            "max_duration_days": self.max_duration_days,
            "min_stay_days": self.min_stay_days or None,
            "max_total_dv_km_s": self.max_total_dv_km_s,
            "max_entry_speed_km_s": self.max_entry_speed_km_s,
        }
        if nhats_defaults:
            base = {k: NHATS[k] for k in base}
        else:
            base = {k: (v if v is not None else NHATS[k]) for k, v in base.items()}
            if self.capacity_km_s is not None and self.max_total_dv_km_s is None:
                base["max_total_dv_km_s"] = None
        base.update({k: v for k, v in overrides.items() if v is not None})
        return replace(self, round_trip=True, **base)

    def as_dict(self) -> dict:
        """The settings and limits as a plain dict (None: no limit)."""
        return {
            "mission": self.name,
            "mode": self.mode,
            "launch_mode": self.launch_mode,
            "round_trip": self.round_trip,
            "parking_alt_km": self.parking_alt_km,
            "max_c3_km2_s2": self.max_c3_km2_s2,
            "kick_stage_c3_km2_s2": self.kick_stage_c3_km2_s2,
            "max_duration_days": self.max_duration_days,
            "min_stay_days": self.min_stay_days,
            "max_total_dv_km_s": self.max_total_dv_km_s,
            "max_entry_speed_km_s": self.max_entry_speed_km_s,
            "capacity_km_s": self.capacity_km_s,
            "max_revs": self.max_revs,
        }


def mission_spec(mission=None) -> MissionSpec:
    """Scan settings of a mission: a profile name, a :class:`MissionProfile`, a spec, or None.

    ``None`` gives an unconstrained rendezvous from a 400 km parking orbit.

    Raises
    ------
    UnknownNameError
        A profile name that is not known (with suggestions).
    InputError
        Anything else (names the parameter ``mission``).

    Examples
    --------
    >>> spec = mission_spec("prospector-1")
    >>> spec.launch_mode, round(spec.capacity_km_s, 4), spec.kernel_objective()
    ('rideshare_leo', 1.0012, ('excess', 0.0, 0.0))
    """
    if mission is None:
        return MissionSpec()
    if isinstance(mission, MissionSpec):
        return mission
    if isinstance(mission, str):
        mission = get_mission(mission)
    if not isinstance(mission, MissionProfile):
        raise InputError(
            f"expected a profile name or a prospect.data.MissionProfile, got "
            f"{type(mission).__name__}",
            option="mission",
        )
    return MissionSpec.from_profile(mission)
