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


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for m in sorted(graph.modules):
        if m not in index:
            visit(m)
    return found


def test_no_import_cycles_in_the_package():
    """No module of prospect imports (directly or through others) a module that
    imports it back, counting imports inside functions too (grimp's graph)."""
    grimp = pytest.importorskip("grimp")
    assert _cycles(grimp.build_graph("prospect")) == []


def test_cycle_finder_finds_a_planted_cycle(tmp_path, monkeypatch):
    grimp = pytest.importorskip("grimp")
    pkg = tmp_path / "cyc"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from cyc import b\n")
    (pkg / "b.py").write_text("from cyc import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _cycles(grimp.build_graph("cyc")) == [["cyc.a", "cyc.b"]]
