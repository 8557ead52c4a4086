"""Stage 1 of a survey: the plan -- lattice, launch-year blocks, bins, chunks, input key.

Every date of a survey sits on one lattice ``t_n = t_0 + n h`` (``h`` =
``step_days``) from the first launch date.  The launch period is cut into
calendar launch-year *blocks*; each block is searched on its own lattice of
``n_dep(block) + dur_k`` dates (the block's departures plus the longest trip),
so a 19-year period never needs its ``(L, L)`` lattice arrays at once, and
every trajectory belongs to exactly one block (the one of its departure).
Block results reduce exactly: minima by ``min``, counts by ``+``.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from prospect.core.constants import DAY_S
from prospect.errors import InputError
from prospect.scan._common import date_grid, iso_dates
from prospect.scan._mission import MissionSpec

__all__ = ["DEFAULT_PERIOD", "SurveyPlan", "catalog_hash", "default_chunk_size", "make_plan"]

#: Default launch period (issue 11: 2027-01-01 to 2045-12-31; NHATS's own
#: survey spans 2020-2045).
DEFAULT_PERIOD = ("2027-01-01", "2045-12-31")
#: Lattice step, days (the 5-day step of rank's round trips).
DEFAULT_STEP_DAYS = 5.0
#: One-way flight times: 30 d to min(720 d, profile limit) every 10 d (rank's grid).
ONE_WAY_TOF_DAYS = (30.0, 720.0, 10.0)
#: Shortest leg, days (as :func:`prospect.scan.round_trip`: shorter arcs start
#: inside the Earth's sphere of influence).
MIN_LEG_DAYS = 10.0
#: Width of a launch bin, years (NHATS reports 5-year launch windows).
BIN_YEARS = 5
#: Minimum stays offered as filters, days (NHATS's 8, 16, 24, 32 d menu).
STAY_CLASSES_DAYS = (8.0, 16.0, 24.0, 32.0)
#: Spacing of the maximum-duration filter classes, days (NHATS: 30-day steps).
DURATION_CLASS_STEP_DAYS = 30.0
#: Largest default chunk, targets (one Dask task).
DEFAULT_CHUNK_SIZE = 100
#: Targets per lattice batch inside a chunk.
DEFAULT_BATCH = 8
#: Target-years of launch period per chunk by default (design choice): a chunk is then
#: ~4 s of one core with two-body states, ~8 s with n-body ones, against ~55 ms of fixed
#: cost per chunk (scheduler and encoding, ``benchmarks/bench_survey.py``), under 1.5 %;
#: and the whole catalog over 19 years is ~1,900 chunks, so even 256 workers get 7 each
#: and the last round (the tail) is short.
CHUNK_TARGET_YEARS = 400
#: Fewest chunks a default chunk size cuts a small catalog into (design choice: every
#: worker of a local cluster of up to 8 gets at least 2) ...
MIN_DEFAULT_CHUNKS = 16
#: ... unless a chunk would then hold fewer target-years than this (design choice:
#: ~0.2 s of one core, so the fixed cost per chunk stays under ~25 %).
MIN_CHUNK_TARGET_YEARS = 40
#: Version of the chunk layout; part of the key so old chunks never mix.
FORMAT_VERSION = 1

#: Catalog columns a survey's result depends on (hashed into the key).
KEY_COLUMNS = (
    "designation",
    "a_au",
    "e",
    "inc_deg",
    "raan_deg",
    "argp_deg",
    "ma_deg",
    "epoch_jd_tt",
    "h_mag",
    "u_param",
)


@dataclass(frozen=True)
class SurveyPlan:
    """Everything a worker needs besides its catalog rows (small, picklable).

    Attributes
    ----------
    spec : MissionSpec
        Limits of the profile (round-trip specs carry NHATS defaults).
    round_trip : bool
    ephemeris : str
        ``"nbody"`` or ``"two-body"``.
    start_s, step_days : float
        Lattice origin (TDB s since J2000) and step (days).
    blocks : tuple of (year, first, count)
        Launch-year blocks: departures ``first .. first + count - 1``.
    bins : tuple of (first_year, last_year)
        Launch bins of :data:`BIN_YEARS` years.
    k_min, k_max, stay_k, dur_k : int
        Round trip: leg, stay and duration limits in lattice steps.
    tof_k : tuple of int
        One-way flight times in lattice steps.
    stay_classes_days, dur_classes_days : tuple of float
        Filter classes (each a min-delta-v column).
    batch : int
        Targets per lattice batch (bounds the working memory).
    """

    spec: MissionSpec
    round_trip: bool
    ephemeris: str
    start_s: float
    step_days: float
    n_dep: int
    blocks: tuple
    bins: tuple
    k_min: int
    k_max: int
    stay_k: int
    dur_k: int
    tof_k: tuple
    stay_classes_days: tuple
    dur_classes_days: tuple
    batch: int = DEFAULT_BATCH

    @property
    def span_k(self) -> int:
        """Lattice dates past the last departure of a block (longest trip/flight)."""
        return self.dur_k if self.round_trip else max(self.tof_k)

    def lattice_seconds(self) -> np.ndarray:
        """Every lattice date of the survey, TDB s (``n_dep + span_k``; as
        ``RoundTripLattice.seconds`` of the whole period)."""
        return self.start_s + np.arange(self.n_dep + self.span_k) * self.step_days * DAY_S

    def block_slice(self, first: int, count: int) -> slice:
        """The lattice dates of a block (``count + span_k`` of them)."""
        return slice(first, first + count + self.span_k)

    def block_seconds(self, first: int, count: int) -> np.ndarray:
        """Lattice dates of a block, TDB s."""
        return self.lattice_seconds()[self.block_slice(first, count)]

    def bin_of_year(self, year: int) -> int:
        for k, (y0, y1) in enumerate(self.bins):
            if y0 <= year <= y1:
                return k
        raise ValueError(year)

    def bin_columns(self) -> list[str]:
        return [f"dv_min_{y0}_{y1}_km_s" for y0, y1 in self.bins]

    def class_columns(self) -> list[tuple[float, float, str]]:
        """``(stay_days, max_duration_days, column)`` of the filter grid."""
        return [
            (s, d, f"dv_min_stay{s:g}_dur{d:g}_km_s")
            for s in self.stay_classes_days
            for d in self.dur_classes_days
        ]

    def describe(self) -> dict:
        """Inputs of the plan as JSON-able values (part of the key)."""
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "spec"}
        d["spec"] = self.spec.as_dict()
        return d

    def working_bytes_per_target(self) -> int:
        """Peak working memory of one target in one block, bytes.

        Counted from the arrays a round-trip batch holds at once
        (:func:`prospect.scan.roundtrip.lattice_search` and the survey's own
        reductions): about 16 float64-sized ``(L, L)`` arrays plus the Lambert
        batches of both legs, ``(n_dep + L) * n_legs`` cells at
        :data:`prospect.scan._common.BYTES_PER_CELL` each; one-way: the
        grid's ``n_dep * n_tof`` cells at 8 float64 each.  ``tests/survey``
        checks the measured peak of a chunk against this figure.
        """
        from prospect.scan._common import BYTES_PER_CELL

        nd = max(c for _, _, c in self.blocks)
        L = nd + self.span_k
        if self.round_trip:
            nk = self.k_max - self.k_min + 1
            return 16 * 8 * L * L + (nd + L) * nk * BYTES_PER_CELL
        return nd * len(self.tof_k) * 8 * 10 + L * 48

    def state_bytes_per_target(self) -> int:
        """A target's states over the whole period (r, v at every lattice date), bytes."""
        return (self.n_dep + self.span_k) * 48

    def worker_bound_bytes(self, chunk_size: int) -> int:
        """Upper bound of a worker's working memory for one chunk, bytes: a batch's
        lattices, the chunk's states and its result rows (8 KiB each, generous)."""
        per_target = self.state_bytes_per_target() + 8 * 1024
        return self.batch * self.working_bytes_per_target() + chunk_size * per_target


