"""``prospect.survey``: plan -> chunks -> engine -> store -> summary."""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from prospect._io import write_atomic
from prospect._version import __version__
from prospect.epochs import check_span
from prospect.errors import InputError
from prospect.scan._engine import check_workers
from prospect.survey import _plan as plan_mod
from prospect.survey import store
from prospect.survey._engine import SCHEDULER_TIMEOUT_S, connect, run_chunks, scheduler_address
from prospect.survey.query import count_grid

__all__ = ["survey"]


def _spec(mission, round_trip: bool | None):
    from prospect.scan._mission import mission_spec
    from prospect.scan.roundtrip import nhats_spec

    spec = mission_spec(mission)
    rt = spec.round_trip if round_trip is None else bool(round_trip)
    if rt:
        spec = nhats_spec(spec.profile if spec.profile is not None else None)
        if spec.mode == "flyby":
            raise InputError("a round trip cannot be a flyby", option="round_trip")
    return spec, rt


def _catalog(catalog) -> pd.DataFrame:
    if isinstance(catalog, pd.DataFrame):
        return catalog.reset_index(drop=True)
    from prospect.catalog import load_neas

    return load_neas(catalog).reset_index(drop=True)


def default_ephemeris() -> str:
    """``"nbody"`` when this install has the n-body ephemeris, else ``"two-body"``."""
    from prospect.survey._ephemeris import nbody_available

    return "nbody" if nbody_available() else "two-body"


def survey(
    mission,
    *,
    output,
    catalog=None,
    start=None,
    end=None,
    round_trip: bool | None = None,
    ephemeris: str | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    resume: bool = False,
    step_days: float = plan_mod.DEFAULT_STEP_DAYS,
    chunk_size: int | None = None,
    batch: int = plan_mod.DEFAULT_BATCH,
    progress: Callable[[int, int], None] | None = None,
    log: Callable[[str], None] | None = None,
    scheduler_timeout_s: float = SCHEDULER_TIMEOUT_S,
) -> pd.DataFrame:
    """NHATS-style accessibility survey of a catalog for one mission profile.

    Every target is searched over every launch date of the period on one
    date lattice (round trips: :func:`prospect.scan.roundtrip.lattice_search`;
    one-way: :func:`prospect.core.transfer.transfer_grid`), launch year by
    launch year, and reduced to its minimum-delta-v and minimum-duration
    trajectories, its minimum delta-v per 5-year launch bin, its number of
    viable lattice trajectories and its minima under the NHATS filter
    classes (Barbee et al. 2015, IAA-PDC-15-04-22).  Results go to
    ``output`` as one Parquet file per chunk of targets.

    Parameters
    ----------
    mission : str or MissionProfile
        Profile name or object (its limits: C3, every burn via capacity or
        total delta-v, duration, stay, entry speed).
    output : path
        Survey directory (created; see :mod:`prospect.survey.store`).
    catalog : DataFrame or path, optional
        NEA table (default: the active catalog).
    start, end : Time, str or date, optional
        Launch period (default 2027-01-01 to 2045-12-31).
    round_trip : bool, optional
        Round trips (default: the profile's choice).
    ephemeris : {"nbody", "two-body"}, optional
        Target states (default n-body when installed).
    scheduler : str, optional
        Address of a running Dask scheduler (default ``$DASK_SCHEDULER_ADDRESS``).
    workers : int, optional
        Worker processes of the local cluster (default: the cores); 0 runs in-process.
    resume : bool
        Continue a survey of the same inputs in ``output``, keeping its finished chunks.
    step_days : float
        Lattice step, days (default 5).
    chunk_size : int, optional
        Targets per chunk (one task); default
        :func:`~prospect.survey._plan.default_chunk_size` (about 400 target-years,
        at most 100 targets, at least 16 chunks).
    batch : int
        Targets per lattice batch within a chunk.
    progress : callable, optional
        ``progress(done_chunks, total_chunks)``.
    log : callable, optional
        Receives one-line notes (engine, dashboard address, memory bound).
    scheduler_timeout_s : float
        How long to try to reach ``scheduler`` (default 10 s).

    Returns
    -------
    DataFrame
        One row per target (:func:`prospect.survey._chunk.survey_chunk`);
        ``attrs["stats"]``: chunks total, reused, computed, engine.

    Raises
    ------
    InputError
        Bad period, step or ephemeris; an unreachable scheduler; an output
        directory holding another survey (or this one without ``resume``).
    """
    say = log or (lambda s: None)
    spec, rt = _spec(mission, round_trip)
    ephemeris = ephemeris or default_ephemeris()
    from prospect.nbody import check_ephemeris

    check_ephemeris(ephemeris)
    start = plan_mod.DEFAULT_PERIOD[0] if start is None else start
    end = plan_mod.DEFAULT_PERIOD[1] if end is None else end
    check_span(start, option="start", ephemeris=ephemeris)
    check_span(end, option="end", ephemeris=ephemeris)
    store.check_output_dir(output)
    plan = plan_mod.make_plan(
        spec, round_trip=rt, start=start, end=end, ephemeris=ephemeris, step_days=step_days,
        batch=batch,
    )  # fmt: skip
    if chunk_size is not None and chunk_size < 1:
        raise InputError(f"must be >= 1, got {chunk_size}", option="chunk_size")
    check_workers(workers)  # at most 4 per core (prospect.scan._engine)
    if ephemeris == "nbody":
        from prospect.survey._ephemeris import _require

        _require()
    table = _catalog(catalog)
    if chunk_size is None:
        chunk_size = plan_mod.default_chunk_size(len(table), plan)
    address = scheduler_address(scheduler)
    # connect first: an unreachable scheduler fails before the output is touched
    client = connect(address, scheduler_timeout_s) if address is not None else None
    try:
        return _survey(plan, table, Path(output), chunk_size, resume, scheduler, workers, client,
                       progress, say, (start, end))  # fmt: skip
    finally:
        if client is not None:
            client.close()


