"""The fast columnar form of an NEA table (Parquet via pyarrow) and the conversion cache.

Parsing the MPC's JSON takes most of a second; reading the same table back
from Parquet takes a few hundredths.  The shipped catalog is therefore
shipped converted (``catalogs/mpc_nea.parquet``, made by
``scripts/build_nea_catalog.py`` from ``catalogs/mpc_nea_extended.json.gz``),
and every other file :func:`prospect.catalog.load_neas` parses is converted
once into the user cache, keyed by the BLAKE2 hash of its bytes, so the
second load is fast as well.

The table's ``attrs`` (source, attribution, epochs, skipped records, the hash
of the source file ...) travel in the Parquet file's key-value metadata.

Every file :func:`write_fast` writes carries a seal (:mod:`prospect._cache`):
the digest of the table's content and of its ``attrs``, its columns and
dtypes, and for a cache entry the cache key (the digest of its source file's
bytes and of the conversion).  :func:`read_fast` refuses a sealed file whose
content no longer matches (:class:`~prospect.errors.CatalogFormatError`);
:func:`read_cached` discards a cache entry that fails any check -- one warning
line naming it -- and the source is converted again, so an edited cache can
never stand in for its unchanged source.
"""

from __future__ import annotations

import hashlib
import json
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from prospect._cache import (
    SEAL_KEY,
    check_seal,
    frame_digest,
    frame_schema,
    read_frame,
    write_frame,
)
from prospect.catalog.ranges import check_table
from prospect.catalog.schema import NEA_COLUMNS, SCHEMA_VERSION
from prospect.errors import CatalogFormatError

__all__ = [
    "CACHE_KEEP",
    "cache_key",
    "cached_path",
    "read_cached",
    "read_fast",
    "source_digest",
    "write_fast",
]

#: Key of prospect's metadata in the Parquet file.
META_KEY = b"prospect.nea"
#: Converted files kept in the user cache (oldest removed first).
CACHE_KEEP = 16
#: Seal kind of an NEA table file (:mod:`prospect._cache`).
KIND = "nea-table"
#: Version of the conversion cache's entries (part of every key).
CACHE_FORMAT = 2


def source_digest(raw: bytes) -> str:
    """Hex BLAKE2b-256 digest of a source file's bytes (recorded in attrs)."""
    return hashlib.blake2b(raw, digest_size=32).hexdigest()


def cache_key(raw: bytes, *, skip_bad: bool) -> str:
    """Cache key of one conversion: content hash, skip_bad, the schema version and
    the shipped physical table joined to it."""
    from prospect.catalog.physical import physical_digest

    h = hashlib.blake2b(raw, digest_size=20)
    h.update(f"|skip_bad={int(skip_bad)}|schema={SCHEMA_VERSION}|{physical_digest()}".encode())
    h.update(f"|cache={CACHE_FORMAT}".encode())
    return h.hexdigest()


def cached_path(cache_dir: Path, key: str) -> Path:
    """Where the conversion with ``key`` is kept."""
    return cache_dir / "converted" / f"{key}.parquet"


def _attrs_digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def write_fast(df: pd.DataFrame, path: str | PathLike, *, inputs: str = "") -> Path:
    """Write an NEA table and its attrs to Parquet, atomically, with its seal.

    ``attrs["path"]`` is not stored (it names wherever the table is read from).
    ``inputs``: the cache key of a cache entry (empty for other files).
    """
    path = Path(path)
    attrs = {k: v for k, v in df.attrs.items() if k != "path"}
    raw = json.dumps(attrs, sort_keys=True).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    # 0644: a shipped or shared file must be readable
    write_frame(path, df, kind=KIND, inputs=inputs, extra={"attrs": _attrs_digest(raw)},
                meta={META_KEY: raw}, mode=0o644, compression="zstd")  # fmt: skip
    return path


def read_meta(path: str | PathLike) -> dict:
    """prospect's metadata of a fast file (no table read); CatalogFormatError if none."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except (OSError, ValueError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise CatalogFormatError(f"unreadable Parquet file ({_one_line(exc)})", path=path) from None
    return _decode_meta(meta, path)


def _one_line(exc: Exception) -> str:
    """pyarrow's message on one line, at most 200 characters."""
    return " ".join(str(exc).split())[:200]


def _decode_meta(meta: dict, path) -> dict:
    raw = meta.get(META_KEY)
    if raw is None:
        raise CatalogFormatError("Parquet file without prospect's NEA metadata", path=path)
    try:
        attrs = json.loads(raw)
    except ValueError:
        raise CatalogFormatError("corrupt prospect metadata in Parquet file", path=path) from None
    if not isinstance(attrs, dict):
        raise CatalogFormatError("corrupt prospect metadata in Parquet file", path=path)
    return attrs


