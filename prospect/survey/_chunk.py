"""Stage 2 of a survey: one chunk of targets, every launch-year block, reduced per target.

:func:`survey_chunk` is what a Dask worker runs.  It needs only the installed
package, the chunk's catalog rows and the :class:`~prospect.survey._plan.SurveyPlan`;
target states (two-body or n-body) are computed here, on the worker.  Targets
go through the blocks in batches of ``plan.batch``, so a worker's working
memory is ``plan.batch`` times one target's lattice plus the chunk's states,
whatever the catalog size (:meth:`SurveyPlan.worker_bound_bytes`).

Target states are computed once per chunk over the whole period (for n-body,
one integration of the chunk's targets as test particles) and sliced per block;
the Earth's, the same for every chunk, once per process (:func:`lattice_earth`).

Round trips: each block goes through the stages of
:func:`prospect.scan._lattice.lattice_search` (minimum-delta-v and
minimum-duration trips) once, for the targets whose cheapest outbound leg
leaves room under the limit, and the same leg costs give the viable counts
and class minima (:func:`prospect.survey._reduce.screened_search`).
One-way: the block's departure x flight-time grid comes from
:func:`prospect.core.transfer.transfer_grid`.
Across blocks: minima by ``min`` (ties keep the earlier block), counts by ``+``.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd

from prospect.core.constants import DAY_S, GM_EARTH_KM3_S2, GM_SUN_KM3_S2, R_EARTH_KM
from prospect.scan._common import iso_dates
from prospect.scan.roundtrip import RoundTripLattice, evaluate_round_trip
from prospect.survey._plan import SurveyPlan
from prospect.survey._reduce import LIMIT_RTOL, objective_limit, screened_search

__all__ = ["TRAJECTORY_FIELDS", "lattice_earth", "survey_chunk"]

#: Columns of one reported trajectory (prefixed ``min_dv_`` / ``min_dur_``).
TRAJECTORY_FIELDS = (
    "departure",
    "arrival",
    "target_departure",
    "earth_return",
    "departure_s",
    "duration_days",
    "stay_days",
    "c3_km2_s2",
    "dv_departure_km_s",
    "dv_spacecraft_departure_km_s",
    "dv_arrival_km_s",
    "dv_target_departure_km_s",
    "entry_speed_km_s",
    "dv_entry_km_s",
    "dv_total_km_s",
    "dv_spacecraft_km_s",
    "dv_km_s",
)
_INFO = ("designation", "label", "orbit_class", "h_mag", "u_param", "diameter_km", "a_au", "e")


def target_states(rows: pd.DataFrame, epochs_s: np.ndarray, ephemeris: str):
    """States of the chunk's targets at the lattice dates: r, v (N, M, 3) km, km/s (NaN: none)."""
    if ephemeris == "nbody":
        from prospect.survey._ephemeris import nbody_states

        return nbody_states(rows, epochs_s)
    from prospect.core.kepler import propagate_elements
    from prospect.targets import element_arrays

    r, v, st = propagate_elements(GM_SUN_KM3_S2, **element_arrays(rows), epochs_s=epochs_s)
    bad = st != 0
    r[bad] = np.nan
    v[bad] = np.nan
    return r, v


def earth_states(epochs_s: np.ndarray, ephemeris: str):
    """Earth states at the lattice dates, (M, 3) km, km/s, from the survey's ephemeris."""
    if ephemeris == "nbody":
        from prospect.survey._ephemeris import nbody_earth

        return nbody_earth(epochs_s)
    from prospect.scan._targets import earth_model

    return earth_model().states(epochs_s)


#: Earth states per process, by (ephemeris, lattice origin, step, dates): a worker
#: runs many chunks of one survey, and each needs the same Earth.
_EARTH: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}


