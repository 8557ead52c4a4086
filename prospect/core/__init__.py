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
they return NaN and a per-element status code (see each module's
``*_STATUS`` dictionary).  Wrong arguments (shape mismatch, mu <= 0) raise
``ValueError``.

This package imports nothing but NumPy, numba and the standard library
(no astropy, pandas, I/O or logging); ``tests/test_layers.py`` enforces it.
"""