def _survey(plan, table, out, chunk_size, resume, scheduler, workers, client, progress, say,
            period):  # fmt: skip
    spec = plan.spec
    start, end = period
    key, parts = plan_mod.input_key(plan, plan_mod.catalog_hash(table), chunk_size)
    old = store.open_survey_dir(out, key, parts, resume=resume)
    n_chunks = max(1, math.ceil(len(table) / chunk_size))
    manifest = old or {
        "key": key,
        "inputs": parts,
        "n_targets": len(table),
        "n_chunks": n_chunks,
        "chunk_size": chunk_size,
        "period": [str(start), str(end)],
        "mission": spec.name,
        "prospect": __version__,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }
    manifest["complete"] = False
    store.write_manifest(out, manifest)
    finished = set(store.finished_chunks(out, key, n_chunks))
    tasks = [
        (i, table.iloc[i * chunk_size : (i + 1) * chunk_size])
        for i in range(n_chunks)
        if i not in finished
    ]
    bound = plan.worker_bound_bytes(chunk_size)
    say(
        f"{len(table):,} targets in {n_chunks} chunk(s) of {chunk_size}; {len(finished)} "
        f"finished before, {len(tasks)} to compute"
    )
    done_count = [len(finished)]
    tables: dict = {}

    def done(index: int, data: bytes) -> None:
        store.write_chunk(out, key, index, data)
        # decoded now, while the workers compute, not all at the end; to Arrow only
        # (2.5 ms a chunk): one conversion of the whole table to pandas at the end
        # costs what one chunk's does, per chunk it was 4.4 ms more
        tables[index] = pq.read_table(pa.BufferReader(data))
        done_count[0] += 1
        if progress is not None:
            progress(done_count[0], n_chunks)

    engine = "none"
    if tasks:
        engine = run_chunks(
            tasks, plan, done, scheduler=scheduler, workers=workers, log=say,
            name=f"prospect-survey-{key[:12]}", client=client, key=key,
            memory_note=(
                f"each worker runs one chunk at a time; working memory per chunk <= "
                f"{bound / 2**20:,.0f} MiB (batch of {plan.batch} targets x one launch-year "
                f"lattice + {chunk_size} targets' states), whatever the catalog size"
            ),
        )  # fmt: skip
    result = _gather(out, key, n_chunks, tables)
    stats = {
        "n_chunks": n_chunks,
        "reused_chunks": len(finished),
        "computed_chunks": len(tasks),
        "engine": engine,
        "scheduler": scheduler_address(scheduler),
        "worker_memory_bound_bytes": bound,
    }
    store.write_results(out, key, result)
    manifest.update(complete=True, n_feasible=int(result["feasible"].sum()), last_run=stats)
    write_atomic(out / "summary.csv", count_grid(result, manifest).to_csv())
    store.write_manifest(out, manifest)
    result.attrs["manifest"] = manifest
    result.attrs["stats"] = stats
    return result


def _gather(out: Path, key: str, n_chunks: int, tables: dict) -> pd.DataFrame:
    """Every chunk in chunk order: what :func:`store.read_results` reads from the chunk
    files, with the chunks of this run decoded from their bytes as they arrived.

    The Arrow tables of the chunks are joined and converted to pandas once
    (``to_pandas`` as :func:`prospect._cache.read_frame`); chunks whose column
    types differ (a column all-missing in one chunk) are converted one by one and
    joined by pandas, as before.
    """
    parts = [tables[i] if i in tables else pq.read_table(store.chunk_path(out, key, i))
             for i in range(n_chunks)]  # fmt: skip
    try:
        result = pa.concat_tables(parts).to_pandas()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        result = pd.concat([t.to_pandas() for t in parts], ignore_index=True)
    result.attrs["complete"] = True
    return result
