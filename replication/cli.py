"""``foedus replicate``: run registered studies from the command line (the API is
:func:`foedus.replication.replicate`)."""
from __future__ import annotations

import argparse
import sys
import time


def register(subparsers) -> argparse.ArgumentParser:
    """Register the ``replicate`` subcommand on the top-level parser's subparsers."""
    from foedus.replication.registry import study_names

    p = subparsers.add_parser(
        "replicate",
        help="reproduce a published study: tables, figures, provenance in results/<study>/",
        description="Reproduce a published study end to end from the official releases. "
                    f"Studies: {', '.join(study_names())}.",
    )
    p.add_argument("study", nargs="*", help="study name(s)")
    p.add_argument("--all", action="store_true", help="every registered study")
    p.add_argument("--list", action="store_true", help="list the studies and exit")
    p.add_argument("-o", "--output", default="results",
                   help="parent folder of the outputs (default: results; each study writes <output>/<study>/)")
    p.add_argument("--published", metavar="CSV",
                   help="published coefficients to show side by side (one study only)")
    p.add_argument("--published-dir", metavar="DIR",
                   help="folder with <study>.csv published coefficients (default: $FOEDUS_PUBLISHED_DIR)")
    p.add_argument("--years", nargs=2, type=int, metavar=("FIRST", "LAST"),
                   help="restrict every panel to these years (quick smoke run; flagged in the notes)")
    p.add_argument("-j", "--jobs", type=int, default=None,
                   help="worker processes, one data version each (default: one per data version, "
                        "at most one per CPU); outputs do not depend on it")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    from pathlib import Path

    from foedus.replication.registry import get_study, study_names
    from foedus.replication.pipeline import replicate

    if args.list:
        for name in study_names():
            print(f"{name:22s} {get_study(name).title}")
        return 0
    names = study_names() if args.all else list(args.study)
    if not names:
        print("foedus replicate: name a study or use --all (studies: "
              f"{', '.join(study_names())})", file=sys.stderr)
        return 2
    unknown = [n for n in names if n not in study_names()]
    if unknown:
        print(f"foedus replicate: unknown study {', '.join(unknown)}; known: {', '.join(study_names())}",
              file=sys.stderr)
        return 2
    if args.published and len(names) != 1:
        print("foedus replicate: --published takes one study; use --published-dir for several",
              file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    results = []
    for name in names:
        out = Path(args.output) / name
        t = time.perf_counter()
        rep = replicate(name, output=out, years=tuple(args.years) if args.years else None,
                        published=args.published, published_dir=args.published_dir,
                        progress=not args.quiet, jobs=args.jobs)
        results.append(rep.result)
        if not args.quiet:
            print(f"{name}: wrote {', '.join(sorted(rep.files))} to {rep.directory} "
                  f"({time.perf_counter() - t:.1f} s)", file=sys.stderr)
    if not args.quiet and len(names) > 1:
        print(f"done: {len(names)} studies in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    from foedus.replication.tables import verdict_summary

    print(verdict_summary(results))
    return 0
