"""The rocket equation: propellant, wet mass, delta-v capacity and burn sequences
(Tsiolkovsky; Curtis 3rd ed. section 6.2).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from prospect.core._elementwise import (
    _INFEASIBLE,
    _NEG_SPEED,
    _NONFINITE,
    _NONPOS,
    _OK,
    _arrays,
    _finish,
    _flag,
    _new_status,
)
from prospect.core.constants import (
    G0_KM_S2,
)
from prospect.core.status import Checked

__all__ = [
    "Burns",
    "burn_sequence",
    "burn_sequence_with_status",
    "dv_capacity",
    "dv_capacity_with_status",
    "propellant_fraction",
    "propellant_fraction_with_status",
    "propellant_mass",
    "propellant_mass_with_status",
    "wet_mass",
    "wet_mass_with_status",
]


# --------------------------------------------------------------------------
# Rocket equation (Tsiolkovsky), g0 = 9.80665 m/s^2
# --------------------------------------------------------------------------


def propellant_fraction(dv_km_s, isp_s):
    """Propellant fraction of the initial mass: m_p / m_0 = 1 - exp(-dv / (Isp g0)).

    Parameters
    ----------
    dv_km_s : array_like, shape (...)
        Delta-v, km/s (>= 0).
    isp_s : array_like, shape (...)
        Specific impulse, s (> 0).

    Returns
    -------
    fraction : ndarray, shape (...)

    Examples
    --------
    >>> round(float(propellant_fraction(1.0, 320.0)), 3)  # DOMAIN.md 5.1: 0.273
    0.273
    """
    return propellant_fraction_with_status(dv_km_s, isp_s).value


def propellant_fraction_with_status(dv_km_s, isp_s) -> Checked:
    """As :func:`propellant_fraction`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    dv, isp = _arrays(dv_km_s, isp_s)
    status = _new_status(dv.shape, dv, isp)
    _flag(status, dv < 0.0, _NEG_SPEED)
    _flag(status, isp <= 0.0, _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = -np.expm1(-dv / (isp * G0_KM_S2))
    return _finish(frac, status)


def propellant_mass(dv_km_s, m_final_kg, isp_s):
    """Propellant to give a final mass m_f a delta-v: m_p = m_f (exp(dv / (Isp g0)) - 1).

    Parameters
    ----------
    dv_km_s : array_like, shape (...)
        Delta-v, km/s (>= 0).
    m_final_kg : array_like, shape (...)
        Mass after the burn (burnout mass), kg (> 0).
    isp_s : array_like, shape (...)
        Specific impulse, s (> 0).

    Returns
    -------
    m_prop_kg : ndarray, shape (...)

    Examples
    --------
    >>> round(float(propellant_mass(3.0, 1000.0, 450.0)), 1)
    973.5
    """
    return propellant_mass_with_status(dv_km_s, m_final_kg, isp_s).value


def propellant_mass_with_status(dv_km_s, m_final_kg, isp_s) -> Checked:
    """As :func:`propellant_mass`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    dv, mf, isp = _arrays(dv_km_s, m_final_kg, isp_s)
    status = _new_status(dv.shape, dv, mf, isp)
    _flag(status, dv < 0.0, _NEG_SPEED)
    _flag(status, (mf <= 0.0) | (isp <= 0.0), _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        mp = mf * np.expm1(dv / (isp * G0_KM_S2))
    return _finish(mp, status)


def wet_mass(dv_km_s, dry_kg, isp_s, tank_fraction=0.0):
    """Initial (wet) mass that gives a dry mass a delta-v, with optional tankage.

    The tanks and structure that carry the propellant weigh ``tank_fraction``
    times the propellant and stay on board (DOMAIN.md 5.1: typically 0.05-0.15
    [A]; default 0, no tankage).  With R = exp(dv / (Isp g0)):

    ``m_p = (R - 1) m_dry / (1 - f (R - 1))``,  ``m_0 = m_dry + (1 + f) m_p``,

    infeasible (NaN, status 5) when f (R - 1) >= 1: the tanks alone would use
    up the delta-v.

    Parameters
    ----------
    dv_km_s : array_like, shape (...)
        Delta-v, km/s (>= 0).
    dry_kg : array_like, shape (...)
        Dry mass without the propellant tankage (payload + bus), kg (> 0).
    isp_s : array_like, shape (...)
        Specific impulse, s (> 0).
    tank_fraction : array_like, shape (...)
        Tank/structure mass per kg of propellant (>= 0).

    Returns
    -------
    m_wet_kg : ndarray, shape (...)

    Examples
    --------
    >>> round(float(wet_mass(3.0, 1000.0, 450.0)), 1)
    1973.5
    """
    return wet_mass_with_status(dv_km_s, dry_kg, isp_s, tank_fraction).value


def wet_mass_with_status(dv_km_s, dry_kg, isp_s, tank_fraction=0.0) -> Checked:
    """As :func:`wet_mass`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    dv, dry, isp, f = _arrays(dv_km_s, dry_kg, isp_s, tank_fraction)
    status = _new_status(dv.shape, dv, dry, isp, f)
    _flag(status, (dv < 0.0) | (f < 0.0), _NEG_SPEED)
    _flag(status, (dry <= 0.0) | (isp <= 0.0), _NONPOS)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        rm1 = np.expm1(dv / (isp * G0_KM_S2))
        denom = 1.0 - f * rm1
        _flag(status, denom <= 0.0, _INFEASIBLE)
        mp = rm1 * dry / denom
        m0 = dry + (1.0 + f) * mp
    return _finish(m0, status)


def dv_capacity(m_wet_kg, m_dry_kg, isp_s):
    """Delta-v a stage can give: dv = Isp g0 ln(m_wet / m_dry), km/s.

    Parameters
    ----------
    m_wet_kg : array_like, shape (...)
        Initial mass, kg (> 0, >= m_dry).
    m_dry_kg : array_like, shape (...)
        Final mass, kg (> 0).
    isp_s : array_like, shape (...)
        Specific impulse, s (> 0).

    Returns
    -------
    dv_km_s : ndarray, shape (...)

    Examples
    --------
    >>> round(float(dv_capacity(2000.0, 1000.0, 320.0)), 4)
    2.1752
    """
    return dv_capacity_with_status(m_wet_kg, m_dry_kg, isp_s).value


def dv_capacity_with_status(m_wet_kg, m_dry_kg, isp_s) -> Checked:
    """As :func:`dv_capacity`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    mw, md, isp = _arrays(m_wet_kg, m_dry_kg, isp_s)
    status = _new_status(mw.shape, mw, md, isp)
    _flag(status, (mw <= 0.0) | (md <= 0.0) | (isp <= 0.0), _NONPOS)
    _flag(status, mw < md, _INFEASIBLE)
    with np.errstate(invalid="ignore", divide="ignore"):
        dv = isp * G0_KM_S2 * np.log(mw / md)
    return _finish(dv, status)


class Burns(NamedTuple):
    """Masses of a burn sequence (:func:`burn_sequence`)."""

    m0_kg: np.ndarray  # initial (wet) mass, shape (...)
    propellant_kg: np.ndarray  # propellant of each burn, shape (..., n)


def burn_sequence(dv_km_s, isp_s, m_final_kg, drop_kg=None):
    """Masses for a sequence of burns with different Isp, with optional drops between them.

    Works backwards from the final mass: before burn k the vehicle weighs
    ``(m_after_k) * exp(dv_k / (Isp_k g0))``, and ``drop_kg[k]`` (a spent
    stage, a lander left behind) is added back before burn k+1 -- i.e. it is
    jettisoned right after burn k.

    Parameters
    ----------
    dv_km_s : array_like, shape (..., n)
        Delta-v of each burn, in flight order, km/s (>= 0).
    isp_s : array_like, shape (..., n)
        Isp of the engine for each burn, s (> 0).
    m_final_kg : array_like, shape (...)
        Mass after the last burn (and after the last drop), kg (> 0).
    drop_kg : array_like, shape (..., n), optional
        Mass jettisoned just after each burn, kg (>= 0); default none.

    Returns
    -------
    Burns
        ``m0_kg`` (ndarray, shape (...)): mass before the first burn;
        ``propellant_kg`` (ndarray, shape (..., n)): propellant burnt in each burn.

    Examples
    --------
    A 3.2 km/s departure (Isp 450 s) then a 1.0 km/s arrival (Isp 320 s),
    1000 kg at the end:

    >>> m0, mp = burn_sequence([3.2, 1.0], [450.0, 320.0], 1000.0)
    >>> round(float(m0), 1), [round(float(x), 1) for x in mp]
    (2840.0, [1464.7, 375.3])
    """
    return burn_sequence_with_status(dv_km_s, isp_s, m_final_kg, drop_kg).value


def burn_sequence_with_status(dv_km_s, isp_s, m_final_kg, drop_kg=None) -> Checked:
    """As :func:`burn_sequence`, with the per-element status: ``Checked(value, status)``
    (codes of :data:`DELTAV_STATUS`)."""
    dv = np.asarray(dv_km_s, dtype=np.float64)
    isp = np.asarray(isp_s, dtype=np.float64)
    mf = np.asarray(m_final_kg, dtype=np.float64)
    drop = np.zeros_like(dv) if drop_kg is None else np.asarray(drop_kg, dtype=np.float64)
    if dv.ndim == 0:
        raise ValueError("dv_km_s must have a trailing axis of burns, shape (..., n)")
    try:
        dv, isp, drop = np.broadcast_arrays(dv, isp, drop)
        lead = np.broadcast_shapes(dv.shape[:-1], mf.shape)
    except ValueError as exc:
        raise ValueError(
            f"shapes do not broadcast: dv {dv.shape}, isp {isp.shape}, "
            f"m_final {mf.shape}, drop {drop.shape}"
        ) from exc
    n = dv.shape[-1]
    dv = np.broadcast_to(dv, (*lead, n))
    isp = np.broadcast_to(isp, (*lead, n))
    drop = np.broadcast_to(drop, (*lead, n))
    mf = np.broadcast_to(mf, lead)

    status = np.zeros(lead, dtype=np.int8)
    finite = np.isfinite(dv).all(-1) & np.isfinite(isp).all(-1) & np.isfinite(drop).all(-1)
    _flag(status, ~(finite & np.isfinite(mf)), _NONFINITE)
    _flag(status, (dv < 0.0).any(-1) | (drop < 0.0).any(-1), _NEG_SPEED)
    _flag(status, (isp <= 0.0).any(-1) | (mf <= 0.0), _NONPOS)

    mp = np.empty((*lead, n), dtype=np.float64)
    m = mf.astype(np.float64, copy=True)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for k in range(n - 1, -1, -1):  # loop over burns (a handful), not over targets
            m = m + drop[..., k]
            mp[..., k] = m * np.expm1(dv[..., k] / (isp[..., k] * G0_KM_S2))
            m = m + mp[..., k]
    _flag(status, ~np.isfinite(m), _INFEASIBLE)
    bad = status != _OK
    m0 = np.where(bad, np.nan, m)
    mp = np.where(bad[..., None], np.nan, mp)
    return Checked(Burns(m0[()], mp), status[()])
