"""Parser of JPL Small-Body Database (SBDB) query exports in CSV.

The SBDB query tool (https://ssd.jpl.nasa.gov/tools/sbdb_query.html, and its
API https://ssd-api.jpl.nasa.gov/doc/sbdb_query.html) writes one header line
of field names and one row per object.  Field names used here (any case):

* identity: ``full_name`` ("   433 Eros (A898 PA)", "       (2000 SG344)"),
  ``pdes`` (primary designation: the number if numbered), ``name``;
* orbit (heliocentric ecliptic J2000): ``a`` au (or ``q`` au), ``e``, ``i``,
  ``om``, ``w`` deg, ``ma`` deg (or ``tp`` JD TDB), ``epoch`` JD TDB (or
  ``epoch_mjd``);
* optional: ``H``, ``G``, ``diameter`` km, ``albedo``, ``spec_B``, ``spec_T``,
  ``class`` (IEO/ATE/APO/AMO...), ``pha`` / ``neo`` (Y/N),
  ``condition_code`` (0-9), ``n_obs_used``, ``data_arc`` days.

JPL epochs are TDB; they are used as TT (the two differ by < 2 ms).
"""

from __future__ import annotations

import csv
import math
import re

from prospect.catalog._io import decode_text
from prospect.catalog.ranges import check_orbit
from prospect.catalog.schema import (
    JPL_ATTRIBUTION,
    PARSED_COLUMNS,
    RecordSink,
    build_frame,
    check_number,
    to_count,
    to_float,
)
from prospect.core.constants import GAUSS_K
from prospect.errors import CatalogFormatError

__all__ = ["JPL_CLASSES", "parse_sbdb_csv"]

#: JPL orbit class codes (SBDB documentation) -> names used in the NEA table.
JPL_CLASSES = {
    "IEO": "Atira",
    "ATE": "Aten",
    "APO": "Apollo",
    "AMO": "Amor",
    "MCA": "Mars-crosser",
    "IMB": "Inner main belt",
    "MBA": "Main belt",
    "OMB": "Outer main belt",
    "TJN": "Jupiter Trojan",
    "CEN": "Centaur",
    "TNO": "TNO",
    "AST": "Asteroid",
}

_FULL_NUMBERED = re.compile(r"^(\d{1,12})(?!\d)\s*(.*)$")  # 12 digits: int() stays cheap
_PARENS = re.compile(r"^(.*?)\s*\(([^()]+)\)$")
#: canonical column -> SBDB CSV column of the range-checked physical fields.
_PHYSICAL_FIELDS = {
    "h_mag": "H",
    "g_slope": "G",
    "diameter_km": "diameter",
    "albedo": "albedo",
    "arc_days": "data_arc",
}
_YES = {"y", "yes", "true", "1", "t"}
_NO = {"n", "no", "false", "0", "f", ""}


def _parse_full_name(full: str):
    """(number or None, name or None, designation or None) from a JPL full name."""
    text = " ".join(full.split())
    number = None
    m = _FULL_NUMBERED.match(text)
    if m:
        number = int(m.group(1))
        text = m.group(2)
    m = _PARENS.match(text)
    if m:
        name, desig = m.group(1) or None, m.group(2)
    elif number is None:
        name, desig = None, text or None
    else:
        name, desig = text or None, None
    return number, name, desig


def _flag(value: str, *, path, record, field) -> bool:
    v = value.strip().lower()
    if v in _YES:
        return True
    if v in _NO:
        return False
    raise CatalogFormatError(f"{value!r} is not Y or N", path=path, record=record, field=field)


