"""Median wall time of a call (the benchmarks report medians, never single runs)."""
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
