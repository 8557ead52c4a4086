"""Every service a launcher sells, and its evaluation for many missions at once.

A :class:`Service` holds what does not depend on the mission (the
:class:`prospect.data.Launcher` record as loaded, the delivered orbit, the price in
$M of the cost model's output year); :func:`evaluate` sizes the spacecraft, checks
the capability and prices every service for every row (arrays ``(S, R)``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from prospect.cost.launch.sizing import size_vec
from prospect.cost.model import CostModel
from prospect.data import Launcher, Rideshare
from prospect.data.launchers import payload_at_c3
from prospect.data.orbits import LEO_PARKING, parking_orbit, perigee_burn_km_s
from prospect.errors import InputError

__all__ = ["REASONS", "TLI_C3_KM2_S2", "Service", "evaluate", "launch_services"]

#: C3 of a trans-lunar injection used for launch-vehicle lookups, km^2/s^2
#: (DOMAIN.md 2.1: Hohmann TLI to 384,400 km has C3 ~ -2.0 [calc]).
TLI_C3_KM2_S2 = -2.0

#: Reasons an option fails, by code (:func:`evaluate`'s ``reason`` array).
REASONS = {
    0: "",
    1: "beyond the published C3 table; not extrapolated",
    2: "mass does not close (tank fraction too large for this delta-v)",
    3: "no published price",
    4: "wet mass exceeds the capability",
    5: "no trajectory (NaN C3 or delta-v)",
    6: "below the published C3 table: outside the published performance",
}


@dataclass(frozen=True)
class Service:
    """One service a launcher sells, with everything that does not depend on the mission."""

    launcher: Launcher
    service: str  # "c3", "tli", "gto", "leo", "sso" or "rideshare"
    kind: str  # "dedicated" or "rideshare"
    delivered: str
    c3_d: float | None  # energy of the delivered orbit (None: direct injection to the C3)
    r_p: float | None  # its perigee radius, km
    capacity_kg: float | None  # fixed capability (None: from the C3 table, or no limit)
    cap_estimate: bool
    cap_source: str
    price_musd: float | None  # dedicated price ($M output year)
    price_low_musd: float | None
    price_high_musd: float | None
    price_estimate: bool
    price_source: str
    rideshare: Rideshare | None
    per_unit_musd: float  # $M of output year per unit of the tariff's currency
    notes: tuple[str, ...]

    @property
    def uses_c3_table(self) -> bool:
        return self.service == "c3"


def _finite(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _records(launchers) -> list[Launcher]:
    if isinstance(launchers, Mapping):
        items = list(launchers.values())
    elif isinstance(launchers, Iterable) and not isinstance(launchers, str | bytes):
        items = list(launchers)
    else:
        raise InputError(
            "must be a mapping name -> Launcher or a list of Launcher", option="launchers"
        )
    for x in items:
        if not isinstance(x, Launcher):
            raise InputError(
                f"expected prospect.data.Launcher records (prospect.data.load_launchers), "
                f"got {type(x).__name__}",
                option="launchers",
            )
    return items


def _price_fields(lv: Launcher, model: CostModel) -> dict:
    """Dedicated price of a launcher in $M of the output year, with its range and flags."""
    out = {
        "price_musd": None,
        "price_low_musd": None,
        "price_high_musd": None,
        "price_estimate": False,
        "price_source": "",
        "conversions": [],
    }
    p = lv.price
    if p is None:
        return out
    year = int(p.year if p.year is not None else model.output_dollar_year)
    out["price_musd"], out["conversions"] = model.money_musd(p.value, p.currency, year)
    if _finite(p.low) is not None:
        out["price_low_musd"] = model.money_musd(p.low, p.currency, year)[0]
    if _finite(p.high) is not None:
        out["price_high_musd"] = model.money_musd(p.high, p.currency, year)[0]
    out["price_estimate"], out["price_source"] = p.estimate, p.source
    return out


def _dedicated(lv: Launcher, base: dict) -> list[Service]:
    out = []
    if lv.c3_km2_s2.size and ("dedicated" in lv.modes or "c3" in lv.modes):
        out.append(
            Service(
                service="c3",
                kind="dedicated",
                delivered="departure hyperbola",
                c3_d=None,
                r_p=None,
                capacity_kg=None,
                cap_estimate=lv.c3_estimate,
                cap_source=lv.c3_source,
                **base,
            )
        )
    for service in ("tli", "gto", "leo", "sso"):
        kg = _finite(getattr(lv, f"{service}_kg"))
        if kg is None:
            continue
        if service == "tli":
            c3_d, r_p = TLI_C3_KM2_S2, LEO_PARKING.r_perigee_km
            desc = f"trans-lunar injection (C3 {TLI_C3_KM2_S2:g})"
        else:
            orbit = parking_orbit(service)
            c3_d, r_p = orbit.c3_km2_s2, orbit.r_perigee_km
            desc = orbit.label.replace(" LEO ", f" {service.upper()} ")
        out.append(
            Service(
                service=service,
                kind="dedicated",
                delivered=desc,
                c3_d=c3_d,
                r_p=r_p,
                capacity_kg=kg,
                cap_estimate=f"{service}_kg" in lv.estimates,
                cap_source=str(lv.sources.get(f"{service}_kg", "")),
                **base,
            )
        )
    return out


def _rideshare(lv: Launcher, model: CostModel, notes: tuple[str, ...]) -> Service:
    rs = lv.rideshare
    orbit = parking_orbit(rs.orbit)
    year = int(rs.year if rs.year is not None else model.output_dollar_year)
    unit, conv = model.money_musd(1.0, rs.currency, year)
    per_kg = _finite(rs.price_per_kg)
    cap = rs.base_mass_kg if per_kg is None else None
    extra = ("no per-kg rate published: limited to the base mass",) if cap else ()
    named = rs.orbit.upper() in ("", "GTO", "LEO")
    return Service(
        launcher=lv,
        service="rideshare",
        kind="rideshare",
        delivered=f"rideshare to {orbit.label}"
        if named
        else f"rideshare to {rs.orbit} ({orbit.label})",
        c3_d=orbit.c3_km2_s2,
        r_p=orbit.r_perigee_km,
        capacity_kg=cap,
        cap_estimate=rs.estimate,
        cap_source="; ".join(str(v) for v in rs.sources.values()),
        price_musd=None,
        price_low_musd=None,
        price_high_musd=None,
        price_estimate=rs.estimate,
        price_source="",
        rideshare=rs,
        per_unit_musd=unit,
        notes=notes + extra + tuple(conv),
    )


def launch_services(launchers, model: CostModel, include_speculative: bool) -> list[Service]:
    """Every service of every launcher (projected vehicles only on request).

    Parameters
    ----------
    launchers : mapping name -> Launcher, or iterable of Launcher
        :func:`prospect.data.load_launchers` output.
    model : CostModel
        Converts prices to $M of its output year.
    include_speculative : bool
        Keep launchers whose :attr:`~prospect.data.Launcher.speculative` is true.
    """
    out: list[Service] = []
    for lv in _records(launchers):
        if lv.speculative and not include_speculative:
            continue
        notes = ("projected vehicle: speculative price and capability",) if lv.speculative else ()
        price = _price_fields(lv, model)
        conv = tuple(price.pop("conversions"))
        base = {
            "launcher": lv,
            "rideshare": None,
            "per_unit_musd": math.nan,
            "notes": notes + conv,
            **price,
        }
        out += _dedicated(lv, base)
        if lv.rideshare is not None and any(m.startswith("rideshare") for m in lv.modes):
            out.append(_rideshare(lv, model, notes))
    return out


def _escape(sv: Service, c3, vinf, vinf_kick):
    """The spacecraft's burn from the delivered orbit to each departure C3, km/s."""
    if sv.c3_d is None:
        return np.zeros(c3.size)
    esc = perigee_burn_km_s(sv.c3_d, sv.r_p, c3)
    if vinf_kick is not None:
        esc = np.where(c3 > sv.c3_d, np.maximum(vinf - vinf_kick, 0.0), esc)
    return esc


