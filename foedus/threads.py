"""How many BLAS/OpenMP threads foedus uses: one policy for fits, panel builds and workers.

Why this exists: numpy's OpenBLAS starts one thread per core and its idle threads spin while
they wait for work. On a machine whose cores are already busy (a laptop with a browser, a shared
lab server, several jobs per cluster node, or foedus's own worker processes) spinning threads
compete with the work itself; a fit that takes seconds alone can take ten times longer in wall
and CPU time. The products in foedus's estimators are tall and thin (millions of rows, about a
dozen columns): they are limited by memory bandwidth, not arithmetic, so a second BLAS thread
gains little even on an idle machine (measured in ``bench/bench_models.py``, which reports one
and all threads side by side, quiet and under a background load).

The policy
----------
- The cores foedus may use (:func:`available_cores`): the CPU affinity mask
  (``os.sched_getaffinity``) capped by a cgroup CPU quota (``cpu.max``, or ``cpu.cfs_quota_us``
  / ``cpu.cfs_period_us`` under cgroup v1).
- An explicit choice wins: ``FOEDUS_THREADS`` (foedus only), else ``OMP_NUM_THREADS``.
- Otherwise a fit uses :data:`FIT_THREADS` BLAS threads (1: see above) and every worker process
  of a pool gets ``max(1, cores // workers)`` threads, so workers x threads never exceed the
  cores (:func:`threads_per_worker`, :func:`worker_initializer`).

The limit is applied around each estimator call (:func:`blas_policy`) and restored afterwards,
so foedus never changes the thread settings of the rest of a user's program.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TypeVar

#: BLAS threads of a single fit when nothing is set explicitly (see the module notes).
FIT_THREADS = 1

F = TypeVar("F", bound=Callable)


def _cgroup_quota(root: Path = Path("/sys/fs/cgroup")) -> float | None:
    """The cgroup CPU quota in cores, or None when unlimited or unknown."""
    try:
        text = (root / "cpu.max").read_text().split()
        if text and text[0] != "max":
            return int(text[0]) / int(text[1])
    except (OSError, ValueError, IndexError):
        pass
    try:
        quota = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period = int((root / "cpu" / "cpu.cfs_period_us").read_text())
        if quota > 0 and period > 0:
            return quota / period
    except (OSError, ValueError):
        pass
    return None


def available_cores() -> int:
    """Cores this process may use: affinity mask, capped by a cgroup CPU quota (at least 1)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cores = os.cpu_count() or 1
    quota = _cgroup_quota()
    if quota is not None:
        cores = min(cores, max(1, int(quota)))
    return max(1, cores)


def explicit_threads() -> int | None:
    """Threads set by the user (``FOEDUS_THREADS``, else ``OMP_NUM_THREADS``), or None."""
    for name in ("FOEDUS_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                n = int(value)
            except ValueError:
                raise ValueError(f"{name}={value!r} is not a whole number of threads") from None
            if n < 1:
                raise ValueError(f"{name}={value!r}: the number of threads must be at least 1")
            return n
    return None


def fit_threads() -> int:
    """BLAS threads of one fit in this process."""
    n = explicit_threads()
    return n if n is not None else FIT_THREADS


def threads_per_worker(workers: int) -> int:
    """BLAS threads of each of ``workers`` processes, so that the workers never oversubscribe."""
    n = explicit_threads()
    if n is not None:
        return n
    return max(1, available_cores() // max(1, int(workers)))


@contextmanager
def limit_threads(n: int | None = None) -> Iterator[int]:
    """Run a block with at most ``n`` BLAS and OpenMP threads (default :func:`fit_threads`)."""
    from threadpoolctl import threadpool_limits

    n = fit_threads() if n is None else int(n)
    with threadpool_limits(limits=n):
        yield n


def blas_policy(fn: F) -> F:
    """Decorate an estimator (or a covariance computation) to run under :func:`limit_threads`.

    Inside a block that already limits threads (a worker, a nested call) the limit is not
    re-applied.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _ACTIVE:
            return fn(*args, **kwargs)
        _ACTIVE.append(True)
        try:
            with limit_threads():
                return fn(*args, **kwargs)
        finally:
            _ACTIVE.pop()

    return wrapper  # type: ignore[return-value]


_ACTIVE: list = []  # non-empty while a blas_policy call is running in this process


def worker_initializer(threads: int) -> None:
    """Initializer of a worker process: every BLAS/OpenMP pool limited to ``threads``.

    Set for the whole process (a worker runs only foedus work); environment variables are set
    too, so that libraries loaded later in the worker start with the same limit.
    """
    from threadpoolctl import threadpool_limits

    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)
    os.environ["FOEDUS_THREADS"] = str(threads)
    threadpool_limits(limits=threads)


__all__ = ["FIT_THREADS", "available_cores", "explicit_threads", "fit_threads",
           "threads_per_worker", "limit_threads", "blas_policy", "worker_initializer"]
