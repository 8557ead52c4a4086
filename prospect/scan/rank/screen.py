"""Stage 1 of :func:`prospect.scan.rank.rank`: which catalog objects are worth a Lambert scan.

First the user's filters (:func:`select`: absolute magnitude, orbit
uncertainty, size), as NHATS's web tables offer them (H <= 26, OCC <= 7 by
default there; none by default here).  Then the screen (:func:`screen`): the
Shoemaker-Helin rendezvous delta-v from LEO (Shoemaker & Helin 1978, as
Benner tabulates it; :func:`prospect.core.deltav.shoemaker_helin`) is compared
with the largest LEO-departure total a feasible trajectory can have under the
profile (:meth:`prospect.scan._mission.MissionSpec.leo_equivalent_budget_km_s`).
A target survives when ``dv_SH <= budget + margin(budget)``.  Shoemaker-Helin
is an estimate, not a bound: the margins are measured on the catalog itself
(see :data:`SCREEN_MARGINS_KM_S`).  Profiles with nothing that bounds the
departure (a launcher without a C3 limit), flybys and ``exhaustive=True`` scan
every object.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from prospect._coerce import as_value
from prospect.core.deltav import shoemaker_helin
from prospect.errors import InputError
from prospect.scan._mission import MissionSpec

__all__ = [
    "SCREEN_MARGINS_KM_S",
    "SCREEN_MARGIN_KM_S",
    "Screened",
    "screen",
    "screen_margin",
    "select",
]

#: Screening margins, km/s: (budget, margin) pairs; a target survives when
#: ``dv_SH <= budget + margin(budget)`` with the margin of the smallest tabulated
#: budget >= the profile's budget (a step function, conservative between rows).
#: Measured on the shipped MPC catalog (40,874 objects, epoch 2025-11-21) with
#: ``benchmarks/bench_scan.py --only exhaustive --calibrate``: the minimum
#: Lambert rendezvous total from a 400 km LEO over a 2-year window (launches
#: 2026-12-01 to 2028-12-01, 5-day departure steps, 30-720 d flights at 10-day
#: steps) against each object's Shoemaker-Helin value.  For each budget B the
#: measured worst case max(dv_SH - B) over the objects whose Lambert total is
#: <= B was 1.755 (B = 4), 2.754 (5), 3.693 (6), 5.350 (7), 5.209 (8), 5.483
#: (10), 4.975 (12) km/s -- Shoemaker-Helin overestimates direct transfers to
#: many Atens -- and each margin below is the largest of those values up to
#: its row plus 0.15-0.2 km/s.  Above the last budget nothing is screened out.
SCREEN_MARGINS_KM_S = (
    (4.0, 1.95),
    (5.0, 2.95),
    (6.0, 3.85),
    (7.0, 5.55),
    (10.0, 5.65),
    (12.0, 5.65),
)

#: Margin override value meaning "use :data:`SCREEN_MARGINS_KM_S`".
SCREEN_MARGIN_KM_S = None


def screen_margin(budget_km_s: float) -> float | None:
    """Screening margin for a LEO-equivalent budget (None: do not screen).

    Examples
    --------
    >>> screen_margin(4.18), screen_margin(3.0), screen_margin(13.0) is None
    (2.95, 1.95, True)
    """
    for b, m in SCREEN_MARGINS_KM_S:
        if budget_km_s <= b:
            return m
    return None


@dataclass(frozen=True)
class Screened:
    """The objects that go on to the scan.

    Attributes
    ----------
    survivors : DataFrame
        Catalog rows kept, index reset.
    sh_dv_km_s : ndarray, shape (len(survivors),)
        Their Shoemaker-Helin delta-v, km/s.
    screened : bool
        Whether the screen was applied.
    budget_km_s, margin_km_s : float or None
        The profile's LEO-equivalent budget and the margin used.
    """

    survivors: pd.DataFrame
    sh_dv_km_s: np.ndarray
    screened: bool
    budget_km_s: float | None
    margin_km_s: float | None


def screen(
    table: pd.DataFrame,
    spec: MissionSpec,
    *,
    exhaustive: bool = False,
    margin_km_s: float | None = SCREEN_MARGIN_KM_S,
) -> Screened:
    """Keep the objects whose Shoemaker-Helin delta-v is within the profile's reach.

    Parameters
    ----------
    table : DataFrame
        NEA catalog rows (``a_au``, ``e``, ``inc_deg``).
    spec : MissionSpec
    exhaustive : bool
        Keep every object.
    margin_km_s : float, optional
        Override of the margin of :data:`SCREEN_MARGINS_KM_S`, km/s.
    """
    sh = np.asarray(
        shoemaker_helin(
            table["a_au"].to_numpy(dtype=float),
            table["e"].to_numpy(dtype=float),
            table["inc_deg"].to_numpy(dtype=float),
        ),
        dtype=float,
    )
    budget = spec.leo_equivalent_budget_km_s()
    margin = margin_km_s
    if margin is None and budget is not None:
        margin = screen_margin(budget)
    screened = (
        not exhaustive and budget is not None and margin is not None and spec.mode == "rendezvous"
    )
    keep = (sh <= budget + margin) if screened else np.ones(len(table), dtype=bool)
    return Screened(
        survivors=table.loc[keep].reset_index(drop=True),
        sh_dv_km_s=sh[keep],
        screened=bool(screened),
        budget_km_s=budget,
        margin_km_s=margin,
    )


def _number(value, name: str, lo: float, hi: float) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"not a number: {value!r}", option=name) from None
    if not (lo <= x <= hi):
        raise InputError(f"must be between {lo:g} and {hi:g}, got {value!r}", option=name)
    return x


def check_filters(*, max_h=None, max_u=None, min_diameter_m=None) -> dict:
    """The filters of :func:`select`, checked before any catalog is read (None: no filter).

    Raises
    ------
    InputError
        ``max_h`` not a number (NaN), ``max_u`` outside 0-9, ``min_diameter_m``
        negative, NaN or infinite (names the parameter).
    """
    return {
        "max_h": None if max_h is None else _number(max_h, "max_h", -np.inf, np.inf),
        "max_u": None if max_u is None else _number(max_u, "max_u", 0.0, 9.0),
        "min_diameter_m": None
        if min_diameter_m is None
        else as_value(min_diameter_m, "m", "min_diameter_m", what="metres", nonnegative=True),
    }


def select(
    table: pd.DataFrame,
    *,
    max_h: float | None = None,
    max_u: float | None = None,
    min_diameter_m=None,
) -> pd.DataFrame:
    """The catalog rows that pass the user's filters (None: no filter), index reset.

    Parameters
    ----------
    table : DataFrame
        NEA catalog (``h_mag``, ``u_param``, ``diameter_km``).
    max_h : float, optional
        Largest absolute magnitude H kept (NHATS's default 26 is about 30 m at
        albedo 0.14).
    max_u : float, optional
        Largest MPC orbit uncertainty parameter U kept (0 best ... 9 worst).
    min_diameter_m : float or Quantity, optional
        Smallest diameter kept, m: the table's ``diameter_km`` (measured, else
        from H and the measured, class or assumed albedo).

    A row whose filtered value is unknown (NaN) is dropped by that filter.

    Examples
    --------
    >>> t = pd.DataFrame({"h_mag": [20.0, 27.0], "u_param": [0.0, 8.0],
    ...                   "diameter_km": [0.3, 0.01]})
    >>> len(select(t, max_h=26)), len(select(t, max_u=6)), len(select(t, min_diameter_m=50))
    (1, 1, 1)
    """
    keep = np.ones(len(table), dtype=bool)
    if max_h is not None:
        h = table["h_mag"].to_numpy(dtype=float)
        keep &= h <= _number(max_h, "max_h", -np.inf, np.inf)
    if max_u is not None:
        u = pd.to_numeric(table["u_param"], errors="coerce").to_numpy(dtype=float)
        keep &= u <= _number(max_u, "max_u", 0.0, 9.0)
    if min_diameter_m is not None:
        d_m = as_value(min_diameter_m, "m", "min_diameter_m", what="metres", nonnegative=True)
        keep &= table["diameter_km"].to_numpy(dtype=float) * 1000.0 >= d_m
    if keep.all():
        return table
    return table.loc[keep].reset_index(drop=True)
