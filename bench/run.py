"""Run every benchmark script in bench/ (each in its own process) and print their reports.

Usage: ``python bench/run.py [name ...]`` (default: all ``bench_*.py``). Each script prints
medians over repeated runs; timings are never asserted in tests.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in argv]
    status = 0
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        status |= subprocess.call([sys.executable, str(script)])
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
