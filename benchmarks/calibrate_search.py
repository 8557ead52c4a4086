"""Measure the coarse-vs-fine margins of prospect.scan.search (run by hand; minutes).

    python benchmarks/calibrate_search.py [--limit N]

One-way: every object of the shipped catalog on rank's default grid (default
window, 5-day departures, 30-720 d flights at 10-day steps).  For the
objective of each shipped one-way profile kind (spacecraft v-infinity sum
with a C3 = 0 kick stage; GTO perigee burn + arrival; arrival only; NHATS
LEO total with C3 <= 60 and 450 d) the script takes each target's fine
minimum F and the minimum C over the coarse sub-grid (every ``d``-th
departure, every ``t``-th flight time, plus the last of each) and prints,
for objective levels L, ``max(C - F)`` over the targets with ``F <= L``:
the margin that ``prospect.scan.search.ONEWAY_MARGINS_KM_S`` stores.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

LEVELS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 15.0)
FACTORS = ((2, 2), (4, 2), (4, 3), (6, 3))


def _objectives(vd, va, tot, tofs):
    from prospect.core.constants import GM_EARTH_KM3_S2, R_EARTH_KM
    from prospect.scan._mission import GTO_APOGEE_ALT_KM, GTO_PERIGEE_ALT_KM

    rp = R_EARTH_KM + GTO_PERIGEE_ALT_KM
    ra = R_EARTH_KM + GTO_APOGEE_ALT_KM
    vp = np.sqrt(2.0 * GM_EARTH_KM3_S2 * ra / (rp * (rp + ra)))
    nhats = np.where((vd * vd <= 60.0) & (tofs <= 450.0), tot, np.nan)
    return {
        "excess": vd + va,
        "gto-burn": np.sqrt(vd * vd + 2.0 * GM_EARTH_KM3_S2 / rp) - vp + va,
        "zero": va,
        "nhats-total": nhats,
    }


def calibrate_oneway(n_limit: int | None) -> None:
    from prospect.catalog import load_neas
    from prospect.core.constants import DAY_S, GM_EARTH_KM3_S2, GM_SUN_KM3_S2, R_EARTH_KM
    from prospect.core.gridsearch import _coarse_index
    from prospect.core.transfer import transfer_grid
    from prospect.scan._common import date_grid, tof_grid
    from prospect.scan._targets import earth_model
    from prospect.scan.rank import _elements, _propagate, default_window

    table = load_neas()
    if n_limit:
        table = table.iloc[:n_limit]
    start, end = default_window()
    grid = date_grid(start, end, 5.0, start_option="a", end_option="b", step_option="c")
    tofs = tof_grid(30.0, 720.0, 10.0, min_option="a", max_option="b", step_option="c")
    arr = grid.seconds[:, None] + tofs[None, :] * DAY_S
    arr_u, inv = np.unique(np.round(arr, 3), return_inverse=True)
    inv = inv.reshape(arr.shape)
    r_e, v_e = earth_model().states(grid.seconds)
    el = _elements(table)
    n = len(table)
    nd, nt = inv.shape
    print(f"window {start} .. {end}: {nd} departures x {nt} flight times, {n} objects")
    fine_all = {}
    coarse_all = {}
    t0 = time.perf_counter()
    step = 400
    for a in range(0, n, step):
        b = min(n, a + step)
        m = b - a
        r_t, v_t = _propagate({k: v[a:b] for k, v in el.items()}, arr_u)
        out = transfer_grid(
            GM_SUN_KM3_S2,
            np.tile(r_e, (m, 1)),
            np.tile(v_e, (m, 1)),
            r_t.reshape(-1, 3),
            v_t.reshape(-1, 3),
            (inv[None] + (np.arange(m) * arr_u.size)[:, None, None]).reshape(-1, nt),
            tofs * DAY_S,
            mu_park=GM_EARTH_KM3_S2,
            r_park=R_EARTH_KM + 400.0,
        )
        vd, va, tot = (out[k].reshape(m, nd, nt) for k in (1, 2, 5))
        for name, obj in _objectives(vd, va, tot, tofs[None, None, :]).items():
            obj = np.where(np.isfinite(obj), obj, np.inf)
            fine_all.setdefault(name, []).append(obj.reshape(m, -1).min(axis=1))
            for f in FACTORS:
                ci, cj = _coarse_index(nd, f[0]), _coarse_index(nt, f[1])
                c = obj[:, ci][:, :, cj].reshape(m, -1).min(axis=1)
                coarse_all.setdefault((name, f), []).append(c)
        if (a // step) % 10 == 0:
            print(f"  {b} objects, {time.perf_counter() - t0:.0f} s", flush=True)
    print(f"one-way: {time.perf_counter() - t0:.0f} s; max(C - F) over targets with F <= L")
    print("objective     factors  " + " ".join(f"{lv:>6g}" for lv in LEVELS))
    for name, parts in fine_all.items():
        fine = np.concatenate(parts)
        for f in FACTORS:
            c = np.concatenate(coarse_all[(name, f)])
            cells = []
            for lv in LEVELS:
                sel = np.isfinite(fine) & (fine <= lv)
                cells.append(f"{np.max(c[sel] - fine[sel]):6.3f}" if sel.any() else "     -")
            print(f"{name:13s} {f!s:8s} " + " ".join(cells))


RT_FACTORS = ((2, 2), (4, 2), (4, 4), (8, 4))


def rt_legs(lat, every_date: int = 1, every_leg: int = 1):
    """Outbound (Earth i -> target i + k) and return (target d -> Earth d + k) legs.

    Returns ``(out_i1, out_i2, ret_i1, ret_i2)`` index arrays over the lattice
    dates, every ``every_date``-th start date and ``every_leg``-th leg length.
    """
    ks = lat.legs[::every_leg]
    i = np.arange(0, lat.n_dep, every_date)
    oi, ok = np.meshgrid(i, ks, indexing="ij")
    d = np.arange(0, lat.size, every_date)
    ri, rk = np.meshgrid(d, ks, indexing="ij")
    keep = ri + rk < lat.size
    return oi.ravel(), (oi + ok).ravel(), ri[keep], (ri + rk)[keep]


def calibrate_roundtrip(n_limit: int | None, sample: int | None = None) -> None:
    from prospect.catalog import load_neas
    from prospect.core.constants import DAY_S, GM_SUN_KM3_S2
    from prospect.core.gridsearch import leg_vinf
    from prospect.scan._targets import earth_model
    from prospect.scan.rank import _elements, _propagate, default_window
    from prospect.scan.roundtrip import RoundTripLattice, nhats_spec
    from prospect.scan.search import roundtrip_leg_costs

    table = load_neas()
    if n_limit:
        table = table.iloc[:n_limit]
    if sample:
        table = table.sample(n=min(sample, len(table)), random_state=20261205)
    spec = nhats_spec("nhats-human")
    start, end = default_window()
    lat = RoundTripLattice.make(
        start, end, step_days=5.0, max_duration_days=spec.max_duration_days,
        min_stay_days=spec.min_stay_days, min_leg_days=10.0,
    )  # fmt: skip
    sec = lat.seconds
    r_e, v_e = earth_model().states(sec)
    el = _elements(table)
    n = len(table)
    h = lat.step_days * DAY_S
    fine = rt_legs(lat)
    print(f"round trip {start} .. {end}: {lat.n_dep} departures, {lat.size} dates, "
          f"{fine[0].size} + {fine[2].size} legs per target, {n} objects")  # fmt: skip
    f_sum = []
    c_sum = {f: [] for f in RT_FACTORS}
    t0 = time.perf_counter()
    step = 200
    for a in range(0, n, step):
        b = min(n, a + step)
        r_t, v_t = _propagate({k: v[a:b] for k, v in el.items()}, sec)
        oi1, oi2, ri1, ri2 = fine
        vd, va = leg_vinf(GM_SUN_KM3_S2, r_e[None], v_e[None], r_t, v_t, oi1, oi2, (oi2 - oi1) * h)
        co = roundtrip_leg_costs(spec, vd, va, "out")
        vd, va = leg_vinf(GM_SUN_KM3_S2, r_t, v_t, r_e[None], v_e[None], ri1, ri2, (ri2 - ri1) * h)
        cr = roundtrip_leg_costs(spec, vd, va, "return")
        f_sum.append(co.min(axis=1) + cr.min(axis=1))
        for f in RT_FACTORS:
            so = (oi1 % f[0] == 0) & ((oi2 - oi1 - lat.k_min) % f[1] == 0)
            sr = (ri1 % f[0] == 0) & ((ri2 - ri1 - lat.k_min) % f[1] == 0)
            c_sum[f].append(co[:, so].min(axis=1) + cr[:, sr].min(axis=1))
        if (a // step) % 20 == 0:
            print(f"  {b} objects, {time.perf_counter() - t0:.0f} s", flush=True)
    fs = np.concatenate(f_sum)
    print(f"round trip: {time.perf_counter() - t0:.0f} s; cheapest outbound + cheapest return "
          "leg, max(C - F) over targets with F <= L")  # fmt: skip
    print("factors  " + " ".join(f"{lv:>6g}" for lv in RT_LEVELS))
    for f in RT_FACTORS:
        cs = np.concatenate(c_sum[f])
        cells = []
        for lv in RT_LEVELS:
            sel = np.isfinite(fs) & (fs <= lv)
            cells.append(f"{np.max(cs[sel] - fs[sel]):6.3f}" if sel.any() else "     -")
        print(f"{f!s:8s} " + " ".join(cells))
    for lv in (10.0, 12.0, 14.0):
        print(f"targets with F <= {lv:g}: {int(np.sum(fs <= lv))}")


RT_LEVELS = (4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N catalog objects only")
    ap.add_argument("--only", choices=("oneway", "roundtrip"))
    ap.add_argument("--sample", type=int, default=None, help="round trip: seeded sample size")
    args = ap.parse_args()
    if args.only in (None, "oneway"):
        calibrate_oneway(args.limit)
    if args.only in (None, "roundtrip"):
        calibrate_roundtrip(args.limit, args.sample)


if __name__ == "__main__":
    main()
