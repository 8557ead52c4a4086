#!/usr/bin/env python3
"""rank's Pareto marking: the O(n log n) sweep against the O(n^2) pairwise reference.

    python benchmarks/bench_pareto.py [--rows 80000] [--repeat 3]

Both run in this process on the same seeded rows (delta-v rounded to 10 m/s and
whole-day durations, so ties are common; 10 % unknown sizes).  The reference is
the blockwise pairwise comparison rank used before issue 13 (34.6 s at 80k rows
on the issue's machine).  Prints best-of-N times, their ratio, and whether the
two fronts are identical.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prospect.scan.rank.score import _pareto


def pareto_pairwise(dv, dur, size) -> np.ndarray:
    """The O(n^2) reference (rank's implementation before issue 13), 512 rows at a time."""
    n = dv.size
    size = np.nan_to_num(size, nan=0.0)
    out = np.ones(n, dtype=bool)
    for a in range(0, n, 512):
        b = min(n, a + 512)
        le = (dv[None, :] <= dv[a:b, None]) & (dur[None, :] <= dur[a:b, None])
        le &= size[None, :] >= size[a:b, None]
        lt = (dv[None, :] < dv[a:b, None]) | (dur[None, :] < dur[a:b, None])
        lt |= size[None, :] > size[a:b, None]
        out[a:b] = ~(le & lt).any(axis=1)
    return out


def best(fn, repeat: int) -> tuple[float, np.ndarray]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=80_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = np.random.default_rng(13)
    n = args.rows
    dv = np.round(rng.gamma(3.0, 1.5, n), 2)
    dur = rng.integers(30, 721, n).astype(float)
    size = np.where(rng.random(n) < 0.1, np.nan, rng.lognormal(-3.0, 1.5, n))
    _pareto(dv[:10], dur[:10], size[:10])  # compile once (numba cache)
    t_new, front = best(lambda: _pareto(dv, dur, size), args.repeat)
    t_ref, ref = best(lambda: pareto_pairwise(dv, dur, size), 1)
    same = bool(np.array_equal(front, ref))
    print(f"rows {n:,}: front {int(front.sum())} rows, identical to the reference: {same}")
    print(f"  sweep O(n log n)    {t_new:9.3f} s (best of {args.repeat})")
    print(f"  pairwise O(n^2)     {t_ref:9.3f} s")
    print(f"  ratio pairwise/sweep {t_ref / t_new:8.0f}x")


if __name__ == "__main__":
    main()
