"""A Dask worker allocates numpy temporaries as a plain process does (scan/_engine.py).

Dask's Nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which switches
off glibc's adaptive mmap threshold: each array over 128 KiB is then mapped
afresh and page-faulted in, page by page.  That cost a survey chunk 1.7x the
CPU of the same work in-process.  Page faults are counted, not timed, so the
checks hold on a loaded machine.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="glibc malloc (Linux) only"
)

#: Allocate and touch a 4 MiB temporary 50 times; print the minor page faults.
_PROBE = """
import resource, numpy as np
from prospect.scan._engine import tune_worker_malloc
if {tune}:
    assert tune_worker_malloc()
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
np.ones(1).sum()
f0 = faults()
for _ in range(50):
    np.ones(2**19).sum()  # 4 MiB, written then freed
print(faults() - f0)
"""


def _faults(tune: bool) -> int:
    env = dict(os.environ, MALLOC_TRIM_THRESHOLD_="65536")  # as the Nanny's workers
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(tune=tune)],
        env=env, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return int(out.stdout.split()[-1])


def test_tuned_worker_reuses_freed_arrays():
    """Under the Nanny's setting every 4 MiB temporary faults its pages in again (about
    500 faults each here: 1,024 pages, the kernel maps some in pairs); after
    tune_worker_malloc the freed block is reused: at most one array's worth in all."""
    untuned, tuned = _faults(False), _faults(True)
    assert untuned > 50 * 256, untuned  # every one of the 50 arrays: the cost removed
    assert tuned < 1024, tuned
    assert untuned > 20 * tuned
