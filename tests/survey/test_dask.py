"""The survey on a real dask.distributed cluster (scheduler + two worker processes on
127.0.0.1, started here): equal to the in-process survey, also when a worker is killed;
an unreachable scheduler gives one line naming it."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time

import pandas as pd
import pytest
from conftest import CHUNK, SURVEY_ARGS, assert_same_rows

from prospect.errors import InputError
from prospect.survey import survey
from prospect.survey.store import read_manifest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def cluster():
    import dask
    from distributed import Client, LocalCluster

    # A loaded machine (load 25 on 2 cores seen) starts a worker process slowly: the
    # connect timeout is raised for this cluster's processes only (the nanny hands its
    # config to the workers it starts and restarts), not for the library.
    with dask.config.set({"distributed.comm.timeouts.connect": "180s"}):
        cl = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        )
    client = Client(cl, set_as_default=False)
    yield cl, client
    client.close()
    cl.close()


def test_scheduler_survey_equals_in_process(cluster, sample200, reference, tmp_path):
    """Acceptance: 200 objects through --scheduler, row for row equal to in-process."""
    cl, _ = cluster
    ref_dir, ref = reference
    assert ref["feasible"].sum() >= 3  # the comparison covers real trajectories
    logs = []
    df = survey(
        "nhats-human", output=tmp_path / "s", catalog=sample200, chunk_size=CHUNK,
        scheduler=cl.scheduler_address, log=logs.append, **SURVEY_ARGS,
    )  # fmt: skip
    assert df.attrs["stats"]["engine"] == "scheduler"
    assert any("dashboard" in line for line in logs)
    assert any("working memory per chunk" in line for line in logs)
    assert_same_rows(df, ref)
    assert read_manifest(tmp_path / "s")["key"] == read_manifest(ref_dir)["key"]
    # the table gathered as chunks arrived is exactly the chunk files read back
    files = sorted((tmp_path / "s" / "chunks").glob("part-*.parquet"))
    assert len(files) == 200 // CHUNK
    whole = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    pd.testing.assert_frame_equal(df, whole, check_exact=True)


def test_worker_killed_mid_survey(cluster, sample200, reference, tmp_path):
    """A worker SIGKILLed while chunks run: the scheduler reruns its task elsewhere and
    the survey equals the uninterrupted one."""
    cl, client = cluster
    _, ref = reference
    out = tmp_path / "k"
    pids = list(client.run(os.getpid).values())
    killed = {}

    def killer():
        deadline = time.monotonic() + 120
        n_done = 0
        while time.monotonic() < deadline and n_done == 0:
            time.sleep(0.02)
            n_done = sum(1 for _ in (out / "chunks").glob("part-*.parquet"))
        os.kill(pids[0], signal.SIGKILL)
        killed["done_before"] = n_done

    th = threading.Thread(target=killer)
    th.start()
    df = survey(
        "nhats-human", output=out, catalog=sample200, chunk_size=10,
        scheduler=cl.scheduler_address, **SURVEY_ARGS,
    )  # fmt: skip
    th.join()
    assert 0 < killed["done_before"] < 20  # killed mid-survey (20 chunks of 10)
    assert_same_rows(df, ref)
    # the nanny restarted the worker: the cluster still has two (a restart took over
    # 60 s at load 25; a worker that never comes back still fails the test)
    client.wait_for_workers(2, timeout=300)


def test_unreachable_scheduler_one_line(sample200, tmp_path):
    """No scheduler at the address: one line naming it, after the stated timeout, and
    the output directory is not created."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    t0 = time.monotonic()
    with pytest.raises(InputError) as err:
        survey(
            "nhats-human", output=tmp_path / "u", catalog=sample200.head(5),
            scheduler=address, scheduler_timeout_s=2.0, **SURVEY_ARGS,
        )  # fmt: skip
    elapsed = time.monotonic() - t0
    msg = str(err.value)
    assert "\n" not in msg and address in msg and "2 s" in msg
    assert err.value.option == "scheduler"
    assert elapsed < 30  # the 2 s timeout, not a hang
    assert not (tmp_path / "u").exists()


def test_env_scheduler_address(cluster, sample200, reference, tmp_path, monkeypatch):
    """$DASK_SCHEDULER_ADDRESS sends the chunks to that scheduler."""
    cl, _ = cluster
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cl.scheduler_address)
    rows = sample200.head(CHUNK * 2)
    df = survey("nhats-human", output=tmp_path / "e", catalog=rows, chunk_size=CHUNK,
                **SURVEY_ARGS)  # fmt: skip
    assert df.attrs["stats"]["engine"] == "scheduler"
    assert_same_rows(df, reference[1].head(CHUNK * 2).reset_index(drop=True))


def test_nbody_scheduler_survey_equals_in_process(cluster, sample200, tmp_path):
    """n-body states computed on the workers: the same rows as in this process."""
    from prospect.survey._ephemeris import nbody_available

    if not nbody_available():
        pytest.skip("prospect.nbody is not installed")
    cl, _ = cluster
    rows = sample200.head(12)
    args = dict(SURVEY_ARGS, ephemeris="nbody")
    here = survey("nhats-human", output=tmp_path / "a", catalog=rows, chunk_size=4, workers=0,
                  **args)  # fmt: skip
    there = survey("nhats-human", output=tmp_path / "b", catalog=rows, chunk_size=4,
                   scheduler=cl.scheduler_address, **args)  # fmt: skip
    assert here["feasible"].sum() >= 2 and (here["ephemeris"] == "nbody").all()
    assert_same_rows(there, here)
