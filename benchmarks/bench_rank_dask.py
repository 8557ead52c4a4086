"""``prospect rank`` on Dask (not a timed test): run by hand, read the output.

    python benchmarks/bench_rank_dask.py                 # one-way, 1,000 targets
    python benchmarks/bench_rank_dask.py --targets 400 --round-trip

In one run, on a seeded sample of the shipped catalog, NHATS profile
(``nhats-human``), launch period 2027-01-01 to 2029-01-01, the scan stage on
every cell of the fine grid (``exhaustive=True``, no screening, no refinement,
no checkpoints, two-body: the stage that runs on Dask), the same rank three times:

1. in this process (numba warm, its threads on all cores);
2. through a ``LocalCluster`` of one worker process (one thread, numba on one
   thread), started beforehand so start-up is not counted;
3. through one of two such workers;

and prints the wall times, the ratio 1 worker / 2 workers (parallel speed-up
of the scan's chunks) and whether the cluster's tables equal the in-process
one (floats within 1e-12 relative).  The machine is shared: read the ratios of
one run, not the absolute times.
"""

from __future__ import annotations

import argparse
import logging
import time

import numpy as np


def _sample(n: int):
    from prospect.catalog import load_neas

    full = load_neas(None)
    rng = np.random.default_rng(7)
    out = full.iloc[np.sort(rng.choice(len(full), n, replace=False))].reset_index(drop=True)
    out.attrs = dict(full.attrs)
    return out


def _same(a, b) -> bool:
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    for col in a.columns:
        x, y = a[col].to_numpy(), b[col].to_numpy()
        if x.dtype.kind == "f":
            if not np.allclose(x, y, rtol=1e-12, atol=0, equal_nan=True):
                return False
        elif not a[col].equals(b[col]):
            return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", type=int, default=1000)
    ap.add_argument("--round-trip", action="store_true")
    ap.add_argument("--memory-mb", type=float, default=None, help="scan budget (default rank's)")
    args = ap.parse_args()
    from distributed import LocalCluster

    from prospect.scan import rank

    cat = _sample(args.targets)
    kw = dict(catalog=cat, start="2027-01-01", end="2029-01-01", round_trip=args.round_trip,
              exhaustive=True, refine=False, checkpoint=False, include_infeasible=True,
              memory_mb=args.memory_mb, ephemeris="two-body")  # fmt: skip
    rank("nhats-human", **{**kw, "catalog": cat.head(5)})  # numba warm-up
    chunks = []
    t0 = time.perf_counter()
    here = rank("nhats-human", progress=lambda d, n: chunks.append(d), **kw)
    t_in = time.perf_counter() - t0
    times = {}
    for n in (1, 2):
        with LocalCluster(n_workers=n, threads_per_worker=1, host="127.0.0.1",
                          dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
                          env={"NUMBA_NUM_THREADS": "1"}) as cl:  # fmt: skip
            rank("nhats-human", scheduler=cl.scheduler_address, **{**kw, "catalog": cat.head(5)})
            t0 = time.perf_counter()
            there = rank("nhats-human", scheduler=cl.scheduler_address, **kw)
            times[n] = time.perf_counter() - t0
            print(f"{n} worker(s): {times[n]:7.1f} s, equal to in-process: {_same(there, here)}")
    mode = "round trips" if args.round_trip else "one-way"
    print(f"{len(cat):,} targets, {mode}, {len(chunks)} chunk(s); in-process {t_in:7.1f} s")
    print(f"ratio 1 worker / 2 workers: {times[1] / times[2]:.2f} (2 idle cores: ideal 2)")
    print(f"ratio in-process / 2 workers: {t_in / times[2]:.2f}")


if __name__ == "__main__":
    main()
