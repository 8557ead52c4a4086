"""The three catalog formats give one table; every bad input gives a one-line error.

The fixtures (data/README.md) hold the same MPC records as JSON, as MPC
one-line orbits written column by column per the MPC's "Export Format for
Minor-Planet Orbits", and (for eight of them) in the JPL SBDB CSV layout.
"""

from __future__ import annotations

import gzip
import json
import math

import numpy as np
import pandas as pd
import pytest

from prospect.catalog import NEA_COLUMNS, load_neas
from prospect.catalog.schema import orbit_class_from_elements
from prospect.core.constants import GAUSS_K, GM_SUN_KM3_S2
from prospect.errors import CatalogFormatError

ELEMENTS = ["a_au", "e", "inc_deg", "raan_deg", "argp_deg", "ma_deg", "epoch_jd_tt"]
SHARED = [*ELEMENTS, "h_mag", "g_slope", "u_param", "orbit_class", "pha", "number", "name"]


@pytest.fixture
def json_df(data_dir, own_cache):
    return load_neas(data_dir / "nea_small.json")


def _records(data_dir):
    return json.loads((data_dir / "nea_small.json").read_text())


def _lines(data_dir):
    return (data_dir / "nea_small.txt").read_text().splitlines()


# ------------------------------------------------------------------ good files
@pytest.mark.parametrize(
    "name", ["nea_small.json", "nea_small.txt", "mpcorb_small.dat", "sbdb_small.csv"]
)
def test_every_format_gives_the_nea_table(data_dir, own_cache, name):
    df = load_neas(data_dir / name)
    assert list(df.columns) == list(NEA_COLUMNS)
    assert {c: str(t) for c, t in df.dtypes.items()} == NEA_COLUMNS
    assert df.attrs["gm_km3_s2"] == GM_SUN_KM3_S2
    assert df.attrs["path"] == str(data_dir / name)
    assert df.attrs["skipped"] == [] and df.attrs["n_skipped"] == 0
    for key in ("source", "attribution", "epoch_jd_tt", "epoch_summary", "format", "frame"):
        assert df.attrs[key]
    assert df["designation"].notna().all() and df["label"].notna().all()
    assert df["packed"].notna().all()
    assert df["designation"].is_unique
    assert df.index.equals(pd.RangeIndex(len(df)))


def test_labels_names_numbers_packed(json_df):
    by_label = json_df.set_index("label")
    assert by_label.loc["433 Eros", "number"] == 433
    assert by_label.loc["433 Eros", "designation"] == "A898 PA"
    assert by_label.loc["433 Eros", "packed"] == "00433"
    assert by_label.loc["433 Eros", "other_designations"] == "1956 PC"
    assert by_label.loc["101955 Bennu", "packed"] == "A1955"
    assert by_label.loc["2000 SG344", "packed"] == "K00SY4G"
    assert pd.isna(by_label.loc["2000 SG344", "number"])
    assert pd.isna(by_label.loc["2000 SG344", "name"])
    assert by_label.loc["(620000) 2019 YS4", "packed"] == "~0000"
    assert by_label.loc["(341843) 2008 EV5", "designation"] == "2008 EV5"


def test_mpc_json_fields(json_df):
    eros = json_df.iloc[0]
    assert eros["a_au"] == 1.458121 and eros["e"] == 0.222836
    assert eros["epoch_jd_tt"] == 2461000.5
    assert eros["n_obs"] == 16951 and eros["n_opp"] == 59
    assert eros["arc_days"] == (2026 - 1893) * 365.25
    one_opp = json_df.set_index("designation").loc["2010 LF64"]
    assert one_opp["arc_days"] == 3 and math.isnan(one_opp["h_mag"])
    u_e = json_df.set_index("designation").loc["2000 VZ44"]
    assert math.isnan(u_e["u_param"])  # U = 'E': eccentricity assumed


def test_pha_and_classes_follow_the_mpc_flags(json_df, data_dir):
    recs = _records(data_dir)
    assert json_df["pha"].tolist() == [r.get("PHA_flag") == 1 for r in recs]
    assert json_df["orbit_class"].tolist() == [r["Orbit_type"] for r in recs]


