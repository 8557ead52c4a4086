"""``prospect catalog ...``: show, update or reset the NEA catalog."""

from __future__ import annotations

import math
from pathlib import Path

import typer

from prospect.cli import app
from prospect.cli._flags import library_names
from prospect.errors import InputError

__all__ = ["catalog_app"]

catalog_app = typer.Typer(
    name="catalog",
    help="Show, update or reset the near-Earth asteroid catalog.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(catalog_app, name="catalog")

#: Skip reasons printed by `catalog info` before "... and N more".
_SHOW_SKIPPED = 10


def _summary_lines(df) -> list[tuple[str, str]]:
    a = df.attrs
    where = {"shipped": " (shipped with prospect)", "updated": " (downloaded update)"}.get(
        a.get("active", ""), ""
    )
    path = a.get("path") or "?"
    src = a.get("source_file")
    if src and Path(path).name != src:
        path += f" (converted from {src})"
    classes = df["orbit_class"].value_counts()
    from prospect.catalog.physical import albedo_measured, diameter_measured

    measured = int(diameter_measured(df["diameter_source"]).sum())
    estimated = int((df["diameter_source"] == "H+albedo").sum())
    alb_src = df["albedo_source"]
    n_albedo = int((albedo_measured(alb_src) & (alb_src != "diameter+H").to_numpy()).sum())
    n_class = int(df["spec_source"].notna().sum()) if "spec_source" in df else 0
    lines = [
        ("Catalog", f"{a.get('source', '?')}{where}"),
        ("File", path),
        ("Objects", f"{len(df):,}"),
        ("Epochs", a.get("epoch_summary", "?")),
        ("Frame", f"{a.get('frame', '?')}, epochs in {a.get('time_scale', 'TT')}"),
        ("Orbit classes", ", ".join(f"{k} {v:,}" for k, v in classes.items())),
        ("PHAs", f"{int(df['pha'].sum()):,}" + ("" if a.get("pha_known", True) else " (unknown)")),
        ("Diameters", f"{measured:,} measured, {estimated:,} from H and albedo"),
        ("Albedos", f"{n_albedo:,} measured; spectral classes: {n_class:,}"),
    ]
    if a.get("url"):
        lines.append(("Downloaded", f"{a.get('downloaded', '?')} from {a['url']}"))
    lines.append(("Attribution", a.get("attribution", "?")))
    if a.get("physical_attribution"):
        lines.append(("Physical data", a["physical_attribution"].removeprefix("Physical data: ")))
    return lines


def _print_skipped(df) -> None:
    skipped = df.attrs.get("skipped") or []
    if not skipped:
        return
    typer.echo(f"Skipped {len(skipped):,} bad records:", err=True)
    for reason in skipped[:_SHOW_SKIPPED]:
        typer.echo(f"  {reason}", err=True)
    if len(skipped) > _SHOW_SKIPPED:
        typer.echo(f"  ... and {len(skipped) - _SHOW_SKIPPED:,} more", err=True)


def _print_table(lines: list[tuple[str, str]]) -> None:
    width = max(len(k) for k, _ in lines) + 2
    for key, value in lines:
        typer.echo(f"{key + ':':<{width}}{value}")


@catalog_app.command("info")
def info(
    catalog: Path = typer.Option(
        None,
        "--catalog",
        help="Catalog file to describe (MPC JSON, MPCORB/NEA.txt, JPL SBDB CSV); "
        "default: the active catalog.",
    ),
    skip_bad: bool = typer.Option(
        False, "--skip-bad", help="Skip bad records (and list them) instead of failing."
    ),
) -> None:
    """Source, epochs, counts by orbit class and attribution of a catalog."""
    from prospect.catalog import load_neas

    df = load_neas(catalog, skip_bad=skip_bad)
    _print_table(_summary_lines(df))
    _print_skipped(df)


@catalog_app.command("update")
@library_names({"max_unpacked": "max_unpacked_mb"})
def update(
    url: str = typer.Option(
        None, "--url", help="Where to download from (default: the MPC's nea_extended.json.gz)."
    ),
    min_records: int = typer.Option(
        None,
        "--min-records",
        min=1,
        help="Fewest objects the new file must hold (default: 99% of the active catalog's).",
    ),
    timeout: float = typer.Option(
        60.0, "--timeout", min=0.1, help="Seconds to wait for the connection and each read."
    ),
    deadline: float = typer.Option(
        600.0, "--deadline", min=0.1, help="Seconds the whole download may take."
    ),
    max_unpacked_mb: float = typer.Option(
        None,
        "--max-unpacked-mb",
        min=1.0,
        help="Largest size (MiB) a gzipped download may unpack to "
        "(default: $PROSPECT_MAX_UNPACKED_BYTES, else 512 MiB).",
    ),
) -> None:
    """Download the newest MPC NEA file and make it the active catalog.

    The download is checked (complete by its declared length or its format's
    own end, parseable, at least 99% of the active catalog's object count)
    before it replaces the active copy; on any failure the current catalog
    stays active.
    """
    from prospect.catalog.update import (
        DEFAULT_URL,
        check_min_records,
        check_url,
        update_catalog,
    )

    url = DEFAULT_URL if url is None else url
    check_url(url)  # before the first word is printed
    check_min_records(min_records)
    for name, value in (
        ("timeout", timeout),
        ("deadline", deadline),
        ("max_unpacked_mb", max_unpacked_mb),
    ):
        if value is not None and not math.isfinite(value):
            raise InputError(f"must be a finite number, got {value}", option=name)
    typer.echo(f"Downloading {url} ...")
    df = update_catalog(
        url,
        min_records=min_records,
        timeout=timeout,
        deadline=deadline,
        max_unpacked=None if max_unpacked_mb is None else max_unpacked_mb * 1024**2,
    )
    n_skipped = len(df.attrs.get("skipped") or [])
    typer.echo(
        f"Installed {len(df):,} objects ({df.attrs.get('epoch_summary', '')})"
        + (f"; skipped {n_skipped:,} bad records" if n_skipped else "")
    )
    typer.echo(f"Active catalog: {df.attrs['path']}")
    _print_skipped(df)


@catalog_app.command("reset")
def reset() -> None:
    """Remove the downloaded catalog: the shipped catalog becomes active again."""
    from prospect.catalog.update import describe_active, reset_catalog

    had = reset_catalog()
    state = "Removed the downloaded catalog; active" if had else "No downloaded catalog; active"
    typer.echo(f"{state}: {describe_active()}")
