"""Cost and timeline layer: launch choice, CERs, Monte Carlo cost ranges, schedules,
consortium sharing, resource value and environmental flags.

Public API
----------
:func:`plan`
    Link a target (Moon site or asteroid) to a consortium: launch choice, cost
    range (P10/P50/P90, constant-year dollars), schedule, cost shares, yield
    split and environmental flags -> :class:`PlanResult` (``to_dict()``).
:func:`affordability`
    Cost, launch, schedule and ``affordable`` columns for a ranking table
    (:func:`consortium_ready`: the date to rank from).
:func:`choose_launch`, :func:`spacecraft_cost`, :func:`operations_cost`,
:func:`simulate`, :func:`shapley_values`, :func:`coalition_values`,
:func:`yield_value`, :func:`load_cost_model`
    The building blocks.

Every coefficient, rate and price comes from ``catalogs/cost_model.toml`` or
the data catalogs, each with its source.
"""

from prospect.cost.affordability import affordability, consortium_ready
from prospect.cost.cer import SpacecraftCost, operations_cost, spacecraft_cost
from prospect.cost.consortia import consortia_table, member_budgets
from prospect.cost.launch import LaunchChoice, LaunchOption, choose_launch, size_spacecraft
from prospect.cost.mission import MissionCase
from prospect.cost.model import CostModel, load_cost_model
from prospect.cost.montecarlo import CostDistribution, CostElement, simulate
from prospect.cost.plan import plan
from prospect.cost.result import PlanResult
from prospect.cost.sharing import coalition_values, cost_shares, shapley_values, split_yield
from prospect.cost.spacecraft import Sizing
from prospect.cost.target import TargetInfo, resolve_target
from prospect.cost.timeline import Timeline, build_timeline
from prospect.cost.value import YieldValue, parse_prices, yield_value

__all__ = [
    "CostDistribution",
    "CostElement",
    "CostModel",
    "LaunchChoice",
    "LaunchOption",
    "MissionCase",
    "PlanResult",
    "Sizing",
    "SpacecraftCost",
    "TargetInfo",
    "Timeline",
    "YieldValue",
    "affordability",
    "build_timeline",
    "choose_launch",
    "coalition_values",
    "consortia_table",
    "consortium_ready",
    "cost_shares",
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
