"""Mission timeline: development, first launch window, transfer, stay, end.

From the consortium's start date the spacecraft is ready after the
development time of its class (``[development.*]`` of ``cost_model.toml``:
CLPS ~4 yr, AstroForge Odin 10 months, OSIRIS-REx ~63 months).  It then
launches in the *first launch window after it is ready*:

* asteroid: on the departure of the transfer :func:`prospect.scan.rank`
  finds for the target among launches from the ready date (same objective and
  limits as ``prospect rank``; :mod:`prospect.cost.trajectory`).
* Moon: lunar transfer geometry repeats every synodic month; the plan
  launches at the ready date, flies the profile's transfer (or ~5 d direct)
  and waits up to ~14 d in polar LLO for the site to pass under the orbit
  (DOMAIN.md 2.1-2.4).

then arrival, stay (the profile's ``min_stay_days`` or one lunar daylight
period) and the end of mission (or Earth return).  Dates are UTC calendar
dates (ISO strings).
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import asdict, dataclass, field

import pandas as pd

from prospect._coerce import as_time
from prospect.cost.model import CostModel, load_cost_model
from prospect.epochs import quiet_erfa
from prospect.errors import InputError

__all__ = [
    "Phase",
    "Schedule",
    "Timeline",
    "add_days",
    "build_timeline",
    "schedule",
    "to_date",
]


def to_date(value, *, option: str = "date") -> _dt.date:
    """A calendar date from an ISO string, ``date``, ``datetime``, Timestamp or astropy Time.

    A ``date`` or ``datetime`` (``pandas.Timestamp`` included) gives its own
    calendar date; anything else is read by :func:`prospect._coerce.as_time`
    (the one date parser of the library) and taken as a UTC date.

    Raises
    ------
    InputError
        When the value cannot be read as one date (names ``option``).

    Examples
    --------
    >>> to_date("2027-01-15")
    datetime.date(2027, 1, 15)
    >>> import numpy as np
    >>> to_date(np.datetime64("2027-01-15T23:00"))
    datetime.date(2027, 1, 15)
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    t = as_time(value, option=option)
    if not t.isscalar:
        raise InputError(f"expected one date, got {t.size}", option=option)
    with quiet_erfa():
        return t.utc.to_datetime().date()


def add_days(d: _dt.date, days: float) -> _dt.date:
    """``d`` plus ``days`` (rounded to whole days)."""
    return d + _dt.timedelta(days=round(days))


@dataclass(frozen=True)
class Schedule:
    """Kick-off, ready date and launch deadline of a profile (UTC dates)."""

    start: _dt.date
    ready: _dt.date
    deadline: _dt.date | None
    development_months: float
    development_source: str


def schedule(profile, start, launch_by=None, *, model: CostModel | None = None) -> Schedule:
    """When the profile's spacecraft is ready: start + the development time of its class.

    Raises
    ------
    InputError
        Unreadable dates, or ready after ``launch_by``.

    Examples
    --------
    >>> from prospect.data import get_mission
    >>> schedule(get_mission("prospector-1"), "2026-01-01").ready
    datetime.date(2026, 11, 1)
    """
    model = model or load_cost_model()
    months, src = model.development_months(profile.development_class)
    dpm = model.number("timeline", "days_per_month", positive=True)
    start_d = to_date(start, option="start")
    ready = add_days(start_d, months * dpm)
    deadline = to_date(launch_by, option="launch_by") if launch_by is not None else None
    if deadline is not None and ready > deadline:
        raise InputError(
            f"start {start_d.isoformat()} + {months:g} months of development "
            f"({profile.development_class}) = ready {ready.isoformat()}, after the launch "
            f"window closing {deadline.isoformat()}",
            option="start",
        )
    return Schedule(start_d, ready, deadline, float(months), src)


@dataclass(frozen=True)
class Phase:
    """One bar of the timeline (UTC dates, ISO strings)."""

    name: str
    start: str
    end: str
    days: float
    note: str = ""


