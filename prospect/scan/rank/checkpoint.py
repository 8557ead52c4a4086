"""Checkpoints of a rank scan: finished chunks kept in the user cache, safe under concurrency.

Layout, under ``<user cache>/rank-checkpoints/<key>/`` (``key``: a hash of
everything that decides a scan's chunks -- catalog rows and elements, mission
settings, mode, window, grid, chunk size; :func:`scan_key`)::

    run-<pid>-<random>/chunk-00000.parquet ...   one directory per run
    run-<pid>-<random>.lock                      held (fcntl.flock) while the run lives

* Each run writes only into its own directory (each chunk atomically,
  :func:`prospect._io.atomic_path`), so identical runs started together never
  share a file.
* A lock that nobody holds marks an interrupted run (the operating system
  releases a dead process's locks).  ``resume=True`` takes the locks of such
  runs and reads their finished chunks; a live run's directory is never read.
* A finished run deletes its own directory and the interrupted runs it
  adopted (whose locks it holds), never another live run's files.
* Nothing read back is trusted blindly: each chunk carries a seal
  (:mod:`prospect._cache`: the scan key, the chunk's index and rows, its
  columns and dtypes, the digest of its content).  A chunk that is damaged,
  truncated, empty, edited, of another schema or of other rows (``row`` must
  be ``a, a+1, ..., b-1``, once each) is discarded with one warning line
  naming it, and computed again: the result equals an uninterrupted run's.
* Files are created exclusively (:func:`prospect._io.temp_file`); symbolic
  links are never followed; temporaries of killed runs are removed.

Failures of this machinery (an unwritable cache) raise
:class:`CheckpointError`, which says what failed and how to run without it
(``checkpoint=False``, ``--no-checkpoint``) -- never as a bad user file.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

from prospect._cache import frame_schema, read_frame, write_frame
from prospect._io import remove_orphans, temp_file
from prospect.errors import ProspectError

__all__ = ["CheckpointError", "CheckpointStore", "scan_key"]

#: Directory of rank checkpoints inside the user cache.
ROOT = "rank-checkpoints"
#: Seal kind of a checkpointed chunk (:mod:`prospect._cache`).
KIND = "rank-chunk"


class CheckpointError(ProspectError):
    """The checkpoint store of a rank scan failed (not the user's input)."""

    def __init__(self, what: str, path, exc: BaseException | None = None):
        detail = f": {exc.strerror or exc}" if isinstance(exc, OSError) else ""
        if exc is not None and not detail:
            detail = f": {exc}"
        super().__init__(
            f"rank checkpoint store {path}: {what}{detail} (run without checkpoints: "
            "checkpoint=False)"
        )


def _fingerprint(table: pd.DataFrame, el: dict) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update("\n".join(table["designation"].astype(str)).encode())
    for k in sorted(el):
        h.update(np.ascontiguousarray(el[k], dtype=float).tobytes())
    return h.hexdigest()


def scan_key(table: pd.DataFrame, el: dict, spec, round_trip: bool, grid, chunk: int) -> str:
    """Hash of everything that decides a scan's chunks (24 hex digits)."""
    key_src = json.dumps(
        {
            "v": 2,
            "catalog": _fingerprint(table, el),
            "spec": spec.as_dict(),
            "round_trip": round_trip,
            "window": grid.window_s,
            "grid": grid.desc,
            "chunk": chunk,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.blake2b(key_src.encode(), digest_size=12).hexdigest()


def _try_lock(path: Path) -> int | None:
    """An fd holding an exclusive lock on ``path``, or None if another process holds it
    (or it is not a lock file of ours: a symbolic link is never followed)."""
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _remove_run(run_dir: Path) -> None:
    """Delete a run's chunks and directory (the caller holds its lock)."""
    if run_dir.is_symlink():
        run_dir.unlink()  # never what it points to
    elif run_dir.is_dir():
        for f in run_dir.iterdir():
            f.unlink(missing_ok=True)
        run_dir.rmdir()
    run_dir.with_name(run_dir.name + ".lock").unlink(missing_ok=True)


class CheckpointStore:
    """The checkpoints of one run of a scan (see the module docstring).

    Parameters
    ----------
    key : str
        :func:`scan_key` of the scan.
    write : bool
        Keep this run's finished chunks (False: only read adopted ones).
    resume : bool
        Adopt the finished chunks of interrupted identical runs.
    root : Path, optional
        Directory of all rank checkpoints (default ``<user cache>/rank-checkpoints``).
    """

    def __init__(self, key: str, *, write: bool, resume: bool, root: Path | None = None):
        if root is None:
            from prospect._resources import user_cache_dir

            root = user_cache_dir() / ROOT
        self.key = key
        self.base = Path(root) / key
        self.dir: Path | None = None
        self._schema: list | None = None
        self._fd: int | None = None
        self._adopted: list[tuple[Path, int]] = []
        try:
            if write:
                self._start_run()
            if resume:
                self._adopt()
        except OSError as exc:
            self.release()
            raise CheckpointError("cannot set up this run's directory", self.base, exc) from exc

    def _start_run(self) -> None:
        name = f"run-{os.getpid()}-{secrets.token_hex(4)}"
        for attempt in range(3):  # a finishing run may remove an empty base meanwhile
            try:
                self.base.mkdir(mode=0o700, parents=True, exist_ok=True)
                # lock under an exclusive temporary name, then rename: no one sees it unlocked
                fd, tmp = temp_file(self.base / f"{name}.lock", mode=0o600)
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._fd = fd
                os.rename(tmp, self.base / f"{name}.lock")
                self.dir = self.base / name
                self.dir.mkdir(mode=0o700)
                return
            except FileNotFoundError:
                if self._fd is not None:
                    os.close(self._fd)
                    self._fd = None
                if attempt == 2:
                    raise

    def _adopt(self) -> None:
        if not self.base.is_dir():
            return
        for lock in sorted(self.base.glob("run-*.lock")):
            run_dir = lock.with_suffix("")
            if self.dir is not None and run_dir == self.dir:
                continue
            fd = _try_lock(lock)
            if fd is None:
                continue  # a live run (or gone): never touched
            if run_dir.is_dir() and not run_dir.is_symlink():
                remove_orphans(run_dir)  # its writer is dead: we hold its lock
                self._adopted.append((run_dir, fd))
            else:
                lock.unlink(missing_ok=True)
                os.close(fd)

    @staticmethod
    def _name(c: int) -> str:
        return f"chunk-{c:05d}.parquet"

    def _check(self, c: int, rows: tuple[int, int] | None):
        """The checks of a chunk beyond its seal's own (see the module docstring)."""

        def check(df: pd.DataFrame, seal: dict) -> str | None:
            if seal.get("chunk") != c:
                return f"it holds chunk {seal.get('chunk')!r}, not {c}"
            if "row" not in df or df["row"].dtype.kind not in "iu":
                return "no integer 'row' column"
            row = df["row"].to_numpy()
            a, b = rows if rows is not None else (seal.get("rows") or [0, 0])
            if seal.get("rows") != [a, b] or not np.array_equal(row, np.arange(a, b)):
                return f"its rows are not {a}..{b - 1} in order, once each"
            if self._schema is not None and frame_schema(df) != self._schema:
                return "columns or types differ from the other chunks of this scan"
            return None

        return check

    def load(self, c: int, rows: tuple[int, int] | None = None) -> pd.DataFrame | None:
        """Chunk ``c`` (targets ``rows = (a, b)``) from an adopted interrupted run, else None.

        Every candidate is checked (see the module docstring); a bad one is
        discarded with one logged line and the next run's copy is tried.
        """
        for run_dir, _ in self._adopted:
            df = read_frame(run_dir / self._name(c), kind=KIND, inputs=self.key,
                            check=self._check(c, rows))  # fmt: skip
            if df is not None:
                self._schema = self._schema or frame_schema(df)
                return df
        return None

    def save(self, c: int, part: pd.DataFrame) -> None:
        """Keep chunk ``c`` of this run (atomically, with its seal)."""
        self._schema = self._schema or frame_schema(part)
        if self.dir is None:
            return
        path = self.dir / self._name(c)
        row = part["row"].to_numpy() if "row" in part else np.zeros(0, dtype=int)
        rows = [int(row[0]), int(row[-1]) + 1] if row.size else [0, 0]
        try:
            write_frame(path, part, kind=KIND, inputs=self.key, extra={"chunk": c, "rows": rows})
        except (OSError, ProspectError) as exc:
            raise CheckpointError("cannot write a chunk", path, exc) from exc

    def finish(self) -> None:
        """The scan finished: delete this run and the runs it adopted, release the locks."""
        try:
            for run_dir in [self.dir] + [d for d, _ in self._adopted]:
                if run_dir is not None:
                    _remove_run(run_dir)
        except OSError as exc:
            raise CheckpointError("cannot remove finished chunks", self.base, exc) from exc
        finally:
            self.release()
        try:
            self.base.rmdir()  # only when no other run has files here
        except OSError:
            pass

    def release(self) -> None:
        """Release every lock, keeping the files (an interrupted run stays resumable)."""
        for fd in [self._fd] + [fd for _, fd in self._adopted]:
            if fd is not None:
                os.close(fd)
        self._fd = None
        self._adopted = []
