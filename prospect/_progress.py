"""One progress reporter for every long-running command.

:func:`progress` yields a callback ``update(done, total)``.  On a terminal it
drives a rich progress bar (done / total, elapsed, time left); otherwise
(a pipe, a file, a CI log) it writes a plain line on stderr at most every
``interval_s`` seconds, the first after ``delay_s``::

    prospect: scanning targets: 4,000/23,349 (17%), 1,210/s, 16 s left

Commands that finish within ``delay_s`` print nothing.  The library never
prints: analyses take an optional ``progress`` callback and the CLI passes
this one (``PROSPECT_PROGRESS=0`` silences it; ``PROSPECT_PROGRESS_DELAY_S`` and
``PROSPECT_PROGRESS_INTERVAL_S`` change the two times of the plain lines, e.g.
to 0 in tests).  A callback called with a new ``total`` starts a new stage
(``plan``: each candidate mission's search): the rate and the time left start
again from it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["progress", "with_progress"]

#: Plain lines: the first after this many seconds, then at most one per interval.
DELAY_S = 2.0
INTERVAL_S = 5.0


def _fmt_left(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class _Plain:
    """Rate-limited plain lines on a stream."""

    def __init__(self, description: str, stream, delay_s: float, interval_s: float):
        self.description = description
        self.stream = stream
        self.t0 = time.monotonic()
        self.next_t = self.t0 + delay_s
        self.interval_s = interval_s
        self.last = None
        self.last_t = self.t0
        self.printed = False

    def line(self, done: int, total: int | None) -> str:
        elapsed = time.monotonic() - self.t0
        rate = done / elapsed if elapsed > 0 else 0.0
        text = f"prospect: {self.description}: {done:,}"
        if total:
            text += f"/{total:,} ({100.0 * done / total:.0f}%)"
        text += f", {rate:,.0f}/s" if rate >= 10 else f", {rate:.2g}/s"
        if total and rate > 0 and done < total:
            text += f", {_fmt_left((total - done) / rate)} left"
        return text

    def __call__(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if self.last is not None and total != self.last[1]:
            # a new stage: its own rate, timed from the previous update (where the last
            # stage ended), not from now: its first report comes after its first chunk
            self.t0 = self.last_t
        self.last, self.last_t = (done, total), now
        if now < self.next_t:
            return
        self.next_t = now + self.interval_s
        print(self.line(done, total), file=self.stream, flush=True)
        self.printed = True

    def close(self) -> None:
        # a final line only for runs that already printed (i.e. were slow)
        if self.last is not None and self.printed:
            done, total = self.last
            print(self.line(done, total) + " - done", file=self.stream, flush=True)


def _seconds(name: str, default: float) -> float:
    """A non-negative number of seconds from the environment (else ``default``)."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value >= 0.0 else default


#: Called once, before the first report of the first progress in a process: work has
#: begun (the CLI then shows the warnings it held while inputs were being checked).
ON_START: list[Callable[[], None]] = []


def _started(update: Callable) -> Callable[[int, int | None], None]:
    """``update`` that first runs (and clears) the :data:`ON_START` hooks."""

    def call(done: int, total: int | None = None) -> None:
        while ON_START:
            ON_START.pop(0)()
        update(done, total)

    return call


@contextmanager
def progress(
    description: str,
    *,
    stream=None,
    interval_s: float | None = None,
    delay_s: float | None = None,
    tty: bool | None = None,
) -> Iterator[Callable[[int, int | None], None]]:
    """Report ``update(done, total)`` calls as a bar (terminal) or plain lines.

    Parameters
    ----------
    description : str
        What is counted ("scanning targets").
    stream : file, optional
        Where to write (default ``sys.stderr``).
    interval_s, delay_s : float, optional
        Plain lines: at most one per ``interval_s``, the first after ``delay_s``
        (default ``$PROSPECT_PROGRESS_INTERVAL_S`` / ``$PROSPECT_PROGRESS_DELAY_S``,
        else :data:`INTERVAL_S` / :data:`DELAY_S`).
    tty : bool, optional
        Force the bar (True) or plain lines (False); default: whether
        ``stream`` is a terminal.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> with progress("counting", stream=out, delay_s=0.0, tty=False) as update:
    ...     update(5, 10)
    >>> out.getvalue().startswith("prospect: counting: 5/10 (50%)")
    True
    """
    stream = sys.stderr if stream is None else stream
    if os.environ.get("PROSPECT_PROGRESS", "1") == "0":
        yield _started(lambda done, total=None: None)
        return
    if tty is None:
        tty = bool(getattr(stream, "isatty", lambda: False)())
    if not tty:
        delay_s = _seconds("PROSPECT_PROGRESS_DELAY_S", DELAY_S) if delay_s is None else delay_s
        if interval_s is None:
            interval_s = _seconds("PROSPECT_PROGRESS_INTERVAL_S", INTERVAL_S)
        plain = _Plain(description, stream, delay_s, interval_s)
        try:
            yield _started(plain)
        finally:
            plain.close()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(file=stream),
        transient=True,
    )
    task = bar.add_task(description, total=None)

    last_total = [None]

    def update(done: int, total: int | None = None) -> None:
        if last_total[0] is not None and total != last_total[0]:
            bar.reset(task, total=total, completed=done)  # a new stage: its own rate
        else:
            bar.update(task, completed=done, total=total)
        last_total[0] = total

    with bar:
        yield _started(update)


def with_progress(description: str, fn: Callable) -> Callable:
    """``fn`` called with ``progress=`` this reporter, open for the call's duration
    (the CLI's one-line form: ``with_progress("computing grid", porkchop)(...)``).

    Examples
    --------
    >>> def work(n, *, progress):
    ...     for k in range(n + 1):
    ...         progress(k, n)
    ...     return n
    >>> with_progress("working", work)(3)
    3
    """

    def call(*args, **kwargs):
        with progress(description) as update:
            return fn(*args, progress=update, **kwargs)

    return call
