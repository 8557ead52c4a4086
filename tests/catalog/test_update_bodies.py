"""`update_catalog` against bodies a server should not send (issue 13): cut with
and without a declared length, trickled, oversized, gzip bombs, corrupt, wrong
format, HTTP errors and redirect loops, from a local server on 127.0.0.1.

After each refusal the good catalog is byte-identical, no ``.part`` file is
left, and the error is one line naming the URL and the check.
"""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from shared_data import REPO
from update_server import LocalServer, Route

from prospect.catalog._io import MAX_UNPACKED_DEFAULT, UNPACKED_ENV
from prospect.catalog.download import LEGACY_PART_AGE_S, PART_PREFIX, PART_SUFFIX, part_file
from prospect.catalog.update import (
    DEFAULT_DEADLINE_S,
    MIN_FRACTION,
    _inflate,
    default_min_records,
    reset_catalog,
    update_catalog,
    user_catalog_path,
)
from prospect.errors import CatalogFormatError, DownloadError, InputError

DATA = Path(__file__).resolve().parent / "data"
JSON = (DATA / "nea_small.json").read_bytes()  # 16 objects
GZ = gzip.compress(JSON, mtime=0)
TXT = (DATA / "nea_small.txt").read_bytes()  # 16 objects, MPCORB layout
CSV = (DATA / "sbdb_small.csv").read_bytes()  # 8 objects, SBDB CSV
#: 64 MiB of zeros in one gzip member (65 kB): a small bomb for a small cap.
BOMB = gzip.compress(bytes(64 << 20), compresslevel=9, mtime=0)


def _mid_line(body: bytes, fraction: float) -> bytes:
    """``body`` cut near ``fraction`` of its length, inside a line."""
    k = int(len(body) * fraction)
    while body[k - 1 : k] in (b"\n", b"\r") or body[k : k + 1] in (b"\n", b"\r"):
        k -= 1
    return body[:k]


def _line_end(body: bytes, fraction: float) -> bytes:
    """``body`` cut after the last whole line before ``fraction`` of its length."""
    return body[: body.rindex(b"\n", 0, int(len(body) * fraction)) + 1]


def _flip(body: bytes, at: int) -> bytes:
    return body[:at] + bytes([body[at] ^ 0x55]) + body[at + 1 :]


@pytest.fixture(scope="module")
def srv():
    server = LocalServer({"/good.json.gz": Route(GZ)})
    yield server
    server.close()


def _catalog_files() -> dict[str, bytes]:
    """Every file of the user's catalog directory (hidden ``.part`` files too)."""
    d = user_catalog_path().parent
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())} if d.is_dir() else {}


@pytest.fixture
def good(srv, own_cache):
    """The 16-object good catalog installed from the server; its files, byte for byte."""
    update_catalog(srv.url("/good.json.gz"), timeout=5, min_records=16)
    files = _catalog_files()
    assert set(files) == {"mpc_nea.parquet", "downloaded.json.gz"}
    return files


def _refused(url: str, **kw) -> str:
    """The one-line error of a refused update (which must name the URL)."""
    kw.setdefault("timeout", 5)
    with pytest.raises(DownloadError) as info:
        update_catalog(url, **kw)
    msg = str(info.value)
    assert "\n" not in msg and "\r" not in msg, msg
    assert msg.startswith((f"could not download {url}: ", f"could not use {url}: ")), msg
    assert msg.endswith("the current catalog (updated MPC extended JSON, 16 objects) stays active")
    return msg


