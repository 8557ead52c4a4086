"""Diameters and albedos: the H-D-pV relation and the choice of albedo."""

import numpy as np
import pandas as pd
import pytest

from prospect.catalog.physical import (
    ALBEDO_BY_CLASS,
    ALBEDO_SOURCES,
    DIAMETER_SOURCES,
    albedo_class,
    albedo_from_diameter,
    diameter_from_h,
    fill_physical,
    population_albedo,
)

# shared/domain/DOMAIN.md section 3.1, "D (m) by H and pV", computed there from
# D = 1329 / sqrt(pV) 10^(-H/5) and rounded to the metre.
DOMAIN_H = [17, 18, 19, 20, 21, 22, 24, 26]
DOMAIN_TABLE_M = {
    0.04: [2645, 1669, 1053, 664, 419, 265, 105, 42],
    0.06: [2160, 1363, 860, 543, 342, 216, 86, 34],
    0.14: [1414, 892, 563, 355, 224, 141, 56, 22],
    0.25: [1058, 668, 421, 266, 168, 106, 42, 17],
    0.45: [789, 498, 314, 198, 125, 79, 31, 13],
}


@pytest.mark.parametrize("albedo", DOMAIN_TABLE_M)
def test_diameter_matches_domain_table(albedo):
    d_m = diameter_from_h(np.array(DOMAIN_H, dtype=float), albedo) * 1000.0
    # the table is rounded to whole metres: 0.5 m + float slack
    np.testing.assert_allclose(d_m, DOMAIN_TABLE_M[albedo], atol=0.51, rtol=0)


def test_population_albedo_gives_one_km_at_h_17_85():
    # Morbidelli (ESA NEO study): H = 17.85 <-> D = 1 km for the debiased NEO mix
    assert diameter_from_h(17.85, population_albedo()) == pytest.approx(1.0, abs=1e-12)
    assert population_albedo() == pytest.approx(0.12795, abs=5e-6)


def test_albedo_from_diameter_inverts_diameter_from_h():
    h = np.linspace(10, 30, 41)
    p = np.linspace(0.02, 0.6, 41)
    np.testing.assert_allclose(albedo_from_diameter(h, diameter_from_h(h, p)), p, rtol=1e-13)


def test_bad_inputs_give_nan_not_errors():
    d = diameter_from_h([20.0, np.nan, 20.0, 20.0], [0.1, 0.1, 0.0, -0.1])
    assert np.isfinite(d[0]) and np.isnan(d[1:]).all()
    assert np.isnan(albedo_from_diameter(20.0, 0.0))


def test_bennu_size_from_h_and_measured_albedo():
    """Plausibility against a measured body: Bennu H 20.68 (MPC), pV 0.044 and
    mean radius 245 m (DOMAIN.md 3.3, OSIRIS-REx).  The relation gives 463 m
    for a measured 490 m: within 10 %, the spread a 0.1-0.2 mag error in H
    (a few per cent to 10 % in D) allows."""
    d = diameter_from_h(20.68, 0.044)
    assert d == pytest.approx(0.490, rel=0.10)


@pytest.mark.parametrize(
    ("spec_b", "spec_t", "cls"),
    [
        ("S", None, "S"),
        ("Sq", None, "S"),
        ("Sr", "S", "S"),
        ("Q", None, "Q"),
        ("V", None, "V"),
        ("D", None, "D"),
        ("B", "F", "C"),  # Bennu
        ("Cb", None, "C"),  # Ryugu
        ("Ch", None, "C"),
        ("Cgh", None, "C"),
        (None, "FC", "C"),
        (None, "G", "C"),
        (None, "S:", "S"),
        (None, "SU", "S"),
        ("Xk", "M", None),  # no mean NEO albedo for the X complex in Thomas et al. 2011
        ("K", None, None),
        ("L", None, None),
        (None, None, None),
        ("", "", None),
    ],
)
def test_albedo_class(spec_b, spec_t, cls):
    assert albedo_class(spec_b, spec_t) == cls


def _frame(rows):
    df = pd.DataFrame(rows, columns=["h_mag", "albedo", "diameter_km", "spec_b", "spec_t"])
    df["spec_b"] = df["spec_b"].astype("str")
    df["spec_t"] = df["spec_t"].astype("str")
    return df


