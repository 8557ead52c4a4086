"""prospect leaves the user's warning filters alone: ERFA's "dubious year" warning for
future UTC dates is silenced only inside the conversions of prospect.epochs."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import warnings
    import numpy, scipy.special, astropy.time, erfa
    before = list(warnings.filters)
    import prospect.epochs as E
    assert warnings.filters == before, [f for f in warnings.filters if f not in before]
    import prospect.cli, prospect.scan, prospect.cost  # everything the CLI loads
    # (their third-party imports may add filters of their own; none about ERFA)
    assert not [f for f in warnings.filters if f[2] is erfa.ErfaWarning], warnings.filters
    before = list(warnings.filters)
    from astropy.time import Time
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        s = E.tdb_seconds("2040-01-01")
        E.utc_datetimes([s])
        with E.quiet_erfa():
            E.time_from_tdb_seconds(s).utc.isot
        assert not [x for x in w if issubclass(x.category, erfa.ErfaWarning)], w
        Time("2040-01-01", scale="utc").tdb  # the user's own conversion still warns
        assert [x for x in w if issubclass(x.category, erfa.ErfaWarning)]
    assert warnings.filters == before
    print("ok")
    """
)


def test_import_and_conversions_keep_global_warning_filters():
    res = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stdout + res.stderr
