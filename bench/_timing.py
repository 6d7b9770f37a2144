"""Median wall and CPU time of a call (the benchmarks report medians, never single runs)."""
from __future__ import annotations

import statistics
import time


def median_seconds(fn, repeat: int = 5) -> float:
    """Median wall time of ``repeat`` calls of ``fn()``."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def median_wall_cpu(fn, repeat: int = 3) -> tuple[float, float]:
    """Median wall and CPU (this process) seconds of ``repeat`` calls of ``fn()``."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)
