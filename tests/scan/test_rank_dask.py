"""rank's scan on a real dask.distributed cluster (a scheduler and two worker processes on
127.0.0.1, started here) equals the in-process rank row for row; an unreachable scheduler
gives one line naming it.

Runs on the 55-object fixture of the goldens (tests/scan/data/rank_catalog.json) with a
small memory budget, so the scan has several chunks and their order matters.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from prospect.errors import InputError
from prospect.scan import rank

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FIXTURE = Path(__file__).resolve().parent / "data" / "rank_catalog.json"
#: two-body, no refinement: the scan stage (test_nbody_and_refinement_on_a_cluster adds
#: the other two stages that run on the cluster)
KW = dict(catalog=str(FIXTURE), start="2027-01-01", end="2029-01-01", refine=False,
          checkpoint=False, include_infeasible=True, ephemeris="two-body")  # fmt: skip
#: one-way: the fine grid, 5 MB per chunk; round trips: the lattice search of one
#: launch year, 40 MB (a few targets per chunk)
CASES = {
    "one-way": dict(round_trip=False, exhaustive=True, memory_mb=5),
    "round-trip": dict(round_trip=True, memory_mb=40, end="2028-01-01"),
}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from distributed import Client, LocalCluster

    # the workers read and fill the tests' n-body cache (tests/conftest.py), as this process
    cache = tmp_path_factory.getbasetemp() / "prospect-cache"
    cache.mkdir(exist_ok=True)
    cl = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # not 8787, which another test may hold
        silence_logs=logging.ERROR,
        env={"NUMBA_NUM_THREADS": "1", "PROSPECT_CACHE_DIR": str(cache)},
    )
    client = Client(cl, set_as_default=False)
    yield cl, client
    client.close()
    cl.close()


def _chunks_to_compute(notes: list[str]) -> tuple[int, int]:
    """(to compute, total) from the engine's note "X of Y scan chunk(s) ..."."""
    (m,) = [re.search(r"(\d+) of (\d+) scan chunk", s) for s in notes if "scan chunk" in s]
    return int(m.group(1)), int(m.group(2))


