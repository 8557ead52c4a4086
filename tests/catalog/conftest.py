"""Fixtures of the catalog tests: small catalog files (see data/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def own_cache(tmp_path, monkeypatch) -> Path:
    """A fresh, empty user cache for this test only."""
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("PROSPECT_CACHE_DIR", str(cache))
    return cache
