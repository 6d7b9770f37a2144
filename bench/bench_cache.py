"""The cost of confirming a cached entry's inputs: re-hashing them vs the stat-keyed hash memo.

Every registered file present in the data folder is confirmed three ways: by reading it
(``hash_bytes``, what confirming would cost without the memo), through the on-disk memo in a
fresh process state (in-memory memo cleared: a ``stat`` and a small file read each), and through
the in-memory memo (a ``stat`` each). Then a small panel is read warm from the panel cache,
inputs confirmed.

Run: ``FOEDUS_DATA_DIR=../shared/data/raw python bench/bench_cache.py`` (a fresh temporary cache).
"""
from __future__ import annotations

import os
import tempfile

from _timing import median_seconds  # noqa: E402  (bench/ is the script's folder)


def main() -> None:
    os.environ["FOEDUS_CACHE"] = tempfile.mkdtemp(prefix="foedus-bench-")
    from foedus.data import cache
    from foedus.data.fetch import local_path
    from foedus.data.panel import build_panel
    from foedus.data.registry import current_registry
    from foedus.data.spec import Covariates, PanelSpec

    paths = [p for p in (local_path(f) for f in current_registry().files()) if p is not None]
    size = sum(p.stat().st_size for p in paths)
    cold = median_seconds(lambda: [cache.hash_bytes(p) for p in paths], repeat=3)
    for p in paths:
        cache.sha256_file(p)

    def from_disk_memo():
        cache._HASHES.clear()
        for p in paths:
            cache.sha256_file(p)

    disk = median_seconds(from_disk_memo)
    memory = median_seconds(lambda: [cache.sha256_file(p) for p in paths])
    print(f"{len(paths)} files, {size / 1e9:.2f} GB")
    print(f"{'re-hash every file':28} {cold:9.3f} s")
    print(f"{'on-disk memo (new process)':28} {disk:9.4f} s")
    print(f"{'in-memory memo':28} {memory:9.4f} s")
    spec = PanelSpec(years=(1816, 2014), alliances=None, disputes=None, temporal=None,
                     covariates=Covariates(capabilities=True, contiguity=False, distance=False,
                                           regime=None, majors=False, sscore=()))
    build_panel(spec)
    warm = median_seconds(lambda: build_panel(spec))
    print(f"{'warm panel (inputs confirmed)':28} {warm:9.4f} s")


if __name__ == "__main__":
    main()
