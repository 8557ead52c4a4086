"""Every bad file, through the API and the CLI: one CatalogFormatError naming the file
(and the record and field where there is one), one line and exit 1 on the command
line; nothing absurd accepted silently (issue 13, "bad files via CLI and API").

Each case is a file built from a good one (tests/catalog/data, the shipped catalogs)
with one thing wrong.  Cases whose fault is one record of a catalog are also loaded
with ``skip_bad``: that record is dropped and counted, the rest kept.
"""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from prospect import data
from prospect._resources import catalog_path
from prospect.catalog import load_neas
from prospect.catalog.fast import read_fast, write_fast
from prospect.catalog.physical import PHYSICAL_FILE, read_physical
from prospect.cli import app
from prospect.errors import CatalogFormatError

CAT = Path(__file__).resolve().parent / "catalog" / "data"
JSON_RECORDS = json.loads((CAT / "nea_small.json").read_text())
MPCORB = (CAT / "nea_small.txt").read_text().splitlines()
SBDB = (CAT / "sbdb_small.csv").read_text().splitlines()
TOML = {n: catalog_path(n).read_text(encoding="utf-8") for n in ("missions.toml",
        "launchers.toml", "consortia.toml", "resources.toml")}  # fmt: skip
SITES = catalog_path("moon_sites.csv").read_text(encoding="utf-8")
PHYS = catalog_path(PHYSICAL_FILE).read_text(encoding="utf-8").splitlines()[:40]
BASE = read_fast(catalog_path("mpc_nea.parquet")).iloc[:12].reset_index(drop=True)

runner = CliRunner()

#: kind -> (API loader, CLI arguments before the path or None where no command reads it).
KINDS = {
    "catalog": (lambda p: load_neas(p), ["catalog", "info", "--catalog"]),
    "missions": (lambda p: data.load_missions(p), ["missions", "--profile"]),
    "launchers": (lambda p: data.load_launchers(p), ["launchers", "--file"]),
    "consortia": (lambda p: data.load_consortia(p), ["consortia", "--file"]),
    "resources": (lambda p: data.load_resources(p), None),
    "sites": (lambda p: data.load_moon_sites(p), ["sites", "--file"]),
    "physical": (lambda p: read_physical(p), None),
}


def _json(index: int, key: str, value, *, raw: str | None = None) -> bytes:
    recs = [dict(r) for r in JSON_RECORDS]
    recs[index][key] = value
    text = json.dumps(recs)
    return (text.replace('"@RAW@"', raw) if raw else text).encode()


def _cols(line: str, first: int, text: str) -> str:
    """``line`` with ``text`` written from 1-based column ``first``."""
    return line[: first - 1] + text + line[first - 1 + len(text) :]


def _mpcorb(k: int, first: int, text: str) -> bytes:
    lines = list(MPCORB)
    lines[k] = _cols(lines[k], first, text)
    return ("\n".join(lines) + "\n").encode()


def _sbdb(k: int, col: str, value: str, header=None) -> bytes:
    head = header or SBDB[0]
    names = [c.strip('"') for c in head.split(",")]
    lines = [head, *SBDB[1:]]
    cells = lines[k].split(",")  # the fixture has no comma inside a quoted cell
    assert len(cells) == len(names)
    cells[names.index(col)] = value
    lines[k] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode()


def _parquet(tmp: Path, **changes) -> bytes:
    df = BASE.copy()
    for col, value in changes.items():
        df.loc[3, col] = value
    path = tmp / "src.parquet"
    write_fast(df, path)
    return path.read_bytes()


def _toml(name: str, old: str, new: str) -> bytes:
    text = TOML[name]
    assert old in text, old
    return text.replace(old, new, 1).encode()


def _sites(old: str, new: str, codec: str = "utf-8") -> bytes:
    assert old in SITES, old
    return SITES.replace(old, new, 1).encode(codec)


def _phys(k: int, col: str, value: str) -> bytes:
    tab = pd.read_csv(pd.io.common.StringIO("\n".join(PHYS)), dtype=str, keep_default_na=False)
    tab.loc[k, col] = value
    return tab.to_csv(index=False).encode()


_BOMB = gzip.compress(b"[" + b" " * (8 * 1024**2) + b"]", 9)  # 8 MiB of JSON in ~8 kB

