"""The cheapest feasible launch: one mission (:func:`choose_launch`) or many rows
(:func:`best_launch_rows`)."""

from __future__ import annotations

import math

import numpy as np

from prospect.cost.launch.options import LaunchChoice, LaunchOption
from prospect.cost.launch.services import (
    REASONS,
    TLI_C3_KM2_S2,
    Service,
    _finite,
    evaluate,
    launch_services,
)
from prospect.cost.model import CostModel, load_cost_model
from prospect.data.launchers import c3_outside_table
from prospect.errors import InputError

__all__ = ["TLI_C3_KM2_S2", "best_launch_rows", "choose_launch"]


def best_launch_rows(
    launchers,
    *,
    dry_mass_kg: float,
    isp_s: float,
    mission_dv_km_s,
    target_c3_km2_s2,
    propellant_mass_kg: float | None = None,
    kick_stage_c3_km2_s2: float | None = None,
    include_speculative: bool = False,
    model: CostModel | None = None,
) -> dict:
    """Cheapest feasible launch for many rows at once (vectorised :func:`choose_launch`).

    Parameters
    ----------
    mission_dv_km_s, target_c3_km2_s2 : array_like, shape (R,)
        Per-row mission delta-v and departure C3 (NaN: no trajectory).
    Other parameters as :func:`choose_launch`.

    Returns
    -------
    dict of arrays, shape (R,)
        ``index`` (service index, -1 when nothing is feasible), ``launcher``,
        ``service``, ``price_musd``, ``dry_kg``, ``wet_kg``, ``dist`` (the
        price's error model: ``fixed``, ``uniform`` or ``lognormal``),
        ``low_musd``, ``high_musd``, ``cv``, ``estimate``.
    """
    model = model or load_cost_model()
    services = launch_services(launchers, model, include_speculative)
    if not services:
        raise InputError("no launcher offers any service", option="launchers")
    ev = evaluate(
        services,
        dry=float(dry_mass_kg),
        isp=float(isp_s),
        prop0=float(_finite(propellant_mass_kg) or 0.0),
        mission_dv=mission_dv_km_s,
        c3=target_c3_km2_s2,
        kick=_finite(kick_stage_c3_km2_s2),
        f=model.number("propulsion", "tank_fraction"),
    )
    price = np.where(ev["feasible"], ev["price"], np.inf)
    idx = np.argmin(price, axis=0)
    cols = np.arange(price.shape[1])
    ok = np.isfinite(price[idx, cols])
    idx = np.where(ok, idx, -1)
    cv = model.number("launch", "estimate_cv")
    dist = np.full(idx.size, "fixed", dtype=object)
    lo = np.full(idx.size, np.nan)
    hi = np.full(idx.size, np.nan)
    cvs = np.zeros(idx.size)
    est = np.zeros(idx.size, dtype=bool)
    for j, sv in enumerate(services):  # per service, not per row
        sel = idx == j
        if not sel.any():
            continue
        estimate = sv.price_estimate or sv.cap_estimate
        est[sel] = estimate
        if not estimate:
            continue
        p = ev["price"][j, sel]
        if (
            sv.price_low_musd is not None
            and sv.price_high_musd is not None
            and sv.rideshare is None
        ):
            inside = (sv.price_low_musd <= p) & (p <= sv.price_high_musd)
            dist[np.flatnonzero(sel)[inside]] = "uniform"
            lo[sel], hi[sel] = sv.price_low_musd, sv.price_high_musd
            dist[np.flatnonzero(sel)[~inside]] = "lognormal"
            cvs[np.flatnonzero(sel)[~inside]] = cv
        else:
            dist[sel] = "lognormal"
            cvs[sel] = cv
    names = np.array([sv.launcher.name for sv in services] + [None], dtype=object)
    kinds = np.array([sv.service for sv in services] + [None], dtype=object)
    return {
        "index": idx,
        "launcher": names[idx],
        "service": kinds[idx],
        "price_musd": np.where(ok, price[idx, cols], np.nan),
        "dry_kg": np.where(ok, ev["dry"][idx, cols], np.nan),
        "wet_kg": np.where(ok, ev["wet"][idx, cols], np.nan),
        "dist": dist,
        "low_musd": lo,
        "high_musd": hi,
        "cv": cvs,
        "estimate": est,
    }


