"""Stage 3 of :func:`prospect.scan.moon.rank_moon`: the ranked table.

One row per site from the budget and score stages, filtered (reachable, has the
resource), ordered (reachable, has the resource, score, lower lander delta-v, id),
numbered, and described in ``attrs`` with the reason when it is empty.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from prospect.scan.moon.score import SCORE_TERMS

__all__ = ["site_table"]


def _columns(sites: pd.DataFrame, budget, scores) -> pd.DataFrame:
    """The unordered table: every site with its legs, reach and terms."""
    capacity = budget.capacity_km_s
    return pd.DataFrame(
        {
            "id": sites["id"].astype(str),
            "name": sites["name"].astype(str),
            "lat_deg": sites["lat_deg"].to_numpy(float),
            "lon_deg_east": sites["lon_deg_east"].to_numpy(float),
            "category": sites["category"].astype(str).to_numpy(),
            "evidence": pd.array(scores.evidence, dtype="Int64"),
            "has_resource": scores.has_resource,
            "grade_frac": scores.grade_frac,
            "dv_total_km_s": budget.total,
            **budget.legs,
            "dv_lander_km_s": budget.dv_lander,
            "capacity_km_s": capacity,
            "margin_km_s": capacity - budget.dv_lander,
            "reachable": budget.reachable,
            "illumination_frac": sites["illumination_frac"].to_numpy(float),
            "earth_visibility": sites["earth_visibility"].fillna("unknown").astype(str).to_numpy(),
            "slope_note": sites["slope_note"].fillna("").astype(str).to_numpy(),
            "terrain_class": scores.terrain,
            "heritage": sites["heritage"].fillna("none").astype(str).to_numpy(),
            "heritage_flag": scores.heritage_flag,
            "heritage_note": scores.heritage_note,
            "nearest_heritage_km": scores.nearest_heritage_km,
            "nearest_heritage_id": scores.nearest_heritage_id,
            "cospar_category": sites["cospar_category"].astype(str).to_numpy(),
            **{f"s_{k}": scores.terms[k] for k in SCORE_TERMS},
            "score": scores.score,
        }
    )


def _order(out: pd.DataFrame, *, include_unreachable: bool, missing: str) -> pd.DataFrame:
    """Drop what is not asked for, sort best first (stable) and number the rows."""
    if not include_unreachable:
        out = out[out["reachable"]]
    if missing == "exclude":
        out = out[out["has_resource"]]
    out = out.sort_values(
        ["reachable", "has_resource", "score", "dv_lander_km_s", "id"],
        ascending=[False, False, False, True, True],
        kind="mergesort",
    ).reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def _empty_reason(n_sites, n_reachable, n_rows, mission, budget, resource) -> str | None:
    """Why the table is empty (None when it is not)."""
    if n_sites == 0:
        return "the site table is empty"
    if n_reachable == 0:
        capacity = budget.capacity_km_s
        need = float(np.nanmin(budget.dv_lander))
        return (
            f"no site is reachable: profile {mission.name!r} has {capacity:.3f} km/s of "
            f"delta-v, the cheapest site needs {need:.3f} km/s ({budget.launch})"
            if math.isfinite(capacity)
            else f"no site is reachable within the total delta-v limit of "
            f"{budget.max_total_dv_km_s:g} km/s"
        )
    if n_rows == 0:
        return f"no reachable site offers {resource}"
    return None


def site_table(sites, budget, scores, *, query: dict, include_unreachable: bool) -> pd.DataFrame:
    """The ranked table of :func:`prospect.scan.moon.rank_moon` with its ``attrs``.

    Parameters
    ----------
    sites : DataFrame
        The checked site table, index 0..n-1.
    budget : SiteBudget
        Stage 1 (:func:`prospect.scan.moon.budget.site_budget`).
    scores : SiteScores
        Stage 2 (:func:`prospect.scan.moon.score.score_sites`).
    query : dict
        ``mission`` (the profile), ``resource``, ``via``, ``arrival_inc_deg``,
        ``reserve``, ``weights`` and ``missing`` as checked, copied into ``attrs``.
    include_unreachable : bool
        Keep the sites the lander cannot reach.

    Returns
    -------
    DataFrame
        The columns and ``attrs`` that :func:`~prospect.scan.moon.rank_moon` documents.
    """
    out = _columns(sites, budget, scores)
    n_sites = len(out)
    n_reachable = int(budget.reachable.sum())
    out = _order(out, include_unreachable=include_unreachable, missing=query["missing"])
    p = query["mission"]
    out.attrs.update(
        mission=p.name,
        mission_label=getattr(p, "label", p.name),
        launch_mode=p.launch_mode,
        resource=query["resource"],
        via=query["via"],
        arrival_inc_deg=query["arrival_inc_deg"],
        reserve=query["reserve"],
        launch=budget.launch,
        departure_km_s=budget.departure_km_s,
        lander_legs=list(budget.flown),
        capacity_km_s=budget.capacity_km_s,
        max_total_dv_km_s=budget.max_total_dv_km_s,
        weights=query["weights"],
        missing=query["missing"],
        n_sites=n_sites,
        n_reachable=n_reachable,
        n_with_resource=int(scores.has_resource.sum()),
    )
    reason = _empty_reason(n_sites, n_reachable, len(out), p, budget, query["resource"])
    if reason is not None:
        out.attrs["reason"] = reason
    return out