def parse_sbdb_csv(data: bytes, *, path=None, skip_bad: bool = False, extra_attrs=None):
    """Parse a JPL SBDB CSV export (unpacked bytes) into the NEA table.

    Parameters
    ----------
    data : bytes
        CSV text with a header line.
    path : str, optional
        File name for messages and ``attrs["path"]``.
    skip_bad : bool
        Skip bad rows (listed in ``attrs["skipped"]``) instead of raising.

    Returns
    -------
    pandas.DataFrame
        See :mod:`prospect.catalog.schema`; measured ``diameter``/``albedo``
        are kept (``*_source == "catalog"``).

    Raises
    ------
    CatalogFormatError
        Missing required columns, rows of the wrong length, bad values.

    Examples
    --------
    >>> csv_text = (
    ...     '"full_name","a","e","i","om","w","ma","epoch","H","diameter","albedo","spec_B"\\n'
    ...     '" 101955 Bennu (1999 RQ36)",1.1260025,0.2036974,6.03279,1.96896,66.40729,'
    ...     '267.46894,2461000.5,20.68,0.490,0.044,"B"\\n')
    >>> df = parse_sbdb_csv(csv_text.encode())
    >>> row = df.iloc[0]
    >>> row["label"], row["designation"], float(row["diameter_km"]), row["diameter_source"]
    ('101955 Bennu', '1999 RQ36', 0.49, 'catalog')
    """
    text = decode_text(data, path)
    lines = text.split("\n")
    try:
        reader = csv.reader(lines, strict=True)
        header = next(reader, None)
    except csv.Error as exc:
        raise CatalogFormatError(f"bad CSV header: {exc}", path=path, record=1) from None
    if not header:
        raise CatalogFormatError("empty file (no CSV header)", path=path, record=1)
    cols = [h.strip().lower() for h in header]
    pos = {c: k for k, c in enumerate(cols) if c}
    if len(pos) != len([c for c in cols if c]):
        dup = next(c for c in cols if c and cols.count(c) > 1)
        raise CatalogFormatError("duplicate column", path=path, record=1, field=dup)

    def need(*alts):
        for a in alts:
            if a in pos:
                return a
        raise CatalogFormatError(
            f"missing column (need {' or '.join(repr(a) for a in alts)})",
            path=path,
            record=1,
            field=alts[0],
        )

    c_a = need("a", "q")
    c_ma = need("ma", "tp")
    c_epoch = need("epoch", "epoch_mjd")
    for c in ("e", "i", "om", "w"):
        need(c)
    if not any(c in pos for c in ("full_name", "pdes", "name")):
        need("full_name", "pdes")
    names = {
        "a_au": c_a,
        "e": "e",
        "inc_deg": "i",
        "raan_deg": "om",
        "argp_deg": "w",
        "ma_deg": c_ma,
        "epoch_jd_tt": c_epoch,
    }

    sink = RecordSink(skip_bad)
    rows: dict[str, list] = {c: [] for c in PARSED_COLUMNS}
    refs: list[int] = []
    lineno = 1
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            lineno = reader.line_num
            sink.bad(CatalogFormatError(f"bad CSV: {exc}", path=path, record=lineno))
            continue
        lineno = reader.line_num
        if not rec or all(not f.strip() for f in rec):
            continue
        try:
            row = _row(rec, cols, pos, names, lineno, path)
        except CatalogFormatError as exc:
            sink.bad(exc)
            continue
        for c in PARSED_COLUMNS:
            rows[c].append(row[c])
        refs.append(lineno)
    return build_frame(
        rows,
        refs,
        sink=sink,
        path=path,
        fmt="sbdb-csv",
        source="JPL SBDB CSV",
        attribution=JPL_ATTRIBUTION,
        pha_known="pha" in pos,
        time_scale="TDB (used as TT; they differ by < 2 ms)",
        extra_attrs=extra_attrs,
    )


def _row(rec: list[str], cols, pos, names, lineno: int, path) -> dict:
    """One NEA-table row from a CSV record: identity -> orbit -> physical -> quality."""
    kw = {"path": path, "record": lineno}
    if len(rec) != len(cols):
        raise CatalogFormatError(
            f"row has {len(rec)} fields, the header has {len(cols)}", field="row", **kw
        )

    def get(col: str) -> str | None:
        k = pos.get(col)
        return None if k is None else rec[k]

    row: dict = dict.fromkeys(PARSED_COLUMNS)
    row.update(_identity(get, kw))
    _orbit(row, get, names, kw)
    _physical(row, get, kw)
    _quality(row, get, kw)
    check_orbit(row, {**names, **_PHYSICAL_FIELDS}, **kw)
    return row


