"""``foedus data list|fetch|verify|path|add``: the data registry from the command line."""
from __future__ import annotations

import argparse
import logging
import textwrap

# The data layer is imported inside the commands, not here: `foedus --help` must stay fast.

log = logging.getLogger("foedus.cli.data")

#: ``foedus data list`` fits its lines in this many characters unless ``--wide``
WIDTH = 100


def register(subparsers) -> None:
    """Add the ``data`` command to the top-level parser's subparsers."""
    p = subparsers.add_parser("data", help="list, fetch, verify and locate the upstream data sets",
                              description=__doc__)
    sub = p.add_subparsers(dest="data_command", required=True)
    ls = sub.add_parser("list", help="data sets, versions, presence and citation",
                        description=f"One line per data set release: name, version, whether its "
                                    f"files are present, citation key and title. Lines are cut at "
                                    f"{WIDTH} characters (a cut title ends in '...'); --wide shows "
                                    f"the full titles.")
    ls.add_argument("--bibtex", action="store_true", help="print each data set's full BibTeX entry")
    ls.add_argument("--wide", action="store_true",
                    help=f"do not cut lines at {WIDTH} characters (full titles)")
    fe = sub.add_parser("fetch", help="download and verify data sets into the cache")
    fe.add_argument("names", nargs="+", metavar="NAME", help="name, name@version or folder (cow-mid-4.3)")
    fe.add_argument("--mirror", help="base URL serving <dataset>-<version>/<file> (default: FOEDUS_MIRROR, "
                                     "mirror in the config file, or the pinned public copies)")
    ve = sub.add_parser("verify", help="re-hash every present file against the registry")
    ve.add_argument("names", nargs="*", metavar="NAME", help="limit to these data sets")
    pa = sub.add_parser("path", help="print the folder holding a data set's files")
    pa.add_argument("name", metavar="NAME")
    ad = sub.add_parser("add", help="use your own file (a corrected copy, a newer release) in place "
                                    "of a registered one; recorded with its sha256 in the user registry")
    ad.add_argument("dataset", metavar="DATASET")
    ad.add_argument("release", metavar="VERSION")  # not `version`: the top-level --version flag
    ad.add_argument("file", metavar="FILE")
    ad.add_argument("--as", dest="name", metavar="NAME",
                    help="the registered file name it stands for (default: FILE's own name)")
    ad.add_argument("--note", default="", help="why this file is used (kept in the user registry)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run a ``data`` subcommand; data errors go to :func:`foedus.cli.main` (short message, exit code)."""
    try:
        return COMMANDS[args.data_command](args)
    except KeyError as err:  # an unknown data set or version: a usage error
        log.error(err.args[0])
        return 2


def _where() -> str:
    from foedus.data.paths import cache_dir, offline_dir

    off = offline_dir()
    if off is None:
        return f"cache {cache_dir() / 'files'}"
    state = "" if off.is_dir() else " (not a folder)" if off.exists() else " (does not exist)"
    return f"offline folder FOEDUS_DATA_DIR={off}{state}"


def _list(args) -> int:
    from foedus.data.fetch import local_path
    from foedus.data.registry import current_registry

    reg = current_registry()
    print(f"data read from the {_where()}")  # a path: never cut
    rows = []
    for ds in reg:
        present = sum(local_path(f) is not None for f in ds.files)
        mark = "manual" if ds.manual else ("yes" if present == len(ds.files) else
                                           "no" if present == 0 else f"{present}/{len(ds.files)}")
        if any(f.user_supplied for f in ds.files):
            mark += "+user"  # some files are the user's own (foedus data add)
        cite = ds.citation.split("{", 1)[1].split(",", 1)[0] if ds.citation else "-"
        rows.append((ds.name, ds.version, mark, cite, ds.title))
    widths = [max(len(r[i]) for r in rows + [("name", "version", "present", "citation", "")]) for i in range(4)]
    header = ("name", "version", "present", "citation", "title")
    cut = False
    for r in [header, *rows]:
        line = "  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4]
        if not args.wide and len(line) > WIDTH:
            line, cut = line[:WIDTH - 3].rstrip() + "...", True
        print(line)
    print()
    print(textwrap.fill("'manual': never downloaded at its maintainer's request; read it from your "
                        "own copy. '+user': some files are your own (foedus data add)."
                        + (" Titles cut at '...': foedus data list --wide shows them in full."
                           if cut else ""), WIDTH))
    if args.bibtex:
        seen = set()
        for ds in reg:
            if ds.citation and ds.citation not in seen:
                seen.add(ds.citation)
                print(f"\n% {ds.key}: {ds.title}\n{ds.citation}")
    return 0


def _fetch(args) -> int:
    from foedus.data.fetch import dataset_path, fetch
    from foedus.data.registry import current_registry

    for name in args.names:
        paths = fetch(name, mirror=args.mirror)
        ds = current_registry().get(name)
        print(f"{ds.key}: {len(paths)} file(s) verified in {paths[0].parent if paths else dataset_path(name)}")
    return 0


def _verify(args) -> int:
    from foedus.data.fetch import status
    from foedus.data.paths import offline_dir
    from foedus.data.registry import current_registry

    """Re-hash every present file; list the missing and mismatched ones.

    Exit code: that of a hash mismatch when a file differs, that of a missing file when a file is
    absent (files of manual data sets count only when named), else 0.
    """
    from foedus.cli import exit_code
    from foedus.data.errors import DataNotFoundError, HashMismatchError

    reg = current_registry()
    sets = [reg.get(n) for n in args.names] if args.names else list(reg)
    counts = {"ok": 0, "missing": 0, "mismatch": 0, "manual": 0}
    print(f"verifying against the registry in the {_where()}")
    for ds in sets:
        for f in ds.files:
            st = status(f)
            kind = "manual" if st.status == "missing" and ds.manual and not args.names else st.status
            counts[kind] += 1
            if kind == "mismatch":
                print(f"MISMATCH {f.relpath}\n  expected {f.sha256}\n  actual   {st.actual}")
            elif kind == "missing":
                print(f"MISSING  {f.relpath}")
            elif st.status == "ok" and args.names:
                print(f"ok       {f.relpath}")
    manual = f", {counts['manual']} of manual data sets not supplied" if counts["manual"] else ""
    print(f"{counts['ok']} ok, {counts['mismatch']} mismatched, {counts['missing']} missing{manual} "
          f"(looked in the {_where()})")
    if counts["missing"]:
        log.info("put the missing files there (layout <dataset>-<version>/<file>)" if offline_dir()
                 else "run foedus data fetch NAME to download them")
    if counts["mismatch"]:
        return exit_code(HashMismatchError("", "", ""))
    return exit_code(DataNotFoundError()) if counts["missing"] else 0


def _path(args) -> int:
    from foedus.data.fetch import dataset_path

    print(dataset_path(args.name))
    return 0


def _add(args) -> int:
    from foedus.data.user_registry import add_user_file, user_registry_path

    f = add_user_file(args.dataset, args.release, args.file, name=args.name, note=args.note)
    print(f"{f.dataset}@{f.version}: {f.name} is now read from {f.path} (sha256 {f.sha256}); "
          f"recorded in {user_registry_path()}. Tables built from it are marked user-supplied.")
    return 0


COMMANDS = {"list": _list, "fetch": _fetch, "verify": _verify, "path": _path, "add": _add}
