"""Kernel-ready orbital elements of an NEA table (objects layer).

The one conversion of a catalog's elements (au, degrees, TT Julian epochs) to
the kernels' units (km, rad, TDB seconds since J2000): :mod:`prospect.targets`,
:mod:`prospect.nbody` and the scans all start from it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from astropy.time import Time

from prospect.core.constants import AU_KM
from prospect.epochs import tdb_seconds

__all__ = ["element_arrays"]

_DEG = math.pi / 180.0


def element_arrays(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """Kernel-ready element arrays (km, rad, TDB s since J2000) of an NEA table.

    Parameters
    ----------
    table : DataFrame, N rows
        NEA table with the columns of :func:`prospect.catalog.load_neas`.

    Returns
    -------
    dict of ndarray, each shape (N,)
        ``a_km, ecc, inc, raan, argp, ma0, epoch0_s`` in the order
        :func:`prospect.core.kepler.propagate_elements` takes them.
    """
    epoch = Time(table["epoch_jd_tt"].to_numpy(dtype=float), format="jd", scale="tt")
    return {
        "a_km": table["a_au"].to_numpy(dtype=float) * AU_KM,
        "ecc": table["e"].to_numpy(dtype=float),
        "inc": table["inc_deg"].to_numpy(dtype=float) * _DEG,
        "raan": table["raan_deg"].to_numpy(dtype=float) * _DEG,
        "argp": table["argp_deg"].to_numpy(dtype=float) * _DEG,
        "ma0": table["ma_deg"].to_numpy(dtype=float) * _DEG,
        "epoch0_s": np.atleast_1d(tdb_seconds(epoch)),
    }
