"""Last stage of :func:`prospect.scan.rank.rank`: score terms, weights, Pareto front, order.

Score (each term in [0, 1], higher is better; :data:`DEFAULT_WEIGHTS` are a
design choice of this ranking, not measured quantities -- set your own):

``score_dv``
    delta-v margin over the limit, ``(limit - dv) / limit``.
``score_duration``
    ``1 - duration / max_duration`` (the profile's limit, else the longest
    duration in the table).
``score_size``
    ``log10(D / 10 m) / log10(10 km / 10 m)`` clipped to [0, 1]: 10 m -> 0,
    10 km -> 1.  D is the measured diameter (or the one from H and a
    measured albedo) where the catalog's physical data have it; where the
    albedo is unknown, the middle of the 0.05-0.25 albedo range
    (:func:`prospect.catalog.physical.size_for_score_km`), neither end
    favoured.
``score_composition``
    resource complex of the spectral class, Mahlke et al. 2022 first, then
    Bus-DeMeo, then Tholen (:func:`prospect.catalog.taxonomy.composition`:
    water 1.0, metal 0.8, volatiles 0.7, construction 0.6, other 0.4, no
    class 0.5, neutral).  The scores are a choice of how much each resource
    is worth, not data.
``score_certainty``
    ``(9 - U) / 9`` with the MPC uncertainty parameter ``U`` (0 best, 9
    worst); unknown U -> 0.

``score`` is the weighted mean; ``pareto`` marks feasible targets that no
other beats on all of delta-v (lower), duration (lower) and size (larger).
"""

from __future__ import annotations

import math

import numba
import numpy as np
import pandas as pd

from prospect.catalog.physical import albedo_measured, size_for_score_km
from prospect.catalog.taxonomy import composition
from prospect.errors import InputError
from prospect.scan._common import parse_term_weights
from prospect.scan._mission import MissionSpec

__all__ = [
    "DEFAULT_WEIGHTS",
    "SCORE_COLUMNS",
    "add_composition",
    "order",
    "parse_weights",
    "score",
]

#: Default score weights (design choice; normalised to sum 1).
DEFAULT_WEIGHTS = {"dv": 0.4, "duration": 0.15, "size": 0.2, "composition": 0.15, "certainty": 0.1}

#: Score columns, in the order of :data:`DEFAULT_WEIGHTS`.
SCORE_COLUMNS = tuple(f"score_{k}" for k in DEFAULT_WEIGHTS)

#: Diameters scored 0 and 1 by ``score_size``, km (design choice: 10 m to 10 km
#: spans the NEAs that missions consider).
SIZE_SCORE_MIN_KM, SIZE_SCORE_MAX_KM = 0.01, 10.0


