"""Shapley values on games with known answers, coalition worths, cost shares, yield split.

Known answers (Shapley 1953, value = average marginal contribution over the n!
orderings), derived by hand:

* glove game, player 0 holds a left glove, players 1 and 2 a right glove:
  player 0 completes a pair whenever it is not first (4 of 6 orderings) -> 2/3;
  a right glove completes one only in the ordering (0, itself, other) -> 1/6 each;
* 3-player majority game (any 2 win): symmetric -> 1/3 each;
* weighted majority [quota 3; weights 2, 1, 1]: player 0 is pivotal whenever
  it is not first -> 2/3; player 1 only in (0, 1, 2) -> 1/6; player 2 -> 1/6.

The vectorised exact formula is also checked against an independent
implementation (the loop over all orderings) on seeded random games.
"""

import itertools
import math

import numpy as np
import pytest
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from prospect.cost.sharing import (
    coalition_masks,
    coalition_values,
    cost_shares,
    shapley_values,
    split_yield,
)
from prospect.errors import InputError


def game(n, worth):
    """v[mask] from a function of the member tuple."""
    masks, member = coalition_masks(n)
    return np.array([worth(tuple(np.flatnonzero(member[m]))) for m in masks], dtype=float)


def shapley_by_orderings(v, n):
    """Independent reference: average marginal contribution over all orderings."""
    phi = np.zeros(n)
    perms = list(itertools.permutations(range(n)))
    for order in perms:
        mask = 0
        for i in order:
            phi[i] += v[mask | (1 << i)] - v[mask]
            mask |= 1 << i
    return phi / len(perms)


def test_glove_game():
    # player 0 holds a left glove, players 1 and 2 a right glove each
    v = game(3, lambda s: min(int(0 in s), sum(1 for p in s if p in (1, 2))))
    assert shapley_values(v) == pytest.approx([2 / 3, 1 / 6, 1 / 6], abs=1e-15)


def test_three_player_majority():
    v = game(3, lambda s: 1.0 if len(s) >= 2 else 0.0)
    assert shapley_values(v) == pytest.approx([1 / 3] * 3, abs=1e-15)


def test_weighted_majority_3_2_1_1():
    w = [2, 1, 1]
    v = game(3, lambda s: 1.0 if sum(w[p] for p in s) >= 3 else 0.0)
    assert shapley_values(v) == pytest.approx([2 / 3, 1 / 6, 1 / 6], abs=1e-15)


def test_null_player_and_symmetry():
    # player 2 adds nothing anywhere; players 0 and 1 are interchangeable
    v = game(3, lambda s: 10.0 if (0 in s or 1 in s) else 0.0)
    phi = shapley_values(v)
    assert phi[2] == 0.0
    assert phi[0] == pytest.approx(phi[1], abs=1e-12)
    assert phi.sum() == pytest.approx(10.0, abs=1e-12)


