"""Stage 2 of :func:`prospect.scan.moon.rank_moon`: the score terms of each site.

Each term is in [0, 1] and the score is their weighted mean; the terms (resource
evidence and grade, delta-v margin, power, comms, terrain, heritage, COSPAR) are
described in the :mod:`prospect.scan.moon` docstring.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prospect.data.heritage import HERITAGE_BUFFER_KM, heritage_proximity
from prospect.errors import InputError
from prospect.scan._common import parse_term_weights

__all__ = [
    "DEFAULT_BUFFER_KM",
    "DEFAULT_WEIGHTS",
    "RANKABLE_RESOURCES",
    "SCORE_TERMS",
    "SiteScores",
    "parse_weights",
    "score_sites",
]


#: Resources a site ranking can be asked for (the extractable ones of
#: :data:`prospect.data.RESOURCES`; power, comms and science are scored as site
#: qualities instead).
RANKABLE_RESOURCES = ("water", "he3", "ilmenite", "kreep", "shelter", "pyroclastic")

#: Score terms, in display order.
SCORE_TERMS = ("resource", "dv", "power", "comms", "terrain", "heritage", "cospar")

#: Default weights of the score terms: a planning preference (not a measurement)
#: that lets the asked-for resource dominate and keeps the others as tie-breakers
#: of comparable size.  Override any of them with ``weights=``.
DEFAULT_WEIGHTS = {
    "resource": 4.0,
    "dv": 1.0,
    "power": 1.0,
    "comms": 1.0,
    "terrain": 0.5,
    "heritage": 1.0,
    "cospar": 0.5,
}

#: Heritage buffer, km, at heritage sites whose catalog row gives none: NASA's 2011
#: recommendations ask landers to stay 2 km from US heritage sites (DOMAIN.md 1.3);
#: applied to every heritage site without its own buffer (:mod:`prospect.data.heritage`).
DEFAULT_BUFFER_KM = HERITAGE_BUFFER_KM

#: Earth-visibility classes of the catalog -> comms term (see the module docstring).
_COMMS_SCORE = {"continuous": 1.0, "partial": 0.5, "none": 0.0, "unknown": 0.0}

_TERRAIN_HAZARD = re.compile(
    r"steep|vertical|rugged|tipped|cliff|\d+(?:\.\d+)?\s*deg\b", flags=re.IGNORECASE
)
_TERRAIN_BENIGN = re.compile(
    r"smooth|flat|low slope|trafficable|\bmare\b|\bplains?\b", flags=re.IGNORECASE
)
_TERRAIN_SCORE = {"hazard": 0.0, "unknown": 0.5, "benign": 1.0}

#: Mass fraction of one unit of the yields table (definitions of wt%, ppm, ppb).
_UNIT_FRACTION = {"wt%": 1e-2, "ppm": 1e-6, "ppb": 1e-9}


def parse_weights(text: str | Mapping[str, float] | None) -> dict[str, float]:
    """Score weights from ``"resource=4,dv=1"`` (or a mapping) over :data:`DEFAULT_WEIGHTS`.

    Terms not named keep their default weight.

    Raises
    ------
    InputError
        For an unknown term, a value that is not a finite number >= 0, or weights
        that are all zero (``option="weights"``).

    Examples
    --------
    >>> parse_weights("power=0, dv=2")["dv"]
    2.0
    """
    out = dict(DEFAULT_WEIGHTS)
    if text is None:
        return out
    out.update(parse_term_weights(text, DEFAULT_WEIGHTS, option="weights"))
    if sum(out.values()) <= 0.0:
        raise InputError("all weights are zero: nothing to rank by", option="weights")
    return out


def _grade_factors(resource: str, yields) -> tuple[dict[str, float], dict[str, float]]:
    """(category -> representative mass fraction, category -> factor) for `resource`."""
    grade: dict[str, float] = {}
    for y in yields:
        if y.body != "moon" or y.resource != resource:
            continue
        lo, hi = y.mass_fraction
        rep = y.typical * _UNIT_FRACTION[y.unit] if math.isfinite(y.typical) else 0.5 * (lo + hi)
        for c in y.classes:
            grade[c] = min(grade.get(c, math.inf), rep)
    best = max(grade.values(), default=0.0)
    factor = {c: (g / best if best > 0 else 1.0) for c, g in grade.items()}
    return grade, factor


def _terrain_class(note) -> str:
    text = "" if note is None or (isinstance(note, float) and math.isnan(note)) else str(note)
    if _TERRAIN_HAZARD.search(text):
        return "hazard"
    if _TERRAIN_BENIGN.search(text):
        return "benign"
    return "unknown"


def _heritage(sites: pd.DataFrame, default_buffer_km: float):
    """Flag, nearest-other-heritage distance and a note per site
    (:func:`prospect.data.heritage.heritage_proximity`, the one heritage check)."""
    n = len(sites)
    hp = heritage_proximity(
        sites["lat_deg"].to_numpy(float),
        sites["lon_deg_east"].to_numpy(float),
        sites,
        default_buffer_km,
    )
    her = sites["heritage"].fillna("none").astype(str).to_numpy()
    is_her = np.zeros(n, dtype=bool)
    is_her[hp.index] = True
    d = np.array(hp.distance_km, dtype=float)  # (n, m): every site to every heritage site
    d[hp.index, np.arange(hp.index.size)] = np.inf  # a heritage site is not its own neighbour
    inside = hp.inside & np.isfinite(d)
    nearest = d.min(axis=1, initial=np.inf)
    j_near = d.argmin(axis=1) if hp.index.size else np.zeros(n, dtype=int)
    flag = is_her | inside.any(axis=1)
    ids = sites["id"].astype(str).to_numpy()
    own = dict(zip(hp.index, hp.buffer_km, strict=True))
    notes = []
    for i in range(n):
        if is_her[i]:
            notes.append(f"heritage site ({her[i]}, {own[i]:g} km buffer)")
        elif inside[i].any():
            j = int(np.argmin(np.where(inside[i], d[i], np.inf)))
            notes.append(
                f"{d[i, j]:.2f} km from heritage site {ids[hp.index[j]]} "
                f"({hp.buffer_km[j]:g} km buffer)"
            )
        else:
            notes.append("")
    nearest = np.where(np.isfinite(nearest), nearest, np.nan)
    near_ids = ids[hp.index[j_near]] if hp.index.size else np.full(n, "")
    nearest_id = np.where(np.isfinite(nearest), near_ids, "")
    return flag, nearest, nearest_id, notes


@dataclass(frozen=True)
class SiteScores:
    """Score terms and what they were read from, one entry per site (shape ``(n_sites,)``).

    Attributes
    ----------
    evidence : ndarray of int
        The catalog's evidence level for the resource (0 when not listed).
    has_resource : ndarray of bool
        ``evidence >= 1``.
    grade_frac : ndarray
        Representative mass fraction of the site's category (NaN: no yield row).
    terrain : list of str
        ``hazard``, ``benign`` or ``unknown`` read from ``slope_note``.
    heritage_flag, nearest_heritage_km, nearest_heritage_id, heritage_note
        The heritage check (:func:`prospect.data.heritage.heritage_proximity`).
    terms : dict of str to ndarray
        Each of :data:`SCORE_TERMS`, in [0, 1].
    score : ndarray
        ``sum(w s) / sum(w)``.
    """

    evidence: np.ndarray
    has_resource: np.ndarray
    grade_frac: np.ndarray
    terrain: list
    heritage_flag: np.ndarray
    nearest_heritage_km: np.ndarray
    nearest_heritage_id: np.ndarray
    heritage_note: list
    terms: dict
    score: np.ndarray


def _resource_term(sites: pd.DataFrame, resource: str, resources):
    """(evidence, grade_frac, s_resource): evidence / 3 times the category's grade factor."""
    evidence = sites[f"{resource}_evidence"].fillna(0).astype("int64").to_numpy()
    grade, factor = _grade_factors(resource, resources.yields.values())
    cats = sites["category"].astype(str).to_numpy()
    grade_frac = np.array([grade.get(c, np.nan) for c in cats])
    s_resource = evidence / 3.0 * np.array([factor.get(c, 1.0) for c in cats])
    return evidence, grade_frac, s_resource


