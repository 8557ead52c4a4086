"""Kepler's equation: eccentric and hyperbolic anomaly from mean anomaly, and the
conversions between mean and true anomaly.

References
----------
.. [1] F. L. Markley, "Kepler equation solver", Celestial Mechanics and Dynamical
   Astronomy 63, 101-111 (1995), doi:10.1007/BF00691917 -- starter (eqs. 5, 9, 10,
   14, 15, 20) and fifth-order correction (eqs. 21-22) used by
   :func:`solve_kepler_elliptic`.
.. [2] W. H. Press et al., *Numerical Recipes*, 3rd ed. (Cambridge, 2007), sec. 9.4
   (``rtsafe``): Newton's method safeguarded by bisection (hyperbolic equation).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from prospect.core._kepler_common import _EPS, _PI, _STEP_TOL, _TWO_PI, _as_float, _broadcast

# ---------------------------------------------------------------------------
# scalar helpers (numba)
# ---------------------------------------------------------------------------


# Taylor coefficients 1/(2k+3)!, k = 0..8: x - sin x and sinh x - x for |x| < 1
# to < 1e-19 relative (the first omitted term is x^2 * 9/22! ~ 4e-21 of x^3/6).
_T3 = 1.0 / 6.0
_T5 = 1.0 / 120.0
_T7 = 1.0 / 5040.0
_T9 = 1.0 / 362880.0
_T11 = 1.0 / 39916800.0
_T13 = 1.0 / 6227020800.0
_T15 = 1.0 / 1307674368000.0
_T17 = 1.0 / 355687428096000.0
_T19 = 1.0 / 121645100408832000.0


@njit(cache=True, inline="always")
def _x_minus_sin(x):
    """x - sin(x) without cancellation for |x| < 1 (Taylor series), else directly."""
    if abs(x) >= 1.0:
        return x - math.sin(x)
    y = -x * x
    p = _T17 + y * _T19
    p = _T15 + y * p
    p = _T13 + y * p
    p = _T11 + y * p
    p = _T9 + y * p
    p = _T7 + y * p
    p = _T5 + y * p
    p = _T3 + y * p
    return x * x * x * p


@njit(cache=True, inline="always")
def _sinh_minus_x(x):
    """sinh(x) - x without cancellation for |x| < 1 (Taylor series), else directly."""
    if abs(x) >= 1.0:
        return math.sinh(x) - x
    y = x * x
    p = _T17 + y * _T19
    p = _T15 + y * p
    p = _T13 + y * p
    p = _T11 + y * p
    p = _T9 + y * p
    p = _T7 + y * p
    p = _T5 + y * p
    p = _T3 + y * p
    return x * x * x * p


# Nodes E_k = k pi / 256, k = 0..256, with sin and cos (for _kepler_elliptic_reduced).
_TAB_N = 256
_TAB_STEP = math.pi / _TAB_N
_TAB_SCALE = _TAB_N / math.pi
_SIN_TAB = np.sin(np.arange(_TAB_N + 1) * _TAB_STEP)
_COS_TAB = np.cos(np.arange(_TAB_N + 1) * _TAB_STEP)
_SIN_TAB[0] = 0.0
_COS_TAB[0] = 1.0


@njit(cache=True, inline="always")
def _rotate_small(s, c, d):
    """sin(E + d), cos(E + d) from s = sin E, c = cos E for |d| <= 0.01.

    Taylor polynomials of sin d and cos d; the first omitted terms (d^9/9!,
    d^8/8!) are below 3e-24 for |d| <= 0.01.
    """
    d2 = d * d
    sd = d * (1.0 - d2 * (1.0 / 6.0 - d2 * (1.0 / 120.0 - d2 * (1.0 / 5040.0))))
    # 1 - cos d, kept separate so that c - (1 - cos d) c loses nothing
    omcd = d2 * (0.5 - d2 * (1.0 / 24.0 - d2 * (1.0 / 720.0)))
    return s + (c * sd - s * omcd), c - (s * sd + c * omcd)


@njit(cache=True, inline="always")
def _kepler_residual(E, s, e, one_m_e, m):
    """f(E) = E - e sin E - m, written (1-e) E + e (E - sin E) - m for |E| < 1 so that
    it keeps full relative precision near E = 0 when e -> 1 (``s`` = sin E)."""
    if abs(E) < 1.0:
        return one_m_e * E + e * _x_minus_sin(E) - m
    return E - e * s - m


@njit(cache=True, inline="always")
def _markley_step(f0, s, c, e):
    """Markley (1995) eqs. (21)-(22): the fifth-order (Householder-type) correction
    of E from the residual ``f0`` and ``s, c`` = sin E, cos E."""
    f1 = 1.0 - e * c
    f2 = e * s
    f3 = e * c
    d3 = -f0 / (f1 - 0.5 * f0 * f2 / f1)
    d4 = -f0 / (f1 + 0.5 * d3 * f2 + d3 * d3 * f3 / 6.0)
    return -f0 / (f1 + 0.5 * d4 * f2 + d4 * d4 * f3 / 6.0 - d4 * d4 * d4 * f2 / 24.0)


@njit(cache=True)
def _kepler_elliptic_reduced(m, e):
    """Root E in [0, pi] of E - e sin E = m for m in [0, pi], 0 < e < 1.

    Markley (1995) starter and fifth-order correction (accurate to ~1.5 ulp
    over the whole domain, e up to 1 - 1e-6, when measured against an
    extended-precision root), then a Newton step that verifies convergence and
    polishes the last ulp.  sin E and cos E follow each correction through
    :func:`_rotate_small`, so the usual path costs one sin/cos pair.
    Falls back to repeated corrections if a step is not small.
    Returns (E, sin E, cos E, ok).
    """
    if m == 0.0:
        return 0.0, 0.0, 1.0, True
    if m >= _PI:
        return _PI, 0.0, -1.0, True
    # Markley (1995) eqs. (20), (5), (9), (10), (14), (15).
    alpha = (3.0 * _PI * _PI + 1.6 * _PI * (_PI - m) / (1.0 + e)) / (_PI * _PI - 6.0)
    d = 3.0 * (1.0 - e) + alpha * e
    q = 2.0 * alpha * d * (1.0 - e) - m * m
    r = 3.0 * alpha * d * (d - 1.0 + e) * m + m * m * m
    w = np.cbrt(abs(r) + math.sqrt(q * q * q + r * r))
    w = w * w
    E = (2.0 * r * w / (w * w + w * q + q * q) + m) / d
    if not (E > 0.0):
        E = m
    if E > _PI:
        E = _PI
    one_m_e = 1.0 - e
    # sin/cos of the starter from the nearest tabulated node (|offset| <= pi/512)
    # and a short rotation: same accuracy as libm, a fraction of its latency.
    kn = int(E * _TAB_SCALE + 0.5)
    s, c = _rotate_small(_SIN_TAB[kn], _COS_TAB[kn], E - kn * _TAB_STEP)
    for _ in range(30):
        d5 = _markley_step(_kepler_residual(E, s, e, one_m_e, m), s, c, e)
        E_new = min(max(E + d5, 0.5 * E), 0.5 * (E + _PI))
        step = E_new - E
        if abs(step) <= 0.01:
            s, c = _rotate_small(s, c, step)
        else:
            s = math.sin(E_new)
            c = math.cos(E_new)
        E = E_new
        if abs(step) <= _STEP_TOL * E:
            return E, s, c, True
        # Verify with one Newton step at the corrected E (no new trig call):
        # converged when it is below 8 ulp; it also polishes the last ulp.
        dn = -_kepler_residual(E, s, e, one_m_e, m) / (1.0 - e * c)
        if abs(dn) <= _STEP_TOL * E:
            E_new = E + dn
            # first-order update of sin/cos: |dn| <= 8 ulp, neglected term ~1e-30
            return E_new, s + c * dn, c - s * dn, True
    return E, s, c, False


@njit(cache=True)
def _kepler_elliptic(M, e):
    """Eccentric anomaly E (same revolution as M) with sin E, cos E and a flag."""
    k = math.floor(M / _TWO_PI + 0.5)
    Mr = M - _TWO_PI * k
    sgn = 1.0
    if Mr < 0.0:
        sgn = -1.0
        Mr = -Mr
    if e == 0.0:
        return M, math.sin(M), math.cos(M), True
    E, s, c, ok = _kepler_elliptic_reduced(Mr, e)
    return sgn * E + _TWO_PI * k, sgn * s, c, ok


@njit(cache=True)
def _kepler_hyperbolic(M, e):
    """Root F of e sinh F - F = M (e > 1): safeguarded Newton in a bracket.

    Bracket for m = |M|: asinh(m / e) <= F <= min(asinh(m / (e - 1)), F_cubic)
    with F_cubic the root of e F^3 / 6 + (e - 1) F = m (both upper bounds
    follow from sinh F >= F + F^3/6 >= F).  Returns (F, ok).
    """
    m = abs(M)
    if m == 0.0:
        return 0.0, True
    # Tiny |M| (down to subnormals, where relative step tests lose all precision):
    # e sinh F - F = (e - 1) F + e F^3 / 6 + ..., so F = m / (e - 1) is exact to
    # a relative e F^2 / (6 (e - 1)) < 1e-17, below half an ulp.
    f_lin = m / (e - 1.0)
    if f_lin * f_lin * e < 6e-17 * (e - 1.0):
        return (f_lin if M > 0.0 else -f_lin), True
    lo = math.asinh(m / e) * (1.0 - 8.0 * _EPS)
    hi_a = math.asinh(m / (e - 1.0))
    # Cardano for F^3 + p F - qq = 0 (p, qq > 0: one real root).
    p = 6.0 * (e - 1.0) / e
    qq = 6.0 * m / e
    disc = math.sqrt(0.25 * qq * qq + p * p * p / 27.0)
    u = (0.5 * qq + disc) ** (1.0 / 3.0)
    v = p / (3.0 * u)
    # u - v rewritten as (u^3 - v^3) / (u^2 + u v + v^2) = qq / (...): no cancellation.
    hi_c = qq / (u * u + p / 3.0 + v * v)
    # Widen by a few ulp so that rounding cannot push a bound across the root.
    hi = min(hi_a, hi_c) * (1.0 + 8.0 * _EPS)
    if not (hi > lo):
        hi = max(hi_a, hi_c)
    # Start at the upper bound (Newton converges monotonically from above on
    # this convex increasing function) unless the fixed point of
    # F = asinh((m + F) / e) started from lo is the better (large-m) guess.
    F = hi
    g = math.asinh((m + lo) / e)
    if g > lo and hi - g > 1.0:
        F = g
    for _ in range(200):
        sh = math.sinh(F)
        f0 = (e - 1.0) * F + e * _sinh_minus_x(F) - m
        if f0 == 0.0:
            return (F if M > 0.0 else -F), True
        if f0 > 0.0:
            hi = min(hi, F)
        else:
            lo = max(lo, F)
        f1 = e * math.cosh(F) - 1.0
        step = f0 / f1
        F_new = F - step
        # Converged: test the Newton step before any bracket safeguard (at the
        # root, rounding noise can put a sub-ulp step outside the bracket).
        if abs(step) <= _STEP_TOL * F_new:
            return (F_new if M > 0.0 else -F_new), True
        if not (F_new > lo and F_new < hi):
            F_new = 0.5 * (lo + hi)
        F = F_new
        if sh != sh:
            break
    return (F if M > 0.0 else -F), False


# ---------------------------------------------------------------------------
# batch kernels (numba)
# ---------------------------------------------------------------------------


@njit(cache=True)
def _solve_elliptic_1d(M, e, out):
    for i in range(M.size):
        ei = e[i]
        if not (math.isfinite(M[i]) and ei >= 0.0 and ei < 1.0):
            out[i] = np.nan
            continue
        E, _, _, ok = _kepler_elliptic(M[i], ei)
        out[i] = E if ok else np.nan


@njit(cache=True)
def _solve_hyperbolic_1d(M, e, out):
    for i in range(M.size):
        ei = e[i]
        if not (math.isfinite(M[i]) and ei > 1.0 and math.isfinite(ei)):
            out[i] = np.nan
            continue
        F, ok = _kepler_hyperbolic(M[i], ei)
        out[i] = F if ok else np.nan


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------


def solve_kepler_elliptic(M, ecc):
    """Eccentric anomaly from mean anomaly: root of ``E - e sin E = M``.

    Markley (1995) starter and fifth-order correction, then a Newton step that
    verifies convergence (step <= 8 ulp; otherwise the correction repeats).
    The residual is evaluated in the cancellation-free form
    ``(1 - e) E + e (E - sin E) - M``, so the result keeps full relative
    precision for ``e -> 1`` and ``M -> 0``: within 2 ulp of an
    extended-precision root for e up to 1 - 1e-12.

    Parameters
    ----------
    M : array_like, shape (...)
        Mean anomaly, rad (any real value).
    ecc : array_like, shape (...)
        Eccentricity, ``0 <= e < 1``; broadcasts with ``M``.

    Returns
    -------
    E : ndarray, shape (...)
        Eccentric anomaly, rad, on the same revolution as ``M``
        (``E - M`` is in ``[-e, e]``).  NaN where ``M`` is not finite or ``e``
        is outside ``[0, 1)``.

    References
    ----------
    F. L. Markley, Celest. Mech. Dyn. Astron. 63, 101 (1995).

    Examples
    --------
    >>> import numpy as np
    >>> E = solve_kepler_elliptic(np.array([0.0, 1.0, np.pi]), 0.5)
    >>> np.allclose(E - 0.5 * np.sin(E), [0.0, 1.0, np.pi], rtol=0, atol=1e-15)
    True
    """
    M_a, e_a = _as_float(M), _as_float(ecc)
    shape = _broadcast(M_a, e_a, names=("M", "ecc"))
    Mb = np.ascontiguousarray(np.broadcast_to(M_a, shape)).ravel()
    eb = np.ascontiguousarray(np.broadcast_to(e_a, shape)).ravel()
    out = np.empty(Mb.size)
    _solve_elliptic_1d(Mb, eb, out)
    return out.reshape(shape)


def solve_kepler_hyperbolic(M, ecc):
    """Hyperbolic anomaly from hyperbolic mean anomaly: root of ``e sinh F - F = M``.

    Newton's method safeguarded by bisection inside the bracket
    ``asinh(|M|/e) <= |F| <= min(asinh(|M|/(e-1)), F3)``, ``F3`` the root of
    ``e F^3/6 + (e-1) F = |M|``; the residual is evaluated as
    ``(e-1) F + e (sinh F - F) - M`` (no cancellation for ``e -> 1``).

    Parameters
    ----------
    M : array_like, shape (...)
        Hyperbolic mean anomaly, rad.
    ecc : array_like, shape (...)
        Eccentricity, ``e > 1``; broadcasts with ``M``.

    Returns
    -------
    F : ndarray, shape (...)
        Hyperbolic anomaly; NaN where ``M`` is not finite or ``e <= 1``.

    References
    ----------
    Vallado (2013), Algorithm 4 (KepEqtnH); Curtis (2014), Algorithm 3.2.

    Examples
    --------
    >>> import numpy as np
    >>> F = solve_kepler_hyperbolic(np.array([-3.0, 0.1, 50.0]), 1.5)
    >>> np.allclose(1.5 * np.sinh(F) - F, [-3.0, 0.1, 50.0], rtol=1e-15, atol=0)
    True
    """
    M_a, e_a = _as_float(M), _as_float(ecc)
    shape = _broadcast(M_a, e_a, names=("M", "ecc"))
    Mb = np.ascontiguousarray(np.broadcast_to(M_a, shape)).ravel()
    eb = np.ascontiguousarray(np.broadcast_to(e_a, shape)).ravel()
    out = np.empty(Mb.size)
    _solve_hyperbolic_1d(Mb, eb, out)
    return out.reshape(shape)


def mean_to_true(M, ecc):
    """True anomaly from mean anomaly (elliptic ``e < 1`` and hyperbolic ``e > 1``).

    Parameters
    ----------
    M : array_like, shape (...)
        Mean anomaly, rad (hyperbolic mean anomaly ``e sinh F - F`` for e > 1).
    ecc : array_like, shape (...)
        Eccentricity, broadcasts with ``M``.

    Returns
    -------
    nu : ndarray, shape (...)
        True anomaly in ``(-pi, pi]``, rad.  NaN for ``e < 0``, ``e == 1`` or
        non-finite input.

    References
    ----------
    Vallado (2013), eqs. 2-9 and 2-34 (anomaly relations), via
    :func:`solve_kepler_elliptic` / :func:`solve_kepler_hyperbolic`.

    Examples
    --------
    >>> import numpy as np
    >>> bool(np.isclose(mean_to_true(np.pi, 0.3), np.pi, rtol=0, atol=1e-15))
    True
    >>> float(mean_to_true(0.0, 2.0))
    0.0
    """
    M_a, e_a = _as_float(M), _as_float(ecc)
    shape = _broadcast(M_a, e_a, names=("M", "ecc"))
    Mb = np.broadcast_to(M_a, shape)
    eb = np.broadcast_to(e_a, shape)
    nu = np.full(shape, np.nan)
    ell = (eb >= 0.0) & (eb < 1.0)
    hyp = eb > 1.0
    with np.errstate(invalid="ignore"):
        if ell.any():
            e = eb[ell]
            E = solve_kepler_elliptic(Mb[ell], e)
            h = 0.5 * E
            nu[ell] = 2.0 * np.arctan2(np.sqrt(1.0 + e) * np.sin(h), np.sqrt(1.0 - e) * np.cos(h))
        if hyp.any():
            e = eb[hyp]
            F = solve_kepler_hyperbolic(Mb[hyp], e)
            nu[hyp] = 2.0 * np.arctan(np.sqrt((e + 1.0) / (e - 1.0)) * np.tanh(0.5 * F))
    # Fold the elliptic result into (-pi, pi].
    nu = np.where(nu <= -np.pi, nu + 2.0 * np.pi, nu)
    nu = np.where(nu > np.pi, nu - 2.0 * np.pi, nu)
    return nu[()] if nu.ndim == 0 else nu


def true_to_mean(nu, ecc):
    """Mean anomaly from true anomaly (elliptic ``e < 1`` and hyperbolic ``e > 1``).

    Parameters
    ----------
    nu : array_like, shape (...)
        True anomaly, rad.  For ``e > 1`` it must lie strictly between the
        asymptotes, ``|nu| < arccos(-1/e)``.
    ecc : array_like, shape (...)
        Eccentricity, broadcasts with ``nu``.

    Returns
    -------
    M : ndarray, shape (...)
        Mean anomaly, rad: in ``[-pi, pi]`` for ellipses (``nu`` folded into
        ``(-pi, pi]`` first), ``e sinh F - F`` for hyperbolas.  NaN for
        ``e < 0``, ``e == 1``, a hyperbolic ``nu`` beyond the asymptotes, or
        non-finite input.

    References
    ----------
    Vallado (2013), eqs. 2-9, 2-35 and Kepler's equation.

    Examples
    --------
    >>> import numpy as np
    >>> nu = mean_to_true(np.array([0.1, 2.0]), 0.7)
    >>> np.allclose(true_to_mean(nu, 0.7), [0.1, 2.0], rtol=0, atol=1e-14)
    True
    """
    nu_a, e_a = _as_float(nu), _as_float(ecc)
    shape = _broadcast(nu_a, e_a, names=("nu", "ecc"))
    nub = np.broadcast_to(nu_a, shape)
    eb = np.broadcast_to(e_a, shape)
    M = np.full(shape, np.nan)
    ell = (eb >= 0.0) & (eb < 1.0) & np.isfinite(nub)
    hyp = (eb > 1.0) & np.isfinite(eb) & np.isfinite(nub)
    with np.errstate(invalid="ignore", divide="ignore"):
        if ell.any():
            e = eb[ell]
            v = np.remainder(nub[ell] + np.pi, 2.0 * np.pi) - np.pi
            h = 0.5 * v
            E = 2.0 * np.arctan2(np.sqrt(1.0 - e) * np.sin(h), np.sqrt(1.0 + e) * np.cos(h))
            # E - e sin E = (1 - e) E + e (E - sin E): accurate near E = 0.
            M[ell] = (1.0 - e) * E + e * _x_minus_sin_np(E)
        if hyp.any():
            e = eb[hyp]
            v = nub[hyp]
            ok = np.abs(v) < np.arccos(-1.0 / e)
            F = 2.0 * np.arctanh(np.sqrt((e - 1.0) / (e + 1.0)) * np.tan(0.5 * v))
            Mh = (e - 1.0) * F + e * _sinh_minus_x_np(F)
            M[hyp] = np.where(ok, Mh, np.nan)
    return M[()] if M.ndim == 0 else M


def _x_minus_sin_np(x):
    """Vectorized x - sin x, series for |x| < 1 (full relative precision)."""
    x = np.asarray(x, dtype=np.float64)
    out = x - np.sin(x)
    small = np.abs(x) < 1.0
    if small.any():
        xs = x[small]
        x2 = xs * xs
        term = xs * x2 / 6.0
        total = term.copy()
        for k in range(2, 12):  # |x| < 1: 1/23! ~ 4e-23, ample
            term = -term * x2 / ((2.0 * k) * (2.0 * k + 1.0))
            total += term
        out[small] = total
    return out


def _sinh_minus_x_np(x):
    """Vectorized sinh x - x, series for |x| < 1 (full relative precision)."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.sinh(x) - x
    small = np.abs(x) < 1.0
    if small.any():
        xs = x[small]
        x2 = xs * xs
        term = xs * x2 / 6.0
        total = term.copy()
        for k in range(2, 12):
            term = term * x2 / ((2.0 * k) * (2.0 * k + 1.0))
            total += term
        out[small] = total
    return out
