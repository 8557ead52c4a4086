"""Which asteroids can this spacecraft reach in this launch period, best first.

:func:`rank` scans a whole NEA catalog for one mission profile and launch
window in three stages.

1. **Screening** (skipped with ``exhaustive=True``).  The Shoemaker-Helin
   rendezvous delta-v from LEO (Shoemaker & Helin 1978, as Benner tabulates it;
   :func:`prospect.core.deltav.shoemaker_helin`) is compared with the largest
   LEO-departure total a feasible trajectory can have under the profile
   (:meth:`prospect.scan._mission.MissionSpec.leo_equivalent_budget_km_s`:
   the launcher's or kick stage's free C3 valued as the burn that reaches it
   from LEO, plus the spacecraft's rocket-equation capacity, or the profile's
   total delta-v limit).  A target survives when
   ``dv_SH <= budget + margin(budget)``.  Shoemaker-Helin is an estimate,
   not a bound: the margins are measured on the catalog itself (see
   :data:`SCREEN_MARGINS_KM_S`).  Profiles with nothing that bounds the
   departure (a launcher without a C3 limit), flybys and ``exhaustive=True``
   scan every object.
2. **Lambert scans** of the survivors on one departure x time-of-flight grid
   (one-way) or one date lattice (round trips, :mod:`prospect.scan.roundtrip`),
   in chunks of targets sized so that the working memory stays under a budget
   (:data:`prospect.scan._common.BYTES_PER_CELL` per cell; default 1 GiB,
   ``memory_mb=`` or ``$PROSPECT_SCAN_MEMORY_MB``).  Finished chunks are
   checkpointed in the user cache; ``resume=True`` picks them up.
3. **Feasibility and score.**  A trajectory is feasible when its launch C3,
   duration, stay and delta-v meet the profile: the spacecraft's delta-v
   (departure share per launch mode + arrival [+ target departure + entry
   burn]) within its rocket-equation capacity, or the total within the
   profile's total limit.  The best feasible trajectory of each target is
   refined (:mod:`prospect.scan.refine`) for the rows shown, then scored.

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

import datetime as _dt
import hashlib
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prospect._coerce import as_days
from prospect.catalog.physical import albedo_measured, size_for_score_km
from prospect.catalog.taxonomy import composition
from prospect.core import kepler
from prospect.core.constants import DAY_S, GM_EARTH_KM3_S2, GM_SUN_KM3_S2, R_EARTH_KM
from prospect.core.deltav import shoemaker_helin
from prospect.core.transfer import transfer_grid, transfer_min
from prospect.errors import InputError
from prospect.scan._common import (
    BYTES_PER_CELL,
    date_grid,
    iso_dates,
    memory_budget_bytes,
    parse_term_weights,
    tof_grid,
)
from prospect.scan._mission import (
    GTO_APOGEE_ALT_KM,
    GTO_PERIGEE_ALT_KM,
    MissionSpec,
    mission_spec,
)
from prospect.scan._targets import earth_model, model_from_row
from prospect.scan.roundtrip import (
    RoundTripLattice,
    evaluate_round_trip,
    lattice_search,
    nhats_spec,
    refine_round_trip,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "SCORE_COLUMNS",
    "SCREEN_MARGINS_KM_S",
    "SCREEN_MARGIN_KM_S",
    "default_window",
    "parse_weights",
    "rank",
    "screen_margin",
]

#: Default score weights (design choice; normalised to sum 1).
DEFAULT_WEIGHTS = {"dv": 0.4, "duration": 0.15, "size": 0.2, "composition": 0.15, "certainty": 0.1}

#: Score columns, in the order of :data:`DEFAULT_WEIGHTS`.
SCORE_COLUMNS = tuple(f"score_{k}" for k in DEFAULT_WEIGHTS)

#: Screening margins, km/s: (budget, margin) pairs; a target survives when
#: ``dv_SH <= budget + margin(budget)`` with the margin of the smallest tabulated
#: budget >= the profile's budget (a step function, conservative between rows).
#: Measured on the shipped MPC catalog (40,874 objects, epoch 2025-11-21) with
#: ``benchmarks/bench_scan.py --only exhaustive --calibrate``: the minimum
#: Lambert rendezvous total from a 400 km LEO over a 2-year window (launches
#: 2026-12-01 to 2028-12-01, 5-day departure steps, 30-720 d flights at 10-day
#: steps) against each object's Shoemaker-Helin value.  For each budget B the
#: measured worst case max(dv_SH - B) over the objects whose Lambert total is
#: <= B was 1.755 (B = 4), 2.754 (5), 3.693 (6), 5.350 (7), 5.209 (8), 5.483
#: (10), 4.975 (12) km/s -- Shoemaker-Helin overestimates direct transfers to
#: many Atens -- and each margin below is the largest of those values up to
#: its row plus 0.15-0.2 km/s.  Above the last budget nothing is screened out.
SCREEN_MARGINS_KM_S = (
    (4.0, 1.95),
    (5.0, 2.95),
    (6.0, 3.85),
    (7.0, 5.55),
    (10.0, 5.65),
    (12.0, 5.65),
)

#: Margin override value meaning "use :data:`SCREEN_MARGINS_KM_S`".
SCREEN_MARGIN_KM_S = None


def screen_margin(budget_km_s: float) -> float | None:
    """Screening margin for a LEO-equivalent budget (None: do not screen).

    Examples
    --------
    >>> screen_margin(4.18), screen_margin(3.0), screen_margin(13.0) is None
    (2.95, 1.95, True)
    """
    for b, m in SCREEN_MARGINS_KM_S:
        if budget_km_s <= b:
            return m
    return None


#: Diameters scored 0 and 1 by ``score_size``, km (design choice: 10 m to 10 km
#: spans the NEAs that missions consider).
SIZE_SCORE_MIN_KM, SIZE_SCORE_MAX_KM = 0.01, 10.0

#: Default grid of :func:`rank`: departure step, flight-time step and range, days.
DEFAULT_STEP_DAYS = 5.0
DEFAULT_TOF_STEP_DAYS = 10.0
DEFAULT_TOF_MIN_DAYS = 30.0
DEFAULT_TOF_MAX_DAYS = 720.0
#: Lattice step of round-trip rankings, days.
DEFAULT_ROUND_TRIP_STEP_DAYS = 5.0


def parse_weights(text: str | dict | None) -> dict[str, float]:
    """Score weights from ``"dv=0.4,size=0.2"`` (or a dict); keys not given weigh 0.

    Raises
    ------
    InputError
        Unknown key, a negative or non-numeric value, or all weights zero.

    Examples
    --------
    >>> parse_weights("dv=3,size=1")
    {'dv': 0.75, 'duration': 0.0, 'size': 0.25, 'composition': 0.0, 'certainty': 0.0}
    """
    if text is None:
        w = dict(DEFAULT_WEIGHTS)
    else:
        given = parse_term_weights(text, DEFAULT_WEIGHTS, option="--weights")
        w = {k: given.get(k, 0.0) for k in DEFAULT_WEIGHTS}
    total = sum(w.values())
    if total <= 0:
        raise InputError("at least one weight must be positive", option="--weights")
    return {k: v / total for k, v in w.items()}


def default_window(today: _dt.date | None = None) -> tuple[str, str]:
    """Default launch period: the first day of next month, for two years.

    Examples
    --------
    >>> default_window(_dt.date(2026, 12, 15))
    ('2027-01-01', '2029-01-01')
    """
    today = today or _dt.datetime.now(_dt.UTC).date()
    y, m = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return f"{y:04d}-{m:02d}-01", f"{y + 2:04d}-{m:02d}-01"


def _plus_two_years(start) -> str:
    from prospect.epochs import as_time

    d = as_time(start, option="--from").utc.to_datetime()
    try:
        d2 = d.replace(year=d.year + 2)
    except ValueError:  # 29 February
        d2 = d.replace(year=d.year + 2, day=28)
    return d2.strftime("%Y-%m-%d")


def _load_catalog(catalog) -> pd.DataFrame:
    if isinstance(catalog, pd.DataFrame):
        return catalog
    from prospect.catalog import load_neas

    return load_neas(catalog)


def _elements(table: pd.DataFrame) -> dict[str, np.ndarray]:
    from prospect.targets import element_arrays

    return element_arrays(table)


def _fingerprint(table: pd.DataFrame, el: dict) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update("\n".join(table["designation"].astype(str)).encode())
    for k in sorted(el):
        h.update(np.ascontiguousarray(el[k], dtype=float).tobytes())
    return h.hexdigest()


@dataclass(frozen=True)
class _OneWayGrid:
    dep_s: np.ndarray
    tof_days: np.ndarray
    arr_u: np.ndarray
    inv: np.ndarray
    r_e: np.ndarray
    v_e: np.ndarray
    step_days: float


def _objective(spec: MissionSpec, vinf_dep, dv_arr, dv_total):
    if spec.capacity_km_s is not None:
        return spec.spacecraft_departure_dv(vinf_dep) + dv_arr
    return dv_total


def _limit(spec: MissionSpec) -> float | None:
    return spec.capacity_km_s if spec.capacity_km_s is not None else spec.max_total_dv_km_s


def _propagate(el: dict, epochs_s: np.ndarray):
    r, v, st = kepler.propagate_elements(GM_SUN_KM3_S2, **el, epochs_s=epochs_s)
    bad = st != 0
    if bad.any():
        r[bad] = np.nan
        v[bad] = np.nan
    return r, v


def _kernel_objective(spec: MissionSpec) -> tuple[str, float, float] | None:
    """``spec``'s objective as a :func:`prospect.core.transfer.transfer_min` objective.

    The mapping mirrors :meth:`MissionSpec.spacecraft_departure_dv`; it is
    checked against that method on probe speeds (None if they disagree, and
    the scan then takes the grid path).
    """
    if spec.capacity_km_s is None:
        return ("total", 0.0, 0.0)
    if spec.launch_mode in ("c3", "dedicated"):
        obj = ("zero", 0.0, 0.0)
    elif spec.launch_mode == "rideshare_leo" and spec.kick_stage_c3_km2_s2 is not None:
        obj = ("excess", math.sqrt(max(spec.kick_stage_c3_km2_s2, 0.0)), 0.0)
    elif spec.launch_mode == "rideshare_leo":
        r = R_EARTH_KM + spec.parking_alt_km
        obj = ("burn", 2.0 * GM_EARTH_KM3_S2 / r, math.sqrt(GM_EARTH_KM3_S2 / r))
    else:
        rp = R_EARTH_KM + GTO_PERIGEE_ALT_KM
        ra = R_EARTH_KM + GTO_APOGEE_ALT_KM
        vp = math.sqrt(2.0 * GM_EARTH_KM3_S2 * ra / (rp * (rp + ra)))
        obj = ("burn", 2.0 * GM_EARTH_KM3_S2 / rp, vp)
    kind, p, q = obj
    probe = np.array([0.0, 0.3, 1.0, 2.5, 4.0, 7.0, 12.0, np.nan])
    mine = {
        "zero": np.where(np.isnan(probe), np.nan, 0.0),
        "excess": np.maximum(probe - p, 0.0),
        "burn": np.sqrt(probe * probe + p) - q,
    }[kind]
    theirs = np.asarray(spec.spacecraft_departure_dv(probe), dtype=float)
    if not np.allclose(mine, theirs, rtol=1e-14, atol=0.0, equal_nan=True):
        return None
    return obj


def _oneway_chunk(el: dict, g: _OneWayGrid, spec: MissionSpec) -> dict[str, np.ndarray]:
    r_t, v_t = _propagate(el, g.arr_u)
    objective = _kernel_objective(spec)
    if objective is None:
        return _oneway_chunk_grid(r_t, v_t, g, spec)
    tof_ok = np.ones(g.tof_days.size, dtype=bool)
    if spec.max_duration_days is not None:
        tof_ok &= g.tof_days <= spec.max_duration_days
    best, vals, n_ok = transfer_min(
        GM_SUN_KM3_S2,
        g.r_e,
        g.v_e,
        r_t,
        v_t,
        g.inv,
        g.tof_days * DAY_S,
        revs=spec.max_revs,
        mu_park_km3_s2=GM_EARTH_KM3_S2,
        r_park_km=R_EARTH_KM + spec.parking_alt_km,
        rendezvous=spec.mode == "rendezvous",
        objective=objective,
        tof_ok=tof_ok,
        max_c3_km2_s2=spec.max_c3_km2_s2,
        limit_km_s=_limit(spec),
    )
    found = best[:, 0] >= 0
    out = {
        "departure_s": np.where(found, g.dep_s[best[:, 0]], np.nan),
        "tof_days": np.where(found, g.tof_days[best[:, 1]], np.nan),
        "launch_days": (n_ok * g.step_days).astype(float),
    }
    for k, name in enumerate(_CELL_FIELDS):
        out[name] = vals[:, k]
    return out


_CELL_FIELDS = (
    "c3_km2_s2",
    "vinf_dep_km_s",
    "vinf_arr_km_s",
    "dv_departure_km_s",
    "dv_arrival_km_s",
    "dv_total_km_s",
)


def _oneway_chunk_grid(r_t, v_t, g: _OneWayGrid, spec: MissionSpec) -> dict[str, np.ndarray]:
    """The per-cell grid of every target, then the NumPy reduction (any objective)."""
    n, n_u = r_t.shape[:2]
    n_dep, n_tof = g.inv.shape
    # targets stacked as departures: rows t * n_dep + i
    g_cells = transfer_grid(
        GM_SUN_KM3_S2,
        np.tile(g.r_e, (n, 1)),
        np.tile(g.v_e, (n, 1)),
        r_t.reshape(-1, 3),
        v_t.reshape(-1, 3),
        (g.inv[None, :, :] + (np.arange(n) * n_u)[:, None, None]).reshape(-1, n_tof),
        g.tof_days * DAY_S,
        revs=spec.max_revs,
        mu_park_km3_s2=GM_EARTH_KM3_S2,
        r_park_km=R_EARTH_KM + spec.parking_alt_km,
        rendezvous=spec.mode == "rendezvous",
    )
    del r_t, v_t
    cells = {
        name: a.reshape(n, n_dep, n_tof) for name, a in zip(_CELL_FIELDS, g_cells[:6], strict=True)
    }
    obj = _objective(spec, cells["vinf_dep_km_s"], cells["dv_arrival_km_s"], cells["dv_total_km_s"])
    allowed = np.isfinite(obj)
    if spec.max_c3_km2_s2 is not None:
        allowed &= cells["c3_km2_s2"] <= spec.max_c3_km2_s2
    if spec.max_duration_days is not None:
        allowed &= (g.tof_days <= spec.max_duration_days)[None, None, :]
    objm = np.where(allowed, obj, np.inf)
    flat = objm.reshape(n, -1)
    best = np.argmin(flat, axis=1)
    idx = np.arange(n)
    value = flat[idx, best]
    limit = _limit(spec)
    ok = (objm <= limit) if limit is not None else np.isfinite(objm)
    launch_days = ok.any(axis=2).sum(axis=1) * g.step_days
    bi, bj = np.divmod(best, g.tof_days.size)
    out = {
        "departure_s": np.where(np.isfinite(value), g.dep_s[bi], np.nan),
        "tof_days": np.where(np.isfinite(value), g.tof_days[bj], np.nan),
        "launch_days": launch_days.astype(float),
    }
    for k in _CELL_FIELDS:
        out[k] = np.where(np.isfinite(value), cells[k].reshape(n, -1)[idx, best], np.nan)
    return out


def _oneway_frame(out: dict, spec: MissionSpec) -> pd.DataFrame:
    df = pd.DataFrame(out)
    dep = df.pop("departure_s").to_numpy()
    df.insert(0, "departure", iso_dates(dep))
    df.insert(1, "arrival", iso_dates(dep + df["tof_days"].to_numpy() * DAY_S))
    df["duration_days"] = df["tof_days"]
    df["dv_spacecraft_departure_km_s"] = spec.spacecraft_departure_dv(df["vinf_dep_km_s"])
    df["dv_spacecraft_km_s"] = df["dv_spacecraft_departure_km_s"] + df["dv_arrival_km_s"]
    df["departure_s"] = dep
    return df


def _roundtrip_chunk(el: dict, lat: RoundTripLattice, r_e, v_e, spec: MissionSpec):
    sec = lat.seconds
    r_t, v_t = _propagate(el, sec)
    found = lattice_search(r_e, v_e, r_t, v_t, lat, spec)
    n = r_t.shape[0]
    rows = []
    for k in range(n):
        row = {}
        for kind in ("min_dv", "min_dur"):
            i = [int(found[f"{kind}_{m}"][k]) for m in ("i0", "i1", "i2", "i3")]
            if i[0] < 0:
                row[kind] = None
                continue
            row[kind] = (sec[i[0]], sec[i[1]], sec[i[2]], sec[i[3]])
        rows.append(row)
    return rows


def _rt_columns(rt) -> dict:
    d = rt.as_dict()
    d["departure_s"] = rt.departure_s
    d["arrival_s"] = rt.arrival_s
    d["target_departure_s"] = rt.target_departure_s
    d["return_s"] = rt.return_s
    d.pop("target", None)
    return d


def _checkpoint_dir(key: str):
    from prospect._resources import user_cache_dir

    path = user_cache_dir() / "rank-checkpoints" / key
    path.mkdir(parents=True, exist_ok=True)
    return path


def _atomic_parquet(df: pd.DataFrame, path) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    df.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def _pareto(dv: np.ndarray, dur: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Non-dominated rows: lower dv, lower duration, larger size (NaN size = 0)."""
    n = dv.size
    size = np.nan_to_num(size, nan=0.0)
    out = np.ones(n, dtype=bool)
    for a in range(0, n, 512):
        b = min(n, a + 512)
        le = (
            (dv[None, :] <= dv[a:b, None])
            & (dur[None, :] <= dur[a:b, None])
            & (size[None, :] >= size[a:b, None])
        )
        lt = (
            (dv[None, :] < dv[a:b, None])
            | (dur[None, :] < dur[a:b, None])
            | (size[None, :] > size[a:b, None])
        )
        out[a:b] = ~(le & lt).any(axis=1)
    return out


