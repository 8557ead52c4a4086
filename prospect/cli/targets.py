"""``prospect target NAME``: one catalog asteroid, its elements, size and state."""

from __future__ import annotations

import math
from pathlib import Path

import typer

from prospect.cli import app
from prospect.cli._flags import library_names


def _fmt(value, spec: str = "", unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    try:
        import pandas as pd

        if value is pd.NA:
            return "-"
    except ImportError:  # pragma: no cover
        pass
    return f"{value:{spec}}{unit}" if spec else f"{value}{unit}"


def _diameter_range(row) -> str:
    lo, hi = row.get("diameter_min_km"), row.get("diameter_max_km")
    if lo is None or hi is None or not (math.isfinite(lo) and math.isfinite(hi)):
        return "-"
    if lo == hi:
        return "measured"
    return f"{lo:.3f}-{hi:.3f} km for albedos 0.25-0.05 (albedo not measured)"


def _classes(row) -> str:
    names = {"spec_mahlke": "Mahlke 2022", "spec_b": "Bus", "spec_t": "Tholen"}
    got = [f"{v} ({k})" for c, k in names.items() if isinstance(v := row.get(c), str)]
    return ", ".join(got) or "-"


@app.command("target")
@library_names({"epochs": "at"})
def target_cmd(
    name: str = typer.Argument(
        ..., help='Number, name, designation or packed designation ("433", "Eros", "2000 SG344").'
    ),
    at: list[str] = typer.Option(
        [], "--at", help="Epoch(s) (ISO date, UTC) for the heliocentric state; repeatable."
    ),
    catalog: Path | None = typer.Option(
        None, "--catalog", help="NEA catalog file (MPC JSON, MPCORB.DAT or SBDB CSV)."
    ),
    ephemeris: str = typer.Option(
        "nbody",
        "--ephemeris",
        help="nbody (ASSIST with JPL DE440 planets, cached) or two-body (Kepler).",
    ),
) -> None:
    """Show a catalog target: designation, orbit, size and its state at --at epochs."""
    import numpy as np
    from rich.console import Console
    from rich.table import Table

    from prospect.epochs import check_span
    from prospect.errors import InputError
    from prospect.nbody import EPHEMERIDES
    from prospect.targets import target

    if ephemeris not in EPHEMERIDES:
        raise InputError(f"must be nbody or two-body, got {ephemeris!r}", option="--ephemeris")
    for ep in at:  # every date outside DE440 is refused before any output, naming the flag
        check_span(ep, option="--at", ephemeris="nbody")
    tgt = target(name, catalog)
    row = tgt.row
    console = Console()
    t = Table(title=tgt.label, show_header=False)
    t.add_column("field")
    t.add_column("value")
    rows = [
        ("designation", _fmt(row.get("designation"))),
        ("packed", _fmt(row.get("packed"))),
        ("orbit class", _fmt(row.get("orbit_class"))),
        ("a", _fmt(row["a_au"], ".6f", " au")),
        ("e", _fmt(row["e"], ".6f")),
        ("i", _fmt(row["inc_deg"], ".5f", " deg")),
        ("node", _fmt(row["raan_deg"], ".5f", " deg")),
        ("arg. perihelion", _fmt(row["argp_deg"], ".5f", " deg")),
        ("mean anomaly", _fmt(row["ma_deg"], ".5f", " deg")),
        ("epoch", f"JD {row['epoch_jd_tt']:.1f} TT ({tgt.epoch.iso[:10]})"),
        ("q / Q", f"{row['a_au'] * (1 - row['e']):.4f} / {row['a_au'] * (1 + row['e']):.4f} au"),
        ("H", _fmt(row.get("h_mag"), ".2f")),
        ("albedo", f"{_fmt(row.get('albedo'), '.3f')} ({_fmt(row.get('albedo_source'))})"),
        (
            "diameter",
            f"{_fmt(row.get('diameter_km'), '.3f', ' km')} ({_fmt(row.get('diameter_source'))})",
        ),
        ("diameter range", _diameter_range(row)),
        ("spectral class", _classes(row)),
        ("U (uncertainty)", _fmt(row.get("u_param"), ".0f")),
    ]
    for k, v in rows:
        t.add_row(k, v)
    console.print(t)
    if at:
        r, v = tgt.state(at, ephemeris=ephemeris)
        rk, vk = np.atleast_2d(r.to_value("km")), np.atleast_2d(v.to_value("km/s"))
        how = {
            "nbody": "nbody: ASSIST with JPL DE440 planets",
            "two-body": "two-body: Kepler from the elements",
        }[ephemeris]
        console.print(f"Heliocentric ecliptic J2000 state ({how}):", highlight=False)
        for ep, ri, vi in zip(at, rk, vk, strict=True):
            console.print(
                f"  {ep}  r = [{ri[0]:.1f}, {ri[1]:.1f}, {ri[2]:.1f}] km "
                f"({np.linalg.norm(ri) / 149_597_870.7:.6f} au)\n"
                f"  {' ' * len(ep)}  v = [{vi[0]:.6f}, {vi[1]:.6f}, {vi[2]:.6f}] km/s "
                f"({np.linalg.norm(vi):.4f} km/s)",
                highlight=False,
            )
