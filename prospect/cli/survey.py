"""``prospect survey`` (run a survey) and ``prospect survey show DIR`` (query it).

Thin wrappers over :func:`prospect.survey.survey` and :func:`prospect.survey.query`;
every heavy import happens inside the command functions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from prospect.cli import app
from prospect.cli._flags import env_option, library_names, output_directory
from prospect.errors import InputError

survey_app = typer.Typer(
    help="NHATS-style accessibility survey of a whole catalog (Dask or this machine).",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)
app.add_typer(survey_app, name="survey")

_SHOW = [
    # column, header, format
    ("label", "target", "{}"),
    ("orbit_class", "class", "{}"),
    ("h_mag", "H", "{:.1f}"),
    ("u_param", "U", "{:.0f}"),
    ("dv_km_s", "dv (filter)", "{:.3f}"),
    ("min_dv_departure", "departure", "{}"),
    ("min_dv_duration_days", "days", "{:.0f}"),
    ("min_dv_stay_days", "stay", "{:.0f}"),
    ("min_dv_c3_km2_s2", "C3", "{:.2f}"),
    ("min_dv_entry_speed_km_s", "v entry", "{:.2f}"),
    ("min_dur_duration_days", "min days", "{:.0f}"),
    ("min_dur_dv_km_s", "dv min-days", "{:.3f}"),
    ("n_viable", "viable", "{:,d}"),
]


def _say(text: str) -> None:
    typer.echo(text, err=True)


@survey_app.callback()
@library_names({"step_days": "step"})
@output_directory("output")
def survey_cmd(
    ctx: typer.Context,
    mission: str | None = typer.Option(None, "--mission", "-m", help="Mission profile name."),
    profile: Path | None = typer.Option(None, "--profile", help="Mission profile TOML file."),
    catalog: Path | None = typer.Option(None, "--catalog", help="NEA catalog file."),
    start: str | None = typer.Option(None, "--from", help="First launch date (2027-01-01)."),
    end: str | None = typer.Option(None, "--to", help="Last launch date (2045-12-31)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Survey directory."),
    scheduler: str | None = env_option(
        None,
        "--scheduler",
        envvar="DASK_SCHEDULER_ADDRESS",
        help="Dask scheduler address (default $DASK_SCHEDULER_ADDRESS).",
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="Local worker processes (default: cores; 0: in-process)."
    ),
    resume: bool = typer.Option(False, "--resume", help="Keep the finished chunks of DIR."),
    ephemeris: str | None = typer.Option(
        None, "--ephemeris", help="nbody or two-body (default nbody when installed)."
    ),
    step: float = typer.Option(5.0, "--step", help="Lattice step, days."),
    chunk_size: int | None = typer.Option(
        None,
        "--chunk-size",
        help="Targets per chunk (task); default ~400 target-years, at most 100, >= 16 chunks.",
    ),
) -> None:
    """Survey every target of a catalog for a mission profile and a launch period."""
    if ctx.invoked_subcommand is not None:
        return
    from prospect.cli.scan import resolve_mission
    from prospect.survey import survey

    if output is None:
        raise InputError("give the survey directory: --output DIR", option="--output")
    from prospect._progress import progress

    prof = resolve_mission(mission, profile)
    with progress("surveying chunks") as update:
        df = survey(
            prof,
            output=output,
            catalog=catalog,
            start=start,
            end=end,
            ephemeris=ephemeris,
            scheduler=scheduler,
            workers=workers,
            resume=resume,
            step_days=step,
            chunk_size=chunk_size,
            progress=update,
            log=_say,
        )
    st = df.attrs["stats"]
    _say(
        f"survey of {len(df):,} targets in {output}: {int(df['feasible'].sum()):,} accessible; "
        f"{st['computed_chunks']} chunk(s) computed ({st['engine']}), "
        f"{st['reused_chunks']} kept from before"
    )


def _table(df) -> str:
    from prospect.cli.scan import _cell

    cols = [c for c in _SHOW if c[0] in df.columns]
    rows = [[h for _, h, _ in cols]]
    for _, r in df.iterrows():
        rows.append([_cell(r[c], f) for c, _, f in cols])
    widths = [max(len(row[k]) for row in rows) for k in range(len(cols))]
    return "\n".join(
        "  ".join(x.rjust(w) for x, w in zip(row, widths, strict=True)) for row in rows
    )


@survey_app.command("show")
@library_names(
    {
        "max_dv_km_s": "max_dv",
        "max_duration_days": "max_duration",
        "min_stay_days": "min_stay",
        "path": "plot",
    }
)
def show_cmd(
    directory: Path = typer.Argument(..., help="Survey directory."),
    max_dv: float | None = typer.Option(None, "--max-dv", help="Maximum delta-v, km/s."),
    max_duration: float | None = typer.Option(None, "--max-duration", help="Maximum days."),
    min_stay: float | None = typer.Option(None, "--min-stay", help="Minimum stay, days."),
    max_h: float | None = typer.Option(None, "--max-h", help="Largest H (smallest size)."),
    max_u: float | None = typer.Option(None, "--max-u", help="Largest orbit uncertainty U."),
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
    top: int | None = typer.Option(None, "--top", help="Show the first N rows."),
    plot: Path | None = typer.Option(None, "--plot", help="Draw the summary charts to FILE."),
) -> None:
    """Query a finished survey: targets meeting the filters, cheapest first."""
    from prospect.survey import count_grid, query

    if fmt not in ("table", "csv", "json"):
        raise InputError(f"unknown format {fmt!r}; choose table, csv or json", option="--format")
    if not directory.is_dir():
        raise InputError(f"{directory}: no such directory", option="directory")
    if top is not None and top < 1:
        raise InputError(f"must be >= 1, got {top}", option="top")
    df = query(
        directory,
        max_dv_km_s=max_dv,
        max_duration_days=max_duration,
        min_stay_days=min_stay,
        max_h=max_h,
        max_u=max_u,
    )
    man = df.attrs["manifest"]
    if plot is not None:
        from prospect.plot.survey import plot_counts

        plot_counts(count_grid(df, man), plot, title=f"{man.get('mission', '')} survey")
        _say(f"wrote {plot}")
    shown = df.head(top) if top else df
    if fmt == "csv":
        sys.stdout.write(shown.to_csv(index=False))
    elif fmt == "json":
        sys.stdout.write(shown.to_json(orient="records", indent=1) + "\n")
    else:
        typer.echo(_table(shown) if len(shown) else "no target meets the filters")
        note = "" if df.attrs["complete"] else " (survey unfinished: rerun it with --resume)"
        _say(f"{len(df):,} target(s) meet the filters{note}")
