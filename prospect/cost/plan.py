"""``plan``: link a target to a consortium with launch, cost range, schedule and sharing.

:func:`plan` reads as its stages::

    settings -> target -> candidate missions -> choice and funding -> sharing -> legal frame

1. target: a Moon site or a catalog asteroid (:mod:`prospect.cost.target`);
2. candidate missions: each profile flown end to end by
   :func:`prospect.cost.mission.evaluate_mission` (rank's trajectory from the
   ready date, the profile's own spacecraft, launch, CERs, Monte Carlo
   P10/P50/P90, value, environment); a spacecraft that cannot fly there is
   flagged with the spacecraft it would take (resized only with ``allow_resize``);
3. choice and funding: the candidate giving the grand coalition the largest
   surplus among those the pooled budget affords, else the cheapest; the
   funding gap (P50 and P90 against the budget) is always reported and flagged
   when the budget falls short -- the plan is still returned;
4. sharing: cost shares, the yield split (proportional or Shapley, optional
   benefit-sharing fund) and every member's net (:mod:`prospect.cost.sharing`);
5. legal frame and flags (:mod:`prospect.cost.legal`).

The result is a :class:`~prospect.cost.result.PlanResult` with ``to_dict()``.
"""

from __future__ import annotations

import datetime as _dt
import math
import warnings
from dataclasses import dataclass

import numpy as np

from prospect._coerce import as_days
from prospect.cost import consortia as _cons
from prospect.cost import sharing as _sh
from prospect.cost.legal import legal_frame
from prospect.cost.mission import MissionCase, costable, evaluate_mission
from prospect.cost.model import CostModel, load_cost_model
from prospect.cost.montecarlo import check_seed
from prospect.cost.result import PlanResult
from prospect.cost.target import TargetInfo, resolve_target
from prospect.cost.timeline import schedule, to_date
from prospect.cost.value import check_prices
from prospect.epochs import DE440_SPAN_JD_TDB, TWO_BODY_SPAN_UTC, check_span
from prospect.errors import InputError, ProspectWarning

__all__ = ["MissionCase", "PlanResult", "TargetInfo", "plan", "resolve_target"]


#: Memory of one Monte Carlo draw while a mission is costed, bytes: 120 B measured
#: (tracemalloc peak of :func:`prospect.cost.montecarlo.simulate`, 8 cost
#: elements, mx-1 to S05, 200,000 draws), rounded up for profiles with more elements.
BYTES_PER_DRAW = 160

#: Longest stay a plan accepts: DE440's whole span (JD 2287184.5 to 2688976.5 TDB,
#: Park et al. 2021), since every date of a plan must fall inside it.
_MAX_STAY_DAYS = DE440_SPAN_JD_TDB[1] - DE440_SPAN_JD_TDB[0]


def _check_settings(model: CostModel, percentile, rule: str, fund_fraction: float, **kw) -> float:
    """Validate the plan's settings before any work (each error names its parameter).

    ``kw``: ``ephemeris``, ``n_draws``, ``seed``, ``feedstock_kg``, ``recovery``.  Returns
    the percentile used.
    """
    from prospect.nbody import check_ephemeris
    from prospect.scan._common import memory_budget_bytes

    check_ephemeris(kw["ephemeris"])
    model.cer_value(kw["method"], "dollar_year")  # an unknown CER family, before any work
    if percentile is None:
        percentile = model.number("sharing", "percentile")
    if not (math.isfinite(percentile) and 0 < percentile < 100):
        raise InputError(f"must be in (0, 100), got {percentile!r}", option="percentile")
    if rule not in _sh.SPLIT_RULES:
        raise InputError(
            f"unknown rule '{rule}' (known: {', '.join(_sh.SPLIT_RULES)})", option="rule"
        )
    if not (math.isfinite(fund_fraction) and 0.0 <= fund_fraction < 1.0):
        raise InputError(f"must be in [0, 1), got {fund_fraction!r}", option="fund_fraction")
    feedstock, recovery = kw["feedstock_kg"], kw["recovery"]
    if not (math.isfinite(feedstock) and feedstock >= 0):
        raise InputError(f"must be >= 0 kg, got {feedstock!r}", option="feedstock_kg")
    if not (math.isfinite(recovery) and 0 < recovery <= 1):
        raise InputError(f"must be in (0, 1], got {recovery!r}", option="recovery")
    check_seed(kw["seed"])
    n = kw["n_draws"]
    if n is not None:
        try:
            whole = not isinstance(n, bool) and float(n).is_integer() and n >= 1
        except (TypeError, ValueError, OverflowError):
            whole = False
        if not whole:
            raise InputError(f"must be a whole number >= 1, got {n!r}", option="n_draws")
        budget = memory_budget_bytes()
        if n * BYTES_PER_DRAW > budget:
            raise InputError(
                f"{n:,} draws need about {n * BYTES_PER_DRAW / 2**20:,.0f} MiB, over the memory "
                f"budget of {budget / 2**20:,.0f} MiB (at most {budget // BYTES_PER_DRAW:,}; "
                "or raise PROSPECT_SCAN_MEMORY_MB)",
                option="n_draws",
            )
    return float(percentile)


