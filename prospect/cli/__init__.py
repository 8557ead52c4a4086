"""The ``prospect`` command line: a thin typer layer over the public API.

Library errors (:class:`prospect.errors.ProspectError`) become one line on
stderr and a non-zero exit code; ``prospect --debug ...`` (or
``PROSPECT_DEBUG=1``) shows the traceback instead.

Exit codes: 0 success, 1 bad data or input (ProspectError, unreadable file, a
value the option's type refuses, a missing argument, a negative number where a
name or number is expected), 2 usage error (unknown command or option, extra
argument; one line, as every error), 3 internal error (a bug: please report
it).  A :class:`~prospect.errors.ProspectWarning` is one line, ``Warning: ...``,
on stderr.

Each command group lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

import os
import re
import sys
import warnings

import typer
from typer.core import TyperGroup

from prospect._version import __version__
from prospect.errors import ProspectError, ProspectWarning

__all__ = ["app", "main"]


class _State:
    debug: bool = bool(os.environ.get("PROSPECT_DEBUG"))


state = _State()


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``Error: message`` on stderr and return the Exit to raise."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=code)


def _quiet_stdout() -> None:
    """Point stdout at the null device so the exit flush cannot raise again (the
    SIGPIPE recipe of the Python docs, "Note on SIGPIPE", signal module)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class _ProspectGroup(TyperGroup):
    """Top-level group that maps library errors to one clean line on stderr.

    Only public typer names are used (``typer.Exit``), so this works with typer
    releases that use click and with those that vendor it.
    """

    def invoke(self, ctx):
        from prospect import _progress

        with warnings.catch_warnings():
            warnings.simplefilter("always", ProspectWarning)
            warnings.showwarning = _one_line_warning
            _HELD.clear()
            _HELD.append(None)  # hold warnings: inputs are being checked
            if _release_warnings not in _progress.ON_START:  # one hook, however many commands
                _progress.ON_START.append(_release_warnings)
            try:
                result = self._invoke(ctx)
            except typer.Exit as exc:
                if not getattr(exc, "exit_code", 0):
                    _release_warnings()
                raise
            except BaseException:
                _HELD.clear()  # the error is the one line: a held warning is not shown
                raise
            _release_warnings()
            return result

    def _invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except typer.BadParameter as exc:  # a value the option's type refuses: bad input
            if state.debug:
                raise
            raise fail(_bad_value(exc)) from None
        except ProspectError as exc:
            if state.debug:
                raise
            raise fail(str(exc)) from None
        except BrokenPipeError:  # stdout closed by the reader (`| head`): exit quietly
            _quiet_stdout()
            raise typer.Exit(code=1) from None
        except OSError as exc:  # missing/unreadable file named by the user
            if state.debug:
                raise
            name = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            raise fail(f"{name}{exc.strerror or exc}") from None
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if hasattr(exc, "exit_code") and hasattr(exc, "format_message"):
                if _is_usage_error(exc):
                    raise _usage(exc) from None
                raise  # "no arguments": the framework shows the help
            if state.debug:
                raise
            raise fail(
                f"internal error: {type(exc).__name__}: {exc} "
                "(run `prospect --debug ...` for the traceback and please report it)",
                code=3,
            ) from None

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except Exception as exc:  # an unknown option of `prospect` itself
            if _is_usage_error(exc):
                raise _usage(exc) from None
            raise


def _is_usage_error(exc) -> bool:
    """A usage error of the CLI framework (it carries an exit code and a message), other
    than "no arguments: show the help", which must show the help."""
    return (
        hasattr(exc, "exit_code")
        and hasattr(exc, "format_message")
        and type(exc).__name__ != "NoArgsIsHelpError"
        and not state.debug
    )


_NEGATIVE = re.compile(r"-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _usage(exc) -> typer.Exit:
    """One line for a usage error: exit 2, or exit 1 for a negative number given as a value.

    Click reads ``prospect target -1`` as an unknown option ``-1``; that is a bad
    value of the command's argument, so it is named and exits 1 as bad input does.
    An unknown command lists the commands.
    """
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command", None)
    where = getattr(ctx, "command_path", "prospect")
    name = getattr(exc, "option_name", None)
    if type(exc).__name__ == "NoSuchOption" and name and _NEGATIVE.fullmatch(name):
        params = getattr(command, "params", [])
        args = [p for p in params if getattr(p, "param_type_name", "") == "argument"]
        if len(args) == 1:
            return fail(f"{args[0].name.upper()}: {name} is not a valid value (a negative number)")
    message = exc.format_message()
    if message.startswith("No such command") and hasattr(command, "list_commands"):
        names = ", ".join(command.list_commands(ctx))
        return fail(f"{message.rstrip('.')}; commands: {names}", code=exc.exit_code)
    return fail(f"{message} (see '{where} --help')", code=exc.exit_code)


def _bad_value(exc) -> str:
    """``--flag: reason`` of a value the option's type refuses (as the library's errors read)."""
    param = getattr(exc, "param", None)
    flags = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
    if flags and getattr(exc, "message", "") and type(exc).__name__ == "BadParameter":
        return f"{flags[0]}: {exc.message}"
    return exc.format_message()


#: Warnings held while a command checks its inputs: ``[None, line, ...]`` while held, ``[]``
#: once released.  A bad input then gives its one error line alone (a date warning
#: followed by the error of the window it is in was two lines); the held lines are
#: shown when work begins (the first progress report) or the command ends well.
_HELD: list = []


def _release_warnings() -> None:
    lines, _HELD[:] = _HELD[1:], []
    for text in lines:
        typer.echo(text, err=True)


def _one_line_warning(message, category, filename, lineno, file=None, line=None):
    """Show a ProspectWarning as one line on stderr (held while inputs are checked);
    other warnings as Python does."""
    if issubclass(category, ProspectWarning):
        from prospect.cli._flags import warning_text

        text = f"Warning: {warning_text(message)}"
        if _HELD:
            _HELD.append(text)
        else:
            typer.echo(text, err=True)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


app = typer.Typer(
    cls=_ProspectGroup,
    name="prospect",
    help="Mission-planning calculator for space-resource prospecting.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"prospect {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
    debug: bool = typer.Option(
        False, "--debug", help="Show full tracebacks instead of one-line errors."
    ),
) -> None:
    """Which targets can a spacecraft reach, when, for how much delta-v and at what cost."""
    if debug:
        state.debug = True


def _register() -> None:
    # Command modules register themselves on `app` when imported.  Imported
    # here (not at the top) so `prospect --version` stays fast.
    import importlib

    for mod in ("catalog", "targets", "scan", "moon", "plan", "data_cmds", "survey"):
        try:
            importlib.import_module(f"prospect.cli.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"prospect.cli.{mod}":
                raise
    from prospect.cli._flags import wrap_commands

    wrap_commands(app)  # library errors name parameters; each command names its flags


_register()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="prospect")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
