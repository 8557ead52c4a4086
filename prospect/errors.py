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
    "ProspectWarning",
    "UnknownNameError",
]


class ProspectError(Exception):
    """Root of every error raised on purpose by prospect."""


class InputError(ProspectError, ValueError):
    """A parameter value that cannot be used (empty window, min > max, ...).

    Parameters
    ----------
    message : str
        What is wrong.  With ``mentions``, each ``{name}`` in it stands for
        another parameter the user may change.
    option : str, optional
        The Python parameter at fault (``"tof_max_days"``); the CLI replaces it
        with its own flag (``prospect.cli._flags``).
    mentions : dict, optional
        Parameter name -> the value to suggest for it.  The library spells
        each as Python (``resume=True``); :meth:`spelled` lets the CLI spell
        them as its flags (``--resume``).

    Examples
    --------
    >>> str(InputError("must be >= 1, got 0", option="top"))
    'top: must be >= 1, got 0'
    >>> err = InputError("pass {resume} to keep it", option="output", mentions={"resume": True})
    >>> str(err)
    'output: pass resume=True to keep it'
    >>> str(err.spelled("--output", lambda name, value: "--" + name))
    '--output: pass --resume to keep it'
    """

    def __init__(self, message: str, *, option: str | None = None, mentions=None):
        self.option = option
        self.template = message
        self.mentions = dict(mentions or {})
        self.reason = self._render(lambda name, value: f"{name}={value!r}")
        super().__init__(f"{option}: {self.reason}" if option else self.reason)

    def _render(self, spell) -> str:
        text = self.template
        for name, value in self.mentions.items():
            text = text.replace("{" + name + "}", spell(name, value))
        return text

    def spelled(self, option: str | None, spell) -> InputError:
        """The same error naming ``option`` and spelling each mention with ``spell``.

        ``spell(name, value) -> str`` renders one mentioned parameter (the CLI:
        as its flag).  The new error chains nothing; its ``template`` and
        ``mentions`` are this one's, so it can be spelled again.
        """
        out = InputError(self.template, option=option, mentions=self.mentions)
        out.reason = self._render(spell)
        out.args = (f"{option}: {out.reason}" if option else out.reason,)
        return out


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
        shown = name if name.isprintable() else repr(name)[1:-1]  # one line, whatever the name
        msg = f"unknown {kind} '{shown}'"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(f"'{s}'" for s in self.suggestions) + "?"
        super().__init__(msg)

    def __str__(self) -> str:  # LookupError would quote the message otherwise
        return self.args[0]


class DownloadError(ProspectError):
    """A catalog download that failed; the previous catalog stays active."""


class ProspectWarning(UserWarning):
    """A result that stands but needs a caveat (a date far outside a model's stated span).

    ``option`` names the Python parameter concerned, as :class:`InputError`
    does; the CLI prints each warning as one line, ``Warning: FLAG: ...``, on stderr.
    """

    def __init__(self, message: str, *, option: str | None = None):
        self.option = option
        self.reason = message
        super().__init__(f"{option}: {message}" if option else message)
