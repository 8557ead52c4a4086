"""Parser of the MPC one-line orbit format (MPCORB.DAT, NEA.txt, ...).

Columns per the MPC's "Export Format for Minor-Planet Orbits"
(https://minorplanetcenter.net/iau/info/MPOrbitFormat.html; 1-based, inclusive):

=========  =====  ===============================================================
columns    F77    use
=========  =====  ===============================================================
1-7        a7     number or provisional designation, packed
9-13       f5.2   absolute magnitude H
15-19      f5.2   slope parameter G
21-25      a5     epoch, packed date (.0 TT)
27-35      f9.5   mean anomaly at the epoch, deg
38-46      f9.5   argument of perihelion, J2000.0, deg
49-57      f9.5   longitude of the ascending node, J2000.0, deg
60-68      f9.5   inclination to the ecliptic, J2000.0, deg
71-79      f9.7   eccentricity
81-91      f11.8  mean daily motion, deg/day
93-103     f11.7  semimajor axis, au
106        i1/a1  uncertainty parameter U (or E, D, F)
108-116    a9     reference
118-122    i5     number of observations
124-126    i3     number of oppositions
128-136           "1974-2021" (first-last year) or "  30 days" (arc, one opposition)
138-141    f4.2   r.m.s. residual, arcsec
143-145    a3     coarse indicator of perturbers
147-149    a3     precise indicator of perturbers
151-160    a10    computer name
162-165    z4.4   hex flags: bits 0-5 orbit type (1 Atira, 2 Aten, 3 Apollo, 4 Amor,
                  5 q < 1.665 au, 6 Hungaria, 8 Hilda, 9 Jupiter Trojan, 10 distant),
                  bit 11 NEO, bit 12 1-km NEO, bit 13 1-opposition seen earlier,
                  bit 14 critical list, bit 15 PHA
167-194    a      readable designation: "(433) Eros", "(7482) 1994 PC1", "2000 SG344"
195-202    i8     date of last observation, YYYYMMDD
=========  =====  ===============================================================

MPCORB.DAT starts with a text header that ends at a line of dashes; NEA.txt
has no header.  Lines may stop after column 103 (the optional fields are then
unknown); a data line shorter than that, longer than 202 columns, or with a
character in a column the format leaves blank is an error.
"""

from __future__ import annotations

import re

from prospect.catalog._io import decode_text
from prospect.catalog.designations import unpack_epoch_jd, unpack_number, unpack_provisional
from prospect.catalog.ranges import check_orbit
from prospect.catalog.schema import (
    MPC_ATTRIBUTION,
    PARSED_COLUMNS,
    RecordSink,
    build_frame,
    to_count,
    to_float,
)
from prospect.errors import CatalogFormatError

__all__ = ["MAX_WIDTH", "MIN_WIDTH", "parse_mpcorb"]

#: A data line must reach the semimajor axis (column 103) ...
MIN_WIDTH = 103
#: ... and the format ends at column 202.
MAX_WIDTH = 202

#: canonical column -> (0-based slice, field name used in messages).
FIELDS = {
    "h_mag": (slice(8, 13), "H (cols 9-13)"),
    "g_slope": (slice(14, 19), "G (cols 15-19)"),
    "ma_deg": (slice(26, 35), "mean anomaly (cols 27-35)"),
    "argp_deg": (slice(37, 46), "argument of perihelion (cols 38-46)"),
    "raan_deg": (slice(48, 57), "node (cols 49-57)"),
    "inc_deg": (slice(59, 68), "inclination (cols 60-68)"),
    "e": (slice(70, 79), "eccentricity (cols 71-79)"),
    "a_au": (slice(92, 103), "semimajor axis (cols 93-103)"),
}
_NAMES = {col: name for col, (_, name) in FIELDS.items()}
_NAMES["epoch_jd_tt"] = "epoch (cols 21-25)"
_NAMES["arc_days"] = "arc (cols 128-136)"

#: 0-based columns the format leaves blank (8, 14, 20, 26, 36-37, 47-48, 58-59,
#: 69-70, 80, 92, 104-105, 107, 117, 123, 127 in the MPC's 1-based numbering).
BLANK_COLUMNS = (
    7,
    13,
    19,
    25,
    35,
    36,
    46,
    47,
    57,
    58,
    68,
    69,
    79,
    91,
    103,
    104,
    106,
    116,
    122,
    126,
)

#: Orbit types coded in the low 6 bits of the hex flags (MPOrbitFormat.html).
HEX_ORBIT_TYPES = {
    1: "Atira",
    2: "Aten",
    3: "Apollo",
    4: "Amor",
    5: "q<1.665",
    6: "Hungaria",
    8: "Hilda",
    9: "Jupiter Trojan",
    10: "Distant Object",
}
_PHA_BIT = 1 << 15

_READABLE_NUM = re.compile(r"^\((\d+)\)\s*(.*)$")
_PROVISIONAL = re.compile(r"^(\d{4} [A-Z]{2}\d*|\d{4} (P-L|T-[123])|A\d{3} [A-Z]{2}\d*)$")
_ARC_YEARS = re.compile(r"^(\d{4})-(\d{4})$")
_ARC_DAYS = re.compile(r"^(\d+)\s*days?$")
_HEX = set("0123456789ABCDEFabcdef")

#: Julian year, days (IAU), for "first-last year" arcs.
_YEAR_D = 365.25


