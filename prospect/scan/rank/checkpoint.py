"""Checkpoints of a rank scan: finished chunks kept in the user cache, so a scan can resume.

A scan's checkpoint directory is named by a hash of everything that decides
its chunks (catalog rows and elements, mission settings, mode, window, grid,
chunk size); each finished chunk is one Parquet file written atomically
(:func:`prospect._io.atomic_path`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from prospect._io import atomic_path

__all__ = ["CheckpointStore", "scan_key"]


def _fingerprint(table: pd.DataFrame, el: dict) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update("\n".join(table["designation"].astype(str)).encode())
    for k in sorted(el):
        h.update(np.ascontiguousarray(el[k], dtype=float).tobytes())
    return h.hexdigest()


def scan_key(table: pd.DataFrame, el: dict, spec, round_trip: bool, grid, chunk: int) -> str:
    """Hash of everything that decides a scan's chunks (24 hex digits)."""
    key_src = json.dumps(
        {
            "v": 1,
            "catalog": _fingerprint(table, el),
            "spec": spec.as_dict(),
            "round_trip": round_trip,
            "window": grid.window_s,
            "grid": grid.desc,
            "chunk": chunk,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.blake2b(key_src.encode(), digest_size=12).hexdigest()


class CheckpointStore:
    """Finished chunks of one scan (``key``) in ``<user cache>/rank-checkpoints/<key>``."""

    def __init__(self, key: str, *, write: bool, resume: bool):
        from prospect._resources import user_cache_dir

        self.write = write
        self.resume = resume
        self.dir = user_cache_dir() / "rank-checkpoints" / key
        self.dir.mkdir(parents=True, exist_ok=True)

    def _path(self, c: int) -> Path:
        return self.dir / f"chunk-{c:05d}.parquet"

    def load(self, c: int) -> pd.DataFrame | None:
        """Chunk ``c`` of an earlier run (when resuming), else None."""
        path = self._path(c)
        if self.resume and path.exists():
            return pd.read_parquet(path)
        return None

    def save(self, c: int, part: pd.DataFrame) -> None:
        """Keep chunk ``c`` (atomically)."""
        if self.write:
            with atomic_path(self._path(c)) as tmp:
                part.to_parquet(tmp, index=False)

    def close(self) -> None:
        """The scan finished: remove its chunks."""
        if not self.write:
            return
        for f in self.dir.glob("chunk-*.parquet"):
            f.unlink()
        try:
            self.dir.rmdir()
        except OSError:
            pass
