"""Looking targets up by what a user types."""

import pytest

from prospect.catalog import find_target, load_neas
from prospect.catalog.designations import _index_for
from prospect.errors import UnknownNameError


@pytest.fixture(scope="module")
def neas():
    return load_neas()


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("433", "433 Eros"),
        (433, "433 Eros"),
        ("Eros", "433 Eros"),
        ("eros", "433 Eros"),
        ("  EROS ", "433 Eros"),
        ("433 Eros", "433 Eros"),
        ("433 eros", "433 Eros"),
        ("(433)", "433 Eros"),
        ("(433) Eros", "433 Eros"),
        ("00433", "433 Eros"),
        ("A898 PA", "433 Eros"),  # the MPC's principal designation
        ("1956 PC", "433 Eros"),  # another designation
        ("433 Eros (A898 PA)", "433 Eros"),  # JPL full name
        ("2000 SG344", "2000 SG344"),
        ("2000SG344", "2000 SG344"),
        ("2000 sg344", "2000 SG344"),
        ("K00SY4G", "2000 SG344"),  # packed (cycle 34 = 'Y')
        ("k00sy4g", "2000 SG344"),
        ("Bennu", "101955 Bennu"),
        ("101955 Bennu", "101955 Bennu"),
        ("1999 RQ36", "101955 Bennu"),
        ("A1955", "101955 Bennu"),  # packed 101955
        ("~0000", "(620000) 2019 YS4"),
        ("620000", "(620000) 2019 YS4"),
        ("(875056) 2022 WY5", "(875056) 2022 WY5"),
        ("2022 WY5", "(875056) 2022 WY5"),
        ("Ra-Shalom", "2100 Ra-Shalom"),
        ("don quixote", "3552 Don Quixote"),
        ("2024 YR4", "2024 YR4"),
        ("6743 P-L", "5011 Ptah"),  # survey designation
        ("PLS6743", "5011 Ptah"),
        ("4788 p-l", "(145656) 4788 P-L"),
    ],
)
def test_queries(neas, query, label):
    assert neas.loc[find_target(neas, query), "label"] == label


def test_packed_numbers_are_case_sensitive(neas):
    # "A1955" is 101955 (Bennu); "a1955" would be 361955, not an NEA
    assert neas.loc[find_target(neas, "A1955"), "number"] == 101955
    with pytest.raises(UnknownNameError):
        find_target(neas, "a1955")


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("Erso", "433 Eros"),
        ("433 Erso", "433 Eros"),
        ("Apohis", "99942 Apophis"),
        ("bennnu", "101955 Bennu"),
        ("2000 SG34", "2000 SG344"),
        ("2000SG34", "2000 SG344"),
    ],
)
def test_unknown_names_suggest_close_matches(neas, query, suggestion):
    with pytest.raises(UnknownNameError) as info:
        find_target(neas, query)
    exc = info.value
    assert exc.kind == "target" and exc.name == query.strip()
    assert suggestion in exc.suggestions
    assert len(exc.suggestions) <= 5
    assert f"did you mean '{exc.suggestions[0]}'" in str(exc)


@pytest.mark.parametrize("query", ["xyzzy", "99999999", "", "   ", "(433) Ceres", "1 Ceres"])
def test_unknown_without_match(neas, query):
    with pytest.raises(UnknownNameError) as info:
        find_target(neas, query)
    assert "\n" not in str(info.value)


def test_returns_index_labels_of_filtered_tables(neas):
    apollos = neas[neas["orbit_class"] == "Apollo"]
    label = find_target(apollos, "Bennu")
    assert apollos.loc[label, "label"] == "101955 Bennu"
    assert label == find_target(neas, "Bennu")  # same index label as in the full table
    with pytest.raises(UnknownNameError):
        find_target(apollos, "Eros")  # an Amor


def test_index_is_built_once_per_table(neas):
    first = _index_for(neas)
    assert _index_for(neas) is first
    smaller = neas.iloc[:100]
    assert _index_for(smaller) is not first


@pytest.mark.parametrize(
    "query",
    [
        "Kamo'oalewa",  # ASCII apostrophe
        "Kamo\u02bboalewa",  # Hawaiian okina, as the IAU name is written
        "Kamo`oalewa",  # the MPC's spelling
        "kamo\u2019oalewa",  # typographic apostrophe, lower case
        "Kamooalewa",
        "469219 Kamo'oalewa",
        "(469219) Kamo\u02bboalewa",
    ],
)
def test_names_ignore_apostrophes_and_okinas(neas, query):
    assert neas.loc[find_target(neas, query), "label"] == "469219 Kamo`oalewa"


def test_apostrophes_do_not_make_other_names_match(neas):
    with pytest.raises(UnknownNameError):
        find_target(neas, "Er'os'x")
