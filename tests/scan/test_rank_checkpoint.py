"""rank's checkpoints under concurrency: one directory per run, locks, adoption on resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
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
    with pytest.raises(CheckpointError, match=r"checkpoint store .*checkpoint=False"):
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
    # Same rows, dates, flags and text; floats equal to 1e-9 relative (1 cm in a 10^7 km
    # approach distance).  Not bytes: the n-body cache integrates the targets a run is
    # missing in one IAS15 simulation, whose shared step size depends on which targets
    # the other run had already cached, so a state can move by ~1 cm.
    a, b = (pd.read_json(out) for out in outs)
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=0.0)
    assert len(a) == 4  # the four reachable objects
    root = tmp_path / "cache" / "rank-checkpoints"
    assert not root.exists() or _files(root) == []  # each run removed its own


# --- issue 13: nothing read back from a checkpoint is trusted blindly ---------------


#: A chunk of targets 10..15 with the kinds of columns rank's chunks hold.
def _chunk(a: int = 10, b: int = 16) -> pd.DataFrame:
    n = b - a
    return pd.DataFrame(
        {
            "row": np.arange(a, b),
            "departure": [f"2027-0{1 + i % 9}-1{i % 10}" for i in range(n)],
            "tof_days": np.linspace(30.0, 330.0, n),
            "dv_total_km_s": np.where(np.arange(n) % 4 == 1, np.nan, 3.5 + np.arange(n) / 7),
            "feasible": np.arange(n) % 2 == 0,
        }
    )


def _rewrite(path: Path, fn, *, keep_seal: bool = True) -> None:
    """Change a chunk's table with ``fn`` and write it back, keeping its seal (a careful
    editor) or not (what pandas' to_parquet does)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    df = fn(table.to_pandas())
    new = pa.Table.from_pandas(df, preserve_index=False)
    if keep_seal:
        new = new.replace_schema_metadata(table.schema.metadata)
    pq.write_table(new, path)


def _garbage(p):
    p.write_bytes(os.urandom(3000))


def _half(p):
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _empty(p):
    p.write_bytes(b"")


def _values(p):  # issue 13: "tampered values: exit 0 and all 100 output rows replaced"
    _rewrite(p, lambda d: d.assign(dv_total_km_s=d["dv_total_km_s"] * 0.5))


def _values_pandas(p):
    _rewrite(p, lambda d: d.assign(dv_total_km_s=d["dv_total_km_s"] - 1.0), keep_seal=False)


def _schema(p):
    _rewrite(p, lambda d: d.rename(columns={"tof_days": "tof"}).drop(columns="feasible"))


def _dtype(p):
    _rewrite(p, lambda d: d.astype({"tof_days": "float32"}))


def _duplicated(p):
    _rewrite(p, lambda d: pd.concat([d, d], ignore_index=True))


def _dropped(p):
    _rewrite(p, lambda d: d.iloc[:-1])


def _shifted(p):
    _rewrite(p, lambda d: d.assign(row=d["row"] + 1))


def _other_chunk(p):
    other = CheckpointStore("k", write=True, resume=False, root=p.parent.parent.parent)
    other.save(0, _chunk(0, 6))
    p.write_bytes((other.dir / "chunk-00000.parquet").read_bytes())
    other.finish()


def _other_scan(p):
    other = CheckpointStore("another-scan", write=True, resume=False, root=p.parent.parent.parent)
    other.save(1, _chunk())
    p.write_bytes((other.dir / "chunk-00001.parquet").read_bytes())
    other.finish()


def _symlink(p):
    target = p.parent.parent / "elsewhere.parquet"
    target.write_bytes(p.read_bytes())
    p.unlink()
    p.symlink_to(target)


CORRUPTIONS = {
    "garbage": _garbage,
    "half-written": _half,
    "empty": _empty,
    "tampered values (seal kept)": _values,
    "tampered values (pandas rewrite)": _values_pandas,
    "wrong schema": _schema,
    "wrong dtype": _dtype,
    "duplicated rows": _duplicated,
    "a row dropped": _dropped,
    "rows shifted": _shifted,
    "another chunk's file": _other_chunk,
    "another scan's chunk": _other_scan,
    "symbolic link": _symlink,
}


def _interrupted(root: Path) -> Path:
    run = CheckpointStore("k", write=True, resume=False, root=root)
    run.save(1, _chunk())
    run.release()  # the process died: files kept, lock free
    return run.dir / "chunk-00001.parquet"


@pytest.mark.parametrize("how", CORRUPTIONS)
def test_a_bad_chunk_is_discarded_with_one_line_never_used(tmp_path, caplog, how):
    path = _interrupted(tmp_path)
    CORRUPTIONS[how](path)
    store = CheckpointStore("k", write=True, resume=True, root=tmp_path)
    with caplog.at_level("WARNING", logger="prospect.cache"):
        assert store.load(1, (10, 16)) is None  # recomputed by the caller
    (line,) = caplog.messages
    assert line.startswith(f"prospect: discarded cache entry {path}: ") and "\n" not in line
    assert not path.exists() and not path.is_symlink()
    store.finish()


def test_a_sound_chunk_is_used_as_written(tmp_path, caplog):
    _interrupted(tmp_path)
    store = CheckpointStore("k", write=False, resume=True, root=tmp_path)
    with caplog.at_level("WARNING", logger="prospect.cache"):
        pd.testing.assert_frame_equal(store.load(1, (10, 16)), _chunk())
    assert caplog.messages == []
    store.finish()


#: rank on the fixture, two-body and on the fine grid: seconds, about one target a chunk.
_RANK = dict(catalog=str(FIXTURE), start="2027-01-01", end="2028-01-01", exhaustive=True,
             refine=False, ephemeris="two-body", include_infeasible=True)  # fmt: skip


def _rank_interrupted_then_resumed(monkeypatch, tmp_path, caplog, corrupt):
    from prospect.scan.rank import rank

    monkeypatch.setenv("PROSPECT_SCAN_MEMORY_MB", "4")
    monkeypatch.setenv("PROSPECT_CACHE_DIR", str(tmp_path / "ref"))
    reference = rank("prospector-1", checkpoint=False, **_RANK)
    monkeypatch.setenv("PROSPECT_CACHE_DIR", str(tmp_path / "cache"))

    class Interrupt(Exception):
        pass

    calls = []

    def stop_after_four(done, total):
        calls.append(done)
        if len(calls) == 4:  # four chunks finished
            raise Interrupt

    with pytest.raises(Interrupt):
        rank("prospector-1", progress=stop_after_four, **_RANK)
    chunks = sorted((tmp_path / "cache").rglob("chunk-*.parquet"))
    assert len(chunks) >= 3
    for path in chunks[1:3]:
        corrupt(path)
    with caplog.at_level("WARNING", logger="prospect.cache"):
        resumed = rank("prospector-1", resume=True, **_RANK)
    return reference, resumed, chunks[1:3]


@pytest.mark.parametrize("how", ["half-written", "tampered values (seal kept)", "duplicated rows"])
def test_rank_resumed_from_bad_chunks_equals_an_uninterrupted_run(
    monkeypatch, tmp_path, caplog, how
):
    reference, resumed, bad = _rank_interrupted_then_resumed(
        monkeypatch, tmp_path, caplog, CORRUPTIONS[how]
    )
    pd.testing.assert_frame_equal(resumed, reference)
    assert len(caplog.messages) == 2
    assert all(str(p) in m for p, m in zip(bad, caplog.messages, strict=True))


def test_cli_resume_after_kill_9_and_a_damaged_chunk(tmp_path):
    """A real SIGKILL of `prospect rank` mid-scan, one of its chunks then damaged:
    --resume says so in one line, exits 0, and writes the uninterrupted run's bytes."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PROSPECT_SCAN_MEMORY_MB": "4",
           "PYTHONWARNINGS": "ignore"}  # fmt: skip
    args = [*ARGS[:8], "2028-01-01", *ARGS[9:], "--ephemeris", "two-body"]
    ref, out = tmp_path / "ref.json", tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-c", _MAIN, *args, "--no-checkpoint", "--output", str(ref)],
        env={**env, "PROSPECT_CACHE_DIR": str(tmp_path / "c0")}, capture_output=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    cache = tmp_path / "cache"
    slow = "import time; from prospect.scan.rank.checkpoint import CheckpointStore as S\n"
    slow += "_save = S.save\ndef save(self, c, p):\n    _save(self, c, p); time.sleep(0.3)\n"
    slow += "S.save = save\n" + _MAIN  # a chunk every 0.3 s at least: time to kill it
    proc = subprocess.Popen([sys.executable, "-c", slow, *args, "--output", str(out)],
                            env={**env, "PROSPECT_CACHE_DIR": str(cache)},
                            stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 300
    while len(list(cache.rglob("chunk-*.parquet"))) < 3 and time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be killed"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    bad = sorted(cache.rglob("chunk-*.parquet"))[1]
    _half(bad)
    again = subprocess.run(
        [sys.executable, "-c", _MAIN, *args, "--resume", "--output", str(out)],
        env={**env, "PROSPECT_CACHE_DIR": str(cache)}, capture_output=True, text=True,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    notes = [ln for ln in again.stderr.splitlines() if "discarded" in ln]
    assert notes == [f"prospect: discarded cache entry {bad}: not a readable Parquet file "
                     "(ArrowInvalid); it is computed again"]  # fmt: skip
    assert out.read_bytes() == ref.read_bytes()
    assert not list((cache / "rank-checkpoints").rglob("*.parquet"))