@fuzz(default=40)
@given(n=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_exact_formula_matches_orderings_and_is_efficient(n, seed):
    rng = np.random.default_rng(seed)
    v = rng.normal(size=1 << n) * 100.0
    v[0] = 0.0
    phi = shapley_values(v)
    assert phi == pytest.approx(shapley_by_orderings(v, n), abs=1e-9)
    assert phi.sum() == pytest.approx(v[-1], abs=1e-9)  # efficiency


def test_twelve_members_efficiency_and_symmetry():
    n = 12
    rng = np.random.default_rng(7)
    budgets = rng.uniform(0, 50, n)
    budgets[3] = budgets[5]  # two identical members
    v, _ = coalition_values(budgets, [0] * n, [120.0, 300.0], [200.0, 520.0], [0, 0])
    phi = shapley_values(v)
    assert phi.sum() == pytest.approx(v[-1], rel=1e-12)
    assert phi[3] == pytest.approx(phi[5], rel=1e-12)


def test_game_input_errors():
    with pytest.raises(InputError, match="2\\*\\*n"):
        shapley_values([0.0, 1.0, 2.0])
    with pytest.raises(InputError, match="empty coalition"):
        shapley_values([1.0, 2.0])


def test_coalition_values_budget_and_capabilities():
    # members: A $60 M (no launch), B $60 M (launch), C $0 (launch + ground station)
    LAUNCH, GS = 1, 2
    caps = [0, LAUNCH, LAUNCH | GS]
    # mission 0: $100 M, worth $150 M, needs launch; mission 1: $50 M, worth $70 M, needs GS
    v, best = coalition_values([60, 60, 0], caps, [100, 50], [150, 70], [LAUNCH, GS])
    # coalitions by bitmask: {A}=1 {B}=2 {AB}=3 {C}=4 {AC}=5 {BC}=6 {ABC}=7
    assert v.tolist() == [0, 0, 0, 50, 0, 20, 20, 50]
    assert best.tolist() == [-1, -1, -1, 0, -1, 1, 1, 0]
    phi = shapley_values(v)
    assert phi.sum() == pytest.approx(50.0)
    with pytest.raises(InputError, match="member #2: contribution"):
        coalition_values([60, -1, 0], caps, [100], [150], [0])


def test_cost_shares():
    assert cost_shares({"A": 30.0, "B": 10.0, "C": 0.0}) == {"A": 0.75, "B": 0.25, "C": 0.0}
    with pytest.raises(InputError, match="member 'B': contribution must be a finite amount >= 0"):
        cost_shares({"A": 30.0, "B": -5.0})
    with pytest.raises(InputError, match=r"shares add up to 0\.9, not 1"):
        cost_shares({"A": 1.0, "B": 1.0}, {"A": 0.7, "B": 0.2})
    with pytest.raises(InputError, match="unknown: Z"):
        cost_shares({"A": 1.0}, {"A": 0.5, "Z": 0.5})
    with pytest.raises(InputError, match="add up to 0"):
        cost_shares({"A": 0.0})


def test_split_proportional_with_fund():
    df = split_yield(["A", "B"], {"A": 0.75, "B": 0.25}, 100.0, 400.0, 20.0, fund_fraction=0.1)
    assert df["yield_share"].sum() == pytest.approx(1.0)
    assert df["cost_musd"].sum() == pytest.approx(100.0)
    assert df.loc[2, "member"] == "benefit-sharing fund"
    assert df.loc[2, "value_musd"] == pytest.approx(40.0)
    assert df.loc[0, "value_musd"] == pytest.approx(0.75 * 360.0)
    assert df.loc[0, "net_musd"] == pytest.approx(0.75 * 360.0 - 75.0)


def test_split_shapley_is_efficient_and_recovers_costs():
    # surplus game: members recover their cost share, then get their Shapley value
    v, _ = coalition_values([60, 60], [0, 0], [100.0], [0.9 * 150.0], [0])
    phi = shapley_values(v)
    df = split_yield(
        ["A", "B"],
        {"A": 0.5, "B": 0.5},
        100.0,
        150.0,
        10.0,
        rule="shapley",
        fund_fraction=0.1,
        shapley_phi=phi,
    )
    members = df.iloc[:2]
    assert members["value_musd"].sum() == pytest.approx(0.9 * 150.0)
    assert members["net_musd"].tolist() == pytest.approx(phi.tolist())
    assert df["yield_share"].sum() == pytest.approx(1.0)
    # a loss-making mission has no surplus: the yield falls back to contribution
    df = split_yield(
        ["A", "B"], {"A": 0.8, "B": 0.2}, 100.0, 50.0, 10.0, rule="shapley", shapley_phi=[0.0, 0.0]
    )
    assert df.loc[0, "yield_share"] == pytest.approx(0.8)
    with pytest.raises(InputError, match="unknown split rule"):
        split_yield(["A"], {"A": 1.0}, 1.0, 1.0, 1.0, rule="auction")
    with pytest.raises(InputError, match="fund fraction"):
        split_yield(["A"], {"A": 1.0}, 1.0, 1.0, 1.0, fund_fraction=1.0)
    assert math.isfinite(df["net_musd"].sum())
