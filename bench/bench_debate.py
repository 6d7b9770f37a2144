"""Benchmark the deterrence-debate pieces on the real Johnson & Leeds panel (1816-2000).

Usage: ``python bench/bench_debate.py [--repeat 3]`` (needs FOEDUS_DATA_DIR). Reports the median
wall and CPU time of: CEM weights of Leeds & Johnson's Table A3 and A6 designs
(foedus.models.cem, 1.3 million rows), the Kenwick & Vasquez pact-formation variables
(foedus.data.pact_formation.formation_variables) and a CEM-weighted probit of the full J&L model.
"""
from __future__ import annotations

import argparse
import warnings

from _timing import median_wall_cpu  # noqa: E402  (bench/ is the script's folder)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import foedus.models as fm
    from foedus.models._memo import clear_memos
    from foedus.data.panel import build_panel
    from foedus.data.pact_formation import formation_variables
    from foedus.replication import johnson_leeds_2011 as jl
    from foedus.replication import kenwick_vasquez_2017 as kv
    from foedus.replication import leeds_johnson_2017 as lj

    spec = kv.panels()[("mid50", "public")]
    frame = build_panel(spec).frame
    cols = ["dispute", "ptargdef", *lj.EXACT, *lj.BINNED, "peaceyrs2", "peaceyrs3"]
    data = frame[cols].astype("float64")
    print(f"panel: {len(frame):,} rows")
    for table in ("a3", "a6"):
        design = lj.cem_design(table)
        # each repeat matches anew (the memos of foedus.models._memo would otherwise return the first match)
        w, c = median_wall_cpu(lambda: (clear_memos(), design.fit(data)), args.repeat)
        print(f"cem {table}: {w:.2f} s wall, {c:.2f} s CPU  ({design.fit(data).summary()})")
    w, c = median_wall_cpu(lambda: formation_variables(frame["ccode1"], frame["ccode2"], frame["year"],
                                             frame["targdef_ids"], frame["ptargdef"].astype("float64")),
                 args.repeat)
    print(f"pact formation variables: {w:.2f} s wall, {c:.2f} s CPU")
    weights = lj.cem_design("a3").fit(data).weights
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w, c = median_wall_cpu(lambda: fm.probit(jl.FORMULA, data, weights=weights), args.repeat)
    print(f"CEM-weighted probit (J&L model): {w:.2f} s wall, {c:.2f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
