"""Atomic output: a failed write never replaces (or truncates) the previous file; temporaries
are exclusive, a killed writer's are removed by the next run; cache directories are private."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prospect import _io
from prospect._io import (
    CacheDirError,
    atomic_path,
    private_dir,
    remove_orphans,
    temp_file,
    write_atomic,
)
from prospect.errors import InputError


def test_write_atomic_replaces_and_leaves_no_temp(tmp_path):
    p = tmp_path / "out.csv"
    p.write_text("old")
    write_atomic(p, "new,text\n")
    assert p.read_text() == "new,text\n"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["out.csv"]
    assert (p.stat().st_mode & 0o777) == 0o644


def test_failure_keeps_the_old_file(tmp_path):
    p = tmp_path / "plot.png"
    p.write_bytes(b"good")
    with pytest.raises(RuntimeError), atomic_path(p) as tmp:
        tmp.write_bytes(b"partial")
        raise RuntimeError("writer crashed")
    assert p.read_bytes() == b"good"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["plot.png"]


def test_missing_directory_names_the_option(tmp_path):
    with pytest.raises(InputError, match="--output"):
        write_atomic(tmp_path / "nope" / "x.csv", b"", option="--output")


# --- issue 13: exclusive temporaries, orphans of killed writers, private cache dirs ---

REPO = Path(__file__).resolve().parent.parent
#: A writer that stops half-way through an atomic write and waits to be killed.
_SLOW_WRITER = """
import sys, time
from prospect._io import atomic_file
with atomic_file(sys.argv[1]) as fh:
    fh.write(b"partial " * 100_000)
    fh.flush()
    print("writing", flush=True)
    time.sleep(120)
"""


def _temps(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if ".prospect-" in p.name)


def test_temp_names_say_who_wrote_them_and_are_created_exclusively(tmp_path):
    fd, tmp = temp_file(tmp_path / "table.csv")
    os.close(fd)
    assert tmp.name.startswith(f".table.csv.prospect-{os.getpid()}-{_io.HOST_TAG}-")
    assert tmp.suffix == ".csv" and (tmp.stat().st_mode & 0o777) == 0o600
    fd2, tmp2 = temp_file(tmp_path / "table.csv")
    os.close(fd2)
    assert tmp2 != tmp  # unpredictable: two writers never share a name


def test_a_symlink_planted_at_the_target_is_replaced_not_followed(tmp_path):
    """The security case of issue 13 (f8663cc wrote through `<chunk>.tmp<pid>` links):
    no write goes through a link, whether at the target or at a guessed name."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "out.csv"
    target.symlink_to(victim)
    for pid in range(os.getpid() - 3, os.getpid() + 4):  # the old predictable names
        (tmp_path / f"out.csv.tmp{pid}").symlink_to(victim)
    write_atomic(target, "a,b\n")
    assert victim.read_text() == "precious"
    assert not target.is_symlink() and target.read_text() == "a,b\n"


def test_kill_9_mid_write_leaves_the_old_file_and_the_next_run_removes_the_orphan(tmp_path):
    """A real SIGKILL of a writer mid-write; a second, live writer's temporary is kept."""
    out = tmp_path / "result.csv"
    out.write_text("old result\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _SLOW_WRITER, str(tmp_path / name)],
            env=env,
            stdout=subprocess.PIPE,
        )
        for name in ("result.csv", "other.csv")
    ]
    try:
        for p in procs:
            assert p.stdout.readline() == b"writing\n"
        killed, live = procs
        killed.send_signal(signal.SIGKILL)
        assert killed.wait(timeout=30) == -signal.SIGKILL
        assert out.read_text() == "old result\n"  # atomic: the old file is intact
        assert len(_temps(tmp_path)) == 2  # the killed writer's orphan and the live one's
        removed = remove_orphans(tmp_path)
        assert len(removed) == 1 and f"-{killed.pid}-" in removed[0].name
        (left,) = _temps(tmp_path)
        assert f"-{live.pid}-" in left  # a live writer's file is never removed
    finally:
        for p in procs:
            p.kill()
            p.wait()
            p.stdout.close()
    assert len(remove_orphans(tmp_path)) == 1
    assert _temps(tmp_path) == []