def _capacity(sv: Service, c3) -> tuple[np.ndarray, np.ndarray]:
    """Capability per row (NaN: no limit or outside the table) and the table reason code."""
    reason = np.zeros(c3.size, dtype=np.int8)
    if sv.uses_c3_table:
        c3s = sv.launcher.c3_km2_s2
        cap = np.asarray(payload_at_c3(c3s, sv.launcher.c3_payload_kg, c3), dtype=float)
        reason = np.where(c3 > c3s[-1], 1, np.where(c3 < c3s[0], 6, reason))
        return cap, reason
    kg = math.nan if sv.capacity_kg is None else sv.capacity_kg
    return np.full(c3.size, kg), reason


def _price(sv: Service, wet_kg) -> np.ndarray:
    """Price per row, $M of the output year (NaN: none published or beyond the tariff)."""
    if sv.rideshare is not None:
        return np.asarray(sv.rideshare.price_for(wet_kg), dtype=float) * sv.per_unit_musd
    if sv.price_musd is None:
        return np.full(np.shape(wet_kg), np.nan)
    return np.full(np.shape(wet_kg), sv.price_musd)


def evaluate(services, *, dry, isp, prop0, mission_dv, c3, kick, f) -> dict:
    """Every service for every row: sizing, capability, price, feasibility.

    Returns a dict of arrays of shape ``(S, R)``: ``escape, dv, dry, prop, wet,
    capacity, price`` (floats), ``reason`` (int8 code of :data:`REASONS`, the first
    failing check in the order table, mass closure, capability, price, trajectory)
    and ``feasible``.
    """
    mission_dv = np.atleast_1d(np.asarray(mission_dv, dtype=float))
    c3 = np.atleast_1d(np.asarray(c3, dtype=float))
    shape = (len(services), c3.size)
    keys = ("escape", "dv", "dry", "prop", "wet", "capacity", "price")
    out = {k: np.full(shape, np.nan) for k in keys}
    out["reason"] = np.zeros(shape, dtype=np.int8)
    good = np.isfinite(c3) & np.isfinite(mission_dv)
    vinf_kick = math.sqrt(max(kick, 0.0)) if kick is not None else None
    vinf = np.sqrt(np.maximum(c3, 0.0))
    for i, sv in enumerate(services):  # loop over launch services (tens), not targets
        esc = _escape(sv, c3, vinf, vinf_kick)
        dv = mission_dv + esc
        d, p, w, closes = size_vec(dry, isp, dv, prop0, f)
        cap, reason = _capacity(sv, c3)
        price = _price(sv, w)
        reason = np.where((reason == 0) & ~closes, 2, reason)
        with np.errstate(invalid="ignore"):
            over = np.isfinite(cap) & (w > cap)
        reason = np.where((reason == 0) & over, 4, reason)
        reason = np.where((reason == 0) & ~np.isfinite(price), 3, reason)
        reason = np.where(good, reason, 5).astype(np.int8)
        for key, val in zip(keys, (esc, dv, d, p, w, cap, price), strict=True):
            out[key][i] = val
        out["reason"][i] = reason
    out["feasible"] = out["reason"] == 0
    return out
