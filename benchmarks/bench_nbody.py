"""Cost of n-body target states against two-body, and of the cache (not a test): run by hand.

    python benchmarks/bench_nbody.py              # 64 targets, 5 years (~1 min)
    python benchmarks/bench_nbody.py --n 256 --years 10

On the same seeded sample of shipped NEAs, in one run:

(a) target-years per second of states at daily epochs: two-body
    (``prospect.core.kepler.propagate_elements``) against n-body direct
    integration (``prospect.nbody.propagate``: ASSIST + DE440, all targets of
    one epoch in one REBOUND simulation), and the ratio;
(b) the cache: a cold ``prospect.nbody.catalog_states`` (integrates, samples the
    cubic Hermite nodes, writes the year files) against a warm one in a fresh
    process (reads the files) and a warm one in the same process (memory), on a
    throw-away cache directory;
(c) the largest interpolation error of the cached states against (a)'s direct
    integration, metres.

``--rank`` times the README's main job, ``rank("prospector-1")`` over the
whole catalog (launches 2027-2028), two-body against n-body with a cold
cache (fresh directory) and a warm one, in one run, and what the
closest-approach columns of the rows returned take in each.

``--margins`` instead measures what :data:`prospect.scan.rank.NBODY_MARGINS`
is kept from: on 300 seeded random NEAs (``nhats-human``, launches 2027-2028,
grid optima, no screen), the change of each target's best delta-v from
two-body to n-body states, separately for targets with and without a two-body
Earth approach under 0.07 au (those always go to n-body).

The machine is shared: timings vary with the load of other processes, so the
script prints the load average next to the figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from prospect import nbody
from prospect.catalog import load_neas
from prospect.core import kepler
from prospect.core.constants import DAY_S, GM_SUN_KM3_S2
from prospect.targets import element_arrays

_WARM = """
import sys, time, numpy as np
from prospect import nbody
from prospect.catalog import load_neas
t = load_neas().iloc[[int(i) for i in sys.argv[1].split(",")]]
e = np.load(sys.argv[2])
nbody.catalog_states(t, e[:2])  # imports and kernel load outside the timing
c = nbody.integration_count(); t0 = time.perf_counter()
nbody.catalog_states(t, e)
print(time.perf_counter() - t0, nbody.integration_count() - c)
"""


def _timed(fn, *a, **k):
    t0 = time.perf_counter()
    out = fn(*a, **k)
    return time.perf_counter() - t0, out


def margins(n: int = 300) -> None:
    """Two-body vs n-body best delta-v of each target (the rank n-body stage's margin)."""
    import pandas as pd

    from prospect.epochs import tdb_seconds
    from prospect.scan.rank import rank
    from prospect.scan.rank.nbody import _approach_mask

    t = load_neas()
    sample = t.iloc[np.sort(np.random.default_rng(11).choice(len(t), n, replace=False))]
    sample = sample.reset_index(drop=True)
    sample.attrs = t.attrs
    for rt in (False, True):
        kw = dict(catalog=sample, start="2027-01-01", end="2029-01-01", round_trip=rt)
        kw.update(refine=False, include_infeasible=True, checkpoint=False, exhaustive=True)
        a = rank("nhats-human", ephemeris="two-body", **kw).set_index("designation")
        b = rank("nhats-human", ephemeris="nbody", nbody_margin_km_s=np.inf, **kw)
        m = a["dv_objective_km_s"].to_frame("two_body")
        m["nbody"] = b.set_index("designation")["dv_objective_km_s"]
        m["change"] = m["nbody"] - m["two_body"]
        end_s = float(tdb_seconds("2029-01-01"))
        close = _approach_mask(element_arrays(sample), end_s)
        close = pd.Series(close, index=sample["designation"].astype(str))
        m["approach"] = close.reindex(m.index.astype(str)).to_numpy()
        ok = np.isfinite(m["change"])
        far = ok & ~m["approach"]
        print(f"{'round trip' if rt else 'one-way'}: {int(ok.sum())} targets, "
              f"{int((ok & m['approach']).sum())} with an approach; without one: largest "
              f"decrease {-m['change'][far].min():.3f} km/s, 1st percentile "
              f"{-np.percentile(m['change'][far], 1):.3f}, median |change| "
              f"{m['change'][ok].abs().median():.4f}")  # fmt: skip
        print(m[far].sort_values("change").head(4).to_string())
        near = ok & m["approach"]
        if near.any():
            print(f"  with an approach ({int(near.sum())}): largest decrease "
                  f"{-m['change'][near].min():.3f} km/s, largest increase "
                  f"{m['change'][near].max():.3f} km/s, median |change| "
                  f"{m['change'][near].abs().median():.4f}")  # fmt: skip
            print(m[near].sort_values("change").head(6).to_string())


def rank_job() -> None:
    """The README's main job with and without the n-body stage, cold and warm cache."""
    import importlib

    from prospect.scan.rank import rank

    output = importlib.import_module("prospect.scan.rank.output")
    plain, spent = output.approaches, []

    def approaches(*a, **k):  # the closest-approach columns, timed inside the run
        t, res = _timed(plain, *a, **k)
        spent.append(t)
        return res

    output.approaches = approaches
    kw = {"start": "2027-01-01", "end": "2029-01-01", "checkpoint": False}
    rank("prospector-1", ephemeris="two-body", **kw)  # JIT warm-up, catalog load
    t2, a = _timed(rank, "prospector-1", ephemeris="two-body", **kw)
    with tempfile.TemporaryDirectory() as cache_dir:
        os.environ["PROSPECT_CACHE_DIR"] = cache_dir
        tc, b = _timed(rank, "prospector-1", **kw)
        from prospect.nbody import cache

        cache._MEMORY.clear()  # warm = files on disk, as a new process sees them
        tw, _ = _timed(rank, "prospector-1", **kw)
    print(f"rank prospector-1, 2027-2028: two-body {t2:.1f} s ({len(a)} rows); n-body cold "
          f"{tc:.1f} s ({b.attrs['n_nbody']} targets re-scanned, {len(b)} rows), warm {tw:.1f} s; "
          f"n-body stage adds {tc - t2:.1f} s cold, {tw - t2:.1f} s warm")  # fmt: skip
    print(f"closest-approach columns (rows returned): two-body {spent[1]:.2f} s, n-body cold "
          f"{spent[2]:.2f} s, warm {spent[3]:.2f} s")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=64, help="number of targets")
    ap.add_argument("--years", type=float, default=5.0, help="span after the catalog epoch")
    ap.add_argument("--margins", action="store_true", help="measure rank's n-body margins")
    ap.add_argument("--rank", action="store_true", help="time rank with the n-body stage")
    args = ap.parse_args()
    if args.margins:
        margins()
        return
    if args.rank:
        rank_job()
        return
    table = load_neas()
    rows = np.sort(np.random.default_rng(9).choice(len(table), args.n, replace=False))
    sample = table.iloc[rows]
    el = element_arrays(sample)
    epochs = el["epoch0_s"].min() + np.arange(0.0, args.years * 365.25, 1.0) * DAY_S
    ty = args.n * args.years
    print(f"load average {os.getloadavg()}; {args.n} targets x {args.years} years, daily epochs")

    kepler.propagate_elements(GM_SUN_KM3_S2, **el, epochs_s=epochs[:2])  # JIT warm-up
    nbody.propagate({k: v[:1] for k, v in el.items()}, epochs[:2])  # kernel load
    t2, _ = _timed(kepler.propagate_elements, GM_SUN_KM3_S2, **el, epochs_s=epochs)
    tn, (r_direct, _, st) = _timed(nbody.propagate, el, epochs)
    print(f"(a) two-body  {ty / t2:12,.0f} target-years/s  ({t2:.3f} s)")
    failed = int(st.any(axis=1).sum())
    print(f"    n-body    {ty / tn:12,.1f} target-years/s  ({tn:.2f} s, {failed} failed)")
    print(f"    ratio n-body / two-body time: {tn / t2:,.0f}x")

    with tempfile.TemporaryDirectory() as cache_dir:
        os.environ["PROSPECT_CACHE_DIR"] = cache_dir
        tc, (r_cache, _, _) = _timed(nbody.catalog_states, sample, epochs)
        tw, _ = _timed(nbody.catalog_states, sample, epochs)
        ep_file = os.path.join(cache_dir, "epochs.npy")
        np.save(ep_file, epochs)
        out = subprocess.run(
            [sys.executable, "-c", _WARM, ",".join(map(str, rows)), ep_file],
            capture_output=True, text=True, check=True, env=dict(os.environ),
        )  # fmt: skip
        tf, n_int = out.stdout.split()
        size = sum(
            os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(cache_dir) for f in fs
        )
    print(f"(b) cache cold            {tc:8.2f} s  ({ty / tc:,.1f} target-years/s)")
    tf = float(tf)
    print(f"    warm, new process     {tf:8.3f} s  ({n_int} integrations)  ratio {tc / tf:,.0f}x")
    print(f"    warm, same process    {tw:8.3f} s  ratio {tc / tw:,.0f}x")
    print(f"    cache size {size / 2**20:.1f} MiB ({size / ty / 1024:.0f} KiB per target-year)")
    err = np.linalg.norm(r_cache - r_direct, axis=-1)
    print(f"(c) interpolant vs direct integration: max {np.nanmax(err) * 1e3:.1f} m, "
          f"median {np.nanmedian(err) * 1e3:.2f} m")  # fmt: skip


if __name__ == "__main__":
    main()
