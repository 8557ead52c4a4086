"""Where chunks of work run: in this process, a LocalCluster, or a running Dask scheduler.

The one engine of the analyses that split their work by target into chunks
(:func:`prospect.scan.rank.rank`'s scan stage, :mod:`prospect.survey`):

* ``scheduler`` given: the chunks go to that running ``dask.distributed``
  scheduler (:func:`connect` fails with one line naming the address after
  :data:`SCHEDULER_TIMEOUT_S`);
* ``workers`` processes: a :class:`distributed.LocalCluster` on 127.0.0.1, one
  thread each and numba on one thread (``NUMBA_NUM_THREADS=1``) -- start the
  workers of your own cluster the same way: ``dask worker ADDRESS --nworkers N
  --nthreads 1`` with ``NUMBA_NUM_THREADS=1``;
* otherwise: in this process.

Every task runs through :func:`on_worker`, which first gives the worker
process glibc's large-array allocation back (:func:`tune_worker_malloc`):
Dask's Nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which
also switches off glibc's adaptive mmap threshold, so every numpy temporary
over 128 KiB became a fresh, page-faulted mapping -- 79,000 page faults and
0.2 s of system time per 40-target survey chunk, the same work as in-process
cost 1.7x the CPU (``benchmarks/bench_survey.py`` prints both).

A task carries one chunk's inputs; its result comes back to this process,
which writes it (so workers need only the installed package, no shared file
system).  A worker that dies loses only its running task, which the scheduler
gives to another worker (``distributed.scheduler.allowed-failures``, default 3).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from prospect.errors import InputError

__all__ = [
    "LOCAL_CLUSTER_CONFIG",
    "MAX_WORKERS_PER_CORE",
    "SCHEDULER_TIMEOUT_S",
    "Engine",
    "check_workers",
    "connect",
    "local_cluster",
    "on_worker",
    "open_engine",
    "run_tasks",
    "scheduler_address",
    "submit_all",
    "tune_worker_malloc",
]

#: How long connecting to a ``--scheduler`` address may take before the
#: analysis gives up with one line naming it, seconds (design choice).
SCHEDULER_TIMEOUT_S = 10.0

#: Most local worker processes per core of this machine (design choice).  A local
#: worker computes one chunk at a time on one thread (numba on one, :func:`local_cluster`),
#: so workers beyond the cores only wait for one, while each is a process of its own:
#: 245 MiB RSS once the scan is imported (measured, 2 workers, this project's
#: LocalCluster), plus its start-up.  Four per core leaves room to overlap I/O.
MAX_WORKERS_PER_CORE = 4

Log = Callable[[str], None]


def check_workers(workers, option: str = "workers") -> int | None:
    """``workers`` (local worker processes) checked: a whole number in [0, 4 x cores].

    A cluster of your own, reached through its scheduler, has the workers it
    has; this bound is for the processes started on this machine.

    Raises
    ------
    InputError
        Not a whole number, negative, or more than :data:`MAX_WORKERS_PER_CORE`
        per core (names ``option``).

    Examples
    --------
    >>> check_workers(0), check_workers(None)
    (0, None)
    >>> check_workers(10**6)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    prospect.errors.InputError: workers: must be at most ... per core of this machine's ...
    """
    if workers is None:
        return None
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise InputError(f"must be a whole number >= 0, got {workers!r}", option=option)
    if workers < 0:
        raise InputError(f"must be >= 0, got {workers}", option=option)
    cores = os.cpu_count() or 1
    limit = MAX_WORKERS_PER_CORE * cores
    if workers > limit:
        raise InputError(
            f"must be at most {limit} ({MAX_WORKERS_PER_CORE} per core of this machine's "
            f"{cores}; each local worker is a process of ~245 MiB computing one chunk at a "
            f"time), got {workers:,}; for more, run them on a cluster of your own: "
            "{scheduler}",
            option=option,
            mentions={"scheduler": "ADDRESS"},
        )
    return workers

#: glibc ``mallopt`` parameters (``<malloc.h>``): M_TRIM_THRESHOLD, M_MMAP_THRESHOLD.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
#: What glibc's adaptive threshold converges to on 64-bit (mallopt(3):
#: DEFAULT_MMAP_THRESHOLD_MAX = 4 MiB * sizeof(long) = 32 MiB), and the trim
#: threshold glibc pairs with it (twice the mmap threshold), bytes.
WORKER_MMAP_THRESHOLD_BYTES = 32 * 2**20
WORKER_TRIM_THRESHOLD_BYTES = 2 * WORKER_MMAP_THRESHOLD_BYTES
_malloc_tuned: list[bool] = []

#: Dask settings of prospect's own LocalCluster (design choices, measured with
#: ``benchmarks/bench_survey.py``).  The workers' statistical profiler samples every
#: task thread each 10 ms (~3 % of a core per worker).  The event-loop watchdog tick
#: (default 20 ms), the workers' memory monitor (100 ms) and the system monitor
#: (500 ms) cost, idle, 17.6 ms of CPU per second in each of 2 workers and 41 ms per
#: second in this process (scheduler and nannies): 3.8 % of 2 cores that the chunks
#: compete for once every core has a worker.  With the values here: 3-4 ms per worker
#: and 8 ms here.  They only slow the dashboard's figures and the memory check (the
#: chunks' memory is bounded, :meth:`prospect.survey._plan.SurveyPlan.worker_bound_bytes`).
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}


def tune_worker_malloc() -> bool:
    """Give a Dask worker process glibc's large-array allocation back (once per process).

    The Nanny sets ``MALLOC_TRIM_THRESHOLD_=65536`` in its workers
    (``distributed.nanny.pre-spawn-environ``, to return memory to the OS
    early); setting it switches off glibc's adaptive mmap threshold
    (mallopt(3)), so each numpy array over 128 KiB is mapped and unmapped
    again, and zero-filled page by page on first touch.  Here the thresholds
    are set to what the adaptive rule reaches in a plain process
    (:data:`WORKER_MMAP_THRESHOLD_BYTES`, :data:`WORKER_TRIM_THRESHOLD_BYTES`),
    so freed temporaries are reused: a worker then holds up to 64 MiB of freed
    heap beyond its working set.

    Returns True when the thresholds were set (glibc), False elsewhere.
    """
    if _malloc_tuned:
        return _malloc_tuned[0]
    ok = False
    if sys.platform.startswith("linux"):
        try:
            mallopt = ctypes.CDLL(None).mallopt
            ok = bool(mallopt(_M_MMAP_THRESHOLD, WORKER_MMAP_THRESHOLD_BYTES)) and bool(
                mallopt(_M_TRIM_THRESHOLD, WORKER_TRIM_THRESHOLD_BYTES)
            )
        except (AttributeError, OSError):  # not glibc: nothing to undo
            ok = False
    _malloc_tuned.append(ok)
    return ok


def on_worker(fn: Callable, *args):
    """``fn(*args)`` on a worker, after :func:`tune_worker_malloc` (what every task runs)."""
    tune_worker_malloc()
    return fn(*args)


def scheduler_address(scheduler: str | None) -> str | None:
    """The scheduler to use: the argument, else ``$DASK_SCHEDULER_ADDRESS``, else None."""
    return scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None


def connect(address: str, timeout_s: float = SCHEDULER_TIMEOUT_S, option: str = "scheduler"):
    """A :class:`distributed.Client` of the scheduler at ``address``.

    Raises
    ------
    InputError
        No scheduler answers at ``address`` within ``timeout_s`` (names ``option``).
    """
    from distributed import Client

    try:
        _probe(address, timeout_s)
        return Client(address, timeout=f"{timeout_s}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(
            f"cannot reach the Dask scheduler at {address} within {timeout_s:g} s ({why})",
            option=option,
        ) from None


def _probe(address: str, timeout_s: float) -> None:
    """Open and close one plain connection to ``address`` before a Client is made.

    A :class:`distributed.Client` that fails to connect lingers: at interpreter
    exit its ``__del__`` waits ~20 s and prints a traceback.  The probe (a bare
    comm, run in its own thread so a notebook's running event loop is no
    obstacle) finds a malformed or unreachable address without one.  TLS
    addresses need the user's security settings, so only the Client tries them.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from distributed.comm import connect as comm_connect

    if address.startswith(("tls://", "wss://")):
        return

    async def probe():
        comm = await comm_connect(address, timeout=timeout_s)
        await comm.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, probe()).result()


