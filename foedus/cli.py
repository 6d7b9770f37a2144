"""Command line: ``foedus <command> ...`` (also ``python -m foedus``)."""
from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="foedus", description=__doc__)
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command")
    # Each command lives in its own module with a register(subparsers) function.
    from foedus import _cli_data

    _cli_data.register(commands)
    from foedus import _cli_panel

    _cli_panel.register(commands)
    from foedus.replication import cli as _cli_replicate

    _cli_replicate.register(commands)
    from foedus.replication import cli_multiverse as _cli_multiverse

    _cli_multiverse.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from foedus import __version__

        print(__version__)
        return 0
    if getattr(args, "func", None) is not None:
        try:
            return args.func(args)
        except BrokenPipeError:  # `foedus ... | head`: the reader left; not an error of ours
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
