"""Mission scans: pork-chop grids, NHATS-style round trips and catalog rankings.

* :func:`porkchop` - Earth-to-target Lambert grid (departure date x time of
  flight) with C3, every burn and the total delta-v; ``.best()`` optimum.
* :func:`round_trip` - minimum-delta-v and minimum-duration round trips
  (outbound leg, stay, return leg) under NHATS's constraints.
* :func:`rank` - which asteroids of a catalog a mission profile can reach in
  a launch period, screened, scanned, checked against the profile and scored.

Canonical units as everywhere in prospect: km, s, km/s (dates at the
boundary as astropy ``Time`` or ISO strings, UTC).
"""

from prospect.scan.porkchop import PorkchopResult, Transfer, porkchop
from prospect.scan.rank import rank
from prospect.scan.roundtrip import RoundTrip, RoundTripResult, round_trip

__all__ = [
    "PorkchopResult",
    "RoundTrip",
    "RoundTripResult",
    "Transfer",
    "porkchop",
    "rank",
    "round_trip",
]


def __getattr__(name: str):
    # prospect.scan.moon (another module of this package) provides rank_moon;
    # imported on first use so the asteroid scans do not load it.
    if name == "rank_moon":
        from prospect.scan.moon import rank_moon

        return rank_moon
    raise AttributeError(f"module 'prospect.scan' has no attribute {name!r}")
