"""Parser of the MPC's extended JSON orbit files (``nea_extended.json.gz``).

Format: "Guide to the Extended Versions of MPC Data Files Based on the MPCORB
Format" (J. L. Galache, MPC, 2016): a JSON array with one object per minor
planet, keys named after the MPCORB fields (``a`` au, ``e``, ``i``/``Node``/
``Peri``/``M`` deg in the J2000 ecliptic, ``Epoch`` JD TT, ``H``, ``G``, ``U``,
``Principal_desig``, ``Number`` like ``"(433)"``, ``Name``, ``Orbit_type``,
``PHA_flag``, ``Num_obs``, ``Num_opps``, ``Arc_length`` days or ``Arc_years``
``"1893-2026"``, ``Other_desigs``).  Flags such as ``PHA_flag`` are present
(value 1) only when set.
"""

from __future__ import annotations

import json
import math
import re

from prospect.catalog.ranges import H_UNKNOWN_MPC, check_orbit
from prospect.catalog.schema import (
    MPC_ATTRIBUTION,
    PARSED_COLUMNS,
    RecordSink,
    build_frame,
    check_number,
    to_count,
    to_float,
)
from prospect.errors import CatalogFormatError

__all__ = ["parse_mpc_json"]

#: canonical column -> MPC JSON key (for messages and parsing).
FIELDS = {
    "a_au": "a",
    "e": "e",
    "inc_deg": "i",
    "raan_deg": "Node",
    "argp_deg": "Peri",
    "ma_deg": "M",
    "epoch_jd_tt": "Epoch",
}

#: canonical column -> MPC JSON key of every range-checked field.
_CHECKED = {
    **FIELDS,
    "h_mag": "H",
    "g_slope": "G",
}

_NUMBER_RE = re.compile(r"^\(?\s*(\d{1,12})\s*\)?$")  # 12 digits: int() stays cheap
_ARC_YEARS_RE = re.compile(r"^(\d{4})-(\d{4})$")
_U_DIGIT = set("0123456789")

#: Julian year, days (IAU), used to turn "first-last year" spans into days.
_YEAR_D = 365.25


def _text(value, *, path, record, field, required=False) -> str | None:
    if value is None:
        if required:
            raise CatalogFormatError("missing value", path=path, record=record, field=field)
        return None
    if not isinstance(value, str):
        raise CatalogFormatError(
            f"expected text, got {type(value).__name__}", path=path, record=record, field=field
        )
    text = " ".join(value.split())
    if required and not text:
        raise CatalogFormatError("empty value", path=path, record=record, field=field)
    return text or None


def _record(rec, idx: int, path) -> tuple[dict, str]:
    """One JSON object -> canonical values; raise CatalogFormatError naming the field."""
    ref = f"#{idx}"
    if not isinstance(rec, dict):
        raise CatalogFormatError(
            f"expected a JSON object, got {type(rec).__name__}", path=path, record=ref
        )
    desig = rec.get("Principal_desig")
    if isinstance(desig, str) and desig.strip():
        ref = f"#{idx} ({' '.join(desig.split())[:30]})"
    kw = {"path": path, "record": ref}
    row: dict = dict.fromkeys(PARSED_COLUMNS)
    row["designation"] = _text(desig, field="Principal_desig", required=True, **kw)

    num = rec.get("Number")
    if num is not None:
        if isinstance(num, bool) or not isinstance(num, (int, str)):
            raise CatalogFormatError(
                f"expected text like '(433)', got {type(num).__name__}", field="Number", **kw
            )
        m = _NUMBER_RE.match(str(num).strip())
        if not m:
            raise CatalogFormatError(f"{num!r} is not a minor-planet number", field="Number", **kw)
        row["number"] = check_number(int(m.group(1)), field="Number", **kw)
    row["name"] = _text(rec.get("Name"), field="Name", **kw)
    others = rec.get("Other_desigs")
    if others is not None:
        if not isinstance(others, list) or not all(isinstance(o, str) for o in others):
            raise CatalogFormatError("expected a list of designations", field="Other_desigs", **kw)
        row["other_designations"] = ", ".join(" ".join(o.split()) for o in others) or None

    for col, key in FIELDS.items():
        row[col] = to_float(rec.get(key), field=key, required=True, **kw)
    row["h_mag"] = to_float(rec.get("H"), field="H", required=False, **kw)
    if row["h_mag"] == H_UNKNOWN_MPC:
        row["h_mag"] = math.nan
    row["g_slope"] = to_float(rec.get("G"), field="G", required=False, **kw)

    u = rec.get("U")
    if isinstance(u, str):
        u = u.strip()
        row["u_param"] = float(u) if len(u) == 1 and u in _U_DIGIT else None
    elif u is not None:
        x = to_float(u, field="U", required=False, **kw)
        if not (0 <= x <= 9 and x == int(x)):
            raise CatalogFormatError(f"{u!r} is not an uncertainty parameter 0-9", field="U", **kw)
        row["u_param"] = x

    row["orbit_class"] = _text(rec.get("Orbit_type"), field="Orbit_type", **kw)
    pha = rec.get("PHA_flag")
    if pha not in (None, 0, 1):
        raise CatalogFormatError(f"{pha!r} is not a flag (0/1)", field="PHA_flag", **kw)
    row["pha"] = pha == 1
    row["n_obs"] = to_count(rec.get("Num_obs"), field="Num_obs", **kw)
    row["n_opp"] = to_count(rec.get("Num_opps"), field="Num_opps", **kw)
    arc = rec.get("Arc_length")
    if arc is not None:
        row["arc_days"] = to_count(arc, field="Arc_length", **kw)
    else:
        years = rec.get("Arc_years")
        if years is not None:
            m = _ARC_YEARS_RE.match(years.strip()) if isinstance(years, str) else None
            if not m or int(m.group(2)) < int(m.group(1)):
                raise CatalogFormatError(
                    f"{years!r} is not a year span like '1893-2026'", field="Arc_years", **kw
                )
            row["arc_days"] = (int(m.group(2)) - int(m.group(1))) * _YEAR_D
    arc_key = "Arc_length" if rec.get("Arc_length") is not None else "Arc_years"
    check_orbit(row, {**_CHECKED, "arc_days": arc_key}, **kw)
    return row, ref


