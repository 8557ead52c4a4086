"""Sizes, albedos and classes of NEAs: measured when known, estimated otherwise.

Measured values come first from the catalog file itself (a JPL SBDB export
has them), then from the shipped physical-properties table
``catalogs/nea_physical.csv`` (:data:`PHYSICAL_FILE`; 4,224 NEAs with an
albedo, diameter or taxonomic class from JPL SBDB, SpitzerNEOs, the Lightcurve
Database, Mahlke et al. 2022, DeMeo et al. 2009 and Tholen 1984; provenance in
``catalogs/README.md``), joined by number, else by designation
(:func:`join_physical`).  Where the albedo is not measured, the table also
gives the diameter range for albedos 0.05-0.25 (``diameter_min_km``,
``diameter_max_km``), as NHATS does (https://cneos.jpl.nasa.gov/nhats/).

Diameter from absolute magnitude H and geometric albedo pV (Pravec & Harris
2007, Icarus 190:250, eq. 1; the standard relation)::

    D [km] = 1329 / sqrt(pV) * 10**(-H / 5)

When no albedo is measured, it is taken from the object's spectral class
(Mahlke et al. 2022, else JPL SBDB ``spec_B`` Bus-DeMeo, else ``spec_T`` Tholen) using the mean NEO
albedos of Thomas et al. (2011, AJ 142:85, Warm Spitzer / ExploreNEOs), else
the population average implied by "H = 17.85 <-> D = 1 km for the debiased
NEO albedo mix" (Morbidelli, ESA NEO study), i.e. pV = (1329 * 10**(-17.85/5))**2
= 0.128.  Sources as compiled in ``shared/domain/DOMAIN.md`` section 3.

Every row says where its numbers came from (``albedo_source``,
``diameter_source``, values in :data:`ALBEDO_SOURCES` / :data:`DIAMETER_SOURCES`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from prospect.catalog.ranges import DERIVED_SOURCES  # re-exported: its home is ranges

__all__ = [
    "ALBEDO_BY_CLASS",
    "ALBEDO_RANGE",
    "ALBEDO_SOURCES",
    "DERIVED_SOURCES",
    "DIAMETER_SOURCES",
    "H_1KM_NEO_AVERAGE",
    "PHYSICAL_ATTRIBUTION",
    "PHYSICAL_FILE",
    "PRAVEC_HARRIS_KM",
    "albedo_class",
    "albedo_from_diameter",
    "albedo_measured",
    "diameter_from_h",
    "fill_physical",
    "join_physical",
    "physical_digest",
    "population_albedo",
    "read_physical",
    "shipped_physical",
    "size_for_score_km",
]

#: Constant of the H-D-pV relation, km (Pravec & Harris 2007, eq. 1; from the
#: solar magnitude V = -26.76, Bowell et al. 1989 convention).
PRAVEC_HARRIS_KM = 1329.0

#: H of a 1-km NEO for the debiased NEO albedo mix (Morbidelli, ESA NEO study
#: page; DOMAIN.md section 3.1).
H_1KM_NEO_AVERAGE = 17.85

#: Mean NEO geometric albedo by taxonomic complex (Thomas et al. 2011, AJ 142:85,
#: Warm Spitzer: Q 0.29, S 0.26, V 0.42, C 0.13 (n = 5), D 0.02 (n = 2)).
ALBEDO_BY_CLASS = {"Q": 0.29, "S": 0.26, "V": 0.42, "C": 0.13, "D": 0.02}

#: Albedos bounding the diameter range shown where the albedo is not measured
#: (NHATS convention, https://cneos.jpl.nasa.gov/nhats/intro.html: "diameter
#: range ... assuming albedos of 0.05 to 0.25").
ALBEDO_RANGE = (0.05, 0.25)

#: The shipped physical-properties table (``catalogs/nea_physical.csv``).
PHYSICAL_FILE = "nea_physical.csv"

#: Attribution of the joined physical table (its README asks for these citations;
#: details and licences in ``catalogs/README.md``).
PHYSICAL_ATTRIBUTION = (
    "Physical data: NASA/JPL Small-Body Database (SBDB); SpitzerNEOs (Trilling et al. 2010, "
    "AJ 140, 770; 2016, AJ 152, 172); Asteroid Lightcurve Database (Warner, Harris & Pravec "
    "2009, Icarus 202, 134); Mahlke, Carry & Mattei 2022 (A&A 665, A26); DeMeo et al. 2009 "
    "(Icarus 202, 160); Tholen 1984; matched to the IAU Minor Planet Center's designations"
)

#: What each ``albedo_source`` value means.  Measured values joined from
#: :data:`PHYSICAL_FILE` carry that table's own source instead ("SBDB",
#: "SpitzerNEOs (NEOLegacy)", ...).
ALBEDO_SOURCES = {
    "catalog": "measured geometric albedo given by the catalog",
    "diameter+H": "from the catalog's measured diameter and H (Pravec & Harris 2007)",
    **{
        f"class {k} (Thomas 2011)": f"mean NEO albedo of the {k} complex, Thomas et al. 2011"
        for k in ALBEDO_BY_CLASS
    },
    "NEO average": "population average, H 17.85 = 1 km (Morbidelli, ESA NEO study): pV 0.128",
}

#: What each ``diameter_source`` value means (joined measured values carry the
#: physical table's own source, e.g. "SBDB (tri-axial extent given: shape model)").
DIAMETER_SOURCES = {
    "catalog": "measured diameter given by the catalog",
    "H+albedo": "from H and the row's albedo (Pravec & Harris 2007)",
    "unknown": "no diameter: the catalog gives neither a diameter nor H",
}


def population_albedo() -> float:
    """Mean albedo of the NEO population implied by H = 17.85 <-> D = 1 km.

    Examples
    --------
    >>> round(population_albedo(), 4)
    0.128
    """
    return (PRAVEC_HARRIS_KM * 10.0 ** (-H_1KM_NEO_AVERAGE / 5.0)) ** 2


def diameter_from_h(h_mag, albedo):
    """Diameter in km from H and geometric albedo (Pravec & Harris 2007, eq. 1).

    Parameters
    ----------
    h_mag : float or array_like
        Absolute magnitude H.
    albedo : float or array_like
        Geometric albedo pV (> 0); broadcast against ``h_mag``.

    Returns
    -------
    float or ndarray
        D in km; NaN where an input is NaN or the albedo is not positive.

    Examples
    --------
    >>> round(float(diameter_from_h(17.85, population_albedo())), 6)
    1.0
    """
    h = np.asarray(h_mag, dtype=float)
    p = np.asarray(albedo, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = PRAVEC_HARRIS_KM / np.sqrt(np.where(p > 0, p, np.nan)) * 10.0 ** (-h / 5.0)
    return d if d.ndim else float(d)


def albedo_from_diameter(h_mag, diameter_km):
    """Geometric albedo from H and a diameter in km (Pravec & Harris 2007, inverted).

    Examples
    --------
    >>> round(float(albedo_from_diameter(17.85, 1.0)), 4)
    0.128
    """
    h = np.asarray(h_mag, dtype=float)
    d = np.asarray(diameter_km, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = (PRAVEC_HARRIS_KM * 10.0 ** (-h / 5.0) / np.where(d > 0, d, np.nan)) ** 2
    return p if p.ndim else float(p)


_BUS_C = re.compile(r"^(B|C[bgh]*|Cgh)$")
_BUS_S = re.compile(r"^S[a-z]*$")


def albedo_class(
    spec_b: str | None, spec_t: str | None, spec_mahlke: str | None = None
) -> str | None:
    """Complex (a key of :data:`ALBEDO_BY_CLASS`) of a spectral type, or None.

    A Mahlke et al. (2022) class is used first: S, Q, V, D as such; B, C, Ch
    -> C; others (A, E, K, L, M, O, P, R, X, Z) have no mean NEO albedo here.
    Then Bus-DeMeo (``spec_B``): S, Sa, Sq, Sr, Sv, ... -> S;
    B, C, Cb, Cg, Cgh, Ch -> C; Q, V, D as such.  Tholen (``spec_T``)
    otherwise: the first letter, with B, F, G -> C.  Other types (X complex,
    K, L, A, ...) have no mean NEO albedo in the table used here -> None.

    Examples
    --------
    >>> albedo_class("Sq", None), albedo_class(None, "FC"), albedo_class("Xk", "M")
    ('S', 'C', None)
    >>> albedo_class(None, None, "Ch"), albedo_class("C", None, "S")
    ('C', 'S')
    """
    if isinstance(spec_mahlke, str) and spec_mahlke.strip():
        m = spec_mahlke.strip()
        if m in ("S", "Q", "V", "D"):
            return m
        if m in ("B", "C", "Ch"):
            return "C"
    for value, bus in ((spec_b, True), (spec_t, False)):
        if not isinstance(value, str):
            continue
        text = value.strip().rstrip(":")
        if not text:
            continue
        if bus:
            if text in ("Q", "V", "D"):
                return text
            if _BUS_C.match(text):
                return "C"
            if _BUS_S.match(text):
                return "S"
            return None
        first = text[0].upper()
        if first in ("Q", "V", "D", "S"):
            return first
        if first in ("C", "B", "F", "G"):
            return "C"
        return None
    return None


_ESTIMATED_ALBEDO = frozenset(
    ["NEO average", *(f"class {k} (Thomas 2011)" for k in ALBEDO_BY_CLASS)]
)
_ESTIMATED_DIAMETER = frozenset(["H+albedo", "unknown"])


def _is_measured(sources, estimated: frozenset) -> np.ndarray:
    src = np.asarray(sources, dtype=object).ravel()
    return np.array([isinstance(x, str) and x not in estimated for x in src], dtype=bool)


def albedo_measured(albedo_source) -> np.ndarray:
    """Whether each ``albedo_source`` is a measurement (or derived from a measured diameter).

    Examples
    --------
    >>> albedo_measured(["SBDB", "NEO average", "class S (Thomas 2011)", "catalog"]).tolist()
    [True, False, False, True]
    """
    return _is_measured(albedo_source, _ESTIMATED_ALBEDO)


def diameter_measured(diameter_source) -> np.ndarray:
    """Whether each ``diameter_source`` is a measurement (not H + albedo)."""
    return _is_measured(diameter_source, _ESTIMATED_DIAMETER)


def size_for_score_km(df: pd.DataFrame) -> np.ndarray:
    """Diameter a size score should use, km (n,).

    The measured diameter (or the one from H and a measured albedo) where there
    is one; otherwise the geometric mean of ``diameter_min_km`` and
    ``diameter_max_km``, i.e. the diameter of albedo sqrt(0.05 * 0.25) = 0.112:
    neutral within the NHATS albedo range, whatever class-based guess
    ``diameter_km`` holds.  NaN where neither is known.
    """
    known = albedo_measured(df["albedo_source"]) | diameter_measured(df["diameter_source"])
    d = df["diameter_km"].to_numpy(dtype=float)
    lo = df["diameter_min_km"].to_numpy(dtype=float)
    hi = df["diameter_max_km"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        mid = np.sqrt(lo * hi)
    return np.where(known, d, mid)


#: ``{"key": (path, mtime_ns, size), "digest": hex}``: the last :func:`physical_digest`.
_DIGEST: dict = {}


def physical_digest() -> str:
    """BLAKE2b digest of the shipped physical table (part of the conversion cache key)."""
    import hashlib

    from prospect._resources import catalog_path

    path = catalog_path(PHYSICAL_FILE)
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)  # read once per version of the file
    if _DIGEST.get("key") != key:
        raw = path.read_bytes()
        _DIGEST.update(key=key, digest=hashlib.blake2b(raw, digest_size=20).hexdigest())
    return _DIGEST["digest"]


def _field_sources(text) -> dict[str, str]:
    """``{"spec_B": "SBDB-PHA-2025-10", ...}`` from a ``source`` cell of the physical table."""
    out: dict[str, str] = {}
    if not isinstance(text, str):
        return out
    for part in text.split(";"):
        fields, _, token = part.strip().partition("=")
        for f in fields.split(","):
            out[f.strip()] = token.split("@")[0].strip()
    return out


def _norm_designation(text) -> str:
    return " ".join(str(text).upper().split())


_PHYS_COLUMNS = {
    "number": "Int64",
    "designation": "str",
    "albedo": "float64",
    "albedo_source": "str",
    "diameter_km": "float64",
    "diameter_source": "str",
    "spec_B": "str",
    "spec_T": "str",
    "spec_Mahlke2022": "str",
    "source": "str",
}


_SHIPPED: dict[str, pd.DataFrame] = {}
#: ``{"shipped": (table, by_number, by_designation)}``: the match index of ``_SHIPPED``.
_INDEX: dict[str, tuple] = {}


def shipped_physical() -> pd.DataFrame:
    """The shipped physical table (:data:`PHYSICAL_FILE`) read by :func:`read_physical`,
    once per process."""
    if "table" not in _SHIPPED:
        from prospect._resources import catalog_path

        _SHIPPED["table"] = read_physical(catalog_path(PHYSICAL_FILE))
    return _SHIPPED["table"]


def read_physical(path) -> pd.DataFrame:
    """A physical-properties table (the layout of :data:`PHYSICAL_FILE`), checked.

    ``spec_source`` is derived from the table's ``source`` column:
    ``spec_b_source``, ``spec_t_source`` and ``spec_mahlke_source`` name the
    catalogue each class came from ("Mahlke2022", "SBDB-PHA-2025-10",
    "DeMeo2009", "Tholen1984", ...).  Albedos and diameters must lie in the
    NEA table's intervals (:data:`prospect.catalog.ranges.RANGES`) or be empty.

    Parameters
    ----------
    path : str or PathLike
        A UTF-8 CSV file.

    Returns
    -------
    pandas.DataFrame
        The columns the join uses (:func:`join_physical`).

    Raises
    ------
    prospect.errors.CatalogFormatError
        The file lacks a needed column, cannot be parsed, or holds a value out of
        range (naming the line and field).
    """
    from prospect.errors import CatalogFormatError

    try:
        tab = pd.read_csv(
            path, usecols=list(_PHYS_COLUMNS), dtype={**_PHYS_COLUMNS, "number": "str"}
        )
    except (ValueError, OverflowError, TypeError) as exc:  # parser, dtype, encoding errors
        reason = " ".join(str(exc).split())[:200]
        raise CatalogFormatError(f"cannot read the physical table ({reason})", path=path) from None
    _check_physical(tab, path)
    names = {"spec_Mahlke2022": "spec_mahlke", "spec_B": "spec_b", "spec_T": "spec_t"}
    field_src = [_field_sources(text) for text in tab["source"]]
    for old, new in names.items():
        tab[f"{new}_source"] = pd.array(
            [
                src.get(old) if isinstance(v, str) else None
                for v, src in zip(tab[old], field_src, strict=True)
            ],
            dtype="str",
        )
    return tab.rename(columns=names)


def _check_physical(tab: pd.DataFrame, path) -> None:
    """Designations present, numbers packable, albedo and diameter in range or empty."""
    from prospect.catalog.designations import MAX_PACKED_NUMBER
    from prospect.catalog.ranges import RANGES, range_message
    from prospect.errors import CatalogFormatError

    def fail(i: int, field: str, msg: str):
        raise CatalogFormatError(msg, path=path, record=int(i) + 2, field=field)  # header: line 1

    bad = np.flatnonzero(tab["designation"].isna().to_numpy())
    if len(bad):
        fail(bad[0], "designation", "missing designation")
    text = tab["number"]
    num = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ok = (num >= 1) & (num <= MAX_PACKED_NUMBER) & (num == np.round(num))
    bad = np.flatnonzero(text.notna().to_numpy() & ~ok)
    if len(bad):
        fail(bad[0], "number", f"{text.iloc[bad[0]]!r} is not a minor-planet number")
    tab["number"] = pd.array(np.where(ok, num, np.nan), dtype="Float64").astype("Int64")
    for col in ("albedo", "diameter_km"):
        x = tab[col].to_numpy(dtype=float)
        bad = np.flatnonzero(~np.isnan(x) & ~RANGES[col].holds(x))
        if len(bad):
            fail(bad[0], col, range_message(col, x[bad[0]]))


def _index(tab: pd.DataFrame) -> tuple[dict[int, int], dict[str, int]]:
    """Row of ``tab`` by number and by normalized designation."""
    by_num = {int(k): i for i, k in enumerate(tab["number"]) if not pd.isna(k)}
    by_des = {_norm_designation(d): i for i, d in enumerate(tab["designation"])}
    return by_num, by_des


def _match(df: pd.DataFrame, tab: pd.DataFrame) -> np.ndarray:
    """Row of ``tab`` for each row of ``df`` (-1: none): by number, else by designation."""
    if len(tab) == 0 or "designation" not in df or "number" not in df:
        return np.full(len(df), -1, dtype=np.int64)
    # The index of the shipped table is built once per process (it cost 0.15 s a parse).
    cached = _INDEX.get("shipped")
    if cached is None or cached[0] is not tab:
        cached = (tab, *_index(tab))
        if tab is _SHIPPED.get("table"):
            _INDEX["shipped"] = cached
    by_num, by_des = cached[1], cached[2]
    nums = df["number"].to_numpy(dtype=object, na_value=None)
    match = np.array([-1 if n is None else by_num.get(int(n), -1) for n in nums], dtype=np.int64)
    miss = np.flatnonzero(match < 0)
    des = df["designation"].to_numpy(dtype=object)
    match[miss] = [by_des.get(_norm_designation(des[i]), -1) for i in miss]
    return match


def join_physical(df: pd.DataFrame, table: pd.DataFrame | None = None) -> np.ndarray:
    """Fill missing measured values of ``df`` from the physical table, in place.

    Rows are matched by ``number``, else by ``designation`` (case and spaces
    ignored).  Only values the catalog file lacks are filled: ``albedo`` and
    ``diameter_km`` (their ``albedo_source`` / ``diameter_source`` become the
    table's source; values the file gave are marked "catalog"), ``spec_b``,
    ``spec_t``, and ``spec_mahlke``, with ``spec_source`` naming the
    catalogue of each class.

    Parameters
    ----------
    df : pandas.DataFrame
        NEA table with ``number``, ``designation``, ``albedo``,
        ``diameter_km``, ``spec_b``, ``spec_t``.
    table : pandas.DataFrame, optional
        Default :func:`shipped_physical`.

    Returns
    -------
    ndarray of int (n,)
        Row of ``table`` matched by each row of ``df``, -1 if none.
    """
    tab = shipped_physical() if table is None else table
    match = _match(df, tab)
    hit = match >= 0
    rows = match[hit]
    n = len(df)
    for col, src_col in (("albedo", "albedo_source"), ("diameter_km", "diameter_source")):
        ours = df[col].to_numpy(dtype=float).copy()
        src = np.where(np.isfinite(ours) & (ours > 0), "catalog", None).astype(object)
        theirs = np.full(n, np.nan)
        theirs[hit] = tab[col].to_numpy(dtype=float)[rows]
        their_src = np.full(n, None, dtype=object)
        their_src[hit] = tab[src_col].to_numpy(dtype=object, na_value=None)[rows]
        take = (src == None) & np.isfinite(theirs) & (theirs > 0)  # noqa: E711
        ours[take] = theirs[take]
        src[take] = their_src[take]
        df[col] = ours
        df[src_col] = pd.array(src, dtype="str")
    spec_src = np.full(n, None, dtype=object)
    for col in ("spec_b", "spec_t", "spec_mahlke"):
        ours = (
            df[col].to_numpy(dtype=object, na_value=None).copy()
            if col in df
            else np.full(n, None, dtype=object)
        )
        for i in np.flatnonzero([isinstance(v, str) for v in ours]):
            spec_src[i] = (
                f"{col}: catalog" if spec_src[i] is None else f"{spec_src[i]}; {col}: catalog"
            )
        theirs = np.full(n, None, dtype=object)
        theirs[hit] = tab[col].to_numpy(dtype=object, na_value=None)[rows]
        their_src = np.full(n, None, dtype=object)
        their_src[hit] = tab[f"{col}_source"].to_numpy(dtype=object, na_value=None)[rows]
        for i in np.flatnonzero(
            [o is None and isinstance(t, str) for o, t in zip(ours, theirs, strict=True)]
        ):
            ours[i] = theirs[i]
            note = f"{col}: {their_src[i]}"
            spec_src[i] = note if spec_src[i] is None else f"{spec_src[i]}; {note}"
        df[col] = pd.array(ours, dtype="str")
    df["spec_source"] = pd.array(spec_src, dtype="str")
    return match


def fill_physical(df: pd.DataFrame, *, physical: pd.DataFrame | bool | None = None) -> pd.DataFrame:
    """Join measured values, then estimate the rest; fills the physical columns in place.

    Steps: :func:`join_physical` (unless ``physical`` is False); albedo from a
    measured diameter and H, else from the spectral class (Thomas et al.
    2011), else the NEO average; diameter from H and albedo (Pravec & Harris
    2007); ``diameter_min_km`` / ``diameter_max_km``: the diameter itself
    where the albedo or the diameter is measured, else the diameters for
    albedos 0.25 and 0.05 (:data:`ALBEDO_RANGE`, the NHATS convention).

    Parameters
    ----------
    df : pandas.DataFrame
        NEA table with ``number``, ``designation``, ``h_mag``, ``albedo``,
        ``diameter_km``, ``spec_b``, ``spec_t`` (NaN where unknown).
    physical : DataFrame, None or False
        The physical table to join (None: the shipped one; False: no join).

    Returns
    -------
    pandas.DataFrame
        The same frame, with ``albedo_source``, ``diameter_source``,
        ``spec_mahlke``, ``spec_source``, ``diameter_min_km``,
        ``diameter_max_km`` set.
    """
    if physical is False:
        join_physical(df, table=_EMPTY)
    else:
        join_physical(df, table=physical)
    h = df["h_mag"].to_numpy(dtype=float)
    alb = df["albedo"].to_numpy(dtype=float).copy()
    dia = df["diameter_km"].to_numpy(dtype=float).copy()
    alb_src = df["albedo_source"].to_numpy(dtype=object, na_value=None).copy()
    dia_src = df["diameter_source"].to_numpy(dtype=object, na_value=None).copy()
    good_alb = alb_src != None  # noqa: E711  (join_physical left None where unknown)
    good_dia = dia_src != None  # noqa: E711
    alb[~good_alb] = np.nan
    dia[~good_dia] = np.nan

    from_d = ~good_alb & good_dia & np.isfinite(h)
    alb[from_d] = albedo_from_diameter(h[from_d], dia[from_d])
    alb_src[from_d] = "diameter+H"

    need = ~good_alb & ~from_d
    if need.any():
        spec_b = df["spec_b"].to_numpy(dtype=object)
        spec_t = df["spec_t"].to_numpy(dtype=object)
        spec_m = df["spec_mahlke"].to_numpy(dtype=object)
        alb[need] = population_albedo()
        alb_src[need] = "NEO average"
        has_spec = pd.notna(spec_b) | pd.notna(spec_t) | pd.notna(spec_m)
        for i in np.flatnonzero(need & has_spec):
            cls = albedo_class(
                spec_b[i], spec_t[i], spec_m[i] if isinstance(spec_m[i], str) else None
            )
            if cls is not None:
                alb[i] = ALBEDO_BY_CLASS[cls]
                alb_src[i] = f"class {cls} (Thomas 2011)"

    est = ~good_dia
    dia[est] = diameter_from_h(h[est], alb[est])
    dia_src[est] = np.where(np.isfinite(dia[est]), "H+albedo", "unknown")

    known = good_dia | ~need
    lo_alb, hi_alb = ALBEDO_RANGE
    df["albedo"] = alb
    df["albedo_source"] = pd.array(alb_src, dtype="str")
    df["diameter_km"] = dia
    df["diameter_source"] = pd.array(dia_src, dtype="str")
    df["diameter_min_km"] = np.where(known, dia, diameter_from_h(h, hi_alb))
    df["diameter_max_km"] = np.where(known, dia, diameter_from_h(h, lo_alb))
    return df


_EMPTY = (
    pd.DataFrame({c: pd.Series([], dtype=t) for c, t in _PHYS_COLUMNS.items()})
    .rename(columns={"spec_Mahlke2022": "spec_mahlke", "spec_B": "spec_b", "spec_T": "spec_t"})
    .assign(
        spec_b_source=pd.Series([], dtype="str"),
        spec_t_source=pd.Series([], dtype="str"),
        spec_mahlke_source=pd.Series([], dtype="str"),
    )
)
