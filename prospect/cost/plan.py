"""``plan``: link a target to a consortium with launch, cost range, schedule and sharing.

One call evaluates a mission profile (or every profile that suits the target)
end to end:

1. target: a Moon site of ``catalogs/moon_sites.csv`` or a catalog asteroid;
2. trajectory: the lunar delta-v budget of the site's latitude
   (:func:`prospect.core.deltav.lunar_landing_budget`), or the first launch
   window after the spacecraft is ready from a transfer scan
   (:func:`prospect.scan.porkchop.porkchop`, :mod:`prospect.cost.timeline`);
3. launch: the cheapest launch that delivers the spacecraft sized for its
   delta-v, loop closed (:mod:`prospect.cost.launch`);
4. cost: CERs + launch + operations + reserve, Monte Carlo P10/P50/P90 in
   constant-year dollars (:mod:`prospect.cost.cer`, :mod:`prospect.cost.montecarlo`);
5. yield and value (:mod:`prospect.cost.value`);
6. consortium: budgets, capabilities, cost shares, the yield split
   (proportional or Shapley, optional benefit-sharing fund) and every
   member's net (:mod:`prospect.cost.sharing`);
7. environment and heritage flags (:mod:`prospect.cost.environment`).

The result is a :class:`PlanResult` with :meth:`PlanResult.to_dict`.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from prospect.core.deltav import lunar_landing_budget, propellant_mass
from prospect.cost import cer as _cer
from prospect.cost import consortia as _cons
from prospect.cost import environment as _env
from prospect.cost import sharing as _sh
from prospect.cost import timeline as _tl
from prospect.cost.launch import TLI_C3_KM2_S2, LaunchChoice, choose_launch
from prospect.cost.model import CostModel, load_cost_model
from prospect.cost.montecarlo import CostDistribution, simulate
from prospect.cost.value import YieldValue, yield_value
from prospect.errors import InputError, UnknownNameError

__all__ = ["MissionCase", "PlanResult", "TargetInfo", "affordability", "plan", "resolve_target"]


# --------------------------------------------------------------------------- target


@dataclass(frozen=True)
class TargetInfo:
    """A planning target.

    Attributes
    ----------
    kind : {"moon", "nea"}
    name : str
        Site id or asteroid label.
    label : str
    lat_deg, lon_deg : float
        Moon sites only (NaN for asteroids).
    target_class : str or None
        Site category (Moon) or taxonomic class (NEA).
    class_source : str
    obj : object
        The site row or the :class:`prospect.targets.Target`.
    """

    kind: str
    name: str
    label: str
    lat_deg: float = math.nan
    lon_deg: float = math.nan
    target_class: str | None = None
    class_source: str = ""
    obj: object = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        d = {
            "kind": self.kind,
            "name": self.name,
            "label": self.label,
            "target_class": self.target_class,
            "class_source": self.class_source,
        }
        if self.kind == "moon":
            d.update(lat_deg=self.lat_deg, lon_deg=self.lon_deg)
        return d


def _na(x) -> bool:
    try:
        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def resolve_target(
    name, *, target_class: str | None = None, sites=None, catalog=None
) -> TargetInfo:
    """A Moon site (by id or name) or a catalog asteroid.

    Raises
    ------
    UnknownNameError
        Neither a Moon site nor an asteroid, with close matches of both.

    Examples
    --------
    >>> resolve_target("S05").kind
    'moon'
    """
    if isinstance(name, TargetInfo):
        return name
    from prospect.data import get_site

    try:
        row = get_site(str(name), sites)
    except UnknownNameError as site_err:
        from prospect.targets import target as _target

        try:
            tgt = _target(str(name), catalog)
        except UnknownNameError as nea_err:
            raise UnknownNameError(
                "target (Moon site or asteroid)",
                str(name),
                [*site_err.suggestions[:3], *nea_err.suggestions[:3]],
            ) from None
        cls, src = target_class, "given (--target-class)" if target_class else ""
        if cls is None:
            for col in ("spec_b", "spec_t"):
                v = tgt.row.get(col)
                if not _na(v) and str(v).strip():
                    cls, src = str(v).strip(), f"catalog {col}"
                    break
        return TargetInfo("nea", tgt.label, tgt.label, target_class=cls, class_source=src, obj=tgt)
    cls, src = str(row["category"]), "site category"
    if target_class:
        cls, src = target_class, "given (--target-class)"
    return TargetInfo(
        "moon",
        str(row["id"]),
        str(row["name"]),
        float(row["lat_deg"]),
        float(row["lon_deg_east"]),
        cls,
        src,
        row,
    )


# --------------------------------------------------------------------------- one mission


@dataclass(frozen=True)
class MissionCase:
    """One mission profile flown to the target: trajectory, launch, cost, value."""

    name: str
    profile: object = field(repr=False)
    timeline: _tl.Timeline
    trajectory: dict
    launch: LaunchChoice
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


def _costable(profile) -> str | None:
    """Why a profile cannot be costed, or None."""
    if _finite(getattr(profile, "dry_mass_kg", None)) is None:
        return "no dry mass"
    if _finite(getattr(profile, "isp_s", None)) is None:
        return "no Isp"
    return None


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
) -> MissionCase:
    """Trajectory, launch, cost, schedule, value and environment of one profile.

    Raises
    ------
    InputError
        A profile that cannot be costed or flown to this target, no launch
        window, no launcher.
    """
    name = getattr(profile, "name", "mission")
    why = _costable(profile)
    if why:
        raise InputError(f"mission '{name}' cannot be costed: {why}", option="--mission")
    if profile.target != target.kind:
        raise InputError(
            f"mission '{name}' flies to a {profile.target} target, not a "
            f"{'Moon site' if target.kind == 'moon' else 'near-Earth asteroid'}",
            option="--mission",
        )
    flags: list[str] = []
    dev_class = profile.development_class
    dev_months, dev_src = model.development_months(dev_class)
    dpm = model.number("timeline", "days_per_month", positive=True)
    start_d = _tl.to_date(start, option="--start")
    ready = _tl.add_days(start_d, dev_months * dpm)
    deadline = _tl.to_date(launch_by, option="--launch-by") if launch_by is not None else None
    if deadline is not None and ready > deadline:
        raise InputError(
            f"start {start_d.isoformat()} + {dev_months:g} months of development "
            f"({dev_class}) = ready {ready.isoformat()}, after the launch window closing "
            f"{deadline.isoformat()}",
            option="--start",
        )
    default_stay = model.number("timeline", "default_stay_days", positive=True)
    min_stay = _finite(getattr(profile, "min_stay_days", None)) or 0.0
    stay = stay_days if stay_days is not None else (min_stay or default_stay)
    if stay_days is None and not min_stay:
        flags.append(
            f"stay not set by the profile: {default_stay:g} d used "
            f"({model.text('timeline', 'default_stay_source')})"
        )
    round_trip = bool(getattr(profile, "round_trip", False))
    sources = [dev_src]
    waits: list[tuple[str, float, str]] = []
    return_days = 0.0
    lunar = model.tables.get("lunar", {})
    if target.kind == "moon":
        b = lunar_landing_budget(target.lat_deg, return_to_earth=round_trip)
        legs = {k: float(getattr(b, k)) for k in b._fields if k not in ("status",)}
        mission_dv = legs["total"] - legs["leo_to_tli"]
        c3 = TLI_C3_KM2_S2
        transfer = _finite(getattr(profile, "transfer_days", None))
        if transfer is None:
            transfer = float(lunar["direct_transfer_days"])
            sources.append(str(lunar["direct_source"]))
        launch = ready
        flags.append(
            "lunar launch opportunities recur every synodic month: launch taken at the ready date"
        )
        wait = float(lunar["plane_wait_days"])
        waits.append(("LLO phasing (polar orbit)", wait, str(lunar["plane_wait_source"])))
        if round_trip:
            return_days = float(lunar["direct_transfer_days"])
        trajectory = {
            "kind": "lunar budget (Acta Astronautica 177:351, Table 4; DOMAIN 2.1)",
            "departure_c3_km2_s2": c3,
            "legs_km_s": legs,
            "spacecraft_dv_after_tli_km_s": mission_dv,
        }
        window = {"rule": "monthly lunar opportunities: launch at the ready date"}
    else:
        traj = _nea_window(
            target, profile, ready, deadline, model=model, scan_kwargs=scan_kwargs, flags=flags
        )
        c3 = traj["departure_c3_km2_s2"]
        mission_dv = traj["spacecraft_dv_after_departure_km_s"]
        transfer = traj["tof_days"]
        launch = _tl.to_date(traj["departure"])
        if round_trip:
            stay = traj.get("stay_days", stay)
            return_days = traj.get("tof_back_days", 0.0)
        window = traj.pop("window")
        trajectory = traj
    if deadline is not None and launch > deadline:
        raise InputError(
            f"first launch opportunity {launch.isoformat()} is after the launch window closing "
            f"{deadline.isoformat()}",
            option="--launch-by",
        )
    timeline = _tl.build_timeline(
        start_d,
        dev_months,
        launch=launch,
        transfer_days=transfer,
        stay_days=stay,
        return_days=return_days,
        waits=waits,
        window=window,
        model=model,
        sources=sources,
    )
    prop0 = _finite(getattr(profile, "propellant_mass_kg", None))
    choice = choose_launch(
        launchers,
        dry_mass_kg=float(profile.dry_mass_kg),
        isp_s=float(profile.isp_s),
        mission_dv_km_s=mission_dv,
        target_c3_km2_s2=c3,
        propellant_mass_kg=prop0,
        kick_stage_c3_km2_s2=_finite(getattr(profile, "kick_stage_c3_km2_s2", None)),
        include_speculative=include_speculative,
        model=model,
    )
    best = choice.best
    if best.service != _launch_family(profile.launch_mode, best):
        flags.append(
            f"cheapest launch ({best.launcher}, {best.service}) differs from the profile's "
            f"launch mode '{profile.launch_mode}'"
        )
    payload = _finite(getattr(profile, "payload_mass_kg", None))
    sc = _cer.spacecraft_cost(best.dry_kg, payload, method=method, model=model)
    ops_el, ops = _cer.operations_cost(timeline.flight_years, dev_class, model=model)
    elements = [*sc.elements, best.cost_element(model), ops_el]
    n = int(n_draws or model.number("sharing", "n_draws", positive=True))
    dist = simulate(
        elements,
        reserve_fraction=model.number("reserves", "development_fraction"),
        n=n,
        seed=seed,
    )
    destination = "earth" if round_trip else target.kind
    value = yield_value(
        target.target_class,
        target.kind,
        feedstock_kg,
        recovery=recovery,
        destination=destination,
        prices=prices,
        resources=resources,
        model=model,
    )
    exhaust = None
    if target.kind == "moon":
        exhaust = float(
            propellant_mass(trajectory["legs_km_s"]["descent"], best.dry_kg, float(profile.isp_s))
        )
    env = _env.assess(
        target.kind,
        lat_deg=target.lat_deg,
        lon_deg=target.lon_deg,
        target_class=target.target_class,
        sample_return=round_trip,
        dry_mass_kg=0.0 if round_trip else best.dry_kg,
        exhaust_kg=exhaust,
        sites=sites,
        model=model,
    )
    return MissionCase(
        name=name,
        profile=profile,
        timeline=timeline,
        trajectory=trajectory,
        launch=choice,
        spacecraft=sc,
        operations=ops,
        distribution=dist,
        value=value,
        environment=env,
        elements=elements,
        flags=flags + sc.flags + ops["flags"],
    )


def _launch_family(mode: str, best) -> str:
    """The service a profile's launch mode expects (to flag a different choice)."""
    return {
        "rideshare_leo": "rideshare" if best.kind == "rideshare" else "leo",
        "rideshare_gto": "rideshare" if best.kind == "rideshare" else "gto",
        "dedicated": best.service if best.kind == "dedicated" else "c3",
        "c3": "c3",
    }.get(mode, best.service)