def test_mpcorb_lines_equal_the_json_records(data_dir, own_cache, json_df):
    """Two MPC formats of the same orbits: every shared field agrees exactly (the
    fixed-width fields hold all the digits the MPC's JSON gives)."""
    txt = load_neas(data_dir / "nea_small.txt")
    pd.testing.assert_frame_equal(txt[SHARED], json_df[SHARED])
    for col in ("n_obs", "n_opp", "arc_days", "packed", "label", "albedo", "diameter_km"):
        pd.testing.assert_series_equal(txt[col], json_df[col])
    # MPCORB names numbered objects without their provisional designation
    assert txt.loc[0, "designation"] == "433" and txt.loc[3, "designation"] == "2000 SG344"
    assert txt.attrs["pha_known"]


def test_mpcorb_header_is_skipped(data_dir, own_cache):
    dat = load_neas(data_dir / "mpcorb_small.dat")
    txt = load_neas(data_dir / "nea_small.txt")
    pd.testing.assert_frame_equal(dat, txt)


def test_mpcorb_columns_as_the_mpc_spec_says(data_dir):
    """Spot checks of the fixture against MPOrbitFormat.html (1-based columns)."""
    line = _lines(data_dir)[0]
    assert line[0:7] == "00433  "  # 1-7 packed number
    assert line[20:25] == "K25BL"  # 21-25 packed epoch = 2025-11-21
    assert line[26:35] == "310.55432"  # 27-35 M
    assert line[70:79] == "0.2228360"  # 71-79 e
    assert line[92:103] == "  1.4581210"  # 93-103 a
    assert line[161:165] == "1804"  # 162-165 hex flags: 4 = Amor
    assert line[166:194].rstrip() == "(433) Eros"  # 167-194 readable designation
    assert line[194:202] == "20260210"  # 195-202 last observation
    assert len(line) == 202


def test_sbdb_csv(data_dir, own_cache, json_df):
    sb = load_neas(data_dir / "sbdb_small.csv")
    n = len(sb)
    assert n == 8
    ref = json_df.iloc[:n]
    pd.testing.assert_frame_equal(sb[ELEMENTS], ref[ELEMENTS])
    assert sb["designation"].tolist() == ref["designation"].tolist()
    assert sb["label"].tolist() == ref["label"].tolist()
    assert sb["orbit_class"].tolist() == ref["orbit_class"].tolist()
    assert sb["pha"].tolist() == ref["pha"].tolist()
    assert sb["u_param"].tolist() == ref["u_param"].tolist()
    bennu = sb.set_index("label").loc["101955 Bennu"]
    assert (bennu["diameter_km"], bennu["albedo"]) == (0.490, 0.044)
    assert bennu["albedo_source"] == "catalog" and bennu["diameter_source"] == "catalog"
    assert (bennu["spec_b"], bennu["spec_t"]) == ("B", "F")
    ryugu = sb.set_index("label").loc["162173 Ryugu"]
    # the file gives Ryugu's diameter only; the albedo is joined from the shipped
    # physical table (JPL SBDB 2026: pV 0.045)
    assert ryugu["diameter_source"] == "catalog" and ryugu["diameter_km"] == 0.896
    assert ryugu["albedo_source"] == "SBDB" and ryugu["albedo"] == 0.045
    assert ryugu["spec_mahlke"] == "C" and "spec_mahlke: Mahlke2022" in ryugu["spec_source"]
    itokawa = sb.set_index("label").loc["25143 Itokawa"]
    # the file has no size for Itokawa: the physical table's measured values are joined
    assert itokawa["albedo"] == 0.496 and itokawa["albedo_source"] == "SpitzerNEOs (ExploreNEOs)"
    assert itokawa["diameter_km"] == 0.33 and itokawa["diameter_source"].startswith("SBDB")
    assert itokawa["spec_b"] == "S" and itokawa["spec_source"].startswith("spec_b: catalog")
    assert "TDB" in sb.attrs["time_scale"]


