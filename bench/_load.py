"""A documented synthetic background load for the benchmarks: busy-loop processes.

``make bench`` reports every figure twice, on the machine as it is ("quiet") and with this load
running: one pure-Python busy loop per core the benchmark may use (``foedus.threads.
available_cores``), so every core has one competing runnable process, like a laptop with a busy
browser tab per core or a shared node with as many other jobs as cores. The processes are
started and stopped by the benchmark itself.
"""
from __future__ import annotations

import multiprocessing
import time
from contextlib import contextmanager
from typing import Iterator


def _spin(stop) -> None:
    while not stop.is_set():
        for _ in range(100_000):
            pass


@contextmanager
def background_load(processes: int | None = None) -> Iterator[int]:
    """Run the block with ``processes`` busy loops (default: one per available core)."""
    from foedus.threads import available_cores

    n = available_cores() if processes is None else int(processes)
    ctx = multiprocessing.get_context("spawn")
    stop = ctx.Event()
    procs = [ctx.Process(target=_spin, args=(stop,), daemon=True) for _ in range(n)]
    for p in procs:
        p.start()
    time.sleep(0.5)  # let them reach the loop
    try:
        yield n
    finally:
        stop.set()
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
