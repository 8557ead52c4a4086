"""Stage 2 of :func:`prospect.scan.rank.rank`: Lambert scans of the screened targets, in chunks.

Targets go through :func:`prospect.scan.rank.chunks.oneway_chunk` (one-way) or
:func:`prospect.scan.rank.chunks.roundtrip_chunk` (round trips) a chunk at a
time (chunk size from :meth:`prospect.scan.rank.grid.ScanGrid.chunk_size`);
finished chunks go to the checkpoint store.  Given an
:class:`~prospect.scan._engine.Engine`, the chunks still to compute are Dask
tasks (each carries its chunk's element arrays and catalog rows, the grid and
the spec) and the results are put back in chunk order, so the table equals the
in-process one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from prospect.scan import search
from prospect.scan._engine import Engine
from prospect.scan._mission import MissionSpec
from prospect.scan.rank import chunks
from prospect.scan.rank.checkpoint import CheckpointStore
from prospect.scan.rank.grid import ScanGrid

__all__ = ["scan"]


def _scan_chunk(
    sub_el, sub_table, grid: ScanGrid, spec: MissionSpec, exhaustive: bool, batch, states, eph
):
    # the coarse-to-fine search (same answers, prospect.scan.search) unless exhaustive;
    # given target states (the n-body stage), the chunk kernels on the full grid
    if states is not None:
        lat, r_e, v_e = grid.lattice, grid.r_e, grid.v_e
        if lat is not None:
            found = chunks.roundtrip_chunk(sub_el, lat, r_e, v_e, spec, states)
            return chunks.roundtrip_frame(found, sub_table, lat, r_e, v_e, spec, eph)
        return chunks.oneway_frame(chunks.oneway_chunk(sub_el, grid.oneway, spec, states), spec)
    if grid.lattice is not None:
        if exhaustive:
            found = chunks.roundtrip_chunk(sub_el, grid.lattice, grid.r_e, grid.v_e, spec)
        else:
            found = search.roundtrip_chunk(
                sub_el, grid.lattice, grid.r_e, grid.v_e, spec, batch=batch
            )
        return chunks.roundtrip_frame(found, sub_table, grid.lattice, grid.r_e, grid.v_e, spec)
    scan_1 = chunks.oneway_chunk if exhaustive else search.oneway_chunk
    return chunks.oneway_frame(scan_1(sub_el, grid.oneway, spec), spec)


def _chunk_task(a, b, sub_el, sub_table, grid, spec, exhaustive, batch, ephemeris, states=None):
    """One chunk of targets ``a:b`` as a Dask task: its table, with ``row``."""
    part = _scan_chunk(sub_el, sub_table, grid, spec, exhaustive, batch, states, ephemeris)
    part.insert(0, "row", np.arange(a, b))
    return part


def scan(
    survivors: pd.DataFrame,
    el: dict,
    grid: ScanGrid,
    spec: MissionSpec,
    chunk: int,
    *,
    store: CheckpointStore | None = None,
    progress: Callable[[int, int], None] | None = None,
    exhaustive: bool = False,
    states=None,
    ephemeris: str = "two-body",
    engine: Engine | None = None,
) -> pd.DataFrame:
    """Best trajectory of every target: one row per target of ``survivors``, with ``row``.

    Parameters
    ----------
    survivors : DataFrame
        Screened catalog rows (index 0..n-1).
    el : dict of ndarray, shape (n,)
        Their element arrays (:func:`prospect.targets.element_arrays`).
    grid : ScanGrid
    spec : MissionSpec
    chunk : int
        Targets per chunk.
    store : CheckpointStore, optional
        Where finished chunks are kept and resumed from.
    progress : callable, optional
        ``progress(done_targets, total_targets)`` after each chunk.
    exhaustive : bool
        Solve every cell of the fine grid or lattice (rank's chunk scans)
        instead of the coarse-to-fine search of :mod:`prospect.scan.search`.
    states : callable, optional
        ``states(el, epochs_s) -> (r, v)``: target states (default two-body),
        scanned on the full grid; ``grid`` then carries the Earth of the same
        ephemeris (the n-body stage, :mod:`prospect.scan.rank.nbody`).
    ephemeris : str
        Ephemeris of ``states`` (for the models of round-trip legs).
    engine : Engine, optional
        Run the chunks to compute as Dask tasks there (``states`` goes with
        each task); default: in this process, one chunk after the other.
    """
    n = len(survivors)
    parts = []
    batch = chunk
    if not exhaustive and (grid.lattice is not None or spec.kernel_objective() is not None):
        # the search keeps far less per target than the fine grid the chunk size is
        # sized for (search.SEARCH_CHUNK_FACTOR); fewer, larger chunks save overhead
        chunk *= search.SEARCH_CHUNK_FACTOR
    if engine is not None:
        args = (survivors, el, grid, spec, chunk, store, progress, exhaustive, batch, ephemeris)
        return _scan_engine(engine, *args, states=states)
    for c, a in enumerate(range(0, n, chunk)):
        b = min(n, a + chunk)
        part = store.load(c, (a, b)) if store is not None else None
        if part is None:
            sub = {k: v[a:b] for k, v in el.items()}
            part = _scan_chunk(
                sub, survivors.iloc[a:b], grid, spec, exhaustive, batch, states, ephemeris
            )
            part.insert(0, "row", np.arange(a, b))
            if store is not None:
                store.save(c, part)
        parts.append(part)
        if progress is not None:
            progress(b, n)
    return pd.concat(parts, ignore_index=True) if parts else _empty(el, survivors, grid, spec)


def _empty(el, survivors, grid, spec) -> pd.DataFrame:
    """The table of no target, with the columns and dtypes of a chunk's (issue 13: no
    survivor of the screen must still give a well-formed, empty ranking)."""
    if grid.lattice is not None:  # the columns of a trip of NaN (roundtrip_frame's row)
        from prospect.scan.roundtrip import RoundTrip

        trip = RoundTrip("", *([np.nan] * 14))
        row = chunks.rt_columns(trip)
        row.update(min_duration_days=np.nan, min_duration_dv_km_s=np.nan,
                   min_duration_departure=row["departure"])  # fmt: skip
        part = pd.DataFrame([row]).iloc[:0]
    else:
        part = chunks.oneway_frame(chunks.oneway_chunk(el, grid.oneway, spec), spec)
    part.insert(0, "row", np.zeros(0, dtype=np.int64))
    return part


def _scan_engine(engine, survivors, el, grid, spec, chunk, store, progress, exhaustive, batch,
                 ephemeris, states=None) -> pd.DataFrame:  # fmt: skip
    """:func:`scan` with the chunks to compute run by ``engine``, gathered in chunk order.

    The chunks are the in-process ones: batch sizes pick numba kernels
    (parallel or serial, fastmath), so other cuts differ in the last bits,
    enough to move a refined optimum at a window edge by a lattice day.
    """
    n = len(survivors)
    parts, tasks = {}, []
    for c, a in enumerate(range(0, n, chunk)):
        b = min(n, a + chunk)
        part = store.load(c, (a, b)) if store is not None else None
        if part is not None:
            parts[c] = part
            continue
        sub = {k: v[a:b] for k, v in el.items()}
        tasks.append((c, (a, b, sub, survivors.iloc[a:b], grid, spec, exhaustive, batch,
                          ephemeris, states)))  # fmt: skip
    done_targets = [sum(len(p) for p in parts.values())]
    if progress is not None and parts:
        progress(done_targets[0], n)

    def done(c: int, part: pd.DataFrame) -> None:
        if store is not None:
            store.save(c, part)
        parts[c] = part
        done_targets[0] += len(part)
        if progress is not None:
            progress(done_targets[0], n)

    if tasks:
        note = (f"{len(tasks)} of {len(tasks) + len(parts)} scan chunk(s) of up to {chunk} "
                "targets to compute; one chunk at a time per worker")  # fmt: skip
        engine.run(_chunk_task, tasks, done, memory_note=note,
                   stage="scan" if states is None else "nbody")  # fmt: skip
    ordered = [parts[c] for c in sorted(parts)]
    return pd.concat(ordered, ignore_index=True) if ordered else _empty(el, survivors, grid, spec)
