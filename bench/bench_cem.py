"""Benchmark coarsened exact matching as Leeds & Johnson (2017) runs it (issue 18).

Usage: ``python bench/bench_cem.py [--repeat 3]`` (needs FOEDUS_DATA_DIR; builds or reads the
cached J&L panel, MID 5.0 + ATOP 5.1, 1.3 million rows). Reports the median wall and CPU time of
the study's ten CEM derives of one data version (Tables A3-A6 bivariate and full, the two
interval readings of A5/A6), each on its own copy of the rows as the runner gives them, with
the memos of :mod:`foedus.models.cem` emptied before every repeat; then of one design alone,
and how many distinct matchings and L1 "before" computations the ten derives needed.
"""
from __future__ import annotations

import argparse
import importlib

from _timing import median_wall_cpu  # noqa: E402  (bench/ is the script's folder)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from foedus.data.panel import build_panel
    from foedus.replication import leeds_johnson_2017 as lj

    cem = importlib.import_module("foedus.models.cem")  # the module, not foedus.models.cem()
    from foedus.models._memo import clear_memos
    columns = ["ptargdef", *lj.EXACT, *lj.BINNED]
    panel = build_panel(lj.panels()[("mid50", "all")], columns=columns)
    frame = panel.frame[columns].astype("float64")
    derives = [lj.cem_design(t) for t in lj.TABLES for _ in range(2 if t in lj.COARSENING else 1)]

    def study():
        clear_memos()
        for design in derives:
            design(frame.copy())

    def one():
        clear_memos()
        derives[0](frame.copy())

    print(f"panel: {len(frame):,} rows; {len(derives)} CEM derives")
    w, c = median_wall_cpu(study, args.repeat)
    print(f"the study's {len(derives)} CEM derives: {w:.2f} s wall, {c:.2f} s CPU "
          f"({len(cem._L1_BEFORE)} L1 'before' computed)")
    w, c = median_wall_cpu(one, args.repeat)
    print(f"one design (A3): {w:.2f} s wall, {c:.2f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
