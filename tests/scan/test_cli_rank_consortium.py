"""`prospect rank --consortium`: cost and schedule columns, only what the budget affords."""

from __future__ import annotations

import importlib
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from prospect.catalog import find_target, load_neas
from prospect.cli import app
from prospect.cost import affordability

runner = CliRunner()
rank_module = importlib.import_module("prospect.scan.rank")
ARGS = ["rank", "-m", "prospector-1", "--from", "2027-06-01", "--to", "2028-06-01"]


@pytest.fixture
def patched(monkeypatch):
    cat = load_neas()
    idx = [find_target(cat, n) for n in ("2006 RH120", "2000 SG344", "2011 WE", "Bennu")]
    small = pd.concat([cat.loc[idx], cat.iloc[np.arange(0, 40000, 2000)]])
    small = small.drop_duplicates("designation").reset_index(drop=True)
    monkeypatch.setattr(rank_module, "_load_catalog", lambda catalog: small)


def test_rank_with_consortium_adds_cost_columns_equal_to_affordability(patched, tmp_path):
    out = tmp_path / "r.json"
    args = [*ARGS, "--consortium", "astroforge", "--start", "2026-12-01", "--no-refine"]
    res = runner.invoke(app, [*args, "--format", "json", "--output", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.DataFrame(json.loads(out.read_text()))
    assert len(df) >= 1 and df["affordable"].all()
    # Same numbers as the library call on the same rows (seed 0 by default).
    ref = affordability(
        df.drop(columns=[c for c in df if c.startswith("cost_")]),
        "astroforge",
        "prospector-1",
        start="2026-12-01",
        seed=0,
    )
    # (JSON output keeps 10 significant digits, hence 1e-9.)
    np.testing.assert_allclose(df["cost_p50_musd"], ref["cost_p50_musd"], rtol=1e-9)
    # The 50 kg prospector costs tens of millions, not billions (units check of the table).
    assert (df["cost_p50_musd"] > 1).all() and (df["cost_p50_musd"] < 100).all()
    # One trajectory per row: the launch date is the departure of the trajectory costed,
    # and no trajectory departs before the consortium's spacecraft is ready.
    assert (df["launch"] == df["departure"]).all()
    assert (df["departure"] >= df["ready"]).all() and (df["cost_note"] == "").all()
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "P50 M$" in table.output and "astroforge" in table.output


def test_rank_with_unaffordable_consortium_says_so(patched):
    # lux-dsi-2016 has no published (valued) contribution: a budget of 0 affords nothing.
    res = runner.invoke(app, [*ARGS, "--consortium", "lux-dsi-2016", "--no-refine"])
    assert res.exit_code == 0, res.output
    assert "No target satisfies" in res.output and "0 of" in res.output


def test_rank_unknown_consortium_one_line(patched):
    res = runner.invoke(app, [*ARGS, "--consortium", "astroforj"])
    assert res.exit_code == 1
    assert "astroforge" in res.stderr and "Traceback" not in res.output


def test_rank_with_consortium_searches_from_the_ready_date(patched, tmp_path):
    """Kick-off 2027-03-01 + 10 months: ready 2027-12-30, inside the 2027-06 - 2028-06 period.

    The launch period starts at the ready date, so every row is a trajectory the
    consortium can fly; the same rows come out of a plain rank from that date.
    """
    out = tmp_path / "r.json"
    args = [*ARGS, "--consortium", "astroforge", "--start", "2027-03-01", "--no-refine"]
    res = runner.invoke(app, [*args, "--format", "json", "--output", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.DataFrame(json.loads(out.read_text()))
    assert len(df) >= 1 and (df["ready"] == "2027-12-30").all()
    assert (df["launch"] == df["departure"]).all() and (df["departure"] >= "2027-12-30").all()
    plain = tmp_path / "p.json"
    ready_args = ["rank", "-m", "prospector-1", "--from", "2027-12-30", "--to", "2028-06-01"]
    res = runner.invoke(app, [*ready_args, "--no-refine", "--format", "json", "-o", str(plain)])
    assert res.exit_code == 0, res.output
    ref = pd.DataFrame(json.loads(plain.read_text())).set_index("designation")
    for _, row in df.iterrows():
        r = ref.loc[row["designation"]]
        assert row["departure"] == r["departure"] and row["arrival"] == r["arrival"]
        assert abs(row["dv_spacecraft_km_s"] - r["dv_spacecraft_km_s"]) < 1e-6  # 1 mm/s


def test_rank_with_consortium_ready_after_the_period(patched):
    res = runner.invoke(app, [*ARGS, "--consortium", "astroforge", "--start", "2028-01-01"])
    assert res.exit_code == 1
    assert "--start: the spacecraft is ready on 2028-10-31, after the launch period" in res.stderr
