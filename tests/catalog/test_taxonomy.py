"""Spectral classes -> resource complexes (prospect.catalog.taxonomy)."""

from __future__ import annotations

import math

import pytest

from prospect.catalog import find_target, load_neas
from prospect.catalog.taxonomy import COMPLEXES, composition, resource_complex


@pytest.fixture(scope="module")
def neas():
    return load_neas()


# Classes published for the spacecraft targets, and what they are made of:
# Bennu B (Clark et al. 2011; OSIRIS-REx found hydrated phyllosilicates, Hamilton 2019),
# Ryugu Cb (Binzel 2001; Hayabusa2 returned CI-like material, Yada 2022), Eros S
# (NEAR: ordinary chondrite, Trombka 2000), Itokawa S(IV) (Hayabusa: LL chondrite,
# Nakamura 2011).
@pytest.mark.parametrize(
    ("name", "complex_"),
    [
        ("Bennu", "water"),
        ("Ryugu", "water"),
        ("Eros", "construction"),
        ("Itokawa", "construction"),
    ],
)
def test_spacecraft_targets_get_the_complex_their_samples_show(neas, name, complex_):
    row = neas.loc[find_target(neas, name)]
    got = composition(row["spec_mahlke"], row["spec_b"], row["spec_t"], row["albedo"])
    assert got == (complex_, COMPLEXES[complex_])


def test_mahlke_class_comes_first_then_bus_then_tholen():
    assert resource_complex("S", "Cb", "C") == "construction"
    assert resource_complex(None, "Cb", "S") == "water"
    assert resource_complex(None, None, "CSU") == "water"  # first letter is the best fit
    assert resource_complex(None, "", "  ") == "unknown"


@pytest.mark.parametrize(
    ("mahlke", "complex_"),
    [
        ("B", "water"),
        ("C", "water"),
        ("Ch", "water"),
        ("M", "metal"),
        ("Mk", "metal"),
        ("Me", "metal"),
        ("P", "volatiles"),
        ("Pk", "volatiles"),
        ("D", "volatiles"),
        ("Z", "volatiles"),
        ("S", "construction"),
        ("Q", "construction"),
        ("K", "construction"),
        ("L", "construction"),
        ("V", "other"),
        ("A", "other"),
        ("E", "other"),
        ("Ek", "other"),
        ("O", "other"),
        ("R", "other"),
    ],
)
def test_every_mahlke_class_has_a_complex(mahlke, complex_):
    assert resource_complex(mahlke) == complex_


@pytest.mark.parametrize(
    ("bus", "complex_"),
    [
        ("Sq", "construction"),
        ("Sw", "construction"),
        ("Sqw", "construction"),
        ("S(IV)", "construction"),
        ("S:", "construction"),
        ("Qw", "construction"),
        ("Cgh", "water"),
        ("Xk", "metal"),
        ("Xc", "metal"),
        ("Xe", "other"),  # E-type-like (DeMeo et al. 2009): enstatite, not metal
        ("T", "volatiles"),
        ("V", "other"),
    ],
)
def test_bus_demeo_classes(bus, complex_):
    assert resource_complex(None, bus) == complex_


def test_x_types_are_split_by_a_measured_albedo_as_tholen_did():
    # Tholen & Barucci 1989: E pV > 0.3, M 0.1-0.3, P < 0.1
    assert [resource_complex("X", albedo=p) for p in (0.45, 0.2, 0.04)] == [
        "other",
        "metal",
        "volatiles",
    ]
    assert resource_complex("Xk", albedo=math.nan) == "other"
    assert resource_complex(None, "X", albedo=0.15) == "metal"


def test_every_class_in_the_shipped_table_is_mapped(neas):
    """No class of the 1,188 classified NEAs falls through to 'unknown'."""
    has = neas[neas["spec_source"].notna()]
    assert len(has) == 1188
    got = [
        resource_complex(m, b, t)
        for m, b, t in zip(has["spec_mahlke"], has["spec_b"], has["spec_t"], strict=True)
    ]
    assert "unknown" not in got
