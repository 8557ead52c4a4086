"""``prospect rank`` and ``prospect porkchop``: the scans on the command line.

Thin wrappers over :func:`prospect.scan.rank` and :func:`prospect.scan.porkchop`;
output as a rich table or CSV/JSON/Parquet, files written atomically (a
temporary file in the same directory, then ``os.replace``).  Library errors
name the Python parameter; :data:`FLAGS` maps it to this command line's flag.
"""

from __future__ import annotations

import io
import math
import sys
from pathlib import Path

import typer

from prospect._io import write_atomic as _write_atomic
from prospect.cli import app
from prospect.cli._engine_opts import RANK_SCHEDULER, RANK_WORKERS, say
from prospect.cli._flags import library_names
from prospect.errors import InputError, ProspectError

FORMATS = ("table", "csv", "json", "parquet")

#: Parameters of :func:`prospect.scan.rank` / :func:`prospect.scan.porkchop` whose
#: names differ from this module's options (library name -> option's Python name);
#: the others are the options' own names (:mod:`prospect.cli._flags`).
LIBRARY_NAMES = {
    "start": "from_",
    "end": "to",
    "departure_start": "from_",
    "departure_end": "to",
    "step_days": "step",
    "tof_step_days": "tof_step",
    "tof_min_days": "tof_min",
    "tof_max_days": "tof_max",
    "path": "plot",
}

_RANK_EPHEMERIS = typer.Option(
    "nbody",
    "--ephemeris",
    help="nbody (default: candidates within a measured margin of the limit, Earth-"
    "approaching ones included, re-scanned and refined with n-body states; cached) or "
    "two-body (Kepler from the elements throughout).",
)
_EPHEMERIS = typer.Option(
    "nbody",
    "--ephemeris",
    help="nbody (targets integrated with JPL DE440 planets, Earth from DE440; cached) "
    "or two-body (Kepler from the elements, astropy's Earth).",
)


_RANK_TABLE = [
    # column, header, format
    ("rank", "#", "{:d}"),
    ("label", "target", "{}"),
    ("orbit_class", "class", "{}"),
    ("diameter_km", "D (m)", "km->m"),
    ("departure", "departure", "date"),
    ("duration_days", "days", "{:.0f}"),
    ("c3_km2_s2", "C3", "{:.2f}"),
    ("dv_spacecraft_km_s", "dv s/c", "{:.3f}"),
    ("dv_total_km_s", "dv LEO", "{:.3f}"),
    ("dv_margin_km_s", "margin", "{:+.3f}"),
    ("score", "score", "{:.3f}"),
    ("pareto", "pareto", "{}"),
    ("flags", "flags", "{}"),
]

_RANK_RT_EXTRA = [
    ("stay_days", "stay", "{:.0f}"),
    ("entry_speed_km_s", "v entry", "{:.2f}"),
]
_COST_COLS = [
    ("cost_p50_musd", "P50 M$", "{:,.1f}"),
    ("cost_p90_musd", "P90 M$", "{:,.1f}"),
    ("launch_vehicle", "launch", "{}"),
    ("launch", "launch date", "{}"),
]
_EXPLAIN = [
    ("composition", "composition", "{}"),
    ("sh_dv_km_s", "dv SH", "{:.2f}"),
    ("u_param", "U", "{:.0f}"),
    ("score_dv", "s_dv", "{:.2f}"),
    ("score_duration", "s_dur", "{:.2f}"),
    ("score_size", "s_size", "{:.2f}"),
    ("score_composition", "s_comp", "{:.2f}"),
    ("score_certainty", "s_cert", "{:.2f}"),
]


