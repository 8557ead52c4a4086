"""One mission profile flown to a target: schedule, trajectory, spacecraft, cost, value.

:func:`evaluate_mission` reads as its stages::

    schedule -> trajectory -> spacecraft and launch -> timeline -> cost -> value -> environment

* schedule: ready date from the development time of the profile's class
  (:func:`prospect.cost.timeline.schedule`);
* trajectory: the lunar budget, or rank's best transfer among launches from
  the ready date (:mod:`prospect.cost.trajectory`);
* spacecraft and launch: the profile's spacecraft on the cheapest launch it
  can fly from, resized only with ``allow_resize`` (:mod:`prospect.cost.spacecraft`);
* cost: CERs + launch + operations, one seeded Monte Carlo
  (:func:`mission_cost`, :func:`prospect.cost.montecarlo.simulate`);
* value and environment: :mod:`prospect.cost.value`, :mod:`prospect.cost.environment`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from prospect.core.deltav import propellant_mass
from prospect.cost import cer as _cer
from prospect.cost import environment as _env
from prospect.cost import timeline as _tl
from prospect.cost.launch import LaunchChoice, LaunchOption
from prospect.cost.model import CostModel
from prospect.cost.montecarlo import CostDistribution, simulate
from prospect.cost.spacecraft import Sizing, fly
from prospect.cost.target import TargetInfo
from prospect.cost.trajectory import Trajectory, lunar_trajectory, nea_trajectory
from prospect.cost.value import YieldValue, yield_value
from prospect.errors import InputError

__all__ = ["MissionCase", "costable", "evaluate_mission", "mission_cost"]


@dataclass(frozen=True)
class MissionCase:
    """One mission profile flown to the target: trajectory, launch, cost, value."""

    name: str
    profile: object = field(repr=False)
    timeline: _tl.Timeline
    trajectory: dict
    launch: LaunchChoice
    sizing: Sizing
    spacecraft: _cer.SpacecraftCost
    operations: dict
    distribution: CostDistribution
    value: YieldValue
    environment: _env.Environment
    elements: list = field(default_factory=list, repr=False)
    flags: list[str] = field(default_factory=list)

    def cost_at(self, percentile: float) -> float:
        return self.distribution.percentile(percentile)


def _finite(x) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def costable(profile) -> str | None:
    """Why a profile cannot be costed, or None."""
    if _finite(getattr(profile, "dry_mass_kg", None)) is None:
        return "no dry mass"
    if _finite(getattr(profile, "isp_s", None)) is None:
        return "no Isp"
    return None


def mission_cost(
    profile,
    launch: LaunchOption,
    flight_years: float,
    *,
    method: str = "sscm05",
    model: CostModel,
    n_draws: int | None = None,
    seed: int = 0,
):
    """CER, launch and operations elements of one mission and their Monte Carlo total.

    Returns
    -------
    (SpacecraftCost, dict, list of CostElement, CostDistribution)
        Spacecraft CERs on the flown dry mass, operations over
        ``flight_years``, the elements and :func:`~prospect.cost.montecarlo.simulate`
        of them (``n_draws`` default ``[sharing] n_draws``, reserve
        ``[reserves] development_fraction``).
    """
    payload = _finite(getattr(profile, "payload_mass_kg", None))
    sc = _cer.spacecraft_cost(launch.dry_kg, payload, method=method, model=model)
    ops_el, ops = _cer.operations_cost(flight_years, profile.development_class, model=model)
    elements = [*sc.elements, launch.cost_element(model), ops_el]
    dist = simulate(
        elements,
        reserve_fraction=model.number("reserves", "development_fraction"),
        n=int(n_draws or model.number("sharing", "n_draws", positive=True)),
        seed=seed,
    )
    return sc, ops, elements, dist


def _check_profile(target: TargetInfo, profile) -> str:
    name = getattr(profile, "name", "mission")
    why = costable(profile)
    if why:
        raise InputError(f"mission '{name}' cannot be costed: {why}", option="mission")
    if profile.target != target.kind:
        raise InputError(
            f"mission '{name}' flies to a {profile.target} target, not a "
            f"{'Moon site' if target.kind == 'moon' else 'near-Earth asteroid'}",
            option="mission",
        )
    return name


def _stay(profile, stay_days, traj: Trajectory, model: CostModel) -> tuple[float, list[str]]:
    """Operations at the target, days: given, the trip's own, the profile's, else default."""
    if stay_days is not None:
        return float(stay_days), []
    if math.isfinite(traj.stay_days):
        return traj.stay_days, []
    min_stay = _finite(getattr(profile, "min_stay_days", None)) or 0.0
    if min_stay:
        return min_stay, []
    default = model.number("timeline", "default_stay_days", positive=True)
    return default, [
        f"stay not set by the profile: {default:g} d used "
        f"({model.text('timeline', 'default_stay_source')})"
    ]


def _launch_family(mode: str, best) -> str:
    """The service a profile's launch mode expects (to flag a different choice)."""
    return {
        "rideshare_leo": "rideshare" if best.kind == "rideshare" else "leo",
        "rideshare_gto": "rideshare" if best.kind == "rideshare" else "gto",
        "dedicated": best.service if best.kind == "dedicated" else "c3",
        "c3": "c3",
    }.get(mode, best.service)


