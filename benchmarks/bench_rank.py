"""The README's rankings, new against the reference commit, in one run (figures, not tests).

    git -C /work/main worktree add ../ref-f8663cc f8663cc      # once
    python benchmarks/bench_rank.py [--ref ../ref-f8663cc] [--only main|roundtrip|cli|lambert]

Each ranking runs as the CLI in a fresh process, first with this checkout on
``PYTHONPATH`` and then with the reference checkout (``--ref``, default
``../ref-f8663cc``: the fine-grid scans of f8663cc), in two-body mode:

1. ``main``: ``prospect rank --mission prospector-1`` (the README's main
   job), whole catalog, default window.  The new run is timed twice: the
   first fills numba's cache, the second is the warm figure.
2. ``roundtrip``: ``prospect rank --round-trip --mission nhats-human``,
   whole catalog, default window (the reference takes minutes), compared
   with ``--no-refine`` on both sides (the searches' own optima: which rows
   get refined depends on the scores, which changed since f8663cc); the new
   run with refinement is timed as well and the ratio taken against it.
   Then the same ranking with the n-body default (``--ephemeris`` not
   given; ``--top 20`` as a user runs it), whose n-body cache the first run
   fills: its wall and CPU time next to the two-body figure, and against
   ``--base`` (another checkout, e.g. the previous main) when given, with
   the two n-body tables compared (same targets, largest delta-v difference).
3. ``cli``: ``prospect --help`` start time (best of 5).
4. ``lambert``: ``benchmarks/bench_lambert.py`` (solves/s against boinor).

For 1 and 2 it prints the time ratio, whether the feasible sets are equal and
the largest difference of a feasible target's best delta-v (the objective the
ranking minimises), new minus reference (negative: the new one is better).
``--top`` is set above the catalog size so that every feasible row is
compared; the table shown to users differs only by its length.  The machine
is shared: rerun on an idle machine for the README figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parents[1]
CLI = "from prospect.cli import main; main()"


CPU_S = []  # CPU seconds (user + sys) of each _run, in order: the machine is shared


def _run(src: Path, args: list[str], extra_env: dict | None = None) -> tuple[float, int, str]:
    # cwd outside both checkouts: `python -c` puts the cwd before PYTHONPATH on sys.path
    env = dict(os.environ, PYTHONPATH=str(src), PROSPECT_PROGRESS="0")
    env.update(extra_env or {})
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CLI, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tempfile.gettempdir(),
    )
    dt = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_S.append(ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime)
    if proc.returncode:
        print(proc.stderr[-2000:])
    return dt, proc.returncode, proc.stderr


def _ephemeris_args(src: Path) -> list[str]:
    """``--ephemeris two-body`` where the checkout has the option (the reference has not)."""
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run(
        [sys.executable, "-c", CLI, "rank", "--help"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
    ).stdout
    return ["--ephemeris", "two-body"] if "--ephemeris" in out else []


def _compare(new_csv: Path, ref_csv: Path) -> str:
    import pandas as pd

    a = pd.read_csv(new_csv) if new_csv.stat().st_size else pd.DataFrame()
    b = pd.read_csv(ref_csv) if ref_csv.stat().st_size else pd.DataFrame()
    sa = set(a.get("designation", pd.Series(dtype=str)).astype(str))
    sb = set(b.get("designation", pd.Series(dtype=str)).astype(str))
    col = "dv_objective_km_s"
    if sa and sb and col in a and col in b:
        m = pd.merge(a[["designation", col]], b[["designation", col]], on="designation")
        d = (m[f"{col}_x"] - m[f"{col}_y"]).to_numpy(dtype=float)
        worst = (
            f"{np.max(d) * 1000:+.2f} m/s (min {np.min(d) * 1000:+.2f}, max |diff| "
            f"{np.max(np.abs(d)) * 1000:.2f} m/s over {d.size} targets)"
            if d.size
            else "-"
        )
    else:
        worst = "-"
    return (
        f"feasible new {len(sa)}, reference {len(sb)}, sets equal: {sa == sb}; "
        f"max dv new - ref {worst}"
    )


def bench_rank(name: str, args: list[str], ref: Path, *, refine: bool = True) -> None:
    """Time the new ranking against the reference; compare their feasible rows.

    ``refine=False``: both run with ``--no-refine``, so the comparison is of
    the searches' own optima (the refinement polishes the first rows, and
    which rows those are depends on the scores, which changed since f8663cc);
    the new run with refinement is timed too, and the ratio is taken against
    it (the reference without refinement is a lower bound of its own time).
    """
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out_new, out_ref = tmp / "new.csv", tmp / "ref.csv"
        full = ["rank", *args, "--top", "1000000", "--format", "csv"]
        plain = [] if refine else ["--no-refine"]
        new_args = [*full, *_ephemeris_args(HERE), "--output", str(out_new)]
        ref_args = [*full, *plain, "--output", str(out_ref)]
        times, cpus = [], []
        for _ in range(2 if name == "main" else 1):
            dt, rc, _ = _run(HERE, new_args)
            times.append(dt)
            cpus.append(CPU_S[-1])
        if not refine:
            dt_plain, rc, _ = _run(HERE, [*new_args, *plain])
            print(f"[{name}] new with --no-refine: {dt_plain:.1f} s ({CPU_S[-1]:.1f} s CPU)")
        dt_ref, rc_ref, _ = _run(ref, ref_args)
        cpu_ref = CPU_S[-1]
        ref_label = "f8663cc" + ("" if refine else " --no-refine")
        print(
            f"[{name}] prospect {' '.join(args)}: new {', '.join(f'{t:.1f}' for t in times)} s "
            f"({', '.join(f'{c:.1f}' for c in cpus)} s CPU, exit {rc}), {ref_label} "
            f"{dt_ref:.1f} s ({cpu_ref:.1f} s CPU, exit {rc_ref}): {dt_ref / times[-1]:.1f}x "
            f"faster ({cpu_ref / cpus[-1]:.1f}x in CPU time); load average "
            f"{os.getloadavg()[0]:.1f}"
        )
        if rc == 0 and rc_ref == 0:
            print(f"[{name}] {' '.join(plain) or 'refined'}: {_compare(out_new, out_ref)}")


def bench_nbody_roundtrip(base: Path | None) -> None:
    """The round-trip ranking with the n-body default, as a user runs it (``--top 20``).

    Run once to fill the n-body cache (not timed when the cache is warm
    already, it is the same run), then timed; with ``base`` the same on that
    checkout, and the two tables compared (targets and delta-v).
    """
    args = ["rank", "--round-trip", "--mission", "nhats-human", "--top", "20", "--format", "csv"]
    with tempfile.TemporaryDirectory() as tmp:
        out = {}
        for label, src in (("new", HERE), ("base", base)):
            if src is None:
                continue
            out[label] = Path(tmp) / f"{label}.csv"
            _run(src, [*args, "--output", str(out[label])])  # fills the n-body cache
            dt, rc, _ = _run(src, [*args, "--output", str(out[label])])
            print(
                f"[roundtrip] n-body default ({label}, {src.name}, warm n-body cache): "
                f"{dt:.1f} s ({CPU_S[-1]:.1f} s CPU, exit {rc}); load average "
                f"{os.getloadavg()[0]:.1f}"
            )
        if len(out) == 2:
            print(f"[roundtrip] n-body new against base: {_compare(out['new'], out['base'])}")


def bench_cli(ref: Path) -> None:
    for label, src in (("new", HERE), ("f8663cc", ref)):
        best = min(_run(src, ["--help"])[0] for _ in range(5))
        print(f"[cli] prospect --help ({label}): {best:.2f} s (best of 5)")
    env = dict(os.environ, PYTHONPATH=str(HERE))
    t0 = time.perf_counter()
    rc = subprocess.run(
        [sys.executable, "-m", "prospect", "--help"],
        env=env,
        capture_output=True,
        check=False,
        cwd=tempfile.gettempdir(),
    ).returncode
    print(f"[cli] python -m prospect --help: exit {rc}, {time.perf_counter() - t0:.2f} s")


def bench_lambert() -> None:
    env = dict(os.environ, PYTHONPATH=str(HERE))
    proc = subprocess.run(
        [sys.executable, str(HERE / "benchmarks" / "bench_lambert.py")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in proc.stdout.splitlines():
        print(f"[lambert] {line}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", type=Path, default=HERE.parent / "ref-f8663cc")
    ap.add_argument("--only", choices=("main", "roundtrip", "cli", "lambert"))
    ap.add_argument("--base", type=Path, help="a checkout to time the n-body round trip against")
    a = ap.parse_args()
    ref = a.ref.resolve()
    if a.only in (None, "main", "roundtrip", "cli") and not (ref / "prospect").is_dir():
        sys.exit(f"reference checkout not found: {ref} (see the module docstring)")
    if a.only in (None, "cli"):
        bench_cli(ref)
    if a.only in (None, "main"):
        bench_rank("main", ["--mission", "prospector-1"], ref)
    if a.only in (None, "roundtrip"):
        bench_rank("roundtrip", ["--round-trip", "--mission", "nhats-human"], ref, refine=False)
        bench_nbody_roundtrip(a.base.resolve() if a.base else None)
    if a.only in (None, "lambert"):
        bench_lambert()


if __name__ == "__main__":
    main()
