"""Command line: ``foedus <command> ...`` (also ``python -m foedus``).

An error of foedus's own types (bad data, a spec that cannot be built, a model that cannot be
fitted) is printed as at most two lines, what and where, then what to do, and ends the command
with the exit code of its kind (:data:`EXIT_CODES`). ``--debug``, anywhere on the command line,
shows the traceback instead.

Messages go through the ``foedus`` logger (:mod:`foedus._cli_log`); ``-q/--quiet`` (warnings and
errors only, no progress display) and ``-v/--verbose`` (details) are accepted by every command,
before or after its name. Output that is the command's result (tables, lists) goes to stdout.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Iterator

log = logging.getLogger("foedus.cli")

#: Exit codes: 0 success, 1 an unexpected error (a bug: please report it with --debug's
#: traceback), 2 a usage error (argparse's), and one per kind of foedus error, most specific
#: first (the first matching class decides).
EXIT_CODES: tuple[tuple[str, int, str], ...] = (
    ("foedus.data.errors:SpecError", 3, "invalid panel specification"),
    ("foedus.data.errors:ConfigError", 13, "invalid config file"),
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


def _role(m: re.Match) -> str:
    text = m.group(1).strip()
    if "<" in text:  # :ref:`title <target>`
        return text.split("<", 1)[0].strip()
    return text[1:].rsplit(".", 1)[-1] if text.startswith("~") else text  # ~ shows the last part


_RST = (
    (re.compile(r":[a-z]+(?::[a-z]+)?:`([^`]+)`"), _role),  # :func:`x`, :ref:`title <x>`
    (re.compile(r"``([^`]+)``"), r"\1"),  # ``literal``
    (re.compile(r"`([^`]+)`_{0,2}"), r"\1"),  # `text`, `link`_
    (re.compile(r"::$", re.M), ":"),  # a literal block's marker
)


def plain(text: str | None) -> str | None:
    """Help text without reStructuredText markup (docstrings double as ``--help`` texts)."""
    if not text or text is argparse.SUPPRESS:
        return text
    for pattern, repl in _RST:
        text = pattern.sub(repl, text)
    return text


def walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
         ) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the command line with its command path (``()``, ``("data",)``,
    ``("data", "list")``, ...), depth first."""
    yield path, parser
    for action in parser._actions:  # argparse keeps subcommands in a private action class
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from walk(sub, (*path, name))


def _verbosity(parser: argparse.ArgumentParser, top: bool) -> None:
    """-v/--verbose and -q/--quiet on one parser. Below the top, the defaults are suppressed so
    that ``foedus -q data list`` is not undone by ``list``'s own defaults; a command that already
    has ``-q`` (same meaning) keeps it, with its default suppressed the same way."""
    default_v, default_q = (0, False) if top else (argparse.SUPPRESS, argparse.SUPPRESS)
    have = {opt: a for a in parser._actions for opt in a.option_strings}
    if "-v" not in have:
        parser.add_argument("-v", "--verbose", action="count", default=default_v,
                            help="say more: each step's details (debug messages)")
    if "-q" in have:
        have["-q"].default = default_q
    else:
        parser.add_argument("-q", "--quiet", action="store_true", default=default_q,
                            help="only warnings and errors; no progress display")


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
    from foedus import _cli_config

    _cli_config.register(commands)
    from foedus.replication import cli as _cli_replicate

    _cli_replicate.register(commands)
    from foedus.replication import cli_multiverse as _cli_multiverse

    _cli_multiverse.register(commands)
    for path, p in walk(parser):
        _verbosity(p, top=not path)
        p.description, p.epilog = plain(p.description), plain(p.epilog)
        for action in p._actions:
            action.help = plain(action.help)
            for choice in getattr(action, "_choices_actions", ()):  # the subcommands' one-liners
                choice.help = plain(choice.help)
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
    from foedus._cli_log import cli_logging

    with cli_logging(args.verbose, args.quiet, prog=f"foedus {args.command}"):
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
            log.error("\n".join(error_lines(err)))
            return code


if __name__ == "__main__":
    sys.exit(main())