def _dv_term(budget) -> np.ndarray:
    """Margin over the capacity, or ``min(dv_total) / dv_total`` over reachable sites."""
    capacity = budget.capacity_km_s
    if math.isfinite(capacity):
        return np.clip((capacity - budget.dv_lander) / capacity, 0.0, 1.0)
    ok = budget.total[budget.reachable]
    return (ok.min() / budget.total) if ok.size else np.zeros_like(budget.total)


def score_sites(
    sites: pd.DataFrame,
    resource: str,
    budget,
    *,
    weights: Mapping[str, float],
    resources,
    default_buffer_km: float,
) -> SiteScores:
    """Every score term of every site and the weighted score.

    Parameters
    ----------
    sites : DataFrame
        The checked site table (:func:`prospect.data.load_moon_sites`), index 0..n-1.
    resource : str
        One of :data:`RANKABLE_RESOURCES`.
    budget : SiteBudget
        Stage 1 (:func:`prospect.scan.moon.budget.site_budget`).
    weights : mapping
        Weight of each of :data:`SCORE_TERMS` (:func:`parse_weights`).
    resources : ResourceCatalog
        Yields for the grade factor.
    default_buffer_km : float
        Heritage buffer at heritage sites whose row gives none, km.

    Returns
    -------
    SiteScores
    """
    evidence, grade_frac, s_resource = _resource_term(sites, resource, resources)
    illum = sites["illumination_frac"].to_numpy(float)
    vis = sites["earth_visibility"].fillna("unknown").astype(str)
    terrain = [_terrain_class(x) for x in sites["slope_note"]]
    flag, nearest, nearest_id, her_note = _heritage(sites, float(default_buffer_km))
    terms = {
        "resource": s_resource,
        "dv": _dv_term(budget),
        "power": np.where(np.isfinite(illum), illum, 0.0),
        "comms": vis.map(_COMMS_SCORE).fillna(0.0).to_numpy(float),
        "terrain": np.array([_TERRAIN_SCORE[t] for t in terrain]),
        "heritage": np.where(flag, 0.0, 1.0),
        "cospar": np.where(sites["cospar_category"].astype(str).to_numpy() == "IIb", 0.0, 1.0),
    }
    wsum = sum(weights.values())
    score = sum(weights[k] * terms[k] for k in SCORE_TERMS) / wsum
    return SiteScores(
        evidence=evidence,
        has_resource=evidence >= 1,
        grade_frac=grade_frac,
        terrain=terrain,
        heritage_flag=flag,
        nearest_heritage_km=nearest,
        nearest_heritage_id=nearest_id,
        heritage_note=her_note,
        terms=terms,
        score=score,
    )
