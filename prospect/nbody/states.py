"""n-body states of the Earth and of a whole NEA table (the cached batch API).

:func:`catalog_states` is what the scans, the survey and the Earth-approach
table call; :func:`earth_states` gives the Earth from the same DE440 kernel.
"""

from __future__ import annotations

import numpy as np

from prospect.core.constants import GM_SUN_KM3_S2
from prospect.nbody.integrate import body_states, propagate

__all__ = ["catalog_states", "earth_states"]


def earth_states(epochs_s):
    """Heliocentric ecliptic-J2000 Earth state from DE440: r (M, 3) km, v (M, 3) km/s."""
    return body_states("earth", epochs_s)


def catalog_states(table, epochs_s, *, cache: bool = True):
    """n-body states of every row of an NEA table at common epochs.

    Parameters
    ----------
    table : DataFrame, N rows
        NEA table (:func:`prospect.catalog.load_neas`); ``attrs["gm_km3_s2"]`` is
        the GM its elements assume (default Gaussian).
    epochs_s : array_like, shape (M,)
        TDB seconds since J2000.
    cache : bool
        Use the on-disk interpolant cache (:mod:`prospect.nbody.cache`); False
        integrates directly to the epochs.

    Returns
    -------
    r : ndarray, (N, M, 3), km
    v : ndarray, (N, M, 3), km/s
    status : ndarray of int8, (N, M)
        :data:`prospect.nbody.NBODY_STATUS` codes; NaN states where non-zero.

    Examples
    --------
    >>> from prospect.catalog import load_neas, find_target
    >>> t = load_neas()
    >>> r, v, st = catalog_states(t.loc[[find_target(t, "Bennu")]], [757339269.184])
    >>> r.shape, int(st[0, 0])
    ((1, 1, 3), 0)
    """
    from prospect.elements import element_arrays

    elements = element_arrays(table)
    gm = float(table.attrs.get("gm_km3_s2", GM_SUN_KM3_S2))
    if not cache:
        return propagate(elements, epochs_s, gm)
    from prospect.nbody.cache import cached_states

    labels = table["designation"].astype(str).to_numpy() if len(table) else np.array([])
    return cached_states(labels, elements, epochs_s, gm)
