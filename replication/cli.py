"""``foedus replicate``: run registered studies from the command line (the API is
:func:`foedus.replication.replicate`)."""
from __future__ import annotations

import argparse
import logging
import textwrap
import time

log = logging.getLogger("foedus.cli.replicate")


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
                   help="worker processes, each running one (study, data version) at a time "
                        "(default: one per available core); outputs do not depend on it")
    p.add_argument("--force", action="store_true",
                   help="rerun every study, also those whose outputs are current (by default a "
                        "study is skipped when code, inputs, software, arguments and its "
                        "outputs are as its provenance.json records; -v says why one is rerun)")
    # -q/--quiet (no progress display) and -v/--verbose: shared by every command (foedus.cli)
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    from pathlib import Path

    from foedus.replication.registry import get_study, study_names

    if args.list:
        names = study_names()
        width = max(map(len, names)) + 2
        for name in names:  # titles wrapped at 100 characters, under the title column
            print(textwrap.fill(get_study(name).title, 100, initial_indent=name.ljust(width),
                                subsequent_indent=" " * width))
        return 0
    names = study_names() if args.all else list(args.study)
    if not names:
        log.error(f"name a study or use --all (studies: {', '.join(study_names())})")
        return 2
    unknown = [n for n in names if n not in study_names()]
    if unknown:
        log.error(f"unknown study {', '.join(unknown)}; known: {', '.join(study_names())}")
        return 2
    if args.published and len(names) != 1:
        log.error("--published takes one study; use --published-dir for several")
        return 2
    from foedus.replication.pipeline import replicate_studies

    t0 = time.perf_counter()
    run = replicate_studies(names, output=Path(args.output), years=tuple(args.years) if args.years else None,
                            published=args.published, published_dir=args.published_dir,
                            progress=not args.quiet, jobs=args.jobs, skip_current=not args.force)
    for name in names:
        if name in run.failures:
            continue
        rep = run.replications[name]
        if rep.current:
            log.info(f"{name}: outputs in {rep.directory} are current, not rerun (--force reruns)")
        else:
            log.debug(f"{name}: rerun because {run.reasons[name]}")
            log.info(f"{name}: wrote {', '.join(sorted(rep.files))} to {rep.directory}")
    ran = [n for n in names if n in run.reasons]
    log.info(f"done: {len(ran)} of {len(names)} studies run, {len(names) - len(ran)} current, "
             f"{len(run.failures)} failed, in {time.perf_counter() - t0:.1f} s")
    from foedus.replication.verdict import verdict_summary

    rerun = [r.result for r in run.replications.values() if r.result is not None]
    if rerun:
        print(verdict_summary(rerun))
    current = [n for n, r in run.replications.items() if r.current]
    if current:
        print(f"Not rerun (outputs current; verdicts in their table.md): {', '.join(current)}")
    if not run.failures:
        return 0
    if len(names) == 1:  # one study: its error, its short message and exit code (foedus.cli)
        raise next(iter(run.failures.values()))
    from foedus.cli import error_lines, exit_code

    for name, exc in run.failures.items():
        log.debug(f"{name} failed", exc_info=exc)
        log.error(f"{name} failed: " + "\n  ".join(error_lines(exc)))
    log.error(f"{len(run.failures)} of {len(names)} studies failed: {', '.join(run.failures)}")
    return exit_code(next(iter(run.failures.values()))) or 1
