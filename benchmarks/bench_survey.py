"""Figures of ``prospect survey`` (not timed tests): run by hand, read the output.

    python benchmarks/bench_survey.py            # ~2-4 min on 2 idle cores
    python benchmarks/bench_survey.py --targets 192 --ephemeris nbody

In one run, on a seeded sample of the shipped catalog, NHATS profile
(``nhats-human``), one launch year (2028) on the default 5-day lattice:

1. **compute per target-year**: :func:`prospect.survey._chunk.survey_chunk`
   in this process (numba warm), seconds per target per launch year;
2. **1 worker against 2**: the same survey through a ``LocalCluster`` of one
   worker process, then of two (started beforehand, so cluster start-up is
   not counted), wall time ratio (target >= 1.8 on 2 idle cores);
3. **scheduler overhead per chunk**: the round trip of a no-op task that
   carries a chunk's rows and the plan (scheduling, sending the rows,
   returning a table), one worker; also (1-worker wall time - in-process
   compute time of the same chunks) / chunks, which includes the load of the
   machine;
4. **the default survey on this machine** (whole shipped catalog, 2027-01-01
   to 2045-12-31, all cores): projected from 1 and 2 (targets x years x
   per-target-year cost / (cores x measured parallel efficiency));
5. **whole-catalog 19-year survey on 8, 64 and 256 workers**, with the
   smallest chunk that keeps the per-chunk overhead under 5 % of its compute
   time, and the largest that still gives every worker 4 chunks (load
   balance).  With ``--ephemeris nbody`` the per-target cost includes the
   n-body states (when :mod:`prospect.nbody` is installed).

The machine is shared: timings vary with the load of other processes; the
ratios in one run are the figures to read.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def _sample(n: int):
    import pandas as pd

    from prospect.catalog import load_neas

    full = load_neas(None)
    rng = np.random.default_rng(11)
    known = full[full["designation"].isin(["2000 SG344", "2006 RH120"])]
    rest = full.drop(index=known.index)
    pick = rest.iloc[np.sort(rng.choice(len(rest), n - len(known), replace=False))]
    out = pd.concat([known, pick]).reset_index(drop=True)
    out.attrs = dict(full.attrs)
    return full, out


def _plan(ephemeris: str):
    from prospect.scan.roundtrip import nhats_spec
    from prospect.survey._plan import make_plan

    spec = nhats_spec("nhats-human")
    return make_plan(
        spec, round_trip=True, start="2028-01-01", end="2028-12-31", ephemeris=ephemeris
    )


def _noop(rows, plan):
    """A task with a survey chunk's payload and no work: what Dask itself costs."""
    return rows.iloc[:0]


def _noop_overhead(client, sample, chunk: int, plan, n_tasks: int = 40) -> float:
    parts = [sample.iloc[a : a + chunk] for a in range(0, len(sample), chunk)]
    client.submit(_noop, parts[0], plan, pure=False).result()  # warm
    t0 = time.perf_counter()
    futs = [client.submit(_noop, parts[k % len(parts)], plan, pure=False) for k in range(n_tasks)]
    for f in futs:
        f.result()
    return (time.perf_counter() - t0) / n_tasks


def _cluster_run(n_workers: int, sample, chunk: int, ephemeris: str, tmp: Path, plan=None):
    from distributed import Client, LocalCluster

    from prospect.survey import survey

    cl = LocalCluster(
        n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
        env={"NUMBA_NUM_THREADS": "1"},  # as prospect.survey's own LocalCluster
    )  # fmt: skip
    client = Client(cl, set_as_default=False)
    try:
        # warm each worker's imports and numba cache on a tiny survey first
        survey("nhats-human", output=tmp / f"warm{n_workers}", catalog=sample.head(2 * n_workers),
               chunk_size=1, scheduler=cl.scheduler_address, start="2028-01-01",
               end="2028-02-01", ephemeris=ephemeris)  # fmt: skip
        t0 = time.perf_counter()
        survey("nhats-human", output=tmp / f"w{n_workers}", catalog=sample, chunk_size=chunk,
               scheduler=cl.scheduler_address, start="2028-01-01", end="2028-12-31",
               ephemeris=ephemeris)  # fmt: skip
        wall = time.perf_counter() - t0
        noop = _noop_overhead(client, sample, chunk, plan) if plan is not None else None
        return wall, noop
    finally:
        client.close()
        cl.close()


