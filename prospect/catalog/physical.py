"""Sizes and albedos of NEAs: measured when the catalog has them, estimated otherwise.

Diameter from absolute magnitude H and geometric albedo pV (Pravec & Harris
2007, Icarus 190:250, eq. 1; the standard relation)::

    D [km] = 1329 / sqrt(pV) * 10**(-H / 5)

When a catalog gives no albedo, it is taken from the object's spectral class
(JPL SBDB ``spec_B`` Bus-DeMeo, else ``spec_T`` Tholen) using the mean NEO
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

__all__ = [
    "ALBEDO_BY_CLASS",
    "ALBEDO_SOURCES",
    "DIAMETER_SOURCES",
    "H_1KM_NEO_AVERAGE",
    "PRAVEC_HARRIS_KM",
    "albedo_class",
    "albedo_from_diameter",
    "diameter_from_h",
    "fill_physical",
    "population_albedo",
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

#: What each ``albedo_source`` value means.
ALBEDO_SOURCES = {
    "catalog": "measured geometric albedo given by the catalog",
    "diameter+H": "from the catalog's measured diameter and H (Pravec & Harris 2007)",
    **{
        f"class {k} (Thomas 2011)": f"mean NEO albedo of the {k} complex, Thomas et al. 2011"
        for k in ALBEDO_BY_CLASS
    },
    "NEO average": "population average, H 17.85 = 1 km (Morbidelli, ESA NEO study): pV 0.128",
}

#: What each ``diameter_source`` value means.
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


def albedo_class(spec_b: str | None, spec_t: str | None) -> str | None:
    """Complex (a key of :data:`ALBEDO_BY_CLASS`) of a spectral type, or None.

    Bus-DeMeo (``spec_B``) is used when given: S, Sa, Sq, Sr, Sv, ... -> S;
    B, C, Cb, Cg, Cgh, Ch -> C; Q, V, D as such.  Tholen (``spec_T``)
    otherwise: the first letter, with B, F, G -> C.  Other types (X complex,
    K, L, A, ...) have no mean NEO albedo in the table used here -> None.

    Examples
    --------
    >>> albedo_class("Sq", None), albedo_class(None, "FC"), albedo_class("Xk", "M")
    ('S', 'C', None)
    """
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


def fill_physical(df: pd.DataFrame) -> pd.DataFrame:
    """Fill ``albedo``, ``diameter_km`` and their ``*_source`` columns in place.

    Keeps catalog values; otherwise albedo from the diameter and H, else from
    the spectral class, else the NEO average; then diameter from H and albedo.

    Parameters
    ----------
    df : pandas.DataFrame
        NEA table with ``h_mag``, ``albedo``, ``diameter_km``, ``spec_b``,
        ``spec_t`` (NaN where unknown).

    Returns
    -------
    pandas.DataFrame
        The same frame.
    """
    n = len(df)
    h = df["h_mag"].to_numpy(dtype=float)
    alb = df["albedo"].to_numpy(dtype=float).copy()
    dia = df["diameter_km"].to_numpy(dtype=float).copy()
    alb_src = np.full(n, "catalog", dtype=object)
    dia_src = np.full(n, "catalog", dtype=object)

    good_alb = np.isfinite(alb) & (alb > 0)
    good_dia = np.isfinite(dia) & (dia > 0)
    alb[~good_alb] = np.nan
    dia[~good_dia] = np.nan

    from_d = ~good_alb & good_dia & np.isfinite(h)
    alb[from_d] = albedo_from_diameter(h[from_d], dia[from_d])
    alb_src[from_d] = "diameter+H"

    need = ~good_alb & ~from_d
    if need.any():
        spec_b = df["spec_b"].to_numpy(dtype=object)
        spec_t = df["spec_t"].to_numpy(dtype=object)
        alb[need] = population_albedo()
        alb_src[need] = "NEO average"
        has_spec = pd.notna(spec_b) | pd.notna(spec_t)
        for i in np.flatnonzero(need & has_spec):
            cls = albedo_class(spec_b[i], spec_t[i])
            if cls is not None:
                alb[i] = ALBEDO_BY_CLASS[cls]
                alb_src[i] = f"class {cls} (Thomas 2011)"

    est = ~good_dia
    dia[est] = diameter_from_h(h[est], alb[est])
    dia_src[est] = np.where(np.isfinite(dia[est]), "H+albedo", "unknown")

    df["albedo"] = alb
    df["albedo_source"] = pd.array(alb_src, dtype="str")
    df["diameter_km"] = dia
    df["diameter_source"] = pd.array(dia_src, dtype="str")
    return df
