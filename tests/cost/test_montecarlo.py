"""Seeded Monte Carlo of cost errors: reproducible, ordered percentiles, right moments."""

import math

import numpy as np
import pytest

from prospect.cost.montecarlo import CostElement, simulate
from prospect.errors import InputError


def elements():
    return [
        CostElement("bus", 20.0, 0.364, group="cer", reserve=True),
        CostElement("payload", 8.0, 0.364, group="cer", reserve=True),
        CostElement("launch", 9.0, dist="uniform", low_musd=7.0, high_musd=12.0),
        CostElement("ops", 3.0, 0.2, group="ops"),
        CostElement("fixed", 1.0, dist="fixed"),
    ]


def test_reproducible_with_seed_and_seed_matters():
    a = simulate(elements(), reserve_fraction=0.25, n=5000, seed=42)
    b = simulate(elements(), reserve_fraction=0.25, n=5000, seed=42)
    c = simulate(elements(), reserve_fraction=0.25, n=5000, seed=43)
    assert np.array_equal(a.total, b.total)
    assert a.summary() == b.summary()
    assert not np.array_equal(a.total, c.total)


def test_percentiles_ordered():
    d = simulate(elements(), reserve_fraction=0.25, n=20000, seed=1)
    assert d.p10 < d.p50 < d.p90
    for st in d.summary()["elements"].values():
        assert st["p10_musd"] <= st["p50_musd"] <= st["p90_musd"]


def test_lognormal_keeps_the_mean_and_has_the_analytic_median():
    # lognormal with mean m and CV c: sigma^2 = ln(1 + c^2), median = m exp(-sigma^2 / 2)
    m, cv, n = 10.0, 0.364, 400_000
    d = simulate([CostElement("x", m, cv)], n=n, seed=3)
    s2 = math.log1p(cv**2)
    # sampling tolerances: 5 standard errors of the mean / of the median
    assert d.mean == pytest.approx(m, abs=5 * m * cv / math.sqrt(n))
    med = m * math.exp(-s2 / 2)
    se_med = 1.2533 * med * math.sqrt(s2) / math.sqrt(n)
    assert d.p50 == pytest.approx(med, abs=5 * se_med)
    # P90 of a lognormal: median x exp(1.28155 sigma)
    assert d.p90 == pytest.approx(med * math.exp(1.2815516 * math.sqrt(s2)), rel=5e-3)


def test_group_members_move_together_and_reserve_is_exact():
    d = simulate(elements(), reserve_fraction=0.25, n=2000, seed=5)
    ratio = d.by_element["payload"] / d.by_element["bus"]
    assert np.allclose(ratio, 8.0 / 20.0, rtol=1e-12)
    assert np.allclose(
        d.by_element["reserve"], 0.25 * (d.by_element["bus"] + d.by_element["payload"])
    )
    la = d.by_element["launch"]
    assert la.min() >= 7.0 and la.max() <= 12.0
    assert np.all(d.by_element["fixed"] == 1.0)
    assert d.point_musd == pytest.approx(41.0 + 0.25 * 28.0)
    parts = sum(v for k, v in d.by_element.items())
    assert np.allclose(parts, d.total)


def test_bad_elements():
    with pytest.raises(InputError, match="unknown distribution"):
        CostElement("x", 1.0, dist="beta")
    with pytest.raises(InputError, match="point estimate"):
        CostElement("x", -1.0)
    with pytest.raises(InputError, match="uniform element needs"):
        CostElement("x", 1.0, dist="uniform", low_musd=2.0, high_musd=1.0)
    with pytest.raises(InputError, match="unique"):
        simulate([CostElement("x", 1.0), CostElement("x", 2.0)])
    with pytest.raises(InputError, match="no cost elements"):
        simulate([])
    with pytest.raises(InputError, match="percentile"):
        simulate([CostElement("x", 1.0)], n=10).percentile(101)
