"""Parametric cost-estimating relationships (CERs) and operations cost.

Two published spacecraft CER families are available, both mass based and in
FY2010 $K (coefficients, sources and error bands in ``catalogs/cost_model.toml``):

``"sscm05"`` (default)
    Aerospace Corp. Small Satellite Cost Model, 2005 version, bus-level CER
    ``bus = 1064 + 35.5 m^1.261`` with SSCM wrap factors (payload 0.40, IA&T
    0.139, program level 0.229, LOOS 0.061, GSE 0.066 of bus cost), New SMAD
    (Wertz, Everett & Puschell 2011) Table 11-11.  Valid for bus dry masses
    of 20-400 kg [A]; SSCM's population stops at 1000 kg.  Outside, the
    result is flagged as an extrapolation.
``"uscm8"``
    USCM8 "spacecraft bus if no other CER" (NR ``108 m``, first-unit REC
    ``283.5 m^0.716``) with USCM8 IA&T, program-level and AGE factors, New
    SMAD Table 11-8.  No validity range was transcribed: always flagged.

Operations per year: ``technicians * rate + engineers * rate`` (New SMAD
Table 11-25 rates) plus DSN aperture fees ``AF = RB * AW * (0.9 + FC/10)``
per hour of contact.

All money leaves this module in millions of US$ of the cost model's
``output_dollar_year`` (escalated with its index, NASA NNSI).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from prospect.cost.model import CostModel, load_cost_model
from prospect.cost.montecarlo import CostElement
from prospect.errors import CatalogFormatError, InputError

__all__ = [
    "SpacecraftCost",
    "operations_cost",
    "spacecraft_cost",
    "spacecraft_total_musd",
    "sscm05_bus_k",
    "uscm8_bus_k",
]

WEEKS_PER_YEAR = 365.25 / 7.0  # Julian year in weeks


def sscm05_bus_k(m_bus_kg, a: float = 1064.0, b: float = 35.5, c: float = 1.261) -> np.ndarray:
    """SSCM05 bus-level CER, FY2010 $K.

    ``cost = a + b * m^c`` (New SMAD Table 11-11; DOMAIN.md 5.3).

    Parameters
    ----------
    m_bus_kg : array_like, shape (...)
        Spacecraft bus dry mass, kg (payload excluded).
    a, b, c : float
        Coefficients (defaults: the published ones; the shipped values are
        read from ``cost_model.toml`` by :func:`spacecraft_cost`).

    Returns
    -------
    ndarray, shape (...)
        Bus cost in FY2010 $K; NaN where the mass is not positive.

    Examples
    --------
    >>> float(sscm05_bus_k(100.0).round(1))      # 1064 + 35.5 x 10^(2 x 1.261)
    12873.4
    """
    m = np.asarray(m_bus_kg, dtype=float)
    with np.errstate(invalid="ignore"):
        out = a + b * np.power(m, c)
    return np.where(m > 0, out, np.nan)


def uscm8_bus_k(
    m_bus_kg, nr_b: float = 108.0, nr_c: float = 1.0, rec_b: float = 283.5, rec_c: float = 0.716
) -> tuple[np.ndarray, np.ndarray]:
    """USCM8 spacecraft-bus CER ("if no other CER"), FY2010 $K.

    Non-recurring ``NR = 108 m``, first-unit recurring ``REC = 283.5 m^0.716``
    (New SMAD Table 11-8; DOMAIN.md 5.3).

    Parameters
    ----------
    m_bus_kg : array_like, shape (...)
        Spacecraft bus dry mass, kg.

    Returns
    -------
    nr, rec : ndarray, shape (...)
        FY2010 $K; NaN where the mass is not positive.

    Examples
    --------
    >>> nr, rec = uscm8_bus_k(100.0)
    >>> float(nr), round(float(rec), 1)
    (10800.0, 7665.7)
    """
    m = np.asarray(m_bus_kg, dtype=float)
    ok = m > 0
    with np.errstate(invalid="ignore"):
        nr = nr_b * np.power(m, nr_c)
        rec = rec_b * np.power(m, rec_c)
    return np.where(ok, nr, np.nan), np.where(ok, rec, np.nan)


@dataclass(frozen=True)
class SpacecraftCost:
    """Spacecraft development + first-unit cost by element.

    Attributes
    ----------
    method : str
        CER family (``"sscm05"`` or ``"uscm8"``).
    bus_mass_kg : float
        Mass the CER was evaluated at.
    elements : list of CostElement
        Bus, payload, IA&T, program level, ... in $M of ``dollar_year``; all
        share the correlation group ``"cer"`` (one error draw).
    dollar_year : int
    escalation : float
        FY2010 -> ``dollar_year`` factor applied.
    flags : list of str
        Extrapolation and assumption notes.
    validity : dict
        The CER's stated range and whether the mass is inside it.
    """

    method: str
    bus_mass_kg: float
    elements: list[CostElement]
    dollar_year: int
    escalation: float
    flags: list[str] = field(default_factory=list)
    validity: dict = field(default_factory=dict)

    @property
    def total_musd(self) -> float:
        """Point estimate of the spacecraft, $M."""
        return float(sum(e.point_musd for e in self.elements))


def _escalate(model: CostModel, from_year: int, flags: list[str]) -> float:
    f, notes = model.escalation.factor(from_year, model.output_dollar_year)
    flags.extend(notes)
    return f


def spacecraft_cost(
    dry_mass_kg: float,
    payload_mass_kg: float | None = None,
    *,
    method: str = "sscm05",
    model: CostModel | None = None,
) -> SpacecraftCost:
    """Spacecraft development and first-unit cost from a published mass-based CER.

    Parameters
    ----------
    dry_mass_kg : float
        Spacecraft dry mass, kg (bus + payload, tanks included).
    payload_mass_kg : float, optional
        Payload (instrument) mass, kg; the bus mass is ``dry - payload``.
        When absent the whole dry mass is taken as bus mass (flagged).
    method : {"sscm05", "uscm8"}
        CER family (see the module docstring).
    model : CostModel, optional
        Cost model (default: the shipped one).

    Returns
    -------
    SpacecraftCost
        Elements in $M of the model's output dollar year, with the CER's
        relative standard error as each element's coefficient of variation.

    Raises
    ------
    InputError
        For a non-positive bus mass or an unknown method.

    Examples
    --------
    >>> sc = spacecraft_cost(120.0, 20.0)
    >>> sc.method, sc.bus_mass_kg, sc.dollar_year
    ('sscm05', 100.0, 2025)
    >>> round(sc.total_musd, 2)       # 12873.4 $K x 1.895 x (1.906/1.384)
    33.6
    """
    model = model or load_cost_model()
    flags: list[str] = []
    if not dry_mass_kg > 0:
        raise InputError(f"dry mass must be positive, got {dry_mass_kg!r} kg", option="dry_mass_kg")
    if payload_mass_kg is None:
        m_bus = float(dry_mass_kg)
        flags.append("payload mass unknown: whole dry mass costed as bus mass")
    else:
        if not 0 <= payload_mass_kg < dry_mass_kg:
            raise InputError(
                f"payload mass {payload_mass_kg!r} kg must be >= 0 and below the dry mass "
                f"{dry_mass_kg!r} kg",
                option="payload_mass_kg",
            )
        m_bus = float(dry_mass_kg - payload_mass_kg)
    if method == "sscm05":
        return _sscm05(m_bus, model, flags)
    if method == "uscm8":
        return _uscm8(m_bus, model, flags)
    raise InputError(
        f"unknown CER method '{method}' (known: {', '.join(sorted(model.cer))})", option="method"
    )


def _sscm05(m_bus: float, model: CostModel, flags: list[str]) -> SpacecraftCost:
    v = model.cer_value
    year = int(v("sscm05", "dollar_year"))
    esc = _escalate(model, year, flags)
    bus_k = float(sscm05_bus_k(m_bus, v("sscm05", "a"), v("sscm05", "b"), v("sscm05", "c")))
    lo, hi = v("sscm05", "valid_min_kg"), v("sscm05", "valid_max_kg")
    pop = v("sscm05", "population_max_kg")
    inside = lo <= m_bus <= hi
    if not inside:
        flags.append(
            f"SSCM05 bus CER extrapolated: bus mass {m_bus:.0f} kg outside its "
            f"{lo:.0f}-{hi:.0f} kg range [A]"
        )
    if m_bus > pop:
        flags.append(
            f"bus mass {m_bus:.0f} kg above SSCM's < {pop:.0f} kg population: "
            "a small-satellite model is not meant for it"
        )
    cv = v("sscm05", "see_frac")
    src = model.cer_text("sscm05", "source")
    wraps = model.cer["sscm05"].get("wraps", {})
    wsrc = str(wraps.get("source", "cost_model.toml cer.sscm05.wraps"))
    k2m = esc / 1000.0
    elements = [
        CostElement("spacecraft bus", bus_k * k2m, cv, group="cer", reserve=True, source=src)
    ]
    for key, label in (
        ("payload", "payload (wrap)"),
        ("iat", "integration, assembly & test"),
        ("program_level", "program level"),
        ("loos", "launch & orbital ops support"),
        ("gse", "ground support equipment"),
    ):
        frac = wraps.get(key)
        if isinstance(frac, bool) or not isinstance(frac, int | float) or frac < 0:
            raise CatalogFormatError(
                f"expected a non-negative number, got {frac!r}",
                path=model.path,
                record="cer.sscm05.wraps",
                field=key,
            )
        elements.append(
            CostElement(
                label, float(frac) * bus_k * k2m, cv, group="cer", reserve=True, source=wsrc
            )
        )
    return SpacecraftCost(
        "sscm05",
        m_bus,
        elements,
        model.output_dollar_year,
        esc,
        flags,
        {
            "cer": "SSCM05 bus = 1064 + 35.5 m^1.261 (FY2010 $K)",
            "range_kg": [lo, hi],
            "inside_range": inside,
            "see_frac": cv,
            "see_source": model.cer_text("sscm05", "see_source"),
        },
    )


def _uscm8(m_bus: float, model: CostModel, flags: list[str]) -> SpacecraftCost:
    v = model.cer_value
    year = int(v("uscm8", "dollar_year"))
    esc = _escalate(model, year, flags)
    nr, rec = uscm8_bus_k(
        m_bus, v("uscm8", "nr_b"), v("uscm8", "nr_c"), v("uscm8", "rec_b"), v("uscm8", "rec_c")
    )
    nr, rec = float(nr), float(rec)
    payload = v("uscm8", "payload_wrap") * (nr + rec)
    iat_nr = v("uscm8", "iat_nr") * nr
    iat_rec = v("uscm8", "iat_rec") * (rec + payload)
    prog = v("uscm8", "program_nr") * (nr + iat_nr) + v("uscm8", "program_rec") * (
        rec + payload + iat_rec
    )
    age = v("uscm8", "age_a") * nr ** v("uscm8", "age_c") + v("uscm8", "age_b")
    flags.append("USCM8: " + model.cer_text("uscm8", "validity_note"))
    flags.append("USCM8 payload costed with the SSCM payload wrap (0.40 x bus) [assumption]")
    cv = v("uscm8", "see_frac")
    src = model.cer_text("uscm8", "source")
    k2m = esc / 1000.0
    parts = [
        ("spacecraft bus (NR + first unit)", nr + rec, src),
        ("payload (wrap)", payload, model.cer_text("uscm8", "payload_source")),
        ("integration, assembly & test", iat_nr + iat_rec, model.cer_text("uscm8", "wraps_source")),
        ("program level", prog, model.cer_text("uscm8", "wraps_source")),
        ("aerospace ground equipment", age, model.cer_text("uscm8", "age_source")),
    ]
    elements = [
        CostElement(name, k * k2m, cv, group="cer", reserve=True, source=s) for name, k, s in parts
    ]
    return SpacecraftCost(
        "uscm8",
        m_bus,
        elements,
        model.output_dollar_year,
        esc,
        flags,
        {
            "cer": "USCM8 bus NR = 108 m, REC = 283.5 m^0.716 (FY2010 $K)",
            "range_kg": None,
            "inside_range": None,
            "see_frac": cv,
            "see_source": model.cer_text("uscm8", "see_source"),
        },
    )


def spacecraft_total_musd(
    bus_mass_kg, *, method: str = "sscm05", model: CostModel | None = None
) -> tuple[np.ndarray, float]:
    """Point spacecraft cost of many bus masses at once (vectorised :func:`spacecraft_cost`).

    Parameters
    ----------
    bus_mass_kg : array_like, shape (R,)
        Bus dry masses, kg.
    method : {"sscm05", "uscm8"}

    Returns
    -------
    total_musd : ndarray, shape (R,)
        Sum of the CER elements, $M of the output dollar year.
    cv : float
        The CER's relative standard error (all elements share it).

    Examples
    --------
    >>> tot, cv = spacecraft_total_musd([100.0])
    >>> round(float(tot[0]), 4) == round(spacecraft_cost(120.0, 20.0).total_musd, 4)
    True
    """
    model = model or load_cost_model()
    m = np.asarray(bus_mass_kg, dtype=float)
    v = model.cer_value
    if method == "sscm05":
        esc, _ = model.escalation.factor(int(v("sscm05", "dollar_year")), model.output_dollar_year)
        wraps = model.cer["sscm05"].get("wraps", {})
        frac = sum(float(wraps[k]) for k in ("payload", "iat", "program_level", "loos", "gse"))
        bus = sscm05_bus_k(m, v("sscm05", "a"), v("sscm05", "b"), v("sscm05", "c"))
        return bus * (1.0 + frac) * esc / 1000.0, v("sscm05", "see_frac")
    if method == "uscm8":
        esc, _ = model.escalation.factor(int(v("uscm8", "dollar_year")), model.output_dollar_year)
        nr, rec = uscm8_bus_k(
            m, v("uscm8", "nr_b"), v("uscm8", "nr_c"), v("uscm8", "rec_b"), v("uscm8", "rec_c")
        )
        payload = v("uscm8", "payload_wrap") * (nr + rec)
        iat_nr = v("uscm8", "iat_nr") * nr
        iat_rec = v("uscm8", "iat_rec") * (rec + payload)
        prog = v("uscm8", "program_nr") * (nr + iat_nr) + v("uscm8", "program_rec") * (
            rec + payload + iat_rec
        )
        age = v("uscm8", "age_a") * nr ** v("uscm8", "age_c") + v("uscm8", "age_b")
        total = nr + rec + payload + iat_nr + iat_rec + prog + age
        return total * esc / 1000.0, v("uscm8", "see_frac")
    raise InputError(
        f"unknown CER method '{method}' (known: {', '.join(sorted(model.cer))})", option="method"
    )


def operations_cost(
    years: float, dev_class: str, *, model: CostModel | None = None
) -> tuple[CostElement, dict]:
    """Mission operations cost over ``years`` of flight.

    ``per year = technicians * tech_rate + engineers * eng_rate`` (New SMAD
    Table 11-25, FY2010) ``+ hours * AF`` with the DSN aperture fee
    ``AF = RB * AW * (0.9 + FC / 10)`` per hour (FC contacts per week), each
    escalated to the output dollar year.

    Parameters
    ----------
    years : float
        Flight duration (launch to end of mission), years.
    dev_class : str
        Development class whose staffing/pass plan applies
        (``[operations.class.*]`` of ``cost_model.toml``).

    Returns
    -------
    element : CostElement
        ``"operations"`` in $M with the model's ops coefficient of variation.
    detail : dict
        Per-year staff and ground-station cost, hours, rates, sources.

    Examples
    --------
    >>> el, d = operations_cost(1.0, "microsat_deep_space")
    >>> round(d["staff_musd_per_year"], 3)   # (1 x 150 + 3 x 200) $K FY2010 -> FY2025
    1.033
    """
    model = model or load_cost_model()
    if not years >= 0:
        raise InputError(f"mission duration must be >= 0 years, got {years!r}", option="years")
    flags: list[str] = []
    ops = model.ops_class(dev_class)
    n = model.number
    esc_staff = _escalate(model, int(n("operations", "dollar_year")), flags)
    esc_dsn = _escalate(model, int(n("operations", "dsn_dollar_year")), flags)
    staff_k = ops["technicians"] * n("operations", "technician_k_per_year") + ops["engineers"] * n(
        "operations", "engineer_k_per_year"
    )
    fc = ops["contacts_per_week"]
    af = (
        n("operations", "dsn_rate_per_hour")
        * n("operations", "dsn_aperture_weight_34m")
        * (0.9 + fc / 10.0)
    )
    hours = fc * ops["hours_per_contact"] * WEEKS_PER_YEAR
    staff_m = staff_k * esc_staff / 1000.0
    dsn_m = hours * af * esc_dsn / 1e6
    total = (staff_m + dsn_m) * years
    src = "; ".join(
        [
            model.text("operations", "rates_source"),
            model.text("operations", "dsn_source"),
            ops["source"],
        ]
    )
    el = CostElement(
        "operations", total, n("operations", "cv"), group="ops", reserve=False, source=src
    )
    return el, {
        "years": years,
        "staff_musd_per_year": staff_m,
        "ground_musd_per_year": dsn_m,
        "dsn_hours_per_year": hours,
        "dsn_fee_per_hour_usd": af * esc_dsn,
        "staffing": {k: ops[k] for k in ("technicians", "engineers")},
        "flags": flags,
        "source": src,
    }
