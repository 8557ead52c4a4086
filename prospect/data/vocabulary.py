"""Closed vocabularies and file names of the human-editable catalogs.

Each tuple or mapping is the set of values a catalog field may take; the loaders
reject anything else with a :class:`prospect.errors.CatalogFormatError`.
"""

from __future__ import annotations

import re
from os import PathLike
from types import MappingProxyType

PathArg = str | PathLike

MOON_SITES_FILE = "moon_sites.csv"
MISSIONS_FILE = "missions.toml"
LAUNCHERS_FILE = "launchers.toml"
CONSORTIA_FILE = "consortia.toml"
RESOURCES_FILE = "resources.toml"

# ----------------------------------------------------------------- vocabularies

#: Resource (or value) a Moon site offers; the ``resources`` column of moon_sites.csv.
RESOURCES = MappingProxyType(
    {
        "water": "water ice or hydrated minerals",
        "he3": "solar-wind helium-3 in mature high-Ti regolith",
        "ilmenite": "ilmenite / TiO2 (oxygen, titanium feedstock)",
        "kreep": "KREEP: K, rare-earth elements, P, Th",
        "shelter": "pit or lava tube (radiation and thermal shelter)",
        "pyroclastic": "pyroclastic glass (oxygen, iron, volatiles)",
        "power": "near-continuous sunlight (solar power)",
        "comms": "Earth in view (direct-to-Earth communication)",
        "science": "scientific or heritage value",
    }
)

#: Evidence levels of the ``resource_evidence`` column of moon_sites.csv.
EVIDENCE_LEVELS = MappingProxyType(
    {
        0: "not assessed or no data (e.g. failed lander)",
        1: "inferred from the setting (cold trap, geology), not detected at the site",
        2: "detected or modelled from orbit at the site (neutrons, GRS, spectra, DEM model)",
        3: "measured in situ or in returned samples",
    }
)

SITE_CATEGORIES = MappingProxyType(
    {
        "polar_psr": "permanently shadowed region / polar cold trap",
        "polar_illuminated": "polar peak or ridge with near-continuous light",
        "polar_landing_region": "candidate polar landing region (e.g. Artemis III)",
        "mare_ti": "high-titanium mare (ilmenite, He-3)",
        "pyroclastic": "pyroclastic (dark mantle) deposit",
        "pit": "pit / lava-tube skylight",
        "kreep": "KREEP / thorium-rich terrain",
        "landing_site": "past landing site",
        "landing_target": "target of a failed or planned landing",
        "science": "science target",
    }
)

EARTH_VISIBILITY = ("continuous", "partial", "none", "unknown")
HERITAGE = ("none", "us", "ussr", "china", "india", "japan", "commercial")
SITE_CONFIDENCE = ("V", "G", "A")
VALUE_CONFIDENCE = ("V", "A", "calc")

#: COSPAR planetary-protection category IIb applies to the lunar polar regions:
#: south of 79 S and north of 86 N (COSPAR policy update, May 2021; DOMAIN 7.2).
COSPAR_IIB_SOUTH_DEG = -79.0
COSPAR_IIB_NORTH_DEG = 86.0

#: How a mission reaches its departure state; the launch cost model keys on it.
LAUNCH_MODES = MappingProxyType(
    {
        "rideshare_leo": "rideshare to LEO/SSO; the spacecraft (or a kick stage) departs",
        "rideshare_gto": "secondary payload to GTO; the spacecraft departs from GTO",
        "dedicated": "dedicated launch to the transfer orbit",
        "c3": "dedicated launch to an escape C3 taken from the launcher's C3 table",
    }
)

TARGET_KINDS = MappingProxyType(
    {
        "nea": "near-Earth asteroid",
        "moon": "lunar surface site",
        "leo": "Earth-orbit technology demonstration (not scanned)",
    }
)

#: Development classes for the timeline/cost model (free of numbers on purpose: the
#: cost module owns the durations).
DEVELOPMENT_CLASSES = MappingProxyType(
    {
        "cubesat_demo": "CubeSat-class technology demonstrator",
        "microsat_deep_space": "micro/small spacecraft for deep space (<~200 kg)",
        "small_lander": "small lunar lander (<~2 t launch mass)",
        "large_lander": "large lunar cargo lander (multi-tonne)",
        "human_reference": "human-class reference profile (limits only)",
        "unspecified": "not given",
    }
)

MEMBER_KINDS = ("state", "agency", "company", "institution", "ngo", "bank", "investor")
CONTRIBUTION_KINDS = (
    "cash",
    "equity",
    "grant",
    "launch",
    "spacecraft",
    "instrument",
    "ground_station",
    "in_kind",
    "data",
    "crew",
)
CURRENCIES = ("USD", "EUR", "JPY", "CAD", "INR", "CNY", "GBP")
ERAS = ("2016-2018", "current", "illustrative")
INTERESTS = ("moon", "asteroids")
YIELD_RESOURCES = (*RESOURCES, "metal", "pgm", "nickel")
YIELD_UNITS = ("wt%", "ppm", "ppb")
PRICE_LOCATIONS = ("earth", "leo", "cislunar", "lunar_surface")

#: Years a date, a mission or a money amount may carry: the space age (Sputnik 1,
#: 1957; NASA's New Start Inflation Index begins at FY1959) to 2200, the last epoch
#: of the NEA catalog's range checks (prospect/catalog/ranges.py).
YEAR_RANGE = (1957, 2200)

_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _is_date(text: str) -> bool:
    """Whether ``text`` is a real calendar date written YYYY, YYYY-MM or YYYY-MM-DD
    (Gregorian: "2016-13" and "2028-02-30" are not), its year in :data:`YEAR_RANGE`.

    Examples
    --------
    >>> [_is_date(t) for t in ("2016", "2016-12", "2024-02-29", "2016-13", "2023-02-29", "16")]
    [True, True, True, False, False, False]
    >>> _is_date("1066"), _is_date("9999-01-01")
    (False, False)
    """
    import datetime

    if not _DATE_RE.match(text):
        return False
    parts = [int(x) for x in text.split("-")] + [1, 1]
    try:
        datetime.date(parts[0] or 1, parts[1], parts[2])
    except ValueError:
        return False
    return YEAR_RANGE[0] <= parts[0] <= YEAR_RANGE[1]


_COUNTRY_RE = re.compile(r"^([A-Z]{2}|INT|--)$")
