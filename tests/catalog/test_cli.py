"""`prospect catalog info/update/reset` through typer's CliRunner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from prospect.catalog.update import user_catalog_path
from prospect.cli import app

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, list(args))


def _one_error_line(result, *parts, stdout=""):
    assert result.exit_code == 1, result.output
    assert result.stdout == stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    for part in parts:
        assert part in lines[0], (part, lines[0])


def test_info_of_the_shipped_catalog(own_cache):
    result = _run("catalog", "info")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Catalog:       MPC extended JSON (shipped with prospect)" in out
    assert "Objects:       40,874" in out
    assert "JD 2461000.5 TT (2025-11-21) for 40,813 of 40,874 objects" in out
    assert "Apollo 21,029, Amor 16,487, Aten 3,273, Atira 82, Distant Object 3" in out
    assert "PHAs:          2,529" in out
    assert "Attribution:   Orbits and designations: IAU Minor Planet Center" in out
    assert "mpc_nea.parquet (converted from mpc_nea_extended.json.gz)" in out
    assert result.stderr == ""


@pytest.mark.parametrize("name", ["nea_small.json", "nea_small.txt", "sbdb_small.csv"])
def test_info_of_a_given_file(data_dir, own_cache, name):
    result = _run("catalog", "info", "--catalog", str(data_dir / name))
    assert result.exit_code == 0, result.output
    assert f"File:          {data_dir / name}" in result.stdout
    n = 8 if name.endswith(".csv") else 16
    assert f"Objects:       {n}" in result.stdout


def test_bad_file_is_one_line_naming_file_record_and_field(data_dir, own_cache, tmp_path):
    recs = json.loads((data_dir / "nea_small.json").read_text())
    recs[2]["e"] = 1.7
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(recs))
    result = _run("catalog", "info", "--catalog", str(path))
    _one_error_line(
        result, str(path), "record #3 (2004 MN4)", "field 'e'", "eccentricity 1.7 is outside [0, 1)"
    )


def test_bad_mpcorb_line(data_dir, own_cache, tmp_path):
    lines = (data_dir / "nea_small.txt").read_text().splitlines()
    lines[4] = lines[4][:20] + "K25ZZ" + lines[4][25:]
    path = tmp_path / "NEA.txt"
    path.write_text("\n".join(lines) + "\n")
    result = _run("catalog", "info", "--catalog", str(path))
    _one_error_line(result, str(path), "line 5", "field 'epoch (cols 21-25)'")


def test_skip_bad_prints_a_summary(data_dir, own_cache, tmp_path):
    recs = json.loads((data_dir / "nea_small.json").read_text())
    recs[2]["e"] = 1.7
    recs[3]["a"] = "oops"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(recs))
    result = _run("catalog", "info", "--catalog", str(path), "--skip-bad")
    assert result.exit_code == 0, result.output
    assert "Objects:       14" in result.stdout
    err = result.stderr.splitlines()
    assert err[0] == "Skipped 2 bad records:"
    assert "record #3 (2004 MN4): field 'e'" in err[1]
    assert "record #4 (2000 SG344): field 'a'" in err[2]


@pytest.mark.parametrize(
    ("content", "parts"),
    [
        (b"\x1f\x8b\x08\x00truncated", ["gzip"]),
        (b"[{]", ["invalid JSON at line 1"]),
        (b"just words\n", ["not a recognized NEA catalog"]),
    ],
)
def test_other_bad_inputs(own_cache, tmp_path, content, parts):
    path = tmp_path / "cat.bin"
    path.write_bytes(content)
    _one_error_line(_run("catalog", "info", "--catalog", str(path)), str(path), *parts)


def test_missing_file(own_cache, tmp_path):
    path = tmp_path / "nope.json"
    _one_error_line(_run("catalog", "info", "--catalog", str(path)), str(path), "No such file")


def test_update_reset_cycle(data_dir, own_cache):
    url = (data_dir / "nea_small.json").as_uri()
    result = _run("catalog", "update", "--url", url, "--min-records", "5")
    assert result.exit_code == 0, result.output
    assert f"Downloading {url}" in result.stdout
    assert "Installed 16 objects" in result.stdout
    assert str(user_catalog_path()) in result.stdout
    info = _run("catalog", "info")
    assert "(downloaded update)" in info.stdout and "Objects:       16" in info.stdout
    assert f"from {url}" in info.stdout
    reset = _run("catalog", "reset")
    assert reset.exit_code == 0
    assert "Removed the downloaded catalog; active: shipped MPC extended JSON, 40,874" in (
        reset.stdout
    )
    assert "(shipped with prospect)" in _run("catalog", "info").stdout


def test_update_failure_is_one_line_and_keeps_the_catalog(data_dir, own_cache, tmp_path):
    url = (tmp_path / "absent.json.gz").as_uri()
    result = _run("catalog", "update", "--url", url)
    assert result.exit_code == 1
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"Error: could not download {url}: ")
    assert err[0].endswith(
        "the current catalog (shipped MPC extended JSON, 40,874 objects) stays active"
    )
    assert not user_catalog_path().exists()


def test_update_rejects_a_small_file_by_default(data_dir, own_cache):
    url = (data_dir / "nea_small.json").as_uri()
    result = _run("catalog", "update", "--url", url)
    _one_error_line(
        result,
        "holds 16 objects, fewer than the 40,466 required",
        stdout=f"Downloading {url} ...\n",
    )


def test_update_bad_url_scheme(own_cache):
    result = _run("catalog", "update", "--url", "gopher://x/y")
    # refused before the first word is printed (issue 13: nothing printed first)
    _one_error_line(result, "--url:", "not an http, https or file URL")


def test_bad_values_exit_1_usage_errors_exit_2(own_cache):
    # a value the option's type refuses is bad input: one line naming the option, exit 1
    _one_error_line(_run("catalog", "update", "--min-records", "0"), "--min-records: ")
    # an option the command does not have is a usage error (exit 2), as click says it
    result = _run("catalog", "update", "--no-such-option")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_target_with_an_okina_or_apostrophe(own_cache):
    for name in ("Kamo'oalewa", "Kamo\u02bboalewa"):
        res = runner.invoke(app, ["target", name])
        assert res.exit_code == 0, res.output
        assert "2016 HO3" in res.output


def test_bad_at_date_is_one_line_naming_the_flag(own_cache):
    res = runner.invoke(app, ["target", "Eros", "--at", "2028-02-30"])
    assert res.exit_code == 1
    err = res.stderr.strip().splitlines()
    assert len(err) == 1 and "--at" in err[0] and "2028-02-30" in err[0]
    assert "A898 PA" not in res.stdout  # refused before any output


def test_info_counts_measured_physical_data_and_cites_it(own_cache):
    res = runner.invoke(app, ["catalog", "info"])
    assert res.exit_code == 0, res.output
    # counts of catalogs/nea_physical.csv's README among the 40,874 shipped NEAs
    assert "2,999 measured" in res.stdout and "2,976 measured" in res.stdout
    assert "spectral classes: 1,188" in res.stdout
    for cite in ("SBDB", "Trilling et al. 2010", "Warner, Harris & Pravec 2009", "Mahlke"):
        assert cite in res.stdout
