"""Throughput of the Kepler kernel against boinor (not a test): run by hand.

    python benchmarks/bench_kepler.py            # everything (~1 min, 2 GB of output arrays)
    python benchmarks/bench_kepler.py --n 4000   # a smaller batch

On identical seeded inputs, in one run:

(a) ``prospect.core.kepler.propagate_elements``: 40,000 NEA element sets (the
    MPC's NEA file from ``../shared/data`` or ``catalogs/``; a seeded NEA-like
    draw when neither is there) to 1,000 epochs over 20 years, in one call.
    Target < 3 s.  Also with the kernel forced single-threaded, and the old
    kernel (every epoch solved cold, ``propagate._WARM_CHUNK = 1``) beside the
    warm-started one: the ratio and the largest position difference between them.
(b) boinor 0.20 on the first 200 orbits x the same 1,000 epochs, two ways:
    ``farnocchia_coe`` + ``coe2rv`` called from Python once per (orbit, epoch)
    (how boinor's public core is used), and the same two numba functions
    looped inside one numba function (boinor's kernel speed without Python
    overhead).  Reports propagations/s, the speed ratio and the largest
    position difference on the subset.
(c) JIT warm-up: the first call in a fresh interpreter, run twice with one
    fresh NUMBA_CACHE_DIR: the first run compiles and writes numba's cache,
    the second must load it (target < 1 s).  A third run uses the default
    cache location (``__pycache__`` beside the module), as users get it.

The machine is shared: timings vary with the load of other processes, so the
script prints the load average next to the figures.
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

import numpy as np

from prospect.core import kepler, propagate
from prospect.core.constants import AU_KM, DAY_S, GM_SUN_KM3_S2, JD_J2000

REPO = Path(__file__).resolve().parents[1]
MU = GM_SUN_KM3_S2
N_EPOCHS = 1000
N_BOINOR = 200


def load_elements(n: int, seed: int = 42):
    """(a_km, e, inc, raan, argp, ma0, epoch0_s) of n NEAs and where they came from."""
    shared = Path(os.environ.get("PROSPECT_SHARED", REPO.parent / "shared"))
    for path in (
        shared / "data" / "mpc_nea_extended.json.gz",
        REPO / "catalogs" / "mpc_nea_extended.json.gz",
    ):
        if path.is_file():
            with gzip.open(path, "rt") as fh:
                recs = json.load(fh)
            keys = ("a", "e", "i", "Node", "Peri", "M", "Epoch")
            rows = [[r[k] for k in keys] for r in recs if all(k in r for k in keys)]
            arr = np.array(rows[:n], dtype=float)
            if len(arr) == n:
                src = f"{path} (first {n} records)"
                break
    else:
        rng = np.random.default_rng(seed)
        # NEA-like: a 0.6-4 AU, e 0-0.9, i 0-40 deg, angles uniform, common epoch
        arr = np.column_stack(
            [
                rng.uniform(0.6, 4.0, n),
                rng.uniform(0.0, 0.9, n),
                rng.uniform(0.0, 40.0, n),
                rng.uniform(0.0, 360.0, n),
                rng.uniform(0.0, 360.0, n),
                rng.uniform(0.0, 360.0, n),
                np.full(n, 2461000.5),
            ]
        )
        src = f"seeded NEA-like draw (seed {seed})"
    a, e, i, node, argp, m, ep = arr.T
    rad = np.radians
    return (a * AU_KM, e, rad(i), rad(node), rad(argp), rad(m), (ep - JD_J2000) * DAY_S), src


def _timed(el, epochs, *, chunk, serial=False):
    """Time one propagate_elements call with warm-start runs of `chunk` epochs
    (1 = every epoch solved cold, the kernel before warm starts)."""
    saved = (propagate._WARM_CHUNK, propagate._PARALLEL_MIN)
    propagate._WARM_CHUNK = chunk
    if serial:
        propagate._PARALLEL_MIN = 1 << 62  # force the serial driver
    try:
        # warm-up (loads numba's cache or compiles, starts the thread pool) on a
        # small batch of the same types, large enough to take the threaded driver
        kepler.propagate_elements(MU, *(x[:64] for x in el), epochs[:128])
        t0 = time.perf_counter()
        out = kepler.propagate_elements(MU, *el, epochs)
        return out, time.perf_counter() - t0
    finally:
        propagate._WARM_CHUNK, propagate._PARALLEL_MIN = saved


def bench_prospect(el, epochs):
    """Warm-started (new) and cold (old) kernels, threads and one thread, in one run."""
    cold, dt_cold = _timed(el, epochs, chunk=1)
    (r, v, status), dt_par = _timed(el, epochs, chunk=propagate._WARM_CHUNK)
    _, dt_ser = _timed(el, epochs, chunk=propagate._WARM_CHUNK, serial=True)
    bad = int((status != 0).sum())
    dr_cold = float(np.nanmax(np.abs(r - cold.r))) if r.size else 0.0
    return r, v, bad, dt_par, dt_ser, dt_cold, dr_cold


def bench_boinor(el, epochs, r_ours):
    from boinor.core.angles import E_to_nu, M_to_E
    from boinor.core.elements import coe2rv
    from boinor.core.propagation.farnocchia import farnocchia_coe
    from numba import njit

    a, e, inc, raan, argp, ma0, ep0 = (x[:N_BOINOR] for x in el)
    p = a * (1 - e) * (1 + e)
    nu0 = np.array(
        [
            E_to_nu(M_to_E((m + np.pi) % (2 * np.pi) - np.pi, ee), ee)
            for m, ee in zip(ma0, e, strict=True)
        ]
    )

    # 1. from Python, one call per (orbit, epoch)
    def python_loop():
        out = np.empty((N_BOINOR, len(epochs), 3))
        for i in range(N_BOINOR):
            for j, t in enumerate(epochs):
                nu = farnocchia_coe(MU, p[i], e[i], inc[i], raan[i], argp[i], nu0[i], t - ep0[i])
                out[i, j] = coe2rv(MU, p[i], e[i], inc[i], raan[i], argp[i], nu)[0]
        return out

    # 2. boinor's numba functions looped inside numba
    @njit
    def numba_loop(p, e, inc, raan, argp, nu0, ep0, epochs, out):
        for i in range(p.size):
            for j in range(epochs.size):
                nu = farnocchia_coe(
                    MU, p[i], e[i], inc[i], raan[i], argp[i], nu0[i], epochs[j] - ep0[i]
                )
                rr, _ = coe2rv(MU, p[i], e[i], inc[i], raan[i], argp[i], nu)
                out[i, j, 0] = rr[0]
                out[i, j, 1] = rr[1]
                out[i, j, 2] = rr[2]

    out_nb = np.empty((N_BOINOR, len(epochs), 3))
    # compile everything before timing (boinor's functions compile on first use)
    numba_loop(p[:2], e[:2], inc[:2], raan[:2], argp[:2], nu0[:2], ep0[:2], epochs[:2], out_nb)
    farnocchia_coe(MU, p[0], e[0], inc[0], raan[0], argp[0], nu0[0], 0.0)
    coe2rv(MU, p[0], e[0], inc[0], raan[0], argp[0], nu0[0])

    t0 = time.perf_counter()
    out_py = python_loop()
    dt_py = time.perf_counter() - t0
    t0 = time.perf_counter()
    numba_loop(p, e, inc, raan, argp, nu0, ep0, epochs, out_nb)
    dt_nb = time.perf_counter() - t0
    dr = max(
        np.linalg.norm(out_py - r_ours[:N_BOINOR], axis=-1).max(),
        np.linalg.norm(out_nb - r_ours[:N_BOINOR], axis=-1).max(),
    )
    return dt_py, dt_nb, dr


def bench_warmup():
    code = (
        "import time\n"
        "t0 = time.perf_counter()\n"
        "import numpy as np\n"
        "from prospect.core import kepler\n"
        "t1 = time.perf_counter()\n"
        "r = kepler.propagate_elements(1.3e11, np.full(5000, 1.5e8), 0.1, 0.1, 0.2, 0.3, 0.4,"
        " 0.0, np.linspace(0, 1e8, 2))\n"
        "kepler.propagate_elements(1.3e11, 1.5e8, 0.1, 0.1, 0.2, 0.3, 0.4, 0.0, 1e7)\n"
        "kepler.propagate_state(1.3e11, np.full((5000, 3), 1.5e8), np.full((5000, 3), 20.0), 1e7)\n"
        "kepler.propagate_state(1.3e11, [1.5e8, 0, 0], [0, 30, 0], 1e7)\n"
        "t2 = time.perf_counter()\n"
        "print(t1 - t0, t2 - t1)\n"
    )
    results = []
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        for label in ("fresh cache dir: compile", "same cache dir: cache hit"):
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
            )
            t_import, t_first = map(float, out.stdout.split())
            results.append((label, t_import, t_first))
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    t_import, t_first = map(float, out.stdout.split())
    results.append(("default cache (__pycache__)", t_import, t_first))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40_000, help="element sets (default 40000)")
    args = parser.parse_args()

    import numba

    el, src = load_elements(args.n)
    t_ref = float(np.median(el[6]))
    epochs = t_ref + np.linspace(-10.0, 10.0, N_EPOCHS) * 365.25 * DAY_S
    n_prop = args.n * N_EPOCHS
    print(f"inputs: {args.n} element sets from {src}; {N_EPOCHS} epochs over 20 years")
    print(
        f"numba {numba.__version__}, {numba.get_num_threads()} threads, "
        f"load average {os.getloadavg()[0]:.2f} (2 cores, shared)"
    )

    r, _, bad, dt_par, dt_ser, dt_cold, dr_cold = bench_prospect(el, epochs)
    dt_py, dt_nb, dr = bench_boinor(el, epochs, r)
    n_b = N_BOINOR * N_EPOCHS
    warm = bench_warmup()

    rate = n_prop / dt_par
    rows = [
        (
            "prospect propagate_elements (threads)",
            f"{n_prop:,}",
            f"{dt_par:.2f} s",
            f"{rate:,.0f}",
            "1",
        ),
        (
            "prospect, old kernel: every epoch cold (threads)",
            f"{n_prop:,}",
            f"{dt_cold:.2f} s",
            f"{n_prop / dt_cold:,.0f}",
            f"{rate / (n_prop / dt_cold):.2f}",
        ),
        (
            "prospect propagate_elements (1 thread)",
            f"{n_prop:,}",
            f"{dt_ser:.2f} s",
            f"{n_prop / dt_ser:,.0f}",
            f"{rate / (n_prop / dt_ser):.1f}",
        ),
        (
            "boinor farnocchia_coe+coe2rv from Python",
            f"{n_b:,}",
            f"{dt_py:.2f} s",
            f"{n_b / dt_py:,.0f}",
            f"{rate / (n_b / dt_py):.0f}",
        ),
        (
            "boinor farnocchia_coe+coe2rv in numba loop",
            f"{n_b:,}",
            f"{dt_nb:.2f} s",
            f"{n_b / dt_nb:,.0f}",
            f"{rate / (n_b / dt_nb):.1f}",
        ),
    ]
    head = ("(a)/(b) kernel", "propagations", "time", "per second", "prospect x")
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
    for row in (head, *rows):
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))
    print(
        f"warm start (runs of {propagate._WARM_CHUNK} epochs) vs cold: {dt_cold / dt_par:.2f}x "
        f"faster; max |r_warm - r_cold| = {dr_cold * 1e6:.3f} mm"
    )
    print(
        f"target (a) < 3 s: {'met' if dt_par < 3 else 'NOT met'}; "
        f"non-zero status cells: {bad}; max |r_prospect - r_boinor| on the subset: "
        f"{dr * 1e3:.3f} m"
    )
    print("(c) fresh interpreter: import of prospect.core.kepler, then the first calls")
    for label, t_import, t_first in warm:
        print(f"  {label:32s} import {t_import:5.2f} s   first calls {t_first:6.2f} s")
    hit = warm[1][2]
    print(f"target (c) cache hit < 1 s: {'met' if hit < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