def _composition(df: pd.DataFrame) -> list[tuple[str, float]]:
    """Resource complex and score per row (measured albedos split X-types)."""
    none = [None] * len(df)
    alb = df.get("albedo", none)
    if "albedo_source" in df:
        alb = np.where(albedo_measured(df["albedo_source"]), df["albedo"], np.nan)
    return [
        composition(m_, b_, t_, a_)
        for m_, b_, t_, a_ in zip(
            df.get("spec_mahlke", none),
            df.get("spec_b", none),
            df.get("spec_t", none),
            alb,
            strict=True,
        )
    ]


def _score(df: pd.DataFrame, spec: MissionSpec, weights: dict[str, float]) -> pd.DataFrame:
    limit = _limit(spec)
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
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.log10(d / SIZE_SCORE_MIN_KM) / math.log10(SIZE_SCORE_MAX_KM / SIZE_SCORE_MIN_KM)
    df["score_size"] = np.nan_to_num(np.clip(s, 0.0, 1.0), nan=0.0)
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


_INFO_COLUMNS = (
    "label",
    "designation",
    "orbit_class",
    "h_mag",
    "diameter_km",
    "albedo",
    "albedo_source",
    "diameter_source",
    "diameter_min_km",
    "diameter_max_km",
    "u_param",
    "spec_mahlke",
    "spec_b",
    "spec_t",
    "a_au",
    "e",
    "inc_deg",
)


