"""Rank Moon sites for a lander profile and a resource.

:func:`rank_moon` takes the Moon-site catalog (:func:`prospect.data.load_moon_sites`)
and a mission profile (:class:`prospect.data.MissionProfile`) and returns one row per
site with the delta-v to reach it, whether the lander can, and a weighted score.

Delta-v
-------
The delta-v *of a site* (``dv_total_km_s``) is the sum of the legs of
:func:`prospect.core.deltav.lunar_landing_budget` for the site latitude, from a
407 km LEO to the surface (Acta Astronautica 177:351, 2020, Table 4; DOMAIN.md 2.1):
LEO -> TLI, TLI -> LLO (or TLI -> NRHO -> LLO with ``via="nrho"``), the plane change
that brings the arrival LLO over the site latitude, and the descent (plus the ascent
and trans-Earth injection legs for a round-trip profile).

The plane change depends on the inclination of the arrival LLO (``arrival_inc_deg``):
an orbit of inclination i overflies |lat| <= min(i, 180 - i) for free, a site
poleward of that costs ``2 v sin(di/2)`` (DOMAIN.md 2.3).  The default, i = 90 deg (a
polar LLO, the kernel's default), reaches every site without a burn, so the cost is
the same at every latitude and the wait for the orbit plane to pass over the site
(up to ~13.7 d) is not a delta-v.  ``arrival_inc_deg=0`` models an Apollo-style
equatorial arrival, where a site costs more the higher its latitude.

Which legs the lander flies (``dv_lander_km_s``) depends on the profile's
``launch_mode`` (the rest is done by the launcher or a kick stage):

=================  ==================================================================
launch_mode        legs flown by the lander
=================  ==================================================================
``rideshare_leo``  all legs from LEO (LEO -> TLI from the table).  With a kick stage
                   (``kick_stage_c3_km2_s2``) reaching the TLI energy the lander
                   starts on TLI; a kick stage short of it leaves a perigee top-up.
``rideshare_gto``  a perigee burn GTO -> TLI, then TLI -> LLO/NRHO and the rest.
``dedicated``,     the launcher injects the lander on TLI; the lander flies TLI ->
``c3``             LLO/NRHO and the rest (a ``max_c3_km2_s2`` below the TLI energy
                   leaves a perigee top-up from that C3).
=================  ==================================================================

The departure burns that are computed here (GTO -> TLI, top-ups) are ideal
impulsive perigee burns between two conics sharing a perigee (vis-viva; Curtis,
*Orbital Mechanics for Engineering Students*, 3rd ed., 2014, section 6.2) to a TLI
ellipse with apogee at the Moon's mean distance; with ``reserve=True`` they carry
the same 5 % reserve as the tabulated legs.  GTO: perigee 250 km, apogee 35,786 km
(the assumed standard GTO of :mod:`prospect.scan._mission`).

A site is *reachable* when the lander's delta-v does not exceed its rocket-equation
capacity (:attr:`prospect.data.MissionProfile.delta_v_capacity_km_s`) and
``dv_total_km_s`` does not exceed the profile's ``max_total_dv_km_s`` limit.  A
profile without masses is judged on that limit only (no limit: every site is
reachable).  Unreachable sites are left out unless ``include_unreachable=True``.

Score
-----
Each term is in [0, 1]; the score is their weighted mean ``sum(w s) / sum(w)``
(weights :data:`DEFAULT_WEIGHTS`, overridden by ``weights=``):

``s_resource``
    ``evidence / 3 * grade_factor``.  ``evidence`` is the catalog's evidence level for
    the resource (0 none, 1 inferred from the setting, 2 orbital detection/model,
    3 in situ or samples: :data:`prospect.data.EVIDENCE_LEVELS`).  ``grade_factor``
    is the representative grade of the site's category (``typical``, else the middle
    of ``low..high``; the lowest of several rows for one category) from the Moon
    yields of ``catalogs/resources.toml``, divided by the richest category's grade;
    a category without a yield row keeps 1 (no grade information: evidence alone
    counts).  So water in pyroclastic glass (<= 300 ppm) weighs ~1/18 of water at a
    polar cold trap (>= 0.27 wt%).
``s_dv``
    delta-v margin as a fraction of the capacity, ``(capacity - dv_lander) /
    capacity``; without a capacity, ``min(dv_total) / dv_total`` over the ranked sites.
``s_power``
    ``illumination_frac`` (fraction of time in sunlight); unknown counts as 0.
``s_comms``
    Earth visibility (direct-to-Earth link): continuous 1, partial 0.5 (libration-
    dependent, no per-site percentages: DOMAIN.md 1.1 and 8), none or unknown 0.
``s_terrain``
    a coarse class read from ``slope_note``: ``hazard`` 0 (the note says steep,
    vertical, rugged, tipped, or gives a slope in degrees), ``benign`` 1 (smooth,
    flat, low slopes, mare, plain, trafficable), ``unknown`` 0.5.
``s_heritage``
    0 when the site is a heritage site or lies within the heritage buffer of another
    site, else 1.  Buffers: the catalog's ``heritage_buffer_km`` (2 km at US sites:
    NASA 2011 recommendations, DOMAIN.md 1.3), and ``default_buffer_km`` (the same
    2 km) at heritage sites without one.  A flagged site is kept: its row stands for
    the surrounding terrain (the evidence at Apollo 11 describes the mare around it),
    and a lander must set down outside the buffer.
``s_cospar``
    1 for COSPAR category IIa, 0 for IIb (polar and PSR sites, south of 79 S and
    north of 86 N: full organic inventory required; COSPAR policy May 2021).

Sites lacking the resource (no evidence level >= 1 for it) are ranked after all
sites that have it (``missing="last"``, the default) or dropped
(``missing="exclude"``).  Ties break by lower lander delta-v, then site id.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from prospect._coerce import as_deg, as_km
from prospect.core.constants import GM_EARTH_KM3_S2, R_EARTH_KM, R_MOON_KM
from prospect.core.deltav import (
    LUNAR_TABLE_RESERVE,
    burn_from_circular_c3,
    lunar_landing_budget,
)
from prospect.core.sphere import great_circle_km
from prospect.data.heritage import HERITAGE_BUFFER_KM, heritage_proximity
from prospect.errors import InputError
from prospect.scan._common import parse_term_weights

__all__ = [
    "BUDGET_LEGS",
    "DEFAULT_BUFFER_KM",
    "DEFAULT_WEIGHTS",
    "MOON_MEAN_DISTANCE_KM",
    "RANKABLE_RESOURCES",
    "SCORE_TERMS",
    "lander_legs",
    "parse_weights",
    "rank_moon",
    "selenographic_distance_km",
]

#: Resources a site ranking can be asked for (the extractable ones of
#: :data:`prospect.data.RESOURCES`; power, comms and science are scored as site
#: qualities instead).
RANKABLE_RESOURCES = ("water", "he3", "ilmenite", "kreep", "shelter", "pyroclastic")

#: Score terms, in display order.
SCORE_TERMS = ("resource", "dv", "power", "comms", "terrain", "heritage", "cospar")

#: Default weights of the score terms: a planning preference (not a measurement)
#: that lets the asked-for resource dominate and keeps the others as tie-breakers
#: of comparable size.  Override any of them with ``weights=``.
DEFAULT_WEIGHTS = {
    "resource": 4.0,
    "dv": 1.0,
    "power": 1.0,
    "comms": 1.0,
    "terrain": 0.5,
    "heritage": 1.0,
    "cospar": 0.5,
}

#: Legs of :class:`prospect.core.deltav.LunarBudget`, in flight order.
BUDGET_LEGS = (
    "leo_to_tli",
    "tli_to_orbit",
    "nrho_to_llo",
    "plane_change",
    "descent",
    "ascent",
    "llo_to_nrho",
    "tei",
)

#: Mean Earth-Moon distance (semi-major axis of the lunar orbit), km: 384,400 km,
#: NASA NSSDCA Moon Fact Sheet; the apogee of the Hohmann-type TLI of DOMAIN.md 2.1.
MOON_MEAN_DISTANCE_KM = 384_400.0

#: Altitude of the LEO of the tabulated LEO -> TLI leg, km (Acta Astronautica
#: 177:351, 2020, Table 4: "LEO (407 km)"; DOMAIN.md 2.1).
TABLE_LEO_ALT_KM = 407.0

#: Heritage buffer, km, at heritage sites whose catalog row gives none: NASA's 2011
#: recommendations ask landers to stay 2 km from US heritage sites (DOMAIN.md 1.3);
#: applied to every heritage site without its own buffer (:mod:`prospect.data.heritage`).
DEFAULT_BUFFER_KM = HERITAGE_BUFFER_KM

#: Earth-visibility classes of the catalog -> comms term (see the module docstring).
_COMMS_SCORE = {"continuous": 1.0, "partial": 0.5, "none": 0.0, "unknown": 0.0}

_TERRAIN_HAZARD = re.compile(
    r"steep|vertical|rugged|tipped|cliff|\d+(?:\.\d+)?\s*deg\b", flags=re.IGNORECASE
)
_TERRAIN_BENIGN = re.compile(
    r"smooth|flat|low slope|trafficable|\bmare\b|\bplains?\b", flags=re.IGNORECASE
)
_TERRAIN_SCORE = {"hazard": 0.0, "unknown": 0.5, "benign": 1.0}

#: Mass fraction of one unit of the yields table (definitions of wt%, ppm, ppb).
_UNIT_FRACTION = {"wt%": 1e-2, "ppm": 1e-6, "ppb": 1e-9}

_VIAS = ("llo", "nrho", "direct")
_MISSING = ("last", "exclude")


# ----------------------------------------------------------------- helpers


def selenographic_distance_km(lat1_deg, lon1_deg, lat2_deg, lon2_deg):
    """Great-circle distance on the Moon's mean sphere (haversine), km.

    Parameters
    ----------
    lat1_deg, lon1_deg, lat2_deg, lon2_deg : array_like, broadcastable
        Selenographic latitudes and east longitudes, degrees.

    Returns
    -------
    ndarray
        Distance along the surface of a sphere of radius 1737.4 km
        (:data:`prospect.core.constants.R_MOON_KM`), km.

    References
    ----------
    Sinnott, "Virtues of the haversine", *Sky and Telescope* 68:159 (1984).

    Examples
    --------
    >>> round(float(selenographic_distance_km(0.0, 0.0, 0.0, 1.0)), 3)
    30.323
    """
    return great_circle_km(lat1_deg, lon1_deg, lat2_deg, lon2_deg, R_MOON_KM)


def parse_weights(text: str | Mapping[str, float] | None) -> dict[str, float]:
    """Score weights from ``"resource=4,dv=1"`` (or a mapping) over :data:`DEFAULT_WEIGHTS`.

    Terms not named keep their default weight.

    Raises
    ------
    InputError
        For an unknown term, a value that is not a finite number >= 0, or weights
        that are all zero (``option="weights"``).

    Examples
    --------
    >>> parse_weights("power=0, dv=2")["dv"]
    2.0
    """
    out = dict(DEFAULT_WEIGHTS)
    if text is None:
        return out
    out.update(parse_term_weights(text, DEFAULT_WEIGHTS, option="weights"))
    if sum(out.values()) <= 0.0:
        raise InputError("all weights are zero: nothing to rank by", option="weights")
    return out


def _perigee_burn(c3_from, c3_to, r_km):
    """Burn at a common perigee radius between conics of energies C3/2, km/s (vis-viva)."""
    return float(burn_from_circular_c3(c3_to, r_km) - burn_from_circular_c3(c3_from, r_km))


def _tli_c3(r_perigee_km: float) -> float:
    """C3 of a TLI ellipse from perigee radius r_p to the Moon's mean distance, km^2/s^2."""
    return -2.0 * GM_EARTH_KM3_S2 / (r_perigee_km + MOON_MEAN_DISTANCE_KM)


