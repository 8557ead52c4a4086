#!/usr/bin/env python3
"""Regenerate the small catalog fixtures of tests/catalog from the shipped MPC file.

    python tests/catalog/data/make_fixtures.py

Writes, for a fixed list of objects picked from ``catalogs/mpc_nea_extended.json.gz``
(the MPC's NEA extended JSON, see catalogs/README.md):

* ``nea_small.json``   - their MPC JSON records, unchanged;
* ``nea_small.txt``    - the same records as MPC one-line orbits (NEA.txt), written
  column by column per the MPC's "Export Format for Minor-Planet Orbits"
  (https://minorplanetcenter.net/iau/info/MPOrbitFormat.html);
* ``mpcorb_small.dat`` - the same lines behind an MPCORB.DAT-style header;
* ``sbdb_small.csv``   - a JPL SBDB query CSV (column names of the SBDB query API,
  https://ssd-api.jpl.nasa.gov/doc/sbdb_query.html) holding the MPC's elements for
  some of them plus physical data (see README.md beside this script for sources).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO))

from prospect.catalog.designations import (  # noqa: E402
    jd_to_calendar,
    pack_epoch,
    pack_number,
    pack_provisional,
)

#: Objects picked (principal designations): named/numbered, unnumbered, the tilde
#: number range, an Atira, an Aten, a distant object, no-H, odd epochs, U = 'E',
#: one-opposition arcs.
PICK = [
    "A898 PA",  # (433) Eros, Amor
    "1999 RQ36",  # (101955) Bennu, Apollo PHA
    "2004 MN4",  # (99942) Apophis, Aten PHA
    "2000 SG344",  # unnumbered Aten
    "1999 JU3",  # (162173) Ryugu
    "1998 SF36",  # (25143) Itokawa
    "2008 EV5",  # (341843)
    "1996 GT",  # (65803) Didymos
    "2019 YS4",  # (620000): packed "~0000"
    "2022 WY5",  # (875056)
    "2016 XK24",  # "Distant Object"
    "2010 LF64",  # no H, G
]


def _extra(records):
    """An Atira, an odd-epoch record, a U='E' record and a 1-opposition orbit."""
    out = []
    want = {
        "atira": lambda r: r.get("Orbit_type") == "Atira" and "Number" not in r,
        "epoch": lambda r: r["Epoch"] != 2461000.5,
        "u_e": lambda r: r.get("U") == "E",
        "one_opp": lambda r: "Arc_length" in r and "H" in r and r.get("U") == "9",
    }
    for _key, test in want.items():
        out.append(next(r for r in records if test(r)))
    return out


def mpcorb_line(r: dict) -> str:
    """One MPC one-line orbit from an MPC JSON record (columns per MPOrbitFormat.html)."""
    if "Number" in r:
        packed = pack_number(int(r["Number"].strip("()")))
        readable = f"{r['Number']} {r.get('Name') or r['Principal_desig']}"
    else:
        packed = pack_provisional(r["Principal_desig"])
        readable = r["Principal_desig"]
    y, m, d = jd_to_calendar(r["Epoch"])
    epoch = pack_epoch(y, m, int(d))
    h = f"{r['H']:5.2f}" if "H" in r else " " * 5
    g = f"{r['G']:5.2f}" if "G" in r else " " * 5
    arc = r.get("Arc_years") or f"{r['Arc_length']:4d} days"
    last = r["Last_obs"].replace("-", "")
    line = (
        f"{packed:<7} {h} {g} {epoch} {r['M']:9.5f}  {r['Peri']:9.5f}  {r['Node']:9.5f}  "
        f"{r['i']:9.5f}  {r['e']:9.7f} {r['n']:11.8f} {r['a']:11.7f}  {r.get('U', ' '):1} "
        f"{r['Ref']:<9} {r['Num_obs']:5d} {r['Num_opps']:3d} {arc:<9} {r['rms']:4.2f} "
        f"{r.get('Perturbers', ''):<3} {r.get('Perturbers_2', ''):<3} {r['Computer']:<10} "
        f"{r['Hex_flags']:>4} {readable:<28}{last:8}"
    )
    assert len(line) == 202, (len(line), line)
    return line


#: Physical data for the SBDB fixture, each with its source (DOMAIN.md section 3.3):
#: Bennu mean radius 245 m, albedo 0.044, type B (Tholen F); Ryugu Cb, mean radius
#: 448 m; Itokawa S; 2008 EV5 albedo 0.12, C; Eros S; Didymos S.
PHYSICAL = {
    "(101955)": {"diameter": 0.490, "albedo": 0.044, "spec_B": "B", "spec_T": "F"},
    "(162173)": {"diameter": 0.896, "spec_B": "Cb"},
    "(25143)": {"spec_B": "S"},
    "(341843)": {"albedo": 0.12, "spec_B": "C"},
    "(433)": {"spec_B": "S", "spec_T": "S"},
    "(65803)": {"spec_B": "S"},
}
SBDB_COLUMNS = [
    "full_name", "pdes", "name", "a", "e", "i", "om", "w", "ma", "epoch", "H", "G",
    "diameter", "albedo", "spec_B", "spec_T", "class", "neo", "pha", "condition_code",
    "n_obs_used", "data_arc",
]  # fmt: skip
JPL_KEYS = ["a", "e", "i", "om", "w", "ma", "epoch"]
MPC_KEYS = ["a", "e", "i", "Node", "Peri", "M", "Epoch"]
_JPL_CLASS = {"Atira": "IEO", "Aten": "ATE", "Apollo": "APO", "Amor": "AMO"}


def sbdb_row(r: dict) -> dict:
    num = r.get("Number")
    if num:
        n = num.strip("()")
        name = r.get("Name", "")
        desig = r["Principal_desig"]
        full = f"{n:>7} {name} ({desig})" if name else f"{n:>7} ({desig})"
        pdes = n
    else:
        full = f"       ({r['Principal_desig']})"
        pdes, name = r["Principal_desig"], ""
    row = {
        "full_name": full,
        "pdes": pdes,
        "name": name,
        **{k: r[s] for k, s in zip(JPL_KEYS, MPC_KEYS, strict=True)},
        "H": r.get("H", ""),
        "G": r.get("G", ""),
        "class": _JPL_CLASS.get(r["Orbit_type"], ""),
        "neo": "Y",
        "pha": "Y" if r.get("PHA_flag") == 1 else "N",
        "condition_code": r.get("U", "") if r.get("U", "").isdigit() else "",
        "n_obs_used": r["Num_obs"],
        "data_arc": r.get("Arc_length", ""),
    }
    row.update(PHYSICAL.get(num or "", {}))
    return {c: row.get(c, "") for c in SBDB_COLUMNS}


def main() -> None:
    records = json.loads(gzip.decompress((REPO / "catalogs/mpc_nea_extended.json.gz").read_bytes()))
    by_des = {r["Principal_desig"]: r for r in records}
    picked = [by_des[d] for d in PICK] + _extra(records)
    (HERE / "nea_small.json").write_text(json.dumps(picked, indent=1) + "\n")
    lines = [mpcorb_line(r) for r in picked]
    (HERE / "nea_small.txt").write_text("\n".join(lines) + "\n")
    header = [
        "MINOR PLANET CENTER ORBIT DATABASE (MPCORB) - test fixture in the MPCORB.DAT layout",
        "",
        "Des'n     H     G   Epoch     M        Peri.      Node       Incl.       e"
        "            n           a        Reference #Obs #Opp    Arc    rms  Perts   Computer",
        "-" * 160,
    ]  # fmt: skip
    (HERE / "mpcorb_small.dat").write_text("\n".join(header + lines) + "\n")

    # SBDB's CSV: text quoted, numbers bare, unknown values empty
    def cell(v) -> str:
        if isinstance(v, (int, float)):
            return repr(v)
        return "" if v == "" else '"' + str(v).replace('"', '""') + '"'

    rows = [",".join(f'"{c}"' for c in SBDB_COLUMNS)]
    for r in picked[:8]:
        rows.append(",".join(cell(v) for v in sbdb_row(r).values()))
    (HERE / "sbdb_small.csv").write_text("\n".join(rows) + "\n")
    print(f"wrote {len(picked)} objects to nea_small.json/.txt and mpcorb_small.dat, 8 to the CSV")


if __name__ == "__main__":
    main()
