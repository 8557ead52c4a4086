"""The result of :func:`prospect.cost.plan`: a plan and its JSON-ready form."""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from prospect._display import fmt, html_table
from prospect.cost import timeline as _tl
from prospect.cost.mission import MissionCase
from prospect.cost.target import TargetInfo

__all__ = ["PlanResult"]


@dataclass(frozen=True, repr=False)
class PlanResult:
    """A mission plan: target, consortium, launch, cost range, schedule, sharing, flags.

    Money in $M of ``dollar_year``; masses in kg; dates ISO (UTC).  It prints as
    one line and shows in a notebook as a small table (``_repr_html_``); the
    whole plan is :meth:`to_dict`.
    """

    target: TargetInfo
    consortium: object = field(repr=False)
    mission: MissionCase = field(repr=False)
    candidates: list[dict] = field(default_factory=list)
    budgets_musd: dict = field(default_factory=dict)
    members: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    rule: str = "proportional"
    fund_fraction: float = 0.0
    percentile: float = 50.0
    shapley: dict | None = None
    legal: dict = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    dollar_year: int = 2025
    seed: int = 0
    funding: dict = field(default_factory=dict)

    # convenient views ----------------------------------------------------
    @property
    def cost(self) -> dict:
        d = self.mission.distribution
        return {"p10_musd": d.p10, "p50_musd": d.p50, "p90_musd": d.p90}

    @property
    def earth_approach(self) -> dict | None:
        """The asteroid's closest Earth approach between the catalog epoch and the end of
        the trajectory (``date`` UTC, ``distance_au``, ``distance_km``, ``close``: under
        0.05 au; :func:`prospect.scan.rank.output.approach_summary`); None for the Moon."""
        return self.mission.trajectory.get("earth_approach")

    @property
    def timeline(self) -> _tl.Timeline:
        return self.mission.timeline

    def __repr__(self) -> str:
        c = self.cost
        return (
            f"PlanResult({self.target.label!r}, consortium "
            f"{getattr(self.consortium, 'name', None)!r}, mission {self.mission.name!r}, "
            f"launch {self.timeline.launch} on {self.mission.launch.best.launcher}, "
            f"P50 ${fmt(c['p50_musd'], ',.1f')} M FY{self.dollar_year}, "
            f"{len(self.flags)} flag(s))"
        )

    def _summary_rows(self) -> list[tuple[str, str]]:
        """(label, text) rows of the notebook display: the answer, not the arrays."""
        c, f, sz = self.cost, self.funding, self.mission.sizing
        yr = self.dollar_year
        spacecraft = "resized" if sz.resized else "profile's" if sz.can_fly else "CANNOT FLY"
        gap = f.get("gap_p50_musd")
        return [
            ("mission", self.mission.name),
            ("consortium", str(getattr(self.consortium, "name", "-"))),
            ("launch", f"{self.timeline.launch} on {self.mission.launch.best.launcher}"),
            ("end of mission", fmt(self.timeline.end)),
            ("spacecraft", f"{spacecraft}, wet {fmt(sz.wet_kg, ',.1f', ' kg')}"),
            (
                f"cost P10 / P50 / P90 ($M FY{yr})",
                " / ".join(fmt(c[k], ",.1f") for k in ("p10_musd", "p50_musd", "p90_musd")),
            ),
            (f"budget ($M FY{yr})", fmt(f.get("budget_musd"), ",.1f")),
            ("funding gap at P50 ($M)", fmt(gap, ",.1f") if gap else "none"),
            ("expected yield value ($M)", fmt(self.mission.value.value_expected_musd, ",.3f")),
            ("yield split", f"{self.rule}, fund {self.fund_fraction:g}"),
            ("flags", str(len(self.flags))),
        ]

    def _repr_html_(self) -> str:
        return html_table(f"Plan: {self.target.label}", self._summary_rows())

    def cost_table(self) -> pd.DataFrame:
        """Cost elements: point, P10/P50/P90 and source."""
        s = self.mission.distribution.summary()
        els = {e.name: e for e in self._elements()}
        rows = []
        for name, st in s["elements"].items():
            e = els.get(name)
            rows.append(
                {
                    "element": name,
                    "point_musd": e.point_musd if e else None,
                    "p10_musd": st["p10_musd"],
                    "p50_musd": st["p50_musd"],
                    "p90_musd": st["p90_musd"],
                    "error_model": (
                        f"{e.dist}" + (f" cv {e.cv:g}" if e.dist == "lognormal" else "")
                        if e
                        else "reserve fraction"
                    ),
                    "estimate": bool(e.estimate) if e else False,
                }
            )
        rows.append(
            {
                "element": "total",
                "point_musd": s["point_musd"],
                "p10_musd": s["p10_musd"],
                "p50_musd": s["p50_musd"],
                "p90_musd": s["p90_musd"],
                "error_model": f"{s['n_draws']} draws, seed {s['seed']}",
                "estimate": True,
            }
        )
        return pd.DataFrame(rows)

    def _elements(self):
        return self.mission.elements

    def to_dict(self) -> dict:
        """Plain, JSON-ready dictionary of the whole plan."""
        m = self.mission
        best = m.launch.best
        alternatives = [
            {
                "launcher": o.launcher,
                "service": o.service,
                "price_musd": o.price_musd,
                "wet_kg": o.wet_kg,
                "feasible": o.feasible,
                "reason": o.reason,
            }
            for o in m.launch.options[:8]
        ]
        prof = m.profile
        return _clean(
            {
                "dollar_year": self.dollar_year,
                "seed": self.seed,
                "target": self.target.to_dict(),
                "mission": {
                    "name": m.name,
                    "label": getattr(prof, "label", m.name),
                    "development_class": getattr(prof, "development_class", None),
                    "launch_mode": getattr(prof, "launch_mode", None),
                    "round_trip": bool(getattr(prof, "round_trip", False)),
                    "dry_mass_kg": getattr(prof, "dry_mass_kg", None),
                    "propellant_mass_kg": getattr(prof, "propellant_mass_kg", None),
                    "payload_mass_kg": getattr(prof, "payload_mass_kg", None),
                    "isp_s": getattr(prof, "isp_s", None),
                },
                "candidates": self.candidates,
                "trajectory": m.trajectory,
                "launch": {**best.to_dict(), "alternatives": alternatives},
                "sizing": m.sizing.to_dict(),
                "funding": self.funding,
                "cost": {
                    **m.distribution.summary(),
                    "method": m.spacecraft.method,
                    "validity": m.spacecraft.validity,
                    "reserve_fraction": m.distribution.reserve_fraction,
                    "operations": {k: v for k, v in m.operations.items() if k != "flags"},
                    "table": self.cost_table().to_dict(orient="records"),
                },
                "timeline": m.timeline.to_dict(),
                "value": m.value.to_dict(),
                "consortium": {
                    "name": getattr(self.consortium, "name", None),
                    "label": getattr(self.consortium, "label", None),
                    "budget_musd": float(sum(self.budgets_musd.values())),
                    "budgets_musd": self.budgets_musd,
                    "rule": self.rule,
                    "fund_fraction": self.fund_fraction,
                    "percentile": self.percentile,
                    "members": self.members.to_dict(orient="records"),
                    "shapley": self.shapley,
                },
                "legal": self.legal,
                "environment": m.environment.to_dict(),
                "flags": self.flags,
            }
        )


def _clean(x):
    """JSON-ready: numpy scalars -> Python, NaN/inf -> None, tuples -> lists."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    if isinstance(x, np.ndarray):
        return [_clean(v) for v in x.tolist()]
    if isinstance(x, np.bool_ | bool):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        x = float(x)
        return x if math.isfinite(x) else None
    if isinstance(x, _dt.date):
        return x.isoformat()
    if x is pd.NA or x is pd.NaT:
        return None
    return x
