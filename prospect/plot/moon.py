"""Map of ranked Moon sites: an equirectangular near-side/far-side map with polar
stereographic insets for both poles, sites coloured by score, the best ones labelled.

Plotting only draws: the table comes from :func:`prospect.scan.moon.rank_moon`
(columns ``rank``, ``id``, ``lat_deg``, ``lon_deg_east``, ``score`` and, when present,
``has_resource``); nothing is computed here but map coordinates.  The figure is a
plain :class:`matplotlib.figure.Figure` on an Agg canvas (no pyplot state), so it
renders on a machine without a display.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from prospect._io import atomic_path
from prospect.plot._files import image_path

__all__ = ["plot_moon_sites", "save_moon_sites"]

#: Latitude (absolute, degrees) poleward of which a site appears in a pole inset (and is
#: labelled there rather than on the main map): 79 deg, the edge of the southern
#: COSPAR IIb zone.
INSET_LAT_DEG = 79.0


def _polar_xy(lat_deg, lon_deg, south: bool):
    """Polar stereographic coordinates on the unit sphere, 0 deg E toward Earth.

    South pole: 0 E at the top, 90 E to the right; north pole: 0 E at the bottom,
    90 E to the right (the orientation of USGS/LROC polar maps, both with the
    near side toward the equator of the main map).
    """
    colat = np.radians(90.0 - np.abs(np.asarray(lat_deg, dtype=float)))
    rho = 2.0 * np.tan(colat / 2.0)
    lon = np.radians(np.asarray(lon_deg, dtype=float))
    x = rho * np.sin(lon)
    y = rho * np.cos(lon) if south else -rho * np.cos(lon)
    return x, y


def _label(row) -> str:
    return f"{int(row['rank'])}"


def _lon_text(lon: float) -> str:
    if lon in (0.0, 180.0, -180.0):
        return f"{abs(lon):.0f}°"
    return f"{abs(lon):.0f}°{'E' if lon > 0 else 'W'}"


def _pole_inset(ax, ranked, south: bool, norm, cmap, top: int, marker_size: float):
    rmax = 2.0 * np.tan(np.radians(90.0 - INSET_LAT_DEG) / 2.0)
    t = np.linspace(0.0, 2.0 * np.pi, 181)
    for lat in (85.0, INSET_LAT_DEG):
        r = 2.0 * np.tan(np.radians(90.0 - lat) / 2.0)
        ax.plot(r * np.cos(t), r * np.sin(t), color="0.75", lw=0.6, zorder=1)
    for lon in (0.0, 90.0, 180.0, -90.0):
        x, y = _polar_xy([INSET_LAT_DEG, 90.0], [lon, lon], south)
        ax.plot(x, y, color="0.75", lw=0.6, zorder=1)
        tx, ty = _polar_xy(INSET_LAT_DEG - 1.2, lon, south)
        ax.text(float(tx), float(ty), _lon_text(lon), fontsize=6, ha="center", va="center")
    sign = -1.0 if south else 1.0
    sel = ranked[sign * ranked["lat_deg"] >= INSET_LAT_DEG]
    if len(sel):
        x, y = _polar_xy(sel["lat_deg"], sel["lon_deg_east"], south)
        has = (
            sel["has_resource"].to_numpy(bool) if "has_resource" in sel else np.ones(len(sel), bool)
        )
        ax.scatter(
            x[has],
            y[has],
            c=sel["score"].to_numpy(float)[has],
            cmap=cmap,
            norm=norm,
            s=marker_size,
            edgecolors="k",
            linewidths=0.4,
            zorder=3,
        )
        ax.scatter(x[~has], y[~has], marker="x", c="0.4", s=marker_size * 0.6, lw=0.8, zorder=2)
        for (_, row), xi, yi in zip(sel.iterrows(), x, y, strict=True):
            if row["rank"] <= top:
                ax.annotate(
                    _label(row),
                    (xi, yi),
                    xytext=(3, 3),
                    textcoords="offset points",
                    fontsize=6,
                    zorder=4,
                )
    lim = rmax * 1.15
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(
        f"{'South' if south else 'North'} pole, poleward of {INSET_LAT_DEG:g}°"
        f"{'S' if south else 'N'} (ring at 85°)",
        fontsize=8,
    )


def plot_moon_sites(ranked, *, top: int = 5, title: str | None = None) -> Figure:
    """Draw ranked Moon sites on a global map with both poles enlarged.

    Parameters
    ----------
    ranked : DataFrame
        Output of :func:`prospect.scan.moon.rank_moon` (at least ``rank``, ``id``,
        ``lat_deg``, ``lon_deg_east`` and ``score``; ``has_resource`` draws sites
        lacking the resource as grey crosses).  May be empty.
    top : int
        Label the sites ranked 1..top (with "rank. id").
    title : str, optional
        Figure title; default built from ``ranked.attrs`` (resource, mission, via).

    Returns
    -------
    matplotlib.figure.Figure
        Axes, in order: the equirectangular map (longitude -180..180 E, near side
        |lon| <= 90 unshaded, far side shaded), the south-pole inset, the list of
        the top sites, the north-pole inset and the colour bar of the score.

    Examples
    --------
    >>> from prospect.scan.moon import rank_moon
    >>> fig = plot_moon_sites(rank_moon("mx-1", "water"), top=3)
    >>> len(fig.axes)
    5
    """
    fig = Figure(figsize=(11.0, 7.0), layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(2, 3, height_ratios=[1.35, 1.0], width_ratios=[1.0, 1.1, 1.0])
    ax = fig.add_subplot(grid[0, :])
    ax_s = fig.add_subplot(grid[1, 0])
    ax_list = fig.add_subplot(grid[1, 1])
    ax_n = fig.add_subplot(grid[1, 2])
    ax_list.set_axis_off()
    cmap = "viridis"
    norm = _score_norm(ranked)
    size = 36.0
    _near_and_far_side(ax)
    if len(ranked):
        _main_map_sites(ax, ranked, norm, cmap, top, size)
        _top_list(ax_list, ranked[ranked["rank"] <= top])
    else:
        ax.text(0.0, 0.0, "no site to show", ha="center", va="center", fontsize=12)
    _main_map_axes(ax)
    _pole_inset(ax_s, ranked, True, norm, cmap, top, size)
    _pole_inset(ax_n, ranked, False, norm, cmap, top, size)
    fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=[ax, ax_s, ax_list, ax_n], label="score")
    fig.suptitle(_title(ranked) if title is None else title)
    return fig


def _score_norm(ranked) -> Normalize:
    """Colour scale over the finite scores (0..1 when there are none; widened when flat)."""
    scores = ranked["score"].to_numpy(float) if len(ranked) else np.zeros(0)
    finite = scores[np.isfinite(scores)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if hi <= lo:
        lo, hi = lo - 0.05, hi + 0.05
    return Normalize(vmin=lo, vmax=hi)


def _near_and_far_side(ax) -> None:
    """Shade the far side (|lon| > 90), mark the inset latitudes and name the sides."""
    ax.axvspan(-180.0, -90.0, color="0.92", zorder=0)
    ax.axvspan(90.0, 180.0, color="0.92", zorder=0)
    for lon in (-90.0, 90.0):
        ax.axvline(lon, color="0.6", lw=0.8, zorder=1)
    for lat in (-INSET_LAT_DEG, INSET_LAT_DEG):
        ax.axhline(lat, color="0.8", lw=0.6, ls="--", zorder=1)
    side = ax.get_xaxis_transform()  # x in data, y in axes fraction
    ax.text(0.0, 1.01, "near side", transform=side, ha="center", va="bottom", fontsize=8)
    for lon in (-135.0, 135.0):
        ax.text(lon, 1.01, "far side", transform=side, ha="center", va="bottom", fontsize=8)


def _main_map_sites(ax, ranked, norm, cmap, top: int, size: float) -> None:
    """Sites coloured by score (crosses: lacking the resource); the best non-polar labelled."""
    scores = ranked["score"].to_numpy(float)
    has = (
        ranked["has_resource"].to_numpy(bool)
        if "has_resource" in ranked
        else np.ones(len(ranked), bool)
    )
    lon_all = ranked["lon_deg_east"].to_numpy(float)
    lat_all = ranked["lat_deg"].to_numpy(float)
    ax.scatter(
        lon_all[has],
        lat_all[has],
        c=scores[has],
        cmap=cmap,
        norm=norm,
        s=size,
        edgecolors="k",
        linewidths=0.4,
        zorder=3,
    )
    if (~has).any():
        ax.scatter(
            lon_all[~has],
            lat_all[~has],
            marker="x",
            c="0.4",
            s=size * 0.6,
            lw=0.8,
            zorder=2,
            label="lacks the resource",
        )
        ax.legend(loc="lower left", fontsize=7)
    polar = ranked["lat_deg"].abs() >= INSET_LAT_DEG
    for _, row in ranked[(ranked["rank"] <= top) & ~polar].iterrows():
        ax.annotate(
            _label(row),
            (row["lon_deg_east"], row["lat_deg"]),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=7,
            zorder=4,
        )


def _top_list(ax_list, best) -> None:
    """The best sites as a monospace table (rank, id, score, name)."""
    if not len(best):
        return
    lines = ["rank  id    score  name"] + [
        f"{int(r['rank']):>4}  {r['id']:<5} {r['score']:.3f}  {str(r.get('name', ''))[:30]}"
        for _, r in best.iterrows()
    ]
    ax_list.text(
        0.0,
        1.0,
        "\n".join(lines),
        transform=ax_list.transAxes,
        ha="left",
        va="top",
        fontsize=6.5,
        family="monospace",
    )


def _main_map_axes(ax) -> None:
    """Equirectangular frame: -180..180 E, -90..90, 45/30 deg ticks and a light grid."""
    ax.set_xlim(-180.0, 180.0)
    ax.set_ylim(-90.0, 90.0)
    ax.set_aspect("equal")
    ax.set_xticks(np.arange(-180, 181, 45))
    ax.set_yticks(np.arange(-90, 91, 30))
    ax.set_xlabel("longitude, deg E")
    ax.set_ylabel("latitude, deg")
    ax.grid(True, color="0.85", lw=0.5, zorder=0)


def _title(ranked) -> str:
    """Default title from ``ranked.attrs`` (resource, mission, via)."""
    a = ranked.attrs
    title = "Moon sites"
    if a.get("resource"):
        title = f"Moon sites for {a['resource']}"
    if a.get("mission"):
        title += f", lander {a['mission']}"
    if a.get("via"):
        title += f" via {a['via'].upper()}"
    return title


def save_moon_sites(ranked, path, *, dpi: int = 120, **kwargs) -> Path:
    """Draw (:func:`plot_moon_sites`) and write the image atomically.

    The figure goes to a temporary file in the target directory that then replaces
    `path` (:func:`os.replace`): a reader never sees a half-written image.  The
    format follows the suffix (PNG by default).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from prospect.scan.moon import rank_moon
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = save_moon_sites(rank_moon("mx-1", "water"), pathlib.Path(d) / "map.png")
    ...     out.read_bytes()[:4] == b"\\x89PNG"
    True
    """
    path, fmt = image_path(path)  # refused before drawing
    fig = plot_moon_sites(ranked, **kwargs)
    with atomic_path(path, option="path") as tmp:
        fig.savefig(tmp, dpi=dpi, format=fmt)
    return path
