"""``prospect plan TARGET --consortium NAME`` and ``prospect consortia``.

Thin layer over :func:`prospect.cost.plan` and :func:`prospect.cost.consortia_table`;
library errors become one line on stderr (see :mod:`prospect.cli`).
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import typer

from prospect.cli import app
from prospect.cli._flags import library_names
from prospect.errors import InputError

__all__ = ["consortia_cmd", "plan_cmd", "render"]

FORMATS = ("table", "json", "csv")


def _fmt(x, spec: str = ",.1f") -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    if isinstance(x, float | int) and not isinstance(x, bool):
        return format(x, spec)
    return str(x)


def _table(headers: list[str], rows: list[list[str]], right: frozenset[int] = frozenset()) -> str:
    """Plain fixed-width table (independent of the terminal width: stable output)."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _flatten(prefix: str, x, out: list[tuple[str, str]]) -> None:
    if isinstance(x, dict):
        for k, v in x.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(x, list):
        for i, v in enumerate(x):
            _flatten(f"{prefix}[{i}]", v, out)
    else:
        out.append((prefix, "" if x is None else str(x)))


def _shares(items: list[str]) -> dict[str, float] | None:
    if not items:
        return None
    out = {}
    for item in items:
        name, sep, frac = item.rpartition("=")
        try:
            value = float(frac)
        except ValueError:
            value = math.nan
        if not sep or not name.strip() or not math.isfinite(value):
            raise InputError(f"expected MEMBER=FRACTION, got {item!r}", option="--share")
        out[name.strip()] = value
    return out


def _spacecraft_lines(sz: dict, lv: dict) -> list[str]:
    """The spacecraft flown, and whether it can fly the trajectory or was resized."""
    tag = " [RESIZED]" if sz["resized"] else "" if sz["can_fly"] else " [CANNOT FLY]"
    esc = f" (escape {_fmt(lv['escape_dv_km_s'], '.3f')})" if sz["can_fly"] else " needed"
    lines = [
        f"  spacecraft{tag}: dry {_fmt(sz['dry_kg'])} kg, propellant {_fmt(sz['propellant_kg'])} "
        f"kg, wet {_fmt(sz['wet_kg'])} kg, own delta-v {_fmt(sz['spacecraft_dv_km_s'], '.3f')} "
        f"km/s{esc}"
    ]
    if sz["resized"]:
        lines.append(f"  resized from the profile's {_fmt(sz['profile_wet_kg'])} kg: {sz['note']}")
    w = sz["would_take"]
    if not sz["can_fly"]:
        lines.append(f"  {sz['note']}")
        if w:
            lines.append(
                f"  it would take: wet {_fmt(w['wet_kg'])} kg, propellant "
                f"{_fmt(w['propellant_kg'])} kg, dry {_fmt(w['dry_kg'])} kg, "
                f"{_fmt(w['spacecraft_dv_km_s'], '.3f')} km/s on {w['launch']} (--allow-resize)"
            )
    return lines


def _approach_lines(ap: dict | None) -> list[str]:
    """The target's closest Earth approach before the trajectory ends (asteroids)."""
    if not ap:
        return []
    tag = f" [CLOSE: under {ap['threshold_au']:g} au]" if ap["close"] else ""
    return [
        f"  closest Earth approach{tag}: {ap['date'][:16].replace('T', ' ')} UTC at "
        f"{ap['distance_au']:.4f} au ({_fmt(ap['distance_km'], ',.0f')} km), "
        f"{ap['span']} ({ap['ephemeris']})"
    ]


def _cost_table_lines(table: list[dict]) -> list[str]:
    rows = [
        [
            r["element"],
            _fmt(r["point_musd"], ",.2f"),
            _fmt(r["p10_musd"], ",.2f"),
            _fmt(r["p50_musd"], ",.2f"),
            _fmt(r["p90_musd"], ",.2f"),
            r["error_model"],
        ]
        for r in table
    ]
    return [
        _table(
            ["element", "point", "P10", "P50", "P90", "error model"], rows, frozenset({1, 2, 3, 4})
        )
    ]


