"""Moon sites (``catalogs/moon_sites.csv``): loader, selection, lookup and the
COSPAR category of a latitude.
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pandas as pd

from prospect.data._toml import (
    _path_or_shipped,
    _read_utf8,
    _suggest,
    _Where,
)
from prospect.data.vocabulary import (
    COSPAR_IIB_NORTH_DEG,
    COSPAR_IIB_SOUTH_DEG,
    EARTH_VISIBILITY,
    EVIDENCE_LEVELS,
    HERITAGE,
    MOON_SITES_FILE,
    RESOURCES,
    SITE_CATEGORIES,
    SITE_CONFIDENCE,
    PathArg,
)
from prospect.errors import InputError, UnknownNameError

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
    """One checked site record: place -> resources and evidence -> conditions -> protection."""
    out = dict(row)
    for key in _SITE_REQUIRED:
        if not (row.get(key) or "").strip():
            raise where.error("missing required value", field=key)
    out.update(_site_place(row, where))
    res = _site_resources(row, where)
    out["resources"] = ";".join(res)
    out["_evidence"] = _site_evidence(row, res, where)
    out.update(_site_conditions(row, where))
    out.update(_site_protection(row, out["lat_deg"], where))
    return out


def _site_place(row: dict, where: _Where) -> dict:
    """``id``, ``name``, latitude, east longitude (checked ranges) and ``category``."""
    out = {"id": row["id"].strip(), "name": row["name"].strip()}
    out["lat_deg"] = _cell_float(row, "lat_deg", where, -90.0, 90.0, required=True)
    out["lon_deg_east"] = _cell_float(row, "lon_deg_east", where, -180.0, 180.0, required=True)
    cat = row["category"].strip()
    if cat not in SITE_CATEGORIES:
        raise where.error(
            f"unknown category {cat!r} (expected one of: {', '.join(SITE_CATEGORIES)})",
            field="category",
        )
    out["category"] = cat
    return out


def _site_resources(row: dict, where: _Where) -> list[str]:
    """The ``;``-separated resources, each known and listed once."""
    res = [r.strip() for r in row["resources"].split(";") if r.strip()]
    for r in res:
        if r not in RESOURCES:
            raise where.error(
                f"unknown resource {r!r} (expected some of: {', '.join(RESOURCES)})",
                field="resources",
            )
    if len(set(res)) != len(res):
        raise where.error("resource listed twice", field="resources")
    return res


def _site_evidence(row: dict, res: list[str], where: _Where) -> dict[str, int]:
    """``resource:level`` items of ``resource_evidence`` for resources of this site."""
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
    return evidence


def _site_conditions(row: dict, where: _Where) -> dict:
    """Illumination, Earth visibility, heritage class and heritage buffer."""
    out = {"illumination_frac": _cell_float(row, "illumination_frac", where, 0.0, 1.0)}
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
    return out


def _site_protection(row: dict, lat_deg: float, where: _Where) -> dict:
    """COSPAR category (default and check from the latitude) and the row's confidence."""
    expected = cospar_category(lat_deg)
    cos = (row.get("cospar_category") or "").strip() or expected
    if cos not in ("IIa", "IIb"):
        raise where.error(f"unknown value {cos!r} (expected IIa or IIb)", field="cospar_category")
    if cos != expected:
        raise where.error(
            f"{cos} does not match latitude {lat_deg:g} (IIb south of "
            f"{-COSPAR_IIB_SOUTH_DEG:g} S and north of {COSPAR_IIB_NORTH_DEG:g} N)",
            field="cospar_category",
        )
    conf = (row.get("confidence") or "").strip()
    if conf not in SITE_CONFIDENCE:
        raise where.error(
            f"confidence {conf!r} is not one of {', '.join(SITE_CONFIDENCE)}", field="confidence"
        )
    return {"cospar_category": cos, "confidence": conf}


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
    reader = csv.DictReader(io.StringIO(_read_utf8(path, "CSV"), newline=""))
    try:
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
    except csv.Error as exc:
        raise where.at(reader.line_num).error(f"bad CSV: {exc}") from None
    if not rows:
        raise where.error("no sites (the file has no data rows)")
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