def lander_legs(mission, *, reserve: bool = True) -> tuple[str, float, tuple[str, ...]]:
    """How the lander leaves Earth: (description, departure delta-v, budget legs it flies).

    Parameters
    ----------
    mission : MissionProfile
        A profile with ``launch_mode`` (and optionally ``kick_stage_c3_km2_s2``,
        ``max_c3_km2_s2``).
    reserve : bool
        Add the tables' 5 % reserve to computed departure burns.

    Returns
    -------
    description : str
        One line for the report.
    departure_km_s : float
        Delta-v the lander spends to reach TLI that is *not* a budget leg (GTO ->
        TLI, top-ups), km/s; 0 when it starts on TLI or flies the tabulated
        LEO -> TLI leg.
    legs : tuple of str
        The :data:`BUDGET_LEGS` the lander flies.

    Examples
    --------
    >>> from prospect.data import get_mission
    >>> text, dep, legs = lander_legs(get_mission("mx-1"))
    >>> round(dep, 3), "leo_to_tli" in legs
    (0.713, False)
    """
    star = 1.0 + LUNAR_TABLE_RESERVE if reserve else 1.0
    lunar = BUDGET_LEGS[1:]
    mode = mission.launch_mode
    r_leo = R_EARTH_KM + TABLE_LEO_ALT_KM
    c3_tli = _tli_c3(r_leo)
    if mode == "rideshare_leo":
        kick = float(getattr(mission, "kick_stage_c3_km2_s2", math.nan))
        if math.isnan(kick):
            return "released in LEO: the lander flies every leg from LEO", 0.0, BUDGET_LEGS
        if kick >= c3_tli:
            return (
                f"kick stage to C3 {kick:g} km^2/s^2 (>= TLI): the lander starts on TLI",
                0.0,
                lunar,
            )
        top = star * _perigee_burn(kick, c3_tli, r_leo)
        return (
            f"kick stage to C3 {kick:g} km^2/s^2: the lander tops up to TLI ({top:.3f} km/s)",
            top,
            lunar,
        )
    if mode == "rideshare_gto":
        # Imported here: prospect.scan._mission belongs to the NEA scans.
        from prospect.scan._mission import GTO_APOGEE_ALT_KM, GTO_PERIGEE_ALT_KM

        rp = R_EARTH_KM + GTO_PERIGEE_ALT_KM
        ra = R_EARTH_KM + GTO_APOGEE_ALT_KM
        burn = star * _perigee_burn(-2.0 * GM_EARTH_KM3_S2 / (rp + ra), _tli_c3(rp), rp)
        return (f"released in GTO: the lander burns GTO -> TLI ({burn:.3f} km/s)", burn, lunar)
    if mode in ("dedicated", "c3"):
        max_c3 = float(getattr(mission, "max_c3_km2_s2", math.inf))
        if math.isnan(max_c3) or max_c3 >= c3_tli:
            return "launcher injects on TLI: the lander flies from TLI", 0.0, lunar
        top = star * _perigee_burn(max_c3, c3_tli, r_leo)
        return (
            f"launcher limited to C3 {max_c3:g} km^2/s^2: the lander tops up to TLI "
            f"({top:.3f} km/s)",
            top,
            lunar,
        )
    raise InputError(f"mission {mission.name!r}: unknown launch_mode {mode!r}", option="mission")


