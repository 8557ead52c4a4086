"""Mission profiles (``catalogs/missions.toml``): the typed :class:`MissionProfile`,
its parser and the loaders.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import Any

from prospect.core.deltav import dv_capacity
from prospect.data._toml import (
    _bool,
    _check_keys,
    _choice,
    _fmt,
    _lookup,
    _Num,
    _num,
    _path_or_shipped,
    _read_toml,
    _str,
    _Where,
    _year,
)
from prospect.data.vocabulary import (
    DEVELOPMENT_CLASSES,
    LAUNCH_MODES,
    MISSIONS_FILE,
    TARGET_KINDS,
    PathArg,
)

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


class _Provenance:
    """Sources, confidence flags and estimate flags of a record's numbers, by field."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}
        self.confidence: dict[str, str] = {}
        self.estimates: set[str] = set()

    def note(self, key: str, num: _Num | None) -> float:
        if num is None:
            return math.nan
        if num.source:
            self.sources[key] = num.source
        if num.confidence:
            self.confidence[key] = num.confidence
        if num.estimate:
            self.estimates.add(key)
        return num.value


def _close_masses(dry, prop, wet, payload, where: _Where, prov: _Provenance) -> dict:
    """Check dry + propellant = wet and derive the missing one of the three."""
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
        prov.sources[derived] = f"derived: {how}"
        prov.confidence[derived] = "calc"
        if prov.estimates & set(inputs):
            prov.estimates.add(derived)
    if not math.isnan(payload) and not math.isnan(dry) and payload > dry:
        raise where.error(
            f"payload {payload:g} kg exceeds the dry mass {dry:g} kg", field="payload_mass_kg"
        )
    return {
        "dry_mass_kg": dry,
        "propellant_mass_kg": prop,
        "wet_mass_kg": wet,
        "payload_mass_kg": payload,
    }


def _parse_limits(table: Mapping, where: _Where, prov: _Provenance) -> dict:
    """The ``[<name>.limits]`` table: round trip and the trajectory limits."""
    limits = table.get("limits", {})
    if not isinstance(limits, Mapping):
        raise where.error(f"expected a table, got {_fmt(limits)}", field="limits")
    lw = where.at(f"{where.record}.limits")
    _check_keys(limits, _LIMIT_KEYS, lw)
    kw = {"round_trip": _bool(limits, "round_trip", lw)}
    for key, kwargs, default in (
        ("max_duration_days", {"positive": True}, math.inf),
        ("max_c3_km2_s2", {}, math.inf),
        ("min_stay_days", {"nonneg": True}, 0.0),
        ("max_entry_speed_km_s", {"positive": True}, math.inf),
        ("max_total_dv_km_s", {"positive": True}, math.inf),
    ):
        v = prov.note(key, _num(limits, key, lw, **kwargs))
        kw[key] = default if math.isnan(v) else v
    if kw["max_entry_speed_km_s"] != math.inf and not kw["round_trip"]:
        raise lw.error("an entry-speed limit needs round_trip = true", field="max_entry_speed_km_s")
    return kw


def _parse_profile(name: str, table: Any, where: _Where) -> MissionProfile:
    if not isinstance(table, Mapping):
        raise where.error(f"expected a table, got {_fmt(table)}")
    _check_keys(table, _MISSION_KEYS, where)
    prov = _Provenance()
    note = prov.note
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
    masses = [
        note(key, _num(table, key, where, positive=True))
        for key in ("dry_mass_kg", "propellant_mass_kg", "wet_mass_kg")
    ]
    payload = note("payload_mass_kg", _num(table, "payload_mass_kg", where, nonneg=True))
    kw["isp_s"] = note("isp_s", _num(table, "isp_s", where, positive=True))
    kw["transfer_days"] = note("transfer_days", _num(table, "transfer_days", where, positive=True))
    kw["kick_stage_c3_km2_s2"] = note(
        "kick_stage_c3_km2_s2", _num(table, "kick_stage_c3_km2_s2", where)
    )
    for key in ("announced_year", "first_launch_year"):
        v = note(key, _num(table, key, where, positive=True, integer=True))
        kw[key] = None if math.isnan(v) else _year(int(v), key, where)
    kw.update(_close_masses(*masses, payload, where, prov))
    kw.update(_parse_limits(table, where, prov))
    kw["sources"] = MappingProxyType(prov.sources)
    kw["confidence"] = MappingProxyType(prov.confidence)
    kw["estimates"] = frozenset(prov.estimates)
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
