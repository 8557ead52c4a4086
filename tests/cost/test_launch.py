"""Launch choice on a hand-built launcher table: cheapest feasible option, closed loop.

Every expected number is recomputed here from the rocket equation and the
tariff, with the same constants (g0 = 9.80665 m/s^2, GM_E 398600.4418 km^3/s^2,
R_E 6378.137 km, LEO 400 km (the NHATS parking orbit of prospect.data.orbits),
GTO 250 x 35,786 km, 10 % tankage).
"""

import math

import pytest

from prospect.cost import choose_launch, load_cost_model
from prospect.data import load_launchers
from prospect.errors import InputError

MU, RE, G0 = 398600.4418, 6378.137, 9.80665e-3
R_LEO = RE + 400.0
RP, RA = RE + 250.0, RE + 35786.0
F = 0.10  # cost_model.toml [propulsion] tank_fraction


#: A hand-built launchers.toml; the tests load it with the shipped loader so
#: choose_launch sees the typed records (prospect.data.Launcher) it always sees.
LAUNCHERS_TOML = """
[tiny]
label = "Tiny"
modes = ["dedicated"]
price = { value = 7.0e6, currency = "USD", year = 2025 }
leo_kg = { value = 300.0, estimate = false, source = "hand" }

[heavy]
label = "Heavy"
modes = ["dedicated", "c3"]
price = { value = 100.0e6, currency = "USD", year = 2025 }

[heavy.c3]
c3_km2_s2 = [0.0, 10.0, 20.0]
payload_kg = [5000.0, 4000.0, 3000.0]
source = "hand"
estimate = false

[share]
label = "Share"
modes = ["rideshare_leo"]

[share.rideshare]
base_price = { value = 0.5e6 }
base_mass_kg = { value = 50.0 }
price_per_kg = { value = 1.0e4 }
currency = "USD"
year = 2025
orbit = "SSO"

[gtoslot]
label = "GTO slot"
modes = ["rideshare_gto"]

[gtoslot.rideshare]
base_price = { value = 5.0e6, estimate = true }
base_mass_kg = { value = 600.0, estimate = true }
currency = "USD"
year = 2025
orbit = "GTO"

[dream]
label = "Dream rocket (projected)"
modes = ["dedicated"]
price = { value = 1.0e6, currency = "USD", year = 2025 }
leo_kg = { value = 100000.0, estimate = true }
"""


@pytest.fixture(scope="module")
def LAUNCHERS(tmp_path_factory):
    path = tmp_path_factory.mktemp("lv") / "launchers.toml"
    path.write_text(LAUNCHERS_TOML)
    return load_launchers(path)


def wet(dry, isp, dv):
    """Closed-loop wet mass with tankage on all propellant (profile load 0)."""
    rm1 = math.exp(dv / (isp * G0)) - 1.0
    mp = rm1 * dry / (1.0 - F * rm1)
    return dry + (1.0 + F) * mp


def escape_circ(c3, r):
    return math.sqrt(c3 + 2 * MU / r) - math.sqrt(MU / r)


def escape_gto(c3):
    a = (RP + RA) / 2
    return math.sqrt(c3 + 2 * MU / RP) - math.sqrt(MU * (2 / RP - 1 / a))


def test_cheapest_feasible_option_by_hand(LAUNCHERS):
    dry, isp, dv, c3 = 100.0, 300.0, 0.5, 10.0
    ch = choose_launch(
        LAUNCHERS, dry_mass_kg=dry, isp_s=isp, mission_dv_km_s=dv, target_c3_km2_s2=c3
    )
    w_share = wet(dry, isp, dv + escape_circ(c3, R_LEO))
    w_gto = wet(dry, isp, dv + escape_gto(c3))
    w_direct = wet(dry, isp, dv)
    by = {(o.launcher, o.service): o for o in ch.options}
    assert by[("share", "rideshare")].wet_kg == pytest.approx(w_share, rel=1e-9)
    assert by[("gtoslot", "rideshare")].wet_kg == pytest.approx(w_gto, rel=1e-9)
    assert by[("heavy", "c3")].wet_kg == pytest.approx(w_direct, rel=1e-9)
    price_share = (0.5e6 + (w_share - 50.0) * 1.0e4) / 1e6
    assert by[("share", "rideshare")].price_musd == pytest.approx(price_share, rel=1e-9)
    # capability: Heavy interpolates 4000 kg at C3 10; Tiny's 300 kg LEO is too small
    assert by[("heavy", "c3")].capacity_kg == pytest.approx(4000.0)
    assert not by[("tiny", "leo")].feasible and "exceeds the 300 kg" in by[("tiny", "leo")].reason
    # hand ranking of feasible prices: GTO slot 5.0 < Share ~5.8 < Heavy 100
    assert w_gto < 600.0 and price_share > 5.0
    assert (ch.best.launcher, ch.best.service) == ("gtoslot", "rideshare")
    assert ch.best.price_musd == pytest.approx(5.0, rel=1e-12)
    assert ch.best.estimate  # the slot's tariff is an estimate: flag carried
    assert [o.price_musd for o in ch.options if o.feasible] == sorted(
        o.price_musd for o in ch.options if o.feasible
    )
    # the projected vehicle is ignored unless asked for
    assert "dream" not in {o.launcher for o in ch.options}
    ch2 = choose_launch(
        LAUNCHERS,
        dry_mass_kg=dry,
        isp_s=isp,
        mission_dv_km_s=dv,
        target_c3_km2_s2=c3,
        include_speculative=True,
    )
    assert ch2.best.launcher == "dream"