def local_cluster(workers: int):
    """``(cluster, client)``: ``workers`` processes on 127.0.0.1, one thread and numba on one,
    without the workers' profiler."""
    import dask
    from distributed import Client, LocalCluster

    # The Nanny hands this config to its workers.
    with dask.config.set(LOCAL_CLUSTER_CONFIG):
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


def run_tasks(
    fn: Callable,
    tasks: Sequence[tuple[int, tuple]],
    done: Callable[[int, object], None],
    *,
    address: str | None = None,
    workers: int | None = None,
    log: Log = lambda s: None,
    memory_note: str = "",
    name: str = "prospect",
    client=None,
    close: bool = True,
) -> str:
    """Run ``fn(*args)`` for every ``(index, args)`` task; ``done(index, result)`` as each ends.

    ``address`` (a scheduler) or ``client`` (its connected client, closed
    here unless ``close`` is False) sends the tasks there; else ``workers``
    processes of a LocalCluster when there is more than one task and
    ``workers`` is not 0 or None;
    else this process, in task order.  Returns the engine used:
    ``"in-process"``, ``"local-cluster"`` or ``"scheduler"``.
    """
    if client is None and address is None and (not workers or len(tasks) <= 1):
        for index, args in tasks:
            done(index, fn(*args))
        return "in-process"
    cluster = None
    if client is not None or address is not None:
        client = client or connect(address)
        engine = "scheduler"
        where = address or client.scheduler.address
        log(f"Dask scheduler {where}; dashboard {client.dashboard_link}")
    else:
        cluster, client = local_cluster(workers)
        engine = "local-cluster"
        log(f"Dask LocalCluster of {workers} worker process(es); dashboard {client.dashboard_link}")
    if memory_note:
        log(memory_note)
    try:
        submit_all(client, fn, tasks, done, name)
    finally:
        if close or cluster is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    return engine


