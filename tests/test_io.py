"""Atomic output: a failed write never replaces (or truncates) the previous file."""

import pytest

from prospect._io import atomic_path, write_atomic
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
