"""Fuzzing the parsers: whatever the bytes, the only exception is CatalogFormatError.

Hypothesis runs derandomized in the default run (reproducible), and 10,000
examples per target from a random seed with ``--runslow`` (tests/fuzzing.py).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_tables import assert_sane

from prospect.catalog import NEA_COLUMNS, parse_bytes
from prospect.catalog.mpc import parse_mpc_json
from prospect.catalog.mpcorb import parse_mpcorb
from prospect.catalog.sbdb import parse_sbdb_csv
from prospect.errors import CatalogFormatError

DATA = Path(__file__).resolve().parent / "data"
JSON_RECORDS = json.loads((DATA / "nea_small.json").read_text())
MPCORB_LINES = (DATA / "nea_small.txt").read_text().splitlines()
CSV_LINES = (DATA / "sbdb_small.csv").read_text().splitlines()
GZ = gzip.compress((DATA / "nea_small.json").read_bytes())

FUZZ = fuzz(default=400)
PARSERS = [parse_mpc_json, parse_mpcorb, parse_sbdb_csv, parse_bytes]


def _check(parser, data: bytes, skip_bad: bool) -> None:
    """Run a parser: a valid table or CatalogFormatError, nothing else."""
    try:
        df = parser(data, path="fuzzed", skip_bad=skip_bad)
    except CatalogFormatError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith("fuzzed")
        return
    assert list(df.columns) == list(NEA_COLUMNS)
    assert len(df) > 0
    assert ((df["e"] >= 0) & (df["e"] < 1)).all() and (df["a_au"] > 0).all()
    assert np.isfinite(df[["a_au", "e", "inc_deg", "epoch_jd_tt"]].to_numpy()).all()
    assert df["designation"].is_unique
    assert_sane(df)  # every value in its interval, no diameter inf or 0


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@FUZZ
@given(data=st.binary(max_size=3000), skip_bad=st.booleans())
def test_random_bytes(parser, data, skip_bad):
    _check(parser, data, skip_bad)


@FUZZ
@given(doc=json_values, skip_bad=st.booleans())
def test_random_json_documents(doc, skip_bad):
    _check(parse_mpc_json, json.dumps(doc).encode(), skip_bad)


@FUZZ
@given(
    index=st.integers(0, len(JSON_RECORDS) - 1),
    key=st.sampled_from(sorted({k for r in JSON_RECORDS for k in r} | {"extra"})),
    value=json_values,
    delete=st.booleans(),
    skip_bad=st.booleans(),
)
def test_mutated_json_records(index, key, value, delete, skip_bad):
    recs = [dict(r) for r in JSON_RECORDS]
    if delete:
        recs[index].pop(key, None)
    else:
        recs[index][key] = value
    _check(parse_mpc_json, json.dumps(recs).encode(), skip_bad)


def _mutate_text(lines, draw_edits):
    lines = list(lines)
    for line_no, pos, kind, text in draw_edits:
        k = line_no % len(lines)
        s = lines[k]
        p = pos % (len(s) + 1)
        if kind == "replace":
            s = s[:p] + text + s[p + len(text) :]
        elif kind == "insert":
            s = s[:p] + text + s[p:]
        elif kind == "delete":
            s = s[:p] + s[p + len(text) :]
        else:  # truncate
            s = s[:p]
        lines[k] = s
    return "\n".join(lines) + "\n"


edits = st.lists(
    st.tuples(
        st.integers(0, 1000),
        st.integers(0, 300),
        st.sampled_from(["replace", "insert", "delete", "truncate"]),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12),
    ),
    min_size=1,
    max_size=6,
)


@FUZZ
@given(e=edits, skip_bad=st.booleans())
def test_mutated_mpcorb_lines(e, skip_bad):
    text = _mutate_text(MPCORB_LINES, e)
    _check(parse_mpcorb, text.encode("utf-8", "surrogatepass"), skip_bad)
    _check(parse_bytes, text.encode("utf-8", "surrogatepass"), skip_bad)


@FUZZ
@given(
    e=edits,
    digits=st.lists(st.sampled_from("0123456789.-+eE, \"'²٣"), min_size=1, max_size=8),
    skip_bad=st.booleans(),
)
def test_mutated_sbdb_rows(e, digits, skip_bad):
    text = _mutate_text(CSV_LINES, e)
    _check(parse_sbdb_csv, text.encode("utf-8", "surrogatepass"), skip_bad)
    # numeric-looking garbage in a numeric cell
    lines = list(CSV_LINES)
    cell = "".join(digits)
    lines[1] = lines[1].replace("1.458121", cell, 1).replace('"433"', f'"{cell}"', 1)
    _check(parse_sbdb_csv, ("\n".join(lines) + "\n").encode(), skip_bad)


@FUZZ
@given(
    cut=st.integers(0, len(GZ)),
    flips=st.lists(st.tuples(st.integers(0, len(GZ) - 1), st.integers(1, 255)), max_size=4),
    skip_bad=st.booleans(),
)
def test_mutated_gzip(cut, flips, skip_bad):
    data = bytearray(GZ)
    for pos, x in flips:
        data[pos] ^= x
    _check(parse_bytes, bytes(data[:cut] if cut else data), skip_bad)