def choose_launch(
    launchers,
    *,
    dry_mass_kg: float,
    isp_s: float,
    mission_dv_km_s: float,
    target_c3_km2_s2: float,
    propellant_mass_kg: float | None = None,
    kick_stage_c3_km2_s2: float | None = None,
    include_speculative: bool = False,
    model: CostModel | None = None,
) -> LaunchChoice:
    """Cheapest launch that delivers the spacecraft sized for its mission.

    Parameters
    ----------
    launchers : mapping name -> Launcher, or list of Launcher
        :func:`prospect.data.load_launchers` output (typed records as loaded).
    dry_mass_kg : float
        Spacecraft dry mass of the profile (payload included), kg.
    isp_s : float
        Specific impulse of the spacecraft's engine, s.
    mission_dv_km_s : float
        Delta-v the spacecraft flies after leaving Earth on its departure
        conic (arrival, landing, return legs), km/s.
    target_c3_km2_s2 : float
        Departure C3 (asteroid: from the scan; Moon: :data:`TLI_C3_KM2_S2`).
    propellant_mass_kg : float, optional
        The profile's propellant load, kg (tank growth applies beyond it).
    kick_stage_c3_km2_s2 : float, optional
        C3 reached by an integrated kick stage outside the mass budget (a
        profile's ``kick_stage_c3_km2_s2``): from a parking orbit the stage
        supplies C3 up to this value and the spacecraft adds the rest of the
        hyperbolic excess speed in deep space, ``max(0, v_inf - sqrt(C3_kick))``
        (no Oberth gain, as :mod:`prospect.scan` does).  The stage's mass and
        price are not published: not included (flagged).
    include_speculative : bool
        Also consider projected vehicles (label "projected" or notes saying
        "do not use for baseline costing"); off by default.
    model : CostModel, optional

    Returns
    -------
    LaunchChoice

    Raises
    ------
    InputError
        Bad masses or Isp, or no launcher can deliver the spacecraft (the
        message lists the closest options and why they fail).

    Examples
    --------
    >>> from prospect.data import load_launchers
    >>> ch = choose_launch(load_launchers(), dry_mass_kg=500.0, isp_s=300.0,
    ...                    mission_dv_km_s=1.0, target_c3_km2_s2=10.0)
    >>> ch.best.launcher, ch.best.service, ch.best.feasible
    ('falcon-9-rideshare', 'rideshare', True)
    """
    model = model or load_cost_model()
    _check_mission(dry_mass_kg, isp_s, mission_dv_km_s, target_c3_km2_s2)
    services = launch_services(launchers, model, include_speculative)
    if not services:
        raise InputError("no launcher offers any service", option="launchers")
    f = model.number("propulsion", "tank_fraction")
    prop0 = float(_finite(propellant_mass_kg) or 0.0)
    kick = _finite(kick_stage_c3_km2_s2)
    ev = evaluate(
        services,
        dry=float(dry_mass_kg),
        isp=float(isp_s),
        prop0=prop0,
        mission_dv=[mission_dv_km_s],
        c3=[target_c3_km2_s2],
        kick=kick,
        f=f,
    )
    ctx = {
        "dry": float(dry_mass_kg),
        "isp": float(isp_s),
        "c3": float(target_c3_km2_s2),
        "prop0": prop0,
        "kick": kick,
        "f": f,
        "low_thrust": isp_s > model.number("propulsion", "low_thrust_isp_s", positive=True),
    }
    options = [_option(sv, ev, i, ctx) for i, sv in enumerate(services)]
    feasible = sorted(
        (o for o in options if o.feasible), key=lambda o: (o.price_musd, o.launcher, o.service)
    )
    infeasible = [o for o in options if not o.feasible]
    if not feasible:
        near = "; ".join(f"{o.launcher}/{o.service}: {o.reason}" for o in infeasible[:4])
        raise InputError(
            f"no launcher delivers the spacecraft ({dry_mass_kg:g} kg dry, "
            f"{mission_dv_km_s:.3f} km/s after departure at C3 {target_c3_km2_s2:.2f}): {near}",
            option="launch",
        )
    return LaunchChoice(feasible[0], feasible + infeasible, target_c3_km2_s2, mission_dv_km_s)


