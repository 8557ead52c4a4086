"""Converted-file cache and the choice of the active catalog."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import prospect.catalog as catalog
from prospect.catalog import load_neas
from prospect.catalog.fast import read_fast, write_fast
from prospect.catalog.update import load_active, reset_catalog, user_catalog_path
from prospect.errors import CatalogFormatError


def _forbid_parsing(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("parsed again instead of reading the cache")

    monkeypatch.setattr(catalog, "parse_bytes", boom)


def test_second_load_reads_the_cache(data_dir, own_cache, monkeypatch, tmp_path):
    src = tmp_path / "mine.json"
    src.write_bytes((data_dir / "nea_small.json").read_bytes())
    first = load_neas(src)
    assert len(list((own_cache / "converted").glob("*.parquet"))) == 1
    _forbid_parsing(monkeypatch)
    second = load_neas(src)
    pd.testing.assert_frame_equal(second, first)
    assert second.attrs["path"] == str(src)
    assert {k: v for k, v in second.attrs.items()} == first.attrs


def test_changed_content_is_converted_again(data_dir, own_cache, tmp_path):
    src = tmp_path / "mine.json"
    recs = json.loads((data_dir / "nea_small.json").read_text())
    src.write_text(json.dumps(recs))
    assert len(load_neas(src)) == len(recs)
    src.write_text(json.dumps(recs[:5]))  # same name, other content
    assert len(load_neas(src)) == 5
    assert len(list((own_cache / "converted").glob("*.parquet"))) == 2


def test_skip_bad_has_its_own_cache_entry(data_dir, own_cache, tmp_path):
    recs = json.loads((data_dir / "nea_small.json").read_text())
    recs[0]["e"] = 1.5
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(recs))
    assert load_neas(src, skip_bad=True).attrs["n_skipped"] == 1
    with pytest.raises(CatalogFormatError):
        load_neas(src)  # not served from the skip_bad conversion
    assert load_neas(src, skip_bad=True).attrs["skipped"][0].startswith(str(src))


def test_damaged_cache_entry_is_replaced(data_dir, own_cache, tmp_path):
    src = tmp_path / "mine.txt"
    src.write_bytes((data_dir / "nea_small.txt").read_bytes())
    first = load_neas(src)
    (entry,) = (own_cache / "converted").glob("*.parquet")
    entry.write_bytes(b"not parquet at all")
    pd.testing.assert_frame_equal(load_neas(src), first)
    pd.testing.assert_frame_equal(read_fast(entry), first)


def test_foreign_parquet_is_a_format_error(tmp_path):
    path = tmp_path / "other.parquet"
    pd.DataFrame({"x": [1, 2]}).to_parquet(path)
    with pytest.raises(CatalogFormatError) as info:
        load_neas(path)
    assert str(info.value).startswith(str(path)) and "metadata" in str(info.value)
    path.write_bytes(b"PAR1 garbage")
    with pytest.raises(CatalogFormatError, match="unreadable Parquet"):
        load_neas(path)


def test_user_copy_is_active_until_reset(data_dir, own_cache):
    assert load_neas().attrs["active"] == "shipped"
    small = load_neas(data_dir / "nea_small.json")
    write_fast(small, user_catalog_path())
    active = load_neas()
    assert active.attrs["active"] == "updated" and len(active) == len(small)
    assert active.attrs["path"] == str(user_catalog_path())
    assert reset_catalog() is True
    assert load_neas().attrs["active"] == "shipped"
    assert reset_catalog() is False


def test_stale_user_copy_is_rebuilt_from_its_download(data_dir, own_cache):
    small = load_neas(data_dir / "nea_small.json")
    small.attrs["schema_version"] = -1  # as written by another prospect version
    small.attrs["url"] = "https://example.invalid/nea.json"
    write_fast(small, user_catalog_path())
    raw = user_catalog_path().parent / "downloaded.json"
    raw.write_bytes((data_dir / "nea_small.json").read_bytes())
    df = load_active()
    assert len(df) == len(small) and df.attrs["url"] == "https://example.invalid/nea.json"
    assert read_fast(user_catalog_path()).attrs["schema_version"] >= 1  # rewritten


def test_unreadable_user_copy_without_download_is_one_clear_error(own_cache):
    user_catalog_path().parent.mkdir(parents=True, exist_ok=True)
    user_catalog_path().write_bytes(b"broken")
    with pytest.raises(CatalogFormatError) as info:
        load_neas()
    msg = str(info.value)
    assert msg.startswith(str(user_catalog_path())) and "prospect catalog update" in msg
    assert "\n" not in msg


def _bennu_e5(df: pd.DataFrame) -> pd.DataFrame:
    """The rewrite of issue 13: Bennu e = 5 and D = 900 km, the source unchanged."""
    i = df.index[df["designation"] == "1999 RQ36"]
    assert len(i) == 1
    df = df.copy()
    df.loc[i, "e"] = 5.0
    df.loc[i, "diameter_km"] = 900.0
    return df


def _rewrite_keeping_seal(entry, fn=None, meta_fn=None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(entry)
    meta = dict(table.schema.metadata)
    df = table.to_pandas()
    new = pa.Table.from_pandas(fn(df) if fn else df, preserve_index=False)
    pq.write_table(new.replace_schema_metadata(meta_fn(meta) if meta_fn else meta), entry)


def _gm_changed(meta: dict) -> dict:
    attrs = json.loads(meta[b"prospect.nea"])
    attrs["gm_km3_s2"] *= 1.01
    return {**meta, b"prospect.nea": json.dumps(attrs).encode()}


REWRITES = {
    "values edited, seal kept": lambda e: _rewrite_keeping_seal(e, _bennu_e5),
    "rewritten by write_fast": lambda e: write_fast(_bennu_e5(read_fast(e)), e),
    "rewritten by pandas": lambda e: _bennu_e5(read_fast(e)).to_parquet(e),
    "attrs edited (GM)": lambda e: _rewrite_keeping_seal(e, meta_fn=_gm_changed),
    "another file's entry": None,
}


@pytest.mark.parametrize("how", REWRITES)
def test_a_rewritten_cache_never_stands_in_for_its_source(data_dir, own_cache, tmp_path,
                                                          caplog, how):  # fmt: skip
    src = tmp_path / "mine.json"
    src.write_bytes((data_dir / "nea_small.json").read_bytes())
    first = load_neas(src)
    (entry,) = (own_cache / "converted").glob("*.parquet")
    if REWRITES[how] is None:  # the entry of another source file put in its place
        other = tmp_path / "other.txt"
        other.write_bytes((data_dir / "nea_small.txt").read_bytes())
        load_neas(other)
        (theirs,) = set((own_cache / "converted").glob("*.parquet")) - {entry}
        entry.write_bytes(theirs.read_bytes())
    else:
        REWRITES[how](entry)
    with caplog.at_level("WARNING", logger="prospect.cache"):
        again = load_neas(src)
    (line,) = caplog.messages
    assert line.startswith(f"prospect: discarded cache entry {entry}: ")
    pd.testing.assert_frame_equal(again, first)
    assert again.attrs == first.attrs
    bennu = again[again["designation"] == "1999 RQ36"].iloc[0]
    assert bennu["e"] < 0.3 and bennu["diameter_km"] < 1.0
    caplog.clear()
    load_neas(src)  # converted again and written back: the next load is quiet
    assert caplog.messages == []


def test_an_edited_sealed_catalog_file_is_refused(data_dir, tmp_path):
    path = tmp_path / "mine.parquet"
    write_fast(load_neas(data_dir / "nea_small.json"), path)
    _rewrite_keeping_seal(path, _bennu_e5)
    with pytest.raises(CatalogFormatError, match="does not match its digest") as info:
        load_neas(path)
    assert str(info.value).startswith(str(path))
