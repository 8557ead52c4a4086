"""Consortium budgets, capabilities and legal frameworks, in planning units.

Each member's contributions (:class:`prospect.data.Contribution`) with a
published value are converted to $M of the cost model's output year (the
exchange rate of the contribution's year, then the NNSI escalation).
Contributions without a published value count 0 in the budget (flagged) but
still give the member a *capability* used by the sharing game:

==================  ====================================================
capability          held by a member that ...
==================  ====================================================
``launch``          contributes a launch
``spacecraft``      contributes a spacecraft
``instrument``      contributes an instrument
``ground_station``  contributes a ground station
``ost_party``       is (or is based in) a party to the Outer Space Treaty
``resource_law``    is based in a state with a national space-resources law
==================  ====================================================

A mission needs the capabilities listed in ``[sharing] required`` of
``cost_model.toml`` (default ``ost_party``: OST Art. VI makes the
"appropriate State" authorise and supervise national activities in space).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from prospect.cost.model import CostModel, load_cost_model
from prospect.errors import InputError

__all__ = [
    "CAPABILITIES",
    "capability_mask",
    "consortia_table",
    "member_budgets",
    "member_capabilities",
    "member_frameworks",
]

CAPABILITIES = ("launch", "spacecraft", "instrument", "ground_station", "ost_party", "resource_law")


def capability_mask(names) -> int:
    """Bitmask of capability names (bit i = ``CAPABILITIES[i]``).

    Examples
    --------
    >>> capability_mask(["launch", "ost_party"])
    17
    """
    mask = 0
    for n in names:
        if n not in CAPABILITIES:
            raise InputError(
                f"unknown capability {n!r} (known: {', '.join(CAPABILITIES)})",
                option="capabilities",
            )
        mask |= 1 << CAPABILITIES.index(n)
    return mask


def member_capabilities(member) -> list[str]:
    """Capabilities of one member (see the module docstring)."""
    caps = {c.kind for c in member.contributions if c.kind in CAPABILITIES}
    legal = getattr(member, "legal", None)
    if legal is not None:
        if legal.ost_party:
            caps.add("ost_party")
        if legal.space_resources_law is not None:
            caps.add("resource_law")
    return [c for c in CAPABILITIES if c in caps]


def _year(contribution, consortium) -> tuple[int | None, str | None]:
    if contribution.year is not None:
        return int(contribution.year), None
    announced = str(getattr(consortium, "announced", "") or "")[:4]
    if announced.isdigit():
        return int(
            announced
        ), f"year not given: the consortium's announcement year {announced} used"
    return None, "year not given: the output dollar year used"


def member_budgets(
    consortium, model: CostModel | None = None
) -> tuple[dict[str, float], list[str]]:
    """Each member's valued contributions in $M of the output dollar year.

    Returns
    -------
    budgets : dict member name -> $M
    flags : list of str
        Conversions, missing values.

    Raises
    ------
    InputError
        A negative or non-finite contribution value (names the member).
    """
    model = model or load_cost_model()
    out: dict[str, float] = {}
    flags: list[str] = []
    unvalued = 0
    for m in consortium.members:
        total = 0.0
        for c in m.contributions:
            v = c.value
            if v is None or (isinstance(v, float) and math.isnan(v)):
                unvalued += 1
                continue
            if not (math.isfinite(v) and v >= 0):
                raise InputError(
                    f"consortium '{consortium.name}', member '{m.name}': contribution "
                    f"'{c.kind}' must be a finite amount >= 0, got {v!r}",
                    option="contribution",
                )
            year, note = _year(c, consortium)
            musd, f = model.money_musd(v, c.currency or "USD", year or model.output_dollar_year)
            total += musd
            for x in [*f, *([f"{m.name}: {note}"] if note else [])]:
                if x not in flags:
                    flags.append(x)
        out[m.name] = total
    if unvalued:
        flags.append(
            f"{unvalued} contribution(s) without a published value count 0 in the budget "
            "(they still give capabilities)"
        )
    return out, flags


def member_frameworks(member) -> dict:
    """Legal position of a member's state (OST, space-resources law, Accords, ILRS)."""
    legal = getattr(member, "legal", None)
    if legal is None:
        return {
            "country": member.country,
            "ost_party": None,
            "space_resources_law": None,
            "artemis_accords": None,
            "ilrs": None,
        }
    return {
        "country": member.country,
        "ost_party": legal.ost_party,
        "space_resources_law": legal.space_resources_law.name
        if legal.space_resources_law
        else None,
        "artemis_accords": legal.artemis_accords.date if legal.artemis_accords else None,
        "ilrs": legal.ilrs.date if legal.ilrs else None,
    }


def _frameworks_text(consortium) -> str:
    tags = set()
    for m in consortium.members:
        f = member_frameworks(m)
        if f["space_resources_law"]:
            tags.add(f"resource law ({m.country})")
        if f["artemis_accords"]:
            tags.add("Artemis Accords")
        if f["ilrs"]:
            tags.add("ILRS")
        if f["ost_party"]:
            tags.add("OST")
    return ", ".join(sorted(tags))


def consortia_table(consortia: Mapping, model: CostModel | None = None) -> pd.DataFrame:
    """One row per consortium: members, interests, frameworks, budget ($M output year).

    ``budget_musd`` is the sum of the members' valued contributions; the
    consortium's own ``budget`` record (e.g. an envelope) is shown beside it.
    """
    model = model or load_cost_model()
    rows = []
    for name, c in consortia.items():
        budgets, _ = member_budgets(c, model)
        declared = None
        if c.budget is not None:
            year = c.budget.year or int(str(c.announced)[:4])
            declared = model.money_musd(c.budget.value, c.budget.currency, year)[0]
        rows.append(
            {
                "name": name,
                "label": c.label,
                "era": c.era,
                "members": len(c.members),
                "member_names": "; ".join(m.name for m in c.members),
                "interests": ", ".join(c.interests),
                "frameworks": _frameworks_text(c),
                "budget_musd": float(sum(budgets.values())),
                "declared_budget_musd": declared,
                "dollar_year": model.output_dollar_year,
            }
        )
    return pd.DataFrame(rows)
