"""Shared pieces of the two-body kernels: status codes (a view of
:mod:`prospect.core.status`), numeric tolerances and argument checks.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from prospect.core import status as st

#: Codes the two-body kernels return (a view of :data:`prospect.core.status.STATUS`).
KEPLER_STATUS = st.view(
    st.OK,
    st.NONFINITE,
    st.NEG_ECC,
    st.PARABOLIC,
    st.BAD_A,
    st.NOT_CONVERGED,
    st.ZERO_R,
    st.OVERFLOW,
)


class States(NamedTuple):
    """Propagated states (:func:`~prospect.core.kepler.propagate_elements`,
    :func:`~prospect.core.kepler.propagate_state`).

    Attributes
    ----------
    r : ndarray, shape (..., 3)
        Position, km.
    v : ndarray, shape (..., 3)
        Velocity, km/s.
    status : ndarray of int8, shape (...)
        :data:`KEPLER_STATUS` codes (NaN rows where non-zero).
    """

    r: np.ndarray
    v: np.ndarray
    status: np.ndarray


class Elements(NamedTuple):
    """Classical orbital elements (:func:`~prospect.core.kepler.rv2coe`): km and rad."""

    a_km: np.ndarray
    ecc: np.ndarray
    inc: np.ndarray
    raan: np.ndarray
    argp: np.ndarray
    nu: np.ndarray


# int8 constants for the numba kernels (compile-time globals)
_OK = np.int8(st.OK)
_NONFINITE = np.int8(st.NONFINITE)
_NEG_ECC = np.int8(st.NEG_ECC)
_PARABOLIC = np.int8(st.PARABOLIC)
_BAD_A = np.int8(st.BAD_A)
_NOT_CONVERGED = np.int8(st.NOT_CONVERGED)
_ZERO_R = np.int8(st.ZERO_R)
_OVERFLOW = np.int8(st.OVERFLOW)
_PI = math.pi
_TWO_PI = 2.0 * math.pi
_EPS = 2.220446049250313e-16
# Relative step size at which an iteration is declared converged (8 ulp).
_STEP_TOL = 8.0 * _EPS
# Batches at least this large use the multi-threaded kernels (below it the
# thread start-up costs more than it saves; measured in benchmarks/bench_kepler.py).
_PARALLEL_MIN = 4096


# ---------------------------------------------------------------------------
# argument checking
# ---------------------------------------------------------------------------


def _check_mu(mu):
    mu_arr = np.asarray(mu, dtype=np.float64)
    if mu_arr.ndim != 0:
        raise ValueError(f"mu_km3_s2 must be a scalar, got shape {mu_arr.shape}")
    mu_f = float(mu_arr)
    if not (math.isfinite(mu_f) and mu_f > 0.0):
        raise ValueError(f"mu_km3_s2 must be a finite positive GM, got {mu_f!r}")
    return mu_f


def _as_float(x):
    return np.asarray(x, dtype=np.float64)


def _vectors(x, name):
    arr = _as_float(x)
    if arr.ndim == 0 or arr.shape[-1] != 3:
        raise ValueError(f"{name} must have shape (..., 3), got {arr.shape}")
    return arr


def _broadcast(*arrays, names):
    try:
        return np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays, strict=True))
        raise ValueError(f"shapes do not broadcast: {shapes}") from None
