"""Delta-v models: hyperbolic departure and arrival, Earth entry, Shoemaker-Helin,
lunar budgets and the rocket equation.

Every function takes array-likes, broadcasts them against each other and
returns float64 arrays (numpy scalars for scalar input) in the canonical units
of :mod:`prospect.core` (km, s, km/s, kg); names carry the unit where it is not
canonical (``alt_km``, ``inc_deg``, ``isp_s``, ``a_au``).  An element that
cannot be computed (NaN input, negative mass, an orbit outside a model's
domain) comes back as NaN; every kernel ``f`` has a twin ``f_with_status`` that
returns :class:`prospect.core.status.Checked` ``(value, status)``, the per-element
``int8`` code explained by :data:`DELTAV_STATUS` (a view of
:data:`prospect.core.status.STATUS`).  Wrong arguments
(shapes that do not broadcast, ``mu_km3_s2 <= 0``, an unknown option) raise
:class:`ValueError`.

Contents (this module re-exports the rooms)
--------------------------------------------
Hyperbolic departure/arrival (patched conics, impulsive burns), :mod:`~prospect.core.hyperbolic`
    :func:`circular_speed`, :func:`escape_speed`, :func:`parking_radius`,
    :func:`c3_from_vinf`, :func:`vinf_from_c3`, :func:`burn_from_circular`,
    :func:`burn_from_circular_c3`, :func:`arrival_burn`.
Earth return, :mod:`~prospect.core.hyperbolic`
    :func:`entry_speed`, :func:`entry_speed_burn` (NHATS entry-speed limit).
NEA accessibility, :mod:`~prospect.core.screening`
    :func:`shoemaker_helin`, :func:`shoemaker_helin_group` (Shoemaker & Helin
    1978 as tabulated by L. Benner).
Moon, :mod:`~prospect.core.lunar`
    :func:`plane_change`, :func:`lunar_plane_change`,
    :func:`lunar_landing_budget` (DOMAIN.md section 2).
Rocket equation, :mod:`~prospect.core.rocket`
    :func:`propellant_fraction`, :func:`propellant_mass`, :func:`wet_mass`,
    :func:`dv_capacity`, :func:`burn_sequence`.
"""

from prospect.core._elementwise import DELTAV_STATUS
from prospect.core.hyperbolic import (
    ENTRY_INTERFACE_ALT_KM,
    NHATS_ENTRY_SPEED_LIMIT_KM_S,
    arrival_burn,
    arrival_burn_with_status,
    burn_from_circular,
    burn_from_circular_c3,
    burn_from_circular_c3_with_status,
    burn_from_circular_with_status,
    c3_from_vinf,
    c3_from_vinf_with_status,
    circular_speed,
    circular_speed_with_status,
    entry_speed,
    entry_speed_burn,
    entry_speed_burn_with_status,
    entry_speed_with_status,
    escape_speed,
    escape_speed_with_status,
    parking_radius,
    parking_radius_with_status,
    vinf_from_c3,
    vinf_from_c3_with_status,
)
from prospect.core.lunar import (
    DV_LEO_TLI_KM_S,
    DV_LLO_NRHO_KM_S,
    DV_LLO_SURFACE_KM_S,
    DV_LLO_TEI_KM_S,
    DV_NRHO_LLO_KM_S,
    DV_NRHO_TEI_KM_S,
    DV_SURFACE_LLO_KM_S,
    DV_TLI_LLO_KM_S,
    DV_TLI_NRHO_KM_S,
    DV_TLI_SURFACE_DIRECT_KM_S,
    LUNAR_TABLE_RESERVE,
    LunarBudget,
    lunar_landing_budget,
    lunar_plane_change,
    lunar_plane_change_with_status,
    plane_change,
    plane_change_with_status,
)
from prospect.core.rocket import (
    Burns,
    burn_sequence,
    burn_sequence_with_status,
    dv_capacity,
    dv_capacity_with_status,
    propellant_fraction,
    propellant_fraction_with_status,
    propellant_mass,
    propellant_mass_with_status,
    wet_mass,
    wet_mass_with_status,
)
from prospect.core.screening import (
    SH_ALLOWANCE_KM_S,
    SH_AMOR,
    SH_APOLLO,
    SH_ATEN,
    SH_SPEED_UNIT_KM_S,
    shoemaker_helin,
    shoemaker_helin_group,
    shoemaker_helin_with_status,
)

__all__ = [
    "DELTAV_STATUS",
    "DV_LEO_TLI_KM_S",
    "DV_LLO_NRHO_KM_S",
    "DV_LLO_SURFACE_KM_S",
    "DV_LLO_TEI_KM_S",
    "DV_NRHO_LLO_KM_S",
    "DV_NRHO_TEI_KM_S",
    "DV_SURFACE_LLO_KM_S",
    "DV_TLI_LLO_KM_S",
    "DV_TLI_NRHO_KM_S",
    "DV_TLI_SURFACE_DIRECT_KM_S",
    "ENTRY_INTERFACE_ALT_KM",
    "LUNAR_TABLE_RESERVE",
    "NHATS_ENTRY_SPEED_LIMIT_KM_S",
    "SH_ALLOWANCE_KM_S",
    "SH_AMOR",
    "SH_APOLLO",
    "SH_ATEN",
    "SH_SPEED_UNIT_KM_S",
    "Burns",
    "LunarBudget",
    "arrival_burn",
    "arrival_burn_with_status",
    "burn_from_circular",
    "burn_from_circular_c3",
    "burn_from_circular_c3_with_status",
    "burn_from_circular_with_status",
    "burn_sequence",
    "burn_sequence_with_status",
    "c3_from_vinf",
    "c3_from_vinf_with_status",
    "circular_speed",
    "circular_speed_with_status",
    "dv_capacity",
    "dv_capacity_with_status",
    "entry_speed",
    "entry_speed_burn",
    "entry_speed_burn_with_status",
    "entry_speed_with_status",
    "escape_speed",
    "escape_speed_with_status",
    "lunar_landing_budget",
    "lunar_plane_change",
    "lunar_plane_change_with_status",
    "parking_radius",
    "parking_radius_with_status",
    "plane_change",
    "plane_change_with_status",
    "propellant_fraction",
    "propellant_fraction_with_status",
    "propellant_mass",
    "propellant_mass_with_status",
    "shoemaker_helin",
    "shoemaker_helin_group",
    "shoemaker_helin_with_status",
    "vinf_from_c3",
    "vinf_from_c3_with_status",
    "wet_mass",
    "wet_mass_with_status",
]
