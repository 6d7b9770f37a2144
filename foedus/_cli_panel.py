"""``foedus panel``: build a dyad-year panel from a spec and write it for Stata, R or Python.

The spec comes from a JSON or TOML file (``PanelSpec.to_json()`` output, or the same keys in
TOML sections) and/or options; ``--describe`` prints every coding choice and stops. The output
format follows the file's suffix (.parquet, .csv, .dta, .feather); a sidecar ``<file>.json``
holds the spec, build log, input files with their sha256 and a data dictionary.
"""
from __future__ import annotations

import argparse
import logging
from pathlib import Path

log = logging.getLogger("foedus.cli.panel")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "panel", help="build a dyad-year panel and write it (parquet, CSV, Stata .dta, Feather)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--spec", metavar="FILE", help="panel spec as JSON or TOML (default: the defaults)")
    p.add_argument("--years", nargs=2, type=int, metavar=("FIRST", "LAST"), help="first and last year")
    p.add_argument("--mid", metavar="VERSION", help="MID release for the disputes (e.g. 3.10, 5.0)")
    p.add_argument("--atop", metavar="VERSION", help="ATOP release for the alliances (5.1, 4.01)")
    p.add_argument("--undirected", action="store_true", help="non-directed dyad-years (A < B)")
    p.add_argument("--system", choices=("cow", "gw"),
                   help="state system: COW (default) or Gleditsch-Ward (docs/panel-systems.md)")
    p.add_argument("--describe", action="store_true", help="print the coding choices and stop")
    p.add_argument("-o", "--output", metavar="FILE", help="output file; its suffix sets the format")
    p.add_argument("--format", choices=("parquet", "csv", "stata", "feather"),
                   help="output format when the suffix does not say it")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the panel cache")
    p.set_defaults(func=run)


def load_spec(path: str | None):
    """A PanelSpec from a JSON or TOML file (the defaults without a file)."""
    from foedus.data.spec import PanelSpec

    if path is None:
        return PanelSpec()
    file = Path(path)
    if not file.is_file():
        raise ValueError(f"spec file {path!r} does not exist")
    text = file.read_text(encoding="utf-8")
    if file.suffix.lower() == ".toml":
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"{path}: not valid TOML ({err})") from None
        data.pop("schema", None)
        return PanelSpec.from_dict(data)
    try:
        return PanelSpec.from_json(text)
    except ValueError as err:
        if "JSON" in type(err).__name__ or "Expecting" in str(err):
            raise ValueError(f"{path}: not valid JSON ({err})") from None
        raise


def spec_from_args(args: argparse.Namespace):
    from dataclasses import replace

    spec = load_spec(args.spec)
    changes = {}
    if args.years:
        changes["years"] = tuple(args.years)
    if args.undirected:
        changes["directed"] = False
    if getattr(args, "system", None):
        changes["system"] = args.system
    if args.mid:
        if spec.disputes is None:
            raise ValueError("--mid given but the spec has no disputes section")
        changes["disputes"] = replace(spec.disputes, version=args.mid)
    if args.atop:
        if spec.alliances is None:
            raise ValueError("--atop given but the spec has no alliances section")
        changes["alliances"] = replace(spec.alliances, version=args.atop)
    return spec.replace(**changes) if changes else spec


def run(args: argparse.Namespace) -> int:
    from foedus.data.errors import DataError

    try:
        spec = spec_from_args(args)
        if args.describe:
            print(spec.describe())
            return 0
        if not args.output:
            log.error("give an output file (-o panel.dta, panel.parquet, panel.csv, "
                      "panel.feather) or --describe")
            return 2
        from foedus.data.export import format_of, write_panel
        from foedus.data.panel import build_panel

        fmt = format_of(args.output, args.format)
        panel = build_panel(spec, cache=not args.no_cache, progress=True)
        data, meta = write_panel(panel, args.output, fmt)
    except DataError:
        raise  # bad spec or data: foedus.cli.main prints it short, with the exit code of its kind
    except (ValueError, TypeError) as err:
        log.error(str(err))
        return 2
    print(f"wrote {data} ({len(panel.frame):,} dyad-years, {panel.frame.shape[1]} columns, {fmt}) "
          f"and {meta} (spec {spec.digest()}, build log, inputs, data dictionary)")
    return 0
