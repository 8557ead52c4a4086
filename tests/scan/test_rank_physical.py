"""rank scores composition and size from the measured physical data (issue 12, item 4)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from prospect.catalog import find_target, load_neas
from prospect.scan import rank

NAMES = ["Bennu", "Ryugu", "Eros", "Itokawa", "2000 SG344"]


@pytest.fixture(scope="module")
def ranked() -> pd.DataFrame:
    cat = load_neas()
    rows = cat.loc[[find_target(cat, n) for n in NAMES]].reset_index(drop=True)
    rows.attrs.update(cat.attrs)
    df = rank(
        "prospector-1",
        catalog=rows,
        start="2027-01-01",
        end="2027-07-01",
        step_days=30,
        tof_step_days=60,
        exhaustive=True,
        include_infeasible=True,
        refine=False,
        checkpoint=False,
    )
    return df.set_index("label")


def _size_score(d_km: float) -> float:
    # rank's documented size score: log10(D / 10 m) / log10(10 km / 10 m), clipped
    return min(1.0, max(0.0, math.log10(d_km / 0.01) / 3.0))


def test_composition_comes_from_the_measured_classes(ranked):
    got = ranked["composition"].to_dict()
    assert got["101955 Bennu"] == "water"  # B (SBDB, Mahlke 2022)
    assert got["162173 Ryugu"] == "water"  # Cb / Mahlke C
    assert got["433 Eros"] == "construction"  # S
    assert got["25143 Itokawa"] == "construction"  # S(IV)
    assert got["2000 SG344"] == "unknown"
    assert ranked.loc["101955 Bennu", "score_composition"] == 1.0
    assert ranked.loc["2000 SG344", "score_composition"] == 0.5  # neutral


def test_size_score_uses_measured_diameters(ranked):
    # Eros 16.84 km (SBDB): > 10 km -> 1; Bennu 0.48444 km (SBDB shape model)
    assert ranked.loc["433 Eros", "score_size"] == 1.0
    assert ranked.loc["101955 Bennu", "score_size"] == pytest.approx(
        _size_score(0.48444), abs=1e-12
    )


def test_unknown_albedo_scores_the_middle_of_the_albedo_range(ranked):
    # 2000 SG344, H 24.7: 30.52-68.24 m for pV 0.25-0.05; geometric middle 45.6 m
    row = ranked.loc["2000 SG344"]
    mid = math.sqrt(row["diameter_min_km"] * row["diameter_max_km"])
    assert 1000 * mid == pytest.approx(45.64, abs=0.01)
    assert row["score_size"] == pytest.approx(_size_score(mid), abs=1e-12)
