"""Catalog ranking: screening, feasibility, scores, checkpoints, bad input."""

from __future__ import annotations

import datetime as dt
import importlib

import numpy as np
import pandas as pd
import pytest

from prospect.catalog import load_neas
from prospect.catalog.taxonomy import composition
from prospect.errors import InputError, UnknownNameError
from prospect.scan import rank
from prospect.scan.rank import (
    DEFAULT_WEIGHTS,
    _pareto,
    default_window,
    parse_weights,
    screen_margin,
)

chunks_module = importlib.import_module("prospect.scan.rank.chunks")

EASY = ["2006 RH120", "2000 SG344", "2011 WE", "Eros", "Bennu", "Ryugu", "Apophis"]
WINDOW = {"start": "2026-07-01", "end": "2028-07-01"}


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    return load_neas()


@pytest.fixture(scope="module")
def small(catalog) -> pd.DataFrame:
    """The easy targets plus a seeded random sample of the catalog."""
    from prospect.catalog import find_target

    idx = [find_target(catalog, n) for n in EASY]
    rng = np.random.default_rng(2026)
    extra = rng.choice(len(catalog), size=150, replace=False)
    rows = pd.concat([catalog.loc[idx], catalog.iloc[extra]]).drop_duplicates("designation")
    rows.attrs.update(catalog.attrs)
    return rows.reset_index(drop=True)


def test_prospector_1_reaches_only_earth_like_targets(small):
    df = rank("prospector-1", catalog=small, **WINDOW, checkpoint=False)
    assert not df.empty
    assert df["feasible"].all()
    assert (df["dv_spacecraft_km_s"] <= 1.0013).all()  # rocket-equation capacity
    # C3 ~ 0 plus 1 km/s reaches only orbits like the Earth's: every target found is one
    # (a within 0.05 au of 1 au, e < 0.1, i < 1 deg), and the two best-known are found
    assert {"2006 RH120", "2000 SG344"} <= set(df["label"])
    assert (abs(df["a_au"] - 1.0) < 0.05).all() and (df["e"] < 0.1).all()
    assert (df["inc_deg"] < 1.0).all()
    assert "433 Eros" not in set(df["label"])
    assert list(df["rank"]) == list(range(1, len(df) + 1))
    assert (np.diff(df["score"].to_numpy()) <= 1e-12).all()
    for col in ("departure", "arrival", "c3_km2_s2", "dv_arrival_km_s", "score_dv", "pareto"):
        assert col in df
    assert df.attrs["mission"] == "prospector-1" and df.attrs["screened"]


def test_screening_keeps_every_feasible_target(small):
    """The Shoemaker-Helin screen loses nothing the exhaustive scan finds feasible."""
    a = rank("prospector-1", catalog=small, **WINDOW, refine=False, checkpoint=False)
    b = rank(
        "prospector-1", catalog=small, **WINDOW, refine=False, checkpoint=False, exhaustive=True
    )
    assert b.attrs["n_scanned"] == len(small) > a.attrs["n_scanned"]
    assert set(a["designation"]) == set(b["designation"])


def test_round_trip_ranking_nhats(small):
    df = rank("nhats-human", catalog=small, **WINDOW, top=5, refine_top=2, checkpoint=False)
    assert df.attrs["round_trip"]
    assert not df.empty
    assert (df["dv_total_km_s"] <= 12.0 + 1e-9).all()
    assert (df["stay_days"] >= 8.0 - 1e-6).all() and (df["duration_days"] <= 450.0 + 1e-6).all()
    assert (df["c3_km2_s2"] <= 60.0 + 1e-9).all()
    assert {"earth_return", "entry_speed_km_s", "min_duration_days"} <= set(df)


def test_empty_result_when_nothing_is_feasible(small):
    df = rank("prospector-1", catalog=small, start="2026-07-01", end="2026-07-06", checkpoint=False)
    assert df.empty and df.attrs["n_feasible"] == 0


def test_weights_change_the_order(small):
    by_dv = rank(
        "nhats-human",
        catalog=small,
        **WINDOW,
        round_trip=False,
        weights="dv=1",
        refine=False,
        checkpoint=False,
    )
    assert (np.diff(by_dv["dv_total_km_s"].to_numpy()) >= -1e-12).all()
    by_size = rank(
        "nhats-human",
        catalog=small,
        **WINDOW,
        round_trip=False,
        weights={"size": 1},
        refine=False,
        checkpoint=False,
    )
    assert (np.diff(by_size["score_size"].to_numpy()) <= 1e-12).all()


def test_checkpoint_resume(small, monkeypatch):
    """An interrupted scan resumes from its checkpointed chunks."""
    kw = dict(catalog=small, **WINDOW, refine=False, exhaustive=True, memory_mb=20)
    calls = []
    real = chunks_module.oneway_chunk

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(chunks_module, "oneway_chunk", counting)

    def stop(done, total):
        if done < total:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rank("prospector-1", progress=stop, **kw)
    assert len(calls) == 1
    full = rank("prospector-1", resume=True, **kw)
    n_chunks = len(calls) - 1 + 1  # the first chunk came from its checkpoint
    assert n_chunks >= 2
    calls.clear()
    again = rank("prospector-1", **kw, checkpoint=False)
    assert len(calls) == n_chunks
    pd.testing.assert_frame_equal(full, again)


def test_parse_weights():
    assert parse_weights(None) == pytest.approx(DEFAULT_WEIGHTS)
    w = parse_weights("dv=1,size=1")
    assert w["dv"] == w["size"] == 0.5 and w["duration"] == 0.0
    for bad in ("dv=-1", "mass=1", "dv", "dv=x", "dv=0"):
        with pytest.raises(InputError, match=r"^weights: "):
            parse_weights(bad)


def test_composition_mapping():
    # the full mapping is tested in tests/catalog/test_taxonomy.py
    assert composition(spec_b="Ch") == ("water", 1.0)
    assert composition(spec_t="B") == ("water", 1.0)
    assert composition(spec_b="Xk") == ("metal", 0.8)
    assert composition(spec_t="M") == ("metal", 0.8)
    assert composition(spec_b="Sq")[0] == "construction"
    assert composition() == ("unknown", 0.5)


def test_pareto_front():
    dv = np.array([1.0, 2.0, 1.5, 1.0])
    dur = np.array([100.0, 50.0, 200.0, 100.0])
    size = np.array([0.1, 0.1, 0.05, 0.2])
    # 0 is dominated by 3 (same dv, same duration, larger); 2 by 0 and 3
    assert _pareto(dv, dur, size).tolist() == [False, True, False, True]


def test_default_window_and_screen_margin():
    assert default_window(dt.date(2026, 3, 31)) == ("2026-04-01", "2028-04-01")
    assert screen_margin(4.18) == 2.95 and screen_margin(20.0) is None


def test_bad_rank_inputs(small):
    with pytest.raises(UnknownNameError, match="prospector-1"):
        rank("prospector-one", catalog=small)
    with pytest.raises(InputError, match=r"^end: "):
        rank("prospector-1", catalog=small, start="2027-01-01", end="2026-01-01")
    with pytest.raises(InputError, match=r"^tof_min_days: "):
        rank("prospector-1", catalog=small, **WINDOW, tof_min_days=300, tof_max_days=100)
    with pytest.raises(InputError, match=r"^step_days: .*budget"):
        rank("prospector-1", catalog=small, **WINDOW, step_days=0.01, memory_mb=1)
    with pytest.raises(InputError, match=r"^top: "):
        rank("prospector-1", catalog=small, **WINDOW, top=0)
