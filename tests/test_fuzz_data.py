"""Fuzzing the loaders of prospect.data: whatever the file, a typed result or one
CatalogFormatError naming the file; whatever the name, the item or UnknownNameError.

Three kinds of input per loader: random bytes, the shipped file with random text
edits (any codec), and the shipped file with one ``key = value`` line given a
random TOML value (numbers out of range, NaN, inf, huge integers, dates such as
"2016-13", wrong types, deep nesting).  Default run: a few hundred derandomized
examples per target; ``--runslow`` / ``PROSPECT_FUZZ_EXAMPLES``: 10,000 from a
random seed (tests/fuzzing.py).
"""

from __future__ import annotations

import math
import re

import pytest
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from prospect import data
from prospect._resources import catalog_path
from prospect.errors import CatalogFormatError, UnknownNameError

FUZZ = fuzz(default=100)

#: loader -> shipped file it reads.
TOML_LOADERS = {
    data.load_missions: "missions.toml",
    data.load_launchers: "launchers.toml",
    data.load_consortia: "consortia.toml",
    data.load_legal_frameworks: "consortia.toml",
    data.load_resources: "resources.toml",
}
LOADERS = {**TOML_LOADERS, data.load_moon_sites: "moon_sites.csv"}
TEXT = {name: catalog_path(name).read_text(encoding="utf-8") for name in set(LOADERS.values())}
CODECS = ["utf-8", "latin-1", "cp1252", "utf-16", "utf-8-sig", "ascii"]


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz_data")


def _check(loader, path) -> None:
    """A loader's result is typed; its only error is a one-line CatalogFormatError."""
    try:
        out = loader(path)
    except CatalogFormatError as exc:
        msg = str(exc)
        assert "\n" not in msg and msg.startswith(str(path)), msg
        return
    if loader in (data.load_missions, data.load_launchers, data.load_moon_sites):
        assert len(out) > 0
    if loader is data.load_moon_sites:
        assert out["lat_deg"].between(-90, 90).all()
        assert out["lon_deg_east"].between(-180, 180).all()
        assert out["id"].str.lower().is_unique


def _write(fuzz_dir, name: str, raw: bytes):
    path = fuzz_dir / name
    path.write_bytes(raw)
    return path


LOADER_IDS = [f"{f.__name__}" for f in LOADERS]


@pytest.mark.parametrize("loader", list(LOADERS), ids=LOADER_IDS)
@FUZZ
@given(raw=st.binary(max_size=2000))
def test_random_bytes(fuzz_dir, loader, raw):
    _check(loader, _write(fuzz_dir, LOADERS[loader], raw))


edits = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.sampled_from(["replace", "insert", "delete", "truncate"]),
        st.text(min_size=1, max_size=12),
    ),
    min_size=1,
    max_size=5,
)


def _edit(text: str, changes) -> str:
    for pos, kind, piece in changes:
        p = pos * 7 % (len(text) + 1)
        if kind == "replace":
            text = text[:p] + piece + text[p + len(piece) :]
        elif kind == "insert":
            text = text[:p] + piece + text[p:]
        elif kind == "delete":
            text = text[:p] + text[p + len(piece) :]
        else:
            text = text[:p]
    return text


@pytest.mark.parametrize("loader", list(LOADERS), ids=LOADER_IDS)
@FUZZ
@given(changes=edits, codec=st.sampled_from(CODECS))
def test_edited_text_any_codec(fuzz_dir, loader, changes, codec):
    name = LOADERS[loader]
    raw = _edit(TEXT[name], changes).encode(codec, "replace")
    _check(loader, _write(fuzz_dir, name, raw))


toml_scalars = (
    st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(
        [
            *("0", "-1", "1e300", "-1e300", "nan", "inf", "-inf", "true", '""', '"2016-13"'),
            *('"2028-02-30"', '"0000"', '"x"', "1979-05-27", "[]", "{}", "{value = -5}"),
        ]
    )
    | st.text(max_size=15)
)


def _toml_literal(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return (
            "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
        )
    if isinstance(v, int):
        return str(v)
    if v and v[0] in '-0123456789[{"tn1i':  # a literal from the list above
        return v
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_ASSIGN = re.compile(r"^(\s*[A-Za-z0-9_]+\s*=\s*)(.+)$", re.MULTILINE)


@pytest.mark.parametrize("loader", list(TOML_LOADERS), ids=[f.__name__ for f in TOML_LOADERS])
@FUZZ
@given(which=st.integers(0, 10_000), value=toml_scalars, depth=st.integers(0, 3))
def test_one_value_replaced(fuzz_dir, loader, which, value, depth):
    name = LOADERS[loader]
    text = TEXT[name]
    lines = list(_ASSIGN.finditer(text))
    m = lines[which % len(lines)]
    literal = _toml_literal(value)
    literal = "[" * depth + literal + "]" * depth
    text = text[: m.start(2)] + literal + text[m.end(2) :]
    _check(loader, _write(fuzz_dir, name, text.encode("utf-8", "surrogatepass")))


SITES = data.load_moon_sites()
GETTERS = {
    data.get_mission: data.load_missions(),
    data.get_launcher: data.load_launchers(),
    data.get_consortium: data.load_consortia(),
    data.get_site: SITES,
}


@pytest.mark.parametrize("getter", list(GETTERS), ids=[g.__name__ for g in GETTERS])
@FUZZ
@given(name=st.text(max_size=30))
def test_lookup_by_any_name(getter, name):
    try:
        item = getter(name, GETTERS[getter])
    except UnknownNameError as exc:
        assert "\n" not in str(exc)
        return
    assert item is not None


@FUZZ
@given(service=st.text(max_size=20))
def test_parking_orbit_any_name(service):
    try:
        orbit = data.parking_orbit(service)
    except (UnknownNameError, ValueError) as exc:
        assert "\n" not in str(exc)
        return
    assert 0 < orbit.perigee_alt_km <= orbit.apogee_alt_km


@FUZZ
@given(
    lat=st.floats(allow_nan=True, allow_infinity=True),
    lon=st.floats(allow_nan=True, allow_infinity=True),
)
def test_heritage_proximity_any_place(lat, lon):
    prox = data.heritage_proximity(lat, lon, SITES)
    finite = math.isfinite(lat) and math.isfinite(lon)
    assert (prox.distance_km >= 0).all() if finite else not prox.inside.any()
