"""Classical orbital elements <-> state vectors (elliptic and hyperbolic).

References
----------
D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. (Microcosm,
2013): Algorithm 9 (RV2COE), Algorithm 10 (COE2RV), Example 2-4.
"""

from __future__ import annotations

import numpy as np

from prospect.core._kepler_common import Elements, _as_float, _broadcast, _check_mu, _vectors

# Degeneracy thresholds of rv2coe (see the module docstring).
# Just above the rounding noise of |e| and sin i computed from a state (a few
# ulp), so that dropping the (noise) periapsis or node direction moves the
# reconstructed state by at most ~2e-14 of its size.
_CIRCULAR_TOL = 1e-14
_EQUATORIAL_TOL = 1e-14


def coe2rv(mu_km3_s2, a_km, ecc, inc, raan, argp, nu):
    """State vectors from classical orbital elements (elliptic and hyperbolic).

    Parameters
    ----------
    mu_km3_s2 : float
        Gravitational parameter, km^3/s^2 (> 0).
    a_km : array_like, shape (...)
        Semi-major axis, km; ``a > 0`` for ``e < 1``, ``a < 0`` for ``e > 1``.
    ecc : array_like, shape (...)
        Eccentricity, ``e >= 0``, ``e != 1``.
    inc, raan, argp, nu : array_like, shape (...)
        Inclination, right ascension of the ascending node, argument of
        periapsis and true anomaly, rad.  All six element arrays broadcast.

    Returns
    -------
    r : ndarray, shape (..., 3)
        Position, km.
    v : ndarray, shape (..., 3)
        Velocity, km/s.  Rows with invalid elements (non-finite, ``e < 0``,
        ``e == 1``, wrong sign of ``a``, or a hyperbolic ``nu`` at or beyond
        the asymptote) are NaN.

    Raises
    ------
    ValueError
        If ``mu_km3_s2`` is not a finite positive scalar or the shapes do not broadcast.

    References
    ----------
    Vallado (2013), Algorithm 10 (COE2RV); Curtis (2014), Algorithm 4.5.

    Examples
    --------
    >>> import numpy as np
    >>> r, v = coe2rv(398600.4418, 7000.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    >>> r.tolist(), round(float(v[1]), 6)
    ([7000.0, 0.0, 0.0], 7.546053)
    """
    mu = _check_mu(mu_km3_s2)
    arrs = [_as_float(x) for x in (a_km, ecc, inc, raan, argp, nu)]
    shape = _broadcast(*arrs, names=("a_km", "ecc", "inc", "raan", "argp", "nu"))
    a, e, i, node, w, f = (np.broadcast_to(x, shape) for x in arrs)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        valid = (
            np.isfinite(a)
            & np.isfinite(e)
            & np.isfinite(i)
            & np.isfinite(node)
            & np.isfinite(w)
            & np.isfinite(f)
            & (e >= 0.0)
            & (((e < 1.0) & (a > 0.0)) | ((e > 1.0) & (a < 0.0)))
        )
        p = a * (1.0 - e) * (1.0 + e)
        cf, sf = np.cos(f), np.sin(f)
        den = 1.0 + e * cf
        valid &= den > 0.0
        rr = p / den
        sq = np.sqrt(mu / p)
        xp, yp = rr * cf, rr * sf
        vxp, vyp = -sq * sf, sq * (e + cf)
        cO, sO, cw, sw = np.cos(node), np.sin(node), np.cos(w), np.sin(w)
        ci, si = np.cos(i), np.sin(i)
        P = np.stack([cO * cw - sO * sw * ci, sO * cw + cO * sw * ci, sw * si], axis=-1)
        Q = np.stack([-cO * sw - sO * cw * ci, -sO * sw + cO * cw * ci, cw * si], axis=-1)
        r = xp[..., None] * P + yp[..., None] * Q
        v = vxp[..., None] * P + vyp[..., None] * Q
    r = np.where(valid[..., None], r, np.nan)
    v = np.where(valid[..., None], v, np.nan)
    return r, v


