"""Command line: ``foedus <command> ...`` (also ``python -m foedus``).

An error of foedus's own types (bad data, a spec that cannot be built, a model that cannot be
fitted) is printed as at most two lines, what and where, then what to do, and ends the command
with the exit code of its kind (:data:`EXIT_CODES`). ``--debug``, anywhere on the command line,
shows the traceback instead.
"""
from __future__ import annotations

import argparse
import sys

#: Exit codes: 0 success, 1 an unexpected error (a bug: please report it with --debug's
#: traceback), 2 a usage error (argparse's), and one per kind of foedus error, most specific
#: first (the first matching class decides).
EXIT_CODES: tuple[tuple[str, int, str], ...] = (
    ("foedus.data.errors:SpecError", 3, "invalid panel specification"),
    ("foedus.data.errors:DataNotFoundError", 4, "data file not found"),
    ("foedus.data.errors:HashMismatchError", 5, "data file is not the registered file"),
    ("foedus.data.errors:SchemaError", 6, "data file has unexpected content"),
    ("foedus.data.errors:DataError", 7, "data error"),
    ("foedus.models.separation:SeparationError", 8, "separation: the estimates do not exist"),
    ("foedus.models._numerics:ConvergenceError", 9, "the fit did not converge"),
    ("foedus.models.errors:DesignError", 10, "unusable design matrix"),
    ("foedus.models.errors:EstimationError", 11, "model cannot be estimated"),
)
#: ``foedus multiverse``: some specifications failed (the outputs are written all the same).
EXIT_FAILED_SPECIFICATIONS = 12


def _classes():
    import importlib

    for target, code, kind in EXIT_CODES:
        module, name = target.split(":")
        yield getattr(importlib.import_module(module), name), code, kind


def exit_code(err: BaseException) -> int | None:
    """The exit code of a foedus error; None for any other exception."""
    for cls, code, _ in _classes():
        if isinstance(err, cls):
            return code
    return None


def error_lines(err: BaseException) -> list[str]:
    """At most two lines: what and where (with the offending rows, if named); what to do."""
    lines = [ln.strip() for ln in str(err).strip().splitlines() if ln.strip()] or [type(err).__name__]
    what = lines[0]
    rows = next((ln for ln in lines[1:] if ln.startswith("offending rows")), None)
    if rows:
        what = f"{what} ({rows})"
    rest = [ln for ln in lines[1:] if ln is not rows and not ln.startswith(("expected ", "actual "))]
    return [what, rest[-1]] if rest else [what]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="foedus", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an error (accepted anywhere on the line)")
    commands = parser.add_subparsers(dest="command")
    # Each command lives in its own module with a register(subparsers) function.
    from foedus import _cli_data

    _cli_data.register(commands)
    from foedus import _cli_panel

    _cli_panel.register(commands)
    from foedus import _cli_cache

    _cli_cache.register(commands)
    from foedus.replication import cli as _cli_replicate

    _cli_replicate.register(commands)
    from foedus.replication import cli_multiverse as _cli_multiverse

    _cli_multiverse.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from foedus import __version__

        print(__version__)
        return 0
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except BrokenPipeError:  # `foedus ... | head`: the reader left; not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as err:  # noqa: BLE001 - foedus's own errors become short messages
        code = exit_code(err)
        if debug or code is None:
            raise
        what, *todo = error_lines(err)
        print(f"foedus {args.command}: error: {what}", file=sys.stderr)
        if todo:
            print(f"  {todo[0]}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
