"""Every bad CLI input, every command: one line naming the option, exit 1, no work first.

The table is :data:`bad_input_cases.CASES` (issue 13 item 1).  Each case runs
in-process through typer's CliRunner; the checks are up front, so the whole
table takes seconds.  ``held`` means: exit code 1, nothing on stdout, exactly
one line on stderr, starting ``Error:`` and naming the option, no traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from bad_input_cases import CASES

from prospect.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def finished_survey(tmp_path_factory):
    """A survey directory for ``survey show`` (its manifest, no chunk finished yet), and
    beside it a non-empty directory that holds no survey."""
    from prospect.survey import store

    out = tmp_path_factory.mktemp("survey") / "done"
    out.mkdir()
    grid = {"stay_classes_days": [0, 8, 16], "dur_classes_days": [60, 180, 360]}
    store.write_manifest(out, {"key": "0" * 64, "n_chunks": 1, "inputs": {"grid": grid}})
    (out / "notasurvey").mkdir()
    (out / "notasurvey" / "notes.txt").write_text("mine")
    return out


def run_case(argv, tmp: Path, survey_dir: Path):
    """``prospect argv`` in-process: (exit code, stdout, stderr)."""
    args = [a.replace("{tmp}", str(tmp)).replace("{survey}", str(survey_dir)) for a in argv]
    res = runner.invoke(app, args)
    return res.exit_code, res.stdout, res.stderr


def held(code: int, out: str, err: str, option: str) -> bool:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    return (
        code == 1
        and not out.strip()
        and len(lines) == 1
        and lines[0].startswith("Error: ")
        and option in lines[0]
        and "Traceback" not in err
    )


@pytest.mark.parametrize(("argv", "option"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_naming_the_option(tmp_path, finished_survey, argv, option):
    code, out, err = run_case(argv, tmp_path, finished_survey)
    assert held(code, out, err, option), f"exit {code}\nstdout: {out!r}\nstderr: {err!r}"


def test_two_body_far_dates_are_flagged_in_one_line(tmp_path, finished_survey):
    """Two-body accepts 1800 (inside DE440) but says, once, that it is outside 1900-2100."""
    argv = ["target", "Bennu", "--at", "1800-01-01", "--ephemeris", "two-body"]
    code, out, err = run_case(argv, tmp_path, finished_survey)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 0 and "Heliocentric ecliptic J2000 state" in out
    assert len(lines) == 1 and lines[0].startswith("Warning: --at: 1800-01-01 is outside 1900-2100")


def test_library_checks_name_the_parameter():
    """The same checks through the API: the project's InputError naming the Python parameter."""
    from prospect.errors import InputError, ProspectWarning
    from prospect.plot._files import image_path
    from prospect.scan._common import check_revs, date_grid, tof_grid
    from prospect.targets import target

    cases = [
        (lambda: target("Bennu").state("1500-01-01"), "epochs"),
        (lambda: date_grid("2028-01-01", "2030-01-01", 1e-6), "step_days"),
        (lambda: tof_grid(30, 1e9, 10), "tof_max_days"),
        (lambda: tof_grid(30, 720, 1e-7), "tof_step_days"),
        (lambda: check_revs(1_000_000, 720.0), "revs"),
        (lambda: image_path("p.xyz"), "path"),
    ]
    for call, param in cases:
        with pytest.raises(InputError) as info:
            call()
        assert info.value.option == param, str(info.value)
    with pytest.warns(ProspectWarning, match="outside 1900-2100"):
        target("Bennu").state("1800-01-01", ephemeris="two-body")


def test_usage_errors_are_one_line_with_exit_2(tmp_path, finished_survey):
    """An unknown command or option is a usage error: exit 2 (the CLI's documented
    convention), but one line like every error, not click's three-line block; an
    unknown command lists the commands."""
    code, out, err = run_case(["nosuch"], tmp_path, finished_survey)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and not out.strip() and len(lines) == 1, err
    assert "'nosuch'" in lines[0] and "rank" in lines[0] and "porkchop" in lines[0]
    for argv in (["rank", "--no-such-flag"], ["catalog", "nosuch"], ["--no-such-flag"]):
        code, out, err = run_case(argv, tmp_path, finished_survey)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code == 2 and len(lines) == 1 and lines[0].startswith("Error: "), (argv, err)
    code, out, err = run_case(["catalog"], tmp_path, finished_survey)  # no arguments: the help
    assert "Usage:" in out + err and "update" in out + err


def test_a_scheduler_from_the_environment_is_named_as_the_variable(tmp_path):
    """A bad DASK_SCHEDULER_ADDRESS names the variable; the same value on the command
    line names --scheduler (the user typed that)."""
    argv = ["rank", "-m", "prospector-1", "--from", "2028-01-01", "--to", "2028-02-01"]
    env = {"DASK_SCHEDULER_ADDRESS": "garbage"}
    for extra, named in (
        ([], "DASK_SCHEDULER_ADDRESS:"),
        (["--scheduler", "garbage"], "--scheduler:"),
    ):
        res = runner.invoke(app, [*argv, *extra], env=env)
        lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
        assert res.exit_code == 1 and len(lines) == 1, res.stderr
        assert lines[0].startswith(f"Error: {named}"), lines[0]
    res = runner.invoke(app, ["survey", "-m", "nhats-human", "-o", str(tmp_path / "s")], env=env)
    assert res.exit_code == 1 and res.stderr.startswith("Error: DASK_SCHEDULER_ADDRESS:"), (
        res.stderr
    )