def _identity(get, kw) -> dict:
    """``designation``, ``number``, ``name`` from ``full_name``, ``pdes`` and ``name``."""
    number = name = desig = None
    full = get("full_name")
    if full is not None and full.strip():
        number, name, desig = _parse_full_name(full)
    pdes = (get("pdes") or "").strip()
    if pdes:
        if pdes.isascii() and pdes.isdigit():
            if len(pdes) > 12:
                raise CatalogFormatError(
                    f"{pdes[:20]}... is not a minor-planet number", field="pdes", **kw
                )
            if number is not None and int(pdes) != number:
                raise CatalogFormatError(
                    f"pdes {pdes} disagrees with full_name number {number}", field="pdes", **kw
                )
            number = int(pdes)
        else:
            desig = " ".join(pdes.split())
    nm = (get("name") or "").strip()
    if nm:
        name = " ".join(nm.split())
    if number is not None:
        check_number(number, field="pdes", **kw)
    if desig is None and number is not None:
        desig = str(number)
    if not desig:
        raise CatalogFormatError("no designation (full_name/pdes empty)", field="full_name", **kw)
    return {"designation": desig, "number": number, "name": name}


def _orbit(row: dict, get, names, kw) -> None:
    """Elements (``a`` from ``q``, ``M`` from ``tp`` and epochs from MJD when so given), checked."""
    for col in ("e", "inc_deg", "raan_deg", "argp_deg"):
        row[col] = to_float(get(names[col]), field=names[col], required=True, **kw)
    e = row["e"]
    if names["a_au"] == "a":
        row["a_au"] = to_float(get("a"), field="a", required=True, **kw)
    else:
        q = to_float(get("q"), field="q", required=True, **kw)
        row["a_au"] = q / (1 - e) if e < 1 else -math.inf
    ep = to_float(get(names["epoch_jd_tt"]), field=names["epoch_jd_tt"], required=True, **kw)
    row["epoch_jd_tt"] = ep + 2_400_000.5 if names["epoch_jd_tt"] == "epoch_mjd" else ep
    if names["ma_deg"] == "ma":
        row["ma_deg"] = to_float(get("ma"), field="ma", required=True, **kw)
    else:
        # M = n (t - tp), n = k / a^1.5 rad/day (Gaussian constant k)
        tp = to_float(get("tp"), field="tp", required=True, **kw)
        check_orbit(row, names, **kw)  # a in range before n = k / a^1.5
        n_deg = math.degrees(GAUSS_K / row["a_au"] ** 1.5)
        row["ma_deg"] = ((row["epoch_jd_tt"] - tp) * n_deg) % 360.0


def _physical(row: dict, get, kw) -> None:
    """H, G, diameter, albedo and spectral classes, where given (range-checked by
    :func:`~prospect.catalog.ranges.check_orbit` with the rest of the row)."""
    for col, src, field in (
        ("h_mag", "h", "H"),
        ("g_slope", "g", "G"),
        ("diameter_km", "diameter", "diameter"),
    ):
        v = get(src)
        if v is not None:
            row[col] = to_float(v, field=field, required=False, **kw)
    v = get("albedo")
    if v is not None:
        row["albedo"] = to_float(v, field="albedo", required=False, **kw)
    for col, src in (("spec_b", "spec_b"), ("spec_t", "spec_t")):
        v = (get(src) or "").strip()
        row[col] = v or None


def _quality(row: dict, get, kw) -> None:
    """Condition code (U), orbit class, PHA flag, observations used and data arc."""
    cc = (get("condition_code") or "").strip()
    if cc:
        if not (len(cc) == 1 and cc.isascii() and cc.isdigit()):
            raise CatalogFormatError(
                f"{cc!r} is not a condition code 0-9", field="condition_code", **kw
            )
        row["u_param"] = float(cc)
    cls = (get("class") or "").strip().upper()
    if cls:
        row["orbit_class"] = JPL_CLASSES.get(cls)
    pha = get("pha")
    if pha is not None:
        row["pha"] = _flag(pha, field="pha", **kw)
    row["n_obs"] = to_count(get("n_obs_used"), field="n_obs_used", **kw)
    arc = get("data_arc")
    if arc is not None:
        row["arc_days"] = to_float(arc, field="data_arc", required=False, **kw)