def _grade_factors(resource: str, yields) -> tuple[dict[str, float], dict[str, float]]:
    """(category -> representative mass fraction, category -> factor) for `resource`."""
    grade: dict[str, float] = {}
    for y in yields:
        if y.body != "moon" or y.resource != resource:
            continue
        lo, hi = y.mass_fraction
        rep = y.typical * _UNIT_FRACTION[y.unit] if math.isfinite(y.typical) else 0.5 * (lo + hi)
        for c in y.classes:
            grade[c] = min(grade.get(c, math.inf), rep)
    best = max(grade.values(), default=0.0)
    factor = {c: (g / best if best > 0 else 1.0) for c, g in grade.items()}
    return grade, factor


def _terrain_class(note) -> str:
    text = "" if note is None or (isinstance(note, float) and math.isnan(note)) else str(note)
    if _TERRAIN_HAZARD.search(text):
        return "hazard"
    if _TERRAIN_BENIGN.search(text):
        return "benign"
    return "unknown"


def _heritage(sites: pd.DataFrame, default_buffer_km: float):
    """Flag, nearest-other-heritage distance and a note per site
    (:func:`prospect.data.heritage.heritage_proximity`, the one heritage check)."""
    n = len(sites)
    hp = heritage_proximity(
        sites["lat_deg"].to_numpy(float),
        sites["lon_deg_east"].to_numpy(float),
        sites,
        default_buffer_km,
    )
    her = sites["heritage"].fillna("none").astype(str).to_numpy()
    is_her = np.zeros(n, dtype=bool)
    is_her[hp.index] = True
    d = np.array(hp.distance_km, dtype=float)  # (n, m): every site to every heritage site
    d[hp.index, np.arange(hp.index.size)] = np.inf  # a heritage site is not its own neighbour
    inside = hp.inside & np.isfinite(d)
    nearest = d.min(axis=1, initial=np.inf)
    j_near = d.argmin(axis=1) if hp.index.size else np.zeros(n, dtype=int)
    flag = is_her | inside.any(axis=1)
    ids = sites["id"].astype(str).to_numpy()
    own = dict(zip(hp.index, hp.buffer_km, strict=True))
    notes = []
    for i in range(n):
        if is_her[i]:
            notes.append(f"heritage site ({her[i]}, {own[i]:g} km buffer)")
        elif inside[i].any():
            j = int(np.argmin(np.where(inside[i], d[i], np.inf)))
            notes.append(
                f"{d[i, j]:.2f} km from heritage site {ids[hp.index[j]]} "
                f"({hp.buffer_km[j]:g} km buffer)"
            )
        else:
            notes.append("")
    nearest = np.where(np.isfinite(nearest), nearest, np.nan)
    near_ids = ids[hp.index[j_near]] if hp.index.size else np.full(n, "")
    nearest_id = np.where(np.isfinite(nearest), near_ids, "")
    return flag, nearest, nearest_id, notes


