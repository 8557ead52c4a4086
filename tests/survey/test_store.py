"""Survey directory: resume after the survey process is killed, refusal of other
inputs, queries after the scan, the CLI, the stated memory bound."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import tracemalloc

import numpy as np
import pytest
from conftest import CHUNK, SURVEY_ARGS, assert_same_rows
from typer.testing import CliRunner

from prospect.errors import InputError
from prospect.survey import count_grid, query, read_results, survey
from prospect.survey.store import read_manifest

_CLI = "import sys; from prospect.cli import main; sys.argv[0] = 'prospect'; main()"


@pytest.fixture(scope="module")
def catalog_file(sample200, tmp_path_factory):
    from prospect.catalog.fast import write_fast

    path = tmp_path_factory.mktemp("cat") / "sample200.parquet"
    write_fast(sample200, path)
    return path


def _cli_args(catalog_file, out, chunk):
    return [
        "survey", "--mission", "nhats-human", "--catalog", str(catalog_file),
        "--from", SURVEY_ARGS["start"], "--to", SURVEY_ARGS["end"], "--step", "10",
        "--ephemeris", "two-body", "--output", str(out), "--chunk-size", str(chunk),
        "--workers", "0",
    ]  # fmt: skip


def test_killed_survey_resumes_without_recomputing(catalog_file, sample200, reference, tmp_path):
    """Acceptance: the survey process SIGKILLed mid-run, rerun with --resume: identical
    result, and the chunks finished before the kill are kept, not recomputed."""
    out = tmp_path / "r"
    err_log = tmp_path / "stderr.txt"
    with open(err_log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", _CLI, *_cli_args(catalog_file, out, 10)],
            stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if len(list((out / "chunks").glob("part-*.parquet"))) >= 3 or proc.poll() is not None:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, err_log.read_text()
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("chunks/part-*")}
    from prospect._io import HOST_TAG

    # what the kill leaves when it lands mid-write (prospect._io's name for a temporary)
    orphan = out / "chunks" / f".part-x.parquet.prospect-{proc.pid}-{HOST_TAG}-abcd1234.parquet"
    orphan.write_bytes(b"half a chunk")
    assert 3 <= len(before) < 20
    assert not read_manifest(out)["complete"]
    import prospect

    df = prospect.survey(  # the top-level API (a callable package)
        "nhats-human", output=out, catalog=catalog_file, chunk_size=10, workers=0, resume=True,
        **SURVEY_ARGS,
    )  # fmt: skip
    st = df.attrs["stats"]
    assert st["reused_chunks"] == len(before)
    assert st["computed_chunks"] == 20 - len(before)
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("chunks/part-*")}
    assert {k: after[k] for k in before} == before  # untouched files
    assert not orphan.exists()  # the killed run's temporary is gone
    assert_same_rows(df, reference[1])


def test_different_inputs_are_refused(reference, sample200):
    ref_dir, _ = reference
    files = sorted(p.name for p in ref_dir.rglob("*"))
    args = dict(SURVEY_ARGS, end="2028-06-30")
    with pytest.raises(InputError) as err:
        survey("nhats-human", output=ref_dir, catalog=sample200, chunk_size=CHUNK, resume=True,
               **args)  # fmt: skip
    msg = str(err.value)
    assert "different inputs" in msg and "period" in msg and "\n" not in msg
    changed = sample200.copy()
    changed.loc[5, "e"] += 1e-6  # one element of one object
    with pytest.raises(InputError, match="catalog"):
        survey("nhats-human", output=ref_dir, catalog=changed, chunk_size=CHUNK, resume=True,
               **SURVEY_ARGS)  # fmt: skip
    assert sorted(p.name for p in ref_dir.rglob("*")) == files  # nothing mixed in


def test_cli_refuses_one_line(catalog_file, reference):
    ref_dir, _ = reference
    from prospect.cli import app

    args = _cli_args(catalog_file, ref_dir, CHUNK)
    args[args.index("--to") + 1] = "2028-06-30"
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 1
    lines = [x for x in res.output.splitlines() if x.startswith("Error")]
    assert len(lines) == 1 and "different inputs" in lines[0]


def test_query_filters_after_the_scan(reference):
    ref_dir, ref = reference
    feas = ref[ref["feasible"]]
    # no filter: every feasible target at its minimum delta-v
    q = query(ref_dir)
    assert set(q["designation"]) == set(feas["designation"])
    np.testing.assert_allclose(
        q.set_index("designation")["dv_km_s"].sort_index(),
        feas.set_index("designation")["min_dv_dv_km_s"].sort_index(), rtol=1e-12,
    )  # fmt: skip
    assert (np.diff(q["dv_km_s"]) >= 0).all()
    # tighter filters give subsets, with class minima that never decrease
    q2 = query(ref_dir, max_dv_km_s=9.0, max_duration_days=365, min_stay_days=16)
    assert set(q2["designation"]) <= set(q["designation"])
    merged = q.set_index("designation")["dv_km_s"].loc[q2["designation"]]
    assert (q2["dv_km_s"].to_numpy() >= merged.to_numpy() - 1e-12).all()
    assert (q2["dv_km_s"] <= 9.0).all()
    assert q2.attrs["filter"] == {"stay_days": 16.0, "max_duration_days": 360.0,
                                  "max_dv_km_s": 9.0}  # fmt: skip
    q3 = query(ref_dir, max_h=26.0, max_u=5)
    assert (q3["h_mag"] <= 26).all() and (q3["u_param"] <= 5).all()
    with pytest.raises(InputError, match="stays up to 32"):
        query(ref_dir, min_stay_days=40)
    grid = count_grid(read_results(ref_dir), read_manifest(ref_dir))
    assert grid.iloc[-1, -1] == len(feas)
    assert (np.diff(grid.to_numpy(), axis=0) >= 0).all() and (np.diff(grid.to_numpy()) >= 0).all()


def test_cli_show_formats_and_plot(reference, tmp_path):
    from prospect.cli import app

    ref_dir, ref = reference
    runner = CliRunner()
    res = runner.invoke(app, ["survey", "show", str(ref_dir), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == int(ref["feasible"].sum())
    png = tmp_path / "counts.png"
    res = runner.invoke(app, ["survey", "show", str(ref_dir), "--max-dv", "8", "--plot", str(png)])
    assert res.exit_code == 0, res.output
    assert png.stat().st_size > 10_000
    res = runner.invoke(app, ["survey", "show", str(tmp_path / "nothing")])
    assert res.exit_code == 1


def test_worker_memory_within_the_stated_bound(sample200):
    """The peak traced allocation of one chunk stays under SurveyPlan.worker_bound_bytes."""
    from prospect.scan.roundtrip import nhats_spec
    from prospect.survey._chunk import survey_chunk
    from prospect.survey._plan import make_plan

    plan = make_plan(nhats_spec("nhats-human"), round_trip=True, start="2028-01-01",
                     end="2028-12-31", ephemeris="two-body", step_days=5.0)  # fmt: skip
    rows = sample200.head(16)
    survey_chunk(rows.head(2), plan)  # numba compilation outside the measurement
    tracemalloc.start()
    try:
        survey_chunk(rows, plan)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    bound = plan.worker_bound_bytes(len(rows))
    print(f"peak {peak / 2**20:.1f} MiB, bound {bound / 2**20:.1f} MiB")
    assert peak <= bound, (peak, bound)
    assert peak > bound / 20  # the bound is not vacuous


PROFILE = """
[crew-300]
label = "A company's crewed round trip: its own limits"
target = "nea"
launch_mode = "c3"

