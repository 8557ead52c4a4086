"""Unit-free array kernels of prospect.

Everything in :mod:`prospect.core` works on float64 NumPy arrays in one set of
canonical units, stated once here:

=============  ===========================================
quantity       unit
=============  ===========================================
length         km
time           s (epochs: TDB seconds since J2000.0)
velocity       km/s
GM (mu)        km^3/s^2
angle          rad
mass           kg
=============  ===========================================

Names that cross a boundary in other units carry the unit (``a_au``,
``inc_deg``, ``tof_days``, ``dv_km_s``).  Vectors sit on the trailing axis,
``(..., 3)``; leading axes broadcast.  Kernels never raise for one bad element:
they return NaN and a per-element ``int8`` status code from one code space,
:data:`prospect.core.status.STATUS` (each module's ``*_STATUS`` mapping is a view
of it).  Results with more than two parts are named tuples.  Wrong arguments
(shape mismatch, ``mu_km3_s2 <= 0``) raise ``ValueError``.

Rooms: :mod:`~prospect.core.anomaly`, :mod:`~prospect.core.elements`,
:mod:`~prospect.core.propagate`, :mod:`~prospect.core.universal` (two-body;
re-exported by :mod:`~prospect.core.kepler`), :mod:`~prospect.core.lambert`,
:mod:`~prospect.core.transfer`, :mod:`~prospect.core.hyperbolic`,
:mod:`~prospect.core.screening`, :mod:`~prospect.core.lunar`,
:mod:`~prospect.core.rocket` (delta-v; re-exported by
:mod:`~prospect.core.deltav`), :mod:`~prospect.core.sphere`,
:mod:`~prospect.core.status`, :mod:`~prospect.core.constants`.

This package imports nothing but NumPy, numba and the standard library
(no astropy, pandas, I/O or logging); the import-linter contract in
``pyproject.toml`` enforces it.
"""
