"""CER, escalation, operations-rate and rocket-equation sizing values, checked by hand.

Hand values are computed from the published forms (DOMAIN.md 5.1, 5.3; New SMAD
Tables 11-8, 11-11, 11-25) with the coefficients written out here, not read
from the code, so a wrong coefficient in catalogs/cost_model.toml fails.
"""

import numpy as np
import pytest

from prospect.core.deltav import dv_capacity
from prospect.cost import load_cost_model, operations_cost, size_spacecraft, spacecraft_cost
from prospect.cost.cer import sscm05_bus_k, uscm8_bus_k
from prospect.errors import CatalogFormatError, InputError

# NASA NNSI FY1999 = 1: FY2010 1.384, FY2025 1.906 (cost_model.toml [escalation]).
ESC_2010_2025 = 1.906 / 1.384


def test_sscm05_bus_hand_values():
    # bus = 1064 + 35.5 m^1.261 (FY2010 $K), New SMAD Table 11-11 via DOMAIN 5.3.
    # 100^1.261 = 10^2.522 = 332.66; 300^1.261 = 1325.3
    assert sscm05_bus_k(100.0) == pytest.approx(12873.414, abs=1e-3)
    assert sscm05_bus_k(300.0) == pytest.approx(48257.073, abs=1e-3)
    # batch equals the loop; bad masses give NaN in the right place
    out = sscm05_bus_k([100.0, -1.0, 300.0])
    assert np.isnan(out[1])
    assert out[[0, 2]] == pytest.approx([12873.414, 48257.073], abs=1e-3)


def test_uscm8_bus_hand_values():
    # NR = 108 m, REC = 283.5 m^0.716 (FY2010 $K), New SMAD Table 11-8 via DOMAIN 5.3.
    nr, rec = uscm8_bus_k(100.0)
    assert nr == pytest.approx(10800.0, abs=1e-9)
    assert rec == pytest.approx(7665.722, abs=1e-3)  # 283.5 x 100^0.716 = 283.5 x 27.040


def test_spacecraft_cost_sscm05_total_is_bus_times_wraps_escalated():
    sc = spacecraft_cost(120.0, 20.0)  # bus mass 100 kg
    wraps = 1.0 + 0.40 + 0.139 + 0.229 + 0.061 + 0.066  # DOMAIN 5.3 wrap fractions
    expected = 12873.414 * wraps * ESC_2010_2025 / 1000.0
    assert sc.bus_mass_kg == 100.0
    assert sc.total_musd == pytest.approx(expected, rel=1e-6)
    assert sc.validity["inside_range"] is True
    assert all(e.cv == pytest.approx(0.364) and e.group == "cer" for e in sc.elements)


def test_sscm05_extrapolation_is_flagged():
    heavy = spacecraft_cost(1500.0, 100.0)
    assert heavy.validity["inside_range"] is False
    assert any("extrapolated" in f for f in heavy.flags)
    assert any("1000 kg population" in f for f in heavy.flags)
    light = spacecraft_cost(12.0, 2.0)
    assert any("outside its 20-400 kg range" in f for f in light.flags)
    nopay = spacecraft_cost(100.0)
    assert any("payload mass unknown" in f for f in nopay.flags)


def test_uscm8_method_and_bad_inputs():
    sc = spacecraft_cost(120.0, 20.0, method="uscm8")
    nr, rec = 10800.0, 7665.722
    payload = 0.40 * (nr + rec)
    iat = 0.124 * nr + 0.195 * (rec + payload)
    prog = 0.357 * (nr + 0.124 * nr) + 0.320 * (rec + payload + 0.195 * (rec + payload))
    age = 0.432 * nr**0.907 + 2.244
    expected = (nr + rec + payload + iat + prog + age) * ESC_2010_2025 / 1000
    assert sc.total_musd == pytest.approx(expected, rel=1e-6)
    assert any("USCM8" in f for f in sc.flags)
    with pytest.raises(InputError, match="unknown CER method"):
        spacecraft_cost(100.0, method="nafcom")
    with pytest.raises(InputError, match="payload mass"):
        spacecraft_cost(100.0, 150.0)
    with pytest.raises(InputError, match="dry mass must be positive"):
        spacecraft_cost(0.0)


def test_escalation_index():
    m = load_cost_model()
    f, flags = m.escalation.factor(2010, 2025)
    assert f == pytest.approx(ESC_2010_2025, rel=1e-12) and flags == []
    # FY2009 is interpolated log-linearly between FY2000 (1.040) and FY2010 (1.384)
    f09, flags = m.escalation.factor(2009, 2010)
    assert f09 == pytest.approx(1.384 / (1.040 * (1.384 / 1.040) ** 0.9), rel=1e-12)
    assert flags and "interpolated" in flags[0]
    # after the table: last value (flagged); before: refused
    f26, flags = m.escalation.factor(2026, 2025)
    assert f26 == 1.0 and "after the last" in flags[0]
    with pytest.raises(InputError, match="FY1990"):
        m.escalation.factor(1990, 2025)