def _resolve_mission(mission):
    if isinstance(mission, str):
        from prospect.data import get_mission

        mission = get_mission(mission)
    for attr in ("name", "target", "launch_mode", "delta_v_capacity_km_s"):
        if not hasattr(mission, attr):
            raise InputError(
                f"expected a mission profile name or prospect.data.MissionProfile, "
                f"got {type(mission).__name__}",
                option="mission",
            )
    if mission.target != "moon":
        raise InputError(
            f"profile {mission.name!r} targets {mission.target!r}, not the Moon "
            "(see `prospect missions --target moon`)",
            option="mission",
        )
    return mission


# ----------------------------------------------------------------- ranking


def rank_moon(
    mission,
    resource: str,
    *,
    sites: pd.DataFrame | None = None,
    weights: str | Mapping[str, float] | None = None,
    via: str = "llo",
    arrival_inc_deg: float = 90.0,
    reserve: bool = True,
    missing: str = "last",
    include_unreachable: bool = False,
    default_buffer_km: float = DEFAULT_BUFFER_KM,
    resources=None,
) -> pd.DataFrame:
    """Rank Moon sites for a lander profile and a resource.

    The delta-v model, the launch-mode rules and every score term are described in
    the module docstring (:mod:`prospect.scan.moon`).

    Parameters
    ----------
    mission : str or MissionProfile
        Profile name (``"mx-1"``; :func:`prospect.data.get_mission`) or a profile
        whose ``target`` is ``"moon"``.
    resource : str
        One of :data:`RANKABLE_RESOURCES`.
    sites : DataFrame, optional
        A table from :func:`prospect.data.load_moon_sites`; default the shipped one.
    weights : str or mapping, optional
        Score weights over :data:`DEFAULT_WEIGHTS` (``"resource=4,dv=1"``).
    via : {"llo", "nrho", "direct"}
        Staging orbit (:func:`prospect.core.deltav.lunar_landing_budget`).
    arrival_inc_deg : float
        Inclination of the arrival LLO to the lunar equator, degrees, [0, 180];
        90 (polar) reaches every latitude without a plane change.
    reserve : bool
        Keep the 5 % reserve of the tabulated legs (and add it to computed
        departure burns).
    missing : {"last", "exclude"}
        Sites lacking the resource go after all others, or are dropped.
    include_unreachable : bool
        Keep sites the lander cannot reach (``reachable`` False, after the others).
    default_buffer_km : float
        Heritage buffer at heritage sites whose row gives none, km (>= 0).
    resources : ResourceCatalog, optional
        Yields for the grade factor; default :func:`prospect.data.load_resources`.

    Returns
    -------
    DataFrame
        One row per ranked site, best first, with ``rank``, ``id``, ``name``,
        ``lat_deg``, ``lon_deg_east``, ``category``, ``evidence`` (Int64, 0 when the
        resource is not listed), ``has_resource``, ``grade_frac`` (NaN when the
        category has no yield row), ``dv_total_km_s`` (LEO to surface, the sum of
        the budget legs), the legs (``leo_to_tli`` ... ``tei``, km/s),
        ``dv_lander_km_s``, ``capacity_km_s``, ``margin_km_s``, ``reachable``,
        ``illumination_frac``, ``earth_visibility``, ``slope_note``,
        ``terrain_class``, ``heritage``, ``heritage_flag``, ``heritage_note``,
        ``nearest_heritage_km``, ``nearest_heritage_id``, ``cospar_category``, the
        terms ``s_resource`` ... ``s_cospar`` and ``score``.  Empty (same columns)
        when no site is reachable; ``df.attrs`` then holds ``reason``.  ``df.attrs``
        also holds ``mission``, ``resource``, ``via``, ``arrival_inc_deg``,
        ``launch``, ``departure_km_s``, ``lander_legs``, ``capacity_km_s``,
        ``weights``, ``n_sites``, ``n_reachable``, ``missing``.

    Raises
    ------
    UnknownNameError
        Unknown mission name (with close matches).
    InputError
        Unknown resource, via, weights or missing policy; a profile that does not
        target the Moon; an arrival inclination outside [0, 180].

    Examples
    --------
    >>> ranked = rank_moon("mx-1", "water")
    >>> ranked.iloc[0]["id"], ranked.iloc[0]["category"]
    ('S05', 'polar_psr')
    >>> bool((ranked["dv_lander_km_s"] <= ranked["capacity_km_s"]).all())
    True
    """
    if resource not in RANKABLE_RESOURCES:
        raise InputError(
            f"unknown resource {resource!r} (expected one of: {', '.join(RANKABLE_RESOURCES)})",
            option="resource",
        )
    if via not in _VIAS:
        raise InputError(
            f"unknown staging orbit {via!r} (expected llo, nrho or direct)", option="via"
        )
    if missing not in _MISSING:
        raise InputError(f"unknown policy {missing!r} (expected last or exclude)", option="missing")
    inc = as_deg(arrival_inc_deg, "arrival_inc_deg")
    default_buffer_km = as_km(default_buffer_km, "default_buffer_km", nonnegative=True)
    if not 0.0 <= inc <= 180.0:
        raise InputError(
            f"arrival inclination {inc:g} deg is outside [0, 180]", option="arrival_inc_deg"
        )
    if not (math.isfinite(default_buffer_km) and default_buffer_km >= 0.0):
        raise InputError("must be a finite number >= 0", option="default_buffer_km")
    w = parse_weights(weights)
    p = _resolve_mission(mission)

    from prospect import data

    if sites is None:
        sites = data.load_moon_sites()
    if resources is None:
        resources = data.load_resources()
    need = ("id", "name", "lat_deg", "lon_deg_east", "category", f"{resource}_evidence")
    need += ("illumination_frac", "earth_visibility", "slope_note", "heritage")
    need += ("heritage_buffer_km", "cospar_category")
    lacking = [c for c in need if c not in sites.columns]
    if lacking:
        raise InputError(
            f"site table lacks column(s) {', '.join(lacking)}; read it with "
            "prospect.data.load_moon_sites",
            option="sites",
        )
    sites = sites.reset_index(drop=True)

    # --- delta-v
    lat = sites["lat_deg"].to_numpy(float)
    budget = lunar_landing_budget(
        lat,
        via=via,
        arrival_inc_deg=inc,
        reserve=reserve,
        return_to_earth=bool(p.round_trip),
    )
    legs = {k: np.atleast_1d(np.asarray(getattr(budget, k), dtype=float)) for k in BUDGET_LEGS}
    total = np.atleast_1d(np.asarray(budget.total, dtype=float))
    launch, departure, flown = lander_legs(p, reserve=reserve)
    dv_lander = departure + sum(legs[k] for k in flown)
    capacity = float(p.delta_v_capacity_km_s)
    max_total = float(p.max_total_dv_km_s)
    reachable = np.isfinite(total)
    if math.isfinite(capacity):
        reachable &= dv_lander <= capacity
    if math.isfinite(max_total):
        reachable &= total <= max_total

    # --- resource
    ev_col = f"{resource}_evidence"
    evidence = sites[ev_col].fillna(0).astype("int64").to_numpy()
    has = evidence >= 1
    grade, factor = _grade_factors(resource, resources.yields.values())
    cats = sites["category"].astype(str).to_numpy()
    grade_frac = np.array([grade.get(c, np.nan) for c in cats])
    s_resource = evidence / 3.0 * np.array([factor.get(c, 1.0) for c in cats])

    # --- other terms
    if math.isfinite(capacity):
        s_dv = np.clip((capacity - dv_lander) / capacity, 0.0, 1.0)
    else:
        ok = total[reachable]
        s_dv = (ok.min() / total) if ok.size else np.zeros_like(total)
    illum = sites["illumination_frac"].to_numpy(float)
    s_power = np.where(np.isfinite(illum), illum, 0.0)
    vis = sites["earth_visibility"].fillna("unknown").astype(str)
    s_comms = vis.map(_COMMS_SCORE).fillna(0.0).to_numpy(float)
    terrain = [_terrain_class(x) for x in sites["slope_note"]]
    s_terrain = np.array([_TERRAIN_SCORE[t] for t in terrain])
    flag, nearest, nearest_id, her_note = _heritage(sites, float(default_buffer_km))
    s_heritage = np.where(flag, 0.0, 1.0)
    s_cospar = np.where(sites["cospar_category"].astype(str).to_numpy() == "IIb", 0.0, 1.0)

    terms = {
        "resource": s_resource,
        "dv": s_dv,
        "power": s_power,
        "comms": s_comms,
        "terrain": s_terrain,
        "heritage": s_heritage,
        "cospar": s_cospar,
    }
    wsum = sum(w.values())
    score = sum(w[k] * terms[k] for k in SCORE_TERMS) / wsum

    out = pd.DataFrame(
        {
            "id": sites["id"].astype(str),
            "name": sites["name"].astype(str),
            "lat_deg": lat,
            "lon_deg_east": sites["lon_deg_east"].to_numpy(float),
            "category": cats,
            "evidence": pd.array(evidence, dtype="Int64"),
            "has_resource": has,
            "grade_frac": grade_frac,
            "dv_total_km_s": total,
            **legs,
            "dv_lander_km_s": dv_lander,
            "capacity_km_s": capacity,
            "margin_km_s": capacity - dv_lander,
            "reachable": reachable,
            "illumination_frac": illum,
            "earth_visibility": vis.to_numpy(),
            "slope_note": sites["slope_note"].fillna("").astype(str).to_numpy(),
            "terrain_class": terrain,
            "heritage": sites["heritage"].fillna("none").astype(str).to_numpy(),
            "heritage_flag": flag,
            "heritage_note": her_note,
            "nearest_heritage_km": nearest,
            "nearest_heritage_id": nearest_id,
            "cospar_category": sites["cospar_category"].astype(str).to_numpy(),
            **{f"s_{k}": terms[k] for k in SCORE_TERMS},
            "score": score,
        }
    )
    n_sites = len(out)
    n_reachable = int(reachable.sum())
    if not include_unreachable:
        out = out[out["reachable"]]
    if missing == "exclude":
        out = out[out["has_resource"]]
    out = out.sort_values(
        ["reachable", "has_resource", "score", "dv_lander_km_s", "id"],
        ascending=[False, False, False, True, True],
        kind="mergesort",
    ).reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))

    out.attrs.update(
        mission=p.name,
        mission_label=getattr(p, "label", p.name),
        launch_mode=p.launch_mode,
        resource=resource,
        via=via,
        arrival_inc_deg=inc,
        reserve=reserve,
        launch=launch,
        departure_km_s=departure,
        lander_legs=list(flown),
        capacity_km_s=capacity,
        max_total_dv_km_s=max_total,
        weights=w,
        missing=missing,
        n_sites=n_sites,
        n_reachable=n_reachable,
        n_with_resource=int(has.sum()),
    )
    if n_sites == 0:
        out.attrs["reason"] = "the site table is empty"
    elif n_reachable == 0:
        need = float(np.nanmin(dv_lander))
        out.attrs["reason"] = (
            f"no site is reachable: profile {p.name!r} has {capacity:.3f} km/s of delta-v, "
            f"the cheapest site needs {need:.3f} km/s ({launch})"
            if math.isfinite(capacity)
            else f"no site is reachable within the total delta-v limit of {max_total:g} km/s"
        )
    elif len(out) == 0:
        out.attrs["reason"] = f"no reachable site offers {resource}"
    return out
