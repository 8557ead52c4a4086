"""The ``prospect`` command line: a thin typer layer over the public API.

Library errors (:class:`prospect.errors.ProspectError`) become one line on
stderr and a non-zero exit code; ``prospect --debug ...`` (or
``PROSPECT_DEBUG=1``) shows the traceback instead.

Exit codes: 0 success, 1 bad data or input (ProspectError, unreadable file),
2 usage error (typer/click), 3 internal error (a bug: please report it).

Each command group lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

import os
import sys

import click
import typer
from typer.core import TyperGroup

from prospect._version import __version__
from prospect.errors import ProspectError

__all__ = ["app", "main"]


class _State:
    debug: bool = bool(os.environ.get("PROSPECT_DEBUG"))


state = _State()


class CliError(click.ClickException):
    """A library error shown as one line (``Error: ...``) with exit code 1."""

    exit_code = 1


class InternalError(click.ClickException):
    exit_code = 3


class _ProspectGroup(TyperGroup):
    """Top-level group that maps library errors to one clean line."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except ProspectError as exc:
            if state.debug:
                raise
            raise CliError(str(exc)) from None
        except OSError as exc:  # missing/unreadable file named by the user
            if state.debug:
                raise
            name = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            raise CliError(f"{name}{exc.strerror or exc}") from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        except Exception as exc:
            if state.debug:
                raise
            raise InternalError(
                f"internal error: {type(exc).__name__}: {exc} "
                "(run `prospect --debug ...` for the traceback and please report it)"
            ) from None


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

    for mod in ("catalog", "scan", "plan"):
        try:
            importlib.import_module(f"prospect.cli.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"prospect.cli.{mod}":
                raise


_register()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="prospect")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
