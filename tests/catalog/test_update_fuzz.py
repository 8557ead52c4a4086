"""Fuzz `update_catalog` (issue 13): a local server on 127.0.0.1 serves generated and
mutated bodies (cut, flipped, inserted, deleted, random, repeated, gzipped or not)
with a true, missing, short or long declared length.

Every example ends in one of two ways: the file holds at least the active
catalog's 16 objects and is installed, or a one-line DownloadError naming the
URL leaves the good catalog byte-identical; never a ``.part`` file, never
another exception.  A body that is a strict prefix of a whole file (a
truncation that loses content) is always refused.  The default run tries a few
hundred examples; ``--runslow`` 10,000 from a random seed (tests/fuzzing.py).
"""

from __future__ import annotations

import gzip
import zlib
from collections import Counter
from pathlib import Path

import pytest
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st
from update_server import LocalServer, Route

from prospect.catalog.update import update_catalog, user_catalog_path
from prospect.errors import DownloadError

DATA = Path(__file__).resolve().parent / "data"
#: name served -> whole body; all but the SBDB CSV (8 objects) hold 16 objects.
BASES = {
    "nea.json": (DATA / "nea_small.json").read_bytes(),
    "NEA.txt": (DATA / "nea_small.txt").read_bytes(),
    "MPCORB.DAT": (DATA / "mpcorb_small.dat").read_bytes(),
    "sbdb.csv": (DATA / "sbdb_small.csv").read_bytes(),
}
N_GOOD = 16

_MUTATIONS = ("whole", "cut", "flip", "insert", "delete", "random", "repeat")


def _mutate(data, body: bytes) -> tuple[str, bytes]:
    kind = data.draw(st.sampled_from(_MUTATIONS), label="mutation")
    at = data.draw(st.integers(0, max(len(body) - 1, 0)), label="at")
    if kind == "cut":
        return kind, body[:at]
    if kind == "flip":
        return kind, body[:at] + bytes([body[at] ^ data.draw(st.integers(1, 255))]) + body[at + 1 :]
    if kind == "insert":
        return kind, body[:at] + data.draw(st.binary(min_size=1, max_size=64)) + body[at:]
    if kind == "delete":
        return kind, body[:at] + body[at + data.draw(st.integers(1, 400)) :]
    if kind == "random":
        return kind, data.draw(st.binary(max_size=3000))
    if kind == "repeat":
        return kind, body + body[at:]
    return kind, body


def _catalog_files() -> dict[str, bytes]:
    d = user_catalog_path().parent
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def _restore(files: dict[str, bytes]) -> None:
    d = user_catalog_path().parent
    for p in d.iterdir():
        if p.name not in files:
            p.unlink()
    for name, raw in files.items():
        (d / name).write_bytes(raw)


def _content(name: str, received: bytes) -> bytes | None:
    """What the file holds once unpacked (None: not a gzip stream that unpacks)."""
    if not name.endswith(".gz"):
        return received
    try:
        return gzip.decompress(received)
    except (OSError, EOFError, zlib.error):
        return None


@pytest.fixture(scope="module")
def srv():
    server = LocalServer()
    yield server
    server.close()


@pytest.mark.hypothesis  # its @given is inside: selected by `pytest -m hypothesis` like the rest
def test_fuzz_update_against_a_local_server(srv, own_cache):
    srv.routes["/good.json.gz"] = Route(gzip.compress(BASES["nea.json"], mtime=0))
    update_catalog(srv.url("/good.json.gz"), timeout=5, min_records=N_GOOD)
    good = _catalog_files()
    counts: Counter = Counter()

    @fuzz(default=300)
    @given(st.data())
    def one_body(data):
        name = data.draw(st.sampled_from(sorted(BASES)), label="base")
        whole = BASES[name]
        kind, body = _mutate(data, whole)
        if data.draw(st.booleans(), label="gzip"):
            name, body = name + ".gz", gzip.compress(body, mtime=0)
            if data.draw(st.booleans(), label="cut the gzip"):
                body = body[: data.draw(st.integers(0, len(body)))]
        length = data.draw(st.sampled_from(["auto", None, "short", "long"]), label="length")
        received = body
        if length == "short" and body:
            length = data.draw(st.integers(0, len(body) - 1), label="declared")
            received = body[:length]
        elif length == "long":
            length = len(body) + data.draw(st.integers(1, 1000), label="extra")
        content = _content(name, received)
        must_accept = content == whole and length in ("auto", None) and "sbdb" not in name
        cut_short = (
            content is not None and whole.startswith(content) and whole[len(content) :].strip()
        )
        counts["tried"] += 1
        path = f"/fuzz/{counts['tried']}/{name}"
        srv.routes[path] = Route(body, length=length)
        url = srv.url(path)
        try:
            df = update_catalog(url, timeout=5, deadline=30)
        except DownloadError as exc:
            msg = str(exc)
            assert "\n" not in msg and msg.startswith("could not "), msg
            assert f" {url}: " in msg and msg.endswith("16 objects) stays active"), msg
            assert _catalog_files() == good, msg
            assert not must_accept, msg
            counts["refused"] += 1
            return
        finally:
            del srv.routes[path]
        files = _catalog_files()
        _restore(good)
        assert not [f for f in files if f.endswith(".part")], files
        assert len(df) >= N_GOOD, (name, kind, length)
        assert not cut_short, (name, kind, length, len(content), len(whole))
        counts["accepted"] += 1

    one_body()
    print(f"\nupdater fuzz: {dict(counts)}")
    assert counts["tried"] == counts["accepted"] + counts["refused"]
    assert counts["accepted"] and counts["refused"]  # the generator reaches both outcomes
