"""Batched Lambert solver: Izzo's (2015) algorithm with Householder iterations.

Lambert's problem: find the conic arc that takes a body from ``r1`` to ``r2``
in time ``tof`` about a centre of gravitational parameter ``mu``.  The solver
follows D. Izzo, "Revisiting Lambert's problem", Celestial Mechanics and
Dynamical Astronomy 121:1-15 (2015), as implemented by pykep
(``lambert_problem.cpp``) and boinor (``boinor.core.iod.izzo``), with:

* the corrected single-revolution initial guess of poliastro issue 1362
  (the piecewise expression after Izzo's eq. 30 is wrong in the paper);
* the time of flight from Lancaster's expression away from the parabola and
  from Battin's hypergeometric series within ``_BATTIN_BAND`` of ``x = 1``
  (as pykep does), with the auxiliary angle taken through ``atan2``/``asinh``
  so that it keeps full precision where ``arccos`` would not;
* the geometry (lambda, sigma) computed from ``r1 . r2`` and ``|r1 x r2|``
  without the cancellation of ``1 - c/s`` near a 180 degree transfer;
* the Householder iteration kept inside a bracket of the root (bisection
  fallback), which near-rectilinear transfers need, and stopped as pykep does
  (``|dx| < 1e-5`` for one revolution, ``1e-8`` for several; the method is
  of 4th order, so the last step leaves x exact to rounding).

Every element of a batch is solved by one compiled loop (numba ``prange``);
a bad element gets NaN velocities and a status code (:data:`LAMBERT_STATUS`),
never an exception.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit, prange

from prospect.core import status as st

__all__ = ["LAMBERT_STATUS", "LambertSolution", "solve_lambert"]

#: Codes :func:`solve_lambert` returns (a view of :data:`prospect.core.status.STATUS`).
LAMBERT_STATUS = st.view(
    st.OK, st.NONFINITE, st.BAD_TOF, st.ZERO_R, st.COLLINEAR, st.NO_MREV, st.NOT_CONVERGED
)

# compile-time globals of the numba kernels
_OK = st.OK
_NONFINITE = st.NONFINITE
_BAD_TOF = st.BAD_TOF
_ZERO_R = st.ZERO_R
_COLLINEAR = st.COLLINEAR
_NO_MREV = st.NO_MREV
_NOT_CONVERGED = st.NOT_CONVERGED


class LambertSolution(NamedTuple):
    """Velocities of a Lambert arc (:func:`solve_lambert`).

    Attributes
    ----------
    v1_km_s, v2_km_s : ndarray, shape (*B, 3)
        Velocities at ``r1`` and ``r2``, km/s (NaN where ``status != 0``).
    status : ndarray of int8, shape B
        :data:`LAMBERT_STATUS` codes.
    """

    v1_km_s: np.ndarray
    v2_km_s: np.ndarray
    status: np.ndarray


# fastmath flags: no "nnan"/"ninf" (the kernel tests for NaN explicitly), no
# "reassoc" (keeps the series and compensated geometry as written).
_FASTMATH = {"contract", "arcp", "nsz"}

# |x - 1| below which the time of flight uses Battin's series (pykep uses 0.01).
_BATTIN_BAND = 0.01
# Householder stops after a step |dx| below these (pykep's values), relative to
# the distance from x to the end(s) of its range where T blows up.  The method
# is 4th order, so the x returned after such a step is exact to rounding
# (checked against a 40-digit solution while developing, and in the tests
# against boinor at rtol 1e-13).  The multi-revolution tolerance is tighter
# because near T_min the two roots merge and convergence slows down.
_X_TOL_1REV = 1e-5
_X_TOL_MREV = 1e-8
_MAX_ITER = 60
# Halley iterations for x(T_min) of a multi-revolution solution.
_TMIN_TOL = 1e-10
_TMIN_MAX_ITER = 20
# sin(transfer angle) below which r1 and r2 count as collinear: the cross
# product is then at the level of its own rounding and defines no plane.
_SIN_COLLINEAR = 1e-14

_PI = math.pi

# Batches smaller than this run on one thread (starting the thread pool costs
# more than solving them: ~0.3 us per solve, 0.1-1 ms per parallel launch).
_PARALLEL_MIN = 2048


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _hyp2f1b(s):
    """2F1(3, 1; 5/2; s) by its series (Battin 1999), |s| small."""
    res = 1.0
    term = 1.0
    i = 0.0
    while True:
        term *= (3.0 + i) / (2.5 + i) * s
        new = res + term
        if new == res:
            return new
        res = new
        i += 1.0
        if i > 200.0:
            return res


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _tof(x, y, ll, m):
    """Non-dimensional time of flight T(x) for m revolutions (Izzo eq. 18)."""
    e = 1.0 - x * x  # 1 - x^2
    if abs(x - 1.0) < _BATTIN_BAND:
        # Battin's series (Izzo sec. 2.2): exact at the parabola.
        eta = y - ll * x
        s1 = 0.5 * (1.0 - ll - x * eta)
        q = 4.0 / 3.0 * _hyp2f1b(s1)
        t = 0.5 * (eta * eta * eta * q + 4.0 * ll * eta)
        if m > 0:
            t += m * _PI / (abs(e) * math.sqrt(abs(e)))
        return t
    sq = math.sqrt(abs(e))
    if e > 0.0:
        # ellipse: cos(psi) = x y + ll (1 - x^2), sin(psi) = (y - ll x) sqrt(1 - x^2)
        psi = math.atan2((y - ll * x) * sq, x * y + ll * e) + m * _PI
    else:
        # hyperbola: sinh(psi) = (y - ll x) sqrt(x^2 - 1)
        psi = math.asinh((y - ll * x) * sq)
    return (psi / sq - x + ll * y) / e


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _derivs(x, y, t, ll):
    """dT/dx, d2T/dx2, d3T/dx3 at x (Izzo eq. 22)."""
    e = 1.0 - x * x
    ll2 = ll * ll
    ll3 = ll2 * ll
    inv_e = 1.0 / e
    inv_y = 1.0 / y
    y3 = inv_y * inv_y * inv_y
    d1 = (3.0 * t * x - 2.0 + 2.0 * ll3 * x * inv_y) * inv_e
    d2 = (3.0 * t + 5.0 * x * d1 + 2.0 * (1.0 - ll2) * ll3 * y3) * inv_e
    d3 = (7.0 * x * d2 + 8.0 * d1 - 6.0 * (1.0 - ll2) * ll3 * ll2 * x * y3 * inv_y * inv_y) * inv_e
    return d1, d2, d3


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _x_tmin(ll, m):
    """x at the minimum of T(x) for m >= 1 revolutions (Halley on dT/dx = 0).

    Returns (x_tmin, t_min, ok).
    """
    x = 0.0
    for _ in range(_TMIN_MAX_ITER):
        y = math.sqrt(1.0 - ll * ll * (1.0 - x * x))
        t = _tof(x, y, ll, m)
        d1, d2, d3 = _derivs(x, y, t, ll)
        den = 2.0 * d2 * d2 - d1 * d3
        if den == 0.0:
            break
        xn = x - 2.0 * d1 * d2 / den
        if not (-1.0 < xn < 1.0):
            xn = 0.5 * (x + (1.0 if xn >= 1.0 else -1.0))
        if abs(xn - x) < _TMIN_TOL:
            y = math.sqrt(1.0 - ll * ll * (1.0 - xn * xn))
            return xn, _tof(xn, y, ll, m), True
        x = xn
    return x, np.nan, False


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _initial_guess(t, ll, m, low_path):
    """Starting x (Izzo eq. 30, with the correction of poliastro issue 1362)."""
    if m == 0:
        t0 = math.acos(ll) + ll * math.sqrt(1.0 - ll * ll)  # eq. 19, M = 0
        t1 = 2.0 / 3.0 * (1.0 - ll * ll * ll)  # eq. 21
        if t >= t0:
            return np.cbrt((t0 / t) * (t0 / t)) - 1.0
        if t < t1:
            return 2.5 * t1 / t * (t1 - t) / (1.0 - ll * ll * ll * ll * ll) + 1.0
        return math.exp(math.log(2.0) * math.log(t / t0) / math.log(t1 / t0)) - 1.0
    a = np.cbrt(((m * _PI + _PI) / (8.0 * t)) ** 2)
    x0l = (a - 1.0) / (a + 1.0)
    b = np.cbrt(((8.0 * t) / (m * _PI)) ** 2)
    x0r = (b - 1.0) / (b + 1.0)
    # boinor's convention: low_path takes the larger x (the right branch)
    if low_path:
        return max(x0l, x0r)
    return min(x0l, x0r)


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _householder(x, t_target, ll, m, lo, hi, rising, tol):
    """Solve T(x) = t_target by Householder (4th order) iterations, safeguarded.

    ``(lo, hi)`` brackets the root, on which T is monotonic (rising in x if
    ``rising``).  Each evaluation shrinks the bracket; a step that leaves it
    is replaced by bisection (only seen for near-rectilinear transfers,
    |lambda| -> 1, where T(x) has a near-kink at x = 0).  Returns (x, ok).
    """
    for _ in range(_MAX_ITER):
        y = math.sqrt(1.0 - ll * ll * (1.0 - x * x))
        t = _tof(x, y, ll, m)
        f = t - t_target
        if f == 0.0:
            return x, True
        if (f > 0.0) == rising:
            hi = x
        else:
            lo = x
        d1, d2, d3 = _derivs(x, y, t, ll)
        d1sq = d1 * d1
        dx = f * (d1sq - 0.5 * f * d2) / (d1 * (d1sq - f * d2) + d3 * f * f / 6.0)
        xn = x - dx
        # the step is measured against the distance to the singular end(s)
        # of the x range, where T blows up: x -> -1 (and x -> 1 for M >= 1)
        dist = 1.0 + x if m == 0 else 1.0 - abs(x)
        if abs(dx) < tol * min(1.0, dist):
            return xn, True
        if not (lo < xn < hi):
            if hi == math.inf:
                # M = 0 before any upper bound is known: step right,
                # growing geometrically (T decreases to 0 as x grows)
                xn = lo + 1.0 + abs(lo)
            else:
                if hi - lo <= 4e-16 * (1.0 + abs(x)):
                    # bracket down to rounding: a root only if T matches
                    return x, abs(f) <= 1e-9 * t_target
                xn = 0.5 * (lo + hi)
        x = xn
    return x, False


# Longer than 80 lines on purpose: the per-element hot path of the batch kernels stays one
# numba function (no tuple passing between stages; a split version was not benchmarked).
@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _solve_one(mu, r1x, r1y, r1z, r2x, r2y, r2z, tof, m, prograde, low_path):
    """One Lambert problem.  Returns (v1x, v1y, v1z, v2x, v2y, v2z, status)."""
    nan = np.nan
    if not (
        math.isfinite(r1x)
        and math.isfinite(r1y)
        and math.isfinite(r1z)
        and math.isfinite(r2x)
        and math.isfinite(r2y)
        and math.isfinite(r2z)
        and math.isfinite(tof)
    ):
        return nan, nan, nan, nan, nan, nan, _NONFINITE
    if tof <= 0.0:
        return nan, nan, nan, nan, nan, nan, _BAD_TOF
    n1 = math.sqrt(r1x * r1x + r1y * r1y + r1z * r1z)
    n2 = math.sqrt(r2x * r2x + r2y * r2y + r2z * r2z)
    if n1 == 0.0 or n2 == 0.0:
        return nan, nan, nan, nan, nan, nan, _ZERO_R
    # angular-momentum direction of the short way
    hx = r1y * r2z - r1z * r2y
    hy = r1z * r2x - r1x * r2z
    hz = r1x * r2y - r1y * r2x
    h2 = hx * hx + hy * hy + hz * hz
    nh = math.sqrt(h2)
    n12 = n1 * n2
    if not nh > _SIN_COLLINEAR * n12:
        return nan, nan, nan, nan, nan, nan, _COLLINEAR
    dot = r1x * r2x + r1y * r2y + r1z * r2z
    # n1 n2 (1 + cos) and n1 n2 (1 - cos) without cancellation
    if dot >= 0.0:
        p_plus = n12 + dot
        p_minus = h2 / p_plus
    else:
        p_minus = n12 - dot
        p_plus = h2 / p_minus
    cx = r2x - r1x
    cy = r2y - r1y
    cz = r2z - r1z
    c = math.sqrt(cx * cx + cy * cy + cz * cz)
    s2 = n1 + n2 + c  # 2 s
    s = 0.5 * s2
    # lambda^2 = 1 - c/s = 2 n1 n2 (1 + cos) / (2s)^2; sigma^2 = 2 n1 n2 (1 - cos) / c^2
    ll = math.sqrt(2.0 * p_plus) / s2
    sigma = math.sqrt(2.0 * p_minus) / c
    if not ll < 1.0:
        return nan, nan, nan, nan, nan, nan, _COLLINEAR
    rho = (n1 - n2) / c
    inv_nh = 1.0 / nh
    ihx = hx * inv_nh
    ihy = hy * inv_nh
    ihz = hz * inv_nh
    inv1 = 1.0 / n1
    inv2 = 1.0 / n2
    u1x = r1x * inv1
    u1y = r1y * inv1
    u1z = r1z * inv1
    u2x = r2x * inv2
    u2y = r2y * inv2
    u2z = r2z * inv2
    # tangential directions i_h x i_r (boinor/pykep: flip for h_z < 0)
    sgn = 1.0
    if ihz < 0.0:
        ll = -ll
        sgn = -1.0
    if not prograde:
        ll = -ll
        sgn = -sgn
    t1x = sgn * (ihy * u1z - ihz * u1y)
    t1y = sgn * (ihz * u1x - ihx * u1z)
    t1z = sgn * (ihx * u1y - ihy * u1x)
    t2x = sgn * (ihy * u2z - ihz * u2y)
    t2y = sgn * (ihz * u2x - ihx * u2z)
    t2z = sgn * (ihx * u2y - ihy * u2x)

    t = math.sqrt(2.0 * mu / (s * s * s)) * tof  # non-dimensional tof

    t00 = 0.0
    xmin = 0.0
    if m > 0:
        # a solution with m revolutions exists iff T >= T_min(m) (T_min >= m pi)
        if t < m * _PI:
            return nan, nan, nan, nan, nan, nan, _NO_MREV
        t00 = math.acos(ll) + ll * math.sqrt(1.0 - ll * ll) + m * _PI  # T(x = 0)
        if t < t00:
            xmin, tmin, okm = _x_tmin(ll, m)
            if not okm:
                return nan, nan, nan, nan, nan, nan, _NOT_CONVERGED
            if t < tmin:
                return nan, nan, nan, nan, nan, nan, _NO_MREV

    # bracket of the root and the sense of T(x) on it
    if m == 0:
        lo, hi, rising = -1.0, math.inf, False
    elif t >= t00:
        # T(0) <= T: the right-branch root is in [0, 1), the left one in (-1, 0]
        lo, hi, rising = (0.0, 1.0, True) if low_path else (-1.0, 0.0, False)
    else:
        lo, hi, rising = (xmin, 1.0, True) if low_path else (-1.0, xmin, False)
    x0 = _initial_guess(t, ll, m, low_path)
    if not (lo < x0 < hi):
        x0 = 0.5 * (lo + hi) if hi < 1.5 else lo + 1.0
    x, ok = _householder(x0, t, ll, m, lo, hi, rising, _X_TOL_1REV if m == 0 else _X_TOL_MREV)
    if not ok:
        return nan, nan, nan, nan, nan, nan, _NOT_CONVERGED
    y = math.sqrt(1.0 - ll * ll * (1.0 - x * x))

    # velocity components (Izzo eq. 11 / pykep)
    gamma = math.sqrt(0.5 * mu * s)
    a = ll * y - x
    b = ll * y + x
    vr1 = gamma * (a - rho * b) * inv1
    vr2 = -gamma * (a + rho * b) * inv2
    vt = gamma * sigma * (y + ll * x)
    vt1 = vt * inv1
    vt2 = vt * inv2
    return (
        vr1 * u1x + vt1 * t1x,
        vr1 * u1y + vt1 * t1y,
        vr1 * u1z + vt1 * t1z,
        vr2 * u2x + vt2 * t2x,
        vr2 * u2y + vt2 * t2y,
        vr2 * u2z + vt2 * t2z,
        _OK,
    )


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _solve_into(i, mu, r1, r2, tof, m, prograde, low_path, v1, v2, status):
    a, b, c, d, e, f, st = _solve_one(
        mu,
        r1[i, 0],
        r1[i, 1],
        r1[i, 2],
        r2[i, 0],
        r2[i, 1],
        r2[i, 2],
        tof[i],
        m,
        prograde,
        low_path,
    )
    v1[i, 0] = a
    v1[i, 1] = b
    v1[i, 2] = c
    v2[i, 0] = d
    v2[i, 1] = e
    v2[i, 2] = f
    status[i] = st


@njit(parallel=True, cache=True, fastmath=_FASTMATH, error_model="numpy")
def _solve_parallel(mu, r1, r2, tof, m, prograde, low_path, v1, v2, status):
    for i in prange(tof.shape[0]):
        _solve_into(i, mu, r1, r2, tof, m, prograde, low_path, v1, v2, status)


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _solve_serial(mu, r1, r2, tof, m, prograde, low_path, v1, v2, status):
    for i in range(tof.shape[0]):
        _solve_into(i, mu, r1, r2, tof, m, prograde, low_path, v1, v2, status)


def solve_lambert(mu_km3_s2, r1_km, r2_km, tof_s, *, revs=0, prograde=True, low_path=True):
    """Solve Lambert's problem for a batch of position pairs and flight times.

    Parameters
    ----------
    mu_km3_s2 : float
        Gravitational parameter of the central body, km^3/s^2 (finite, > 0).
    r1_km, r2_km : array_like, shape (..., 3)
        Initial and final positions, km.
    tof_s : array_like, shape (...)
        Time of flight, s.  The leading shapes of ``r1_km``, ``r2_km`` and
        ``tof_s`` broadcast (numpy rules) to the batch shape ``B``; e.g.
        ``r1`` (n_dep, 1, 3), ``r2`` (n_dep, n_tof, 3) and ``tof``
        (n_dep, n_tof) make a pork-chop grid (n_dep, n_tof).
    revs : int, optional
        Number of complete revolutions ``M >= 0`` (default 0).
    prograde : bool, optional
        True (default): the transfer's angular momentum has a positive z
        component; False: negative (boinor's and pykep's convention).  The
        short or long way follows from that and from ``r1 x r2``.
    low_path : bool, optional
        For ``revs >= 1``, which of the two solutions: True takes the root
        with the larger Izzo ``x`` (boinor's ``lowpath=True``), False the
        smaller.  Ignored for ``revs = 0``.

    Returns
    -------
    LambertSolution
        ``v1_km_s, v2_km_s`` (ndarray, shape (*B, 3)): velocities at ``r1`` and
        ``r2``, km/s, NaN where ``status != 0``; ``status`` (int8, shape B): codes
        of :data:`LAMBERT_STATUS` (non-finite input, ``tof <= 0``, zero position,
        collinear ``r1``/``r2`` (plane undefined), no ``revs``-revolution solution
        for this tof, not converged).

    Raises
    ------
    ValueError
        ``mu_km3_s2`` not a finite positive scalar, ``revs`` not an integer
        ``>= 0``, ``r1_km``/``r2_km`` not ending in an axis of length 3, or
        shapes that do not broadcast.

    Notes
    -----
    D. Izzo, "Revisiting Lambert's problem", Celest. Mech. Dyn. Astr.
    121:1-15 (2015): Householder iterations on Izzo's ``x`` from the initial
    guess of his eq. 30 (corrected as in poliastro issue 1362), the time of
    flight from Lancaster's form or, near the parabola, Battin's series; the
    velocities from Izzo's eq. 11 (pykep's ``lambert_problem``).  The
    iteration is safeguarded by a bracket of the root, on which T(x) is
    monotonic, with bisection as fallback.  A ``revs``-revolution solution
    exists iff ``T >= T_min(revs)``; ``T_min`` comes from Halley's method on
    ``dT/dx = 0`` (only when ``T`` is below ``T(x=0)``).

    Accuracy: against boinor's ``izzo`` at ``rtol=1e-13`` the velocities
    agree to ~5e-14 relative; against a 40-digit solution, ~1e-15, degrading
    to ~1e-11 where the problem itself is ill-conditioned (transfer angle
    within ~0.1 deg of 0 or 360 deg with nearly equal radii; ``T`` within
    1e-10 of ``T_min``, where the two multi-revolution roots merge).  A
    transfer angle of exactly 0 or 180 deg (``|r1 x r2| <= 1e-14 |r1||r2|``)
    is status 4.

    Batches of at least ``_PARALLEL_MIN`` rows run on numba's thread pool
    (``numba.set_num_threads`` sets its size); smaller ones on one thread.

    Examples
    --------
    Curtis, Orbital Mechanics for Engineering Students, 3rd ed., Example 5.2:

    >>> import numpy as np
    >>> v1, v2, status = solve_lambert(
    ...     398600.0, [5000.0, 10000.0, 2100.0], [-14600.0, 2500.0, 7000.0], 3600.0
    ... )
    >>> print(np.round(v1, 4), np.round(v2, 4), LAMBERT_STATUS[int(status)])
    [-5.9925  1.9254  3.2456] [-3.3125 -4.1966 -0.3853] ok

    A pork-chop grid, ``indexing="ij"``: 2 departures x 3 flight times.

    >>> au = 149597870.7
    >>> r1 = np.array([[au, 0.0, 0.0], [0.0, au, 0.0]])[:, None, :]
    >>> r2 = np.array([[0.0, 1.5 * au, 0.0], [-1.5 * au, 0.0, 0.0]])[:, None, :]
    >>> tof = np.array([150.0, 200.0, 250.0]) * 86400.0
    >>> v1, v2, status = solve_lambert(1.32712440041e11, r1, r2, tof[None, :])
    >>> v1.shape, status.tolist()
    ((2, 3, 3), [[0, 0, 0], [0, 0, 0]])
    """
    mu = float(mu_km3_s2) if np.ndim(mu_km3_s2) == 0 else None
    if mu is None or not (math.isfinite(mu) and mu > 0.0):
        raise ValueError(f"mu_km3_s2 must be a finite positive scalar, got {mu_km3_s2!r}")
    if isinstance(revs, bool) or not isinstance(revs, (int, np.integer)) or revs < 0:
        raise ValueError(f"revs must be an integer >= 0, got {revs!r}")
    r1 = np.asarray(r1_km, dtype=np.float64)
    r2 = np.asarray(r2_km, dtype=np.float64)
    tof = np.asarray(tof_s, dtype=np.float64)
    if r1.ndim == 0 or r1.shape[-1] != 3:
        raise ValueError(f"r1_km must have shape (..., 3), got {r1.shape}")
    if r2.ndim == 0 or r2.shape[-1] != 3:
        raise ValueError(f"r2_km must have shape (..., 3), got {r2.shape}")
    try:
        shape = np.broadcast_shapes(r1.shape[:-1], r2.shape[:-1], tof.shape)
    except ValueError:
        raise ValueError(
            f"shapes do not broadcast: r1_km {r1.shape}, r2_km {r2.shape}, tof_s {tof.shape}"
        ) from None
    n = math.prod(shape)
    r1f = np.ascontiguousarray(np.broadcast_to(r1, (*shape, 3)).reshape(n, 3))
    r2f = np.ascontiguousarray(np.broadcast_to(r2, (*shape, 3)).reshape(n, 3))
    tf = np.ascontiguousarray(np.broadcast_to(tof, shape).reshape(n))
    v1 = np.empty((n, 3))
    v2 = np.empty((n, 3))
    status = np.empty(n, dtype=np.int8)
    if n:
        # a parallel region costs ~0.1-1 ms to start on a busy machine
        kernel = _solve_parallel if n >= _PARALLEL_MIN else _solve_serial
        kernel(mu, r1f, r2f, tf, int(revs), bool(prograde), bool(low_path), v1, v2, status)
    return LambertSolution(v1.reshape(*shape, 3), v2.reshape(*shape, 3), status.reshape(shape))