def _line(line: str, lineno: int, path) -> dict:
    kw = {"path": path, "record": lineno}
    width = len(line)
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise CatalogFormatError(
            f"line is {width} columns wide; an MPC orbit line has {MIN_WIDTH}-{MAX_WIDTH}",
            field="line width",
            **kw,
        )
    line = line.ljust(MAX_WIDTH)
    for c in BLANK_COLUMNS:
        if line[c] != " ":
            raise CatalogFormatError(
                f"column {c + 1} should be blank but holds {line[c]!r} (misaligned line?)",
                field=f"column {c + 1}",
                **kw,
            )
    row: dict = dict.fromkeys(PARSED_COLUMNS)
    packed = line[0:7].strip()
    try:
        if len(packed) == 5:
            row["number"] = unpack_number(packed)
        elif len(packed) == 7:
            row["designation"] = unpack_provisional(packed)
        else:
            raise ValueError(f"{packed!r} is neither a 5- nor a 7-character packed designation")
    except ValueError as exc:
        raise CatalogFormatError(str(exc), field="designation (cols 1-7)", **kw) from None
    row["packed"] = packed

    readable = " ".join(line[166:194].split())
    m = _READABLE_NUM.match(readable)
    if row["number"] is not None:
        rest = m.group(2) if m and int(m.group(1)) == row["number"] else ""
        if _PROVISIONAL.match(rest):
            row["designation"] = rest
        else:
            row["name"] = rest or None
            row["designation"] = str(row["number"])
    try:
        row["epoch_jd_tt"] = unpack_epoch_jd(line[20:25])
    except ValueError as exc:
        raise CatalogFormatError(str(exc), field=_NAMES["epoch_jd_tt"], **kw) from None
    for col, (sl, name) in FIELDS.items():
        row[col] = to_float(line[sl], field=name, required=col not in ("h_mag", "g_slope"), **kw)

    u = line[105]
    row["u_param"] = float(u) if u.isdigit() and u.isascii() else None
    row["n_obs"] = to_count(line[117:122], field="observations (cols 118-122)", **kw)
    row["n_opp"] = to_count(line[123:126], field="oppositions (cols 124-126)", **kw)
    arc = " ".join(line[127:136].split())
    if arc:
        m_years = _ARC_YEARS.match(arc)
        m_days = _ARC_DAYS.match(arc)
        if m_years and int(m_years.group(2)) >= int(m_years.group(1)):
            row["arc_days"] = (int(m_years.group(2)) - int(m_years.group(1))) * _YEAR_D
        elif m_days:
            row["arc_days"] = float(m_days.group(1))
        else:
            raise CatalogFormatError(
                f"{arc!r} is neither 'YYYY-YYYY' nor 'N days'", field="arc (cols 128-136)", **kw
            )
    flags = line[161:165].strip()
    if flags:
        if len(flags) != 4 or any(c not in _HEX for c in flags):
            raise CatalogFormatError(
                f"{flags!r} is not 4 hex digits", field="hex flags (cols 162-165)", **kw
            )
        value = int(flags, 16)
        row["orbit_class"] = HEX_ORBIT_TYPES.get(value & 0x3F)
        row["pha"] = bool(value & _PHA_BIT)
    check_orbit(row, _NAMES, **kw)
    return row


def parse_mpcorb(data: bytes, *, path=None, skip_bad: bool = False, extra_attrs=None):
    """Parse MPC one-line orbits (MPCORB.DAT, NEA.txt; unpacked bytes) into the NEA table.

    Parameters
    ----------
    data : bytes
        File contents (gzip already removed).
    path : str, optional
        File name for messages and ``attrs["path"]``.
    skip_bad : bool
        Skip bad lines (listed in ``attrs["skipped"]``) instead of raising.

    Returns
    -------
    pandas.DataFrame
        See :mod:`prospect.catalog.schema`.  ``designation`` is the number as
        text for numbered objects whose line names them ("(433) Eros") rather
        than giving their provisional designation.

    Examples
    --------
    >>> line = ("00433   10.38  0.15 K25BL 310.55432  178.92976  304.27010   10.82847"
    ...         "  0.2228360  0.55977530   1.4581210  0 E2026-C73 16951  59 1893-2026 0.62"
    ...         " M-v 3Ek MPCORBFIT  1804 (433) Eros                  20260210")
    >>> df = parse_mpcorb(line.encode())
    >>> row = df.iloc[0]
    >>> row["label"], float(row["epoch_jd_tt"]), row["orbit_class"], int(row["n_obs"])
    ('433 Eros', 2461000.5, 'Amor', 16951)
    """
    text = decode_text(data, path)
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    start = 0
    for k, line in enumerate(lines[:500]):
        if line.startswith("-----"):
            start = k + 1
            break
    sink = RecordSink(skip_bad)
    rows: dict[str, list] = {c: [] for c in PARSED_COLUMNS}
    refs: list[int] = []
    any_flags = False
    for lineno, line in enumerate(lines[start:], start=start + 1):
        if not line.strip():
            continue
        try:
            row = _line(line, lineno, path)
        except CatalogFormatError as exc:
            sink.bad(exc)
            continue
        any_flags |= row["pha"] is not None
        for c in PARSED_COLUMNS:
            rows[c].append(row[c])
        refs.append(lineno)
    return build_frame(
        rows,
        refs,
        sink=sink,
        path=path,
        fmt="mpcorb",
        source="MPC one-line orbits (MPCORB format)",
        attribution=MPC_ATTRIBUTION,
        pha_known=any_flags,
        extra_attrs=extra_attrs,
    )
