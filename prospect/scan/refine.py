"""Continuous refinement of grid optima (so results do not hang on the grid step).

A grid resolves the optimum only to its step: a 5-day grid can miss the best
departure by 2.5 days, tens of m/s on a fast-changing pork-chop.  Starting from
the best cell, :func:`refine_transfer` minimises the same quantity over
continuous departure date and time of flight with the Nelder-Mead simplex
(scipy.optimize.minimize, Gao & Han 2012 adaptive parameters off; box bounds
of the grid), with the launch limit as a penalty.  The round-trip search
(:mod:`prospect.scan.roundtrip`) uses :func:`minimize_bounded` over its four
dates the same way.

Ephemeris states during refinement come from cubic splines through states
sampled every half day (see :meth:`TargetModel.interpolated`); Kepler targets
are evaluated exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from scipy.optimize import minimize

from prospect.core.constants import DAY_S, R_EARTH_KM
from prospect.data.orbits import LEO_PARKING
from prospect.scan._targets import TargetModel, earth_model
from prospect.scan.cells import CELL_FIELDS, Transfer, transfer_cells

__all__ = ["PENALTY_PER_UNIT", "minimize_bounded", "refine_transfer"]

#: Penalty added per unit of constraint violation (km/s per km^2/s^2 of C3 over
#: the limit, per day over a duration limit, ...).  Large against any delta-v
#: so that the simplex stays inside the feasible set once it is there.
PENALTY_PER_UNIT = 100.0

#: Objective value of a point with no Lambert arc (km/s): far above any real
#: transfer, finite so the simplex can move away from it.
NO_ARC = 1.0e3


def minimize_bounded(
    fun: Callable[[np.ndarray], float],
    x0,
    bounds,
    scale,
    *,
    xatol: float = 1e-4,
    fatol: float = 1e-7,
    maxiter: int = 4000,
) -> tuple[np.ndarray, float]:
    """Nelder-Mead within a box, started from a simplex of size ``scale`` around ``x0``.

    Returns the best point and value (never worse than ``x0``).
    """
    x0 = np.asarray(x0, dtype=float)
    lo = np.array([b[0] for b in bounds], dtype=float)
    hi = np.array([b[1] for b in bounds], dtype=float)
    x0 = np.clip(x0, lo, hi)
    scale = np.broadcast_to(np.asarray(scale, dtype=float), x0.shape)
    simplex = [x0]
    for k in range(x0.size):
        x = x0.copy()
        x[k] = x[k] + scale[k] if x[k] + scale[k] <= hi[k] else x[k] - scale[k]
        simplex.append(np.clip(x, lo, hi))
    f0 = float(fun(x0))
    best_x, best_f = x0, f0
    # two restarts: a simplex collapses on a ridge now and then
    for _ in range(2):
        res = minimize(
            fun,
            best_x,
            method="Nelder-Mead",
            bounds=list(zip(lo, hi, strict=True)),
            options={
                "initial_simplex": np.array(simplex),
                "xatol": xatol,
                "fatol": fatol,
                "maxiter": maxiter,
                "maxfev": maxiter * 2,
            },
        )
        if float(res.fun) < best_f - fatol:
            best_x, best_f = np.asarray(res.x, dtype=float), float(res.fun)
            simplex = [best_x]
            for k in range(best_x.size):
                x = best_x.copy()
                step = 0.25 * scale[k]
                x[k] = x[k] + step if x[k] + step <= hi[k] else x[k] - step
                simplex.append(np.clip(x, lo, hi))
        else:
            break
    return best_x, best_f


def refine_transfer(
    model: TargetModel,
    cell,
    *,
    departure_bounds_s: tuple[float, float],
    tof_bounds_days: tuple[float, float],
    quantity: str = "dv_total_km_s",
    parking_alt_km: float = LEO_PARKING.perigee_alt_km,
    revs: int = 0,
    max_c3_km2_s2: float | None = None,
    step_days: float = 5.0,
    earth: TargetModel | None = None,
    objective: Callable[[dict], float] | None = None,
):
    """Polish one grid optimum over continuous departure date and time of flight.

    Parameters
    ----------
    model : TargetModel
        The target.
    cell : Transfer
        Starting point (the best grid cell).
    departure_bounds_s : (float, float)
        Allowed departure dates, TDB seconds since J2000.
    tof_bounds_days : (float, float)
        Allowed times of flight, days.
    quantity : str
        Grid quantity minimised (``"dv_total_km_s"``, ``"c3_km2_s2"``, ...).
    parking_alt_km, revs, max_c3_km2_s2 :
        As for :func:`prospect.scan.porkchop`.
    step_days : float
        Size of the starting simplex, days (about the grid step).
    earth : TargetModel, optional
        Departure body (default the Earth).
    objective : callable, optional
        ``objective(cells) -> float`` computed from the
        :func:`prospect.scan.cells.transfer_cells` dictionary of one cell;
        default ``cells[quantity]``.

    Returns
    -------
    Transfer
        The refined transfer (``refined=True``), or ``cell`` itself when the
        simplex finds nothing better.

    Examples
    --------
    >>> from prospect.scan import porkchop
    >>> pc = porkchop("mars", "2020-07-01", "2020-08-31", 150, 300, step_days=10)
    >>> coarse = pc.best("c3")
    >>> fine = pc.best("c3", refine=True)
    >>> bool(fine.c3_km2_s2 <= coarse.c3_km2_s2)
    True
    """
    earth = earth or earth_model(model.ephemeris)
    t0, t1 = departure_bounds_s
    tmin, tmax = tof_bounds_days
    e_fn = earth.interpolated(t0, t1)
    t_fn = model.interpolated(t0 + tmin * DAY_S, t1 + tmax * DAY_S)
    r_park = R_EARTH_KM + parking_alt_km

    def evaluate(x):
        dep = t0 + x[0] * DAY_S
        tof = x[1] * DAY_S
        re, ve = e_fn(np.array([dep]))
        rt, vt = t_fn(np.array([dep + tof]))
        return transfer_cells(
            re[0], ve[0], rt[0], vt[0], tof, mode=cell.mode, r_park_km=r_park, revs=revs
        )

    def fun(x):
        c = evaluate(x)
        value = float(objective(c)) if objective is not None else float(c[quantity])
        if not np.isfinite(value):
            return NO_ARC
        if max_c3_km2_s2 is not None:
            value += PENALTY_PER_UNIT * max(0.0, float(c["c3_km2_s2"]) - max_c3_km2_s2)
        return value

    x0 = np.array([(cell.departure_s - t0) / DAY_S, cell.tof_days])
    bounds = [(0.0, (t1 - t0) / DAY_S), (tmin, tmax)]
    x, f = minimize_bounded(fun, x0, bounds, scale=step_days)
    start = fun(x0)
    if not f < start:
        return cell
    c = evaluate(x)
    if max_c3_km2_s2 is not None and float(c["c3_km2_s2"]) > max_c3_km2_s2 * (1 + 1e-9):
        return cell
    return (
        replace(
            cell,
            departure_s=float(t0 + x[0] * DAY_S),
            tof_days=float(x[1]),
            refined=True,
            revs=int(c["revs"]),
            **{k: float(c[k]) for k in CELL_FIELDS},
        )
        if isinstance(cell, Transfer)
        else cell
    )