def _check_format(fmt: str, output: Path | None) -> str:
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise InputError(
            f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}", option="--format"
        )
    if fmt == "parquet" and output is None:
        raise InputError("parquet output needs --output PATH", option="--format")
    return fmt


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (:func:`prospect._io.write_atomic`)."""
    _write_atomic(path, data, option="--output")


def iso_date_text(df):
    """A copy of ``df`` with its ``datetime64`` columns as ISO text: ``YYYY-MM-DD`` where
    every value is a whole UTC day, else ``YYYY-MM-DDTHH:MM:SS`` (missing: empty/null)."""
    import pandas as pd  # here: the CLI starts without pandas

    df = df.copy()
    for c in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[c]):
            col = df[c]
            whole = bool((col.dropna() == col.dropna().dt.normalize()).all())
            text = col.dt.strftime("%Y-%m-%d" if whole else "%Y-%m-%dT%H:%M:%S")
            df[c] = text.astype(object).where(col.notna(), None)
    return df


def _frame_bytes(df, fmt: str) -> bytes:
    if fmt == "csv":
        return df.to_csv(index=False).encode()
    if fmt == "json":
        return (df.to_json(orient="records", indent=1, date_format="iso") + "\n").encode()
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def _emit(df, fmt: str, output: Path | None, *, date_text: bool = False) -> None:
    if date_text and fmt in ("csv", "json"):
        df = iso_date_text(df)
    data = _frame_bytes(df, fmt)
    if output is None:
        sys.stdout.write(data.decode())
    else:
        write_atomic(output, data)
        typer.echo(f"wrote {len(df)} rows to {output}", err=True)


def _cell(value, spec: str) -> str:
    if value is None:
        return "-"
    try:
        if isinstance(value, float) and math.isnan(value):
            return "-"
    except TypeError:
        pass
    try:
        if spec == "date":
            return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)
        if spec == "km->m":
            return f"{float(value) * 1000.0:,.0f}"
        if spec == "{:d}":
            return str(int(value))
        if spec == "{:.0f}" and not isinstance(value, (int, float)):
            return str(value)
        return spec.format(value)
    except (ValueError, TypeError):
        return str(value)


def resolve_mission(mission: str | None, profile: Path | None):
    """The profile named by ``--mission`` and/or ``--profile FILE.toml``."""
    from prospect.data import get_mission, load_missions

    if profile is not None:
        if not Path(profile).is_file():
            raise InputError(f"{profile}: no such file", option="--profile")
        if mission is not None:
            return get_mission(mission, load_missions(extra=profile))
        own = load_missions(profile)
        if len(own) != 1:
            raise InputError(
                f"{profile} holds {len(own)} profiles ({', '.join(own)}); pick one with --mission",
                option="--profile",
            )
        return next(iter(own.values()))
    if mission is None:
        raise InputError(
            "give a mission profile: --mission NAME or --profile FILE.toml", option="--mission"
        )
    return get_mission(mission)


def _consortium_window(prof, start, from_, to, ephemeris: str):
    """Launch period from the consortium's ready date: launches it can fly, one trajectory each.

    The period starts at the later of ``--from`` (default: first day of next
    month) and the date the spacecraft is ready (``--start`` + development);
    without ``--to`` it lasts rank's default two years from there.
    """
    from prospect.cost import consortium_ready
    from prospect.cost.timeline import to_date
    from prospect.epochs import check_span
    from prospect.scan.rank import default_window

    if start is not None:  # rank's own `start` is --from: name this one here
        check_span(start, option="--start", ephemeris=ephemeris)
    ready = consortium_ready(prof, start)
    first = to_date(from_, option="--from") if from_ is not None else None
    first = max(first or to_date(default_window()[0]), ready)
    if to is not None and first > to_date(to, option="--to"):
        raise InputError(
            f"the spacecraft is ready on {ready.isoformat()}, after the launch period ending {to}",
            option="--start",
        )
    return first.isoformat(), to


# Options shared by the scan commands (one line per parameter in the commands).
_MISSION = typer.Option(None, "--mission", "-m", help="Mission profile name.")
_PROFILE = typer.Option(
    None, "--profile", help="Mission profile TOML file (layout of catalogs/missions.toml)."
)
_CATALOG = typer.Option(None, "--catalog", help="NEA catalog file.")
_FMT = typer.Option("table", "--format", "-f", help="table, csv, json or parquet.")
_TOF_STEP = typer.Option(None, "--tof-step", help="Flight-time step, days.")
_RANK_OPTS = {
    "from_": typer.Option(
        None, "--from", help="Start of the launch period (default: first day of next month)."
    ),
    "to": typer.Option(
        None, "--to", help="End of the launch period (default: two years after --from)."
    ),
    "round_trip": typer.Option(
        None, "--round-trip/--one-way", help="NHATS-style round trips (default: the profile's)."
    ),
    "exhaustive": typer.Option(
        False,
        "--exhaustive",
        help="Scan every object (no Shoemaker-Helin screening) on the whole fine grid "
        "(no coarse-to-fine pruning).",
    ),
    "weights": typer.Option(
        None,
        "--weights",
        help="Score weights, e.g. dv=0.4,size=0.2 (keys: dv, duration, "
        "size, composition, certainty; keys not given weigh 0).",
    ),
    "explain": typer.Option(False, "--explain", help="Show every score column."),
    "output": typer.Option(None, "--output", "-o", help="Write to this file."),
    "top": typer.Option(20, "--top", "-n", help="Show the best N targets."),
    "resume": typer.Option(
        False, "--resume", help="Adopt the finished chunks of an interrupted identical scan."
    ),
    "checkpoint": typer.Option(
        True,
        "--checkpoint/--no-checkpoint",
        help="Keep finished chunks in the user cache while the scan runs (default on).",
    ),
    "max_h": typer.Option(None, "--max-h", help="Only objects with H <= this (NHATS: 26)."),
    "max_u": typer.Option(
        None, "--max-u", help="Only orbits with MPC uncertainty U <= this (0 best, 9 worst)."
    ),
    "min_diameter_m": typer.Option(
        None, "--min-diameter-m", help="Only objects at least this large, m."
    ),
    "step": typer.Option(None, "--step", help="Departure (or lattice) step, days."),
    "tof_min": typer.Option(None, "--tof-min", help="Shortest flight, days."),
    "tof_max": typer.Option(None, "--tof-max", help="Longest flight, days."),
    "refine": typer.Option(True, "--refine/--no-refine", help="Refine the rows shown."),
    "consortium": typer.Option(
        None,
        "--consortium",
        "-c",
        help="Add cost (P50/P90) and schedule columns for this consortium and keep only "
        "what its pooled budget can afford; launches from the date its spacecraft is ready.",
    ),
    "start": typer.Option(
        None, "--start", help="Consortium start date for the schedule (default today)."
    ),
    "seed": typer.Option(
        None, "--seed", help="Monte Carlo seed of the cost ranges (with --consortium; default 0)."
    ),
}


def _checked_top_seed(top: int, seed: int | None, consortium: str | None) -> int:
    """``--top`` at least 1; ``--seed`` only with ``--consortium``, a valid seed (default 0)."""
    if top < 1:
        raise InputError(f"must be >= 1, got {top}", option="top")
    if seed is not None and consortium is None:  # it would change nothing
        raise InputError(
            "only used with --consortium (the cost ranges' Monte Carlo)", option="seed"
        )
    from prospect.cost.montecarlo import check_seed

    return check_seed(0 if seed is None else seed)


@app.command("rank")
@library_names(LIBRARY_NAMES)
def rank_cmd(
    mission: str | None = _MISSION,
    profile: Path | None = _PROFILE,
    catalog: Path | None = _CATALOG,
    from_: str | None = _RANK_OPTS["from_"],
    to: str | None = _RANK_OPTS["to"],
    round_trip: bool | None = _RANK_OPTS["round_trip"],
    exhaustive: bool = _RANK_OPTS["exhaustive"],
    weights: str | None = _RANK_OPTS["weights"],
    explain: bool = _RANK_OPTS["explain"],
    fmt: str = _FMT,
    output: Path | None = _RANK_OPTS["output"],
    top: int = _RANK_OPTS["top"],
    resume: bool = _RANK_OPTS["resume"],
    checkpoint: bool = _RANK_OPTS["checkpoint"],
    max_h: float | None = _RANK_OPTS["max_h"],
    max_u: float | None = _RANK_OPTS["max_u"],
    min_diameter_m: float | None = _RANK_OPTS["min_diameter_m"],
    step: float | None = _RANK_OPTS["step"],
    tof_step: float | None = _TOF_STEP,
    tof_min: float | None = _RANK_OPTS["tof_min"],
    tof_max: float | None = _RANK_OPTS["tof_max"],
    refine: bool = _RANK_OPTS["refine"],
    consortium: str | None = _RANK_OPTS["consortium"],
    start: str | None = _RANK_OPTS["start"],
    seed: int | None = _RANK_OPTS["seed"],
    ephemeris: str = _RANK_EPHEMERIS,
    scheduler: str | None = RANK_SCHEDULER,
    workers: int | None = RANK_WORKERS,
) -> None:
    """Rank catalog asteroids a mission can reach in a launch period, best first.

    Default launch period: from the first day of next month, for two years.
    """
    from prospect.scan import rank
    from prospect.scan.rank import CheckpointError

    fmt = _check_format(fmt, output)
    prof = resolve_mission(mission, profile)
    consortium_obj = None
    if consortium is not None:
        from prospect.data import get_consortium

        consortium_obj = get_consortium(consortium)  # fail fast on an unknown name
        from_, to = _consortium_window(prof, start, from_, to, ephemeris)
    from prospect._progress import progress

    seed = _checked_top_seed(top, seed, consortium)
    try:
        with progress("scanning targets") as cb:
            df = rank(
                prof,
                catalog=catalog,
                start=from_,
                end=to,
                round_trip=round_trip,
                exhaustive=exhaustive,
                weights=weights,
                # with a consortium, cost every feasible row, then keep the affordable best
                top=None if consortium is not None else top,
                step_days=step,
                tof_step_days=tof_step,
                tof_min_days=tof_min,
                tof_max_days=tof_max,
                refine=refine,
                resume=resume,
                checkpoint=checkpoint,
                max_h=max_h,
                max_u=max_u,
                min_diameter_m=min_diameter_m,
                progress=cb,
                ephemeris=ephemeris,
                scheduler=scheduler,
                workers=workers,
                log=say,
            )
    except CheckpointError as exc:  # its hint names the keyword; here the flag
        raise ProspectError(str(exc).replace("checkpoint=False", "--no-checkpoint")) from None
    df, cons_note = _with_costs(df, consortium_obj, prof, top, start, seed)
    _show_rank(df, fmt, output, explain=explain, costs=consortium is not None, note=cons_note)


def _with_costs(df, consortium, prof, top: int, start, seed: int):
    """With a consortium: cost columns, only the affordable rows (best ``top``), a note."""
    if consortium is None:
        return df, ""
    if df.empty:
        return df.head(top), ""
    from prospect.cost import affordability

    attrs = dict(df.attrs)
    costed = affordability(df, consortium, prof, start=start, seed=seed)
    n_costed = len(costed)
    df = costed[costed["affordable"]].head(top).reset_index(drop=True)
    df.attrs.update(attrs)
    ca = costed.attrs
    budget = ca.get("budget_musd")
    year = ca.get("dollar_year", "")
    note = (
        f"; consortium {consortium.name}: {len(df)} of {n_costed} feasible targets "
        f"affordable"
        + (f" within its budget of {budget:,.0f} M$ (FY{year})" if budget else "")
        + f"; launches from {ca['ready']}, when its spacecraft is ready"
    )
    return df, note


def _screen_line(df, note: str) -> str:
    """How the table was made: feasible count, screening, the consortium's note."""
    a = df.attrs
    screen = (
        f"{a['n_scanned']:,} of {a['n_catalog']:,} objects scanned after Shoemaker-Helin "
        f"screening (budget {a['screen_budget_km_s']:.2f} + margin "
        f"{a['screen_margin_km_s']:.1f} km/s)"
        if a.get("screened")
        else f"all {a['n_scanned']:,} objects scanned"
    )
    screen += note
    if "n_feasible" in a and not df.empty:
        screen = (
            f"{a['n_feasible']:,} target(s) satisfy the profile, best {len(df)} shown; " + screen
        )
    return screen


