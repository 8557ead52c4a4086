"""Pork-chop grids: Lambert transfers from the Earth to a target over dates.

For every departure date ``d`` and time of flight ``tof`` of a grid
(``indexing="ij"``, shape ``(n_departure, n_tof)``) the transfer is the
ballistic Lambert arc from the Earth's heliocentric position at ``d`` to the
target's at ``d + tof`` (Izzo 2015, :func:`prospect.core.lambert.solve_lambert`),
about the Sun with the Gaussian GM that MPC elements assume
(:data:`prospect.core.constants.GM_SUN_KM3_S2`).  From the arc:

* ``vinf_dep_km_s = |v1 - v_earth(d)|`` and ``c3_km2_s2 = vinf_dep**2``;
* ``dv_departure_km_s``: the impulsive burn from a circular parking orbit that
  leaves on that hyperbola, ``sqrt(vinf**2 + 2 mu_E / r) - sqrt(mu_E / r)``
  (:func:`prospect.core.deltav.burn_from_circular`);
* ``vinf_arr_km_s = |v2 - v_target(d + tof)|``; a rendezvous pays it as the
  arrival burn (``dv_arrival_km_s``), a flyby does not (0);
* ``dv_total_km_s = dv_departure_km_s + dv_arrival_km_s``.

States are computed once per date array: the Earth at the departure dates and
the target at the *unique* arrival dates (with commensurate steps the
``n_departure x n_tof`` arrival dates collapse to about ``n_departure +
n_tof``), and every cell is solved by the fused kernel
:func:`prospect.core.transfer.transfer_grid` (arc, v-infinities and burns in
one compiled loop, no per-cell vectors materialised).  Multi-revolution arcs
(``revs >= 1``) are solved on both branches and the cheaper of all candidates
is kept per cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from prospect._coerce import as_days, as_km, as_km2_s2
from prospect._display import porkchop_html, porkchop_repr
from prospect.core.constants import (
    DAY_S,
    EARTH_SOI_KM,
    GM_EARTH_KM3_S2,
    GM_SUN_KM3_S2,
    R_EARTH_KM,
)
from prospect.core.lambert import LAMBERT_STATUS
from prospect.core.transfer import transfer_grid
from prospect.data.orbits import LEO_PARKING
from prospect.errors import InputError
from prospect.scan._common import (
    FUSED_BYTES_PER_CELL,
    check_revs,
    check_window,
    date_grid,
    datetimes,
    default_step_days,
    iso_dates,
    memory_budget_bytes,
    tof_grid,
    whole_number,
)
from prospect.scan._mission import MissionSpec, mission_spec
from prospect.scan._targets import TargetModel, earth_model, resolve_target
from prospect.scan.cells import CELL_FIELDS, Transfer, transfer_cells
from prospect.scan.refine import refine_transfer

__all__ = [
    "QUANTITIES",
    "PorkchopResult",
    "Transfer",
    "porkchop",
    "transfer_cells",
]

#: Grid quantities by short name (CLI ``--quantity``) -> attribute.
QUANTITIES = {
    "dv": "dv_total_km_s",
    "dv_total": "dv_total_km_s",
    "c3": "c3_km2_s2",
    "dv_departure": "dv_departure_km_s",
    "dv_arrival": "dv_arrival_km_s",
    "vinf_dep": "vinf_dep_km_s",
    "vinf_arr": "vinf_arr_km_s",
}

_GRID_FIELDS = CELL_FIELDS


@dataclass(frozen=True)
class PorkchopResult:
    """A computed pork-chop grid, ``indexing="ij"``: shape ``(n_departure, n_tof)``.

    Attributes
    ----------
    target : str
        Target label.
    mode : str
        ``"rendezvous"`` or ``"flyby"``.
    departure_s : ndarray, shape (n_departure,)
        Departure dates, TDB seconds since J2000.
    tof_days : ndarray, shape (n_tof,)
        Times of flight, days.
    c3_km2_s2, vinf_dep_km_s, vinf_arr_km_s, dv_departure_km_s, dv_arrival_km_s,
    dv_total_km_s : ndarray, shape (n_departure, n_tof)
        See the module docstring; NaN where no arc.
    status : ndarray of int8, shape (n_departure, n_tof)
        Lambert status (:data:`prospect.core.lambert.LAMBERT_STATUS`).
    revs : ndarray of int8, shape (n_departure, n_tof)
        Complete revolutions of the kept arc.
    parking_alt_km : float
        Parking-orbit altitude of ``dv_departure_km_s``.
    max_c3_km2_s2 : float or None
        Launch limit applied by :meth:`best` (None: none).
    ephemeris : str
        ``"nbody"`` or ``"two-body"``: what made the target's and Earth's states.
    """

    target: str
    mode: str
    departure_s: np.ndarray
    tof_days: np.ndarray
    c3_km2_s2: np.ndarray
    vinf_dep_km_s: np.ndarray
    vinf_arr_km_s: np.ndarray
    dv_departure_km_s: np.ndarray
    dv_arrival_km_s: np.ndarray
    dv_total_km_s: np.ndarray
    status: np.ndarray
    revs: np.ndarray
    parking_alt_km: float = LEO_PARKING.perigee_alt_km
    max_c3_km2_s2: float | None = None
    max_revs: int = 0
    ephemeris: str = "two-body"
    _model: TargetModel | None = field(default=None, repr=False, compare=False)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.departure_s.size, self.tof_days.size)

    @property
    def arrival_s(self) -> np.ndarray:
        """Arrival dates, TDB seconds since J2000, shape (n_departure, n_tof)."""
        return self.departure_s[:, None] + self.tof_days[None, :] * DAY_S

    @property
    def departure(self) -> np.ndarray:
        """Departure dates as UTC ``YYYY-MM-DD`` strings, shape (n_departure,)."""
        return iso_dates(self.departure_s)

    def quantity(self, name: str) -> np.ndarray:
        """A grid by short name (``"dv"``, ``"c3"``, ...) or attribute name."""
        attr = QUANTITIES.get(name, name)
        if attr not in _GRID_FIELDS:
            raise InputError(
                f"unknown quantity {name!r}; choose from {', '.join(QUANTITIES)}",
                option="quantity",
            )
        return getattr(self, attr)

    def feasible(self) -> np.ndarray:
        """Cells with an arc and within the launch limit ``max_c3_km2_s2``."""
        ok = np.isfinite(self.dv_total_km_s)
        if self.max_c3_km2_s2 is not None:
            ok &= self.c3_km2_s2 <= self.max_c3_km2_s2
        return ok

    def _cell(self, i: int, j: int) -> Transfer:
        return Transfer(
            target=self.target,
            mode=self.mode,
            departure_s=float(self.departure_s[i]),
            tof_days=float(self.tof_days[j]),
            revs=int(self.revs[i, j]),
            **{f: float(getattr(self, f)[i, j]) for f in _GRID_FIELDS},
        )

    def best(self, quantity: str = "dv", *, refine: bool = False) -> Transfer | None:
        """The cell that minimises ``quantity`` within the launch limit, or None.

        Parameters
        ----------
        quantity : str
            ``"dv"`` (total delta-v, default), ``"c3"``, or another grid name.
        refine : bool
            Polish the best cell with :func:`prospect.scan.refine.refine_transfer`
            over continuous departure date and flight time (within the grid's
            bounds), so the optimum does not depend on the grid step.
        """
        values = np.where(self.feasible(), self.quantity(quantity), np.nan)
        if not np.isfinite(values).any():
            return None
        i, j = np.unravel_index(int(np.nanargmin(values)), values.shape)
        cell = self._cell(int(i), int(j))
        if not refine:
            return cell
        if self._model is None:
            raise InputError("this grid carries no target model to refine against")
        return refine_transfer(
            self._model,
            cell,
            departure_bounds_s=(float(self.departure_s[0]), float(self.departure_s[-1])),
            tof_bounds_days=(float(self.tof_days[0]), float(self.tof_days[-1])),
            quantity=QUANTITIES.get(quantity, quantity),
            parking_alt_km=self.parking_alt_km,
            revs=self.max_revs,
            max_c3_km2_s2=self.max_c3_km2_s2,
            step_days=self._step_days(),
        )

    def _step_days(self) -> float:
        steps = [1.0]
        if self.departure_s.size > 1:
            steps.append(float(self.departure_s[1] - self.departure_s[0]) / DAY_S)
        if self.tof_days.size > 1:
            steps.append(float(self.tof_days[1] - self.tof_days[0]))
        return max(steps)

    __repr__, _repr_html_ = porkchop_repr, porkchop_html

    def to_frame(self) -> pd.DataFrame:
        """Long table, one row per cell (departure-major), UTC datetimes."""
        nd, nt = self.shape
        dep = np.repeat(self.departure_s, nt)
        tof = np.tile(self.tof_days, nd)
        frame = {
            "departure": datetimes(dep),
            "arrival": datetimes(dep + tof * DAY_S),
            "tof_days": tof,
        }
        for f in _GRID_FIELDS:
            frame[f] = getattr(self, f).reshape(-1)
        frame["revs"] = self.revs.reshape(-1)
        frame["status"] = self.status.reshape(-1)
        df = pd.DataFrame(frame)
        df.attrs.update(
            target=self.target,
            mode=self.mode,
            parking_alt_km=self.parking_alt_km,
            lambert_status=dict(LAMBERT_STATUS),
        )
        return df


def _unique_arrivals(dep_s: np.ndarray, tof_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique arrival epochs of a departure x tof grid and the (nd, nt) gather index."""
    arr = dep_s[:, None] + tof_s[None, :]
    # round to a millisecond so that float noise does not split equal dates
    uniq, inv = np.unique(np.round(arr, 3), return_inverse=True)
    return uniq, inv.reshape(arr.shape)


