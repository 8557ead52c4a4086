"""Stages 5-6 of a survey: filters applied after the scan, and the data of its summary charts.

The NHATS filters (maximum delta-v, maximum duration, minimum stay, H, orbit
uncertainty U; Barbee et al. 2015, IAA-PDC-15-04-22, and the NHATS web
query) are answered from each target's stored minima: a target passes when
its minimum delta-v in the filter's (stay, duration) class is within the
maximum delta-v.  Classes are the survey's grid (stays 8, 16, 24, 32 d from
the profile's minimum up; durations every 30 d up to the profile's limit):
a filter between two classes uses the stricter one (stay rounded up,
duration rounded down), so every target listed truly meets the filter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from prospect._coerce import as_days, as_km_s, as_value
from prospect.errors import InputError
from prospect.survey.store import read_results

__all__ = ["count_grid", "filter_class", "query"]


def _classes(man: dict) -> tuple[list[float], list[float]]:
    grid = man["inputs"]["grid"]
    return list(grid["stay_classes_days"]), list(grid["dur_classes_days"])


def filter_class(man: dict, min_stay_days=None, max_duration_days=None) -> tuple[float, float]:
    """The (stay, duration) class a filter maps to (see the module docstring).

    Raises
    ------
    InputError
        A stay above the largest class or a duration below the smallest
        (``min_stay_days`` / ``max_duration_days``).
    """
    stays, durs = _classes(man)
    s = stays[0] if min_stay_days is None else next((x for x in stays if x >= min_stay_days), None)
    if s is None:
        raise InputError(
            f"the survey offers stays up to {stays[-1]:g} d, got {min_stay_days:g}",
            option="min_stay_days",
        )
    if max_duration_days is None:
        d = durs[-1]
    else:
        below = [x for x in durs if x <= max_duration_days]
        if not below:
            raise InputError(
                f"the survey's shortest duration class is {durs[0]:g} d, got {max_duration_days:g}",
                option="max_duration_days",
            )
        d = below[-1]
    return s, d


def _class_column(stay: float, dur: float) -> str:
    return f"dv_min_stay{stay:g}_dur{dur:g}_km_s"


def query(
    directory,
    *,
    max_dv_km_s: float | None = None,
    max_duration_days: float | None = None,
    min_stay_days: float | None = None,
    max_h: float | None = None,
    max_u: float | None = None,
) -> pd.DataFrame:
    """Targets of a finished survey that meet the filters, cheapest first.

    Parameters
    ----------
    directory : path
        A survey directory (:func:`prospect.survey.survey`).
    max_dv_km_s, max_duration_days, min_stay_days : float, optional
        Trajectory filters (the profile's limits when not given).
    max_h : float, optional
        Brightest absolute magnitude allowed to be faint: keep ``H <= max_h``.
    max_u : float, optional
        Keep orbit uncertainty ``U <= max_u`` (unknown U is dropped).

    Returns
    -------
    DataFrame
        The survey's rows that pass, with ``dv_km_s`` (the minimum delta-v
        under the filter's class) first among the trajectory columns, sorted
        by it.  ``attrs``: ``filter`` (class used), ``manifest``, ``complete``.
    """
    opt = {"allow_none": True}
    max_dv_km_s = as_km_s(max_dv_km_s, "max_dv_km_s", positive=True, **opt)
    max_duration_days = as_days(max_duration_days, "max_duration_days", positive=True, **opt)
    min_stay_days = as_days(min_stay_days, "min_stay_days", nonnegative=True, **opt)
    max_h = as_value(max_h, "", "max_h", what="magnitudes", **opt)
    max_u = as_value(max_u, "", "max_u", what="uncertainty steps", nonnegative=True, **opt)
    df = read_results(directory)
    man = df.attrs["manifest"]
    complete = df.attrs["complete"]
    stay, dur = filter_class(man, min_stay_days, max_duration_days)
    if df.empty:
        out = df
        out.attrs.update(manifest=man, complete=complete, filter={})
        return out
    dv = df[_class_column(stay, dur)].to_numpy(dtype=float)
    keep = np.isfinite(dv)
    if max_dv_km_s is not None:
        keep &= dv <= max_dv_km_s
    if max_h is not None:
        keep &= pd.to_numeric(df["h_mag"], errors="coerce").to_numpy(dtype=float) <= max_h
    if max_u is not None:
        keep &= pd.to_numeric(df["u_param"], errors="coerce").to_numpy(dtype=float) <= max_u
    out = df.loc[keep].copy()
    out.insert(2, "dv_km_s", dv[keep])
    out = out.sort_values(["dv_km_s", "designation"], kind="stable").reset_index(drop=True)
    out.attrs.update(
        manifest=man,
        complete=complete,
        filter={"stay_days": stay, "max_duration_days": dur, "max_dv_km_s": max_dv_km_s},
    )
    return out


def count_grid(df: pd.DataFrame, man: dict, dv_edges_km_s=None, stay_days=None) -> pd.DataFrame:
    """Accessible-target counts: rows maximum delta-v, columns maximum duration (NHATS charts).

    Parameters
    ----------
    df : DataFrame
        Survey rows (:func:`prospect.survey.store.read_results` or :func:`query`).
    man : dict
        The survey's manifest.
    dv_edges_km_s : array_like, optional
        Delta-v thresholds (default 0.5 km/s steps up to the profile's limit
        or the largest minimum found).
    stay_days : float, optional
        Minimum stay class (default the profile's).

    Returns
    -------
    DataFrame
        Index ``max_dv_km_s``; one column per duration class (days, int);
        values are target counts.
    """
    stays, durs = _classes(man)
    stay = stays[0] if stay_days is None else filter_class(man, stay_days, None)[0]
    cols = {d: _class_column(stay, d) for d in durs}
    if dv_edges_km_s is None:
        top = 0.0
        for c in cols.values():
            if c in df and df[c].notna().any():
                top = max(top, float(df[c].max()))
        dv_edges_km_s = np.arange(0.5, max(np.ceil(top * 2) / 2, 0.5) + 0.25, 0.5)
    edges = np.asarray(dv_edges_km_s, dtype=float)
    data = {}
    for d, c in cols.items():
        v = df[c].to_numpy(dtype=float) if c in df else np.empty(0)
        # NaN compares False: the targets with a minimum at or under each edge
        data[round(d)] = (v[:, None] <= edges[None, :]).sum(axis=0).tolist()
    out = pd.DataFrame(data, index=pd.Index(edges, name="max_dv_km_s"))
    out.columns.name = "max_duration_days"
    return out
