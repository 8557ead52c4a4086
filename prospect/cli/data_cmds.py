"""``prospect missions``, ``prospect sites``, ``prospect launchers`` (and a plain
``prospect consortia`` listing when no other module registered that name).

Thin layer over :mod:`prospect.data`: every error is a library error that the
top-level group turns into one line on stderr.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from prospect.cli import app
from prospect.errors import InputError

if TYPE_CHECKING:
    from prospect import data

__all__ = ["consortia_cmd", "launchers_cmd", "missions_cmd", "sites_cmd"]

_EST = "*"
_FOOT = "* estimate or assumption: see the source notes in the catalog file"


def _num(x: float, fmt: str = "{:,.0f}", est: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return fmt.format(x) + (_EST if est else "")


def _table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    """Plain fixed-width table (no terminal-width dependence, stable for goldens)."""
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells):
        out = []
        for i, (c, w) in enumerate(zip(cells, widths, strict=True)):
            out.append(c.rjust(w) if i in right else c.ljust(w))
        return "  ".join(out).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _limits_text(p: data.MissionProfile) -> str:
    parts = []
    if p.round_trip:
        parts.append("round trip")
    if math.isfinite(p.max_total_dv_km_s):
        parts.append(f"dv<={p.max_total_dv_km_s:g}")
    if math.isfinite(p.max_c3_km2_s2):
        parts.append(f"C3<={p.max_c3_km2_s2:g}")
    if math.isfinite(p.max_duration_days):
        parts.append(f"dur<={p.max_duration_days:g}d")
    if p.min_stay_days > 0:
        parts.append(f"stay>={p.min_stay_days:g}d")
    if math.isfinite(p.max_entry_speed_km_s):
        parts.append(f"entry<={p.max_entry_speed_km_s:g}")
    if math.isfinite(p.kick_stage_c3_km2_s2):
        parts.append(f"kick C3={p.kick_stage_c3_km2_s2:g}")
    return "; ".join(parts) or "-"


@app.command("missions")
def missions_cmd(
    profile: list[Path] = typer.Option(
        None,
        "--profile",
        "-p",
        help="TOML file of mission profiles that add to (or replace, by name) the shipped "
        "ones; repeatable.",
    ),
    target: str = typer.Option(None, "--target", help="Only profiles for nea, moon or leo."),
) -> None:
    """List mission profiles: masses, Isp, delta-v capacity, launch mode and limits."""
    from prospect import data

    profiles = data.load_missions(extra=profile or None)
    if target is not None and target not in data.TARGET_KINDS:
        raise InputError(
            f"unknown target {target!r} (expected one of: {', '.join(data.TARGET_KINDS)})",
            option="--target",
        )
    rows = []
    any_est = False
    for name, p in profiles.items():
        if target is not None and p.target != target:
            continue
        est = p.estimates
        dv_est = bool(est & {"dry_mass_kg", "wet_mass_kg", "propellant_mass_kg", "isp_s"})
        any_est |= bool(est)
        rows.append(
            [
                name,
                p.target,
                p.launch_mode,
                _num(p.dry_mass_kg, "{:,.1f}", "dry_mass_kg" in est),
                _num(p.wet_mass_kg, "{:,.1f}", "wet_mass_kg" in est),
                _num(p.isp_s, "{:.0f}", "isp_s" in est),
                _num(p.delta_v_capacity_km_s, "{:.3f}", dv_est),
                _limits_text(p),
            ]
        )
    headers = ["name", "target", "launch mode", "dry kg", "wet kg", "Isp s", "dv km/s", "limits"]
    typer.echo(_table(headers, rows, right={3, 4, 5, 6}))
    if any_est:
        typer.echo(_FOOT)


@app.command("sites")
def sites_cmd(
    resource: str = typer.Option(
        None,
        "--resource",
        "-r",
        help="Only sites offering this resource (water, he3, ...; an unknown name lists them).",
    ),
    category: str = typer.Option(None, "--category", help="Only sites of this category."),
    path: Path = typer.Option(None, "--file", help="A Moon-site CSV replacing the shipped one."),
) -> None:
    """List Moon prospecting sites (coordinates east-positive, degrees)."""
    import pandas as pd

    from prospect import data

    sites = data.select_sites(data.load_moon_sites(path), resource=resource, category=category)
    rows = []
    for _, s in sites.iterrows():
        ev = s["resource_evidence"] or ""
        if resource is not None:
            lvl = s[f"{resource}_evidence"]
            ev = f"{resource}:{lvl}" if lvl is not pd.NA else resource
        rows.append(
            [
                s["id"],
                s["name"] if len(s["name"]) <= 44 else s["name"][:43] + "~",
                f"{s['lat_deg']:.3f}",
                f"{s['lon_deg_east']:.3f}",
                s["category"],
                ev,
                _num(s["illumination_frac"], "{:.2f}"),
                s["earth_visibility"],
                s["cospar_category"],
                _num(s["heritage_buffer_km"], "{:g}"),
                s["confidence"],
            ]
        )
    headers = [
        "id",
        "name",
        "lat",
        "lon E",
        "category",
        "evidence",
        "light",
        "Earth",
        "COSPAR",
        "buffer km",
        "conf",
    ]
    typer.echo(_table(headers, rows, right={2, 3, 6, 9}))
    typer.echo(
        f"{len(rows)} sites; evidence levels: 0 none, 1 inferred from setting, "
        "2 orbital detection or model, 3 in situ / samples (see prospect.data.EVIDENCE_LEVELS)"
    )


@app.command("launchers")
def launchers_cmd(
    path: Path = typer.Option(None, "--file", help="A launcher TOML replacing the shipped one."),
) -> None:
    """List launch vehicles and rideshare tariffs with prices and payloads."""
    from prospect import data

    rows = []
    for name, lv in data.load_launchers(path).items():
        if lv.price is not None:
            price = f"{lv.price.value / 1e6:,.2f} M {lv.price.currency} {lv.price.year or ''}"
            price = price.rstrip() + (_EST if lv.price.estimate else "")
        elif lv.rideshare is not None:
            rs = lv.rideshare
            price = f"{rs.base_price / 1e6:,.2f} M {rs.currency}/{rs.base_mass_kg:g} kg"
            if not math.isnan(rs.price_per_kg):
                price += f" + {rs.price_per_kg:,.0f}/kg"
            price += _EST if rs.estimate else ""
        else:
            price = "-"
        c3 = f"C3 {lv.c3_km2_s2[0]:g}..{lv.c3_km2_s2[-1]:g}" if lv.c3_km2_s2.size else "-"
        est = lv.estimates
        rows.append(
            [
                name,
                ",".join(lv.modes),
                price,
                _num(lv.leo_kg, est="leo_kg" in est),
                _num(lv.gto_kg, est="gto_kg" in est),
                _num(lv.tli_kg, est="tli_kg" in est),
                c3,
            ]
        )
    headers = ["name", "modes", "price", "LEO kg", "GTO kg", "TLI kg", "C3 table"]
    typer.echo(_table(headers, rows, right={3, 4, 5}))
    typer.echo(_FOOT)


def consortia_cmd(
    path: Path = typer.Option(None, "--file", help="A consortia TOML replacing the shipped one."),
) -> None:
    """List consortia: era, members, interests and budget."""
    from prospect import data

    rows = []
    for name, c in data.load_consortia(path).items():
        budget = "-"
        if c.budget is not None:
            budget = f"{c.budget.value / 1e6:,.1f} M {c.budget.currency}"
            budget += _EST if c.budget.estimate else ""
        kinds = sorted({m.kind for m in c.members})
        rows.append(
            [
                name,
                c.era,
                c.announced,
                str(len(c.members)),
                "/".join(kinds),
                ",".join(c.interests),
                budget,
            ]
        )
    headers = ["name", "era", "announced", "members", "member kinds", "interests", "budget"]
    typer.echo(_table(headers, rows, right={3}))


# `prospect consortia` belongs to the cost module's CLI; register this plain listing
# only when nothing registered that name before us.
if not any(
    (cmd.name or getattr(cmd.callback, "__name__", "")) == "consortia"
    for cmd in app.registered_commands
):
    app.command("consortia")(consortia_cmd)
