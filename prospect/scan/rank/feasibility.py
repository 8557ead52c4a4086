"""Stage 3 of :func:`prospect.scan.rank.rank`: does each target's best trajectory meet the profile.

A trajectory is feasible when its delta-v (the spacecraft's share -- departure
per launch mode + arrival [+ target departure + entry burn] -- within its
rocket-equation capacity, or the total within the profile's total limit), its
launch C3, its duration and its stay meet the profile
(:class:`prospect.scan._mission.MissionSpec`).  Limits are compared with a
relative slack of 1e-9 (1e-6 d for durations): rounding, not physics.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from prospect.scan._mission import MissionSpec

__all__ = ["feasibility"]


def feasibility(df: pd.DataFrame, spec: MissionSpec) -> pd.DataFrame:
    """Add ``dv_objective_km_s`` (the delta-v judged) and ``feasible`` (in place).

    ``df`` has ``dv_spacecraft_km_s`` / ``dv_total_km_s`` (added as NaN when
    absent), ``duration_days`` and, where they apply, ``c3_km2_s2`` and
    ``stay_days``.
    """
    if "dv_spacecraft_km_s" not in df:
        df["dv_spacecraft_km_s"] = np.nan
    if "dv_total_km_s" not in df:
        df["dv_total_km_s"] = np.nan
    obj = (
        df["dv_spacecraft_km_s"] if spec.capacity_km_s is not None else df["dv_total_km_s"]
    ).to_numpy(dtype=float)
    df["dv_objective_km_s"] = obj
    ok = np.isfinite(obj)
    limit = spec.limit_km_s
    if limit is not None:
        ok &= obj <= limit * (1 + 1e-9)
    if spec.max_c3_km2_s2 is not None and "c3_km2_s2" in df:
        ok &= df["c3_km2_s2"].to_numpy(dtype=float) <= spec.max_c3_km2_s2 * (1 + 1e-9)
    if spec.max_duration_days is not None:
        ok &= df["duration_days"].to_numpy(dtype=float) <= spec.max_duration_days + 1e-6
    if "stay_days" in df and spec.min_stay_days:
        ok &= df["stay_days"].to_numpy(dtype=float) >= spec.min_stay_days - 1e-6
    df["feasible"] = ok
    return df
