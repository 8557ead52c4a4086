"""Cost, launch and schedule columns for a ranking table: what a consortium can afford.

:func:`affordability` costs every row of a :func:`prospect.scan.rank` (or
:func:`prospect.scan.moon.rank_moon`) table the way :func:`prospect.cost.plan`
costs one mission, with the same functions: the row's own trajectory
(:func:`prospect.cost.trajectory.from_rank_row`; Moon: the lunar budget), the
profile's own spacecraft on the cheapest launch it can fly from (chosen for all
rows at once by :func:`prospect.cost.spacecraft.profile_launch_rows`, the option
itself from :func:`~prospect.cost.spacecraft.launch_profile_spacecraft`), the schedule
(:func:`prospect.cost.timeline.build_timeline`) and the Monte Carlo of
:func:`prospect.cost.mission.mission_cost` (one :func:`~prospect.cost.montecarlo.simulate`
per row, same seed: a row's numbers equal ``plan``'s for that trajectory).

The launch date is the row's departure: a row that departs before the
consortium's spacecraft is ready is not costed (``cost_note`` says so); rank
from the ready date (:func:`consortium_ready`) to get trajectories it can fly.
"""

from __future__ import annotations

import datetime as _dt
import math

import numpy as np
import pandas as pd

from prospect.cost import consortia as _cons
from prospect.cost import timeline as _tl
from prospect.cost.mission import costable, mission_cost
from prospect.cost.model import CostModel, load_cost_model
from prospect.cost.montecarlo import check_seed
from prospect.cost.spacecraft import launch_profile_spacecraft, profile_launch_rows
from prospect.cost.target import TargetInfo
from prospect.cost.trajectory import from_rank_row, lunar_trajectory
from prospect.errors import InputError

__all__ = ["affordability", "consortium_ready"]


def _profile(mission):
    from prospect import data as _data

    profile = _data.get_mission(mission) if isinstance(mission, str) else mission
    why = costable(profile)
    if why:
        raise InputError(f"mission '{profile.name}' cannot be costed: {why}", option="mission")
    return profile


def consortium_ready(mission, start=None, *, model: CostModel | None = None) -> _dt.date:
    """The date the profile's spacecraft is ready when development starts at ``start``.

    ``start`` defaults to today (UTC).  Rank from this date
    (``rank(start=...)``) for trajectories the consortium can fly.

    Examples
    --------
    >>> consortium_ready("prospector-1", "2026-01-01")
    datetime.date(2026, 11, 1)
    """
    start = start or _dt.datetime.now(_dt.UTC).date()
    return _tl.schedule(_profile(mission), start, model=model or load_cost_model()).ready


def _row_trajectory(row, profile, *, moon: bool, round_trip: bool, ready, model):
    if moon:
        site = TargetInfo("moon", str(row.get("id", "")), "", lat_deg=float(row["lat_deg"]))
        return lunar_trajectory(site, profile, ready, model=model)
    return from_rank_row(row, profile, round_trip=round_trip)


def _trajectories(rank_df, profile, sched, *, moon: bool, round_trip: bool, model):
    """Each row's trajectory, or a note why it cannot be costed."""
    out = []
    for _, row in rank_df.iterrows():
        try:
            traj = _row_trajectory(
                row, profile, moon=moon, round_trip=round_trip, ready=sched.ready, model=model
            )
        except (KeyError, ValueError, TypeError, InputError):
            out.append("no trajectory")
            continue
        if not (math.isfinite(traj.c3_km2_s2) and math.isfinite(traj.mission_dv_km_s)):
            out.append("no trajectory")
        elif traj.launch < sched.ready:
            out.append(
                f"departs {traj.launch.isoformat()}, before the spacecraft is ready "
                f"({sched.ready.isoformat()})"
            )
        elif traj.feasible is False:
            out.append("the profile's spacecraft cannot fly this trajectory")
        else:
            out.append(traj)
    return out


def _launches(trajs, profile, launchers, kw) -> dict:
    """The launch option of every row key: one :func:`launch_profile_spacecraft` per choice.

    For the profile's fixed wet mass a launch's price and error model do not
    depend on the row, so the option found for one row of a choice is the
    option of every row with that choice.
    """
    model = kw["model"]
    ok = [t for t in trajs if not isinstance(t, str)]
    keys = profile_launch_rows(
        launchers,
        profile,
        mission_dv_km_s=[t.mission_dv_km_s for t in ok],
        c3_km2_s2=[t.c3_km2_s2 for t in ok],
        include_speculative=kw["include_speculative"],
        model=model,
    )
    options = {}
    for t, key in zip(ok, keys, strict=True):
        if key is None or key in options:
            continue
        choice, _used, _why = launch_profile_spacecraft(
            launchers,
            profile,
            mission_dv_km_s=t.mission_dv_km_s,
            c3_km2_s2=t.c3_km2_s2,
            include_speculative=kw["include_speculative"],
            model=model,
        )
        options[key] = choice.best
    it = iter(keys)
    return [t if isinstance(t, str) else next(it) for t in trajs], options


