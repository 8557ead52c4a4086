"""Catalog targets as objects: states at epochs and boinor ``Orbit`` interop.

A :class:`Target` wraps one row of the NEA table (:func:`prospect.catalog.load_neas`).
Elements are heliocentric ecliptic J2000 with epochs in TT, as the MPC and JPL
publish them.  States come from an n-body integration of those elements with
JPL's DE440 planets (:mod:`prospect.nbody`, ``ephemeris="nbody"``, the default)
or from a two-body propagation with the Gaussian GM of the Sun
(:data:`prospect.core.constants.GM_SUN_KM3_S2`) that the elements assume
(``ephemeris="two-body"``).  Units are converted once here: degrees -> rad,
au -> km, JD TT -> TDB seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import astropy.units as u
import numpy as np
import pandas as pd
from astropy.time import Time

from prospect.core import kepler
from prospect.core.constants import GM_SUN_KM3_S2
from prospect.elements import element_arrays
from prospect.epochs import check_span, tdb_seconds
from prospect.errors import ProspectError

__all__ = ["StateVectors", "Target", "element_arrays", "target", "target_state"]


@lru_cache(maxsize=1)
def _default_catalog() -> pd.DataFrame:
    from prospect.catalog import load_neas

    return load_neas()


def _catalog(catalog) -> pd.DataFrame:
    if catalog is None:
        return _default_catalog()
    if isinstance(catalog, pd.DataFrame):
        return catalog
    from prospect.catalog import load_neas

    return load_neas(catalog)


class StateVectors(tuple):
    """``(r, v)`` that also says which ephemeris made it: ``r, v = state`` still works.

    Attributes
    ----------
    r : Quantity, km
    v : Quantity, km/s
    ephemeris : str
        ``"nbody"`` or ``"two-body"``.
    """

    ephemeris: str

    def __new__(cls, r, v, ephemeris: str):
        obj = super().__new__(cls, (r, v))
        obj.ephemeris = ephemeris
        return obj

    @property
    def r(self):
        return self[0]

    @property
    def v(self):
        return self[1]


@dataclass(frozen=True)
class Target:
    """One catalog asteroid.

    Attributes
    ----------
    row : pandas.Series
        The catalog record (all columns of the NEA table).
    gm_km3_s2 : float
        GM of the Sun the elements assume (Gaussian k^2 for MPC/JPL elements).
    """

    row: pd.Series
    gm_km3_s2: float = GM_SUN_KM3_S2

    @property
    def label(self) -> str:
        """Display name, e.g. ``"433 Eros"`` or ``"2000 SG344"``."""
        return str(self.row["label"])

    @property
    def epoch(self) -> Time:
        """Osculation epoch of the elements (TT)."""
        return Time(float(self.row["epoch_jd_tt"]), format="jd", scale="tt")

    def _elements(self) -> dict[str, np.ndarray]:
        return element_arrays(self.row.to_frame().T)

    def table(self) -> pd.DataFrame:
        """The record as a one-row NEA table (``attrs["gm_km3_s2"]`` set)."""
        tab = self.row.to_frame().T
        tab.attrs["gm_km3_s2"] = self.gm_km3_s2
        return tab

    def state(self, epochs, ephemeris: str = "nbody") -> StateVectors:
        """Heliocentric ecliptic-J2000 state at ``epochs``.

        Parameters
        ----------
        epochs : Time, str or sequence, shape (M,) or scalar
        ephemeris : {"nbody", "two-body"}
            ``"nbody"``: integration of the elements with DE440 planets
            (:func:`prospect.nbody.catalog_states`, cached); ``"two-body"``:
            Kepler propagation of the elements.

        Returns
        -------
        StateVectors
            ``(r, v)``: Quantities of shape (M, 3) (or (3,) for a scalar epoch),
            km and km/s; ``.ephemeris`` names the ephemeris.

        Raises
        ------
        ProspectError
            If the elements cannot be propagated (the kernel's status message).
        """
        from prospect.nbody import NBODY_STATUS, catalog_states, check_ephemeris

        check_ephemeris(ephemeris)
        t = check_span(epochs, option="epochs", ephemeris=ephemeris)
        secs = np.atleast_1d(tdb_seconds(t))
        if ephemeris == "nbody":
            r, v, status = catalog_states(self.table(), secs)
            messages = NBODY_STATUS
        else:
            r, v, status = kepler.propagate_elements(
                self.gm_km3_s2, **self._elements(), epochs_s=secs
            )
            messages = kepler.KEPLER_STATUS
        if np.any(status):
            code = int(status[status != 0].flat[0])
            raise ProspectError(
                f"{self.label}: cannot propagate its elements ({ephemeris}): "
                f"{messages.get(code, code)}"
            )
        r, v = r[0], v[0]
        if t.isscalar:
            r, v = r[0], v[0]
        return StateVectors(r << u.km, v << (u.km / u.s), ephemeris)

    def to_orbit(self):
        """The target as a boinor :class:`~boinor.twobody.Orbit`.

        The attractor is the Sun with the Gaussian GM the elements assume, the
        plane is the J2000 ecliptic and the epoch is the elements' TT epoch.

        Raises
        ------
        ProspectError
            When boinor is not installed (it is the optional extra ``prospect[orbit]``).
        """
        try:
            import boinor  # noqa: F401
        except ImportError:
            raise ProspectError(
                "Target.to_orbit() needs boinor: pip install 'prospect[orbit]'"
            ) from None
        from boinor.bodies import Body, Sun
        from boinor.frames import Planes
        from boinor.twobody import Orbit
        from boinor.twobody.angles import E_to_nu, F_to_nu, M_to_E, M_to_F

        sun = Body(
            parent=None,
            k=self.gm_km3_s2 * u.km**3 / u.s**2,
            name="Sun (Gaussian k)",
            symbol=Sun.symbol,
            R=Sun.R,
        )
        ecc = float(self.row["e"]) * u.one
        M = (float(self.row["ma_deg"]) * u.deg).to(u.rad)
        nu = E_to_nu(M_to_E(M, ecc), ecc) if ecc < 1 else F_to_nu(M_to_F(M, ecc), ecc)
        return Orbit.from_classical(
            attractor=sun,
            a=float(self.row["a_au"]) * u.AU,
            ecc=ecc,
            inc=float(self.row["inc_deg"]) * u.deg,
            raan=float(self.row["raan_deg"]) * u.deg,
            argp=float(self.row["argp_deg"]) * u.deg,
            nu=nu,
            epoch=self.epoch,
            plane=Planes.EARTH_ECLIPTIC,
        )

    def __repr__(self) -> str:
        r = self.row
        return (
            f"Target({self.label!r}, class={r.get('orbit_class')}, a={r['a_au']:.4f} au, "
            f"e={r['e']:.4f}, i={r['inc_deg']:.3f} deg, H={r.get('h_mag')})"
        )

    def _repr_html_(self) -> str:
        from prospect._display import fmt, html_table

        r = self.row
        rows = [
            ("designation", fmt(r.get("designation"))),
            ("orbit class", fmt(r.get("orbit_class"))),
            ("a, e, i", f"{r['a_au']:.4f} au, {r['e']:.4f}, {r['inc_deg']:.3f} deg"),
            ("epoch", f"JD {r['epoch_jd_tt']:.1f} TT"),
            ("H", fmt(r.get("h_mag"), ".2f")),
            ("albedo", f"{fmt(r.get('albedo'))} ({fmt(r.get('albedo_source'))})"),
            (
                "diameter",
                f"{fmt(r.get('diameter_km'), '.3f', ' km')} ({fmt(r.get('diameter_source'))})",
            ),
            ("U", fmt(r.get("u_param"), ".0f")),
        ]
        return html_table(self.label, rows)


def target(designation: str, catalog=None) -> Target:
    """Look up a catalog target by number, name, designation or packed designation.

    Parameters
    ----------
    designation : str
        ``"433"``, ``"Eros"``, ``"433 Eros"``, ``"2000 SG344"``, ``"K00SY4G"``...
    catalog : DataFrame or path, optional
        NEA table or a catalog file; default the active shipped/updated catalog.

    Raises
    ------
    UnknownNameError
        With close matches, when nothing matches.

    Examples
    --------
    >>> target("Bennu").label
    '101955 Bennu'
    """
    from prospect.catalog import find_target

    table = _catalog(catalog)
    idx = find_target(table, designation)
    return Target(table.loc[idx], float(table.attrs.get("gm_km3_s2", GM_SUN_KM3_S2)))


def target_state(designation: str, epochs, catalog=None, ephemeris: str = "nbody") -> StateVectors:
    """Heliocentric ecliptic-J2000 position (km) and velocity (km/s) of a catalog target.

    n-body integration (default) or two-body propagation of the catalog
    elements to ``epochs`` (astropy ``Time`` or ISO strings); see :meth:`Target.state`.

    Examples
    --------
    >>> r, v = target_state("2000 SG344", "2028-05-01")
    >>> r.shape, r.unit
    ((3,), Unit("km"))
    """
    return target(designation, catalog).state(epochs, ephemeris)
