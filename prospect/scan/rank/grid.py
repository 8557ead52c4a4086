"""Before any work in :func:`prospect.scan.rank.rank`: the launch window, the grid and its memory.

One-way scans use one departure x time-of-flight grid for every target
(:class:`OneWayGrid`); round trips one date lattice
(:class:`prospect.scan._lattice.RoundTripLattice`).  Targets are scanned in
chunks sized so the working memory stays under a budget
(:data:`prospect.scan._common.BYTES_PER_CELL` per cell; default 1 GiB,
``memory_mb=`` or ``$PROSPECT_SCAN_MEMORY_MB``); a grid whose single target
would not fit is refused here, before the catalog is screened or scanned.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np

from prospect._coerce import as_days
from prospect.core.constants import DAY_S
from prospect.epochs import check_span
from prospect.errors import InputError
from prospect.scan._common import (
    BYTES_PER_CELL,
    axis_option,
    date_grid,
    memory_budget_bytes,
    tof_grid,
)
from prospect.scan._lattice import RoundTripLattice
from prospect.scan._mission import MissionSpec
from prospect.scan._targets import earth_model

__all__ = [
    "DEFAULT_ROUND_TRIP_STEP_DAYS",
    "DEFAULT_STEP_DAYS",
    "DEFAULT_TOF_MAX_DAYS",
    "DEFAULT_TOF_MIN_DAYS",
    "DEFAULT_TOF_STEP_DAYS",
    "OneWayGrid",
    "ScanGrid",
    "default_window",
    "launch_window",
    "plan_grid",
    "plus_two_years",
]

#: Default grid of :func:`rank`: departure step, flight-time step and range, days.
DEFAULT_STEP_DAYS = 5.0
DEFAULT_TOF_STEP_DAYS = 10.0
DEFAULT_TOF_MIN_DAYS = 30.0
DEFAULT_TOF_MAX_DAYS = 720.0
#: Lattice step of round-trip rankings, days.
DEFAULT_ROUND_TRIP_STEP_DAYS = 5.0
#: Shortest leg of a round-trip lattice, days (as :func:`prospect.scan.round_trip`).
MIN_LEG_DAYS = 10.0


def default_window(today: _dt.date | None = None) -> tuple[str, str]:
    """Default launch period: the first day of next month, for two years.

    Examples
    --------
    >>> default_window(_dt.date(2026, 12, 15))
    ('2027-01-01', '2029-01-01')
    """
    today = today or _dt.datetime.now(_dt.UTC).date()
    y, m = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return f"{y:04d}-{m:02d}-01", f"{y + 2:04d}-{m:02d}-01"


def plus_two_years(start, *, option: str = "start") -> str:
    """The UTC date two years after ``start``, ``YYYY-MM-DD`` (29 February -> 28).

    Examples
    --------
    >>> plus_two_years("2028-02-29")
    '2030-02-28'
    """
    from prospect.epochs import as_time, quiet_erfa

    with quiet_erfa():
        d = as_time(start, option=option).utc.to_datetime()
    try:
        d2 = d.replace(year=d.year + 2)
    except ValueError:  # 29 February
        d2 = d.replace(year=d.year + 2, day=28)
    return d2.strftime("%Y-%m-%d")


def launch_window(start, end, ephemeris: str = "nbody") -> tuple:
    """``(start, end)`` with the defaults: :func:`default_window`, or two years from ``start``.

    Dates given are checked against the ephemeris' span
    (:func:`prospect.epochs.check_span`: refused outside DE440, flagged for
    two-body outside 1900-2100).
    """
    for value, name in ((start, "start"), (end, "end")):
        if value is not None:
            check_span(value, option=name, ephemeris=ephemeris)
    if start is None and end is None:
        return default_window()
    if end is None:
        return start, plus_two_years(start)
    if start is None:
        return default_window()[0], end
    return start, end


@dataclass(frozen=True)
class OneWayGrid:
    """Departure x time-of-flight grid shared by every target of a one-way scan.

    Attributes
    ----------
    dep_s : ndarray, shape (n_dep,)
        Departure dates, TDB seconds since J2000.
    tof_days : ndarray, shape (n_tof,)
        Times of flight, days.
    arr_u : ndarray, shape (n_arr,)
        The distinct arrival dates, TDB s (targets are propagated to these only).
    inv : ndarray of int, shape (n_dep, n_tof)
        Index into ``arr_u`` of each cell's arrival date.
    r_e, v_e : ndarray, shape (n_dep, 3)
        Earth's heliocentric ecliptic state at the departures, km, km/s.
    step_days : float
        Departure step, days.
    """

    dep_s: np.ndarray
    tof_days: np.ndarray
    arr_u: np.ndarray
    inv: np.ndarray
    r_e: np.ndarray
    v_e: np.ndarray
    step_days: float


@dataclass(frozen=True)
class ScanGrid:
    """The grid of a rank scan and what it costs.

    ``oneway`` (one-way scans) or ``lattice`` with Earth's states ``r_e``,
    ``v_e`` at its dates (round trips); ``desc`` describes it for ``attrs``
    and the checkpoint key; ``window_s`` are the first and last departure
    (TDB s); ``per_target_bytes`` the working memory of one target.
    """

    oneway: OneWayGrid | None
    lattice: RoundTripLattice | None
    r_e: np.ndarray
    v_e: np.ndarray
    desc: dict
    window_s: tuple[float, float]
    per_target_bytes: int

    def chunk_size(self, budget_bytes: int) -> int:
        """Targets per chunk within ``budget_bytes``."""
        return max(1, int(budget_bytes // max(self.per_target_bytes, 1)))


def _check_memory(per_target_bytes: int, budget_bytes: int, option: str = "step_days") -> None:
    """Refuse a grid whose one target exceeds the budget (before any state is computed)."""
    if per_target_bytes > budget_bytes:
        raise InputError(
            f"one target's grid needs about {per_target_bytes / 2**20:,.0f} MiB, over "
            f"the memory budget of {budget_bytes / 2**20:,.0f} MiB; use larger steps or a "
            "shorter window (or raise PROSPECT_SCAN_MEMORY_MB)",
            option=option,
        )


def _lattice_grid(spec: MissionSpec, start, end, step_days, budget: int) -> ScanGrid:
    lat = RoundTripLattice.make(
        start,
        end,
        step_days=step_days or DEFAULT_ROUND_TRIP_STEP_DAYS,
        max_duration_days=spec.max_duration_days,
        min_stay_days=spec.min_stay_days,
        min_leg_days=MIN_LEG_DAYS,
        start_option="start",
        end_option="end",
    )
    L, nk = lat.size, lat.k_max - lat.k_min + 1
    per_target = (lat.n_dep + L) * nk * BYTES_PER_CELL + L * L * 48 + lat.n_dep * L * 96
    _check_memory(per_target, budget, axis_option(lat.step_days, "step_days", "end"))
    r_e, v_e = earth_model().states(lat.seconds)
    desc = {
        "lattice_step_days": lat.step_days,
        "n_departure": lat.n_dep,
        "lattice_dates": L,
        "min_leg_days": lat.k_min * lat.step_days,
    }
    window_s = (lat.start_s, lat.start_s + (lat.n_dep - 1) * lat.step_days * DAY_S)
    return ScanGrid(None, lat, r_e, v_e, desc, window_s, per_target)


def _oneway_grid(spec: MissionSpec, start, end, step_days, tof, budget: int) -> ScanGrid:
    step = step_days or DEFAULT_STEP_DAYS
    grid = date_grid(
        start, end, step, start_option="start", end_option="end", step_option="step_days"
    )
    tof_min, tof_max, tof_step = tof
    if tof_max is None:
        tof_max = min(DEFAULT_TOF_MAX_DAYS, spec.max_duration_days or DEFAULT_TOF_MAX_DAYS)
    tofs = tof_grid(
        tof_min or DEFAULT_TOF_MIN_DAYS,
        tof_max,
        tof_step or DEFAULT_TOF_STEP_DAYS,
        min_option="tof_min_days",
        max_option="tof_max_days",
        step_option="tof_step_days",
    )
    per_target = len(grid) * tofs.size * BYTES_PER_CELL * (1 + 2 * spec.max_revs)
    tof_step = float(tofs[1] - tofs[0]) if tofs.size > 1 else step
    _check_memory(
        per_target,
        budget,
        axis_option(step, "step_days", "end")
        if len(grid) >= tofs.size
        else axis_option(tof_step, "tof_step_days", "tof_max_days"),
    )
    arr = grid.seconds[:, None] + tofs[None, :] * DAY_S
    arr_u, inv = np.unique(np.round(arr, 3), return_inverse=True)
    r_e, v_e = earth_model().states(grid.seconds)
    og = OneWayGrid(grid.seconds, tofs, arr_u, inv.reshape(arr.shape), r_e, v_e, step)
    desc = {
        "step_days": step,
        "tof_step_days": float(tofs[1] - tofs[0]) if tofs.size > 1 else None,
        "tof_min_days": float(tofs[0]),
        "tof_max_days": float(tofs[-1]),
        "n_departure": len(grid),
        "n_tof": int(tofs.size),
    }
    window_s = (float(grid.seconds[0]), float(grid.seconds[-1]))
    return ScanGrid(og, None, r_e, v_e, desc, window_s, per_target)


def plan_grid(
    spec: MissionSpec,
    start,
    end,
    *,
    round_trip: bool,
    step_days: float | None,
    tof_min_days: float | None = None,
    tof_max_days: float | None = None,
    tof_step_days: float | None = None,
    memory_mb: float | None = None,
) -> tuple[ScanGrid, int]:
    """The scan grid and its chunk size (targets per chunk) under the memory budget.

    Steps and flight times are numbers of days or time Quantities
    (:func:`prospect._coerce.as_days`).

    Raises
    ------
    InputError
        Bad window or steps, or one target's grid over the memory budget
        (names the Python parameter).
    """
    opt = {"allow_none": True, "positive": True}  # numbers in days, or time Quantities
    step_days = as_days(step_days, "step_days", **opt)
    tof_step_days = as_days(tof_step_days, "tof_step_days", **opt)
    tof_min_days = as_days(tof_min_days, "tof_min_days", **opt)
    tof_max_days = as_days(tof_max_days, "tof_max_days", **opt)
    budget = memory_budget_bytes(memory_mb)
    if round_trip:
        grid = _lattice_grid(spec, start, end, step_days, budget)
    else:
        tof = (tof_min_days, tof_max_days, tof_step_days)
        grid = _oneway_grid(spec, start, end, step_days, tof, budget)
    return grid, grid.chunk_size(budget)
