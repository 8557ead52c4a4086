"""The table :func:`prospect.scan.rank.rank` returns: catalog columns, rank, attrs.

:func:`attach_catalog` joins each scanned row to its catalog record (the
columns of :data:`INFO_COLUMNS` that the catalog has) and its Shoemaker-Helin
value; :func:`finish` numbers the rows, drops the internal TDB-second columns
and records how the table was made in ``attrs``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from prospect.scan.rank.screen import Screened

__all__ = ["INFO_COLUMNS", "attach_catalog", "finish"]

#: Catalog columns carried into the ranking, in this order.
INFO_COLUMNS = (
    "label",
    "designation",
    "orbit_class",
    "h_mag",
    "diameter_km",
    "albedo",
    "albedo_source",
    "diameter_source",
    "diameter_min_km",
    "diameter_max_km",
    "u_param",
    "spec_mahlke",
    "spec_b",
    "spec_t",
    "a_au",
    "e",
    "inc_deg",
)


def attach_catalog(res: pd.DataFrame, screened: Screened) -> pd.DataFrame:
    """Scan rows (with ``row``, the index into the survivors) joined to their catalog record."""
    survivors = screened.survivors
    rows_idx = res["row"].to_numpy(dtype=int)
    info = survivors[[c for c in INFO_COLUMNS if c in survivors.columns]].iloc[rows_idx]
    res = pd.concat([info.reset_index(drop=True), res.drop(columns="row")], axis=1)
    res["sh_dv_km_s"] = screened.sh_dv_km_s[rows_idx]
    return res


def finish(res: pd.DataFrame, top: int | None, attrs: dict) -> pd.DataFrame:
    """The first ``top`` rows numbered from 1, internal columns dropped, ``attrs`` set.

    ``attrs`` gets ``n_feasible`` (feasible rows of ``res``) besides the
    entries given.
    """
    if top is not None:
        res = res.head(top).reset_index(drop=True)
    res.insert(0, "rank", np.arange(1, len(res) + 1))
    # TDB-second columns are internal (dates are shown as UTC ISO dates)
    res = res.drop(columns=[c for c in res.columns if c.endswith("_s") and not c.endswith("km_s")])
    res.attrs.update(attrs, n_feasible=int(res["feasible"].sum()) if len(res) else 0)
    return res
