"""Human-editable catalogs other than NEAs: Moon sites, mission profiles, launchers,
consortia (with the legal frameworks of their states) and resource yields/prices.

The shipped files live in ``catalogs/`` (found with
:func:`prospect._resources.catalog_path`) and are meant to be read and edited by
people: every number carries its source, a confidence flag and, where it is not a
published figure, an ``estimate`` (or ``assumption``) flag.

=====================  ==========================  ===================================
file                   loader                      returns
=====================  ==========================  ===================================
``moon_sites.csv``     :func:`load_moon_sites`     :class:`pandas.DataFrame`
``missions.toml``      :func:`load_missions`       ``{name: MissionProfile}``
``launchers.toml``     :func:`load_launchers`      ``{name: Launcher}``
``consortia.toml``     :func:`load_consortia`,     ``{name: Consortium}``,
                       :func:`load_legal_frameworks`  ``{ISO code: LegalFramework}``
``resources.toml``     :func:`load_resources`      :class:`ResourceCatalog`
=====================  ==========================  ===================================

Every loader takes ``path=None`` (the shipped file) or the path of a file with the same
layout that *replaces* it.  :func:`load_missions` also takes ``extra=``: one path or a
list of paths whose profiles are *added* to the base file, a profile with the name of
an existing one replacing it whole (names compare case-insensitively; later files
win).  Lookups by name (:func:`get_mission`, :func:`get_launcher`,
:func:`get_consortium`, :func:`get_site`) raise
:class:`prospect.errors.UnknownNameError` with close matches.

Validation happens on load.  A file that breaks a rule (missing required field, wrong
type, negative or zero mass or Isp, dry mass above wet mass, latitude outside
[-90, 90] or longitude outside [-180, 180], duplicate id or name, unknown launch mode,
target, category or resource, shares that do not add up to 1, ...) raises
:class:`prospect.errors.CatalogFormatError` naming the file, the record (CSV line
number or TOML table) and the field.

Units are in the field names (``dry_mass_kg``, ``isp_s``, ``max_c3_km2_s2``).

Rooms: :mod:`~prospect.data.sites`, :mod:`~prospect.data.missions`,
:mod:`~prospect.data.launchers`, :mod:`~prospect.data.consortia`,
:mod:`~prospect.data.resources` (one catalog file each),
:mod:`~prospect.data.orbits` (the Earth parking orbits scans and cost share),
:mod:`~prospect.data.heritage` (the heritage check of lunar sites),
:mod:`~prospect.data.vocabulary` (closed value sets and file names) and
``prospect.data._toml`` (parsing helpers and one-line errors).  Everything public is
re-exported here, so ``from prospect.data import X`` is the import to use.
"""

from prospect.data.consortia import (
    Consortium,
    Contribution,
    LegalFramework,
    LegalInstrument,
    Member,
    Money,
    get_consortium,
    load_consortia,
    load_legal_frameworks,
)
from prospect.data.heritage import (
    HERITAGE_BUFFER_KM,
    HeritageProximity,
    heritage_proximity,
)
from prospect.data.launchers import (
    Launcher,
    Price,
    Rideshare,
    get_launcher,
    load_launchers,
)
from prospect.data.missions import (
    MissionProfile,
    get_mission,
    load_missions,
)
from prospect.data.orbits import GTO, LEO_PARKING, ParkingOrbit, parking_orbit
from prospect.data.resources import (
    ResourceCatalog,
    ResourcePrice,
    ResourceYield,
    load_resources,
)
from prospect.data.sites import (
    cospar_category,
    get_site,
    load_moon_sites,
    select_sites,
)
from prospect.data.vocabulary import (
    CONSORTIA_FILE,
    CONTRIBUTION_KINDS,
    COSPAR_IIB_NORTH_DEG,
    COSPAR_IIB_SOUTH_DEG,
    CURRENCIES,
    DEVELOPMENT_CLASSES,
    EARTH_VISIBILITY,
    ERAS,
    EVIDENCE_LEVELS,
    HERITAGE,
    INTERESTS,
    LAUNCH_MODES,
    LAUNCHERS_FILE,
    MEMBER_KINDS,
    MISSIONS_FILE,
    MOON_SITES_FILE,
    PRICE_LOCATIONS,
    RESOURCES,
    RESOURCES_FILE,
    SITE_CATEGORIES,
    SITE_CONFIDENCE,
    TARGET_KINDS,
    VALUE_CONFIDENCE,
    YIELD_RESOURCES,
    YIELD_UNITS,
    PathArg,
)

__all__ = [
    "CONSORTIA_FILE",
    "CONTRIBUTION_KINDS",
    "COSPAR_IIB_NORTH_DEG",
    "COSPAR_IIB_SOUTH_DEG",
    "CURRENCIES",
    "DEVELOPMENT_CLASSES",
    "EARTH_VISIBILITY",
    "ERAS",
    "EVIDENCE_LEVELS",
    "GTO",
    "HERITAGE",
    "HERITAGE_BUFFER_KM",
    "INTERESTS",
    "LAUNCHERS_FILE",
    "LAUNCH_MODES",
    "LEO_PARKING",
    "MEMBER_KINDS",
    "MISSIONS_FILE",
    "MOON_SITES_FILE",
    "PRICE_LOCATIONS",
    "RESOURCES",
    "RESOURCES_FILE",
    "SITE_CATEGORIES",
    "SITE_CONFIDENCE",
    "TARGET_KINDS",
    "VALUE_CONFIDENCE",
    "YIELD_RESOURCES",
    "YIELD_UNITS",
    "Consortium",
    "Contribution",
    "HeritageProximity",
    "Launcher",
    "LegalFramework",
    "LegalInstrument",
    "Member",
    "MissionProfile",
    "Money",
    "ParkingOrbit",
    "PathArg",
    "Price",
    "ResourceCatalog",
    "ResourcePrice",
    "ResourceYield",
    "Rideshare",
    "cospar_category",
    "get_consortium",
    "get_launcher",
    "get_mission",
    "get_site",
    "heritage_proximity",
    "load_consortia",
    "load_launchers",
    "load_legal_frameworks",
    "load_missions",
    "load_moon_sites",
    "load_resources",
    "parking_orbit",
    "select_sites",
]
