"""Throughput of prospect's batched Lambert solver against boinor's izzo.

One seeded batch of single-revolution heliocentric problems (r1 near 1 AU,
r2 at 0.7-2.5 AU, tof 30-700 days, directions within a few degrees of the
ecliptic) is solved

* by :func:`prospect.core.lambert.solve_lambert` in one call (after a warm-up
  call; best of 3), and
* by ``boinor.core.iod.izzo``, one Python call per problem on a subset, with
  the defaults of boinor's public ``boinor.iod.izzo.lambert`` (numiter=35,
  rtol=1e-8), as a user would call it.

It prints solves/s for both, their ratio, the largest relative velocity
difference on the subset, the numba thread count, and the JIT cost of a fresh
process: a first subprocess compiles into an empty numba cache, a second one
loads that cache.

Usage::

    python benchmarks/bench_lambert.py [--threads N] [--n 200000] [--subset 5000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

AU_KM = 149_597_870.7  # IAU 2012 B2
DAY_S = 86_400.0
# boinor.iod.izzo.lambert defaults
BOINOR_NUMITER = 35
BOINOR_RTOL = 1e-8

_FRESH_PROCESS = r"""
import json, time
t0 = time.perf_counter()
import numpy as np
from prospect.core.constants import AU_KM, GM_SUN_KM3_S2
from prospect.core.lambert import solve_lambert
t1 = time.perf_counter()
solve_lambert(GM_SUN_KM3_S2, [AU_KM, 0, 0], [0, 1.5 * AU_KM, 0], 2e7)
t2 = time.perf_counter()
n = 4096
r1 = np.tile([AU_KM, 0.0, 0.0], (n, 1))
r2 = np.tile([0.0, 1.5 * AU_KM, 0.0], (n, 1))
solve_lambert(GM_SUN_KM3_S2, r1, r2, np.full(n, 2e7))
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "single": t2 - t1, "batch": t3 - t2}))
"""


def make_batch(n, seed):
    """Seeded single-revolution problems near the ecliptic, km and s."""
    rng = np.random.default_rng(seed)

    def directions():
        lon = rng.uniform(0.0, 2.0 * np.pi, n)
        lat = np.radians(rng.normal(0.0, 5.0, n))  # sigma 5 deg about the ecliptic
        return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)

    r1 = directions() * rng.uniform(0.98, 1.02, (n, 1)) * AU_KM
    r2 = directions() * rng.uniform(0.7, 2.5, (n, 1)) * AU_KM
    tof = rng.uniform(30.0, 700.0, n) * DAY_S
    return r1, r2, tof


def fresh_process_jit(env):
    """Run the first-call snippet twice in new processes sharing an empty numba cache."""
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        env = dict(env, NUMBA_CACHE_DIR=cache)
        out = []
        for _ in range(2):
            res = subprocess.run(
                [sys.executable, "-c", _FRESH_PROCESS],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            out.append(json.loads(res.stdout.strip().splitlines()[-1]))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=None, help="numba threads (default: all)")
    parser.add_argument("--n", type=int, default=200_000, help="batch size (default 200000)")
    parser.add_argument("--subset", type=int, default=5_000, help="boinor subset (default 5000)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    env = dict(os.environ)
    if args.threads is not None:
        env["NUMBA_NUM_THREADS"] = str(args.threads)
        os.environ["NUMBA_NUM_THREADS"] = str(args.threads)

    import numba
    from boinor.core.iod import izzo

    from prospect.core.constants import GM_SUN_KM3_S2 as MU
    from prospect.core.lambert import solve_lambert

    if args.threads is not None:
        numba.set_num_threads(args.threads)

    r1, r2, tof = make_batch(args.n, args.seed)

    # prospect: warm-up (JIT or cache load), then best of 3
    solve_lambert(MU, r1, r2, tof)
    best = np.inf
    for _ in range(3):
        t = time.perf_counter()
        v1, v2, status = solve_lambert(MU, r1, r2, tof)
        best = min(best, time.perf_counter() - t)
    ours_rate = args.n / best
    n_bad = int(np.count_nonzero(status))

    # boinor: one call per problem on a subset, defaults as a user calls it
    m = min(args.subset, args.n)
    izzo(MU, r1[0], r2[0], tof[0], 0, True, True, BOINOR_NUMITER, BOINOR_RTOL)  # JIT
    b1 = np.empty((m, 3))
    b2 = np.empty((m, 3))
    best_b = np.inf
    for _ in range(3):
        t = time.perf_counter()
        for i in range(m):
            b1[i], b2[i] = izzo(
                MU, r1[i], r2[i], tof[i], 0, True, True, BOINOR_NUMITER, BOINOR_RTOL
            )
        best_b = min(best_b, time.perf_counter() - t)
    boinor_rate = m / best_b

    def rel(a, b):
        return np.linalg.norm(a - b, axis=1) / np.linalg.norm(b, axis=1)

    diff = max(rel(v1[:m], b1).max(), rel(v2[:m], b2).max())

    jit = fresh_process_jit(env)

    print(
        f"problems                   : {args.n} single-revolution (seed {args.seed}), "
        f"{n_bad} with non-zero status"
    )
    print(
        f"numba threads              : {numba.get_num_threads()} "
        f"(layer {numba.threading_layer()}, {os.cpu_count()} CPUs)"
    )
    print(
        f"prospect solve_lambert     : {ours_rate / 1e6:8.2f} M solves/s "
        f"({best * 1e3:.1f} ms for the batch, best of 3)"
    )
    print(
        f"boinor izzo, per-call loop : {boinor_rate / 1e6:8.3f} M solves/s "
        f"({best_b / m * 1e6:.2f} us/call, {m} problems, numiter={BOINOR_NUMITER}, "
        f"rtol={BOINOR_RTOL:g})"
    )
    print(f"ratio                      : {ours_rate / boinor_rate:8.1f} x")
    print(f"max |dv|/|v| vs boinor     : {diff:.2e} (boinor at its default rtol)")
    for label, r in zip(("cold cache", "warm cache"), jit, strict=True):
        print(
            f"fresh process, {label:10s}: import {r['import']:.2f} s, first single solve "
            f"{r['single']:.2f} s, first 4096-batch {r['batch']:.2f} s"
        )


if __name__ == "__main__":
    main()