def lattice_earth(plan: SurveyPlan) -> tuple[np.ndarray, np.ndarray]:
    """Earth states at every lattice date of ``plan`` (:func:`earth_states`), computed
    once per process and shared read-only by its chunks: r, v (M, 3) km, km/s."""
    # PROSPECT_EPHEMERIS picks astropy's kernel for two-body (prospect.ephem)
    key = (plan.ephemeris, os.environ.get("PROSPECT_EPHEMERIS"), plan.start_s, plan.step_days,
           plan.n_dep + plan.span_k)  # fmt: skip
    hit = _EARTH.get(key)
    if hit is None:
        if len(_EARTH) >= 4:  # a process serves few surveys; keep memory flat anyway
            _EARTH.clear()
        r, v = earth_states(plan.lattice_seconds(), plan.ephemeris)
        r.setflags(write=False)
        v.setflags(write=False)
        hit = _EARTH[key] = (r, v)
    return hit


class _LatticeStates:
    """State lookup at lattice dates (what ``evaluate_round_trip`` calls)."""

    def __init__(self, label, sec, r, v, ephemeris=""):
        self.label, self._sec, self._r, self._v = label, sec, r, v
        self.ephemeris = ephemeris

    def states(self, t):
        k = np.searchsorted(self._sec, np.asarray(t, dtype=float))
        return self._r[k], self._v[k]


def _rt_fields(rt, spec) -> dict:
    d = {k: v for k, v in rt.as_dict().items() if k in TRAJECTORY_FIELDS}
    d["departure_s"] = rt.departure_s
    d["dv_km_s"] = rt.dv_spacecraft_km_s if spec.capacity_km_s is not None else rt.dv_total_km_s
    return d


def _new_state(n: int, plan: SurveyPlan) -> dict:
    n_cls = len(plan.stay_classes_days) * len(plan.dur_classes_days)
    return {
        "best": [None] * n,  # (cost, fields)
        "short": [None] * n,  # ((duration_k, cost), fields)
        "bins": np.full((n, len(plan.bins)), np.nan),
        "classes": np.full((n, n_cls), np.nan),
        "n_viable": np.zeros(n, dtype=np.int64),
    }


def _merge(state, t, block_bin, cost, short_key, best_fields, short_fields, classes, count):
    """Fold one block's result of target ``t`` into the running reduction."""
    if best_fields is not None:
        cur = state["best"][t]
        if cur is None or cost < cur[0]:
            state["best"][t] = (cost, best_fields())
        b = state["bins"][t, block_bin]
        if not (b <= cost):
            state["bins"][t, block_bin] = cost
    if short_fields is not None:
        cur = state["short"][t]
        if cur is None or short_key < cur[0]:
            state["short"][t] = (short_key, short_fields())
    if classes is not None:
        state["classes"][t] = np.fmin(state["classes"][t], classes)
    state["n_viable"][t] += count


def _block_lattice(plan: SurveyPlan, first: int, count: int) -> RoundTripLattice:
    return RoundTripLattice(
        plan.start_s + first * plan.step_days * DAY_S,
        plan.step_days,
        count,
        plan.k_min,
        plan.k_max,
        plan.stay_k,
        plan.dur_k,
    )


def _round_trip_block(plan, state, states, sl, year, first, count, earth):
    spec = plan.spec
    lat = _block_lattice(plan, first, count)
    sec = plan.block_seconds(first, count)
    r_e, v_e = earth
    bs = plan.block_slice(first, count)
    r_t, v_t = states[0][:, bs], states[1][:, bs]
    h = plan.step_days
    stay_ks = [math.ceil(s / h - 1e-9) for s in plan.stay_classes_days]
    dur_ks = [math.floor(d / h + 1e-9) for d in plan.dur_classes_days]
    found, counts, classes = screened_search(r_e, v_e, r_t, v_t, lat, spec, stay_ks, dur_ks)
    earth_fn = _LatticeStates("Earth", sec, r_e, v_e).states
    b = plan.bin_of_year(year)
    for k in range(r_t.shape[0]):
        t = sl.start + k
        tgt = _LatticeStates("", sec, r_t[k], v_t[k])

        def fields(kind, k=k, tgt=tgt):
            i = [int(found[f"{kind}_i{m}"][k]) for m in range(4)]
            rt = evaluate_round_trip(tgt, spec, sec[i], earth_fn=earth_fn, target_fn=tgt.states)
            return _rt_fields(rt, spec)

        has_dv = found["min_dv_i0"][k] >= 0
        has_dur = found["min_dur_i0"][k] >= 0
        dur_k = int(found["min_dur_i3"][k] - found["min_dur_i0"][k])
        _merge(
            state,
            t,
            b,
            float(found["min_dv_cost"][k]),
            (dur_k, float(found["min_dur_cost"][k])),
            (lambda f=fields: f("min_dv")) if has_dv else None,
            (lambda f=fields: f("min_dur")) if has_dur else None,
            classes[k] if has_dv else None,
            int(counts[k]),
        )


