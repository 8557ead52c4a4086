"""MPC packed designations and dates, against the MPC's published examples.

Examples from the Minor Planet Center's "Packed Provisional and Permanent
Designations" (https://minorplanetcenter.net/iau/info/PackedDes.html; the same
tables at https://docs.minorplanetcenter.net/mpc-ops-docs/designations/packed-designations
and, for the extended "_" form of cycle counts >= 620, the MPC's "Extended
Packed Provisional Designation Scheme") and "Packed Dates"
(https://minorplanetcenter.net/iau/info/PackedDates.html).
"""

import pytest
from astropy.time import Time
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from prospect.catalog.designations import (
    MAX_PACKED_NUMBER,
    calendar_to_jd,
    jd_to_calendar,
    pack_designation,
    pack_epoch,
    pack_number,
    pack_provisional,
    unpack_designation,
    unpack_epoch,
    unpack_epoch_jd,
    unpack_number,
    unpack_provisional,
)

# PackedDes.html, "Permanent designations" (number -> packed)
MPC_NUMBERS = {
    3202: "03202",
    50000: "50000",
    100345: "A0345",
    360017: "a0017",
    203289: "K3289",
    620000: "~0000",
    620061: "~000z",
    3140113: "~AZaz",
    15396335: "~zzzz",
}

# PackedDes.html, "Provisional designations" and survey designations
MPC_PROVISIONAL = {
    "1995 XA": "J95X00A",
    "1995 XL1": "J95X01L",
    "1995 FB13": "J95F13B",
    "1998 SQ108": "J98SA8Q",
    "1998 SV127": "J98SC7V",
    "1998 SS162": "J98SG2S",
    "2099 AZ193": "K99AJ3Z",
    "2008 AA360": "K08Aa0A",
    "2007 TA418": "K07Tf8A",
    "2040 P-L": "PLS2040",
    "3138 T-1": "T1S3138",
    "1010 T-2": "T2S1010",
    "4101 T-3": "T3S4101",
}

# MPC extended packed provisional scheme (cycle count >= 620)
MPC_EXTENDED = {
    "2026 CZ619": "K26Cz9Z",  # the last one of the old form
    "2026 CA620": "_QC0000",
    "2026 CZ6190": "_QC0aEM",
    "2026 CL591673": "_QCzzzz",
}

# PackedDates.html examples: packed -> (year, month, day)
MPC_DATES = {
    "J9611": (1996, 1, 1.0),
    "J961A": (1996, 1, 10.0),
    "J969U": (1996, 9, 30.0),
    "J96A1": (1996, 10, 1.0),
    "K01AM": (2001, 10, 22.0),
    "J981I73": (1998, 1, 18.73),
    "K01AM138303": (2001, 10, 22.138303),
}


@pytest.mark.parametrize(("number", "packed"), MPC_NUMBERS.items())
def test_numbers_match_mpc_examples(number, packed):
    assert pack_number(number) == packed
    assert unpack_number(packed) == number
    assert unpack_designation(packed) == str(number)


@pytest.mark.parametrize(("text", "packed"), {**MPC_PROVISIONAL, **MPC_EXTENDED}.items())
def test_provisional_match_mpc_examples(text, packed):
    assert pack_provisional(text) == packed
    assert unpack_provisional(packed) == text
    assert unpack_designation(packed) == text


def test_shipped_catalog_designations_round_trip():
    """2000 SG344 (cycle 34 -> 'Y', the MPC's own NEA.txt form) and a survey object."""
    assert pack_provisional("2000 SG344") == "K00SY4G"
    assert unpack_provisional("K00S44S") == "2000 SS44"  # a different object
    assert pack_designation("(433)") == "00433"
    assert pack_designation(101955) == "A1955"
    assert pack_designation("6743 P-L") == "PLS6743"


@pytest.mark.parametrize(("packed", "date"), MPC_DATES.items())
def test_packed_dates_match_mpc_examples(packed, date):
    year, month, day = unpack_epoch(packed)
    assert (year, month) == date[:2]
    assert day == pytest.approx(date[2], abs=1e-9)


