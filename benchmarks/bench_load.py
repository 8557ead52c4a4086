#!/usr/bin/env python3
"""Time loading the shipped NEA catalog (target: well under 0.2 s).

    python benchmarks/bench_load.py [--repeat 5]

Prints, best of N:

* warm: ``load_neas()`` again in a process that has loaded it before;
* cold-ish: a new Python process: the first ``load_neas()`` alone (after
  ``import prospect.catalog``, pandas included) and import + load together;
* for comparison, what the fast file saves: reading the MPC JSON
  (gunzip + ``json.loads``) and the full conversion into the NEA table;
* the look-up index of ``find_target`` (built once per table) and one look-up.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

_CHILD = """
import time
t0 = time.perf_counter()
from prospect.catalog import load_neas
t1 = time.perf_counter()
df = load_neas()
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, len(df))
"""


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    # an empty user cache, so the shipped catalog is the active one
    env = dict(os.environ, PROSPECT_CACHE_DIR=tempfile.mkdtemp(prefix="prospect-bench-"))
    os.environ["PROSPECT_CACHE_DIR"] = env["PROSPECT_CACHE_DIR"]

    from prospect._resources import catalog_path
    from prospect.catalog import SHIPPED_JSON, find_target, load_neas, parse_bytes
    from prospect.catalog.designations import _TargetIndex

    df = load_neas()
    rows = len(df)
    warm = best(load_neas, args.repeat)

    child_load, child_total = [], []
    for _ in range(args.repeat):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=True,
        ).stdout.split()
        child_load.append(float(out[1]))
        child_total.append(float(out[0]) + float(out[1]))

    raw = catalog_path(SHIPPED_JSON).read_bytes()
    json_parse = best(lambda: json.loads(gzip.decompress(raw)), args.repeat)
    convert = best(lambda: parse_bytes(raw, path=SHIPPED_JSON), max(1, args.repeat // 2))
    index = best(lambda: _TargetIndex(df), args.repeat)
    find_target(df, "Bennu")
    lookup = best(lambda: find_target(df, "2000SG344"), args.repeat)

    print(f"shipped NEA catalog: {rows:,} rows, {catalog_path('mpc_nea.parquet').name}")
    print(f"best of {args.repeat}:")
    print(f"  load_neas() warm                      {warm * 1e3:8.1f} ms   (target < 200 ms)")
    print(f"  load_neas() first in a new process    {min(child_load) * 1e3:8.1f} ms")
    print(f"  import prospect.catalog + load_neas() {min(child_total) * 1e3:8.1f} ms")
    print(f"  MPC JSON: gunzip + json.loads         {json_parse * 1e3:8.1f} ms")
    print(f"  MPC JSON: full conversion (parse_bytes){convert * 1e3:7.1f} ms")
    print(f"  speed-up of the fast file (warm)      {convert / warm:8.1f} x")
    print(f"  find_target index build (once/table)  {index * 1e3:8.1f} ms")
    print(f"  find_target look-up                   {lookup * 1e6:8.1f} us")
    return 0


if __name__ == "__main__":
    sys.exit(main())
