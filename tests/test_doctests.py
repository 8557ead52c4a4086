"""Every module's docstring examples run in the default test run.

The modules are discovered, not listed: a module added anywhere under ``prospect/``
is included automatically.  Each module is one test; a failing example is reported
with doctest's own output.  Options as pytest's ``--doctest-modules`` (``ELLIPSIS``);
examples that need the network carry ``# doctest: +SKIP``.
"""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

import pytest

import prospect

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(prospect.__path__, "prospect.")
    if m.name.rsplit(".", 1)[-1] != "__main__"  # importing it would run the CLI
)


def test_every_module_is_discovered():
    assert "prospect.core.kepler" in MODULES and "prospect.data.launchers" in MODULES
    assert len(MODULES) > 80


@pytest.mark.parametrize("name", ["prospect", *MODULES])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out = io.StringIO()
    for test in finder.find(module, name):
        test.globs = dict(module.__dict__)  # a fresh namespace per docstring, as pytest
        runner.run(test, out=out.write)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, out.getvalue()
