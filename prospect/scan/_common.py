"""Shared pieces of the scans: date grids, argument checks, memory estimates.

Every scan works in TDB seconds since J2000 inside and takes astropy ``Time``
objects, ISO strings or dates at its boundary (converted once here).
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass

import numpy as np

from prospect._coerce import as_days
from prospect.core.constants import AU_KM, DAY_S, GM_SUN_KM3_S2
from prospect.epochs import as_time, check_span, tdb_seconds, utc_datetimes
from prospect.errors import InputError

__all__ = [
    "BYTES_PER_CELL",
    "DEFAULT_MEMORY_BUDGET_BYTES",
    "FUSED_BYTES_PER_CELL",
    "DateGrid",
    "axis_option",
    "check_revs",
    "check_window",
    "date_grid",
    "default_step_days",
    "iso_dates",
    "memory_budget_bytes",
    "tof_grid",
    "whole_number",
]

#: Peak working memory of one pork-chop cell (one departure date x one flight
#: time x one target) while the Lambert batch and the delta-v arrays of a chunk
#: are alive, bytes.  Counted from the arrays the scan holds at once: target
#: states gathered per cell (2 x 24 B), the solver's contiguous copies of r1, r2
#: and tof (56 B) and its outputs v1, v2, status (49 B), the velocity
#: differences (2 x 24 B) and about eight float64 scalars per cell (64 B), plus
#: a 25 % allowance for temporaries; ``benchmarks/bench_scan.py`` reports the
#: measured peak next to this estimate.
BYTES_PER_CELL = 320

#: Working memory of one cell of the fused kernels
#: (:mod:`prospect.core.transfer`) besides their results, bytes: the contiguous
#: copy of the flight time (8 B) and of the arrival-state index (8 B) of the
#: cell; the per-cell vectors of the NumPy formulation above never exist.
FUSED_BYTES_PER_CELL = 16

#: Default memory budget of one scan, bytes (1 GiB); ``$PROSPECT_SCAN_MEMORY_MB``
#: overrides it.  The machines this project targets have 24 GiB shared by
#: several processes, so a scan keeps to a small, predictable share.
DEFAULT_MEMORY_BUDGET_BYTES = 1 << 30


def memory_budget_bytes(value_mb: float | None = None) -> int:
    """Memory budget of a scan in bytes: the argument, else the environment, else 1 GiB."""
    if value_mb is None:
        env = os.environ.get("PROSPECT_SCAN_MEMORY_MB")
        if env:
            try:
                value_mb = float(env)
            except ValueError:
                raise InputError(
                    f"not a number of megabytes: {env!r}", option="PROSPECT_SCAN_MEMORY_MB"
                ) from None
    if value_mb is None:
        return DEFAULT_MEMORY_BUDGET_BYTES
    if not (math.isfinite(value_mb) and value_mb > 0):
        raise InputError(
            f"must be a positive number of megabytes, got {value_mb}", option="memory_mb"
        )
    return int(value_mb * 1024 * 1024)


#: Shortest period of a heliocentric transfer orbit that leaves the Earth, days:
#: an orbit through a point at distance r has a >= r / 2 (its apocentre is at
#: least r), and the Earth is never closer to the Sun than 0.983 au (perihelion);
#: with a = 0.49 au, 2 pi sqrt(a^3 / GM_sun) = 125.3 d.  A flight of T days
#: holds at most floor(T / 125.3) complete revolutions.
MIN_TRANSFER_PERIOD_DAYS = 2 * math.pi * math.sqrt((0.49 * AU_KM) ** 3 / GM_SUN_KM3_S2) / DAY_S


def whole_number(value, option: str) -> int:
    """``value`` as an int if it is a whole number >= 0 (2.0 is, 2.5 and True are not).

    Raises
    ------
    InputError
        Anything else (names ``option``).
    """
    try:
        whole = float(value).is_integer() and value >= 0 and not isinstance(value, bool)
    except (TypeError, ValueError, OverflowError):
        whole = False
    if not whole:
        raise InputError(f"must be a whole number >= 0, got {value!r}", option=option)
    return int(value)


def check_revs(revs: int, tof_max_days: float, *, option: str = "revs") -> None:
    """Refuse more complete revolutions than a flight of ``tof_max_days`` can hold.

    Raises
    ------
    InputError
        ``revs`` not a whole number >= 0, or > floor(tof_max_days /
        :data:`MIN_TRANSFER_PERIOD_DAYS`) (names ``option``).

    Examples
    --------
    >>> check_revs(2, 720.0)
    >>> check_revs(2.5, 720.0)
    Traceback (most recent call last):
    ...
    prospect.errors.InputError: revs: must be a whole number >= 0, got 2.5
    >>> check_revs(1_000_000, 720.0)
    Traceback (most recent call last):
    ...
    prospect.errors.InputError: revs: at most 5 complete revolutions fit in a 720 d flight ...
    """
    revs = whole_number(revs, option)
    most = math.floor(tof_max_days / MIN_TRANSFER_PERIOD_DAYS)
    if revs > most:
        raise InputError(
            f"at most {most} complete revolutions fit in a {tof_max_days:g} d flight (a "
            f"transfer orbit from the Earth has a period >= {MIN_TRANSFER_PERIOD_DAYS:.0f} d), "
            f"got {revs}",
            option=option,
        )


def check_window(start, end, ephemeris: str, *, start_option="departure_start",
                 end_option="departure_end") -> None:  # fmt: skip
    """Check the given ends of a launch window against the ephemeris' span (:func:`check_span`)."""
    for value, name in ((start, start_option), (end, end_option)):
        if value is not None:
            check_span(value, option=name, ephemeris=ephemeris)