def rank(
    mission,
    *,
    catalog=None,
    start=None,
    end=None,
    round_trip: bool | None = None,
    exhaustive: bool = False,
    weights=None,
    top: int | None = None,
    step_days: float | None = None,
    tof_step_days: float | None = None,
    tof_min_days: float | None = None,
    tof_max_days: float | None = None,
    screen_margin_km_s: float | None = SCREEN_MARGIN_KM_S,
    refine: bool = True,
    refine_top: int = 20,
    memory_mb: float | None = None,
    resume: bool = False,
    checkpoint: bool = True,
    progress: Callable[[int, int], None] | None = None,
    include_infeasible: bool = False,
) -> pd.DataFrame:
    """Rank the targets of an NEA catalog for a mission profile and launch period.

    Parameters
    ----------
    mission : str or MissionProfile
        Profile name (``"prospector-1"``) or object (``prospect.data``).
    catalog : DataFrame or path, optional
        NEA table (default: the active shipped/updated catalog).
    start, end : Time, str or date, optional
        Launch period (default :func:`default_window`: the first day of next
        month, for two years).
    round_trip : bool, optional
        NHATS-style round trips (default: the profile's ``round_trip``).
    exhaustive : bool
        Scan every object, skipping the Shoemaker-Helin screen.
    weights : str or dict, optional
        Score weights (``"dv=0.4,size=0.2"``; see :func:`parse_weights`).
    top : int, optional
        Keep the best ``top`` rows.
    step_days, tof_step_days, tof_min_days, tof_max_days : float, optional
        One-way grid (defaults 5, 10, 30 and min(720, profile max duration)
        days); for round trips ``step_days`` is the lattice step (default 5).
    screen_margin_km_s : float, optional
        Override the margin of :data:`SCREEN_MARGINS_KM_S` (km/s).
    refine : bool
        Refine the best trajectory of the first ``refine_top`` rows.
    refine_top : int
        How many rows to refine.
    memory_mb : float, optional
        Working-memory budget of the scan.
    resume : bool
        Pick up checkpointed chunks of an interrupted identical scan.
    checkpoint : bool
        Write finished chunks to the user cache (removed when the scan ends).
    progress : callable, optional
        ``progress(done_targets, total_targets)`` after each chunk.
    include_infeasible : bool
        Also return targets without a feasible trajectory.

    Returns
    -------
    DataFrame
        One row per target, best first: catalog columns (``label``,
        ``designation``, ``orbit_class``, ``h_mag``, ``diameter_km``, ...),
        the trajectory (dates as UTC ``YYYY-MM-DD``, C3, every burn, the
        spacecraft's and the total delta-v), ``feasible``, the
        ``score_*`` columns, ``score``, ``pareto`` and ``rank``.  ``attrs``
        holds the mission, window, grid, screening counts and weights.  An
        empty frame means no target satisfies the profile.

    Raises
    ------
    UnknownNameError
        Unknown mission.
    InputError
        Bad window, grid or weights.

    Examples
    --------
    >>> df = rank("nhats-human", round_trip=False, start="2028-01-01", end="2029-01-01",
    ...           top=5, checkpoint=False)  # doctest: +SKIP
    """
    spec = mission_spec(mission)
    rt_mode = spec.round_trip if round_trip is None else bool(round_trip)
    if rt_mode:
        spec = nhats_spec(spec.profile if spec.profile is not None else None)
        if spec.mode == "flyby":
            raise InputError("a round trip cannot be a flyby", option="--round-trip")
    w = parse_weights(weights)
    opt = {"allow_none": True, "positive": True}  # numbers in days, or time Quantities
    step_days = as_days(step_days, "step_days (--step)", **opt)
    tof_step_days = as_days(tof_step_days, "tof_step_days (--tof-step)", **opt)
    tof_min_days = as_days(tof_min_days, "tof_min_days (--tof-min)", **opt)
    tof_max_days = as_days(tof_max_days, "tof_max_days (--tof-max)", **opt)
    if start is None and end is None:
        start, end = default_window()
    elif end is None:
        end = _plus_two_years(start)
    elif start is None:
        start = default_window()[0]
    if top is not None and top < 1:
        raise InputError(f"must be >= 1, got {top}", option="--top")
    table = _load_catalog(catalog).reset_index(drop=True)
    budget_bytes = memory_budget_bytes(memory_mb)

    # ---------------------------------------------------------------- screening
    sh = np.asarray(
        shoemaker_helin(
            table["a_au"].to_numpy(dtype=float),
            table["e"].to_numpy(dtype=float),
            table["inc_deg"].to_numpy(dtype=float),
        ),
        dtype=float,
    )
    budget = spec.leo_equivalent_budget_km_s()
    margin = screen_margin_km_s
    if margin is None and budget is not None:
        margin = screen_margin(budget)
    screened = (
        not exhaustive and budget is not None and margin is not None and spec.mode == "rendezvous"
    )
    keep = (sh <= budget + margin) if screened else np.ones(len(table), dtype=bool)
    survivors = table.loc[keep].reset_index(drop=True)
    sh_keep = sh[keep]
    el = _elements(survivors)
    n = len(survivors)

    # ---------------------------------------------------------------- grids
    if rt_mode:
        lat = RoundTripLattice.make(
            start,
            end,
            step_days=step_days or DEFAULT_ROUND_TRIP_STEP_DAYS,
            max_duration_days=spec.max_duration_days,
            min_stay_days=spec.min_stay_days,
            min_leg_days=10.0,
        )
        L, nk = lat.size, lat.k_max - lat.k_min + 1
        per_target = (lat.n_dep + L) * nk * BYTES_PER_CELL + L * L * 48 + lat.n_dep * L * 96
        r_e, v_e = earth_model().states(lat.seconds)
        grid_desc = {
            "lattice_step_days": lat.step_days,
            "n_departure": lat.n_dep,
            "lattice_dates": L,
            "min_leg_days": lat.k_min * lat.step_days,
        }
        window_s = (lat.start_s, lat.start_s + (lat.n_dep - 1) * lat.step_days * DAY_S)
    else:
        step = step_days or DEFAULT_STEP_DAYS
        grid = date_grid(
            start,
            end,
            step,
            start_option="start (--from)",
            end_option="end (--to)",
            step_option="step_days (--step)",
        )
        tmax = tof_max_days
        if tmax is None:
            tmax = min(DEFAULT_TOF_MAX_DAYS, spec.max_duration_days or DEFAULT_TOF_MAX_DAYS)
        tofs = tof_grid(
            tof_min_days or DEFAULT_TOF_MIN_DAYS,
            tmax,
            tof_step_days or DEFAULT_TOF_STEP_DAYS,
            min_option="--tof-min",
            max_option="--tof-max",
            step_option="--tof-step",
        )
        arr = grid.seconds[:, None] + tofs[None, :] * DAY_S
        arr_u, inv = np.unique(np.round(arr, 3), return_inverse=True)
        r_e, v_e = earth_model().states(grid.seconds)
        og = _OneWayGrid(grid.seconds, tofs, arr_u, inv.reshape(arr.shape), r_e, v_e, step)
        per_target = len(grid) * tofs.size * BYTES_PER_CELL * (1 + 2 * spec.max_revs)
        grid_desc = {
            "step_days": step,
            "tof_step_days": float(tofs[1] - tofs[0]) if tofs.size > 1 else None,
            "tof_min_days": float(tofs[0]),
            "tof_max_days": float(tofs[-1]),
            "n_departure": len(grid),
            "n_tof": int(tofs.size),
        }
        window_s = (float(grid.seconds[0]), float(grid.seconds[-1]))
    chunk = max(1, int(budget_bytes // max(per_target, 1)))
    if per_target > budget_bytes:
        raise InputError(
            f"one target's grid needs about {per_target / 2**20:,.0f} MiB, over the memory "
            f"budget of {budget_bytes / 2**20:,.0f} MiB; use larger steps or a shorter "
            "window (or raise PROSPECT_SCAN_MEMORY_MB)",
            option="--step",
        )

    # ---------------------------------------------------------------- checkpoints
    key_src = json.dumps(
        {
            "v": 1,
            "catalog": _fingerprint(survivors, el),
            "spec": {k: v for k, v in spec.as_dict().items()},
            "round_trip": rt_mode,
            "window": window_s,
            "grid": grid_desc,
            "chunk": chunk,
        },
        sort_keys=True,
        default=str,
    )
    key = hashlib.blake2b(key_src.encode(), digest_size=12).hexdigest()
    ck_dir = _checkpoint_dir(key) if (checkpoint or resume) else None

    # ---------------------------------------------------------------- scan
    parts = []
    done = 0
    for c, a in enumerate(range(0, n, chunk)):
        b = min(n, a + chunk)
        path = ck_dir / f"chunk-{c:05d}.parquet" if ck_dir is not None else None
        if resume and path is not None and path.exists():
            part = pd.read_parquet(path)
        else:
            sub = {k: v[a:b] for k, v in el.items()}
            if rt_mode:
                part = _rt_part(sub, survivors.iloc[a:b], lat, r_e, v_e, spec)
            else:
                part = _oneway_frame(_oneway_chunk(sub, og, spec), spec)
            part.insert(0, "row", np.arange(a, b))
            if checkpoint and path is not None:
                _atomic_parquet(part, path)
        parts.append(part)
        done = b
        if progress is not None:
            progress(done, n)
    res = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"row": []})
    rows_idx = res["row"].to_numpy(dtype=int)
    info = survivors[[c for c in _INFO_COLUMNS if c in survivors.columns]].iloc[rows_idx]
    res = pd.concat([info.reset_index(drop=True), res.drop(columns="row")], axis=1)
    res["sh_dv_km_s"] = sh_keep[rows_idx]
    comp = _composition(res)
    res["composition"] = [c_[0] for c_ in comp]
    res["score_composition"] = [c_[1] for c_ in comp]
    res = _feasibility(res, spec)
    if not include_infeasible:
        res = res[res["feasible"]].reset_index(drop=True)
    res = _score(res, spec, w)
    res = res.sort_values(["score", "dv_objective_km_s"], ascending=[False, True])
    res = res.reset_index(drop=True)

    # ---------------------------------------------------------------- refine
    n_ref = min(refine_top, len(res)) if refine else 0
    if top is not None:
        n_ref = min(n_ref, top)
    if n_ref:
        res = _refine_rows(
            res, n_ref, survivors, spec, lat if rt_mode else None, window_s, grid_desc
        )
        res = _feasibility(res, spec)
        res = _score(res, spec, w)
        res = res.sort_values(["score", "dv_objective_km_s"], ascending=[False, True])
        res = res.reset_index(drop=True)
    if top is not None:
        res = res.head(top).reset_index(drop=True)
    res.insert(0, "rank", np.arange(1, len(res) + 1))
    # TDB-second columns are internal (dates are shown as UTC ISO dates)
    res = res.drop(columns=[c for c in res.columns if c.endswith("_s") and not c.endswith("km_s")])
    res.attrs.update(
        mission=spec.name,
        mission_label=spec.label,
        limits=spec.as_dict(),
        round_trip=rt_mode,
        window=(str(iso_dates(window_s[0])), str(iso_dates(window_s[1]))),
        grid=grid_desc,
        n_catalog=len(table),
        n_scanned=n,
        screened=bool(screened),
        screen_budget_km_s=budget,
        screen_margin_km_s=margin if screened else None,
        weights=w,
        n_feasible=int(res["feasible"].sum()) if len(res) else 0,
    )
    if ck_dir is not None and checkpoint:
        for f in ck_dir.glob("chunk-*.parquet"):
            f.unlink()
        try:
            ck_dir.rmdir()
        except OSError:
            pass
    return res


