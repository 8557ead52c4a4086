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

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from prospect._coerce import as_days, as_km, as_km2_s2
from prospect._display import porkchop_html, porkchop_repr, transfer_html, transfer_repr
from prospect.core.constants import DAY_S, GM_EARTH_KM3_S2, GM_SUN_KM3_S2, R_EARTH_KM
from prospect.core.lambert import LAMBERT_STATUS
from prospect.core.transfer import transfer_grid
from prospect.data.orbits import LEO_PARKING
from prospect.errors import InputError
from prospect.scan._common import (
    FUSED_BYTES_PER_CELL,
    date_grid,
    datetimes,
    default_step_days,
    iso_dates,
    memory_budget_bytes,
    tof_grid,
)
from prospect.scan._mission import MissionSpec, mission_spec
from prospect.scan._targets import TargetModel, earth_model, resolve_target

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

_GRID_FIELDS = (
    "c3_km2_s2",
    "vinf_dep_km_s",
    "vinf_arr_km_s",
    "dv_departure_km_s",
    "dv_arrival_km_s",
    "dv_total_km_s",
)


def transfer_cells(
    r_dep,
    v_dep,
    r_arr,
    v_arr,
    tof_s,
    *,
    mode: str = "rendezvous",
    r_park_km: float = LEO_PARKING.r_perigee_km,
    revs: int = 0,
    mu_km3_s2: float = GM_SUN_KM3_S2,
) -> dict[str, np.ndarray]:
    """Lambert transfers and their delta-v for broadcastable batches of cells.

    Parameters
    ----------
    r_dep, v_dep : array_like, shape (..., 3)
        Heliocentric state of the departure body (the Earth) at departure, km, km/s.
    r_arr, v_arr : array_like, shape (..., 3)
        State of the target at arrival, km, km/s.
    tof_s : array_like, shape (...)
        Times of flight, s.  All leading shapes broadcast.
    mode : {"rendezvous", "flyby"}
        A flyby does not pay the arrival ``v_inf``.
    r_park_km : float
        Radius of the circular parking orbit at the Earth, km.
    revs : int
        Largest number of complete revolutions tried (both branches each).
    mu_km3_s2 : float
        GM of the Sun, km^3/s^2.

    Returns
    -------
    dict of ndarray, shape (...)
        ``c3_km2_s2, vinf_dep_km_s, vinf_arr_km_s, dv_departure_km_s,
        dv_arrival_km_s, dv_total_km_s`` (NaN where no arc), ``status`` (int8,
        :data:`prospect.core.lambert.LAMBERT_STATUS` of the zero-revolution
        arc where no candidate exists) and ``revs`` (int8, revolutions of the
        kept arc).

    Examples
    --------
    A Hohmann-like half orbit from 1 au to 1.5 au (circular, coplanar):

    >>> import numpy as np
    >>> from prospect.core.constants import AU_KM, GM_SUN_KM3_S2 as mu
    >>> r1, r2 = AU_KM, 1.5 * AU_KM
    >>> v1c, v2c = np.sqrt(mu / r1), np.sqrt(mu / r2)
    >>> th = np.radians(179.0)   # just short of 180 deg: the plane stays defined
    >>> a = (r1 + r2) / 2
    >>> tof = np.pi * np.sqrt(a**3 / mu)
    >>> out = transfer_cells([r1, 0, 0], [0, v1c, 0],
    ...                      [r2 * np.cos(th), r2 * np.sin(th), 0],
    ...                      [-v2c * np.sin(th), v2c * np.cos(th), 0], tof)
    >>> bool(2.8 < out["vinf_dep_km_s"] < 3.0), bool(2.5 < out["vinf_arr_km_s"] < 2.8)
    (True, True)
    """
    if mode not in ("rendezvous", "flyby"):
        raise InputError(f"mode must be 'rendezvous' or 'flyby', got {mode!r}", option="mode")
    r_dep = np.asarray(r_dep, dtype=float)
    v_dep = np.asarray(v_dep, dtype=float)
    r_arr = np.asarray(r_arr, dtype=float)
    v_arr = np.asarray(v_arr, dtype=float)
    tof = np.asarray(tof_s, dtype=float)
    for name, a in (("r_dep", r_dep), ("v_dep", v_dep), ("r_arr", r_arr), ("v_arr", v_arr)):
        if a.ndim == 0 or a.shape[-1] != 3:
            raise ValueError(f"{name} must have shape (..., 3), got {a.shape}")
    try:
        shape = np.broadcast_shapes(
            r_dep.shape[:-1], v_dep.shape[:-1], r_arr.shape[:-1], v_arr.shape[:-1], tof.shape
        )
    except ValueError:
        raise ValueError(
            f"shapes do not broadcast: r_dep {r_dep.shape}, v_dep {v_dep.shape}, "
            f"r_arr {r_arr.shape}, v_arr {v_arr.shape}, tof_s {tof.shape}"
        ) from None
    n = math.prod(shape)

    def flat(a: np.ndarray) -> np.ndarray:
        return np.broadcast_to(a, (*shape, 3)).reshape(n, 3)

    # one "departure" per cell, each with its own arrival state and flight time
    g = transfer_grid(
        mu_km3_s2,
        flat(r_dep),
        flat(v_dep),
        flat(r_arr),
        flat(v_arr),
        np.arange(n).reshape(n, 1),
        np.broadcast_to(tof, shape).reshape(n, 1),
        revs=int(revs),
        mu_park_km3_s2=GM_EARTH_KM3_S2,
        r_park_km=r_park_km,
        rendezvous=mode == "rendezvous",
    )
    return {
        "c3_km2_s2": g.c3.reshape(shape),
        "vinf_dep_km_s": g.vinf_dep.reshape(shape),
        "vinf_arr_km_s": g.vinf_arr.reshape(shape),
        "dv_departure_km_s": g.dv_dep.reshape(shape),
        "dv_arrival_km_s": g.dv_arr.reshape(shape),
        "dv_total_km_s": g.dv_total.reshape(shape),
        "status": g.status.reshape(shape),
        "revs": g.revs_used.reshape(shape),
    }