def _profiles(mission, missions, tinfo: TargetInfo) -> list:
    from prospect import data as _data

    if mission is not None:
        return [mission if not isinstance(mission, str) else _data.get_mission(mission, missions)]
    allp = _data.load_missions() if missions is None else missions
    profiles = [p for p in allp.values() if p.target == tinfo.kind and not costable(p)]
    if not profiles:
        raise InputError(
            f"no costable mission profile flies to a {tinfo.kind} target", option="mission"
        )
    return profiles


def _evaluate_all(tinfo, profiles, start, *, single: bool, kw: dict, progress=None, notes=()):
    """Every candidate flown; with several, one that cannot fly is reported, not fatal.
    ``progress(done, n_candidates)`` after each; ``notes`` warned once the window flies."""
    cases: list[MissionCase] = []
    rejected: list[dict] = []
    report = progress or (lambda done, total: None)
    refused = []
    for p in profiles:  # a window every profile misses is refused before any search
        try:
            schedule(p, start, kw["launch_by"], model=kw["model"])
        except InputError as exc:
            if exc.option in ("start", "launch_by"):
                refused.append(exc)
    if len(refused) == len(profiles):
        raise refused[0]
    for note in notes:
        warnings.warn(note, stacklevel=4)
    report(0, len(profiles))
    for k, p in enumerate(profiles):
        if single:
            cases.append(evaluate_mission(tinfo, p, start, **kw))
        else:
            try:
                cases.append(evaluate_mission(tinfo, p, start, **kw))
            except InputError as exc:
                rejected.append({"mission": p.name, "rejected": str(exc), "error": exc})
        report(k + 1, len(profiles))
    for r in rejected if cases else ():
        r.pop("error")
    if not cases:
        errors = [r.pop("error") for r in rejected]
        if len({e.option for e in errors}) == 1 and errors[0].option not in (None, "mission"):
            raise errors[0]  # every profile refused the same setting: that setting is at fault
        reasons = "; ".join(f"{r['mission']}: {r['rejected']}" for r in rejected)
        raise InputError(
            f"no mission profile can fly to {tinfo.label}: {reasons}", option="mission"
        )
    return cases, rejected


def _check_capabilities(consortium, model: CostModel):
    required = model.tables.get("sharing", {}).get("required", [])
    req_mask = _cons.capability_mask(required)
    caps = [_cons.capability_mask(_cons.member_capabilities(m)) for m in consortium.members]
    grand = 0
    for c in caps:
        grand |= c
    if (grand & req_mask) != req_mask:
        missing = [n for n in required if not grand & _cons.capability_mask([n])]
        raise InputError(
            f"consortium '{consortium.name}' lacks the capabilities every mission needs: "
            f"{', '.join(missing)} (cost_model.toml [sharing] required)",
            option="consortium",
        )
    return caps, req_mask


