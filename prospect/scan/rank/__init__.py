"""Which asteroids can this spacecraft reach in this launch period, best first.

:func:`rank` scans a whole NEA catalog for one mission profile and launch
window as a sequence of named stages, each in a module of its own:

0. :mod:`~prospect.scan.rank.grid` -- the launch window, the departure x
   time-of-flight grid (one-way) or date lattice (round trips) and its memory
   need; a grid over the memory budget is refused before any work.
1. :mod:`~prospect.scan.rank.screen` -- the user's filters (H, U, diameter),
   then Shoemaker-Helin screening against the
   profile's LEO-equivalent budget plus a margin measured on the catalog
   (skipped with ``exhaustive=True``).
2. :mod:`~prospect.scan.rank.scan` -- Lambert scans of the survivors in
   memory-bounded chunks (:mod:`~prospect.scan.rank.chunks` holds the
   per-chunk numerical work), checkpointed in the user cache
   (:mod:`~prospect.scan.rank.checkpoint`); ``resume=True`` picks them up.
   Two-body states: fast over the whole catalog.  ``scheduler=`` /
   ``workers=`` run the chunks as Dask tasks (:mod:`prospect.scan._engine`).
2b. :mod:`~prospect.scan.rank.nbody` -- (``ephemeris="nbody"``)
   the targets within a measured margin of the limit, and every target that
   passes the Earth within 0.07 au, scanned again with n-body states and
   DE440's Earth; their rows replace the two-body ones.
3. :mod:`~prospect.scan.rank.feasibility` -- launch C3, duration, stay and
   delta-v against the profile (the spacecraft's share within its
   rocket-equation capacity, or the total within the total limit).
4. :mod:`~prospect.scan.rank.refine` -- the best trajectories of the rows
   shown polished over continuous dates.
5. :mod:`~prospect.scan.rank.score` -- score terms, weights, Pareto front and
   order; :mod:`~prospect.scan.rank.output` flags poorly known orbits and
   window-edge optima, counts the feasible rows, keeps ``top``, gives the rows
   kept their closest Earth approach (flagged under 0.05 au), numbers the rows
   and sets ``attrs``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import nullcontext

import pandas as pd

from prospect.errors import InputError
from prospect.scan._common import iso_dates, whole_number
from prospect.scan._engine import SCHEDULER_TIMEOUT_S, open_engine
from prospect.scan._mission import MissionSpec, mission_spec
from prospect.scan.rank.checkpoint import CheckpointError, CheckpointStore, scan_key
from prospect.scan.rank.chunks import BOUND_COLUMN
from prospect.scan.rank.feasibility import feasibility
from prospect.scan.rank.grid import default_window, launch_window, plan_grid, plus_two_years
from prospect.scan.rank.nbody import NBODY_MARGINS, nbody_stage
from prospect.scan.rank.output import attach_catalog, finish
from prospect.scan.rank.refine import refine_rows
from prospect.scan.rank.scan import scan
from prospect.scan.rank.score import (
    DEFAULT_WEIGHTS,
    SCORE_COLUMNS,
    _pareto,  # noqa: F401 (imported by tests from here)
    add_composition,
    order,
    parse_weights,
    score,
)
from prospect.scan.rank.screen import (
    SCREEN_MARGIN_KM_S,
    SCREEN_MARGINS_KM_S,
    check_filters,
    screen,
    screen_margin,
    select,
)
from prospect.scan.roundtrip import nhats_spec

__all__ = [
    "DEFAULT_WEIGHTS",
    "NBODY_MARGINS",
    "SCORE_COLUMNS",
    "SCREEN_MARGINS_KM_S",
    "SCREEN_MARGIN_KM_S",
    "CheckpointError",
    "default_window",
    "parse_weights",
    "plus_two_years",
    "rank",
    "screen_margin",
]

# the name of the single-module rank, kept for callers
_plus_two_years = plus_two_years


def _load_catalog(catalog) -> pd.DataFrame:
    if isinstance(catalog, pd.DataFrame):
        return catalog
    from prospect.catalog import load_neas

    return load_neas(catalog)


def _elements(table: pd.DataFrame) -> dict:
    from prospect.targets import element_arrays

    return element_arrays(table)


def _check_numbers(top, refine_top, screen_margin_km_s, nbody_margin_km_s) -> None:
    """Counts are whole numbers (``top`` >= 1, ``refine_top`` >= 0), margins >= 0 (inf: no
    pruning, as the margin tests use it; NaN is refused)."""
    if top is not None and whole_number(top, "top") < 1:
        raise InputError(f"must be >= 1, got {top}", option="top")
    whole_number(refine_top, "refine_top")
    for name, value in (("screen_margin_km_s", screen_margin_km_s),
                        ("nbody_margin_km_s", nbody_margin_km_s)):  # fmt: skip
        try:
            ok = value is None or value >= 0  # False for NaN
        except TypeError:
            ok = False
        if not ok:
            raise InputError(f"must be a number of km/s >= 0, got {value!r}", option=name)


def _rank_spec(mission, round_trip: bool | None) -> tuple[MissionSpec, bool]:
    spec = mission_spec(mission)
    rt_mode = spec.round_trip if round_trip is None else bool(round_trip)
    if rt_mode:
        spec = nhats_spec(spec.profile)
        if spec.mode == "flyby":
            raise InputError("a round trip cannot be a flyby", option="round_trip")
    return spec, rt_mode


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
    max_h: float | None = None,
    max_u: float | None = None,
    min_diameter_m=None,
    ephemeris: str = "nbody",
    nbody_margin_km_s: float | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    scheduler_timeout_s: float = SCHEDULER_TIMEOUT_S,
    log: Callable[[str], None] | None = None,
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
        Scan every object, skipping the Shoemaker-Helin screen, on every
        cell of the fine grid (default: the coarse-to-fine search of
        :mod:`prospect.scan.search`, which finds the same feasible targets
        and best trajectories).
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
        Adopt the checkpointed chunks of interrupted identical scans.
    checkpoint : bool
        Write finished chunks to the user cache, in a directory of this run's
        own (removed when the scan ends; :mod:`prospect.scan.rank.checkpoint`).
    progress : callable, optional
        ``progress(done, total)`` as each stage goes on; a new ``total``
        starts a new stage: the scan (targets, after each chunk), with
        ``ephemeris="nbody"`` the approach test and the re-scan of the
        candidates (:mod:`~prospect.scan.rank.nbody`: targets, after each
        chunk), then the refinement (rows, after each).
    include_infeasible : bool
        Also return targets without a feasible trajectory.
    max_h, max_u, min_diameter_m : float, optional
        Keep only objects with absolute magnitude H <= ``max_h``, MPC orbit
        uncertainty U <= ``max_u``, diameter >= ``min_diameter_m`` metres
        (a number or a length Quantity); applied before screening
        (:func:`prospect.scan.rank.screen.select`).
    ephemeris : {"nbody", "two-body"}
        ``"nbody"`` (default): the two-body scan's candidates are scanned again and
        refined with n-body states (:mod:`prospect.scan.rank.nbody`);
        ``"two-body"``: two-body states and astropy's Earth throughout.  The
        ``ephemeris`` column says which made each row.
    nbody_margin_km_s : float, optional
        Override the n-body stage's margin, km/s (default: the limit times
        :data:`NBODY_MARGINS`).
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``): the scan
        stage's chunks go there as tasks, each with its chunk's element arrays
        and catalog rows; results come back in chunk order, so the table is
        the in-process one.  Connected first: an unreachable address fails
        within ``scheduler_timeout_s``.
    workers : int, optional
        Without ``scheduler``: a LocalCluster of this many worker processes on
        this machine (started when a stage has more than one task).  Default
        (and 0): everything runs in this process.  With either, the scan's
        chunks and the n-body re-scan's chunks are Dask tasks (the in-process
        chunks, so the table equals the in-process one row for row); the
        refinement runs in this process.
    scheduler_timeout_s : float
        How long to try to reach ``scheduler``, seconds (default 10).
    log : callable, optional
        Receives one-line notes (the Dask engine and its dashboard address).

    Returns
    -------
    DataFrame
        One row per target, best first: catalog columns (``label``,
        ``designation``, ``orbit_class``, ``h_mag``, ``diameter_km``, ...),
        the trajectory (dates as ``datetime64`` UTC calendar dates, C3, every
        burn, the spacecraft's and the total delta-v), ``feasible``, the
        flags ``orbit_poorly_known`` (U >= 7), ``window_edge`` (best
        departure on the first or last day of the window) and
        ``close_approach`` (the target passes the Earth within 0.05 au before
        the trajectory ends), the closest Earth approach since the catalog
        epoch (``approach_date`` UTC, ``approach_au``, ``approach_km``,
        ``approach_ephemeris``; rows returned only), the ``score_*``
        columns, ``score``, ``pareto`` and ``rank``.  ``attrs`` holds the
        mission, window, grid, filters, screening counts, weights and
        ``n_feasible`` (feasible targets before ``top``).  An empty frame
        means no target satisfies the profile.

    Raises
    ------
    UnknownNameError
        Unknown mission.
    InputError
        Bad window, grid, filter or weights (names the parameter).
    CheckpointError
        The checkpoint store failed (``checkpoint=False`` runs without it).

    Examples
    --------
    >>> df = rank("nhats-human", round_trip=False, start="2028-01-01", end="2029-01-01",
    ...           top=5, checkpoint=False)  # doctest: +SKIP
    """
    from prospect.nbody import check_ephemeris

    check_ephemeris(ephemeris)
    spec, rt_mode = _rank_spec(mission, round_trip)
    w = parse_weights(weights)
    start, end = launch_window(start, end, ephemeris)
    _check_numbers(top, refine_top, screen_margin_km_s, nbody_margin_km_s)
    grid, chunk = plan_grid(
        spec,
        start,
        end,
        round_trip=rt_mode,
        step_days=step_days,
        tof_min_days=tof_min_days,
        tof_max_days=tof_max_days,
        tof_step_days=tof_step_days,
        memory_mb=memory_mb,
    )
    filters = check_filters(max_h=max_h, max_u=max_u, min_diameter_m=min_diameter_m)
    engine = open_engine(scheduler, workers, timeout_s=scheduler_timeout_s,
                         log=log or (lambda s: None), name="prospect-rank")  # fmt: skip
    with engine or nullcontext():  # the scan, the n-body re-scan and refinement share it
        table = _load_catalog(catalog).reset_index(drop=True)
        selected = select(table, **filters)
        screened = screen(selected, spec, exhaustive=exhaustive, margin_km_s=screen_margin_km_s)
        survivors = screened.survivors
        store = (checkpoint or resume) and {"write": checkpoint, "resume": resume}
        res = _scan_stage(survivors, grid, spec, rt_mode, chunk, store, progress, exhaustive,
                          engine)  # fmt: skip
        res, nb_info = _ephemeris_stage(res, survivors, grid, spec, chunk, rt_mode, ephemeris,
                                        nbody_margin_km_s, engine, progress)  # fmt: skip
        res = add_composition(attach_catalog(res, screened))
        res = feasibility(res, spec)
        if not include_infeasible:
            res = res[res["feasible"]].reset_index(drop=True)
        res = order(score(res, spec, w))
        n_ref = min(refine_top, len(res), top or len(res)) if refine else 0
        if n_ref:
            # in this process: on a worker the n-body states of a refinement differed in
            # the last bits for 2004 MN4 (Apophis), enough to move its refined optimum
            res = refine_rows(res, n_ref, survivors, spec, grid, ephemeris, progress=progress)
            res = order(score(feasibility(res, spec), spec, w))
        elif refine and "refined" not in res:  # no row: the columns of one refined
            res["refined"] = pd.Series(False, index=res.index, dtype=bool)
    attrs = _attrs(spec, rt_mode, grid, w, ephemeris, nb_info, screened,
                   n_catalog=len(table), n_selected=len(selected), filters=filters)  # fmt: skip
    return finish(res, top, grid.window_s, attrs, targets=survivors, ephemeris=ephemeris)


