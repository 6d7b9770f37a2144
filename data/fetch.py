"""Find, download and verify the registered files.

Where a file comes from, in order:

1. The offline folder (``FOEDUS_DATA_DIR`` or ``data_dir`` in the config file, laid out as
   ``<dataset>-<version>/<file>``), when set; a file missing there is an error (no silent
   download behind an offline setting).
2. The cache (``FOEDUS_CACHE``, ``cache_dir`` or the per-user cache), folder
   ``files/<dataset>-<version>/``.
3. A download with :mod:`pooch` into the cache (with pooch's retries and the progress display):
   from the mirror (``FOEDUS_MIRROR`` or ``mirror``, a base URL serving the
   ``<dataset>-<version>/<file>`` layout) when set, else from the pinned public copy. Zip members
   are unpacked by pooch's ``Unzip`` processor once the archive's hash is checked.

Settings: :mod:`foedus.data.paths`. Every file is checked against its registered sha256 before
it is used; a download is checked by foedus itself (pooch is given no hash) and deleted when it
differs. Hashes of local files are
remembered in memory and on disk, keyed by the file's stat signature (:mod:`foedus.data.cache`),
so repeated reads, in this process or a later one, cost a ``stat``.
"""
from __future__ import annotations

import contextlib
import logging
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pooch

from foedus.data.cache import atomic_write, sha256_file
from foedus.data.errors import DataNotFoundError, HashMismatchError
from foedus.data.paths import cache_dir, mirror_base, offline_dir, setting
from foedus.data.registry import DataFile, Dataset, current_registry

log = logging.getLogger(__name__)

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


def _offline_origin(off: Path) -> tuple[str, str]:
    """How to name the offline folder in a message, and how to stop using it."""
    missing = "" if off.is_dir() else " (that folder does not exist)"
    if setting("data_dir").source == "environment":
        return f"FOEDUS_DATA_DIR={off}{missing}", "unset FOEDUS_DATA_DIR"
    from foedus.data.paths import config_file

    return (f"{off}{missing} (data_dir in {config_file()})",
            f"remove data_dir from {config_file()}")


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
            where, unset = _offline_origin(off)
            raise DataNotFoundError(
                f"{f.relpath} is not in the offline folder {where}.\nPut the official file there "
                f"(official source: {f.official_source}), or {unset} to download it into the cache.")
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


#: extra attempts after a failed download (pooch's ``retry_if_failed``; it waits 1 s, 2 s, ...)
DOWNLOAD_RETRIES = 2


def _offline_hint() -> str:
    from foedus.data.paths import config_file

    return ("To work offline, set FOEDUS_DATA_DIR (or data_dir in the config file "
            f"{config_file()}) to a folder holding the releases as <dataset>-<version>/<file>; to "
            "download from elsewhere, give --mirror URL, FOEDUS_MIRROR or mirror in the config file.")


def _reason(err: Exception) -> str:
    """The useful end of a network error (requests nests the cause in a long repr)."""
    text = str(err)
    m = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    return m.group(1).strip() if m else f"{type(err).__name__}: {text[:200]}"


def _retrieve(url: str, fname: str, folder: Path, label: str, processor=None):
    """Download ``url`` to ``folder/fname`` with pooch's retries and the progress display.

    No hash is given to pooch: the caller checks the sha256 itself (:func:`_check_download`), so a
    mismatch is known from the bytes, not from the wording of pooch's error.
    """
    from foedus.progress import Progress

    if not (folder / fname).is_file():
        log.info("downloading %s from %s", label, url)
    store = pooch.create(path=folder, base_url="", registry={fname: None}, urls={fname: url},
                         retry_if_failed=DOWNLOAD_RETRIES)
    pooch_log = pooch.get_logger()
    saved = pooch_log.level
    pooch_log.setLevel("WARNING")  # one voice: our log line above, our progress display below
    try:
        with Progress(label=fname, unit="B") as bar:
            http = url.startswith(("http://", "https://"))
            downloader = (pooch.HTTPDownloader(progressbar=bar) if http
                          else pooch.choose_downloader(url))
            return store.fetch(fname, processor=processor, downloader=downloader)
    except Exception as err:  # network errors: say where else the file can be found
        raise DataNotFoundError(f"could not download {label} from {url} ({_reason(err)})\n"
                                f"{_offline_hint()}") from err
    finally:
        pooch_log.setLevel(saved)


def _check_download(path: Path, expected: str, label: str, url: str) -> None:
    """Delete a download that is not the published file and say so."""
    actual = sha256_file(path, memo=False)
    if actual != expected:
        path.unlink(missing_ok=True)
        raise HashMismatchError(f"{label} (downloaded from {url})", expected, actual,
                                hint="The download is not the published file and was deleted. Try "
                                     "again later, use another --mirror, or put the official file in "
                                     "FOEDUS_DATA_DIR.")


def _download(f: DataFile, base: str | None) -> Path:
    target = cache_path(f)
    target.parent.mkdir(parents=True, exist_ok=True)
    if base or f.member is None:
        url = f.url(base)
        _retrieve(url, f.name, target.parent, f.relpath)
        _check_download(target, f.sha256, f.relpath, url)
        return target
    # A member of a zip: fetch the (registered, hence hash-checked) archive, unpack the one member.
    archive = next((a for a in current_registry().files() if a.mirror == f.archive_url), None)
    zip_dir = cache_dir() / "archives"
    zip_name = f"{archive.sha256[:16] if archive else f.sha256[:16]}-{Path(f.archive_url).name}"
    label = f"{f.relpath} (archive)"
    zip_path = Path(_retrieve(f.archive_url, zip_name, zip_dir, label))
    if archive is not None:  # check the archive before unpacking anything from it
        _check_download(zip_path, archive.sha256, label, f.archive_url)
    member = Path(pooch.Unzip(members=[f.member])(str(zip_path), "download", None)[0])
    actual = sha256_file(member, memo=False)
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
