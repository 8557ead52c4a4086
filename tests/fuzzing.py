"""One Hypothesis setting for every fuzz test, default and opt-in.

The default run keeps its time budget: each fuzz target runs ``default``
examples (a few hundred) derandomized, so a failure reproduces on rerun.
``pytest --runslow`` (or ``PROSPECT_FUZZ_EXAMPLES=N``) runs N examples per
target (10,000 with ``--runslow``) from a random seed; Hypothesis prints the
seed of a failure (``--hypothesis-seed`` replays it) and
``--hypothesis-show-statistics`` reports the examples tried per target.

Examples
--------
>>> fuzz(default=50).max_examples in (50, int(os.environ.get("PROSPECT_FUZZ_EXAMPLES", 50)))
True
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["OPT_IN_EXAMPLES", "fuzz"]

#: Examples per fuzz target in the opt-in run (issue 13: 10,000 per target).
OPT_IN_EXAMPLES = 10_000


def fuzz(default: int = 300) -> settings:
    """Hypothesis settings for a fuzz target.

    Parameters
    ----------
    default : int
        Examples in the default (derandomized) run.

    Returns
    -------
    hypothesis.settings
        ``default`` derandomized examples, or ``$PROSPECT_FUZZ_EXAMPLES`` from
        a random seed when that is set (``--runslow`` sets it to 10,000).
    """
    n = int(os.environ.get("PROSPECT_FUZZ_EXAMPLES") or 0)
    return settings(
        max_examples=n or default,
        deadline=None,
        derandomize=not n,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
