"""The inner work of the rank scan: one chunk of targets against the shared grid.

Two functions do the numerical work, each on a chunk of ``N`` targets given
as element arrays (``a_km, e, inc_rad, raan_rad, argp_rad, ma_rad,
epoch_s``: what :func:`prospect.targets.element_arrays` returns, each of
shape (N,)):

* :func:`oneway_chunk` -- the best one-way transfer of each target on a
  :class:`prospect.scan.rank.grid.OneWayGrid`;
* :func:`roundtrip_chunk` -- the lattice dates of each target's least-delta-v
  and shortest round trip (:func:`prospect.scan._lattice.lattice_search`).

:func:`oneway_frame` and :func:`roundtrip_frame` turn their output into the
table rows of :func:`prospect.scan.rank.rank`.  A faster search can replace
either numerical function as long as it returns the same fields.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from prospect.core import kepler
from prospect.core.constants import DAY_S, GM_EARTH_KM3_S2, GM_SUN_KM3_S2
from prospect.core.transfer import transfer_grid, transfer_min
from prospect.scan._common import iso_dates
from prospect.scan._lattice import RoundTripLattice, lattice_search
from prospect.scan._mission import MissionSpec
from prospect.scan._targets import model_from_row
from prospect.scan.cells import CELL_FIELDS
from prospect.scan.rank.grid import OneWayGrid
from prospect.scan.roundtrip import evaluate_round_trips

__all__ = [
    "BOUND_COLUMN",
    "lattice_dates",
    "oneway_chunk",
    "oneway_frame",
    "propagate",
    "roundtrip_chunk",
    "roundtrip_frame",
    "rt_columns",
]


#: Internal column of round-trip rows: a lower bound of the target's least cost on
#: the fine lattice, km/s (the cost itself where the fine lattice was searched).
BOUND_COLUMN = "dv_bound_km_s"


def propagate(el: dict, epochs_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """States of N element sets at M epochs, (N, M, 3) km and km/s (NaN where the
    Kepler solve fails; :func:`prospect.core.kepler.propagate_elements`)."""
    r, v, st = kepler.propagate_elements(GM_SUN_KM3_S2, **el, epochs_s=epochs_s)
    bad = st != 0
    if bad.any():
        r[bad] = np.nan
        v[bad] = np.nan
    return r, v


def oneway_chunk(el: dict, g: OneWayGrid, spec: MissionSpec, states=None) -> dict[str, np.ndarray]:
    """Best one-way transfer of each target of a chunk on the grid ``g``.

    The best cell minimises ``spec.objective_km_s`` among the cells within the
    profile's C3 and duration limits (:func:`prospect.core.transfer.transfer_min`,
    fused; the NumPy grid path when the objective has no fused form).

    Parameters
    ----------
    el : dict of ndarray, shape (N,)
        Element arrays of the chunk's targets (see the module docstring).
    g : OneWayGrid
        The shared departure x time-of-flight grid.
    spec : MissionSpec
        Objective and limits.
    states : callable, optional
        ``states(el, epochs_s) -> (r, v)`` (N, M, 3) of the targets; default
        :func:`propagate` (two-body); the n-body stage passes the n-body cache.

    Returns
    -------
    dict of ndarray, shape (N,)
        ``departure_s`` (TDB s), ``tof_days``, ``launch_days`` (days of the
        window with at least one cell within the delta-v limit) and
        :data:`prospect.scan.cells.CELL_FIELDS` of the best cell; NaN where a
        target has no allowed cell.
    """
    r_t, v_t = (states or propagate)(el, g.arr_u)
    objective = spec.kernel_objective()
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
        r_park_km=spec.r_park_km,
        rendezvous=spec.mode == "rendezvous",
        objective=objective,
        tof_ok=tof_ok,
        max_c3_km2_s2=spec.max_c3_km2_s2,
        limit_km_s=spec.limit_km_s,
    )
    return best_cells(g, best, vals, n_ok)


def _oneway_chunk_grid(r_t, v_t, g: OneWayGrid, spec: MissionSpec) -> dict[str, np.ndarray]:
    """The per-cell grid of every target, then the NumPy reduction (any objective)."""
    n, n_u = r_t.shape[:2]
    n_dep, n_tof = g.inv.shape
    # targets stacked as departures: rows t * n_dep + i
    c3, vinf_d, vinf_a, dv_d, dv_a, tot, _, _ = transfer_grid(
        GM_SUN_KM3_S2,
        np.tile(g.r_e, (n, 1)),
        np.tile(g.v_e, (n, 1)),
        r_t.reshape(-1, 3),
        v_t.reshape(-1, 3),
        (g.inv[None, :, :] + (np.arange(n) * n_u)[:, None, None]).reshape(-1, n_tof),
        g.tof_days * DAY_S,
        revs=spec.max_revs,
        mu_park_km3_s2=GM_EARTH_KM3_S2,
        r_park_km=spec.r_park_km,
        rendezvous=spec.mode == "rendezvous",
    )
    del r_t, v_t
    cells = {
        name: a.reshape(n, n_dep, n_tof)
        for name, a in zip(CELL_FIELDS, (c3, vinf_d, vinf_a, dv_d, dv_a, tot), strict=True)
    }
    obj = spec.objective_km_s(
        cells["vinf_dep_km_s"], cells["dv_arrival_km_s"], cells["dv_total_km_s"]
    )
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
    limit = spec.limit_km_s
    ok = (objm <= limit) if limit is not None else np.isfinite(objm)
    launch_days = ok.any(axis=2).sum(axis=1) * g.step_days
    bi, bj = np.divmod(best, g.tof_days.size)
    out = {
        "departure_s": np.where(np.isfinite(value), g.dep_s[bi], np.nan),
        "tof_days": np.where(np.isfinite(value), g.tof_days[bj], np.nan),
        "launch_days": launch_days.astype(float),
    }
    for k in CELL_FIELDS:
        out[k] = np.where(np.isfinite(value), cells[k].reshape(n, -1)[idx, best], np.nan)
    return out


def oneway_frame(out: dict, spec: MissionSpec) -> pd.DataFrame:
    """Rows of :func:`oneway_chunk` output: dates, duration and the spacecraft's delta-v."""
    df = pd.DataFrame(out)
    dep = df.pop("departure_s").to_numpy()
    df.insert(0, "departure", iso_dates(dep))
    df.insert(1, "arrival", iso_dates(dep + df["tof_days"].to_numpy() * DAY_S))
    df["duration_days"] = df["tof_days"]
    df["dv_spacecraft_departure_km_s"] = spec.spacecraft_departure_dv(df["vinf_dep_km_s"])
    df["dv_spacecraft_km_s"] = df["dv_spacecraft_departure_km_s"] + df["dv_arrival_km_s"]
    df["departure_s"] = dep
    return df