def _consortium_lines(c: dict, f: dict) -> list[str]:
    lines = [
        "",
        f"Consortium budget ${_fmt(c['budget_musd'])} M; cost split by contribution at "
        f"P{c['percentile']:g}; yield rule {c['rule']}, fund {c['fund_fraction']:g}",
        f"  funding: P50 ${_fmt(f['p50_musd'])} M (gap ${_fmt(f['gap_p50_musd'])} M), "
        f"P90 ${_fmt(f['p90_musd'])} M (gap ${_fmt(f['gap_p90_musd'])} M)"
        + ("" if f["affordable"] else f"  [FUNDING GAP at P{f['percentile']:g}]"),
    ]
    rows = [
        [
            r["member"],
            _fmt(r["contribution_musd"], ",.1f"),
            _fmt(r["cost_share"], ".3f"),
            _fmt(r["cost_musd"], ",.2f"),
            _fmt(r["yield_share"], ".3f"),
            _fmt(r["yield_kg"], ",.3g"),
            _fmt(r["value_musd"], ",.3f"),
            _fmt(r["net_musd"], ",.3f"),
        ]
        for r in c["members"]
    ]
    lines.append(
        _table(
            [
                "member",
                "contrib $M",
                "cost share",
                "cost $M",
                "yield share",
                "yield kg",
                "value $M",
                "net $M",
            ],
            rows,
            frozenset(range(1, 8)),
        )
    )
    return lines


def _render_table(result) -> str:
    d = result.to_dict()
    m, lv, cost, tl = d["mission"], d["launch"], d["cost"], d["timeline"]
    t = d["target"]
    yr = d["dollar_year"]
    where = (
        f"{t['label']} ({t['name']}, {t['lat_deg']:.2f} deg, {t['lon_deg']:.2f} deg E)"
        if t["kind"] == "moon"
        else t["label"]
    )
    lines = [
        f"Plan: {where} for consortium '{d['consortium']['name']}' - mission {m['name']}",
        f"  class {t['target_class'] or 'unknown'} ({t['class_source'] or '-'}); "
        f"development class {m['development_class']}",
        "",
        f"Launch: {lv['launcher']} ({lv['service']}, {lv['delivered']})"
        f"{' [estimate]' if lv['estimate'] else ''}: ${_fmt(lv['price_musd'], ',.2f')} M",
        *_spacecraft_lines(d["sizing"], lv),
        *_approach_lines(d["trajectory"].get("earth_approach")),
        "",
        f"Cost (FY{yr} $M, {cost['method']} CERs, {cost['n_draws']} draws, seed "
        f"{cost['seed']}): P10 {_fmt(cost['p10_musd'])}  P50 {_fmt(cost['p50_musd'])}  "
        f"P90 {_fmt(cost['p90_musd'])}",
    ]
    lines += _cost_table_lines(cost["table"])
    lines += ["", "Timeline:"]
    rows = [
        [p["name"], p["start"], p["end"], _fmt(p["days"], ",.0f"), p["note"]] for p in tl["phases"]
    ]
    lines.append(_table(["phase", "start", "end", "days", "note"], rows, frozenset({3})))
    v = d["value"]
    lines += [
        "",
        f"Yield: {_fmt(v['mass_expected_kg'], ',.3g')} kg expected from "
        f"{_fmt(v['feedstock_kg'], ',.0f')} kg feedstock; value "
        f"${_fmt(v['value_expected_musd'], ',.3f')} M (range "
        f"{_fmt(v['value_low_musd'], ',.3f')}-{_fmt(v['value_high_musd'], ',.3f')}; "
        "prices are assumptions)",
    ]
    lines += _consortium_lines(d["consortium"], d["funding"])
    e = d["environment"]
    lines += [
        "",
        f"Environment: COSPAR {e['cospar_category']}"
        + (f", Earth return {e['earth_return']}" if e["earth_return"] else ""),
    ]
    lines += [f"  - {f}" for f in e["flags"]]
    lines += ["", "Flags:"] + [f"  - {f}" for f in d["flags"]]
    return "\n".join(lines)


def render(result, fmt: str) -> str:
    """A plan as ``table``, ``json`` or ``csv`` text (what ``prospect plan`` prints)."""
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2) + "\n"
    if fmt == "csv":
        rows: list[tuple[str, str]] = []
        _flatten("", result.to_dict(), rows)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["key", "value"])
        w.writerows(rows)
        return buf.getvalue()
    return _render_table(result) + "\n"


