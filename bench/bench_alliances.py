"""Benchmark: the universe, the commitment table and the ATOP alliance step, 1816-2014 directed.

Readers warm (their parsed-file caches filled once, and in-process caches warm after the first
run), so the times are those of the universe and of ``add_alliances`` itself (including the
in-memory copy each reader returns). Prints medians over ``FOEDUS_BENCH_REPEATS`` (default 7)
runs in one process, and the process's peak RSS.

Issue 12: the commitment table (built without its cache) plus all default alliance variables
against the alliance step of the last commit before the commitment layer (run in a child
process from ``git archive``, as the equality fixture's generator does), one extra query
(target <= 1 s) and peak memory (target <= 2 GB).
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import median_seconds  # noqa: E402  (bench/ is the script's folder)
from foedus.data.alliances import DyadIndex, add_alliances, alliance_columns
from foedus.data.commitment_queries import query_columns
from foedus.data.commitments import commitment_table
from foedus.data.panel import BuildLog
from foedus.data.spec import AllianceQuery, AllianceRules, PanelSpec
from foedus.data.universe import build_universe

REPEATS = int(os.environ.get("FOEDUS_BENCH_REPEATS", "7"))
ROOT = Path(__file__).resolve().parents[1]
TIMER = r'''
import statistics, sys, time
sys.path.insert(0, sys.argv[1])
from foedus.data.alliances import add_alliances
from foedus.data.panel import BuildLog
from foedus.data.spec import PanelSpec
from foedus.data.universe import build_universe
spec = PanelSpec(years=(1816, 2014))
frame = build_universe(spec)
add_alliances(frame, spec, BuildLog())
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); add_alliances(frame, spec, BuildLog()); times.append(time.perf_counter() - t)
print(statistics.median(times))
'''


def before_commitments() -> float | None:
    """Median time of the alliance step at the reference commit (None without git)."""
    sys.path.insert(0, str(ROOT / "tests" / "reference"))
    from make_alliance_columns import REFERENCE_COMMIT, extract

    try:
        with tempfile.TemporaryDirectory() as tmp:
            pkg = extract(REFERENCE_COMMIT, Path(tmp))
            out = subprocess.run([sys.executable, "-c", TIMER, str(pkg), str(REPEATS)], check=True,
                                 capture_output=True, text=True)
        return float(out.stdout.split()[-1])
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None


def main() -> None:
    for label, spec in (
        ("defaults", PanelSpec(years=(1816, 2014))),
        ("JL2011 flags", PanelSpec(years=(1816, 2014), alliances=AllianceRules(
            flag_atopids=(3180, 3181, 3075, 3150, 3205), neutrality_includes_nonagg=True))),
    ):
        add_alliances(build_universe(spec), spec, BuildLog())  # warm the readers and the table
        u = median_seconds(lambda: build_universe(spec, BuildLog()), REPEATS)
        frame = build_universe(spec, BuildLog())
        a = median_seconds(lambda: add_alliances(frame, spec, BuildLog()), REPEATS)
        print(f"{label:13s} {len(frame):,} rows: universe {u:.3f} s, alliances (table cached) {a:.3f} s "
              f"(medians of {REPEATS})")

    spec = PanelSpec(years=(1816, 2014))
    frame = build_universe(spec)
    from foedus.data import read_atop_ddyr, read_atop_members

    members, ddyr = read_atop_members("5.1"), read_atop_ddyr("5.1")
    t_table = median_seconds(lambda: commitment_table(spec, cache=False), REPEATS)
    t_all = median_seconds(lambda: alliance_columns(frame, members, spec.alliances, ddyr, None,
                                                    commitment_table(spec, cache=False)), REPEATS)
    print(f"commitment table built (no cache) {t_table:.3f} s; table + all default alliance "
          f"variables {t_all:.3f} s")
    old = before_commitments()
    print("alliance step before the commitment layer: "
          + (f"{old:.3f} s" if old is not None else "not measured (no git)"))

    from foedus.data import alliances as al

    table = commitment_table(spec)
    mkeys = al.membership_keys(al.member_spells(members, "5.1"))
    dyads = DyadIndex(frame["year"], frame["ccode1"], frame["ccode2"])
    q = (AllianceQuery("targdef_newest", aggregate="newest_age"),)
    t_q = median_seconds(lambda: query_columns(dyads, table, mkeys, spec.alliances, q), REPEATS)
    print(f"one extra query (newest applicable defense pact of the target): {t_q:.3f} s (target <= 1 s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB (target <= 2,048 MB)")


if __name__ == "__main__":
    main()
