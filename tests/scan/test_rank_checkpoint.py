"""rank's checkpoints under concurrency: one directory per run, locks, adoption on resume."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from prospect.cli import app
from prospect.scan.rank.checkpoint import CheckpointError, CheckpointStore

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURE = HERE / "data" / "rank_catalog.json"
ARGS = [
    "rank",
    "-m",
    "prospector-1",
    "--catalog",
    str(FIXTURE),
    "--from",
    "2027-01-01",
    "--to",
    "2029-01-01",
    "--exhaustive",
    "--no-refine",
    "--format",
    "json",
]
#: The ``prospect`` console script, as a command line of this interpreter.
_MAIN = "import sys; from prospect.cli import main; sys.exit(main())"


def _part(n: int) -> pd.DataFrame:
    return pd.DataFrame({"row": range(n), "x": [float(i) for i in range(n)]})


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_live_run_is_never_adopted_nor_deleted(tmp_path):
    a = CheckpointStore("k", write=True, resume=False, root=tmp_path)
    a.save(0, _part(3))
    b = CheckpointStore("k", write=True, resume=True, root=tmp_path)
    assert b.load(0) is None  # a is alive: its chunk is not b's to take
    b.save(0, _part(2))
    b.finish()
    assert _files(tmp_path) == [f"k/{a.dir.name}.lock", f"k/{a.dir.name}/chunk-00000.parquet"]
    a.finish()
    assert _files(tmp_path) == []


def test_resume_adopts_an_interrupted_run_and_cleans_it_up(tmp_path):
    a = CheckpointStore("k", write=True, resume=False, root=tmp_path)
    a.save(0, _part(3))
    a.release()  # interrupted: files kept, lock free (as when the process dies)
    other = CheckpointStore("other-key", write=True, resume=False, root=tmp_path)
    c = CheckpointStore("k", write=True, resume=True, root=tmp_path)
    pd.testing.assert_frame_equal(c.load(0), _part(3))
    assert c.load(1) is None
    # while c holds the adopted run, a second resumer cannot take it too
    d = CheckpointStore("k", write=False, resume=True, root=tmp_path)
    assert d.load(0) is None
    d.release()
    c.finish()
    assert all(f.startswith("other-key/") for f in _files(tmp_path))
    other.finish()
    assert _files(tmp_path) == []


def test_a_broken_store_says_what_it_is(tmp_path):
    (tmp_path / "k").write_text("not a directory")
    with pytest.raises(CheckpointError, match=r"checkpoint store .*--no-checkpoint"):
        CheckpointStore("k", write=True, resume=False, root=tmp_path)


def test_cli_reports_a_broken_store_and_runs_without_it(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "rank-checkpoints").write_text("in the way")
    monkeypatch.setenv("PROSPECT_CACHE_DIR", str(cache))
    runner = CliRunner()
    res = runner.invoke(app, ARGS)
    assert res.exit_code == 1
    (line,) = res.stderr.strip().splitlines()
    assert line.startswith("Error: rank checkpoint store ") and "--no-checkpoint" in line
    assert str(FIXTURE) not in line  # not reported as a bad user file
    ok = runner.invoke(app, [*ARGS, "--no-checkpoint"])
    assert ok.exit_code == 0, ok.output


def test_two_identical_ranks_started_together_both_succeed(tmp_path):
    """The race of issue 12: identical runs shared (and deleted) one directory."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "PROSPECT_CACHE_DIR": str(tmp_path / "cache"),
        "PROSPECT_SCAN_MEMORY_MB": "4",  # about one target per chunk: many chunk files
        "PYTHONWARNINGS": "ignore",
    }
    outs = [tmp_path / f"run{i}.json" for i in range(2)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _MAIN, *ARGS, "--output", str(out)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for out in outs
    ]
    results = [p.communicate(timeout=600) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err.decode()
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert len(pd.read_json(outs[0])) == 4  # the four reachable objects
    root = tmp_path / "cache" / "rank-checkpoints"
    assert not root.exists() or _files(root) == []  # each run removed its own
