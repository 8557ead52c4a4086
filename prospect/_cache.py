"""Entries kept between runs, checked when read back: nothing from a cache is trusted blindly.

Every entry prospect keeps between runs -- rank checkpoints
(:mod:`prospect.scan.rank.checkpoint`), survey chunks
(:mod:`prospect.survey.store`), n-body interpolants (:mod:`prospect.nbody.cache`)
and converted catalogs (:mod:`prospect.catalog.fast`) -- carries a *seal*, a
small JSON record written with it:

``kind``
    what the entry is (``"rank-chunk"``, ``"survey-chunk"``, ...);
``inputs``
    the digest of everything the entry was computed from (its cache key);
``schema``
    column names and dtypes (tables) or array names, dtypes and shapes;
``content``
    the BLAKE2b digest of the entry's own data (:func:`frame_digest`,
    :func:`arrays_digest`);

plus fields of its kind (a chunk's index and rows).  The readers here check
all of them and the caller adds its own (rows in order, one per target).  A
file that cannot be read, is not a regular file (a symbolic link is not
followed), lacks a seal or fails a check is *discarded*: one warning line
naming the file and the reason goes to the ``prospect.cache`` logger (to
stderr when the application set up no logging), the file is removed, and the
reader returns None so the caller computes the entry again.  A bad entry is
never used and never fatal.  The first read in a directory also removes the
temporaries of writers killed there (:func:`prospect._io.sweep_once`).

A digest detects corruption, truncation, edits and entries of other inputs; it
is not a signature -- whoever can write the cache can also rewrite a seal --
which is why cache directories are private to the user
(:func:`prospect._io.private_dir`).

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> df = pd.DataFrame({"row": [0, 1], "dv_km_s": [3.5, 4.25]})
>>> with tempfile.TemporaryDirectory() as d:
...     p = pathlib.Path(d) / "chunk.parquet"
...     _ = write_frame(p, df, kind="demo", inputs="k1")
...     same = read_frame(p, kind="demo", inputs="k1")
...     other = read_frame(p, kind="demo", inputs="k2")  # logs one line, removes p
...     same.equals(df), other, p.exists()
(True, None, False)
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from prospect._io import atomic_file, sweep_once

__all__ = [
    "SEAL_KEY",
    "arrays_digest",
    "check_seal",
    "discard",
    "frame_digest",
    "read_arrays",
    "read_frame",
    "read_seal",
    "write_arrays",
    "write_frame",
]

LOG = logging.getLogger("prospect.cache")
#: Parquet key-value metadata key (and npz member) of the seal.
SEAL_KEY = "prospect.seal"
#: Version of the seal; an entry of another version is discarded.
SEAL_FORMAT = 1
#: Largest entry read back, bytes (an entry above it is discarded, not read).
MAX_ENTRY_BYTES = 2 * 1024**3


def frame_schema(df: pd.DataFrame) -> list[list[str]]:
    """Column names and dtypes of a table, ``[[name, dtype], ...]``."""
    return [[str(c), str(t)] for c, t in df.dtypes.items()]


def frame_digest(df: pd.DataFrame) -> str:
    """BLAKE2b-160 digest of a table's columns, dtypes and values (hex).

    Values are hashed row by row with :func:`pandas.util.hash_pandas_object`
    (exact for numbers, NaN and missing values included), index excluded.
    """
    h = hashlib.blake2b(digest_size=20)
    h.update(json.dumps([len(df), frame_schema(df)]).encode())
    if len(df.columns):
        rows = pd.util.hash_pandas_object(df, index=False).to_numpy()
        h.update(np.ascontiguousarray(rows, dtype=np.uint64).tobytes())
    return h.hexdigest()


def arrays_digest(arrays: dict[str, np.ndarray]) -> str:
    """BLAKE2b-160 digest of named arrays: names, dtypes, shapes and bytes (hex)."""
    h = hashlib.blake2b(digest_size=20)
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(json.dumps([name, a.dtype.str, list(a.shape)]).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def discard(path, reason: str, *, remove: bool = True) -> None:
    """Log one line that ``path`` is not used, and why; remove it (best effort)."""
    then = "it is computed again" if remove else "skipped"
    LOG.warning("prospect: discarded cache entry %s: %s; %s", path, reason, then)
    if remove:
        try:
            os.unlink(path)
        except OSError:
            pass


def _read_bytes(path, sweep: bool = True) -> bytes:
    """A regular file's bytes, never through a symbolic link (OSError otherwise).

    With ``sweep``, the first read in a directory also removes the temporaries
    killed writers left there (:func:`prospect._io.sweep_once`), whether the
    entry exists or not: an n-body year, a checkpoint chunk or a converted
    catalog whose write was killed is cleaned up by the next run that looks for it.
    """
    if sweep:
        sweep_once(Path(path).parent)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"not a regular file (mode {stat.S_IFMT(st.st_mode):o})")
        if st.st_size > MAX_ENTRY_BYTES:
            raise OSError(f"{st.st_size:,} bytes, more than an entry can be")
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read()
    finally:
        os.close(fd)


def _seal(kind: str, inputs: str, schema, content: str, extra: dict | None) -> dict:
    return {"format": SEAL_FORMAT, "kind": kind, "inputs": inputs, "schema": schema,
            "content": content, **(extra or {})}  # fmt: skip


def check_seal(seal, kind: str, inputs: str, schema, content: str) -> str | None:
    """Why ``seal`` does not vouch for this entry (None: it does)."""
    if not isinstance(seal, dict):
        return "no seal (not written by this prospect, or damaged)"
    if seal.get("format") != SEAL_FORMAT or seal.get("kind") != kind:
        return f"a {seal.get('kind')!r} entry of seal format {seal.get('format')!r}"
    if seal.get("inputs") != inputs:
        return "made from other inputs"
    if seal.get("schema") != schema:
        return "columns or types differ from those it was written with"
    if seal.get("content") != content:
        return "its content does not match its digest (modified or damaged)"
    return None


def _decode_seal(raw) -> dict | None:
    try:
        seal = json.loads(raw)
    except (TypeError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    return seal if isinstance(seal, dict) else None


def write_frame(path, df: pd.DataFrame, *, kind: str, inputs: str, extra: dict | None = None,
                meta: dict | None = None, mode: int = 0o600,
                compression: str = "snappy") -> Path:  # fmt: skip
    """Write a table with its seal to Parquet, atomically (:func:`prospect._io.atomic_file`).

    Parameters
    ----------
    path : PathLike or binary file object
        Destination (its directory must exist); a file object (``io.BytesIO``)
        is written as it is.
    df : DataFrame
        The entry (index not kept).
    kind, inputs : str
        What the entry is and the digest of its inputs (see the module docstring).
    extra : dict, optional
        More seal fields (JSON), checked by the caller.
    meta : dict of bytes to bytes, optional
        More Parquet key-value metadata.
    mode : int
        File permissions (0600: private cache entries).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    seal = _seal(kind, inputs, frame_schema(df), frame_digest(df), extra)
    table = pa.Table.from_pandas(df, preserve_index=False)
    md = dict(table.schema.metadata or {})
    md.update(meta or {})
    md[SEAL_KEY.encode()] = json.dumps(seal, sort_keys=True).encode()
    table = table.replace_schema_metadata(md)
    if hasattr(path, "write"):
        pq.write_table(table, path, compression=compression)
        return path
    with atomic_file(path, mode=mode) as fh:
        pq.write_table(table, fh, compression=compression)
    return Path(path)


