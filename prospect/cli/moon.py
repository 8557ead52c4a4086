"""``prospect moon``: rank Moon sites for a lander profile and a resource.

A thin layer over :func:`prospect.scan.moon.rank_moon` (the delta-v model, the
launch-mode rules and the score are documented there) and
:func:`prospect.plot.moon.plot_moon_sites`.  Library errors become one line on
stderr (exit 1) through the top-level group; a profile that reaches no site is not
an error: the command says so and exits 0.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from prospect._io import write_atomic as _write_atomic
from prospect.cli import app
from prospect.cli._flags import library_names
from prospect.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

# pandas, prospect.data and prospect.scan.moon are imported inside the
# functions that use them, so `prospect --help` does not load the scan stack.

__all__ = ["moon_cmd", "write_atomic"]

_FORMATS = ("table", "csv", "json")


def write_atomic(path: Path, payload: str | bytes) -> None:
    """Write text or bytes to ``path`` atomically (:func:`prospect._io.write_atomic`)."""
    _write_atomic(path, payload, option="--output")


def _f(x, spec: str = ".3f") -> str:
    import pandas as pd

    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return format(x, spec)


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells):
        out = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(out).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _render_table(ranked: pd.DataFrame, explain: bool) -> str:
    from prospect.scan.moon import SCORE_TERMS

    resource = ranked.attrs["resource"]
    headers = ["rank", "id", "name", "lat", "lon E", resource, "dv LEO", "dv lander", "margin"]
    headers += ["light", "Earth", "terrain", "heritage", "COSPAR", "score"]
    if explain:
        headers += [f"s_{k}" for k in SCORE_TERMS] + ["grade", "plane chg"]
    rows = []
    for _, r in ranked.iterrows():
        name = r["name"] if len(r["name"]) <= 34 else r["name"][:33] + "~"
        row = [
            str(r["rank"]),
            r["id"],
            name,
            _f(r["lat_deg"], ".2f"),
            _f(r["lon_deg_east"], ".2f"),
            str(int(r["evidence"])) if r["has_resource"] else "-",
            _f(r["dv_total_km_s"]),
            _f(r["dv_lander_km_s"]),
            _f(r["margin_km_s"]),
            _f(r["illumination_frac"], ".2f"),
            r["earth_visibility"],
            r["terrain_class"],
            "FLAG" if r["heritage_flag"] else "-",
            r["cospar_category"],
            _f(r["score"]),
        ]
        if explain:
            row += [_f(r[f"s_{k}"]) for k in SCORE_TERMS]
            row += [_f(r["grade_frac"], ".2e"), _f(r["plane_change"])]
        if not r["reachable"]:
            row[1] += "!"
        rows.append(row)
    right = {0, 3, 4, 6, 7, 8, 9, 14} | (set(range(15, len(headers))) if explain else set())
    return _table(headers, rows, right)


def _header(ranked: pd.DataFrame) -> list[str]:
    a = ranked.attrs
    cap = a["capacity_km_s"]
    cap_text = f"{cap:.3f} km/s" if math.isfinite(cap) else "unknown (no masses)"
    lines = [
        f"Mission:  {a['mission']} ({a['launch_mode']}); delta-v capacity {cap_text}",
        f"Lander:   {a['launch']}",
        f"Route:    via {a['via'].upper()}, arrival orbit inclination {a['arrival_inc_deg']:g} deg"
        + ("" if a["reserve"] else ", without the tables' 5% reserve"),
        f"Resource: {a['resource']} ({a['n_with_resource']} of {a['n_sites']} sites list it); "
        f"{a['n_reachable']} of {a['n_sites']} sites reachable",
    ]
    return lines


def _footer(ranked: pd.DataFrame, explain: bool) -> list[str]:
    a = ranked.attrs
    w = ", ".join(f"{k}={v:g}" for k, v in a["weights"].items())
    lines = [
        "dv in km/s: 'dv LEO' is LEO to surface (sum of the budget legs), 'dv lander' the "
        "legs the lander flies; evidence 0-3 (1 setting, 2 orbital, 3 in situ); "
        "heritage FLAG: on or within the buffer of a heritage site (NASA 2011: 2 km)",
        f"score = weighted mean of terms in [0, 1]; weights: {w}",
    ]
    if a["missing"] == "last":
        lines.append(f"sites without {a['resource']} evidence are ranked last ('-' in that column)")
    if explain:
        lines.append(
            "s_resource = evidence/3 x grade factor; s_dv = margin/capacity; s_power = "
            "illumination (unknown 0); s_comms: continuous 1, partial 0.5, none 0; "
            "s_terrain: hazard 0, unknown 0.5, benign 1; s_heritage 0 if flagged; "
            "s_cospar: IIa 1, IIb 0 (see prospect.scan.moon)"
        )
    if (~ranked["reachable"]).any():
        lines.append("! = not reachable with this profile")
    return lines


def _json_ready(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _json_ready(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_json_ready(v) for v in x]
    return x


def _render(ranked: pd.DataFrame, fmt: str, explain: bool) -> str:
    if fmt == "csv":
        text = ranked.to_csv(index=False, float_format="%.10g")
        return text if text.endswith("\n") else text + "\n"
    if fmt == "json":
        records = json.loads(ranked.to_json(orient="records", double_precision=10))
        doc = {"query": _json_ready(dict(ranked.attrs)), "sites": records}
        return json.dumps(doc, indent=2) + "\n"
    lines = _header(ranked)
    if len(ranked) == 0:
        lines.append("")
        lines.append(f"No result: {ranked.attrs.get('reason', 'no site matches')}.")
        return "\n".join(lines) + "\n"
    lines += ["", _render_table(ranked, explain), "", *_footer(ranked, explain)]
    return "\n".join(lines) + "\n"


def _pick_profile(mission: str | None, profile: Path | None):
    from prospect import data

    if profile is None:
        if mission is None:
            raise InputError(
                "give a lander profile: --mission NAME (see `prospect missions --target moon`) "
                "or --profile FILE",
                option="--mission",
            )
        return data.get_mission(mission)
    profiles = data.load_missions(extra=profile)
    if mission is not None:
        return data.get_mission(mission, profiles)
    ours = [p for p in profiles.values() if p.path == str(profile)]
    if len(ours) != 1:
        names = ", ".join(p.name for p in ours)
        raise InputError(
            f"{profile} holds {len(ours)} profiles ({names}); choose one with --mission NAME",
            option="--profile",
        )
    return ours[0]


#: The options of ``prospect moon``.
_MOON_OPTS = {
    "mission": typer.Option(
        None, "--mission", "-m", help="Lander profile name (see `prospect missions`)."
    ),
    "profile": typer.Option(
        None,
        "--profile",
        help="TOML file with a lander profile (layout of catalogs/missions.toml); with "
        "several profiles in it, pick one with --mission.",
    ),
    "resource": typer.Option(
        ...,
        "--resource",
        "-r",
        help="Resource to rank for (water, he3, ...; an unknown name lists them all).",
    ),
    "via": typer.Option(
        "llo",
        "--via",
        help="Staging orbit: llo, nrho or direct (descent from TLI, no parking orbit).",
    ),
    "arrival_inc": typer.Option(
        90.0,
        "--arrival-inc",
        help="Inclination of the arrival LLO, deg (90: polar, reaches every latitude "
        "without a plane change; 0: equatorial, pays a plane change to higher latitudes).",
    ),
    "weights": typer.Option(
        None,
        "--weights",
        help="Score weights, e.g. 'resource=4,power=2' (terms: the s_ columns of --explain).",
    ),
    "explain": typer.Option(False, "--explain", help="Show every score term."),
    "top": typer.Option(None, "--top", "-n", help="Show only the N best sites."),
    "fmt": typer.Option("table", "--format", "-f", help="table, csv or json."),
    "output": typer.Option(
        None, "--output", "-o", help="Write to this file (atomically) instead of stdout."
    ),
    "plot": typer.Option(None, "--plot", help="Also draw the site map to this image file."),
    "sites_file": typer.Option(
        None, "--sites", help="A Moon-site CSV replacing the shipped catalog."
    ),
    "missing": typer.Option(
        "last", "--missing", help="Sites lacking the resource: last (ranked last) or exclude."
    ),
    "show_all": typer.Option(
        False, "--all", help="Also list sites the lander cannot reach (marked '!')."
    ),
    "no_reserve": typer.Option(
        False, "--no-reserve", help="Drop the 5% reserve of the tabulated delta-v legs."
    ),
}


@app.command("moon")
@library_names({"arrival_inc_deg": "arrival_inc", "path": "plot", "sites": "sites_file"})
def moon_cmd(
    mission: str = _MOON_OPTS["mission"],
    profile: Path = _MOON_OPTS["profile"],
    resource: str = _MOON_OPTS["resource"],
    via: str = _MOON_OPTS["via"],
    arrival_inc: float = _MOON_OPTS["arrival_inc"],
    weights: str = _MOON_OPTS["weights"],
    explain: bool = _MOON_OPTS["explain"],
    top: int = _MOON_OPTS["top"],
    fmt: str = _MOON_OPTS["fmt"],
    output: Path = _MOON_OPTS["output"],
    plot: Path = _MOON_OPTS["plot"],
    sites_file: Path = _MOON_OPTS["sites_file"],
    missing: str = _MOON_OPTS["missing"],
    show_all: bool = _MOON_OPTS["show_all"],
    no_reserve: bool = _MOON_OPTS["no_reserve"],
) -> None:
    """Rank Moon sites for a lander profile and a resource.

    For each site: delta-v from LEO (lunar_landing_budget legs) and the part the
    lander flies (by its launch mode), feasibility against its rocket-equation
    capacity, resource evidence and grade, illumination, Earth visibility, terrain,
    heritage buffers and COSPAR category, combined into a weighted score.
    """
    _check_outputs(fmt, top)
    from prospect import data
    from prospect._progress import with_progress
    from prospect.scan.moon import rank_moon

    p = _pick_profile(mission, profile)
    sites = data.load_moon_sites(sites_file) if sites_file is not None else None
    ranked = with_progress("ranking sites", rank_moon)(
        p,
        resource,
        sites=sites,
        weights=weights,
        via=via,
        arrival_inc_deg=arrival_inc,
        reserve=not no_reserve,
        missing=missing,
        include_unreachable=show_all,
    )
    shown = ranked.head(top) if top is not None else ranked
    shown.attrs = ranked.attrs
    _emit(_render(shown, fmt, explain), output, len(shown))
    if len(ranked) == 0 and (fmt != "table" or output is not None):
        typer.echo(f"No result: {ranked.attrs.get('reason', 'no site matches')}.", err=True)
    if plot is not None:
        from prospect.plot.moon import save_moon_sites

        save_moon_sites(ranked, plot, top=min(top or 10, 10))
        typer.echo(f"Wrote the site map to {plot}", err=True)


def _check_outputs(fmt: str, top) -> None:
    """Refuse a bad format or top before any work (the output and plot paths are
    checked for every command, :mod:`prospect.cli._flags`)."""
    if fmt not in _FORMATS:
        raise InputError(
            f"unknown format {fmt!r} (expected one of: table, csv, json)", option="--format"
        )
    if top is not None and top < 1:
        raise InputError(f"must be >= 1, got {top}", option="--top")


def _emit(text: str, output: Path | None, n_rows: int) -> None:
    """The rendered ranking to ``output`` (atomically) or stdout."""
    if output is not None:
        write_atomic(output, text)
        typer.echo(f"Wrote {n_rows} sites to {output}", err=True)
    else:
        typer.echo(text, nl=False)
