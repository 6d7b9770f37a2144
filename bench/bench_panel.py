"""Benchmark: building the 1816-2014 directed dyad-year panel, step by step.

Warm file cache (each reader's parsed-file cache is filled first), cold panel cache (every build
runs with ``cache=False``). Each measurement runs in a fresh process so that in-process reader
caches and peak memory (``ru_maxrss``) are per measurement. Prints medians over ``REPEATS`` runs.

Targets (issues 3 and 4): universe + alliances + third-party + MID 5.0 initiation < 1.5 s and
< 1.5 GB peak; dyadisation of all MID 5.0 participants < 0.3 s; the full panel with every
covariate < 4 s and < 2 GB peak.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

REPEATS = int(os.environ.get("FOEDUS_BENCH_REPEATS", "5"))

CHILD = r"""
import json, resource, sys, time
import foedus
from foedus.data import panel as P
from foedus.data.spec import PanelSpec
case = sys.argv[1]
full = PanelSpec(years=(1816, 2014))
core = full.replace(covariates=None, temporal=None)
# read every source once so that only the in-process parse is timed below
if case == "warm":
    P.build_panel(full, cache=False)
    print(json.dumps({})); raise SystemExit
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
if case == "dyadise":
    from foedus.data.readers import read_mid_participants
    from foedus.data import disputes
    parts = read_mid_participants("5.0")
    t = time.perf_counter()
    disputes.dyadic_records(parts)
elif case == "core":
    P.build_panel(core, cache=False)
elif case == "full":
    P.build_panel(full, cache=False)
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_mb": peak / 1024, "before_mb": before / 1024}))
"""


def run(case: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, case], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    run("warm")
    for case, target_s, target_mb in (
        ("dyadise", 0.3, None),
        ("core", 1.5, 1536),
        ("full", 4.0, 2048),
    ):
        runs = [run(case) for _ in range(REPEATS)]
        secs = statistics.median(r["seconds"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        mem = f", peak RSS {peak:,.0f} MB (target < {target_mb} MB)" if target_mb else ""
        print(f"{case:8s} median {secs:.3f} s over {REPEATS} runs (target < {target_s} s){mem}")


if __name__ == "__main__":
    main()
