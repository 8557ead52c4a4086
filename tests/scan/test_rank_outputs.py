"""rank's filters, flags, feasible count and date columns, in the API and every CLI format.

Runs on the 55-object fixture of the goldens (tests/scan/data/rank_catalog.json),
one-way NHATS grid scans without refinement (a few seconds each).
"""

from __future__ import annotations

import importlib
import io
import json
from pathlib import Path

import astropy.units as u
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from prospect.cli import app
from prospect.errors import InputError
from prospect.scan import rank

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "data" / "rank_catalog.json"
KW = dict(
    catalog=str(FIXTURE),
    start="2027-01-01",
    end="2029-01-01",
    round_trip=False,
    refine=False,
    checkpoint=False,
)
CLI = [
    "rank",
    "-m",
    "nhats-human",
    "--one-way",
    "--catalog",
    str(FIXTURE),
    "--from",
    "2027-01-01",
    "--to",
    "2029-01-01",
    "--no-refine",
    "--no-checkpoint",
]
runner = CliRunner()


@pytest.fixture(scope="module")
def full() -> pd.DataFrame:
    return rank("nhats-human", **KW)


def test_feasible_count_is_counted_before_top(full):
    top3 = rank("nhats-human", **KW, top=3)
    assert len(top3) == 3
    assert top3.attrs["n_feasible"] == len(full) == full.attrs["n_feasible"] > 3
    res = runner.invoke(app, [*CLI, "--top", "3"])
    assert res.exit_code == 0, res.output
    assert f"{len(full)} target(s) satisfy the profile, best 3 shown" in res.output


def test_max_u_drops_2011_we(full):
    assert "2011 WE" in set(full["label"])  # U = 9, reachable
    kept = rank("nhats-human", **KW, max_u=6)
    assert "2011 WE" not in set(kept["label"])
    assert (kept["u_param"] <= 6).all() and kept.attrs["filters"] == {"max_u": 6}
    # the filter removes rows before scanning, it does not change the others
    same = full[full["u_param"] <= 6]
    assert list(kept["designation"]) == list(same["designation"])
    res = runner.invoke(app, [*CLI, "--max-u", "6", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert "2011 WE" not in {r["label"] for r in json.loads(res.stdout)}


def test_max_h_and_min_diameter(full):
    small_h = rank("nhats-human", **KW, max_h=22)
    assert (small_h["h_mag"] <= 22).all() and len(small_h) < len(full)
    big = rank("nhats-human", **KW, min_diameter_m=0.3 * u.km)
    assert (big["diameter_km"] >= 0.3).all()
    assert set(big["designation"]) == set(full.loc[full["diameter_km"] >= 0.3, "designation"])


@pytest.mark.parametrize(
    ("kw", "flag", "param"),
    [
        ({"max_u": 12}, "--max-u", "max_u"),
        ({"max_h": "big"}, "--max-h", "max_h"),
        ({"min_diameter_m": -5}, "--min-diameter-m", "min_diameter_m"),
    ],
)
def test_bad_filters_name_the_parameter_and_the_flag(kw, flag, param):
    with pytest.raises(InputError, match=rf"^{param}: "):
        rank("nhats-human", **KW, **kw)
    ((_key, value),) = kw.items()
    res = runner.invoke(app, [*CLI, flag, str(value)])
    if res.exit_code == 2:  # typer refuses a non-number itself
        assert flag in res.output
        return
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [res.stderr.strip()]
    assert res.stderr.startswith(f"Error: {flag}: ")


def test_flags_and_dates_in_the_frame(full):
    assert full["departure"].dtype.kind == "M" and full["arrival"].dtype.kind == "M"
    poor = full["u_param"] >= 7
    assert poor.any() and (full["orbit_poorly_known"] == poor).all()
    assert full.loc[full["label"] == "2011 WE", "orbit_poorly_known"].item()
    first, last = (pd.Timestamp(d) for d in full.attrs["window"])
    edge = (full["departure"] == first) | (full["departure"] == last)
    assert edge.any() and (full["window_edge"] == edge).all()
    # 2008 EV5's best departure is the window's first day (see the goldens)
    assert full.loc[full["label"].str.contains("2008 EV5"), "window_edge"].item()
    tof = (full["arrival"] - full["departure"]).dt.days
    assert (abs(tof - full["tof_days"]) <= 1).all()


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "table"])
def test_flags_and_dates_in_every_format(full, fmt, tmp_path):
    out = tmp_path / f"r.{fmt}"
    args = [*CLI, "--top", "100", "--format", fmt, "--output", str(out), "--explain"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    if fmt == "table":
        text = out.read_text()
        we = next(ln for ln in text.splitlines() if "2011 WE" in ln)
        ev5 = next(ln for ln in text.splitlines() if "2008 EV5" in ln)
        assert "U>=7" in we and "edge" not in we
        assert "edge" in ev5 and "2027-01-01" in ev5
        return
    if fmt == "csv":
        df = pd.read_csv(out, dtype={"departure": str})
    elif fmt == "json":
        df = pd.DataFrame(json.loads(out.read_text()))
    else:
        df = pd.read_parquet(out)
    assert list(df["designation"]) == list(full["designation"])
    assert list(df["orbit_poorly_known"]) == list(full["orbit_poorly_known"])
    assert list(df["window_edge"]) == list(full["window_edge"])
    if fmt == "parquet":
        assert df["departure"].dtype.kind == "M"
        assert (df["departure"] == full["departure"]).all()
    else:  # ISO text
        assert list(df["departure"]) == list(full["departure"].dt.strftime("%Y-%m-%d"))


def test_too_large_grid_is_refused_before_the_catalog_is_read(monkeypatch):
    rank_module = importlib.import_module("prospect.scan.rank")

    def never(catalog):
        raise AssertionError("the catalog was read before the grid was checked")

    monkeypatch.setattr(rank_module, "_load_catalog", never)
    with pytest.raises(InputError, match=r"^step_days: .*memory budget"):
        rank("nhats-human", **{**KW, "catalog": None}, step_days=0.01, memory_mb=1)
    res = runner.invoke(app, [*CLI, "--step", "0.01"], env={"PROSPECT_SCAN_MEMORY_MB": "1"})
    assert res.exit_code == 1 and res.stderr.startswith("Error: --step: ")


def test_csv_round_trips_the_dates(full):
    from prospect.cli.scan import iso_date_text

    text = iso_date_text(full).to_csv(index=False)
    back = pd.read_csv(io.StringIO(text), parse_dates=["departure", "arrival"])
    assert (back["departure"].to_numpy() == full["departure"].to_numpy()).all()
    assert np.all(back["arrival"].dt.hour == 0)