[crew-300.limits]
round_trip = true
max_duration_days = 300.0
min_stay_days = 16.0
max_c3_km2_s2 = 40.0
max_total_dv_km_s = 9.0
max_entry_speed_km_s = 11.5
"""


def test_cli_profile_file_limits_hold(sample200, tmp_path):
    """--profile FILE: every reported trajectory meets the file's limits (dates, C3,
    stay, duration, entry speed after its burn, total delta-v)."""
    from prospect.catalog.fast import write_fast
    from prospect.cli import app

    prof = tmp_path / "crew.toml"
    prof.write_text(PROFILE)
    small = tmp_path / "cat40.parquet"
    write_fast(sample200.head(40), small)  # the accessible objects come first
    out = tmp_path / "p"
    args = _cli_args(small, out, 20)
    i = args.index("--mission")
    args[i : i + 2] = ["--profile", str(prof)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    df = read_results(out)
    feas = df[df["feasible"]]
    assert len(feas) >= 1
    for kind in ("min_dv", "min_dur"):
        assert (feas[f"{kind}_dv_total_km_s"] <= 9.0 + 1e-9).all()
        assert (feas[f"{kind}_duration_days"] <= 300).all()
        assert (feas[f"{kind}_stay_days"] >= 16).all()
        assert (feas[f"{kind}_c3_km2_s2"] <= 40.0 + 1e-9).all()
        after_burn = feas[f"{kind}_entry_speed_km_s"] - feas[f"{kind}_dv_entry_km_s"]
        assert (after_burn <= 11.5 + 1e-9).all()
    assert read_manifest(out)["mission"] == "crew-300"


def _edit_keeping_seal(path, fn) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    new = pa.Table.from_pandas(fn(table.to_pandas()), preserve_index=False)
    pq.write_table(new.replace_schema_metadata(table.schema.metadata), path)


def _halve_dv(df):
    return df.assign(min_dv_dv_km_s=df["min_dv_dv_km_s"] / 2)


def test_tampered_chunks_are_recomputed_and_show_skips_them(reference, sample200, tmp_path, caplog):
    """Issue 13: a survey chunk edited (values halved, seal kept), another truncated, and
    the results file edited: resume discards and recomputes the chunks (one line each)
    and equals the uninterrupted survey; show never uses an edited file."""
    import shutil

    ref_dir, ref = reference
    out = tmp_path / "copy"
    shutil.copytree(ref_dir, out)
    key = read_manifest(out)["key"]
    chunk = sorted((out / "chunks").glob("part-*.parquet"))
    _edit_keeping_seal(chunk[0], _halve_dv)  # holds the NHATS-accessible ones
    chunk[5].write_bytes(chunk[5].read_bytes()[:-200])
    results = out / f"results-{key[:16]}.parquet"
    _edit_keeping_seal(results, _halve_dv)
    with caplog.at_level("WARNING", logger="prospect.cache"):
        shown = read_results(out)  # show: reads the chunks instead, skips the bad ones
    assert len(caplog.messages) == 3 and all(m.count("\n") == 0 for m in caplog.messages)
    assert [str(results), str(chunk[0]), str(chunk[5])] == [
        m.split("cache entry ")[1].split(": ")[0] for m in caplog.messages
    ]
    assert not shown.attrs["complete"] and len(shown) == len(ref) - 2 * CHUNK
    assert chunk[0].exists() and results.exists()  # a reader never removes
    caplog.clear()
    with caplog.at_level("WARNING", logger="prospect.cache"):
        df = survey("nhats-human", output=out, catalog=sample200, chunk_size=CHUNK, workers=0,
                    resume=True, **SURVEY_ARGS)  # fmt: skip
    assert df.attrs["stats"]["computed_chunks"] == 2
    assert len(caplog.messages) == 2
    assert_same_rows(df, ref)
    assert_same_rows(read_results(out), ref)