def test_the_next_write_into_a_directory_sweeps_it(tmp_path, monkeypatch):
    monkeypatch.setattr(_io, "_SWEPT", set())
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    orphan = tmp_path / f".x.csv.prospect-{int(dead.stdout)}-{_io.HOST_TAG}-abcd1234.csv"
    orphan.write_bytes(b"left by a killed run")
    unrelated = tmp_path / ".x.csv.tmp123"  # not ours: never touched
    unrelated.write_bytes(b"")
    write_atomic(tmp_path / "y.csv", "1\n")
    assert not orphan.exists() and unrelated.exists()


def test_another_hosts_temporaries_are_removed_only_when_old(tmp_path):
    other = "000000" if _io.HOST_TAG != "000000" else "000001"
    young = tmp_path / f".a.prospect-1-{other}-abcd1234.tmp"
    old = tmp_path / f".b.prospect-1-{other}-abcd1234.tmp"
    young.write_bytes(b"")
    old.write_bytes(b"")
    t = time.time() - _io.ORPHAN_AGE_S - 60
    os.utime(old, (t, t))
    assert remove_orphans(tmp_path) == [old]
    assert young.exists()


def test_cache_directories_are_private_and_others_are_refused(tmp_path, monkeypatch):
    made = private_dir(tmp_path / "new" / "cache")
    assert (made.stat().st_mode & 0o777) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(CacheDirError, match=r"writable by other users \(mode 0777\)"):
        private_dir(shared)
    monkeypatch.setenv("PROSPECT_CACHE_DIR", str(shared))
    from prospect._resources import user_cache_dir

    with pytest.raises(CacheDirError, match="PROSPECT_CACHE_DIR"):
        user_cache_dir()
    own_group = tmp_path / "umask-002"  # group-writable, but the group is the user's own
    own_group.mkdir()
    own_group.chmod(0o770)
    if _io._private_group(own_group.stat().st_gid):
        assert private_dir(own_group) == own_group
    if os.geteuid() == 0:  # only root can give a directory away
        theirs = tmp_path / "theirs"
        theirs.mkdir(mode=0o700)
        os.chown(theirs, 4242, 4242)
        with pytest.raises(CacheDirError, match=r"another user \(uid 4242\)"):
            private_dir(theirs)
        team = tmp_path / "team"
        team.mkdir()
        team.chmod(0o770)
        os.chown(team, os.geteuid(), 4242)  # a shared group's members could write
        with pytest.raises(CacheDirError, match=r"writable by other users \(mode 0770\)"):
            private_dir(team)


def test_the_first_cache_read_in_a_directory_sweeps_it(tmp_path, monkeypatch):
    """A cache entry's directory is swept on the first read there (found or not), not
    only on the next write into it; a read-only reader (remove=False) touches nothing."""
    import numpy as np

    from prospect._cache import read_arrays, write_arrays

    entry = tmp_path / "y1.npz"
    write_arrays(entry, {"t": np.arange(3.0)}, kind="demo", inputs="k")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    orphan = tmp_path / f".y2.npz.prospect-{int(dead.stdout)}-{_io.HOST_TAG}-abcd1234.npz"
    for path, remove in ((entry, False), (entry, True), (tmp_path / "y2.npz", True)):
        monkeypatch.setattr(_io, "_SWEPT", set())  # a new process
        orphan.write_bytes(b"half an entry")
        read_arrays(path, kind="demo", inputs="k", remove=remove)
        assert orphan.exists() == (not remove), (path.name, remove)
    assert read_arrays(entry, kind="demo", inputs="k")["t"].tolist() == [0.0, 1.0, 2.0]