def read_fast(
    path: str | PathLike, *, skip_bad: bool = False, require_seal: bool = False
) -> pd.DataFrame:
    """Read an NEA table written by :func:`write_fast`, and check its values.

    Every row passes the range checks of the parsers
    (:func:`prospect.catalog.ranges.check_table`): a Parquet file may have been
    written by anything.  ``skip_bad`` drops bad rows (listed in
    ``attrs["skipped"]``) instead of raising.

    A sealed file (every file :func:`write_fast` writes) must match its seal:
    the digest of its content and attrs, its columns and dtypes.  A user's
    Parquet file may carry none (written by pandas, or by a prospect older
    than the seal) and is then read on its range checks alone; files prospect
    made itself -- the shipped ``catalogs/mpc_nea.parquet`` and the active copy
    ``prospect catalog update`` installs -- are read with ``require_seal``, so
    one without a seal is refused, not trusted: being package data of the
    wheel does not make the installed file intact or unedited (site-packages
    is writable by whoever installed it, and nothing re-checks the wheel's
    RECORD hashes after installation).  The check costs one digest of the
    table, ~0.15 s for the 40,874 shipped rows (measured).

    Raises
    ------
    CatalogFormatError
        Unreadable file, missing metadata, another schema version, columns
        that differ from :data:`prospect.catalog.schema.NEA_COLUMNS` (names or
        kinds), a content that does not match its seal (or no seal with
        ``require_seal``), designations missing or repeated, or (unless
        ``skip_bad``) a value out of range, naming the record and field.
    FileNotFoundError
        If the file does not exist.

    Examples
    --------
    >>> from prospect._resources import catalog_path
    >>> df = read_fast(catalog_path("mpc_nea.parquet"))
    >>> len(df), df.attrs["source_file"]
    (40874, 'mpc_nea_extended.json.gz')
    """
    df, attrs = _read_frame(path)
    _check_table(attrs, df.columns, path)
    _check_sealed(df, path, require_seal)
    _check_columns(df, path)
    df.attrs.update(attrs)
    df.attrs["path"] = str(path)
    return check_table(df, path=path, skip_bad=skip_bad)


def _read_frame(path) -> tuple[pd.DataFrame, dict]:
    """The table as pandas (its pandas metadata gives the nullable dtypes) and prospect's
    attrs.  A damaged file can fail anywhere in pyarrow (thrift, names that are not
    UTF-8, pandas metadata that is not JSON): each is a CatalogFormatError."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
        attrs = _decode_meta(table.schema.metadata or {}, path)
        if table.column_names != list(NEA_COLUMNS):
            raise CatalogFormatError("columns differ from the NEA table's", path=path)
        return table.to_pandas(), attrs
    except FileNotFoundError:
        raise
    except (pa.ArrowException, OSError, ValueError, TypeError, KeyError, IndexError) as exc:
        if isinstance(exc, CatalogFormatError):
            raise
        raise CatalogFormatError(f"unreadable Parquet file ({_one_line(exc)})", path=path) from None


def _check_columns(df: pd.DataFrame, path) -> None:
    """Kinds of the columns (numbers where numbers belong) and unique designations."""
    for col, dtype in NEA_COLUMNS.items():
        if dtype in ("float64", "Int64") and not pd.api.types.is_numeric_dtype(df[col]):
            raise CatalogFormatError(
                f"column holds {df[col].dtype}, not numbers", path=path, field=col
            )
    des = df["designation"]
    if des.isna().any() or not des.is_unique:
        i = int(np.flatnonzero(des.isna().to_numpy() | des.duplicated().to_numpy())[0])
        raise CatalogFormatError(
            f"designation {des.iloc[i]!r} is missing or repeated",
            path=path,
            record=f"#{i + 1}",
            field="designation",
        )


def _check_sealed(df: pd.DataFrame, path, required: bool = False) -> None:
    """A sealed file's content and attrs as written (a user's file may carry no seal
    unless ``required``); CatalogFormatError otherwise."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
        raw = meta.get(SEAL_KEY.encode())
        seal = None if raw is None else json.loads(raw)
        if seal is None:
            if not required:
                return
            why = "carries no seal (the digest of its content prospect writes with it)"
        else:
            why = check_seal(seal, KIND, seal.get("inputs"), frame_schema(df), frame_digest(df))
            why = why or _check_attrs(seal, meta)
    except Exception as exc:  # a seal that is not JSON, strings that do not decode
        why = f"unreadable seal or content ({type(exc).__name__})"
    if why:
        raise CatalogFormatError(why, path=path)


def _check_table(attrs: dict, columns: list, path) -> None:
    """Schema version and column names (pandas metadata can rename columns)."""
    version = attrs.get("schema_version")
    if version != SCHEMA_VERSION:
        raise CatalogFormatError(
            f"NEA table of schema version {version}, this prospect reads {SCHEMA_VERSION}; "
            "convert it again",
            path=path,
        )
    if list(columns) != list(NEA_COLUMNS):
        raise CatalogFormatError("columns differ from the NEA table's", path=path)


def _check_attrs(seal: dict, meta) -> str | None:
    raw = (meta or {}).get(META_KEY)
    if raw is None or seal.get("attrs") != _attrs_digest(raw):
        return "its attributes do not match their digest (modified or damaged)"
    return None


def read_cached(path: Path, key: str) -> pd.DataFrame | None:
    """The conversion cache entry at ``path`` if it passes every check, else None.

    Checked: the seal (made by :func:`write_fast` with ``inputs=key``: the
    same source bytes and conversion, the content and attrs as written), the
    schema version and the columns.  A failing entry is discarded with one
    logged line (:func:`prospect._cache.discard`) and the caller converts the
    source again.
    """
    meta: dict = {}

    def check(df: pd.DataFrame, seal: dict) -> str | None:
        why = _check_attrs(seal, meta)
        if why is None:
            try:
                _check_table(_decode_meta(meta, path), df.columns, path)
            except CatalogFormatError as exc:
                why = exc.reason
        return why

    df = read_frame(path, kind=KIND, inputs=key, check=check, meta=meta)
    if df is not None:
        df.attrs.update(json.loads(meta[META_KEY]))
    return df


def prune_cache(directory: Path, keep: int = CACHE_KEEP) -> None:
    """Remove all but the ``keep`` most recently used conversions (best effort)."""
    try:
        files = sorted(directory.glob("*.parquet"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
