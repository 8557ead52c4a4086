"""One Hypothesis setting for every fuzz test, default and opt-in.

The default run keeps its time budget: each fuzz target runs ``default``
examples (a few hundred) derandomized, so a failure reproduces on rerun.
``pytest --runslow`` (or ``PROSPECT_FUZZ_EXAMPLES=N``) runs N examples per
target (10,000 with ``--runslow``) from a random seed; Hypothesis prints the
seed of a failure (``--hypothesis-seed`` replays it) and
``--hypothesis-show-statistics`` reports the examples tried per target.
``PROSPECT_FUZZ_PROGRESS=FILE`` keeps the count of examples run (and failing) per
target in FILE while the run goes on, so a run stopped early (SIGINT: pytest still
prints its summary) says how far each target got.

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


def _count_examples(path: str) -> None:
    """Keep ``target: examples run, failing`` lines in ``path`` (rewritten every 100
    examples and at each failure, whose arguments are appended to ``path.failures``).
    SIGINT is restored (a background job inherits it ignored), so stopping the run
    still prints pytest's summary and Hypothesis's statistics."""
    import signal

    from hypothesis.internal import observability

    observability.OBSERVABILITY_COLLECT_COVERAGE = False  # counting needs no line tracing
    signal.signal(signal.SIGINT, signal.default_int_handler)
    counts: dict[str, list[int]] = {}

    def seen(observation) -> None:
        if getattr(observation, "type", None) != "test_case":
            return
        n = counts.setdefault(observation.property, [0, 0])
        n[0] += 1
        failed = observation.status == "failed"
        if failed:
            n[1] += 1
            with open(path + ".failures", "a") as f:
                f.write(f"{observation.property}: {observation.representation}\n")
        if failed or n[0] % 100 == 0:
            with open(path, "w") as f:
                f.writelines(f"{k}: {v[0]} run, {v[1]} failing\n" for k, v in counts.items())

    observability.add_observability_callback(seen)


if os.environ.get("PROSPECT_FUZZ_PROGRESS"):
    _count_examples(os.environ["PROSPECT_FUZZ_PROGRESS"])


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
