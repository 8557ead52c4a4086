"""Distances on a sphere.

References
----------
Sinnott, "Virtues of the haversine", *Sky and Telescope* 68:159 (1984).
"""

import numpy as np

__all__ = ["great_circle_km"]


def great_circle_km(lat1_deg, lon1_deg, lat2_deg, lon2_deg, radius_km: float):
    """Great-circle distance on a sphere of radius `radius_km` (haversine), km.

    Parameters
    ----------
    lat1_deg, lon1_deg, lat2_deg, lon2_deg : array_like, broadcastable
        Latitudes and east longitudes, degrees.
    radius_km : float
        Sphere radius, km.

    Returns
    -------
    ndarray, broadcast shape
        Distance along the surface, km (accurate at every separation: the
        haversine argument is clipped to [0, 1]).

    Examples
    --------
    A quarter meridian of the Moon (mean radius 1737.4 km):

    >>> round(float(great_circle_km(0.0, 0.0, 90.0, 0.0, 1737.4)), 3)   # pi/2 x 1737.4
    2729.102
    """
    p1, p2 = np.radians(lat1_deg), np.radians(lat2_deg)
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2_deg, dtype=float) - np.asarray(lon1_deg, dtype=float))
    h = np.sin(dlat / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2.0) ** 2
    return 2.0 * radius_km * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
