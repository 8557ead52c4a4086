"""Measure the coarse-vs-fine margins of prospect.scan.search (run by hand; minutes).

    python benchmarks/calibrate_search.py [--limit N] [--only oneway|roundtrip]
        [--sample N] [--save values.npz | --load values.npz]

One-way: every object of the shipped catalog on rank's default grid (default
window, 5-day departures, 30-720 d flights at 10-day steps).  For the
objective of each shipped one-way profile kind (spacecraft v-infinity sum
with a C3 = 0 kick stage; GTO perigee burn + arrival; arrival only; NHATS
LEO total with C3 <= 60 and 450 d) the script takes each target's fine
minimum F and the minimum C over the coarse sub-grid (every ``d``-th
departure, every ``t``-th flight time, plus the last of each) and prints,
for objective levels L, ``max(C - F)`` over the targets with ``F <= L``:
the margin that ``prospect.scan.search.ONEWAY_MARGINS_KM_S`` stores.

Round trip (``nhats-human`` on rank's 5-day lattice): every object's fine
leg costs are solved once and every stage value is taken from slices of
them (window bounds on thinned legs, the 10-, 20- and 40-day sub-lattices'
least costs); the script prints ``max(C - F)`` against the fine least cost
``F`` over the targets with ``F <= limit + L`` and replays
``prospect.scan.search.ROUNDTRIP_STAGES`` on the targets (feasible targets
dropped, bounds above ``F``).  The whole catalog takes 8.6 min of CPU (35 min
wall at load 10); ``--save`` keeps every target's values, ``--load`` reports them
again (e.g. after editing the stages).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

LEVELS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 15.0)
FACTORS = ((2, 2), (4, 2), (4, 3), (6, 3), (8, 4), (12, 6))


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
    from prospect.core.transfer import transfer_grid
    from prospect.scan._common import date_grid, tof_grid
    from prospect.scan._targets import earth_model
    from prospect.scan.rank.chunks import propagate as _propagate
    from prospect.scan.rank.grid import default_window
    from prospect.scan.search import _coarse_index
    from prospect.targets import element_arrays as _elements

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
            mu_park_km3_s2=GM_EARTH_KM3_S2,
            r_park_km=R_EARTH_KM + 400.0,
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


#: Leg thinnings ``(every date, every leg length, first leg length)`` of the stage-1
#: window bound measured (first leg length as an index of the fine legs: offsets 2
#: and 6 pick the legs of the 20- and 40-day sub-lattices).
RT_WINDOW_FACTORS = (
    (2, 2, 0), (4, 4, 0), (4, 4, 2), (8, 4, 0), (4, 8, 0), (6, 6, 0), (8, 8, 0), (8, 8, 2),
    (8, 8, 6), (12, 6, 0), (12, 12, 0), (16, 8, 0),
)  # fmt: skip
#: Sub-lattices of every 2nd, 4th and 8th date whose least cost is measured.
RT_SUB_LATTICES = ("lattice", "lattice_20d", "lattice_40d")


def _rt_values(r_e, v_e, r_t, v_t, lat, spec) -> dict:
    """Every stage value of a batch of targets from one fine leg-cost solve.

    The thinned window bounds and the 10-day sub-lattice use subsets of the
    fine lattice's legs (slices of its arrays), so each leg is solved once.
    """
    from prospect.core.lattice import lattice_best
    from prospect.scan._lattice import leg_costs
    from prospect.scan.search import coarse_lattice, window_bound

    out, ret = leg_costs(r_e, v_e, r_t, v_t, lat, spec)
    vals = {
        "fine": lattice_best(out, ret, lat.k_min, lat.stay_k, lat.dur_k, shortest=False)[1][:, 2],
        "window": window_bound(out, ret, lat),
        "out_min": out.min(axis=(1, 2)),
        "ret_min": ret.min(axis=(1, 2)),
    }
    for fd, fk, k0 in RT_WINDOW_FACTORS:
        sub = out[:, ::fd, k0::fk], ret[:, ::fd, k0::fk]
        vals[f"window_{fd}_{fk}_{k0}"] = window_bound(*sub, lat, fd)
    # the 10- and 20-day sub-lattices: their legs are fine legs (even dates and lengths)
    c = lat
    for name in RT_SUB_LATTICES:
        c, step = coarse_lattice(c), 2 * (c.step_days / lat.step_days)
        step = round(step)
        kk0 = step * c.k_min - lat.k_min
        assert kk0 >= 0 and c.step_days == step * lat.step_days, "sub-lattice legs not fine legs"
        nk = c.k_max - c.k_min + 1
        out_c = out[:, ::step, kk0::step][:, : c.n_dep, :nk]
        ret_c = ret[:, ::step, kk0::step][:, : c.size, :nk]
        best = lattice_best(out_c, ret_c, c.k_min, c.stay_k, c.dur_k, shortest=False)
        vals[name] = best[1][:, 2]
    return vals


def calibrate_roundtrip(n_limit: int | None, sample: int | None = None, save=None) -> None:
    """Stage values of every object (or a seeded sample) on rank's default lattice.

    Prints ``max(C - F)`` of each stage against the fine value it stands for
    and, with ``save``, writes every target's values to that ``.npz`` file
    (keys as :func:`_rt_values`, plus ``designation`` and ``sh_dv`` the
    Shoemaker-Helin delta-v) for designs of other stages.
    """
    from prospect.catalog import load_neas
    from prospect.core.deltav import shoemaker_helin
    from prospect.scan._lattice import RoundTripLattice, lattice_search
    from prospect.scan._targets import earth_model
    from prospect.scan.rank.chunks import propagate as _propagate
    from prospect.scan.rank.grid import default_window
    from prospect.scan.roundtrip import nhats_spec
    from prospect.scan.search import sub_lattice
    from prospect.targets import element_arrays as _elements

    table = load_neas()
    if n_limit:
        table = table.iloc[:n_limit]
    if sample:
        table = table.sample(n=min(sample, len(table)), random_state=20261205)
    spec = nhats_spec("nhats-human")
    limit = spec.max_total_dv_km_s
    start, end = default_window()
    lat = RoundTripLattice.make(
        start, end, step_days=5.0, max_duration_days=spec.max_duration_days,
        min_stay_days=spec.min_stay_days, min_leg_days=10.0,
    )  # fmt: skip
    sec = lat.seconds
    r_e, v_e = earth_model().states(sec)
    el = _elements(table)
    n = len(table)
    print(f"round trip {start} .. {end}: {lat.n_dep} departures, {lat.size} dates, {n} objects")
    parts: dict[str, list] = {}
    t0 = time.perf_counter()
    step = 100
    for a in range(0, n, step):
        b = min(n, a + step)
        r_t, v_t = _propagate({k: v[a:b] for k, v in el.items()}, sec)
        vals = _rt_values(r_e, v_e, r_t, v_t, lat, spec)
        if a == 0:  # the sliced sub-lattices are the ones solved from their own dates
            for j, name in enumerate(RT_SUB_LATTICES, start=1):
                c, stride, _ = sub_lattice(lat, j)
                st = (r_e[::stride], v_e[::stride], r_t[:, ::stride], v_t[:, ::stride])
                found = lattice_search(*(x[..., : c.size, :] for x in st), c, spec, shortest=False)
                np.testing.assert_allclose(vals[name], found["least_cost"], rtol=1e-12)
        for k, v in vals.items():
            parts.setdefault(k, []).append(v)
        if (a // step) % 20 == 0:
            print(f"  {b} objects, {time.perf_counter() - t0:.0f} s", flush=True)
    v = {k: np.concatenate(p) for k, p in parts.items()}
    a_au, ecc, inc = (table[c].to_numpy(float) for c in ("a_au", "e", "inc_deg"))
    v["sh_dv"] = np.asarray(shoemaker_helin(a_au, ecc, inc))
    if save:
        np.savez_compressed(save, designation=table["designation"].to_numpy(str), **v)
    _report_roundtrip(v, limit, time.perf_counter() - t0)


#: Levels above the round-trip limit, km/s: the stage margins hold for targets
#: whose least cost is within the largest (the n-body stage reads a dropped
#: target's ``C - margin`` as a lower bound up to the limit plus 0.7 km/s).
RT_MARGIN_LEVELS = (0.0, 0.7, 2.0)


def _report_roundtrip(v: dict, limit: float, seconds: float | None = None) -> None:
    """Each stage value's ``max(C - F)`` against the least cost ``F``, and the shipped
    stages (``ROUNDTRIP_STAGES``) replayed on these targets."""
    from prospect.scan.search import (
        MARGIN_PAD_KM_S,
        MARGIN_SAFETY,
        ROUNDTRIP_LEVEL_KM_S,
        ROUNDTRIP_STAGES,
    )

    frt = v["fine"]
    n = frt.size
    took = "" if seconds is None else f"{seconds:.0f} s; "
    print(f"round trip: {took}{int(np.sum(frt <= limit))} of {n} feasible")
    ok = np.isfinite(frt)
    assert np.all(v["window"][ok] <= frt[ok] + 1e-9), "bound above a trip"
    print("max(C - F) over the targets with F <= limit + L (inf: no coarse trip); kept at "
          f"{MARGIN_SAFETY:g} x max(0, that at L = {ROUNDTRIP_LEVEL_KM_S:g}) + "
          f"{MARGIN_PAD_KM_S:g}:")  # fmt: skip
    print(f"{'value':16s} " + " ".join(f"L={lv:<6g}" for lv in RT_MARGIN_LEVELS) + "   kept")
    margin = {}
    for key in sorted(k for k in v if k.startswith(("window", "lattice"))):
        gaps = []
        for lv in RT_MARGIN_LEVELS:
            s = frt <= limit + lv
            gaps.append(float(np.max(v[key][s] - frt[s])) if s.any() else float("nan"))
        at = RT_MARGIN_LEVELS.index(ROUNDTRIP_LEVEL_KM_S)
        margin[key] = MARGIN_SAFETY * max(gaps[at], 0.0) + MARGIN_PAD_KM_S
        kept = int(np.sum(v[key] <= limit + margin[key]))
        print(f"{key:16s} " + " ".join(f"{g:8.3f}" for g in gaps) + f" {kept:6d}")
    # the shipped stages on these targets: none feasible dropped, bounds below F near the limit
    alive, bound = np.ones(n, dtype=bool), np.full(n, -np.inf)
    names = {"lattice": ("lattice", "lattice_20d", "lattice_40d")}
    for stride, kk0, tests in ROUNDTRIP_STAGES:
        low = np.full(n, -np.inf)
        for test, measured in tests.items():
            key = names["lattice"][stride.bit_length() - 2] if test == "lattice" else (
                f"window_{stride}_{stride}_{kk0}")  # fmt: skip
            low = np.maximum(low, v[key] - (MARGIN_SAFETY * max(measured, 0.0) + MARGIN_PAD_KM_S))
        drop = alive & (low > limit)
        bound[drop] = low[drop]
        print(f"stage ({stride}, {kk0}) {sorted(tests)}: {int(alive.sum())} in, "
              f"{int((alive & ~drop).sum())} kept")  # fmt: skip
        alive &= ~drop
    lost = int(np.sum(~alive & (frt <= limit)))
    s = ~alive & (frt <= limit + ROUNDTRIP_LEVEL_KM_S)
    worst = float(np.max(bound[s] - frt[s])) if s.any() else float("nan")
    print(f"feasible targets dropped: {lost}; max(bound - F) over dropped targets with F <= "
          f"limit + {ROUNDTRIP_LEVEL_KM_S:g}: {worst:.3f} km/s (must be <= 0)")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N catalog objects only")
    ap.add_argument("--only", choices=("oneway", "roundtrip"))
    ap.add_argument("--sample", type=int, default=None, help="round trip: seeded sample size")
    ap.add_argument("--save", default=None, help="round trip: write every target's values (.npz)")
    ap.add_argument("--load", default=None, help="round trip: report the values of a --save file")
    args = ap.parse_args()
    if args.load:
        with np.load(args.load) as f:
            _report_roundtrip({k: f[k] for k in f.files if k != "designation"}, 12.0)
        return
    if args.only in (None, "oneway"):
        calibrate_oneway(args.limit)
    if args.only in (None, "roundtrip"):
        calibrate_roundtrip(args.limit, args.sample, args.save)


if __name__ == "__main__":
    main()