def _choose(cases, cost_p, value, budget: float, percentile: float, model: CostModel):
    """Index of the planned case, its funding against the budget, and flags.

    Among the candidates that can fly, the largest surplus the budget affords;
    if none is affordable, the cheapest that flies (else the cheapest).
    """
    affordable = budget >= cost_p
    flies = np.array([c.sizing.can_fly for c in cases])
    ok = affordable & flies
    if ok.any():
        surplus = np.where(ok, value - cost_p, -np.inf)
        k = min(range(len(cases)), key=lambda i: (-surplus[i], cost_p[i]))
    else:  # the cheapest one that flies (else the cheapest), with its gap or limits flagged
        k = min(range(len(cases)), key=lambda i: (not flies[i], cost_p[i], cost_p[i] - value[i]))
    d = cases[k].distribution
    p50, p90 = d.p50, d.p90
    funding = {
        "budget_musd": budget,
        "percentile": percentile,
        "cost_at_percentile_musd": float(cost_p[k]),
        "p50_musd": p50,
        "p90_musd": p90,
        "gap_p50_musd": max(0.0, p50 - budget),
        "gap_p90_musd": max(0.0, p90 - budget),
        "affordable": bool(affordable[k]),
    }
    flags = []
    if not affordable[k]:
        yr = model.output_dollar_year
        flags.append(
            f"FUNDING GAP: the pooled budget ${budget:,.1f} M (FY{yr}) is below the P50 cost "
            f"${p50:,.1f} M (gap ${funding['gap_p50_musd']:,.1f} M) and the P90 cost "
            f"${p90:,.1f} M (gap ${funding['gap_p90_musd']:,.1f} M)"
            + (
                f"; no candidate is affordable at P{percentile:g}, the cheapest is planned"
                if len(cases) > 1
                else ""
            )
        )
    return k, funding, flags


def _share(consortium, budgets, shares, rule, caps, req_mask, cases, k, cost_p, value, f, single):
    """Cost shares, the Shapley game (when asked) and the member table; plus flags."""
    names = [m.name for m in consortium.members]
    flags: list[str] = []
    explicit = shares
    if explicit is None and all(math.isfinite(m.share) for m in consortium.members):
        explicit = {m.name: m.share for m in consortium.members}
    if explicit is None and sum(budgets.values()) <= 0:
        explicit = {n: 1.0 / len(names) for n in names}
        flags.append("no member has a valued contribution: the cost is shared equally")
    s = _sh.cost_shares(budgets, explicit)
    shap = phi = None
    split_rule = rule
    if rule == "shapley":
        game = [k] if single else list(range(len(cases)))
        v, _best = _sh.coalition_values(
            [budgets[n] for n in names], caps, cost_p[game], value[game], [req_mask] * len(game)
        )
        phi = _sh.shapley_values(v)
        shap = {
            "grand_coalition_value_musd": float(v[-1]),
            "phi_musd": {n: float(x) for n, x in zip(names, phi, strict=True)},
            "game": "v(S) = max(0, max_m [(1-f) V_m - C_m]) over missions S can afford and fly",
            "missions": [cases[i].name for i in game],
        }
        surplus_k = value[k] - cost_p[k]
        if surplus_k <= 0:
            flags.append(
                "the mission does not pay for itself (expected value below the cost): no surplus "
                "for the Shapley split, the yield is shared by contribution"
            )
        elif v[-1] <= 0:  # the consortium cannot afford the planned mission
            flags.append(
                "the consortium cannot afford the mission: the Shapley game (missions it can "
                "afford) has no surplus, the yield is shared by contribution"
            )
            split_rule = "proportional"
        elif abs(float(v[-1]) - surplus_k) > 1e-9 * max(1.0, surplus_k):
            flags.append(
                "the grand coalition's best mission in the game differs from the planned one: "
                "Shapley values refer to the game's mission"
            )
            phi = phi * (surplus_k / v[-1])
    case = cases[k]
    members = _sh.split_yield(
        names,
        s,
        float(cost_p[k]),
        float(case.value.value_expected_musd),
        float(case.value.mass_expected_kg),
        rule=split_rule,
        fund_fraction=f,
        shapley_phi=phi,
    )
    members.insert(1, "contribution_musd", [budgets[n] for n in names] + [0.0])
    members.insert(
        2,
        "capabilities",
        [", ".join(_cons.member_capabilities(m)) for m in consortium.members] + [""],
    )
    return members, shap, flags