#: Parameters of :func:`prospect.cost.plan` whose names differ from the options of
#: ``prospect plan`` (library name -> option's Python name; :mod:`prospect.cli._flags`).
LIBRARY_NAMES = {
    "fund_fraction": "fund",
    "n_draws": "draws",
    "shares": "share",
    "prices": "price",
    "include_speculative": "speculative",
    "consortia": "consortia_file",
    "missions": "missions_file",
    "path": "plot",
}


#: The options of ``prospect plan`` (one per :func:`prospect.cost.plan` parameter).
_PLAN_OPTS = {
    "consortium": typer.Option(..., "--consortium", help="Consortium name (prospect consortia)."),
    "mission": typer.Option(
        None, "--mission", help="Mission profile (prospect missions); default: the best that fits."
    ),
    "start": typer.Option(None, "--start", help="Consortium start date, YYYY-MM-DD."),
    "fmt": typer.Option("table", "--format", help="table, json or csv."),
    "plot": typer.Option(None, "--plot", help="Write a Gantt chart (PNG/PDF/SVG)."),
    "seed": typer.Option(0, "--seed", help="Monte Carlo seed."),
    "draws": typer.Option(None, "--draws", help="Monte Carlo draws (default 20000)."),
    "method": typer.Option("sscm05", "--method", help="CER family: sscm05 or uscm8."),
    "rule": typer.Option("proportional", "--rule", help="Yield split: proportional or shapley."),
    "fund": typer.Option(0.0, "--fund", help="Fraction of the yield to a benefit-sharing fund."),
    "percentile": typer.Option(
        None, "--percentile", help="Cost percentile a budget must cover (default 50)."
    ),
    "price": typer.Option(
        [], "--price", help="Price assumption COMMODITY=US$/kg (repeatable), e.g. water=500."
    ),
    "feedstock_kg": typer.Option(
        0.0, "--feedstock-kg", help="Material processed or returned by the mission, kg."
    ),
    "recovery": typer.Option(1.0, "--recovery", help="Fraction of the resource extracted."),
    "target_class": typer.Option(
        None, "--target-class", help="Asteroid taxonomic class (C, M, S...) or site category."
    ),
    "stay_days": typer.Option(None, "--stay-days", help="Operations at the target, d."),
    "launch_by": typer.Option(None, "--launch-by", help="Last launch date searched, YYYY-MM-DD."),
    "share": typer.Option(
        [], "--share", help="Agreed cost share MEMBER=FRACTION (repeatable; must sum to 1)."
    ),
    "consortia_file": typer.Option(
        None, "--consortia", help="A consortia TOML replacing the shipped one."
    ),
    "missions_file": typer.Option(
        None, "--missions", help="A mission-profile TOML adding to the shipped ones."
    ),
    "speculative": typer.Option(
        False, "--speculative", help="Also consider projected launchers (Starship)."
    ),
    "ephemeris": typer.Option(
        "nbody",
        "--ephemeris",
        help="nbody (target states integrated with JPL DE440, cached) or two-body.",
    ),
    "allow_resize": typer.Option(
        False,
        "--allow-resize",
        help="Plan a larger spacecraft when the profile's cannot fly the target (flagged).",
    ),
}


