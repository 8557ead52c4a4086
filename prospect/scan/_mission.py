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
    With a kick stage (``kick_stage_c3_km2_s2``) the stage supplies C3 up to
    that value and the spacecraft adds the rest of the hyperbolic excess
    speed in deep space, ``max(0, v_inf - sqrt(max(C3_kick, 0)))`` (no
    Oberth gain is claimed: the small spacecraft of these profiles have
    low-thrust engines).  Without a kick
    stage the spacecraft flies the whole departure burn from the parking orbit
    (:func:`prospect.core.deltav.burn_from_circular`).
``"rideshare_gto"``
    The spacecraft is released in a geostationary transfer orbit (perigee
    altitude 250 km, apogee at geostationary altitude 35,786 km: an assumed
    standard GTO) and departs with one burn at perigee,
    ``sqrt(v_inf**2 + 2 mu / r_p) - v_p(GTO)``.

The spacecraft's delta-v capacity is the rocket equation of its masses
(:func:`prospect.core.deltav.dv_capacity`); a profile without masses (the
NHATS reference limits) is judged on the total delta-v limit only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from prospect.core.constants import GM_EARTH_KM3_S2, R_EARTH_KM
from prospect.core.deltav import burn_from_circular
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


def _plain(x):
    """Unwrap a sourced value (``{value=...}`` table or an object with ``.value``)."""
    if isinstance(x, dict) and "value" in x:
        return x["value"]
    if hasattr(x, "value") and not isinstance(x, (int, float, str, bool)):
        return x.value
    return x


def _field(profile, name: str, default=None):
    """A profile field by name, looked up on the profile, its limits, or as a key."""
    holders = [profile]
    if isinstance(profile, dict):
        holders = [profile, profile.get("limits")]
    for h in holders:
        if h is None:
            continue
        if isinstance(h, dict):
            if name in h and h[name] is not None:
                return _plain(h[name])
        elif getattr(h, name, None) is not None:
            return _plain(getattr(h, name))
    return default


def _num(profile, name: str):
    value = _field(profile, name)
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"mission field {name!r} is not a number: {value!r}") from None
    return x if math.isfinite(x) else None  # NaN (unknown) and inf (no limit) -> None


@dataclass(frozen=True)
class MissionSpec:
    """Mission-derived settings and limits of a scan (None: no limit)."""

    name: str = "unconstrained"
    label: str = ""
    mode: str = "rendezvous"
    launch_mode: str = "c3"
    round_trip: bool = False
    parking_alt_km: float = LEO_PARKING.perigee_alt_km
    max_revs: int = 0
    max_c3_km2_s2: float | None = None
    kick_stage_c3_km2_s2: float | None = None
    max_duration_days: float | None = None
    min_stay_days: float = 0.0
    max_total_dv_km_s: float | None = None
    max_entry_speed_km_s: float | None = None
    capacity_km_s: float | None = None
    profile: object = None

    @property
    def free_c3_km2_s2(self) -> float | None:
        """C3 that comes free of spacecraft propellant (launcher or kick stage)."""
        if self.launch_mode in ("c3", "dedicated"):
            return self.max_c3_km2_s2
        if self.launch_mode == "rideshare_leo":
            return self.kick_stage_c3_km2_s2
        return None

    def spacecraft_departure_dv(self, vinf_km_s) -> np.ndarray:
        """Departure delta-v paid by the spacecraft for departure speeds ``vinf_km_s``, km/s."""
        vinf = np.asarray(vinf_km_s, dtype=float)
        if self.launch_mode in ("c3", "dedicated"):
            return np.where(np.isnan(vinf), np.nan, 0.0)
        if self.launch_mode == "rideshare_leo":
            if self.kick_stage_c3_km2_s2 is not None:
                free = math.sqrt(max(self.kick_stage_c3_km2_s2, 0.0))
                return np.maximum(vinf - free, 0.0)
            return burn_from_circular(vinf, R_EARTH_KM + self.parking_alt_km, GM_EARTH_KM3_S2)
        # rideshare_gto: one burn at GTO perigee
        rp = R_EARTH_KM + GTO_PERIGEE_ALT_KM
        ra = R_EARTH_KM + GTO_APOGEE_ALT_KM
        vp = math.sqrt(2.0 * GM_EARTH_KM3_S2 * ra / (rp * (rp + ra)))
        return np.sqrt(vinf * vinf + 2.0 * GM_EARTH_KM3_S2 / rp) - vp

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
                rp = R_EARTH_KM + GTO_PERIGEE_ALT_KM
                ra = R_EARTH_KM + GTO_APOGEE_ALT_KM
                vc = math.sqrt(GM_EARTH_KM3_S2 / (R_EARTH_KM + self.parking_alt_km))
                vp = math.sqrt(2.0 * GM_EARTH_KM3_S2 * ra / (rp * (rp + ra)))
                # LEO burn - GTO burn <= v_p(GTO) - v_c(LEO) for any v_inf (r_LEO > r_p)
                bounds.append(vp - vc + self.capacity_km_s)
            else:
                free = self.free_c3_km2_s2
                if self.launch_mode in ("c3", "dedicated") and free is None:
                    pass  # unlimited launcher: nothing bounds the departure
                else:
                    base = float(
                        burn_from_circular(
                            math.sqrt(max(free or 0.0, 0.0)) if free is not None else 0.0,
                            R_EARTH_KM + self.parking_alt_km,
                            GM_EARTH_KM3_S2,
                        )
                    )
                    if self.launch_mode == "rideshare_leo" and free is None:
                        base = 0.0  # the spacecraft flies the whole burn from LEO
                    bounds.append(base + self.capacity_km_s)
        return min(bounds) if bounds else None

    def as_dict(self) -> dict:
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


