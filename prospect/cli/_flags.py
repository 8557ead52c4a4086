"""Library errors name the Python parameter; the command line names its flag.

Every command callback is wrapped (:func:`wrap_commands`, called once when the
app is built) so that an :class:`~prospect.errors.InputError` raised inside it
naming a Python parameter (``"tof_max_days"``) leaves the CLI naming the flag
of the command that ran (``--tof-max``).  The map of a command is derived from
its own options (the Python name typer gives each option -> its long flag),
plus the library parameters whose names differ from the command's
(:func:`library_names`, e.g. ``tof_max_days`` -> ``tof_max``).  An error that
already names a flag (``--format``) or an argument (``DIR``) passes through.

The maps are read from each command function's signature (typer's
``OptionInfo.param_decls``), so they need no click context: typer releases that
vendor click work the same.

Examples
--------
>>> import typer
>>> def cmd(tof_max: float = typer.Option(720.0, "--tof-max"),
...         refine: bool = typer.Option(True, "--refine/--no-refine")):
...     pass
>>> flags = flag_map(cmd, {"tof_max_days": "tof_max"})
>>> flags["tof_max_days"], flags["refine"]
('--tof-max', '--refine')
>>> err = InputError("must be > 0", option="tof_max_days")
>>> str(translate(err, cmd, {"tof_max_days": "tof_max"}))
'--tof-max: must be > 0'
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping

import typer
from typer.models import ArgumentInfo, OptionInfo

from prospect.errors import InputError, UnknownNameError

__all__ = [
    "env_option",
    "flag_map",
    "library_names",
    "output_directory",
    "translate",
    "wrap_commands",
]

_ATTR = "__prospect_library_names__"

#: Options that name a file the command reads: refused before any work when
#: the file does not exist (the command's Python parameter names).
INPUT_FILES = frozenset(
    {"catalog", "profile", "sites_file", "consortia_file", "missions_file", "path"}
)

#: Options that name a file the command writes: refused before any work when it
#: cannot be written (:func:`prospect._io.check_output`: a directory, a missing
#: or unwritable directory); an image (``plot``) also by its format.  A command
#: whose option names a directory it fills says so with :func:`output_directory`.
OUTPUT_FILES = frozenset({"output", "plot"})

_DIRS_ATTR = "__prospect_output_dirs__"

#: :class:`UnknownNameError` kind -> the parameters that may have given the name.
UNKNOWN_KINDS = {
    "mission profile": ("mission",),
    "consortium": ("consortium",),
    "consortium member": ("share",),
    "launcher": ("launcher",),
    "Moon site": ("target", "name"),
    "target": ("name", "target"),
    "target (Moon site or asteroid)": ("target",),
}


def library_names(names: Mapping[str, str]) -> Callable:
    """Declare library parameters of a command whose names differ from its options.

    ``names`` maps the library's parameter (as its errors name it) to the Python
    name of this command's option (``{"tof_max_days": "tof_max"}``).
    """

    def mark(fn):
        setattr(fn, _ATTR, {**getattr(fn, _ATTR, {}), **names})
        return fn

    return mark


def _decls(fn: Callable) -> dict[str, tuple[list[str], list[str]]]:
    """Option's Python name -> (its flags, its ``--no-`` flags); an argument -> ([NAME], [])."""
    out = {}
    for name, p in inspect.signature(fn).parameters.items():
        d = p.default
        if isinstance(d, OptionInfo):
            on, off = [], []
            for decl in d.param_decls or (f"--{name.replace('_', '-')}",):
                first, _, second = decl.partition("/")
                on.append(first.strip())
                if second:
                    off.append(second.strip())
            out[name] = (on, off)
        elif isinstance(d, ArgumentInfo):
            out[name] = ([d.metavar or name.upper()], [])
    return out


def output_directory(*names: str) -> Callable:
    """Declare options of a command that name a directory it writes into (not a file)."""

    def mark(fn):
        setattr(fn, _DIRS_ATTR, {*getattr(fn, _DIRS_ATTR, ()), *names})
        return fn

    return mark


def _long(flags: list[str]) -> str | None:
    longs = [f for f in flags if f.startswith("--")]
    return (longs or flags or [None])[0]


def flag_map(fn: Callable, names: Mapping[str, str] | None = None) -> dict[str, str]:
    """Python parameter -> flag (or argument name) of the command function ``fn``."""
    own = {k: _long(on) for k, (on, _) in _decls(fn).items() if _long(on)}
    out = dict(own)
    for lib, opt in (names or {}).items():
        if opt in own:
            out[lib] = own[opt]
    return out


def _spell(fn: Callable, flags: Mapping[str, str]) -> Callable[[str, object], str]:
    """How a mentioned parameter reads on this command line (``--resume``, ``--step 5``)."""
    off = {_long(on): _long(no) for on, no in _decls(fn).values() if _long(on)}

    def spell(name: str, value) -> str:
        flag = flags.get(name)
        if flag is None:
            return f"{name}={value!r}"
        if isinstance(value, bool):
            return flag if value else (off.get(flag) or f"no {flag}")
        return f"{flag} {value}"

    return spell


