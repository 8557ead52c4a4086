"""rank's scoring stage: the O(n log n) Pareto front against the pairwise definition, and
an empty, well-formed table when no target survives (issue 13 item 5)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from prospect.scan.rank import rank
from prospect.scan.rank.score import _pareto

FIXTURE = Path(__file__).resolve().parent / "data" / "rank_catalog.json"
WINDOW = {"start": "2027-01-01", "end": "2028-01-01", "ephemeris": "two-body"}


def pareto_by_definition(dv, dur, size) -> np.ndarray:
    """O(n^2): row i is dominated when a row is <= in dv and duration, >= in size (NaN
    size read as 0) and strictly better in one; comparisons with NaN are false."""
    size = np.nan_to_num(size, nan=0.0)
    le = (dv[None, :] <= dv[:, None]) & (dur[None, :] <= dur[:, None])
    le &= size[None, :] >= size[:, None]
    lt = (dv[None, :] < dv[:, None]) | (dur[None, :] < dur[:, None])
    lt |= size[None, :] > size[:, None]
    return ~(le & lt).any(axis=1)


def test_pareto_small_cases_by_hand():
    dv = np.array([1.0, 2.0, 1.5, 1.0])
    dur = np.array([100.0, 50.0, 200.0, 100.0])
    size = np.array([0.1, 0.1, 0.05, 0.2])
    assert _pareto(dv, dur, size).tolist() == [False, True, False, True]
    same = np.ones(3)
    assert _pareto(same, same, same).all()  # identical rows do not dominate each other
    assert _pareto(np.array([]), np.array([]), np.array([])).tolist() == []
    nan = np.array([np.nan, 1.0, 2.0])
    assert _pareto(nan, np.array([9.0, 1.0, 2.0]), np.ones(3)).tolist() == [True, True, False]


#: Values drawn from a few levels (ties), with NaN, infinities and signed zeros.
_VALUES = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, 2.0, 3.0, np.nan, np.inf, -np.inf]),
    st.floats(-10, 10, allow_nan=False),
)


@fuzz(default=300)
@given(st.lists(st.tuples(_VALUES, _VALUES, _VALUES), max_size=60))
def test_pareto_equals_the_pairwise_definition(rows):
    a = np.array(rows, dtype=float).reshape(-1, 3)
    dv, dur, size = a[:, 0], a[:, 1], a[:, 2]
    np.testing.assert_array_equal(_pareto(dv, dur, size), pareto_by_definition(dv, dur, size))


@pytest.mark.parametrize("n", [1000, 5000])
def test_pareto_on_large_random_sets_with_ties(n):
    rng = np.random.default_rng(n)
    dv = np.round(rng.gamma(3.0, 1.0, n), 2)
    dur = rng.integers(30, 720, n).astype(float)
    size = np.where(rng.random(n) < 0.1, np.nan, rng.lognormal(-3, 1.5, n))
    np.testing.assert_array_equal(_pareto(dv, dur, size), pareto_by_definition(dv, dur, size))


@pytest.mark.parametrize("round_trip", [False, True])
def test_no_survivor_gives_an_empty_well_formed_table(round_trip):
    """Issue 13: a profile whose screen leaves no target raised KeyError: 'duration_days'.
    The empty table has the full one's columns and dtypes, not only their kinds: dates
    datetime64[s] (an empty table came out [s], a full one [us]) and ``refined`` bool (object
    in a round-trip table), with refinement and without (audit-3)."""
    mission = "nhats-human" if round_trip else "prospector-1"
    kw = dict(catalog=str(FIXTURE), round_trip=round_trip, checkpoint=False, **WINDOW)
    for refine in (False, True):
        some = rank(mission, refine=refine, top=2, **kw)
        none = rank(mission, max_h=5.0, refine=refine, **kw)  # no NEA is that bright
        assert len(some) > 0 and len(none) == 0
        assert none.attrs["n_selected"] == 0 and none.attrs["n_feasible"] == 0
        assert list(none.columns) == list(some.columns)
        differ = {c: (str(none[c].dtype), str(some[c].dtype)) for c in some}
        assert {c: d for c, d in differ.items() if d[0] != d[1]} == {}
        assert str(some["departure"].dtype) == "datetime64[s]"
        if refine:
            assert some["refined"].dtype == bool and some["refined"].any()


def test_cli_says_no_target_meets_the_profile_and_writes_empty_files(tmp_path):
    from prospect.cli import app

    args = ["rank", "-m", "prospector-1", "--catalog", str(FIXTURE), "--max-h", "5", "--from",
            WINDOW["start"], "--to", WINDOW["end"], "--ephemeris", "two-body"]  # fmt: skip
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert res.output.startswith("No target satisfies mission 'prospector-1'")
    for fmt in ("json", "csv"):
        out = tmp_path / f"empty.{fmt}"
        res = CliRunner().invoke(app, [*args, "--format", fmt, "--output", str(out)])
        assert res.exit_code == 0, res.output
        df = pd.read_json(out) if fmt == "json" else pd.read_csv(out)
        assert len(df) == 0
        if fmt == "csv":
            assert {"rank", "label", "dv_total_km_s", "score", "pareto"} <= set(df.columns)
