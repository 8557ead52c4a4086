"""Shared helpers of the element-wise delta-v kernels: broadcasting, argument
checks and the per-element status (codes of :mod:`prospect.core.status`).
"""

from __future__ import annotations

import math

import numpy as np

from prospect.core import status as st
from prospect.core.status import Checked

#: Codes the delta-v kernels return (a view of :data:`prospect.core.status.STATUS`).
DELTAV_STATUS = st.view(
    st.OK,
    st.NONFINITE,
    st.NEG_SPEED,
    st.NONPOSITIVE,
    st.UNBOUND,
    st.INFEASIBLE,
    st.BAD_ANGLE,
    st.SH_UNDEFINED,
)

_OK = st.OK
_NONFINITE = st.NONFINITE
_NEG_SPEED = st.NEG_SPEED
_NONPOS = st.NONPOSITIVE
_UNBOUND = st.UNBOUND
_INFEASIBLE = st.INFEASIBLE
_ANGLE = st.BAD_ANGLE
_SH_UNDEF = st.SH_UNDEFINED


def _arrays(*args):
    """Broadcast array-likes to float64 arrays (ValueError if shapes do not broadcast)."""
    arrs = [np.asarray(a, dtype=np.float64) for a in args]
    try:
        return np.broadcast_arrays(*arrs)
    except ValueError as exc:
        shapes = ", ".join(str(a.shape) for a in arrs)
        raise ValueError(f"input shapes do not broadcast: {shapes}") from exc


def _positive_scalar(value, name):
    """A finite positive scalar argument (mu, a body radius), else ValueError."""
    v = float(value)
    if not math.isfinite(v) or v <= 0.0:
        raise ValueError(f"{name} must be a finite positive number, got {value!r}")
    return v


def _new_status(shape, *arrays):
    status = np.zeros(shape, dtype=np.int8)
    for a in arrays:
        _flag(status, ~np.isfinite(a), _NONFINITE)
    return status


def _flag(status, mask, code):
    """Set ``code`` where ``mask`` holds and no earlier problem was flagged."""
    status[(status == _OK) & mask] = code


def _finish(value, status) -> Checked:
    """NaN where the status is not OK (a finite input that overflows is flagged too)."""
    value = np.where(status == _OK, value, np.nan)
    _flag(status, ~np.isfinite(value), _INFEASIBLE)
    value = np.where(status == _OK, value, np.nan)
    return Checked(value[()], status[()])
