"""Stage 3 of a survey: where the chunks run (:mod:`prospect.scan._engine`).

* ``scheduler`` given (or ``$DASK_SCHEDULER_ADDRESS``): the chunks go to that
  running ``dask.distributed`` scheduler;
* otherwise, with more than one chunk to compute and ``workers != 0``: a
  :class:`distributed.LocalCluster` of ``workers`` processes (default: the
  number of cores), one thread each and numba on one thread;
* otherwise: in this process.

A task carries one chunk's catalog rows and the small
:class:`~prospect.survey._plan.SurveyPlan`; it returns the chunk's result
file, already encoded (:func:`prospect.survey.store.chunk_bytes`), which this
process writes (so workers need no shared file system).  Encoding on the
workers (~10 ms CPU per 40-target chunk, ``benchmarks/bench_survey.py``)
keeps it out of this one process, where it would be serial work beside a
local cluster's scheduler, growing with the number of workers.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import pandas as pd

from prospect.scan._engine import (
    SCHEDULER_TIMEOUT_S,
    connect,
    run_tasks,
    scheduler_address,
    tune_worker_malloc,
)
from prospect.survey._chunk import survey_chunk
from prospect.survey._plan import SurveyPlan
from prospect.survey.store import chunk_bytes

__all__ = ["SCHEDULER_TIMEOUT_S", "chunk_file", "connect", "run_chunks", "scheduler_address"]


def chunk_file(rows: pd.DataFrame, plan: SurveyPlan | bytes, key: str, index: int) -> bytes:
    """Chunk ``index`` of survey ``key`` (:func:`~prospect.survey._chunk.survey_chunk`) as its
    file's bytes, sealed with both (:func:`prospect.survey.store.chunk_bytes`).

    ``plan`` may come pickled (:func:`run_chunks` pickles it once per survey: the
    profile inside it holds a ``mappingproxy``, which sends Dask's serializer of a
    whole task to cloudpickle, 2.3 ms a task instead of 0.3 ms).

    The process that runs it, a worker or this one, first sets glibc's allocation
    thresholds once (:func:`prospect.scan._engine.tune_worker_malloc`): with the
    default trim threshold (128 KiB) a plain process hands the chunk's freed
    temporaries back to the system and faults them in again, 8,800 page faults and
    ~9 % more CPU per 40-target chunk than with the thresholds set.
    """
    tune_worker_malloc()
    if isinstance(plan, bytes):
        import cloudpickle

        plan = cloudpickle.loads(plan)
    return chunk_bytes(survey_chunk(rows, plan), key=key, index=index)


def run_chunks(
    tasks: Sequence[tuple[int, pd.DataFrame]],
    plan: SurveyPlan,
    done: Callable[[int, bytes], None],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    log: Callable[[str], None] = lambda s: None,
    memory_note: str = "",
    name: str = "prospect-survey",
    client=None,
    key: str = "",
) -> str:
    """Run :func:`chunk_file` on every ``(index, rows)`` task; ``done(index, bytes)`` as each ends.

    ``client``: an already connected client of ``scheduler`` (closed here).  ``key``: the
    survey's input key, sealed into each chunk file (:mod:`prospect.survey.store`).
    Returns the engine used: ``"in-process"``, ``"local-cluster"`` or ``"scheduler"``.
    """
    import cloudpickle

    n = (os.cpu_count() or 1) if workers is None else workers
    blob = cloudpickle.dumps(plan)
    return run_tasks(
        chunk_file,
        [(index, (rows, blob, key, index)) for index, rows in tasks],
        done,
        address=scheduler_address(scheduler),
        workers=n,
        log=log,
        memory_note=memory_note,
        name=name,
        client=client,
    )