def _show_rank(df, fmt: str, output: Path | None, *, explain: bool, costs: bool, note: str):
    from prospect.scan.rank.output import FLAG_MARKS

    a = df.attrs
    what = "round trips" if a.get("round_trip") else "one-way rendezvous"
    screen = _screen_line(df, note)
    if df.empty:
        typer.echo(
            f"No target satisfies mission '{a['mission']}' ({what}) for launches "
            f"{a['window'][0]} to {a['window'][1]}: {screen}.",
            err=fmt != "table",
        )
    if fmt != "table":
        _emit(df, fmt, output, date_text=True)
        return
    if df.empty:
        return
    df = df.assign(flags=_flag_text(df, FLAG_MARKS))
    cols = list(_RANK_TABLE)
    if a.get("round_trip"):
        cols[6:6] = _RANK_RT_EXTRA
    if costs:
        cols += _COST_COLS
    if explain:
        cols += _EXPLAIN
    legend = ", ".join(": ".join(m) for m in FLAG_MARKS.values())
    caption = (
        f"{screen}; dv s/c: the spacecraft's share, dv LEO: total from a "
        f"{a['limits']['parking_alt_km']:.0f} km LEO; flags: {legend}; weights "
        + ", ".join(f"{k}={v:.2f}" for k, v in a["weights"].items())
    )
    _print_table(
        f"{a['mission']}: {what}, launches {a['window'][0]} to {a['window'][1]}",
        caption,
        cols,
        df,
        output,
    )


