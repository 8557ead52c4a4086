"""The shipped catalog: its fast form cannot drift from the MPC file it is made from."""

from __future__ import annotations

import doctest
import hashlib
import importlib
import os
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from prospect._resources import catalog_dir, catalog_path
from prospect.catalog import (
    NEA_COLUMNS,
    SHIPPED_FAST,
    SHIPPED_JSON,
    find_target,
    load_neas,
    parse_bytes,
)
from prospect.catalog.fast import read_fast, source_digest
from prospect.catalog.physical import PHYSICAL_FILE, diameter_measured
from prospect.core.constants import GM_SUN_KM3_S2

#: Record count of the MPC NEA extended file shipped (shared/data/README.md).
SHIPPED_COUNT = 40_874

REPO = Path(__file__).resolve().parents[2]
# as tests/conftest.py::shared_file (not imported: two conftest modules share the name)
SHARED = Path(os.environ.get("PROSPECT_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="module")
def fresh():
    """A fresh conversion of the shipped JSON (what scripts/build_nea_catalog.py does)."""
    return parse_bytes(catalog_path(SHIPPED_JSON).read_bytes(), path=SHIPPED_JSON)


def test_fast_file_equals_fresh_conversion_of_the_json(fresh):
    fast = read_fast(catalog_path(SHIPPED_FAST))
    pd.testing.assert_frame_equal(fast, fresh, check_exact=True)
    strip = {"path", "active"}
    assert {k: v for k, v in fast.attrs.items() if k not in strip} == {
        k: v for k, v in fresh.attrs.items() if k not in strip
    }, "catalogs/mpc_nea.parquet is stale: run scripts/build_nea_catalog.py"


def test_fast_file_was_made_from_the_shipped_json():
    meta_digest = read_fast(catalog_path(SHIPPED_FAST)).attrs["source_digest"]
    assert meta_digest == source_digest(catalog_path(SHIPPED_JSON).read_bytes())


def test_shipped_json_is_the_shared_snapshot():
    shared = SHARED / "data/mpc_nea_extended.json.gz"
    if not shared.is_file():
        pytest.skip(f"reference file {shared} is absent (set PROSPECT_SHARED)")
    digest = hashlib.sha256(shared.read_bytes()).hexdigest()
    assert hashlib.sha256(catalog_path(SHIPPED_JSON).read_bytes()).hexdigest() == digest


def test_default_catalog(own_cache):
    df = load_neas()
    assert len(df) == SHIPPED_COUNT
    assert list(df.columns) == list(NEA_COLUMNS)
    a = df.attrs
    assert a["active"] == "shipped"
    assert a["path"] == str(catalog_path(SHIPPED_FAST))
    assert a["gm_km3_s2"] == GM_SUN_KM3_S2
    assert a["source"] == "MPC extended JSON" and "Minor Planet Center" in a["attribution"]
    assert a["epoch_jd_tt"] == 2461000.5  # shared/data/README.md: almost all at JD 2461000.5
    assert "40,813 of 40,874" in a["epoch_summary"]
    assert a["skipped"] == []


def test_shipped_table_content(own_cache):
    df = load_neas()
    assert df["designation"].is_unique and df["packed"].is_unique and df["label"].is_unique
    assert df["number"].notna().sum() == 3673
    assert df["name"].notna().sum() == 182
    assert df["pha"].sum() == 2529
    assert df["orbit_class"].value_counts().to_dict() == {
        "Apollo": 21029,
        "Amor": 16487,
        "Aten": 3273,
        "Atira": 82,
        "Distant Object": 3,
    }
    assert ((df["e"] >= 0) & (df["e"] < 1)).all() and (df["a_au"] > 0).all()
    # two records lack H (shared/data/README.md) and nine give the MPC's H = 99.99
    # placeholder (2010 NEOWISE discoveries with 1-3 day arcs, no visual magnitude)
    assert df["h_mag"].isna().sum() == 2 + 9
    # ... all without a diameter but 2010 MY112 (0.372 km from SBDB, NEOWISE)
    assert (df["diameter_source"] == "unknown").sum() == 2 + 8
    assert (df["diameter_km"] > 1e-5).sum() == len(df) - 10  # no 3.7e-17 km from H 99.99
    # the MPC file has no physical data: every measured value is joined from
    # catalogs/nea_physical.csv, whose README counts 2,976 albedos (SBDB 1,202,
    # SpitzerNEOs 1,774), 2,999 diameters and 1,166 Mahlke classes among these NEAs
    src = df["albedo_source"]
    assert (src == "SBDB").sum() == 1202 and src.str.startswith("SpitzerNEOs").sum() == 1774
    assert diameter_measured(df["diameter_source"]).sum() == 2999
    assert df["spec_mahlke"].notna().sum() == 1166
    est = (df["albedo_source"] == "NEO average").to_numpy()
    # H = 17.85 <-> 1 km at the population albedo: count of >= 1 km objects matches H <= 17.85
    assert ((df["diameter_km"] >= 1.0) == (df["h_mag"] <= 17.85))[est].all()


def test_eros_has_its_measured_diameter(own_cache):
    """Eros: 16.84 km in JPL SBDB (NEAR Shoemaker shape model; Veverka et al. 2000 give a
    mean diameter of 16.8 km), not the 31.2 km H = 10.38 gives at the population albedo."""
    df = load_neas()
    eros = df.loc[find_target(df, "Eros")]
    assert eros["diameter_km"] == pytest.approx(16.8, abs=0.05)
    assert eros["diameter_source"] == "SBDB (tri-axial extent given: shape model)"
    assert eros["albedo"] == 0.25 and eros["albedo_source"] == "SBDB"
    assert eros["diameter_min_km"] == eros["diameter_max_km"] == eros["diameter_km"]


def test_unknown_albedo_gives_the_nhats_diameter_range(own_cache):
    """2000 SG344 (H 24.7, no measured albedo): the range for pV 0.25-0.05 as NHATS shows
    it.  By hand, D = 1329 km / sqrt(pV) * 10**(-24.7 / 5) (Pravec & Harris 2007, eq. 1):
    10**-4.94 = 1.1482e-5, so 30.52 m at pV 0.25 and 68.24 m at pV 0.05."""
    df = load_neas()
    row = df.loc[find_target(df, "2000 SG344")]
    assert row["albedo_source"] == "NEO average"
    assert 1000 * row["diameter_min_km"] == pytest.approx(30.52, abs=0.01)
    assert 1000 * row["diameter_max_km"] == pytest.approx(68.24, abs=0.01)


def test_catalog_readme_lists_the_nea_files():
    readme = (catalog_dir() / "README.md").read_text()
    for name in (SHIPPED_JSON, SHIPPED_FAST, PHYSICAL_FILE):
        assert (catalog_dir() / name).is_file()
        assert f"| `{name}` |" in readme, f"catalogs/README.md has no provenance row for {name}"


def test_wheel_ships_the_catalogs():
    conf = tomllib.loads((REPO / "pyproject.toml").read_text())
    force = conf["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force.get("catalogs") == "prospect/catalogs"


@pytest.mark.parametrize(
    "module",
    [
        "prospect.catalog",
        "prospect.catalog.designations",
        "prospect.catalog.physical",
        "prospect.catalog.taxonomy",
        "prospect.catalog.schema",
        "prospect.catalog.mpc",
        "prospect.catalog.mpcorb",
        "prospect.catalog.sbdb",
        "prospect.catalog.fast",
        "prospect.catalog.update",
    ],
)
def test_docstring_examples_run(module, own_cache):
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_epoch_outliers_are_real_mpc_epochs(own_cache):
    """The 61 records off the main epoch keep their own epoch (not forced to the mode)."""
    df = load_neas()
    off = df[df["epoch_jd_tt"] != 2461000.5]
    assert len(off) == 61
    assert np.all(off["epoch_jd_tt"] % 1 == 0.5)  # 0h TT dates, as MPC epochs are
    assert Path(df.attrs["path"]).name == SHIPPED_FAST


def test_shipped_fast_file_is_sealed_and_an_unsealed_one_is_refused(
    tmp_path, own_cache, monkeypatch
):
    """The shipped Parquet carries the seal every file prospect writes carries (digest of
    content and attrs, schema) and is read with it required: a copy without one (edited
    with pandas, or damaged) is refused, not trusted because it is package data.  A user's
    unsealed Parquet is still read, on the range checks alone (audit-3)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from prospect import _resources
    from prospect._cache import SEAL_KEY
    from prospect.errors import CatalogFormatError

    shipped = catalog_path(SHIPPED_FAST)
    assert SEAL_KEY.encode() in (pq.read_schema(shipped).metadata or {})
    table = pq.read_table(shipped)
    meta = {k: v for k, v in table.schema.metadata.items() if k != SEAL_KEY.encode()}
    bare = tmp_path / "catalogs" / SHIPPED_FAST
    bare.parent.mkdir()
    pq.write_table(table.replace_schema_metadata(meta), bare)
    assert len(read_fast(bare)) == SHIPPED_COUNT  # a user's file: range checks only
    with pytest.raises(CatalogFormatError, match="carries no seal"):
        read_fast(bare, require_seal=True)
    monkeypatch.setattr(_resources, "catalog_path", lambda name: bare.parent / name)
    with pytest.raises(CatalogFormatError, match="carries no seal"):
        load_neas()  # the active catalog, here the unsealed 'shipped' copy
    edited = table.to_pandas()
    edited.loc[0, "e"] = 0.9  # inside every range: only the seal can tell
    meta_pd = table.schema.metadata
    pq.write_table(
        pa.Table.from_pandas(edited, preserve_index=False).replace_schema_metadata(meta_pd), bare
    )
    with pytest.raises(CatalogFormatError, match=r"do not match|digest"):
        load_neas()