def _rt_part(sub_el, sub_table, lat, r_e, v_e, spec) -> pd.DataFrame:
    found = _roundtrip_chunk(sub_el, lat, r_e, v_e, spec)
    sec = lat.seconds
    rows = []
    for k, f in enumerate(found):
        row = {}
        model = None
        for kind in ("min_dv", "min_dur"):
            dates = f[kind]
            if dates is None:
                continue
            if model is None:
                model = model_from_row(sub_table.iloc[k])
            # exact states at lattice dates (Earth from the lattice arrays)
            rt = evaluate_round_trip(
                model, spec, np.array(dates), earth_fn=_lattice_fn(sec, r_e, v_e)
            )
            if kind == "min_dv":
                row.update(_rt_columns(rt))
            else:
                row["min_duration_days"] = rt.duration_days
                row["min_duration_dv_km_s"] = (
                    rt.dv_spacecraft_km_s if spec.capacity_km_s is not None else rt.dv_total_km_s
                )
                row["min_duration_departure"] = iso_dates(rt.departure_s)
        rows.append(row)
    df = pd.DataFrame(rows)
    for col in ("departure_s", "dv_total_km_s", "duration_days", "min_duration_days"):
        if col not in df:
            df[col] = np.nan
    return df


def _lattice_fn(sec, r_e, v_e):
    def fn(t):
        t = np.asarray(t, dtype=float)
        i = np.clip(np.searchsorted(sec, t - 1.0), 0, sec.size - 1)  # t is a lattice date
        return r_e[i], v_e[i]

    return fn


