"""`prospect rank` and `prospect porkchop` through the CLI (CliRunner)."""

from __future__ import annotations

import importlib
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from prospect.catalog import find_target, load_neas
from prospect.cli import app

runner = CliRunner()
rank_module = importlib.import_module("prospect.scan.rank")
WINDOW = ["--from", "2026-07-01", "--to", "2028-07-01"]


@pytest.fixture(scope="module")
def small_catalog():
    cat = load_neas()
    idx = [find_target(cat, n) for n in ("2006 RH120", "2000 SG344", "2011 WE", "Eros", "Bennu")]
    rows = pd.concat([cat.loc[idx], cat.iloc[np.arange(0, 40000, 500)]])
    return rows.drop_duplicates("designation").reset_index(drop=True)


@pytest.fixture
def patched(monkeypatch, small_catalog):
    monkeypatch.setattr(rank_module, "_load_catalog", lambda catalog: small_catalog)


def test_rank_table(patched):
    res = runner.invoke(
        app, ["rank", "--mission", "prospector-1", *WINDOW, "--top", "3", "--explain"]
    )
    assert res.exit_code == 0, res.output
    assert "prospector-1" in res.output and "2006 RH120" in res.output
    assert "s_size" in res.output  # --explain shows every score column


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_rank_formats_written_atomically(patched, tmp_path, fmt):
    out = tmp_path / f"rank.{fmt}"
    res = runner.invoke(
        app,
        [
            "rank",
            "-m",
            "prospector-1",
            *WINDOW,
            "--format",
            fmt,
            "--output",
            str(out),
            "--no-refine",
        ],
    )
    assert res.exit_code == 0, res.output
    # nothing but the output is left behind (prospect._io's temporary files are
    # hidden ".<name>.*" siblings)
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    if fmt == "csv":
        df = pd.read_csv(out)
    elif fmt == "json":
        df = pd.DataFrame(json.loads(out.read_text()))
    else:
        df = pd.read_parquet(out)
    assert len(df) >= 1 and "dv_spacecraft_km_s" in df and "score" in df


def test_rank_empty_result_is_said_plainly(patched):
    res = runner.invoke(
        app, ["rank", "-m", "prospector-1", "--from", "2026-07-01", "--to", "2026-07-06"]
    )
    assert res.exit_code == 0, res.output
    assert "No target satisfies mission 'prospector-1'" in res.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rank", "-m", "prospector-one", *WINDOW], "'prospector-1'?"),
        (["rank", "-m", "prospector-1", "--from", "2028-01-01", "--to", "2027-01-01"], "--to"),
        (["rank", "-m", "prospector-1", "--from", "2028-01-01", "--to", "2028-01-01"], "empty"),
        (
            ["rank", "-m", "prospector-1", *WINDOW, "--tof-min", "300", "--tof-max", "100"],
            "--tof-min",
        ),
        (["rank", "-m", "prospector-1", *WINDOW, "--weights", "mass=1"], "--weights"),
        (["rank", "-m", "prospector-1", *WINDOW, "--format", "xml"], "--format"),
        (["rank", *WINDOW], "--mission"),
        (["porkchop", "2000 SG34", "--from", "2028-01-01", "--to", "2028-03-01"], "did you mean"),
        (["porkchop", "mars", "--from", "2020-09-30", "--to", "2020-06-01"], "--to"),
        (["porkchop", "mars", "--tof-min", "400", "--tof-max", "100"], "--tof-min"),
        (
            [
                "porkchop",
                "mars",
                "--from",
                "2020-01-01",
                "--to",
                "2040-01-01",
                "--step",
                "0.05",
                "--tof-min",
                "1",
                "--tof-max",
                "3000",
                "--tof-step",
                "0.05",
            ],
            "budget",
        ),
        (["porkchop", "mars", "--format", "parquet"], "--output"),
    ],
)
def test_bad_input_is_one_line_exit_1(patched, args, message):
    res = runner.invoke(app, args)
    assert res.exit_code == 1, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert message in lines[0]


def test_porkchop_plot_and_grid(tmp_path):
    png = tmp_path / "mars.png"
    csv = tmp_path / "mars.csv"
    res = runner.invoke(
        app,
        [
            "porkchop",
            "mars",
            "--from",
            "2020-06-01",
            "--to",
            "2020-09-30",
            "--tof-min",
            "120",
            "--tof-max",
            "400",
            "--step",
            "10",
            "--quantity",
            "c3",
            "--plot",
            str(png),
            "--format",
            "csv",
            "--output",
            str(csv),
        ],
    )
    assert res.exit_code == 0, res.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    df = pd.read_csv(csv)
    assert len(df) == 13 * 29 and "c3_km2_s2" in df
    assert str(df["departure"].iloc[0]).startswith("2020-06-01")


def test_porkchop_summary_names_the_optimum():
    res = runner.invoke(
        app,
        [
            "porkchop",
            "mars",
            "--from",
            "2020-06-01",
            "--to",
            "2020-09-30",
            "--tof-min",
            "120",
            "--tof-max",
            "400",
            "--step",
            "5",
            "--quantity",
            "c3",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "optimum (refined, minimum c3): depart 2020-07-" in res.output
