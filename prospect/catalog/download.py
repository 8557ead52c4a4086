"""Fetching a catalog file: bounded in time and size, and leaving nothing behind.

:func:`fetch` streams a URL (http, https or file) into an open file with

* a per-read timeout (``timeout``: connecting and each receive) and a
  whole-download deadline (``deadline``): the download runs in a worker thread
  and the caller stops waiting at the deadline, whatever the server does (a
  body trickled at 10 B/s, headers that never end, a stalled TLS handshake);
  the worker's sockets are shut at that moment so it stops too;
* a size cap (``max_bytes``), checked against the declared length before any
  byte is read and against the bytes received while they arrive;
* the declared length (``Content-Length``) checked against what arrived.

:func:`part_file` gives the download its temporary ``.part`` file, named with
the process id and locked (``flock``) while it is written; it first removes the
``.part`` files of earlier runs that were killed (their process is gone and
nobody holds their lock), never one a live concurrent run is writing.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from prospect._version import __version__

try:
    import fcntl
except ImportError:  # Windows: no flock; the process id alone decides
    fcntl = None

__all__ = [
    "DEFAULT_DEADLINE_S",
    "DEFAULT_TIMEOUT_S",
    "MAX_DOWNLOAD_BYTES",
    "FetchError",
    "fetch",
    "part_file",
    "remove_stale_parts",
]

#: Network timeout for connecting and for each read, s.
DEFAULT_TIMEOUT_S = 60.0
#: Whole-download deadline, s: the MPC's NEA file (4.8 MB gzipped, Nov 2025) must
#: arrive at >= 8 kB/s on average; a trickling server cannot hold a run longer.
DEFAULT_DEADLINE_S = 600.0
#: Largest download accepted, bytes (the NEA file is 4.8 MB gzipped; MPCORB.DAT.gz
#: ~ 70 MB).
MAX_DOWNLOAD_BYTES = 512 * 1024**2

PART_PREFIX = ".download-"
PART_SUFFIX = ".part"
#: A ``.part`` file without a process id in its name (written by prospect before
#: 2026-12) is removed once it has not been written to for this long, s.
LEGACY_PART_AGE_S = 24 * 3600.0
_CHUNK = 1 << 16
#: How long the caller waits for the worker to drop its connection after the deadline, s.
_GRACE_S = 1.0


class FetchError(Exception):
    """A download that failed; the message is one line naming the check."""


class _Watch:
    """The sockets of one download, shut all at once when its deadline passes.

    ``lock`` also guards writes to the output file: after :meth:`expire`
    returns, the worker writes nothing more (the caller may remove the file).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.expired = False
        self._socks: list[socket.socket] = []

    def add(self, sock: socket.socket) -> None:
        with self.lock:
            if self.expired:
                _shut(sock)
            else:
                self._socks.append(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self._socks:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    """Wake a thread blocked on ``sock`` (TCP level, under TLS too)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


def _watched(base: type, watch: _Watch) -> type:
    """``base`` (an HTTP(S)Connection class) that hands its socket to ``watch``."""

    class Watched(base):
        def connect(self):
            super().connect()
            watch.add(self.sock)

    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self._conn = _watched(http.client.HTTPConnection, watch)

    def http_open(self, req):
        return self.do_open(self._conn, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self._conn = _watched(http.client.HTTPSConnection, watch)

    def https_open(self, req):
        return self.do_open(self._conn, req, context=self._context)


def fetch(
    url: str,
    out: BinaryIO,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    deadline: float = DEFAULT_DEADLINE_S,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> int:
    """Stream ``url`` into the open binary file ``out`` within ``deadline`` seconds.

    Parameters
    ----------
    url : str
        http, https or file URL (redirects followed as urllib does: at most 10,
        loops refused; proxies from the environment).
    out : binary file
        Receives the body; nothing is written to it after this returns or raises.
    timeout : float
        Seconds to wait for the connection and for each read.
    deadline : float
        Seconds the whole download may take, headers included.
    max_bytes : int
        Largest body accepted (declared or received).

    Returns
    -------
    int
        Bytes written, equal to the declared length when one was given.

    Raises
    ------
    FetchError
        One line naming what failed: HTTP status, timeout, deadline, size cap,
        declared length, connection.

    Examples
    --------
    >>> import io, pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.json"
    >>> _ = p.write_bytes(b"[]")
    >>> fetch(p.as_uri(), io.BytesIO())
    2
    """
    watch = _Watch()
    box: dict = {"n": 0}
    worker = threading.Thread(
        target=_run,
        args=(watch, box, url, out, timeout, max_bytes),
        name="prospect-download",
        daemon=True,  # a worker stuck in DNS must not keep the program alive
    )
    worker.start()
    try:
        worker.join(deadline)
    except BaseException:  # Ctrl-C while waiting: the worker stops writing too
        watch.expire()
        raise
    if worker.is_alive():
        watch.expire()
        worker.join(_GRACE_S)
        raise FetchError(
            f"not complete within the {deadline:g} s deadline ({box['n']:,} bytes received)"
        )
    if "error" in box:
        raise box["error"]
    return box["n"]


def _run(watch: _Watch, box: dict, url: str, out: BinaryIO, timeout: float, max_bytes: int):
    """Worker: :func:`_stream`, its failure worded into ``box['error']``."""
    try:
        _stream(watch, box, url, out, timeout, max_bytes)
    except FetchError as exc:
        box["error"] = exc
    except urllib.error.HTTPError as exc:
        exc.close()  # the error is also the open response
        box["error"] = FetchError(f"HTTP {exc.code} {_one_line(exc.reason)}")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            reason = f"no answer within {timeout:g} s"
        box["error"] = FetchError(_one_line(reason))
    except TimeoutError:
        box["error"] = FetchError(f"no answer within {timeout:g} s (timeout)")
    except http.client.IncompleteRead as exc:
        box["error"] = FetchError(f"connection closed early ({len(exc.partial):,} bytes)")
    except (http.client.HTTPException, OSError, ValueError) as exc:
        box["error"] = FetchError(_one_line(exc) or type(exc).__name__)
    except BaseException as exc:  # a bug: handed to the caller as it is
        box["error"] = exc


def _one_line(reason) -> str:
    """``reason`` as text on one line (urllib's redirect-loop message has three)."""
    return "; ".join(part.strip() for part in str(reason).splitlines() if part.strip())


def _stream(watch: _Watch, box: dict, url: str, out: BinaryIO, timeout: float, max_bytes: int):
    opener = urllib.request.build_opener(_HTTPHandler(watch), _HTTPSHandler(watch))
    req = urllib.request.Request(url, headers={"User-Agent": f"prospect/{__version__}"})
    with opener.open(req, timeout=timeout) as resp:
        declared = _declared_length(resp)
        if declared is not None and declared > max_bytes:
            raise FetchError(f"larger than {max_bytes:,} bytes (Content-Length {declared:,})")
        read = getattr(resp, "read1", resp.read)  # read1: one receive, not 64 KiB of them
        while chunk := read(_CHUNK):
            if box["n"] + len(chunk) > max_bytes:
                raise FetchError(f"larger than {max_bytes:,} bytes")
            with watch.lock:
                if watch.expired:
                    return
                out.write(chunk)
                box["n"] += len(chunk)
    if not watch.expired and declared is not None and box["n"] != declared:
        raise FetchError(f"received {box['n']:,} of {declared:,} bytes (Content-Length)")


def _declared_length(resp) -> int | None:
    """The body length the server declared, or None (none given, or chunked)."""
    if getattr(resp, "chunked", False):
        return None  # RFC 9112 6.3: Transfer-Encoding overrides Content-Length
    values = resp.headers.get_all("Content-Length") if resp.headers else None
    if not values:
        return None
    parts = {v.strip() for value in values for v in value.split(",")}
    if len(parts) != 1 or not all(p.isascii() and p.isdigit() for p in parts):
        raise FetchError(f"invalid Content-Length header {', '.join(values)!r}")
    return int(parts.pop())


@contextmanager
def part_file(directory: Path) -> Iterator[tuple[Path, BinaryIO]]:
    """A new ``.part`` file in ``directory``, locked while open, removed on exit.

    Stale ``.part`` files of killed runs are removed first
    (:func:`remove_stale_parts`).  The caller may move the file elsewhere
    (``os.replace``) before leaving the block; it is then left alone.

    Yields
    ------
    (pathlib.Path, binary file)
        Its path (``.download-<pid>-<random>.part``) and the file, open for writing.
    """
    remove_stale_parts(directory)
    path = directory / f"{PART_PREFIX}{os.getpid()}-{secrets.token_hex(6)}{PART_SUFFIX}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0), 0o600)
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # new file: nobody else holds it
    out = os.fdopen(fd, "wb")
    try:
        yield path, out
    finally:
        out.close()  # also releases the lock
        path.unlink(missing_ok=True)


def remove_stale_parts(directory: Path) -> list[Path]:
    """Remove the ``.part`` files of runs that are gone; return them.

    A file is stale when the process named in it is not running and nobody
    holds its lock (a live run, even in another PID namespace sharing the
    cache, holds it); one without a process id (older prospect) when it has
    not changed for :data:`LEGACY_PART_AGE_S`.  Errors are ignored: cleaning
    up never stops an update.
    """
    removed = []
    try:
        candidates = list(directory.glob(f"{PART_PREFIX}*{PART_SUFFIX}"))
    except OSError:
        return removed
    for path in candidates:
        pid = _pid_of(path.name)
        try:
            if pid is None:
                if time.time() - path.lstat().st_mtime < LEGACY_PART_AGE_S:
                    continue
            elif _alive(pid):
                continue
            if _unlink_unlocked(path):
                removed.append(path)
        except OSError:
            continue
    return removed


def _pid_of(name: str) -> int | None:
    head = name[len(PART_PREFIX) :].split("-", 1)
    return int(head[0]) if len(head) == 2 and head[0].isdigit() else None


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (on Windows assume it does: no safe probe here)."""
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _unlink_unlocked(path: Path) -> bool:
    """Unlink ``path`` if nobody holds its lock (never following a symlink)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
        path.unlink()
        return True
    finally:
        os.close(fd)
