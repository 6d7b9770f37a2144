"""Find, download and verify the registered files.

Where a file comes from, in order:

1. ``FOEDUS_DATA_DIR`` (an offline folder laid out as ``<dataset>-<version>/<file>``), when set;
   a file missing there is an error (no silent download behind an offline setting).
2. The cache (``FOEDUS_CACHE`` or the per-user cache), folder ``files/<dataset>-<version>/``.
3. A download with :mod:`pooch` into the cache: from ``FOEDUS_MIRROR`` (a base URL serving the
   ``<dataset>-<version>/<file>`` layout) when set, else from the pinned public copy. Zip members
   are unpacked by a pooch processor.

Every file is checked against its registered sha256 before it is used. Hashes of local files are
remembered in memory and on disk, keyed by the file's stat signature (:mod:`foedus.data.cache`),
so repeated reads, in this process or a later one, cost a ``stat``.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pooch

from foedus.data.cache import atomic_write, sha256_file
from foedus.data.errors import DataNotFoundError, HashMismatchError
from foedus.data.paths import cache_dir, offline_dir
from foedus.data.registry import DataFile, Dataset, current_registry

#: Open read-tracking blocks (see :func:`track_reads`); each collects the files resolved in it.
_READ_TRACKERS: list[list[DataFile]] = []


@contextlib.contextmanager
def track_reads() -> Iterator[list[DataFile]]:
    """Collect every registered file resolved for reading inside the ``with`` block.

    Provenance records (the panel cache, replication outputs) list exactly the files that were
    read. Blocks may nest: a file is recorded in every open block, once per resolution.
    """
    seen: list[DataFile] = []
    _READ_TRACKERS.append(seen)
    try:
        yield seen
    finally:  # by identity: two trackers holding the same files compare equal
        _READ_TRACKERS[:] = [t for t in _READ_TRACKERS if t is not seen]


@contextlib.contextmanager
def untracked() -> Iterator[None]:
    """Resolve files without recording them (reads that check a file but feed no output, such as
    the state system a reader checks state codes against; provenance must not depend on
    whether the checked file's parse was cached)."""
    saved = _READ_TRACKERS[:]
    _READ_TRACKERS.clear()
    try:
        yield
    finally:
        _READ_TRACKERS[:] = saved


def verify_file(path: Path, f: DataFile) -> Path:
    """Raise :class:`HashMismatchError` unless ``path`` holds exactly the registered bytes."""
    actual = sha256_file(path)
    if actual != f.sha256:
        hint = ("The user-supplied file changed since `foedus data add` recorded it; add it again "
                "if the change is intended.") if f.user_supplied else ""
        raise HashMismatchError(str(path), f.sha256, actual, hint=hint)
    return path


def cache_path(f: DataFile) -> Path:
    return cache_dir() / "files" / f.folder / f.name


def mirror_base() -> str | None:
    return os.environ.get("FOEDUS_MIRROR") or None


def local_path(f: DataFile) -> Path | None:
    """Where the file is on this machine (offline folder or cache), unverified; None if absent."""
    if f.user_supplied:
        p = Path(f.path)
        return p if p.is_file() else None
    off = offline_dir()
    if off is not None:
        p = off / f.folder / f.name
        return p if p.is_file() else None
    p = cache_path(f)
    return p if p.is_file() else None


def _manual_error(ds: Dataset) -> DataNotFoundError:
    return DataNotFoundError(f"{ds.key}: {ds.title} is never downloaded by foedus. {ds.licence} "
                             f"Official page: {ds.url}")


def resolve(f: DataFile, *, download: bool = True, mirror: str | None = None) -> Path:
    """Return the verified local path of a registered file, downloading it if needed and allowed."""
    for tracker in _READ_TRACKERS:
        tracker.append(f)
    if f.user_supplied:  # checked against the hash recorded when the user added it
        p = Path(f.path)
        if not p.is_file():
            from foedus.data.user_registry import user_registry_path

            raise DataNotFoundError(
                f"{f.relpath}: the user-supplied file {p} is gone. Put it back, or remove its line "
                f"from the user registry {user_registry_path()}.")
        return verify_file(p, f)
    off = offline_dir()
    if off is not None:
        p = off / f.folder / f.name
        if not p.is_file():
            raise DataNotFoundError(
                f"{f.relpath} is not in the offline folder FOEDUS_DATA_DIR={off}. Put the official file "
                f"there (official source: {f.official_source}), or unset FOEDUS_DATA_DIR to download "
                "it into the cache.")
        return verify_file(p, f)
    p = cache_path(f)
    if p.is_file():
        return verify_file(p, f)
    ds = current_registry().get(f.dataset, f.version)
    if ds.manual:
        raise _manual_error(ds)
    if not download:
        raise DataNotFoundError(f"{f.relpath} is not in the cache ({p.parent}); run `foedus data fetch "
                                f"{f.dataset}@{f.version}`.")
    return _download(f, mirror or mirror_base())


_POOCH_MISMATCH = re.compile(r"expected (?:sha256:)?([0-9a-f]{64}) but got ([0-9a-f]{64})", re.I)


def _retrieve(url: str, known: str | None, fname: str, folder: Path, label: str, processor=None):
    try:
        return pooch.retrieve(url, known_hash=f"sha256:{known}" if known else None, fname=fname,
                              path=folder, processor=processor, progressbar=False)
    except ValueError as err:
        m = _POOCH_MISMATCH.search(str(err))
        if m is None:
            raise
        raise HashMismatchError(f"{label} (downloaded from {url})", m.group(1), m.group(2),
                                hint="The download is not the published file; it was deleted. Try again "
                                     "later or download it from the official source.") from err
    except Exception as err:  # network errors: say where else the file can be found
        raise DataNotFoundError(f"could not download {label} from {url}: {err}") from err


def _download(f: DataFile, base: str | None) -> Path:
    target = cache_path(f)
    target.parent.mkdir(parents=True, exist_ok=True)
    if base or f.member is None:
        _retrieve(f.url(base), f.sha256, f.name, target.parent, f.relpath)
        return target
    # A member of a zip: fetch the (registered, hence hash-checked) archive, unpack the one member.
    archive = next((a for a in current_registry().files() if a.mirror == f.archive_url), None)
    zip_dir = cache_dir() / "archives"
    zip_name = f"{archive.sha256[:16] if archive else f.sha256[:16]}-{Path(f.archive_url).name}"
    unpacked = _retrieve(f.archive_url, archive.sha256 if archive else None, zip_name, zip_dir,
                         f"{f.relpath} (archive)", processor=pooch.Unzip(members=[f.member]))
    member = Path(unpacked[0])
    actual = sha256_file(member)
    if actual != f.sha256:
        raise HashMismatchError(f"{f.relpath} (member {f.member} of {f.archive_url})", f.sha256, actual)
    atomic_write(target, lambda tmp: shutil.copyfile(member, tmp))
    return target


@dataclass(frozen=True)
class FileStatus:
    """Presence and verification state of one registered file."""

    file: DataFile
    path: Path | None
    status: str  # "ok", "missing", "mismatch"
    actual: str | None = None


def fetch(name: str, version: str | None = None, *, mirror: str | None = None) -> list[Path]:
    """Download (if needed) and verify every file of a data set release; return their paths.

    Parameters
    ----------
    name : str
        Registry name (``"cow-mid"``), ``name@version`` or folder name (``"cow-mid-4.3"``).
    version : str, optional
        Release; the registry's default version when omitted.
    mirror : str, optional
        Base URL serving the ``<dataset>-<version>/<file>`` layout; overrides ``FOEDUS_MIRROR``.

    Raises
    ------
    HashMismatchError
        A downloaded or local file is not the published file (the download is deleted).
    DataNotFoundError
        The set is marked manual (COW alliances), or the file cannot be found or downloaded.
    """
    ds: Dataset = current_registry().get(name, version)
    if ds.manual:
        raise _manual_error(ds)
    return [resolve(f, mirror=mirror) for f in ds.files]


def status(f: DataFile) -> FileStatus:
    """Re-hash a present file (no memo) and report whether it matches the registry."""
    p = local_path(f)
    if p is None:
        return FileStatus(f, None, "missing")
    actual = sha256_file(p, memo=False)
    return FileStatus(f, p, "ok" if actual == f.sha256 else "mismatch", actual)


def stale_input(files) -> str | None:
    """Why recorded inputs ``(dataset, version, file, sha256)`` no longer hold, or None if they do.

    An input holds when the current registry lists that hash for the file and the local copy
    still has it (checked through the stat-keyed hash memo: a ``stat`` per file once hashed).
    """
    reg = current_registry()
    for dataset, version, name, digest in files:
        try:
            f = reg.get(dataset, version).file(name)
        except KeyError:
            return f"{dataset}-{version}/{name} is no longer registered"
        if f.sha256 != digest:
            return f"{f.relpath}: the registry now lists another sha256"
        p = local_path(f)
        if p is None:
            return f"{f.relpath} is not present"
        if sha256_file(p) != digest:
            return f"{f.relpath} has changed on disk"
    return None


def dataset_path(name: str, version: str | None = None) -> Path:
    """Folder where a release's files are (offline folder or cache), whether or not present."""
    ds = current_registry().get(name, version)
    off = offline_dir()
    return (off if off is not None else cache_dir() / "files") / ds.folder
