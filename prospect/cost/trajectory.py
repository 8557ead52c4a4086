"""The trajectory a plan flies: the lunar budget of a site, or rank's transfer to an asteroid.

One trajectory per answer.  For an asteroid the launch window is chosen by
:func:`prospect.scan.rank` itself, run on the one target from the date the
spacecraft is ready: the same objective (the spacecraft's own delta-v when
the profile has a capacity, else the total), the same limits (capacity,
launch C3, duration, stay) and the same refinement as ``prospect rank``.  No
second window search lives here.  The launch date of the plan is the
departure of that transfer.

When no transfer of the span meets the profile's limits, rank's least-delta-v
transfer is still returned, marked ``feasible=False``; the caller says what
spacecraft it would take (:mod:`prospect.cost.spacecraft`).

For a Moon site the budget is :func:`prospect.core.deltav.lunar_landing_budget`
at the site's latitude; lunar geometry recurs every synodic month, so the
launch is at the ready date.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field

import pandas as pd

from prospect._coerce import as_days
from prospect.core.deltav import lunar_landing_budget
from prospect.cost import timeline as _tl
from prospect.cost.launch import TLI_C3_KM2_S2
from prospect.cost.model import CostModel
from prospect.errors import InputError

__all__ = ["Trajectory", "from_rank_row", "lunar_trajectory", "nea_trajectory", "rank_window"]


@dataclass(frozen=True)
class Trajectory:
    """What the schedule, the launch and the sizing need from a trajectory.

    Attributes
    ----------
    launch : datetime.date
        Launch (= departure) date, UTC.
    transfer_days, stay_days, return_days : float
        Outbound flight, operations at the target (NaN: not set by the
        trajectory) and return flight (0 one way), days.
    c3_km2_s2 : float
        Departure C3, km^2/s^2.
    mission_dv_km_s : float
        Delta-v the spacecraft flies after leaving Earth on its departure
        conic (arrival [+ target departure + entry]; Moon: TLI to surface
        [and back]), km/s.
    feasible : bool or None
        Whether rank found the transfer within the profile's limits (None for
        the Moon: the launch choice decides).
    details : dict
        JSON-ready description (``PlanResult.to_dict()["trajectory"]``).
    window : dict
        How the launch date was chosen.
    """

    launch: _dt.date
    transfer_days: float
    stay_days: float
    return_days: float
    c3_km2_s2: float
    mission_dv_km_s: float
    feasible: bool | None
    details: dict
    window: dict
    waits: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    flags: list = field(default_factory=list)


def lunar_trajectory(target, profile, ready: _dt.date, *, model: CostModel) -> Trajectory:
    """The lunar budget of the site's latitude; launch at the ready date."""
    round_trip = bool(getattr(profile, "round_trip", False))
    lunar = model.tables.get("lunar", {})
    b = lunar_landing_budget(target.lat_deg, return_to_earth=round_trip)
    legs = {k: float(getattr(b, k)) for k in b._fields if k != "status"}
    mission_dv = legs["total"] - legs["leo_to_tli"]
    sources = []
    transfer = getattr(profile, "transfer_days", None)
    transfer = float(transfer) if transfer is not None and math.isfinite(transfer) else None
    if transfer is None:
        transfer = float(lunar["direct_transfer_days"])
        sources.append(str(lunar["direct_source"]))
    return Trajectory(
        launch=ready,
        transfer_days=transfer,
        stay_days=math.nan,
        return_days=float(lunar["direct_transfer_days"]) if round_trip else 0.0,
        c3_km2_s2=TLI_C3_KM2_S2,
        mission_dv_km_s=mission_dv,
        feasible=None,
        details={
            "kind": "lunar budget (Acta Astronautica 177:351, Table 4; DOMAIN 2.1)",
            "departure_c3_km2_s2": TLI_C3_KM2_S2,
            "legs_km_s": legs,
            "spacecraft_dv_after_tli_km_s": mission_dv,
        },
        window={"rule": "monthly lunar opportunities: launch at the ready date"},
        waits=[
            (
                "LLO phasing (polar orbit)",
                float(lunar["plane_wait_days"]),
                str(lunar["plane_wait_source"]),
            )
        ],
        sources=sources,
        flags=[
            "lunar launch opportunities recur every synodic month: launch taken at the ready date"
        ],
    )


def rank_window(ready: _dt.date, deadline: _dt.date | None, *, model: CostModel, scan_kwargs=None):
    """Search span and grid of a plan's launch-window search (rank keyword arguments).

    The span runs from the ready date to ``deadline`` (default ready +
    ``[timeline] search_years``); the grid is ``[timeline]`` of the cost model
    unless ``scan_kwargs`` overrides ``step_days``, ``tof_step_days``,
    ``tof_min_days`` or ``tof_max_days`` (numbers of days or time Quantities,
    :func:`prospect._coerce.as_days`; errors name the key).
    """
    t = model.tables["timeline"]
    end = deadline or _tl.add_days(ready, float(t["search_years"]) * 365.25)
    grid = {
        "step_days": float(t["departure_step_days"]),
        "tof_step_days": float(t["tof_step_days"]),
        "tof_min_days": float(t["tof_min_days"]),
        "tof_max_days": float(t["tof_max_days"]),
    }
    unknown = set(scan_kwargs or {}) - set(grid)
    if unknown:
        raise InputError(
            f"unknown grid setting(s) {', '.join(sorted(unknown))} (known: {', '.join(grid)})",
            option="scan_kwargs",
        )
    grid.update({k: as_days(v, k) for k, v in (scan_kwargs or {}).items()})
    return {"start": ready.isoformat(), "end": end.isoformat(), **grid}