def _csv(tmp_path, header, *rows, name="x.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_sbdb_q_and_tp_instead_of_a_and_ma(tmp_path, own_cache, data_dir):
    """a = q / (1 - e) and M = n (t - tp), n = k a^-1.5, reproduce the MPC's a and M for
    Eros from its q and Tp (rounded to 1e-7 au and 1e-4 d in the MPC file)."""
    eros = _records(data_dir)[0]
    path = _csv(
        tmp_path,
        "pdes,name,q,e,i,om,w,tp,epoch_mjd,H",
        f"433,Eros,{eros['Perihelion_dist']},{eros['e']},{eros['i']},{eros['Node']},"
        f"{eros['Peri']},{eros['Tp']},{eros['Epoch'] - 2400000.5},{eros['H']}",
    )
    df = load_neas(path)
    row = df.iloc[0]
    assert row["epoch_jd_tt"] == eros["Epoch"]
    assert row["a_au"] == pytest.approx(eros["a"], abs=2e-7)  # q rounded to 1e-7 au
    # Tp rounded to 1e-4 d -> 0.56 deg/d * 5e-5 d = 3e-5 deg
    assert row["ma_deg"] == pytest.approx(eros["M"], abs=1e-4)
    assert math.degrees(GAUSS_K / eros["a"] ** 1.5) == pytest.approx(eros["n"], rel=1e-6)
    assert row["orbit_class"] == "Amor"  # derived: no class column
    assert row["designation"] == "433" and row["label"] == "433 Eros"
    assert not df.attrs["pha_known"]


def test_gzip_and_detection_by_content(data_dir, tmp_path, own_cache, json_df):
    for name in ("nea_small.json", "nea_small.txt", "sbdb_small.csv"):
        raw = (data_dir / name).read_bytes()
        gz = tmp_path / (name + ".gz")
        gz.write_bytes(gzip.compress(raw))
        odd = tmp_path / (name.replace(".", "_") + ".bin")  # no telling extension
        odd.write_bytes(raw)
        plain = load_neas(data_dir / name)
        pd.testing.assert_frame_equal(load_neas(gz), plain)
        pd.testing.assert_frame_equal(load_neas(odd), plain)


def test_mpc_rule_reproduces_mpc_classes(json_df):
    """The MPC's Orbit_type follows 1.0-au boundaries; the CNEOS rule differs only
    for orbits with q or Q between 0.983 and 1.017 au (e.g. Didymos, q = 1.013)."""
    mpc = orbit_class_from_elements(json_df["a_au"], json_df["e"], rule="mpc")
    cneos = orbit_class_from_elements(json_df["a_au"], json_df["e"])
    given = json_df["orbit_class"].to_numpy()
    neo = np.isin(given, ["Atira", "Aten", "Apollo", "Amor"])
    assert (mpc[neo] == given[neo]).all()
    q = json_df["a_au"] * (1 - json_df["e"])
    big_q = json_df["a_au"] * (1 + json_df["e"])
    band = (((q > 0.983) & (q < 1.017)) | ((big_q > 0.983) & (big_q < 1.017))).to_numpy()
    assert (cneos[neo & ~band] == given[neo & ~band]).all()
    didymos = json_df.index[json_df["label"] == "65803 Didymos"][0]
    assert (given[didymos], cneos[didymos]) == ("Amor", "Apollo")
    with pytest.raises(ValueError):
        orbit_class_from_elements(1.0, 0.1, rule="jpl")


def test_orbit_class_boundaries():
    # CNEOS: Atira a<1, Q<0.983; Aten a<1, Q>0.983; Apollo a>1, q<1.017; Amor 1.017<q<1.3
    a = np.array([0.8, 0.9, 1.0, 1.2, 1.2, 2.0, 2.0])
    e = np.array([0.2, 0.1, 0.0, 0.2, 0.1, 0.4, 0.3])
    # Q: 0.96, 0.99; q: 1.0, 0.96, 1.08, 1.2, 1.4
    assert orbit_class_from_elements(a, e).tolist() == [
        "Atira",
        "Aten",
        "Apollo",
        "Apollo",
        "Amor",
        "Amor",
        "non-NEO",
    ]


# ------------------------------------------------------------------ bad files
def _json_file(tmp_path, recs, name="bad.json"):
    path = tmp_path / name
    path.write_text(json.dumps(recs))
    return path


def _assert_one_line(exc, path, *, record=None, field=None, text=None):
    msg = str(exc)
    assert "\n" not in msg
    assert exc.path == str(path) and msg.startswith(str(path))
    if record is not None:
        assert exc.record == record
    if field is not None:
        assert exc.field == field and f"field '{field}'" in msg
    if text is not None:
        assert text in msg


@pytest.mark.parametrize(
    ("index", "key", "value", "field", "text"),
    [
        (1, "a", "abc", "a", "'abc' is not a number"),
        (1, "a", -1.0, "a", "semimajor axis (au) -1 is outside (0, 100000]"),
        (1, "a", None, "a", "missing value"),
        (2, "e", 1.2, "e", "eccentricity 1.2 is outside [0, 1)"),
        (2, "e", -0.1, "e", "eccentricity -0.1 is outside [0, 1)"),
        (0, "i", 200.0, "i", "inclination (deg) 200 is outside [0, 180]"),
        (0, "i", True, "i", "expected a number, got bool"),
        (3, "M", float("nan"), "M", "not a finite number"),
        (3, "Epoch", 245.5, "Epoch", "(years 1800-2200)"),
        (4, "Number", "(abc)", "Number", "not a minor-planet number"),
        (4, "Num_obs", 1.5, "Num_obs", "not a non-negative whole number"),
        (4, "PHA_flag", "yes", "PHA_flag", "not a flag"),
        (5, "Arc_years", "2020-2010", "Arc_years", "not a year span"),
        (5, "Principal_desig", "", "Principal_desig", "empty value"),
        (5, "Principal_desig", 42, "Principal_desig", "expected text"),
        (6, "Other_desigs", "1999 XX", "Other_desigs", "list of designations"),
    ],
)
def test_bad_json_records_name_record_and_field(
    tmp_path, data_dir, own_cache, index, key, value, field, text
):
    recs = _records(data_dir)
    if value is None:
        del recs[index][key]
    else:
        recs[index][key] = value
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(recs))  # Python's json writes and reads NaN
    with pytest.raises(CatalogFormatError) as info:
        load_neas(path)
    exc = info.value
    _assert_one_line(exc, path, field=field, text=text)
    assert str(exc.record).startswith(f"#{index + 1}")


