"""Stage 4 of :func:`prospect.scan.rank.rank`: polish the best trajectories of the rows shown.

The grid (or lattice) optimum of each of the first rows is refined over
continuous dates (:func:`prospect.scan.refine.refine_transfer` for one-way
transfers, :func:`prospect.scan.roundtrip.refine_round_trip` for round trips),
minimising the same objective within the same window and limits, so the
result does not hang on the grid step.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from prospect.scan._mission import MissionSpec
from prospect.scan._targets import model_from_row
from prospect.scan.cells import CELL_FIELDS, Transfer
from prospect.scan.rank.chunks import rt_columns
from prospect.scan.rank.grid import ScanGrid
from prospect.scan.refine import refine_transfer
from prospect.scan.roundtrip import RoundTrip, refine_earth_fn, refine_round_trip

__all__ = ["refine_rows"]


def refine_rows(
    res: pd.DataFrame,
    n_ref: int,
    survivors: pd.DataFrame,
    spec: MissionSpec,
    grid: ScanGrid,
    ephemeris: str = "two-body",
    *,
    progress=None,
) -> pd.DataFrame:
    """A copy of ``res`` with the trajectories of its first ``n_ref`` rows refined.

    ``ephemeris`` names the target and Earth states the refinement uses
    (:func:`prospect.scan._targets.model_from_row`); ``progress(done, n_ref)``
    is called before the first row and after each.

    Refined rows get ``refined=True`` and their new dates, burns and totals;
    a row whose refinement finds nothing better keeps its grid values.
    """
    res = res.copy()
    if "refined" not in res:
        res["refined"] = False
    by_des = {d: i for i, d in enumerate(survivors["designation"].astype(str))}
    # the Earth of every round-trip refinement, made once (the same window for all rows)
    earth_fn = refine_earth_fn(ephemeris, grid.lattice) if grid.lattice is not None else None
    report = progress or (lambda done, total: None)
    report(0, n_ref)
    for r in range(n_ref):
        row = res.iloc[r]
        if np.isfinite(row.get("departure_s", np.nan)):
            rec = survivors.iloc[by_des[str(row["designation"])]]
            model = model_from_row(rec, ephemeris=ephemeris)
            if grid.lattice is not None:
                _refine_round_trip_row(res, r, row, model, spec, grid, earth_fn)
            else:
                _refine_oneway_row(res, r, row, model, spec, grid)
        report(r + 1, n_ref)
    return res


def _refine_round_trip_row(res, r, row, model, spec, grid: ScanGrid, earth_fn) -> None:
    start = RoundTrip(
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
    new = refine_round_trip(model, spec, start, grid.lattice, kind="min_dv", earth_fn=earth_fn)
    if new.refined:
        for k, v in rt_columns(new).items():
            res.at[r, k] = v
        res.at[r, "refined"] = True


def _refine_oneway_row(res, r, row, model, spec: MissionSpec, grid: ScanGrid) -> None:
    cell = Transfer(
        target=model.label,
        mode=spec.mode,
        departure_s=float(row["departure_s"]),
        **{k: float(row[k]) for k in ("tof_days", *CELL_FIELDS)},
    )
    desc = grid.desc
    tmax = desc["tof_max_days"]
    if spec.max_duration_days is not None:
        tmax = min(tmax, spec.max_duration_days)

    def objective(c):
        return float(
            spec.objective_km_s(c["vinf_dep_km_s"], c["dv_arrival_km_s"], c["dv_total_km_s"])
        )

    new = refine_transfer(
        model,
        cell,
        departure_bounds_s=grid.window_s,
        tof_bounds_days=(desc["tof_min_days"], tmax),
        parking_alt_km=spec.parking_alt_km,
        revs=spec.max_revs,
        max_c3_km2_s2=spec.max_c3_km2_s2,
        step_days=max(desc["step_days"], desc.get("tof_step_days") or 0.0),
        objective=objective,
    )
    if not new.refined:
        return
    res.at[r, "departure_s"] = new.departure_s
    res.at[r, "departure"] = new.departure
    res.at[r, "arrival"] = new.arrival
    res.at[r, "tof_days"] = new.tof_days
    res.at[r, "duration_days"] = new.tof_days
    for k in CELL_FIELDS:
        res.at[r, k] = getattr(new, k)
    sc = float(spec.spacecraft_departure_dv(new.vinf_dep_km_s))
    res.at[r, "dv_spacecraft_departure_km_s"] = sc
    res.at[r, "dv_spacecraft_km_s"] = sc + new.dv_arrival_km_s
    res.at[r, "refined"] = True
