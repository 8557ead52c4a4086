"""Strip outputs and execution counts from notebooks (they are committed output-free).

Usage::

    python scripts/strip_notebooks.py              # every examples/*.ipynb
    python scripts/strip_notebooks.py a.ipynb ...  # the given notebooks
    python scripts/strip_notebooks.py --check      # exit 1 if any needs stripping

Clears ``outputs`` and ``execution_count`` of every code cell and the per-cell
``execution``/``collapsed``/``scrolled`` metadata; keeps the kernelspec.  Files are
rewritten only when they change (atomically).  ``tests/test_examples.py`` checks the
committed notebooks are stripped.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import nbformat

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
_VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")


def strip(nb) -> bool:
    """Strip a notebook node in place; return True when something changed."""
    changed = False
    for cell in nb.cells:
        for key in _VOLATILE_CELL_METADATA:
            if key in cell.metadata:
                del cell.metadata[key]
                changed = True
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            cell.outputs = []
            changed = True
        if cell.get("execution_count") is not None:
            cell.execution_count = None
            changed = True
    return changed


def _write_atomic(nb, path: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        nbformat.write(nb, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: examples/)")
    parser.add_argument("--check", action="store_true", help="report, do not rewrite")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(EXAMPLES.glob("*.ipynb"))
    dirty = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if strip(nb):
            dirty.append(path)
            if not args.check:
                _write_atomic(nb, path)
    for path in dirty:
        print(f"{'needs stripping' if args.check else 'stripped'}: {path}")
    return 1 if (args.check and dirty) else 0


if __name__ == "__main__":
    sys.exit(main())
