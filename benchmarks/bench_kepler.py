"""Throughput of the Kepler kernel against f8663cc and boinor (not a test): run by hand.

    git -C /work/main worktree add ../ref-f8663cc f8663cc      # once
    python benchmarks/bench_kepler.py            # everything (~2 min, 4 GB of output arrays)
    python benchmarks/bench_kepler.py --n 4000   # a smaller batch

On identical seeded inputs, in one run:

(a) ``prospect.core.kepler.propagate_elements``: 40,000 NEA element sets (the
    MPC's NEA file from ``../shared/data`` or ``catalogs/``; a seeded NEA-like
    draw when neither is there) to 1,000 epochs over 20 years, in one call,
    against the same call of the reference checkout (``--ref``, default
    ``../ref-f8663cc``: every epoch solved cold, cell by cell).  Each call runs
    in a fresh process, new and reference in turn (``--pairs`` of them); each
    process warms numba up first and reports the call's wall time and CPU time,
    user + system (the system part is mostly the page faults of the 1.9 GB of
    output: the same for both, and larger on a loaded machine).
    Printed: medians, the ratios pair by pair, and the largest position
    difference between the two on the first 2,000 element sets.  Target: about
    2.5-3 s on the idle 2-core machine.
(b) In this process: the warm-started kernel on all cores and on one thread,
    and the same code with every epoch solved cold (``propagate._WARM_CHUNK =
    1``, the cold solver alone): CPU time per state, and the largest position
    difference warm - cold over every cell (mm and relative to |r|).
(c) boinor 0.20 on the first 200 orbits x the same 1,000 epochs, two ways:
    ``farnocchia_coe`` + ``coe2rv`` called from Python once per (orbit, epoch)
    (how boinor's public core is used), and the same two numba functions
    looped inside one numba function (boinor's kernel speed without Python
    overhead).  Reports propagations/s, the speed ratio and the largest
    position difference on the subset.
(d) JIT warm-up: the first call in a fresh interpreter, run twice with one
    fresh NUMBA_CACHE_DIR: the first run compiles and writes numba's cache,
    the second must load it (target < 1 s).  A third run uses the default
    cache location (``__pycache__`` beside the module), as users get it.

The machine is shared: timings vary with the load of other processes, so the
script prints the load average next to the figures; compare ratios taken in
one run, and CPU times rather than wall times.
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

# The module is imported from whichever checkout is on PYTHONPATH (this one, or the
# reference for the worker processes): both have these constants.
from prospect.core.constants import AU_KM, DAY_S, GM_SUN_KM3_S2, JD_J2000

REPO = Path(__file__).resolve().parents[1]
MU = GM_SUN_KM3_S2
N_EPOCHS = 1000
N_BOINOR = 200
N_COMPARE = 2000  # element sets whose positions the new/reference processes hand back


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


def _epochs(el):
    t_ref = float(np.median(el[6]))
    return t_ref + np.linspace(-10.0, 10.0, N_EPOCHS) * 365.25 * DAY_S


def _cpu() -> float:
    return sum(_user_sys())


def _user_sys() -> tuple[float, float]:
    import resource

    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime, ru.ru_stime


def worker(n: int, out: str) -> None:
    """One timed call in this process (whichever checkout is on PYTHONPATH)."""
    from prospect.core import kepler

    el, _ = load_elements(n)
    epochs = _epochs(el)
    # warm-up: loads numba's cache (or compiles) and starts the thread pool
    kepler.propagate_elements(MU, *(x[:64] for x in el), epochs[:128])
    (u0, s0), t0 = _user_sys(), time.perf_counter()
    r = kepler.propagate_elements(MU, *el, epochs)[0]
    wall, (u1, s1) = time.perf_counter() - t0, _user_sys()
    np.save(out, r[:N_COMPARE])
    print(json.dumps({"wall": wall, "cpu": u1 - u0 + s1 - s0, "user": u1 - u0, "sys": s1 - s0}))


def bench_reference(n: int, ref: Path, pairs: int):
    """New and reference calls in fresh processes, in turn: medians, ratios pair by pair."""
    rows = {"new": [], "ref": []}
    r_last = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(pairs):
            for label, src in (("new", REPO), ("ref", ref)):
                out = str(Path(tmp) / f"{label}.npy")
                env = dict(os.environ, PYTHONPATH=str(src))
                proc = subprocess.run(
                    [sys.executable, __file__, "--worker", out, "--n", str(n)],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=tmp,
                )
                rows[label].append(json.loads(proc.stdout.splitlines()[-1]))
                r_last[label] = np.load(out)
    dr = np.linalg.norm(r_last["new"] - r_last["ref"], axis=-1)
    return rows, float(np.nanmax(dr)) if dr.size else 0.0


def _timed(el, epochs, *, chunk, serial=False):
    """CPU time of one propagate_elements call with warm-start runs of `chunk` epochs
    (1 = every epoch solved cold: the cold solver alone)."""
    from prospect.core import kepler, propagate

    saved = (propagate._WARM_CHUNK, propagate._PARALLEL_MIN)
    propagate._WARM_CHUNK = chunk
    if serial:
        propagate._PARALLEL_MIN = 1 << 62  # force the serial driver
    try:
        # warm-up on a small batch of the same types, large enough for the threads
        kepler.propagate_elements(MU, *(x[:64] for x in el), epochs[:128])
        c0, t0 = _cpu(), time.perf_counter()
        out = kepler.propagate_elements(MU, *el, epochs)
        return out, time.perf_counter() - t0, _cpu() - c0
    finally:
        propagate._WARM_CHUNK, propagate._PARALLEL_MIN = saved


def bench_prospect(el, epochs):
    """Warm-started kernel (threads, one thread) and the cold solver, in this process."""
    from prospect.core import propagate

    cold, *t_cold = _timed(el, epochs, chunk=1)
    r_cold = cold.r
    del cold
    (r, _, status), *t_par = _timed(el, epochs, chunk=propagate._WARM_CHUNK)
    out, *t_ser = _timed(el, epochs, chunk=propagate._WARM_CHUNK, serial=True)
    del out
    bad = int((status != 0).sum())
    d = np.linalg.norm(r - r_cold, axis=-1)
    dr_cold = float(np.nanmax(d)) if d.size else 0.0
    rel = float(np.nanmax(d / np.linalg.norm(r_cold, axis=-1))) if d.size else 0.0
    return r, bad, t_par, t_ser, t_cold, dr_cold, rel


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


def _median(rows, key):
    return float(np.median([x[key] for x in rows]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40_000, help="element sets (default 40000)")
    parser.add_argument("--ref", type=Path, default=REPO.parent / "ref-f8663cc")
    parser.add_argument("--pairs", type=int, default=3, help="new/reference process pairs")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.n, args.worker)
        return

    import numba

    from prospect.core import propagate

    el, src = load_elements(args.n)
    epochs = _epochs(el)
    n_prop = args.n * N_EPOCHS
    print(f"inputs: {args.n} element sets from {src}; {N_EPOCHS} epochs over 20 years")
    print(
        f"numba {numba.__version__}, {numba.get_num_threads()} threads, "
        f"load average {os.getloadavg()[0]:.2f} (2 cores, shared)"
    )
    ref = args.ref.resolve()
    if (ref / "prospect").is_dir():
        rows, dr_ref = bench_reference(args.n, ref, args.pairs)
        print(f"(a) one call in a fresh process, new and {ref.name} in turn ({args.pairs} pairs):")
        for key in ("wall", "cpu", "user", "sys"):
            ratios = [b[key] / a[key] for a, b in zip(rows["new"], rows["ref"], strict=True)]
            print(
                f"  {key:4s} new {_median(rows['new'], key):6.2f} s   reference "
                f"{_median(rows['ref'], key):6.2f} s   reference / new pair by pair: "
                + ", ".join(f"{x:.2f}" for x in ratios)
            )
        wall = _median(rows["new"], "wall")
        print(
            f"  max |r_new - r_reference| on the first {N_COMPARE} sets: {dr_ref * 1e6:.3f} mm; "
            f"target (a) about 2.5-3 s idle: {'met' if wall <= 3 else 'NOT met'} at this load"
        )
    else:
        print(f"(a) reference checkout not found: {ref} (see the module docstring); skipped")

    r, bad, t_par, t_ser, t_cold, dr_cold, rel = bench_prospect(el, epochs)
    dt_py, dt_nb, dr = bench_boinor(el, epochs, r)
    n_b = N_BOINOR * N_EPOCHS
    warm = bench_warmup()

    rate = n_prop / t_par[0]
    rows = [
        ("prospect propagate_elements (threads)", n_prop, *t_par),
        ("prospect, every epoch cold (threads)", n_prop, *t_cold),
        ("prospect propagate_elements (1 thread)", n_prop, *t_ser),
        ("boinor farnocchia_coe+coe2rv from Python", n_b, dt_py, dt_py),
        ("boinor farnocchia_coe+coe2rv in numba loop", n_b, dt_nb, dt_nb),
    ]
    head = (
        "(b)/(c) kernel",
        "propagations",
        "wall",
        "cpu",
        "ns cpu/state",
        "per second",
        "prospect x",
    )
    table = [head] + [
        (
            label,
            f"{n:,}",
            f"{wall:.2f} s",
            f"{cpu:.2f} s",
            f"{cpu / n * 1e9:.1f}",
            f"{n / wall:,.0f}",
            f"{rate / (n / wall):.1f}",
        )
        for label, n, wall, cpu in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(*table, strict=True)]
    for row in table:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))
    print(
        f"warm start (runs of {propagate._WARM_CHUNK} epochs, blocks of {propagate._LANES}) "
        f"vs every epoch cold: CPU {t_cold[1] / t_par[1]:.2f}x less; "
        f"max |r_warm - r_cold| = {dr_cold * 1e6:.3f} mm ({rel:.1e} of |r|)"
    )
    print(
        f"non-zero status cells: {bad}; max |r_prospect - r_boinor| on the subset: {dr * 1e3:.3f} m"
    )
    print("(d) fresh interpreter: import of prospect.core.kepler, then the first calls")
    for label, t_import, t_first in warm:
        print(f"  {label:32s} import {t_import:5.2f} s   first calls {t_first:6.2f} s")
    hit = warm[1][2]
    print(f"target (d) cache hit < 1 s: {'met' if hit < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
