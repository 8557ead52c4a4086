"""Fuzzing the readers of everything kept between runs (issue 13 items 4 and 6).

Targets: rank checkpoints (:class:`prospect.scan.rank.checkpoint.CheckpointStore`),
survey chunks (:func:`prospect.survey.store.read_chunk`), n-body entries
(:func:`prospect.nbody.cache._load`) and converted catalogs
(:func:`prospect.catalog.fast.read_cached`).  Each gets a sound entry mutated
three ways -- its bytes (flips, cuts, insertions, deletions, overwrites), one value
with the seal kept (a careful editor), its schema or rows with the seal kept -- and
the reader must either return exactly the sound entry or discard the file with one
logged line naming it; never an exception, never a different result.

Default run: a few hundred derandomized examples per target; ``--runslow``: 10,000
from a random seed (``tests/fuzzing.py``).
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from prospect._cache import SEAL_KEY
from prospect.scan.rank.checkpoint import CheckpointStore

DATA = Path(__file__).resolve().parent / "catalog" / "data"
FUZZ = fuzz(default=200)


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _read_logged(read):
    """``read()`` with the ``prospect.cache`` lines it logs."""
    h = _Lines()
    log = logging.getLogger("prospect.cache")
    log.addHandler(h)
    try:
        return read(), h.lines
    finally:
        log.removeHandler(h)


# --- mutations ----------------------------------------------------------------------

_byte_ops = st.lists(
    st.one_of(
        st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
        st.tuples(st.just("cut"), st.integers(0, 10**6)),
        st.tuples(st.just("insert"), st.integers(0, 10**6), st.binary(min_size=1, max_size=16)),
        st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 64)),
        st.tuples(st.just("overwrite"), st.integers(0, 10**6), st.binary(min_size=1, max_size=32)),
    ),
    min_size=1,
    max_size=4,
)


def mutate_bytes(raw: bytes, ops) -> bytes:
    b = bytearray(raw)
    for op in ops:
        pos = op[1] % (len(b) + 1)
        if op[0] == "flip" and pos < len(b):
            b[pos] ^= op[2]
        elif op[0] == "cut":
            del b[pos:]
        elif op[0] == "insert":
            b[pos:pos] = op[2]
        elif op[0] == "delete":
            del b[pos : pos + op[2]]
        elif op[0] == "overwrite":
            b[pos : pos + len(op[2])] = op[2]
    return bytes(b)


_cell_values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(2**62), 2**62),
    st.text(max_size=12),
    st.booleans(),
    st.none(),
)


def _set_cell(df: pd.DataFrame, row: int, col: int, value) -> pd.DataFrame | None:
    """``df`` with one cell changed (None when the column cannot hold ``value``)."""
    out = df.copy()
    name = out.columns[col % len(out.columns)]
    try:
        out.loc[out.index[row % len(out)], name] = value
    except (TypeError, ValueError, OverflowError):
        return None
    if out.dtypes.to_dict() != df.dtypes.to_dict():
        return None  # pandas upcast the column: a schema change, tested on its own
    return out


_schema_ops = st.sampled_from(
    ["drop", "rename", "float32", "add", "duplicate row", "drop row", "reverse rows", "swap"]
)


def change_schema(df: pd.DataFrame, op: str, i: int) -> pd.DataFrame:
    c = df.columns[i % len(df.columns)]
    if op == "drop":
        return df.drop(columns=c)
    if op == "rename":
        return df.rename(columns={c: f"{c}_x"})
    if op == "float32":
        floats = [x for x in df.columns if df[x].dtype == np.float64]
        return df.astype({floats[i % len(floats)]: np.float32})
    if op == "add":
        return df.assign(extra=1.0)
    if op == "duplicate row":
        return pd.concat([df, df.iloc[[i % len(df)]]], ignore_index=True)
    if op == "drop row":
        return df.drop(index=df.index[i % len(df)]).reset_index(drop=True)
    if op == "reverse rows":
        return df.iloc[::-1].reset_index(drop=True)
    cols = list(df.columns)
    cols[0], cols[-1] = cols[-1], cols[0]
    return df[cols]


def rewrite_parquet(raw: bytes, df: pd.DataFrame) -> bytes:
    """``df`` as Parquet with the key-value metadata (the seal) of the file ``raw``."""
    meta = pq.read_schema(io.BytesIO(raw)).metadata
    table = pa.Table.from_pandas(df, preserve_index=False).replace_schema_metadata(meta)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    except AssertionError:
        return False
    return True


def check_outcome(path: Path, got, lines: list[str], same_as_sound) -> None:
    """Either exactly the sound entry, or None with one line naming the file (removed)."""
    if got is not None:
        assert same_as_sound(got), "a changed entry was used"
        assert lines == []
        return
    assert len(lines) == 1 and lines[0].startswith(f"prospect: discarded cache entry {path}: ")
    assert "\n" not in lines[0]
    assert not path.exists()


# --- rank checkpoints ---------------------------------------------------------------


def _rank_chunk() -> pd.DataFrame:
    n = 7
    return pd.DataFrame(
        {
            "row": np.arange(14, 14 + n),
            "departure": [f"2027-0{1 + i}-15" if i % 3 else "" for i in range(n)],
            "tof_days": np.linspace(30.0, 330.0, n),
            "dv_total_km_s": np.where(np.arange(n) % 4 == 1, np.nan, 3.5 + np.arange(n) / 7),
            "feasible": np.arange(n) % 2 == 0,
        }
    )


class _RankStore:
    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="fuzz-rank-"))
        run = CheckpointStore("k", write=True, resume=False, root=self.root)
        run.save(2, _rank_chunk())
        run.release()
        self.path = run.dir / "chunk-00002.parquet"
        self.sound = self.path.read_bytes()
        self.frame = _rank_chunk()

    def read(self, raw: bytes):
        self.path.unlink(missing_ok=True)
        self.path.write_bytes(raw)
        store = CheckpointStore("k", write=False, resume=True, root=self.root)
        try:
            return _read_logged(lambda: store.load(2, (14, 21)))
        finally:
            store.release()


@pytest.fixture(scope="module")
def rank_store():
    s = _RankStore()
    yield s
    shutil.rmtree(s.root, ignore_errors=True)


@FUZZ
@given(ops=_byte_ops)
def test_fuzz_rank_checkpoint_bytes(rank_store, ops):
    got, lines = rank_store.read(mutate_bytes(rank_store.sound, ops))
    check_outcome(rank_store.path, got, lines, lambda d: _same(d, rank_store.frame))


@FUZZ
@given(row=st.integers(0, 100), col=st.integers(0, 100), value=_cell_values)
def test_fuzz_rank_checkpoint_values(rank_store, row, col, value):
    df = _set_cell(rank_store.frame, row, col, value)
    if df is None:
        return
    got, lines = rank_store.read(rewrite_parquet(rank_store.sound, df))
    check_outcome(rank_store.path, got, lines, lambda d: _same(d, rank_store.frame))
    assert (got is None) == (not _same(df, rank_store.frame))


@FUZZ
@given(op=_schema_ops, i=st.integers(0, 100))
def test_fuzz_rank_checkpoint_schema(rank_store, op, i):
    got, lines = rank_store.read(
        rewrite_parquet(rank_store.sound, change_schema(rank_store.frame, op, i))
    )
    assert got is None
    check_outcome(rank_store.path, got, lines, None)


# --- survey chunks ------------------------------------------------------------------


class _SurveyDir:
    def __init__(self):
        from prospect.survey import store

        self.store = store
        self.dir = Path(tempfile.mkdtemp(prefix="fuzz-survey-"))
        (self.dir / "survey.json").write_text('{"key": "k", "n_targets": 17, "chunk_size": 7}')
        self.frame = _rank_chunk().drop(columns="row").assign(designation=list("abcdefg"))
        self.path = store.write_chunk(self.dir, "k" * 16, 1, self.frame)
        self.sound = self.path.read_bytes()

    def read(self, raw: bytes):
        self.path.unlink(missing_ok=True)
        self.path.write_bytes(raw)
        return _read_logged(lambda: self.store.read_chunk(self.dir, "k" * 16, 1))


@pytest.fixture(scope="module")
def survey_dir():
    s = _SurveyDir()
    yield s
    shutil.rmtree(s.dir, ignore_errors=True)


@FUZZ
@given(ops=_byte_ops)
def test_fuzz_survey_chunk_bytes(survey_dir, ops):
    got, lines = survey_dir.read(mutate_bytes(survey_dir.sound, ops))
    check_outcome(survey_dir.path, got, lines, lambda d: _same(d, survey_dir.frame))


@FUZZ
@given(row=st.integers(0, 100), col=st.integers(0, 100), value=_cell_values,
       op=_schema_ops, schema=st.booleans())  # fmt: skip
def test_fuzz_survey_chunk_values_and_schema(survey_dir, row, col, value, op, schema):
    df = (
        change_schema(survey_dir.frame, op, row)
        if schema
        else _set_cell(survey_dir.frame, row, col, value)
    )
    if df is None:
        return
    got, lines = survey_dir.read(rewrite_parquet(survey_dir.sound, df))
    check_outcome(survey_dir.path, got, lines, lambda d: _same(d, survey_dir.frame))
    assert (got is None) == (not _same(df, survey_dir.frame))


# --- converted-catalog cache --------------------------------------------------------


class _CatalogCache:
    def __init__(self):
        from prospect.catalog import fast
        from prospect.catalog.files import parse_bytes

        self.fast = fast
        raw = (DATA / "nea_small.json").read_bytes()
        self.key = fast.cache_key(raw, skip_bad=False)
        self.dir = Path(tempfile.mkdtemp(prefix="fuzz-cat-"))
        self.path = fast.cached_path(self.dir, self.key)
        self.frame = parse_bytes(raw, path="nea_small.json")
        fast.write_fast(self.frame, self.path, inputs=self.key)
        self.sound = self.path.read_bytes()
        self.frame = pq.read_table(self.path).to_pandas()  # as stored (attrs aside)

    def read(self, raw: bytes):
        self.path.unlink(missing_ok=True)
        self.path.write_bytes(raw)
        return _read_logged(lambda: self.fast.read_cached(self.path, self.key))


@pytest.fixture(scope="module")
def catalog_cache():
    s = _CatalogCache()
    yield s
    shutil.rmtree(s.dir, ignore_errors=True)


@FUZZ
@given(ops=_byte_ops)
def test_fuzz_catalog_cache_bytes(catalog_cache, ops):
    got, lines = catalog_cache.read(mutate_bytes(catalog_cache.sound, ops))
    check_outcome(catalog_cache.path, got, lines, lambda d: _same(d, catalog_cache.frame))


@fuzz(default=100)  # each example writes a whole NEA table: the slowest target
@given(row=st.integers(0, 100), col=st.integers(0, 100), value=_cell_values,
       op=_schema_ops, schema=st.booleans())  # fmt: skip
def test_fuzz_catalog_cache_values_and_schema(catalog_cache, row, col, value, op, schema):
    sound = catalog_cache.frame
    df = change_schema(sound, op, row) if schema else _set_cell(sound, row, col, value)
    if df is None:
        return
    got, lines = catalog_cache.read(rewrite_parquet(catalog_cache.sound, df))
    check_outcome(catalog_cache.path, got, lines, lambda d: _same(d, sound))
    assert (got is None) == (not _same(df, sound))


# --- n-body entries -----------------------------------------------------------------


class _NbodyEntry:
    """A sealed entry of year 27 written by the cache's own writer (no integration)."""

    def __init__(self, cache_dir: Path):
        from prospect.nbody import cache

        self.cache, self.cache_dir = cache, cache_dir
        self.key = "ab" + "0" * 30
        k, s = 27, cache._BLOCK_S
        t = np.linspace(k * s - 86400.0, (k + 1) * s + 86400.0, 40)
        r = np.stack([np.cos(t / 3e7), np.sin(t / 3e7), 0.01 * np.cos(t / 1e7)], -1) * 1.5e8
        v = np.gradient(r, t, axis=0)
        self.k, self.nodes = k, (t, r, v)
        cache._store(self.key, self.nodes, [k])
        self.path = cache._dir(self.key) / f"y{k}.npz"
        self.sound = self.path.read_bytes()

    def read(self, raw: bytes):
        os.environ["PROSPECT_CACHE_DIR"] = str(self.cache_dir)  # conftest sets one per test
        self.path.unlink(missing_ok=True)
        self.path.write_bytes(raw)
        self.cache._MEMORY.clear()
        return _read_logged(lambda: self.cache._load(self.key, self.k))

    def same(self, entry) -> bool:
        return all(np.array_equal(a, b) for a, b in zip(entry, self.nodes, strict=True))