def _one_way_cells(plan, states, first, count, earth):
    """The block's departure x flight-time grid of each target, (n, count, n_tof) arrays."""
    from prospect.core.transfer import transfer_grid

    spec = plan.spec
    sec = plan.block_seconds(first, count)
    L = sec.size
    r_e, v_e = earth[0][:count], earth[1][:count]
    bs = plan.block_slice(first, count)
    r_t, v_t = states[0][:, bs], states[1][:, bs]
    n = r_t.shape[0]
    tof_k = np.asarray(plan.tof_k)
    idx = np.arange(count)[:, None] + tof_k[None, :]
    # targets stacked as departures (as rank's grid path): rows t * count + i
    cells = transfer_grid(
        GM_SUN_KM3_S2,
        np.tile(r_e, (n, 1)),
        np.tile(v_e, (n, 1)),
        r_t.reshape(-1, 3),
        v_t.reshape(-1, 3),
        (idx[None] + (np.arange(n) * L)[:, None, None]).reshape(-1, tof_k.size),
        tof_k * plan.step_days * DAY_S,
        revs=spec.max_revs,
        mu_park_km3_s2=GM_EARTH_KM3_S2,
        r_park_km=R_EARTH_KM + spec.parking_alt_km,
        rendezvous=spec.mode == "rendezvous",
    )
    fields = (cells.c3, cells.vinf_dep, cells.vinf_arr, cells.dv_dep, cells.dv_arr, cells.dv_total)
    return sec, [a.reshape(n, count, tof_k.size) for a in fields]


def _one_way_block(plan, state, states, sl, year, first, count, earth):
    spec = plan.spec
    sec, (c3, vd, _va, dd, da, tot) = _one_way_cells(plan, states, first, count, earth)
    n = c3.shape[0]
    tof_k = np.asarray(plan.tof_k)
    sc_dep = spec.spacecraft_departure_dv(vd)
    obj = spec.objective_km_s(vd, da, tot)
    allowed = np.isfinite(obj)
    if spec.max_c3_km2_s2 is not None:
        allowed &= c3 <= spec.max_c3_km2_s2
    objm = np.where(allowed, obj, np.inf)
    lim = objective_limit(spec) * (1 + LIMIT_RTOL)
    ok = objm <= lim
    tof_days = tof_k * plan.step_days
    b = plan.bin_of_year(year)
    for k in range(n):

        def fields(i, j, k=k):
            dep = float(sec[i])
            return {
                "departure": iso_dates(dep),
                "arrival": iso_dates(dep + tof_days[j] * DAY_S),
                "departure_s": dep,
                "duration_days": float(tof_days[j]),
                "c3_km2_s2": float(c3[k, i, j]),
                "dv_departure_km_s": float(dd[k, i, j]),
                "dv_spacecraft_departure_km_s": float(sc_dep[k, i, j]),
                "dv_arrival_km_s": float(da[k, i, j]),
                "dv_total_km_s": float(tot[k, i, j]),
                "dv_spacecraft_km_s": float(sc_dep[k, i, j] + da[k, i, j]),
                "dv_km_s": float(obj[k, i, j]),
            }

        flat = int(np.argmin(objm[k]))
        bi, bj = divmod(flat, tof_k.size)
        feas = ok[k].any()
        classes = None
        short = None
        sk = None
        if feas:
            jj = int(np.flatnonzero(ok[k].any(axis=0))[0])  # shortest feasible flight
            ii = int(np.argmin(objm[k, :, jj]))
            sk = (jj, float(objm[k, ii, jj]))
            short = lambda ii=ii, jj=jj, f=fields: f(ii, jj)  # noqa: E731
            classes = np.array(
                [
                    np.min(np.where(ok[k] & (tof_days <= d)[None, :], objm[k], np.inf))
                    for _, d, _ in plan.class_columns()
                ]
            )
            classes[~np.isfinite(classes)] = np.nan
        _merge(
            state,
            k + sl.start,
            b,
            float(objm[k].flat[flat]),
            sk,
            (lambda f=fields, bi=bi, bj=bj: f(bi, bj)) if feas else None,
            short,
            classes,
            int(ok[k].sum()),
        )


