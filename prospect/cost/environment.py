"""Planetary protection, heritage buffers and the mass a mission leaves behind.

* COSPAR planetary-protection category (COSPAR policy, May 2021 update;
  DOMAIN.md 7.2 item 4): the Moon is Category IIa, except the permanently
  shadowed and polar regions south of 79 S / north of 86 N, which are IIb
  (full organic inventory) -- :func:`prospect.data.cospar_category`.
  Undifferentiated, metamorphosed asteroids (ordinary-chondrite-like S/Q
  types) are Category I; other asteroids (C-complex, M, V, D, P, unknown)
  Category II.  Earth return from the Moon and C-type NEAs is Category V
  "unrestricted" (Hayabusa2 precedent); other classes are flagged.
* Heritage: NASA's 2011 recommendations keep landers 2 km away from US
  heritage sites (Apollo, Surveyor); the great-circle distance from the site
  to every heritage site of ``catalogs/moon_sites.csv`` is checked against the
  site's buffer (the 2 km NASA buffer for US sites; non-US historic sites have
  no agreed buffer and are reported when within the same 2 km).
* Mass left at the target: the dry mass landed (Moon) or left at the
  asteroid (one-way missions); descent exhaust released at a IIb site.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import pandas as pd

from prospect.cost.model import CostModel, load_cost_model
from prospect.data.heritage import HERITAGE_BUFFER_KM, HERITAGE_BUFFER_SOURCE, heritage_proximity

__all__ = [
    "Environment",
    "asteroid_cospar_category",
    "heritage_check",
    "moon_cospar_category",
]

#: Undifferentiated, thermally metamorphosed asteroid classes (ordinary
#: chondrite analogues: S-complex and Q; Itokawa LL-like, DOMAIN.md 3.2/3.3).
CAT_I_CLASSES = ("S", "Sa", "Sq", "Sr", "Sv", "Q", "K", "L")

#: Classes whose unrestricted Earth return has a COSPAR precedent: the Moon
#: and C-type NEAs (Hayabusa2), DOMAIN.md 7.2 item 4.
UNRESTRICTED_RETURN_CLASSES = ("B", "C", "Cb", "Cg", "Cgh", "Ch")


def moon_cospar_category(lat_deg: float) -> str:
    """COSPAR category of a lunar site (IIa / IIb), :func:`prospect.data.cospar_category`."""
    from prospect.data import cospar_category

    return str(cospar_category(lat_deg))


def asteroid_cospar_category(target_class: str | None) -> tuple[str, str]:
    """COSPAR outbound category of an asteroid and the reason.

    Examples
    --------
    >>> asteroid_cospar_category("S")[0], asteroid_cospar_category("C")[0]
    ('I', 'II')
    """
    if target_class is None:
        return "II", "class unknown: Category II assumed (documentation only)"
    if target_class in CAT_I_CLASSES:
        return (
            "I",
            f"class {target_class}: undifferentiated, metamorphosed (ordinary-chondrite-like)",
        )
    return "II", f"class {target_class}: not an undifferentiated metamorphosed body"


def heritage_check(lat_deg: float, lon_deg: float, sites: pd.DataFrame, buffer_km: float):
    """Distance from a site to every heritage site, and whether it is inside a buffer.

    Parameters
    ----------
    lat_deg, lon_deg : float
        The planned site, degrees (east longitude).
    sites : DataFrame
        :func:`prospect.data.load_moon_sites` table (``heritage`` column:
        ``none`` for no heritage; ``heritage_buffer_km`` the site's buffer).
    buffer_km : float
        Buffer applied where a heritage site gives none (advisory).

    Returns
    -------
    DataFrame
        ``id, name, heritage, buffer_km, buffer_agreed, distance_km, inside``,
        nearest first.
    """
    hp = heritage_proximity(lat_deg, lon_deg, sites, buffer_km)
    rows = sites.iloc[hp.index]
    out = pd.DataFrame(
        {
            "id": rows["id"].to_numpy(),
            "name": rows["name"].to_numpy(),
            "heritage": rows["heritage"].to_numpy(),
            "buffer_km": hp.buffer_km,
            "buffer_agreed": hp.agreed,
            "distance_km": hp.distance_km[0],
            "inside": hp.inside[0],
        }
    )
    return out.sort_values("distance_km", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Environment:
    """Environmental and heritage flags of a plan.

    Attributes
    ----------
    cospar_category : str
        Outbound category (I, II, IIa, IIb).
    earth_return : str or None
        Category V treatment when samples come back to Earth.
    mass_left_kg : float
        Dry mass landed or left at the target.
    exhaust_kg : float or None
        Descent propellant released at a lunar site (volatile contamination).
    heritage : list of dict
        Nearest heritage sites (up to 5) with distances.
    flags : list of str
    sources : list of str
    """

    cospar_category: str
    earth_return: str | None
    mass_left_kg: float
    exhaust_kg: float | None
    heritage: list[dict] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def assess(
    body: str,
    *,
    lat_deg: float | None = None,
    lon_deg: float | None = None,
    target_class: str | None = None,
    sample_return: bool = False,
    dry_mass_kg: float = math.nan,
    exhaust_kg: float | None = None,
    sites: pd.DataFrame | None = None,
    model: CostModel | None = None,
) -> Environment:
    """Planetary-protection category, heritage distances and mass left behind.

    Parameters
    ----------
    body : {"moon", "nea"}
    lat_deg, lon_deg : float, optional
        Lunar site coordinates (required for the Moon).
    target_class : str, optional
        Asteroid taxonomic class.
    sample_return : bool
        Whether material comes back to Earth (Category V).
    dry_mass_kg : float
        Dry mass landed or left (0 for a round trip that brings it home).
    exhaust_kg : float, optional
        Descent propellant burnt at the site.
    sites : DataFrame, optional
        Moon sites (default :func:`prospect.data.load_moon_sites`).  A planned
        site that *is* a heritage site is at distance 0 from itself and flagged.
    """
    model = model or load_cost_model()
    env = model.tables.get("environment", {})
    if body == "moon":
        cat, earth_return, heritage, flags, sources = _moon(
            lat_deg, lon_deg, exhaust_kg, sample_return, sites, env
        )
    else:
        cat, earth_return, flags, sources = _asteroid(target_class, sample_return, env)
        heritage = []
    if math.isfinite(dry_mass_kg) and dry_mass_kg > 0:
        where = "landed on the Moon" if body == "moon" else "left at the asteroid"
        flags.append(f"{dry_mass_kg:.0f} kg of hardware {where} at end of mission")
    return Environment(
        cospar_category=cat,
        earth_return=earth_return,
        mass_left_kg=float(dry_mass_kg) if math.isfinite(dry_mass_kg) else 0.0,
        exhaust_kg=exhaust_kg,
        heritage=heritage,
        flags=flags,
        sources=[s for s in sources if s],
    )


def _moon(lat_deg, lon_deg, exhaust_kg, sample_return, sites, env):
    """COSPAR category, Earth return, heritage table, flags and sources of a lunar site."""
    flags: list[str] = []
    cat = moon_cospar_category(lat_deg)
    sources = [str(env.get("cospar_moon_source", ""))]
    if cat == "IIb":
        flags.append(
            f"COSPAR Category IIb (PSR / polar site at {lat_deg:.2f} deg): a full organic "
            "inventory (propulsion, life support, organics > 1 kg) is required"
        )
        if exhaust_kg:
            flags.append(
                f"~{exhaust_kg:.0f} kg of descent propellant products released at a IIb "
                "site: track the volatile contamination of nearby cold traps"
            )
    else:
        flags.append("COSPAR Category IIa: inventory of propulsion organics only")
    heritage, hflags = _heritage(lat_deg, lon_deg, sites)
    flags += hflags
    sources.append(HERITAGE_BUFFER_SOURCE)
    earth_return = None
    if sample_return:
        earth_return = "V (unrestricted Earth return)"
        sources.append(str(env.get("cospar_return_source", "")))
    return cat, earth_return, heritage, flags, sources


def _heritage(lat_deg, lon_deg, sites) -> tuple[list[dict], list[str]]:
    """The five nearest heritage sites and the buffer flags (NASA 2011 recommendations)."""
    if sites is None:
        from prospect.data import load_moon_sites

        sites = load_moon_sites()
    table = heritage_check(lat_deg, lon_deg, sites, HERITAGE_BUFFER_KM)
    heritage = [
        {
            "id": row.id,
            "name": row.name,
            "heritage": row.heritage,
            "distance_km": float(row.distance_km),
            "buffer_km": float(row.buffer_km),
            "buffer_agreed": bool(row.buffer_agreed),
            "inside": bool(row.inside),
        }
        for row in table.head(5).itertuples(index=False)
    ]
    flags = []
    for row in table[table["inside"]].itertuples(index=False):
        if row.buffer_agreed:
            flags.append(
                f"inside the {row.buffer_km:g} km heritage buffer of {row.name} "
                f"({row.heritage} heritage, {row.distance_km:.2f} km away): move the site "
                "(NASA 2011 recommendations)"
            )
        else:
            flags.append(
                f"within {row.buffer_km:g} km of {row.name} ({row.heritage} historic site, "
                f"{row.distance_km:.2f} km): no agreed buffer, advisory"
            )
    if not table.empty and not table["inside"].any():
        near = table.iloc[0]
        flags.append(
            f"nearest heritage site {near['name']} at {near['distance_km']:.1f} km "
            "(outside every buffer)"
        )
    return heritage, flags


def _asteroid(target_class, sample_return, env):
    """COSPAR category, Earth return, flags and sources of an asteroid."""
    cat, why = asteroid_cospar_category(target_class)
    flags = [f"COSPAR Category {cat}: {why}"]
    sources = [str(env.get("cospar_asteroid_source", ""))]
    earth_return = None
    if sample_return:
        sources.append(str(env.get("cospar_return_source", "")))
        if target_class in UNRESTRICTED_RETURN_CLASSES:
            earth_return = "V (unrestricted Earth return; Hayabusa2 precedent)"
        else:
            earth_return = "V (unrestricted assumed; to be decided case by case) [A]"
            flags.append(
                f"sample return from class {target_class or 'unknown'}: COSPAR Category V "
                "treatment is decided case by case [A]"
            )
    return cat, earth_return, flags, sources