def _capacity(profile) -> float | None:
    for attr in ("delta_v_capacity_km_s", "dv_capacity_km_s"):
        value = getattr(profile, attr, None)
        if callable(value):
            value = value()
        if value is not None:
            x = float(value)
            return x if math.isfinite(x) else None
    wet, dry = _num(profile, "wet_mass_kg"), _num(profile, "dry_mass_kg")
    prop = _num(profile, "propellant_mass_kg")
    if wet is None and dry is not None and prop is not None:
        wet = dry + prop
    if dry is None and wet is not None and prop is not None:
        dry = wet - prop
    isp = _num(profile, "isp_s")
    if wet is None or dry is None or isp is None:
        return None
    if dry <= 0 or wet < dry:
        raise InputError(f"mission masses are inconsistent: wet {wet} kg, dry {dry} kg")
    from prospect.core.deltav import dv_capacity

    return float(dv_capacity(wet, dry, isp))


def mission_spec(mission=None) -> MissionSpec:
    """Scan settings of a mission profile (name, profile object, or None).

    ``None`` gives an unconstrained rendezvous from a 400 km parking orbit.

    Raises
    ------
    UnknownNameError
        A profile name that is not known (with suggestions).
    """
    if mission is None:
        return MissionSpec()
    if isinstance(mission, MissionSpec):
        return mission
    if isinstance(mission, str):
        from prospect.data import get_mission

        mission = get_mission(mission)
    name = str(_field(mission, "name", None) or _field(mission, "id", None) or "mission")
    launch_mode = str(_field(mission, "launch_mode", "c3"))
    if launch_mode not in LAUNCH_MODES:
        raise InputError(
            f"mission {name!r}: launch_mode {launch_mode!r} is not one of {', '.join(LAUNCH_MODES)}"
        )
    mode = str(_field(mission, "mode", None) or _field(mission, "trajectory", None) or "rendezvous")
    if mode not in ("rendezvous", "flyby"):
        mode = "rendezvous"
    round_trip = bool(_field(mission, "round_trip", False))
    max_c3 = _num(mission, "max_c3_km2_s2")
    entry = _num(mission, "max_entry_speed_km_s")
    min_stay = _num(mission, "min_stay_days")
    return MissionSpec(
        name=name,
        label=str(_field(mission, "label", "") or ""),
        mode=mode,
        launch_mode=launch_mode,
        round_trip=round_trip,
        parking_alt_km=_num(mission, "parking_alt_km") or NHATS["parking_alt_km"],
        max_revs=int(_num(mission, "max_revs") or 0),
        max_c3_km2_s2=max_c3,
        kick_stage_c3_km2_s2=_num(mission, "kick_stage_c3_km2_s2"),
        max_duration_days=_num(mission, "max_duration_days"),
        min_stay_days=min_stay if min_stay is not None else 0.0,
        max_total_dv_km_s=_num(mission, "max_total_dv_km_s"),
        max_entry_speed_km_s=entry,
        capacity_km_s=_capacity(mission),
        profile=mission,
    )
