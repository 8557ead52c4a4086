"""Human-editable catalogs other than NEAs: Moon sites, mission profiles, launchers,
consortia (with the legal frameworks of their states) and resource yields/prices.

The shipped files live in ``catalogs/`` (found with
:func:`prospect._resources.catalog_path`) and are meant to be read and edited by
people: every number carries its source, a confidence flag and, where it is not a
published figure, an ``estimate`` (or ``assumption``) flag.

=====================  ==========================  ===================================
file                   loader                      returns
=====================  ==========================  ===================================
``moon_sites.csv``     :func:`load_moon_sites`     :class:`pandas.DataFrame`
``missions.toml``      :func:`load_missions`       ``{name: MissionProfile}``
``launchers.toml``     :func:`load_launchers`      ``{name: Launcher}``
``consortia.toml``     :func:`load_consortia`,     ``{name: Consortium}``,
                       :func:`load_legal_frameworks`  ``{ISO code: LegalFramework}``
``resources.toml``     :func:`load_resources`      :class:`ResourceCatalog`
=====================  ==========================  ===================================

Every loader takes ``path=None`` (the shipped file) or the path of a file with the same
layout that *replaces* it.  :func:`load_missions` also takes ``extra=``: one path or a
list of paths whose profiles are *added* to the base file, a profile with the name of
an existing one replacing it whole (names compare case-insensitively; later files
win).  Lookups by name (:func:`get_mission`, :func:`get_launcher`,
:func:`get_consortium`, :func:`get_site`) raise
:class:`prospect.errors.UnknownNameError` with close matches.

Validation happens on load.  A file that breaks a rule (missing required field, wrong
type, negative or zero mass or Isp, dry mass above wet mass, latitude outside
[-90, 90] or longitude outside [-180, 180], duplicate id or name, unknown launch mode,
target, category or resource, shares that do not add up to 1, ...) raises
:class:`prospect.errors.CatalogFormatError` naming the file, the record (CSV line
number or TOML table) and the field.

Units are in the field names (``dry_mass_kg``, ``isp_s``, ``max_c3_km2_s2``).
"""

from __future__ import annotations

import csv
import difflib
import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from prospect._resources import catalog_path
from prospect.core.deltav import dv_capacity
from prospect.errors import CatalogFormatError, InputError, UnknownNameError

__all__ = [
    "CONTRIBUTION_KINDS",
    "COSPAR_IIB_NORTH_DEG",
    "COSPAR_IIB_SOUTH_DEG",
    "DEVELOPMENT_CLASSES",
    "LAUNCH_MODES",
    "MEMBER_KINDS",
    "RESOURCES",
    "SITE_CATEGORIES",
    "TARGET_KINDS",
    "Consortium",
    "Contribution",
    "Launcher",
    "LegalFramework",
    "LegalInstrument",
    "Member",
    "MissionProfile",
    "Money",
    "Price",
    "ResourceCatalog",
    "ResourcePrice",
    "ResourceYield",
    "Rideshare",
    "cospar_category",
    "get_consortium",
    "get_launcher",
    "get_mission",
    "get_site",
    "load_consortia",
    "load_launchers",
    "load_legal_frameworks",
    "load_missions",
    "load_moon_sites",
    "load_resources",
    "select_sites",
]

PathArg = str | PathLike

MOON_SITES_FILE = "moon_sites.csv"
MISSIONS_FILE = "missions.toml"
LAUNCHERS_FILE = "launchers.toml"
CONSORTIA_FILE = "consortia.toml"
RESOURCES_FILE = "resources.toml"

# ----------------------------------------------------------------- vocabularies

#: Resource (or value) a Moon site offers; the ``resources`` column of moon_sites.csv.
RESOURCES = MappingProxyType(
    {
        "water": "water ice or hydrated minerals",
        "he3": "solar-wind helium-3 in mature high-Ti regolith",
        "ilmenite": "ilmenite / TiO2 (oxygen, titanium feedstock)",
        "kreep": "KREEP: K, rare-earth elements, P, Th",
        "shelter": "pit or lava tube (radiation and thermal shelter)",
        "pyroclastic": "pyroclastic glass (oxygen, iron, volatiles)",
        "power": "near-continuous sunlight (solar power)",
        "comms": "Earth in view (direct-to-Earth communication)",
        "science": "scientific or heritage value",
    }
)

#: Evidence levels of the ``resource_evidence`` column of moon_sites.csv.
EVIDENCE_LEVELS = MappingProxyType(
    {
        0: "not assessed or no data (e.g. failed lander)",
        1: "inferred from the setting (cold trap, geology), not detected at the site",
        2: "detected or modelled from orbit at the site (neutrons, GRS, spectra, DEM model)",
        3: "measured in situ or in returned samples",
    }
)

SITE_CATEGORIES = MappingProxyType(
    {
        "polar_psr": "permanently shadowed region / polar cold trap",
        "polar_illuminated": "polar peak or ridge with near-continuous light",
        "polar_landing_region": "candidate polar landing region (e.g. Artemis III)",
        "mare_ti": "high-titanium mare (ilmenite, He-3)",
        "pyroclastic": "pyroclastic (dark mantle) deposit",
        "pit": "pit / lava-tube skylight",
        "kreep": "KREEP / thorium-rich terrain",
        "landing_site": "past landing site",
        "landing_target": "target of a failed or planned landing",
        "science": "science target",
    }
)

EARTH_VISIBILITY = ("continuous", "partial", "none", "unknown")
HERITAGE = ("none", "us", "ussr", "china", "india", "japan", "commercial")
SITE_CONFIDENCE = ("V", "G", "A")
VALUE_CONFIDENCE = ("V", "A", "calc")

