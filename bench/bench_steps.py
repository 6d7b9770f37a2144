"""The cost of declared panel steps: import time of the public entry points, and the checks the
builder runs after every step (data/steps.py) on a frame of a full panel's size.

- ``import foedus``, ``import foedus.data``, ``import foedus.data.panel``: median self+children
  time from ``python -X importtime`` over fresh processes, and how many modules each loads
  (``foedus.data.panel`` imports the step modules: numpy and pandas only, their readers load on
  first call).
- One step's checks on 2 million rows x 60 columns: a step that adds a column and passes the rest
  on (unchanged buffers, O(1) per column), and the fallback value comparison for columns whose
  buffers differ (what a step that copies the frame costs).

Run: ``python bench/bench_steps.py``.
"""
from __future__ import annotations

import statistics
import subprocess
import sys

from _timing import median_seconds  # noqa: E402  (bench/ is the script's folder)

MODULES = ("foedus", "foedus.data", "foedus.data.panel")


def _import_time(module: str, repeat: int = 7) -> tuple[float, int]:
    times, loaded = [], 0
    code = f"import sys, {module}; print(len(sys.modules))"
    for _ in range(repeat):
        r = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True,
                           text=True, check=True)
        rows = [line for line in r.stderr.splitlines()
                if line.startswith("import time:") and line.rsplit("|", 1)[-1].strip() == module]
        times.append(int(rows[-1].split("|")[1]) / 1e6)
        loaded = int(r.stdout)
    return statistics.median(times), loaded


def main() -> None:
    for module in MODULES:
        seconds, loaded = _import_time(module)
        print(f"import {module:<18} {seconds * 1000:8.1f} ms  ({loaded} modules loaded)")

    import numpy as np
    import pandas as pd

    from foedus.data.spec import PanelSpec
    from foedus.data.steps import Step

    n = 2_000_000
    rng = np.random.default_rng(0)
    cols = {"ccode1": rng.integers(2, 990, n).astype(np.int16),
            "ccode2": rng.integers(2, 990, n).astype(np.int16),
            "year": np.sort(rng.integers(1816, 2015, n)).astype(np.int16)}
    for i in range(30):
        cols[f"f{i}"] = rng.random(n)
        cols[f"i{i}"] = pd.array(rng.integers(0, 2, n), dtype="Int8")
    frame = pd.DataFrame(cols)
    spec = PanelSpec()
    passing = Step("adds", lambda f, s, log: f.assign(new=1.0), lambda s: True, adds=("new",))
    copying = Step("copies", lambda f, s, log: f.copy(deep=True).assign(new=1.0), lambda s: True,
                   adds=("new",))
    t_pass = median_seconds(lambda: passing.run(frame, spec, None))
    t_bare = median_seconds(lambda: frame.assign(new=1.0))
    t_copy = median_seconds(lambda: copying.run(frame, spec, None), repeat=3)
    t_copy_bare = median_seconds(lambda: frame.copy(deep=True).assign(new=1.0), repeat=3)
    print(f"step checks, {n:,} rows x {frame.shape[1]} columns, columns passed on: "
          f"{(t_pass - t_bare) * 1000:.1f} ms over the step itself")
    print(f"step checks, columns copied by the step (value comparison): "
          f"{(t_copy - t_copy_bare) * 1000:.1f} ms over the step itself")


if __name__ == "__main__":
    main()
