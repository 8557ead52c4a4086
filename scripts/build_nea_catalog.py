#!/usr/bin/env python3
"""Build the fast form of the shipped NEA catalog.

Reads ``catalogs/mpc_nea_extended.json.gz`` (the MPC's NEA extended file, see
``catalogs/README.md``), joins the measured physical data of
``catalogs/nea_physical.csv`` to it (:func:`prospect.catalog.physical.join_physical`)
and writes ``catalogs/mpc_nea.parquet``, the table
:func:`prospect.catalog.load_neas` returns by default.  The output depends only
on those two files and on prospect's parser (no time stamps), and
``tests/catalog/test_shipped.py`` checks it equals a fresh conversion, so run
this script whenever any of them changes::

    python scripts/build_nea_catalog.py            # rebuild
    python scripts/build_nea_catalog.py --check    # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from prospect.catalog import SHIPPED_FAST, SHIPPED_JSON, parse_bytes  # noqa: E402
from prospect.catalog.fast import read_fast, write_fast  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogs", type=Path, default=REPO / "catalogs")
    parser.add_argument("--check", action="store_true", help="only compare, do not write")
    args = parser.parse_args(argv)

    src = args.catalogs / SHIPPED_JSON
    dst = args.catalogs / SHIPPED_FAST
    t0 = time.perf_counter()
    df = parse_bytes(src.read_bytes(), path=SHIPPED_JSON)
    t1 = time.perf_counter()
    print(f"parsed {src.name}: {len(df):,} objects in {t1 - t0:.2f} s; {df.attrs['epoch_summary']}")
    if args.check:
        import pandas as pd

        try:
            old = read_fast(dst)
            pd.testing.assert_frame_equal(old, df)
            same_attrs = {k: v for k, v in old.attrs.items() if k != "path"} == {
                k: v for k, v in df.attrs.items() if k != "path"
            }
        except Exception as exc:
            print(f"{dst.name} is stale: {exc}")
            return 1
        if not same_attrs:
            print(f"{dst.name} is stale: metadata differs")
            return 1
        print(f"{dst.name} is up to date")
        return 0
    write_fast(df, dst)
    print(f"wrote {dst} ({dst.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
