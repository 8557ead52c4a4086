"""The cost model catalog (``catalogs/cost_model.toml``) as a typed object.

Every number the cost layer uses (CER coefficients and their errors, the
escalation index, operations rates, reserves, development times by class)
lives in that file with its source; this module reads and checks it once.
A bad value raises :class:`~prospect.errors.CatalogFormatError` naming the
file, the table and the key.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from prospect._resources import catalog_path
from prospect.errors import CatalogFormatError, InputError

__all__ = ["CostModel", "Escalation", "load_cost_model"]

COST_MODEL_FILE = "cost_model.toml"


def _get(table: dict, key: str, path: Path, record: str, *, kind=float, positive=False):
    """One typed value of a table, or a one-line CatalogFormatError."""
    if key not in table:
        raise CatalogFormatError("missing key", path=path, record=record, field=key)
    value = table[key]
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CatalogFormatError(
                f"expected a number, got {value!r}", path=path, record=record, field=key
            )
        value = float(value)
        if not math.isfinite(value) or (positive and value <= 0.0) or value < 0.0:
            raise CatalogFormatError(
                f"expected a {'positive' if positive else 'non-negative'} finite number, "
                f"got {value!r}",
                path=path,
                record=record,
                field=key,
            )
    elif kind is str:
        if not isinstance(value, str) or not value.strip():
            raise CatalogFormatError(
                f"expected a non-empty string, got {value!r}", path=path, record=record, field=key
            )
    return value


@dataclass(frozen=True)
class Escalation:
    """A fiscal-year cost index (e.g. NASA's New Start Inflation Index).

    Attributes
    ----------
    years : tuple of int
        Fiscal years of the table, increasing.
    index : tuple of float
        Index value of each year.
    name, source : str
        What the index is and where its values come from.
    """

    years: tuple[int, ...]
    index: tuple[float, ...]
    name: str
    source: str

    def factor(self, from_year: int, to_year: int) -> tuple[float, list[str]]:
        """Multiplier converting ``from_year`` dollars to ``to_year`` dollars.

        Years between two table entries are interpolated log-linearly (a
        constant annual rate) and flagged; a year after the last entry uses
        the last value (flagged); a year before the first raises.

        Returns
        -------
        factor : float
        flags : list of str
            A note for each interpolated year.

        Raises
        ------
        InputError
            For a year before the table.

        Examples
        --------
        >>> esc = Escalation((2010, 2020), (1.0, 1.2), "demo", "demo")
        >>> round(esc.factor(2010, 2020)[0], 6)
        1.2
        """
        flags: list[str] = []
        return self._value(to_year, flags) / self._value(from_year, flags), flags

    def _value(self, year: int, flags: list[str]) -> float:
        years, idx = self.years, self.index
        if year in years:
            return idx[years.index(year)]
        if year > years[-1]:
            flags.append(
                f"FY{year} is after the last {self.name} entry (FY{years[-1]}): "
                f"FY{year} money taken as FY{years[-1]} money [A]"
            )
            return idx[-1]
        if year < years[0]:
            raise InputError(
                f"no {self.name} value for FY{year} (table covers FY{years[0]}-FY{years[-1]})",
                option="dollar year",
            )
        k = next(i for i, y in enumerate(years) if y > year)
        y0, y1, i0, i1 = years[k - 1], years[k], idx[k - 1], idx[k]
        frac = (year - y0) / (y1 - y0)
        flags.append(f"FY{year} index interpolated log-linearly between FY{y0} and FY{y1} [A]")
        return i0 * (i1 / i0) ** frac


@dataclass(frozen=True)
class CostModel:
    """Contents of ``cost_model.toml`` (see that file for every source).

    Attributes
    ----------
    path : Path
        The file read.
    output_dollar_year : int
        Constant-year dollars of every reported cost.
    escalation : Escalation
    cer : dict
        CER tables by method name (``"sscm05"``, ``"uscm8"``).
    tables : dict
        The remaining tables as read (propulsion, launch,
        operations, reserves, development, lunar, environment).
    """

    path: Path
    output_dollar_year: int
    escalation: Escalation
    cer: dict
    tables: dict = field(repr=False)

    # -- typed accessors -------------------------------------------------
    def number(self, table: str, key: str, *, positive: bool = False) -> float:
        """A number of a top-level table (``model.number("reserves", "development_fraction")``)."""
        t = self._table(table)
        return _get(t, key, self.path, table, positive=positive)

    def text(self, table: str, key: str) -> str:
        """A string of a top-level table (sources, notes)."""
        return _get(self._table(table), key, self.path, table, kind=str)

    def _table(self, name: str) -> dict:
        parts = name.split(".")
        t = self.tables
        for p in parts:
            if not isinstance(t, dict) or p not in t:
                raise CatalogFormatError("missing table", path=self.path, record=name)
            t = t[p]
        return t

    def to_usd(self, value: float, currency: str, year: int) -> tuple[float, list[str]]:
        """Convert money of ``currency`` in ``year`` to US$ of the same year.

        Uses the annual average rates of ``[fx]`` (Federal Reserve G.5A); a
        year missing from the table uses the nearest year (flagged [A]).

        Raises
        ------
        InputError
            For a currency not in the table.
        """
        if currency == "USD":
            return float(value), []
        fx = self.tables.get("fx", {})
        years = fx.get("years", [])
        per_unit = fx.get("usd_per_unit", {})
        per_usd = fx.get("units_per_usd", {})
        if currency in per_unit:
            series, direct = per_unit[currency], True
        elif currency in per_usd:
            series, direct = per_usd[currency], False
        else:
            known = sorted({"USD", *per_unit, *per_usd})
            raise InputError(
                f"no exchange rate for {currency} in {self.path.name} (known: {', '.join(known)})",
                option="currency",
            )
        if len(series) != len(years) or not years:
            raise CatalogFormatError(
                "rate list and 'years' differ in length",
                path=self.path,
                record="fx",
                field=currency,
            )
        flags: list[str] = []
        k = min(range(len(years)), key=lambda i: (abs(years[i] - year), -years[i]))
        if years[k] != year:
            flags.append(
                f"{currency}->USD rate of {year} not tabulated: {years[k]} average used [A]"
            )
        rate = float(series[k])
        return (value * rate if direct else value / rate), flags

    def money_musd(self, value: float, currency: str, year: int) -> tuple[float, list[str]]:
        """Money in any tabulated currency and year -> $M of ``output_dollar_year``.

        Converted at the year's exchange rate, then escalated in US$ with the
        ``[escalation]`` index.

        Examples
        --------
        >>> m = load_cost_model()
        >>> round(m.money_musd(1.0e6, "USD", 2010)[0], 4)     # 1.906 / 1.384
        1.3772
        """
        usd, flags = self.to_usd(value, currency, year)
        f, more = self.escalation.factor(int(year), self.output_dollar_year)
        return usd * f / 1e6, flags + more

    def development_months(self, dev_class: str) -> tuple[float, str]:
        """Development time (months) and its source for a development class.

        Raises
        ------
        InputError
            If the class is not in the ``[development]`` tables.
        """
        classes = self.tables.get("development", {})
        if dev_class not in classes:
            raise InputError(
                f"no development time for class '{dev_class}' in {self.path.name} "
                f"(known: {', '.join(sorted(classes))})",
                option="development_class",
            )
        rec = f"development.{dev_class}"
        t = classes[dev_class]
        return _get(t, "months", self.path, rec, positive=True), _get(
            t, "source", self.path, rec, kind=str
        )

    def ops_class(self, dev_class: str) -> dict:
        """Staffing and pass plan of a development class (``[operations.class.*]``)."""
        classes = self.tables.get("operations", {}).get("class", {})
        if dev_class not in classes:
            raise InputError(
                f"no operations plan for class '{dev_class}' in {self.path.name} "
                f"(known: {', '.join(sorted(classes))})",
                option="development_class",
            )
        rec = f"operations.class.{dev_class}"
        t = classes[dev_class]
        out = {
            k: _get(t, k, self.path, rec)
            for k in ("technicians", "engineers", "contacts_per_week", "hours_per_contact")
        }
        out["source"] = _get(t, "source", self.path, rec, kind=str)
        return out

    def cer_value(self, method: str, key: str, *, positive: bool = False) -> float:
        """A number of a CER table (``cer_value("sscm05", "a")``)."""
        if method not in self.cer:
            raise InputError(
                f"unknown CER method '{method}' (known: {', '.join(sorted(self.cer))})",
                option="method",
            )
        return _get(self.cer[method], key, self.path, f"cer.{method}", positive=positive)

    def cer_text(self, method: str, key: str) -> str:
        """A string of a CER table (sources)."""
        return _get(self.cer[method], key, self.path, f"cer.{method}", kind=str)


def _parse(path: Path) -> CostModel:
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogFormatError(f"not valid TOML ({exc})", path=path) from None
    year = raw.get("output_dollar_year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise CatalogFormatError(
            f"expected an integer fiscal year, got {year!r}",
            path=path,
            field="output_dollar_year",
        )
    esc = raw.get("escalation")
    if not isinstance(esc, dict):
        raise CatalogFormatError("missing table", path=path, record="escalation")
    years, index = esc.get("years"), esc.get("index")
    if (
        not isinstance(years, list)
        or not isinstance(index, list)
        or len(years) != len(index)
        or len(years) < 2
        or not all(isinstance(y, int) for y in years)
        or any(b <= a for a, b in itertools.pairwise(years))
    ):
        raise CatalogFormatError(
            "expected increasing integer 'years' and an 'index' list of the same length",
            path=path,
            record="escalation",
            field="years",
        )
    for i, v in enumerate(index):
        if isinstance(v, bool) or not isinstance(v, int | float) or not v > 0:
            raise CatalogFormatError(
                f"index value #{i + 1} must be a positive number, got {v!r}",
                path=path,
                record="escalation",
                field="index",
            )
    escalation = Escalation(
        tuple(years),
        tuple(float(v) for v in index),
        _get(esc, "name", path, "escalation", kind=str),
        _get(esc, "source", path, "escalation", kind=str),
    )
    cer = raw.get("cer")
    if not isinstance(cer, dict) or not cer:
        raise CatalogFormatError("missing table", path=path, record="cer")
    tables = {k: v for k, v in raw.items() if isinstance(v, dict) and k not in ("cer",)}
    return CostModel(Path(path), year, escalation, cer, tables)


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> CostModel:
    return _parse(Path(path))


def load_cost_model(path: str | Path | None = None) -> CostModel:
    """Read the cost model (default: the shipped ``catalogs/cost_model.toml``).

    Parameters
    ----------
    path : str or Path, optional
        Another cost-model file of the same schema.

    Raises
    ------
    CatalogFormatError
        Naming the file, the table and the key of a bad value.

    Examples
    --------
    >>> m = load_cost_model()
    >>> m.output_dollar_year
    2025
    >>> m.development_months("microsat_deep_space")[0]
    10.0
    """
    p = Path(path) if path is not None else catalog_path(COST_MODEL_FILE)
    return _cached(str(p), p.stat().st_mtime)