def test_bad_json_documents(tmp_path, data_dir, own_cache):
    raw = (data_dir / "nea_small.json").read_bytes()
    cases = {
        "truncated.json": (raw[: len(raw) // 2], "invalid JSON at line"),
        "object.json": (b'{"a": 1}', "expected a JSON array"),
        "empty.json": (b"[]", "contains no NEA records"),
        "notobj.json": (b"[1, 2]", "expected a JSON object, got int"),
        "deep.json": (b"[" * 100_000 + b"]" * 100_000, "invalid JSON"),
        "badutf.json": (b'[{"Principal_desig": "\xff\xfe"}]', "invalid JSON"),
    }
    for name, (content, text) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(CatalogFormatError) as info:
            load_neas(path)
        _assert_one_line(info.value, path, text=text)


def test_truncated_and_corrupt_gzip(tmp_path, data_dir, own_cache):
    gz = gzip.compress((data_dir / "nea_small.json").read_bytes())
    path = tmp_path / "cut.json.gz"
    path.write_bytes(gz[: len(gz) // 2])
    with pytest.raises(CatalogFormatError) as info:
        load_neas(path)
    _assert_one_line(info.value, path, text="gzip data is truncated")
    path.write_bytes(gz[:10] + bytes(b ^ 0x55 for b in gz[10:40]) + gz[40:])
    with pytest.raises(CatalogFormatError) as info:
        load_neas(path)
    _assert_one_line(info.value, path, text="gzip")


def test_duplicate_designations(tmp_path, data_dir, own_cache):
    recs = _records(data_dir)
    recs.append(dict(recs[3]))  # 2000 SG344 again
    path = _json_file(tmp_path, recs)
    with pytest.raises(CatalogFormatError) as info:
        load_neas(path)
    _assert_one_line(
        info.value, path, field="designation", text="duplicate designation '2000 SG344'"
    )
    assert "first at record #4" in str(info.value)
    lines = _lines(data_dir)
    txt = tmp_path / "dup.txt"
    txt.write_text("\n".join([*lines, lines[0]]) + "\n")
    with pytest.raises(CatalogFormatError) as info:
        load_neas(txt)
    _assert_one_line(info.value, txt, record=len(lines) + 1, text="(first at line 1)")


def _replace(line: str, start: int, text: str) -> str:
    """Put ``text`` at 1-based column ``start``."""
    return line[: start - 1] + text + line[start - 1 + len(text) :]


@pytest.mark.parametrize(
    ("mutate", "field", "text"),
    [
        (lambda s: s[:90], "line width", "90 columns wide"),
        (lambda s: s + " extra", "line width", "208 columns wide"),
        (lambda s: " " + s[:-1], "column 14", "should be blank"),  # shifted right by one
        (lambda s: _replace(s, 21, "K25ZZ"), "epoch (cols 21-25)", "bad month"),
        (lambda s: _replace(s, 21, "X25BL"), "epoch (cols 21-25)", "century letter"),
        (lambda s: _replace(s, 21, "K25BW"), "epoch (cols 21-25)", "bad day"),
        (lambda s: _replace(s, 1, "??433"), "designation (cols 1-7)", "not a packed"),
        (lambda s: _replace(s, 1, "123    "), "designation (cols 1-7)", "neither a 5-"),
        (lambda s: _replace(s, 71, "1.2000000"), "eccentricity (cols 71-79)", "outside [0, 1)"),
        (lambda s: _replace(s, 93, "    abcdefg"), "semimajor axis (cols 93-103)", "not a number"),
        (lambda s: _replace(s, 93, "          -"), "semimajor axis (cols 93-103)", "not a number"),
        (lambda s: _replace(s, 60, "      nan"), "inclination (cols 60-68)", "not a finite"),
        (lambda s: _replace(s, 118, "  1.5"), "observations (cols 118-122)", "whole number"),
        (lambda s: _replace(s, 128, "sometime "), "arc (cols 128-136)", "neither 'YYYY-YYYY'"),
        (lambda s: _replace(s, 162, "12G4"), "hex flags (cols 162-165)", "not 4 hex digits"),
    ],
)
def test_bad_mpcorb_lines_name_line_and_field(tmp_path, data_dir, own_cache, mutate, field, text):
    lines = _lines(data_dir)
    lines[2] = mutate(lines[2])
    path = tmp_path / "bad.txt"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CatalogFormatError) as info:
        load_neas(path)
    _assert_one_line(info.value, path, record=3, field=field, text=text)


def test_mpcorb_line_numbers_count_the_header(tmp_path, data_dir, own_cache):
    text = (data_dir / "mpcorb_small.dat").read_text().splitlines()
    text[4] = text[4][:50]  # first data line after a 4-line header
    path = tmp_path / "MPCORB.DAT"
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(CatalogFormatError) as info:
        load_neas(path)
    _assert_one_line(info.value, path, record=5, field="line width")


SBDB_HEADER = '"full_name","pdes","a","e","i","om","w","ma","epoch","H","pha","condition_code"'
SBDB_GOOD = '"  433 Eros (A898 PA)","433",1.458121,0.222836,10.82847,304.2701,178.92976,310.55432,2461000.5,10.38,"N","0"'  # noqa: E501


@pytest.mark.parametrize(
    ("header", "row", "record", "field", "text"),
    [
        (SBDB_HEADER.replace(',"e"', ""), SBDB_GOOD, 1, "e", "missing column"),
        (SBDB_HEADER.replace(',"ma"', ""), SBDB_GOOD, 1, "ma", "missing column"),
        (SBDB_HEADER.replace('"i"', '"a"'), SBDB_GOOD, 1, "a", "duplicate column"),
        (SBDB_HEADER, SBDB_GOOD + ",7", 2, "row", "13 fields, the header has 12"),
        (SBDB_HEADER, SBDB_GOOD.replace("0.222836", "1.5"), 2, "e", "outside [0, 1)"),
        (SBDB_HEADER, SBDB_GOOD.replace("1.458121", '"x"'), 2, "a", "not a number"),
        (SBDB_HEADER, SBDB_GOOD.replace("2461000.5", "-5"), 2, "epoch", "(years 1800-2200)"),
        (SBDB_HEADER, SBDB_GOOD.replace('"N"', '"maybe"'), 2, "pha", "not Y or N"),
        (SBDB_HEADER, SBDB_GOOD.replace('"0"', '"E"'), 2, "condition_code", "not a condition"),
        (SBDB_HEADER, SBDB_GOOD.replace('"433"', '"434"'), 2, "pdes", "disagrees"),
        (SBDB_HEADER, SBDB_GOOD.replace('"  433 Eros (A898 PA)","433"', '"",""'), 2, "full_name",
         "no designation"),
        (SBDB_HEADER, SBDB_GOOD.replace("10.38", "1e999"), 2, "H", "not a finite number"),
        (SBDB_HEADER, SBDB_GOOD.replace("10.38", '"²"'), 2, "H", "not a number"),
        (SBDB_HEADER, SBDB_GOOD.replace('"0"', '"²"'), 2, "condition_code", "not a condition"),
    ],
)  # fmt: skip
def test_bad_sbdb_rows_name_line_and_field(tmp_path, own_cache, header, row, record, field, text):
    path = _csv(tmp_path, header, row)
    with pytest.raises(CatalogFormatError) as info:
        load_neas(path)
    _assert_one_line(info.value, path, record=record, field=field, text=text)


def test_unrecognized_file(tmp_path, own_cache):
    path = tmp_path / "notes.bin"
    path.write_text("just some words\nand more\n")
    with pytest.raises(CatalogFormatError) as info:
        load_neas(path)
    _assert_one_line(info.value, path, text="not a recognized NEA catalog")


def test_missing_file_is_oserror(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_neas(tmp_path / "nope.json")


# ------------------------------------------------------------------ skip_bad
def test_skip_bad_reports_which_records(tmp_path, data_dir, own_cache):
    recs = _records(data_dir)
    n = len(recs)
    recs[1]["e"] = 3.0
    recs[4]["a"] = "x"
    recs.append(dict(recs[0]))  # duplicate of Eros
    path = _json_file(tmp_path, recs)
    df = load_neas(path, skip_bad=True)
    assert len(df) == n - 2
    skipped = df.attrs["skipped"]
    assert df.attrs["n_skipped"] == len(skipped) == 3
    assert all("\n" not in s and s.startswith(str(path)) for s in skipped)
    assert "record #2 (1999 RQ36): field 'e'" in skipped[0]
    assert "record #5 (1999 JU3): field 'a'" in skipped[1]
    assert "duplicate designation 'A898 PA'" in skipped[2]
    assert "Bennu" not in df["label"].str.cat()


def test_skip_bad_mpcorb_and_sbdb(tmp_path, data_dir, own_cache):
    lines = _lines(data_dir)
    lines[1] = lines[1][:80]
    lines[5] = _replace(lines[5], 21, "K25ZZ")
    path = tmp_path / "some.txt"
    path.write_text("\n".join(lines) + "\n")
    df = load_neas(path, skip_bad=True)
    assert len(df) == len(lines) - 2
    assert [s.split(": ")[1] for s in df.attrs["skipped"]] == ["line 2", "line 6"]
    csv_path = _csv(tmp_path, SBDB_HEADER, SBDB_GOOD, SBDB_GOOD.replace("0.222836", "2"))
    df = load_neas(csv_path, skip_bad=True)
    assert len(df) == 1 and df.attrs["n_skipped"] == 1 and "line 3" in df.attrs["skipped"][0]


def test_skip_bad_with_nothing_good_left_raises(tmp_path, data_dir, own_cache):
    recs = _records(data_dir)[:2]
    for r in recs:
        r["e"] = 2.0
    path = _json_file(tmp_path, recs)
    with pytest.raises(CatalogFormatError) as info:
        load_neas(path, skip_bad=True)
    _assert_one_line(info.value, path, text="all 2 records are bad; first:")
