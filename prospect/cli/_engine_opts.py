"""The Dask options of ``prospect rank`` (where its scan's chunks run;
:mod:`prospect.scan._engine`) and the note printer."""

from __future__ import annotations

import typer

from prospect.cli._flags import env_option

RANK_SCHEDULER = env_option(
    None,
    "--scheduler",
    envvar="DASK_SCHEDULER_ADDRESS",
    help="Run the scan's and the n-body re-scan's chunks on this running "
    "Dask scheduler (tcp://HOST:PORT; default $DASK_SCHEDULER_ADDRESS, else this process).",
)
RANK_WORKERS = typer.Option(
    None,
    "--workers",
    help="Run the scan's and the n-body re-scan's chunks on a local Dask "
    "cluster of N worker processes (default: in this process).",
)


def say(text: str) -> None:
    """One note (engine, dashboard address) on stderr, apart from the table on stdout."""
    typer.echo(text, err=True)