def test_library_refuses_the_same_values_naming_the_parameter(tmp_path):
    """Outputs, workers, seeds, prices and classes through the API (audit-3 leftovers)."""
    from prospect._io import check_output, write_atomic
    from prospect.cost import plan
    from prospect.cost.montecarlo import check_seed
    from prospect.cost.target import check_class
    from prospect.cost.value import check_prices, known_commodities
    from prospect.errors import InputError
    from prospect.scan._engine import MAX_WORKERS_PER_CORE, check_workers

    too_many = MAX_WORKERS_PER_CORE * (os.cpu_count() or 1) + 1
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # a special file: replacing it (as /dev/null as root) would be a disaster
    cases = [
        (lambda: check_output(tmp_path, option="output"), "output", "is a directory"),
        (lambda: write_atomic(tmp_path, b"x", option="output"), "output", "is a directory"),
        (lambda: check_output(fifo, option="output"), "output", "not a regular file"),
        (lambda: check_output(tmp_path / "no" / "x"), None, "does not exist"),
        (lambda: check_workers(too_many), "workers", f"at most {too_many - 1}"),
        (lambda: check_workers(2.0), "workers", "whole number"),
        (lambda: check_seed(1e23), "seed", "whole number"),
        (lambda: check_seed(2**63), "seed", "whole number"),
        (lambda: check_seed(-1), "seed", "whole number"),
        (lambda: check_prices({"unobtainium": 5}), "prices", "water"),
        (lambda: check_prices({"water": -1}), "prices", ">= 0"),
        (lambda: check_prices({"water": True}), "prices", ">= 0"),
        (lambda: check_class("nea", "ZZZ"), "target_class", "Xk"),
        (lambda: check_class("nea", ""), "target_class", "Cgh"),
        (lambda: check_class("moon", "C"), "target_class", "polar_psr"),
        (lambda: plan("S05", "ispace-jaxa", prices={"gold": 1.0}), "prices", "unknown commodity"),
        (lambda: plan("S05", "ispace-jaxa", target_class="ZZZ"), "target_class", "mare_ti"),
        (lambda: plan("S05", "ispace-jaxa", seed=2**64), "seed", "whole number"),
    ]
    for call, param, text in cases:
        with pytest.raises(InputError) as info:
            call()
        assert info.value.option == param and text in str(info.value), str(info.value)
    assert check_workers(too_many - 1) == too_many - 1 and check_seed(2**63 - 1) == 2**63 - 1
    assert check_prices({"water": 500}) == {"water": 500.0}
    assert {"water", "he3", "pgm"} <= set(known_commodities())
    assert check_class("nea", "Sq") == "Sq" and check_class("moon", "polar_psr") == "polar_psr"
    assert check_output(tmp_path / "ok.csv") == tmp_path / "ok.csv"
    assert list(tmp_path.iterdir()) == [fifo]  # the probe leaves nothing behind
    code, out, err = run_case(
        ["moon", "-m", "mx-1", "-r", "water", "-o", str(fifo)], tmp_path, tmp_path
    )
    assert held(code, out, err, "--output") and "not a regular file" in err, err


def test_moon_plan_dates_follow_the_same_span_rule(tmp_path, finished_survey):
    """A Moon plan rests on no ephemeris, like the two-body path: refused outside DE440,
    one warning outside 1900-2100 (it planned from 1800 without a word), none inside."""
    moon = ["plan", "S05", "--consortium", "ispace-jaxa", "--draws", "200"]
    code, out, err = run_case([*moon, "--start", "1800-01-01"], tmp_path, finished_survey)
    warned = [ln for ln in err.splitlines() if ln.startswith("Warning:")]
    assert code == 0 and "S05" in out, err
    assert len(warned) == 1 and warned[0].startswith(
        "Warning: --start: 1800-01-01 is outside 1900-2100"
    )
    code, out, err = run_case([*moon, "--start", "2027-01-01"], tmp_path, finished_survey)
    assert code == 0 and "Warning" not in err, err
    code, out, err = run_case([*moon, "--start", "1500-01-01"], tmp_path, finished_survey)
    assert held(code, out, err, "--start") and "DE440" in err, err


def test_a_bad_unpack_cap_in_the_environment_is_refused_by_catalog_commands():
    """PROSPECT_MAX_UNPACKED_BYTES was consulted only for a gzipped file, so 'abc' passed
    without a word with the shipped Parquet; every command that reads a catalog checks it."""
    for value in ("abc", "-1", "nan"):
        env = {"PROSPECT_MAX_UNPACKED_BYTES": value}
        for argv in (["target", "Bennu", "--ephemeris", "two-body"], ["rank", "-m", "x"]):
            res = runner.invoke(app, argv, env=env)
            lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
            assert res.exit_code == 1 and len(lines) == 1, res.stderr
            assert lines[0].startswith("Error: PROSPECT_MAX_UNPACKED_BYTES:"), lines[0]
    res = runner.invoke(app, ["consortia"], env={"PROSPECT_MAX_UNPACKED_BYTES": "abc"})
    assert res.exit_code == 0  # a command that reads no catalog does not care


def test_load_neas_refuses_a_bad_unpack_cap_for_any_file():
    """load_neas(max_unpacked=-1 or nan) was accepted when the file was not gzipped (the
    cap was never consulted); it is checked first, naming the parameter (audit-3)."""
    from prospect.catalog import load_neas
    from prospect.errors import InputError

    for bad in (-1, 0, float("nan"), True, "1e6"):
        with pytest.raises(InputError) as info:
            load_neas(max_unpacked=bad)
        assert info.value.option == "max_unpacked"
