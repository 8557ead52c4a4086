"""Stage 0 of :func:`prospect.scan.moon.rank_moon`: the checked inputs.

Options checked and converted once (errors name the Python parameter), the mission
profile resolved, and the site table and yields loaded and checked for the columns
the later stages read.
"""

from __future__ import annotations

import math

from prospect._coerce import as_deg, as_km
from prospect.errors import InputError
from prospect.scan.moon.score import RANKABLE_RESOURCES

__all__ = ["check_options", "resolve_mission", "site_inputs"]

_VIAS = ("llo", "nrho", "direct")
_MISSING = ("last", "exclude")


def check_options(resource, via, missing, arrival_inc_deg, default_buffer_km):
    """(arrival inclination, deg; default heritage buffer, km) after checking every option.

    Raises
    ------
    InputError
        Unknown resource, via or missing policy; an inclination outside [0, 180]; a
        buffer that is not a finite number >= 0.

    Examples
    --------
    >>> import astropy.units as u
    >>> check_options("water", "llo", "last", 90, 2000 * u.m)
    (90.0, 2.0)
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
    buffer_km = as_km(default_buffer_km, "default_buffer_km", nonnegative=True)
    if not 0.0 <= inc <= 180.0:
        raise InputError(
            f"arrival inclination {inc:g} deg is outside [0, 180]", option="arrival_inc_deg"
        )
    if not (math.isfinite(buffer_km) and buffer_km >= 0.0):
        raise InputError("must be a finite number >= 0", option="default_buffer_km")
    return inc, buffer_km


def resolve_mission(mission):
    """The Moon profile named or given (:func:`prospect.data.get_mission` for a name)."""
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
            "(the Moon landers: load_missions() profiles with target 'moon')",
            option="mission",
        )
    return mission


def site_inputs(sites, resources, resource: str):
    """(site table indexed 0..n-1, yields): the shipped ones where None, checked.

    Raises
    ------
    InputError
        A site table without a column the ranking reads (``option="sites"``).
    """
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
    return sites, resources
