"""The process pool of the studies (``(study, data version)`` tasks, :func:`foedus.replication.run.run_studies`)
and of the multiverse (fits).

Start method: ``fork``, for both.

- ``fork`` copies the parent as it is: a worker starts in a fraction of a second with numpy,
  pandas, scipy and foedus already imported, and it can run what the parent defined anywhere
  (a panel source written in a notebook or a test's ``conftest.py``: under ``spawn`` or
  ``forkserver`` such objects must be re-imported by module name in a fresh process, which fails
  for ``__main__`` of a notebook and for test helpers, and the pool breaks with
  ``BrokenProcessPool``).
- The risk of ``fork`` is a lock held by another thread of the parent at the instant of the
  fork, which stays locked in the child. The threads a foedus parent holds are BLAS's
  (OpenBLAS re-creates its pool in the child: ``pthread_atfork``) and pyarrow's (Arrow's thread
  pool and allocator also reset themselves after a fork). foedus starts no Python thread before
  its pools; ``ProcessPoolExecutor`` forks every worker at the first submission, before its own
  management thread starts. A multiverse on a Dask cluster never forks (its executor is the
  cluster's). A program that runs its own threads while calling ``run_study(jobs=...)`` should
  use ``jobs=1`` or a Dask cluster.
- ``spawn`` is safe but every worker imports everything again; ``forkserver`` forks from a clean
  server (safe, fast after the server's start) but has ``spawn``'s re-import requirement.

Pool start cost (2 workers, each importing ``foedus.models``, on the shared 2-core development
machine under varying load; ``python bench/bench_multiverse.py --pool`` measures it again):
``fork`` 0.12-0.25 s; ``spawn`` 4.5-12.6 s; ``forkserver`` 2.2-5.1 s for the first pool of a
process (the server starts and imports), 0.12-0.23 s for each later one (four measurements).

Each worker limits its BLAS threads to cores // workers
(:func:`foedus.threads.worker_initializer`).

The studies' workers take their study and panel source from the memory they inherit at the fork
(only two indices are sent per task), so a study need not be picklable. Memory of
``foedus replicate --all`` with two workers, each holding a data version's panels: peak summed
RSS of the parent and its workers 3.37 GB cold and 3.46-3.86 GB warm, against 3.03-3.14 GB for
the studies one after another (the sum counts pages the fork shares twice). That is close to
the 4 GB set for this 2-core machine: ``-j 1`` runs the tasks in one process.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from foedus.threads import threads_per_worker, worker_initializer

START_METHOD = "fork"


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started by :data:`START_METHOD`, each with
    ``cores // workers`` BLAS threads."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(START_METHOD),
                               initializer=worker_initializer,
                               initargs=(threads_per_worker(workers),))


__all__ = ["START_METHOD", "process_pool"]
