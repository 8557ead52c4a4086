"""Atomic file output, exclusive temporaries and private cache directories.

Every file prospect writes (tables, plots, catalogs, checkpoints, cache
entries) goes to a temporary file in the target directory that then replaces
the target with :func:`os.replace` (atomic on POSIX and Windows within one
file system): a reader sees either the old file or the new one, never a
partial one.  ``os.replace`` replaces a symbolic link at the target, never
the file it points to.

Temporaries are created exclusively (:func:`tempfile.mkstemp`: ``O_CREAT |
O_EXCL | O_NOFOLLOW``, an unpredictable name, mode 0600 until the write is
done), so a name planted in advance -- a symbolic link included -- is never
followed.  Their name says who made them::

    .<target name>.prospect-<pid>-<host>-<random><suffix>

so that a run killed mid-write (``kill -9``) leaves a temporary that the next
write into the same directory, or the next read of a cache entry there, removes
(:func:`remove_orphans`, :func:`sweep_once`): one made on
this host whose process is gone, or one from another host older than
:data:`ORPHAN_AGE_S`.  A live writer's temporary is never removed.

Cache directories are private (:func:`private_dir`): created 0700, and an
existing one owned by another user, or writable by others or by a group other
than the user's own, is refused (:class:`CacheDirError`) rather than trusted.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from prospect.errors import InputError, ProspectError

__all__ = [
    "ORPHAN_AGE_S",
    "CacheDirError",
    "atomic_file",
    "atomic_path",
    "check_output",
    "private_dir",
    "remove_orphans",
    "sweep_once",
    "temp_file",
    "write_atomic",
]

#: Age after which a temporary made on another host counts as orphaned, s (design
#: choice: a day is far longer than any single write; its writer cannot be asked).
ORPHAN_AGE_S = 86_400.0

_TAG = ".prospect-"
#: This host, as written in temporary names (first 6 hex digits of a hash of its name).
HOST_TAG = hashlib.blake2b(socket.gethostname().encode(), digest_size=3).hexdigest()
_TEMP_RE = re.compile(r"\.prospect-(\d+)-([0-9a-f]{6})-[a-z0-9_]{8}(\.[A-Za-z0-9_]{1,16})?$")
_SWEPT: set[str] = set()


class CacheDirError(ProspectError, PermissionError):
    """A cache directory prospect must not trust (another user's, or writable by others)."""


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, another user's
    except (OverflowError, ValueError):
        return False
    return True


def _is_orphan(name: str, st: os.stat_result, now: float) -> bool:
    m = _TEMP_RE.search(name)
    if m is None or not name.startswith(".") or not stat.S_ISREG(st.st_mode):
        return False
    pid, host = int(m.group(1)), m.group(2)
    if host == HOST_TAG:
        return not _pid_alive(pid)
    return now - st.st_mtime > ORPHAN_AGE_S


def remove_orphans(directory) -> list[Path]:
    """Remove the temporaries that killed writers left in ``directory``; returns them.

    A temporary (see the module docstring) is removed when its writer is gone:
    made on this host by a process that no longer exists, or made on another
    host more than :data:`ORPHAN_AGE_S` ago.  Other files are never touched.
    Best effort: errors (a vanished file, a read-only directory) are ignored.
    """
    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for e in entries:
        if _TAG not in e.name:
            continue
        try:
            if _is_orphan(e.name, e.stat(follow_symlinks=False), now):
                os.unlink(e.path)
                removed.append(Path(e.path))
        except OSError:
            continue
    return removed


def sweep_once(directory) -> None:
    """:func:`remove_orphans` in ``directory``, once per process (a set of the
    directories swept): the first write into a directory sweeps it, and so does
    the first read of a cache entry there (:mod:`prospect._cache`), so a killed
    run's temporaries go on the next run that opens the cache, not only when
    the same entry is written again."""
    key = os.path.abspath(directory)
    if key not in _SWEPT:
        _SWEPT.add(key)
        remove_orphans(directory)


def temp_file(path, *, mode: int = 0o600) -> tuple[int, Path]:
    """Create a temporary file for ``path`` in its directory, exclusively.

    Returns an open descriptor and the name (see the module docstring); the
    caller closes the one and removes or renames the other.  The first call
    for a directory in a process also removes the orphans there.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    sweep_once(directory)
    prefix = f".{path.name[:96]}{_TAG}{os.getpid()}-{HOST_TAG}-"
    suffix = path.suffix if re.fullmatch(r"\.[A-Za-z0-9_]{1,16}", path.suffix) else ".tmp"
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=suffix)
    try:
        os.fchmod(fd, mode)
    except OSError:
        os.close(fd)
        os.unlink(tmp)
        raise
    return fd, Path(tmp)


def check_output(path, *, option: str | None = None, probe: bool = True) -> Path:
    """``path`` as a file prospect can write atomically, refused before any work if not.

    The writers below replace ``path`` by renaming a temporary made in its
    directory, so that directory must exist and be writable, and ``path``
    itself must not be a directory or a special file (a device, pipe or
    socket would be replaced by a regular file, not written to).  A symbolic
    link is replaced, never followed (module docstring).  With ``probe`` an
    exclusive temporary is made there and removed (the one test of "writable"
    that permissions, ACLs, read-only mounts and root all answer truthfully).

    Raises
    ------
    InputError
        One line naming ``option``: what is wrong with ``path``.

    Examples
    --------
    >>> check_output("/")
    Traceback (most recent call last):
    ...
    prospect.errors.InputError: / is a directory; give a file name
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"{path} is a directory; give a file name", option=option)
    if path.exists() and not path.is_symlink() and not path.is_file():
        raise InputError(
            f"{path} is not a regular file (a device, pipe or socket); give a file name",
            option=option,
        )
    if not directory.is_dir():
        raise InputError(f"directory {directory} does not exist", option=option)
    if probe:
        try:
            fd, tmp = temp_file(path)
            os.close(fd)
            os.unlink(tmp)
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            raise InputError(
                f"cannot write in directory {directory} ({why})", option=option
            ) from None
    return path


