"""One status-code space for every kernel of :mod:`prospect.core`.

Kernels never raise for one bad element: they return NaN there and a per-element
``int8`` code from this table (sgp4's ``SatrecArray`` error codes are the model).  A
code means the same thing in every module; each module's ``*_STATUS`` mapping
(:data:`prospect.core.kepler.KEPLER_STATUS`, :data:`prospect.core.lambert.LAMBERT_STATUS`,
:data:`prospect.core.transfer.TRANSFER_STATUS`, :data:`prospect.core.deltav.DELTAV_STATUS`)
is a read-only view of :data:`STATUS` restricted to the codes that module can return.

Examples
--------
>>> STATUS[NOT_CONVERGED]
'iteration did not converge (Kepler or Lambert solver)'
>>> sorted(view(OK, NONFINITE).items())
[(0, 'ok'), (1, 'non-finite input (NaN or inf)')]
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

import numpy as np

__all__ = [
    "BAD_A",
    "BAD_ANGLE",
    "BAD_TOF",
    "COLLINEAR",
    "INFEASIBLE",
    "NEG_ECC",
    "NEG_SPEED",
    "NONFINITE",
    "NONPOSITIVE",
    "NOT_CONVERGED",
    "NO_MREV",
    "OK",
    "OVERFLOW",
    "PARABOLIC",
    "SH_UNDEFINED",
    "STATUS",
    "UNBOUND",
    "ZERO_R",
    "Checked",
    "message",
    "view",
]

# The numba kernels read these as compile-time constants and cache their machine code
# per module (cache=True): renumbering a code needs the kernels' __pycache__/*.nbi/*.nbc
# removed (numba does not see a change in this file).  Codes are append-only.
OK = 0
NONFINITE = 1
NEG_ECC = 2
PARABOLIC = 3
BAD_A = 4
NOT_CONVERGED = 5
ZERO_R = 6
OVERFLOW = 7
BAD_TOF = 8
COLLINEAR = 9
NO_MREV = 10
NEG_SPEED = 11
NONPOSITIVE = 12
UNBOUND = 13
INFEASIBLE = 14
BAD_ANGLE = 15
SH_UNDEFINED = 16

#: Every status code of the kernels and what it means.
STATUS = MappingProxyType(
    {
        OK: "ok",
        NONFINITE: "non-finite input (NaN or inf)",
        NEG_ECC: "negative eccentricity",
        PARABOLIC: "parabolic orbit (e == 1) is not supported by the element routines",
        BAD_A: "semi-major axis sign inconsistent with eccentricity "
        "(a > 0 for e < 1, a < 0 for e > 1)",
        NOT_CONVERGED: "iteration did not converge (Kepler or Lambert solver)",
        ZERO_R: "degenerate geometry: zero position vector",
        OVERFLOW: "result not finite (hyperbolic overflow)",
        BAD_TOF: "time of flight <= 0",
        COLLINEAR: "r1 and r2 collinear (transfer angle 0 or 180 deg): transfer plane undefined",
        NO_MREV: "no solution with this number of revolutions for this tof (T < T_min(M))",
        NEG_SPEED: "negative speed, delta-v or C3 below the circular-orbit floor",
        NONPOSITIVE: "non-positive radius, mass or Isp (or altitude below the surface)",
        UNBOUND: "not a bound heliocentric orbit (a <= 0 or e outside [0, 1))",
        INFEASIBLE: "infeasible mass ratio (tankage fraction too large, or wet mass < dry mass)",
        BAD_ANGLE: "angle outside its range (latitude in [-90, 90] deg, "
        "inclination in [0, 180] deg)",
        SH_UNDEFINED: "Shoemaker-Helin terms undefined for these elements and group",
    }
)


def view(*codes: int) -> MappingProxyType:
    """Read-only mapping of `codes` to their messages in :data:`STATUS`."""
    return MappingProxyType({c: STATUS[c] for c in codes})


def message(code: int) -> str:
    """The message of a status code (``"unknown status <code>"`` if it has none).

    Examples
    --------
    >>> message(8)
    'time of flight <= 0'
    """
    return STATUS.get(int(code), f"unknown status {int(code)}")


class Checked(NamedTuple):
    """A kernel result with its per-element status (the ``*_with_status`` variants).

    Attributes
    ----------
    value : ndarray or float, shape (...)
        The result; NaN where ``status`` is not :data:`OK`.
    status : ndarray of int8 or int8, shape (...)
        Codes of :data:`STATUS`.
    """

    value: np.ndarray
    status: np.ndarray