def roundtrip_chunk(
    el: dict,
    lat: RoundTripLattice,
    r_e: np.ndarray,
    v_e: np.ndarray,
    spec: MissionSpec,
    states=None,
) -> list[dict]:
    """Lattice dates of the best round trips of each target of a chunk.

    Parameters
    ----------
    el : dict of ndarray, shape (N,)
        Element arrays of the chunk's targets.
    lat : RoundTripLattice
    r_e, v_e : ndarray, shape (L, 3)
        Earth's states at ``lat.seconds``, km, km/s.
    spec : MissionSpec

    Returns
    -------
    list of dict, length N
        ``{"min_dv": dates or None, "min_dur": dates or None, "bound": cost}``
        with ``dates`` the four TDB-second dates (Earth departure, target
        arrival, target departure, Earth return) of the least-delta-v and
        the shortest trip, and ``cost`` the least cost of any trip, km/s
        (:func:`lattice_dates`).
    """
    r_t, v_t = (states or propagate)(el, lat.seconds)
    return lattice_dates(r_e, v_e, r_t, v_t, lat, spec)


def lattice_dates(
    r_e, v_e, r_t, v_t, lat: RoundTripLattice, spec: MissionSpec, found: dict | None = None
) -> list[dict]:
    """:func:`prospect.scan._lattice.lattice_search` of N targets as one dict per target.

    ``{"min_dv": dates or None, "min_dur": dates or None, "bound": least,
    "states": {kind: (r, v)}}``: the four TDB-second dates of each trip, the
    least cost of any round trip on the lattice, km/s, whatever the limit
    (``inf``: none), and the target's states (2, 3) at each trip's arrival and
    departure (the ones the search used; :func:`roundtrip_frame` evaluates
    the legs with them).  ``found``: the search's output when the caller has
    it already (:func:`prospect.scan._lattice.lattice_from_costs`).
    """
    sec = lat.seconds
    if found is None:
        found = lattice_search(r_e, v_e, r_t, v_t, lat, spec)
    rows = []
    for k in range(r_t.shape[0]):
        row = {"bound": float(found["least_cost"][k]), "states": {}}
        for kind in ("min_dv", "min_dur"):
            i = [int(found[f"{kind}_{m}"][k]) for m in ("i0", "i1", "i2", "i3")]
            row[kind] = None if i[0] < 0 else (sec[i[0]], sec[i[1]], sec[i[2]], sec[i[3]])
            if i[0] >= 0:  # the target at its arrival and departure, as the search had it
                row["states"][kind] = (r_t[k, [i[1], i[2]]], v_t[k, [i[1], i[2]]])
        rows.append(row)
    return rows


