"""Library errors name the Python parameter; the CLI names its own flag (issue 8 item 6).

1. No module of the library (``prospect/`` outside ``prospect/cli``) writes a
   ``--flag`` into an error: not in a raised message, not in the ``option`` of
   an error, not in the default of an ``*option`` parameter.
2. For a few cases per command, the same bad value gives the parameter's name
   through the API and the flag through ``prospect ...``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import prospect
from prospect.cli import app
from prospect.errors import InputError

PKG = Path(prospect.__file__).parent
FLAG = re.compile(r"(?<![\w-])--[a-z]")


def _strings(node: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _is_option(name: str | None) -> bool:
    return bool(name) and (name == "option" or name.endswith("_option"))


def _flag_naming_errors(source: str) -> list[tuple[int, str]]:
    """(line, text) of every CLI flag that ``source`` puts into an error."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        texts: list[str] = []
        if isinstance(node, ast.Raise) and node.exc is not None:
            texts = _strings(node.exc)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name.endswith("Error"):
                texts = _strings(node)
            texts += [s for k in node.keywords if _is_option(k.arg) for s in _strings(k.value)]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args.posonlyargs + node.args.args
            pairs = list(
                zip(args[len(args) - len(node.args.defaults) :], node.args.defaults, strict=True)
            )
            pairs += [
                (a, d)
                for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True)
                if d
            ]
            texts = [s for arg, d in pairs if _is_option(arg.arg) for s in _strings(d)]
        found |= {(node.lineno, t) for t in texts if FLAG.search(t)}
    return sorted(found)


def test_the_check_catches_a_flag_in_an_error():
    planted = (
        "def f(x, start_option='start (--from)'):\n"
        "    if x:\n"
        "        raise InputError('must be > 0', option='--step')\n"
        "    raise ValueError(f'give --top, got {x}')\n"
        "def g(p):\n"
        "    atomic_path(p, option='--plot')\n"
        "    return DownloadError('see --url')\n"
    )
    assert [line for line, _ in _flag_naming_errors(planted)] == [1, 3, 4, 6, 7]
    clean = "def f(x, option='step_days'):\n    raise InputError('must be > 0', option='top')\n"
    assert _flag_naming_errors(clean) == []


def test_no_library_error_names_a_cli_flag():
    bad = []
    for path in sorted(PKG.rglob("*.py")):
        if "cli" in path.relative_to(PKG).parts:
            continue
        for line, text in _flag_naming_errors(path.read_text()):
            bad.append(f"{path.relative_to(PKG.parent)}:{line}: {text!r}")
    assert bad == []


runner = CliRunner()


def _api(call):
    with pytest.raises(InputError) as info:
        call()
    return info.value


def _porkchop_tof():
    from prospect.scan import porkchop

    porkchop("mars", "2028-01-01", "2028-03-01", 400, 100, ephemeris="two-body")


def _rank_window():
    from prospect.scan import rank

    rank("prospector-1", start="2028-01-01", end="2027-01-01", checkpoint=False)


def _plan_recovery():
    from prospect.cost import plan

    plan("2000 SG344", "lux-dsi-2016", recovery=2.0, ephemeris="two-body")


def _moon_resource():
    from prospect.scan.moon import rank_moon

    rank_moon("mx-1", "unobtainium")


def _survey_workers(tmp):
    from prospect.survey import survey

    survey("nhats-human", output=tmp / "s", workers=-1, ephemeris="two-body")


def _survey_show(tmp):
    from prospect.survey import query

    query(tmp)


def _catalog_url():
    from prospect.catalog.update import update_catalog

    update_catalog("ftp://example.invalid/nea.json")


def _plot_path(tmp):
    from prospect.cost.timeline import build_timeline
    from prospect.plot.gantt import save_gantt

    tl = build_timeline("2027-01-01", 10, launch="2027-12-01", transfer_days=200, stay_days=14)
    save_gantt(tl, tmp / "no" / "such" / "dir.png")


CASES = [
    # API call, the parameter it names, CLI arguments, the flag the CLI names
    (_porkchop_tof, "tof_min_days", ["porkchop", "mars", "--tof-min", "400", "--tof-max", "100",
                                     "--ephemeris", "two-body"], "--tof-min"),
    (_rank_window, "end", ["rank", "-m", "prospector-1", "--from", "2028-01-01",
                           "--to", "2027-01-01", "--no-checkpoint"], "--to"),
    (_plan_recovery, "recovery", ["plan", "2000 SG344", "--consortium", "lux-dsi-2016",
                                  "--recovery", "2", "--ephemeris", "two-body"], "--recovery"),
    (_moon_resource, "resource", ["moon", "-m", "mx-1", "-r", "unobtainium"],
     "--resource"),
    (_survey_workers, "workers", ["survey", "-m", "nhats-human", "-o", "{tmp}/s",
                                  "--workers", "-1", "--ephemeris", "two-body"], "--workers"),
    (_survey_show, "directory", ["survey", "show", "{tmp}"], "DIRECTORY"),
    (_catalog_url, "url", ["catalog", "update", "--url", "ftp://example.invalid/nea.json"],
     "--url"),
    (_plot_path, "path", ["plan", "2000 SG344", "--consortium", "lux-dsi-2016",
                          "--ephemeris", "two-body", "--plot", "{tmp}/no/such/dir.png"], "--plot"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "param", "argv", "flag"), CASES, ids=[c[3] for c in CASES])
def test_library_names_the_parameter_and_cli_the_flag(tmp_path, call, param, argv, flag):
    needs_tmp = "tmp" in call.__code__.co_varnames[: call.__code__.co_argcount]
    err = _api((lambda: call(tmp_path)) if needs_tmp else call)
    assert err.option == param and str(err).startswith(f"{param}: ")
    res = runner.invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert res.exit_code == 1, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert lines[-1].startswith(f"Error: {flag}: "), res.output
    assert err.reason in lines[-1]


def test_mentioned_parameters_are_spelled_as_flags(tmp_path):
    """A survey directory of the same inputs: the API says resume=True, the CLI --resume."""
    from prospect.survey import store

    store.open_survey_dir(tmp_path, "k", {"a": 1}, resume=False)
    store.write_manifest(tmp_path, {"key": "k", "inputs": {"a": 1}})
    err = _api(lambda: store.open_survey_dir(tmp_path, "k", {"a": 1}, resume=False))
    assert err.option == "output" and "pass resume=True to keep" in str(err)

    from prospect.cli._flags import translate
    from prospect.cli.survey import survey_cmd

    cli = translate(err, survey_cmd)
    assert str(cli).startswith("--output: ") and "pass --resume to keep" in str(cli)


def test_every_command_translates():
    """Every command and group callback of the app goes through the flag translation."""
    from prospect.cli._flags import flag_map

    def walk(typer_app):
        yield from (c.callback for c in typer_app.registered_commands)
        for g in typer_app.registered_groups:
            if callable(g.callback):
                yield g.callback
            yield from walk(g.typer_instance)

    callbacks = list(walk(app))
    assert len(callbacks) >= 12
    assert all(getattr(cb, "__prospect_flags__", False) for cb in callbacks)
    assert all(flag_map(cb) or cb.__name__ == "reset" for cb in callbacks)
