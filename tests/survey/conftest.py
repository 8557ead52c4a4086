"""Shared survey fixtures: a seeded 200-object sample and its in-process survey."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

#: Objects NHATS lists as accessible (so the sample has feasible rows to compare).
ACCESSIBLE = ("2000 SG344", "2006 RH120", "2024 UW", "2023 UO3", "1999 AO10", "2008 HU4")

#: The survey every test compares: NHATS profile, one launch year, 10-day lattice, two-body.
SURVEY_ARGS = {
    "start": "2028-01-01",
    "end": "2028-12-31",
    "step_days": 10.0,
    "ephemeris": "two-body",
}
CHUNK = 25  # 200 objects -> 8 chunks


@pytest.fixture(scope="session")
def sample200() -> pd.DataFrame:
    from prospect.catalog import load_neas

    full = load_neas(None)
    rng = np.random.default_rng(20261205)
    known = full[full["designation"].isin(ACCESSIBLE)]
    rest = full.drop(index=known.index)
    pick = rest.iloc[np.sort(rng.choice(len(rest), 200 - len(known), replace=False))]
    out = pd.concat([known, pick]).reset_index(drop=True)
    out.attrs = dict(full.attrs)
    return out


@pytest.fixture(scope="session")
def reference(sample200, tmp_path_factory):
    """The uninterrupted in-process survey of the sample: (directory, table)."""
    from prospect.survey import survey

    out = tmp_path_factory.mktemp("survey-ref") / "ref"
    df = survey(
        "nhats-human", output=out, catalog=sample200, chunk_size=CHUNK, workers=0, **SURVEY_ARGS
    )
    assert df.attrs["stats"]["engine"] == "in-process"
    return out, df


def assert_same_rows(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Row for row: text and integers equal, floats within 1e-12 relative (NaN where NaN)."""
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    for c in a.columns:
        x, y = a[c].to_numpy(), b[c].to_numpy()
        if a[c].dtype.kind == "f":
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=0.0, equal_nan=True, err_msg=c)
        else:
            assert (pd.Series(x).fillna("<NA>") == pd.Series(y).fillna("<NA>")).all(), c
