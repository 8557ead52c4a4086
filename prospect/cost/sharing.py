"""Cost shares, coalition games and the yield split among consortium members.

Cost is split by contribution: member *i* pays ``s_i = c_i / sum(c)`` of the
mission cost (or explicit shares that must sum to 1).

The yield is split by one of two rules, optionally after a fraction ``f`` of
the gross yield value goes to a benefit-sharing fund for non-member states
(Outer Space Treaty Art. I "for the benefit ... of all countries"; Moon
Agreement Art. 11 equitable sharing; DOMAIN.md 7.1-7.2):

``"proportional"``
    member *i* receives ``s_i (1 - f)`` of the yield.
``"shapley"``
    the coalition game ``v(S) = max(0, max_m [(1 - f) V_m - C_m])`` over the
    candidate missions *m* that coalition *S* can fly (pooled budget >= the
    mission's cost at the chosen percentile, and all capabilities the mission
    needs present among its members), else 0.  Each member first recovers its
    cost share and then receives its Shapley value of the surplus:
    ``value_i = s_i C + phi_i``, so values add up to ``(1 - f) V``
    (efficiency).  With no surplus (``v(N) = 0``: the mission does not pay for
    itself) there is nothing for Shapley to share and the loss falls by
    contribution: ``value_i = s_i (1 - f) V`` (the two agree at ``v(N) = 0``).

Shapley values are exact over all ``2^n`` coalitions (Shapley 1953):
``phi_i = sum_{S not containing i} |S|! (n-|S|-1)! / n! [v(S + i) - v(S)]``,
vectorised over coalitions encoded as bitmasks (member *i* is bit *i*); the
only Python loop is over the *n* members.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from prospect.errors import InputError

__all__ = [
    "MAX_PLAYERS",
    "SPLIT_RULES",
    "coalition_masks",
    "coalition_values",
    "cost_shares",
    "shapley_values",
    "split_yield",
]

#: Largest number of members handled exactly (2^20 coalitions ~ 1e6).
MAX_PLAYERS = 20
SPLIT_RULES = ("proportional", "shapley")
SHARE_TOLERANCE = 1e-6


def coalition_masks(n: int) -> tuple[np.ndarray, np.ndarray]:
    """All coalitions of ``n`` players as bitmasks and their membership matrix.

    Returns
    -------
    masks : ndarray of int64, shape (2**n,)
        ``0 .. 2**n - 1``; bit *i* set means player *i* is in the coalition.
    member : ndarray of bool, shape (2**n, n)
        ``member[S, i]`` is True when player *i* is in coalition *S*.

    Examples
    --------
    >>> masks, member = coalition_masks(2)
    >>> member.astype(int).tolist()
    [[0, 0], [1, 0], [0, 1], [1, 1]]
    """
    if not 0 <= n <= MAX_PLAYERS:
        raise InputError(
            f"exact Shapley values need 0..{MAX_PLAYERS} members, got {n}", option="members"
        )
    masks = np.arange(1 << n, dtype=np.int64)
    member = ((masks[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(bool)
    return masks, member


def shapley_values(v) -> np.ndarray:
    """Exact Shapley values of a cooperative game given on all coalitions.

    Parameters
    ----------
    v : array_like, shape (2**n,)
        ``v[S]`` is the worth of coalition ``S`` (bitmask, player *i* = bit *i*);
        ``v[0]`` (the empty coalition) must be 0.

    Returns
    -------
    ndarray, shape (n,)
        Shapley value of each player (Shapley 1953); they sum to ``v[-1]``.

    Raises
    ------
    InputError
        If the length is not a power of two or ``v[0] != 0``.

    Examples
    --------
    Glove game, player 0 holds a left glove, players 1 and 2 right gloves:

    >>> v = [0, 0, 0, 1, 0, 1, 0, 1]
    >>> shapley_values(v).round(6).tolist()
    [0.666667, 0.166667, 0.166667]
    """
    v = np.asarray(v, dtype=float)
    size = v.shape[0] if v.ndim == 1 else -1
    if size < 1 or size & (size - 1):
        raise InputError(
            f"a game needs one worth per coalition (2**n values), got shape {v.shape}",
            option="v",
        )
    n = size.bit_length() - 1
    if v[0] != 0.0:
        raise InputError(f"the empty coalition must be worth 0, got {v[0]!r}", option="v")
    if not np.all(np.isfinite(v)):
        raise InputError("coalition worths must be finite", option="v")
    masks, member = coalition_masks(n)
    sizes = member.sum(axis=1)
    # weight of a coalition of size s not containing i: s! (n-s-1)! / n!
    weights = np.array(
        [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]
    )
    phi = np.empty(n)
    for i in range(n):
        without = masks[~member[:, i]]
        phi[i] = np.dot(weights[sizes[without]], v[without | (1 << i)] - v[without])
    return phi


def coalition_values(
    budgets_musd,
    capabilities,
    mission_costs_musd,
    mission_values_musd,
    mission_requirements,
) -> tuple[np.ndarray, np.ndarray]:
    """Worth of every coalition: the best mission it can afford and fly.

    ``v(S) = max(0, max_m [V_m - C_m])`` over missions *m* with
    ``sum_{i in S} budget_i >= C_m`` and ``requirements_m ⊆ capabilities(S)``
    (capabilities pool by union); 0 when no mission qualifies.

    Parameters
    ----------
    budgets_musd : array_like, shape (n,)
        Each member's contribution (budget), $M; must be >= 0.
    capabilities : sequence of int, shape (n,)
        Capability bitmask of each member (see :func:`prospect.cost.plan`).
    mission_costs_musd : array_like, shape (m,)
        Cost of each candidate mission at the chosen percentile, $M.
    mission_values_musd : array_like, shape (m,)
        Value each mission yields to the consortium (after any fund share), $M.
    mission_requirements : sequence of int, shape (m,)
        Capability bitmask each mission needs.

    Returns
    -------
    v : ndarray, shape (2**n,)
        Worth of each coalition.
    best : ndarray of int, shape (2**n,)
        Index of the mission each coalition flies, -1 for none.

    Examples
    --------
    Two members with $60 M each; one $100 M mission worth $150 M:

    >>> v, best = coalition_values([60, 60], [0, 0], [100], [150], [0])
    >>> v.tolist(), best.tolist()
    ([0.0, 0.0, 0.0, 50.0], [-1, -1, -1, 0])
    """
    b = np.asarray(budgets_musd, dtype=float)
    caps = np.asarray(capabilities, dtype=np.int64)
    cost = np.asarray(mission_costs_musd, dtype=float)
    val = np.asarray(mission_values_musd, dtype=float)
    req = np.asarray(mission_requirements, dtype=np.int64)
    if b.ndim != 1 or caps.shape != b.shape:
        raise InputError("budgets and capabilities need one entry per member", option="members")
    if cost.ndim != 1 or val.shape != cost.shape or req.shape != cost.shape:
        raise InputError(
            "mission costs, values and requirements need one entry per mission", option="missions"
        )
    if np.any(~np.isfinite(b)) or np.any(b < 0):
        bad = int(np.flatnonzero(~np.isfinite(b) | (b < 0))[0])
        raise InputError(
            f"member #{bad + 1}: contribution must be a finite amount >= 0, got {b[bad]!r}",
            option="contribution",
        )
    masks, member = coalition_masks(b.size)
    pooled = member.astype(float) @ b
    pooled_caps = np.zeros(masks.size, dtype=np.int64)
    for i in range(b.size):  # union of capabilities: n vector ops
        pooled_caps |= np.where(member[:, i], caps[i], 0)
    if cost.size == 0:
        return np.zeros(masks.size), np.full(masks.size, -1)
    feasible = (pooled[:, None] >= cost[None, :]) & (
        (pooled_caps[:, None] & req[None, :]) == req[None, :]
    )
    surplus = np.where(feasible, (val - cost)[None, :], -np.inf)
    best = np.argmax(surplus, axis=1)
    top = surplus[np.arange(masks.size), best]
    ok = np.isfinite(top) & (top > 0)
    v = np.where(ok, top, 0.0)
    best = np.where(feasible.any(axis=1), best, -1)
    v[0] = 0.0
    return v, best


def cost_shares(
    contributions: Mapping[str, float], explicit: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Each member's fraction of the mission cost.

    Parameters
    ----------
    contributions : mapping member -> $M
        Value of each member's contribution (cash plus in-kind), >= 0.
    explicit : mapping member -> fraction, optional
        Agreed shares; must name every member, be >= 0 and sum to 1.

    Raises
    ------
    InputError
        A negative or non-finite contribution, no contributions at all, or
        explicit shares that name unknown members or do not sum to 1.

    Examples
    --------
    >>> cost_shares({"A": 30.0, "B": 10.0})
    {'A': 0.75, 'B': 0.25}
    """
    for name, c in contributions.items():
        if not (isinstance(c, int | float) and math.isfinite(c) and c >= 0):
            raise InputError(
                f"member '{name}': contribution must be a finite amount >= 0, got {c!r}",
                option="contribution",
            )
    if explicit is not None:
        unknown = sorted(set(explicit) - set(contributions))
        missing = sorted(set(contributions) - set(explicit))
        if unknown or missing:
            raise InputError(
                "shares must name exactly the consortium's members"
                + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                + (f"; missing: {', '.join(missing)}" if missing else ""),
                option="shares",
            )
        for name, s in explicit.items():
            if not (isinstance(s, int | float) and math.isfinite(s) and s >= 0):
                raise InputError(f"member '{name}': share must be >= 0, got {s!r}", option="shares")
        total = float(sum(explicit.values()))
        if abs(total - 1.0) > SHARE_TOLERANCE:
            raise InputError(
                f"shares add up to {total:.6g}, not 1 "
                f"({', '.join(f'{k}={v:g}' for k, v in explicit.items())})",
                option="shares",
            )
        return {k: float(explicit[k]) for k in contributions}
    total = float(sum(contributions.values()))
    if total <= 0:
        raise InputError("the members' contributions add up to 0", option="contribution")
    return {k: float(c) / total for k, c in contributions.items()}