def axis_option(step_days: float, step_option: str, span_option: str) -> str:
    """Which parameter made a grid axis too long: a step under a day, else its span."""
    return step_option if step_days < 1.0 else span_option


def _check_points(n: float, what: str, option: str) -> None:
    """Refuse an axis of ``n`` points before allocating it: over the budget on its own."""
    most = memory_budget_bytes() // BYTES_PER_CELL
    if n > most:
        raise InputError(
            f"{n:,.0f} {what} would not fit the memory budget even for one target "
            f"(at most {most:,}); use a larger step or a shorter span "
            "(or raise PROSPECT_SCAN_MEMORY_MB)",
            option=option,
        )


@dataclass(frozen=True)
class DateGrid:
    """Departure dates of a scan: TDB seconds since J2000, evenly spaced."""

    seconds: np.ndarray  # (n,)
    step_days: float

    def __len__(self) -> int:
        return int(self.seconds.size)


def _positive(value, option: str) -> float:
    """A positive number of days (number, time Quantity or timedelta)."""
    return as_days(value, option, positive=True)


def date_grid(
    start,
    end,
    step_days: float,
    *,
    start_option: str = "departure_start",
    end_option: str = "departure_end",
    step_option: str = "step_days",
) -> DateGrid:
    """Evenly spaced dates from ``start`` to ``end`` (both included when on the step).

    Parameters
    ----------
    start, end : Time, str, date
        First and last allowed date (UTC when given as ISO strings or dates).
    step_days : float
        Spacing, days (> 0).

    Returns
    -------
    DateGrid
        ``seconds`` (n,) TDB seconds since J2000, ``n = floor((end - start) / step) + 1``.

    Raises
    ------
    InputError
        End before start, an empty window (start == end), a non-positive step.

    Examples
    --------
    >>> g = date_grid("2028-01-01", "2028-01-11", 5.0)
    >>> len(g), np.diff(g.seconds) / 86400.0
    (3, array([5., 5.]))
    """
    step = _positive(step_days, step_option)
    t0 = float(tdb_seconds(as_time(start, option=start_option)))
    t1 = float(tdb_seconds(as_time(end, option=end_option)))
    if t1 < t0:
        raise InputError(
            f"the launch window ends ({iso_dates(t1)}) before it starts ({iso_dates(t0)})",
            option=end_option,
        )
    if t1 == t0:
        raise InputError(
            f"the launch window is empty: it starts and ends on {iso_dates(t0)}",
            option=end_option,
        )
    span_days = (t1 - t0) / DAY_S
    n = math.floor(span_days / step + 1e-9) + 1
    _check_points(n, "departure dates", axis_option(step, step_option, end_option))
    return DateGrid(t0 + np.arange(n) * step * DAY_S, step)