def _classes(lo: float, hi: float, step: float) -> tuple[float, ...]:
    """``step, 2 step, ... < hi`` that are ``>= lo``, and ``hi``."""
    out = [k * step for k in range(1, int(hi // step) + 1) if lo <= k * step < hi]
    return (*out, float(hi))


def _years(seconds: np.ndarray) -> np.ndarray:
    return np.array([int(s[:4]) for s in iso_dates(seconds)])


def _blocks_and_bins(seconds: np.ndarray) -> tuple[list, tuple]:
    """Launch-year blocks ``(year, first index, count)`` and 5-year bins of a date grid."""
    years = _years(seconds)
    blocks = []
    for y in np.unique(years):
        idx = np.flatnonzero(years == y)
        blocks.append((int(y), int(idx[0]), int(idx.size)))
    y0 = blocks[0][0]
    bins = tuple(
        (b, min(b + BIN_YEARS - 1, blocks[-1][0])) for b in range(y0, blocks[-1][0] + 1, BIN_YEARS)
    )
    return blocks, bins


def _round_trip_shape(spec: MissionSpec, h: float, k_min: int) -> tuple:
    """Lattice indices and filter classes of a round-trip survey (step ``h`` days)."""
    max_dur = spec.max_duration_days
    dur_k = math.floor(max_dur / h + 1e-9)
    stay_k = math.ceil(spec.min_stay_days / h - 1e-9)
    k_max = dur_k - stay_k - k_min
    if k_max < k_min:
        raise InputError(
            f"no round trip fits: duration <= {max_dur:g} d cannot hold two legs of "
            f">= {k_min * h:g} d and a stay of >= {spec.min_stay_days:g} d",
            option="max_duration",
        )
    stays = sorted({spec.min_stay_days, *(s for s in STAY_CLASSES_DAYS if s > spec.min_stay_days)})
    durs = _classes(2 * MIN_LEG_DAYS + spec.min_stay_days, dur_k * h, DURATION_CLASS_STEP_DAYS)
    tof_k: tuple = ()
    return k_max, dur_k, stay_k, tof_k, stays, durs


def _one_way_shape(spec: MissionSpec, h: float) -> tuple:
    """Flight-time indices and duration classes of a one-way survey (step ``h`` days)."""
    lo, hi, st = ONE_WAY_TOF_DAYS
    if spec.max_duration_days is not None:
        hi = min(hi, spec.max_duration_days)
    st_k = st / h
    if abs(st_k - round(st_k)) > 1e-9:
        raise InputError(
            f"one-way surveys need a step that divides {st:g} d, got {h:g}",
            option="step_days",
        )
    k_lo = math.ceil(lo / h - 1e-9)
    k_hi = math.floor(hi / h + 1e-9)
    if k_hi < k_lo:
        raise InputError(f"no flight time fits under {hi:g} d", option="max_duration")
    tof_k = tuple(range(k_lo, k_hi + 1, round(st_k)))
    k_max = dur_k = stay_k = 0
    stays = [0.0]
    durs = _classes(lo, tof_k[-1] * h, DURATION_CLASS_STEP_DAYS)
    return k_max, dur_k, stay_k, tof_k, stays, durs


def make_plan(
    spec: MissionSpec,
    *,
    round_trip: bool,
    start,
    end,
    ephemeris: str,
    step_days: float = DEFAULT_STEP_DAYS,
    batch: int = DEFAULT_BATCH,
) -> SurveyPlan:
    """The survey's lattice, blocks, bins and filter classes.

    Raises
    ------
    InputError
        Bad period or step (named by their parameters), a profile whose
        trip cannot fit, a one-way step that does not divide 10 d.

    Examples
    --------
    >>> from prospect.scan.roundtrip import nhats_spec
    >>> plan = make_plan(nhats_spec("nhats-human"), round_trip=True, start="2027-01-01",
    ...                  end="2045-12-31", ephemeris="two-body")
    >>> len(plan.blocks), plan.bins[0], plan.bins[-1], plan.n_dep, plan.dur_k
    (19, (2027, 2031), (2042, 2045), 1388, 90)
    """
    grid = date_grid(
        start,
        end,
        step_days,
        start_option="start",
        end_option="end",
        step_option="step_days",
    )
    h = grid.step_days
    blocks, bins = _blocks_and_bins(grid.seconds)
    k_min = max(1, math.ceil(MIN_LEG_DAYS / h - 1e-9))
    if round_trip:
        shape = _round_trip_shape(spec, h, k_min)
    else:
        shape = _one_way_shape(spec, h)
    k_max, dur_k, stay_k, tof_k, stays, durs = shape
    if ephemeris not in ("nbody", "two-body"):
        raise InputError(f"must be 'nbody' or 'two-body', got {ephemeris!r}", option="ephemeris")
    if batch < 1:
        raise InputError(f"must be >= 1, got {batch}", option="batch")
    return SurveyPlan(
        spec=spec,
        round_trip=round_trip,
        ephemeris=ephemeris,
        start_s=float(grid.seconds[0]),
        step_days=float(h),
        n_dep=len(grid),
        blocks=tuple(blocks),
        bins=bins,
        k_min=int(k_min),
        k_max=int(k_max),
        stay_k=int(stay_k),
        dur_k=int(dur_k),
        tof_k=tof_k,
        stay_classes_days=tuple(float(s) for s in stays),
        dur_classes_days=tuple(float(d) for d in durs),
        batch=int(batch),
    )


def default_chunk_size(n_targets: int, plan: SurveyPlan) -> int:
    """Targets per chunk when none is given: :data:`CHUNK_TARGET_YEARS` over the launch
    period's years, at most :data:`DEFAULT_CHUNK_SIZE`, and small enough to cut the
    catalog into :data:`MIN_DEFAULT_CHUNKS` unless a chunk would then hold fewer than
    :data:`MIN_CHUNK_TARGET_YEARS` (a function of the inputs only, so a resumed
    survey finds the same chunks whatever the number of workers).

    Examples
    --------
    >>> from prospect.scan.roundtrip import nhats_spec
    >>> plan = make_plan(nhats_spec("nhats-human"), round_trip=True, start="2027-01-01",
    ...                  end="2045-12-31", ephemeris="two-body")
    >>> default_chunk_size(40_874, plan), default_chunk_size(200, plan)
    (22, 13)
    """
    years = max(plan.n_dep * plan.step_days / 365.25, 1.0)
    by_time = math.ceil(CHUNK_TARGET_YEARS / years)
    by_count = max(
        math.ceil(n_targets / MIN_DEFAULT_CHUNKS), math.ceil(MIN_CHUNK_TARGET_YEARS / years)
    )
    return max(1, min(DEFAULT_CHUNK_SIZE, by_time, by_count))


def catalog_hash(table: pd.DataFrame) -> str:
    """Content hash of the catalog columns a survey depends on (:data:`KEY_COLUMNS`)."""
    cols = [c for c in KEY_COLUMNS if c in table.columns]
    h = hashlib.blake2b(digest_size=16)
    h.update(json.dumps(cols).encode())
    h.update(str(len(table)).encode())
    sub = table[cols].copy()
    for c in cols:
        if sub[c].dtype == object or str(sub[c].dtype) in ("string", "category"):
            sub[c] = sub[c].astype(str)
        else:
            sub[c] = pd.to_numeric(sub[c], errors="coerce").astype(float)
    h.update(pd.util.hash_pandas_object(sub, index=False).to_numpy().tobytes())
    return h.hexdigest()


def input_key(plan: SurveyPlan, catalog_digest: str, chunk_size: int) -> tuple[str, dict]:
    """Key of a survey's inputs, and its parts (to say which input differs)."""
    d = plan.describe()
    parts = {
        "catalog": catalog_digest,
        "profile": d.pop("spec"),
        "period": {
            "start_s": d.pop("start_s"),
            "n_dep": d.pop("n_dep"),
            "round_trip": d.pop("round_trip"),
        },
        "ephemeris": d.pop("ephemeris"),
        "grid": {**d, "chunk_size": int(chunk_size), "format": FORMAT_VERSION},
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest(), parts
