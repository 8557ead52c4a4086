"""What a scan flies to: catalog asteroids, planets or any state function.

A target model maps epochs (TDB seconds since J2000, shape ``(M,)``) to
heliocentric ecliptic-J2000 states ``r (M, 3)`` km and ``v (M, 3)`` km/s, so
the pork-chop core never needs to know where states come from.

Every model names its ``ephemeris``: ``"nbody"`` (catalog targets integrated
with ASSIST and DE440, :mod:`prospect.nbody`; planets and the Earth from DE440)
or ``"two-body"`` (Kepler from the elements; planets and the Earth from
astropy).  A scan takes its Earth from ``earth_model(model.ephemeris)`` so
both ends of every transfer come from one ephemeris.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.interpolate import CubicSpline

from prospect.core import kepler
from prospect.core.constants import DAY_S, GM_SUN_KM3_S2
from prospect.epochs import time_from_tdb_seconds

__all__ = ["PLANETS", "TargetModel", "earth_model", "resolve_target"]

StateFn = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]

#: Bodies that astropy's built-in ephemeris gives and that a scan may fly to.
PLANETS = ("mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune")


@dataclass(frozen=True)
class TargetModel:
    """A scan target: a label and a state function.

    Attributes
    ----------
    label : str
        Display name ("2000 SG344", "Mars").
    state : callable
        ``state(epochs_s (M,)) -> (r (M, 3) km, v (M, 3) km/s)``, heliocentric
        ecliptic J2000; NaN rows where the state cannot be computed.
    kind : str
        ``"asteroid"``, ``"planet"`` or ``"custom"``.
    row : pandas.Series or None
        The catalog record of an asteroid.
    elements : dict or None
        Kernel-ready elements of an asteroid (see
        :func:`prospect.targets.element_arrays`), for batched propagation.
    """

    label: str
    state: StateFn = field(repr=False)
    kind: str = "custom"
    row: pd.Series | None = field(default=None, repr=False)
    elements: dict | None = field(default=None, repr=False)
    exact_cheap: bool = False  # True when one state evaluation costs microseconds
    ephemeris: str = "two-body"  # what makes `state`, and the Earth a scan pairs with it

    def states(self, epochs_s) -> tuple[np.ndarray, np.ndarray]:
        """States at ``epochs_s`` (M,) as float64 arrays (M, 3)."""
        t = np.atleast_1d(np.asarray(epochs_s, dtype=float))
        r, v = self.state(t)
        r = np.asarray(r, dtype=float).reshape(t.size, 3)
        v = np.asarray(v, dtype=float).reshape(t.size, 3)
        return r, v

    def interpolated(self, t0_s: float, t1_s: float, step_days: float = 0.5) -> StateFn:
        """State function for many scalar calls within ``[t0_s, t1_s]`` (refinement).

        Kepler targets are evaluated exactly (cheap); ephemeris targets (astropy)
        are sampled once every ``step_days`` and interpolated by cubic splines.
        For the Earth at 0.5-day spacing the spline error is ~0.01 km in
        position and ~1e-6 km/s in velocity (fourth-order error term with the
        annual and the 27.3-day lunar motion), far below what moves a delta-v
        by a mm/s.
        """
        if self.exact_cheap:
            return self.states
        pad = 2.0 * step_days * DAY_S
        n = int(np.ceil((t1_s - t0_s + 2 * pad) / (step_days * DAY_S))) + 1
        nodes = t0_s - pad + np.arange(max(n, 4)) * step_days * DAY_S
        r, v = self.states(nodes)
        sr = CubicSpline(nodes, r, axis=0)
        sv = CubicSpline(nodes, v, axis=0)

        def fn(epochs_s):
            t = np.atleast_1d(np.asarray(epochs_s, dtype=float))
            return sr(t), sv(t)

        return fn


def _planet_fn(body: str, ephemeris: str = "two-body") -> StateFn:
    from prospect.ephem import planet_state

    def fn(epochs_s):
        t = np.atleast_1d(np.asarray(epochs_s, dtype=float))
        if t.size == 0:
            return np.empty((0, 3)), np.empty((0, 3))
        r, v = planet_state(body, time_from_tdb_seconds(t), ephemeris)
        return np.reshape(r, (t.size, 3)), np.reshape(v, (t.size, 3))

    fn.__name__ = f"{body}_state"
    return fn


def earth_model(ephemeris: str = "two-body") -> TargetModel:
    """The Earth of a scan (:func:`prospect.ephem.earth_state`).

    ``ephemeris="nbody"``: DE440, the kernel of the n-body targets;
    ``"two-body"``: astropy's built-in ephemeris (what two-body scans, e.g.
    rank's screen, pair with Kepler targets).
    """
    return TargetModel("Earth", _planet_fn("earth", ephemeris), kind="planet", ephemeris=ephemeris)


def element_state_fn(elements: dict, gm_km3_s2: float = GM_SUN_KM3_S2) -> StateFn:
    """State function of one element set (two-body, :func:`prospect.core.kepler`)."""

    def fn(epochs_s):
        t = np.atleast_1d(np.asarray(epochs_s, dtype=float))
        r, v, status = kepler.propagate_elements(gm_km3_s2, **elements, epochs_s=t)
        r, v = r[0], v[0]
        bad = status[0] != 0
        if bad.any():
            r = r.copy()
            v = v.copy()
            r[bad] = np.nan
            v[bad] = np.nan
        return r, v

    return fn


def nbody_state_fn(designation: str, elements: dict, gm_km3_s2: float = GM_SUN_KM3_S2) -> StateFn:
    """State function of one catalog target from the n-body cache (:mod:`prospect.nbody`)."""
    from prospect.nbody.cache import cached_state_fn

    return cached_state_fn(str(designation), elements, gm_km3_s2)  # NaN where status != 0


def model_from_row(
    row: pd.Series, gm_km3_s2: float = GM_SUN_KM3_S2, ephemeris: str = "two-body"
) -> TargetModel:
    """Target model of one catalog record (columns of :func:`prospect.catalog.load_neas`).

    ``ephemeris="nbody"`` takes states from the n-body cache (cubic Hermite
    nodes of an ASSIST integration, ~10 us a call); ``"two-body"`` propagates
    the elements.  Both are cheap enough to call exactly in refinement.
    """
    from prospect.nbody import check_ephemeris
    from prospect.targets import element_arrays

    el = element_arrays(row.to_frame().T)
    label = row.get("label")
    if label is None or (isinstance(label, float) and np.isnan(label)):
        label = row.get("designation", "target")
    if check_ephemeris(ephemeris) == "nbody":
        fn = nbody_state_fn(str(row.get("designation", label)), el, gm_km3_s2)
    else:
        fn = element_state_fn(el, gm_km3_s2)
    return TargetModel(
        str(label),
        fn,
        kind="asteroid",
        row=row,
        elements=el,
        exact_cheap=True,
        ephemeris=ephemeris,
    )


def resolve_target(target, catalog=None, ephemeris: str = "nbody") -> TargetModel:
    """Turn what the user named into a :class:`TargetModel`.

    Parameters
    ----------
    target : str, prospect.targets.Target, pandas.Series, TargetModel or callable
        A planet name (``"mars"``), a catalog name/number/designation
        (``"2000 SG344"``, ``"433"``, ``"Bennu"``), a catalog record, a
        :class:`prospect.targets.Target`, or a function ``epochs_s (M,) ->
        (r (M, 3), v (M, 3))`` (heliocentric ecliptic J2000, km and km/s).
    catalog : DataFrame or path, optional
        NEA table to look names up in (default: the active catalog).
    ephemeris : {"nbody", "two-body"}
        Where asteroid and planet states come from (see the module docstring);
        a custom state function keeps its own states and sets the Earth's.
        A :class:`TargetModel` passed in keeps its own.

    Raises
    ------
    UnknownNameError
        A name that is neither a planet nor in the catalog (with suggestions).
    """
    from prospect.nbody import check_ephemeris

    check_ephemeris(ephemeris)
    if isinstance(target, TargetModel):
        return target
    if isinstance(target, pd.Series):
        return model_from_row(target, ephemeris=ephemeris)
    from prospect.targets import Target
    from prospect.targets import target as lookup

    if isinstance(target, Target):
        return model_from_row(target.row, target.gm_km3_s2, ephemeris)
    if isinstance(target, (int, np.integer)) and not isinstance(target, bool):
        target = str(int(target))
    if isinstance(target, str):
        key = target.strip().lower()
        if key in PLANETS:
            fn = _planet_fn(key, ephemeris)
            return TargetModel(key.capitalize(), fn, kind="planet", ephemeris=ephemeris)
        tgt = lookup(target, catalog)
        return model_from_row(tgt.row, tgt.gm_km3_s2, ephemeris)
    if callable(target):
        name = getattr(target, "__name__", "custom target")
        return TargetModel(str(name), target, kind="custom", ephemeris=ephemeris)
    raise TypeError(
        "target must be a name, a catalog record, a prospect Target or a state function, "
        f"got {type(target).__name__}"
    )