def rv2coe(mu_km3_s2, r, v):
    """Classical orbital elements from state vectors.

    Parameters
    ----------
    mu_km3_s2 : float
        Gravitational parameter, km^3/s^2 (> 0).
    r : array_like, shape (..., 3)
        Position, km.
    v : array_like, shape (..., 3)
        Velocity, km/s; leading axes broadcast with ``r``.

    Returns
    -------
    Elements
        Named tuple of the fields below.
    a_km : ndarray, shape (...)
        Semi-major axis, km (``< 0`` for hyperbolas, ``inf`` for an exact
        parabola).
    ecc : ndarray, shape (...)
        Eccentricity.
    inc : ndarray, shape (...)
        Inclination in ``[0, pi]``, rad.
    raan : ndarray, shape (...)
        Right ascension of the ascending node in ``[0, 2 pi)``, rad; 0 for
        equatorial orbits (``sin i < 1e-14``).
    argp : ndarray, shape (...)
        Argument of periapsis in ``[0, 2 pi)``, rad; measured from +x for
        equatorial orbits, 0 for circular ones (``e < 1e-14``).
    nu : ndarray, shape (...)
        True anomaly in ``(-pi, pi]``, rad (argument of latitude for circular
        orbits).  Every element is NaN where the state is non-finite or
        rectilinear (``r x v = 0``).

    Raises
    ------
    ValueError
        If ``mu_km3_s2`` is not a finite positive scalar or the shapes do not broadcast.

    References
    ----------
    Vallado (2013), Algorithm 9 (RV2COE), with the special cases resolved as
    in the module docstring; ``nu`` from ``e cos nu = h^2/(mu r) - 1``,
    ``e sin nu = h (r.v)/(mu r)``.

    Examples
    --------
    >>> import numpy as np
    >>> a, e, i, O, w, nu = rv2coe(398600.4418, [7000.0, 0, 0], [0, 7.546053, 0])
    >>> round(float(a), 1), float(e) < 1e-6, float(i), float(O)
    (7000.0, True, 0.0, 0.0)
    """
    mu = _check_mu(mu_km3_s2)
    r_a, v_a = _vectors(r, "r"), _vectors(v, "v")
    shape = _broadcast(r_a[..., 0], v_a[..., 0], names=("r[..., 0]", "v[..., 0]"))
    rb = np.broadcast_to(r_a, (*shape, 3))
    vb = np.broadcast_to(v_a, (*shape, 3))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        rn = np.linalg.norm(rb, axis=-1)
        v2 = np.einsum("...i,...i->...", vb, vb)
        rv = np.einsum("...i,...i->...", rb, vb)
        h = np.cross(rb, vb)
        hn = np.linalg.norm(h, axis=-1)
        hxy = np.hypot(h[..., 0], h[..., 1])
        inc = np.arctan2(hxy, h[..., 2])
        evec = ((v2 - mu / rn)[..., None] * rb - rv[..., None] * vb) / mu
        ecc = np.linalg.norm(evec, axis=-1)
        a = 1.0 / (2.0 / rn - v2 / mu)
        hhat = h / hn[..., None]
        equatorial = hxy < _EQUATORIAL_TOL * hn
        # Node unit vector; +x for equatorial orbits (raan = 0 convention).
        nx = np.where(equatorial, 1.0, -h[..., 1] / np.where(hxy > 0, hxy, 1.0))
        ny = np.where(equatorial, 0.0, h[..., 0] / np.where(hxy > 0, hxy, 1.0))
        raan = np.where(equatorial, 0.0, np.arctan2(ny, nx))
        nvec = np.stack([nx, ny, np.zeros_like(nx)], axis=-1)

        def _angle_from_node(x):
            # angle from the node line to x, counted about h (direction of motion)
            s = np.einsum("...i,...i->...", hhat, np.cross(nvec, x))
            c = np.einsum("...i,...i->...", nvec, x)
            return np.arctan2(s, c)

        u = _angle_from_node(rb)  # argument of latitude
        nu = np.arctan2(hn * rv, hn * hn - mu * rn)
        circular = ecc < _CIRCULAR_TOL
        nu = np.where(circular, u, nu)
        nu = np.where(nu <= -np.pi, nu + 2.0 * np.pi, nu)  # atan2 gives -pi for y = -0.0
        argp = np.where(circular, 0.0, u - nu)
        raan = np.mod(raan, 2.0 * np.pi)
        argp = np.mod(argp, 2.0 * np.pi)
        # np.mod can return 2 pi itself for tiny negative inputs
        raan = np.where(raan >= 2.0 * np.pi, 0.0, raan)
        argp = np.where(argp >= 2.0 * np.pi, 0.0, argp)
        bad = ~(np.isfinite(rb).all(axis=-1) & np.isfinite(vb).all(axis=-1) & (hn > 0.0))
    out = []
    for x in (a, ecc, inc, raan, argp, nu):
        x = np.where(bad, np.nan, x)
        out.append(x[()] if x.ndim == 0 else x)
    return Elements(*out)
