"""Regenerate the golden outputs of tests/scan/test_goldens.py (rank and porkchop).

Run from the repository root, in the dev environment::

    python tests/scan/make_goldens.py            # goldens only
    python tests/scan/make_goldens.py --fixture  # also re-draw the catalog fixture

The fixture ``tests/scan/data/rank_catalog.json`` is a small NEA catalog in the
MPC extended-JSON format (whole records of the shipped
``catalogs/mpc_nea_extended.json.gz``): the four objects Prospector-1 can reach
in 2027-2028 (2006 RH120, 2000 SG344, 2011 WE, 2026 AC4), a few well-known
targets, and a seeded random sample of the rest.  Every case names it with
``--catalog`` so the user's updated catalog never leaks in, and fixes the
launch window so "today" does not either.

Each case runs the CLI (typer's CliRunner, no network) and writes
``tests/scan/golden/<case>.json``: the rank rows as ``--format json`` prints
them, and for ``porkchop`` the optimum lines of the summary plus a summary of
the grid (shape, finite cells, minimum and median of each quantity, the best
grid cell).  Re-run it only after a deliberate change of the model, the
catalog or the output layout, and review the diff of the golden files before
committing: the tests compare every string exactly and every number to a
relative 1e-6 (absolute 1e-9).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
GOLDEN = HERE / "golden"
FIXTURE = HERE / "data" / "rank_catalog.json"

#: Objects always in the fixture (MPC ``Name`` or ``Principal_desig``).
NAMED = (
    "2006 RH120",
    "2000 SG344",
    "2011 WE",
    "2026 AC4",
    "2008 EV5",
    "Eros",
    "Bennu",
    "Ryugu",
    "Apophis",
)
#: Seed and size of the random part of the fixture.
SEED, N_RANDOM = 8, 46

WINDOW = ["--from", "2027-01-01", "--to", "2029-01-01"]

#: case name -> CLI arguments (after ``prospect``).
CASES = {
    # One-way rendezvous for a 1-km/s rideshare prospector: screened, refined.
    "rank_oneway_prospector1": [
        "rank",
        "--mission",
        "prospector-1",
        "--catalog",
        str(FIXTURE),
        *WINDOW,
        "--ephemeris",
        "two-body",
        "--top",
        "10",
        "--format",
        "json",
    ],
    # The same without refinement (the grid optimum of every feasible target).
    "rank_oneway_nhats_grid": [
        "rank",
        "--mission",
        "nhats-human",
        "--one-way",
        "--catalog",
        str(FIXTURE),
        *WINDOW,
        "--ephemeris",
        "two-body",
        "--top",
        "15",
        "--no-refine",
        "--format",
        "json",
    ],
    # NHATS-style round trips: lattice search, the best rows refined.
    "rank_roundtrip_nhats": [
        "rank",
        "--mission",
        "nhats-human",
        "--round-trip",
        "--catalog",
        str(FIXTURE),
        *WINDOW,
        "--ephemeris",
        "two-body",
        "--top",
        "8",
        "--format",
        "json",
    ],
}

#: Pork-chop case: CLI arguments without ``--format``.
PORKCHOP = [
    "porkchop",
    "2000 SG344",
    "--catalog",
    str(FIXTURE),
    "--from",
    "2027-06-01",
    "--to",
    "2028-06-01",
    "--tof-min",
    "30",
    "--tof-max",
    "400",
    "--step",
    "5",
    "--tof-step",
    "10",
]
CASES["porkchop_2000sg344"] = PORKCHOP

_QUANTITIES = (
    "c3_km2_s2",
    "vinf_dep_km_s",
    "vinf_arr_km_s",
    "dv_departure_km_s",
    "dv_arrival_km_s",
    "dv_total_km_s",
)


def _invoke(args: list[str]) -> str:
    import warnings

    from typer.testing import CliRunner

    from prospect.cli import app

    with warnings.catch_warnings():
        # astropy/ERFA warn about 'dubious years' (leap seconds) for future dates
        warnings.simplefilter("ignore")
        result = CliRunner().invoke(app, args)
    if result.exit_code != 0:
        raise RuntimeError(f"prospect {' '.join(args)} failed:\n{result.output}")
    return result.stdout


def _porkchop_summary(args: list[str]) -> dict:
    text = _invoke([*args, "--format", "table"])
    grid = json.loads(_invoke([*args, "--no-refine", "--format", "json"]))
    out: dict = {"summary": [ln.strip() for ln in text.splitlines() if ln.strip()]}
    deps = sorted({row["departure"] for row in grid})
    tofs = sorted({row["tof_days"] for row in grid})
    out["grid"] = {"n_departure": len(deps), "n_tof": len(tofs), "first": deps[0], "last": deps[-1]}
    for q in _QUANTITIES:
        v = np.array([np.nan if row[q] is None else row[q] for row in grid], dtype=float)
        ok = np.isfinite(v)
        out["grid"][q] = {
            "finite": int(ok.sum()),
            "min": float(v[ok].min()),
            "median": float(np.median(v[ok])),
        }
    dv = np.array([np.nan if r["dv_total_km_s"] is None else r["dv_total_km_s"] for r in grid])
    out["best_cell"] = grid[int(np.nanargmin(dv))]
    return out


def run(case: str):
    """The output of one case as JSON-ready data (raises with the CLI output on failure)."""
    args = CASES[case]
    if args[0] == "porkchop":
        return _porkchop_summary(args)
    return json.loads(_invoke(args))


def write_fixture() -> None:
    """Draw the catalog fixture from the shipped MPC extended JSON."""
    records = json.loads(gzip.open(REPO / "catalogs" / "mpc_nea_extended.json.gz").read())
    wanted = set(NAMED)
    named = [
        i
        for i, r in enumerate(records)
        if r.get("Name") in wanted or r.get("Principal_desig") in wanted
    ]
    assert len(named) == len(NAMED), [records[i].get("Name") for i in named]
    rest = np.setdiff1d(np.arange(len(records)), named)
    extra = np.random.default_rng(SEED).choice(rest, size=N_RANDOM, replace=False)
    rows = [records[i] for i in sorted(named) + sorted(int(i) for i in extra)]
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(json.dumps(rows, indent=0) + "\n")
    print(f"wrote {FIXTURE.relative_to(REPO)} ({len(rows)} records)")


def main(argv: list[str]) -> int:
    if "--fixture" in argv or not FIXTURE.is_file():
        write_fixture()
    GOLDEN.mkdir(exist_ok=True)
    for name in CASES:
        out = GOLDEN / f"{name}.json"
        out.write_text(json.dumps(run(name), indent=1, sort_keys=True) + "\n")
        print(f"wrote {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
