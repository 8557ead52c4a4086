"""Summary charts of a survey: accessible targets against delta-v and against duration.

Draws what :func:`prospect.survey.count_grid` computed (as NHATS's summary
charts do: number of accessible targets under each maximum delta-v, for
several maximum durations, and the reverse); never computes a trajectory.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from prospect._io import atomic_path
from prospect.plot._files import image_path

__all__ = ["plot_counts"]


def plot_counts(counts: pd.DataFrame, path, *, title: str = "", curves: int = 5):
    """Two panels: targets vs maximum delta-v (a curve per duration) and vs maximum duration.

    Parameters
    ----------
    counts : DataFrame
        :func:`prospect.survey.count_grid` (index ``max_dv_km_s``, columns days).
    path : path
        Image file (format from the suffix), written atomically.
    title : str
    curves : int
        At most this many curves per panel (evenly chosen).

    Returns
    -------
    matplotlib.figure.Figure
    """
    path, fmt = image_path(path)  # refused before drawing
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    FigureCanvasAgg(fig)
    ax1, ax2 = fig.subplots(1, 2)
    dv = counts.index.to_numpy(dtype=float)
    durs = list(counts.columns)
    pick = sorted({durs[int(k)] for k in np.linspace(0, len(durs) - 1, min(curves, len(durs)))})
    for d in pick:
        ax1.step(dv, counts[d].to_numpy(), where="post", label=f"<= {d} d")
    ax1.set_xlabel("maximum delta-v (km/s)")
    ax1.set_ylabel("accessible targets")
    ax1.legend(title="duration", fontsize=8)
    rows = sorted({dv[int(k)] for k in np.linspace(0, len(dv) - 1, min(curves, len(dv)))})
    for v in rows:
        ax2.step(durs, counts.loc[v].to_numpy(), where="post", label=f"<= {v:g} km/s")
    ax2.set_xlabel("maximum duration (days)")
    ax2.set_ylabel("accessible targets")
    ax2.legend(title="delta-v", fontsize=8)
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title)
    with atomic_path(path, option="path") as tmp:
        fig.savefig(tmp, format=fmt)
    return fig