@dataclass(frozen=True)
class Timeline:
    """A mission schedule.

    Attributes
    ----------
    start, ready, launch, arrival, end : str
        Key dates (ISO).
    phases : list of Phase
    window : dict
        The launch window used (open_from, open_to, chosen departure and its
        transfer) or the lunar launch rule.
    flags, sources : list of str
    """

    start: str
    ready: str
    launch: str
    arrival: str
    end: str
    phases: list[Phase]
    window: dict = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def flight_years(self) -> float:
        """Launch to end of mission, years (Julian)."""
        return (to_date(self.end) - to_date(self.launch)).days / 365.25

    def to_frame(self) -> pd.DataFrame:
        """One row per phase."""
        return pd.DataFrame([asdict(p) for p in self.phases])

    def to_dict(self) -> dict:
        d = asdict(self)
        d["flight_years"] = self.flight_years
        return d


def build_timeline(
    start,
    development_months: float,
    *,
    launch,
    transfer_days: float,
    stay_days: float,
    return_days: float = 0.0,
    waits: list[tuple[str, float, str]] | None = None,
    window: dict | None = None,
    model: CostModel | None = None,
    flags: list[str] | None = None,
    sources: list[str] | None = None,
) -> Timeline:
    """Assemble the phases from a start date, a development time and the launch date.

    Parameters
    ----------
    start : date-like
        Consortium start (project kick-off).
    development_months : float
        Development time of the spacecraft class, months.
    launch : date-like
        Launch date (on or after the ready date).
    transfer_days : float
        Outbound flight, days.
    stay_days : float
        Operations at the target, days.
    return_days : float
        Return flight (0 for a one-way mission).
    waits : list of (name, days, note), optional
        Extra phases between arrival and operations (e.g. LLO phasing).
    window : dict, optional
        The launch window used (reported as is).

    Examples
    --------
    >>> tl = build_timeline("2027-01-01", 10, launch="2027-12-01", transfer_days=200, stay_days=14)
    >>> tl.ready, tl.arrival, tl.end
    ('2027-11-01', '2028-06-18', '2028-07-02')
    """
    model = model or load_cost_model()
    dpm = model.number("timeline", "days_per_month", positive=True)
    s = to_date(start, option="start")
    ready = add_days(s, development_months * dpm)
    launch_d = to_date(launch, option="launch")
    if launch_d < ready:
        raise InputError(
            f"launch {launch_d.isoformat()} is before the spacecraft is ready "
            f"({ready.isoformat()})",
            option="launch",
        )
    for name, v in (
        ("transfer_days", transfer_days),
        ("stay_days", stay_days),
        ("return_days", return_days),
    ):
        if not (math.isfinite(v) and v >= 0):
            raise InputError(f"must be >= 0 days, got {v!r}", option=name)
    phases = [
        Phase(
            "development",
            s.isoformat(),
            ready.isoformat(),
            (ready - s).days,
            f"{development_months:g} months",
        ),
    ]
    if launch_d > ready:
        phases.append(
            Phase(
                "wait for launch window",
                ready.isoformat(),
                launch_d.isoformat(),
                (launch_d - ready).days,
                "",
            )
        )
    t = launch_d
    arr = add_days(t, transfer_days)
    phases.append(Phase("transfer", t.isoformat(), arr.isoformat(), (arr - t).days, ""))
    t = arr
    for name, days, note in waits or []:
        e = add_days(t, days)
        phases.append(Phase(name, t.isoformat(), e.isoformat(), (e - t).days, note))
        t = e
    e = add_days(t, stay_days)
    phases.append(Phase("operations at target", t.isoformat(), e.isoformat(), (e - t).days, ""))
    t = e
    if return_days > 0:
        e = add_days(t, return_days)
        phases.append(Phase("return to Earth", t.isoformat(), e.isoformat(), (e - t).days, ""))
        t = e
    return Timeline(
        start=s.isoformat(),
        ready=ready.isoformat(),
        launch=launch_d.isoformat(),
        arrival=arr.isoformat(),
        end=t.isoformat(),
        phases=phases,
        window=dict(window or {}),
        flags=list(flags or []),
        sources=list(sources or []),
    )