def plan(
    target,
    consortium,
    *,
    mission=None,
    start=None,
    seed: int = 0,
    n_draws: int | None = None,
    method: str = "sscm05",
    rule: str = "proportional",
    fund_fraction: float = 0.0,
    percentile: float | None = None,
    prices=None,
    feedstock_kg: float = 0.0,
    recovery: float = 1.0,
    target_class: str | None = None,
    stay_days: float | None = None,
    launch_by=None,
    shares=None,
    include_speculative: bool = False,
    allow_resize: bool = False,
    model: CostModel | None = None,
    launchers=None,
    missions=None,
    consortia=None,
    resources=None,
    sites=None,
    catalog=None,
    scan_kwargs: dict | None = None,
    ephemeris: str = "nbody",
    progress=None,
) -> PlanResult:
    """Plan a prospecting mission to ``target`` for ``consortium``.

    Parameters
    ----------
    target : str
        Moon site id/name (``"S05"``, ``"Haworth crater"``) or asteroid
        (``"2000 SG344"``, ``"433"``).
    consortium : str or Consortium
        Name in ``catalogs/consortia.toml`` (or ``consortia``), or an object.
    mission : str or MissionProfile, optional
        Profile to fly; default every costable profile for this kind of
        target: among those whose spacecraft can fly there, the one giving the
        grand coalition the largest surplus (ties: the cheapest) among those
        it can afford, else the cheapest (with its funding gap).
    start : date-like, optional
        Consortium start (project kick-off): ISO string, ``date``, ``datetime``
        or astropy ``Time`` (:func:`prospect._coerce.as_time`); default today (UTC).
    seed : int
        Monte Carlo seed (results are reproducible for a seed).
    n_draws : int, optional
        Monte Carlo draws (default ``[sharing] n_draws``).
    method : {"sscm05", "uscm8"}
        Spacecraft CER family.
    rule : {"proportional", "shapley"}
        Yield split among members.
    fund_fraction : float
        Fraction of the gross yield value to a benefit-sharing fund.
    percentile : float, optional
        Cost percentile a budget must cover (default ``[sharing] percentile``, 50).
    prices : mapping commodity -> US$/kg, optional
        User prices replacing the catalog's assumptions.
    feedstock_kg, recovery : float
        Material processed/returned and the fraction extracted (see
        :mod:`prospect.cost.value`).
    target_class : str, optional
        Asteroid taxonomic class (when the catalog has none) or a Moon-site
        category override.
    stay_days : float or Quantity, optional
        Operations at the target, days (or a time Quantity; default: the
        profile's minimum stay, else one lunar daylight period).
    launch_by : date-like, optional
        End of the launch window searched (default ready + ``search_years``).
    shares : mapping member -> fraction, optional
        Agreed cost shares (must sum to 1); default the file's shares, else by
        contribution.
    include_speculative : bool
        Consider projected launchers (Starship).
    model, launchers, missions, consortia, resources, sites, catalog : optional
        Catalogs (default: the shipped ones).
    scan_kwargs : dict, optional
        Overrides of the launch-window search grid (``step_days``,
        ``tof_step_days``, ``tof_min_days``, ``tof_max_days``: days or time
        Quantities; default ``[timeline]`` of the cost model), passed to
        :func:`prospect.scan.rank`.
    ephemeris : {"nbody", "two-body"}
        Target states of the asteroid trajectory search (rank's ``ephemeris``;
        default n-body).
    allow_resize : bool
        When the profile's spacecraft cannot fly the best trajectory found,
        plan the spacecraft it would take (tanks grown); the result says
        ``sizing.resized`` and carries a ``RESIZED`` flag.  Without it the
        profile's spacecraft is planned as it is, with ``sizing.can_fly``
        False, ``sizing.would_take`` and a ``CANNOT FLY`` flag.
    progress : callable, optional
        ``progress(done, n_candidates)`` as each candidate mission is evaluated
        (its trajectory search, the longest part, then its cost Monte Carlo).

    Returns
    -------
    PlanResult

    Raises
    ------
    UnknownNameError
        Unknown target, consortium or mission (with suggestions).
    InputError
        Shares that do not add up, a start date after the launch window, a
        profile that cannot be costed, a consortium without a required capability.

    A budget below the cost is not an error: the plan is returned with
    ``funding`` (P50/P90 against the pooled budget) and a ``FUNDING GAP`` flag;
    neither is a spacecraft that cannot fly the target (``CANNOT FLY``).

    Examples
    --------
    >>> p = plan("S05", "emerging-powers", mission="mx-1", start="2027-01-01", n_draws=2000)
    >>> p.mission.launch.best.launcher, p.timeline.launch
    ('gto-secondary', '2030-12-02')
    >>> p.cost["p10_musd"] < p.cost["p50_musd"] < p.cost["p90_musd"]
    True
    """
    from prospect import data as _data

    model = model or load_cost_model()
    if isinstance(consortium, str):
        consortium = _data.get_consortium(consortium, consortia)
    kw = {
        "model": model,
        "launchers": _data.load_launchers() if launchers is None else launchers,
        "resources": resources,
        "sites": sites,
        "seed": seed,
        "n_draws": n_draws,
        "method": method,
        "prices": prices,
        "feedstock_kg": feedstock_kg,
        "recovery": recovery,
        "stay_days": as_days(stay_days, "stay_days", positive=True, allow_none=True),
        "launch_by": launch_by,
        "include_speculative": include_speculative,
        "scan_kwargs": scan_kwargs,
        "allow_resize": allow_resize,
        "ephemeris": ephemeris,
    }
    tinfo = resolve_target(target, target_class=target_class, sites=sites, catalog=catalog)
    percentile, start, flags, notes = _checked(
        kw, consortium, percentile, rule, fund_fraction, shares, start, tinfo
    )
    budgets, bflags = _cons.member_budgets(consortium, model)
    flags += bflags
    profiles = _profiles(mission, missions, tinfo)
    cases, rejected = _evaluate_all(
        tinfo, profiles, start, single=mission is not None, kw=kw, progress=progress, notes=notes
    )
    decision = _decide(
        consortium,
        budgets,
        cases,
        model=model,
        percentile=percentile,
        fund_fraction=fund_fraction,
        rule=rule,
        shares=shares,
        single=mission is not None,
    )
    return _assemble(
        tinfo, consortium, cases, rejected, budgets, decision, flags, model=model, seed=seed
    )