@app.command("plan")
@library_names(LIBRARY_NAMES)
def plan_cmd(
    target: str = typer.Argument(
        ..., help="Moon site id or name (S05, 'Haworth crater') or asteroid."
    ),
    consortium: str = _PLAN_OPTS["consortium"],
    mission: str | None = _PLAN_OPTS["mission"],
    start: str | None = _PLAN_OPTS["start"],
    fmt: str = _PLAN_OPTS["fmt"],
    plot: Path | None = _PLAN_OPTS["plot"],
    seed: int = _PLAN_OPTS["seed"],
    draws: int | None = _PLAN_OPTS["draws"],
    method: str = _PLAN_OPTS["method"],
    rule: str = _PLAN_OPTS["rule"],
    fund: float = _PLAN_OPTS["fund"],
    percentile: float | None = _PLAN_OPTS["percentile"],
    price: list[str] = _PLAN_OPTS["price"],
    feedstock_kg: float = _PLAN_OPTS["feedstock_kg"],
    recovery: float = _PLAN_OPTS["recovery"],
    target_class: str | None = _PLAN_OPTS["target_class"],
    stay_days: float | None = _PLAN_OPTS["stay_days"],
    launch_by: str | None = _PLAN_OPTS["launch_by"],
    share: list[str] = _PLAN_OPTS["share"],
    consortia_file: Path | None = _PLAN_OPTS["consortia_file"],
    missions_file: Path | None = _PLAN_OPTS["missions_file"],
    speculative: bool = _PLAN_OPTS["speculative"],
    allow_resize: bool = _PLAN_OPTS["allow_resize"],
    ephemeris: str = _PLAN_OPTS["ephemeris"],
) -> None:
    """Plan a mission: launch, cost range, schedule, cost and yield shares, flags.

    The trajectory is rank's for the target from the date the spacecraft is
    ready; the spacecraft is the profile's (resized only with --allow-resize).
    A budget below the cost gives the plan with its funding gap (exit 0).
    """
    if fmt not in FORMATS:
        raise InputError(f"must be one of {', '.join(FORMATS)}, got {fmt!r}", option="--format")
    from prospect import data
    from prospect._progress import with_progress
    from prospect.cost import parse_prices, plan

    consortia = data.load_consortia(consortia_file) if consortia_file else None
    missions = data.load_missions(extra=missions_file) if missions_file else None
    result = with_progress("evaluating candidate missions", plan)(
        target,
        consortium,
        mission=mission,
        start=start,
        seed=seed,
        n_draws=draws,
        method=method,
        rule=rule,
        fund_fraction=fund,
        percentile=percentile,
        prices=parse_prices(price),
        feedstock_kg=feedstock_kg,
        recovery=recovery,
        target_class=target_class,
        stay_days=stay_days,
        launch_by=launch_by,
        shares=_shares(share),
        include_speculative=speculative,
        allow_resize=allow_resize,
        ephemeris=ephemeris,
        consortia=consortia,
        missions=missions,
    )
    if plot is not None:
        _save_gantt(result, plot)
    typer.echo(render(result, fmt), nl=False)


def _save_gantt(result, path: Path) -> None:
    """The plan's timeline as a Gantt chart (:func:`prospect.plot.gantt.save_gantt`)."""
    from prospect.plot.gantt import save_gantt

    save_gantt(
        result.timeline,
        path,
        title=f"{result.target.label}: {result.mission.name} for {result.consortium.name}",
    )


def consortia_cmd(
    fmt: str = typer.Option("table", "--format", help="table, json or csv."),
    path: Path | None = typer.Option(
        None, "--file", help="A consortia TOML replacing the shipped one."
    ),
) -> None:
    """List consortia: members, interests, legal frameworks and budget."""
    if fmt not in FORMATS:
        raise InputError(f"must be one of {', '.join(FORMATS)}, got {fmt!r}", option="--format")
    from prospect import data
    from prospect.cost import consortia_table, load_cost_model

    model = load_cost_model()
    df = consortia_table(data.load_consortia(path), model)
    if fmt == "json":
        typer.echo(json.dumps(df.to_dict(orient="records"), indent=2))
        return
    if fmt == "csv":
        typer.echo(df.to_csv(index=False), nl=False)
        return
    rows = [
        [
            r.name,
            r.era,
            str(r.members),
            r.interests,
            r.frameworks or "-",
            _fmt(r.budget_musd),
            _fmt(r.declared_budget_musd),
        ]
        for r in df.itertuples(index=False)
    ]
    typer.echo(
        _table(
            [
                "name",
                "era",
                "members",
                "interests",
                "frameworks",
                f"budget $M FY{model.output_dollar_year}",
                "declared $M",
            ],
            rows,
            frozenset({2, 5, 6}),
        )
    )
    typer.echo(
        "budget: sum of the members' published contributions (unvalued in-kind counts 0); "
        "members: prospect consortia --format json"
    )
    for r in df.itertuples(index=False):
        typer.echo(f"  {r.name}: {r.member_names}")


app.command("consortia")(consortia_cmd)
