"""The one NEA table shape every loader returns, and the checks every record passes.

Columns (``NEA_COLUMNS``; DEVELOPERS.md "NEA table"), units in the names:

==================== ========= ==========================================================
column               dtype     meaning
==================== ========= ==========================================================
designation          str       principal designation, unpacked ("2000 SG344", "A898 PA");
                               for numbered objects whose file gives no provisional
                               designation (MPCORB named objects): the number as text
number               Int64     permanent number, <NA> if unnumbered
name                 str       name or NaN
packed               str       MPC packed designation ("00433", "K00SY4G"); NaN if none
label                str       display: "433 Eros", "(3753) 1986 TO", "2000 SG344"
other_designations   str       other designations, ", "-separated, or NaN
a_au                 float64   semimajor axis, au
e                    float64   eccentricity (0 <= e < 1)
inc_deg              float64   inclination to the J2000 ecliptic, deg
raan_deg             float64   longitude of the ascending node, J2000 ecliptic, deg
argp_deg             float64   argument of perihelion, J2000 ecliptic, deg
ma_deg               float64   mean anomaly at the epoch, deg
epoch_jd_tt          float64   epoch of osculation, Julian date TT
h_mag                float64   absolute magnitude H (NaN if unknown)
g_slope              float64   slope parameter G (NaN if unknown)
u_param              float64   MPC uncertainty parameter U 0-9 / JPL condition code
                               (NaN if unknown or a letter such as 'E')
orbit_class          str       Atira/Aten/Apollo/Amor (or the catalog's own class)
pha                  bool      potentially hazardous asteroid flag (False if unknown,
                               see ``df.attrs["pha_known"]``)
albedo               float64   geometric albedo pV (measured or estimated)
albedo_source        str       see :data:`prospect.catalog.physical.ALBEDO_SOURCES`; a value
                               joined from ``catalogs/nea_physical.csv`` names its source
diameter_km          float64   diameter, km (measured or from H and albedo)
diameter_source      str       see :data:`prospect.catalog.physical.DIAMETER_SOURCES`
diameter_min_km,     float64   diameter range for albedos 0.25 and 0.05 where the albedo
diameter_max_km                is not measured (NHATS convention); else both = diameter_km
spec_b, spec_t       str       Bus(-DeMeo) / Tholen spectral type (catalog file, else the
                               shipped physical table: JPL SBDB, DeMeo 2009, Tholen 1984)
spec_mahlke          str       Mahlke et al. 2022 class (shipped physical table) or NaN
spec_source          str       where each class came from ("spec_mahlke: Mahlke2022;
                               spec_b: SBDB-PHA-2025-10"), NaN if no class
n_obs, n_opp         Int64     observations / oppositions used in the orbit
arc_days             float64   observed arc, days (multi-opposition MPC orbits give
                               only years: (last - first year) * 365.25)
==================== ========= ==========================================================

Elements are heliocentric, ecliptic and mean equinox J2000 (the MPC's and
JPL's frame), osculating at ``epoch_jd_tt``; they assume the Sun's GM of the
Gaussian constant, ``df.attrs["gm_km3_s2"]``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from os import PathLike

import numpy as np
import pandas as pd

from prospect.catalog.designations import (
    MAX_PACKED_NUMBER,
    jd_to_calendar,
    pack_number,
    pack_provisional,
)
from prospect.catalog.physical import PHYSICAL_ATTRIBUTION, fill_physical, physical_digest
from prospect.core.constants import GM_SUN_KM3_S2
from prospect.errors import CatalogFormatError

#: Orbit uncertainty parameter U (MPC scale, 0 = best, 9 = worst) from which an orbit
#: is flagged as poorly known: U >= 7, where the predicted in-orbit longitude runoff
#: exceeds about 2 degrees per decade (U = 7: 2.1-9.2 deg; MPC "U" definition,
#: https://www.minorplanetcenter.net/iau/info/UValue.html).  The one home of the
#: threshold: rank's flag and the n-body Earth-approach table both read it.
U_POOR = 7

__all__ = [
    "NEA_COLUMNS",
    "SCHEMA_VERSION",
    "U_POOR",
    "build_frame",
    "orbit_class_from_elements",
]

#: Bump when the columns or their meaning change: cached conversions are redone.
SCHEMA_VERSION = 2

#: Column -> dtype of the NEA table, in order.
NEA_COLUMNS: dict[str, str] = {
    "designation": "str",
    "number": "Int64",
    "name": "str",
    "packed": "str",
    "label": "str",
    "other_designations": "str",
    "a_au": "float64",
    "e": "float64",
    "inc_deg": "float64",
    "raan_deg": "float64",
    "argp_deg": "float64",
    "ma_deg": "float64",
    "epoch_jd_tt": "float64",
    "h_mag": "float64",
    "g_slope": "float64",
    "u_param": "float64",
    "orbit_class": "str",
    "pha": "bool",
    "albedo": "float64",
    "albedo_source": "str",
    "diameter_km": "float64",
    "diameter_source": "str",
    "diameter_min_km": "float64",
    "diameter_max_km": "float64",
    "spec_b": "str",
    "spec_t": "str",
    "spec_mahlke": "str",
    "spec_source": "str",
    "n_obs": "Int64",
    "n_opp": "Int64",
    "arc_days": "float64",
}

#: Columns a parser fills (the rest is derived in :func:`build_frame`).
PARSED_COLUMNS = [
    "designation",
    "number",
    "name",
    "packed",
    "other_designations",
    "a_au",
    "e",
    "inc_deg",
    "raan_deg",
    "argp_deg",
    "ma_deg",
    "epoch_jd_tt",
    "h_mag",
    "g_slope",
    "u_param",
    "orbit_class",
    "pha",
    "albedo",
    "diameter_km",
    "spec_b",
    "spec_t",
    "n_obs",
    "n_opp",
    "arc_days",
]

#: Physical columns :func:`prospect.catalog.physical.fill_physical` derives.
_DERIVED_PHYSICAL = (
    "albedo_source",
    "diameter_source",
    "diameter_min_km",
    "diameter_max_km",
    "spec_mahlke",
    "spec_source",
)

#: CNEOS NEO group boundaries, au (https://cneos.jpl.nasa.gov/about/neo_groups.html):
#: Atira a < 1.0 and Q < 0.983; Aten a < 1.0 and Q > 0.983; Apollo a > 1.0 and
#: q < 1.017; Amor a > 1.0 and 1.017 < q < 1.3 (NEO: q < 1.3).
CNEOS_Q_EARTH_PERI = 0.983
CNEOS_Q_EARTH_APH = 1.017
CNEOS_NEO_Q = 1.3

MPC_ATTRIBUTION = (
    "Orbits and designations: IAU Minor Planet Center (MPC), "
    "https://minorplanetcenter.net; redistributed with attribution"
)
JPL_ATTRIBUTION = (
    "Orbits and physical data: NASA/JPL Small-Body Database (SBDB), https://ssd.jpl.nasa.gov"
)


class RecordSink:
    """Collects bad records: raises at the first one, or skips it (``skip_bad``)."""

    def __init__(self, skip_bad: bool):
        self.skip_bad = skip_bad
        self.skipped: list[str] = []

    def bad(self, exc: CatalogFormatError) -> None:
        if not self.skip_bad:
            raise exc
        self.skipped.append(str(exc))


def to_float(value, *, path, record, field, required: bool) -> float:
    """A finite float from a number or numeric text; NaN if absent and optional."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise CatalogFormatError("missing value", path=path, record=record, field=field)
        return math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise CatalogFormatError(
            f"expected a number, got {type(value).__name__}", path=path, record=record, field=field
        )
    try:
        x = float(value)
    except (ValueError, OverflowError):
        raise CatalogFormatError(
            f"{_short(value)} is not a number", path=path, record=record, field=field
        ) from None
    if not math.isfinite(x):
        raise CatalogFormatError(
            f"{_short(value)} is not a finite number", path=path, record=record, field=field
        )
    return x


