"""Parsing helpers shared by the catalog loaders: one-line errors naming file,
record and field; typed field readers; sourced numbers; name lookups.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prospect._resources import catalog_path
from prospect.data.vocabulary import (
    CURRENCIES,
    VALUE_CONFIDENCE,
    YEAR_RANGE,
    PathArg,
    _is_date,
)
from prospect.errors import CatalogFormatError, UnknownNameError


def _fmt(x: Any) -> str:
    return repr(x) if isinstance(x, str) else str(x)


class _Where:
    """File + record context used to raise one-line CatalogFormatErrors."""

    def __init__(self, path: Path, record: int | str | None = None):
        self.path = path
        self.record = record

    def at(self, record: int | str) -> _Where:
        return _Where(self.path, record)

    def error(self, message: str, field: str | None = None) -> CatalogFormatError:
        return CatalogFormatError(message, path=self.path, record=self.record, field=field)


def _read_utf8(path: Path, kind: str) -> str:
    """Text of a UTF-8 data file (a BOM is allowed); CatalogFormatError naming the line
    of the first byte that is not UTF-8, or a NUL byte (binary data)."""
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        raise CatalogFormatError(
            f"not UTF-8 text (byte 0x{data[start]:02x}); save the {kind} file as UTF-8",
            path=path,
            record=data[:start].count(b"\n") + 1,
        ) from None
    if "\x00" in text:
        raise CatalogFormatError(
            f"binary data (a NUL byte) in a {kind} file",
            path=path,
            record=text[: text.index("\x00")].count("\n") + 1,
        )
    return text


def _read_toml(path: Path) -> dict:
    """The TOML document of ``path``; CatalogFormatError naming the line for text that
    is not UTF-8, not TOML, or nested too deeply for the parser."""
    text = _read_utf8(path, "TOML")
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise CatalogFormatError("invalid TOML: nested too deeply", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        raise CatalogFormatError(f"invalid TOML: {msg}", path=path, record=line) from None


def _check_keys(table: Mapping, allowed: Iterable[str], where: _Where) -> None:
    allowed = set(allowed)
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise where.error(f"unknown field{hint}", field=key)


def _str(table: Mapping, key: str, where: _Where, *, required=False, default="") -> str:
    if key not in table:
        if required:
            raise where.error("missing required field", field=key)
        return default
    value = table[key]
    if not isinstance(value, str):
        raise where.error(f"expected text, got {_fmt(value)}", field=key)
    return value.strip()


def _choice(table, key, choices, where, *, required=False, default=None) -> str:
    value = _str(table, key, where, required=required, default=default or "")
    if value == "" and not required:
        return default
    if value not in choices:
        raise where.error(
            f"unknown value {value!r} (expected one of: {', '.join(choices)})", field=key
        )
    return value


def _bool(table, key, where, *, default=False) -> bool:
    if key not in table:
        return default
    value = table[key]
    if not isinstance(value, bool):
        raise where.error(f"expected true or false, got {_fmt(value)}", field=key)
    return value


def _date(table, key, where, *, required=False) -> str:
    value = _str(table, key, where, required=required)
    if value and not _is_date(value):
        raise where.error(
            f"date {value!r} is not a calendar date YYYY, YYYY-MM or YYYY-MM-DD", field=key
        )
    return value


def _year(value: Any, key: str, where: _Where) -> int:
    """A whole year within :data:`prospect.data.vocabulary.YEAR_RANGE`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(f"year must be an integer, got {_fmt(value)}", field=key)
    lo, hi = YEAR_RANGE
    if not lo <= value <= hi:
        raise where.error(f"year {value} is outside {lo}-{hi}", field=key)
    return value


def _plain_number(value: Any, key: str, where: _Where) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.error(f"expected a number, got {_fmt(value)}", field=key)
    value = float(value)
    if not math.isfinite(value):
        raise where.error(f"value {value} is not finite", field=key)
    return value


_SOURCED_KEYS = ("value", "source", "confidence", "estimate", "low", "high", "currency", "year")