def _ephemeris_stage(res, survivors, grid, spec, chunk, rt_mode, ephemeris, margin_km_s,
                     engine=None, progress=None):  # fmt: skip
    """Stage 2b: the n-body re-scan of the candidates (:mod:`.nbody`; on ``engine`` when
    given), or the two-body rows as they are; returns the rows and the stage's ``attrs``."""
    if ephemeris != "nbody":
        res["ephemeris"] = "two-body"
        return res.drop(columns=[BOUND_COLUMN], errors="ignore"), {}
    return nbody_stage(
        feasibility(res, spec), survivors, _elements(survivors), grid, spec, chunk,
        round_trip=rt_mode, margin_km_s=margin_km_s, engine=engine, progress=progress,
    )  # fmt: skip


def _attrs(spec, rt_mode, grid, w, ephemeris, nb_info, screened, *, n_catalog, n_selected,
           filters) -> dict:  # fmt: skip
    """What the ranking was made of (``DataFrame.attrs`` of the result)."""
    return dict(
        mission=spec.name,
        mission_label=spec.label,
        limits=spec.as_dict(),
        round_trip=rt_mode,
        window=(str(iso_dates(grid.window_s[0])), str(iso_dates(grid.window_s[1]))),
        grid=grid.desc,
        n_catalog=n_catalog,
        filters={k: v for k, v in filters.items() if v is not None},
        n_selected=n_selected,
        n_scanned=len(screened.survivors),
        screened=screened.screened,
        screen_budget_km_s=screened.budget_km_s,
        screen_margin_km_s=screened.margin_km_s if screened.screened else None,
        weights=w,
        ephemeris=ephemeris,
        **nb_info,
    )


