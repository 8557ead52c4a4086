"""Library parameters of rank and porkchop that are meaningless are refused naming the
parameter, before any work (issue 13; found by the black-box audit's API pass)."""

from __future__ import annotations

import math

import pytest

from prospect.errors import InputError
from prospect.scan import porkchop, rank

RANK_BAD = [
    ({"top": 2.5}, "top"),
    ({"top": "x"}, "top"),
    ({"top": 0}, "top"),
    ({"refine_top": -1}, "refine_top"),
    ({"refine_top": 1.5}, "refine_top"),
    ({"screen_margin_km_s": -1.0}, "screen_margin_km_s"),
    ({"screen_margin_km_s": math.nan}, "screen_margin_km_s"),
    ({"nbody_margin_km_s": -1.0}, "nbody_margin_km_s"),
    ({"nbody_margin_km_s": math.nan}, "nbody_margin_km_s"),
    ({"nbody_margin_km_s": "1"}, "nbody_margin_km_s"),
    ({"memory_mb": 0}, "memory_mb"),
    ({"memory_mb": math.nan}, "memory_mb"),
]


@pytest.mark.parametrize(("kwargs", "name"), RANK_BAD, ids=[str(k) for k, _ in RANK_BAD])
def test_rank_refuses_naming_the_parameter(kwargs, name):
    with pytest.raises(InputError) as err:
        # a catalog path that does not exist: the check must come before any loading
        rank("prospector-1", catalog="/nonexistent/catalog.json", checkpoint=False, **kwargs)
    assert str(err.value).startswith(f"{name}: "), str(err.value)


PORKCHOP_BAD = [
    ({"revs": 2.5}, "revs"),
    ({"revs": -1}, "revs"),
    ({"revs": True}, "revs"),
    ({"parking_alt_km": 1e9}, "parking_alt_km"),  # outside the Earth's sphere of influence
    ({"memory_mb": -5}, "memory_mb"),
]


@pytest.mark.parametrize(("kwargs", "name"), PORKCHOP_BAD, ids=[str(k) for k, _ in PORKCHOP_BAD])
def test_porkchop_refuses_naming_the_parameter(kwargs, name):
    with pytest.raises(InputError) as err:
        porkchop("2000 SG344", "2028-01-01", "2028-03-01", 30, 200, **kwargs)
    assert str(err.value).startswith(f"{name}: "), str(err.value)


def test_a_whole_float_and_a_parking_orbit_inside_the_sphere_of_influence_are_accepted():
    pc = porkchop(
        "2000 SG344", "2028-01-01", "2028-02-01", 30, 200, revs=0.0,
        parking_alt_km=300_000.0, ephemeris="two-body",
    )  # fmt: skip
    assert pc is not None
