"""Stage 4 of a survey: the survey directory (manifest, one Parquet file per chunk, summary).

Layout of ``DIR``::

    DIR/survey.json                 manifest: input key and its parts, plan, chunks, status
    DIR/chunks/part-KEY-00000.parquet   one file per finished chunk (written atomically)
    DIR/results-KEY.parquet         all chunks in one table, once the survey is finished
    DIR/summary.csv                 accessible-target counts by delta-v and duration

``KEY`` is the hash of the survey's inputs (catalog content, profile, period,
ephemeris, grid and chunking; :func:`prospect.survey._plan.input_key`).  A
chunk file exists only once its chunk is finished (``prospect._io``: written
to a temporary name, then renamed), so an interrupted survey leaves only
whole chunks, and a rerun keeps them.  A directory whose manifest holds
another key is refused: chunks of different inputs never mix.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from prospect._io import atomic_path, write_atomic
from prospect.errors import InputError

__all__ = [
    "chunk_bytes",
    "chunk_path",
    "finished_chunks",
    "open_survey_dir",
    "read_manifest",
    "read_results",
]

MANIFEST = "survey.json"


def chunk_path(directory: Path, key: str, index: int) -> Path:
    """File of chunk ``index`` of the survey ``key``.

    Examples
    --------
    >>> chunk_path(Path("sv"), "0123456789abcdef" * 2, 3).as_posix()
    'sv/chunks/part-0123456789abcdef-00003.parquet'
    """
    return Path(directory) / "chunks" / f"part-{key[:16]}-{index:05d}.parquet"


def read_manifest(directory) -> dict:
    """The manifest of a survey directory.

    Raises
    ------
    InputError
        ``directory`` holds no survey (names the parameter ``directory``).
    """
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise InputError(f"{directory} holds no survey ({MANIFEST} is missing)", option="directory")
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{path}: unreadable survey manifest ({exc})", option="directory"
        ) from None


def write_manifest(directory, manifest: dict) -> None:
    write_atomic(Path(directory) / MANIFEST, json.dumps(manifest, indent=1, default=str) + "\n")


def _differing(old: dict, new: dict) -> list[str]:
    return [k for k in new if json.dumps(old.get(k), sort_keys=True, default=str)
            != json.dumps(new[k], sort_keys=True, default=str)]  # fmt: skip


def open_survey_dir(directory, key: str, parts: dict, *, resume: bool) -> dict | None:
    """Check ``directory`` for a survey of inputs ``key``; the manifest found, if any.

    Raises
    ------
    InputError
        The directory holds a survey of other inputs (the inputs that differ
        are named), or the same survey and ``resume`` is False, or it is a
        non-empty directory that is not a survey.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory} is not a directory", option="output")
    if (directory / MANIFEST).is_file():
        try:
            old = read_manifest(directory)
        except InputError as exc:
            raise InputError(exc.reason, option="output") from None
        if old.get("key") != key:
            diff = _differing(old.get("inputs", {}), parts) or ["format"]
            raise InputError(
                f"{directory} holds a survey of different inputs ({', '.join(diff)} differ); "
                "refusing to mix them: choose another directory",
                option="output",
            )
        if not resume:
            raise InputError(
                f"{directory} already holds this survey; pass {{resume}} to keep its finished "
                "chunks and compute the rest",
                option="output",
                mentions={"resume": True},
            )
        return old
    if directory.is_dir() and any(directory.iterdir()):
        raise InputError(
            f"{directory} is not empty and holds no survey; choose an empty or new directory",
            option="output",
        )
    (directory / "chunks").mkdir(parents=True, exist_ok=True)
    return None


def finished_chunks(directory, key: str, n_chunks: int) -> list[int]:
    """Indices of the chunks of survey ``key`` whose file exists."""
    return [i for i in range(n_chunks) if chunk_path(directory, key, i).is_file()]


def chunk_bytes(df: pd.DataFrame) -> bytes:
    """A finished chunk's file content (Parquet): what a worker sends back to be written."""
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def write_chunk(directory, key: str, index: int, data: pd.DataFrame | bytes) -> Path:
    """Write one finished chunk atomically: its table, or its :func:`chunk_bytes`."""
    path = chunk_path(directory, key, index)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data if isinstance(data, bytes) else chunk_bytes(data))
    return path


def results_path(directory, key: str) -> Path:
    """The whole table of a finished survey (all chunks in one file, for fast queries)."""
    return Path(directory) / f"results-{key[:16]}.parquet"


def write_results(directory, key: str, df: pd.DataFrame) -> Path:
    path = results_path(directory, key)
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False)
    return path


def read_results(directory, *, columns=None) -> pd.DataFrame:
    """All finished chunks of a survey directory, one row per target, in catalog order.

    A finished survey is read from its one results file, an unfinished one
    from its chunk files.  ``attrs`` holds the manifest and ``complete``.
    Raises :class:`InputError` for a directory without a survey.
    """
    man = read_manifest(directory)
    key, n = man["key"], int(man["n_chunks"])
    whole = results_path(directory, key)
    if man.get("complete") and whole.is_file():
        df = pd.read_parquet(whole, columns=columns)
        df.attrs.update(manifest=man, complete=True)
        return df
    paths = [chunk_path(directory, key, i) for i in finished_chunks(directory, key, n)]
    if paths:
        df = pd.concat([pd.read_parquet(p, columns=columns) for p in paths], ignore_index=True)
    else:
        df = pd.DataFrame()
    df.attrs["manifest"] = man
    df.attrs["complete"] = len(paths) == n
    return df
