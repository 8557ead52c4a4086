"""The layer rule of STYLE.md, checked by the import-linter contracts of pyproject.toml.

``[tool.importlinter]`` holds two contracts: a ``layers`` contract (core <
objects/loaders < analyses, scan below cost and survey < plot < cli) and a
``forbidden`` contract (prospect.core imports no astropy, pandas, matplotlib, typer,
rebound, assist, dask, ... and no other prospect module).  import-linter follows
absolute and relative imports and indirect chains, so a core module that imports
``prospect.epochs`` (and through it astropy) breaks both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter")

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run ``lint-imports`` on the package under `root` (that copy first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())",
            "--no-cache",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_import_contracts_hold():
    res = _lint_imports(ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "2 kept, 0 broken" in res.stdout, res.stdout


def test_planted_violations_are_reported(tmp_path):
    """A copy of the package with violations planted: the contracts must catch each."""
    shutil.copytree(
        ROOT / "prospect", tmp_path / "prospect", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    plants = {
        "core/sphere.py": "import astropy.units\n",  # core imports a units library
        "core/status.py": "import prospect.epochs\n",  # core imports a loader (the old test's hole)
        "core/lunar.py": "from .. import cli\n",  # relative import of the CLI from core
        "data/orbits.py": "import prospect.cli\n",  # a loader imports the CLI
    }
    for rel, line in plants.items():
        path = tmp_path / "prospect" / rel
        text = path.read_text()
        head, sep, rest = text.partition("\nimport ")
        path.write_text(head + "\n" + line + sep + rest)
    res = _lint_imports(tmp_path)
    out = res.stdout
    assert res.returncode != 0, out
    assert "0 kept, 2 broken" in out, out
    for needle in (
        "prospect.core.sphere -> astropy",
        "prospect.core.status -> prospect.epochs",
        "prospect.core.lunar -> prospect.cli",
        "prospect.data.orbits -> prospect.cli",
    ):
        assert needle in out, (needle, out)
