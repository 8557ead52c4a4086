"""Legal frame of a plan: national space-resources laws, Artemis Accords/ILRS, OST, Moon Agreement.

Flags only (DOMAIN.md 7): which members' states have a space-resources law,
framework overlaps, the Moon's extra obligations and the benefit-sharing fund.
"""

from __future__ import annotations

from prospect.cost import consortia as _cons
from prospect.cost.target import TargetInfo

__all__ = ["legal_frame"]


def legal_frame(consortium, target: TargetInfo, fund_fraction: float) -> tuple[dict, list[str]]:
    members = {m.name: _cons.member_frameworks(m) for m in consortium.members}
    flags: list[str] = []
    laws = sorted({f["country"] for f in members.values() if f["space_resources_law"]})
    if laws:
        flags.append(
            "national space-resources law among the members: "
            + ", ".join(laws)
            + " (ownership of extracted resources under that law)"
        )
    else:
        flags.append(
            "no member state has a national space-resources law: ownership of extracted "
            "resources rests on the reading of OST Art. II"
        )
    accords = any(f["artemis_accords"] for f in members.values())
    ilrs = any(f["ilrs"] for f in members.values())
    if accords and ilrs:
        flags.append("members in both the Artemis Accords and the ILRS: align the frameworks")
    if target.kind == "moon":
        flags.append(
            "Moon: OST Art. I (benefit of all countries) and, for its 17 parties, Moon "
            "Agreement Art. 11 (common heritage, equitable sharing) apply"
        )
    if fund_fraction == 0.0:
        flags.append(
            "no benefit-sharing fund for non-member states (OST Art. I; Moon Agreement Art. 11; "
            "DOMAIN 7.2): set --fund"
        )
    return {"members": members, "resource_law_states": laws}, flags
