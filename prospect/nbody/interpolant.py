"""Cubic Hermite interpolation of sampled states (positions with their velocities).

Between two samples ``t_k, t_{k+1}`` (step ``h``) the position is the cubic
that matches both positions and both velocities (cubic Hermite, e.g. Burden &
Faires, *Numerical Analysis*, 9th ed., sec. 3.4); the velocity is its
derivative.  The position error is ``h^4/384 max|r''''|``, so samples are
placed by the integrator's own step size (see :mod:`prospect.nbody.integrate`)
and crowd where the motion is fast.  The error against direct integration is
measured in ``tests/test_nbody_cache.py`` and stated in the README.
"""

from __future__ import annotations

import numpy as np

__all__ = ["hermite_eval"]


def hermite_eval(t_nodes, r_nodes, v_nodes, t) -> tuple[np.ndarray, np.ndarray]:
    """Evaluate the cubic Hermite interpolant of one trajectory.

    Parameters
    ----------
    t_nodes : ndarray, shape (K,)
        Strictly increasing sample times, s.
    r_nodes, v_nodes : ndarray, shape (K, 3)
        Positions (km) and velocities (km/s) at the samples.
    t : ndarray, shape (M,)
        Times, s; outside ``[t_nodes[0], t_nodes[-1]]`` the result is NaN.

    Returns
    -------
    r : ndarray, shape (M, 3), km
    v : ndarray, shape (M, 3), km/s
    """
    t = np.asarray(t, dtype=float)
    k = np.clip(np.searchsorted(t_nodes, t, side="right") - 1, 0, len(t_nodes) - 2)
    h = t_nodes[k + 1] - t_nodes[k]
    s = ((t - t_nodes[k]) / h)[:, None]
    p0, p1 = r_nodes[k], r_nodes[k + 1]
    m0, m1 = v_nodes[k] * h[:, None], v_nodes[k + 1] * h[:, None]
    s2, s3 = s * s, s * s * s
    r = (
        (2 * s3 - 3 * s2 + 1) * p0
        + (s3 - 2 * s2 + s) * m0
        + (-2 * s3 + 3 * s2) * p1
        + (s3 - s2) * m1
    )
    dr = (6 * s2 - 6 * s) * (p0 - p1) + (3 * s2 - 4 * s + 1) * m0 + (3 * s2 - 2 * s) * m1
    v = dr / h[:, None]
    out = (t < t_nodes[0]) | (t > t_nodes[-1]) | ~np.isfinite(t)
    if out.any():
        r[out] = np.nan
        v[out] = np.nan
    return r, v