@contextmanager
def atomic_path(path, *, option: str | None = None, mode: int = 0o644) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it replaces ``path``.

    For writers that need a file name (``savefig``, ``to_parquet``); the name
    keeps ``path``'s suffix.  On any exception the temporary file is removed
    and ``path`` is left as it was.

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
        A destination that cannot be written (:func:`check_output`).
    """
    path = Path(path)
    check_output(path, option=option, probe=False)  # mkstemp below is the probe
    fd, tmp_path = temp_file(path, mode=mode)
    os.close(fd)
    try:
        yield tmp_path
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextmanager
def atomic_file(path, *, option: str | None = None, mode: int = 0o644) -> Iterator[BinaryIO]:
    """Yield a binary file object whose content replaces ``path`` on success.

    Like :func:`atomic_path`, but the writer gets the exclusive temporary
    already open, so no name is opened twice.
    """
    path = Path(path)
    check_output(path, option=option, probe=False)  # mkstemp below is the probe
    fd, tmp_path = temp_file(path, mode=mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_atomic(path, data: bytes | str, *, option: str | None = None) -> Path:
    """Write bytes (or UTF-8 text) to ``path`` atomically; see :func:`atomic_path`."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_file(path, option=option) as fh:
        fh.write(payload)
    return Path(path)


def _private_group(gid: int) -> bool:
    """Whether group ``gid`` is this user's own (a user private group, the default with
    umask 002 on many systems): the user's primary group, with no other member."""
    if gid != os.getegid():
        return False
    try:
        import grp
        import pwd

        members = set(grp.getgrgid(gid).gr_mem) - {pwd.getpwuid(os.geteuid()).pw_name}
    except (ImportError, KeyError):
        return False
    return not members


def private_dir(path) -> Path:
    """``path`` as a directory only this user can write: created 0700 if missing.

    An existing directory (or the one a symbolic link points to) is used when
    it belongs to this user and no one else may write to it: not others, and
    not its group unless that is the user's own private group (umask 002).

    Raises
    ------
    CacheDirError
        Not a directory, another user's, or writable by others or by a shared
        group (one line: what is wrong and how to fix it).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     oct(private_dir(pathlib.Path(d) / "cache").stat().st_mode & 0o777)
    '0o700'
    """
    path = Path(path)
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            pass
    st = os.stat(path)
    fix = "use a directory of your own (PROSPECT_CACHE_DIR) or fix its permissions (chmod 700)"
    if not stat.S_ISDIR(st.st_mode):
        raise CacheDirError(f"cache directory {path} is not a directory")
    if st.st_uid != os.geteuid():
        raise CacheDirError(
            f"cache directory {path} belongs to another user (uid {st.st_uid}); "
            f"prospect does not trust it: {fix}"
        )
    if st.st_mode & 0o002 or (st.st_mode & 0o020 and not _private_group(st.st_gid)):
        raise CacheDirError(
            f"cache directory {path} is writable by other users (mode "
            f"{stat.S_IMODE(st.st_mode):04o}); prospect does not trust it: {fix}"
        )
    return path
