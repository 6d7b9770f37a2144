"""Time every main reader: cold (parse), parquet (new process state, cache on disk), warm (memory).

Run: ``FOEDUS_DATA_DIR=../shared/data/raw python bench/bench_readers.py`` (uses a fresh temporary
cache so that "cold" really parses).
"""
from __future__ import annotations

import os
import tempfile
import time


def main() -> None:
    os.environ["FOEDUS_CACHE"] = tempfile.mkdtemp(prefix="foedus-bench-")
    import foedus.data as fd
    from foedus.data.readers import clear_memory_cache

    readers = [("states", fd.read_states), ("system", fd.read_system), ("majors", fd.read_majors),
               ("mid A 5.0", fd.read_mid_disputes), ("mid B 5.0", fd.read_mid_participants),
               ("mid B 3.10", lambda: fd.read_mid_participants("3.10")), ("gml part", fd.read_gml_participants),
               ("maoz dyadic", fd.read_maoz_dyadic_mid), ("atop m", fd.read_atop_members),
               ("atop a", fd.read_atop_alliances), ("atop ddyr", fd.read_atop_ddyr), ("atop dy", fd.read_atop_dy),
               ("atop sy", fd.read_atop_sy), ("nmc", fd.read_nmc), ("contdir", fd.read_contdir),
               ("contdird", fd.read_contdird), ("polity 5", fd.read_polity), ("vdem", fd.read_vdem),
               ("capitals", fd.read_capitals), ("mindist", fd.read_mindist),
               ("cow_ddy", lambda: fd.read_peacesciencer("cow_ddy"))]
    print(f"{'reader':12} {'rows':>9} {'cold s':>8} {'parquet s':>10} {'warm s':>8}")
    for name, fn in readers:
        t0 = time.perf_counter(); frame = fn(); t1 = time.perf_counter()
        clear_memory_cache()
        t2 = time.perf_counter(); fn(); t3 = time.perf_counter()
        fn(); t4 = time.perf_counter()
        print(f"{name:12} {len(frame):9d} {t1 - t0:8.3f} {t3 - t2:10.3f} {t4 - t3:8.4f}")


if __name__ == "__main__":
    main()
