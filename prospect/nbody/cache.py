"""On-disk cache of n-body interpolants, one file per target and Julian year.

A target's key hashes what its states depend on: its catalog record (the
designation and the osculating elements with their epoch), the GM the elements
assume, the planetary kernel, the force model and the sampling.  A new catalog
(other elements) therefore gets new keys; an unchanged object keeps its entries.

Each entry ``<cache>/nbody/<kernel>/<key[:2]>/<key>/y<k>.npz`` holds the cubic
Hermite nodes (:mod:`prospect.nbody.interpolant`) covering the TDB year
``[k, k+1) * 365.25 d`` from J2000, with one node beyond each end.  Files are
written to an exclusive temporary name in the same directory and renamed into
place (:func:`prospect._io.atomic_file`), so two processes filling the cache at
once both write complete files and a reader sees a whole file or none.

Nothing read back is trusted blindly: each entry carries a seal
(:mod:`prospect._cache`: the target's key, the year, the arrays' dtypes and
shapes, the digest of their content), and the nodes must be finite, in
increasing time and cover the year.  An entry that fails any check (damaged,
edited, another target's, a symbolic link) is discarded with one warning line
naming it and integrated again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from prospect._cache import read_arrays, write_arrays
from prospect._resources import user_cache_dir
from prospect.core.constants import DAY_S, GM_SUN_KM3_S2, JULIAN_YEAR_D
from prospect.nbody import _kernel, integrate
from prospect.nbody.interpolant import hermite_eval

__all__ = ["FORMAT", "cached_state_fn", "cached_states", "target_keys"]

#: Version of the entry layout; part of every key.
FORMAT = 3
#: Seal kind of an entry (:mod:`prospect._cache`).
KIND = "nbody-year"
_BLOCK_S = JULIAN_YEAR_D * DAY_S
_ELEMENT_KEYS = ("a_km", "ecc", "inc", "raan", "argp", "ma0", "epoch0_s")
_MEMORY: dict[tuple[str, int], tuple] = {}
_MEMORY_MAX = 4096


def target_keys(labels, elements: dict, gm_km3_s2: float = GM_SUN_KM3_S2) -> list[str]:
    """Cache keys of N targets (hex strings).

    Parameters
    ----------
    labels : sequence of str, (N,)
        Designations of the targets.
    elements : dict of ndarray, each (N,)
        Kernel-ready elements (:func:`prospect.targets.element_arrays`).
    """
    setup = [FORMAT, _kernel.kernel_id(), list(_kernel.force_model()), _kernel.MIN_DT_DAYS]
    setup += [integrate.H_MAX_DAYS, integrate.DT_FRAC, _UNIFORM_DAYS, _SKIP_ONE_KM]
    setup += [repr(float(gm_km3_s2))]
    keys = []
    for i, label in enumerate(labels):
        values = [float(np.asarray(elements[k], dtype=float).reshape(-1)[i]) for k in _ELEMENT_KEYS]
        text = json.dumps([*setup, str(label), [v.hex() for v in values]])
        keys.append(hashlib.sha256(text.encode()).hexdigest()[:32])
    return keys


def _dir(key: str) -> Path:
    return user_cache_dir() / "nbody" / _kernel.kernel_id() / key[:2] / key


def _check_nodes(k: int):
    """The checks of year ``k``'s nodes beyond the seal's own."""

    def check(z: dict, seal: dict) -> str | None:
        if seal.get("year") != k or sorted(z) != ["r", "t", "v"]:
            return f"not the nodes of year {k}"
        t, r, v = z["t"], z["r"], z["v"]
        n = t.shape[0] if t.ndim == 1 else -1
        if t.dtype != np.float64 or n < 2 or r.shape != (n, 3) or v.shape != (n, 3):
            return "node arrays of the wrong type or shape"
        if r.dtype != np.float64 or v.dtype != np.float64:
            return "node arrays of the wrong type or shape"
        if not (np.isfinite(t).all() and np.isfinite(r).all() and np.isfinite(v).all()):
            return "non-finite nodes"
        if not (np.diff(t) > 0).all() or t[0] > k * _BLOCK_S or t[-1] < (k + 1) * _BLOCK_S:
            return f"nodes not increasing or not covering year {k}"
        return None

    return check


def _load(key: str, k: int):
    hit = _MEMORY.get((key, k))
    if hit is not None:
        return hit
    path = _dir(key) / f"y{k}.npz"
    z = read_arrays(path, kind=KIND, inputs=key, check=_check_nodes(k))
    if z is None:
        return None  # missing, or discarded with one logged line: integrate it again
    entry = (z["t"], z["r"], z["v"])
    if len(_MEMORY) >= _MEMORY_MAX:
        _MEMORY.clear()
    _MEMORY[(key, k)] = entry
    return entry


def _store(key: str, nodes: tuple, blocks) -> None:
    t, r, v = nodes
    directory = _dir(key)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    for k in blocks:
        a = np.searchsorted(t, k * _BLOCK_S, side="right") - 1
        b = np.searchsorted(t, (k + 1) * _BLOCK_S, side="left") + 1
        if a < 0 or b > t.size:
            continue  # the samples do not cover the whole year (kernel span)
        arrays = {"t": t[a:b], "r": r[a:b], "v": v[a:b]}
        write_arrays(directory / f"y{k}.npz", arrays, kind=KIND, inputs=key, extra={"year": k})
        _MEMORY[(key, k)] = (t[a:b].copy(), r[a:b].copy(), v[a:b].copy())


def _blocks(epochs_s: np.ndarray) -> np.ndarray:
    finite = epochs_s[np.isfinite(epochs_s)]
    return np.unique(np.floor(finite / _BLOCK_S).astype(np.int64))


#: Uniform node spacing (days) and the largest error (km) that a cubic Hermite interpolant
#: of twice that spacing may show at the skipped nodes: the error scales as h^4, so
#: 0.32 km there means <= 0.02 km at the nodes' spacing.  Targets above it (perihelia
#: inside ~0.3 au, planetary encounters) are sampled adaptively on their own.
_UNIFORM_DAYS = 0.5
_SKIP_ONE_KM = 0.32


def _skip_one_error(t, r, v) -> float:
    """Largest error of the Hermite cubic over pairs of steps at the node it skips (km)."""
    if t.size < 3:
        return np.inf
    h2 = (t[2:] - t[:-2])[:, None]
    mid = 0.5 * (r[:-2] + r[2:]) + h2 * (v[:-2] - v[2:]) / 8.0
    return float(np.nanmax(np.linalg.norm(mid[::2] - r[1:-1:2], axis=-1), initial=0.0))


def _fill(keys, elements, gm_km3_s2, missing: dict[int, set]) -> dict[int, int]:
    """Integrate the targets with missing years and store them; returns failures.

    All targets go through one batched integration sampled every 0.5 day on a grid
    fixed in time (so an entry does not depend on which batch filled it); those
    whose skip-one check fails are integrated again one by one with samples placed
    by their own IAS15 steps (:func:`prospect.nbody.integrate.sample`).
    """
    idx = np.array(sorted(missing), dtype=int)
    sub = {k: np.asarray(elements[k], dtype=float).reshape(-1)[idx] for k in _ELEMENT_KEYS}
    ks = [k for i in idx for k in missing[int(i)]]
    t_start, t_end = min(ks) * _BLOCK_S - DAY_S, (max(ks) + 1) * _BLOCK_S + DAY_S
    h = _UNIFORM_DAYS * DAY_S
    grid = np.arange(np.floor(t_start / h), np.ceil(t_end / h) + 1) * h
    r, v, st = integrate.propagate(sub, grid, gm_km3_s2)
    nodes, status, redo = [], np.zeros(idx.size, dtype=np.int8), []
    for j in range(idx.size):
        bad = st[j] != 0
        if bad.all() or (bad.any() and not (st[j][bad] == 3).all()):
            nodes.append(None)
            status[j] = st[j][bad][0]
            continue
        ok = ~bad
        nodes.append((grid[ok], r[j][ok], v[j][ok]))
        if _skip_one_error(*nodes[-1]) > _SKIP_ONE_KM:
            redo.append(j)
    if redo:
        one = {k: a[redo] for k, a in sub.items()}
        fine, st_fine = integrate.sample(one, t_start, t_end, gm_km3_s2, chunk=1)
        for k, j in enumerate(redo):
            nodes[j], status[j] = fine[k], st_fine[k]
    failed = {}
    for j, i in enumerate(idx):
        if status[j] != 0 or nodes[j] is None:
            failed[int(i)] = int(status[j]) or 2
            continue
        _store(keys[i], nodes[j], sorted(missing[int(i)]))
    return failed


def cached_states(labels, elements: dict, epochs_s, gm_km3_s2: float = GM_SUN_KM3_S2):
    """n-body states of N targets at M epochs from the cache, integrating what is missing.

    Parameters
    ----------
    labels : sequence of str, (N,)
        Designations (part of the cache key).
    elements : dict of ndarray, each (N,)
        Kernel-ready elements (:func:`prospect.targets.element_arrays`).
    epochs_s : array_like, shape (M,)
        TDB seconds since J2000.

    Returns
    -------
    r : ndarray, (N, M, 3), km
        Heliocentric ecliptic J2000 (cubic Hermite interpolant of the integration).
    v : ndarray, (N, M, 3), km/s
    status : ndarray of int8, (N, M)
        :data:`prospect.nbody.integrate.NBODY_STATUS` codes.
    """
    t = np.atleast_1d(np.asarray(epochs_s, dtype=float))
    keys = target_keys(labels, elements, gm_km3_s2)
    n = len(keys)
    blocks = _blocks(t)
    missing: dict[int, set] = {}
    for i, key in enumerate(keys):
        need = {int(k) for k in blocks if _load(key, int(k)) is None}
        if need:
            missing[i] = need
    failed = _fill(keys, elements, gm_km3_s2, missing) if missing else {}
    r = np.full((n, t.size, 3), np.nan)
    v = np.full((n, t.size, 3), np.nan)
    status = np.zeros((n, t.size), dtype=np.int8)
    block_of = np.floor(np.where(np.isfinite(t), t, 0.0) / _BLOCK_S).astype(np.int64)
    for i, key in enumerate(keys):
        if i in failed:
            status[i] = failed[i]
            continue
        for k in blocks:
            sel = block_of == k
            entry = _load(key, int(k))
            if entry is None:  # outside the kernel's span
                status[i, sel] = 3
                continue
            r[i, sel], v[i, sel] = hermite_eval(*entry, t[sel])
    status[:, ~np.isfinite(t)] = 2
    return r, v, status


def cached_state_fn(label: str, elements: dict, gm_km3_s2: float = GM_SUN_KM3_S2):
    """State function of one target, ``fn(epochs_s (M,)) -> (r (M, 3), v (M, 3))``.

    The values of :func:`cached_states` (NaN where its status is not 0) for
    many small calls (refinement): the cache key is computed once and the
    target's year entries are held by the function once read.
    """
    key = target_keys([label], elements, gm_km3_s2)[0]
    entries: dict[int, tuple | None] = {}

    def fn(epochs_s):
        t = np.atleast_1d(np.asarray(epochs_s, dtype=float))
        blocks = [int(k) for k in _blocks(t)]
        if any(k not in entries for k in blocks):
            r, v, _ = cached_states([label], elements, t, gm_km3_s2)  # fills what is missing
            entries.update({k: _load(key, k) for k in blocks})
            return r[0], v[0]
        r = np.full((t.size, 3), np.nan)
        v = np.full((t.size, 3), np.nan)
        block_of = np.floor(np.where(np.isfinite(t), t, 0.0) / _BLOCK_S).astype(np.int64)
        for k in blocks:
            if entries[k] is not None:
                sel = block_of == k
                r[sel], v[sel] = hermite_eval(*entries[k], t[sel])
        return r, v

    return fn