def test_fill_physical_keeps_measured_values_and_says_where_others_come_from():
    df = _frame(
        [
            (20.0, 0.30, 0.40, None, None),  # both measured
            (20.0, np.nan, 0.40, None, None),  # diameter measured
            (20.0, 0.30, np.nan, None, None),  # albedo measured
            (20.0, np.nan, np.nan, "V", None),  # class V
            (20.0, np.nan, np.nan, None, "F"),  # Tholen F -> C
            (20.0, np.nan, np.nan, "Xe", None),  # no class albedo
            (np.nan, np.nan, np.nan, None, None),  # no H: no diameter
            (20.0, -1.0, 0.0, None, None),  # nonsense measurements are not kept
        ]
    )
    fill_physical(df)
    assert df["albedo_source"].tolist() == [
        "catalog",
        "diameter+H",
        "catalog",
        "class V (Thomas 2011)",
        "class C (Thomas 2011)",
        "NEO average",
        "NEO average",
        "NEO average",
    ]
    assert df["diameter_source"].tolist() == [
        "catalog",
        "catalog",
        "H+albedo",
        "H+albedo",
        "H+albedo",
        "H+albedo",
        "unknown",
        "H+albedo",
    ]
    assert set(df["albedo_source"]) <= set(ALBEDO_SOURCES)
    assert set(df["diameter_source"]) <= set(DIAMETER_SOURCES)
    assert df["albedo"][0] == 0.30 and df["diameter_km"][0] == 0.40
    assert df["albedo"][1] == pytest.approx(albedo_from_diameter(20.0, 0.40), rel=1e-14)
    assert df["diameter_km"][2] == pytest.approx(diameter_from_h(20.0, 0.30), rel=1e-14)
    assert df["albedo"][3] == ALBEDO_BY_CLASS["V"] == 0.42
    assert df["albedo"][4] == ALBEDO_BY_CLASS["C"] == 0.13
    assert df["albedo"][5] == population_albedo()
    assert np.isnan(df["diameter_km"][6])
    # a 1-km object at the population albedo has H = 17.85
    assert diameter_from_h(17.85, df["albedo"][7]) == pytest.approx(1.0, abs=1e-12)


def test_a_mahlke_class_gives_the_class_albedo_when_none_is_measured():
    """Thomas et al. 2011 mean NEO albedos: S 0.26, C 0.13; a measured albedo wins."""
    df = _frame(
        [
            (20.0, np.nan, np.nan, None, None),
            (20.0, np.nan, np.nan, "S", None),  # Mahlke first, then Bus
            (20.0, 0.05, np.nan, None, None),
        ]
    )
    df["spec_mahlke"] = pd.array(["Ch", "C", "S"], dtype="str")
    fill_physical(df, physical=False)
    assert df["albedo"].tolist() == [0.13, 0.13, 0.05]
    assert df["albedo_source"].tolist()[:2] == ["class C (Thomas 2011)"] * 2
    # the size range stays that of pV 0.25-0.05 while the albedo is not measured
    assert df["diameter_min_km"][0] == pytest.approx(diameter_from_h(20.0, 0.25), rel=1e-14)
    assert df["diameter_max_km"][0] == pytest.approx(diameter_from_h(20.0, 0.05), rel=1e-14)
    assert df["diameter_min_km"][2] == df["diameter_max_km"][2] == df["diameter_km"][2]


def test_rows_are_matched_in_the_table_given_not_the_cached_shipped_index():
    """The shipped table's index is kept between parses; any other table gets its own."""
    import hashlib

    from prospect._resources import catalog_path
    from prospect.catalog.physical import PHYSICAL_FILE, _match, physical_digest, shipped_physical

    tab = shipped_physical()
    df = tab[["number", "designation"]].iloc[[5, 0, 7]].reset_index(drop=True)
    assert _match(df, tab).tolist() == [5, 0, 7]
    other = tab.iloc[[0, 5]].reset_index(drop=True)
    assert _match(df, other).tolist() == [1, 0, -1]
    assert _match(df, tab).tolist() == [5, 0, 7]
    raw = catalog_path(PHYSICAL_FILE).read_bytes()
    assert physical_digest() == hashlib.blake2b(raw, digest_size=20).hexdigest()