def assert_same_rows(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Same rows, same order; floats within 1e-12 relative, everything else equal."""
    assert list(a.columns) == list(b.columns) and len(a) == len(b) > 0
    for col in a.columns:
        x, y = a[col].to_numpy(), b[col].to_numpy()
        if x.dtype.kind == "f":
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=0, equal_nan=True, err_msg=col)
        else:
            pd.testing.assert_series_equal(a[col], b[col], obj=col)


@pytest.mark.parametrize("case", sorted(CASES))
def test_rank_on_a_cluster_equals_in_process(cluster, case):
    cl, client = cluster
    kw = {**KW, **CASES[case]}
    steps, notes = [], []
    here = rank("nhats-human", progress=lambda d, n: steps.append(d), **kw)
    there = rank("nhats-human", scheduler=cl.scheduler_address, log=notes.append, **kw)
    assert len(steps) >= 3  # several chunks, gathered back in order
    assert any(cl.scheduler_address in s and "dashboard" in s for s in notes)
    todo, total = _chunks_to_compute(notes)
    assert todo == total == len(steps)
    assert there.attrs["n_feasible"] == here.attrs["n_feasible"] > 0
    assert_same_rows(there, here)
    # the chunks ran on the workers: the scheduler saw rank's tasks
    keys = client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.task_prefixes))
    assert any("prospect-rank" in k for k in keys)


def test_nbody_and_refinement_on_a_cluster(cluster):
    """With the n-body default and refinement, the n-body re-scan's chunks are tasks on
    the cluster too (refinement stays in this process), and the table is the in-process one."""
    pytest.importorskip("assist")
    cl, client = cluster
    kw = {**KW, "ephemeris": "nbody", "refine": True, "refine_top": 2, "round_trip": True,
          "end": "2028-01-01", "include_infeasible": False}  # fmt: skip
    here = rank("nhats-human", **kw)
    from distributed import get_task_stream

    with get_task_stream(client) as ts:
        there = rank("nhats-human", scheduler=cl.scheduler_address, **kw)
    assert here.attrs["n_nbody"] >= 2 and here["refined"].sum() >= 2
    assert set(there["ephemeris"]) == {"nbody"}
    assert_same_rows(there, here)
    keys = [str(t["key"]) for t in ts.data]
    assert sum("-nbody" in k for k in keys) >= 1  # the in-process chunks, as tasks
    assert not any("-refine" in k for k in keys)


def test_rank_on_local_workers_equals_in_process():
    kw = {**KW, **CASES["one-way"]}
    notes = []
    here = rank("nhats-human", **kw)
    there = rank("nhats-human", workers=2, log=notes.append, **kw)
    assert any("LocalCluster of 2" in s for s in notes)
    assert_same_rows(there, here)


def test_unreachable_scheduler_one_line():
    """No scheduler at the address: one line naming it, after the stated timeout."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    t0 = time.monotonic()
    with pytest.raises(InputError) as err:
        rank("nhats-human", scheduler=address, scheduler_timeout_s=2.0, **KW)
    msg = str(err.value)
    assert "\n" not in msg and address in msg and "2 s" in msg
    assert err.value.option == "scheduler"
    assert time.monotonic() - t0 < 30  # the 2 s timeout, not a hang
    with pytest.raises(InputError, match="workers"):
        rank("nhats-human", workers=-1, **KW)


def test_cli_engine_flags():
    """The CLI names its flags: --workers for a bad count."""
    from typer.testing import CliRunner

    from prospect.cli import app

    res = CliRunner().invoke(app, ["rank", "-m", "nhats-human", "--catalog", str(FIXTURE),
                                   "--no-checkpoint", "--ephemeris", "two-body",
                                   "--workers", "-1"])  # fmt: skip
    assert res.exit_code == 1
    assert "--workers: must be >= 0" in res.output and "Traceback" not in res.output


def test_cli_scheduler_from_environment(cluster):
    """``prospect rank`` with $DASK_SCHEDULER_ADDRESS: the same CSV, the dashboard noted."""
    from typer.testing import CliRunner

    from prospect.cli import app

    cl, _ = cluster
    args = ["rank", "-m", "nhats-human", "--one-way", "--catalog", str(FIXTURE), "--from",
            "2027-01-01", "--to", "2029-01-01", "--no-refine", "--no-checkpoint",
            "--format", "csv", "--ephemeris", "two-body"]  # fmt: skip
    here = CliRunner().invoke(app, args, env={"DASK_SCHEDULER_ADDRESS": ""})
    there = CliRunner().invoke(app, args, env={"DASK_SCHEDULER_ADDRESS": cl.scheduler_address})
    assert here.exit_code == there.exit_code == 0, there.output
    assert f"Dask scheduler {cl.scheduler_address}; dashboard" in there.stderr
    assert "Dask" not in here.stderr
    assert there.stdout == here.stdout and len(here.stdout.splitlines()) > 10


def test_interrupted_cluster_rank_resumes(cluster):
    """Chunks finished on the cluster before an interrupt are checkpointed and adopted."""
    cl, _ = cluster
    kw = {**KW, **CASES["one-way"], "checkpoint": True}

    def stop(done, total):
        if done < total:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rank("nhats-human", scheduler=cl.scheduler_address, progress=stop, **kw)
    steps, notes = [], []
    resumed = rank("nhats-human", scheduler=cl.scheduler_address, resume=True, log=notes.append,
                   progress=lambda d, n: steps.append((d, n)), **kw)  # fmt: skip
    adopted, n = steps[0]
    assert 0 < adopted < n  # the first report: the chunks adopted from the checkpoint
    assert steps[-1][0] == n
    (todo, total) = _chunks_to_compute(notes)
    assert 0 < todo < total  # only the chunks not finished before the interrupt
    assert_same_rows(resumed, rank("nhats-human", **{**kw, "checkpoint": False}))


@pytest.mark.parametrize("address", ["nosuch://x", "tcp://[::1", "garbage"])
def test_malformed_scheduler_exits_cleanly(address, tmp_path):
    """A malformed address: one stderr line, exit 1, and no lingering Client.

    A Client that failed to connect used to wait ~20 s at exit and then print
    ``Exception ignored in: <function Client.__del__ ...>`` and a traceback.
    """
    import subprocess
    import sys

    env = {**os.environ, "PROSPECT_CACHE_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "prospect", "rank", "-m", "nhats-human", "--catalog",
         str(FIXTURE), "--no-checkpoint", "--ephemeris", "two-body", "--scheduler", address],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: --scheduler:"), run.stderr
