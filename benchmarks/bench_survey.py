"""Figures of ``prospect survey`` (not timed tests): run by hand, read the output.

    python benchmarks/bench_survey.py --targets 960   # ~1 min on 2 idle cores (chunks of 60)
    python benchmarks/bench_survey.py --targets 960 --chunk 40   # last rounds' figures
    python benchmarks/bench_survey.py --targets 192 --ephemeris nbody

In one run, on a seeded sample of the shipped catalog, NHATS profile
(``nhats-human``), one launch year (2028) on the default 5-day lattice:

1. **compute**: :func:`prospect.survey._chunk.survey_chunk` chunk by chunk in
   this process (numba warm, one thread): wall and CPU time per chunk, seconds
   per target and launch year; with the n-body ephemeris installed, also one
   chunk with n-body states (the default survey's cost);
2. **1 worker against 2**: the same survey through prospect's own
   ``LocalCluster`` (:func:`prospect.scan._engine.local_cluster`) of one
   worker process, then of two, each started and warmed beforehand (one chunk
   per worker: imports, numba's cache, the Earth's states), wall time ratio
   (target >= 1.8 on 2 idle cores);
3. **per-chunk overhead, in CPU time** (what a loaded machine cannot blur):
   the workers' CPU time per chunk (``getrusage`` of each worker process,
   before and after: the task and the worker's own threads) against the
   in-process CPU time of the same chunks (with the allocation settings a
   chunk runs with, :func:`prospect.scan._engine.tune_worker_malloc`) -- their
   difference and ratio, the system time and page faults per chunk, and the
   CPU time this process (client, scheduler, Parquet writes) spends per chunk;
4. **task stream** (``Client.get_task_stream``): per worker its busy time,
   the idle gaps between its tasks, the lead-in (survey call to first task),
   the lead-out (last task to the survey's return: reading and writing the
   results) and the tail (the first worker to run out of chunks waits for the
   last); the warm-up's first chunk per worker against the same chunk later;
5. **serial CPU of this process** (the survey with its engine replaced by a
   replay of the finished chunk files: no compute, no Dask, no load): before
   the first chunk, per chunk, after the last; and ``2 T2 - T1``, what keeps
   the ratio of (2) under 2 (serial time, tail, CPU the workers share);
6. **overhead per chunk**: fixed, the scheduler's round trip (no-op tasks
   carrying a chunk's rows and the plan, one worker), the task thread's CPU
   over the in-process compute (encoding the chunk's file, measured apart,
   and setup) and the worker's own threads beyond their idle rate; and in
   proportion to the run time, the worker's housekeeping at its idle rate;
7. **the default survey on this machine** (whole shipped catalog, 2027-01-01
   to 2045-12-31, n-body when installed, all cores, default chunks) and the
   **whole-catalog 19-year survey on 8, 64 and 256 workers**, with the
   smallest chunk that keeps the overhead of (6) under 5 % of a chunk's
   compute, and the largest that still gives every worker 4 chunks (load
   balance), at most 100.

The machine is shared: wall times vary with the load of other processes; the
CPU-time figures of (3) and the ratios of one run are the figures to read.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PERIOD = ("2028-01-01", "2028-12-31")
PERIOD_19 = ("2027-01-01", "2045-12-31")  # the default survey's launch period
YEARS_DEFAULT = 19  # 2027-01-01 .. 2045-12-31


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


def _plan(ephemeris: str, period=PERIOD):
    from prospect.scan.roundtrip import nhats_spec
    from prospect.survey._plan import make_plan

    spec = nhats_spec("nhats-human")
    return make_plan(spec, round_trip=True, start=period[0], end=period[1], ephemeris=ephemeris)


def _task_threads_cpu() -> float:
    """CPU seconds of a Dask worker's task threads (Linux ``/proc``; NaN elsewhere)."""
    import threading

    ids = [t.native_id for t in threading.enumerate() if "Dask-Default-Threads" in t.name]
    try:
        total = 0.0
        for tid in ids:
            with open(f"/proc/self/task/{tid}/stat") as fh:
                f = fh.read().rsplit(")", 1)[1].split()
            total += (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
        return total
    except OSError:
        return math.nan


def _usage() -> tuple[float, float, int, float]:
    """CPU seconds (user + system), system seconds, minor page faults of this process,
    and the CPU seconds of its Dask task threads."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime, ru.ru_stime, ru.ru_minflt, _task_threads_cpu()


def _noop(rows, plan):
    """A task with a survey chunk's payload and no work: what Dask itself costs."""
    return rows.iloc[:0]


def _noop_overhead(client, parts, plan, n_tasks: int = 40) -> float:
    client.submit(_noop, parts[0], plan, pure=False).result()  # warm
    t0 = time.perf_counter()
    futs = [client.submit(_noop, parts[k % len(parts)], plan, pure=False) for k in range(n_tasks)]
    for f in futs:
        f.result()
    return (time.perf_counter() - t0) / n_tasks


def _in_process(parts, plan) -> dict:
    """Chunk by chunk in this process: wall and CPU seconds, system seconds, page faults;
    and the CPU seconds of encoding every chunk's file (what a worker adds per chunk)."""
    from prospect.scan._engine import tune_worker_malloc
    from prospect.survey._chunk import survey_chunk
    from prospect.survey.store import chunk_bytes

    tune_worker_malloc()  # as the survey's chunks run, here or on a worker
    survey_chunk(parts[0].head(4), plan)  # numba and the Earth's states warm
    u0, w0 = _usage(), time.perf_counter()
    walls, tables = [], []
    for rows in parts:
        walls.append(time.perf_counter())
        tables.append(survey_chunk(rows, plan))
        walls[-1] = time.perf_counter() - walls[-1]
    u1 = _usage()
    c0 = time.thread_time()
    for k, df in enumerate(tables):
        chunk_bytes(df, key="0" * 32, index=k)
    encode = time.thread_time() - c0
    return {"wall": time.perf_counter() - w0, "cpu": u1[0] - u0[0], "sys": u1[1] - u0[1],
            "faults": u1[2] - u0[2], "walls": walls, "encode": encode}  # fmt: skip


def _serial_cpu(sample, chunk: int, ephemeris: str, src: Path, tmp: Path) -> dict:
    """CPU seconds of this process's own work in a survey, apart from the chunks: before
    the first chunk (profile, plan, catalog hash, directory), per chunk (writing and
    decoding its file) and after the last (joining, results file, summary, manifest).

    The survey runs here with its engine replaced by a replay of the finished chunk
    files of ``src`` (the same inputs, so the same key), so the figures hold no
    compute, no Dask and no other process's load."""
    from prospect.survey import _run
    from prospect.survey.store import chunk_path, read_manifest

    key = read_manifest(src)["key"]
    marks = {}

    def replay(tasks, plan, done, **kw):
        marks["in"] = time.thread_time()
        data = [(i, chunk_path(src, key, i).read_bytes()) for i, _ in tasks]
        marks["read"] = time.thread_time() - marks["in"]
        for i, b in data:
            done(i, b)
        marks["out"] = time.thread_time()
        return "replay"

    real, _run.run_chunks = _run.run_chunks, replay
    try:
        best = None
        for k in range(3):  # the least of 3: this process's CPU, not the machine's load
            c0 = time.thread_time()
            _run.survey("nhats-human", output=tmp / f"replay{k}", catalog=sample,
                        chunk_size=chunk, start=PERIOD[0], end=PERIOD[1],
                        ephemeris=ephemeris)  # fmt: skip
            c1 = time.thread_time()
            got = {"lead_in": marks["in"] - c0,
                   "per_chunk": (marks["out"] - marks["in"] - marks["read"]) / len(
                       range(0, len(sample), chunk)),
                   "lead_out": c1 - marks["out"]}  # fmt: skip
            best = got if best is None else {k2: min(best[k2], got[k2]) for k2 in got}
    finally:
        _run.run_chunks = real
    return best


def _stream(client, prefix: str, t0: float, t_end: float) -> dict:
    """Per-worker busy time, idle gaps, lead-in, lead-out and tail of the tasks ``prefix*``."""
    by: dict[str, list] = {}
    for t in client.get_task_stream(start=t0 - 1):
        if not str(t["key"]).startswith(prefix):
            continue
        for ss in t["startstops"]:
            if ss["action"] == "compute" and ss["start"] >= t0:
                by.setdefault(t["worker"], []).append((ss["start"], ss["stop"]))
    out = {"busy": 0.0, "gaps": 0.0, "max_gap": 0.0, "workers": len(by)}
    firsts, lasts = [], []
    for iv in by.values():
        iv.sort()
        gaps = [iv[i + 1][0] - iv[i][1] for i in range(len(iv) - 1)]
        out["busy"] += sum(b - a for a, b in iv)
        out["gaps"] += sum(gaps)
        out["max_gap"] = max([out["max_gap"], *gaps])
        firsts.append(iv[0][0])
        lasts.append(iv[-1][1])
    out["lead_in"] = min(firsts) - t0 if firsts else math.nan
    out["lead_out"] = t_end - max(lasts) if lasts else math.nan
    out["tail"] = max(lasts) - min(lasts) if lasts else math.nan
    out["first"] = {w: iv[0][1] - iv[0][0] for w, iv in by.items()}
    return out


def _cluster_run(n_workers: int, sample, chunk: int, ephemeris: str, tmp: Path, parts, plan):
    """One survey of ``sample`` on ``n_workers`` fresh, warmed workers; its figures."""
    from prospect.scan._engine import local_cluster
    from prospect.survey import survey

    cl, client = local_cluster(n_workers)
    client.get_task_stream()  # the scheduler records the stream from now on
    args = {"chunk_size": chunk, "scheduler": cl.scheduler_address, "start": PERIOD[0],
            "end": PERIOD[1], "ephemeris": ephemeris}  # fmt: skip
    try:
        # warm-up: one chunk per worker (imports, numba's cache, the Earth's states)
        tw = time.time()
        survey("nhats-human", output=tmp / f"warm{n_workers}",
               catalog=sample.head(chunk * n_workers), **args)  # fmt: skip
        warm = _stream(client, "prospect-survey-", tw, time.time())
        before = client.run(_usage)
        c0 = _usage()
        t0 = time.time()
        survey("nhats-human", output=tmp / f"w{n_workers}", catalog=sample, **args)
        t_end = time.time()
        c1 = _usage()
        after = client.run(_usage)
        stream = _stream(client, "prospect-survey-", t0, t_end)
        time.sleep(3.0)  # what an idle worker spends per second (heartbeats, monitors)
        idle = sum(b[0] - a[0] for a, b in zip(after.values(), client.run(_usage).values(),
                                                strict=True)) / 3.0 / n_workers  # fmt: skip
        noop = _noop_overhead(client, parts, plan) if n_workers == 1 else None
    finally:
        client.close()
        cl.close()
    workers = [tuple(b - a for a, b in zip(before[w], after[w], strict=True)) for w in after]
    return {
        "wall": t_end - t0,
        "cpu": sum(w[0] for w in workers),
        "sys": sum(w[1] for w in workers),
        "faults": sum(w[2] for w in workers),
        "task_cpu": sum(w[3] for w in workers),
        "idle_cpu_s": idle,
        "client_cpu": c1[0] - c0[0],
        "stream": stream,
        "warm_first": warm["first"],
        "noop": noop,
    }


def _nbody_cost(sample, chunk: int, per_ty: float) -> tuple | None:
    """n-body cost, in-process seconds (None: not installed): per target-year of one
    chunk surveyed over the 1-year period (the states are integrated from the
    catalog epoch, so this counts the years before the period too), and per
    target-year of the 19-year period: the two-body search's ``per_ty`` plus the
    n-body states of 8 targets over the whole 19-year lattice, minus their
    two-body states."""
    from prospect.survey._chunk import survey_chunk, target_states
    from prospect.survey._run import default_ephemeris

    if default_ephemeris() != "nbody":
        return None
    plan = _plan("nbody")
    survey_chunk(sample.head(2), plan)  # the integrator's and the kernel's first use
    rows = sample.iloc[:chunk]
    c0 = _usage()[0]
    survey_chunk(rows, plan)
    one_year = (_usage()[0] - c0) / len(rows)
    sec = _plan("nbody", PERIOD_19).lattice_seconds()
    for eph in ("nbody", "two-body"):
        target_states(sample.iloc[8:9], sec, eph)  # first use of each
    rows = sample.iloc[:8]
    c0 = _usage()[0]
    target_states(rows, sec, "nbody")
    c1 = _usage()[0]
    target_states(rows, sec, "two-body")
    states = ((c1 - c0) - (_usage()[0] - c1)) / len(rows)
    return one_year, per_ty + states / YEARS_DEFAULT


def _print_runs(n_chunks: int, inp: dict, runs: dict, chunk: int) -> None:
    """Lines (2)-(4)."""
    t1, t2 = runs[1]["wall"], runs[2]["wall"]
    print(f"[workers] 1 worker {t1:.1f} s, 2 workers {t2:.1f} s: ratio {t1 / t2:.2f} (target 1.8)")
    c_in = inp["cpu"] / n_chunks
    print(
        f"[cpu] in-process {c_in * 1e3:.0f} ms CPU per chunk ({inp['sys'] / n_chunks * 1e3:.0f} ms "
        f"system, {inp['faults'] / n_chunks:,.0f} page faults)"
    )
    for n, r in runs.items():
        c_w = r["cpu"] / n_chunks
        print(
            f"[cpu] {n} worker(s): {c_w * 1e3:.0f} ms CPU per chunk on the workers "
            f"({r['sys'] / n_chunks * 1e3:.0f} ms system, {r['faults'] / n_chunks:,.0f} page "
            f"faults): overhead {(c_w - c_in) * 1e3:+.0f} ms per chunk, ratio {c_w / c_in:.3f}; "
            f"this process (client, scheduler, Parquet) {r['client_cpu'] / n_chunks * 1e3:.0f} ms"
        )
        print(
            f"[cpu] {n} worker(s), split: the task thread {r['task_cpu'] / n_chunks * 1e3:.0f} ms "
            f"per chunk (in-process {c_in * 1e3:.0f} ms; the task also encodes its Parquet), "
            f"the worker's own threads {(r['cpu'] - r['task_cpu']) / n_chunks * 1e3:.0f} ms "
            f"(an idle worker: {r['idle_cpu_s'] * 1e3:.0f} ms CPU per second)"
        )
    for n, r in runs.items():
        st = r["stream"]
        print(
            f"[stream] {n} worker(s): busy {st['busy']:.1f} s of {r['wall']:.1f} s x {n}, idle "
            f"gaps between tasks {st['gaps'] * 1e3:.0f} ms (max {st['max_gap'] * 1e3:.0f} ms), "
            f"lead-in {st['lead_in']:.2f} s, lead-out {st['lead_out']:.2f} s, tail "
            f"{st['tail']:.2f} s"
        )
    first = list(runs[2]["warm_first"].values())
    same = sum(inp["walls"][: len(first)]) / max(1, len(first))
    print(
        f"[first task] a fresh worker's first chunk of {chunk}: "
        f"{', '.join(f'{x:.2f}' for x in first)} s; the same chunks in-process {same:.2f} s each"
    )


def _overhead(n_chunks: int, inp: dict, r1: dict) -> dict:
    """What a chunk costs beyond its compute, from the 1-worker run: a fixed part per
    chunk (seconds) and a part proportional to the chunk's run time (fraction).

    Fixed, per chunk: the scheduler's round trip per task (no-op tasks), the task
    thread's CPU over the in-process compute of the same chunks (encoding the
    chunk's file, measured apart, and the task's own setup), and the worker's own
    threads' CPU beyond their idle rate (receiving the task, sending the result).
    Proportional: the worker's own threads at their idle rate (heartbeats,
    monitors).  A negative difference (noise under load) counts as zero."""
    c_in = inp["cpu"] / n_chunks
    enc = inp["encode"] / n_chunks
    task = r1["task_cpu"] / n_chunks - c_in
    own = (r1["cpu"] - r1["task_cpu"]) / n_chunks
    own_fixed = max(0.0, own - r1["idle_cpu_s"] * r1["wall"] / n_chunks)
    out = {"noop": r1["noop"], "task": max(0.0, task), "own_fixed": own_fixed,
           "prop": r1["idle_cpu_s"], "c_in": c_in}  # fmt: skip
    out["fixed_s"] = out["noop"] + out["task"] + own_fixed
    print(
        f"[overhead] per chunk: {out['fixed_s'] * 1e3:.0f} ms fixed (the scheduler's round trip "
        f"{out['noop'] * 1e3:.0f} ms + the task thread {task * 1e3:+.0f} ms over in-process, of "
        f"which encoding {enc * 1e3:.0f} ms + the worker's own threads {own_fixed * 1e3:.0f} ms) "
        f"and {out['prop']:.2%} of its run time (housekeeping): "
        f"{out['fixed_s'] / c_in + out['prop']:.1%} of a {c_in * 1e3:.0f} ms chunk here"
    )
    return out


def _projection(n_catalog, per_ty, ovh: dict, eff2, label) -> None:
    """Lines (6): the whole catalog over 19 launch years on this machine and on clusters,
    every chunk paying ``ovh["fixed_s"]`` plus ``ovh["prop"]`` of its compute."""
    from prospect.survey._plan import default_chunk_size

    per_target = per_ty * YEARS_DEFAULT  # one target, the whole period, one core
    fixed, prop = ovh["fixed_s"], ovh["prop"]

    def share(c: int) -> float:  # overhead over compute, chunks of c targets
        return fixed / (c * per_target) + prop

    default = default_chunk_size(n_catalog, _plan("two-body", (PERIOD_19[0], PERIOD_19[1])))
    n_def = math.ceil(n_catalog / default)
    total_cpu = n_catalog * per_target * (1 + prop) + n_def * fixed
    cores = os.cpu_count() or 1
    here = total_cpu / (cores * (eff2 if cores > 1 else 1.0))
    print(
        f"[default] {label}: whole catalog ({n_catalog:,} targets) x {YEARS_DEFAULT} launch years "
        f"on this machine ({cores} workers): {here / 3600:,.1f} h ({total_cpu / 3600:,.1f} "
        f"core-hours), default chunks of {default} targets ({n_def:,} chunks, overhead "
        f"{share(default):.2%})"
    )
    if prop >= 0.05:
        min_chunk = 100
        print(
            f"[chunks] {label}: no chunk size brings the overhead under 5 %: its part "
            f"proportional to the compute alone is {prop:.1%}"
        )
    else:
        min_chunk = max(1, math.ceil(fixed / ((0.05 - prop) * per_target)))
        print(
            f"[chunks] {label}: overhead < 5 % needs >= {min_chunk} target(s) per chunk "
            f"({fixed * 1e3:.0f} ms fixed per chunk + {prop:.1%} of the compute, against "
            f"{per_target:.2f} s per target)"
        )
    for w in (8, 64, 256):
        chunk = max(min_chunk, min(max(1, n_catalog // (4 * w)), 100))
        n_chunks = math.ceil(n_catalog / chunk)
        wall = math.ceil(n_chunks / w) * (chunk * per_target * (1 + prop) + fixed)
        print(
            f"[projection] {label}, {w:>3} workers: chunk {chunk} targets ({n_chunks:,} chunks, "
            f"overhead {share(chunk):.2%}), {wall / 3600:,.2f} h ({wall / 60:,.0f} min)"
        )


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", type=int, default=960, help="sample size (default 960)")
    ap.add_argument(
        "--chunk",
        type=int,
        default=None,
        help="targets per chunk (default: the survey's, 60 for 960 targets x 1 year)",
    )
    ap.add_argument("--ephemeris", default="two-body", choices=("two-body", "nbody"))
    args = ap.parse_args(argv)

    import numba

    full, sample = _sample(args.targets)
    plan = _plan(args.ephemeris)
    if args.chunk is None:
        from prospect.survey._plan import default_chunk_size

        args.chunk = default_chunk_size(len(sample), plan)
    parts = [sample.iloc[a : a + args.chunk] for a in range(0, len(sample), args.chunk)]
    numba.set_num_threads(1)  # one core, as one worker process
    inp = _in_process(parts, plan)
    per_ty = inp["cpu"] / len(sample)
    print(
        f"[compute] {len(sample)} targets x 1 launch year ({args.ephemeris}, 5-d lattice) in "
        f"{len(parts)} chunks of {args.chunk}: {inp['wall']:.1f} s wall, {inp['cpu']:.1f} s CPU "
        f"in-process on one core, {per_ty * 1e3:.1f} ms CPU per target-year"
    )
    nbody = _nbody_cost(sample, args.chunk, per_ty) if args.ephemeris == "two-body" else None
    nbody_ty = nbody[1] if nbody is not None else None
    if nbody is not None:
        print(
            f"[compute] n-body states: {nbody[0] * 1e3:.1f} ms CPU per target-year over this "
            f"1-year period (integrated from the catalog epoch), {nbody_ty * 1e3:.1f} ms per "
            f"target-year over {PERIOD_19[0]}..{PERIOD_19[1]} (the projection's)"
        )
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1, 2):
            runs[n] = _cluster_run(n, sample, args.chunk, args.ephemeris, Path(tmp), parts, plan)
        serial = _serial_cpu(sample, args.chunk, args.ephemeris, Path(tmp) / "w1", Path(tmp))
    _print_runs(len(parts), inp, runs, args.chunk)
    t1, t2 = runs[1]["wall"], runs[2]["wall"]
    print(
        f"[serial] this process's own CPU, chunks replayed (no compute, no Dask): "
        f"{serial['lead_in'] * 1e3:.0f} ms before the first chunk, "
        f"{serial['per_chunk'] * 1e3:.1f} ms per chunk (write, decode), "
        f"{serial['lead_out'] * 1e3:.0f} ms after the last (join, results, summary); "
        f"2 x T2 - T1 = {2 * t2 - t1:.2f} s (serial time, tail and what the workers share "
        "their cores with)"
    )
    noop = runs[1]["noop"]
    print(
        f"[overhead] {noop * 1e3:.0f} ms per task carrying a chunk of {args.chunk} targets "
        f"(no-op tasks through the scheduler; "
        f"{noop / (inp['cpu'] / len(parts)):.1%} of a chunk's CPU here)"
    )
    ovh = _overhead(len(parts), inp, runs[1])
    eff2 = t1 / t2 / 2
    _projection(len(full), per_ty, ovh, eff2, args.ephemeris)
    if args.ephemeris == "two-body" and nbody_ty is not None:
        _projection(len(full), nbody_ty, ovh, eff2, "nbody (the default)")


if __name__ == "__main__":
    sys.exit(main())
