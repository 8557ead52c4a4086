"""Fuzzing the table readers: Parquet catalogs (read_fast) and the physical-properties
table (read_physical).  Whatever the file, a table whose every value lies in the NEA
table's intervals (no diameter inf or 0) or one CatalogFormatError naming the file.

Default run: a few hundred derandomized examples per target; ``--runslow`` /
``PROSPECT_FUZZ_EXAMPLES``: 10,000 from a random seed (tests/fuzzing.py).
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from prospect._resources import catalog_path
from prospect.catalog import NEA_COLUMNS
from prospect.catalog.fast import read_fast, write_fast
from prospect.catalog.physical import PHYSICAL_FILE, fill_physical, read_physical
from prospect.catalog.ranges import RANGES, REQUIRED_RANGED
from prospect.errors import CatalogFormatError

FUZZ = fuzz(default=120)

#: 24 rows of the shipped catalog: Eros, Ganymed, measured and estimated sizes.
BASE = read_fast(catalog_path("mpc_nea.parquet")).iloc[:24].reset_index(drop=True)
BASE.attrs["n_objects"] = len(BASE)
NUMERIC = [c for c, t in NEA_COLUMNS.items() if t == "float64"]
PHYS_LINES = catalog_path(PHYSICAL_FILE).read_text(encoding="utf-8").splitlines()[:31]

numbers = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [0.0, -0.0, -1.0, 1.0, 0.99999999, 5.0, 1e300, -1e300, 1e5, 2.0e6, 99.99, -755.0, 1.5]
)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz_tables")


def assert_sane(df: pd.DataFrame) -> None:
    """Every value a file gave in its interval; sizes positive and finite or NaN (those
    derived from H: an albedo from a diameter, a diameter from H and an albedo, too)."""
    assert len(df) > 0 and list(df.columns) == list(NEA_COLUMNS)
    derived = {
        "albedo": (df["albedo_source"] == "diameter+H").to_numpy(dtype=bool, na_value=False),
        "diameter_km": (df["diameter_source"] == "H+albedo").to_numpy(dtype=bool, na_value=False),
    }
    for col, rng in RANGES.items():
        x = df[col].to_numpy(dtype=float, na_value=np.nan)
        ok = rng.holds(x) if col in REQUIRED_RANGED else np.isnan(x) | rng.holds(x)
        if col in derived:
            ok |= derived[col] & np.isfinite(x) & (x > 0)
        assert ok.all(), (col, x[~ok])
    for col in ("albedo", "diameter_km", "diameter_min_km", "diameter_max_km"):
        x = df[col].to_numpy(dtype=float)
        assert (np.isnan(x) | (np.isfinite(x) & (x > 0))).all(), (col, x)


def _read(path, skip_bad: bool) -> None:
    try:
        df = read_fast(path, skip_bad=skip_bad)
    except CatalogFormatError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
        return
    assert_sane(df)
    assert len(df) + df.attrs["n_skipped"] >= len(BASE) or not skip_bad


@FUZZ
@given(
    cells=st.lists(
        st.tuples(st.integers(0, len(BASE) - 1), st.sampled_from(NUMERIC), numbers),
        min_size=1,
        max_size=6,
    ),
    skip_bad=st.booleans(),
)
def test_parquet_with_values_changed(fuzz_dir, cells, skip_bad):
    df = BASE.copy()
    for row, col, value in cells:
        df.loc[row, col] = value
    path = fuzz_dir / "values.parquet"
    write_fast(df, path)
    _read(path, skip_bad)


@pytest.fixture(scope="module")
def good_bytes(fuzz_dir):
    path = fuzz_dir / "good.parquet"
    write_fast(BASE, path)
    return path.read_bytes()


@FUZZ
@given(
    cut=st.integers(0, 10**7),
    flips=st.lists(st.tuples(st.integers(0, 10**7), st.integers(1, 255)), max_size=4),
    skip_bad=st.booleans(),
)
def test_parquet_bytes_cut_or_flipped(fuzz_dir, good_bytes, cut, flips, skip_bad):
    raw = bytearray(good_bytes)
    for pos, x in flips:
        raw[pos % len(raw)] ^= x
    raw = raw[: cut % (len(raw) + 1)] if cut % 3 == 0 else raw
    path = fuzz_dir / "bytes.parquet"
    path.write_bytes(bytes(raw))
    _read(path, skip_bad)


@FUZZ
@given(raw=st.binary(max_size=2000), skip_bad=st.booleans())
def test_parquet_random_bytes(fuzz_dir, raw, skip_bad):
    path = fuzz_dir / "random.parquet"
    path.write_bytes(raw)
    _read(path, skip_bad)


def _physical_then_fill(path) -> None:
    """read_physical gives a checked table or one error; joined, sizes stay sane."""
    try:
        tab = read_physical(path)
    except CatalogFormatError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
        return
    for col in ("albedo", "diameter_km"):
        x = tab[col].to_numpy(dtype=float)
        assert (np.isnan(x) | RANGES[col].holds(x)).all()
    df = BASE.copy()
    fill_physical(df, physical=tab)
    assert_sane(df)


PHYS_HEADER = PHYS_LINES[0].split(",")
PHYS_NUMERIC = ["number", "albedo", "diameter_km"]
#: The 30 rows as text cells, parsed once (each example copies it).
PHYS_CELLS = pd.read_csv(io.StringIO("\n".join(PHYS_LINES)), dtype=str, keep_default_na=False)


@FUZZ
@given(
    cells=st.lists(
        st.tuples(st.integers(1, len(PHYS_LINES) - 1), st.sampled_from(PHYS_NUMERIC), numbers),
        min_size=1,
        max_size=4,
    ),
)
def test_physical_table_values_changed(fuzz_dir, cells):
    tab = PHYS_CELLS.copy()
    for row, col, value in cells:
        tab.loc[row - 1, col] = repr(value)
    path = fuzz_dir / "physical.csv"
    tab.to_csv(path, index=False)
    _physical_then_fill(path)


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 10**6), st.text(min_size=1, max_size=8)), min_size=1, max_size=5
    ),
    codec=st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1252"]),
)
def test_physical_table_text_edited(fuzz_dir, edits, codec):
    text = "\n".join(PHYS_LINES) + "\n"
    for pos, piece in edits:
        p = pos % (len(text) + 1)
        text = text[:p] + piece + text[p + len(piece) :]
    path = fuzz_dir / "physical_text.csv"
    path.write_bytes(text.encode(codec, "replace"))
    _physical_then_fill(path)
