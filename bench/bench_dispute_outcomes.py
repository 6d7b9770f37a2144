"""Benchmark: the dispute-outcome and defender steps on the 1816-2014 directed universe (MID 5.0).

Warm reader caches (a first call fills them); each step is timed on the frame the earlier steps
built, ``REPEATS`` times; prints medians. No target is asserted: the steps read and dyadise the
participant data again (about as costly as the disputes step) and work on the ~2,700 initiated
dyad-years only.
"""
from __future__ import annotations

import os
import statistics
import time

REPEATS = int(os.environ.get("FOEDUS_BENCH_REPEATS", "5"))


def main() -> None:
    from foedus.data.alliances import add_alliances
    from foedus.data.defender_capabilities import add_defender_capabilities
    from foedus.data.dispute_outcomes import add_dispute_outcomes
    from foedus.data.disputes import add_disputes
    from foedus.data.panel import BuildLog
    from foedus.data.spec import DisputeOutcomes, PanelSpec
    from foedus.data.universe import build_universe

    spec = PanelSpec(years=(1816, 2014), outcomes=DisputeOutcomes(defenders=True),
                     covariates=None, temporal=None)
    log = BuildLog()
    frame = add_disputes(add_alliances(build_universe(spec, log), spec, log), spec, log)
    for name, step in (("add_dispute_outcomes", add_dispute_outcomes),
                       ("add_defender_capabilities", add_defender_capabilities)):
        step(frame, spec, BuildLog())  # warm the readers
        times = []
        for _ in range(REPEATS):
            t = time.perf_counter()
            out = step(frame, spec, BuildLog())
            times.append(time.perf_counter() - t)
        print(f"{name}: {statistics.median(times):.3f} s median of {REPEATS} "
              f"({len(frame):,} rows)", flush=True)
        frame = out


if __name__ == "__main__":
    main()