def _flag_text(df, flag_marks: dict) -> list[str]:
    """The table's flags cell of each row: markers of rank's ``FLAG_MARKS``."""
    marks = [(df[c].to_numpy(dtype=bool), m) for c, (m, _) in flag_marks.items() if c in df]
    return [" ".join(m for flag, m in marks if flag[i]) for i in range(len(df))]


def _print_table(title: str, caption: str, cols, df, output: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title, caption=caption)
    for _, header, _ in cols:
        t.add_column(header, justify="left" if header in ("target", "class") else "right")
    for _, row in df.iterrows():
        t.add_row(*[_cell(row.get(c), spec) for c, _, spec in cols])
    if output is None:
        # full width when piped (a terminal keeps its own width)
        Console(width=None if sys.stdout.isatty() else 220).print(t)
    else:
        buf = io.StringIO()
        Console(file=buf, width=200).print(t)
        write_atomic(output, buf.getvalue().encode())
        typer.echo(f"wrote {len(df)} rows to {output}", err=True)


_PORKCHOP_OPTS = {
    "from_": typer.Option(
        None, "--from", help="First departure date (default: first day of next month)."
    ),
    "to": typer.Option(None, "--to", help="Last departure date (default: two years after --from)."),
    "tof_min": typer.Option(30.0, "--tof-min", help="Shortest flight, days."),
    "tof_max": typer.Option(720.0, "--tof-max", help="Longest flight, days."),
    "step": typer.Option(
        None, "--step", help="Departure step, days (default: <= 400 steps, whole days)."
    ),
    "mode": typer.Option(None, "--mode", help="rendezvous or flyby."),
    "revs": typer.Option(None, "--revs", help="Most complete revolutions tried."),
    "quantity": typer.Option("dv", "--quantity", "-q", help="c3 or dv (plot, optimum)."),
    "plot": typer.Option(None, "--plot", help="Write a contour plot (PNG)."),
    "output": typer.Option(None, "--output", "-o", help="Write the grid here."),
    "refine": typer.Option(True, "--refine/--no-refine", help="Refine the optimum."),
}


