"""Mission timeline: development, first launch window, transfer, stay, end.

From the consortium's start date the spacecraft is ready after the
development time of its class (``[development.*]`` of ``cost_model.toml``:
CLPS ~4 yr, AstroForge Odin 10 months, OSIRIS-REx ~63 months).  It then
launches in the *first launch window after it is ready*:

* asteroid: from a transfer scan (:func:`prospect.scan.porkchop.porkchop`)
  reduced to the best transfer per departure date (:func:`departure_table`).
  A date is *open* when its best transfer meets the mission's limits and is
  within ``window_dv_margin_frac`` of the least delta-v of the search span;
  a window is a run of consecutive open dates; the plan launches on the
  cheapest date of the first window that opens on or after the ready date
  (:func:`first_window_after`).  Being testable on a synthetic table is the
  point of that split.
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

import numpy as np
import pandas as pd

from prospect.cost.model import CostModel, load_cost_model
from prospect.errors import InputError

__all__ = [
    "Phase",
    "Timeline",
    "add_days",
    "build_timeline",
    "departure_table",
    "first_window_after",
    "to_date",
]


def to_date(value, *, option: str = "date") -> _dt.date:
    """A calendar date from an ISO string, ``date``, ``datetime``, Timestamp or astropy Time.

    Raises
    ------
    InputError
        When the value cannot be read as a date (names ``option``).

    Examples
    --------
    >>> to_date("2027-01-15")
    datetime.date(2027, 1, 15)
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if hasattr(value, "to_datetime") and hasattr(value, "jd"):  # astropy Time
        return value.utc.to_datetime().date()
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        raise InputError(
            f"cannot read {value!r} as a date (use YYYY-MM-DD)", option=option
        ) from None


def add_days(d: _dt.date, days: float) -> _dt.date:
    """``d`` plus ``days`` (rounded to whole days)."""
    return d + _dt.timedelta(days=round(days))


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


def departure_table(
    porkchop_result, *, max_total_dv_km_s: float = math.inf, max_duration_days: float = math.inf
) -> pd.DataFrame:
    """Best transfer per departure date of a pork-chop grid.

    Parameters
    ----------
    porkchop_result : prospect.scan.porkchop.PorkchopResult
        Grid of shape (n_departure, n_tof); its ``feasible()`` mask applies
        (arc exists, launch C3 limit).
    max_total_dv_km_s, max_duration_days : float
        Mission limits applied on top (``inf``: none).

    Returns
    -------
    DataFrame, one row per departure date
        ``departure`` (ISO), ``tof_days``, ``c3_km2_s2``, ``dv_arrival_km_s``,
        ``dv_total_km_s`` of the least-delta-v feasible flight time (NaN when
        the date has none).
    """
    pc = porkchop_result
    ok = pc.feasible() & (pc.dv_total_km_s <= max_total_dv_km_s)
    ok &= pc.tof_days[None, :] <= max_duration_days
    dv = np.where(ok, pc.dv_total_km_s, np.inf)
    j = np.argmin(dv, axis=1)
    rows = np.arange(dv.shape[0])
    has = np.isfinite(dv[rows, j])

    def pick(a):
        return np.where(has, a[rows, j], np.nan)

    return pd.DataFrame(
        {
            "departure": [str(d) for d in pc.departure],
            "tof_days": np.where(has, pc.tof_days[j], np.nan),
            "c3_km2_s2": pick(pc.c3_km2_s2),
            "dv_arrival_km_s": pick(pc.dv_arrival_km_s),
            "dv_total_km_s": pick(pc.dv_total_km_s),
        }
    )


def first_window_after(
    table: pd.DataFrame, ready, *, margin_frac: float = 0.10, dv_column: str = "dv_total_km_s"
) -> dict:
    """The first launch window opening on or after ``ready`` and its best date.

    Parameters
    ----------
    table : DataFrame
        Best transfer per departure date (:func:`departure_table`), sorted by
        ``departure``; NaN delta-v marks a date without a feasible transfer.
    ready : date-like
        Date the spacecraft is ready to launch.
    margin_frac : float
        A date is open when its delta-v is within ``(1 + margin_frac)`` of the
        least delta-v of the dates on or after ``ready``.
    dv_column : str
        Column ranked.

    Returns
    -------
    dict
        ``open_from``, ``open_to`` (ISO dates of the window), ``departure``
        (chosen date), ``index`` (row of the chosen date) and the row's values.

    Raises
    ------
    InputError
        When ``ready`` is after the last departure of the table, or no date
        on or after it has a feasible transfer.

    Examples
    --------
    >>> t = pd.DataFrame({"departure": ["2028-01-01", "2028-01-05", "2028-01-09", "2028-01-13"],
    ...                   "dv_total_km_s": [3.0, 6.0, 3.2, 3.1]})
    >>> w = first_window_after(t, "2028-01-03")
    >>> w["open_from"], w["departure"]
    ('2028-01-09', '2028-01-13')
    """
    if not (math.isfinite(margin_frac) and margin_frac >= 0):
        raise InputError(f"window margin must be >= 0, got {margin_frac!r}", option="margin")
    ready_d = to_date(ready, option="ready")
    dates = pd.to_datetime(table["departure"]).dt.date.to_numpy()
    if len(dates) == 0:
        raise InputError("the launch-window search returned no departure dates", option="--start")
    if ready_d > dates[-1]:
        raise InputError(
            f"the spacecraft is ready on {ready_d.isoformat()}, after the last launch date of "
            f"the window searched ({dates[-1].isoformat()}); start earlier or extend the window",
            option="--start",
        )
    dv = table[dv_column].to_numpy(dtype=float)
    after = dates >= ready_d
    cand = np.where(after & np.isfinite(dv), dv, np.inf)
    if not np.isfinite(cand).any():
        raise InputError(
            f"no feasible transfer departs between {ready_d.isoformat()} (spacecraft ready) and "
            f"{dates[-1].isoformat()}; start earlier or extend the window",
            option="--start",
        )
    best = float(cand.min())
    is_open = cand <= best * (1.0 + margin_frac)
    first = int(np.argmax(is_open))
    last = first
    while last + 1 < len(dates) and is_open[last + 1]:
        last += 1
    k = first + int(np.argmin(cand[first : last + 1]))
    row = table.iloc[k].to_dict()
    row.update(
        open_from=dates[first].isoformat(),
        open_to=dates[last].isoformat(),
        departure=dates[k].isoformat(),
        index=k,
        search_min_dv_km_s=best,
        margin_frac=margin_frac,
    )
    return row


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
    s = to_date(start, option="--start")
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