def _cost_row(traj, option, profile, sched, stay: float, kw) -> dict:
    """Cost P50/P90/percentile, launch vehicle and date of one row."""
    model = kw["model"]
    s = stay if not math.isfinite(traj.stay_days) else traj.stay_days
    tl = _tl.build_timeline(
        sched.start,
        sched.development_months,
        launch=traj.launch,
        transfer_days=traj.transfer_days,
        stay_days=s,
        return_days=traj.return_days,
        waits=traj.waits,
        model=model,
    )
    *_, dist = mission_cost(
        profile,
        option,
        tl.flight_years,
        method=kw["method"],
        model=model,
        n_draws=kw["n_draws"],
        seed=kw["seed"],
    )
    return {
        "note": "",
        "p50": dist.p50,
        "p90": dist.p90,
        "pq": dist.percentile(kw["percentile"]),
        "vehicle": f"{option.launcher} ({option.service})",
        "launch": tl.launch,
    }


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
    """Add cost (P50/P90), launch, schedule and ``affordable`` columns to a ranking table.

    Parameters
    ----------
    rank_df : DataFrame
        Output of :func:`prospect.scan.rank` (``departure``, ``c3_km2_s2``,
        ``dv_arrival_km_s``, ``tof_days`` or the round-trip columns) or of
        :func:`prospect.scan.moon.rank_moon` (``lat_deg``).
    consortium : str or Consortium
    mission : str or MissionProfile
    start : date-like, optional
        Start of development; default today (UTC).
    seed, n_draws, percentile :
        Monte Carlo settings; ``affordable`` compares the budget with the
        cost at ``percentile``.
    method : {"sscm05", "uscm8"}

    Returns
    -------
    DataFrame
        ``rank_df`` plus ``cost_p50_musd``, ``cost_p90_musd``,
        ``launch_vehicle``, ``ready``, ``launch`` (the departure of the
        trajectory costed; Moon: the ready date), ``affordable`` and
        ``cost_note`` (why a row could not be costed); ``attrs`` hold the
        consortium, its budget and the dollar year.
    """
    from prospect import data as _data

    check_seed(seed)  # before any costing
    model = model or load_cost_model()
    launchers = _data.load_launchers() if launchers is None else launchers
    if isinstance(consortium, str):
        consortium = _data.get_consortium(consortium)
    profile = _profile(mission)
    budgets, _ = _cons.member_budgets(consortium, model)
    budget = float(sum(budgets.values()))
    sched = _tl.schedule(profile, start or _dt.datetime.now(_dt.UTC).date(), model=model)
    moon = profile.target == "moon"
    need = ["lat_deg"] if moon else ["departure", "c3_km2_s2", "dv_arrival_km_s"]
    missing = [c for c in need if c not in rank_df.columns]
    if missing:
        raise InputError(f"the ranking table has no {', '.join(missing)} column", option="rank_df")
    stay = getattr(profile, "min_stay_days", 0.0) or model.number(
        "timeline", "default_stay_days", positive=True
    )
    kw = {
        "model": model,
        "method": method,
        "n_draws": n_draws,
        "seed": seed,
        "percentile": percentile,
        "include_speculative": include_speculative,
    }
    round_trip = bool(rank_df.attrs.get("round_trip", "tof_out_days" in rank_df.columns))
    trajs = _trajectories(rank_df, profile, sched, moon=moon, round_trip=round_trip, model=model)
    keys, options = _launches(trajs, profile, launchers, kw)
    rows, none = [], {"launch": None}
    for t, key in zip(trajs, keys, strict=True):
        if isinstance(t, str):
            rows.append({"note": t, **none})
        elif key is None:
            rows.append(
                {"note": "no launch of the spacecraft that it can fly from", "launch": None}
            )
        else:
            rows.append(_cost_row(t, options[key], profile, sched, stay, kw))
    out = rank_df.copy()
    pq = np.array([r.get("pq", np.nan) for r in rows], dtype=float)
    out["cost_p50_musd"] = [r.get("p50", np.nan) for r in rows]
    out["cost_p90_musd"] = [r.get("p90", np.nan) for r in rows]
    out["launch_vehicle"] = [r.get("vehicle") for r in rows]
    out["ready"] = sched.ready.isoformat()
    out["launch"] = [r["launch"] for r in rows]
    out["affordable"] = np.isfinite(pq) & (pq <= budget)
    out["cost_note"] = [r["note"] for r in rows]
    if pd.api.types.is_datetime64_any_dtype(out.get("departure", pd.Series(dtype=object))):
        for col in ("launch", "ready"):  # same date type as the table's departure
            out[col] = pd.to_datetime(out[col])
    out.attrs.update(
        consortium=consortium.name,
        budget_musd=budget,
        dollar_year=model.output_dollar_year,
        percentile=percentile,
        mission=profile.name,
        ready=sched.ready.isoformat(),
    )
    return out
