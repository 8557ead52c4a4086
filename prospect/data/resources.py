"""Resource yields and prices (``catalogs/resources.toml``)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from prospect.data._toml import (
    _bool,
    _check_keys,
    _choice,
    _fmt,
    _num,
    _path_or_shipped,
    _read_toml,
    _str,
    _Where,
)
from prospect.data.vocabulary import (
    CURRENCIES,
    PRICE_LOCATIONS,
    RESOURCES_FILE,
    SITE_CATEGORIES,
    VALUE_CONFIDENCE,
    YIELD_RESOURCES,
    YIELD_UNITS,
    PathArg,
)

# ----------------------------------------------------------------- resources


@dataclass(frozen=True)
class ResourceYield:
    """A concentration range of one resource in a class of targets (see resources.toml)."""

    name: str
    resource: str
    body: str
    classes: tuple[str, ...]
    unit: str
    low: float
    high: float
    typical: float
    analogue: str
    assumption: bool
    source: str
    confidence: str

    @property
    def mass_fraction(self) -> tuple[float, float]:
        """(low, high) as dimensionless mass fractions."""
        scale = {"wt%": 1e-2, "ppm": 1e-6, "ppb": 1e-9}[self.unit]
        return self.low * scale, self.high * scale


@dataclass(frozen=True)
class ResourcePrice:
    """A planning price per kg of a commodity at a location (an assumption)."""

    name: str
    commodity: str
    location: str
    value: float
    unit: str
    year: int
    low: float
    high: float
    assumption: bool
    rationale: str
    source: str
    confidence: str


@dataclass(frozen=True)
class ResourceCatalog:
    """Yields and prices from ``resources.toml``."""

    yields: Mapping[str, ResourceYield]
    prices: Mapping[str, ResourcePrice]
    path: str | None = None

    def yields_for(
        self, target_class: str, *, body: str | None = None, resource: str | None = None
    ) -> list[ResourceYield]:
        """Yield records that list `target_class` (exact, case-sensitive: "C", "polar_psr").

        Examples
        --------
        >>> [y.name for y in load_resources().yields_for("mare_ti")]
        ['he3-high-ti-mare', 'ilmenite-high-ti-mare']
        """
        return [
            y
            for y in self.yields.values()
            if target_class in y.classes
            and (body is None or y.body == body)
            and (resource is None or y.resource == resource)
        ]


def _parse_yield(name, t, where) -> ResourceYield:
    if not isinstance(t, Mapping):
        raise where.error(f"expected a table, got {_fmt(t)}")
    _check_keys(
        t,
        (
            "resource",
            "body",
            "classes",
            "unit",
            "low",
            "high",
            "typical",
            "analogue",
            "assumption",
            "source",
            "confidence",
        ),
        where,
    )
    body = _choice(t, "body", ("nea", "moon"), where, required=True)
    classes = t.get("classes")
    if not isinstance(classes, list) or not classes or not all(isinstance(c, str) for c in classes):
        raise where.error("expected a non-empty list of class names", field="classes")
    if body == "moon":
        for c in classes:
            if c not in SITE_CATEGORIES:
                raise where.error(f"unknown Moon-site category {c!r}", field="classes")
    unit = _choice(t, "unit", YIELD_UNITS, where, required=True)
    low = _num(t, "low", where, required=True, nonneg=True).value
    high = _num(t, "high", where, required=True, nonneg=True).value
    typ = _num(t, "typical", where, nonneg=True)
    if high < low:
        raise where.error(f"high {high:g} is below low {low:g}", field="high")
    if typ is not None and not low <= typ.value <= high:
        raise where.error(f"typical {typ.value:g} is outside [{low:g}, {high:g}]", field="typical")
    if unit == "wt%" and high > 100:
        raise where.error(f"{high:g} wt% is above 100", field="high")
    if "assumption" not in t:
        raise where.error("missing required field", field="assumption")
    conf = _choice(t, "confidence", VALUE_CONFIDENCE, where, required=True)
    return ResourceYield(
        name=name,
        resource=_choice(t, "resource", YIELD_RESOURCES, where, required=True),
        body=body,
        classes=tuple(classes),
        unit=unit,
        low=low,
        high=high,
        typical=typ.value if typ else math.nan,
        analogue=_str(t, "analogue", where),
        assumption=_bool(t, "assumption", where),
        source=_str(t, "source", where, required=True),
        confidence=conf,
    )


def _parse_price(name, t, where) -> ResourcePrice:
    if not isinstance(t, Mapping):
        raise where.error(f"expected a table, got {_fmt(t)}")
    _check_keys(
        t,
        (
            "commodity",
            "location",
            "value",
            "unit",
            "year",
            "low",
            "high",
            "assumption",
            "rationale",
            "source",
            "confidence",
        ),
        where,
    )
    value = _num(t, "value", where, required=True, positive=True).value
    low = _num(t, "low", where, positive=True)
    high = _num(t, "high", where, positive=True)
    if low is not None and low.value > value:
        raise where.error(f"low {low.value:g} is above the value {value:g}", field="low")
    if high is not None and high.value < value:
        raise where.error(f"high {high.value:g} is below the value {value:g}", field="high")
    year = t.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise where.error(f"year must be an integer, got {_fmt(year)}", field="year")
    if "assumption" not in t:
        raise where.error("missing required field", field="assumption")
    unit = _str(t, "unit", where, required=True)
    if not re.match(r"^[A-Z]{3}/kg$", unit) or unit[:3] not in CURRENCIES:
        raise where.error(f"unit {unit!r} is not '<currency>/kg'", field="unit")
    return ResourcePrice(
        name=name,
        commodity=_choice(t, "commodity", YIELD_RESOURCES, where, required=True),
        location=_choice(t, "location", PRICE_LOCATIONS, where, required=True),
        value=value,
        unit=unit,
        year=year,
        low=low.value if low else math.nan,
        high=high.value if high else math.nan,
        assumption=_bool(t, "assumption", where),
        rationale=_str(t, "rationale", where),
        source=_str(t, "source", where, required=True),
        confidence=_choice(t, "confidence", VALUE_CONFIDENCE, where, required=True),
    )


def load_resources(path: PathArg | None = None) -> ResourceCatalog:
    """Load resource yields and prices (default ``catalogs/resources.toml``).

    Examples
    --------
    >>> cat = load_resources()
    >>> cat.prices["water-lunar-surface"].assumption
    True
    """
    path = _path_or_shipped(path, RESOURCES_FILE)
    doc = _read_toml(path)
    where = _Where(path)
    _check_keys(doc, ("yield", "price"), where)
    if not doc:
        raise where.error("no [yield.*] or [price.*] tables")
    out = {}
    for section, parse in (("yield", _parse_yield), ("price", _parse_price)):
        raw = doc.get(section, {})
        if not isinstance(raw, Mapping):
            raise where.error(f"[{section}.*] must be tables", field=section)
        out[section] = MappingProxyType(
            {n: parse(n, t, where.at(f"{section}.{n}")) for n, t in raw.items()}
        )
    return ResourceCatalog(yields=out["yield"], prices=out["price"], path=str(path))