def _nea_window(target, profile, ready, deadline, *, model, scan_kwargs, flags) -> dict:
    """First launch window after ``ready`` from a transfer scan (one way or round trip)."""
    t = model.tables["timeline"]
    span_end = deadline or _tl.add_days(ready, float(t["search_years"]) * 365.25)
    kw = {
        "step_days": float(t["departure_step_days"]),
        "tof_step_days": float(t["tof_step_days"]),
        "tof_min_days": float(t["tof_min_days"]),
        "tof_max_days": float(t["tof_max_days"]),
    }
    kw.update(scan_kwargs or {})
    max_dur = _finite(getattr(profile, "max_duration_days", None))
    if getattr(profile, "round_trip", False):
        from prospect.scan.roundtrip import round_trip

        rt = round_trip(
            target.obj,
            ready.isoformat(),
            span_end.isoformat(),
            mission=profile,
            step_days=kw["step_days"],
            refine=False,
        )
        best = rt.min_dv
        if best is None:
            raise InputError(
                f"no feasible round trip to {target.label} departs between {ready.isoformat()} "
                f"and {span_end.isoformat()}",
                option="--start",
            )
        d = best.as_dict()
        flags.append("round trip: the least-delta-v trip of the search span is planned")
        return {
            "kind": "round trip (prospect.scan.roundtrip)",
            "departure": str(d["departure"]),
            "tof_days": float(best.tof_out_days),
            "stay_days": float(best.stay_days),
            "tof_back_days": float(best.tof_back_days),
            "departure_c3_km2_s2": float(best.c3_km2_s2),
            "dv_arrival_km_s": float(best.dv_arrival_km_s),
            "dv_target_departure_km_s": float(best.dv_target_departure_km_s),
            "dv_entry_km_s": float(best.dv_entry_km_s),
            "spacecraft_dv_after_departure_km_s": float(
                best.dv_arrival_km_s + best.dv_target_departure_km_s + best.dv_entry_km_s
            ),
            "window": {
                "rule": "least-delta-v round trip of the span",
                **{
                    k: (float(v) if isinstance(v, int | float | np.floating) else str(v))
                    for k, v in d.items()
                },
            },
        }
    from prospect.scan.porkchop import porkchop

    tof_max = kw["tof_max_days"]
    if max_dur is not None:
        tof_max = min(tof_max, max_dur)
    pc = porkchop(
        target.obj,
        ready.isoformat(),
        span_end.isoformat(),
        kw["tof_min_days"],
        tof_max,
        step_days=kw["step_days"],
        tof_step_days=kw["tof_step_days"],
        mission=profile,
    )
    table = _tl.departure_table(
        pc,
        max_total_dv_km_s=_finite(getattr(profile, "max_total_dv_km_s", None)) or math.inf,
    )
    w = _tl.first_window_after(table, ready, margin_frac=float(t["window_dv_margin_frac"]))
    window = {
        "rule": model.text("timeline", "window_source"),
        "searched_from": ready.isoformat(),
        "searched_to": span_end.isoformat(),
        "open_from": w["open_from"],
        "open_to": w["open_to"],
        "departure": w["departure"],
        "search_min_dv_km_s": float(w["search_min_dv_km_s"]),
        "grid": {k: float(v) for k, v in kw.items()},
    }
    return {
        "kind": "one-way rendezvous (prospect.scan.porkchop)",
        "departure": w["departure"],
        "tof_days": float(w["tof_days"]),
        "departure_c3_km2_s2": float(w["c3_km2_s2"]),
        "dv_arrival_km_s": float(w["dv_arrival_km_s"]),
        "dv_total_leo400_km_s": float(w["dv_total_km_s"]),
        "spacecraft_dv_after_departure_km_s": float(w["dv_arrival_km_s"]),
        "window": window,
    }


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class PlanResult:
    """A mission plan: target, consortium, launch, cost range, schedule, sharing, flags.

    Money in $M of ``dollar_year``; masses in kg; dates ISO (UTC).
    """

    target: TargetInfo
    consortium: object = field(repr=False)
    mission: MissionCase = field(repr=False)
    candidates: list[dict] = field(default_factory=list)
    budgets_musd: dict = field(default_factory=dict)
    members: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    rule: str = "proportional"
    fund_fraction: float = 0.0
    percentile: float = 50.0
    shapley: dict | None = None
    legal: dict = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    dollar_year: int = 2025
    seed: int = 0

    # convenient views ----------------------------------------------------
    @property
    def cost(self) -> dict:
        d = self.mission.distribution
        return {"p10_musd": d.p10, "p50_musd": d.p50, "p90_musd": d.p90}

    @property
    def timeline(self) -> _tl.Timeline:
        return self.mission.timeline

    def cost_table(self) -> pd.DataFrame:
        """Cost elements: point, P10/P50/P90 and source."""
        s = self.mission.distribution.summary()
        els = {e.name: e for e in self._elements()}
        rows = []
        for name, st in s["elements"].items():
            e = els.get(name)
            rows.append(
                {
                    "element": name,
                    "point_musd": e.point_musd if e else None,
                    "p10_musd": st["p10_musd"],
                    "p50_musd": st["p50_musd"],
                    "p90_musd": st["p90_musd"],
                    "error_model": (
                        f"{e.dist}" + (f" cv {e.cv:g}" if e.dist == "lognormal" else "")
                        if e
                        else "reserve fraction"
                    ),
                    "estimate": bool(e.estimate) if e else False,
                }
            )
        rows.append(
            {
                "element": "total",
                "point_musd": s["point_musd"],
                "p10_musd": s["p10_musd"],
                "p50_musd": s["p50_musd"],
                "p90_musd": s["p90_musd"],
                "error_model": f"{s['n_draws']} draws, seed {s['seed']}",
                "estimate": True,
            }
        )
        return pd.DataFrame(rows)

    def _elements(self):
        return self.mission.elements

    def to_dict(self) -> dict:
        """Plain, JSON-ready dictionary of the whole plan."""
        m = self.mission
        best = m.launch.best
        alternatives = [
            {
                "launcher": o.launcher,
                "service": o.service,
                "price_musd": o.price_musd,
                "wet_kg": o.wet_kg,
                "feasible": o.feasible,
                "reason": o.reason,
            }
            for o in m.launch.options[:8]
        ]
        prof = m.profile
        return _clean(
            {
                "dollar_year": self.dollar_year,
                "seed": self.seed,
                "target": self.target.to_dict(),
                "mission": {
                    "name": m.name,
                    "label": getattr(prof, "label", m.name),
                    "development_class": getattr(prof, "development_class", None),
                    "launch_mode": getattr(prof, "launch_mode", None),
                    "round_trip": bool(getattr(prof, "round_trip", False)),
                    "dry_mass_kg": getattr(prof, "dry_mass_kg", None),
                    "propellant_mass_kg": getattr(prof, "propellant_mass_kg", None),
                    "payload_mass_kg": getattr(prof, "payload_mass_kg", None),
                    "isp_s": getattr(prof, "isp_s", None),
                },
                "candidates": self.candidates,
                "trajectory": m.trajectory,
                "launch": {**best.to_dict(), "alternatives": alternatives},
                "sizing": {
                    "dry_kg": best.dry_kg,
                    "propellant_kg": best.propellant_kg,
                    "wet_kg": best.wet_kg,
                    "spacecraft_dv_km_s": best.spacecraft_dv_km_s,
                },
                "cost": {
                    **m.distribution.summary(),
                    "method": m.spacecraft.method,
                    "validity": m.spacecraft.validity,
                    "reserve_fraction": m.distribution.reserve_fraction,
                    "operations": {k: v for k, v in m.operations.items() if k != "flags"},
                    "table": self.cost_table().to_dict(orient="records"),
                },
                "timeline": m.timeline.to_dict(),
                "value": m.value.to_dict(),
                "consortium": {
                    "name": getattr(self.consortium, "name", None),
                    "label": getattr(self.consortium, "label", None),
                    "budget_musd": float(sum(self.budgets_musd.values())),
                    "budgets_musd": self.budgets_musd,
                    "rule": self.rule,
                    "fund_fraction": self.fund_fraction,
                    "percentile": self.percentile,
                    "members": self.members.to_dict(orient="records"),
                    "shapley": self.shapley,
                },
                "legal": self.legal,
                "environment": m.environment.to_dict(),
                "flags": self.flags,
            }
        )


