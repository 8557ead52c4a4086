"""The target of a plan: a Moon site of ``catalogs/moon_sites.csv`` or a catalog asteroid.

:func:`resolve_target` turns a name into a :class:`TargetInfo` (kind, label,
latitude/longitude of a site, taxonomic class of an asteroid and where it
came from); the rest of :mod:`prospect.cost` takes that record as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from prospect.errors import UnknownNameError

__all__ = ["TargetInfo", "resolve_target"]


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


def resolve_target(
    name, *, target_class: str | None = None, sites=None, catalog=None
) -> TargetInfo:
    """A Moon site (by id or name) or a catalog asteroid.

    Raises
    ------
    UnknownNameError
        Neither a Moon site nor an asteroid, with close matches of both.

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
        cls, src = target_class, "given (--target-class)" if target_class else ""
        if cls is None:
            for col in ("spec_b", "spec_t"):
                v = tgt.row.get(col)
                if not _na(v) and str(v).strip():
                    cls, src = str(v).strip(), f"catalog {col}"
                    break
        return TargetInfo("nea", tgt.label, tgt.label, target_class=cls, class_source=src, obj=tgt)
    cls, src = str(row["category"]), "site category"
    if target_class:
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
