"""The layer rule of STYLE.md, checked: prospect.core imports no I/O or units libraries."""

import ast
from pathlib import Path

import prospect

CORE = Path(prospect.__file__).parent / "core"
ALLOWED_TOP = {
    "numpy",
    "numba",
    "math",
    "__future__",
    "typing",
    "collections",
    "prospect",
    "functools",
    "enum",
    "dataclasses",
    "os",
    "warnings",
    "types",
}
FORBIDDEN_PROSPECT = (
    "prospect.catalog",
    "prospect.data",
    "prospect.targets",
    "prospect.ephem",
    "prospect.scan",
    "prospect.cost",
    "prospect.plot",
    "prospect.cli",
)


def _imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_core_imports_only_numeric_libraries():
    files = sorted(CORE.glob("*.py"))
    assert files, "prospect/core has no modules"
    bad = []
    for f in files:
        for mod in _imports(f):
            top = mod.split(".")[0]
            if top not in ALLOWED_TOP or mod.startswith(FORBIDDEN_PROSPECT):
                bad.append(f"{f.name}: import {mod}")
    assert not bad, "prospect.core must stay unit-free and I/O-free:\n" + "\n".join(bad)


def test_forbidden_import_is_detected(tmp_path):
    """The checker itself must catch a violation (so the test above can fail)."""
    f = tmp_path / "k.py"
    f.write_text("import astropy.units as u\nfrom pandas import DataFrame\n")
    mods = list(_imports(f))
    assert "astropy.units" in mods and "pandas" in mods
