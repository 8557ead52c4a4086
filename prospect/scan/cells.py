"""One Earth-to-target transfer: the Lambert arc of a cell and its burns, and its record.

:func:`transfer_cells` evaluates broadcastable batches of cells with the fused
kernel :func:`prospect.core.transfer.transfer_grid` (Izzo 2015 arcs, the
departure burn from a circular parking orbit,
:func:`prospect.core.deltav.burn_from_circular`, and the arrival burn of a
rendezvous); :class:`Transfer` is one such cell or a refined optimum.  The
pork-chop grid (:mod:`prospect.scan.porkchop`), the refinement
(:mod:`prospect.scan.refine`) and the ranking use both, so they live below
all three.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from prospect._display import transfer_html, transfer_repr
from prospect.core.constants import DAY_S, GM_EARTH_KM3_S2, GM_SUN_KM3_S2
from prospect.core.transfer import transfer_grid
from prospect.data.orbits import LEO_PARKING
from prospect.errors import InputError
from prospect.scan._common import iso_dates

__all__ = ["CELL_FIELDS", "Transfer", "transfer_cells"]

#: The per-cell quantities of a transfer, in the order of the fused kernel.
CELL_FIELDS = (
    "c3_km2_s2",
    "vinf_dep_km_s",
    "vinf_arr_km_s",
    "dv_departure_km_s",
    "dv_arrival_km_s",
    "dv_total_km_s",
)


def transfer_cells(
    r_dep,
    v_dep,
    r_arr,
    v_arr,
    tof_s,
    *,
    mode: str = "rendezvous",
    r_park_km: float = LEO_PARKING.r_perigee_km,
    revs: int = 0,
    mu_km3_s2: float = GM_SUN_KM3_S2,
) -> dict[str, np.ndarray]:
    """Lambert transfers and their delta-v for broadcastable batches of cells.

    Parameters
    ----------
    r_dep, v_dep : array_like, shape (..., 3)
        Heliocentric state of the departure body (the Earth) at departure, km, km/s.
    r_arr, v_arr : array_like, shape (..., 3)
        State of the target at arrival, km, km/s.
    tof_s : array_like, shape (...)
        Times of flight, s.  All leading shapes broadcast.
    mode : {"rendezvous", "flyby"}
        A flyby does not pay the arrival ``v_inf``.
    r_park_km : float
        Radius of the circular parking orbit at the Earth, km.
    revs : int
        Largest number of complete revolutions tried (both branches each).
    mu_km3_s2 : float
        GM of the Sun, km^3/s^2.

    Returns
    -------
    dict of ndarray, shape (...)
        ``c3_km2_s2, vinf_dep_km_s, vinf_arr_km_s, dv_departure_km_s,
        dv_arrival_km_s, dv_total_km_s`` (NaN where no arc), ``status`` (int8,
        :data:`prospect.core.lambert.LAMBERT_STATUS` of the zero-revolution
        arc where no candidate exists) and ``revs`` (int8, revolutions of the
        kept arc).

    Examples
    --------
    A Hohmann-like half orbit from 1 au to 1.5 au (circular, coplanar):

    >>> import numpy as np
    >>> from prospect.core.constants import AU_KM, GM_SUN_KM3_S2 as mu
    >>> r1, r2 = AU_KM, 1.5 * AU_KM
    >>> v1c, v2c = np.sqrt(mu / r1), np.sqrt(mu / r2)
    >>> th = np.radians(179.0)   # just short of 180 deg: the plane stays defined
    >>> a = (r1 + r2) / 2
    >>> tof = np.pi * np.sqrt(a**3 / mu)
    >>> out = transfer_cells([r1, 0, 0], [0, v1c, 0],
    ...                      [r2 * np.cos(th), r2 * np.sin(th), 0],
    ...                      [-v2c * np.sin(th), v2c * np.cos(th), 0], tof)
    >>> bool(2.8 < out["vinf_dep_km_s"] < 3.0), bool(2.5 < out["vinf_arr_km_s"] < 2.8)
    (True, True)
    """
    if mode not in ("rendezvous", "flyby"):
        raise InputError(f"mode must be 'rendezvous' or 'flyby', got {mode!r}", option="mode")
    r_dep = np.asarray(r_dep, dtype=float)
    v_dep = np.asarray(v_dep, dtype=float)
    r_arr = np.asarray(r_arr, dtype=float)
    v_arr = np.asarray(v_arr, dtype=float)
    tof = np.asarray(tof_s, dtype=float)
    for name, a in (("r_dep", r_dep), ("v_dep", v_dep), ("r_arr", r_arr), ("v_arr", v_arr)):
        if a.ndim == 0 or a.shape[-1] != 3:
            raise ValueError(f"{name} must have shape (..., 3), got {a.shape}")
    try:
        shape = np.broadcast_shapes(
            r_dep.shape[:-1], v_dep.shape[:-1], r_arr.shape[:-1], v_arr.shape[:-1], tof.shape
        )
    except ValueError:
        raise ValueError(
            f"shapes do not broadcast: r_dep {r_dep.shape}, v_dep {v_dep.shape}, "
            f"r_arr {r_arr.shape}, v_arr {v_arr.shape}, tof_s {tof.shape}"
        ) from None
    n = math.prod(shape)

    def flat(a: np.ndarray) -> np.ndarray:
        return np.broadcast_to(a, (*shape, 3)).reshape(n, 3)

    # one "departure" per cell, each with its own arrival state and flight time
    c3, vinf_d, vinf_a, dv_d, dv_a, tot, status, used = transfer_grid(
        mu_km3_s2,
        flat(r_dep),
        flat(v_dep),
        flat(r_arr),
        flat(v_arr),
        np.arange(n).reshape(n, 1),
        np.broadcast_to(tof, shape).reshape(n, 1),
        revs=int(revs),
        mu_park_km3_s2=GM_EARTH_KM3_S2,
        r_park_km=r_park_km,
        rendezvous=mode == "rendezvous",
    )
    return {
        "c3_km2_s2": c3.reshape(shape),
        "vinf_dep_km_s": vinf_d.reshape(shape),
        "vinf_arr_km_s": vinf_a.reshape(shape),
        "dv_departure_km_s": dv_d.reshape(shape),
        "dv_arrival_km_s": dv_a.reshape(shape),
        "dv_total_km_s": tot.reshape(shape),
        "status": status.reshape(shape),
        "revs": used.reshape(shape),
    }


@dataclass(frozen=True)
class Transfer:
    """One Earth-to-target transfer (a grid cell or a refined optimum).

    Dates are TDB seconds since J2000 (``departure_s``/``arrival_s``) with UTC
    ISO dates for display; speeds in km/s, C3 in km^2/s^2.
    """

    target: str
    mode: str
    departure_s: float
    tof_days: float
    c3_km2_s2: float
    vinf_dep_km_s: float
    vinf_arr_km_s: float
    dv_departure_km_s: float
    dv_arrival_km_s: float
    dv_total_km_s: float
    revs: int = 0
    refined: bool = False

    @property
    def arrival_s(self) -> float:
        return self.departure_s + self.tof_days * DAY_S

    @property
    def departure(self) -> str:
        """Departure date, UTC ``YYYY-MM-DD``."""
        return str(iso_dates(self.departure_s))

    @property
    def arrival(self) -> str:
        """Arrival date, UTC ``YYYY-MM-DD``."""
        return str(iso_dates(self.arrival_s))

    __repr__, _repr_html_ = transfer_repr, transfer_html

    def as_dict(self) -> dict:
        """Plain dictionary (for JSON/CSV output)."""
        return {
            "target": self.target,
            "mode": self.mode,
            "departure": self.departure,
            "arrival": self.arrival,
            "tof_days": self.tof_days,
            "c3_km2_s2": self.c3_km2_s2,
            "vinf_dep_km_s": self.vinf_dep_km_s,
            "vinf_arr_km_s": self.vinf_arr_km_s,
            "dv_departure_km_s": self.dv_departure_km_s,
            "dv_arrival_km_s": self.dv_arrival_km_s,
            "dv_total_km_s": self.dv_total_km_s,
            "revs": self.revs,
            "refined": self.refined,
        }
