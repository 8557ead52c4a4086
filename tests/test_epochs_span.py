"""Dates across DE440's whole span (1550-2650) survive the trip to table dates.

numpy's ``datetime64[ns]`` covers only 1677-09-21 to 2262-04-11; a date
outside it used to wrap silently (a 2300 launch was reported as 1715).
"""

from __future__ import annotations

import numpy as np
import pytest

from prospect import epochs


@pytest.mark.parametrize(
    "iso",
    [
        "1551-01-02T00:00:00",
        "1600-06-30T12:00:00",
        "2028-01-25T00:00:00",
        "2262-04-12T00:00:00",
        "2300-01-01T06:30:15",
        "2649-06-01T00:00:00",
    ],
)
def test_table_dates_keep_their_year_across_de440(iso):
    with epochs.quiet_erfa():
        s = epochs.tdb_seconds(epochs.as_time(iso))
    assert str(epochs.utc_datetimes(np.array([s]))[0]) == iso


def test_the_span_check_reads_years_outside_datetime64_ns():
    """2300 is inside DE440 (accepted for n-body) and outside 1900-2100 (two-body warns)."""
    assert epochs.check_span("2300-01-01", option="start", ephemeris="nbody").utc.jd > 0
    with pytest.warns(epochs_warning(), match="outside 1900-2100"):
        epochs.check_span("2300-01-01", option="start", ephemeris="two-body")


def epochs_warning():
    from prospect.errors import ProspectWarning

    return ProspectWarning