@app.command("porkchop")
@library_names(LIBRARY_NAMES)
def porkchop_cmd(
    name: str = typer.Argument(..., help='Target: asteroid ("2000 SG344", "433") or planet.'),
    mission: str | None = _MISSION,
    profile: Path | None = typer.Option(None, "--profile", help="Mission profile TOML file."),
    catalog: Path | None = _CATALOG,
    from_: str | None = _PORKCHOP_OPTS["from_"],
    to: str | None = _PORKCHOP_OPTS["to"],
    tof_min: float = _PORKCHOP_OPTS["tof_min"],
    tof_max: float = _PORKCHOP_OPTS["tof_max"],
    step: float | None = _PORKCHOP_OPTS["step"],
    tof_step: float | None = _TOF_STEP,
    mode: str | None = _PORKCHOP_OPTS["mode"],
    revs: int | None = _PORKCHOP_OPTS["revs"],
    quantity: str = _PORKCHOP_OPTS["quantity"],
    plot: Path | None = _PORKCHOP_OPTS["plot"],
    fmt: str = _FMT,
    output: Path | None = _PORKCHOP_OPTS["output"],
    refine: bool = _PORKCHOP_OPTS["refine"],
    ephemeris: str = _EPHEMERIS,
) -> None:
    """Pork-chop grid of Earth-to-target transfers: optimum, grid file and contour plot."""
    from prospect._progress import with_progress
    from prospect.scan import porkchop
    from prospect.scan.rank import default_window, plus_two_years

    fmt = _check_format(fmt, output)
    prof = resolve_mission(mission, profile) if (mission is not None or profile) else None
    if quantity not in ("c3", "dv"):
        raise InputError(f"choose c3 or dv, got {quantity!r}", option="quantity")
    start = default_window()[0] if from_ is None else from_
    end = plus_two_years(start, option="departure_start") if to is None else to
    pc = with_progress("computing the pork-chop grid", porkchop)(
        name,
        start,
        end,
        tof_min,
        tof_max,
        step_days=step,
        tof_step_days=tof_step,
        mode=mode,
        revs=revs,
        mission=prof,
        catalog=catalog,
        ephemeris=ephemeris,
    )
    best = pc.best(quantity, refine=refine)
    if plot is not None:
        from prospect.plot import save_porkchop

        save_porkchop(pc, plot, quantity=quantity, best=best)
        typer.echo(f"wrote plot {plot}", err=True)
    if fmt != "table":
        _emit(pc.to_frame(), fmt, output)
        return
    text = "\n".join(_porkchop_summary(pc, best, quantity)) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text.encode())