def _environment(target, profile, traj: Trajectory, sizing: Sizing, *, sites, model):
    round_trip = bool(getattr(profile, "round_trip", False))
    exhaust = None
    if target.kind == "moon":
        descent = traj.details["legs_km_s"]["descent"]
        exhaust = float(propellant_mass(descent, sizing.dry_kg, float(profile.isp_s)))
    return _env.assess(
        target.kind,
        lat_deg=target.lat_deg,
        lon_deg=target.lon_deg,
        target_class=target.target_class,
        sample_return=round_trip,
        dry_mass_kg=0.0 if round_trip else sizing.dry_kg,
        exhaust_kg=exhaust,
        sites=sites,
        model=model,
    )


def evaluate_mission(
    target: TargetInfo,
    profile,
    start,
    *,
    model: CostModel,
    launchers,
    resources=None,
    sites=None,
    seed: int = 0,
    n_draws: int | None = None,
    method: str = "sscm05",
    prices=None,
    feedstock_kg: float = 0.0,
    recovery: float = 1.0,
    stay_days: float | None = None,
    launch_by=None,
    include_speculative: bool = False,
    scan_kwargs: dict | None = None,
    allow_resize: bool = False,
    ephemeris: str = "nbody",
) -> MissionCase:
    """Trajectory, launch, cost, schedule, value and environment of one profile.

    A spacecraft that cannot fly the trajectory is still evaluated (see
    :func:`prospect.cost.spacecraft.fly`).

    Raises
    ------
    InputError
        A profile that cannot be costed or flown to this kind of target, no
        transfer in the span, no launcher.
    """
    name = _check_profile(target, profile)
    sched = _tl.schedule(profile, start, launch_by, model=model)
    traj = _trajectory(
        target, profile, sched, model=model, scan_kwargs=scan_kwargs, ephemeris=ephemeris
    )
    choice, sizing, flags = fly(
        launchers,
        profile,
        traj,
        target_label=target.label,
        allow_resize=allow_resize,
        include_speculative=include_speculative,
        model=model,
    )
    stay, stay_flags = _stay(profile, stay_days, traj, model)
    timeline = _timeline(sched, traj, stay, model=model)
    sc, ops, elements, dist = mission_cost(
        profile,
        choice.best,
        timeline.flight_years,
        method=method,
        model=model,
        n_draws=n_draws,
        seed=seed,
    )
    round_trip = bool(getattr(profile, "round_trip", False))
    value = yield_value(
        target.target_class,
        target.kind,
        feedstock_kg,
        recovery=recovery,
        destination="earth" if round_trip else target.kind,
        prices=prices,
        resources=resources,
        model=model,
    )
    flags += _launch_mode_flags(profile, choice.best)
    return MissionCase(
        name=name,
        profile=profile,
        timeline=timeline,
        trajectory=traj.details,
        launch=choice,
        sizing=sizing,
        spacecraft=sc,
        operations=ops,
        distribution=dist,
        value=value,
        environment=_environment(target, profile, traj, sizing, sites=sites, model=model),
        elements=elements,
        flags=[*stay_flags, *traj.flags, *flags, *sc.flags, *ops["flags"]],
    )


def _trajectory(
    target, profile, sched, *, model: CostModel, scan_kwargs, ephemeris: str = "nbody"
) -> Trajectory:
    """The lunar budget, or rank's best transfer from the ready date; within the deadline."""
    if target.kind == "moon":
        traj = lunar_trajectory(target, profile, sched.ready, model=model)
    else:
        traj = nea_trajectory(
            target,
            profile,
            sched.ready,
            sched.deadline,
            model=model,
            scan_kwargs=scan_kwargs,
            ephemeris=ephemeris,
        )
    if sched.deadline is not None and traj.launch > sched.deadline:
        raise InputError(
            f"first launch opportunity {traj.launch.isoformat()} is after the launch window "
            f"closing {sched.deadline.isoformat()}",
            option="launch_by",
        )
    return traj


def _timeline(sched, traj: Trajectory, stay: float, *, model: CostModel) -> _tl.Timeline:
    """Development, launch, transfer, waits, stay and return as dated phases."""
    return _tl.build_timeline(
        sched.start,
        sched.development_months,
        launch=traj.launch,
        transfer_days=traj.transfer_days,
        stay_days=stay,
        return_days=traj.return_days,
        waits=traj.waits,
        window=traj.window,
        model=model,
        sources=[sched.development_source, *traj.sources],
    )


def _launch_mode_flags(profile, best) -> list[str]:
    """A flag when the cheapest launch is not the service the profile's launch mode expects."""
    if best.service == _launch_family(profile.launch_mode, best):
        return []
    return [
        f"cheapest launch ({best.launcher}, {best.service}) differs from the profile's "
        f"launch mode '{profile.launch_mode}'"
    ]
