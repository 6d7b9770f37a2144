"""``foedus multiverse``: fit a study across its grid of coding choices (the API is
:func:`foedus.replication.multiverse.run_multiverse`)."""
from __future__ import annotations

import argparse
import sys


def _depth(text: str):
    if text == "default":
        return text
    if text in ("full", "all", "none"):
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--depth takes a number or 'full', not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("--depth must be >= 0")
    return value


def register(subparsers) -> argparse.ArgumentParser:
    """Register the ``multiverse`` subcommand on the top-level parser's subparsers."""
    p = subparsers.add_parser(
        "multiverse",
        help="fit a study across every defensible coding choice (specification curve)",
        description="Fit a study across its grid of data-construction and modelling choices; write "
                    "a tidy table (CSV, parquet), the specification curve (PNG) and a summary to "
                    "<output>/<study>/multiverse/. `foedus multiverse --list` names the grids.",
    )
    p.add_argument("study", nargs="?", help="study name")
    p.add_argument("--list", action="store_true", help="list the grids (choices and levels) and exit")
    p.add_argument("-o", "--output", default="results",
                   help="parent folder (default: results; writes <output>/<study>/multiverse/)")
    p.add_argument("--depth", type=_depth, default="default",
                   help="data choices that may depart from the baseline at once (default: the "
                        "study's, 1; 'full' = every combination)")
    p.add_argument("-j", "--jobs", "--workers", dest="workers", type=int, default=None,
                   help="local worker processes (default: every core; 1 = in this process)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address (tcp://host:8786): fit on that cluster instead "
                        "(workers must share this machine's file system; needs foedus[multiverse])")
    p.add_argument("--years", nargs=2, type=int, metavar=("FIRST", "LAST"),
                   help="restrict the panels to these years (quick smoke run; flagged in the notes)")
    p.add_argument("--keep-failed", action="store_true",
                   help="keep the stored errors of an earlier run (by default specifications "
                        "that failed are refitted)")
    p.add_argument("--fresh", action="store_true",
                   help="discard the results store of an earlier run instead of resuming it")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    from pathlib import Path

    from foedus.replication.multiverse import summary_markdown
    from foedus.replication.multiverses import get_multiverse, multiverse_names

    if args.list:
        for name in multiverse_names():
            mv = get_multiverse(name)
            n = len(mv.specifications())
            print(f"{name}: {mv.title} ({n} specifications at depth {mv.depth})")
            for c in mv.choices:
                print(f"  {c.name:12s} {' | '.join(lv.label for lv in c.levels)}")
        return 0
    if not args.study:
        print(f"foedus multiverse: name a study ({', '.join(multiverse_names())}) or use --list",
              file=sys.stderr)
        return 2
    if args.study not in multiverse_names():
        print(f"foedus multiverse: no grid for {args.study!r}; known: {', '.join(multiverse_names())}",
              file=sys.stderr)
        return 2
    from foedus.replication.multiverse import run_multiverse

    mv = get_multiverse(args.study)
    if args.years:
        mv = mv.with_years(tuple(args.years))
    out = Path(args.output) / args.study / ("multiverse" if not args.years else
                                            f"multiverse-{args.years[0]}-{args.years[1]}")
    store = out / "results.jsonl"
    if args.fresh and store.exists():
        store.unlink()
    res = run_multiverse(mv, output=out, depth=args.depth, workers=args.workers,
                         scheduler=args.scheduler, retry_failed=not args.keep_failed,
                         progress=not args.quiet)
    if not args.quiet:
        print(summary_markdown(mv, res.summary).split("\n## By choice")[0], file=sys.stderr)
        print(f"wrote {', '.join(sorted(res.files))} to {out} ({res.seconds:.0f} s)", file=sys.stderr)
    failed = int(res.summary["n_failed"])
    if failed:
        from foedus.cli import EXIT_FAILED_SPECIFICATIONS

        top = next(iter(res.summary.get("errors", {})), "")
        print(f"foedus multiverse: {failed} of {len(res.table)} specifications failed"
              + (f" (most often: {top})" if top else "") + f"; see {out / 'summary.md'}. Rerun "
              "after fixing the cause: failed specifications are refitted.", file=sys.stderr)
        return EXIT_FAILED_SPECIFICATIONS
    return 0