def read_seal(table) -> dict | None:
    """The seal in a pyarrow table's metadata (None without one)."""
    raw = (table.schema.metadata or {}).get(SEAL_KEY.encode())
    return None if raw is None else _decode_seal(raw)


def read_frame(path, *, kind: str, inputs: str, check: Callable | None = None,
               remove: bool = True, columns=None, meta: dict | None = None
               ) -> pd.DataFrame | None:  # fmt: skip
    """A table written by :func:`write_frame`, checked; None if missing or discarded.

    Parameters
    ----------
    path : PathLike
    kind, inputs : str
        What the entry must be and the digest of the inputs it must come from.
    check : callable, optional
        ``check(df, seal) -> str | None``: the caller's own checks (a reason
        to discard the entry, or None).
    remove : bool
        Remove a discarded entry (False for read-only readers).
    columns : list of str, optional
        Return only these columns (every column is still checked).
    meta : dict, optional
        Filled with the file's Parquet key-value metadata (bytes to bytes)
        before ``check`` runs.

    Returns
    -------
    DataFrame or None
        The table, ``attrs`` untouched by the reader; None when ``path`` does
        not exist or was discarded (with one logged line).
    """
    import pyarrow.parquet as pq

    try:
        raw = _read_bytes(path, sweep=remove)
    except FileNotFoundError:
        return None
    except OSError as exc:
        discard(path, f"unreadable ({exc.strerror or exc})", remove=remove)
        return None
    try:
        table = pq.read_table(io.BytesIO(raw))
        df = table.to_pandas()
        seal = read_seal(table)
        if meta is not None:
            meta.update(table.schema.metadata or {})
        # pyarrow may decode lazily: damaged strings fail only when hashed
        why = check_seal(seal, kind, inputs, frame_schema(df), frame_digest(df))
        if why is None and check is not None:
            with np.errstate(all="ignore"):
                why = check(df, seal)
    except Exception as exc:  # pyarrow raises its own types for damaged files
        discard(path, f"not a readable Parquet file ({type(exc).__name__})", remove=remove)
        return None
    if why is not None:
        discard(path, why, remove=remove)
        return None
    return df if columns is None else df[list(columns)]


