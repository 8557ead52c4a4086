"""Stage 3 of a survey: where the chunks run (in-process, a LocalCluster, or a Dask cluster).

* ``scheduler`` given (or ``$DASK_SCHEDULER_ADDRESS``): the chunks go to that
  running ``dask.distributed`` scheduler;
* otherwise, with more than one chunk to compute and ``workers != 0``: a
  :class:`distributed.LocalCluster` of ``workers`` processes (default: the
  number of cores), one thread each and numba on one thread
  (``NUMBA_NUM_THREADS=1``), on 127.0.0.1 -- start the workers of your own
  cluster the same way: ``dask worker ADDRESS --nworkers N --nthreads 1``
  with ``NUMBA_NUM_THREADS=1``;
* otherwise: in this process.

A task carries one chunk's catalog rows and the small
:class:`~prospect.survey._plan.SurveyPlan`; it returns the chunk's result
table, which this process writes (so workers need no shared file system).
A worker that dies loses only its running task, which the scheduler gives to
another worker (``distributed.scheduler.allowed-failures``, default 3).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence

import pandas as pd

from prospect.errors import InputError
from prospect.survey._chunk import survey_chunk
from prospect.survey._plan import SurveyPlan

__all__ = ["SCHEDULER_TIMEOUT_S", "run_chunks"]

#: How long connecting to a ``--scheduler`` address may take before the
#: survey gives up with one line naming it, seconds.
SCHEDULER_TIMEOUT_S = 10.0

Log = Callable[[str], None]


def scheduler_address(scheduler: str | None) -> str | None:
    """The scheduler to use: the argument, else ``$DASK_SCHEDULER_ADDRESS``, else None."""
    return scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None


def connect(address: str, timeout_s: float = SCHEDULER_TIMEOUT_S):
    """A :class:`distributed.Client` of the scheduler at ``address``.

    Raises
    ------
    InputError
        No scheduler answers at ``address`` within ``timeout_s`` (option ``--scheduler``).
    """
    from distributed import Client

    try:
        return Client(address, timeout=f"{timeout_s}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(
            f"cannot reach the Dask scheduler at {address} within {timeout_s:g} s ({why})",
            option="--scheduler",
        ) from None


def _local_cluster(workers: int):
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
        # one chunk per process at a time, and numba's kernels on one thread in each:
        # the processes, not threads inside them, share out the cores
        env={"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
    )
    return cluster, Client(cluster, set_as_default=False)


def run_chunks(
    tasks: Sequence[tuple[int, pd.DataFrame]],
    plan: SurveyPlan,
    done: Callable[[int, pd.DataFrame], None],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    log: Log = lambda s: None,
    memory_note: str = "",
    name: str = "prospect-survey",
    client=None,
) -> str:
    """Run ``survey_chunk`` on every ``(index, rows)`` task; ``done(index, table)`` as each ends.

    ``client``: an already connected client of ``scheduler`` (closed here).
    Returns the engine used: ``"in-process"``, ``"local-cluster"`` or ``"scheduler"``.
    """
    address = scheduler_address(scheduler)
    if address is None and (workers == 0 or len(tasks) <= 1):
        for index, rows in tasks:
            done(index, survey_chunk(rows, plan))
        return "in-process"
    cluster = None
    if address is not None:
        client = client or connect(address)
        engine = "scheduler"
        log(f"Dask scheduler {address}; dashboard {client.dashboard_link}")
    else:
        n = workers or os.cpu_count() or 1
        cluster, client = _local_cluster(n)
        engine = "local-cluster"
        log(f"Dask LocalCluster of {n} worker process(es); dashboard {client.dashboard_link}")
    if memory_note:
        log(memory_note)
    try:
        _submit_all(client, tasks, plan, done, name)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return engine


def _submit_all(client, tasks, plan, done, name: str) -> None:
    from distributed import as_completed

    futures = {}
    for index, rows in tasks:
        fut = client.submit(survey_chunk, rows, plan, key=f"{name}-chunk-{index:05d}")
        futures[fut] = index
    try:
        for fut in as_completed(futures, loop=client.loop):
            done(futures[fut], fut.result())
    except BaseException:
        client.cancel(list(futures))
        raise
