"""Expected resource yield and its value, by target class.

Concentrations come from ``catalogs/resources.toml``
(:func:`prospect.data.load_resources`): water in C/B-type NEAs (CI/CM
chondrite analogues), Ni and PGMs in M-types, metal in S-types, water ice at
polar PSR sites, He-3 and ilmenite in high-Ti maria, ...  Every record is
itself labelled an assumption (a meteorite analogue applied to a class).

A mission's yield is ``feedstock_kg x grade x recovery`` for each resource
the class carries: ``feedstock_kg`` is the mass of regolith or asteroid
material the mission processes or returns, ``recovery`` the fraction of the
resource it extracts (1 = all of it, an upper bound).  Both are inputs: the
shipped mission profiles publish no processing throughput.  The expected
grade of a resource is the mean over its records of the ``typical`` value
(the middle of the range where none is given); the range runs from the
lowest ``low`` to the highest ``high``.

Prices per kg are planning assumptions (``[price.*]`` of resources.toml,
each flagged ``assumption = true``); a user price (``--price water=500``, in
US$/kg of the cost model's output year) replaces them.  The price location
follows where the product is used: lunar-surface prices for Moon sites, LEO
prices for asteroid products, Earth prices for products returned to Earth.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from prospect.cost.model import CostModel, load_cost_model
from prospect.errors import InputError

__all__ = [
    "ResourceEstimate",
    "YieldValue",
    "check_prices",
    "known_commodities",
    "parse_prices",
    "yield_value",
]

_SCALE = {"wt%": 1e-2, "ppm": 1e-6, "ppb": 1e-9}

#: Price locations tried in order, by where the product ends up.
LOCATION_ORDER = {
    "moon": ("lunar_surface", "cislunar", "leo", "earth"),
    "nea": ("leo", "cislunar", "earth"),
    "earth": ("earth", "leo", "cislunar", "lunar_surface"),
}


def parse_prices(items: Sequence[str] | None, resources=None) -> dict[str, float]:
    """Parse ``["water=500", "pgm=30000"]`` into ``{commodity: US$/kg}``.

    Each commodity must be one of the resource catalog's (:func:`check_prices`).

    Raises
    ------
    InputError
        For an item that is not ``name=number`` with a finite number >= 0, or
        names a commodity the catalog does not know (names ``prices``).

    Examples
    --------
    >>> parse_prices(["water=500", "pgm=3e4"])
    {'water': 500.0, 'pgm': 30000.0}
    """
    out: dict[str, float] = {}
    for item in items or ():
        name, sep, num = str(item).partition("=")
        name = name.strip()
        try:
            value = float(num)
        except ValueError:
            value = math.nan
        if not sep or not name or not (math.isfinite(value) and value >= 0):
            raise InputError(
                f"expected COMMODITY=US$/kg with a number >= 0, got {item!r}", option="prices"
            )
        out[name] = value
    return check_prices(out, resources)


def known_commodities(resources=None) -> list[str]:
    """Commodities a price may be given for: every resource of the catalog's yield
    records and every commodity it prices (default :func:`prospect.data.load_resources`).

    Examples
    --------
    >>> "water" in known_commodities(), "unobtainium" in known_commodities()
    (True, False)
    """
    if resources is None:
        from prospect.data import load_resources

        resources = load_resources()
    names = {y.resource for y in resources.yields.values()}
    names |= {p.commodity for p in resources.prices.values()}
    return sorted(names)


def check_prices(prices: Mapping[str, float] | None, resources=None) -> dict[str, float]:
    """User prices ``{commodity: US$/kg}`` checked: known commodities, finite numbers >= 0.

    Raises
    ------
    InputError
        A commodity not in :func:`known_commodities` (listing them), or a price
        that is not a finite number >= 0 (names ``prices``).

    Examples
    --------
    >>> check_prices({"unobtainium": 5.0})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    prospect.errors.InputError: prices: unknown commodity 'unobtainium'; known: ...water
    """
    if prices is None:
        return {}
    if not isinstance(prices, Mapping):
        raise InputError(
            f"expected a mapping commodity -> US$/kg, got {type(prices).__name__}",
            option="prices",
        )
    known = known_commodities(resources)
    out = {}
    for name, value in prices.items():
        if name not in known:
            raise InputError(
                f"unknown commodity {name!r}; known: {', '.join(known)}", option="prices"
            )
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if isinstance(value, bool) or not (math.isfinite(number) and number >= 0):
            raise InputError(
                f"price of {name} must be a number >= 0 US$/kg, got {value!r}", option="prices"
            )
        out[name] = number
    return out


@dataclass(frozen=True)
class ResourceEstimate:
    """Yield and value of one resource (masses kg, money $M of the output year)."""

    resource: str
    grade_low: float
    grade_expected: float
    grade_high: float
    mass_low_kg: float
    mass_expected_kg: float
    mass_high_kg: float
    price_usd_per_kg: float | None
    price_low_usd_per_kg: float | None
    price_high_usd_per_kg: float | None
    price_location: str | None
    price_source: str
    price_is_assumption: bool
    value_low_musd: float
    value_expected_musd: float
    value_high_musd: float
    records: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class YieldValue:
    """Yield of a mission at a target and its value.

    Attributes
    ----------
    target_class : str or None
        Taxonomic class (NEA) or site category (Moon) used.
    body : str
        ``"nea"`` or ``"moon"``.
    feedstock_kg, recovery : float
    resources : list of ResourceEstimate
    flags : list of str
    """

    target_class: str | None
    body: str
    feedstock_kg: float
    recovery: float
    resources: list[ResourceEstimate]
    flags: list[str] = field(default_factory=list)

    @property
    def mass_expected_kg(self) -> float:
        return float(sum(r.mass_expected_kg for r in self.resources))

    @property
    def value_expected_musd(self) -> float:
        return float(sum(r.value_expected_musd for r in self.resources))

    @property
    def value_low_musd(self) -> float:
        return float(sum(r.value_low_musd for r in self.resources))

    @property
    def value_high_musd(self) -> float:
        return float(sum(r.value_high_musd for r in self.resources))

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(
            mass_expected_kg=self.mass_expected_kg,
            value_expected_musd=self.value_expected_musd,
            value_low_musd=self.value_low_musd,
            value_high_musd=self.value_high_musd,
        )
        return d


def _price(catalog, resource: str, location_order, model: CostModel, flags: list[str]):
    prices = [p for p in catalog.prices.values() if p.commodity == resource]
    for loc in location_order:
        for p in prices:
            if p.location == loc:
                cur = p.unit.split("/")[0]
                per = model.money_musd(p.value, cur, p.year)
                lo = model.money_musd(p.low, cur, p.year) if math.isfinite(p.low) else None
                hi = model.money_musd(p.high, cur, p.year) if math.isfinite(p.high) else None
                for f in per[1]:
                    if f not in flags:
                        flags.append(f)
                return (
                    per[0] * 1e6,
                    lo[0] * 1e6 if lo else None,
                    hi[0] * 1e6 if hi else None,
                    p.location,
                    f"{p.name}: {p.rationale} ({p.source})",
                    bool(p.assumption),
                )
    return None


def yield_value(
    target_class: str | None,
    body: str,
    feedstock_kg: float,
    *,
    recovery: float = 1.0,
    destination: str | None = None,
    prices: Mapping[str, float] | None = None,
    resources=None,
    model: CostModel | None = None,
) -> YieldValue:
    """Expected yield and value of processing ``feedstock_kg`` at a target.

    Parameters
    ----------
    target_class : str or None
        Asteroid taxonomic class (``"C"``, ``"M"``, ...) or Moon-site category
        (``"polar_psr"``, ``"mare_ti"``, ...); None when unknown (no yield).
    body : {"nea", "moon"}
    feedstock_kg : float
        Material processed or returned, kg (>= 0).
    recovery : float
        Fraction of the resource extracted, in (0, 1].
    destination : {"moon", "nea", "earth"}, optional
        Where the product is sold (default: ``body``; ``"earth"`` for a sample
        return).
    prices : mapping commodity -> US$/kg, optional
        User prices (output-year dollars) replacing the catalog's.
    resources : ResourceCatalog, optional
        Default :func:`prospect.data.load_resources`.
    model : CostModel, optional

    Returns
    -------
    YieldValue

    Examples
    --------
    >>> yv = yield_value("C", "nea", 1000.0, prices={"water": 7000.0})
    >>> [r.resource for r in yv.resources]
    ['water']
    >>> round(yv.resources[0].grade_expected, 4)   # mean of 20.9, 10.45 and 5.5 wt%
    0.1228
    """
    if body not in ("nea", "moon"):
        raise InputError(f"body must be 'nea' or 'moon', got {body!r}", option="body")
    if not (math.isfinite(feedstock_kg) and feedstock_kg >= 0):
        raise InputError(f"must be >= 0 kg, got {feedstock_kg!r}", option="feedstock_kg")
    if not (math.isfinite(recovery) and 0 < recovery <= 1):
        raise InputError(f"must be in (0, 1], got {recovery!r}", option="recovery")
    if resources is None:
        from prospect.data import load_resources

        resources = load_resources()
    model = model or load_cost_model()
    prices = dict(prices or {})
    flags: list[str] = []
    if target_class is None:
        flags.append(
            "target class unknown: no resource estimate (give the taxonomic class, e.g. "
            "--target-class C)"
        )
        return YieldValue(None, body, feedstock_kg, recovery, [], flags)
    records = resources.yields_for(target_class, body=body)
    if not records:
        flags.append(f"no resource yield recorded for class {target_class!r} ({body})")
        return YieldValue(target_class, body, feedstock_kg, recovery, [], flags)
    if feedstock_kg == 0:
        flags.append(
            "no feedstock given: the yield is 0 kg (a prospecting mission returns data; give "
            "--feedstock-kg for the material it processes or returns)"
        )
    order = LOCATION_ORDER[destination or body]
    by_resource: dict[str, list] = {}
    for r in records:
        by_resource.setdefault(r.resource, []).append(r)
    m = feedstock_kg * recovery
    out = [
        _estimate(res, recs, m, prices, resources, order, model, flags)
        for res, recs in by_resource.items()
    ]
    unused = sorted(set(prices) - set(by_resource))
    if unused:
        flags.append(f"--price given for {', '.join(unused)}: not a resource of this target")
    return YieldValue(target_class, body, feedstock_kg, recovery, out, flags)


def _estimate(res, recs, m, prices, resources, order, model, flags) -> ResourceEstimate:
    """Grades, masses and value of one resource from its yield records (``m`` kg processed)."""
    scale = [_SCALE[r.unit] for r in recs]
    lows = [r.low * s for r, s in zip(recs, scale, strict=True)]
    highs = [r.high * s for r, s in zip(recs, scale, strict=True)]
    mids = [
        (r.typical if math.isfinite(r.typical) else 0.5 * (r.low + r.high)) * s
        for r, s in zip(recs, scale, strict=True)
    ]
    g_lo, g_hi, g_ex = min(lows), max(highs), float(np.mean(mids))
    if res in prices:
        pr = (prices[res], None, None, "user", "user price (--price)", True)
        flags.append(f"{res}: user price US$ {prices[res]:g}/kg (FY{model.output_dollar_year})")
    else:
        pr = _price(resources, res, order, model, flags)
    if pr is None:
        flags.append(f"{res}: no price in the resource catalog: valued at 0 (give --price)")
        price = p_lo = p_hi = None
        loc, psrc, passump = None, "", False
        v_lo = v_ex = v_hi = 0.0
    else:
        price, p_lo, p_hi, loc, psrc, passump = pr
        v_ex = m * g_ex * price / 1e6
        v_lo = m * g_lo * (p_lo if p_lo is not None else price) / 1e6
        v_hi = m * g_hi * (p_hi if p_hi is not None else price) / 1e6
    return ResourceEstimate(
        resource=res,
        grade_low=g_lo,
        grade_expected=g_ex,
        grade_high=g_hi,
        mass_low_kg=m * g_lo,
        mass_expected_kg=m * g_ex,
        mass_high_kg=m * g_hi,
        price_usd_per_kg=price,
        price_low_usd_per_kg=p_lo,
        price_high_usd_per_kg=p_hi,
        price_location=loc,
        price_source=psrc,
        price_is_assumption=passump,
        value_low_musd=v_lo,
        value_expected_musd=v_ex,
        value_high_musd=v_hi,
        records=[r.name for r in recs],
        sources=[f"{r.name}: {r.source}" for r in recs],
    )