@pytest.fixture(scope="module")
def nbody_entry(tmp_path_factory):
    old = os.environ.get("PROSPECT_CACHE_DIR")
    os.environ["PROSPECT_CACHE_DIR"] = str(tmp_path_factory.mktemp("fuzz-nbody"))
    try:
        yield _NbodyEntry(Path(os.environ["PROSPECT_CACHE_DIR"]))
    finally:
        if old is not None:
            os.environ["PROSPECT_CACHE_DIR"] = old


@FUZZ
@given(ops=_byte_ops)
def test_fuzz_nbody_entry_bytes(nbody_entry, ops):
    got, lines = nbody_entry.read(mutate_bytes(nbody_entry.sound, ops))
    check_outcome(nbody_entry.path, got, lines, nbody_entry.same)


@FUZZ
@given(
    name=st.sampled_from(["t", "r", "v"]),
    i=st.integers(0, 10**4),
    value=st.floats(allow_nan=True, allow_infinity=True),
    reshape=st.sampled_from([None, "transpose", "float32", "drop", "extra", "seal"]),
)
def test_fuzz_nbody_entry_values(nbody_entry, name, i, value, reshape):
    with np.load(io.BytesIO(nbody_entry.sound)) as z:
        arrays = {k: z[k].copy() for k in z.files}
    a = arrays[name]
    flat = a.reshape(-1)
    flat[i % flat.size] = value
    changed = not np.array_equal(a, dict(zip("trv", nbody_entry.nodes, strict=True))[name],
                                 equal_nan=False)  # fmt: skip
    if reshape == "transpose":
        arrays[name], changed = a.T.copy(), changed or a.ndim > 1
    elif reshape == "float32":
        with np.errstate(over="ignore"):
            arrays[name], changed = a.astype(np.float32), True
    elif reshape == "drop":
        del arrays[name]
        changed = True
    elif reshape == "extra":
        arrays["extra"], changed = np.zeros(3), True
    elif reshape == "seal":
        arrays[SEAL_KEY] = np.array(str(arrays[SEAL_KEY]).replace('"year": 27', '"year": 28'))
        changed = True
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    got, lines = nbody_entry.read(buf.getvalue())
    check_outcome(nbody_entry.path, got, lines, nbody_entry.same)
    assert (got is None) == changed
