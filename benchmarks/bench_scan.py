"""Figures of the mission scans (not timed tests): run by hand, read the output.

    python benchmarks/bench_scan.py                 # both benchmarks
    python benchmarks/bench_scan.py --only default  # `prospect rank --mission prospector-1`
    python benchmarks/bench_scan.py --only exhaustive [--calibrate]

1. ``default``: ``prospect rank --mission prospector-1`` on the full shipped
   catalog with the default window (first day of next month, two years), end to
   end in a fresh process (catalog load, JIT warm-up from numba's cache or a
   cold compile, screening, scan, refinement, output).  Target < 60 s.
2. ``exhaustive``: the one-way scan of every catalog object over a 2-year
   window, 5-day departure steps, 30-720 d flights at 10-day steps (~420 M
   Lambert solutions), unconstrained rendezvous from a 400 km LEO (the grid and
   cost of ``prospect rank --exhaustive``).  Target < 3 min.  Reports the time,
   Lambert solutions per second, the peak memory (``ru_maxrss`` of the process
   and the tracemalloc peak of the scan) against the chunk budget.
   ``--calibrate`` also prints how the Shoemaker-Helin screen compares with the
   scanned minima (the basis of ``prospect.scan.rank.SCREEN_MARGIN_KM_S``).

The machine is shared: timings vary with the load of other processes.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc

import numpy as np


def bench_default() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "rank.csv")
        cmd = [
            sys.executable,
            "-c",
            "from prospect.cli import main; main()",
            "rank",
            "--mission",
            "prospector-1",
            "--format",
            "csv",
            "--output",
            out,
        ]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        dt = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"[default] {' '.join(cmd[2:])}")
        print(f"[default] exit {proc.returncode}, {dt:.1f} s wall, peak RSS {rss:.0f} MiB")
        if proc.returncode:
            print(proc.stderr)
        else:
            n = sum(1 for _ in open(out)) - 1
            print(f"[default] {n} feasible targets written")


def bench_exhaustive(calibrate: bool) -> None:
    from prospect.catalog import load_neas
    from prospect.scan._common import memory_budget_bytes
    from prospect.scan._mission import MissionSpec
    from prospect.scan.rank import default_window, rank

    table = load_neas()
    start, end = default_window()
    spec = MissionSpec(name="unconstrained rendezvous from 400 km LEO")
    # warm the JIT (numba cache) outside the timing
    rank(
        spec,
        catalog=table.head(3),
        start=start,
        end=end,
        exhaustive=True,
        include_infeasible=True,
        refine=False,
        checkpoint=False,
    )
    tracemalloc.start()
    t0 = time.perf_counter()
    df = rank(
        spec,
        catalog=table,
        start=start,
        end=end,
        exhaustive=True,
        include_infeasible=True,
        refine=False,
        checkpoint=False,
    )
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    g = df.attrs["grid"]
    n_solves = len(table) * g["n_departure"] * g["n_tof"]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"[exhaustive] {len(table)} objects x {g['n_departure']} departures x {g['n_tof']} "
        f"flight times = {n_solves / 1e6:.0f} M Lambert solutions"
    )
    print(f"[exhaustive] {dt:.1f} s wall, {n_solves / dt / 1e6:.2f} M solutions/s")
    print(
        f"[exhaustive] peak traced {peak / 2**20:.0f} MiB (chunk budget "
        f"{memory_budget_bytes() / 2**20:.0f} MiB), peak RSS {rss:.0f} MiB"
    )
    if calibrate:
        lam = df["dv_total_km_s"].to_numpy(dtype=float)
        sh = df["sh_dv_km_s"].to_numpy(dtype=float)
        ok = np.isfinite(lam) & np.isfinite(sh)
        diff = sh[ok] - lam[ok]
        print("[calibrate] Shoemaker-Helin minus scanned minimum LEO-departure total, km/s")
        for b in (4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0):
            sel = lam[ok] <= b
            if sel.any():
                worst = float(np.max(sh[ok][sel] - b))
                print(
                    f"  budget {b:5.1f}: {int(sel.sum()):6d} objects reachable; "
                    f"max(SH - budget) = {worst:+.3f}; max(SH - Lambert) = "
                    f"{float(np.max(diff[sel])):+.3f}"
                )
        print(
            f"  all: median(SH - Lambert) {np.median(diff):+.3f}, "
            f"5% {np.percentile(diff, 5):+.3f}, 95% {np.percentile(diff, 95):+.3f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=("default", "exhaustive"))
    ap.add_argument("--calibrate", action="store_true")
    args = ap.parse_args()
    if args.only in (None, "default"):
        bench_default()
    if args.only in (None, "exhaustive"):
        bench_exhaustive(args.calibrate)


if __name__ == "__main__":
    main()
