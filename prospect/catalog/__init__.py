"""Near-Earth asteroid catalogs: loading, designations, updating.

:func:`load_neas` returns one table shape (see :mod:`prospect.catalog.schema`)
from any of the supported files:

* the MPC's extended JSON (``nea_extended.json[.gz]``; shipped, and what
  ``prospect catalog update`` downloads),
* the MPC's one-line orbit format (``MPCORB.DAT``, ``NEA.txt``, gzipped or not),
* a JPL Small-Body Database CSV export.

Without a path it returns the *active* catalog: the copy installed by
``prospect catalog update`` in the user cache if there is one, else the
catalog shipped with prospect (MPC NEA extended file of JD 2461000.5 TT,
40,874 objects), read from its pre-converted Parquet form in a few
hundredths of a second.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import pandas as pd

from prospect.catalog.designations import find_target
from prospect.catalog.schema import NEA_COLUMNS
from prospect.errors import CatalogFormatError

__all__ = [
    "NEA_COLUMNS",
    "SHIPPED_FAST",
    "SHIPPED_JSON",
    "find_target",
    "load_neas",
    "parse_bytes",
]

#: File names of the shipped catalog (in ``catalogs/``).
SHIPPED_JSON = "mpc_nea_extended.json.gz"
SHIPPED_FAST = "mpc_nea.parquet"


def parse_bytes(
    raw: bytes,
    *,
    path: str | None = None,
    skip_bad: bool = False,
    max_unpacked: int | None = None,
) -> pd.DataFrame:
    """Parse a catalog file's bytes (any supported format, gzipped or not).

    Parameters
    ----------
    raw : bytes
        File contents as stored.
    path : str, optional
        Name used in messages and ``attrs["path"]`` (also a format hint by extension).
    skip_bad : bool
        Skip bad records instead of raising.
    max_unpacked : int, optional
        Refuse gzip data that unpacks to more bytes than this.

    Returns
    -------
    pandas.DataFrame
        The NEA table; ``attrs["source_digest"]`` is the BLAKE2b hash of ``raw``.
    """
    from prospect.catalog._io import decompress, detect_format
    from prospect.catalog.fast import source_digest

    data = decompress(raw, path, max_bytes=max_unpacked)
    fmt = detect_format(data, path or "")
    extra = {
        "source_file": None if path is None else Path(str(path)).name,
        "source_digest": source_digest(raw),
    }
    if fmt == "mpc-json":
        from prospect.catalog.mpc import parse_mpc_json as parse
    elif fmt == "mpcorb":
        from prospect.catalog.mpcorb import parse_mpcorb as parse
    else:
        from prospect.catalog.sbdb import parse_sbdb_csv as parse
    return parse(data, path=path, skip_bad=skip_bad, extra_attrs=extra)


def load_neas(path: str | PathLike | None = None, *, skip_bad: bool = False) -> pd.DataFrame:
    """Load an NEA catalog as a table of osculating elements and physical data.

    Parameters
    ----------
    path : str or PathLike, optional
        A catalog file: MPC extended JSON, MPCORB/NEA.txt, JPL SBDB CSV
        (each possibly gzipped; detected by content, then by extension), or a
        Parquet file written by prospect.  None: the active catalog (the
        updated copy in the user cache if ``prospect catalog update`` installed
        one, else the shipped catalog).
    skip_bad : bool
        Skip bad records instead of raising; ``attrs["skipped"]`` lists them
        (one line each) and ``attrs["n_skipped"]`` counts them.

    Returns
    -------
    pandas.DataFrame
        One row per object, columns :data:`NEA_COLUMNS` (units in the names:
        ``a_au``, ``inc_deg``, ``epoch_jd_tt`` ...).  ``attrs``: ``source``,
        ``attribution``, ``path``, ``gm_km3_s2`` (the Sun's GM the elements
        assume), ``epoch_jd_tt`` (most common epoch), ``epoch_summary``,
        ``skipped``, ``pha_known``, ``format``, ``active`` (for the active
        catalog: "shipped" or "updated").

    Raises
    ------
    prospect.errors.CatalogFormatError
        A file that cannot be read as its format says (names file, line or
        record, and field).
    FileNotFoundError
        If ``path`` does not exist.

    Notes
    -----
    A parsed file is converted once into the user cache (keyed by a hash of
    its bytes), so loading it again takes as long as the shipped catalog.

    Examples
    --------
    >>> neas = load_neas()
    >>> len(neas) > 40_000, neas.attrs["gm_km3_s2"] > 1.3e11
    (True, True)
    >>> neas.loc[find_target(neas, "Bennu"), ["label", "orbit_class"]].tolist()
    ['101955 Bennu', 'Apollo']
    """
    if path is None:
        from prospect.catalog.update import load_active

        return load_active()
    from prospect.catalog import fast
    from prospect.catalog._io import read_raw

    p = Path(path)
    if p.suffix.lower() == ".parquet":
        return fast.read_fast(p)
    raw = read_raw(p)
    key = fast.cache_key(raw, skip_bad=skip_bad)
    try:
        from prospect._resources import user_cache_dir

        cached = fast.cached_path(user_cache_dir(), key)
    except OSError:
        cached = None
    if cached is not None and cached.is_file():
        try:
            df = fast.read_fast(cached)
        except (CatalogFormatError, OSError):
            pass  # stale or damaged cache entry: convert again
        else:
            df.attrs["path"] = str(p)
            _touch(cached)
            return df
    df = parse_bytes(raw, path=str(p), skip_bad=skip_bad)
    if cached is not None:
        try:
            fast.write_fast(df, cached)
            fast.prune_cache(cached.parent)
        except OSError:
            pass  # a read-only cache only costs speed
    return df


def _touch(path: Path) -> None:
    try:
        path.touch()
    except OSError:
        pass