def _porkchop_summary(pc, best, quantity: str) -> list[str]:
    """The summary lines of ``prospect porkchop``: the grid and its optimum."""
    lines = [
        f"Earth to {pc.target} ({pc.mode}, {pc.ephemeris} ephemeris): "
        f"{pc.shape[0]} departures x {pc.shape[1]} flight times"
    ]
    if best is None:
        lines.append(
            "no transfer on this grid"
            + (f" within C3 <= {pc.max_c3_km2_s2:g} km^2/s^2" if pc.max_c3_km2_s2 else "")
        )
        return lines
    d = best.as_dict()
    lines.append(
        f"optimum ({'refined' if best.refined else 'grid'}, minimum {quantity}): "
        f"depart {d['departure']}, arrive {d['arrival']} ({d['tof_days']:.1f} d)"
    )
    lines.append(
        f"  C3 {d['c3_km2_s2']:.3f} km^2/s^2, v_inf out {d['vinf_dep_km_s']:.3f} km/s, "
        f"in {d['vinf_arr_km_s']:.3f} km/s"
    )
    lines.append(
        f"  dv: departure {d['dv_departure_km_s']:.3f} (from {pc.parking_alt_km:.0f} km) "
        f"+ arrival {d['dv_arrival_km_s']:.3f} = {d['dv_total_km_s']:.3f} km/s"
    )
    return lines
