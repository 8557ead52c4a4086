"""Exception hierarchy of prospect.

Every error that prospect raises on purpose derives from :class:`ProspectError`,
so a caller (and the CLI) can tell a bad input from a bug.  Errors about a
file carry the file, the record (line number or record index) and the field,
and render as one line::

    catalogs/my_neas.csv: line 12: field 'e': eccentricity 1.2 is outside [0, 1) (...)
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike

__all__ = [
    "CatalogFormatError",
    "DownloadError",
    "InputError",
    "ProspectError",
    "UnknownNameError",
]


class ProspectError(Exception):
    """Root of every error raised on purpose by prospect."""


class InputError(ProspectError, ValueError):
    """A parameter value that cannot be used (empty window, min > max, ...).

    ``option`` names the CLI option or keyword argument at fault.
    """

    def __init__(self, message: str, *, option: str | None = None):
        self.option = option
        self.reason = message
        super().__init__(f"{option}: {message}" if option else message)


class CatalogFormatError(ProspectError, ValueError):
    """A catalog or data file that cannot be read as its format says.

    Parameters
    ----------
    message : str
        What is wrong, in words a user can act on.
    path : str or PathLike, optional
        The file.
    record : int or str, optional
        Line number (1-based, for text formats) or record label/index.
    field : str, optional
        The field (column, key) at fault.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike | None = None,
        record: int | str | None = None,
        field: str | None = None,
    ):
        self.path = None if path is None else str(path)
        self.record = record
        self.field = field
        self.reason = message
        parts = []
        if self.path is not None:
            parts.append(self.path)
        if record is not None:
            parts.append(f"line {record}" if isinstance(record, int) else f"record {record}")
        if field is not None:
            parts.append(f"field '{field}'")
        parts.append(message)
        super().__init__(": ".join(parts))


class UnknownNameError(ProspectError, LookupError):
    """A target, mission, site, launcher or consortium name that is not known.

    ``suggestions`` holds close matches (possibly empty).
    """

    def __init__(self, kind: str, name: str, suggestions: Sequence[str] = ()):
        self.kind = kind
        self.name = name
        self.suggestions = list(suggestions)
        msg = f"unknown {kind} '{name}'"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(f"'{s}'" for s in self.suggestions) + "?"
        super().__init__(msg)

    def __str__(self) -> str:  # LookupError would quote the message otherwise
        return self.args[0]


class DownloadError(ProspectError):
    """A catalog download that failed; the previous catalog stays active."""
