"""Location of ../shared (third-party reference tables), importable from any test.

Tests import ``shared_file`` from here (not from a conftest, whose module name
is ambiguous when several conftest.py files exist).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PROSPECT_SHARED", REPO.parent / "shared"))


def shared_file(relpath: str) -> Path:
    """Path of a file in ../shared, or skip the calling test with the reason."""
    path = SHARED / relpath
    if not path.is_file():
        pytest.skip(
            f"reference file {path} is absent (it lives in ../shared beside the checkout; "
            "set PROSPECT_SHARED to its location)"
        )
    return path