def translate(exc: InputError, fn: Callable, names=None) -> InputError:
    """``exc`` naming the flag of the command function ``fn`` instead of the Python parameter."""
    flags = flag_map(fn, names)
    option = exc.option
    if option is not None and not option.startswith("-"):
        option = flags.get(option, option)
    if option == exc.option and not exc.mentions:
        return exc
    return exc.spelled(option, _spell(fn, flags))


#: Options whose value in the running command came from their environment variable:
#: Python name -> variable (filled by :func:`env_option`'s callback as options are parsed).
_FROM_ENV: dict[str, str] = {}


def _note_source(ctx: typer.Context, param: typer.CallbackParam, value):
    """Option callback: remember when the value came from the environment variable."""
    source = ctx.get_parameter_source(param.name)
    if getattr(source, "name", "") == "ENVIRONMENT" and param.envvar:
        env = param.envvar
        _FROM_ENV[param.name] = env if isinstance(env, str) else next(iter(env))
    else:
        _FROM_ENV.pop(param.name, None)
    return value


def env_option(default, *decls: str, envvar: str, help: str) -> OptionInfo:
    """A typer option that may come from ``envvar``; an error in its value then names
    the variable, not the flag (``DASK_SCHEDULER_ADDRESS: cannot reach ...``)."""
    return typer.Option(default, *decls, envvar=envvar, help=help, callback=_note_source)


def _from_environment(fn: Callable) -> dict[str, str]:
    """Python name -> environment variable, for the options of ``fn`` whose value in
    this run came from their variable, not the command line."""
    return {k: v for k, v in _FROM_ENV.items() if k in inspect.signature(fn).parameters}


def _named(exc: InputError, fn: Callable, names) -> InputError:
    """``exc`` naming the flag, or the environment variable the value came from."""
    env = _from_environment(fn).get(exc.option) if exc.option else None
    if env is not None:
        return exc.spelled(env, _spell(fn, flag_map(fn, names)))
    return translate(exc, fn, names)


def _check_inputs(kwargs: dict) -> None:
    """Refuse an input file that does not exist before the command starts, and for a
    command that reads a catalog a bad ``$PROSPECT_MAX_UNPACKED_BYTES`` (consulted only
    when a gzipped file is read, it was ignored for the others without a word)."""
    from pathlib import Path

    if "catalog" in kwargs:
        from prospect.catalog._io import unpack_limit

        unpack_limit()
    for name, value in kwargs.items():
        if name not in INPUT_FILES or value is None:
            continue
        for p in value if isinstance(value, list | tuple) else [value]:
            if not Path(p).is_file():
                raise InputError(f"{p}: No such file or directory", option=name)


def _check_outputs(kwargs: dict, fn: Callable) -> None:
    """Refuse an output file that cannot be written before the command starts."""
    for name in OUTPUT_FILES - getattr(fn, _DIRS_ATTR, set()):
        value = kwargs.get(name)
        if value is None:
            continue
        if name == "plot":
            from prospect.plot._files import image_path

            image_path(value, option=name)
        else:
            from prospect._io import check_output

            check_output(value, option=name)


def _unknown(exc: UnknownNameError, fn: Callable) -> InputError:
    """An unknown name, naming the option (or argument) of ``fn`` that gave it."""
    flags = flag_map(fn)
    param = next((p for p in UNKNOWN_KINDS.get(exc.kind, ()) if p in flags), None)
    return InputError(str(exc), option=flags.get(param))


#: The command running now (its function and library names), for :func:`warning_text`.
_RUNNING: list = []


def warning_text(warning) -> str:
    """A ProspectWarning's text naming the running command's flag instead of the parameter."""
    option = getattr(warning, "option", None)
    if option is None or not _RUNNING:
        return str(warning)
    fn, names = _RUNNING[-1]
    return f"{flag_map(fn, names).get(option, option)}: {warning.reason}"


def _wrapped(fn: Callable) -> Callable:
    if getattr(fn, "__prospect_flags__", False):
        return fn
    names = getattr(fn, _ATTR, {})

    @functools.wraps(fn)
    def run(*args, **kwargs):
        _RUNNING.append((fn, names))
        try:
            _check_inputs(kwargs)
            _check_outputs(kwargs, fn)
            return fn(*args, **kwargs)
        except InputError as exc:
            new = _named(exc, fn, names)
            if new is exc:
                raise
            raise new from None
        except UnknownNameError as exc:
            raise _unknown(exc, fn) from None
        finally:
            _RUNNING.pop()

    run.__prospect_flags__ = True
    return run


def wrap_commands(app) -> None:
    """Wrap every command (and group callback) of a typer ``app``, recursively."""
    for info in app.registered_commands:
        info.callback = _wrapped(info.callback)
    if app.registered_callback is not None and callable(app.registered_callback.callback):
        app.registered_callback.callback = _wrapped(app.registered_callback.callback)
    for group in app.registered_groups:
        if callable(group.callback):  # typer's DefaultPlaceholder when unset
            group.callback = _wrapped(group.callback)
        wrap_commands(group.typer_instance)
