"""Where shipped catalogs and the user's cache live.

The shipped catalogs sit in ``catalogs/`` at the top of the repository and are
installed as package data under ``prospect/catalogs/`` (see ``pyproject.toml``).
An editable install or a source checkout finds them at the repository top.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = ["catalog_dir", "catalog_path", "user_cache_dir"]


def catalog_dir() -> Path:
    """Directory holding the shipped catalogs (installed wheel or source tree)."""
    installed = Path(str(resources.files("prospect"))) / "catalogs"
    if installed.is_dir():
        return installed
    source = Path(__file__).resolve().parent.parent / "catalogs"
    if source.is_dir():
        return source
    raise FileNotFoundError(
        "prospect's shipped catalogs were not found (looked in "
        f"{installed} and {source}); reinstall the package"
    )


def catalog_path(name: str) -> Path:
    """Path of one shipped catalog file by its file name."""
    return catalog_dir() / name


def user_cache_dir() -> Path:
    """Per-user cache directory (``$PROSPECT_CACHE_DIR`` overrides it); created on demand.

    Private: created 0700; one owned by another user or writable by others
    raises :class:`prospect._io.CacheDirError` (:func:`prospect._io.private_dir`).
    """
    env = os.environ.get("PROSPECT_CACHE_DIR")
    if env:
        path = Path(env)
    else:
        from platformdirs import user_cache_dir as _ucd

        path = Path(_ucd("prospect", appauthor=False))
    from prospect._io import private_dir

    return private_dir(path)
