"""The heritage check of lunar sites: distance to every heritage site and its buffer.

One home for the rule that the Moon-site ranking (:mod:`prospect.scan.moon`) and the
plan's environment flags (:mod:`prospect.cost.environment`) both apply: a heritage
site of ``catalogs/moon_sites.csv`` (``heritage`` column other than ``none``) keeps
its own ``heritage_buffer_km`` when the row gives one (an agreed buffer) and
:data:`HERITAGE_BUFFER_KM` otherwise (advisory); a point is inside the buffer when
its great-circle distance on the Moon's mean sphere is strictly less than it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from prospect.core.constants import R_MOON_KM
from prospect.core.sphere import great_circle_km

__all__ = [
    "HERITAGE_BUFFER_KM",
    "HERITAGE_BUFFER_SOURCE",
    "HeritageProximity",
    "heritage_proximity",
]

#: Buffer around a heritage site whose catalog row gives none, km.
HERITAGE_BUFFER_KM = 2.0
HERITAGE_BUFFER_SOURCE = (
    "NASA 2011 recommendations to space-faring entities: do not land on or overfly "
    "within 2 km of US heritage sites (Apollo, Surveyor) (DOMAIN 1.3, 7.2) [V]"
)


class HeritageProximity(NamedTuple):
    """Points against the heritage sites of a table (``m`` of them, table order).

    Attributes
    ----------
    index : ndarray of int, shape (m,)
        Positions of the heritage sites in the table.
    buffer_km : ndarray, shape (m,)
        Buffer of each (its own, or the default).
    agreed : ndarray of bool, shape (m,)
        True where the buffer is the site's own (catalog value).
    distance_km : ndarray, shape (n, m)
        Great-circle distance from each point to each heritage site, km.
    inside : ndarray of bool, shape (n, m)
        ``distance_km < buffer_km``.
    """

    index: np.ndarray
    buffer_km: np.ndarray
    agreed: np.ndarray
    distance_km: np.ndarray
    inside: np.ndarray


def heritage_proximity(
    lat_deg, lon_deg, sites: pd.DataFrame, default_buffer_km: float = HERITAGE_BUFFER_KM
) -> HeritageProximity:
    """Distance from points on the Moon to every heritage site, and whether inside its buffer.

    Parameters
    ----------
    lat_deg, lon_deg : array_like, shape (n,) or scalar
        Selenographic latitude and east longitude of the points, degrees.
    sites : DataFrame
        :func:`prospect.data.load_moon_sites` table (``heritage``, ``heritage_buffer_km``,
        ``lat_deg``, ``lon_deg_east``).
    default_buffer_km : float
        Buffer where a heritage site gives none, km.

    Returns
    -------
    HeritageProximity

    Examples
    --------
    >>> from prospect.data import load_moon_sites
    >>> sites = load_moon_sites()
    >>> a11 = sites[sites["name"].str.contains("Apollo 11")].iloc[0]
    >>> hp = heritage_proximity([a11["lat_deg"] + 0.05], [a11["lon_deg_east"]], sites)
    >>> bool(hp.inside.any())   # 0.05 deg = 1.5 km from Tranquility Base
    True
    """
    her = sites["heritage"].fillna("none").astype(str).to_numpy() != "none"
    index = np.flatnonzero(her)
    own = pd.to_numeric(sites["heritage_buffer_km"], errors="coerce").to_numpy(dtype=float)[index]
    agreed = np.isfinite(own)
    buf = np.where(agreed, own, float(default_buffer_km))
    lat = np.atleast_1d(np.asarray(lat_deg, dtype=float))[:, None]
    lon = np.atleast_1d(np.asarray(lon_deg, dtype=float))[:, None]
    with np.errstate(invalid="ignore"):  # a NaN or infinite point: NaN distances, never inside
        d = great_circle_km(
            lat,
            lon,
            sites["lat_deg"].to_numpy(float)[index][None, :],
            sites["lon_deg_east"].to_numpy(float)[index][None, :],
            R_MOON_KM,
        )
    d = np.broadcast_to(d, (lat.shape[0], index.size))
    return HeritageProximity(index, buf, agreed, d, d < buf[None, :])
