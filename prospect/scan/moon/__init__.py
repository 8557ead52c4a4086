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

Stages
------
:func:`rank_moon` reads as four named stages, each in a module of its own:

0. :mod:`~prospect.scan.moon.inputs` -- options checked (errors name the parameter),
   the profile resolved, the site table and yields loaded and checked;
1. :mod:`~prospect.scan.moon.budget` -- the delta-v legs of each site, the lander's
   share and whether it can reach the site (:func:`lander_legs`);
2. :mod:`~prospect.scan.moon.score` -- the score terms and their weighted mean;
3. :mod:`~prospect.scan.moon.table` -- the table, filtered, ordered, numbered and
   described in ``attrs``.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from prospect.core.constants import R_MOON_KM
from prospect.core.sphere import great_circle_km
from prospect.scan.moon.budget import (
    BUDGET_LEGS,
    MOON_MEAN_DISTANCE_KM,
    TABLE_LEO_ALT_KM,
    lander_legs,
    site_budget,
)
from prospect.scan.moon.inputs import check_options, resolve_mission, site_inputs
from prospect.scan.moon.score import (
    DEFAULT_BUFFER_KM,
    DEFAULT_WEIGHTS,
    RANKABLE_RESOURCES,
    SCORE_TERMS,
    parse_weights,
    score_sites,
)
from prospect.scan.moon.table import site_table

__all__ = [
    "BUDGET_LEGS",
    "DEFAULT_BUFFER_KM",
    "DEFAULT_WEIGHTS",
    "MOON_MEAN_DISTANCE_KM",
    "RANKABLE_RESOURCES",
    "SCORE_TERMS",
    "TABLE_LEO_ALT_KM",
    "lander_legs",
    "parse_weights",
    "rank_moon",
    "selenographic_distance_km",
]


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
    progress=None,
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
    progress : callable, optional
        ``progress(done_stages, 4)`` after each stage (inputs, budget, scores,
        table); the shipped sites take well under a second.

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
    inc, buffer_km = check_options(resource, via, missing, arrival_inc_deg, default_buffer_km)
    w = parse_weights(weights)
    p = resolve_mission(mission)
    report = progress or (lambda done, total: None)
    report(0, 4)
    sites, resources = site_inputs(sites, resources, resource)
    report(1, 4)
    lat_deg = sites["lat_deg"].to_numpy(float)
    budget = site_budget(lat_deg, p, via=via, arrival_inc_deg=inc, reserve=reserve)
    report(2, 4)
    scores = score_sites(
        sites, resource, budget, weights=w, resources=resources, default_buffer_km=buffer_km
    )
    report(3, 4)
    query = dict(
        mission=p,
        resource=resource,
        via=via,
        arrival_inc_deg=inc,
        reserve=reserve,
        weights=w,
        missing=missing,
    )
    table = site_table(sites, budget, scores, query=query, include_unreachable=include_unreachable)
    report(4, 4)
    return table
