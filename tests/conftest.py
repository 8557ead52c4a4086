"""Shared fixtures.

Third-party reference tables live in ``../shared/reference`` beside the
checkout (never copied into the project).  ``$PROSPECT_SHARED`` overrides the
location.  Tests that need them skip with a clear reason when absent.
"""

from __future__ import annotations

import os

import pytest
from shared_data import REPO, SHARED, shared_file

__all__ = ["REPO", "SHARED", "shared_file"]


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Never touch the user's real cache from tests."""
    cache = tmp_path_factory.getbasetemp() / "prospect-cache"
    cache.mkdir(exist_ok=True)
    monkeypatch.setenv("PROSPECT_CACHE_DIR", str(cache))


def pytest_addoption(parser):
    parser.addoption(
        "--runslow", action="store_true", default=False, help="also run tests marked slow"
    )


def pytest_configure(config):
    """``--runslow`` also runs every fuzz target at 10,000 random examples (tests/fuzzing.py)."""
    if config.getoption("--runslow"):
        from fuzzing import OPT_IN_EXAMPLES

        os.environ.setdefault("PROSPECT_FUZZ_EXAMPLES", str(OPT_IN_EXAMPLES))


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow test: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
