"""NHATS-style round trips: Earth -> target, stay, target -> Earth.

Defaults are the constraints of NASA's NEO Human Space Flight Accessible
Targets Study (NHATS; Barbee, Mink & Adamo 2011, AAS 11-444, NTRS 20110010993;
Barbee et al. 2015, IAA-PDC-15-04-22; https://cneos.jpl.nasa.gov/nhats/):
Earth departure C3 <= 60 km^2/s^2, total duration <= 450 d, stay at the
target >= 8 d, total delta-v <= 12 km/s, Earth atmospheric entry speed <= 12
km/s, departure from a 400 km circular LEO.  The total delta-v is the sum of

1. the departure burn from the parking orbit (``dv_departure_km_s``),
2. the burn matching the target's velocity on arrival (``dv_arrival_km_s``),
3. the burn leaving the target (``dv_target_departure_km_s``),
4. the burn that brings the Earth entry speed down to the limit,
   ``max(0, v_entry - v_entry_max)`` (``dv_entry_km_s``; impulsive at entry,
   the cheapest place for it), with ``v_entry = sqrt(v_inf^2 + 2 mu_E / r_entry)``
   (:func:`prospect.core.deltav.entry_speed`).

Search without pairing every outbound with every return leg.  All dates sit on
one lattice ``t_n = t_0 + n h``.  With ``O(d, a)`` the cost of the outbound leg
leaving the Earth at ``d`` and arriving at ``a``, ``R(d2, a2)`` the cost of the
return leg, ``s`` the minimum stay and ``D`` the maximum duration (in steps),
the best round trip through ``(d, a)`` costs

    total(d, a) = O(d, a) + M(a + s, d + D),
    M(x, y) = min { R(d2, a2) : d2 >= x, a2 <= y },

and ``M`` is a two-dimensional range minimum: a suffix minimum of ``R`` along
``d2`` followed by a prefix minimum along ``a2``, with the arg-minima carried
along (``O(L^2)`` for ``L`` lattice dates).  The round trip then costs about
two one-way grids instead of their product.  The shortest feasible trip
through ``(d, a)`` is the first ``y`` with ``O(d, a) + M(a + s, y) <= limit``
(``M`` does not increase with ``y``): a vectorised binary search.  The best
lattice solutions are then refined over four continuous dates
(:func:`prospect.scan.refine.minimize_bounded`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from prospect._coerce import as_days, as_km, as_km2_s2, as_km_s
from prospect._display import (
    round_trip_html,
    round_trip_repr,
    round_trip_result_html,
    round_trip_result_repr,
)
from prospect.core.constants import DAY_S
from prospect.scan._common import datetimes, iso_dates
from prospect.scan._lattice import (
    RoundTripLattice,
    _entry,
    _lambert_vinf,
    _outbound,
    lattice_search,
    range_min,
)
from prospect.scan._mission import MissionSpec, mission_spec
from prospect.scan._targets import TargetModel, earth_model, resolve_target
from prospect.scan.refine import NO_ARC, PENALTY_PER_UNIT, minimize_bounded

__all__ = [
    "RoundTrip",
    "RoundTripLattice",
    "RoundTripResult",
    "evaluate_round_trip",
    "evaluate_round_trips",
    "lattice_search",
    "nhats_spec",
    "range_min",
    "refine_earth_fn",
    "refine_round_trip",
    "round_trip",
]


@dataclass(frozen=True)
class RoundTrip:
    """One round trip with every leg (dates TDB s since J2000; speeds km/s)."""

    target: str
    departure_s: float
    arrival_s: float
    target_departure_s: float
    return_s: float
    c3_km2_s2: float
    vinf_dep_km_s: float
    dv_departure_km_s: float
    dv_spacecraft_departure_km_s: float
    vinf_arr_km_s: float
    dv_arrival_km_s: float
    dv_target_departure_km_s: float
    vinf_return_km_s: float
    entry_speed_km_s: float
    dv_entry_km_s: float
    refined: bool = False

    @property
    def tof_out_days(self) -> float:
        return (self.arrival_s - self.departure_s) / DAY_S

    @property
    def stay_days(self) -> float:
        return (self.target_departure_s - self.arrival_s) / DAY_S

    @property
    def tof_back_days(self) -> float:
        return (self.return_s - self.target_departure_s) / DAY_S

    @property
    def duration_days(self) -> float:
        return (self.return_s - self.departure_s) / DAY_S

    @property
    def dv_total_km_s(self) -> float:
        """NHATS total: LEO departure + arrival + target departure + entry burn."""
        return (
            self.dv_departure_km_s
            + self.dv_arrival_km_s
            + self.dv_target_departure_km_s
            + self.dv_entry_km_s
        )

    @property
    def dv_spacecraft_km_s(self) -> float:
        """What the spacecraft pays (departure per the launch mode + the other three)."""
        return (
            self.dv_spacecraft_departure_km_s
            + self.dv_arrival_km_s
            + self.dv_target_departure_km_s
            + self.dv_entry_km_s
        )

    __repr__, _repr_html_ = round_trip_repr, round_trip_html

    def as_dict(self) -> dict:
        return {
            "target": self.target,
            "departure": iso_dates(self.departure_s),
            "arrival": iso_dates(self.arrival_s),
            "target_departure": iso_dates(self.target_departure_s),
            "earth_return": iso_dates(self.return_s),
            "tof_out_days": self.tof_out_days,
            "stay_days": self.stay_days,
            "tof_back_days": self.tof_back_days,
            "duration_days": self.duration_days,
            "c3_km2_s2": self.c3_km2_s2,
            "dv_departure_km_s": self.dv_departure_km_s,
            "dv_spacecraft_departure_km_s": self.dv_spacecraft_departure_km_s,
            "dv_arrival_km_s": self.dv_arrival_km_s,
            "dv_target_departure_km_s": self.dv_target_departure_km_s,
            "vinf_return_km_s": self.vinf_return_km_s,
            "entry_speed_km_s": self.entry_speed_km_s,
            "dv_entry_km_s": self.dv_entry_km_s,
            "dv_total_km_s": self.dv_total_km_s,
            "dv_spacecraft_km_s": self.dv_spacecraft_km_s,
            "refined": self.refined,
        }


def evaluate_round_trip(
    model: TargetModel,
    spec: MissionSpec,
    dates_s,
    *,
    earth_fn=None,
    target_fn=None,
) -> RoundTrip:
    """The legs of a round trip through four dates (Earth departure, arrival, target
    departure, Earth return; TDB seconds since J2000)."""
    t = np.asarray(dates_s, dtype=float)
    e_fn = earth_fn or earth_model(model.ephemeris).states
    t_fn = target_fn or model.states
    re, ve = e_fn(t[[0, 3]])
    rt, vt = t_fn(t[[1, 2]])
    legs = _legs(spec, t, re[0], ve[0], re[1], ve[1], rt[0], vt[0], rt[1], vt[1])
    return RoundTrip(model.label, *(float(x) for x in legs))


def evaluate_round_trips(spec: MissionSpec, dates_s, r_e, v_e, r_t, v_t, target: str = ""):
    """The legs of N round trips at once: a :class:`RoundTrip` whose fields are arrays (N,).

    Parameters
    ----------
    spec : MissionSpec
    dates_s : ndarray, shape (N, 4)
        Earth departure, target arrival, target departure, Earth return, TDB s.
    r_e, v_e : ndarray, shape (N, 2, 3)
        The Earth at departure and at return, km, km/s.
    r_t, v_t : ndarray, shape (N, 2, 3)
        The target at arrival and at departure, km, km/s.

    Returns
    -------
    RoundTrip
        Its fields, properties and :meth:`RoundTrip.as_dict` hold arrays of
        shape (N,), element ``k`` equal to :func:`evaluate_round_trip` of trip
        ``k`` (the same kernels, one call for all trips).
    """
    t = np.asarray(dates_s, dtype=float).T
    legs = _legs(spec, t, r_e[:, 0], v_e[:, 0], r_e[:, 1], v_e[:, 1], r_t[:, 0], v_t[:, 0],
                 r_t[:, 1], v_t[:, 1])  # fmt: skip
    return RoundTrip(target, *legs, refined=np.zeros(t.shape[-1], dtype=bool))


def _legs(spec: MissionSpec, t, re0, ve0, re1, ve1, rt0, vt0, rt1, vt1) -> tuple:
    """The fields of :class:`RoundTrip` after ``target``, from the four dates ``t`` (4, ...)
    and the states at them (Earth at ``t[0]`` and ``t[3]``, the target at ``t[1]``, ``t[2]``)."""
    vd, va, _ = _lambert_vinf(re0, ve0, rt0, vt0, t[1] - t[0])
    vd2, vr, _ = _lambert_vinf(rt1, vt1, re1, ve1, t[3] - t[2])
    dv_leo, dv_sc = _outbound(spec, vd, va)
    v_entry, dv_entry = _entry(vr, spec.max_entry_speed_km_s)
    return (t[0], t[1], t[2], t[3], vd * vd, vd, dv_leo, dv_sc, va, va, vd2, vr, v_entry, dv_entry)


def _refine_span(lat: RoundTripLattice) -> tuple[float, float]:
    """TDB seconds of the first and the last date a refined trip on ``lat`` can reach."""
    window_days, max_dur_days = (lat.n_dep - 1) * lat.step_days, lat.dur_k * lat.step_days
    return lat.start_s, lat.start_s + (window_days + max_dur_days) * DAY_S


def refine_earth_fn(ephemeris: str, lat: RoundTripLattice):
    """The Earth of :func:`refine_round_trip` on ``lat``: splines through states every
    half day (:meth:`prospect.scan._targets.TargetModel.interpolated`) over the dates a
    refined trip can reach, for many scalar calls."""
    return earth_model(ephemeris).interpolated(*_refine_span(lat))


def _objective_value(rt: RoundTrip, spec: MissionSpec) -> float:
    return rt.dv_spacecraft_km_s if spec.capacity_km_s is not None else rt.dv_total_km_s


def refine_round_trip(
    model: TargetModel,
    spec: MissionSpec,
    start: RoundTrip,
    lat: RoundTripLattice,
    *,
    kind: str = "min_dv",
    earth_fn=None,
) -> RoundTrip:
    """Polish a lattice round trip over its four continuous dates.

    ``kind="min_dv"`` minimises the objective delta-v; ``"min_dur"`` minimises
    the duration with the delta-v limit as a penalty.  Constraints (C3,
    duration, stay, window) are bounds or penalties
    (:data:`prospect.scan.refine.PENALTY_PER_UNIT`); a result that violates
    any of them is discarded for the start.  ``earth_fn``: the Earth of
    :func:`refine_earth_fn` for ``lat`` (made here when not given; a caller
    refining many trips on one lattice makes it once).
    """
    h = lat.step_days
    t0 = lat.start_s
    window_days = (lat.n_dep - 1) * h
    max_dur = lat.dur_k * h
    min_stay = spec.min_stay_days
    min_leg = lat.k_min * h
    e_fn = earth_fn or refine_earth_fn(model.ephemeris, lat)
    t_fn = model.interpolated(*_refine_span(lat))
    limit = spec.limit_km_s

    def dates(x):
        d0 = t0 + x[0] * DAY_S
        d1 = d0 + x[1] * DAY_S
        d2 = d1 + x[2] * DAY_S
        return np.array([d0, d1, d2, d2 + x[3] * DAY_S])

    def violation(rt: RoundTrip) -> float:
        v = max(0.0, rt.duration_days - max_dur)
        if spec.max_c3_km2_s2 is not None:
            v += max(0.0, rt.c3_km2_s2 - spec.max_c3_km2_s2)
        return v

    def fun(x):
        rt = evaluate_round_trip(model, spec, dates(x), earth_fn=e_fn, target_fn=t_fn)
        dv = _objective_value(rt, spec)
        if not np.isfinite(dv):
            return NO_ARC
        pen = PENALTY_PER_UNIT * violation(rt)
        if kind == "min_dv":
            return dv + pen
        over = max(0.0, dv - limit) if limit is not None else 0.0
        return rt.duration_days + 1e-3 * dv + 1e4 * over + 1e2 * pen

    x0 = np.array(
        [
            (start.departure_s - t0) / DAY_S,
            start.tof_out_days,
            start.stay_days,
            start.tof_back_days,
        ]
    )
    bounds = [
        (0.0, window_days),
        (min_leg, max_dur),
        (min_stay, max_dur),
        (min_leg, max_dur),
    ]
    x, f = minimize_bounded(fun, x0, bounds, scale=h, xatol=1e-4, fatol=1e-8)
    if not f < fun(x0):
        return start
    rt = evaluate_round_trip(model, spec, dates(x))  # exact states for the report
    if violation(rt) > 1e-6:
        return start
    dv = _objective_value(rt, spec)
    if limit is not None and dv > limit + 1e-9:
        return start
    if kind == "min_dv" and not dv < _objective_value(start, spec):
        return start
    if kind == "min_dur" and not rt.duration_days < start.duration_days:
        return start
    return replace(rt, refined=True)


@dataclass(frozen=True)
class RoundTripResult:
    """Best round trips of one target within a launch window.

    Attributes
    ----------
    target : str
    min_dv : RoundTrip or None
        Feasible round trip of least delta-v (None: no feasible trip).
    min_duration : RoundTrip or None
        Feasible round trip of shortest duration.
    limits : dict
        The constraints applied.
    ephemeris : str
        ``"nbody"`` or ``"two-body"``: what made the target's and Earth's states.
    """

    target: str
    min_dv: RoundTrip | None
    min_duration: RoundTrip | None
    limits: dict = field(default_factory=dict)
    ephemeris: str = "two-body"

    @property
    def feasible(self) -> bool:
        return self.min_dv is not None

    __repr__, _repr_html_ = round_trip_result_repr, round_trip_result_html

    def to_frame(self) -> pd.DataFrame:
        """One row per reported trajectory (``solution`` = ``min_dv`` / ``min_duration``).

        Date columns are UTC ``datetime64[s]``; the other columns as :meth:`RoundTrip.as_dict`.
        """
        kept = [(k, rt) for k, rt in (("min_dv", self.min_dv), ("min_duration", self.min_duration))]
        kept = [(k, rt) for k, rt in kept if rt is not None]
        df = pd.DataFrame([{"solution": k, **rt.as_dict()} for k, rt in kept])
        for col, attr in (
            ("departure", "departure_s"),
            ("arrival", "arrival_s"),
            ("target_departure", "target_departure_s"),
            ("earth_return", "return_s"),
        ):
            if kept:
                df[col] = datetimes([getattr(rt, attr) for _, rt in kept])
        df.attrs.update(target=self.target, limits=dict(self.limits), ephemeris=self.ephemeris)
        return df


def nhats_spec(mission=None, **overrides) -> MissionSpec:
    """Mission spec of a round trip: the profile's limits, NHATS defaults for the rest.

    See :meth:`prospect.scan._mission.MissionSpec.for_round_trip`.
    """
    return mission_spec(mission).for_round_trip(nhats_defaults=mission is None, **overrides)


def round_trip(
    target,
    departure_start,
    departure_end,
    *,
    mission=None,
    max_duration_days: float | None = None,
    min_stay_days: float | None = None,
    max_c3_km2_s2: float | None = None,
    max_dv_km_s: float | None = None,
    max_entry_speed_km_s: float | None = None,
    parking_alt_km: float | None = None,
    step_days: float = 2.0,
    min_leg_days: float = 10.0,
    refine: bool = True,
    catalog=None,
    ephemeris: str = "nbody",
    progress=None,
) -> RoundTripResult:
    """Minimum-delta-v and minimum-duration round trips to a target (NHATS-style).

    Parameters
    ----------
    target : str, Target, pandas.Series or callable
        As for :func:`prospect.scan.porkchop`.
    departure_start, departure_end : Time, str or date
        Window of Earth departure dates.
    mission : str or MissionProfile, optional
        Profile whose limits apply; NHATS values fill what it leaves open
        (and are the defaults without a profile).
    max_duration_days, min_stay_days, max_c3_km2_s2, max_dv_km_s,
    max_entry_speed_km_s, parking_alt_km : float or Quantity, optional
        Override the limits (defaults: 450 d, 8 d, 60 km^2/s^2, 12 km/s,
        12 km/s, 400 km); numbers are in the unit the name says, astropy
        Quantities in any compatible unit (:mod:`prospect._coerce`).
    step_days : float
        Lattice step of every date, days (default 2).
    min_leg_days : float
        Shortest leg considered, days (default 10: shorter arcs start inside
        the Earth's sphere of influence, where heliocentric Lambert arcs mean
        little).
    refine : bool
        Polish both solutions over four continuous dates (default True).
    catalog : DataFrame or path, optional
        NEA table to look ``target`` up in.
    ephemeris : {"nbody", "two-body"}
        Target and Earth states from the n-body ephemeris (ASSIST with JPL
        DE440; default) or two-body with astropy's Earth; the result says which.
    progress : callable, optional
        ``progress(done_stages, n_stages)`` after the lattice search and after
        each solution (its refinement is most of the time).

    Returns
    -------
    RoundTripResult

    Examples
    --------
    >>> rt = round_trip("2000 SG344", "2028-01-01", "2029-12-31", step_days=4, refine=False)
    >>> bool(3.0 < rt.min_dv.dv_total_km_s < 5.0), rt.min_dv.stay_days >= 8
    (True, True)
    """
    days, opt = as_days, {"allow_none": True}
    max_duration_days = days(max_duration_days, "max_duration_days", positive=True, **opt)
    min_stay_days = days(min_stay_days, "min_stay_days", nonnegative=True, **opt)
    max_c3_km2_s2 = as_km2_s2(max_c3_km2_s2, "max_c3_km2_s2", **opt)
    max_dv_km_s = as_km_s(max_dv_km_s, "max_dv_km_s", nonnegative=True, **opt)
    max_entry_speed_km_s = as_km_s(max_entry_speed_km_s, "max_entry_speed_km_s", **opt)
    parking_alt_km = as_km(parking_alt_km, "parking_alt_km", nonnegative=True, **opt)
    step_days = days(step_days, "step_days", positive=True)
    min_leg_days = days(min_leg_days, "min_leg_days", positive=True)
    spec = nhats_spec(
        mission,
        max_duration_days=max_duration_days,
        min_stay_days=min_stay_days,
        max_c3_km2_s2=max_c3_km2_s2,
        max_total_dv_km_s=max_dv_km_s,
        max_entry_speed_km_s=max_entry_speed_km_s,
        parking_alt_km=parking_alt_km,
    )
    lat = RoundTripLattice.make(
        departure_start,
        departure_end,
        step_days=step_days,
        max_duration_days=spec.max_duration_days,
        min_stay_days=spec.min_stay_days,
        min_leg_days=min_leg_days,
    )
    model = resolve_target(target, catalog, ephemeris)
    report = progress or (lambda done, total: None)
    report(0, 1 + len(_KINDS))
    found = _search(model, lat, spec)
    report(1, 1 + len(_KINDS))
    sols = {}
    for k, kind in enumerate(_KINDS):
        sols[kind] = _solution(model, spec, lat, found, kind, refine)
        report(2 + k, 1 + len(_KINDS))
    return RoundTripResult(
        target=model.label,
        ephemeris=model.ephemeris,
        min_dv=sols["min_dv"],
        min_duration=sols["min_dur"],
        limits={
            **spec.as_dict(),
            "step_days": lat.step_days,
            "min_leg_days": lat.k_min * lat.step_days,
        },
    )


_KINDS = ("min_dv", "min_dur")


def _search(model: TargetModel, lat: RoundTripLattice, spec: MissionSpec) -> dict:
    """Stage: the lattice search of one target (:func:`lattice_search`)."""
    sec = lat.seconds
    r_e, v_e = earth_model(model.ephemeris).states(sec)
    r_t, v_t = model.states(sec)
    return lattice_search(r_e, v_e, r_t[None], v_t[None], lat, spec)


def _solution(model, spec, lat, found, kind: str, refine: bool) -> RoundTrip | None:
    """Stage: the legs of the lattice solution ``kind``, refined when asked (None: none)."""
    i = [int(found[f"{kind}_{n}"][0]) for n in ("i0", "i1", "i2", "i3")]
    if i[0] < 0:
        return None
    rt = evaluate_round_trip(model, spec, lat.seconds[i])
    return refine_round_trip(model, spec, rt, lat, kind=kind) if refine else rt
