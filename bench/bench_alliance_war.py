"""Benchmark: the automated alliance x war opportunities (ATOP 5.1 x COW inter-state wars 4.0).

Readers warm (parsed files cached after the first run), so the times are those of
:func:`foedus.data.alliance_war.member_behaviour` and :func:`alliance_war_summary` themselves.
Prints medians over ``FOEDUS_BENCH_REPEATS`` (default 7) runs.
"""
from __future__ import annotations

import os
import statistics
import time

from foedus.data.alliance_war import alliance_war_summary, member_behaviour
from foedus.data.readers import read_atop_alliances, read_atop_members, read_cow_interstate_war

REPEATS = int(os.environ.get("FOEDUS_BENCH_REPEATS", "7"))


def main() -> None:
    members, alliances, wars = read_atop_members("5.1"), read_atop_alliances("5.1"), read_cow_interstate_war()
    for rule in ("member_entry", "war_start"):
        times = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            summary = alliance_war_summary(member_behaviour(members, wars, rule), alliances)
            times.append(time.perf_counter() - t0)
        print(f"{rule:13s} {len(summary):,} opportunities: {statistics.median(times):.3f} s (median of {REPEATS})")


if __name__ == "__main__":
    main()