def _check_mission(dry_mass_kg, isp_s, mission_dv_km_s, target_c3_km2_s2) -> None:
    """One-line errors naming the parameter of :func:`choose_launch`."""
    for name, v in (("dry_mass_kg", dry_mass_kg), ("isp_s", isp_s)):
        if not (isinstance(v, int | float) and math.isfinite(v) and v > 0):
            raise InputError(f"must be a positive number, got {v!r}", option=name)
    if not (math.isfinite(mission_dv_km_s) and mission_dv_km_s >= 0):
        raise InputError(f"must be >= 0, got {mission_dv_km_s!r}", option="mission_dv_km_s")
    if not math.isfinite(target_c3_km2_s2):
        raise InputError(f"must be finite, got {target_c3_km2_s2!r}", option="target_c3_km2_s2")


def _notes(sv: Service, g: dict, code: int, ctx: dict) -> list[str]:
    """Flags of one option: tank growth, kick stage, low thrust."""
    notes = list(sv.notes)
    prop0, f = ctx["prop0"], ctx["f"]
    if code != 2 and g["prop"] > prop0 and f > 0 and prop0 > 0:
        notes.append(
            f"propellant {g['prop']:.1f} kg exceeds the profile's {prop0:.1f} kg: tanks grow "
            f"by {g['dry'] - ctx['dry']:.1f} kg"
        )
    if sv.c3_d is not None and g["escape"] > 0:
        if ctx["kick"] is not None:
            notes.append(
                f"integrated kick stage to C3 {ctx['kick']:g} (profile): its mass and price "
                "are not included"
            )
        if ctx["low_thrust"]:
            notes.append(
                f"Isp {ctx['isp']:g} s is low-thrust: the impulsive escape burn understates "
                "a spiral"
            )
    return notes


def _reason(sv: Service, g: dict, code: int, cap, ctx: dict) -> str:
    """Why an option is infeasible, with its numbers ("" when feasible)."""
    if code in (1, 6):
        return c3_outside_table(sv.launcher.c3_km2_s2, ctx["c3"])
    if code == 2:
        return (
            f"mass does not close: {g['dv']:.3f} km/s at Isp {ctx['isp']:g} s with "
            f"{ctx['f']:g} kg of tank per kg of propellant (f (R - 1) >= 1)"
        )
    if code == 4:
        return f"wet mass {g['wet']:.0f} kg exceeds the {cap:.0f} kg capability"
    return REASONS[code]


def _option(sv: Service, ev: dict, i: int, ctx: dict) -> LaunchOption:
    """The :class:`LaunchOption` of service `i` from :func:`evaluate`'s arrays."""
    g = {k: float(v[i, 0]) for k, v in ev.items() if v.dtype.kind == "f"}
    code = int(ev["reason"][i, 0])
    cap = g["capacity"] if math.isfinite(g["capacity"]) else None
    if sv.rideshare is not None:
        price = g["price"] if math.isfinite(g["price"]) else None
        lo = hi = None
        sources = [sv.cap_source] if sv.cap_source else []
    else:
        price, lo, hi = sv.price_musd, sv.price_low_musd, sv.price_high_musd
        sources = [s for s in (sv.cap_source, sv.price_source) if s]
    return LaunchOption(
        launcher=sv.launcher.name,
        label=sv.launcher.label,
        service=sv.service,
        kind=sv.kind,
        delivered=(f"departure hyperbola, C3 {ctx['c3']:.2f}" if sv.c3_d is None else sv.delivered),
        escape_dv_km_s=g["escape"],
        spacecraft_dv_km_s=g["dv"],
        dry_kg=g["dry"],
        propellant_kg=g["prop"],
        wet_kg=g["wet"],
        capacity_kg=cap,
        price_musd=price,
        price_low_musd=lo,
        price_high_musd=hi,
        estimate=bool(sv.cap_estimate or sv.price_estimate),
        feasible=code == 0,
        reason=_reason(sv, g, code, cap, ctx),
        notes=_notes(sv, g, code, ctx),
        sources=sources,
    )
