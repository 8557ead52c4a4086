"""Where a plot goes: one check of an image path, before anything is drawn or computed."""

from __future__ import annotations

from pathlib import Path

from prospect.errors import InputError

__all__ = ["image_path"]


def image_path(path, *, option: str = "path") -> tuple[Path, str]:
    """``(path, format)`` of an image to write, refused before any work if it cannot be.

    The format is the suffix (``.png`` when there is none) and must be one that
    matplotlib's Agg canvas writes (png, pdf, svg, jpg, ...), and the path one
    that can be written (:func:`prospect._io.check_output`: not a directory, in
    an existing writable directory).

    Raises
    ------
    InputError
        An unknown image format or a path that cannot be written (names ``option``).

    Examples
    --------
    >>> image_path("chart.svg")
    (PosixPath('chart.svg'), 'svg')
    >>> image_path("chart.xyz")
    Traceback (most recent call last):
    ...
    prospect.errors.InputError: path: unknown image format 'xyz'; choose from ...
    """
    from matplotlib.backend_bases import FigureCanvasBase

    path = Path(path)
    fmt = path.suffix.lstrip(".").lower() or "png"
    known = FigureCanvasBase.get_supported_filetypes()
    if fmt not in known:
        raise InputError(
            f"unknown image format {fmt!r}; choose from {', '.join(sorted(known))}",
            option=option,
        )
    from prospect._io import check_output

    check_output(path, option=option)  # a writable file, not a directory
    return path, fmt
