"""Input coercion at the library boundary: numbers, astropy Quantities and dates.

Every public function of prospect that takes a number of days, km, km/s or
km^2/s^2, or a date, converts it here exactly once (as poliastro's
``iod/izzo.py`` does with ``.to_value(u.km)``), so each accepts

* a plain number in the unit its parameter name says (``tof_min_days=30``),
* an astropy ``Quantity`` of any compatible unit (``30 * u.day``,
  ``1 * u.yr``, ``400 * u.m``, ``3 * u.km / u.s``),
* for days also a ``datetime.timedelta`` (and ``numpy.timedelta64``),
* for dates an astropy ``Time``, ``datetime``, ``date``, ``numpy.datetime64``,
  ``pandas.Timestamp`` or an ISO string (:func:`as_time`, UTC when no scale
  is given),

and refuses anything else with one :class:`~prospect.errors.InputError` line
that names the Python parameter (``name``; the CLI names its own flag
instead, :mod:`prospect.cli._flags`).

Examples
--------
>>> import astropy.units as u
>>> as_days(2 * u.week, "step_days"), as_km(400 * u.m, "alt_km"), as_km_s(3, "dv_km_s")
(14.0, 0.4, 3.0)
>>> as_days("ten", "step_days")
Traceback (most recent call last):
...
prospect.errors.InputError: step_days: not a number of days: 'ten'
"""

from __future__ import annotations

import datetime as _dt
import math

import numpy as np

from prospect.epochs import as_time
from prospect.errors import InputError

__all__ = ["as_days", "as_deg", "as_km", "as_km2_s2", "as_km_s", "as_time", "as_value"]


def _unit(text: str):
    import astropy.units as u

    return u.Unit(text)


def as_value(
    value,
    unit: str,
    name: str,
    *,
    what: str,
    positive: bool = False,
    nonnegative: bool = False,
    allow_none: bool = False,
) -> float | None:
    """A scalar in ``unit`` from a number (already in ``unit``) or a Quantity.

    Parameters
    ----------
    value : float, int, Quantity or None
        The argument as the user gave it.
    unit : str
        Astropy unit string of the result (``"day"``, ``"km"``, ``"km/s"``).
    name : str
        Python parameter (and CLI flag) named in errors.
    what : str
        Words for the unit in errors ("days", "km/s").
    positive, nonnegative : bool
        Require > 0 or >= 0.
    allow_none : bool
        Return None for None instead of refusing it.

    Returns
    -------
    float or None

    Raises
    ------
    InputError
        Not a number, a Quantity of another dimension, an array, NaN or
        infinite, or out of the required range.
    """
    if value is None and allow_none:
        return None
    x = _scalar(value, unit, name, what)
    if not math.isfinite(x):
        raise InputError(f"must be a finite number of {what}, got {value!r}", option=name)
    if positive and not x > 0:
        raise InputError(f"must be a positive number of {what}, got {_show(value)}", option=name)
    if nonnegative and x < 0:
        raise InputError(f"must be >= 0 {what}, got {_show(value)}", option=name)
    return x


def _show(value) -> str:
    return str(value) if hasattr(value, "unit") else repr(value)


def _scalar(value, unit: str, name: str, what: str) -> float:
    if hasattr(value, "unit") and hasattr(value, "to_value"):
        import astropy.units as u

        try:
            out = value.to_value(_unit(unit))
        except u.UnitConversionError:
            raise InputError(
                f"a quantity in {value.unit} cannot be read as {what}", option=name
            ) from None
        if np.ndim(out) != 0:
            raise InputError(f"must be a single value, got shape {np.shape(out)}", option=name)
        return float(out)
    if isinstance(value, bool) or value is None:
        raise InputError(f"not a number of {what}: {value!r}", option=name)
    if unit == "day" and isinstance(value, (_dt.timedelta, np.timedelta64)):
        seconds = (
            value.total_seconds()
            if isinstance(value, _dt.timedelta)
            else value / np.timedelta64(1, "s")
        )
        return float(seconds) / 86400.0
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(f"not a number of {what}: {value!r}", option=name) from None


def as_days(value, name: str, **kw) -> float | None:
    """A number of days from a number, a time Quantity or a timedelta (see :func:`as_value`).

    Examples
    --------
    >>> import datetime, astropy.units as u
    >>> as_days(1 * u.yr, "tof_max_days"), as_days(datetime.timedelta(hours=36), "step_days")
    (365.25, 1.5)
    """
    return as_value(value, "day", name, what="days", **kw)


def as_km(value, name: str, **kw) -> float | None:
    """A length in km from a number or a length Quantity (see :func:`as_value`)."""
    return as_value(value, "km", name, what="km", **kw)


def as_km_s(value, name: str, **kw) -> float | None:
    """A speed in km/s from a number or a speed Quantity (see :func:`as_value`)."""
    return as_value(value, "km/s", name, what="km/s", **kw)


def as_deg(value, name: str, **kw) -> float | None:
    """An angle in degrees from a number or an angle Quantity (see :func:`as_value`)."""
    return as_value(value, "deg", name, what="deg", **kw)


def as_km2_s2(value, name: str, **kw) -> float | None:
    """A C3 in km^2/s^2 from a number or a Quantity (see :func:`as_value`)."""
    return as_value(value, "km2/s2", name, what="km^2/s^2", **kw)
