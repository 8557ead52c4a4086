"""Launch vehicles and rideshare tariffs (``catalogs/launchers.toml``): the typed
:class:`Launcher` with its :class:`Price` and :class:`Rideshare` records.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from prospect.data._toml import (
    _bool,
    _check_keys,
    _choice,
    _fmt,
    _load_named_tables,
    _lookup,
    _num,
    _path_or_shipped,
    _plain_number,
    _str,
    _Where,
    _year,
)
from prospect.data.vocabulary import (
    CURRENCIES,
    LAUNCH_MODES,
    LAUNCHERS_FILE,
    PathArg,
)

# ----------------------------------------------------------------- launchers


@dataclass(frozen=True)
class Price:
    """A price with its currency, year and provenance (nominal money)."""

    value: float
    currency: str
    year: int | None
    estimate: bool
    source: str
    low: float = math.nan
    high: float = math.nan


@dataclass(frozen=True)
class Rideshare:
    """A rideshare tariff: ``base_price`` up to ``base_mass_kg``, then ``price_per_kg``."""

    base_price: float
    base_mass_kg: float
    price_per_kg: float
    currency: str
    year: int | None
    orbit: str
    estimate: bool
    sources: Mapping[str, str]

    def price_for(self, mass_kg):
        """Launch price for `mass_kg` (array_like); NaN beyond the base mass when no
        per-kg rate is published.

        Examples
        --------
        >>> float(get_launcher("falcon-9-rideshare").rideshare.price_for(200.0))
        1400000.0
        """
        m = np.asarray(mass_kg, dtype=float)
        over = np.maximum(m - self.base_mass_kg, 0.0)
        with np.errstate(invalid="ignore"):
            price = np.where(over > 0, self.base_price + over * self.price_per_kg, self.base_price)
        price = np.where(m >= 0, price, np.nan)
        return price[()] if price.ndim == 0 else price


@dataclass(frozen=True)
class Launcher:
    """A launch vehicle or rideshare service.

    Payload capabilities in kg (NaN when not given); ``c3_km2_s2``/``c3_payload_kg``
    hold the payload-vs-C3 table (empty when none is published).
    """

    name: str
    label: str
    provider: str
    country: str
    modes: tuple[str, ...]
    price: Price | None = None
    leo_kg: float = math.nan
    sso_kg: float = math.nan
    gto_kg: float = math.nan
    tli_kg: float = math.nan
    mars_kg: float = math.nan
    c3_km2_s2: np.ndarray = field(default_factory=lambda: np.empty(0))
    c3_payload_kg: np.ndarray = field(default_factory=lambda: np.empty(0))
    c3_source: str = ""
    c3_estimate: bool = False
    rideshare: Rideshare | None = None
    notes: str = ""
    sources: Mapping[str, str] = field(default_factory=dict)
    estimates: frozenset[str] = frozenset()
    path: str | None = None

    @property
    def speculative(self) -> bool:
        """A projected vehicle: label says "projected" or notes say "do not use for
        baseline" (its price and capability are speculative).

        Examples
        --------
        >>> get_launcher("falcon-9").speculative
        False
        """
        return "projected" in self.label.lower() or "do not use for baseline" in self.notes.lower()

    def payload_at_c3(self, c3_km2_s2):
        """Payload (kg) at launch energy `c3_km2_s2`: :func:`payload_at_c3` on this
        launcher's published table (NaN outside it or without a table).

        Examples
        --------
        >>> float(get_launcher("falcon-heavy-expendable").payload_at_c3(10.0))
        12433.0
        """
        return payload_at_c3(self.c3_km2_s2, self.c3_payload_kg, c3_km2_s2)


def payload_at_c3(c3_table_km2_s2, payload_table_kg, c3_km2_s2):
    """Payload at a launch energy by linear interpolation in a published table.

    The one policy for a C3 outside the table: a launcher user's guide (NASA LSP
    performance curves, the Arianespace Soyuz manual) publishes performance only over
    the C3 range it tabulates, so a C3 below the first entry or above the last is
    outside the published performance and gets NaN (not extrapolated, not clamped);
    :func:`c3_outside_table` says why.

    Parameters
    ----------
    c3_table_km2_s2 : array_like, shape (k,)
        Strictly increasing C3 values of the table, km^2/s^2 (k = 0: no table).
    payload_table_kg : array_like, shape (k,)
        Payload at each C3, kg.
    c3_km2_s2 : array_like, shape (...)
        Launch energies, km^2/s^2.

    Returns
    -------
    ndarray or float, shape (...)
        Payload, kg; NaN outside the table, without a table, or for a NaN C3.

    Examples
    --------
    >>> float(payload_at_c3([1.0, 5.0], [14714.0, 13682.0], 3.0))
    14198.0
    >>> payload_at_c3([1.0, 5.0], [14714.0, 13682.0], [-2.0, 6.0])
    array([nan, nan])
    """
    c3s = np.asarray(c3_table_km2_s2, dtype=float)
    pay = np.asarray(payload_table_kg, dtype=float)
    c3 = np.asarray(c3_km2_s2, dtype=float)
    if c3s.size == 0:
        out = np.full(c3.shape, np.nan)
    else:
        out = np.interp(c3, c3s, pay)
        out = np.where((c3 >= c3s[0]) & (c3 <= c3s[-1]), out, np.nan)
    return out[()] if out.ndim == 0 else out


def c3_outside_table(c3_table_km2_s2, c3_km2_s2: float) -> str:
    """Why :func:`payload_at_c3` gives NaN at `c3_km2_s2` ("" inside the table).

    Examples
    --------
    >>> c3_outside_table([0.0, 10.0], -2.0)[:48]
    'C3 -2.00 km^2/s^2 is below the published table ('
    >>> c3_outside_table([0.0, 10.0], 5.0)
    ''
    """
    c3s = np.asarray(c3_table_km2_s2, dtype=float)
    if c3s.size == 0:
        return "no published payload-vs-C3 table"
    if c3_km2_s2 < c3s[0]:
        return (
            f"C3 {c3_km2_s2:.2f} km^2/s^2 is below the published table (first entry "
            f"{c3s[0]:g}): outside the published performance, not extrapolated"
        )
    if c3_km2_s2 > c3s[-1]:
        return (
            f"C3 {c3_km2_s2:.2f} km^2/s^2 is beyond the published table (max "
            f"{c3s[-1]:g}); not extrapolated"
        )
    return ""


_LAUNCHER_KEYS = (
    "label",
    "provider",
    "country",
    "modes",
    "notes",
    "price",
    "leo_kg",
    "sso_kg",
    "gto_kg",
    "tli_kg",
    "mars_kg",
    "c3",
    "rideshare",
)


def _parse_c3_table(name: str, c3t: Any, where: _Where) -> dict:
    """The ``[<name>.c3]`` payload-vs-C3 table: strictly increasing C3, payload not growing."""
    cw = where.at(f"{name}.c3")
    if not isinstance(c3t, Mapping):
        raise where.error(f"expected a table, got {_fmt(c3t)}", field="c3")
    _check_keys(c3t, ("c3_km2_s2", "payload_kg", "source", "estimate"), cw)
    arrays = []
    for key in ("c3_km2_s2", "payload_kg"):
        vals = c3t.get(key)
        if not isinstance(vals, list) or len(vals) < 2:
            raise cw.error("expected a list of at least 2 numbers", field=key)
        arrays.append(np.array([_plain_number(v, key, cw) for v in vals]))
    c3, pay = arrays
    if c3.size != pay.size:
        raise cw.error(f"{pay.size} payloads for {c3.size} C3 values", field="payload_kg")
    if np.any(np.diff(c3) <= 0):
        raise cw.error("C3 values must increase strictly", field="c3_km2_s2")
    if np.any(pay < 0):
        raise cw.error("negative payload", field="payload_kg")
    if np.any(np.diff(pay) > 0):
        raise cw.error("payload must not grow with C3", field="payload_kg")
    c3.setflags(write=False)
    pay.setflags(write=False)
    return dict(
        c3_km2_s2=c3,
        c3_payload_kg=pay,
        c3_source=_str(c3t, "source", cw),
        c3_estimate=_bool(c3t, "estimate", cw),
    )


def _parse_rideshare(name: str, rt: Any, where: _Where) -> Rideshare:
    """The ``[<name>.rideshare]`` tariff."""
    rw = where.at(f"{name}.rideshare")
    if not isinstance(rt, Mapping):
        raise where.error(f"expected a table, got {_fmt(rt)}", field="rideshare")
    _check_keys(
        rt,
        ("base_price", "base_mass_kg", "price_per_kg", "currency", "year", "orbit"),
        rw,
    )
    bp = _num(rt, "base_price", rw, required=True, positive=True)
    bm = _num(rt, "base_mass_kg", rw, required=True, positive=True)
    pk = _num(rt, "price_per_kg", rw, positive=True)
    currency = _choice(rt, "currency", CURRENCIES, rw, required=True)
    year = rt.get("year")
    if year is not None:
        year = _year(year, "year", rw)
    rs_sources = {
        k: n.source
        for k, n in (("base_price", bp), ("base_mass_kg", bm), ("price_per_kg", pk))
        if n and n.source
    }
    return Rideshare(
        base_price=bp.value,
        base_mass_kg=bm.value,
        price_per_kg=pk.value if pk else math.nan,
        currency=currency,
        year=year,
        orbit=_str(rt, "orbit", rw),
        estimate=any(n.estimate for n in (bp, bm, pk) if n),
        sources=MappingProxyType(rs_sources),
    )


def _parse_launcher(name: str, table: Any, where: _Where) -> Launcher:
    if not isinstance(table, Mapping):
        raise where.error(f"expected a table, got {_fmt(table)}")
    _check_keys(table, _LAUNCHER_KEYS, where)
    modes = table.get("modes")
    if not isinstance(modes, list) or not modes:
        raise where.error("expected a non-empty list of launch modes", field="modes")
    for m in modes:
        if not isinstance(m, str) or m not in LAUNCH_MODES:
            raise where.error(
                f"unknown launch mode {m!r} (expected some of: {', '.join(LAUNCH_MODES)})",
                field="modes",
            )
    sources: dict[str, str] = {}
    estimates: set[str] = set()
    kw: dict[str, Any] = {
        "name": name,
        "label": _str(table, "label", where) or name,
        "provider": _str(table, "provider", where),
        "country": _str(table, "country", where),
        "modes": tuple(modes),
        "notes": _str(table, "notes", where),
        "path": str(where.path),
    }
    for key in ("leo_kg", "sso_kg", "gto_kg", "tli_kg", "mars_kg"):
        num = _num(table, key, where, positive=True)
        if num is not None:
            kw[key] = num.value
            if num.source:
                sources[key] = num.source
            if num.estimate:
                estimates.add(key)
    price = _num(table, "price", where, positive=True, money=True)
    if price is not None:
        if not price.currency:
            raise where.error("a price needs a currency", field="price")
        kw["price"] = Price(
            price.value,
            price.currency,
            price.year,
            price.estimate,
            price.source,
            price.low,
            price.high,
        )
        if price.source:
            sources["price"] = price.source
        if price.estimate:
            estimates.add("price")
    if "c3" in table:
        kw.update(_parse_c3_table(name, table["c3"], where))
    if "c3" in modes and "c3" not in table:
        raise where.error("launch mode 'c3' needs a [c3] payload table", field="modes")
    if "rideshare" in table:
        kw["rideshare"] = _parse_rideshare(name, table["rideshare"], where)
    if any(m.startswith("rideshare") for m in modes) and "rideshare" not in table:
        raise where.error("a rideshare mode needs a [rideshare] tariff table", field="modes")
    kw["sources"] = MappingProxyType(sources)
    kw["estimates"] = frozenset(estimates)
    return Launcher(**kw)


def load_launchers(path: PathArg | None = None) -> dict[str, Launcher]:
    """Load launch vehicles and rideshare tariffs (default ``catalogs/launchers.toml``).

    Returns ``{name: Launcher}`` in file order; raises :class:`CatalogFormatError`
    for a file that breaks a rule.

    Examples
    --------
    >>> lv = load_launchers()
    >>> lv["falcon-9"].leo_kg
    22800.0
    """
    return _load_named_tables(_path_or_shipped(path, LAUNCHERS_FILE), _parse_launcher)


def get_launcher(name: str, launchers: Mapping[str, Launcher] | None = None) -> Launcher:
    """A launcher by name (case-insensitive); :class:`UnknownNameError` if unknown.

    Examples
    --------
    >>> get_launcher("Electron").country
    'NZ'
    """
    launchers = load_launchers() if launchers is None else launchers
    return _lookup("launcher", name, launchers)
