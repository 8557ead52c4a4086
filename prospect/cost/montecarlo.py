"""Seeded Monte Carlo propagation of cost-estimating errors.

Each :class:`CostElement` carries a point estimate and an error model:

``"lognormal"``
    multiplicative error, lognormal with mean 1 and coefficient of variation
    ``cv`` (the CER's relative standard error): ``sigma^2 = ln(1 + cv^2)``,
    ``mu = -sigma^2 / 2``, so the mean of the draws is the point estimate.
``"uniform"``
    a published range ``[low_musd, high_musd]`` (e.g. a launch price range).
``"fixed"``
    no uncertainty (a firm price).

Elements of one ``group`` share a single standard-normal draw (fully
correlated: the wrap factors of a CER move with the bus cost); groups are
independent of each other.  Reserves are a fixed fraction of the elements
marked ``reserve`` in every draw.  Percentiles are of the total per draw.

The random stream is ``numpy.random.default_rng(seed)``; draws are made in
a fixed order (sorted group names), so a seed reproduces a result exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import ndtr

from prospect.errors import InputError

__all__ = ["MAX_SEED", "CostDistribution", "CostElement", "check_seed", "simulate"]

DISTRIBUTIONS = ("lognormal", "uniform", "fixed")

#: Largest seed accepted: 2**63 - 1.  numpy's ``default_rng`` (SeedSequence) takes
#: any whole number >= 0, but a seed is written into results (JSON, Parquet
#: metadata, pandas attrs) where a signed 64-bit integer is the portable bound.
MAX_SEED = 2**63 - 1


def check_seed(seed, option: str = "seed") -> int:
    """``seed`` of the Monte Carlo stream checked: a whole number in [0, 2**63 - 1].

    Raises
    ------
    InputError
        Not an int (a float such as ``1e23`` included), negative or above
        :data:`MAX_SEED` (names ``option``).

    Examples
    --------
    >>> check_seed(7)
    7
    >>> check_seed(2**64)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    prospect.errors.InputError: seed: must be a whole number from 0 to 9223372036854775807, ...
    """
    whole = not isinstance(seed, bool) and isinstance(seed, int | np.integer)
    if not (whole and 0 <= seed <= MAX_SEED):
        shown = f"{seed!r}" if len(repr(seed)) <= 40 else f"{repr(seed)[:37]}..."
        raise InputError(f"must be a whole number from 0 to {MAX_SEED}, got {shown}", option=option)
    return int(seed)


@dataclass(frozen=True)
class CostElement:
    """One line of a cost estimate.

    Attributes
    ----------
    name : str
    point_musd : float
        Point estimate, $M (constant-year dollars of the estimate).
    cv : float
        Coefficient of variation (relative 1-sigma) for ``"lognormal"``.
    dist : {"lognormal", "uniform", "fixed"}
    low_musd, high_musd : float, optional
        Range of a ``"uniform"`` element.
    group : str, optional
        Correlation group; elements of a group share one draw.
    reserve : bool
        Whether the development reserve applies to this element.
    source : str
        Where the number and its error come from.
    estimate : bool
        True when the number is an estimate (flag carried to the output).
    """

    name: str
    point_musd: float
    cv: float = 0.0
    dist: str = "lognormal"
    low_musd: float | None = None
    high_musd: float | None = None
    group: str | None = None
    reserve: bool = False
    source: str = ""
    estimate: bool = False

    def __post_init__(self):
        if self.dist not in DISTRIBUTIONS:
            raise InputError(
                f"cost element '{self.name}': unknown distribution '{self.dist}' "
                f"(known: {', '.join(DISTRIBUTIONS)})",
                option="dist",
            )
        if not np.isfinite(self.point_musd) or self.point_musd < 0:
            raise InputError(
                f"cost element '{self.name}': point estimate must be a finite amount >= 0, "
                f"got {self.point_musd!r}",
                option="point_musd",
            )
        if not (np.isfinite(self.cv) and self.cv >= 0):
            raise InputError(
                f"cost element '{self.name}': cv must be >= 0, got {self.cv!r}", option="cv"
            )
        if self.dist == "uniform" and not (
            self.low_musd is not None
            and self.high_musd is not None
            and 0 <= self.low_musd <= self.high_musd
        ):
            raise InputError(
                f"cost element '{self.name}': a uniform element needs 0 <= low <= high, got "
                f"[{self.low_musd!r}, {self.high_musd!r}]",
                option="low_musd",
            )


@dataclass(frozen=True)
class CostDistribution:
    """Result of :func:`simulate`.

    Attributes
    ----------
    total : ndarray, shape (n,)
        Total cost per draw including reserves, $M.
    by_element : dict of str -> ndarray, shape (n,)
        Draws of each element (and ``"reserve"``).
    point_musd : float
        Deterministic total (point estimates + reserve).
    reserve_fraction : float
    seed : int
    n : int
    """

    total: np.ndarray = field(repr=False)
    by_element: dict = field(repr=False)
    point_musd: float
    reserve_fraction: float
    seed: int
    n: int

    def percentile(self, q: float) -> float:
        """The ``q``-th percentile (0-100) of the total, $M."""
        if not 0 <= q <= 100:
            raise InputError(f"percentile must be in [0, 100], got {q!r}", option="percentile")
        return float(np.percentile(self.total, q))

    @property
    def p10(self) -> float:
        return self.percentile(10)

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p90(self) -> float:
        return self.percentile(90)

    @property
    def mean(self) -> float:
        return float(self.total.mean())

    def summary(self) -> dict:
        """P10/P50/P90 and mean of the total and of each element, $M."""
        out = {
            "p10_musd": self.p10,
            "p50_musd": self.p50,
            "p90_musd": self.p90,
            "mean_musd": self.mean,
            "point_musd": self.point_musd,
            "n_draws": self.n,
            "seed": self.seed,
        }
        out["elements"] = {
            name: {
                "p10_musd": float(np.percentile(d, 10)),
                "p50_musd": float(np.percentile(d, 50)),
                "p90_musd": float(np.percentile(d, 90)),
                "mean_musd": float(d.mean()),
            }
            for name, d in self.by_element.items()
        }
        return out


def simulate(
    elements: list[CostElement],
    *,
    reserve_fraction: float = 0.0,
    n: int = 20_000,
    seed: int = 0,
) -> CostDistribution:
    """Propagate element errors to a distribution of the total cost.

    Parameters
    ----------
    elements : list of CostElement
    reserve_fraction : float
        Reserve added on the ``reserve`` elements in every draw (e.g. 0.25).
    n : int
        Number of draws.
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    CostDistribution

    Examples
    --------
    >>> els = [CostElement("bus", 10.0, 0.36, group="cer"),
    ...        CostElement("launch", 5.0, dist="fixed")]
    >>> d = simulate(els, n=50_000, seed=1)
    >>> d.p10 < d.p50 < d.p90
    True
    >>> abs(d.mean - 15.0) < 0.1        # lognormal draws keep the point estimate as mean
    True
    """
    if not elements:
        raise InputError("no cost elements to simulate", option="elements")
    if not (np.isfinite(reserve_fraction) and reserve_fraction >= 0):
        raise InputError(
            f"reserve fraction must be >= 0, got {reserve_fraction!r}", option="reserve"
        )
    if int(n) < 1:
        raise InputError(f"number of draws must be >= 1, got {n!r}", option="n")
    n = int(n)
    names = [e.name for e in elements]
    if len(set(names)) != len(names):
        raise InputError("cost element names must be unique", option="elements")
    rng = np.random.default_rng(check_seed(seed))
    # One standard-normal stream per correlation group (sorted), then one per
    # ungrouped element, in order: fixed order -> reproducible for a seed.
    groups = sorted({e.group for e in elements if e.group is not None})
    keys = [("g", g) for g in groups] + [
        ("e", i) for i, e in enumerate(elements) if e.group is None
    ]
    z = rng.standard_normal((len(keys), n))
    row = {k: i for i, k in enumerate(keys)}
    by_element: dict[str, np.ndarray] = {}
    total = np.zeros(n)
    reserve_base = np.zeros(n)
    for i, e in enumerate(elements):
        zi = z[row[("g", e.group) if e.group is not None else ("e", i)]]
        if e.dist == "fixed" or (e.dist == "lognormal" and e.cv == 0.0):
            draw = np.full(n, e.point_musd)
        elif e.dist == "lognormal":
            s2 = np.log1p(e.cv**2)
            draw = e.point_musd * np.exp(-0.5 * s2 + np.sqrt(s2) * zi)
        else:  # uniform over the published range, driven by the same normal
            draw = e.low_musd + (e.high_musd - e.low_musd) * ndtr(zi)
        by_element[e.name] = draw
        total += draw
        if e.reserve:
            reserve_base += draw
    reserve = reserve_fraction * reserve_base
    by_element["reserve"] = reserve
    total = total + reserve
    point = sum(e.point_musd for e in elements) + reserve_fraction * sum(
        e.point_musd for e in elements if e.reserve
    )
    return CostDistribution(total, by_element, float(point), float(reserve_fraction), seed, n)