def submit_all(client, fn: Callable, tasks, done, name: str) -> None:
    """Submit every task to ``client``; ``done(index, result)`` in completion order."""
    from distributed import as_completed

    futures = {}
    for index, args in tasks:
        fut = client.submit(on_worker, fn, *args, key=f"{name}-chunk-{index:05d}")
        futures[fut] = index
    try:
        for fut in as_completed(futures, loop=client.loop):
            done(futures[fut], fut.result())
    except BaseException:
        client.cancel(list(futures))
        raise


@dataclass
class Engine:
    """Where an analysis's chunks run: a connected ``client`` or ``workers`` local processes.

    ``client`` (of a scheduler) is used for every run; without it, the first
    :meth:`run` with more than one task starts a LocalCluster of ``workers``
    processes, which later runs (rank's scan and n-body re-scan)
    share.  :meth:`close` (or leaving a ``with`` block) closes the client and
    the cluster it started.
    """

    client: object = None
    workers: int | None = None
    log: Log = lambda s: None
    name: str = "prospect"
    _cluster: object = None
    _runs: int = 0

    def run(self, fn: Callable, tasks, done, memory_note: str = "", stage: str = "") -> str:
        """:func:`run_tasks` on this engine; returns the engine used.

        Task keys are ``{name}-{stage}{run number}-chunk-{index}`` (what the
        dashboard shows).
        """
        if self.client is None and self.workers and len(tasks) > 1:
            self._cluster, self.client = local_cluster(self.workers)
            self.log(f"Dask LocalCluster of {self.workers} worker process(es); "
                     f"dashboard {self.client.dashboard_link}")  # fmt: skip
        if self.client is None:
            return run_tasks(fn, tasks, done)
        if memory_note:
            self.log(memory_note)
        self._runs += 1  # each run its own task keys: a stage never gets another's result
        submit_all(self.client, fn, tasks, done, f"{self.name}-{stage}{self._runs}")
        return "scheduler" if self._cluster is None else "local-cluster"

    def close(self) -> None:
        """Close the client, and the local cluster if this engine started it."""
        if self.client is not None:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()
        self.client = self._cluster = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_engine(
    scheduler: str | None,
    workers: int | None,
    *,
    timeout_s: float = SCHEDULER_TIMEOUT_S,
    log: Log = lambda s: None,
    name: str = "prospect",
    scheduler_option: str = "scheduler",
    workers_option: str = "workers",
) -> Engine | None:
    """The engine of ``scheduler`` (connected now, so a bad address fails first) or of
    ``workers`` local processes; None (this process) when neither is given or ``workers`` is 0.

    Task keys are ``name``, a random suffix of this run and the chunk index, so
    two runs sharing one scheduler never share a result.

    Raises
    ------
    InputError
        ``workers`` outside :func:`check_workers`'s bounds, or no scheduler at
        ``scheduler`` within ``timeout_s``.
    """
    check_workers(workers, workers_option)
    name = f"{name}-{uuid.uuid4().hex[:12]}"
    if scheduler:
        client = connect(scheduler, timeout_s, scheduler_option)
        log(f"Dask scheduler {scheduler}; dashboard {client.dashboard_link}")
        return Engine(client=client, log=log, name=name)
    if workers:
        return Engine(workers=workers, log=log, name=name)
    return None