def _scan_stage(survivors, grid, spec, rt_mode: bool, chunk: int, store, progress, exhaustive,
                engine=None):  # fmt: skip
    """The scan with its checkpoint store: chunks kept while it runs, removed when it ends.

    On any exception (an interrupt included) the store only releases its
    locks, so an identical run with ``resume=True`` adopts the finished chunks.
    ``exhaustive``: every fine cell instead of the coarse-to-fine search (its
    pruned targets keep coarse cells, so the two never share checkpoints).
    ``engine``: where the chunks run (:class:`prospect.scan._engine.Engine`).
    """
    el = _elements(survivors)
    if not store:
        return scan(survivors, el, grid, spec, chunk, progress=progress, exhaustive=exhaustive,
                    engine=engine)  # fmt: skip
    key = scan_key(survivors, el, spec, rt_mode, grid, chunk)
    if exhaustive:
        key = hashlib.blake2b(f"{key}:grid".encode(), digest_size=12).hexdigest()
    cs = CheckpointStore(key, **store)
    try:
        res = scan(
            survivors,
            el,
            grid,
            spec,
            chunk,
            store=cs,
            progress=progress,
            exhaustive=exhaustive,
            engine=engine,
        )
    except BaseException:
        cs.release()
        raise
    cs.finish()
    return res
