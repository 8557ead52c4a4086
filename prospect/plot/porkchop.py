"""Pork-chop contour plot of a grid that :func:`prospect.scan.porkchop` computed.

Axes are departure date (x) and arrival date (y), the classic layout of the
NASA mission-design handbooks; filled contours show C3 or the total delta-v,
thin grey lines are times of flight, a star marks the optimum.  Nothing is
computed here but the drawing: the grid, the optimum and the arrival dates
come from the result.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from prospect._io import atomic_path
from prospect.core.constants import DAY_S
from prospect.epochs import quiet_erfa, time_from_tdb_seconds
from prospect.plot._files import image_path

__all__ = ["plot_porkchop", "save_porkchop"]

_LABELS = {
    "c3_km2_s2": "launch C3 (km$^2$/s$^2$)",
    "dv_total_km_s": "total $\\Delta v$ from parking orbit (km/s)",
    "dv_departure_km_s": "departure $\\Delta v$ (km/s)",
    "dv_arrival_km_s": "arrival $\\Delta v$ (km/s)",
    "vinf_dep_km_s": "departure $v_\\infty$ (km/s)",
    "vinf_arr_km_s": "arrival $v_\\infty$ (km/s)",
}


def _mpl_dates(seconds: np.ndarray) -> np.ndarray:
    """Matplotlib date numbers (days since 1970, UTC) of TDB seconds since J2000."""
    flat = np.asarray(seconds, dtype=float).ravel()
    with quiet_erfa():
        dt64 = time_from_tdb_seconds(flat).utc.datetime64
    return mdates.date2num(dt64).reshape(np.shape(seconds))


def plot_porkchop(
    result,
    *,
    quantity: str = "dv",
    best=None,
    levels: int | np.ndarray = 16,
    vmax: float | None = None,
    tof_step_days: float | None = None,
    title: str | None = None,
) -> Figure:
    """Draw a computed pork-chop grid.

    Parameters
    ----------
    result : PorkchopResult
        The grid (``indexing="ij"``, shape (n_departure, n_tof)).
    quantity : str
        ``"dv"`` (total delta-v) or ``"c3"``, or any grid name of the result.
    best : Transfer, optional
        Optimum to mark (default ``result.best(quantity)``, the best grid cell).
    levels : int or array
        Contour levels (count or values).
    vmax : float, optional
        Upper end of the colour scale (default: the 25th percentile of the
        finite values, so the low valleys keep their resolution).
    tof_step_days : float, optional
        Spacing of the time-of-flight lines (default: about 8 lines).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        On an Agg canvas; save it with ``fig.savefig(path)``.

    Examples
    --------
    >>> from prospect.scan import porkchop
    >>> pc = porkchop("mars", "2020-06-01", "2020-09-30", 120, 360, step_days=10)
    >>> fig = plot_porkchop(pc, quantity="c3")
    >>> fig.axes[0].get_xlabel()
    'departure date (UTC)'
    """
    values = np.asarray(result.quantity(quantity), dtype=float)
    name = {"dv": "dv_total_km_s", "c3": "c3_km2_s2"}.get(quantity, quantity)
    dep = np.asarray(result.departure_s, dtype=float)
    tof = np.asarray(result.tof_days, dtype=float)
    arr_s = dep[:, None] + tof[None, :] * DAY_S
    x = np.broadcast_to(_mpl_dates(dep)[:, None], arr_s.shape)
    y = _mpl_dates(arr_s)
    finite = values[np.isfinite(values)]
    fig = Figure(figsize=(8.0, 6.0), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if finite.size:
        lo = float(finite.min())
        # Default scale: the cheaper quarter of the finite cells, so the structure of the
        # low-cost valleys is resolved instead of being one colour below a far maximum.
        hi = float(vmax) if vmax is not None else float(np.percentile(finite, 25))
        if not hi > lo:
            hi = lo + 1.0
        lv = np.linspace(lo, hi, int(levels)) if np.isscalar(levels) else np.asarray(levels)
        z = np.ma.masked_invalid(np.where(values > hi, np.nan, values))
        if x.shape[0] > 1 and x.shape[1] > 1:
            cs = ax.contourf(x, y, z, levels=lv, cmap="viridis_r")
            ax.contour(x, y, z, levels=lv, colors="k", linewidths=0.3, alpha=0.5)
            fig.colorbar(cs, ax=ax, label=_LABELS.get(name, name), format="%.2f")
        else:
            sc = ax.scatter(x.ravel(), y.ravel(), c=z.ravel(), cmap="viridis_r")
            fig.colorbar(sc, ax=ax, label=_LABELS.get(name, name))
        # time-of-flight lines: arrival - departure = const
        if x.shape[0] > 1 and x.shape[1] > 1:
            span = float(tof[-1] - tof[0]) if tof.size > 1 else 1.0
            step = tof_step_days or max(1.0, round(span / 8.0 / 10.0) * 10.0 or span / 8.0)
            tl = np.arange(np.ceil(tof[0] / step) * step, tof[-1] + 1e-9, step)
            if tl.size:
                tof2 = np.broadcast_to(tof[None, :], arr_s.shape)
                ct = ax.contour(
                    x, y, tof2, levels=tl, colors="0.45", linewidths=0.6, linestyles="dashed"
                )
                ax.clabel(ct, fmt=lambda v: f"{v:.0f} d", fontsize=7)
        opt = best if best is not None else result.best(quantity)
        if opt is not None:
            bx = _mpl_dates(np.array([opt.departure_s]))[0]
            by = _mpl_dates(np.array([opt.departure_s + opt.tof_days * DAY_S]))[0]
            val = getattr(opt, name)
            ax.plot(
                [bx],
                [by],
                marker="*",
                ms=14,
                mec="k",
                mfc="gold",
                ls="none",
                label=f"optimum {val:.3f} ({opt.departure} + {opt.tof_days:.0f} d)",
            )
            ax.legend(loc="upper left", fontsize=8)
    else:
        ax.text(
            0.5, 0.5, "no transfer on this grid", ha="center", va="center", transform=ax.transAxes
        )
    for axis in (ax.xaxis, ax.yaxis):
        loc = mdates.AutoDateLocator()
        axis.set_major_locator(loc)
        axis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    ax.set_xlabel("departure date (UTC)")
    ax.set_ylabel("arrival date (UTC)")
    ax.set_title(title or f"Earth to {result.target}: {_LABELS.get(name, name)} ({result.mode})")
    return fig


def save_porkchop(result, path, *, dpi: int = 120, **kwargs) -> Path:
    """Draw (:func:`plot_porkchop`) and write a PNG (or any Agg format) atomically."""
    path, fmt = image_path(path)  # refused before drawing
    fig = plot_porkchop(result, **kwargs)
    with atomic_path(path, option="path") as tmp:
        fig.savefig(tmp, dpi=dpi, format=fmt)
    return path
