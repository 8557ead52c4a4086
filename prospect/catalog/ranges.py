"""Allowed ranges of the NEA table's fields, and the checks every record and table pass.

One home for the bounds: the parsers check each record with :func:`check_orbit`
(naming the source format's field), a table read back from Parquet is checked
with :func:`check_table`.  Each bound says where it comes from.

Examples
--------
>>> RANGES["e"].text(), bool(RANGES["h_mag"].holds(17.85))
('[0, 1)', True)
>>> range_message("albedo", 2.0)
'geometric albedo 2 is outside (0, 1.5] (measured NEA albedos)'
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from prospect.errors import CatalogFormatError

__all__ = [
    "ALBEDO_MAX",
    "ARC_DAYS_MAX",
    "A_AU_MAX",
    "DIAMETER_KM_MAX",
    "DIAMETER_KM_MIN",
    "EPOCH_JD_MAX",
    "EPOCH_JD_MIN",
    "H_RANGE",
    "H_UNKNOWN_MPC",
    "RANGES",
    "REQUIRED_RANGED",
    "Range",
    "check_orbit",
    "check_table",
    "range_message",
]

#: Epochs accepted as plausible, JD TT: 1800-01-01.0 to 2200-01-01.0 (the packed
#: date form covers 1800-2099; anything outside is a unit or parsing error).
EPOCH_JD_MIN = 2_378_496.5
EPOCH_JD_MAX = 2_524_593.5


class Range(NamedTuple):
    """Allowed interval of one column of the NEA table, and where the bound comes from."""

    what: str
    low: float
    high: float
    low_open: bool
    high_open: bool
    why: str

    def holds(self, x):
        """Whether ``x`` (scalar or array; NaN fails) lies in the interval."""
        lo = x > self.low if self.low_open else x >= self.low
        hi = x < self.high if self.high_open else x <= self.high
        return lo & hi

    def text(self) -> str:
        """``(0, 1.5]`` style interval."""
        return (
            f"{'(' if self.low_open else '['}{self.low:g}, "
            f"{self.high:g}{')' if self.high_open else ']'}"
        )


#: Largest semimajor axis accepted, au: bodies beyond ~1e5 au are not bound to
#: the Sun against the Galaxy's tide (the Sun's sphere of action in the Galaxy is
#: 2.3e5 au, Chebotarev 1965, Sov. Astron. 8, 787; the Oort cloud's outer edge
#: ~1e5 au).  The largest a in the shipped MPC NEA file is 321 au.
A_AU_MAX = 1.0e5

#: Absolute magnitude H accepted: 0 is 3.3 mag brighter than Ceres, the brightest
#: minor planet (H 3.34, JPL SBDB); 40 is 5.6 mag fainter than the faintest NEA of
#: the shipped MPC file (2015 FF415, H 34.37), i.e. a body of a few centimetres.
H_RANGE = (0.0, 40.0)

#: MPC extended JSON writes H = 99.99 where no magnitude was fitted (9 objects
#: of the 2025 NEA file, all 2010 NEOWISE discoveries with arcs of 1-3 days and no
#: visual magnitude); read as "H unknown" (it would make a 3.7e-17 km body).
H_UNKNOWN_MPC = 99.99

#: Smallest diameter accepted, km: 0.1 m, a tenth of the smallest catalogued NEAs
#: (2008 TS26, H 33.2, about 1 m); the shipped physical table's smallest is 2.5 m.
DIAMETER_KM_MIN = 1.0e-4

#: Largest diameter accepted, km: Ceres, the largest minor planet, is 939.4 km
#: (mean radius 469.7 km, Park et al. 2019, Icarus 319, 812); the largest NEA,
#: 1036 Ganymed, 37.7 km (shipped physical table).
DIAMETER_KM_MAX = 1000.0

#: Largest geometric albedo accepted: pV can exceed 1 (opposition surge;
#: Enceladus 1.38, Verbiscer et al. 2007, Science 315, 815); the largest measured
#: NEA albedo in the shipped physical table is 1.482 (SpitzerNEOs).
ALBEDO_MAX = 1.5

#: Longest observed arc accepted, days: from Ceres' discovery (1801-01-01, the
#: first minor-planet observation) to the last accepted epoch (2200-01-01).
ARC_DAYS_MAX = 2_524_593.5 - 2_378_861.5

#: Allowed interval of every checked column (one home: the parsers' per-record
#: checks and the check of whole tables read from Parquet both use it).
RANGES: dict[str, Range] = {
    "a_au": Range("semimajor axis (au)", 0.0, A_AU_MAX, True, False, "a bound heliocentric orbit"),
    "e": Range("eccentricity", 0.0, 1.0, False, True, "an asteroid orbit is an ellipse"),
    "inc_deg": Range("inclination (deg)", 0.0, 180.0, False, False, "an inclination"),
    "raan_deg": Range("angle (deg)", -360.0, 360.0, False, False, "an angle"),
    "argp_deg": Range("angle (deg)", -360.0, 360.0, False, False, "an angle"),
    "ma_deg": Range("angle (deg)", -360.0, 360.0, False, False, "an angle"),
    "epoch_jd_tt": Range("epoch (JD)", EPOCH_JD_MIN, EPOCH_JD_MAX, False, False, "years 1800-2200"),
    "h_mag": Range("absolute magnitude H", *H_RANGE, False, False, "Ceres to a few-cm body"),
    "g_slope": Range(
        "slope parameter G", -1.0, 2.0, False, False, "H,G phase law, Bowell et al. 1989"
    ),
    "albedo": Range("geometric albedo", 0.0, ALBEDO_MAX, True, False, "measured NEA albedos"),
    "diameter_km": Range(
        "diameter (km)", DIAMETER_KM_MIN, DIAMETER_KM_MAX, False, False, "0.1 m to Ceres' 939 km"
    ),
    "arc_days": Range("observed arc (days)", 0.0, ARC_DAYS_MAX, False, False, "1801 to 2200"),
}

#: Columns every record must give; the other checked columns may be NaN (unknown).
#: Column -> (its source column, the source value of a value derived from H rather
#: than given by a file): such values need not lie in the range a measurement must.
DERIVED_SOURCES = {
    "albedo": ("albedo_source", "diameter+H"),
    "diameter_km": ("diameter_source", "H+albedo"),
}


REQUIRED_RANGED = ("a_au", "e", "inc_deg", "raan_deg", "argp_deg", "ma_deg", "epoch_jd_tt")


def range_message(col: str, value: float) -> str:
    """What is wrong with ``value`` in column ``col``, naming the allowed interval."""
    r = RANGES[col]
    return f"{r.what} {value:g} is outside {r.text()} ({r.why})"


def check_orbit(row: dict, names: dict[str, str], *, path, record) -> None:
    """Range checks of one record's elements and physical values (:data:`RANGES`).

    ``names`` maps canonical column -> the source format's field name.  Optional
    columns (H, G, albedo, diameter, arc) may be NaN or absent; the elements must
    be in range.

    Raises
    ------
    CatalogFormatError
        Naming the file, record, field, value and the allowed interval.
    """
    for col, rng in RANGES.items():
        v = row.get(col)
        if v is None or (col not in REQUIRED_RANGED and v != v):
            continue
        if not rng.holds(v):
            raise CatalogFormatError(
                range_message(col, v), path=path, record=record, field=names.get(col, col)
            )


def check_table(df: pd.DataFrame, *, path, skip_bad: bool = False) -> pd.DataFrame:
    """Range checks of a whole NEA table (one read from Parquet), row by row.

    The same intervals as :func:`check_orbit` (:data:`RANGES`) for the values a
    file gave; the values derived from H (an albedo from a measured diameter, a
    diameter from H and an albedo, ``diameter_min_km``/``diameter_max_km``)
    positive and finite or NaN.

    Parameters
    ----------
    df : pandas.DataFrame
        Table with the :data:`NEA_COLUMNS`.
    path : str or PathLike
        File name for messages.
    skip_bad : bool
        Drop bad rows (appended to ``attrs["skipped"]``, counted in
        ``attrs["n_skipped"]``) instead of raising at the first.

    Returns
    -------
    pandas.DataFrame
        ``df`` itself when every row holds, else the good rows.

    Raises
    ------
    CatalogFormatError
        The first bad row (unless ``skip_bad``), naming record, field, value and
        interval; or no row left.
    """
    bad = np.zeros(len(df), dtype=bool)
    first: dict[int, str] = {}
    for col, rng in RANGES.items():
        x = df[col].to_numpy(dtype=float, na_value=np.nan)
        ok = rng.holds(x) if col in REQUIRED_RANGED else np.isnan(x) | rng.holds(x)
        if col in DERIVED_SOURCES:  # derived from H (and albedo): any positive size
            src_col, derived = DERIVED_SOURCES[col]
            mine = (df[src_col] == derived).to_numpy(dtype=bool, na_value=False)
            ok[mine] = np.isfinite(x[mine]) & (x[mine] > 0)
        for i in np.flatnonzero(~ok & ~bad):
            first[int(i)] = col
        bad |= ~ok
    for col in ("diameter_min_km", "diameter_max_km"):
        x = df[col].to_numpy(dtype=float, na_value=np.nan)
        ok = np.isnan(x) | (np.isfinite(x) & (x > 0))
        for i in np.flatnonzero(~ok & ~bad):
            first[int(i)] = col
        bad |= ~ok
    if not bad.any():
        return df
    desig = df["designation"].to_numpy(dtype=object, na_value=None)
    errors = []
    for i in sorted(first):
        col = first[i]
        v = float(df[col].iloc[i])
        msg = range_message(col, v) if col in RANGES else f"{col} {v:g} is not a positive size"
        errors.append(
            CatalogFormatError(msg, path=path, record=f"#{i + 1} ({desig[i]})", field=col)
        )
    if not skip_bad:
        raise errors[0]
    if bad.all():
        raise CatalogFormatError(f"all {len(df)} records are bad; first: {errors[0]}", path=path)
    out = df.loc[~bad].reset_index(drop=True)
    out.attrs = dict(df.attrs)
    out.attrs["skipped"] = list(df.attrs.get("skipped") or []) + [str(e) for e in errors]
    out.attrs["n_skipped"] = len(out.attrs["skipped"])
    out.attrs["n_objects"] = len(out)
    return out
