"""Stage 2 of :func:`prospect.scan.rank.rank`: Lambert scans of the screened targets, in chunks.

Targets go through :func:`prospect.scan.rank.chunks.oneway_chunk` (one-way) or
:func:`prospect.scan.rank.chunks.roundtrip_chunk` (round trips) a chunk at a
time (chunk size from :meth:`prospect.scan.rank.grid.ScanGrid.chunk_size`);
finished chunks go to the checkpoint store.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from prospect.scan import search
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
    """
    n = len(survivors)
    parts = []
    batch = chunk
    if not exhaustive and (grid.lattice is not None or spec.kernel_objective() is not None):
        # the search keeps far less per target than the fine grid the chunk size is
        # sized for (search.SEARCH_CHUNK_FACTOR); fewer, larger chunks save overhead
        chunk *= search.SEARCH_CHUNK_FACTOR
    for c, a in enumerate(range(0, n, chunk)):
        b = min(n, a + chunk)
        part = store.load(c) if store is not None else None
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
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"row": []})