def nea_trajectory(
    target,
    profile,
    ready: _dt.date,
    deadline: _dt.date | None,
    *,
    model: CostModel,
    scan_kwargs,
    ephemeris: str = "nbody",
) -> Trajectory:
    """Rank's best transfer to the asteroid among launches from ``ready``.

    Calls :func:`prospect.scan.rank` on the target's catalog row with
    ``start=ready`` (exhaustive, refined, infeasible rows kept, with
    ``ephemeris``: ``"nbody"`` or ``"two-body"``), so the
    transfer, its objective and its limits are rank's.

    Raises
    ------
    InputError
        No transfer at all departs in the span.
    """
    from prospect.scan import rank

    window = rank_window(ready, deadline, model=model, scan_kwargs=scan_kwargs)
    df = rank(
        profile,
        catalog=pd.DataFrame([target.obj.row]),
        exhaustive=True,
        refine=True,
        checkpoint=False,
        include_infeasible=True,
        ephemeris=ephemeris,
        **window,
    )
    if df.empty or pd.isna(df.loc[0, "departure"]):
        raise InputError(
            f"no transfer to {target.label} departs between {window['start']} and {window['end']}",
            option="start",
        )
    how = {
        "rule": "least spacecraft delta-v within the profile's limits, as prospect rank "
        "(prospect.scan.rank), launches from the ready date",
        "searched_from": window["start"],
        "searched_to": window["end"],
        "grid": {k: v for k, v in window.items() if k not in ("start", "end")},
        "ephemeris": str(df.loc[0, "ephemeris"]),  # the target states that made the row
    }
    return from_rank_row(
        df.iloc[0], profile, round_trip=bool(df.attrs.get("round_trip")), window=how
    )


def from_rank_row(row, profile, *, round_trip: bool, window: dict | None = None) -> Trajectory:
    """The trajectory of one row of a :func:`prospect.scan.rank` table.

    Parameters
    ----------
    row : pandas.Series
        Needs ``departure``, ``c3_km2_s2``, ``dv_arrival_km_s`` and
        ``tof_days`` (one way) or ``tof_out_days``, ``stay_days``,
        ``tof_back_days``, ``dv_target_departure_km_s``, ``dv_entry_km_s``
        (round trip); other rank columns are reported when present.
    round_trip : bool
        The table's ``attrs["round_trip"]``.
    """
    from prospect.scan.rank.output import flag_notes

    how = dict(window or {"rule": "the ranking table's trajectory"})
    if pd.notna(row.get("launch_days", math.nan)):
        how["feasible_launch_days"] = float(row["launch_days"])
    details = _details(row, round_trip, profile)
    feasible = row.get("feasible", True)
    return Trajectory(
        launch=_tl.to_date(row["departure"]),
        transfer_days=details["tof_days"],
        stay_days=details.get("stay_days", math.nan),
        return_days=details.get("tof_back_days", 0.0),
        c3_km2_s2=details["departure_c3_km2_s2"],
        mission_dv_km_s=details["spacecraft_dv_after_departure_km_s"],
        feasible=bool(feasible) if pd.notna(feasible) else None,
        details=details,
        window=how,
        flags=(
            ["round trip: the least-delta-v trip of the search span is planned"]
            if round_trip
            else []
        )
        + flag_notes(row),
    )


def _details(row, round_trip: bool, profile) -> dict:
    """JSON description of rank's row (one way or round trip)."""
    from prospect.scan.rank.output import approach_summary

    cap = getattr(profile, "delta_v_capacity_km_s", None)

    def num(key):
        v = row.get(key, math.nan)
        return float(v) if pd.notna(v) else math.nan

    def iso(key):  # ISO text or datetime64 columns alike
        v = row.get(key)
        return _tl.to_date(v).isoformat() if v is not None and pd.notna(v) else ""

    d = {
        "kind": (
            "round trip (prospect.scan.rank)"
            if round_trip
            else "one-way rendezvous (prospect.scan.rank)"
        ),
        "departure": iso("departure"),
        "arrival": iso("arrival"),
        "departure_c3_km2_s2": num("c3_km2_s2"),
        "dv_arrival_km_s": num("dv_arrival_km_s"),
        "dv_total_km_s": num("dv_total_km_s"),
        "spacecraft_dv_km_s": num("dv_spacecraft_km_s"),
        "profile_dv_capacity_km_s": cap,
        "feasible": bool(row.get("feasible", True)),
        "refined": bool(row.get("refined", False)),
        "earth_approach": approach_summary(row),
    }
    if round_trip:
        d.update(
            target_departure=iso("target_departure"),
            earth_return=iso("earth_return"),
            tof_days=num("tof_out_days"),
            stay_days=num("stay_days"),
            tof_back_days=num("tof_back_days"),
            dv_target_departure_km_s=num("dv_target_departure_km_s"),
            dv_entry_km_s=num("dv_entry_km_s"),
            spacecraft_dv_after_departure_km_s=num("dv_arrival_km_s")
            + num("dv_target_departure_km_s")
            + num("dv_entry_km_s"),
        )
    else:
        d.update(
            tof_days=num("tof_days"),
            spacecraft_dv_after_departure_km_s=num("dv_arrival_km_s"),
        )
    return d