def write_arrays(path, arrays: dict[str, np.ndarray], *, kind: str, inputs: str,
                 extra: dict | None = None, mode: int = 0o600) -> Path:  # fmt: skip
    """Write named arrays with their seal to an ``.npz`` file, atomically."""
    schema = [[k, np.asarray(a).dtype.str, list(np.shape(a))] for k, a in sorted(arrays.items())]
    seal = _seal(kind, inputs, schema, arrays_digest(arrays), extra)
    with atomic_file(path, mode=mode) as fh:
        np.savez(fh, **arrays, **{SEAL_KEY: np.array(json.dumps(seal, sort_keys=True))})
    return Path(path)


def read_arrays(path, *, kind: str, inputs: str, check: Callable | None = None,
                remove: bool = True) -> dict[str, np.ndarray] | None:  # fmt: skip
    """Arrays written by :func:`write_arrays`, checked; None if missing or discarded.

    ``check(arrays, seal) -> str | None`` adds the caller's checks.  Object
    arrays are refused (never unpickled).
    """
    try:
        raw = _read_bytes(path, sweep=remove)
    except FileNotFoundError:
        return None
    except OSError as exc:
        discard(path, f"unreadable ({exc.strerror or exc})", remove=remove)
        return None
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except Exception as exc:  # zip, npy header and pickle refusals
        discard(path, f"not a readable .npz file ({type(exc).__name__})", remove=remove)
        return None
    seal_arr = arrays.pop(SEAL_KEY, None)
    seal = None
    if seal_arr is not None and seal_arr.dtype.kind == "U" and seal_arr.ndim == 0:
        seal = _decode_seal(str(seal_arr))
    schema = [[k, a.dtype.str, list(a.shape)] for k, a in sorted(arrays.items())]
    why = check_seal(seal, kind, inputs, schema, arrays_digest(arrays))
    if why is None and check is not None:
        with np.errstate(all="ignore"):
            why = check(arrays, seal)
    if why is not None:
        discard(path, why, remove=remove)
        return None
    return arrays
