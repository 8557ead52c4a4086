"""n-body target ephemeris: ASSIST (on REBOUND) with JPL's DE440 planets.

Catalog targets are massless test particles started from their osculating
elements and integrated in the field of the Sun, Moon and planets of DE440
(Park et al. 2021, AJ 161:105) with ASSIST (Holman et al. 2023, PSJ 4:69),
including GR and the Earth's and Sun's oblateness.  Earth and planet states come
from the same kernel (:func:`body_states`), so a scan's both ends share one
ephemeris.  States are heliocentric ecliptic J2000, km and km/s, at TDB seconds
since J2000 (the contracts of :mod:`prospect.core`).

Public functions
----------------
catalog_states(table, epochs_s)
    States of every row of an NEA table, through the on-disk cache.
propagate(elements, epochs_s)
    Direct integration (no cache, no interpolation).
body_states(body, epochs_s), earth_states(epochs_s)
    DE440 Earth, Moon or planet.
earth_approaches(table, end)
    Closest Earth approach of each target (date, distance; flagged < 0.05 au) and
    the poor-orbit flag (U >= 7).
"""

from __future__ import annotations

import numpy as np

from prospect.core.constants import GM_SUN_KM3_S2
from prospect.nbody._kernel import KERNEL_ID, NbodyUnavailableError
from prospect.nbody.approach import CLOSE_APPROACH_AU, U_POOR, earth_approaches
from prospect.nbody.integrate import NBODY_STATUS, body_states, integration_count, propagate

__all__ = [
    "CLOSE_APPROACH_AU",
    "EPHEMERIDES",
    "KERNEL_ID",
    "NBODY_STATUS",
    "U_POOR",
    "NbodyUnavailableError",
    "body_states",
    "catalog_states",
    "check_ephemeris",
    "earth_approaches",
    "earth_states",
    "integration_count",
    "propagate",
]

#: The two target ephemerides, named the same everywhere (``ephemeris=``, ``--ephemeris``).
EPHEMERIDES = ("nbody", "two-body")


def check_ephemeris(ephemeris: str) -> str:
    """Validate an ``ephemeris`` argument (``"nbody"`` or ``"two-body"``)."""
    from prospect.errors import InputError

    if ephemeris not in EPHEMERIDES:
        raise InputError(
            f"ephemeris must be 'nbody' or 'two-body', got {ephemeris!r}", option="ephemeris"
        )
    return ephemeris


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
        :data:`NBODY_STATUS` codes; NaN states where non-zero.

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
