"""Stage 2b of :func:`prospect.scan.rank.rank`: re-scan the candidates with n-body states.

The Shoemaker-Helin screen and the grid scan of the whole catalog stay
two-body (fast: one numba call per chunk).  A target goes on to the n-body
re-scan when

* its two-body best delta-v is within the limit plus a margin, the limit
  times :data:`NBODY_MARGINS` -- the largest fraction by which n-body states
  lowered a target's best delta-v below the two-body one among targets
  without an Earth approach, measured on the catalog (``python
  benchmarks/bench_nbody.py --margins``: 300 seeded random NEAs,
  ``nhats-human``, launches 2027-2028, grid optima): one-way 12 % (2014 KX99,
  12.83 -> 11.29 km/s; the next largest 4 %; median |change| 0.005 km/s),
  round trip 0.13 % (19 feasible targets; the 2000 SG344-like changes of
  0.07-0.45 km/s all belong to Earth-approaching targets), with a safety
  factor (1.25 one-way, 4 for the small round-trip sample); or
* it passes the Earth within :data:`APPROACH_SCREEN_AU` between its catalog
  epoch and the end of the launch window (issue 9, item 4), by two-body states,
  and its two-body best delta-v is within the limit plus
  :data:`APPROACH_MARGINS_KM_S`: the largest decrease two-body -> n-body of a
  best delta-v among targets with such an approach, measured (``python
  benchmarks/bench_nbody.py --margins``, launches 2027-2028, grid optima):
  one-way 0.863 km/s (2018 PL23, 22.41 -> 21.55 km/s; 14 approaching targets
  of the 300 seeded NEAs, ``nhats-human``) and 0.099 km/s (2020 GE; the 82
  approaching targets of the whole catalog within 4 km/s of ``prospector-1``'s
  objective, 2000 SG344 0.072), round trip 0.45 km/s (issue 9's two-body
  excess of the co-orbital round trips, 2000 SG344 3.80 -> 3.55 km/s; the
  sample's 4 approaching feasible targets dropped at most 0.002 km/s), times
  a safety factor 1.5.  The approach flag is 0.05 au
  (:data:`prospect.nbody.CLOSE_APPROACH_AU`) and two-body positions before a
  first encounter are off by < 0.01 au within two years of the elements'
  epoch (issue 9: 7,600-1,070,000 km after one year), so 0.07 au loses none.

Targets the coarse-to-fine search pruned (``launch_days == 0``) carry their
coarse minimum, an upper bound of the fine one; their value is lowered by the
search's own margin (:func:`prospect.scan.search.oneway_margins`) before the
comparison, so the bound stays sound.  Round trips give no value above the
limit; their rows carry instead a lower bound of the least cost on the fine
lattice (:data:`prospect.scan.rank.chunks.BOUND_COLUMN`: the least cost
itself where the fine lattice was searched, else the search's coarse value
minus its measured margin, :func:`prospect.scan.search.roundtrip_chunk`), and
that bound is compared.  An approaching target without either is always sent.  The
approach test (daily two-body distances since the catalog epoch, ~45 s over
the whole catalog) runs only on the rows within the approach margin.  For
``prospector-1`` (whole catalog, 2027-2028) 66 targets are re-scanned (49 of
them approaching) instead of the 1,179 that pass within 0.07 au.

The candidates are scanned again on the same grid with n-body target states
(:mod:`prospect.nbody`, cached) and DE440's Earth; their rows replace the
two-body ones.  Every row that can be feasible is therefore computed, and
then refined, with n-body states; the rows that stay two-body are
infeasible by more than the margin (they appear only with
``include_infeasible=True``, with ``ephemeris == "two-body"``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from prospect.core.constants import DAY_S, GM_SUN_KM3_S2
from prospect.scan._mission import MissionSpec
from prospect.scan._targets import earth_model
from prospect.scan.rank.chunks import BOUND_COLUMN, propagate
from prospect.scan.rank.grid import ScanGrid
from prospect.scan.rank.scan import scan

__all__ = ["APPROACH_MARGINS_KM_S", "APPROACH_SCREEN_AU", "NBODY_MARGINS", "nbody_stage"]

#: Fraction of the delta-v limit that a target's best delta-v may drop from two-body
#: to n-body: the measured largest drop times a safety factor (module docstring).
NBODY_MARGINS = {"one-way": 0.15, "round-trip": 0.005}

#: Margin above the limit for targets with an Earth approach, km/s: the measured
#: largest decrease of such a target's best delta-v (one-way 0.863, round trip
#: 0.45 km/s; module docstring) times a safety factor 1.5.
APPROACH_MARGINS_KM_S = {"one-way": 1.3, "round-trip": 0.7}

#: Two-body geocentric distance under which a target always goes to n-body, au.
APPROACH_SCREEN_AU = 0.07


def _approach_mask(el: dict, end_s: float, chunk: int = 512, progress=None):
    """Targets whose two-body path passes within APPROACH_SCREEN_AU of the Earth
    between their catalog epoch and ``end_s`` (daily samples); ``progress(done, n)``
    after each chunk of targets.

    The samples are one daily grid from the earliest epoch; targets go in order of
    epoch and each chunk propagates only over its own part of the grid (a few
    catalog orbits have epochs years before the others' common one: 2010 among the
    whole catalog's round-trip candidates, which stretched every chunk 5-fold).
    """
    ep0 = np.asarray(el["epoch0_s"], dtype=float)
    n = ep0.size
    mask = np.zeros(n, dtype=bool)
    if n == 0:
        return mask
    lo, hi = min(ep0.min(), end_s), max(ep0.max(), end_s)
    t = np.arange(lo, hi + DAY_S, DAY_S)
    r_e, _ = earth_model("two-body").states(t)
    limit_km = APPROACH_SCREEN_AU * 1.495978707e8
    order = np.argsort(ep0, kind="stable")
    for a in range(0, n, chunk):
        idx = order[a : a + chunk]
        sub = {k: np.asarray(v)[idx] for k, v in el.items()}
        first, last = np.minimum(sub["epoch0_s"], end_s), np.maximum(sub["epoch0_s"], end_s)
        j = slice(np.searchsorted(t, first.min()), np.searchsorted(t, last.max(), "right"))
        r, _ = propagate(sub, t[j])
        dr = r - r_e[None, j]
        inside = (t[None, j] >= first[:, None]) & (t[None, j] <= last[:, None])
        with np.errstate(invalid="ignore"):  # NaN (failed Kepler solve): not inside
            near = np.einsum("ijk,ijk->ij", dr, dr) < limit_km * limit_km
        mask[idx] = np.any(inside & near, axis=1)
        if progress is not None:
            progress(min(n, a + chunk), n)
    return mask


def _search_margin(spec: MissionSpec, grid: ScanGrid, level_km_s: float) -> float:
    """Largest coarse-minus-fine margin of the one-way search at ``level_km_s``, km/s.

    0 for round trips (their pruned targets carry no coarse value below the
    limit plus the leg margins) and where the search does not prune.
    """
    from prospect.scan.search import _margin_at, _signature, oneway_margins

    if grid.oneway is None:
        return 0.0
    stages = oneway_margins(_signature(spec, spec.kernel_objective(), grid.oneway))
    return max((_margin_at(lv, m, level_km_s) for _, lv, m in stages), default=0.0)


def _nbody_states(survivors: pd.DataFrame, el: dict, gm_km3_s2: float, prefetch=None):
    """``states(el_chunk, epochs_s)`` from the n-body cache, keyed by each row's designation
    (from ``prefetch``, a :class:`_Prefetch` of these rows, when it holds those epochs)."""
    from prospect.nbody.cache import cached_states

    keys = list(zip(el["a_km"], el["ecc"], el["ma0"], el["epoch0_s"], strict=True))
    labels = survivors["designation"].astype(str).tolist()
    pos = {k: i for i, k in enumerate(keys)}

    def states(sub: dict, epochs_s):
        sub_keys = zip(sub["a_km"], sub["ecc"], sub["ma0"], sub["epoch0_s"], strict=True)
        rows = np.array([pos[k] for k in sub_keys], dtype=int)
        got = prefetch.states(rows, epochs_s) if prefetch is not None else None
        if got is not None:
            return got
        r, v, _ = cached_states([labels[i] for i in rows], sub, epochs_s, gm_km3_s2)  # NaN: failed
        return r, v

    return states


class _Prefetch:
    """The candidates' n-body states at the scan's epochs, read from the cache (or
    integrated into it) by a helper process while this one scans
    (:class:`prospect.nbody.prefetch.Prefetch`).

    Reading a target's year entries is Python work (about 1 ms an entry, ~14 s of
    CPU for the 2,562 round-trip candidates of the whole catalog, 2027-2028) that
    would otherwise stop the scan's Lambert kernels; the helper reads ahead in
    scan order.  A block it did not give is read in this process.
    """

    def __init__(self, labels: list, el: dict, epochs_s: np.ndarray, gm_km3_s2: float):
        from prospect.nbody.prefetch import Prefetch

        self.labels, self.el, self.gm = labels, el, gm_km3_s2
        self.epochs_s = np.asarray(epochs_s, dtype=float)
        self.helper = Prefetch(labels, el, self.epochs_s, gm_km3_s2)
        self.got: dict[int, tuple] = {}

    def _block(self, b: int) -> tuple:
        if b not in self.got:
            got = self.helper.get(b)
            if got is None:  # the helper failed: read here (and raise here if it must)
                from prospect.nbody.cache import cached_states

                a, n = b * self.helper.block, self.helper.block
                sub = {k: np.asarray(v)[a : a + n] for k, v in self.el.items()}
                got = cached_states(self.labels[a : a + n], sub, self.epochs_s, self.gm)[:2]
            self.got = {b: got}  # the scan asks for blocks in order: keep the last only
        return self.got[b]

    def states(self, rows: np.ndarray, epochs_s) -> tuple | None:
        """States (len(rows), M, 3) of the candidates ``rows``; None for other epochs."""
        if not np.array_equal(np.asarray(epochs_s, dtype=float), self.epochs_s):
            return None
        m, n = self.epochs_s.size, self.helper.block
        r = np.empty((rows.size, m, 3))
        v = np.empty((rows.size, m, 3))
        for j, i in enumerate(rows):
            rb, vb = self._block(int(i) // n)
            r[j], v[j] = rb[i % n], vb[i % n]
        return r, v

    def close(self) -> None:
        self.helper.close()


def _nbody_grid(grid: ScanGrid) -> ScanGrid:
    """The same grid with DE440's Earth (the n-body targets' kernel)."""
    earth = earth_model("nbody")
    if grid.oneway is not None:
        r_e, v_e = earth.states(grid.oneway.dep_s)
        return replace(grid, oneway=replace(grid.oneway, r_e=r_e, v_e=v_e), r_e=r_e, v_e=v_e)
    r_e, v_e = earth.states(grid.lattice.seconds)
    return replace(grid, r_e=r_e, v_e=v_e)


def nbody_stage(
    res: pd.DataFrame,
    survivors: pd.DataFrame,
    el: dict,
    grid: ScanGrid,
    spec: MissionSpec,
    chunk: int,
    *,
    round_trip: bool,
    margin_km_s: float | None = None,
    engine=None,
    progress=None,
) -> tuple[pd.DataFrame, dict]:
    """Replace the two-body rows of the candidates by an n-body re-scan.

    Parameters
    ----------
    res : DataFrame
        Two-body scan rows (with ``row`` and ``dv_objective_km_s``, i.e. after
        :func:`prospect.scan.rank.feasibility.feasibility`).
    survivors, el, grid, spec, chunk
        As for :func:`prospect.scan.rank.scan.scan`.
    round_trip : bool
        Which fraction of :data:`NBODY_MARGINS` applies.
    margin_km_s : float, optional
        Override the margin, km/s (default the limit times :data:`NBODY_MARGINS`;
        ``inf`` sends every target).
    engine : prospect.scan._engine.Engine, optional
        Where the re-scan's chunks run (default: this process).
    progress : callable, optional
        ``progress(done, total)``: the approach test (targets tested), then
        the re-scan (targets scanned), each after every chunk.

    Returns
    -------
    res : DataFrame
        Rows with ``row`` and ``ephemeris`` (``"nbody"`` for the candidates).
    info : dict
        ``n_nbody``, ``n_approach`` (approaching targets among those within the
        approach margin), ``nbody_margin_km_s``, ``nbody_approach_margin_km_s``
        for ``attrs``.
    """
    obj = res["dv_objective_km_s"].to_numpy(dtype=float)
    limit = spec.limit_km_s
    key = "round-trip" if round_trip else "one-way"
    fraction = NBODY_MARGINS[key]
    margin = fraction * (limit or 0.0) if margin_km_s is None else float(margin_km_s)
    end_s = float(grid.window_s[1])
    approach = APPROACH_MARGINS_KM_S[key] if margin_km_s is None else float(margin_km_s)
    rows = res["row"].to_numpy(dtype=int)
    low = obj
    if limit is not None and grid.oneway is not None:
        pruned = res["launch_days"].to_numpy(dtype=float) == 0
        low = np.where(pruned, obj - _search_margin(spec, grid, limit + max(margin, approach)), obj)
    if BOUND_COLUMN in res:  # round trips: no value over the limit, but a lower bound
        low = np.where(np.isnan(obj), res[BOUND_COLUMN].to_numpy(dtype=float), obj)
    with np.errstate(invalid="ignore"):  # NaN (no value: round trips over the limit) -> sent
        near = np.isfinite(low) if limit is None else low <= limit + margin
        maybe = np.ones(low.size, bool) if limit is None else ~(low > limit + approach)
    # the approach test (the costly part) only where the approach margin can matter
    close = np.zeros(rows.size, dtype=bool)
    idx = np.flatnonzero(maybe)
    sub = {k: np.asarray(v)[rows[idx]] for k, v in el.items()}
    close[idx] = _approach_mask(sub, end_s, progress=progress)
    cand = near | close
    cand_rows = np.unique(rows[cand])
    res = res.drop(columns=[BOUND_COLUMN], errors="ignore")
    res["ephemeris"] = "two-body"
    info = {"n_nbody": int(cand_rows.size), "n_approach": int(close.sum())}
    info["nbody_margin_km_s"] = margin
    info["nbody_approach_margin_km_s"] = approach
    if cand_rows.size == 0:
        return res, info
    sub_table = survivors.iloc[cand_rows].reset_index(drop=True)
    sub_el = {k: np.asarray(v)[cand_rows] for k, v in el.items()}
    gm = float(survivors.attrs.get("gm_km3_s2", GM_SUN_KM3_S2))
    epochs_s = grid.lattice.seconds if grid.lattice is not None else grid.oneway.arr_u
    # in this process: a helper reads the states ahead; on an engine: each task its own
    labels = sub_table["designation"].astype(str).tolist()
    prefetch = _Prefetch(labels, sub_el, epochs_s, gm) if engine is None else None
    try:
        nb = scan(sub_table, sub_el, _nbody_grid(grid), spec, chunk,
                  states=_nbody_states(sub_table, sub_el, gm, prefetch), ephemeris="nbody",
                  engine=engine, progress=progress)  # fmt: skip
    finally:
        if prefetch is not None:
            prefetch.close()
    nb = nb.drop(columns=[BOUND_COLUMN], errors="ignore")
    nb["row"] = cand_rows[nb["row"].to_numpy(dtype=int)]
    nb["ephemeris"] = "nbody"
    keep = res[~np.isin(rows, cand_rows)]
    out = pd.concat([nb, keep.drop(columns=["dv_objective_km_s", "feasible"])], ignore_index=True)
    return out.sort_values("row", kind="stable").reset_index(drop=True), info