#: COSPAR planetary-protection category IIb applies to the lunar polar regions:
#: south of 79 S and north of 86 N (COSPAR policy update, May 2021; DOMAIN 7.2).
COSPAR_IIB_SOUTH_DEG = -79.0
COSPAR_IIB_NORTH_DEG = 86.0

#: How a mission reaches its departure state; the launch cost model keys on it.
LAUNCH_MODES = MappingProxyType(
    {
        "rideshare_leo": "rideshare to LEO/SSO; the spacecraft (or a kick stage) departs",
        "rideshare_gto": "secondary payload to GTO; the spacecraft departs from GTO",
        "dedicated": "dedicated launch to the transfer orbit",
        "c3": "dedicated launch to an escape C3 taken from the launcher's C3 table",
    }
)

TARGET_KINDS = MappingProxyType(
    {
        "nea": "near-Earth asteroid",
        "moon": "lunar surface site",
        "leo": "Earth-orbit technology demonstration (not scanned)",
    }
)

#: Development classes for the timeline/cost model (free of numbers on purpose: the
#: cost module owns the durations).
DEVELOPMENT_CLASSES = MappingProxyType(
    {
        "cubesat_demo": "CubeSat-class technology demonstrator",
        "microsat_deep_space": "micro/small spacecraft for deep space (<~200 kg)",
        "small_lander": "small lunar lander (<~2 t launch mass)",
        "large_lander": "large lunar cargo lander (multi-tonne)",
        "human_reference": "human-class reference profile (limits only)",
        "unspecified": "not given",
    }
)

MEMBER_KINDS = ("state", "agency", "company", "institution", "ngo", "bank", "investor")
CONTRIBUTION_KINDS = (
    "cash",
    "equity",
    "grant",
    "launch",
    "spacecraft",
    "instrument",
    "ground_station",
    "in_kind",
    "data",
    "crew",
)
CURRENCIES = ("USD", "EUR", "JPY", "CAD", "INR", "CNY", "GBP")
ERAS = ("2016-2018", "current", "illustrative")
INTERESTS = ("moon", "asteroids")
YIELD_RESOURCES = (*RESOURCES, "metal", "pgm", "nickel")
YIELD_UNITS = ("wt%", "ppm", "ppb")
PRICE_LOCATIONS = ("earth", "leo", "cislunar", "lunar_surface")

_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COUNTRY_RE = re.compile(r"^([A-Z]{2}|INT|--)$")


# ----------------------------------------------------------------- small helpers


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


