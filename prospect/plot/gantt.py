"""Gantt-style chart of a mission timeline that :func:`prospect.cost.plan` computed.

One horizontal bar per phase (development, wait for the launch window,
transfer, phasing, operations, return), dated on the x axis, with the key
milestones (ready, launch, arrival, end) marked.  Nothing is computed here:
the phases and dates come from the :class:`prospect.cost.timeline.Timeline`.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import matplotlib.dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from prospect._io import atomic_path
from prospect.plot._files import image_path

__all__ = ["plot_gantt", "save_gantt"]

_COLORS = {
    "development": "#4C72B0",
    "wait for launch window": "#BBBBBB",
    "transfer": "#DD8452",
    "operations at target": "#55A868",
    "return to Earth": "#C44E52",
}


def _d(iso: str) -> float:
    return mdates.date2num(_dt.date.fromisoformat(iso))


def plot_gantt(timeline, *, title: str | None = None) -> Figure:
    """Draw the phases of a timeline as horizontal bars.

    Parameters
    ----------
    timeline : Timeline
        ``plan(...).timeline`` (phases with ISO start/end dates).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        On an Agg canvas (no display needed); save with ``fig.savefig(path)``.

    Examples
    --------
    >>> from prospect.cost.timeline import build_timeline
    >>> tl = build_timeline("2027-01-01", 10, launch="2027-12-01", transfer_days=200,
    ...                     stay_days=14)
    >>> fig = plot_gantt(tl)
    >>> len(fig.axes[0].patches) == len(tl.phases)
    True
    """
    phases = list(timeline.phases)
    fig = Figure(figsize=(9.0, 0.55 * len(phases) + 1.6))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    for i, ph in enumerate(phases):
        x0, x1 = _d(ph.start), _d(ph.end)
        ax.barh(
            i,
            max(x1 - x0, 0.5),
            left=x0,
            height=0.6,
            color=_COLORS.get(ph.name, "#8172B3"),
            edgecolor="black",
            linewidth=0.5,
        )
        ax.text(
            x1,
            i,
            f"  {ph.days:g} d",
            va="center",
            ha="left",
            fontsize=8,
        )
    ax.set_yticks(range(len(phases)))
    ax.set_yticklabels([p.name for p in phases])
    ax.invert_yaxis()
    marks = (
        ("ready", timeline.ready),
        ("launch", timeline.launch),
        ("arrival", timeline.arrival),
        ("end", timeline.end),
    )
    for _label, iso in marks:
        ax.axvline(_d(iso), color="black", linestyle=":", linewidth=0.8)
    ax.text(
        0.0,
        1.01,
        "   ".join(f"{label} {iso}" for label, iso in marks),
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=8,
    )
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.set_xlabel("date (UTC)")
    ax.set_ylim(len(phases) - 0.4, -0.6)
    ax.grid(axis="x", linestyle="-", linewidth=0.3, alpha=0.5)
    ax.set_title(title or f"Mission timeline from {timeline.start}", pad=16)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def save_gantt(timeline, path, *, title: str | None = None, dpi: int = 120) -> Path:
    """Draw the timeline and write it to ``path`` (PNG, PDF or SVG by extension)."""
    path, fmt = image_path(path)  # refused before drawing
    fig = plot_gantt(timeline, title=title)
    with atomic_path(path, option="path") as tmp:
        fig.savefig(tmp, dpi=dpi, format=fmt)
    return path
