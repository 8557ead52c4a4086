"""Catalog files: the shipped names, parsing any supported file's bytes, and
loading one file through the converted-table cache (:func:`prospect.catalog.load_neas`
with a path; :mod:`prospect.catalog.update` for the active catalog)."""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import pandas as pd

__all__ = ["SHIPPED_FAST", "SHIPPED_JSON", "load_file", "parse_bytes"]

#: File names of the shipped catalog (in ``catalogs/``).
SHIPPED_JSON = "mpc_nea_extended.json.gz"
SHIPPED_FAST = "mpc_nea.parquet"


def parse_bytes(
    raw: bytes,
    *,
    path: str | None = None,
    skip_bad: bool = False,
    max_unpacked: int | None = None,
) -> pd.DataFrame:
    """Parse a catalog file's bytes (any supported format, gzipped or not).

    Parameters
    ----------
    raw : bytes
        File contents as stored.
    path : str, optional
        Name used in messages and ``attrs["path"]`` (also a format hint by extension).
    skip_bad : bool
        Skip bad records instead of raising.
    max_unpacked : int, optional
        Refuse gzip data that unpacks to more bytes than this (default
        :func:`prospect.catalog._io.unpack_limit`: ``$PROSPECT_MAX_UNPACKED_BYTES``,
        else 512 MiB).

    Returns
    -------
    pandas.DataFrame
        The NEA table; ``attrs["source_digest"]`` is the BLAKE2b hash of ``raw``.
    """
    from prospect.catalog._io import decompress, detect_format
    from prospect.catalog.fast import source_digest

    data = decompress(raw, path, max_bytes=max_unpacked)
    fmt = detect_format(data, path or "")
    extra = {
        "source_file": None if path is None else Path(str(path)).name,
        "source_digest": source_digest(raw),
    }
    if fmt == "mpc-json":
        from prospect.catalog.mpc import parse_mpc_json as parse
    elif fmt == "mpcorb":
        from prospect.catalog.mpcorb import parse_mpcorb as parse
    else:
        from prospect.catalog.sbdb import parse_sbdb_csv as parse
    return parse(data, path=path, skip_bad=skip_bad, extra_attrs=extra)


def load_file(
    path: str | PathLike, *, skip_bad: bool = False, max_unpacked: int | None = None
) -> pd.DataFrame:
    """One catalog file as the NEA table, through the user cache of converted tables
    (parquet files are read as they are, range-checked); see
    :func:`prospect.catalog.load_neas`."""
    from prospect.catalog import fast
    from prospect.catalog._io import read_raw

    p = Path(path)
    if p.suffix.lower() == ".parquet":
        return fast.read_fast(p, skip_bad=skip_bad)
    raw = read_raw(p)
    key = fast.cache_key(raw, skip_bad=skip_bad)
    try:
        from prospect._resources import user_cache_dir

        cached = fast.cached_path(user_cache_dir(), key)
    except OSError:
        cached = None
    if cached is not None and cached.exists():
        df = fast.read_cached(cached, key)  # None: discarded (one logged line), convert again
        if df is not None:
            df.attrs["path"] = str(p)
            _touch(cached)
            return df
    df = parse_bytes(raw, path=str(p), skip_bad=skip_bad, max_unpacked=max_unpacked)
    if cached is not None:
        try:
            cached.parent.mkdir(mode=0o700, exist_ok=True)
            fast.write_fast(df, cached, inputs=key)
            fast.prune_cache(cached.parent)
        except OSError:
            pass  # a read-only cache only costs speed
    return df


def _touch(path: Path) -> None:
    try:
        path.touch()
    except OSError:
        pass
