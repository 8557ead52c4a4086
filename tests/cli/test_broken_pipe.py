"""A reader that closes stdout early (``prospect consortia | head -1``): no error line."""

from __future__ import annotations

import os
import subprocess
import sys


def test_closed_stdout_exits_quietly():
    """stdout is a pipe whose read end is already closed, so the first write fails with
    EPIPE: the CLI says nothing on stderr (as `cat` or `ls` piped to `head` do)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", "from prospect.cli import main; main()", "consortia"],
            stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert proc.stderr == ""
    assert proc.returncode in (0, 1)  # never the traceback exit code


def test_open_stdout_still_gets_the_table():
    """The control: with a reader, the same command prints its table and exits 0."""
    proc = subprocess.run(
        [sys.executable, "-c", "from prospect.cli import main; main()", "consortia"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0 and proc.stderr == "" and len(proc.stdout.splitlines()) > 3
