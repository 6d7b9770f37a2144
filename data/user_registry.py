"""Files the user supplies: a corrected copy of a registered file, or a release foedus does not ship.

The user registry is a TSV file, ``FOEDUS_USER_REGISTRY`` (default
``~/.config/foedus/user-registry.tsv``, or under ``XDG_CONFIG_HOME``), with the columns
``dataset version file sha256 bytes path note``: one row per file, ``file`` being the name the
readers ask for (``MIDB 5.0.csv``) and ``path`` where the file is. ``foedus data add DATASET
VERSION FILE`` writes a row (:func:`add_user_file`); a row may also be written by hand.

Each row replaces the registered file of that name in the shipped registry, or adds it (to a new
version of a known data set, or to a new data set). The row's ``sha256`` is the file's own hash,
recorded when it was added: every read checks the file against it, so a later edit is caught as
for any registered file. Panels built from a user-supplied file note it in their build log, and
``provenance.json`` marks the file ``user_supplied`` (with the published file's hash, when there
is one). The user registry lives outside the cache, so clearing the cache keeps it.

Readers look files up by name and version: a corrected copy of a registered file is read by the
same reader; a new release is read only where the reader already accepts its version.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import os
from pathlib import Path

from foedus.data.errors import DataError
from foedus.data.registry import DataFile, Dataset, Registry

COLUMNS = ("dataset", "version", "file", "sha256", "bytes", "path", "note")
_MERGED: dict[tuple, Registry] = {}


def user_registry_path() -> Path:
    """``FOEDUS_USER_REGISTRY``, else ``<XDG_CONFIG_HOME or ~/.config>/foedus/user-registry.tsv``."""
    value = os.environ.get("FOEDUS_USER_REGISTRY")
    if value:
        return Path(value).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or "~/.config"
    return Path(config).expanduser() / "foedus" / "user-registry.tsv"


def read_user_files(path: Path | None = None) -> list[DataFile]:
    """The rows of the user registry as :class:`DataFile` records (``[]`` when there is none)."""
    path = path or user_registry_path()
    if not path.is_file():
        return []
    rows = list(csv.DictReader(path.read_text("utf-8").splitlines(), delimiter="\t"))
    missing = [c for c in COLUMNS if rows and c not in rows[0]]
    if missing:
        raise DataError(f"{path}: user registry lacks column(s) {', '.join(missing)}; its columns "
                        f"must be {', '.join(COLUMNS)} (tab-separated). Fix or delete the file.")
    out = []
    for line, row in enumerate(rows, start=2):
        try:
            size = int(row["bytes"])
        except (TypeError, ValueError):
            raise DataError(f"{path}, line {line}: 'bytes' is not a number ({row['bytes']!r}). "
                            "Fix the line, or add the file again with `foedus data add`.") from None
        sha = (row["sha256"] or "").strip().lower()
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise DataError(f"{path}, line {line}: 'sha256' is not a sha256 hex digest. Fix the "
                            "line, or add the file again with `foedus data add`.")
        out.append(DataFile(dataset=row["dataset"], version=row["version"], name=row["file"],
                            sha256=sha, size=size, rows=None, mirror="", note=row.get("note") or "",
                            official_source="user-supplied file", path=row["path"]))
    return out


def merge(base: Registry, files: list[DataFile]) -> Registry:
    """``base`` with each user file replacing the registered file of its name, or added."""
    datasets = {(ds.name, ds.version): ds for ds in base}
    for f in files:
        ds = datasets.get((f.dataset, f.version))
        if ds is None:
            known = next((d for d in base if d.name == f.dataset), None)
            ds = (dataclasses.replace(known, version=f.version, files=(),
                                      title=f"{known.title} (user-supplied release {f.version})")
                  if known else Dataset(f.dataset, f.version, f"{f.dataset} {f.version} (user-supplied)", ""))
        published = next((g for g in ds.files if g.name == f.name), None)
        if published is not None:  # a copy of a published file: cite the file's official source
            f = dataclasses.replace(f, official_source=published.official_source)
        datasets[(f.dataset, f.version)] = dataclasses.replace(
            ds, files=tuple(g for g in ds.files if g.name != f.name) + (f,))
    return Registry(list(datasets.values()))


def with_user_files(base: Registry) -> Registry:
    """The shipped registry merged with the user registry (re-read when that file changes)."""
    path = user_registry_path()
    try:
        st = path.stat()
        key = (str(path), st.st_size, st.st_mtime_ns, id(base))
    except OSError:
        return base
    if key not in _MERGED:
        _MERGED.clear()
        _MERGED[key] = merge(base, read_user_files(path))
    return _MERGED[key]


def add_user_file(dataset: str, version: str, file: str | os.PathLike, *, name: str | None = None,
                  note: str = "") -> DataFile:
    """Record ``file`` (its own sha256) in the user registry as ``dataset@version``'s ``name``.

    ``name`` defaults to the file's own name; for a registered release it must be one of the
    release's file names (the name its reader asks for).
    """
    from foedus.data.cache import atomic_write, hash_bytes
    from foedus.data.registry import default_registry

    source = Path(file).expanduser().resolve()
    if not source.is_file():
        raise DataError(f"{source}: no such file. Name the file to add.")
    name = name or source.name
    try:
        release = default_registry().get(dataset, version)
    except KeyError:
        release = None
    if release is not None and name not in {f.name for f in release.files}:
        raise DataError(f"{release.key} has no file {name!r}; name the file it replaces with --as "
                        f"(its files: {', '.join(f.name for f in release.files)})")
    added = DataFile(dataset=dataset, version=version, name=name, sha256=hash_bytes(source),
                     size=source.stat().st_size, rows=None, mirror="", note=note,
                     official_source="user-supplied file", path=str(source))
    path = user_registry_path()
    kept = [f for f in read_user_files(path) if (f.dataset, f.version, f.name) != (dataset, version, name)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for f in sorted([*kept, added], key=lambda f: (f.dataset, f.version, f.name)):
        writer.writerow([f.dataset, f.version, f.name, f.sha256, f.size, f.path, f.note])
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda tmp: tmp.write_text(out.getvalue(), encoding="utf-8"))
    return added