def _read_toml(path: Path) -> dict:
    with open(path, "rb") as fh:
        try:
            return tomllib.load(fh)
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
    if value and not _DATE_RE.match(value):
        raise where.error(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD", field=key)
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
            year = raw["year"]
            if isinstance(year, bool) or not isinstance(year, int):
                raise where.error(f"year must be an integer, got {_fmt(year)}", field=key)
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


# ----------------------------------------------------------------- Moon sites

_SITE_REQUIRED = ("id", "name", "lat_deg", "lon_deg_east", "category", "resources", "source")
_SITE_COLUMNS = (
    "id",
    "name",
    "lat_deg",
    "lon_deg_east",
    "category",
    "resources",
    "resource_evidence",
    "evidence_note",
    "illumination_frac",
    "illumination_note",
    "earth_visibility",
    "slope_note",
    "heritage",
    "heritage_buffer_km",
    "cospar_category",
    "why_target",
    "source",
    "confidence",
)


def cospar_category(lat_deg):
    """COSPAR planetary-protection category of a lunar site by latitude.

    Category IIb covers the permanently shadowed and polar regions, taken as south of
    79 S and north of 86 N (COSPAR policy, May 2021); elsewhere IIa.

    Parameters
    ----------
    lat_deg : float or array_like
        Selenographic latitude, degrees (north positive).

    Returns
    -------
    str or ndarray of str

    Examples
    --------
    >>> cospar_category(-85.3), cospar_category(10.0)
    ('IIb', 'IIa')
    """
    lat = np.asarray(lat_deg, dtype=float)
    cat = np.where((lat <= COSPAR_IIB_SOUTH_DEG) | (lat >= COSPAR_IIB_NORTH_DEG), "IIb", "IIa")
    return str(cat[()]) if cat.ndim == 0 else cat


def _cell_float(row, key, where, lo=None, hi=None, required=False) -> float:
    text = (row.get(key) or "").strip()
    if text == "":
        if required:
            raise where.error("missing required value", field=key)
        return math.nan
    try:
        value = float(text)
    except ValueError:
        raise where.error(f"{text!r} is not a number", field=key) from None
    if not math.isfinite(value):
        raise where.error(f"{text!r} is not a finite number", field=key)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise where.error(f"{value:g} is outside [{lo:g}, {hi:g}]", field=key)
    return value


def _parse_site_row(row: dict, where: _Where) -> dict:
    out = dict(row)
    for key in _SITE_REQUIRED:
        if not (row.get(key) or "").strip():
            raise where.error("missing required value", field=key)
    out["id"] = row["id"].strip()
    out["name"] = row["name"].strip()
    out["lat_deg"] = _cell_float(row, "lat_deg", where, -90.0, 90.0, required=True)
    out["lon_deg_east"] = _cell_float(row, "lon_deg_east", where, -180.0, 180.0, required=True)
    cat = row["category"].strip()
    if cat not in SITE_CATEGORIES:
        raise where.error(
            f"unknown category {cat!r} (expected one of: {', '.join(SITE_CATEGORIES)})",
            field="category",
        )
    out["category"] = cat
    res = [r.strip() for r in row["resources"].split(";") if r.strip()]
    for r in res:
        if r not in RESOURCES:
            raise where.error(
                f"unknown resource {r!r} (expected some of: {', '.join(RESOURCES)})",
                field="resources",
            )
    if len(set(res)) != len(res):
        raise where.error("resource listed twice", field="resources")
    out["resources"] = ";".join(res)
    evidence: dict[str, int] = {}
    for item in (row.get("resource_evidence") or "").split(";"):
        item = item.strip()
        if not item:
            continue
        name, sep, level = item.partition(":")
        name = name.strip()
        if not sep or name not in res:
            raise where.error(
                f"{item!r} is not 'resource:level' for a resource of this site",
                field="resource_evidence",
            )
        try:
            lvl = int(level)
        except ValueError:
            lvl = -1
        if lvl not in EVIDENCE_LEVELS:
            raise where.error(
                f"evidence level {level.strip()!r} is not 0, 1, 2 or 3", field="resource_evidence"
            )
        evidence[name] = lvl
    out["_evidence"] = evidence
    out["illumination_frac"] = _cell_float(row, "illumination_frac", where, 0.0, 1.0)
    vis = (row.get("earth_visibility") or "").strip() or "unknown"
    if vis not in EARTH_VISIBILITY:
        raise where.error(
            f"unknown value {vis!r} (expected one of: {', '.join(EARTH_VISIBILITY)})",
            field="earth_visibility",
        )
    out["earth_visibility"] = vis
    her = (row.get("heritage") or "").strip() or "none"
    if her not in HERITAGE:
        raise where.error(
            f"unknown value {her!r} (expected one of: {', '.join(HERITAGE)})", field="heritage"
        )
    out["heritage"] = her
    out["heritage_buffer_km"] = _cell_float(row, "heritage_buffer_km", where, 0.0, 1000.0)
    expected = cospar_category(out["lat_deg"])
    cos = (row.get("cospar_category") or "").strip() or expected
    if cos not in ("IIa", "IIb"):
        raise where.error(f"unknown value {cos!r} (expected IIa or IIb)", field="cospar_category")
    if cos != expected:
        raise where.error(
            f"{cos} does not match latitude {out['lat_deg']:g} (IIb south of "
            f"{-COSPAR_IIB_SOUTH_DEG:g} S and north of {COSPAR_IIB_NORTH_DEG:g} N)",
            field="cospar_category",
        )
    out["cospar_category"] = cos
    conf = (row.get("confidence") or "").strip()
    if conf not in SITE_CONFIDENCE:
        raise where.error(
            f"confidence {conf!r} is not one of {', '.join(SITE_CONFIDENCE)}", field="confidence"
        )
    out["confidence"] = conf
    return out


def load_moon_sites(path: PathArg | None = None) -> pd.DataFrame:
    """Load and validate the Moon-site catalog.

    Parameters
    ----------
    path : str or PathLike, optional
        A CSV file with the columns of ``catalogs/moon_sites.csv``; default the
        shipped file.

    Returns
    -------
    pandas.DataFrame
        One row per site, in file order.  Columns: ``id``, ``name``, ``lat_deg``,
        ``lon_deg_east`` (east-positive, -180..180), ``category``, ``resources``
        (``;``-separated, from :data:`RESOURCES`), ``resource_evidence``,
        ``evidence_note``, ``illumination_frac`` (0..1 or NaN), ``illumination_note``,
        ``earth_visibility`` (continuous/partial/none/unknown), ``slope_note``,
        ``heritage``, ``heritage_buffer_km`` (NaN when none applies),
        ``cospar_category`` (IIa/IIb), ``why_target``, ``source``, ``confidence``
        (V/G/A), then for each resource ``has_<resource>`` (bool) and
        ``<resource>_evidence`` (Int64, 0-3, <NA> when not listed); extra columns of
        the file are kept.  ``df.attrs`` holds ``path``.

    Raises
    ------
    CatalogFormatError
        Naming the file, the line and the column at fault.

    Examples
    --------
    >>> sites = load_moon_sites()
    >>> bool((sites["cospar_category"] == "IIb").any())
    True
    """
    path = _path_or_shipped(path, MOON_SITES_FILE)
    where = _Where(path)
    rows: list[dict] = []
    seen: dict[str, int] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        for col in (*_SITE_REQUIRED, "confidence"):
            if col not in header:
                raise where.at(1).error("missing required column", field=col)
        for row in reader:
            # first physical line of this record (quoted cells may span lines)
            line_start = reader.line_num - sum(
                (v or "").count("\n") for v in row.values() if isinstance(v, str)
            )
            w = where.at(line_start)
            if None in row:
                raise w.error(f"{len(header) + len(row[None])} cells, header has {len(header)}")
            if not any((v or "").strip() for v in row.values()):
                continue  # blank line
            parsed = _parse_site_row(row, w)
            key = parsed["id"].lower()
            if key in seen:
                raise w.error(f"duplicate id {parsed['id']!r} (first on line {seen[key]})", "id")
            seen[key] = line_start
            rows.append(parsed)
    extra = [c for c in header if c not in _SITE_COLUMNS]
    cols = [*_SITE_COLUMNS, *extra]
    df = pd.DataFrame({c: [r.get(c, "") for r in rows] for c in cols}, columns=cols)
    for c in ("lat_deg", "lon_deg_east", "illumination_frac", "heritage_buffer_km"):
        if c in df:
            df[c] = df[c].astype(float)
    for res in RESOURCES:
        df[f"has_{res}"] = [res in r["resources"].split(";") for r in rows]
        df[f"{res}_evidence"] = pd.array([r["_evidence"].get(res) for r in rows], dtype="Int64")
    df.attrs["path"] = str(path)
    return df


def select_sites(
    sites: pd.DataFrame, *, resource: str | None = None, category: str | None = None
) -> pd.DataFrame:
    """Rows of a site table that offer `resource` and/or belong to `category`.

    Raises :class:`prospect.errors.InputError` for an unknown resource or category.

    Examples
    --------
    >>> ice = select_sites(load_moon_sites(), resource="water")
    >>> bool(ice["has_water"].all())
    True
    """
    out = sites
    if resource is not None:
        if resource not in RESOURCES:
            raise InputError(
                f"unknown resource {resource!r} (expected one of: {', '.join(RESOURCES)})",
                option="resource",
            )
        out = out[out[f"has_{resource}"]]
    if category is not None:
        if category not in SITE_CATEGORIES:
            raise InputError(
                f"unknown category {category!r} (expected one of: {', '.join(SITE_CATEGORIES)})",
                option="category",
            )
        out = out[out["category"] == category]
    return out


def get_site(name: str, sites: pd.DataFrame | None = None) -> pd.Series:
    """One Moon site by id (``"S05"``) or name (case-insensitive).

    Raises :class:`prospect.errors.UnknownNameError` with close matches.

    Examples
    --------
    >>> get_site("s05")["name"]
    'LCROSS Centaur impact point (Cabeus PSR)'
    """
    sites = load_moon_sites() if sites is None else sites
    key = name.strip().lower()
    for col in ("id", "name"):
        hit = sites[sites[col].str.lower() == key]
        if len(hit):
            return hit.iloc[0]
    raise UnknownNameError("Moon site", name, _suggest(name, [*sites["id"], *sites["name"]]))


# ----------------------------------------------------------------- mission profiles

_MISSION_KEYS = (
    "label",
    "target",
    "launch_mode",
    "development_class",
    "status",
    "notes",
    "dry_mass_kg",
    "propellant_mass_kg",
    "wet_mass_kg",
    "payload_mass_kg",
    "isp_s",
    "transfer_days",
    "announced_year",
    "first_launch_year",
    "kick_stage_c3_km2_s2",
    "limits",
)
_LIMIT_KEYS = (
    "max_duration_days",
    "max_c3_km2_s2",
    "min_stay_days",
    "round_trip",
    "max_entry_speed_km_s",
    "max_total_dv_km_s",
)


@dataclass(frozen=True)
class MissionProfile:
    """A spacecraft and the limits of its mission, as read from a profile file.

    Masses are in kg (``dry_mass_kg`` includes the payload), NaN when unknown; the
    three of dry/propellant/wet are consistent (the loader derives the third).  Limits
    use ``inf`` (or 0 for ``min_stay_days``) for "no limit", so comparisons like
    ``dv <= p.max_total_dv_km_s`` need no special case.

    ``sources``, ``confidence`` map a field name to its source text and flag
    (V/A/calc); ``estimates`` holds the fields that are not published figures.

    Examples
    --------
    >>> p = get_mission("mx-1")
    >>> p.dry_mass_kg, round(p.delta_v_capacity_km_s, 3)
    (150.0, 4.078)
    """

    name: str
    label: str
    target: str
    launch_mode: str
    development_class: str = "unspecified"
    dry_mass_kg: float = math.nan
    propellant_mass_kg: float = math.nan
    wet_mass_kg: float = math.nan
    payload_mass_kg: float = math.nan
    isp_s: float = math.nan
    transfer_days: float = math.nan
    kick_stage_c3_km2_s2: float = math.nan
    announced_year: int | None = None
    first_launch_year: int | None = None
    max_duration_days: float = math.inf
    max_c3_km2_s2: float = math.inf
    min_stay_days: float = 0.0
    round_trip: bool = False
    max_entry_speed_km_s: float = math.inf
    max_total_dv_km_s: float = math.inf
    status: str = ""
    notes: str = ""
    sources: Mapping[str, str] = field(default_factory=dict)
    confidence: Mapping[str, str] = field(default_factory=dict)
    estimates: frozenset[str] = frozenset()
    path: str | None = None

    @property
    def delta_v_capacity_km_s(self) -> float:
        """Rocket-equation delta-v of the full propellant load, km/s (NaN if unknown).

        ``ln(wet/dry) * isp_s * g0`` with g0 = 9.80665 m/s^2, computed by
        :func:`prospect.core.deltav.dv_capacity`.
        """
        return float(dv_capacity(self.wet_mass_kg, self.dry_mass_kg, self.isp_s))

    @property
    def dv_budget_km_s(self) -> float:
        """The smaller of the delta-v capacity and the ``max_total_dv_km_s`` limit.

        NaN when neither is known (e.g. a profile without masses or limits).
        """
        vals = [v for v in (self.delta_v_capacity_km_s, self.max_total_dv_km_s) if math.isfinite(v)]
        return min(vals) if vals else math.nan

    def limits(self) -> dict[str, float | bool]:
        """The limits as a dict (inf/0 meaning "no limit")."""
        return {k: getattr(self, k) for k in _LIMIT_KEYS}


def _parse_profile(name: str, table: Any, where: _Where) -> MissionProfile:
    if not isinstance(table, Mapping):
        raise where.error(f"expected a table, got {_fmt(table)}")
    _check_keys(table, _MISSION_KEYS, where)
    sources: dict[str, str] = {}
    confidence: dict[str, str] = {}
    estimates: set[str] = set()

    def note(key: str, num: _Num | None) -> float:
        if num is None:
            return math.nan
        if num.source:
            sources[key] = num.source
        if num.confidence:
            confidence[key] = num.confidence
        if num.estimate:
            estimates.add(key)
        return num.value

    kw: dict[str, Any] = {
        "name": name,
        "label": _str(table, "label", where) or name,
        "target": _choice(table, "target", TARGET_KINDS, where, required=True),
        "launch_mode": _choice(table, "launch_mode", LAUNCH_MODES, where, required=True),
        "development_class": _choice(
            table, "development_class", DEVELOPMENT_CLASSES, where, default="unspecified"
        ),
        "status": _str(table, "status", where),
        "notes": _str(table, "notes", where),
        "path": str(where.path),
    }
    dry = note("dry_mass_kg", _num(table, "dry_mass_kg", where, positive=True))
    prop = note("propellant_mass_kg", _num(table, "propellant_mass_kg", where, positive=True))
    wet = note("wet_mass_kg", _num(table, "wet_mass_kg", where, positive=True))
    payload = note("payload_mass_kg", _num(table, "payload_mass_kg", where, nonneg=True))
    kw["isp_s"] = note("isp_s", _num(table, "isp_s", where, positive=True))
    kw["transfer_days"] = note("transfer_days", _num(table, "transfer_days", where, positive=True))
    kw["kick_stage_c3_km2_s2"] = note(
        "kick_stage_c3_km2_s2", _num(table, "kick_stage_c3_km2_s2", where)
    )
    for key in ("announced_year", "first_launch_year"):
        v = note(key, _num(table, key, where, positive=True, integer=True))
        kw[key] = None if math.isnan(v) else int(v)

    known = [not math.isnan(x) for x in (dry, prop, wet)]
    if sum(known) == 3:
        tol = max(0.01, 1e-6 * wet)
        if abs(wet - dry - prop) > tol:
            raise where.error(
                f"wet mass {wet:g} kg != dry {dry:g} kg + propellant {prop:g} kg",
                field="wet_mass_kg",
            )
    if not math.isnan(dry) and not math.isnan(wet) and dry > wet:
        raise where.error(f"dry mass {dry:g} kg exceeds wet mass {wet:g} kg", field="dry_mass_kg")
    if not math.isnan(prop) and not math.isnan(wet) and prop >= wet:
        raise where.error(
            f"propellant {prop:g} kg is not below the wet mass {wet:g} kg",
            field="propellant_mass_kg",
        )
    if sum(known) == 2:
        # derived masses rounded to a nanogram so that 11 + 6.49 prints as 17.49
        if math.isnan(wet):
            wet = round(dry + prop, 12)
            derived, inputs, how = (
                "wet_mass_kg",
                ("dry_mass_kg", "propellant_mass_kg"),
                "dry + propellant",
            )
        elif math.isnan(dry):
            dry = round(wet - prop, 12)
            derived, inputs, how = (
                "dry_mass_kg",
                ("wet_mass_kg", "propellant_mass_kg"),
                "wet - propellant",
            )
        else:
            prop = round(wet - dry, 12)
            derived, inputs, how = "propellant_mass_kg", ("wet_mass_kg", "dry_mass_kg"), "wet - dry"
        sources[derived] = f"derived: {how}"
        confidence[derived] = "calc"
        if estimates & set(inputs):
            estimates.add(derived)
    if not math.isnan(payload) and not math.isnan(dry) and payload > dry:
        raise where.error(
            f"payload {payload:g} kg exceeds the dry mass {dry:g} kg", field="payload_mass_kg"
        )
    kw.update(dry_mass_kg=dry, propellant_mass_kg=prop, wet_mass_kg=wet, payload_mass_kg=payload)

    limits = table.get("limits", {})
    if not isinstance(limits, Mapping):
        raise where.error(f"expected a table, got {_fmt(limits)}", field="limits")
    lw = where.at(f"{where.record}.limits")
    _check_keys(limits, _LIMIT_KEYS, lw)
    kw["round_trip"] = _bool(limits, "round_trip", lw)
    for key, kwargs, default in (
        ("max_duration_days", {"positive": True}, math.inf),
        ("max_c3_km2_s2", {}, math.inf),
        ("min_stay_days", {"nonneg": True}, 0.0),
        ("max_entry_speed_km_s", {"positive": True}, math.inf),
        ("max_total_dv_km_s", {"positive": True}, math.inf),
    ):
        v = note(key, _num(limits, key, lw, **kwargs))
        kw[key] = default if math.isnan(v) else v
    if kw["max_entry_speed_km_s"] != math.inf and not kw["round_trip"]:
        raise lw.error("an entry-speed limit needs round_trip = true", field="max_entry_speed_km_s")

    kw["sources"] = MappingProxyType(sources)
    kw["confidence"] = MappingProxyType(confidence)
    kw["estimates"] = frozenset(estimates)
    return MissionProfile(**kw)


def _load_profile_file(path: Path) -> dict[str, MissionProfile]:
    doc = _read_toml(path)
    out: dict[str, MissionProfile] = {}
    seen: dict[str, str] = {}
    where = _Where(path)
    if not doc:
        raise where.error("no mission profile tables")
    for name, table in doc.items():
        w = where.at(name)
        key = name.strip().lower()
        if not key:
            raise w.error("empty profile name")
        if key in seen:
            raise w.error(f"duplicate profile name (same as [{seen[key]}])")
        seen[key] = name
        out[name] = _parse_profile(name, table, w)
    return out


def load_missions(
    path: PathArg | None = None, *, extra: PathArg | Sequence[PathArg] | None = None
) -> dict[str, MissionProfile]:
    """Load mission profiles.

    Parameters
    ----------
    path : str or PathLike, optional
        Base profile file; default the shipped ``catalogs/missions.toml``.
    extra : path or sequence of paths, optional
        User files read after the base file, in order.  Their profiles are added; a
        profile whose name equals an existing one (case-insensitively) replaces it
        whole.

    Returns
    -------
    dict
        ``{name: MissionProfile}`` in file order (base first, additions after).

    Raises
    ------
    CatalogFormatError
        For a file that breaks a rule, naming the file, the ``[table]`` and the field.

    Examples
    --------
    >>> profiles = load_missions()
    >>> sorted(p.target for p in profiles.values())[:2]
    ['leo', 'moon']
    """
    base = _path_or_shipped(path, MISSIONS_FILE)
    out = _load_profile_file(base)
    if extra is None:
        extras: list[PathArg] = []
    elif isinstance(extra, str | PathLike):
        extras = [extra]
    else:
        extras = list(extra)
    for p in extras:
        for name, prof in _load_profile_file(Path(p)).items():
            for old in [n for n in out if n.lower() == name.lower()]:
                del out[old]
            out[name] = prof
    return out


def get_mission(name: str, missions: Mapping[str, MissionProfile] | None = None) -> MissionProfile:
    """A mission profile by name (case-insensitive) from `missions` or the shipped file.

    Raises :class:`prospect.errors.UnknownNameError` with close matches.

    Examples
    --------
    >>> get_mission("Prospector-1").wet_mass_kg
    50.0
    """
    missions = load_missions() if missions is None else missions
    return _lookup("mission profile", name, missions)


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

    def payload_at_c3(self, c3_km2_s2):
        """Payload (kg) at launch energy `c3_km2_s2` by linear interpolation in the
        published table; NaN outside the table's C3 range or without a table.

        Examples
        --------
        >>> float(get_launcher("falcon-heavy-expendable").payload_at_c3(10.0))
        12433.0
        """
        c3 = np.asarray(c3_km2_s2, dtype=float)
        if self.c3_km2_s2.size == 0:
            out = np.full(c3.shape, np.nan)
        else:
            out = np.interp(c3, self.c3_km2_s2, self.c3_payload_kg)
            out = np.where((c3 >= self.c3_km2_s2[0]) & (c3 <= self.c3_km2_s2[-1]), out, np.nan)
        return out[()] if out.ndim == 0 else out


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


def _parse_launcher(name: str, table: Any, where: _Where) -> Launcher:
    if not isinstance(table, Mapping):
        raise where.error(f"expected a table, got {_fmt(table)}")
    _check_keys(table, _LAUNCHER_KEYS, where)
    modes = table.get("modes")
    if not isinstance(modes, list) or not modes:
        raise where.error("expected a non-empty list of launch modes", field="modes")
    for m in modes:
        if m not in LAUNCH_MODES:
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
        c3t = table["c3"]
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
        kw.update(
            c3_km2_s2=c3,
            c3_payload_kg=pay,
            c3_source=_str(c3t, "source", cw),
            c3_estimate=_bool(c3t, "estimate", cw),
        )
    if "c3" in modes and "c3" not in table:
        raise where.error("launch mode 'c3' needs a [c3] payload table", field="modes")
    if "rideshare" in table:
        rt = table["rideshare"]
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
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise rw.error(f"year must be an integer, got {_fmt(year)}", field="year")
        rs_sources = {
            k: n.source
            for k, n in (("base_price", bp), ("base_mass_kg", bm), ("price_per_kg", pk))
            if n and n.source
        }
        kw["rideshare"] = Rideshare(
            base_price=bp.value,
            base_mass_kg=bm.value,
            price_per_kg=pk.value if pk else math.nan,
            currency=currency,
            year=year,
            orbit=_str(rt, "orbit", rw),
            estimate=any(n.estimate for n in (bp, bm, pk) if n),
            sources=MappingProxyType(rs_sources),
        )
    if any(m.startswith("rideshare") for m in modes) and "rideshare" not in table:
        raise where.error("a rideshare mode needs a [rideshare] tariff table", field="modes")
    kw["sources"] = MappingProxyType(sources)
    kw["estimates"] = frozenset(estimates)
    return Launcher(**kw)


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


# ----------------------------------------------------------------- consortia


@dataclass(frozen=True)
class Money:
    """An amount of money with its currency and year (nominal)."""

    value: float
    currency: str
    year: int | None
    estimate: bool
    source: str


@dataclass(frozen=True)
class Contribution:
    """What a member brings: ``value`` is NaN when no figure was published."""

    kind: str
    description: str
    value: float = math.nan
    currency: str = ""
    year: int | None = None
    estimate: bool = False
    source: str = ""


@dataclass(frozen=True)
class LegalInstrument:
    """A national law (or a membership) with its dates and source."""

    name: str
    date: str
    in_force: str
    source: str
    confidence: str = ""


@dataclass(frozen=True)
class LegalFramework:
    """The legal position of a state on space resources.

    ``ost_party`` is None when not recorded; ``space_resources_law``,
    ``artemis_accords`` and ``ilrs`` are None when they do not apply.
    """

    country: str
    name: str
    ost_party: bool | None = None
    space_resources_law: LegalInstrument | None = None
    artemis_accords: LegalInstrument | None = None
    ilrs: LegalInstrument | None = None
    sources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Member:
    """A consortium member; ``share`` is NaN unless the file gives cost shares."""

    name: str
    kind: str
    country: str
    role: str = ""
    share: float = math.nan
    contributions: tuple[Contribution, ...] = ()
    legal: LegalFramework | None = None

    def total(self, currency: str) -> float:
        """Sum of this member's contributions with a value in `currency` (0 if none)."""
        return math.fsum(
            c.value
            for c in self.contributions
            if c.currency == currency and not math.isnan(c.value)
        )


@dataclass(frozen=True)
class Consortium:
    """A consortium of states, agencies and companies (announced or illustrative)."""

    name: str
    label: str
    era: str
    status: str
    announced: str
    interests: tuple[str, ...]
    open: bool
    members: tuple[Member, ...]
    budget: Money | None = None
    notes: str = ""
    source: str = ""
    confidence: str = ""
    path: str | None = None

    def member(self, name: str) -> Member:
        """A member by name (case-insensitive); :class:`UnknownNameError` if absent."""
        return _lookup("consortium member", name, {m.name: m for m in self.members})

    def total(self, currency: str) -> float:
        """Sum of all members' valued contributions in `currency`."""
        return float(sum(m.total(currency) for m in self.members))


def _parse_instrument(raw, key, where) -> LegalInstrument:
    if not isinstance(raw, Mapping):
        raise where.error(f"expected a table, got {_fmt(raw)}", field=key)
    _check_keys(raw, ("name", "date", "in_force", "source", "confidence"), where)
    if "date" not in raw:
        raise where.error(f"missing required field 'date' in {key}", field=key)
    conf = _str(raw, "confidence", where)
    if conf and conf not in VALUE_CONFIDENCE:
        raise where.error(f"confidence {conf!r} is not one of V, A, calc", field=key)
    for sub in ("date", "in_force"):
        v = raw.get(sub, "")
        if not isinstance(v, str) or (v and not _DATE_RE.match(v)):
            raise where.error(f"{sub} {v!r} is not YYYY, YYYY-MM or YYYY-MM-DD", field=key)
    return LegalInstrument(
        name=_str(raw, "name", where),
        date=raw["date"],
        in_force=raw.get("in_force", ""),
        source=_str(raw, "source", where, required=True),
        confidence=conf,
    )


def _parse_state(code: str, table: Any, where: _Where) -> LegalFramework:
    if not isinstance(table, Mapping):
        raise where.error(f"expected a table, got {_fmt(table)}")
    if not re.match(r"^[A-Z]{2}$", code):
        raise where.error(f"state code {code!r} is not an ISO 3166 alpha-2 code")
    _check_keys(
        table,
        ("name", "ost_party", "space_resources_law", "artemis_accords", "ilrs", "confidence"),
        where,
    )
    ost = None
    sources = {}
    if "ost_party" in table:
        raw = table["ost_party"]
        if isinstance(raw, Mapping):
            _check_keys(raw, ("value", "source", "confidence"), where)
            raw_v = raw.get("value")
            sources["ost_party"] = _str(raw, "source", where)
        else:
            raw_v = raw
        if not isinstance(raw_v, bool):
            raise where.error(f"expected true or false, got {_fmt(raw_v)}", field="ost_party")
        ost = raw_v
    kw = {"country": code, "name": _str(table, "name", where, required=True), "ost_party": ost}
    for key in ("space_resources_law", "artemis_accords", "ilrs"):
        if key in table:
            kw[key] = _parse_instrument(table[key], key, where)
            sources[key] = kw[key].source
    return LegalFramework(**kw, sources=MappingProxyType(sources))


def _parse_member(raw: Any, where: _Where, states: Mapping[str, LegalFramework]) -> Member:
    if not isinstance(raw, Mapping):
        raise where.error(f"expected a table, got {_fmt(raw)}")
    _check_keys(raw, ("name", "kind", "country", "role", "share", "contributions"), where)
    country = _str(raw, "country", where, required=True)
    if not _COUNTRY_RE.match(country):
        raise where.error(f"country {country!r} is not ISO 3166 alpha-2 or INT", field="country")
    share = _num(raw, "share", where, nonneg=True)
    if share is not None and share.value > 1:
        raise where.error(f"share {share.value:g} is above 1", field="share")
    contribs = raw.get("contributions", [])
    if not isinstance(contribs, list):
        raise where.error("expected a list of [[contributions]] tables", field="contributions")
    out = []
    for i, c in enumerate(contribs, 1):
        cw = where.at(f"{where.record}.contributions[{i}]")
        if not isinstance(c, Mapping):
            raise cw.error(f"expected a table, got {_fmt(c)}")
        _check_keys(
            c, ("kind", "description", "value", "currency", "year", "estimate", "source"), cw
        )
        value = _num(c, "value", cw, nonneg=True)
        currency = _str(c, "currency", cw)
        if value is not None and not currency:
            raise cw.error("a valued contribution needs a currency", field="currency")
        if currency and currency not in CURRENCIES:
            raise cw.error(
                f"unknown currency {currency!r} (expected one of {', '.join(CURRENCIES)})",
                field="currency",
            )
        year = c.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise cw.error(f"year must be an integer, got {_fmt(year)}", field="year")
        out.append(
            Contribution(
                kind=_choice(c, "kind", CONTRIBUTION_KINDS, cw, required=True),
                description=_str(c, "description", cw),
                value=value.value if value else math.nan,
                currency=currency,
                year=year,
                estimate=_bool(c, "estimate", cw),
                source=_str(c, "source", cw, required=True),
            )
        )
    return Member(
        name=_str(raw, "name", where, required=True),
        kind=_choice(raw, "kind", MEMBER_KINDS, where, required=True),
        country=country,
        role=_str(raw, "role", where),
        share=share.value if share else math.nan,
        contributions=tuple(out),
        legal=states.get(country),
    )


def _parse_consortium(
    name: str, table: Any, where: _Where, states: Mapping[str, LegalFramework]
) -> Consortium:
    if not isinstance(table, Mapping):
        raise where.error(f"expected a table, got {_fmt(table)}")
    _check_keys(
        table,
        (
            "label",
            "era",
            "status",
            "announced",
            "interests",
            "open",
            "notes",
            "source",
            "confidence",
            "budget",
            "members",
        ),
        where,
    )
    interests = table.get("interests")
    if not isinstance(interests, list) or not interests:
        raise where.error("expected a non-empty list", field="interests")
    for i in interests:
        if i not in INTERESTS:
            raise where.error(
                f"unknown interest {i!r} (expected some of: {', '.join(INTERESTS)})",
                field="interests",
            )
    budget = _num(table, "budget", where, positive=True, money=True)
    if budget is not None and not budget.currency:
        raise where.error("a budget needs a currency", field="budget")
    members_raw = table.get("members")
    if not isinstance(members_raw, list) or not members_raw:
        raise where.error("missing required [[members]]", field="members")
    members = []
    seen: set[str] = set()
    for i, m in enumerate(members_raw, 1):
        member = _parse_member(m, where.at(f"{where.record}.members[{i}]"), states)
        if member.name.lower() in seen:
            raise where.at(f"{where.record}.members[{i}]").error(
                f"duplicate member {member.name!r}", field="name"
            )
        seen.add(member.name.lower())
        members.append(member)
    shares = [m.share for m in members]
    given = [not math.isnan(s) for s in shares]
    if any(given):
        if not all(given):
            missing = members[given.index(False)].name
            raise where.error(f"some members have a share and {missing!r} has none", field="share")
        total = math.fsum(shares)
        if abs(total - 1.0) > 1e-6:
            raise where.error(f"member shares add up to {total:.6g}, not 1", field="share")
    conf = _str(table, "confidence", where)
    if conf and conf not in VALUE_CONFIDENCE:
        raise where.error(f"confidence {conf!r} is not one of V, A, calc", field="confidence")
    return Consortium(
        name=name,
        label=_str(table, "label", where) or name,
        era=_choice(table, "era", ERAS, where, required=True),
        status=_str(table, "status", where),
        announced=_date(table, "announced", where, required=True),
        interests=tuple(interests),
        open=_bool(table, "open", where),
        members=tuple(members),
        budget=Money(budget.value, budget.currency, budget.year, budget.estimate, budget.source)
        if budget
        else None,
        notes=_str(table, "notes", where),
        source=_str(table, "source", where, required=True),
        confidence=conf,
        path=str(where.path),
    )


def _load_consortia_file(path: Path):
    doc = _read_toml(path)
    where = _Where(path)
    _check_keys(doc, ("consortium", "state"), where)
    states_raw = doc.get("state", {})
    cons_raw = doc.get("consortium", {})
    if not isinstance(states_raw, Mapping) or not isinstance(cons_raw, Mapping):
        raise where.error("[consortium.*] and [state.*] must be tables")
    states = {
        code: _parse_state(code, t, where.at(f"state.{code}")) for code, t in states_raw.items()
    }
    consortia = {}
    seen: dict[str, str] = {}
    for name, t in cons_raw.items():
        w = where.at(f"consortium.{name}")
        if name.lower() in seen:
            raise w.error(f"duplicate name (same as [consortium.{seen[name.lower()]}])")
        seen[name.lower()] = name
        consortia[name] = _parse_consortium(name, t, w, states)
    return consortia, states


def load_consortia(path: PathArg | None = None) -> dict[str, Consortium]:
    """Load consortia (default ``catalogs/consortia.toml``).

    Members carry their state's :class:`LegalFramework` (``member.legal``) when the
    file has a ``[state.<ISO>]`` record for their country.

    Examples
    --------
    >>> c = load_consortia()["lux-planetary-resources-2016"]
    >>> c.total("EUR"), c.members[0].legal.space_resources_law.in_force
    (25000000.0, '2017-08-01')
    """
    return _load_consortia_file(_path_or_shipped(path, CONSORTIA_FILE))[0]


def load_legal_frameworks(path: PathArg | None = None) -> dict[str, LegalFramework]:
    """Load the ``[state.<ISO>]`` records of the consortia file, keyed by ISO code.

    Examples
    --------
    >>> load_legal_frameworks()["JP"].space_resources_law.in_force
    '2021-12-23'
    """
    return _load_consortia_file(_path_or_shipped(path, CONSORTIA_FILE))[1]


def get_consortium(name: str, consortia: Mapping[str, Consortium] | None = None) -> Consortium:
    """A consortium by name (case-insensitive); :class:`UnknownNameError` if unknown.

    Examples
    --------
    >>> get_consortium("ILRS").announced
    '2021-03-09'
    """
    consortia = load_consortia() if consortia is None else consortia
    return _lookup("consortium", name, consortia)


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
    out = {}
    for section, parse in (("yield", _parse_yield), ("price", _parse_price)):
        raw = doc.get(section, {})
        if not isinstance(raw, Mapping):
            raise where.error(f"[{section}.*] must be tables", field=section)
        out[section] = MappingProxyType(
            {n: parse(n, t, where.at(f"{section}.{n}")) for n, t in raw.items()}
        )
    return ResourceCatalog(yields=out["yield"], prices=out["price"], path=str(path))
