"""The process pool of the studies (one worker per data version) and of the multiverse (fits).

Start method: ``forkserver``, for both.

- ``fork`` copies the parent as it is, threads' locks included but not the threads. By the time
  a pool starts, the parent has usually started threads: pyarrow's pools (reading and writing
  parquet), a Dask client's, BLAS's. A lock held by one of them at the fork stays locked forever
  in the child, which then hangs at random (CPython warns about it from 3.12 on and makes
  ``forkserver`` the Linux default in 3.14).
- ``spawn`` starts a fresh interpreter per worker: safe, but every worker imports numpy, pandas,
  scipy and foedus again.
- ``forkserver`` starts one clean, single-threaded server that imports foedus's worker modules
  once (:data:`PRELOAD`); each worker is a fork of that server, which holds no threads but the
  BLAS pool (OpenBLAS re-creates it after a fork). Safe as ``spawn``, about as fast as ``fork``
  after the server's start.

Pool start cost (2 workers, each importing ``foedus.models``, on the shared 2-core development
machine under varying load; ``python bench/bench_multiverse.py --pool`` measures it again):
``fork`` 0.14-0.25 s; ``spawn`` 6.7-12.6 s; ``forkserver`` 3.8-5.1 s for the first pool of a
process (the server starts and imports), 0.2 s for each later one. A study or a multiverse run
starts one pool, so the server's start is paid once per run, against minutes of fits.

Everything a worker receives is pickled: functions and classes must be importable by their
module name (a module-level function, not a closure or a lambda). A worker forked from the
server would inherit the *server's* environment, so each worker takes the parent's environment
as it is when the pool starts (``FOEDUS_DATA_DIR``, ``FOEDUS_CACHE`` set after an earlier pool
are seen); the working directory and ``sys.path`` are the parent's too (multiprocessing sends
them). Each worker limits its BLAS threads to cores // workers
(:func:`foedus.threads.worker_initializer`).
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from foedus.threads import threads_per_worker, worker_initializer

START_METHOD = "forkserver"

#: Imported once by the fork server, so that workers start with them loaded.
PRELOAD = ("foedus.models", "foedus.replication.run", "foedus.replication.multiverse.tasks")


def _start_worker(threads: int, environ: dict) -> None:
    os.environ.clear()
    os.environ.update(environ)
    worker_initializer(threads)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started by :data:`START_METHOD`, each with
    ``cores // workers`` BLAS threads."""
    context = multiprocessing.get_context(START_METHOD)
    context.set_forkserver_preload(list(PRELOAD))
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_start_worker,
                               initargs=(threads_per_worker(workers), dict(os.environ)))


__all__ = ["START_METHOD", "PRELOAD", "process_pool"]
