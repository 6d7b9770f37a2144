"""Benchmark: the universe and the ATOP alliance step on the 1816-2014 directed panel.

Readers warm (their parsed-file caches filled once, and in-process caches warm after the first
run), so the times are those of the universe and of ``add_alliances`` itself (including the
in-memory copy each reader returns). Prints medians over ``FOEDUS_BENCH_REPEATS`` (default 7)
runs in one process, and the process's peak RSS.

Target (issue 3): universe + alliances + third-party well under 1 s.
"""
from __future__ import annotations

import os
import resource
import statistics
import time

from foedus.data.alliances import add_alliances
from foedus.data.panel import BuildLog
from foedus.data.spec import AllianceRules, PanelSpec
from foedus.data.universe import build_universe

REPEATS = int(os.environ.get("FOEDUS_BENCH_REPEATS", "7"))


def main() -> None:
    for label, spec in (
        ("defaults", PanelSpec(years=(1816, 2014))),
        ("JL2011 flags", PanelSpec(years=(1816, 2014), alliances=AllianceRules(
            flag_atopids=(3180, 3181, 3075, 3150, 3205), neutrality_includes_nonagg=True))),
    ):
        add_alliances(build_universe(spec), spec, BuildLog())  # warm the readers
        uni, ali = [], []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            frame = build_universe(spec, BuildLog())
            t1 = time.perf_counter()
            add_alliances(frame, spec, BuildLog())
            t2 = time.perf_counter()
            uni.append(t1 - t0)
            ali.append(t2 - t1)
        u, a = statistics.median(uni), statistics.median(ali)
        print(f"{label:13s} {len(frame):,} rows: universe {u:.3f} s, alliances {a:.3f} s, "
              f"together {u + a:.3f} s (medians of {REPEATS})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB")


if __name__ == "__main__":
    main()