def rt_columns(rt) -> dict:
    """Table columns of a :class:`prospect.scan.roundtrip.RoundTrip` (with TDB-second dates)."""
    d = rt.as_dict()
    d["departure_s"] = rt.departure_s
    d["arrival_s"] = rt.arrival_s
    d["target_departure_s"] = rt.target_departure_s
    d["return_s"] = rt.return_s
    d.pop("target", None)
    return d


def _lattice_index(sec: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Index of each lattice date ``t`` in ``sec`` (TDB s; ``t`` is a lattice date)."""
    return np.clip(np.searchsorted(sec, np.asarray(t, dtype=float) - 1.0), 0, sec.size - 1)


def _trips(found, rows, kind, sub_table, lat, r_e, v_e, spec, ephemeris):
    """The trips ``kind`` of the targets ``rows`` as one :class:`RoundTrip` of arrays.

    The Earth at its two dates from the lattice arrays; the target at its two
    from the search's own arrays where it passed them (else the target's model).
    """
    dates = np.array([found[k][kind] for k in rows], dtype=float).reshape(-1, 4)
    ie = _lattice_index(lat.seconds, dates[:, [0, 3]])
    r_t = np.empty((len(rows), 2, 3))
    v_t = np.empty((len(rows), 2, 3))
    for j, k in enumerate(rows):
        st = found[k].get("states", {}).get(kind)
        if st is None:
            st = model_from_row(sub_table.iloc[k], ephemeris=ephemeris).states(dates[j, 1:3])
        r_t[j], v_t[j] = st
    return evaluate_round_trips(spec, dates, r_e[ie], v_e[ie], r_t, v_t)


def _spread(values, rows, n: int):
    """``values`` of the rows ``rows`` on all ``n`` rows; NaN elsewhere (as a table of
    row dicts without the key reads)."""
    values = np.asarray(values)
    if len(rows) == n:
        return values
    out = np.full(n, np.nan, dtype=float if values.dtype.kind == "f" else object)
    out[rows] = values
    return out


def roundtrip_frame(
    found: list[dict], sub_table, lat, r_e, v_e, spec, ephemeris: str = "two-body"
) -> pd.DataFrame:
    """Rows of :func:`roundtrip_chunk` output: every leg of each target's best trips.

    Also :data:`BOUND_COLUMN`, the lower bound of each target's least cost
    (for the n-body stage; :func:`prospect.scan.rank.rank` drops it).  The legs
    of all trips are evaluated in one batch
    (:func:`prospect.scan.roundtrip.evaluate_round_trips`), with the exact
    states at the lattice dates: the Earth from the lattice arrays, the target
    from the search's own arrays when it passed them.
    """
    n = len(found)
    cols = {BOUND_COLUMN: np.array([f.get("bound", np.nan) for f in found], dtype=float)}
    for kind in ("min_dv", "min_dur"):
        rows = [k for k, f in enumerate(found) if f[kind] is not None]
        if not rows:
            continue
        rt = _trips(found, rows, kind, sub_table, lat, r_e, v_e, spec, ephemeris)
        if kind == "min_dv":
            cols.update({k: _spread(v, rows, n) for k, v in rt_columns(rt).items()})
            continue
        dv = rt.dv_spacecraft_km_s if spec.capacity_km_s is not None else rt.dv_total_km_s
        cols["min_duration_days"] = _spread(rt.duration_days, rows, n)
        cols["min_duration_dv_km_s"] = _spread(dv, rows, n)
        cols["min_duration_departure"] = _spread(iso_dates(rt.departure_s), rows, n)
    df = pd.DataFrame(cols, index=pd.RangeIndex(n))
    for col in ("departure_s", "dv_total_km_s", "duration_days", "min_duration_days"):
        if col not in df:
            df[col] = np.nan
    return df


def best_cells(g: OneWayGrid, best, vals, n_ok) -> dict[str, np.ndarray]:
    """Per-target best cell of a one-way grid as the chunk's output columns.

    ``best`` (N, 2) departure and flight-time indices (-1: none feasible),
    ``vals`` (N, len(CELL_FIELDS)) the cell's values, ``n_ok`` (N,) the number
    of feasible departures, as :func:`prospect.core.transfer.transfer_min` returns them.
    """
    found = best[:, 0] >= 0
    out = {
        "departure_s": np.where(found, g.dep_s[best[:, 0]], np.nan),
        "tof_days": np.where(found, g.tof_days[best[:, 1]], np.nan),
        "launch_days": (n_ok * g.step_days).astype(float),
    }
    for k, name in enumerate(CELL_FIELDS):
        out[name] = vals[:, k]
    return out
