"""Fuzzing the name parsers: packed designations, numbers and dates (MPC's packed
forms), target look-ups and spectral classes.  Whatever the text: a result or a
ValueError / UnknownNameError of one line, never another exception; what unpacks
packs back to the same text.

Default run: a few hundred derandomized examples per target; ``--runslow`` /
``PROSPECT_FUZZ_EXAMPLES``: 10,000 from a random seed (tests/fuzzing.py).
"""

from __future__ import annotations

import math

from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from prospect.catalog import load_neas
from prospect.catalog.designations import (
    calendar_to_jd,
    find_target,
    jd_to_calendar,
    pack_designation,
    unpack_designation,
    unpack_epoch,
)
from prospect.catalog.taxonomy import COMPLEXES, composition
from prospect.errors import UnknownNameError

FUZZ = fuzz(default=300)
NEAS = load_neas()
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

#: text that looks like MPC packed forms half the time
packed_like = st.text(max_size=9) | st.text(alphabet=B62 + " ~_", min_size=5, max_size=7)


@FUZZ
@given(text=packed_like)
def test_unpack_designation_any_text(text):
    try:
        out = unpack_designation(text)
    except ValueError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(out, str) and out
    assert unpack_designation(pack_designation(out)) == out


@FUZZ
@given(text=packed_like)
def test_unpack_epoch_any_text(text):
    try:
        year, month, day = unpack_epoch(text)
    except ValueError as exc:
        assert "\n" not in str(exc)
        return
    assert 1800 <= year <= 2099 and 1 <= month <= 12 and 1 <= day < 32
    y, m, d = jd_to_calendar(calendar_to_jd(year, month, day))
    assert (y, m) == (year, month) and math.isclose(d, day, abs_tol=1e-6)


@FUZZ
@given(query=st.text(max_size=25) | st.integers(-(10**20), 10**20))
def test_find_target_any_query(query):
    try:
        label = find_target(NEAS, query)
    except UnknownNameError as exc:
        assert "\n" not in str(exc)
        return
    assert label in NEAS.index


spec = st.none() | st.text(max_size=5) | st.sampled_from(["S", "Sq", "C", "Ch", "X", "Xk", "D"])


@FUZZ
@given(
    mahlke=spec,
    bus=spec,
    tholen=spec,
    albedo=st.none() | st.floats(allow_nan=True, allow_infinity=True),
)
def test_composition_any_class(mahlke, bus, tholen, albedo):
    name, score = composition(mahlke, bus, tholen, albedo)
    assert name in COMPLEXES and score == COMPLEXES[name]