def _clean(x):
    """JSON-ready: numpy scalars -> Python, NaN/inf -> None, tuples -> lists."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    if isinstance(x, np.ndarray):
        return [_clean(v) for v in x.tolist()]
    if isinstance(x, np.bool_ | bool):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        x = float(x)
        return x if math.isfinite(x) else None
    if isinstance(x, _dt.date):
        return x.isoformat()
    if x is pd.NA or x is pd.NaT:
        return None
    return x


def _legal(consortium, target: TargetInfo, fund_fraction: float) -> tuple[dict, list[str]]:
    members = {m.name: _cons.member_frameworks(m) for m in consortium.members}
    flags: list[str] = []
    laws = sorted({f["country"] for f in members.values() if f["space_resources_law"]})
    if laws:
        flags.append(
            "national space-resources law among the members: "
            + ", ".join(laws)
            + " (ownership of extracted resources under that law)"
        )
    else:
        flags.append(
            "no member state has a national space-resources law: ownership of extracted "
            "resources rests on the reading of OST Art. II"
        )
    accords = any(f["artemis_accords"] for f in members.values())
    ilrs = any(f["ilrs"] for f in members.values())
    if accords and ilrs:
        flags.append("members in both the Artemis Accords and the ILRS: align the frameworks")
    if target.kind == "moon":
        flags.append(
            "Moon: OST Art. I (benefit of all countries) and, for its 17 parties, Moon "
            "Agreement Art. 11 (common heritage, equitable sharing) apply"
        )
    if fund_fraction == 0.0:
        flags.append(
            "no benefit-sharing fund for non-member states (OST Art. I; Moon Agreement Art. 11; "
            "DOMAIN 7.2): set --fund"
        )
    return {"members": members, "resource_law_states": laws}, flags


def plan(
    target,
    consortium,
    *,
    mission=None,
    start=None,
    seed: int = 0,
    n_draws: int | None = None,
    method: str = "sscm05",
    rule: str = "proportional",
    fund_fraction: float = 0.0,
    percentile: float | None = None,
    prices=None,
    feedstock_kg: float = 0.0,
    recovery: float = 1.0,
    target_class: str | None = None,
    stay_days: float | None = None,
    launch_by=None,
    shares=None,
    include_speculative: bool = False,
    model: CostModel | None = None,
    launchers=None,
    missions=None,
    consortia=None,
    resources=None,
    sites=None,
    catalog=None,
    scan_kwargs: dict | None = None,
) -> PlanResult:
    """Plan a prospecting mission to ``target`` for ``consortium``.

    Parameters
    ----------
    target : str
        Moon site id/name (``"S05"``, ``"Haworth crater"``) or asteroid
        (``"2000 SG344"``, ``"433"``).
    consortium : str or Consortium
        Name in ``catalogs/consortia.toml`` (or ``consortia``), or an object.
    mission : str or MissionProfile, optional
        Profile to fly; default every costable profile for this kind of
        target, the one giving the grand coalition the largest surplus
        (ties: the cheapest) among those it can afford.
    start : date-like, optional
        Consortium start (project kick-off); default today (UTC).
    seed : int
        Monte Carlo seed (results are reproducible for a seed).
    n_draws : int, optional
        Monte Carlo draws (default ``[sharing] n_draws``).
    method : {"sscm05", "uscm8"}
        Spacecraft CER family.
    rule : {"proportional", "shapley"}
        Yield split among members.
    fund_fraction : float
        Fraction of the gross yield value to a benefit-sharing fund.
    percentile : float, optional
        Cost percentile a budget must cover (default ``[sharing] percentile``, 50).
    prices : mapping commodity -> US$/kg, optional
        User prices replacing the catalog's assumptions.
    feedstock_kg, recovery : float
        Material processed/returned and the fraction extracted (see
        :mod:`prospect.cost.value`).
    target_class : str, optional
        Asteroid taxonomic class (when the catalog has none) or a Moon-site
        category override.
    stay_days : float, optional
        Operations at the target (default: the profile's minimum stay, else one
        lunar daylight period).
    launch_by : date-like, optional
        End of the launch window searched (default ready + ``search_years``).
    shares : mapping member -> fraction, optional
        Agreed cost shares (must sum to 1); default the file's shares, else by
        contribution.
    include_speculative : bool
        Consider projected launchers (Starship).
    model, launchers, missions, consortia, resources, sites, catalog : optional
        Catalogs (default: the shipped ones).
    scan_kwargs : dict, optional
        Overrides of the launch-window search grid (``step_days``,
        ``tof_step_days``, ``tof_min_days``, ``tof_max_days``).

    Returns
    -------
    PlanResult

    Raises
    ------
    UnknownNameError
        Unknown target, consortium or mission (with suggestions).
    InputError
        Budget below every candidate mission, shares that do not add up, a
        start date after the launch window, a profile that cannot fly there.

    Examples
    --------
    >>> p = plan("S05", "emerging-powers", mission="mx-1", start="2027-01-01", n_draws=2000)
    >>> p.mission.launch.best.launcher, p.timeline.launch
    ('gto-secondary', '2030-12-02')
    >>> p.cost["p10_musd"] < p.cost["p50_musd"] < p.cost["p90_musd"]
    True
    """
    from prospect import data as _data

    model = model or load_cost_model()
    if launchers is None:
        launchers = _data.load_launchers()
    if isinstance(consortium, str):
        consortium = _data.get_consortium(consortium, consortia)
    if percentile is None:
        percentile = model.number("sharing", "percentile")
    if not (math.isfinite(percentile) and 0 < percentile < 100):
        raise InputError(f"must be in (0, 100), got {percentile!r}", option="--percentile")
    if rule not in _sh.SPLIT_RULES:
        raise InputError(
            f"unknown rule '{rule}' (known: {', '.join(_sh.SPLIT_RULES)})", option="--rule"
        )
    if not (math.isfinite(fund_fraction) and 0.0 <= fund_fraction < 1.0):
        raise InputError(f"must be in [0, 1), got {fund_fraction!r}", option="--fund")
    flags: list[str] = []
    if start is None:
        start = _dt.datetime.now(_dt.UTC).date()
        flags.append(f"start date not given: today ({start.isoformat()}) used")
    tinfo = resolve_target(target, target_class=target_class, sites=sites, catalog=catalog)
    if tinfo.target_class is None and tinfo.kind == "nea":
        flags.append(f"{tinfo.label}: no taxonomic class in the catalog (give --target-class)")

    # members: budgets, shares, capabilities
    budgets, bflags = _cons.member_budgets(consortium, model)
    flags += bflags
    names = [m.name for m in consortium.members]
    total_budget = float(sum(budgets.values()))

    # candidate missions
    if mission is not None:
        profiles = [
            mission if not isinstance(mission, str) else _data.get_mission(mission, missions)
        ]
    else:
        allp = _data.load_missions() if missions is None else missions
        profiles = [p for p in allp.values() if p.target == tinfo.kind and not _costable(p)]
        if not profiles:
            raise InputError(
                f"no costable mission profile flies to a {tinfo.kind} target", option="--mission"
            )
    kw = {
        "model": model,
        "launchers": launchers,
        "resources": resources,
        "sites": sites,
        "seed": seed,
        "n_draws": n_draws,
        "method": method,
        "prices": prices,
        "feedstock_kg": feedstock_kg,
        "recovery": recovery,
        "stay_days": stay_days,
        "launch_by": launch_by,
        "include_speculative": include_speculative,
        "scan_kwargs": scan_kwargs,
    }
    cases: list[MissionCase] = []
    rejected: list[dict] = []
    for p in profiles:
        if mission is not None:
            cases.append(evaluate_mission(tinfo, p, start, **kw))
            continue
        try:
            cases.append(evaluate_mission(tinfo, p, start, **kw))
        except InputError as exc:  # a candidate that cannot fly here is reported, not fatal
            rejected.append({"mission": p.name, "reason": str(exc)})
    if not cases:
        reasons = "; ".join(f"{r['mission']}: {r['reason']}" for r in rejected)
        raise InputError(
            f"no mission profile can fly to {tinfo.label}: {reasons}", option="--mission"
        )

    f = fund_fraction
    cost_p = np.array([c.cost_at(percentile) for c in cases])
    value = np.array([(1.0 - f) * c.value.value_expected_musd for c in cases])
    required = model.tables.get("sharing", {}).get("required", [])
    req_mask = _cons.capability_mask(required)
    caps = [_cons.capability_mask(_cons.member_capabilities(m)) for m in consortium.members]
    grand_caps = 0
    for c in caps:
        grand_caps |= c
    candidates = [
        {
            "mission": c.name,
            "cost_p_musd": float(cp),
            "value_musd": float(v),
            "affordable": bool(total_budget >= cp),
            "launch": c.launch.best.launcher,
            "launch_date": c.timeline.launch,
        }
        for c, cp, v in zip(cases, cost_p, value, strict=True)
    ] + [{"mission": r["mission"], "rejected": r["reason"]} for r in rejected]
    if (grand_caps & req_mask) != req_mask:
        missing = [n for n in required if not grand_caps & _cons.capability_mask([n])]
        raise InputError(
            f"consortium '{consortium.name}' lacks the capabilities every mission needs: "
            f"{', '.join(missing)} (cost_model.toml [sharing] required)",
            option="--consortium",
        )
    affordable = total_budget >= cost_p
    if not affordable.any():
        listing = ", ".join(
            f"{c.name} P{percentile:g} ${cp:,.1f} M" for c, cp in zip(cases, cost_p, strict=True)
        )
        raise InputError(
            f"consortium '{consortium.name}' budget ${total_budget:,.1f} M "
            f"(FY{model.output_dollar_year}) is below the cost of every candidate mission: "
            f"{listing}",
            option="--consortium",
        )
    surplus = np.where(affordable, value - cost_p, -np.inf)
    order = sorted(range(len(cases)), key=lambda i: (-surplus[i], cost_p[i]))
    k = order[0]
    case = cases[k]

    # shares and the sharing game
    explicit = shares
    if explicit is None and all(math.isfinite(m.share) for m in consortium.members):
        explicit = {m.name: m.share for m in consortium.members}
    if explicit is None and total_budget <= 0:
        raise InputError("the members' contributions add up to 0", option="--consortium")
    s = _sh.cost_shares(budgets, explicit)
    shap = None
    phi = None
    if rule == "shapley":
        game_cases = [k] if mission is not None else list(range(len(cases)))
        v, _best = _sh.coalition_values(
            [budgets[n] for n in names],
            caps,
            cost_p[game_cases],
            value[game_cases],
            [req_mask] * len(game_cases),
        )
        phi = _sh.shapley_values(v)
        shap = {
            "grand_coalition_value_musd": float(v[-1]),
            "phi_musd": {n: float(x) for n, x in zip(names, phi, strict=True)},
            "game": "v(S) = max(0, max_m [(1-f) V_m - C_m]) over missions S can afford and fly",
            "missions": [cases[i].name for i in game_cases],
        }
        surplus_k = value[k] - cost_p[k]
        if surplus_k <= 0:
            flags.append(
                "the mission does not pay for itself (expected value below the cost): no surplus "
                "for the Shapley split, the yield is shared by contribution"
            )
        elif abs(float(v[-1]) - surplus_k) > 1e-9 * max(1.0, surplus_k):
            flags.append(
                "the grand coalition's best mission in the game differs from the planned one: "
                "Shapley values refer to the game's mission"
            )
            phi = phi * (surplus_k / v[-1]) if v[-1] > 0 else phi
    members = _sh.split_yield(
        names,
        s,
        float(cost_p[k]),
        float(case.value.value_expected_musd),
        float(case.value.mass_expected_kg),
        rule=rule,
        fund_fraction=f,
        shapley_phi=phi,
    )
    members.insert(1, "contribution_musd", [budgets[n] for n in names] + [0.0])
    members.insert(
        2,
        "capabilities",
        [", ".join(_cons.member_capabilities(m)) for m in consortium.members] + [""],
    )
    legal, lflags = _legal(consortium, tinfo, f)
    flags += case.flags + case.value.flags + lflags
    if case.launch.best.estimate:
        flags.append(
            f"launch price of {case.launch.best.launcher} is an estimate (drawn in the Monte Carlo)"
        )
    return PlanResult(
        target=tinfo,
        consortium=consortium,
        mission=case,
        candidates=candidates,
        budgets_musd=budgets,
        members=members,
        rule=rule,
        fund_fraction=f,
        percentile=float(percentile),
        shapley=shap,
        legal=legal,
        flags=list(dict.fromkeys(flags)),
        dollar_year=model.output_dollar_year,
        seed=seed,
    )


def affordability(
    rank_df: pd.DataFrame,
    consortium,
    mission,
    *,
    start=None,
    seed: int = 0,
    n_draws: int = 4000,
    percentile: float = 50.0,
    method: str = "sscm05",
    model: CostModel | None = None,
    launchers=None,
    include_speculative: bool = False,
) -> pd.DataFrame:
    """Add cost (P50/P90), schedule and ``affordable`` columns to a ranking table.

    Each row is costed with the row's own trajectory figures, no new scan:
    ``c3_km2_s2`` (or ``vinf_dep_km_s``) and ``dv_arrival_km_s`` for
    asteroids; ``lat_deg`` for Moon sites (lunar budget, C3 = -2).  The
    schedule assumes development from ``start`` and launch at the later of
    the ready date and the row's ``departure`` (when the table has one);
    operations last ``tof_days`` (when present) plus the stay.

    Vectorised over rows: the launch choice of every row is one array pass
    per launch service, the CERs are array functions, and the Monte Carlo
    shares one seeded stream (the same draws as :func:`plan` for one row),
    processed in row chunks of bounded memory.

    Parameters
    ----------
    rank_df : DataFrame
        Output of :func:`prospect.scan.rank` / :func:`prospect.scan.moon.rank_moon`.
    consortium : str or Consortium
    mission : str or MissionProfile
    start : date-like, optional
        Default today (UTC).
    seed, n_draws, percentile :
        Monte Carlo settings; ``affordable`` compares the budget with the
        cost at ``percentile``.
    method : {"sscm05", "uscm8"}

    Returns
    -------
    DataFrame
        ``rank_df`` plus ``cost_p50_musd``, ``cost_p90_musd``,
        ``launch_vehicle``, ``ready``, ``launch``, ``affordable`` and
        ``cost_note`` (why a row could not be costed); ``attrs`` hold the
        consortium, its budget and the dollar year.
    """
    from scipy.special import ndtr

    from prospect import data as _data
    from prospect.cost.launch import best_launch_rows

    model = model or load_cost_model()
    launchers = _data.load_launchers() if launchers is None else launchers
    if isinstance(consortium, str):
        consortium = _data.get_consortium(consortium)
    profile = _data.get_mission(mission) if isinstance(mission, str) else mission
    why = _costable(profile)
    if why:
        raise InputError(f"mission '{profile.name}' cannot be costed: {why}", option="--mission")
    budgets, _ = _cons.member_budgets(consortium, model)
    budget = float(sum(budgets.values()))
    start_d = _tl.to_date(start or _dt.datetime.now(_dt.UTC).date(), option="--start")
    months, _ = model.development_months(profile.development_class)
    ready = _tl.add_days(start_d, months * model.number("timeline", "days_per_month"))
    out = rank_df.copy()
    n = len(out)
    if profile.target == "moon":
        if "lat_deg" not in out.columns:
            raise InputError("the ranking table has no lat_deg column", option="rank_df")
        b = lunar_landing_budget(out["lat_deg"].to_numpy(dtype=float))
        mdv = np.asarray(b.total - b.leo_to_tli, dtype=float).reshape(-1)
        c3 = np.full(n, TLI_C3_KM2_S2)
    else:
        if "c3_km2_s2" in out.columns:
            c3 = out["c3_km2_s2"].to_numpy(dtype=float)
        elif "vinf_dep_km_s" in out.columns:
            c3 = out["vinf_dep_km_s"].to_numpy(dtype=float) ** 2
        else:
            raise InputError(
                "the ranking table has no c3_km2_s2 / vinf_dep_km_s column", option="rank_df"
            )
        if "dv_arrival_km_s" not in out.columns:
            raise InputError("the ranking table has no dv_arrival_km_s column", option="rank_df")
        mdv = out["dv_arrival_km_s"].to_numpy(dtype=float)
    res = best_launch_rows(
        launchers,
        dry_mass_kg=float(profile.dry_mass_kg),
        isp_s=float(profile.isp_s),
        mission_dv_km_s=mdv,
        target_c3_km2_s2=c3,
        propellant_mass_kg=_finite(profile.propellant_mass_kg),
        kick_stage_c3_km2_s2=_finite(getattr(profile, "kick_stage_c3_km2_s2", None)),
        include_speculative=include_speculative,
        model=model,
    )
    ok = res["index"] >= 0
    note = np.where(np.isfinite(c3) & np.isfinite(mdv), "", "no trajectory").astype(object)
    note[(note == "") & ~ok] = "no launcher delivers the spacecraft"
    payload = _finite(getattr(profile, "payload_mass_kg", None)) or 0.0
    sc, cv_sc = _cer.spacecraft_total_musd(res["dry_kg"] - payload, method=method, model=model)
    stay = _finite(getattr(profile, "min_stay_days", None)) or model.number(
        "timeline", "default_stay_days", positive=True
    )
    tof = out["tof_days"].to_numpy(dtype=float) if "tof_days" in out.columns else np.zeros(n)
    ops_el, _ = _cer.operations_cost(1.0, profile.development_class, model=model)
    ops = ops_el.point_musd * (np.nan_to_num(tof) + stay) / 365.25
    reserve = model.number("reserves", "development_fraction")
    # One seeded stream, the same rows as simulate() draws for [CER..., launch, ops]:
    # groups sorted (cer, launch?, ops), then the ungrouped launch element.
    z = np.random.default_rng(seed).standard_normal((3, int(n_draws)))
    lognormal_launch = res["dist"] == "lognormal"

    def ln(point, cv, zz):
        s2 = np.log1p(cv**2)
        return point * np.exp(-0.5 * s2 + np.sqrt(s2) * zz)

    p50, p90, pq = (np.full(n, np.nan) for _ in range(3))
    rows = np.flatnonzero(ok)
    chunk = max(1, 2_000_000 // max(1, int(n_draws)))
    for a in range(0, rows.size, chunk):  # memory-bounded row chunks
        r = rows[a : a + chunk]
        z_l = np.where(lognormal_launch[r, None], z[1], z[2])
        z_o = np.where(lognormal_launch[r, None], z[2], z[1])
        price = res["price_musd"][r, None]
        launch = np.where(
            res["dist"][r, None] == "lognormal",
            ln(price, res["cv"][r, None], z_l),
            np.where(
                res["dist"][r, None] == "uniform",
                res["low_musd"][r, None]
                + (res["high_musd"][r, None] - res["low_musd"][r, None]) * ndtr(z_l),
                price,
            ),
        )
        spacecraft = ln(sc[r, None], cv_sc, z[0])
        total = spacecraft + launch + ln(ops[r, None], ops_el.cv, z_o) + reserve * spacecraft
        q = np.percentile(total, [50.0, 90.0, percentile], axis=1)
        p50[r], p90[r], pq[r] = q
    dep = (
        pd.to_datetime(out["departure"], errors="coerce").dt.date
        if "departure" in out.columns
        else pd.Series([None] * n, index=out.index)
    )
    launch_dates = [
        (max(ready, d) if d is not None and not pd.isna(d) else ready).isoformat() if k else None
        for d, k in zip(dep.tolist(), ok, strict=True)
    ]
    out["cost_p50_musd"] = p50
    out["cost_p90_musd"] = p90
    out["launch_vehicle"] = [
        f"{lv} ({sv})" if k else None
        for lv, sv, k in zip(res["launcher"], res["service"], ok, strict=True)
    ]
    out["ready"] = ready.isoformat()
    out["launch"] = launch_dates
    out["affordable"] = np.isfinite(pq) & (pq <= budget)
    out["cost_note"] = note
    out.attrs.update(
        consortium=consortium.name,
        budget_musd=budget,
        dollar_year=model.output_dollar_year,
        percentile=percentile,
        mission=profile.name,
    )
    return out
