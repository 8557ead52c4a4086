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

import pandas as pd

from prospect.catalog.designations import find_target
from prospect.catalog.files import SHIPPED_FAST, SHIPPED_JSON, load_file, parse_bytes
from prospect.catalog.schema import NEA_COLUMNS

__all__ = [
    "NEA_COLUMNS",
    "SHIPPED_FAST",
    "SHIPPED_JSON",
    "find_target",
    "load_neas",
    "parse_bytes",
]


def load_neas(
    path: str | PathLike | None = None, *, skip_bad: bool = False, max_unpacked: int | None = None
) -> pd.DataFrame:
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
    max_unpacked : int, optional
        Cap on the unpacked size of a gzipped file, bytes (default: the environment
        variable ``PROSPECT_MAX_UNPACKED_BYTES``, else 512 MiB); a file that
        unpacks to more is refused while it is being unpacked.

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
    from prospect.catalog._io import unpack_limit

    unpack_limit(max_unpacked)  # a bad cap is refused whatever the file (not only gzip)
    if path is None:
        from prospect.catalog.update import load_active

        return load_active()
    return load_file(path, skip_bad=skip_bad, max_unpacked=max_unpacked)
