"""Progress of the long commands (prospect._progress): porkchop, plan, moon, round trips.

A non-terminal run writes plain lines on stderr (done / total, rate, time left);
here ``PROSPECT_PROGRESS_DELAY_S`` / ``PROSPECT_PROGRESS_INTERVAL_S`` = 0 make every
update a line, so the tests stay fast.  With the default times (first line after
2 s) a short run prints none.  Library functions take ``progress(done, total)``
and their answers do not depend on it.
"""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from typer.testing import CliRunner

from prospect._progress import progress, with_progress
from prospect.cli import app

runner = CliRunner()
PORKCHOP = ["porkchop", "2000 SG344", "--from", "2028-01-01", "--to", "2028-04-01",
            "--tof-min", "60", "--tof-max", "200", "--ephemeris", "two-body"]  # fmt: skip
MOON = ["moon", "--mission", "mx-1", "--resource", "water"]


@pytest.fixture
def every_update(monkeypatch):
    monkeypatch.setenv("PROSPECT_PROGRESS_DELAY_S", "0")
    monkeypatch.setenv("PROSPECT_PROGRESS_INTERVAL_S", "0")


def _lines(text: str, what: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith(f"prospect: {what}: ")]


@pytest.mark.parametrize(
    ("args", "what"), [(PORKCHOP, "computing the pork-chop grid"), (MOON, "ranking sites")]
)
def test_cli_plain_lines_when_slow_and_none_when_fast(every_update, monkeypatch, args, what):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    lines = _lines(res.stderr, what)
    assert len(lines) >= 3, res.stderr
    total = int(lines[0].split("/")[1].split()[0].replace(",", ""))
    assert lines[-1].startswith(f"prospect: {what}: {total:,}/{total:,} (100%)")
    assert lines[-1].endswith("- done") and "/s" in lines[-2]
    assert not _lines(res.stdout, what)  # never on stdout
    monkeypatch.delenv("PROSPECT_PROGRESS_DELAY_S")  # the default: first line after 2 s
    res = runner.invoke(app, args)
    assert res.exit_code == 0 and "prospect: " not in res.stderr, res.stderr


def test_porkchop_progress_counts_departures_and_changes_nothing():
    from prospect.scan import porkchop

    calls = []
    args = ("2000 SG344", "2028-01-01", "2028-12-31", 30, 300)
    kw = dict(step_days=2, ephemeris="two-body")
    pc = porkchop(*args, progress=lambda d, n: calls.append((d, n)), **kw)
    plain = porkchop(*args, **kw)
    nd = pc.shape[0]
    assert calls[0] == (0, nd) and calls[-1] == (nd, nd) and len(calls) >= 40
    assert all(b[0] > a[0] for a, b in itertools.pairwise(calls))
    np.testing.assert_array_equal(pc.dv_total_km_s, plain.dv_total_km_s)
    np.testing.assert_array_equal(pc.status, plain.status)


def test_round_trip_and_plan_report_their_stages():
    from prospect.cost import plan
    from prospect.scan import round_trip

    calls = []
    round_trip("2000 SG344", "2028-01-01", "2028-12-31", step_days=4, refine=False,
               ephemeris="two-body", progress=lambda d, n: calls.append((d, n)))  # fmt: skip
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    calls.clear()
    p = plan("S05", "artemis-clps", start="2027-01-01", n_draws=1000, seed=2,
             progress=lambda d, n: calls.append((d, n)))  # fmt: skip
    n = calls[0][1]
    assert n >= 2 and calls == [(k, n) for k in range(n + 1)]
    again = plan("S05", "artemis-clps", start="2027-01-01", n_draws=1000, seed=2)
    assert p.to_dict() == again.to_dict()


def test_plain_reporter_environment_and_stages(monkeypatch):
    monkeypatch.setenv("PROSPECT_PROGRESS_DELAY_S", "0")
    monkeypatch.setenv("PROSPECT_PROGRESS_INTERVAL_S", "3600")
    buf = io.StringIO()
    with progress("stages", stream=buf, tty=False) as up:
        up(1, 4)  # printed at once (no delay), then nothing for an hour
        up(2, 4)
    assert len(buf.getvalue().splitlines()) == 2  # the first line and "- done"
    monkeypatch.setenv("PROSPECT_PROGRESS_DELAY_S", "not a number")  # the default: 2 s
    buf = io.StringIO()
    with progress("x", stream=buf, tty=False) as up:
        up(1, 2)
    assert buf.getvalue() == ""
    monkeypatch.setenv("PROSPECT_PROGRESS_INTERVAL_S", "0")
    monkeypatch.setenv("PROSPECT_PROGRESS_DELAY_S", "0")
    buf = io.StringIO()
    with progress("plan", stream=buf, tty=False) as up:
        up(10**6, 10**7)
        up(1, 2)  # a new stage (new total): its own rate, not 10**6 / s
    assert "1/2 (50%)" in buf.getvalue().splitlines()[1]
    assert ", 1,000,000/s" not in buf.getvalue().splitlines()[1]
    monkeypatch.setenv("PROSPECT_PROGRESS", "0")
    assert with_progress("silent", lambda *, progress: progress(1, 1) or "ok")() == "ok"


def test_a_new_stage_is_timed_from_the_end_of_the_last(monkeypatch):
    """rank's stages (scan, approach test, n-body re-scan, refinement) each report
    first after their first chunk: that line's rate counts the chunk's time, not ~0 s."""
    import time

    buf = io.StringIO()
    with progress("stages", stream=buf, tty=False, delay_s=0.0, interval_s=0.0) as up:
        up(10, 10)
        time.sleep(0.2)
        up(3, 6)  # a new stage's first chunk: 3 in about 0.2 s
    rate = buf.getvalue().splitlines()[1].split(", ")[1]
    assert rate.endswith("/s") and float(rate[:-2].replace(",", "")) < 100, rate