def to_count(value, *, path, record, field) -> int | None:
    """A non-negative integer count, or None if absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise CatalogFormatError(
            f"expected a count, got {type(value).__name__}", path=path, record=record, field=field
        )
    try:
        x = float(value)
    except (ValueError, OverflowError):
        raise CatalogFormatError(
            f"{_short(value)} is not a count", path=path, record=record, field=field
        ) from None
    if not (math.isfinite(x) and x >= 0 and x == int(x) and x < 2**53):
        raise CatalogFormatError(
            f"{_short(value)} is not a non-negative whole number",
            path=path,
            record=record,
            field=field,
        )
    return int(x)


def check_number(number: int, *, path, record, field) -> int:
    """A permanent minor-planet number, 1 to the largest the MPC's packed form can
    carry (:data:`prospect.catalog.designations.MAX_PACKED_NUMBER`, 15,396,335)."""
    if not 1 <= number <= MAX_PACKED_NUMBER:
        raise CatalogFormatError(
            f"{_short(number)} is not a minor-planet number (1-{MAX_PACKED_NUMBER:,})",
            path=path,
            record=record,
            field=field,
        )
    return number


def _short(value, n: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= n else text[: n - 3] + "..."


def orbit_class_from_elements(a_au, e, rule: str = "cneos") -> np.ndarray:
    """NEO group of each orbit: Atira, Aten, Apollo, Amor or "non-NEO".

    Parameters
    ----------
    a_au, e : array_like
        Semimajor axis (au) and eccentricity, broadcast together.
    rule : {"cneos", "mpc"}
        ``"cneos"`` (default; https://cneos.jpl.nasa.gov/about/neo_groups.html):
        Atira a < 1 and Q < 0.983 au; Aten a < 1 and Q >= 0.983; Apollo a >= 1
        and q < 1.017; Amor a >= 1 and 1.017 <= q < 1.3 (Earth's perihelion
        and aphelion distances).  ``"mpc"``: the same with 1.0 au in place of
        0.983 and 1.017, which is what the MPC's ``Orbit_type`` follows (it
        reproduces all 40,871 NEO-group labels of the shipped MPC file).

    Returns
    -------
    ndarray of object (str)
        Group per orbit; "non-NEO" for q >= 1.3 au.

    Examples
    --------
    >>> orbit_class_from_elements([1.458, 0.9224], [0.2229, 0.1911]).tolist()
    ['Amor', 'Aten']
    >>> orbit_class_from_elements(1.642564, 0.383228, rule="mpc").tolist()  # Didymos
    'Amor'
    >>> orbit_class_from_elements(1.642564, 0.383228).tolist()  # q = 1.013 < 1.017
    'Apollo'
    """
    if rule == "cneos":
        q_in, q_out = CNEOS_Q_EARTH_PERI, CNEOS_Q_EARTH_APH
    elif rule == "mpc":
        q_in = q_out = 1.0
    else:
        raise ValueError(f"rule must be 'cneos' or 'mpc', not {rule!r}")
    a = np.asarray(a_au, dtype=float)
    ecc = np.asarray(e, dtype=float)
    q = a * (1 - ecc)
    big_q = a * (1 + ecc)
    return np.select(
        [
            (a < 1) & (big_q < q_in),
            (a < 1),
            (a >= 1) & (q < q_out),
            (a >= 1) & (q < CNEOS_NEO_Q),
        ],
        ["Atira", "Aten", "Apollo", "Amor"],
        default="non-NEO",
    ).astype(object)


def _label(number, name, designation) -> str:
    if number is None:
        return designation
    if isinstance(name, str) and name:
        return f"{number} {name}"
    if designation and designation != str(number):
        return f"({number}) {designation}"
    return f"({number})"


def _packed(number, designation):
    if number is not None:
        try:
            return pack_number(number)
        except ValueError:
            return None
    try:
        return pack_provisional(designation)
    except ValueError:
        return None


def epoch_summary(epochs: np.ndarray) -> tuple[float, str]:
    """Most common epoch and a one-line description of the epochs of a table."""
    if len(epochs) == 0:
        return math.nan, "no objects"
    values, counts = np.unique(epochs, return_counts=True)
    mode = float(values[np.argmax(counts)])
    n_mode = int(counts.max())

    def cal(jd: float) -> str:
        y, m, d = jd_to_calendar(jd)
        return f"{y:04d}-{m:02d}-{int(d):02d}"

    text = f"JD {mode} TT ({cal(mode)}) for {n_mode:,} of {len(epochs):,} objects"
    others = epochs[epochs != mode]
    if len(others):
        text += f"; {len(others):,} others from {cal(others.min())} to {cal(others.max())}"
    return mode, text


def _drop_duplicates(rows: dict[str, list], refs, *, sink: RecordSink, path) -> dict[str, list]:
    """``rows`` without the second and later records of a designation (or number)."""
    n = len(refs)
    keep = np.ones(n, dtype=bool)
    seen_des: dict[str, int] = {}
    seen_num: dict[int, int] = {}
    for k, (des, num) in enumerate(zip(rows["designation"], rows["number"], strict=True)):
        first = seen_des.get(des)
        what = f"designation {des!r}"
        if first is None and num is not None:
            first = seen_num.get(num)
            what = f"number {num}"
        if first is not None:
            ref = refs[first]
            where = f"line {ref}" if isinstance(ref, int) else f"record {ref}"
            sink.bad(
                CatalogFormatError(
                    f"duplicate {what} (first at {where})",
                    path=path,
                    record=refs[k],
                    field="designation",
                )
            )
            keep[k] = False
            continue
        seen_des[des] = k
        if num is not None:
            seen_num[num] = k
    if not keep.all():
        idx = np.flatnonzero(keep)
        rows = {c: [v[i] for i in idx] for c, v in rows.items()}

    return rows


def build_frame(
    rows: dict[str, list],
    refs: Sequence[int | str],
    *,
    sink: RecordSink,
    path: str | PathLike | None,
    fmt: str,
    source: str,
    attribution: str,
    pha_known: bool,
    time_scale: str = "TT",
    extra_attrs: dict | None = None,
) -> pd.DataFrame:
    """Assemble the NEA table from parsed columns; derive label, packed, class, physical.

    Parameters
    ----------
    rows : dict of list
        One list per name in :data:`PARSED_COLUMNS` (None where unknown).
    refs : sequence
        Record reference per row (line number or record label) for messages.
    sink : RecordSink
        Where duplicate designations go when skipping bad records.
    """
    if len(refs) == 0:
        msg = "contains no NEA records"
        if sink.skipped:
            msg = f"all {len(sink.skipped)} records are bad; first: {sink.skipped[0]}"
        raise CatalogFormatError(msg, path=path)
    rows = _drop_duplicates(rows, refs, sink=sink, path=path)
    df = _typed_columns(rows)
    _fill_orbit_class(df)
    fill_physical(df)
    df = df[list(NEA_COLUMNS)]
    epoch, summary = epoch_summary(df["epoch_jd_tt"].to_numpy())
    df.attrs.update(
        {
            "source": source,
            "format": fmt,
            "attribution": attribution,
            "path": None if path is None else str(path),
            "gm_km3_s2": GM_SUN_KM3_S2,
            "frame": "heliocentric ecliptic J2000",
            "time_scale": time_scale,
            "epoch_jd_tt": epoch,
            "epoch_summary": summary,
            "n_objects": len(df),
            "pha_known": bool(pha_known),
            "skipped": list(sink.skipped),
            "n_skipped": len(sink.skipped),
            "schema_version": SCHEMA_VERSION,
            "physical_attribution": PHYSICAL_ATTRIBUTION,
            "physical_digest": physical_digest(),
            **(extra_attrs or {}),
        }
    )
    return df


def _typed_columns(rows: dict[str, list]) -> pd.DataFrame:
    """The parsed columns in :data:`NEA_COLUMNS` dtypes, with ``label`` and ``packed``
    derived (the derived physical columns are left to :func:`fill_physical`)."""
    number, name, desig = rows["number"], rows["name"], rows["designation"]
    labels = [_label(nu, na, de) for nu, na, de in zip(number, name, desig, strict=True)]
    packed = [
        p if isinstance(p, str) else _packed(nu, de)
        for p, nu, de in zip(rows["packed"], number, desig, strict=True)
    ]
    data: dict[str, object] = {}
    for col, dtype in NEA_COLUMNS.items():
        if col == "label":
            values = labels
        elif col == "packed":
            values = packed
        elif col in _DERIVED_PHYSICAL:
            continue
        else:
            values = rows[col]
        if dtype == "float64":
            data[col] = np.array(values, dtype=float)
        elif dtype == "Int64":
            data[col] = pd.array(values, dtype="Int64")
        elif dtype == "bool":
            data[col] = np.array([bool(v) for v in values], dtype=bool)
        else:
            data[col] = pd.array(values, dtype="str")
    return pd.DataFrame(data)


def _fill_orbit_class(df: pd.DataFrame) -> None:
    """Where the file gives no orbit class, derive it from a and e (in place)."""
    cls = df["orbit_class"]
    missing = cls.isna().to_numpy()
    if missing.any():
        derived = orbit_class_from_elements(df["a_au"].to_numpy(), df["e"].to_numpy())
        values = cls.to_numpy(dtype=object, na_value=None)
        values[missing] = derived[missing]
        df["orbit_class"] = pd.array(values, dtype="str")