def compute_grid(
    model: TargetModel,
    dep_s: np.ndarray,
    tof_days: np.ndarray,
    *,
    mode: str,
    parking_alt_km: float,
    revs: int,
    memory_bytes: int,
    earth: TargetModel | None = None,
    progress=None,
) -> dict[str, np.ndarray]:
    """Grid arrays of one target; departures processed in memory-bounded chunks
    (at least 50 of them with a ``progress(done_departures, n_departures)``)."""
    earth = earth or earth_model(model.ephemeris)
    tof_s = np.asarray(tof_days, dtype=float) * DAY_S
    nd, nt = dep_s.size, tof_s.size
    r_e, v_e = earth.states(dep_s)
    arr_u, inv = _unique_arrivals(dep_s, tof_s)
    r_t, v_t = model.states(arr_u)
    out = {f: np.empty((nd, nt)) for f in _GRID_FIELDS}
    out["status"] = np.empty((nd, nt), dtype=np.int8)
    out["revs"] = np.empty((nd, nt), dtype=np.int8)
    # the fused kernel holds only its outputs and a copy of the chunk's flight
    # times and arrival indices (16 B per cell) besides the result arrays
    rows = max(1, int(memory_bytes // (FUSED_BYTES_PER_CELL * max(nt, 1))))
    if progress is not None:
        rows = min(rows, max(1, -(-nd // 50)))  # cells do not depend on the chunks
        progress(0, nd)
    for a in range(0, nd, rows):
        b = min(nd, a + rows)
        c3, vinf_d, vinf_a, dv_d, dv_a, tot, status, used = transfer_grid(
            GM_SUN_KM3_S2,
            r_e[a:b],
            v_e[a:b],
            r_t,
            v_t,
            inv[a:b],
            tof_s,
            revs=int(revs),
            mu_park_km3_s2=GM_EARTH_KM3_S2,
            r_park_km=R_EARTH_KM + parking_alt_km,
            rendezvous=mode == "rendezvous",
        )
        for k, arr in zip(
            (*_GRID_FIELDS, "status", "revs"),
            (c3, vinf_d, vinf_a, dv_d, dv_a, tot, status, used),
            strict=True,
        ):
            out[k][a:b] = arr
        if progress is not None:
            progress(b, nd)
    return out


def porkchop(
    target,
    departure_start,
    departure_end,
    tof_min_days: float,
    tof_max_days: float,
    *,
    step_days: float | None = None,
    tof_step_days: float | None = None,
    mode: str | None = None,
    parking_alt_km: float | None = None,
    revs: int | None = None,
    max_c3_km2_s2: float | None = None,
    mission=None,
    catalog=None,
    memory_mb: float | None = None,
    ephemeris: str = "nbody",
    progress=None,
) -> PorkchopResult:
    """Pork-chop grid of Earth-to-target transfers.

    Parameters
    ----------
    target : str, Target, pandas.Series or callable
        Asteroid name/number/designation (``"2000 SG344"``, ``"433"``), a planet
        (``"mars"``), a catalog record, or a state function ``epochs_s (M,) ->
        (r (M, 3) km, v (M, 3) km/s)`` in heliocentric ecliptic J2000.
    departure_start, departure_end : Time, str or date
        Launch window (both ends included when on the step).
    tof_min_days, tof_max_days : float
        Range of times of flight, days.
    step_days : float, optional
        Departure-date step, days (default: the window split in at most 400
        steps, rounded up to whole days).
    tof_step_days : float, optional
        Time-of-flight step, days (default ``step_days``; a multiple of
        ``step_days`` keeps the number of distinct arrival dates small).
    mode : {"rendezvous", "flyby"}, optional
        Default from ``mission``, else ``"rendezvous"``.
    parking_alt_km : float, optional
        Altitude of the circular Earth parking orbit of ``dv_departure_km_s``
        (default from ``mission``, else 400 km, the NHATS value).
    revs : int, optional
        Largest number of complete revolutions tried (default from
        ``mission``, else 0).
    max_c3_km2_s2 : float, optional
        Launch limit used by :meth:`PorkchopResult.best` (default from
        ``mission``, else none).
    mission : str or MissionProfile, optional
        Mission profile supplying the defaults above.
    catalog : DataFrame or path, optional
        NEA table to look ``target`` up in.
    memory_mb : float, optional
        Working-memory budget (default ``$PROSPECT_SCAN_MEMORY_MB`` or 1 GiB);
        larger grids are computed in chunks of departure dates, and a grid
        whose result alone would not fit is refused with its size.
    ephemeris : {"nbody", "two-body"}
        Target and Earth states from the n-body ephemeris (ASSIST with JPL
        DE440, :mod:`prospect.nbody`; default) or two-body from the elements
        with astropy's Earth.  The result's ``ephemeris`` says which.
    progress : callable, optional
        ``progress(done_departures, n_departures)``, called as the grid is
        solved in chunks of departure dates (the CLI shows it on stderr).

    Returns
    -------
    PorkchopResult

    Raises
    ------
    InputError
        Empty or reversed window, ``tof_min_days > tof_max_days``, bad steps,
        or a grid larger than the memory budget.
    UnknownNameError
        Unknown target or mission (with suggestions).

    Examples
    --------
    >>> pc = porkchop("2000 SG344", "2028-01-01", "2029-01-01", 60, 360, step_days=10)
    >>> pc.shape
    (37, 31)
    >>> best = pc.best()
    >>> bool(best.dv_total_km_s < 5.0)
    True
    """
    check_window(departure_start, departure_end, ephemeris)
    spec = _settings(mission, mode, parking_alt_km, revs, max_c3_km2_s2)
    grid, tofs = _grid(
        departure_start, departure_end, tof_min_days, tof_max_days, step_days, tof_step_days
    )
    check_revs(spec.max_revs, float(tofs[-1]), option="revs")
    budget, result_bytes = _memory(len(grid), tofs.size, memory_mb)
    model = resolve_target(target, catalog, ephemeris)
    arrays = compute_grid(
        model,
        grid.seconds,
        tofs,
        mode=spec.mode,
        parking_alt_km=spec.parking_alt_km,
        revs=spec.max_revs,
        memory_bytes=max(budget - result_bytes, FUSED_BYTES_PER_CELL * tofs.size),
        progress=progress,
    )
    return PorkchopResult(
        target=model.label,
        mode=spec.mode,
        departure_s=grid.seconds,
        tof_days=tofs,
        parking_alt_km=spec.parking_alt_km,
        max_c3_km2_s2=spec.max_c3_km2_s2,
        max_revs=spec.max_revs,
        ephemeris=model.ephemeris,
        _model=model,
        **arrays,
    )


def _settings(mission, mode, parking_alt_km, revs, max_c3_km2_s2) -> MissionSpec:
    """Stage 1: the profile's scan settings with the arguments that override them."""
    spec = mission_spec(mission)
    mode = spec.mode if mode is None else mode  # '' is a bad value, not "the default"
    if mode not in ("rendezvous", "flyby"):
        raise InputError(f"must be 'rendezvous' or 'flyby', got {mode!r}", option="mode")
    revs = spec.max_revs if revs is None else whole_number(revs, "revs")
    opt = {"allow_none": True}
    parking_alt_km = as_km(parking_alt_km, "parking_alt_km", nonnegative=True, **opt)
    if parking_alt_km is not None and R_EARTH_KM + parking_alt_km >= EARTH_SOI_KM:
        raise InputError(
            f"a parking orbit must lie inside the Earth's sphere of influence "
            f"({EARTH_SOI_KM:,.0f} km from its centre), got {parking_alt_km:g} km",
            option="parking_alt_km",
        )
    max_c3_km2_s2 = as_km2_s2(max_c3_km2_s2, "max_c3_km2_s2", **opt)
    return replace(
        spec,
        mode=mode,
        parking_alt_km=spec.parking_alt_km if parking_alt_km is None else parking_alt_km,
        max_revs=revs,
        max_c3_km2_s2=spec.max_c3_km2_s2 if max_c3_km2_s2 is None else max_c3_km2_s2,
    )


def _grid(start, end, tof_min_days, tof_max_days, step_days, tof_step_days):
    """Stage 2: departure dates and flight times (default step: <= 400 departures)."""
    step_days = as_days(step_days, "step_days", positive=True, allow_none=True)
    tof_step_days = as_days(tof_step_days, "tof_step_days", positive=True, allow_none=True)
    if step_days is None:
        step_days = default_step_days(
            start, end, max_steps=400, start_option="departure_start", end_option="departure_end"
        )
    grid = date_grid(
        start,
        end,
        step_days,
        start_option="departure_start",
        end_option="departure_end",
        step_option="step_days",
    )
    tofs = tof_grid(
        tof_min_days,
        tof_max_days,
        tof_step_days or step_days,
        min_option="tof_min_days",
        max_option="tof_max_days",
        step_option="tof_step_days",
    )
    return grid, tofs


def _memory(n_departure: int, n_tof: int, memory_mb) -> tuple[int, int]:
    """Stage 3: the memory budget, refusing a grid whose result alone would not fit."""
    budget = memory_budget_bytes(memory_mb)
    n_cells = n_departure * n_tof
    result_bytes = n_cells * 58  # 6 float64 grids + 2 int8 + gathers
    if result_bytes > budget:
        raise InputError(
            f"a {n_departure} x {n_tof} grid ({n_cells:,} cells) needs about "
            f"{result_bytes / 2**20:,.0f} MiB for its result alone, over the budget of "
            f"{budget / 2**20:,.0f} MiB; use larger steps or a shorter window "
            "(or raise PROSPECT_SCAN_MEMORY_MB)",
            option="step_days" if n_departure >= n_tof else "tof_step_days",
        )
    return budget, result_bytes