def _checked(kw: dict, consortium, percentile, rule, fund_fraction, shares, start, tinfo) -> tuple:
    """Every setting checked before any search (``kw``'s stay and launch-by in place):
    ``(percentile, start date, flags, date warnings)``.  Dates: :func:`_check_dates`;
    an asteroid without a taxonomic class gets a flag."""
    stay_days, ephemeris = kw["stay_days"], kw["ephemeris"]
    percentile = _check_settings(
        kw["model"],
        percentile,
        rule,
        fund_fraction,
        ephemeris=ephemeris,
        n_draws=kw["n_draws"],
        seed=kw["seed"],
        method=kw["method"],
        feedstock_kg=kw["feedstock_kg"],
        recovery=kw["recovery"],
    )
    if stay_days is not None and stay_days > _MAX_STAY_DAYS:
        raise InputError(
            f"must be at most {_MAX_STAY_DAYS:,.0f} days (the span of JPL's DE440, within "
            f"which every date of a plan must fall), got {stay_days:g}",
            option="stay_days",
        )
    if shares is not None:  # names and sum, before any search
        _sh.cost_shares(dict.fromkeys((m.name for m in consortium.members), 0.0), shares)
    kw["prices"] = check_prices(kw["prices"], kw["resources"])
    notes = _check_dates({"start": start, "launch_by": kw["launch_by"]}, ephemeris, tinfo.kind)
    start, flags = _start_date(start)
    if tinfo.target_class is None and tinfo.kind == "nea":
        flags.append(f"{tinfo.label}: no taxonomic class in the catalog (give --target-class)")
    if kw["launch_by"] is not None:
        kw["launch_by"] = to_date(kw["launch_by"], option="launch_by")
    return percentile, start, flags, notes