def test_gto_slot_mass_limit_and_closed_loop_switch(LAUNCHERS):
    # a heavier spacecraft outgrows the 600 kg GTO slot: the per-kg rideshare wins
    dry, isp, dv, c3 = 350.0, 300.0, 0.5, 10.0
    ch = choose_launch(
        LAUNCHERS, dry_mass_kg=dry, isp_s=isp, mission_dv_km_s=dv, target_c3_km2_s2=c3
    )
    w_gto = wet(dry, isp, dv + escape_gto(c3))
    w_share = wet(dry, isp, dv + escape_circ(c3, R_LEO))
    assert w_gto > 600.0
    slot = next(o for o in ch.options if o.launcher == "gtoslot")
    assert not slot.feasible and "exceeds the 600 kg" in slot.reason
    assert ch.best.launcher == "share"
    assert ch.best.price_musd == pytest.approx((0.5e6 + (w_share - 50) * 1e4) / 1e6, rel=1e-9)


def test_c3_outside_the_published_table_is_refused(LAUNCHERS):
    heavy = LAUNCHERS["heavy"]
    assert heavy.payload_at_c3(15.0) == 3500.0
    assert math.isnan(heavy.payload_at_c3(25.0)) and math.isnan(heavy.payload_at_c3(-2.0))
    kw = {"dry_mass_kg": 100.0, "isp_s": 300.0, "mission_dv_km_s": 0.5}
    ch = choose_launch(LAUNCHERS, target_c3_km2_s2=25.0, **kw)
    opt = next(o for o in ch.options if o.launcher == "heavy")
    assert not opt.feasible and "beyond the published table" in opt.reason
    # below the first entry (0): outside the published performance, not clamped to it
    ch = choose_launch(LAUNCHERS, target_c3_km2_s2=-2.0, **kw)
    opt = next(o for o in ch.options if o.launcher == "heavy")
    assert not opt.feasible and opt.capacity_kg is None
    assert "below the published table" in opt.reason


def test_raw_tables_are_refused():
    with pytest.raises(InputError, match=r"^launchers: expected prospect.data.Launcher"):
        choose_launch(
            {"x": {"label": "X", "modes": ["dedicated"]}},
            dry_mass_kg=100.0,
            isp_s=300.0,
            mission_dv_km_s=0.5,
            target_c3_km2_s2=10.0,
        )


def test_no_launcher_delivers(LAUNCHERS):
    lv = {"tiny": LAUNCHERS["tiny"]}
    with pytest.raises(InputError, match=r"^launch: no launcher delivers.*tiny/leo"):
        choose_launch(
            lv, dry_mass_kg=100.0, isp_s=300.0, mission_dv_km_s=0.5, target_c3_km2_s2=10.0
        )


def test_kick_stage_removes_the_parking_orbit_burn(LAUNCHERS):
    # profile kick stage to C3 = 0: the spacecraft only adds v_inf in deep space
    c3 = 4.0
    ch = choose_launch(
        {"share": LAUNCHERS["share"]},
        dry_mass_kg=30.0,
        isp_s=175.0,
        mission_dv_km_s=0.0,
        target_c3_km2_s2=c3,
        kick_stage_c3_km2_s2=0.0,
    )
    assert ch.best.escape_dv_km_s == pytest.approx(2.0, abs=1e-12)  # sqrt(4) - sqrt(0)
    assert any("kick stage" in n for n in ch.best.notes)


def test_estimate_price_becomes_an_uncertain_cost_element(LAUNCHERS):
    m = load_cost_model()
    ch = choose_launch(
        LAUNCHERS, dry_mass_kg=100.0, isp_s=300.0, mission_dv_km_s=0.5, target_c3_km2_s2=10.0
    )
    el = ch.best.cost_element(m)
    assert el.estimate and el.dist == "lognormal" and el.cv == pytest.approx(0.15)
    firm = next(o for o in ch.options if o.launcher == "heavy").cost_element(m)
    assert firm.dist == "fixed" and not firm.estimate
