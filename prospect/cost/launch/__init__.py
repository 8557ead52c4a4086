"""Launch choice: the cheapest launch that delivers the spacecraft, loop closed.

For every launcher of ``catalogs/launchers.toml`` (:func:`prospect.data.load_launchers`)
and every service it sells, the spacecraft is sized for the whole delta-v it
must fly itself and the launcher's capability is checked against that wet
mass:

``"c3"``
    direct injection to the departure C3 by a dedicated vehicle; capability
    interpolated linearly in its published payload-vs-C3 table
    (:func:`prospect.data.launchers.payload_at_c3`).  A C3 outside the table,
    below its first entry or above its last, is outside the published
    performance: the option is refused and says so (no extrapolation).
``"tli"``, ``"gto"``, ``"leo"``, ``"sso"``
    a dedicated vehicle to a trans-lunar (C3 = -2 km^2/s^2, DOMAIN.md 2.1),
    geostationary transfer or circular low orbit; the spacecraft burns the
    rest at perigee.
``"rideshare"``
    a shared ride to LEO/SSO or GTO priced ``base + (m - base_mass) * per_kg``;
    the spacecraft burns from there.

The delivered orbits are the records of :mod:`prospect.data.orbits` (the
400 km NHATS LEO, also used for SSO and LEO rideshares; the standard GTO), the
same the scans use.  The spacecraft's own escape burn from the delivered orbit
of energy ``C3_d`` to the departure ``C3`` is the perigee burn
:func:`prospect.data.orbits.perigee_burn_km_s` (impulsive, Curtis 3rd ed.
section 8.6).  Launchers come as the typed records of
:func:`prospect.data.load_launchers`; a rideshare is priced by
:meth:`prospect.data.Rideshare.price_for`.  It adds to the mission delta-v and
therefore to the propellant; the tanks for propellant beyond the profile's
own load weigh ``tank_fraction`` of it (DOMAIN.md 5.1), which raises the dry
mass and closes the loop (:func:`prospect.core.deltav.wet_mass`, closed form
``m_p = (R - 1) m_dry / (1 - f (R - 1))``).  Prices are converted to US$ of the
cost model's output year (exchange rate of the price year, then NNSI).
Every option keeps its ``estimate`` flag and sources.

Rooms: :mod:`.sizing` (closed-loop spacecraft sizing), :mod:`.options` (the
result records), :mod:`.services` (every service a launcher sells, evaluated on
arrays), :mod:`.choice` (:func:`choose_launch`, :func:`best_launch_rows`).
"""

from prospect.cost.launch.choice import TLI_C3_KM2_S2, best_launch_rows, choose_launch
from prospect.cost.launch.options import LaunchChoice, LaunchOption
from prospect.cost.launch.sizing import size_spacecraft

__all__ = [
    "TLI_C3_KM2_S2",
    "LaunchChoice",
    "LaunchOption",
    "best_launch_rows",
    "choose_launch",
    "size_spacecraft",
]
