"""The spacecraft a plan flies and its launch: the profile's own, resized only when asked.

A mission profile is a spacecraft: dry mass, propellant load and Isp
(``catalogs/missions.toml``).  A plan flies *that* spacecraft, fully loaded
(wet mass = dry + propellant), when it can:

* the launcher must deliver the profile's wet mass to the service's orbit
  (capability and price of that mass: :func:`prospect.cost.launch.choose_launch`
  with no burn left to the spacecraft, ``kick_stage_c3_km2_s2`` set to the
  departure C3 so the escape is not sized into the mass), and
* the spacecraft must fly its own share from there (escape burn of the
  service + the mission delta-v) with the propellant it carries
  (:func:`~prospect.cost.launch.choose_launch` sizing of the same service: the
  propellant it needs must not exceed the load).

When no launch meets both, or rank found no transfer within the profile's
limits, the plan still flies (and costs) the profile's spacecraft and says
that it cannot fly the trajectory, with the spacecraft it would take (the
cheapest closed-loop sizing of :func:`~prospect.cost.launch.choose_launch`,
tanks grown by ``[propulsion] tank_fraction``).  Only with
``allow_resize=True`` is that resized spacecraft planned, and the result
carries ``resized`` and a flag.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import numpy as np

from prospect.cost.launch import LaunchChoice, choose_launch
from prospect.cost.model import CostModel
from prospect.errors import InputError

__all__ = [
    "Sizing",
    "fly",
    "launch_profile_spacecraft",
    "profile_launch_rows",
    "profile_masses",
]


@dataclass(frozen=True)
class Sizing:
    """The spacecraft flown, kg and km/s.

    ``propellant_kg`` is the load carried, ``propellant_used_kg`` what the
    mission burns; ``resized`` is True only when ``allow_resize`` replaced the
    profile's spacecraft (then ``profile_wet_kg`` differs from ``wet_kg``).
    ``can_fly`` is False when the spacecraft planned cannot fly the
    trajectory (``spacecraft_dv_km_s`` is then what it needs); ``would_take``
    is the spacecraft that would (``dry_kg``, ``propellant_kg``, ``wet_kg``,
    ``spacecraft_dv_km_s``, ``launch``), ``note`` why.
    """

    dry_kg: float
    propellant_kg: float
    wet_kg: float
    spacecraft_dv_km_s: float
    propellant_used_kg: float
    profile_wet_kg: float
    resized: bool = False
    can_fly: bool = True
    would_take: dict | None = None
    note: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def profile_masses(profile) -> tuple[float, float, float]:
    """(dry, propellant, wet) of the profile, kg (propellant 0 when not given)."""
    dry = float(profile.dry_mass_kg)
    prop = getattr(profile, "propellant_mass_kg", math.nan)
    prop = float(prop) if prop is not None and math.isfinite(prop) else 0.0
    return dry, prop, dry + prop


def _kick(profile) -> float | None:
    k = getattr(profile, "kick_stage_c3_km2_s2", None)
    return float(k) if k is not None and math.isfinite(k) else None


def launch_profile_spacecraft(
    launchers,
    profile,
    *,
    mission_dv_km_s: float,
    c3_km2_s2: float,
    include_speculative: bool = False,
    model: CostModel,
) -> tuple[LaunchChoice | None, float, str]:
    """Cheapest launch of the profile's spacecraft, fully loaded, that it can fly from.

    Returns
    -------
    (LaunchChoice or None, float, str)
        Options with the profile's masses (``wet_kg`` = dry + propellant),
        cheapest usable first, and the propellant the best one burns (kg);
        None, NaN and the reasons when none is usable.
    """
    dry, prop0, wet = profile_masses(profile)
    common = {
        "target_c3_km2_s2": c3_km2_s2,
        "include_speculative": include_speculative,
        "model": model,
    }
    try:  # the spacecraft's view: what it burns after each service
        own = choose_launch(
            launchers,
            dry_mass_kg=dry,
            isp_s=float(profile.isp_s),
            mission_dv_km_s=mission_dv_km_s,
            propellant_mass_kg=prop0,
            kick_stage_c3_km2_s2=_kick(profile),
            **common,
        )
        # the launcher's view: capability and price of the wet mass (no burn sized in)
        lift = choose_launch(
            launchers,
            dry_mass_kg=wet,
            isp_s=float(profile.isp_s),
            mission_dv_km_s=0.0,
            kick_stage_c3_km2_s2=c3_km2_s2,
            **common,
        )
    except InputError as exc:
        return None, math.nan, str(exc)
    own_by = {(o.launcher, o.service): o for o in own.options}
    options = []
    for o in lift.options:
        a = own_by[(o.launcher, o.service)]
        fits = math.isfinite(a.propellant_kg) and a.propellant_kg <= prop0 * (1 + 1e-9)
        reason = o.reason
        if o.feasible and not fits:
            reason = (
                f"needs {a.propellant_kg:.1f} kg of propellant from there, the spacecraft "
                f"carries {prop0:.1f} kg"
                if math.isfinite(a.propellant_kg)
                else a.reason
            )
        notes = [n for n in dict.fromkeys(o.notes + a.notes) if "tanks grow" not in n]
        options.append(
            replace(
                o,
                escape_dv_km_s=a.escape_dv_km_s,
                spacecraft_dv_km_s=a.spacecraft_dv_km_s,
                dry_kg=dry,
                propellant_kg=prop0,
                wet_kg=wet,
                feasible=o.feasible and fits,
                reason=reason,
                notes=notes,
            )
        )
    usable = sorted(
        (o for o in options if o.feasible), key=lambda o: (o.price_musd, o.launcher, o.service)
    )
    if not usable:
        why = "; ".join(f"{o.launcher}/{o.service}: {o.reason}" for o in options[:4])
        why = f"no launch of the {wet:.1f} kg spacecraft that it can fly from: {why}"
        return None, math.nan, why
    rest = [o for o in options if not o.feasible]
    used = own_by[(usable[0].launcher, usable[0].service)].propellant_kg
    return LaunchChoice(usable[0], usable + rest, c3_km2_s2, mission_dv_km_s), used, ""


def profile_launch_rows(
    launchers,
    profile,
    *,
    mission_dv_km_s,
    c3_km2_s2,
    include_speculative: bool = False,
    model: CostModel,
) -> list:
    """Per row, the cheapest launch of the profile's spacecraft that it can fly from.

    Vectorised :func:`launch_profile_spacecraft` over rows (the same two
    views, :func:`prospect.cost.launch.services.evaluate` on every row at
    once; ties broken by launcher and service name as there).

    Parameters
    ----------
    mission_dv_km_s, c3_km2_s2 : array_like, shape (R,)
        Delta-v after departure (km/s) and departure C3 (km^2/s^2) per row.

    Returns
    -------
    list of (launcher, service) or None, length R
        The chosen launch of each row (None: no usable launch).
    """
    from prospect.cost.launch.services import evaluate, launch_services

    dry, prop0, wet = profile_masses(profile)
    services = launch_services(launchers, model, include_speculative)
    order = sorted(
        range(len(services)), key=lambda i: (services[i].launcher.name, services[i].service)
    )
    services = [services[i] for i in order]
    c3 = np.atleast_1d(np.asarray(c3_km2_s2, dtype=float))
    f = model.number("propulsion", "tank_fraction")
    isp = float(profile.isp_s)
    own = evaluate(
        services,
        dry=dry,
        isp=isp,
        prop0=prop0,
        mission_dv=mission_dv_km_s,
        c3=c3,
        kick=_kick(profile),
        f=f,
    )
    # the launcher's view: no burn sized into the wet mass (an infinite kick C3)
    lift = evaluate(
        services,
        dry=wet,
        isp=isp,
        prop0=0.0,
        mission_dv=np.zeros(c3.size),
        c3=c3,
        kick=math.inf,
        f=f,
    )
    with np.errstate(invalid="ignore"):
        fits = np.isfinite(own["prop"]) & (own["prop"] <= prop0 * (1 + 1e-9))
    price = np.where(lift["feasible"] & fits, lift["price"], np.inf)
    idx = np.argmin(price, axis=0)
    ok = np.isfinite(price[idx, np.arange(c3.size)])
    return [
        (services[j].launcher.name, services[j].service) if k else None
        for j, k in zip(idx, ok, strict=True)
    ]


def _lift(launchers, wet_kg: float, isp_s: float, c3_km2_s2: float, **common) -> LaunchChoice:
    """The launcher's view: capability and price of ``wet_kg`` at each service.

    No burn is sized into the mass: ``kick_stage_c3_km2_s2`` equal to the
    departure C3 leaves the spacecraft no escape burn in
    :func:`~prospect.cost.launch.choose_launch`, and the mission delta-v is 0.
    """
    return choose_launch(
        launchers,
        dry_mass_kg=wet_kg,
        isp_s=isp_s,
        mission_dv_km_s=0.0,
        target_c3_km2_s2=c3_km2_s2,
        kick_stage_c3_km2_s2=c3_km2_s2,
        **common,
    )


def _resized(launchers, profile, trajectory, **common) -> tuple[LaunchChoice | None, str]:
    """The closed-loop sizing of :func:`~prospect.cost.launch.choose_launch` (tanks grow)."""
    dry, prop0, _ = profile_masses(profile)
    try:
        return choose_launch(
            launchers,
            dry_mass_kg=dry,
            isp_s=float(profile.isp_s),
            mission_dv_km_s=trajectory.mission_dv_km_s,
            target_c3_km2_s2=trajectory.c3_km2_s2,
            propellant_mass_kg=prop0,
            kick_stage_c3_km2_s2=_kick(profile),
            **common,
        ), ""
    except InputError as exc:
        return None, str(exc)


def fly(
    launchers,
    profile,
    trajectory,
    *,
    target_label: str,
    allow_resize: bool = False,
    include_speculative: bool = False,
    model: CostModel,
) -> tuple[LaunchChoice, Sizing, list[str]]:
    """The launch and the spacecraft of a plan: the profile's, resized only when allowed.

    Parameters
    ----------
    trajectory : prospect.cost.trajectory.Trajectory

    Returns
    -------
    (LaunchChoice, Sizing, flags)
        When the profile's spacecraft cannot fly the trajectory and
        ``allow_resize`` is False, it is still the spacecraft planned and costed
        (on the cheapest launch of its wet mass), with ``can_fly=False``, the
        spacecraft it would take in ``would_take`` and a ``CANNOT FLY`` flag.
        With ``allow_resize`` the spacecraft it would take is planned,
        ``resized=True`` and a ``RESIZED`` flag.

    Raises
    ------
    InputError
        No launcher can lift even the profile's spacecraft (or, resizing, the
        resized one).
    """
    dry, prop0, wet = profile_masses(profile)
    common = {"include_speculative": include_speculative, "model": model}
    own, used, why = None, math.nan, ""
    if trajectory.feasible is not False:
        own, used, why = launch_profile_spacecraft(
            launchers,
            profile,
            mission_dv_km_s=trajectory.mission_dv_km_s,
            c3_km2_s2=trajectory.c3_km2_s2,
            **common,
        )
    if own is not None:
        b = own.best
        return own, Sizing(dry, prop0, wet, b.spacecraft_dv_km_s, used, wet), []
    head = _cannot_fly_head(profile, trajectory, target_label, why)
    resized, rwhy = _resized(launchers, profile, trajectory, **common)
    would, craft = _would_take(resized, rwhy)
    if allow_resize and resized is not None:
        b = resized.best
        sizing = Sizing(
            b.dry_kg,
            b.propellant_kg,
            b.wet_kg,
            b.spacecraft_dv_km_s,
            b.propellant_kg,
            wet,
            resized=True,
            note=head,
        )
        return resized, sizing, [f"RESIZED (allow_resize): {head}; planned with {craft}"]
    return _as_profile(launchers, profile, trajectory, head, would, craft, common)


def _cannot_fly_head(profile, trajectory, target_label: str, why: str) -> str:
    """One sentence: which spacecraft cannot fly where, and why."""
    _dry, prop0, wet = profile_masses(profile)
    if trajectory.feasible is False:
        why = (
            f"the best transfer found (departs {trajectory.details['departure']}, C3 "
            f"{trajectory.c3_km2_s2:.2f} km^2/s^2) needs "
            f"{trajectory.details['spacecraft_dv_km_s']:.3f} km/s of its own"
        )
    cap = getattr(profile, "delta_v_capacity_km_s", None)
    return (
        f"mission '{getattr(profile, 'name', 'mission')}' cannot fly to {target_label} with "
        f"its own spacecraft ({wet:.1f} kg wet, {prop0:.1f} kg propellant"
        + (f", {cap:.3f} km/s" if cap is not None and math.isfinite(cap) else "")
        + f"): {why}"
    )


def _would_take(resized, rwhy: str) -> tuple[dict | None, str]:
    """(``would_take`` record or None, words for it) of the resized launch choice."""
    if resized is None:
        return None, f"no resized spacecraft closes either ({rwhy})"
    b = resized.best
    would = {
        "dry_kg": b.dry_kg,
        "propellant_kg": b.propellant_kg,
        "wet_kg": b.wet_kg,
        "spacecraft_dv_km_s": b.spacecraft_dv_km_s,
        "launch": f"{b.launcher} ({b.service})",
    }
    craft = (
        f"a {b.wet_kg:.1f} kg spacecraft ({b.propellant_kg:.1f} kg propellant, "
        f"{b.dry_kg:.1f} kg dry, {b.spacecraft_dv_km_s:.3f} km/s on {b.launcher}/{b.service})"
    )
    return would, craft


def _as_profile(launchers, profile, trajectory, head, would, craft, common):
    """The profile's spacecraft that cannot fly, costed on the cheapest lift of its wet mass."""
    dry, prop0, wet = profile_masses(profile)
    try:
        lift = _lift(launchers, wet, float(profile.isp_s), trajectory.c3_km2_s2, **common)
    except InputError as exc:
        raise InputError(f"{head}; and no launcher lifts it: {exc}", option="mission") from None
    needed = trajectory.details.get("spacecraft_dv_km_s", math.nan)
    if not math.isfinite(needed) and would is not None:
        needed = would["spacecraft_dv_km_s"]
    sizing = Sizing(
        dry, prop0, wet, needed, math.nan, wet, can_fly=False, would_take=would, note=head
    )
    # the lift view carried the wet mass as its "dry" mass: give the options the profile's
    options = [
        replace(
            o, dry_kg=dry, propellant_kg=prop0, escape_dv_km_s=math.nan, spacecraft_dv_km_s=needed
        )
        for o in lift.options
    ]
    take = f"it would take {craft}" if would is not None else craft
    return (
        LaunchChoice(options[0], options, lift.target_c3_km2_s2, trajectory.mission_dv_km_s),
        sizing,
        [
            f"CANNOT FLY: {head}; {take}; costed as the profile's spacecraft on the cheapest "
            "launch of its wet mass; plan it resized with allow_resize=True (--allow-resize)"
        ],
    )
