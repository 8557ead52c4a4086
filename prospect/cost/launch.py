"""Launch choice: the cheapest launch that delivers the spacecraft, loop closed.

For every launcher of ``catalogs/launchers.toml`` (:func:`prospect.data.load_launchers`)
and every service it sells, the spacecraft is sized for the whole delta-v it
must fly itself and the launcher's capability is checked against that wet
mass:

``"c3"``
    direct injection to the departure C3 by a dedicated vehicle; capability
    interpolated linearly in its published payload-vs-C3 table.  A C3 above
    the table is refused (no extrapolation; the option says so); a C3 below
    the table's first entry uses that entry, a conservative bound since the
    payload falls with C3 (flagged).
``"tli"``, ``"gto"``, ``"leo"``, ``"sso"``
    a dedicated vehicle to a trans-lunar (C3 = -2 km^2/s^2, DOMAIN.md 2.1),
    geostationary transfer or circular low orbit; the spacecraft burns the
    rest at perigee.
``"rideshare"``
    a shared ride to LEO/SSO or GTO priced ``base + (m - base_mass) * per_kg``;
    the spacecraft burns from there.

The spacecraft's own escape burn from the delivered orbit of energy
``C3_d`` to the departure ``C3`` is the perigee burn
``dv = burn(C3) - burn(C3_d)`` with :func:`prospect.core.deltav.burn_from_circular_c3`
(impulsive, Curtis 3rd ed. section 8.6).  It adds to the mission delta-v and
therefore to the propellant; the tanks for propellant beyond the profile's
own load weigh ``tank_fraction`` of it (DOMAIN.md 5.1), which raises the dry
mass and closes the loop (:func:`prospect.core.deltav.wet_mass`, closed form
``m_p = (R - 1) m_dry / (1 - f (R - 1))``).  Prices are converted to US$ of the
cost model's output year (exchange rate of the price year, then NNSI).
Every option keeps its ``estimate`` flag and sources.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from prospect.core.constants import GM_EARTH_KM3_S2, R_EARTH_KM
from prospect.core.deltav import burn_from_circular_c3, propellant_mass, wet_mass
from prospect.cost.model import CostModel, load_cost_model
from prospect.cost.montecarlo import CostElement
from prospect.errors import InputError

__all__ = [
    "TLI_C3_KM2_S2",
    "LaunchChoice",
    "LaunchOption",
    "choose_launch",
    "payload_at_c3",
    "size_spacecraft",
]

#: C3 of a trans-lunar injection used for launch-vehicle lookups, km^2/s^2
#: (DOMAIN.md 2.1: Hohmann TLI to 384,400 km has C3 ~ -2.0 [calc]).
TLI_C3_KM2_S2 = -2.0


def _plain(x):
    """Unwrap a sourced value (``{value=...}`` table or an object with ``.value``)."""
    if isinstance(x, Mapping) and "value" in x:
        return x["value"]
    if x is not None and hasattr(x, "value") and not isinstance(x, int | float | str | bool):
        return x.value
    return x


def _get(obj, name, default=None):
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        v = obj.get(name, default)
    else:
        v = getattr(obj, name, default)
    return default if v is None else v


def _meta(obj, key: str, default=None):
    """``estimate``/``source`` of a sourced value (dict or object)."""
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default) if obj is not None else default


def payload_at_c3(c3_table, payload_table, c3_km2_s2: float) -> tuple[float, str | None, bool]:
    """Launcher capability at a C3 by linear interpolation in its published table.

    Parameters
    ----------
    c3_table : array_like, shape (k,)
        Increasing C3 values of the table, km^2/s^2.
    payload_table : array_like, shape (k,)
        Payload mass at each C3, kg.
    c3_km2_s2 : float
        Required departure C3.

    Returns
    -------
    payload_kg : float
        Capability, kg; NaN above the table (no extrapolation).
    note : str or None
        Why the value is a bound or missing.
    ok : bool
        False above the table.

    Examples
    --------
    >>> payload_at_c3([1.0, 5.0], [14714.0, 13682.0], 3.0)
    (14198.0, None, True)
    >>> payload_at_c3([1.0, 5.0], [14714.0, 13682.0], 6.0)[2]
    False
    """
    c3s = np.asarray(c3_table, dtype=float)
    pay = np.asarray(payload_table, dtype=float)
    if c3s.ndim != 1 or c3s.size < 1 or pay.shape != c3s.shape or np.any(np.diff(c3s) <= 0):
        raise InputError(
            "a payload-vs-C3 table needs increasing C3 values and one payload per C3",
            option="c3_table",
        )
    if c3_km2_s2 > c3s[-1]:
        return (
            math.nan,
            f"C3 {c3_km2_s2:.2f} km^2/s^2 is beyond the published table (max "
            f"{c3s[-1]:g}); not extrapolated",
            False,
        )
    if c3_km2_s2 < c3s[0]:
        return (
            float(pay[0]),
            f"C3 {c3_km2_s2:.2f} below the table's first entry ({c3s[0]:g}): the payload "
            f"there ({pay[0]:.0f} kg) is used as a conservative bound",
            True,
        )
    return float(np.interp(c3_km2_s2, c3s, pay)), None, True


def size_spacecraft(
    dry_mass_kg: float,
    isp_s: float,
    dv_km_s: float,
    *,
    propellant_mass_kg: float | None = None,
    tank_fraction: float = 0.0,
) -> dict:
    """Propellant, dry and wet mass of a spacecraft flying ``dv_km_s``.

    Up to the profile's own propellant load the dry mass is the profile's
    (offloading propellant saves no tank mass).  Beyond it, the extra
    propellant needs tanks of ``tank_fraction`` of its mass, which fly as dry
    mass: with ``D' = m_dry - f m_p0``, ``m_wet = D' + (1 + f) m_p`` and
    ``m_p = (R - 1) D' / (1 - f (R - 1))`` (:func:`prospect.core.deltav.wet_mass`).

    Parameters
    ----------
    dry_mass_kg : float
        Profile dry mass (payload, bus and its own tanks), kg.
    isp_s : float
        Specific impulse, s.
    dv_km_s : float
        Delta-v the spacecraft flies, km/s.
    propellant_mass_kg : float, optional
        The profile's propellant load, kg (0 if unknown).
    tank_fraction : float
        Tank/structure mass per kg of extra propellant.

    Returns
    -------
    dict
        ``dry_kg, propellant_kg, wet_kg, tank_growth_kg, feasible, note``.

    Examples
    --------
    >>> s = size_spacecraft(1000.0, 450.0, 3.0)
    >>> round(s["propellant_kg"], 1), s["feasible"]   # m_f (e^(dv/Isp g0) - 1)
    (973.5, True)
    """
    m_p0 = float(propellant_mass_kg or 0.0)
    d, p, w, ok = (
        float(x[0])
        for x in _size_vec(
            float(dry_mass_kg), float(isp_s), np.array([dv_km_s]), m_p0, float(tank_fraction)
        )
    )
    if not ok:
        return {
            "dry_kg": math.nan,
            "propellant_kg": math.nan,
            "wet_kg": math.nan,
            "tank_growth_kg": math.nan,
            "feasible": False,
            "note": (
                f"mass does not close: {dv_km_s:.3f} km/s at Isp {isp_s:g} s with "
                f"{tank_fraction:g} kg of tank per kg of propellant (f (R - 1) >= 1)"
                if math.isfinite(dv_km_s) and dv_km_s >= 0 and isp_s > 0
                else f"rocket equation undefined for dv {dv_km_s!r} km/s, Isp {isp_s!r} s"
            ),
        }
    grown = d - float(dry_mass_kg)
    return {
        "dry_kg": d,
        "propellant_kg": p,
        "wet_kg": w,
        "tank_growth_kg": grown,
        "feasible": True,
        "note": (
            f"propellant {p:.1f} kg exceeds the profile's {m_p0:.1f} kg: tanks grow by "
            f"{grown:.1f} kg"
            if m_p0 > 0 and p > m_p0 and tank_fraction > 0
            else None
        ),
    }


@dataclass(frozen=True)
class LaunchOption:
    """One way to launch the spacecraft, with its sizing and price.

    Attributes
    ----------
    launcher, label : str
        Launcher id and display name.
    service : str
        ``"c3"``, ``"tli"``, ``"gto"``, ``"leo"``, ``"sso"`` or ``"rideshare"``.
    kind : str
        ``"dedicated"`` or ``"rideshare"``.
    delivered : str
        Where the launcher leaves the spacecraft.
    escape_dv_km_s : float
        The spacecraft's own burn from there to the departure C3.
    spacecraft_dv_km_s : float
        Escape burn plus the mission delta-v.
    dry_kg, propellant_kg, wet_kg : float
        Closed-loop sizing (``wet_kg`` is the separated mass).
    capacity_kg : float or None
        Launcher capability for this service (None: priced per kg, no limit published).
    price_musd, price_low_musd, price_high_musd : float or None
        Price in $M of the cost model's output year.
    estimate : bool
        True when the price or capability is an estimate.
    feasible : bool
    reason : str
        Why an option is infeasible ("" when feasible).
    notes : list of str
    sources : list of str
    """

    launcher: str
    label: str
    service: str
    kind: str
    delivered: str
    escape_dv_km_s: float
    spacecraft_dv_km_s: float
    dry_kg: float
    propellant_kg: float
    wet_kg: float
    capacity_kg: float | None
    price_musd: float | None
    price_low_musd: float | None
    price_high_musd: float | None
    estimate: bool
    feasible: bool
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def cost_element(self, model: CostModel | None = None) -> CostElement:
        """The launch as a Monte Carlo cost element.

        A firm price is fixed; an estimate with a published range is drawn
        uniformly in it; an estimate without a range is lognormal with the
        cost model's ``[launch] estimate_cv``.
        """
        model = model or load_cost_model()
        if self.price_musd is None:
            raise InputError(f"launch option {self.launcher}/{self.service} has no price")
        src = "; ".join(self.sources)
        if not self.estimate:
            return CostElement("launch", self.price_musd, dist="fixed", source=src)
        lo, hi = self.price_low_musd, self.price_high_musd
        if lo is not None and hi is not None and lo <= self.price_musd <= hi:
            return CostElement(
                "launch",
                self.price_musd,
                dist="uniform",
                low_musd=lo,
                high_musd=hi,
                source=src,
                estimate=True,
            )
        return CostElement(
            "launch",
            self.price_musd,
            model.number("launch", "estimate_cv"),
            group="launch",
            source=src + "; " + model.text("launch", "estimate_cv_source"),
            estimate=True,
        )

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class LaunchChoice:
    """All launch options, cheapest feasible first.

    Attributes
    ----------
    best : LaunchOption
        Cheapest feasible option.
    options : list of LaunchOption
        Feasible options by price, then the infeasible ones with their reasons.
    target_c3_km2_s2 : float
    mission_dv_km_s : float
    """

    best: LaunchOption
    options: list[LaunchOption]
    target_c3_km2_s2: float
    mission_dv_km_s: float

    def to_frame(self) -> pd.DataFrame:
        """One row per option (lists joined with '; ')."""
        rows = []
        for o in self.options:
            d = o.to_dict()
            d["notes"] = "; ".join(o.notes)
            d["sources"] = "; ".join(o.sources)
            rows.append(d)
        return pd.DataFrame(rows)


@dataclass(frozen=True)
class _Price:
    value: float
    currency: str
    year: int | None
    low: float | None
    high: float | None
    estimate: bool
    source: str


@dataclass(frozen=True)
class _Rideshare:
    base_price: float
    base_mass_kg: float
    price_per_kg: float | None
    currency: str
    year: int | None
    orbit: str
    estimate: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class _Spec:
    id: str
    label: str
    modes: tuple[str, ...]
    price: _Price | None
    capacities: dict  # service -> (kg, estimate, source)
    c3: tuple | None  # (c3 array, payload array, estimate, source)
    rideshare: _Rideshare | None
    speculative: bool


def _finite(x) -> float | None:
    x = _plain(x)
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _spec(lid: str, x) -> _Spec:
    """Normalise a :class:`prospect.data.Launcher` or a launchers.toml table."""
    sources = _get(x, "sources", {}) or {}
    estimates = _get(x, "estimates", frozenset()) or frozenset()
    caps = {}
    for key in ("leo_kg", "sso_kg", "gto_kg", "tli_kg"):
        raw = _get(x, key)
        kg = _finite(raw)
        if kg is None:
            continue
        est = bool(_meta(raw, "estimate", False)) or key in estimates
        src = str(_meta(raw, "source", "") or "") or str(sources.get(key, ""))
        caps[key[:-3]] = (kg, est, src)
    price = None
    raw = _get(x, "price")
    if raw is not None and _finite(raw) is not None:
        price = _Price(
            _finite(raw),
            str(_meta(raw, "currency", "USD") or "USD"),
            _meta(raw, "year"),
            _finite(_meta(raw, "low")),
            _finite(_meta(raw, "high")),
            bool(_meta(raw, "estimate", False)),
            str(_meta(raw, "source", "") or ""),
        )
    c3 = None
    table = _get(x, "c3")
    if isinstance(table, Mapping):
        c3 = (
            np.asarray(table["c3_km2_s2"], dtype=float),
            np.asarray(table["payload_kg"], dtype=float),
            bool(table.get("estimate", False)),
            str(table.get("source", "")),
        )
    elif np.size(_get(x, "c3_km2_s2", ())) > 0:
        c3 = (
            np.asarray(_get(x, "c3_km2_s2"), dtype=float),
            np.asarray(_get(x, "c3_payload_kg"), dtype=float),
            bool(_get(x, "c3_estimate", False)),
            str(_get(x, "c3_source", "")),
        )
    rs = None
    r = _get(x, "rideshare")
    if r is not None:
        parts = [_get(r, k) for k in ("base_price", "base_mass_kg", "price_per_kg")]
        srcs = _get(r, "sources", None)
        if isinstance(srcs, Mapping):
            src_list = tuple(str(v) for v in srcs.values())
        else:
            src_list = tuple(str(_meta(v, "source", "")) for v in parts if v is not None)
        rs = _Rideshare(
            base_price=_finite(parts[0]) or math.nan,
            base_mass_kg=_finite(parts[1]) or 0.0,
            price_per_kg=_finite(parts[2]),
            currency=str(_get(r, "currency", "USD")),
            year=_get(r, "year"),
            orbit=str(_get(r, "orbit", "LEO") or "LEO"),
            estimate=bool(_get(r, "estimate", False))
            or any(bool(_meta(v, "estimate", False)) for v in parts if v is not None),
            sources=src_list,
        )
    label = str(_get(x, "label", lid))
    status = str(_get(x, "status", "") or "")
    notes = str(_get(x, "notes", "") or "")
    speculative = (
        "projected" in label.lower()
        or status.lower() in ("projected", "speculative")
        or "do not use for baseline" in notes.lower()
    )
    return _Spec(
        id=str(lid),
        label=label,
        modes=tuple(_get(x, "modes", ()) or ()),
        price=price,
        capacities=caps,
        c3=c3,
        rideshare=rs,
        speculative=speculative,
    )


def _specs(launchers) -> list[_Spec]:
    if isinstance(launchers, Mapping):
        items = list(launchers.items())
    elif isinstance(launchers, Iterable):
        items = [
            (_get(x, "name", _get(x, "id", f"launcher-{i}")), x) for i, x in enumerate(launchers)
        ]
    else:
        raise InputError("launchers must be a mapping id -> launcher or a list", option="launchers")
    return [_spec(str(lid), x) for lid, x in items]


def _orbit_energy(service: str, model: CostModel) -> tuple[float, float, str]:
    """(C3 of the delivered orbit, its perigee radius, description)."""
    leo_alt = model.number("parking_orbit", "leo_altitude_km", positive=True)
    r_leo = R_EARTH_KM + leo_alt
    if service in ("leo", "sso"):
        return -GM_EARTH_KM3_S2 / r_leo, r_leo, f"circular {service.upper()} {leo_alt:.0f} km"
    if service == "gto":
        rp = R_EARTH_KM + model.number("parking_orbit", "gto_perigee_km", positive=True)
        ra = R_EARTH_KM + model.number("parking_orbit", "gto_apogee_km", positive=True)
        return -2.0 * GM_EARTH_KM3_S2 / (rp + ra), rp, "GTO"
    if service == "tli":
        return TLI_C3_KM2_S2, r_leo, f"trans-lunar injection (C3 {TLI_C3_KM2_S2:g})"
    raise ValueError(service)


def _escape_dv(c3_from: float, r_p: float, c3_to: float) -> float:
    if c3_to <= c3_from:
        return 0.0
    return float(burn_from_circular_c3(c3_to, r_p) - burn_from_circular_c3(c3_from, r_p))


@dataclass(frozen=True)
class _Service:
    """One service a launcher sells, with everything that does not depend on the mission."""

    spec: _Spec
    service: str
    kind: str
    delivered: str
    c3_d: float | None  # energy of the delivered orbit (None: direct injection to the C3)
    r_p: float | None  # its perigee radius, km
    capacity_kg: float | None  # fixed capability (None: from the C3 table, or no limit)
    c3_table: tuple | None
    cap_estimate: bool
    cap_source: str
    price_musd: float | None  # dedicated price ($M output year)
    price_low_musd: float | None
    price_high_musd: float | None
    price_estimate: bool
    price_source: str
    rideshare: _Rideshare | None
    per_unit_musd: float  # $M of output year per unit of the tariff's currency
    notes: tuple[str, ...]


#: Reasons an option fails, by code (``_evaluate``'s ``reason`` array).
_REASONS = {
    0: "",
    1: "beyond the published C3 table; not extrapolated",
    2: "mass does not close (tank fraction too large for this delta-v)",
    3: "no published price",
    4: "wet mass exceeds the capability",
    5: "no trajectory (NaN C3 or delta-v)",
}


def _services(launchers, model: CostModel, include_speculative: bool) -> list[_Service]:
    out: list[_Service] = []
    for spec in _specs(launchers):
        if spec.speculative and not include_speculative:
            continue
        notes = ("projected vehicle: speculative price and capability",) if spec.speculative else ()
        dedicated = "dedicated" in spec.modes or "c3" in spec.modes
        price = lo = hi = None
        p_est, p_src, conv = False, "", []
        if spec.price is not None:
            p = spec.price
            year = int(p.year if p.year is not None else model.output_dollar_year)
            price, f = model.money_musd(p.value, p.currency, year)
            conv += f
            if p.low is not None:
                lo = model.money_musd(p.low, p.currency, year)[0]
            if p.high is not None:
                hi = model.money_musd(p.high, p.currency, year)[0]
            p_est, p_src = p.estimate, p.source
        base = {
            "spec": spec,
            "price_musd": price,
            "price_low_musd": lo,
            "price_high_musd": hi,
            "price_estimate": p_est,
            "price_source": p_src,
            "rideshare": None,
            "per_unit_musd": math.nan,
            "notes": notes + tuple(conv),
        }
        if spec.c3 is not None and dedicated:
            c3s, pay, est, src = spec.c3
            out.append(
                _Service(
                    service="c3",
                    kind="dedicated",
                    delivered="departure hyperbola",
                    c3_d=None,
                    r_p=None,
                    capacity_kg=None,
                    c3_table=(c3s, pay),
                    cap_estimate=est,
                    cap_source=src,
                    **base,
                )
            )
        if dedicated:
            for service in ("tli", "gto", "leo", "sso"):
                if service not in spec.capacities:
                    continue
                c3_d, r_p, desc = _orbit_energy(service, model)
                kg, est, src = spec.capacities[service]
                out.append(
                    _Service(
                        service=service,
                        kind="dedicated",
                        delivered=desc,
                        c3_d=c3_d,
                        r_p=r_p,
                        capacity_kg=kg,
                        c3_table=None,
                        cap_estimate=est,
                        cap_source=src,
                        **base,
                    )
                )
        rs = spec.rideshare
        if rs is not None and any(m.startswith("rideshare") for m in spec.modes):
            c3_d, r_p, desc = _orbit_energy("gto" if rs.orbit.upper() == "GTO" else "leo", model)
            year = int(rs.year if rs.year is not None else model.output_dollar_year)
            unit, f = model.money_musd(1.0, rs.currency, year)
            cap = rs.base_mass_kg if rs.price_per_kg is None else None
            extra = ("no per-kg rate published: limited to the base mass",) if cap else ()
            out.append(
                _Service(
                    spec=spec,
                    service="rideshare",
                    kind="rideshare",
                    delivered=(
                        f"rideshare to {desc}"
                        if rs.orbit.upper() in ("", "GTO", "LEO")
                        else f"rideshare to {rs.orbit} ({desc})"
                    ),
                    c3_d=c3_d,
                    r_p=r_p,
                    capacity_kg=cap,
                    c3_table=None,
                    cap_estimate=rs.estimate,
                    cap_source="; ".join(rs.sources),
                    price_musd=None,
                    price_low_musd=None,
                    price_high_musd=None,
                    price_estimate=rs.estimate,
                    price_source="",
                    rideshare=rs,
                    per_unit_musd=unit,
                    notes=notes + extra + tuple(f),
                )
            )
    return out


def _size_vec(dry: float, isp: float, dv: np.ndarray, prop0: float, f: float):
    """Vectorised :func:`size_spacecraft`: (dry, propellant, wet, closes) arrays."""
    plain = np.asarray(propellant_mass(dv, dry, isp), dtype=float)
    if f == 0.0:
        return np.full_like(plain, dry), plain, dry + plain, np.isfinite(plain)
    base = dry - f * prop0
    wet_t = np.asarray(wet_mass(dv, base, isp, f), dtype=float)
    over = plain > prop0
    prop = np.where(over, (wet_t - base) / (1.0 + f), plain)
    dry_out = np.where(over, wet_t - prop, dry)
    ok = np.isfinite(plain) & (~over | np.isfinite(wet_t))
    return dry_out, prop, dry_out + prop, ok


def _evaluate(services, *, dry, isp, prop0, mission_dv, c3, kick, f) -> dict:
    """Every service for every row: sizing, capability, price, feasibility (arrays (S, R))."""
    mission_dv = np.atleast_1d(np.asarray(mission_dv, dtype=float))
    c3 = np.atleast_1d(np.asarray(c3, dtype=float))
    n_s, n_r = len(services), c3.size
    shape = (n_s, n_r)
    out = {
        k: np.full(shape, np.nan)
        for k in ("escape", "dv", "dry", "prop", "wet", "capacity", "price")
    }
    out["reason"] = np.zeros(shape, dtype=np.int8)
    out["below_table"] = np.zeros(shape, dtype=bool)
    good = np.isfinite(c3) & np.isfinite(mission_dv)
    vinf_kick = math.sqrt(max(kick, 0.0)) if kick is not None else None
    vinf = np.sqrt(np.maximum(c3, 0.0))
    for i, sv in enumerate(services):  # loop over launch services (tens), not targets
        if sv.c3_d is None:
            esc = np.zeros(n_r)
        else:
            with np.errstate(invalid="ignore"):
                esc = np.where(
                    c3 > sv.c3_d,
                    burn_from_circular_c3(c3, sv.r_p) - burn_from_circular_c3(sv.c3_d, sv.r_p),
                    0.0,
                )
            if vinf_kick is not None:
                esc = np.where(c3 > sv.c3_d, np.maximum(vinf - vinf_kick, 0.0), esc)
        dv = mission_dv + esc
        d, p, w, closes = _size_vec(dry, isp, dv, prop0, f)
        reason = np.zeros(n_r, dtype=np.int8)
        if sv.c3_table is not None:
            c3s, pay = sv.c3_table
            cap = np.interp(c3, c3s, pay)
            out["below_table"][i] = c3 < c3s[0]
            beyond = c3 > c3s[-1]
            cap = np.where(beyond, np.nan, cap)
            reason = np.where(beyond, 1, reason)
        elif sv.capacity_kg is not None:
            cap = np.full(n_r, sv.capacity_kg)
        else:
            cap = np.full(n_r, np.nan)
        reason = np.where((reason == 0) & ~closes, 2, reason)
        if sv.rideshare is not None:
            rs = sv.rideshare
            amount = np.full(n_r, rs.base_price)
            if rs.price_per_kg is not None:
                amount = amount + np.maximum(w - rs.base_mass_kg, 0.0) * rs.price_per_kg
            price = amount * sv.per_unit_musd
            if not math.isfinite(rs.base_price):
                reason = np.where(reason == 0, 3, reason)
        elif sv.price_musd is None:
            price = np.full(n_r, np.nan)
            reason = np.where(reason == 0, 3, reason)
        else:
            price = np.full(n_r, sv.price_musd)
        with np.errstate(invalid="ignore"):
            over = np.isfinite(cap) & (w > cap)
        reason = np.where((reason == 0) & over, 4, reason)
        reason = np.where(good, reason, 5).astype(np.int8)
        for key, val in (
            ("escape", esc),
            ("dv", dv),
            ("dry", d),
            ("prop", p),
            ("wet", w),
            ("capacity", cap),
            ("price", price),
        ):
            out[key][i] = val
        out["reason"][i] = reason
    out["feasible"] = out["reason"] == 0
    return out


def best_launch_rows(
    launchers,
    *,
    dry_mass_kg: float,
    isp_s: float,
    mission_dv_km_s,
    target_c3_km2_s2,
    propellant_mass_kg: float | None = None,
    kick_stage_c3_km2_s2: float | None = None,
    include_speculative: bool = False,
    model: CostModel | None = None,
) -> dict:
    """Cheapest feasible launch for many rows at once (vectorised :func:`choose_launch`).

    Parameters
    ----------
    mission_dv_km_s, target_c3_km2_s2 : array_like, shape (R,)
        Per-row mission delta-v and departure C3 (NaN: no trajectory).
    Other parameters as :func:`choose_launch`.

    Returns
    -------
    dict of arrays, shape (R,)
        ``index`` (service index, -1 when nothing is feasible), ``launcher``,
        ``service``, ``price_musd``, ``dry_kg``, ``wet_kg``, ``dist`` (the
        price's error model: ``fixed``, ``uniform`` or ``lognormal``),
        ``low_musd``, ``high_musd``, ``cv``, ``estimate``.
    """
    model = model or load_cost_model()
    services = _services(launchers, model, include_speculative)
    if not services:
        raise InputError("no launcher offers any service", option="launchers")
    ev = _evaluate(
        services,
        dry=float(dry_mass_kg),
        isp=float(isp_s),
        prop0=float(_finite(propellant_mass_kg) or 0.0),
        mission_dv=mission_dv_km_s,
        c3=target_c3_km2_s2,
        kick=_finite(kick_stage_c3_km2_s2),
        f=model.number("propulsion", "tank_fraction"),
    )
    price = np.where(ev["feasible"], ev["price"], np.inf)
    idx = np.argmin(price, axis=0)
    cols = np.arange(price.shape[1])
    ok = np.isfinite(price[idx, cols])
    idx = np.where(ok, idx, -1)
    cv = model.number("launch", "estimate_cv")
    dist = np.full(idx.size, "fixed", dtype=object)
    lo = np.full(idx.size, np.nan)
    hi = np.full(idx.size, np.nan)
    cvs = np.zeros(idx.size)
    est = np.zeros(idx.size, dtype=bool)
    for j, sv in enumerate(services):  # per service, not per row
        sel = idx == j
        if not sel.any():
            continue
        estimate = sv.price_estimate or sv.cap_estimate
        est[sel] = estimate
        if not estimate:
            continue
        p = ev["price"][j, sel]
        if (
            sv.price_low_musd is not None
            and sv.price_high_musd is not None
            and sv.rideshare is None
        ):
            inside = (sv.price_low_musd <= p) & (p <= sv.price_high_musd)
            dist[np.flatnonzero(sel)[inside]] = "uniform"
            lo[sel], hi[sel] = sv.price_low_musd, sv.price_high_musd
            dist[np.flatnonzero(sel)[~inside]] = "lognormal"
            cvs[np.flatnonzero(sel)[~inside]] = cv
        else:
            dist[sel] = "lognormal"
            cvs[sel] = cv
    names = np.array([sv.spec.id for sv in services] + [None], dtype=object)
    kinds = np.array([sv.service for sv in services] + [None], dtype=object)
    return {
        "index": idx,
        "launcher": names[idx],
        "service": kinds[idx],
        "price_musd": np.where(ok, price[idx, cols], np.nan),
        "dry_kg": np.where(ok, ev["dry"][idx, cols], np.nan),
        "wet_kg": np.where(ok, ev["wet"][idx, cols], np.nan),
        "dist": dist,
        "low_musd": lo,
        "high_musd": hi,
        "cv": cvs,
        "estimate": est,
    }


def choose_launch(
    launchers,
    *,
    dry_mass_kg: float,
    isp_s: float,
    mission_dv_km_s: float,
    target_c3_km2_s2: float,
    propellant_mass_kg: float | None = None,
    kick_stage_c3_km2_s2: float | None = None,
    include_speculative: bool = False,
    model: CostModel | None = None,
) -> LaunchChoice:
    """Cheapest launch that delivers the spacecraft sized for its mission.

    Parameters
    ----------
    launchers : mapping id -> launcher, or list
        :func:`prospect.data.load_launchers` output, or dictionaries with the
        layout of ``catalogs/launchers.toml``.
    dry_mass_kg : float
        Spacecraft dry mass of the profile (payload included), kg.
    isp_s : float
        Specific impulse of the spacecraft's engine, s.
    mission_dv_km_s : float
        Delta-v the spacecraft flies after leaving Earth on its departure
        conic (arrival, landing, return legs), km/s.
    target_c3_km2_s2 : float
        Departure C3 (asteroid: from the scan; Moon: :data:`TLI_C3_KM2_S2`).
    propellant_mass_kg : float, optional
        The profile's propellant load, kg (tank growth applies beyond it).
    kick_stage_c3_km2_s2 : float, optional
        C3 reached by an integrated kick stage outside the mass budget (a
        profile's ``kick_stage_c3_km2_s2``): from a parking orbit the stage
        supplies C3 up to this value and the spacecraft adds the rest of the
        hyperbolic excess speed in deep space, ``max(0, v_inf - sqrt(C3_kick))``
        (no Oberth gain, as :mod:`prospect.scan` does).  The stage's mass and
        price are not published: not included (flagged).
    include_speculative : bool
        Also consider projected vehicles (label "projected" or notes saying
        "do not use for baseline costing"); off by default.
    model : CostModel, optional

    Returns
    -------
    LaunchChoice

    Raises
    ------
    InputError
        Bad masses or Isp, or no launcher can deliver the spacecraft (the
        message lists the closest options and why they fail).

    Examples
    --------
    >>> lv = {"big": {"label": "Big", "modes": ["dedicated", "c3"],
    ...               "price": {"value": 100e6, "currency": "USD", "year": 2025},
    ...               "c3": {"c3_km2_s2": [0.0, 20.0], "payload_kg": [5000.0, 3000.0]}}}
    >>> ch = choose_launch(lv, dry_mass_kg=500.0, isp_s=300.0, mission_dv_km_s=1.0,
    ...                    target_c3_km2_s2=10.0)
    >>> ch.best.launcher, round(ch.best.price_musd, 1), round(ch.best.capacity_kg)
    ('big', 100.0, 4000)
    """
    model = model or load_cost_model()
    for name, v in (("dry_mass_kg", dry_mass_kg), ("isp_s", isp_s)):
        if not (isinstance(v, int | float) and math.isfinite(v) and v > 0):
            raise InputError(f"must be a positive number, got {v!r}", option=name)
    if not (math.isfinite(mission_dv_km_s) and mission_dv_km_s >= 0):
        raise InputError(f"must be >= 0, got {mission_dv_km_s!r}", option="mission_dv_km_s")
    if not math.isfinite(target_c3_km2_s2):
        raise InputError(f"must be finite, got {target_c3_km2_s2!r}", option="target_c3_km2_s2")
    services = _services(launchers, model, include_speculative)
    if not services:
        raise InputError("no launcher offers any service", option="launchers")
    f = model.number("propulsion", "tank_fraction")
    prop0 = float(_finite(propellant_mass_kg) or 0.0)
    kick = _finite(kick_stage_c3_km2_s2)
    ev = _evaluate(
        services,
        dry=float(dry_mass_kg),
        isp=float(isp_s),
        prop0=prop0,
        mission_dv=[mission_dv_km_s],
        c3=[target_c3_km2_s2],
        kick=kick,
        f=f,
    )
    low_thrust = isp_s > model.number("propulsion", "low_thrust_isp_s", positive=True)
    options: list[LaunchOption] = []
    for i, sv in enumerate(services):
        g = {k: float(v[i, 0]) for k, v in ev.items() if v.dtype.kind == "f"}
        code = int(ev["reason"][i, 0])
        notes = list(sv.notes)
        cap = g["capacity"] if math.isfinite(g["capacity"]) else None
        if sv.c3_table is not None and ev["below_table"][i, 0]:
            c3s, pay = sv.c3_table
            notes.append(
                f"C3 {target_c3_km2_s2:.2f} below the table's first entry ({c3s[0]:g}): the "
                f"payload there ({pay[0]:.0f} kg) is used as a conservative bound"
            )
        if code != 2 and g["prop"] > prop0 and f > 0 and prop0 > 0:
            notes.append(
                f"propellant {g['prop']:.1f} kg exceeds the profile's {prop0:.1f} kg: tanks grow "
                f"by {g['dry'] - dry_mass_kg:.1f} kg"
            )
        if sv.c3_d is not None and g["escape"] > 0:
            if kick is not None:
                notes.append(
                    f"integrated kick stage to C3 {kick:g} (profile): its mass and price are "
                    "not included"
                )
            if low_thrust:
                notes.append(
                    f"Isp {isp_s:g} s is low-thrust: the impulsive escape burn understates a spiral"
                )
        reason = _REASONS[code]
        if code == 1:
            c3s = sv.c3_table[0]
            reason = (
                f"C3 {target_c3_km2_s2:.2f} km^2/s^2 is beyond the published table (max "
                f"{c3s[-1]:g}); not extrapolated"
            )
        elif code == 2:
            reason = (
                f"mass does not close: {g['dv']:.3f} km/s at Isp {isp_s:g} s with {f:g} kg of "
                "tank per kg of propellant (f (R - 1) >= 1)"
            )
        elif code == 4:
            reason = f"wet mass {g['wet']:.0f} kg exceeds the {cap:.0f} kg capability"
        if sv.rideshare is not None:
            price = g["price"] if math.isfinite(g["price"]) else None
            lo = hi = None
            sources = [sv.cap_source] if sv.cap_source else []
        else:
            price, lo, hi = sv.price_musd, sv.price_low_musd, sv.price_high_musd
            sources = [s for s in (sv.cap_source, sv.price_source) if s]
        options.append(
            LaunchOption(
                launcher=sv.spec.id,
                label=sv.spec.label,
                service=sv.service,
                kind=sv.kind,
                delivered=(
                    f"departure hyperbola, C3 {target_c3_km2_s2:.2f}"
                    if sv.c3_d is None
                    else sv.delivered
                ),
                escape_dv_km_s=g["escape"],
                spacecraft_dv_km_s=g["dv"],
                dry_kg=g["dry"],
                propellant_kg=g["prop"],
                wet_kg=g["wet"],
                capacity_kg=cap,
                price_musd=price,
                price_low_musd=lo,
                price_high_musd=hi,
                estimate=bool(sv.cap_estimate or sv.price_estimate),
                feasible=code == 0,
                reason=reason,
                notes=notes,
                sources=sources,
            )
        )
    feasible = sorted(
        (o for o in options if o.feasible), key=lambda o: (o.price_musd, o.launcher, o.service)
    )
    infeasible = [o for o in options if not o.feasible]
    if not feasible:
        near = "; ".join(f"{o.launcher}/{o.service}: {o.reason}" for o in infeasible[:4])
        raise InputError(
            f"no launcher delivers the spacecraft ({dry_mass_kg:g} kg dry, "
            f"{mission_dv_km_s:.3f} km/s after departure at C3 {target_c3_km2_s2:.2f}): {near}",
            option="launch",
        )
    return LaunchChoice(feasible[0], feasible + infeasible, target_c3_km2_s2, mission_dv_km_s)
