"""The results of a launch choice: one option per service, and the choice."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from prospect.cost.model import CostModel, load_cost_model
from prospect.cost.montecarlo import CostElement
from prospect.errors import InputError

__all__ = ["LaunchChoice", "LaunchOption"]


@dataclass(frozen=True)
class LaunchOption:
    """One way to launch the spacecraft, with its sizing and price.

    Attributes
    ----------
    launcher, label : str
        Launcher id and display name.
    service : str
        ``"c3"``, ``"tli"``, ``"gto"``, ``"leo"``, ``"sso"`` or ``"rideshare"``.
    kind : str
        ``"dedicated"`` or ``"rideshare"``.
    delivered : str
        Where the launcher leaves the spacecraft.
    escape_dv_km_s : float
        The spacecraft's own burn from there to the departure C3.
    spacecraft_dv_km_s : float
        Escape burn plus the mission delta-v.
    dry_kg, propellant_kg, wet_kg : float
        Closed-loop sizing (``wet_kg`` is the separated mass).
    capacity_kg : float or None
        Launcher capability for this service (None: priced per kg, no limit published).
    price_musd, price_low_musd, price_high_musd : float or None
        Price in $M of the cost model's output year.
    estimate : bool
        True when the price or capability is an estimate.
    feasible : bool
    reason : str
        Why an option is infeasible ("" when feasible).
    notes : list of str
    sources : list of str
    """

    launcher: str
    label: str
    service: str
    kind: str
    delivered: str
    escape_dv_km_s: float
    spacecraft_dv_km_s: float
    dry_kg: float
    propellant_kg: float
    wet_kg: float
    capacity_kg: float | None
    price_musd: float | None
    price_low_musd: float | None
    price_high_musd: float | None
    estimate: bool
    feasible: bool
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def cost_element(self, model: CostModel | None = None) -> CostElement:
        """The launch as a Monte Carlo cost element.

        A firm price is fixed; an estimate with a published range is drawn
        uniformly in it; an estimate without a range is lognormal with the
        cost model's ``[launch] estimate_cv``.
        """
        model = model or load_cost_model()
        if self.price_musd is None:
            raise InputError(f"launch option {self.launcher}/{self.service} has no price")
        src = "; ".join(self.sources)
        if not self.estimate:
            return CostElement("launch", self.price_musd, dist="fixed", source=src)
        lo, hi = self.price_low_musd, self.price_high_musd
        if lo is not None and hi is not None and lo <= self.price_musd <= hi:
            return CostElement(
                "launch",
                self.price_musd,
                dist="uniform",
                low_musd=lo,
                high_musd=hi,
                source=src,
                estimate=True,
            )
        return CostElement(
            "launch",
            self.price_musd,
            model.number("launch", "estimate_cv"),
            group="launch",
            source=src + "; " + model.text("launch", "estimate_cv_source"),
            estimate=True,
        )

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class LaunchChoice:
    """All launch options, cheapest feasible first.

    Attributes
    ----------
    best : LaunchOption
        Cheapest feasible option.
    options : list of LaunchOption
        Feasible options by price, then the infeasible ones with their reasons.
    target_c3_km2_s2 : float
    mission_dv_km_s : float
    """

    best: LaunchOption
    options: list[LaunchOption]
    target_c3_km2_s2: float
    mission_dv_km_s: float

    def to_frame(self) -> pd.DataFrame:
        """One row per option (lists joined with '; ')."""
        rows = []
        for o in self.options:
            d = o.to_dict()
            d["notes"] = "; ".join(o.notes)
            d["sources"] = "; ".join(o.sources)
            rows.append(d)
        return pd.DataFrame(rows)