def test_packed_epoch_of_shipped_catalog():
    assert unpack_epoch("K25BL") == (2025, 11, 21.0)
    assert unpack_epoch_jd("K25BL") == 2461000.5
    assert pack_epoch(2025, 11, 21) == "K25BL"


@pytest.mark.parametrize(
    "bad",
    ["K25", "X25BL", "K2XBL", "K25DL", "K2500", "K252V", "K25BW", "K25BLx", "K25B0", "J9002U"],
)
def test_bad_packed_dates_raise_valueerror(bad):
    # K25DL: month D=13; K252V: Feb 31; K25BW: day W=32; J9002U: 1900 Feb 30 (not leap)
    with pytest.raises(ValueError):
        unpack_epoch(bad)


@pytest.mark.parametrize(
    "bad", ["", "1234", "123456", "?0000", "A12x4", "~00#0", "00000", "A 345", "１２３４５"]
)
def test_bad_packed_numbers_raise_valueerror(bad):
    with pytest.raises(ValueError):
        unpack_number(bad)


@pytest.mark.parametrize(
    "bad", ["J98", "J98M0012", "X99A00A", "J98I00A", "J98A00I", "K0ZA00A", "_QI0000", "_QA00#0"]
)
def test_bad_packed_provisional_raise_valueerror(bad):
    with pytest.raises(ValueError):
        unpack_provisional(bad)


@pytest.mark.parametrize(
    "bad", ["A898 PA", "1995 IA", "1995 ZA", "1995 XA01", "2100 AA", "2062 AA620", "Eros"]
)
def test_unpackable_provisional_raise_valueerror(bad):
    with pytest.raises(ValueError):
        pack_provisional(bad)


@pytest.mark.parametrize("bad", [0, -1, MAX_PACKED_NUMBER + 1])
def test_unpackable_numbers_raise_valueerror(bad):
    with pytest.raises(ValueError):
        pack_number(bad)


@fuzz(default=300)
@given(st.integers(1, MAX_PACKED_NUMBER))
def test_number_round_trip(n):
    packed = pack_number(n)
    assert len(packed) == 5
    assert unpack_number(packed) == n


@fuzz(default=300)
@given(
    st.integers(1800, 2099),
    st.sampled_from("ABCDEFGHJKLMNOPQRSTUVWXY"),
    st.sampled_from("ABCDEFGHJKLMNOPQRSTUVWXYZ"),
    st.integers(0, 100_000),
)
def test_provisional_round_trip(year, half, second, cycle):
    text = f"{year} {half}{second}{cycle or ''}"
    if cycle >= 620 and not 2000 <= year <= 2061:
        with pytest.raises(ValueError):
            pack_provisional(text)
        return
    packed = pack_provisional(text)
    assert len(packed) == 7
    assert unpack_provisional(packed) == text


@fuzz(default=300)
@given(st.dates(min_value=__import__("datetime").date(1800, 1, 1)))
def test_packed_date_round_trip_and_jd_against_astropy(d):
    if d.year > 2099:
        return
    packed = pack_epoch(d.year, d.month, d.day)
    assert unpack_epoch(packed) == (d.year, d.month, float(d.day))
    # independent reference: astropy's calendar -> JD (ERFA dtf2d), exact for .0 dates
    ref = Time(d.isoformat(), scale="tt").jd
    assert unpack_epoch_jd(packed) == ref


@pytest.mark.parametrize(
    "jd", [2451545.0, 2461000.5, 2378496.5, 2524593.5, 2440587.5, 2455197.75, 2451604.5]
)
def test_calendar_jd_against_astropy(jd):
    t = Time(jd, format="jd", scale="tt")
    y, m, d = jd_to_calendar(jd)
    ref = t.datetime
    assert (y, m, int(d)) == (ref.year, ref.month, ref.day)
    frac_s = (d - int(d)) * 86400.0
    ref_s = ref.hour * 3600 + ref.minute * 60 + ref.second + ref.microsecond * 1e-6
    assert frac_s == pytest.approx(ref_s, abs=1e-3)  # 1 ms
    assert calendar_to_jd(y, m, d) == pytest.approx(jd, abs=1e-8)  # ~1 ms
