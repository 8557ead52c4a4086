"""Regenerate the golden JSON plans of tests/cost/test_plan_cli.py.

Run from the repository root, in the dev environment::

    python tests/cost/make_goldens.py

Each case runs ``prospect plan ... --format json`` through the CLI (typer's
CliRunner, no network) and writes ``tests/cost/golden/<case>.json``.  Re-run
it only after a deliberate change of the model, the catalogs or the output
layout, and review the diff of the golden files before committing: the tests
compare every string exactly and every number to a relative 1e-6.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"

#: case name -> CLI arguments (after ``prospect``).
CASES = {
    # Moon: MX-1 lander to the LCROSS impact point (Cabeus PSR), an illustrative
    # consortium, Shapley split with a 5 % benefit-sharing fund; 2 t of regolith
    # processed so the mission has a surplus to share.
    "moon_s05_mx1": [
        "plan",
        "S05",
        "--consortium",
        "emerging-powers",
        "--mission",
        "mx-1",
        "--start",
        "2027-01-01",
        "--seed",
        "7",
        "--draws",
        "4000",
        "--rule",
        "shapley",
        "--fund",
        "0.05",
        "--feedstock-kg",
        "2000",
        "--format",
        "json",
    ],
    # Asteroid: Prospector-1 to 2000 SG344 (class given: the MPC catalog has none)
    # for the AstroForge consortium, proportional split.
    "nea_2000sg344_prospector1": [
        "plan",
        "2000 SG344",
        "--consortium",
        "astroforge",
        "--mission",
        "prospector-1",
        "--start",
        "2026-01-01",
        "--seed",
        "3",
        "--draws",
        "4000",
        "--target-class",
        "C",
        "--feedstock-kg",
        "500",
        "--format",
        "json",
    ],
}


def run(args: list[str]) -> dict:
    """Run the CLI and return the parsed JSON (raises with the CLI output on failure)."""
    import warnings

    from typer.testing import CliRunner

    from prospect.cli import app

    with warnings.catch_warnings():
        # astropy/ERFA warn about 'dubious years' (leap seconds) for future dates
        warnings.simplefilter("ignore")
        result = CliRunner().invoke(app, args)
    if result.exit_code != 0:
        raise RuntimeError(f"prospect {' '.join(args)} failed:\n{result.output}")
    return json.loads(result.stdout)


def main() -> int:
    GOLDEN.mkdir(exist_ok=True)
    for name, args in CASES.items():
        out = GOLDEN / f"{name}.json"
        out.write_text(json.dumps(run(args), indent=2, sort_keys=True) + "\n")
        print(f"wrote {out.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
