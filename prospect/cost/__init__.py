"""Cost and timeline layer: launch choice, CERs, Monte Carlo cost ranges, schedules,
consortium sharing, resource value and environmental flags.

Public API
----------
:func:`plan`
    Link a target (Moon site or asteroid) to a consortium: launch choice, cost
    range (P10/P50/P90, constant-year dollars), schedule, cost shares, yield
    split and environmental flags -> :class:`PlanResult` (``to_dict()``).
:func:`affordability`
    Cost, schedule and ``affordable`` columns for a ranking table.
:func:`choose_launch`, :func:`spacecraft_cost`, :func:`operations_cost`,
:func:`simulate`, :func:`shapley_values`, :func:`coalition_values`,
:func:`yield_value`, :func:`load_cost_model`
    The building blocks.

Every coefficient, rate and price comes from ``catalogs/cost_model.toml`` or
the data catalogs, each with its source.
"""

from prospect.cost.cer import SpacecraftCost, operations_cost, spacecraft_cost
from prospect.cost.consortia import consortia_table, member_budgets
from prospect.cost.launch import LaunchChoice, LaunchOption, choose_launch, size_spacecraft
from prospect.cost.model import CostModel, load_cost_model
from prospect.cost.montecarlo import CostDistribution, CostElement, simulate
from prospect.cost.plan import MissionCase, PlanResult, affordability, plan, resolve_target
from prospect.cost.sharing import coalition_values, cost_shares, shapley_values, split_yield
from prospect.cost.timeline import Timeline, build_timeline, departure_table, first_window_after
from prospect.cost.value import YieldValue, parse_prices, yield_value

__all__ = [
    "CostDistribution",
    "CostElement",
    "CostModel",
    "LaunchChoice",
    "LaunchOption",
    "MissionCase",
    "PlanResult",
    "SpacecraftCost",
    "Timeline",
    "YieldValue",
    "affordability",
    "build_timeline",
    "choose_launch",
    "coalition_values",
    "consortia_table",
    "cost_shares",
    "departure_table",
    "first_window_after",
    "load_cost_model",
    "member_budgets",
    "operations_cost",
    "parse_prices",
    "plan",
    "resolve_target",
    "shapley_values",
    "simulate",
    "size_spacecraft",
    "spacecraft_cost",
    "split_yield",
    "yield_value",
]