@dataclass(frozen=True)
class _Num:
    value: float
    source: str = ""
    confidence: str = ""
    estimate: bool = False
    low: float = math.nan
    high: float = math.nan
    currency: str = ""
    year: int | None = None


def _num(
    table: Mapping,
    key: str,
    where: _Where,
    *,
    required: bool = False,
    positive: bool = False,
    nonneg: bool = False,
    integer: bool = False,
    money: bool = False,
) -> _Num | None:
    """Read a plain number or a sourced value ``{value=, source=, ...}``."""
    if key not in table:
        if required:
            raise where.error("missing required field", field=key)
        return None
    raw = table[key]
    if isinstance(raw, Mapping):
        _check_keys(raw, _SOURCED_KEYS, where)
        if "value" not in raw:
            raise where.error("sourced value without 'value'", field=key)
        value = _plain_number(raw["value"], key, where)
        source = _str(raw, "source", where)
        conf = _str(raw, "confidence", where)
        if conf and conf not in VALUE_CONFIDENCE:
            raise where.error(
                f"confidence {conf!r} is not one of {', '.join(VALUE_CONFIDENCE)}", field=key
            )
        estimate = _bool(raw, "estimate", where)
        low = _plain_number(raw["low"], key, where) if "low" in raw else math.nan
        high = _plain_number(raw["high"], key, where) if "high" in raw else math.nan
        currency = _str(raw, "currency", where)
        year = None
        if "year" in raw:
            year = _year(raw["year"], key, where)
        num = _Num(value, source, conf, estimate, low, high, currency, year)
    else:
        num = _Num(_plain_number(raw, key, where))
    v = num.value
    if positive and not v > 0:
        raise where.error(f"must be > 0, got {v:g}", field=key)
    if nonneg and v < 0:
        raise where.error(f"must be >= 0, got {v:g}", field=key)
    if integer and v != int(v):
        raise where.error(f"must be a whole number, got {v:g}", field=key)
    if not math.isnan(num.low) and num.low > v:
        raise where.error(f"low {num.low:g} is above the value {v:g}", field=key)
    if not math.isnan(num.high) and num.high < v:
        raise where.error(f"high {num.high:g} is below the value {v:g}", field=key)
    if money:
        if num.currency and num.currency not in CURRENCIES:
            raise where.error(
                f"unknown currency {num.currency!r} (expected one of {', '.join(CURRENCIES)})",
                field=key,
            )
    elif num.currency or num.year is not None:
        # year/currency only make sense on money; plain quantities must not carry them
        raise where.error("'currency'/'year' are only allowed on prices", field=key)
    return num


def _suggest(name: str, names: Iterable[str]) -> list[str]:
    names = list(names)
    low = {n.lower(): n for n in names}
    q = name.strip().lower()
    out = [low[m] for m in difflib.get_close_matches(q, list(low), n=3, cutoff=0.5)]
    for n in names:
        if n in out or not q:
            continue
        words = re.findall(r"[a-z0-9']+", n.lower())
        if q in n.lower() or any(difflib.SequenceMatcher(None, q, w).ratio() >= 0.8 for w in words):
            out.append(n)
    return out[:5]


def _lookup(kind: str, name: str, items: Mapping[str, Any]):
    key = name.strip().lower()
    for n, item in items.items():
        if n.lower() == key:
            return item
    raise UnknownNameError(kind, name, _suggest(name, items))


def _path_or_shipped(path: PathArg | None, filename: str) -> Path:
    return Path(path) if path is not None else catalog_path(filename)


def _load_named_tables(path: Path, parse) -> dict:
    doc = _read_toml(path)
    where = _Where(path)
    if not doc:
        raise where.error("no tables")
    out = {}
    seen: dict[str, str] = {}
    for name, table in doc.items():
        w = where.at(name)
        if name.lower() in seen:
            raise w.error(f"duplicate name (same as [{seen[name.lower()]}])")
        seen[name.lower()] = name
        out[name] = parse(name, table, w)
    return out
