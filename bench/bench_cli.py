"""Benchmark the command line's start-up: ``foedus --help`` and each command's ``--help``
(target: under 0.5 s; the parser imports no pandas, scipy or study modules), fresh processes.

Usage: ``python bench/bench_cli.py [--repeat 7]``
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = (["--help"], ["data", "--help"], ["panel", "--help"], ["replicate", "--help"],
            ["config", "--help"],
            ["multiverse", "--help"], ["--version"])
TARGET = 0.5


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    exe = shutil.which("foedus") or str(Path(sys.executable).with_name("foedus"))
    print(f"{'command':<28}{'median s':>10}{'target s':>10}")
    for cmd in COMMANDS:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            subprocess.run([exe, *cmd], stdout=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - t0)
        print(f"{'foedus ' + ' '.join(cmd):<28}{statistics.median(times):>10.3f}{TARGET:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
