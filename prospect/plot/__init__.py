"""Plots of computed results (layer 4): they draw, they never compute.

Each function takes a result object of the analyses (for instance a
:class:`prospect.scan.PorkchopResult`) and returns a matplotlib ``Figure``
built on the Agg canvas, so nothing here touches pyplot's global state or
needs a display.
"""

from prospect.plot.porkchop import plot_porkchop, save_porkchop

__all__ = ["plot_porkchop", "save_porkchop"]
