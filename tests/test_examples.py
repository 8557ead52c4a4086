"""Run every example notebook in ``examples/`` offline and check they are committed stripped.

Each notebook is executed with nbclient (kernel ``python3``, 120 s per cell) in a
temporary working directory, so the figures and files it writes land there and never
in the repository; any cell error fails the test.  Matplotlib uses the Agg backend
(``MPLBACKEND=Agg``) and the user cache points into the temporary directory, so a run
neither needs a display nor touches the developer's cache.  Network access is not
needed: the notebooks read the shipped catalogs only.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
CELL_TIMEOUT_S = 120


def _ids(paths):
    return [p.stem for p in paths]


def test_examples_exist():
    assert NOTEBOOKS, f"no notebooks in {EXAMPLES}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_stripped(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, (
        f"{path.name}: code cells {dirty} carry outputs or execution counts; "
        "run `python scripts/strip_notebooks.py`"
    )
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_runs(path, tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PROSPECT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    before = {p: p.stat().st_mtime_ns for p in EXAMPLES.iterdir()}
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    t0 = time.perf_counter()
    client.execute()  # raises CellExecutionError on the first failing cell
    elapsed = time.perf_counter() - t0
    print(f"{path.name}: {elapsed:.1f} s")
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors, f"{path.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    # the notebook wrote nothing into examples/ (its figures went to the tmp cwd)
    after = {p: p.stat().st_mtime_ns for p in EXAMPLES.iterdir()}
    assert after == before, f"{path.name} changed files in {EXAMPLES}"
    assert any(tmp_path.glob("*.png")), f"{path.name} drew no figure"
    assert os.environ["MPLBACKEND"] == "Agg"