def default_step_days(
    start,
    end,
    *,
    max_steps: int = 400,
    start_option: str = "departure_start",
    end_option: str = "departure_end",
) -> float:
    """Whole-day step splitting the window ``start``-``end`` in at most ``max_steps`` steps.

    Examples
    --------
    >>> default_step_days("2028-01-01", "2029-01-01")
    1.0
    >>> default_step_days("2028-01-01", "2038-01-01")
    10.0
    """
    t0 = float(tdb_seconds(as_time(start, option=start_option)))
    t1 = float(tdb_seconds(as_time(end, option=end_option)))
    span = (t1 - t0) / DAY_S
    return float(max(1, math.ceil(span / max_steps))) if span > 0 else 1.0


def tof_grid(
    tof_min_days: float,
    tof_max_days: float,
    step_days: float,
    *,
    min_option: str = "tof_min_days",
    max_option: str = "tof_max_days",
    step_option: str = "tof_step_days",
) -> np.ndarray:
    """Flight times from ``tof_min_days`` to ``tof_max_days`` (included when on the step), days.

    Raises
    ------
    InputError
        Non-positive values, or ``tof_min_days > tof_max_days``.

    Examples
    --------
    >>> tof_grid(30, 60, 10)
    array([30., 40., 50., 60.])
    """
    lo = _positive(tof_min_days, min_option)
    hi = _positive(tof_max_days, max_option)
    step = _positive(step_days, step_option)
    if lo > hi:
        raise InputError(
            f"the flight-time range is empty: minimum {lo:g} d > maximum {hi:g} d",
            option=min_option,
        )
    n = math.floor((hi - lo) / step + 1e-9) + 1
    _check_points(n, "flight times", axis_option(step, step_option, max_option))
    return lo + np.arange(n) * step


def iso_dates(seconds) -> np.ndarray | str:
    """UTC calendar dates ``YYYY-MM-DD`` of TDB seconds since J2000 (NaN -> empty string).

    The date of the time rounded to the second (:func:`datetimes`), so a grid
    date that is UTC midnight to within a millisecond shows as that day.
    One date at a time is remembered (:func:`_iso_date`): the rows of a
    scan repeat the few hundred dates of its grid.
    """
    s = np.asarray(seconds, dtype=float)
    if s.ndim == 0:
        return _iso_date(float(s)) if math.isfinite(s) else ""
    out = np.full(s.shape, "", dtype=object)
    ok = np.isfinite(s)
    if ok.any():
        out[ok] = np.datetime_as_string(datetimes(s[ok]), unit="D").astype(object)
    if out.ndim == 0:
        return str(out[()])
    return out


@functools.lru_cache(maxsize=8192)
def _iso_date(seconds: float) -> str:
    return str(np.datetime_as_string(datetimes(np.array([seconds]))[0], unit="D"))


def datetimes(seconds) -> np.ndarray:
    """``datetime64[s]`` UTC of TDB seconds since J2000 (NaT where NaN), rounded to the second."""
    return utc_datetimes(seconds)


def parse_term_weights(text, terms, *, option: str) -> dict[str, float]:
    """The ``term=value`` pairs of a weights argument, validated; terms not named are absent.

    Parameters
    ----------
    text : str or mapping
        ``"dv=0.4, size=0.2"`` or ``{"dv": 0.4, "size": 0.2}``.
    terms : iterable of str
        The allowed terms.
    option : str
        Argument/CLI option named in errors.

    Raises
    ------
    InputError
        A part that is not ``term=value``, an unknown or repeated term, or a value
        that is not a finite number >= 0.

    Examples
    --------
    >>> parse_term_weights("dv=2, size=0", ("dv", "size", "u"), option="weights")
    {'dv': 2.0, 'size': 0.0}
    """
    terms = list(terms)
    if isinstance(text, str):
        items = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, sep, value = part.partition("=")
            if not sep:
                raise InputError(
                    f"{part!r} is not term=value (terms: {', '.join(terms)})", option=option
                )
            items.append((key.strip(), value.strip()))
    else:
        items = list(dict(text).items())
    out: dict[str, float] = {}
    for key, value in items:
        if key not in terms:
            raise InputError(
                f"unknown score term {key!r}; choose from {', '.join(terms)}", option=option
            )
        if key in out:
            raise InputError(f"score term {key!r} is given twice", option=option)
        try:
            w = float(value)
        except (TypeError, ValueError):
            raise InputError(
                f"weight of {key!r} is not a number: {value!r}", option=option
            ) from None
        if not (math.isfinite(w) and w >= 0.0):
            raise InputError(
                f"weight of {key!r} must be a finite number >= 0, got {value!r}", option=option
            )
        out[key] = w
    return out