def add_composition(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``composition`` and ``score_composition`` from the spectral classes
    (``spec_mahlke``, ``spec_b``, ``spec_t``; measured albedos split X-types)."""
    none = [None] * len(df)
    alb = df.get("albedo", none)
    if "albedo_source" in df:
        alb = np.where(albedo_measured(df["albedo_source"]), df["albedo"], np.nan)
    comp = [
        composition(m_, b_, t_, a_)
        for m_, b_, t_, a_ in zip(
            df.get("spec_mahlke", none),
            df.get("spec_b", none),
            df.get("spec_t", none),
            alb,
            strict=True,
        )
    ]
    df["composition"] = pd.Series([c[0] for c in comp], index=df.index, dtype="str")
    df["score_composition"] = np.array([c[1] for c in comp], dtype=float)
    return df


def parse_weights(text: str | dict | None) -> dict[str, float]:
    """Score weights from ``"dv=0.4,size=0.2"`` (or a dict); keys not given weigh 0.

    Raises
    ------
    InputError
        Unknown key, a negative or non-numeric value, or all weights zero
        (names the parameter ``weights``).

    Examples
    --------
    >>> parse_weights("dv=3,size=1")
    {'dv': 0.75, 'duration': 0.0, 'size': 0.25, 'composition': 0.0, 'certainty': 0.0}
    """
    if text is None:
        w = dict(DEFAULT_WEIGHTS)
    else:
        given = parse_term_weights(text, DEFAULT_WEIGHTS, option="weights")
        w = {k: given.get(k, 0.0) for k in DEFAULT_WEIGHTS}
    total = sum(w.values())
    if total <= 0:
        raise InputError("at least one weight must be positive", option="weights")
    return {k: v / total for k, v in w.items()}


def _pareto(dv: np.ndarray, dur: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Non-dominated rows: lower dv, lower duration, larger size (NaN size = 0).

    Row ``i`` is dominated when another row is at least as good in all three
    (``dv <= dv[i]``, ``dur <= dur[i]``, ``size >= size[i]``) and better in one;
    a row with NaN dv or duration compares false with every row, so it is
    neither dominated nor dominates (as the pairwise definition reads).

    Algorithm: the three-dimensional maxima sweep of Kung, Luccio & Preparata
    (1975, "On finding the maxima of a set of vectors", J. ACM 22(4), 469-476),
    O(n log n): rows in lexicographic (dv, dur, -size) order -- a dominating row
    always comes first -- and for each group of identical rows one query of a
    Fenwick tree (Fenwick 1994) holding the least ``-size`` seen per duration
    rank: dominated iff some earlier, different row has ``dur <=`` and
    ``-size <=``.

    Parameters
    ----------
    dv, dur, size : ndarray, shape (n,)
        Delta-v (km/s), duration (days), diameter (km).

    Returns
    -------
    ndarray of bool, shape (n,)
        True on the Pareto front.

    Examples
    --------
    >>> _pareto(np.array([1.0, 2.0, 1.0]), np.array([5.0, 4.0, 6.0]), np.array([1.0, 1.0, 1.0]))
    array([ True,  True, False])
    """
    dv = np.asarray(dv, dtype=float)
    dur = np.asarray(dur, dtype=float)
    size = np.nan_to_num(np.asarray(size, dtype=float), nan=0.0, posinf=np.inf, neginf=-np.inf)
    out = np.ones(dv.size, dtype=bool)
    # NaN dv or duration: never compared (kept on the front)
    ok = np.flatnonzero(~np.isnan(dv) & ~np.isnan(dur))
    if ok.size < 2:
        return out
    # exact ranks (infinities included): the sweep compares integers only
    x = np.unique(dv[ok], return_inverse=True)[1].astype(np.int64)
    y = np.unique(dur[ok], return_inverse=True)[1].astype(np.int64) + 1
    z = np.unique(-size[ok], return_inverse=True)[1].astype(np.int64)
    order = np.lexsort((z, y, x))
    out[ok[order]] = _sweep(x[order], y[order], z[order])
    return out


@numba.njit(cache=True)
def _sweep(x, y, z):  # pragma: no cover - compiled
    """The sweep of :func:`_pareto`: rows sorted by (x, y, z) ranks, y from 1; front mask."""
    n = x.size
    empty = n + 1  # larger than any z rank
    tree = np.full(y.max() + 1, empty, dtype=np.int64)  # Fenwick prefix minimum of z by y
    front = np.ones(n, dtype=np.bool_)
    a = 0
    while a < n:
        b = a + 1  # rows a..b-1 are identical: none dominates another
        while b < n and x[b] == x[a] and y[b] == y[a] and z[b] == z[a]:
            b += 1
        best, i = empty, y[a]
        while i > 0:
            best = min(best, tree[i])
            i -= i & -i
        dominated = best <= z[a]
        i = y[a]
        while i < tree.size:
            tree[i] = min(tree[i], z[a])
            i += i & -i
        for k in range(a, b):
            front[k] = not dominated
        a = b
    return front


def _size_score(diameter_km: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.log10(diameter_km / SIZE_SCORE_MIN_KM) / math.log10(
            SIZE_SCORE_MAX_KM / SIZE_SCORE_MIN_KM
        )
    return np.nan_to_num(np.clip(s, 0.0, 1.0), nan=0.0)


def score(df: pd.DataFrame, spec: MissionSpec, weights: dict[str, float]) -> pd.DataFrame:
    """Add the ``score_*`` terms, ``dv_margin_km_s``, ``score`` and ``pareto`` (in place).

    ``df`` has ``dv_objective_km_s``, ``duration_days``, ``diameter_km``,
    ``u_param``, ``score_composition`` and ``feasible``; ``weights`` sum to 1.
    """
    limit = spec.limit_km_s
    obj = df["dv_objective_km_s"].to_numpy(dtype=float)
    if limit is None:
        limit = float(np.nanmax(obj)) if obj.size and np.isfinite(obj).any() else 1.0
        limit = limit or 1.0
    df["dv_margin_km_s"] = limit - obj
    df["score_dv"] = np.clip((limit - obj) / limit, 0.0, 1.0)
    dur = df["duration_days"].to_numpy(dtype=float)
    dmax = spec.max_duration_days
    if dmax is None:
        dmax = float(np.nanmax(dur)) if dur.size and np.isfinite(dur).any() else 1.0
    df["score_duration"] = np.clip(1.0 - dur / dmax, 0.0, 1.0)
    d = (
        size_for_score_km(df)
        if "diameter_min_km" in df
        else df["diameter_km"].to_numpy(dtype=float)
    )
    df["score_size"] = _size_score(d)
    u = pd.to_numeric(df["u_param"], errors="coerce").to_numpy(dtype=float)
    df["score_certainty"] = np.nan_to_num(np.clip((9.0 - u) / 9.0, 0.0, 1.0), nan=0.0)
    total = np.zeros(len(df))
    for k, w in weights.items():
        total += w * df[f"score_{k}"].to_numpy(dtype=float)
    df["score"] = total
    feas = df["feasible"].to_numpy(dtype=bool)
    par = np.zeros(len(df), dtype=bool)
    if feas.any():
        par[feas] = _pareto(obj[feas], dur[feas], d[feas])
    df["pareto"] = par
    return df


def order(df: pd.DataFrame) -> pd.DataFrame:
    """Best first: highest score, then least objective delta-v."""
    df = df.sort_values(["score", "dv_objective_km_s"], ascending=[False, True])
    return df.reset_index(drop=True)
