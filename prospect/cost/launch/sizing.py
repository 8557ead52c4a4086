"""Closed-loop sizing of the spacecraft for the delta-v it flies itself."""

from __future__ import annotations

import math

import numpy as np

from prospect.core.deltav import propellant_mass, wet_mass

__all__ = ["size_spacecraft", "size_vec"]


def size_spacecraft(
    dry_mass_kg: float,
    isp_s: float,
    dv_km_s: float,
    *,
    propellant_mass_kg: float | None = None,
    tank_fraction: float = 0.0,
) -> dict:
    """Propellant, dry and wet mass of a spacecraft flying ``dv_km_s``.

    Up to the profile's own propellant load the dry mass is the profile's
    (offloading propellant saves no tank mass).  Beyond it, the extra
    propellant needs tanks of ``tank_fraction`` of its mass, which fly as dry
    mass: with ``D' = m_dry - f m_p0``, ``m_wet = D' + (1 + f) m_p`` and
    ``m_p = (R - 1) D' / (1 - f (R - 1))`` (:func:`prospect.core.deltav.wet_mass`).

    Parameters
    ----------
    dry_mass_kg : float
        Profile dry mass (payload, bus and its own tanks), kg.
    isp_s : float
        Specific impulse, s.
    dv_km_s : float
        Delta-v the spacecraft flies, km/s.
    propellant_mass_kg : float, optional
        The profile's propellant load, kg (0 if unknown).
    tank_fraction : float
        Tank/structure mass per kg of extra propellant.

    Returns
    -------
    dict
        ``dry_kg, propellant_kg, wet_kg, tank_growth_kg, feasible, note``.

    Examples
    --------
    >>> s = size_spacecraft(1000.0, 450.0, 3.0)
    >>> round(s["propellant_kg"], 1), s["feasible"]   # m_f (e^(dv/Isp g0) - 1)
    (973.5, True)
    """
    m_p0 = float(propellant_mass_kg or 0.0)
    d, p, w, ok = (
        float(x[0])
        for x in size_vec(
            float(dry_mass_kg), float(isp_s), np.array([dv_km_s]), m_p0, float(tank_fraction)
        )
    )
    if not ok:
        return {
            "dry_kg": math.nan,
            "propellant_kg": math.nan,
            "wet_kg": math.nan,
            "tank_growth_kg": math.nan,
            "feasible": False,
            "note": (
                f"mass does not close: {dv_km_s:.3f} km/s at Isp {isp_s:g} s with "
                f"{tank_fraction:g} kg of tank per kg of propellant (f (R - 1) >= 1)"
                if math.isfinite(dv_km_s) and dv_km_s >= 0 and isp_s > 0
                else f"rocket equation undefined for dv {dv_km_s!r} km/s, Isp {isp_s!r} s"
            ),
        }
    grown = d - float(dry_mass_kg)
    return {
        "dry_kg": d,
        "propellant_kg": p,
        "wet_kg": w,
        "tank_growth_kg": grown,
        "feasible": True,
        "note": (
            f"propellant {p:.1f} kg exceeds the profile's {m_p0:.1f} kg: tanks grow by "
            f"{grown:.1f} kg"
            if m_p0 > 0 and p > m_p0 and tank_fraction > 0
            else None
        ),
    }


def size_vec(dry: float, isp: float, dv: np.ndarray, prop0: float, f: float):
    """Vectorised :func:`size_spacecraft`: (dry, propellant, wet, closes) arrays."""
    plain = np.asarray(propellant_mass(dv, dry, isp), dtype=float)
    if f == 0.0:
        return np.full_like(plain, dry), plain, dry + plain, np.isfinite(plain)
    base = dry - f * prop0
    wet_t = np.asarray(wet_mass(dv, base, isp, f), dtype=float)
    over = plain > prop0
    prop = np.where(over, (wet_t - base) / (1.0 + f), plain)
    dry_out = np.where(over, wet_t - prop, dry)
    ok = np.isfinite(plain) & (~over | np.isfinite(wet_t))
    return dry_out, prop, dry_out + prop, ok
