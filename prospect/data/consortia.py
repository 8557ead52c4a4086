"""Consortia and the legal frameworks of their states (``catalogs/consortia.toml``)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from prospect.data._toml import (
    _bool,
    _check_keys,
    _choice,
    _date,
    _fmt,
    _lookup,
    _num,
    _path_or_shipped,
    _read_toml,
    _str,
    _Where,
    _year,
)
from prospect.data.vocabulary import (
    _COUNTRY_RE,
    CONSORTIA_FILE,
    CONTRIBUTION_KINDS,
    CURRENCIES,
    ERAS,
    INTERESTS,
    MEMBER_KINDS,
    VALUE_CONFIDENCE,
    PathArg,
    _is_date,
)

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
        if not isinstance(v, str) or (v and not _is_date(v)):
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
        if year is not None:
            year = _year(year, "year", cw)
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
    if not doc:
        raise where.error("no [consortium.*] or [state.*] tables")
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
