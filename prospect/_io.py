"""Atomic file output: nothing is lost if a write fails half-way.

Every file prospect writes (tables, plots, catalogs, checkpoints) goes to a
temporary file in the target directory that then replaces the target with
:func:`os.replace` (atomic on POSIX and Windows within one file system): a
reader sees either the old file or the new one, never a partial one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prospect.errors import InputError

__all__ = ["atomic_path", "write_atomic"]


@contextmanager
def atomic_path(path, *, option: str | None = None, mode: int = 0o644) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it replaces ``path``.

    For writers that need a file name (``savefig``, ``to_parquet``).  On any
    exception the temporary file is removed and ``path`` is left as it was.

    Parameters
    ----------
    path : str or PathLike
        Final destination.  Its directory must exist.
    option : str, optional
        CLI option that named the path, for the error message.
    mode : int
        Permissions of the new file (``mkstemp`` would leave 0600).

    Raises
    ------
    InputError
        When the destination directory does not exist.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"directory {directory} does not exist", option=option)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=path.suffix or ".tmp")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_atomic(path, data: bytes | str, *, option: str | None = None) -> Path:
    """Write bytes (or UTF-8 text) to ``path`` atomically; see :func:`atomic_path`."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path, option=option) as tmp:
        tmp.write_bytes(payload)
    return Path(path)