CASES = {
    # name: (path, route, update_catalog keywords, the check named in the error)
    "cut-declared": (
        "nea.json",
        Route(JSON[: len(JSON) // 2], length=len(JSON)),
        {},
        f"received {len(JSON) // 2:,} of {len(JSON):,} bytes (Content-Length)",
    ),
    "cut-json": ("nea.json", Route(JSON[:-12], length=None), {}, "invalid JSON"),
    "cut-json-at-record": (
        "nea.json",
        Route(JSON[: JSON.rindex(b"},") + 1], length=None),
        {},
        "invalid JSON",
    ),
    "cut-gzip-trailer": ("nea.json.gz", Route(GZ[:-4], length=None), {}, "gzip data is truncated"),
    "cut-gzip-half": (
        "nea.json.gz",
        Route(GZ[: len(GZ) // 2], length=None),
        {},
        "gzip data is truncated",
    ),
    "cut-mpcorb-mid-line": (
        "NEA.txt",
        Route(_mid_line(TXT, 0.95), length=None),
        {},
        "the last line is incomplete",
    ),
    "cut-mpcorb-line-end": (
        "NEA.txt",
        Route(_line_end(TXT, 0.95), length=None),
        {},
        "it holds 15 objects, fewer than the 16 required (99% of the active catalog's 16)",
    ),
    "cut-sbdb-mid-line": (
        "sbdb.csv",
        Route(_mid_line(CSV, 0.95), length=None),
        {},
        "the last line is incomplete (every line of the JPL SBDB CSV export format",
    ),
    "sbdb-cut-gzipped-whole": (
        "sbdb.csv.gz",
        Route(gzip.compress(_mid_line(CSV, 0.95)), length=None),
        {},
        "the last line is incomplete",
    ),
    "oversized-declared": (
        "nea.json.gz",
        Route(GZ),
        {"max_bytes": 1000},
        f"larger than 1,000 bytes (Content-Length {len(GZ):,})",
    ),
    "oversized-undeclared": (
        "nea.json.gz",
        Route(GZ, length=None),
        {"max_bytes": 1000},
        "larger than 1,000 bytes",
    ),
    "gzip-bomb": (
        "nea.json.gz",
        Route(BOMB),
        {"max_unpacked": 1 << 20},
        "unpacks to more than 1,048,576 bytes",
    ),
    "gzip-bomb-members": (
        "nea.json.gz",
        Route(gzip.compress(bytes(1 << 19), mtime=0) * 3, length=None),
        {"max_unpacked": 1 << 20},
        "unpacks to more than 1,048,576 bytes",
    ),
    "corrupt-gzip-crc": ("nea.json.gz", Route(_flip(GZ, len(GZ) - 6)), {}, "corrupt gzip data"),
    "corrupt-gzip-length": ("nea.json.gz", Route(_flip(GZ, len(GZ) - 2)), {}, "corrupt gzip"),
    "corrupt-gzip-stream": ("nea.json.gz", Route(_flip(GZ, len(GZ) // 2)), {}, "corrupt gzip"),
    "html": ("nea", Route(b"<html><body>Busy</body></html>"), {}, "not a recognized NEA catalog"),
    "png": ("nea", Route(b"\x89PNG\r\n\x1a\n" + bytes(300)), {}, "not a recognized NEA catalog"),
    "json-object": ("nea.json", Route(b'{"error": "rate limited"}'), {}, "nea.json"),
    "empty": ("nea.json.gz", Route(b""), {}, "invalid JSON"),
    "http-403": ("nea.json.gz", Route(b"no", status=403), {}, "HTTP 403 Forbidden"),
    "http-500": ("nea.json.gz", Route(b"oops", status=500), {}, "HTTP 500 Internal Server Error"),
    "http-503": ("nea.json.gz", Route(b"", status=503), {}, "HTTP 503 Service Unavailable"),
    "redirect-loop": (
        "loop",
        Route(status=302, headers={"Location": "/redirect-loop/loop"}),
        {},
        "HTTP 302 The HTTP server returned a redirect error that would lead to an infinite loop",
    ),
    "bad-content-length": (
        "nea.json.gz",
        Route(GZ, length=None, headers={"Content-Length": "12x"}),
        {},
        "invalid Content-Length header '12x'",
    ),
    "conflicting-content-length": (
        "nea.json.gz",
        Route(GZ, length=None, headers={"Content-Length": f"{len(GZ)}, 7"}),
        {},
        "invalid Content-Length header",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_body_never_replaces_the_good_catalog(srv, good, name):
    path, route, kw, check = CASES[name]
    srv.routes[f"/{name}/{path}"] = route
    msg = _refused(srv.url(f"/{name}/{path}"), **kw)
    assert check in msg, msg
    assert _catalog_files() == good  # byte-identical, and no .part left


def test_the_good_bodies_of_every_format_are_installed(srv, good):
    """The checks refuse no whole file: JSON, gzip, MPCORB, with and without a length."""
    for i, (path, body) in enumerate([("a.json", JSON), ("b.json.gz", GZ), ("NEA.txt", TXT)]):
        for length in ("auto", None):
            url_path = f"/whole{i}{length}/{path}"
            srv.routes[url_path] = Route(body, length=length)
            assert len(update_catalog(srv.url(url_path), timeout=5)) == 16
            assert not [p for p in user_catalog_path().parent.iterdir() if p.suffix == ".part"]


def test_a_trickled_body_stops_at_the_deadline(srv, good):
    """10 B/s (the issue's trickle: a byte every 0.1 s never trips a 5 s per-read timeout)."""
    srv.routes["/trickle/nea.json.gz"] = Route(trickle_s=0.1, length=None)
    msg = _refused(srv.url("/trickle/nea.json.gz"), timeout=5, deadline=0.8)
    assert "not complete within the 0.8 s deadline" in msg
    assert _catalog_files() == good
    assert not [t for t in threading.enumerate() if t.name == "prospect-download"]


def test_headers_that_never_end_stop_at_the_deadline(srv, good):
    srv.routes["/slow-headers"] = Route(header_trickle_s=0.05)
    msg = _refused(srv.url("/slow-headers"), timeout=5, deadline=0.6)
    assert "not complete within the 0.6 s deadline (0 bytes received)" in msg
    assert _catalog_files() == good


def test_the_per_read_timeout_still_applies(srv, good):
    srv.routes["/stall"] = Route(GZ, stall_s=2.0)
    msg = _refused(srv.url("/stall"), timeout=0.3, deadline=30)
    assert "no answer within 0.3 s" in msg
    assert _catalog_files() == good


def test_95_percent_sbdb_body_without_length_against_the_shipped_catalog(srv, own_cache):
    """The issue's case: 95 % of a 40,874-row SBDB CSV, no Content-Length, shipped catalog
    active.  (Rows are the fixture's repeated: the body is cut before any parse.)"""
    head, rows = CSV.split(b"\n", 1)
    body = head + b"\n" + rows * (40_874 // 8 + 1)
    srv.routes["/sbdb95.csv"] = Route(_mid_line(body, 0.95), length=None)
    with pytest.raises(DownloadError) as info:
        update_catalog(srv.url("/sbdb95.csv"), timeout=5)
    assert "the last line is incomplete" in str(info.value)
    assert "(shipped MPC extended JSON, 40,874 objects) stays active" in str(info.value)
    assert not user_catalog_path().parent.exists() or not list(user_catalog_path().parent.iterdir())


def test_the_floor_is_99_percent_of_the_active_catalog(srv, good, own_cache):
    assert MIN_FRACTION == 0.99
    assert default_min_records() == 16  # ceil(0.99 * 16), the installed good catalog
    (own_cache / "catalog" / "mpc_nea.parquet").unlink()
    (own_cache / "catalog" / "downloaded.json.gz").unlink()
    assert default_min_records() == 40_466  # ceil(0.99 * 40,874), the shipped one


def test_gzip_inflation_stops_at_the_cap():
    """The cap bounds memory: a 64 MiB bomb under a 1 MiB cap allocates ~1 MiB, not 64."""
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(CatalogFormatError, match="unpacks to more than 1,048,576 bytes"):
            _inflate(BOMB, "bomb.gz", 1 << 20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, peak
    assert MAX_UNPACKED_DEFAULT == 512 * 1024**2 and DEFAULT_DEADLINE_S == 600.0


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"deadline": 0}, "deadline"),
        ({"deadline": float("nan")}, "deadline"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": float("inf")}, "timeout"),
        ({"max_unpacked": 0}, "max_unpacked"),
        ({"max_bytes": float("nan")}, "max_bytes"),
        ({"min_records": 0}, "min_records"),
        ({"max_bytes": 10**400}, "max_bytes"),
        ({"deadline": "soon"}, "deadline"),
    ],
)
def test_limits_that_are_not_positive_numbers_name_the_parameter(own_cache, kw, name):
    with pytest.raises(InputError) as info:
        update_catalog("http://127.0.0.1:9/nea.json.gz", **kw)
    assert info.value.option == name
    assert not user_catalog_path().parent.exists()


def _wait_for(predicate, timeout_s: float = 30.0) -> None:
    t_end = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < t_end, "timed out waiting"
        time.sleep(0.05)


def _parts() -> list[Path]:
    return sorted(user_catalog_path().parent.glob(f"{PART_PREFIX}*{PART_SUFFIX}"))


def test_the_part_file_of_a_killed_run_is_removed_by_the_next(srv, good, own_cache):
    srv.routes["/forever.json.gz"] = Route(trickle_s=0.1, length=None)
    code = (
        "from prospect.catalog.update import update_catalog\n"
        f"update_catalog({srv.url('/forever.json.gz')!r}, timeout=5, deadline=60)\n"
    )
    env = dict(os.environ, PROSPECT_CACHE_DIR=str(own_cache), PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        _wait_for(lambda: bool(_parts()))
        time.sleep(0.3)  # a few trickled bytes in
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    orphan = _parts()
    assert len(orphan) == 1 and orphan[0].name.startswith(f"{PART_PREFIX}{proc.pid}-")
    update_catalog(srv.url("/good.json.gz"), timeout=5)
    assert _parts() == [] and set(_catalog_files()) == set(good)


def test_reset_also_removes_the_part_files_of_killed_runs(good):
    d = user_catalog_path().parent
    stale = d / f"{PART_PREFIX}{_dead_pid()}-0{PART_SUFFIX}"
    stale.write_bytes(b"partial")
    with part_file(d) as (live, _out):
        assert reset_catalog() is True
        assert _parts() == [live]
    assert list(d.iterdir()) == []


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_part_in_use_by_a_live_run_is_kept(srv, good):
    d = user_catalog_path().parent
    with part_file(d) as (live, _out):  # this process: alive, and holding the lock
        locked_dead = d / f"{PART_PREFIX}{_dead_pid()}-0{PART_SUFFIX}"
        locked_dead.write_bytes(b"partial")
        import fcntl

        with open(locked_dead, "rb") as held:  # a run in another PID namespace
            fcntl.flock(held, fcntl.LOCK_EX)
            stale = d / f"{PART_PREFIX}{_dead_pid()}-1{PART_SUFFIX}"
            stale.write_bytes(b"partial")
            old_legacy = d / f"{PART_PREFIX}k2j3h4{PART_SUFFIX}"  # before pids in names
            old_legacy.write_bytes(b"partial")
            t_old = time.time() - LEGACY_PART_AGE_S - 60
            os.utime(old_legacy, (t_old, t_old))
            new_legacy = d / f"{PART_PREFIX}a1b2c3{PART_SUFFIX}"
            new_legacy.write_bytes(b"partial")
            update_catalog(srv.url("/good.json.gz"), timeout=5)
            assert _parts() == sorted([live, locked_dead, new_legacy])
    assert _parts() == [locked_dead, new_legacy]


def test_cli_deadline_and_caps(srv, good):
    from typer.testing import CliRunner

    from prospect.cli import app

    srv.routes["/cli-trickle"] = Route(trickle_s=0.1, length=None)
    srv.routes["/cli-bomb.json.gz"] = Route(BOMB)
    runner = CliRunner()
    cases = [
        (["--url", srv.url("/cli-trickle"), "--deadline", "0.5"], "0.5 s deadline"),
        (["--url", srv.url("/cli-bomb.json.gz"), "--max-unpacked-mb", "1"], "1,048,576 bytes"),
        (["--url", srv.url("/good.json.gz"), "--deadline", "inf"], "--deadline: must be"),
        (["--url", srv.url("/good.json.gz"), "--timeout", "inf"], "--timeout: must be"),
        (["--url", srv.url("/good.json.gz"), "--max-unpacked-mb", "inf"], "--max-unpacked-mb: "),
    ]
    for args, part in cases:
        res = runner.invoke(app, ["catalog", "update", *args])
        assert res.exit_code == 1, res.output
        err = res.stderr.strip().splitlines()
        assert len(err) == 1 and part in err[0], res.stderr
        assert _catalog_files() == good


@pytest.mark.slow
def test_95_percent_of_the_real_catalog_as_sbdb_csv(srv, own_cache):
    """The issue's case at full scale: the 40,874 shipped objects as an SBDB CSV, cut
    at 95 % mid-line and at a line end, no Content-Length: both refused."""
    import csv
    import io
    import json

    from prospect._resources import catalog_path
    from prospect.catalog.files import SHIPPED_JSON

    sys.path.insert(0, str(DATA))
    import make_fixtures as mf

    records = json.loads(gzip.decompress(catalog_path(SHIPPED_JSON).read_bytes()))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=mf.SBDB_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(mf.sbdb_row(r) for r in records)
    body = buf.getvalue().encode()
    srv.routes["/full.csv"] = Route(body, length=None)
    srv.routes["/cut-mid.csv"] = Route(_mid_line(body, 0.95), length=None)
    srv.routes["/cut-end.csv"] = Route(_line_end(body, 0.95), length=None)
    for path, check in [("/cut-mid.csv", "last line is incomplete"), ("/cut-end.csv", "40,466")]:
        with pytest.raises(DownloadError, match=check):
            update_catalog(srv.url(path), timeout=30)
    assert len(update_catalog(srv.url("/full.csv"), timeout=30)) >= 40_466  # 40,865: 9 out of range


def test_cli_defaults_are_the_library_defaults():
    """The CLI spells its defaults as literals (it may not import the library at start)."""
    import inspect

    from prospect.catalog.download import DEFAULT_TIMEOUT_S
    from prospect.cli.catalog import update as cli_update

    opts = {k: p.default.default for k, p in inspect.signature(cli_update).parameters.items()}
    assert opts["timeout"] == DEFAULT_TIMEOUT_S
    assert opts["deadline"] == DEFAULT_DEADLINE_S
    assert opts["max_unpacked_mb"] is None  # the library's cap (unpack_limit)


def test_the_unpack_cap_also_comes_from_the_environment(srv, good, monkeypatch):
    monkeypatch.setenv(UNPACKED_ENV, str(1 << 20))
    srv.routes["/env-bomb.json.gz"] = Route(BOMB)
    msg = _refused(srv.url("/env-bomb.json.gz"))
    assert "unpacks to more than 1,048,576 bytes" in msg
    assert _catalog_files() == good
