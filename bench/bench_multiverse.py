"""Benchmark: the full Johnson & Leeds (2011) multiverse on the 1816-2000 panels.

Target (issue 7): at least 200 specifications under 10 minutes on a 2-core machine, each panel
built once, fits in parallel on the local cores. One run (not a median: a run takes minutes),
from a cold cache (a fresh ``FOEDUS_CACHE``: readers parse the raw files, panels are built) unless
``--warm`` (the user's cache). Then a second run on the same output folder measures the resume
(nothing is refitted). Needs the real releases (``FOEDUS_DATA_DIR``).

``--pool`` measures instead what starting a process pool costs with each start method (fork,
spawn, forkserver: the first pool of a process, which starts the server, and a later one), with
``foedus.models`` imported in the parent and in every worker, as in a real run
(:mod:`foedus.replication.pool` explains the choice of fork).

Usage: ``python bench/bench_multiverse.py [--warm] [--workers N] [--depth N] [--years A B]``
or ``python bench/bench_multiverse.py --pool [--workers N]``
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 600
TARGET_SPECS = 200


def _worker_ready(_: int) -> int:
    import foedus.models  # noqa: F401 - what a fit task imports first

    return os.getpid()


def pool_start_cost(workers: int) -> dict[str, float]:
    """Seconds from creating a pool to every worker having answered, per start method."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import foedus.models  # noqa: F401 - the parent has imported the models, as in a run
    from foedus.threads import threads_per_worker, worker_initializer

    def once(make) -> float:
        t0 = time.perf_counter()
        with make() as pool:
            list(pool.map(_worker_ready, range(2 * workers)))
        return time.perf_counter() - t0

    def plain(method):
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload(["foedus.models"])
        return lambda: ProcessPoolExecutor(workers, mp_context=context,
                                           initializer=worker_initializer,
                                           initargs=(threads_per_worker(workers),))

    out = {"fork (foedus.replication.pool)": once(plain("fork")),
           "forkserver (first pool: server start)": once(plain("forkserver")),
           "forkserver (later pool)": once(plain("forkserver")),
           "spawn": once(plain("spawn"))}
    print(f"pool start, {workers} workers:")
    for name, seconds in out.items():
        print(f"  {name:40s} {seconds:6.2f} s")
    return out


def cpu_seconds() -> float:
    """User + system CPU of this process and of its finished children (the pool's workers,
    reaped when the pool shuts down): the measure that a busy machine leaves comparable."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warm", action="store_true", help="use the user's cache (panels may be cached)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--depth", type=int, default=None, help="default: the grid's own depth")
    ap.add_argument("--years", nargs=2, type=int, default=None)
    ap.add_argument("--output", default=None, help="keep the outputs here (default: a temp folder)")
    ap.add_argument("--pool", action="store_true", help="measure the pool start cost per start method")
    args = ap.parse_args(argv)
    if args.pool:
        pool_start_cost(args.workers)
        return 0
    if not os.environ.get("FOEDUS_DATA_DIR"):
        print("bench_multiverse: skipped (set FOEDUS_DATA_DIR to the raw releases folder)")
        return 0
    tmp = tempfile.TemporaryDirectory(prefix="foedus-bench-mv-")
    if not args.warm:
        os.environ["FOEDUS_CACHE"] = str(Path(tmp.name) / "cache")
    out = Path(args.output) if args.output else Path(tmp.name) / "out"

    from foedus.replication.multiverse import run_multiverse
    from foedus.replication.multiverses import get_multiverse

    mv = get_multiverse("johnson_leeds_2011")
    if args.years:
        mv = mv.with_years(tuple(args.years))
    depth = "default" if args.depth is None else args.depth
    t0, c0 = time.perf_counter(), cpu_seconds()
    res = run_multiverse(mv, output=out, depth=depth, workers=args.workers, progress=True)
    first, first_cpu = time.perf_counter() - t0, cpu_seconds() - c0
    t1 = time.perf_counter()
    again = run_multiverse(mv, output=out, depth=depth, workers=args.workers, progress=False)
    resume = time.perf_counter() - t1
    s = res.summary
    n_panels = res.table["panel"].nunique()
    print()
    print(f"johnson_leeds_2011 multiverse ({'warm' if args.warm else 'cold'} cache, "
          f"{args.workers} workers, years {mv.base.years[0]}-{mv.base.years[1]}):")
    print(f"  specifications      {s['n_specs']} ({s['n_ok']} fitted, {s['n_failed']} failed) "
          f"on {n_panels} built panels [target >= {TARGET_SPECS}]")
    print(f"  wall time           {first:.1f} s [target < {TARGET_S} s]"
          f" -> {'OK' if first < TARGET_S and s['n_specs'] >= TARGET_SPECS else 'MISSED'}")
    print(f"  CPU time            {first_cpu:.1f} s (this process and its workers)")
    print(f"  resume (no refits)  {resume:.1f} s, refitted {again.fitted}")
    print(f"  published sign      {100 * s['share_published_sign']:.1f}%; "
          f"and p < {s['alpha']:g}: {100 * s['share_published_sign_significant']:.1f}%; "
          f"significant opposite: {100 * s['share_opposite_sign_significant']:.1f}%")
    if s["most_influential"]:
        m = s["most_influential"]
        print(f"  moves AME most      {m['choice']} (range of level medians {m['range_median_ame']:.3g})")
    if s["most_influential_on_significance"]:
        m = s["most_influential_on_significance"]
        print(f"  moves significance  {m['choice']} (range {100 * m['range_share_published']:.0f} points)")
    for msg, n in s["errors"].items():
        print(f"  failed              {n} x {msg[:110]}")
    if args.output:
        print(f"  outputs in          {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
