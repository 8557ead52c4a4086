"""The target of a plan: a Moon site of ``catalogs/moon_sites.csv`` or a catalog asteroid.

:func:`resolve_target` turns a name into a :class:`TargetInfo` (kind, label,
latitude/longitude of a site, taxonomic class of an asteroid and where it
came from); the rest of :mod:`prospect.cost` takes that record as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from prospect.errors import InputError, UnknownNameError

__all__ = ["TargetInfo", "check_class", "resolve_target"]


@dataclass(frozen=True)
class TargetInfo:
    """A planning target.

    Attributes
    ----------
    kind : {"moon", "nea"}
    name : str
        Site id or asteroid label.
    label : str
    lat_deg, lon_deg : float
        Moon sites only (NaN for asteroids).
    target_class : str or None
        Site category (Moon) or taxonomic class (NEA).
    class_source : str
    obj : object
        The site row or the :class:`prospect.targets.Target`.
    """

    kind: str
    name: str
    label: str
    lat_deg: float = math.nan
    lon_deg: float = math.nan
    target_class: str | None = None
    class_source: str = ""
    obj: object = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        d = {
            "kind": self.kind,
            "name": self.name,
            "label": self.label,
            "target_class": self.target_class,
            "class_source": self.class_source,
        }
        if self.kind == "moon":
            d.update(lat_deg=self.lat_deg, lon_deg=self.lon_deg)
        return d


def _na(x) -> bool:
    try:
        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def check_class(kind: str, target_class: str | None) -> str | None:
    """A class given for a ``kind`` of target checked: a Moon-site category
    (:data:`prospect.data.vocabulary.SITE_CATEGORIES`) or an asteroid taxonomic
    class (:data:`prospect.catalog.taxonomy.CLASSES`); None passes.

    Raises
    ------
    InputError
        Any other value, the empty string included, listing the allowed ones
        (names ``target_class``).

    Examples
    --------
    >>> check_class("nea", "Sq")
    'Sq'
    >>> check_class("nea", "ZZZ")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    prospect.errors.InputError: target_class: 'ZZZ' is not an asteroid taxonomic class ...
    """
    if target_class is None:
        return None
    if kind == "moon":
        from prospect.data.vocabulary import SITE_CATEGORIES as allowed

        what = "a Moon-site category"
    else:
        from prospect.catalog.taxonomy import CLASSES as allowed

        what = "an asteroid taxonomic class (Tholen, Bus-DeMeo or Mahlke)"
    if target_class not in allowed:
        raise InputError(
            f"{target_class!r} is not {what}; choose from {', '.join(allowed)}",
            option="target_class",
        )
    return target_class


def resolve_target(
    name, *, target_class: str | None = None, sites=None, catalog=None
) -> TargetInfo:
    """A Moon site (by id or name) or a catalog asteroid.

    ``target_class`` (checked by :func:`check_class` for the kind of target
    found) replaces the catalog's class or the site's category.

    Raises
    ------
    UnknownNameError
        Neither a Moon site nor an asteroid, with close matches of both.
    InputError
        A ``target_class`` that is not one of that kind of target.

    Examples
    --------
    >>> resolve_target("S05").kind
    'moon'
    """
    if isinstance(name, TargetInfo):
        return name
    from prospect.data import get_site

    try:
        row = get_site(str(name), sites)
    except UnknownNameError as site_err:
        from prospect.targets import target as _target

        try:
            tgt = _target(str(name), catalog)
        except UnknownNameError as nea_err:
            raise UnknownNameError(
                "target (Moon site or asteroid)",
                str(name),
                [*site_err.suggestions[:3], *nea_err.suggestions[:3]],
            ) from None
        cls = check_class("nea", target_class)
        src = "given (--target-class)" if cls is not None else ""
        if cls is None:
            for col in ("spec_b", "spec_t"):
                v = tgt.row.get(col)
                if not _na(v) and str(v).strip():
                    cls, src = str(v).strip(), f"catalog {col}"
                    break
        return TargetInfo("nea", tgt.label, tgt.label, target_class=cls, class_source=src, obj=tgt)
    cls, src = str(row["category"]), "site category"
    if check_class("moon", target_class) is not None:
        cls, src = target_class, "given (--target-class)"
    return TargetInfo(
        "moon",
        str(row["id"]),
        str(row["name"]),
        float(row["lat_deg"]),
        float(row["lon_deg_east"]),
        cls,
        src,
        row,
    )
