"""Every bad CLI input, every command: one line naming the option, exit 1, no work first.

The table is :data:`bad_input_cases.CASES` (issue 13 item 1).  Each case runs
in-process through typer's CliRunner; the checks are up front, so the whole
table takes seconds.  ``held`` means: exit code 1, nothing on stdout, exactly
one line on stderr, starting ``Error:`` and naming the option, no traceback.
"""

from __future__ import annotations

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
