"""The registry of upstream data releases: what exists, where it comes from, how to verify it.

The registry is data shipped with the package: ``registry_files.tsv`` (one row per published file:
data set, version, file name exactly as published, sha256, size, row count, pinned mirror URL,
official source) is generated from the maintainers' source list by ``scripts/make_registry.py``;
``registry_datasets.toml`` holds the human part (title, official page, BibTeX citation, licence and
maintainer notes). Every data set lives in the folder ``<name>-<version>`` both in an offline folder
(``FOEDUS_DATA_DIR``) and in the cache.
"""
from __future__ import annotations

import contextlib
import csv
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from urllib.parse import quote


@dataclass(frozen=True)
class DataFile:
    """One published file of a data set release.

    Attributes
    ----------
    dataset, version : str
        Registry name and version of the release the file belongs to.
    name : str
        File name exactly as published (may contain spaces).
    sha256 : str
        Hex digest of the published bytes; every read and download is checked against it.
    size : int
        Size in bytes.
    rows : int or None
        Number of data rows (header excluded) when the file is a table and the count is known.
    mirror : str
        Pinned public copy of exactly these bytes. A ``!`` separates a zip archive's URL from the
        name of the member that is this file.
    official_source : str
        The official page to cite and to send users to when a download fails.
    note : str
        Maintainers' notes on the copy (line endings, encoding, conversions).
    path : str
        Where a user-supplied file is (:mod:`foedus.data.user_registry`); empty for the
        registered files, which are looked up in the offline folder or the cache.
    """

    dataset: str
    version: str
    name: str
    sha256: str
    size: int
    rows: int | None
    mirror: str
    official_source: str = ""
    note: str = ""
    path: str = ""

    @property
    def user_supplied(self) -> bool:
        """The user's own file (a corrected copy or a release foedus does not ship)."""
        return bool(self.path)

    @property
    def folder(self) -> str:
        return f"{self.dataset}-{self.version}"

    @property
    def relpath(self) -> str:
        """``<dataset>-<version>/<file>``: the file's place in an offline folder or the cache."""
        return f"{self.folder}/{self.name}"

    @property
    def archive_url(self) -> str:
        """URL of the pinned copy (of the zip, when the file is a zip member)."""
        return self.mirror.partition("!")[0]

    @property
    def member(self) -> str | None:
        """Name of the zip member this file is, or None when the mirror serves the file itself."""
        return self.mirror.partition("!")[2] or None

    def url(self, base: str | None = None) -> str:
        """Download URL: ``<base>/<dataset>-<version>/<file>`` when a mirror base is given."""
        if base:
            return f"{base.rstrip('/')}/{quote(self.folder)}/{quote(self.name)}"
        return self.archive_url


@dataclass(frozen=True)
class Dataset:
    """One release of a data set: metadata plus its files.

    ``manual=True`` marks a data set whose maintainer asked that software not download it: foedus
    never fetches such a set and reads it only from a file the user names.
    """

    name: str
    version: str
    title: str
    url: str
    citation: str = ""
    licence: str = ""
    manual: bool = False
    files: tuple[DataFile, ...] = field(default=(), repr=False)

    @property
    def folder(self) -> str:
        return f"{self.name}-{self.version}"

    @property
    def key(self) -> str:
        """``name@version``, the form the command line accepts."""
        return f"{self.name}@{self.version}"

    def file(self, name: str) -> DataFile:
        for f in self.files:
            if f.name == name:
                return f
        raise KeyError(f"{self.key} has no file {name!r}; it has: {', '.join(f.name for f in self.files)}")


class Registry:
    """A collection of :class:`Dataset` releases, looked up by name and version."""

    def __init__(self, datasets: list[Dataset]):
        self._datasets: dict[tuple[str, str], Dataset] = {}
        self._default: dict[str, str] = {}
        for ds in datasets:
            self._datasets[(ds.name, ds.version)] = ds
            self._default.setdefault(ds.name, ds.version)

    def __iter__(self) -> Iterator[Dataset]:
        return iter(self._datasets.values())

    def __len__(self) -> int:
        return len(self._datasets)

    def get(self, name: str, version: str | None = None) -> Dataset:
        """Return a release. ``name`` may also be ``name@version`` or the folder ``name-version``."""
        if version is None and "@" in name:
            name, version = name.split("@", 1)
        if version is None and name not in self._default:
            for ds in self._datasets.values():
                if ds.folder == name:
                    return ds
        if name not in self._default:
            raise KeyError(f"unknown data set {name!r}; known: {', '.join(sorted(self._default))}")
        version = version or self._default[name]
        try:
            return self._datasets[(name, version)]
        except KeyError:
            known = [v for (n, v) in self._datasets if n == name]
            raise KeyError(f"{name} has no version {version!r}; known versions: {', '.join(known)}") from None

    def versions(self, name: str) -> list[str]:
        return [v for (n, v) in self._datasets if n == name]

    def files(self) -> list[DataFile]:
        return [f for ds in self for f in ds.files]


def _int_or_none(text: str) -> int | None:
    return int(text) if text else None


def load_registry(files_tsv: str | None = None, datasets_toml: str | None = None) -> Registry:
    """Build a registry from a files TSV and a datasets TOML (the shipped ones by default)."""
    pkg = resources.files("foedus.data")
    files_text = files_tsv if files_tsv is not None else (pkg / "registry_files.tsv").read_text("utf-8")
    meta_text = datasets_toml if datasets_toml is not None else (pkg / "registry_datasets.toml").read_text("utf-8")
    by_release: dict[tuple[str, str], list[DataFile]] = {}
    for row in csv.DictReader(files_text.splitlines(), delimiter="\t"):
        f = DataFile(dataset=row["dataset"], version=row["version"], name=row["file"], sha256=row["sha256"],
                     size=int(row["bytes"]), rows=_int_or_none(row["rows"]), mirror=row["mirror"],
                     official_source=row.get("official_source", ""), note=row.get("note", ""))
        by_release.setdefault((f.dataset, f.version), []).append(f)
    datasets = []
    for meta in tomllib.loads(meta_text)["dataset"]:
        key = (meta["name"], meta["version"])
        datasets.append(Dataset(name=meta["name"], version=meta["version"], title=meta.get("title", ""),
                                url=meta.get("url", ""), citation=meta.get("citation", ""),
                                licence=meta.get("licence", ""), manual=bool(meta.get("manual", False)),
                                files=tuple(by_release.pop(key, []))))
    if by_release:
        missing = ", ".join(f"{n}@{v}" for n, v in by_release)
        raise ValueError(f"registry files without a data set entry in registry_datasets.toml: {missing}")
    return Registry(datasets)


@cache
def default_registry() -> Registry:
    """The registry shipped with foedus."""
    return load_registry()


_override: list[Registry] = []


def current_registry() -> Registry:
    """The registry readers and fetchers use now: the shipped one with the user's files
    (:mod:`foedus.data.user_registry`), unless :func:`use_registry` is active."""
    if _override:
        return _override[-1]
    from foedus.data.user_registry import with_user_files

    return with_user_files(default_registry())


@contextlib.contextmanager
def use_registry(registry: Registry) -> Iterator[Registry]:
    """Use another registry inside a ``with`` block (tests, private mirrors of new releases)."""
    _override.append(registry)
    try:
        yield registry
    finally:
        _override.pop()
