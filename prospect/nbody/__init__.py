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

from prospect.nbody._kernel import KERNEL_ID, NbodyUnavailableError
from prospect.nbody.approach import CLOSE_APPROACH_AU, U_POOR, earth_approaches
from prospect.nbody.integrate import NBODY_STATUS, body_states, integration_count, propagate
from prospect.nbody.states import catalog_states, earth_states

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