def parse_mpc_json(data: bytes, *, path=None, skip_bad: bool = False, extra_attrs=None):
    """Parse MPC extended JSON (already unpacked bytes) into the NEA table.

    Parameters
    ----------
    data : bytes
        The JSON document: an array of objects.
    path : str, optional
        File name for messages and ``attrs["path"]``.
    skip_bad : bool
        Skip bad records (listed in ``attrs["skipped"]``) instead of raising.

    Returns
    -------
    pandas.DataFrame
        See :mod:`prospect.catalog.schema`.

    Raises
    ------
    CatalogFormatError
        Invalid JSON, not an array, or (unless ``skip_bad``) a bad record.

    Examples
    --------
    >>> rec = ('[{"Principal_desig": "2000 SG344", "a": 0.9773979, "e": 0.0668828, '
    ...        '"i": 0.11311, "Node": 191.76887, "Peri": 275.56113, "M": 275.66, '
    ...        '"Epoch": 2461000.5, "H": 24.7, "Orbit_type": "Aten"}]')
    >>> df = parse_mpc_json(rec.encode())
    >>> df.loc[0, ["label", "packed", "orbit_class"]].tolist()
    ['2000 SG344', 'K00SY4G', 'Aten']
    >>> parse_mpc_json(rec.replace("0.0668828", "1.2").encode(), path="x.json")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    prospect.errors.CatalogFormatError: x.json: record #1 (2000 SG344): field 'e': ...
    """
    try:
        doc = json.loads(data)
    except RecursionError:
        raise CatalogFormatError("invalid JSON (nested too deeply)", path=path) from None
    except json.JSONDecodeError as exc:
        raise CatalogFormatError(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", path=path
        ) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise CatalogFormatError(f"invalid JSON text ({exc})", path=path) from None
    if not isinstance(doc, list):
        raise CatalogFormatError(
            f"expected a JSON array of orbit records, got a JSON {type(doc).__name__}", path=path
        )
    sink = RecordSink(skip_bad)
    rows: dict[str, list] = {c: [] for c in PARSED_COLUMNS}
    refs: list[str] = []
    for idx, rec in enumerate(doc, start=1):
        try:
            row, ref = _record(rec, idx, path)
        except CatalogFormatError as exc:
            sink.bad(exc)
            continue
        for c in PARSED_COLUMNS:
            rows[c].append(row[c])
        refs.append(ref)
    return build_frame(
        rows,
        refs,
        sink=sink,
        path=path,
        fmt="mpc-json",
        source="MPC extended JSON",
        attribution=MPC_ATTRIBUTION,
        pha_known=True,
        extra_attrs=extra_attrs,
    )
