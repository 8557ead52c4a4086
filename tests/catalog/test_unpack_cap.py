"""The cap on unpacking gzip catalogs (issue 13: a 2 MB user gzip took 4.2 GB of RSS).

The cap is enforced while streaming: zlib never produces more than the cap plus one
byte, so the memory a bomb costs is the cap, not the bomb's size.
"""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import pytest

from prospect.catalog import load_neas
from prospect.catalog._io import (
    MAX_UNPACKED_DEFAULT,
    UNPACKED_ENV,
    decompress,
    unpack_limit,
)
from prospect.errors import CatalogFormatError, InputError


def _bomb(n_bytes: int) -> bytes:
    """gzip of ``n_bytes`` spaces, streamed so the bomb itself is cheap to make."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b" " * 1024**2
    out = [z.compress(b"[")]
    for _ in range(n_bytes // len(chunk)):
        out.append(z.compress(chunk))
    out.append(z.compress(b"]") + z.flush())
    return b"".join(out)


def test_default_cap_is_stated_and_env_overrides(monkeypatch):
    monkeypatch.delenv(UNPACKED_ENV, raising=False)
    assert unpack_limit() == MAX_UNPACKED_DEFAULT == 512 * 1024**2
    monkeypatch.setenv(UNPACKED_ENV, "1000")
    assert unpack_limit() == 1000
    assert unpack_limit(5) == 5  # the parameter wins over the environment
    for bad in ("0", "-5", "lots", "1e9"):
        monkeypatch.setenv(UNPACKED_ENV, bad)
        with pytest.raises(InputError, match=UNPACKED_ENV):
            unpack_limit()
    with pytest.raises(InputError, match="max_unpacked"):
        unpack_limit(0)


def test_bomb_stops_at_the_cap_without_inflating_past_it():
    raw = _bomb(64 * 1024**2)  # 64 MiB of spaces in ~65 kB
    assert len(raw) < 1024**2
    cap = 4 * 1024**2
    tracemalloc.start()
    try:
        with pytest.raises(CatalogFormatError, match="more than 4,194,304 bytes"):
            decompress(raw, "bomb.json.gz", max_bytes=cap)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * cap  # the cap plus copies, never the 64 MiB


def test_a_file_within_the_cap_unpacks_whole():
    body = b"x" * 10_000
    assert decompress(gzip.compress(body), "ok.gz", max_bytes=10_000) == body
    with pytest.raises(CatalogFormatError, match="more than 9,999 bytes"):
        decompress(gzip.compress(body), "ok.gz", max_bytes=9_999)
    # two members: the cap counts both
    with pytest.raises(CatalogFormatError, match="more than 15,000 bytes"):
        decompress(gzip.compress(body) + gzip.compress(body), "two.gz", max_bytes=15_000)


def test_load_neas_takes_the_cap_as_a_parameter_or_from_the_environment(
    tmp_path, own_cache, data_dir, monkeypatch
):
    path = tmp_path / "nea.json.gz"
    raw = (data_dir / "nea_small.json").read_bytes()
    path.write_bytes(gzip.compress(raw))
    with pytest.raises(CatalogFormatError, match=f"{path}: unpacks to more than 1,000 bytes"):
        load_neas(path, max_unpacked=1000)
    monkeypatch.setenv(UNPACKED_ENV, "1000")
    with pytest.raises(CatalogFormatError, match=UNPACKED_ENV):
        load_neas(path)
    assert len(load_neas(path, max_unpacked=len(raw))) > 0
