"""``foedus cache info|clear``: what the cache folder holds, and emptying it (all or by part).

The parts are the subfolders of the cache (see the documentation's page on caching):
``files`` (downloads), ``hashes`` (the hash memo), ``parsed`` (readers' typed frames), ``panels``
(built panels) and ``multiverse`` (the columns of multiverse fits). Everything cleared is rebuilt
from the registered files on demand; the user registry is not in the cache and survives.
"""
from __future__ import annotations

import argparse
import logging
from pathlib import Path

log = logging.getLogger("foedus.cli.cache")

PARTS = ("files", "hashes", "parsed", "panels", "multiverse")


def register(subparsers) -> None:
    p = subparsers.add_parser("cache", help="show or clear the cache folder (panels, parsed files, ...)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cache_command", required=True)
    sub.add_parser("info", help="the cache folder, and the files and bytes of each part")
    cl = sub.add_parser("clear", help="delete the cache (or some parts of it)")
    cl.add_argument("parts", nargs="*", metavar="PART",
                    help=f"parts to delete: {', '.join(PARTS)} (default: all but files)")
    cl.add_argument("--all", action="store_true", help="also delete the downloads (files)")
    p.set_defaults(func=run)


def _size(folder: Path) -> tuple[int, int]:
    files = [f for f in folder.rglob("*") if f.is_file()] if folder.is_dir() else []
    return len(files), sum(f.stat().st_size for f in files)


def _human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def run(args: argparse.Namespace) -> int:
    import shutil

    from foedus.data.paths import cache_dir

    root = cache_dir()
    if args.cache_command == "info":
        print(f"cache folder: {root}  (set FOEDUS_CACHE or cache_dir in the config file to move it)")
        total = 0
        for part in PARTS:
            n, size = _size(root / part)
            total += size
            print(f"  {part:<11}{n:>8,} files {_human(size):>10}")
        print(f"  {'total':<11}{'':>14}{_human(total):>10}")
        return 0
    unknown = [p for p in args.parts if p not in PARTS]
    if unknown:
        log.error(f"unknown part(s) {', '.join(unknown)}; the parts are {', '.join(PARTS)}")
        return 2
    parts = list(PARTS) if args.all else (args.parts or [p for p in PARTS if p != "files"])
    freed = 0
    for part in parts:
        folder = root / part
        freed += _size(folder)[1]
        shutil.rmtree(folder, ignore_errors=True)
    log.info(f"cleared {', '.join(parts)} in {root} ({_human(freed)} freed)")
    return 0