def _projection(n_catalog, years, t_target_year, overhead_s, eff2) -> None:
    per_target = t_target_year * years  # one target, the whole period, one core
    total_cpu = n_catalog * per_target
    cores = os.cpu_count() or 1
    here = total_cpu / (cores * (eff2 if cores > 1 else 1.0))
    print(
        f"[default] whole catalog ({n_catalog:,} targets) x {years} launch years on this "
        f"machine ({cores} cores): {here / 3600:,.1f} h (projected: {total_cpu / 3600:,.1f} "
        "core-hours)"
    )
    min_chunk = max(1, math.ceil(overhead_s / (0.05 * per_target)))
    print(
        f"[chunks] overhead < 5 % needs >= {min_chunk} target(s) per chunk "
        f"({overhead_s * 1e3:.0f} ms overhead vs {per_target:.2f} s per target)"
    )
    for w in (8, 64, 256):
        max_chunk = max(1, n_catalog // (4 * w))
        chunk = max(min_chunk, min(max_chunk, 100))
        n_chunks = math.ceil(n_catalog / chunk)
        wall = (n_chunks * (chunk * per_target + overhead_s)) / w
        ovh = overhead_s / (chunk * per_target)
        print(
            f"[projection] {w:>3} workers: chunk {chunk} targets ({n_chunks:,} chunks, "
            f"overhead {ovh:.2%}), {wall / 3600:,.2f} h ({wall / 60:,.0f} min)"
        )


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", type=int, default=96, help="sample size (default 96)")
    ap.add_argument("--chunk", type=int, default=8, help="targets per chunk (default 8)")
    ap.add_argument("--ephemeris", default="two-body", choices=("two-body", "nbody"))
    args = ap.parse_args(argv)

    import numba

    from prospect.survey._chunk import survey_chunk

    full, sample = _sample(args.targets)
    plan = _plan(args.ephemeris)
    numba.set_num_threads(1)  # one core, as one worker process
    survey_chunk(sample.head(4), plan)  # numba warm-up
    t0 = time.perf_counter()
    for a in range(0, len(sample), args.chunk):
        survey_chunk(sample.iloc[a : a + args.chunk], plan)
    t_inproc = time.perf_counter() - t0
    n_chunks = math.ceil(len(sample) / args.chunk)
    per_ty = t_inproc / len(sample)
    print(
        f"[compute] {len(sample)} targets x 1 launch year ({args.ephemeris}, 5-d lattice): "
        f"{t_inproc:.1f} s in-process on one core, {per_ty * 1e3:.1f} ms per target-year"
    )
    with tempfile.TemporaryDirectory() as tmp:
        t1, noop = _cluster_run(1, sample, args.chunk, args.ephemeris, Path(tmp), plan)
        t2, _ = _cluster_run(2, sample, args.chunk, args.ephemeris, Path(tmp))
    diff = (t1 - t_inproc) / n_chunks
    overhead = noop
    print(f"[workers] 1 worker {t1:.1f} s, 2 workers {t2:.1f} s: ratio {t1 / t2:.2f} (target 1.8)")
    print(
        f"[overhead] {noop * 1e3:.0f} ms per task carrying a chunk of {args.chunk} targets "
        f"(no-op tasks through the scheduler; {noop / (t1 / n_chunks):.1%} of a chunk here); "
        f"1-worker survey minus in-process compute: {diff * 1e3:.0f} ms per chunk"
    )
    _projection(len(full), 19, per_ty, overhead, (t1 / t2) / 2)


if __name__ == "__main__":
    sys.exit(main())