def split_yield(
    members: Sequence[str],
    shares: Mapping[str, float],
    cost_musd: float,
    gross_value_musd: float,
    yield_kg: float,
    *,
    rule: str = "proportional",
    fund_fraction: float = 0.0,
    shapley_phi: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Every member's cost, yield share, value and net, plus the fund row.

    Parameters
    ----------
    members : sequence of str, length n
    shares : mapping member -> cost share (sums to 1)
    cost_musd : float
        Mission cost to split (e.g. the P50), $M.
    gross_value_musd : float
        Expected value of the whole yield, $M.
    yield_kg : float
        Expected yield mass, kg.
    rule : {"proportional", "shapley"}
    fund_fraction : float
        Fraction of the gross yield to the benefit-sharing fund, in [0, 1).
    shapley_phi : sequence of float, length n
        Shapley values of the surplus game (required for ``"shapley"``).

    Returns
    -------
    DataFrame
        One row per member and a last row ``"benefit-sharing fund"``; columns
        ``member, cost_share, cost_musd, yield_share, yield_kg, value_musd,
        net_musd``.  Yield shares (fund included) sum to 1.

    Examples
    --------
    >>> df = split_yield(["A", "B"], {"A": 0.75, "B": 0.25}, 100.0, 200.0, 10.0)
    >>> df["yield_share"].round(3).tolist()
    [0.75, 0.25, 0.0]
    """
    if rule not in SPLIT_RULES:
        raise InputError(
            f"unknown split rule '{rule}' (known: {', '.join(SPLIT_RULES)})", option="rule"
        )
    if not (math.isfinite(fund_fraction) and 0.0 <= fund_fraction < 1.0):
        raise InputError(
            f"benefit-sharing fund fraction must be in [0, 1), got {fund_fraction!r}",
            option="fund",
        )
    s = np.array([shares[m] for m in members], dtype=float)
    cost_i = s * cost_musd
    members_value = (1.0 - fund_fraction) * gross_value_musd
    if rule == "proportional":
        value_i = s * members_value
    else:
        if shapley_phi is None or len(shapley_phi) != len(members):
            raise InputError("the Shapley rule needs one Shapley value per member", option="rule")
        phi = np.asarray(shapley_phi, dtype=float)
        surplus = members_value - cost_musd
        if surplus > 0:
            if abs(phi.sum() - surplus) > 1e-6 * max(1.0, abs(surplus)):
                raise InputError(
                    f"Shapley values add up to {phi.sum():.6g} $M, not the surplus "
                    f"{surplus:.6g} $M of the planned mission",
                    option="rule",
                )
            value_i = cost_i + phi
        else:
            value_i = s * members_value
    gross = gross_value_musd
    share_i = value_i / gross if gross > 0 else s * (1.0 - fund_fraction)
    df = pd.DataFrame(
        {
            "member": list(members),
            "cost_share": s,
            "cost_musd": cost_i,
            "yield_share": share_i,
            "yield_kg": share_i * yield_kg,
            "value_musd": value_i,
            "net_musd": value_i - cost_i,
        }
    )
    fund = pd.DataFrame(
        {
            "member": ["benefit-sharing fund"],
            "cost_share": [0.0],
            "cost_musd": [0.0],
            "yield_share": [fund_fraction],
            "yield_kg": [fund_fraction * yield_kg],
            "value_musd": [fund_fraction * gross],
            "net_musd": [fund_fraction * gross],
        }
    )
    return pd.concat([df, fund], ignore_index=True)