@dataclass(frozen=True)
class Transfer:
    """One Earth-to-target transfer (a grid cell or a refined optimum).

    Dates are TDB seconds since J2000 (``departure_s``/``arrival_s``) with UTC
    ISO dates for display; speeds in km/s, C3 in km^2/s^2.
    """

    target: str
    mode: str
    departure_s: float
    tof_days: float
    c3_km2_s2: float
    vinf_dep_km_s: float
    vinf_arr_km_s: float
    dv_departure_km_s: float
    dv_arrival_km_s: float
    dv_total_km_s: float
    revs: int = 0
    refined: bool = False

    @property
    def arrival_s(self) -> float:
        return self.departure_s + self.tof_days * DAY_S

    @property
    def departure(self) -> str:
        """Departure date, UTC ``YYYY-MM-DD``."""
        return str(iso_dates(self.departure_s))

    @property
    def arrival(self) -> str:
        """Arrival date, UTC ``YYYY-MM-DD``."""
        return str(iso_dates(self.arrival_s))

    __repr__, _repr_html_ = transfer_repr, transfer_html

    def as_dict(self) -> dict:
        """Plain dictionary (for JSON/CSV output)."""
        return {
            "target": self.target,
            "mode": self.mode,
            "departure": self.departure,
            "arrival": self.arrival,
            "tof_days": self.tof_days,
            "c3_km2_s2": self.c3_km2_s2,
            "vinf_dep_km_s": self.vinf_dep_km_s,
            "vinf_arr_km_s": self.vinf_arr_km_s,
            "dv_departure_km_s": self.dv_departure_km_s,
            "dv_arrival_km_s": self.dv_arrival_km_s,
            "dv_total_km_s": self.dv_total_km_s,
            "revs": self.revs,
            "refined": self.refined,
        }


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
        from prospect.scan.refine import refine_transfer

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
) -> dict[str, np.ndarray]:
    """Grid arrays of one target; departures processed in memory-bounded chunks."""
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
    for a in range(0, nd, rows):
        b = min(nd, a + rows)
        g = transfer_grid(
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
        for k, arr in zip((*_GRID_FIELDS, "status", "revs"), g, strict=True):
            out[k][a:b] = arr
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
    spec: MissionSpec = mission_spec(mission)
    mode = mode or spec.mode
    opt = {"allow_none": True}
    step_days = as_days(step_days, "step_days (--step)", positive=True, **opt)
    tof_step_days = as_days(tof_step_days, "tof_step_days (--tof-step)", positive=True, **opt)
    parking_alt_km = as_km(parking_alt_km, "parking_alt_km", nonnegative=True, **opt)
    max_c3_km2_s2 = as_km2_s2(max_c3_km2_s2, "max_c3_km2_s2", **opt)
    parking_alt_km = spec.parking_alt_km if parking_alt_km is None else parking_alt_km
    revs = spec.max_revs if revs is None else int(revs)
    if revs < 0:
        raise InputError(f"must be >= 0, got {revs}", option="revs")
    if max_c3_km2_s2 is None:
        max_c3_km2_s2 = spec.max_c3_km2_s2
    if mode not in ("rendezvous", "flyby"):
        raise InputError(f"must be 'rendezvous' or 'flyby', got {mode!r}", option="mode")
    if step_days is None:
        step_days = default_step_days(departure_start, departure_end, max_steps=400)
    grid = date_grid(
        departure_start,
        departure_end,
        step_days,
        start_option="departure_start (--from)",
        end_option="departure_end (--to)",
        step_option="step_days (--step)",
    )
    tofs = tof_grid(
        tof_min_days,
        tof_max_days,
        tof_step_days or step_days,
        min_option="tof_min_days (--tof-min)",
        max_option="tof_max_days (--tof-max)",
        step_option="tof_step_days (--tof-step)",
    )
    budget = memory_budget_bytes(memory_mb)
    n_cells = len(grid) * tofs.size
    result_bytes = n_cells * 58  # 6 float64 grids + 2 int8 + gathers
    if result_bytes > budget:
        raise InputError(
            f"a {len(grid)} x {tofs.size} grid ({n_cells:,} cells) needs about "
            f"{result_bytes / 2**20:,.0f} MiB for its result alone, over the budget of "
            f"{budget / 2**20:,.0f} MiB; use larger steps or a shorter window "
            "(or raise PROSPECT_SCAN_MEMORY_MB)",
            option="step_days",
        )
    model = resolve_target(target, catalog, ephemeris)
    arrays = compute_grid(
        model,
        grid.seconds,
        tofs,
        mode=mode,
        parking_alt_km=parking_alt_km,
        revs=revs,
        memory_bytes=max(budget - result_bytes, FUSED_BYTES_PER_CELL * tofs.size),
    )
    return PorkchopResult(
        target=model.label,
        mode=mode,
        departure_s=grid.seconds,
        tof_days=tofs,
        parking_alt_km=parking_alt_km,
        max_c3_km2_s2=max_c3_km2_s2,
        max_revs=revs,
        ephemeris=model.ephemeris,
        _model=model,
        **arrays,
    )