def _check_dates(dates: dict, ephemeris: str, kind: str) -> list:
    """The plan's dates (parameter -> value or None) inside DE440's span, else refused.
    An asteroid plan's follow its search's ephemeris (:func:`prospect.epochs.check_span`);
    a Moon plan's rest on none (monthly lunar opportunities, today's launchers and cost
    model), as two-body's: one warning outside :data:`~prospect.epochs.TWO_BODY_SPAN_UTC`
    (returned, so a window refused anyway gives its one error line alone)."""
    y0, y1, notes = *TWO_BODY_SPAN_UTC, []
    why = "a Moon plan's dates rest on no ephemeris (monthly lunar opportunities, today's "
    for option, value in (d for d in dates.items() if d[1] is not None):
        t = check_span(value, option=option, ephemeris="nbody" if kind == "moon" else ephemeris)
        day = to_date(t, option=option)
        if kind == "moon" and not y0 <= day.year <= y1:
            text = f"{day.isoformat()} is outside {y0}-{y1}: {why}launchers and cost model)"
            text += ": treat its schedule as indicative only"
            notes.append(ProspectWarning(text, option=option))
    return notes


def _start_date(start) -> tuple:
    """The consortium's start as given (checked), else today (UTC) with a flag saying so."""
    if start is not None:
        return to_date(start, option="start"), []
    today = _dt.datetime.now(_dt.UTC).date()
    return today, [f"start date not given: today ({today.isoformat()}) used"]


@dataclass(frozen=True)
class _Decision:
    """Stages 3-4 of :func:`plan`: the case planned, its funding and the shares."""

    k: int
    cost_p: np.ndarray
    value: np.ndarray
    funding: dict
    members: object
    shapley: dict | None
    rule: str
    fund_fraction: float
    percentile: float
    funding_flags: list
    sharing_flags: list


def _decide(consortium, budgets, cases, *, model, percentile, fund_fraction, rule, shares, single):
    """Choice and funding (:func:`_choose`), then sharing (:func:`_share`)."""
    caps, req_mask = _check_capabilities(consortium, model)
    cost_p = np.array([c.cost_at(percentile) for c in cases])
    value = np.array([(1.0 - fund_fraction) * c.value.value_expected_musd for c in cases])
    total_budget = float(sum(budgets.values()))
    k, funding, fflags = _choose(cases, cost_p, value, total_budget, percentile, model)
    members, shap, sflags = _share(
        consortium,
        budgets,
        shares,
        rule,
        caps,
        req_mask,
        cases,
        k,
        cost_p,
        value,
        fund_fraction,
        single,
    )
    return _Decision(
        k, cost_p, value, funding, members, shap, rule, fund_fraction, percentile, fflags, sflags
    )


def _assemble(tinfo, consortium, cases, rejected, budgets, d: _Decision, flags, *, model, seed):
    """Stage 5: the legal frame, every flag in order, and the :class:`PlanResult`."""
    case = cases[d.k]
    legal, lflags = legal_frame(consortium, tinfo, d.fund_fraction)
    flags = flags + d.funding_flags + case.flags + case.value.flags + d.sharing_flags + lflags
    if case.launch.best.estimate:
        flags.append(
            f"launch price of {case.launch.best.launcher} is an estimate (drawn in the Monte Carlo)"
        )
    total_budget = float(sum(budgets.values()))
    return PlanResult(
        target=tinfo,
        consortium=consortium,
        mission=case,
        candidates=_candidates(cases, d.cost_p, d.value, total_budget, rejected),
        budgets_musd=budgets,
        members=d.members,
        rule=d.rule,
        fund_fraction=d.fund_fraction,
        percentile=d.percentile,
        shapley=d.shapley,
        legal=legal,
        flags=list(dict.fromkeys(flags)),
        dollar_year=model.output_dollar_year,
        seed=seed,
        funding=d.funding,
    )


def _candidates(cases, cost_p, value, budget, rejected) -> list[dict]:
    return [
        {
            "mission": c.name,
            "cost_p_musd": float(cp),
            "value_musd": float(v),
            "affordable": bool(budget >= cp),
            "launch": c.launch.best.launcher,
            "launch_date": c.timeline.launch,
            "wet_kg": c.sizing.wet_kg,
            "resized": c.sizing.resized,
        }
        for c, cp, v in zip(cases, cost_p, value, strict=True)
    ] + rejected
