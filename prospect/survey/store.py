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

Nothing read back is trusted blindly: each chunk file and the results file
carry a seal (:mod:`prospect._cache`: the survey key, the chunk index, the
columns and dtypes, the digest of the content), and a chunk must hold as many
rows as its chunk of the catalog.  A resumed survey discards a chunk that fails
(one warning line naming the file) and computes it again; ``survey show``
skips it (and reads the chunks instead of a bad results file), saying so.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from prospect._cache import read_frame, write_frame
from prospect._io import remove_orphans, write_atomic
from prospect.errors import InputError

__all__ = [
    "check_output_dir",
    "chunk_bytes",
    "chunk_path",
    "finished_chunks",
    "open_survey_dir",
    "read_manifest",
    "read_results",
]

MANIFEST = "survey.json"
#: Seal kinds of chunk and results files (:mod:`prospect._cache`).
CHUNK_KIND, RESULTS_KIND = "survey-chunk", "survey-results"


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


def check_output_dir(directory) -> None:
    """Refuse, before any work, an output that is a file or a non-empty directory of no survey.

    Raises
    ------
    InputError
        Names ``output``.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory} is not a directory", option="output")
    if directory.is_dir() and not (directory / MANIFEST).is_file() and any(directory.iterdir()):
        raise InputError(
            f"{directory} is not empty and holds no survey; choose an empty or new directory",
            option="output",
        )


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
        for d in (directory, directory / "chunks"):  # temporaries of a killed run
            remove_orphans(d)
        return old
    if directory.is_dir() and any(directory.iterdir()):
        raise InputError(
            f"{directory} is not empty and holds no survey; choose an empty or new directory",
            option="output",
        )
    (directory / "chunks").mkdir(parents=True, exist_ok=True)
    return None


def _expected_rows(directory, index: int) -> int | None:
    """Rows of chunk ``index`` by the manifest (None without a readable one)."""
    try:
        man = json.loads((Path(directory) / MANIFEST).read_text())
        n, size = int(man["n_targets"]), int(man["chunk_size"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return max(0, min(size, n - index * size))


def _chunk_check(directory, index: int):
    def check(df: pd.DataFrame, seal: dict) -> str | None:
        if seal.get("chunk") != index:
            return f"it holds chunk {seal.get('chunk')!r}, not {index}"
        want = _expected_rows(directory, index)
        if want is not None and len(df) != want:
            return f"{len(df)} rows where chunk {index} has {want} targets"
        return None

    return check


def read_chunk(directory, key: str, index: int, *, remove: bool = True) -> pd.DataFrame | None:
    """Chunk ``index`` of survey ``key``, checked; None if missing or discarded."""
    return read_frame(chunk_path(directory, key, index), kind=CHUNK_KIND, inputs=key,
                      check=_chunk_check(directory, index), remove=remove)  # fmt: skip


def finished_chunks(directory, key: str, n_chunks: int) -> list[int]:
    """Indices of the chunks of survey ``key`` whose file exists and passes its checks
    (a bad one is removed, with one logged line, so that it is computed again)."""
    return [
        i
        for i in range(n_chunks)
        if chunk_path(directory, key, i).exists() and read_chunk(directory, key, i) is not None
    ]


def chunk_bytes(df: pd.DataFrame, *, key: str, index: int) -> bytes:
    """Chunk ``index`` of survey ``key`` as its file's content (Parquet with its seal): what
    a worker sends back to be written."""
    buf = io.BytesIO()
    write_frame(buf, df, kind=CHUNK_KIND, inputs=key, extra={"chunk": index})
    return buf.getvalue()


def write_chunk(directory, key: str, index: int, data: pd.DataFrame | bytes) -> Path:
    """Write one finished chunk atomically: its table, or its :func:`chunk_bytes`."""
    path = chunk_path(directory, key, index)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not isinstance(data, bytes):
        data = chunk_bytes(data, key=key, index=index)
    write_atomic(path, data)
    return path


def results_path(directory, key: str) -> Path:
    """The whole table of a finished survey (all chunks in one file, for fast queries)."""
    return Path(directory) / f"results-{key[:16]}.parquet"


def write_results(directory, key: str, df: pd.DataFrame) -> Path:
    path = results_path(directory, key)
    write_frame(path, df, kind=RESULTS_KIND, inputs=key, mode=0o644)
    return path


def _results_check(man: dict):
    def check(df: pd.DataFrame, seal: dict) -> str | None:
        if len(df) != man.get("n_targets"):
            return f"{len(df)} rows where the survey has {man.get('n_targets')} targets"
        return None

    return check


def read_results(directory, *, columns=None) -> pd.DataFrame:
    """All finished chunks of a survey directory, one row per target, in catalog order.

    A finished survey is read from its one results file, an unfinished one
    (or one whose results file fails its checks) from its chunk files; a
    chunk that fails its checks is skipped with one logged line, never
    removed.  ``attrs`` holds the manifest and ``complete``.  Raises
    :class:`InputError` for a directory without a survey.
    """
    man = read_manifest(directory)
    key, n = man["key"], int(man["n_chunks"])
    whole = results_path(directory, key)
    if man.get("complete") and whole.exists():
        df = read_frame(whole, kind=RESULTS_KIND, inputs=key, remove=False, columns=columns,
                        check=_results_check(man))  # fmt: skip
        if df is not None:
            df.attrs.update(manifest=man, complete=True)
            return df
    parts = []
    for i in range(n):
        if chunk_path(directory, key, i).exists():
            part = read_chunk(directory, key, i, remove=False)
            if part is not None:
                parts.append(part if columns is None else part[list(columns)])
    df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    df.attrs["manifest"] = man
    df.attrs["complete"] = len(parts) == n
    return df