#: (id, kind, file name, builder(tmp) -> bytes, field named or None, skip_bad drops one record)
CASES = [
    # --- MPC JSON: one bad record ------------------------------------------------------
    *[
        (f"json-{key}={value!r}", "catalog", "bad.json", (lambda t, k=key, v=value: _json(2, k, v)),
         key, True)
        for key, value in [
            ("e", 5.0), ("e", -0.1), ("e", 1.0), ("e", math.nan), ("a", -1.0), ("a", 0.0),
            ("a", 1e300), ("a", math.nan), ("a", "x"), ("i", 200.0), ("Node", 1e300),
            ("Epoch", math.nan), ("Epoch", 245.5), ("Epoch", 1e300), ("H", -755.0),
            ("H", -1523.0), ("H", 1e300), ("H", -1e300), ("H", math.inf), ("G", 1e300),
            ("Number", "(9223372036854775808)"), ("Number", "(0)"), ("Number", 10**30),
            ("Num_obs", -5), ("Num_obs", 1e300), ("Arc_years", "0000-9999"), ("U", 12),
            ("PHA_flag", "yes"), ("Principal_desig", ""), ("Other_desigs", 7),
        ]
    ],
    ("json-a=1e999", "catalog", "bad.json", lambda t: _json(2, "a", "@RAW@", raw="1e999"),
     "a", True),
    ("json-Number=2^63", "catalog", "bad.json",
     lambda t: _json(2, "Number", "@RAW@", raw=str(2**63)), "Number", True),
    # --- MPC JSON: the whole file -------------------------------------------------------
    ("json-nested-100k", "catalog", "bad.json", lambda t: b"[" * 100_000 + b"]" * 100_000,
     None, False),
    ("json-binary", "catalog", "bad.json", lambda t: bytes(range(256)) * 8, None, False),
    ("json-empty", "catalog", "bad.json", lambda t: b"", None, False),
    ("json-object", "catalog", "bad.json", lambda t: b"{}", None, False),
    ("json-no-records", "catalog", "bad.json", lambda t: b"[]", None, False),
    ("json-gz-cut", "catalog", "bad.json.gz",
     lambda t: gzip.compress((CAT / "nea_small.json").read_bytes())[:-40], None, False),
    ("json-gz-flipped", "catalog", "bad.json.gz",
     lambda t: (lambda g: g[:200] + bytes([g[200] ^ 0xFF]) + g[201:])(
         gzip.compress((CAT / "nea_small.json").read_bytes())), None, False),
    # --- MPCORB: one bad line -------------------------------------------------------------
    ("mpcorb-e=5", "catalog", "bad.txt", lambda t: _mpcorb(2, 71, "5.0000000"),
     "eccentricity (cols 71-79)", True),
    ("mpcorb-a<0", "catalog", "bad.txt", lambda t: _mpcorb(2, 93, " -1.0000000"),
     "semimajor axis (cols 93-103)", True),
    ("mpcorb-a=1e300", "catalog", "bad.txt", lambda t: _mpcorb(2, 93, "  1.000e300"),
     "semimajor axis (cols 93-103)", True),
    ("mpcorb-H=-755", "catalog", "bad.txt", lambda t: _mpcorb(2, 9, "-755."), "H (cols 9-13)",
     True),
    ("mpcorb-H=nan", "catalog", "bad.txt", lambda t: _mpcorb(2, 9, "  nan"), "H (cols 9-13)",
     True),
    ("mpcorb-arc=0000-9999", "catalog", "bad.txt", lambda t: _mpcorb(2, 128, "0000-9999"),
     "arc (cols 128-136)", True),
    ("mpcorb-epoch", "catalog", "bad.txt", lambda t: _mpcorb(2, 21, "Z25BL"),
     "epoch (cols 21-25)", True),
    ("mpcorb-nul", "catalog", "bad.txt", lambda t: b"\x00".join(m.encode() for m in MPCORB),
     None, False),
    # --- SBDB CSV: one bad row ----------------------------------------------------------
    ("sbdb-a=3e205-tp", "catalog", "bad.csv",
     lambda t: _sbdb(2, "tp", "2460000.5", header=SBDB[0].replace('"ma"', '"tp"')).replace(
         b"1.1260025", b"3e205"), "a", True),
    ("sbdb-data_arc=-500", "catalog", "bad.csv", lambda t: _sbdb(2, "data_arc", "-500"),
     "data_arc", True),
    ("sbdb-diameter=1e300", "catalog", "bad.csv", lambda t: _sbdb(2, "diameter", "1e300"),
     "diameter", True),
    ("sbdb-diameter=0", "catalog", "bad.csv", lambda t: _sbdb(2, "diameter", "0"), "diameter",
     True),
    ("sbdb-albedo=5", "catalog", "bad.csv", lambda t: _sbdb(2, "albedo", "5"), "albedo", True),
    ("sbdb-albedo=0", "catalog", "bad.csv", lambda t: _sbdb(2, "albedo", "0"), "albedo", True),
    ("sbdb-H=-1e300", "catalog", "bad.csv", lambda t: _sbdb(2, "H", "-1e300"), "H", True),
    ("sbdb-pdes-huge", "catalog", "bad.csv", lambda t: _sbdb(2, "pdes", '"' + "9" * 5000 + '"'),
     "pdes", True),
    ("sbdb-e=5", "catalog", "bad.csv", lambda t: _sbdb(2, "e", "5"), "e", True),
    # --- Parquet catalogs ---------------------------------------------------------------
    *[
        (f"parquet-{col}={value!r}", "catalog", "bad.parquet",
         (lambda t, c=col, v=value: _parquet(t, **{c: v})), col, True)
        for col, value in [
            ("e", 5.0), ("e", math.nan), ("a_au", -1.0), ("a_au", math.nan), ("a_au", 1e300),
            ("h_mag", -1e300), ("diameter_km", 1e300), ("diameter_km", math.inf),
            ("diameter_km", 0.0), ("diameter_min_km", 0.0), ("epoch_jd_tt", math.nan),
            ("arc_days", -500.0), ("albedo", 5.0), ("inc_deg", -3.0),
        ]
    ],
    ("parquet-e-as-text", "catalog", "bad.parquet",
     lambda t: _parquet_text(t), "e", False),
    ("parquet-duplicate", "catalog", "bad.parquet",
     lambda t: _parquet(t, designation=BASE.loc[0, "designation"]), "designation", False),
    ("parquet-random", "catalog", "bad.parquet", lambda t: bytes(range(256)) * 40, None, False),
    ("parquet-cut", "catalog", "bad.parquet", lambda t: _parquet(t)[:-100], None, False),
    # --- gzip bomb: refused while unpacking (cap set to 1 MiB by the test) -----------------
    ("gzip-bomb", "catalog", "bomb.json.gz", lambda t: _BOMB, None, False),
    # --- TOML ---------------------------------------------------------------------------
    *[
        (f"{n.split('.')[0]}-{what}", n.split(".")[0], n, (lambda t, b=b: b), None, False)
        for n in TOML
        for what, b in [
            ("binary", bytes(range(256)) * 4),
            ("nested-5000", b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n"),
            ("latin1", ("# \u00e9t\u00e9\n" + TOML[n]).encode("latin-1")),
            ("nul", TOML[n].encode()[:300] + b"\x00" + TOML[n].encode()[300:]),
            ("empty", b""),
            ("not-toml", b"[[[ this is not toml"),
        ]
    ],
    ("consortia-announced=2016-13", "consortia", "consortia.toml",
     lambda t: _toml_announced("2016-13"), "announced", False),
    ("consortia-announced=2028-02-30", "consortia", "consortia.toml",
     lambda t: _toml_announced("2028-02-30"), "announced", False),
    ("missions-announced_year=1066", "missions", "missions.toml",
     lambda t: _toml("missions.toml", "announced_year = { value = 2016",
                     "announced_year = { value = 1066"),
     "announced_year", False),
    ("missions-year=2^70", "missions", "missions.toml",
     lambda t: _toml("missions.toml", "first_launch_year = { value = 2017",
                     f"first_launch_year = {{ value = {2**70}"), "first_launch_year", False),
    ("launchers-price-year=99999", "launchers", "launchers.toml",
     lambda t: _toml("launchers.toml", "year = 20", "year = 9999920"), None, False),
    ("launchers-rideshare-year=1", "launchers", "launchers.toml",
     lambda t: _toml("launchers.toml", "\nyear = 2026", "\nyear = 1"), "year", False),
    # --- Moon-site CSV ------------------------------------------------------------------
    ("sites-latin1", "sites", "sites.csv",
     lambda t: _sites("Peak near", "Pic pr\u00e8s", "latin-1"), None, False),
    ("sites-utf16", "sites", "sites.csv", lambda t: SITES.encode("utf-16"), None, False),
    ("sites-nul", "sites", "sites.csv", lambda t: _sites("S02,", "S\x0002,"), None, False),
    ("sites-lat=91", "sites", "sites.csv", lambda t: _sites("-88.74,", "91,"), "lat_deg", False),
    ("sites-lat=nan", "sites", "sites.csv", lambda t: _sites("-88.74,", "nan,"), "lat_deg",
     False),
    ("sites-lon=inf", "sites", "sites.csv", lambda t: _sites(",124.5,", ",inf,"),
     "lon_deg_east", False),
    ("sites-huge-cell", "sites", "sites.csv",
     lambda t: _sites("Peak near", '"' + "x" * 200_000 + '"'), None, False),
    ("sites-empty", "sites", "sites.csv", lambda t: b"", None, False),
    ("sites-header-only", "sites", "sites.csv", lambda t: SITES.split("\n")[0].encode() + b"\n",
     None, False),
    # --- physical-properties table ------------------------------------------------------
    ("physical-albedo=5", "physical", "phys.csv", lambda t: _phys(3, "albedo", "5"), "albedo",
     False),
    ("physical-albedo=0", "physical", "phys.csv", lambda t: _phys(3, "albedo", "0"), "albedo",
     False),
    ("physical-diameter=1e300", "physical", "phys.csv",
     lambda t: _phys(3, "diameter_km", "1e300"), "diameter_km", False),
    ("physical-diameter=0", "physical", "phys.csv", lambda t: _phys(3, "diameter_km", "0"),
     "diameter_km", False),
    ("physical-number=9e18", "physical", "phys.csv",
     lambda t: _phys(3, "number", "9223372036854775808"), "number", False),
    ("physical-latin1", "physical", "phys.csv",
     lambda t: ("\n".join(PHYS) + "\n").replace("A898 PA", "\u00c4898 PA").encode("latin-1"), None,
     False),
    ("physical-no-column", "physical", "phys.csv",
     lambda t: ("\n".join(PHYS) + "\n").replace("albedo,", "albedo_x,", 1).encode(), None, False),
    ("physical-binary", "physical", "phys.csv", lambda t: bytes(range(256)) * 8, None, False),
]  # fmt: skip


def _parquet_text(tmp: Path) -> bytes:
    df = BASE.copy()
    df["e"] = df["e"].astype(str)
    path = tmp / "src.parquet"
    write_fast(df, path)
    return path.read_bytes()


def _toml_announced(value: str) -> bytes:
    import re

    text = TOML["consortia.toml"]
    m = re.search(r'^announced = "[^"]*"', text, re.MULTILINE)
    return (text[: m.start()] + f'announced = "{value}"' + text[m.end() :]).encode()


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PROSPECT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PROSPECT_MAX_UNPACKED_BYTES", str(1024**2))


@pytest.mark.parametrize(
    ("kind", "name", "build", "field", "skippable"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_bad_file_api_and_cli(tmp_path, own_cache, kind, name, build, field, skippable):
    path = tmp_path / name
    path.write_bytes(build(tmp_path))
    loader, cli = KINDS[kind]
    with pytest.raises(CatalogFormatError) as info:
        loader(path)
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(str(path)), msg
    if field is not None:
        assert info.value.field == field, msg
    if cli is not None:
        res = runner.invoke(app, [*cli, str(path)])
        lines = res.stderr.strip().splitlines()
        assert res.exit_code == 1 and len(lines) == 1, res.output
        assert lines[0].startswith("Error: ") and str(path) in lines[0], lines[0]
    if skippable:
        df = load_neas(path, skip_bad=True)
        assert df.attrs["n_skipped"] == 1 and str(path) in df.attrs["skipped"][0]
        assert len(df) >= 1


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("utf16.json", json.dumps(JSON_RECORDS).encode("utf-16")),  # JSON allows UTF-16/32
        ("bom.json", b"\xef\xbb\xbf" + json.dumps(JSON_RECORDS).encode()),
        ("latin1.txt", ("\n".join(MPCORB) + "\n").replace("Eros ", "\u00c9ros").encode("latin-1")),
        ("crlf.csv", "\r\n".join(SBDB).encode()),
    ],
)
def test_good_catalog_in_another_encoding_gives_the_same_orbits(tmp_path, own_cache, name, raw):
    path = tmp_path / name
    path.write_bytes(raw)
    df = load_neas(path)
    ref = load_neas(CAT / {"json": "nea_small.json", "txt": "nea_small.txt", "csv":
                           "sbdb_small.csv"}[name.rsplit(".", 1)[1]])  # fmt: skip
    pd.testing.assert_frame_equal(
        df[["a_au", "e", "epoch_jd_tt"]], ref[["a_au", "e", "epoch_jd_tt"]]
    )