def _feasibility(df: pd.DataFrame, spec: MissionSpec) -> pd.DataFrame:
    if "dv_spacecraft_km_s" not in df:
        df["dv_spacecraft_km_s"] = np.nan
    if "dv_total_km_s" not in df:
        df["dv_total_km_s"] = np.nan
    obj = (
        df["dv_spacecraft_km_s"] if spec.capacity_km_s is not None else df["dv_total_km_s"]
    ).to_numpy(dtype=float)
    df["dv_objective_km_s"] = obj
    ok = np.isfinite(obj)
    limit = _limit(spec)
    if limit is not None:
        ok &= obj <= limit * (1 + 1e-9)
    if spec.max_c3_km2_s2 is not None and "c3_km2_s2" in df:
        ok &= df["c3_km2_s2"].to_numpy(dtype=float) <= spec.max_c3_km2_s2 * (1 + 1e-9)
    if spec.max_duration_days is not None:
        ok &= df["duration_days"].to_numpy(dtype=float) <= spec.max_duration_days + 1e-6
    if "stay_days" in df and spec.min_stay_days:
        ok &= df["stay_days"].to_numpy(dtype=float) >= spec.min_stay_days - 1e-6
    df["feasible"] = ok
    return df


def _refine_rows(res, n_ref, survivors, spec, lat, window_s, grid_desc) -> pd.DataFrame:
    from prospect.scan.porkchop import Transfer
    from prospect.scan.refine import refine_transfer

    res = res.copy()
    if "refined" not in res:
        res["refined"] = False
    by_des = {d: i for i, d in enumerate(survivors["designation"].astype(str))}
    for r in range(n_ref):
        row = res.iloc[r]
        if not np.isfinite(row.get("departure_s", np.nan)):
            continue
        model = model_from_row(survivors.iloc[by_des[str(row["designation"])]])
        if lat is not None:
            from prospect.scan.roundtrip import RoundTrip

            start_rt = RoundTrip(
                target=model.label,
                departure_s=float(row["departure_s"]),
                arrival_s=float(row["arrival_s"]),
                target_departure_s=float(row["target_departure_s"]),
                return_s=float(row["return_s"]),
                c3_km2_s2=float(row["c3_km2_s2"]),
                vinf_dep_km_s=float(np.sqrt(row["c3_km2_s2"])),
                dv_departure_km_s=float(row["dv_departure_km_s"]),
                dv_spacecraft_departure_km_s=float(row["dv_spacecraft_departure_km_s"]),
                vinf_arr_km_s=float(row["dv_arrival_km_s"]),
                dv_arrival_km_s=float(row["dv_arrival_km_s"]),
                dv_target_departure_km_s=float(row["dv_target_departure_km_s"]),
                vinf_return_km_s=float(row["vinf_return_km_s"]),
                entry_speed_km_s=float(row["entry_speed_km_s"]),
                dv_entry_km_s=float(row["dv_entry_km_s"]),
            )
            new = refine_round_trip(model, spec, start_rt, lat, kind="min_dv")
            if new.refined:
                for k2, v2 in _rt_columns(new).items():
                    res.at[r, k2] = v2
                res.at[r, "refined"] = True
            continue
        cell = Transfer(
            target=model.label,
            mode=spec.mode,
            departure_s=float(row["departure_s"]),
            tof_days=float(row["tof_days"]),
            c3_km2_s2=float(row["c3_km2_s2"]),
            vinf_dep_km_s=float(row["vinf_dep_km_s"]),
            vinf_arr_km_s=float(row["vinf_arr_km_s"]),
            dv_departure_km_s=float(row["dv_departure_km_s"]),
            dv_arrival_km_s=float(row["dv_arrival_km_s"]),
            dv_total_km_s=float(row["dv_total_km_s"]),
        )
        tmax = grid_desc["tof_max_days"]
        if spec.max_duration_days is not None:
            tmax = min(tmax, spec.max_duration_days)

        def objective(c, spec=spec):
            return float(
                _objective(spec, c["vinf_dep_km_s"], c["dv_arrival_km_s"], c["dv_total_km_s"])
            )

        new = refine_transfer(
            model,
            cell,
            departure_bounds_s=window_s,
            tof_bounds_days=(grid_desc["tof_min_days"], tmax),
            parking_alt_km=spec.parking_alt_km,
            revs=spec.max_revs,
            max_c3_km2_s2=spec.max_c3_km2_s2,
            step_days=max(grid_desc["step_days"], grid_desc.get("tof_step_days") or 0.0),
            objective=objective,
        )
        if new.refined:
            res.at[r, "departure_s"] = new.departure_s
            res.at[r, "departure"] = new.departure
            res.at[r, "arrival"] = new.arrival
            res.at[r, "tof_days"] = new.tof_days
            res.at[r, "duration_days"] = new.tof_days
            for k2 in (
                "c3_km2_s2",
                "vinf_dep_km_s",
                "vinf_arr_km_s",
                "dv_departure_km_s",
                "dv_arrival_km_s",
                "dv_total_km_s",
            ):
                res.at[r, k2] = getattr(new, k2)
            sc = float(spec.spacecraft_departure_dv(new.vinf_dep_km_s))
            res.at[r, "dv_spacecraft_departure_km_s"] = sc
            res.at[r, "dv_spacecraft_km_s"] = sc + new.dv_arrival_km_s
            res.at[r, "refined"] = True
    return res