def test_currency_conversion_uses_g5a_annual_rates():
    m = load_cost_model()
    # Federal Reserve G.5A: EUR 2018 = 1.1817 US$/EUR; JPY 2023 = 140.5001 JPY/US$
    assert m.to_usd(100.0, "EUR", 2018)[0] == pytest.approx(118.17, abs=1e-9)
    assert m.to_usd(140.5001, "JPY", 2023)[0] == pytest.approx(1.0, abs=1e-12)
    usd, flags = m.to_usd(1.0, "EUR", 2024)  # not tabulated: nearest year (2023)
    assert usd == pytest.approx(1.0817) and "not tabulated" in flags[0]
    with pytest.raises(InputError, match="no exchange rate for CHF"):
        m.to_usd(1.0, "CHF", 2020)


def test_operations_hand_value():
    # small_lander: 2 technicians x $150k + 6 engineers x $200k (FY2010, New SMAD 11-25)
    # DSN: AF = 1057 $/h (FY2009) x 1.0 x (0.9 + 7/10); 7 contacts x 6 h x 52.18 weeks
    el, d = operations_cost(2.0, "small_lander")
    staff = 1500.0 * ESC_2010_2025 / 1000.0
    i2009 = 1.040 * (1.384 / 1.040) ** 0.9
    hours = 7 * 6 * 365.25 / 7
    dsn = hours * 1057.0 * 1.6 * (1.906 / i2009) / 1e6
    assert d["staff_musd_per_year"] == pytest.approx(staff, rel=1e-12)
    assert d["ground_musd_per_year"] == pytest.approx(dsn, rel=1e-12)
    assert el.point_musd == pytest.approx(2.0 * (staff + dsn), rel=1e-12)
    with pytest.raises(InputError, match="no operations plan"):
        operations_cost(1.0, "battlestar")


def test_rocket_equation_sizing_against_domain_table():
    # DOMAIN 5.1 table: propellant fraction 0.273 at Isp 320 s, 1000 m/s
    s = size_spacecraft(1000.0, 320.0, 1.0)
    assert s["propellant_kg"] / s["wet_kg"] == pytest.approx(0.273, abs=5e-4)
    # m_p = m_f (exp(dv / (Isp g0)) - 1): 3 km/s at 450 s from 1000 kg -> 973.504 kg
    s = size_spacecraft(1000.0, 450.0, 3.0)
    assert s["propellant_kg"] == pytest.approx(973.504, abs=1e-3)
    # with 10 % tankage and no profile load: m_p = (R-1) m / (1 - f) = 1078.496 kg
    s = size_spacecraft(1000.0, 450.0, 3.0, tank_fraction=0.1)
    assert s["propellant_kg"] == pytest.approx(1078.496, abs=1e-3)
    assert s["tank_growth_kg"] == pytest.approx(0.1 * s["propellant_kg"], rel=1e-12)


@pytest.mark.parametrize("dv", [0.2, 1.0, 2.5, 4.0])
@pytest.mark.parametrize("load", [0.0, 300.0])
def test_sizing_closes_the_loop(dv, load):
    """Invariant: the sized spacecraft flies exactly dv (to 1 mm/s), tanks beyond the load."""
    s = size_spacecraft(500.0, 320.0, dv, propellant_mass_kg=load, tank_fraction=0.1)
    assert s["feasible"]
    assert float(dv_capacity(s["wet_kg"], s["dry_kg"], 320.0)) == pytest.approx(dv, abs=1e-6)
    extra = max(0.0, s["propellant_kg"] - load)
    assert s["tank_growth_kg"] == pytest.approx(0.1 * extra, abs=1e-9)


def test_sizing_that_cannot_close_is_infeasible():
    # f (R - 1) >= 1 with f = 0.1 needs R >= 11: dv >= Isp g0 ln 11 = 7.05 km/s at 300 s
    s = size_spacecraft(100.0, 300.0, 7.2, tank_fraction=0.1)
    assert not s["feasible"] and "does not close" in s["note"]


def test_bad_cost_model_file_names_table_and_key(tmp_path):
    from prospect.cost.model import load_cost_model as load

    src = load().path.read_text()
    bad = tmp_path / "cm.toml"
    bad.write_text(src.replace("see_frac = 0.364", 'see_frac = "big"', 1))
    with pytest.raises(CatalogFormatError, match=r"record cer\.sscm05: field 'see_frac'"):
        spacecraft_cost(100.0, model=load(bad))
