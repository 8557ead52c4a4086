"""Two-body (Kepler) kernels: element <-> state conversion, Kepler's equation, propagation.

Canonical units (see :mod:`prospect.core`): km, s, km^3/s^2, rad; epochs are TDB
seconds since J2000.  Vectors sit on the trailing axis ``(..., 3)`` in whatever
inertial frame the caller uses (for asteroids: ecliptic J2000, the MPC's frame).

Conventions
-----------
- Hyperbolic orbits have ``a < 0`` and ``e > 1``; their mean anomaly is
  ``M = e sinh F - F`` (``F`` the hyperbolic anomaly).  Parabolic orbits
  (``e == 1``) are not handled by the element routines (NaN + status 3);
  :func:`propagate_state` handles every conic, the parabola included.
- :func:`rv2coe` on degenerate geometries: an equatorial orbit
  (``sin i < 1e-14``) gets ``raan = 0`` and ``argp`` measured from the +x axis
  (the longitude of periapsis, in the direction of motion); a circular orbit
  (``e < 1e-14``) gets ``argp = 0`` and ``nu`` is the argument of latitude
  (true longitude if also equatorial).  :func:`coe2rv` reproduces the state
  from those elements exactly as from any others.
- Kernels never raise for one bad element: the bad rows get NaN and a
  ``KEPLER_STATUS`` code (a view of :data:`prospect.core.status.STATUS`).  Wrong
  arguments (``mu_km3_s2 <= 0``, shape mismatch) raise ``ValueError``.
- Propagation results are :class:`States` ``(r, v, status)`` named tuples.

Rooms (this module re-exports them)
-----------------------------------
:mod:`~prospect.core.anomaly`
    Kepler's equation and mean <-> true anomaly.
:mod:`~prospect.core.elements`
    :func:`coe2rv`, :func:`rv2coe`.
:mod:`~prospect.core.propagate`
    :func:`propagate_elements` (element sets to many epochs).
:mod:`~prospect.core.universal`
    :func:`propagate_state` (universal variables, every conic).

References
----------
.. [1] F. L. Markley, "Kepler equation solver", Celestial Mechanics and
   Dynamical Astronomy 63, 101-111 (1995), doi:10.1007/BF00691917 -- starter
   (eqs. 5, 9, 10, 14, 15, 20) and fifth-order correction (eqs. 21-22) used by
   :func:`solve_kepler_elliptic`.
.. [2] D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed.
   (Microcosm, 2013): Algorithm 8 (KEPLER, universal variables), Algorithm 9
   (RV2COE), Algorithm 10 (COE2RV), Example 2-4.
.. [3] H. D. Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed.
   (Elsevier, 2014): Algorithms 3.3/3.4 (universal Kepler equation, Lagrange
   coefficients), Stumpff functions (eqs. 3.52-3.53), Example 3.7.
.. [4] R. H. Battin, *An Introduction to the Mathematics and Methods of
   Astrodynamics*, rev. ed. (AIAA, 1999), sec. 4.5: universal form of the
   Lagrange coefficient ``g`` without the ``dt`` cancellation.
.. [5] W. H. Press et al., *Numerical Recipes*, 3rd ed. (Cambridge, 2007),
   sec. 9.4 (``rtsafe``): Newton's method safeguarded by bisection, used for
   the universal and hyperbolic Kepler equations.
"""

from prospect.core._kepler_common import KEPLER_STATUS, Elements, States
from prospect.core.anomaly import (
    mean_to_true,
    solve_kepler_elliptic,
    solve_kepler_hyperbolic,
    true_to_mean,
)
from prospect.core.elements import coe2rv, rv2coe
from prospect.core.propagate import propagate_elements
from prospect.core.universal import propagate_state

__all__ = [
    "KEPLER_STATUS",
    "Elements",
    "States",
    "coe2rv",
    "mean_to_true",
    "propagate_elements",
    "propagate_state",
    "rv2coe",
    "solve_kepler_elliptic",
    "solve_kepler_hyperbolic",
    "true_to_mean",
]
