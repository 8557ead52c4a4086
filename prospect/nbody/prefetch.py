"""n-body states read (or integrated) by a helper process while the caller computes.

A scan over many targets spends two kinds of time: reading each target's year
entries from the cache (:mod:`prospect.nbody.cache`; Python work, about 1 ms an
entry) or integrating the missing ones (ASSIST), and its own Lambert kernels
(numba, on every core).  :class:`Prefetch` starts one helper process
(``python -m prospect.nbody.prefetch DIR``, a fresh interpreter: forking a
process whose numba threads run GNU OpenMP is unsafe) that computes the states
of the targets block after block, in the order the caller will ask for them,
and leaves each block in a private temporary directory; the caller takes them
as they come.  The values are those of :func:`prospect.nbody.cache.cached_states`
(per target, whatever the block).  A block the helper did not give (it failed
or was stopped) is None: the caller computes it itself, and meets the error
there if there is one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

__all__ = ["Prefetch"]


class Prefetch:
    """States of N targets at M epochs, ``block`` targets at a time, from a helper process.

    Parameters
    ----------
    labels : sequence of str, (N,)
        Designations (part of the cache key).
    elements : dict of ndarray, each (N,)
        Kernel-ready elements (:func:`prospect.targets.element_arrays`).
    epochs_s : ndarray, shape (M,)
        TDB seconds since J2000.
    gm_km3_s2 : float
        The GM the elements assume.
    block : int
        Targets per block.
    """

    def __init__(self, labels, elements: dict, epochs_s, gm_km3_s2: float, block: int = 128):
        self.block = int(block)
        self.epochs_s = np.asarray(epochs_s, dtype=float)
        self.n_blocks = -(-len(labels) // self.block)
        self._dir = Path(tempfile.mkdtemp(prefix="prospect-prefetch-"))  # private (0700)
        arrays = {f"el_{k}": np.asarray(v, dtype=float) for k, v in elements.items()}
        np.savez(self._dir / "request.npz", labels=np.asarray(labels, dtype=str),
                 epochs_s=self.epochs_s, gm=np.float64(gm_km3_s2), block=np.int64(self.block),
                 **arrays)  # fmt: skip
        self._ready = 0  # blocks the helper has reported
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "prospect.nbody.prefetch", str(self._dir)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
        )

    def get(self, b: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Block ``b``'s ``r, v`` (n_b, M, 3), waiting for the helper; None if it cannot give it."""
        while self._ready <= b and self._proc is not None:
            line = self._proc.stdout.readline()
            if not line.strip().isdigit():  # the helper ended (or failed)
                self._stop()
                break
            self._ready = int(line) + 1
        path = self._dir / f"{b}.npz"
        if b >= self._ready or not path.exists():
            return None
        with np.load(path, allow_pickle=False) as z:
            r, v = z["r"], z["v"]
        path.unlink()
        return r, v

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc.stdout.close()
            self._proc = None

    def close(self) -> None:
        """Stop the helper and remove its directory."""
        self._stop()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve(directory: str) -> None:
    """The helper: every block of the request in ``directory``, one ``.npz`` each, its
    number on stdout when it is whole."""
    from prospect.nbody.cache import cached_states

    d = Path(directory)
    with np.load(d / "request.npz", allow_pickle=False) as z:
        req = {k: z[k] for k in z.files}
    labels = req["labels"].tolist()
    el = {k[3:]: v for k, v in req.items() if k.startswith("el_")}
    block = int(req["block"])
    for b, a in enumerate(range(0, len(labels), block)):
        sub = {k: v[a : a + block] for k, v in el.items()}
        r, v, _ = cached_states(labels[a : a + block], sub, req["epochs_s"], float(req["gm"]))
        tmp = d / f"{b}.part.npz"
        np.savez(tmp, r=r, v=v)
        tmp.rename(d / f"{b}.npz")
        print(b, flush=True)


if __name__ == "__main__":  # pragma: no cover - run as the helper process
    _serve(sys.argv[1])