def survey_chunk(rows: pd.DataFrame, plan: SurveyPlan) -> pd.DataFrame:
    """Survey one chunk of catalog rows: one result row per target.

    Parameters
    ----------
    rows : DataFrame, N rows
        Catalog records (columns of :func:`prospect.catalog.load_neas`).
    plan : SurveyPlan

    Returns
    -------
    DataFrame, N rows
        Catalog info (``designation``, ``label``, ``orbit_class``, ``h_mag``,
        ``u_param``, ...), ``feasible``, ``n_viable``, the minimum-delta-v
        (``min_dv_*``) and minimum-duration (``min_dur_*``) trajectories
        (:data:`TRAJECTORY_FIELDS`; dates UTC ``YYYY-MM-DD``, km/s, km^2/s^2,
        days), one ``dv_min_{y0}_{y1}_km_s`` per launch bin and one
        ``dv_min_stay{S}_dur{D}_km_s`` per filter class (NaN: none meets the
        profile).
    """
    rows = rows.reset_index(drop=True)
    n = len(rows)
    state = _new_state(n, plan)
    block_fn = _round_trip_block if plan.round_trip else _one_way_block
    sec = plan.lattice_seconds()
    r_e, v_e = lattice_earth(plan)
    # the chunk's states over the whole period at once (one n-body integration of
    # every target as test particles; 48 B per target and lattice date)
    r_all, v_all = target_states(rows, sec, plan.ephemeris)
    for a in range(0, n, plan.batch):
        sl = slice(a, min(n, a + plan.batch))
        states = (r_all[sl], v_all[sl])
        for year, first, count in plan.blocks:
            bs = plan.block_slice(first, count)
            block_fn(plan, state, states, sl, year, first, count, (r_e[bs], v_e[bs]))
    return _frame(rows, plan, state)


def _frame(rows: pd.DataFrame, plan: SurveyPlan, state: dict) -> pd.DataFrame:
    out = {c: rows[c].to_numpy() for c in _INFO if c in rows.columns}
    if "label" not in out:
        out["label"] = rows["designation"].astype(str).to_numpy()
    out["ephemeris"] = np.full(len(rows), plan.ephemeris, dtype=object)
    out["feasible"] = np.array([b is not None for b in state["best"]], dtype=bool)
    out["n_viable"] = state["n_viable"]
    for kind, key in (("min_dv", "best"), ("min_dur", "short")):
        for f in TRAJECTORY_FIELDS:
            text = f in ("departure", "arrival", "target_departure", "earth_return")
            col = [
                (s[1].get(f, "" if text else np.nan) if s is not None else ("" if text else np.nan))
                for s in state[key]
            ]
            out[f"{kind}_{f}"] = np.array(col, dtype=object if text else float)
    for k, name in enumerate(plan.bin_columns()):
        out[name] = state["bins"][:, k]
    for k, (_, _, name) in enumerate(plan.class_columns()):
        out[name] = state["classes"][:, k]
    return pd.DataFrame(out)
