"""On-disk caches that cannot serve stale or damaged results.

foedus keeps three caches under ``FOEDUS_CACHE`` (see :mod:`foedus.data.paths`):

``hashes/``
    The persistent hash memo: one small file per (resolved path, size, mtime_ns, ctime_ns, inode,
    device) of a file hashed once, holding its sha256. Verifying a registered file against the
    registry is then a ``stat`` plus a lookup, not a re-read of gigabytes. Any write, rename, copy
    or ``touch`` of the file changes its ctime (which user programs cannot set back), so a memo
    entry can never vouch for bytes it did not hash; a file changed less than two seconds before
    it is hashed is not memoised (a later change in the same timestamp tick would keep its
    signature). ``foedus data verify`` bypasses the memo.
``parsed/``
    A reader's parsed frame of one registered file, keyed by the reader, its schema version, the
    file's sha256 and the fingerprint of the readers' code (:func:`code_fingerprint`).
``panels/``
    Built panels, keyed by the spec's digest and the fingerprint of the data layer's code. The
    entry's sidecar names every registered file read (with its sha256); a warm entry is used only
    after each of them is confirmed: the current registry still lists that hash, and the file on
    disk still has it (cheaply, through the hash memo). A changed, missing or damaged input
    makes the entry stale: the panel is rebuilt, and the build reports the input's own error.

Every entry is a parquet file plus a JSON sidecar holding the parquet's sha256, written after the
parquet; an entry is valid only when both parse and the hash matches (through the memo, so a
warm read costs a ``stat``). A damaged entry is reported once per process as a
:class:`CacheWarning` and rebuilt. A cache folder that cannot be written makes foedus build in
memory, with one warning. Files are written through :func:`atomic_write` (temporary file in the
same folder, then ``os.replace``), so a killed process never leaves a half-written entry under
its final name; temporary files older than this process are removed when a cache folder is first
opened.

Clear a cache by deleting its folder (or all of ``FOEDUS_CACHE``): everything in it is rebuilt
from the registered files on demand.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import time
import warnings
from collections.abc import Callable
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from foedus.data.paths import cache_dir

if TYPE_CHECKING:  # pandas is imported where frames are read (the command line starts faster)
    import pandas as pd

#: Temporary files whose modification time is before this are orphans of killed processes.
_PROCESS_START = time.time()
_WARNED: set[str] = set()
_OPENED: dict[str, Path | None] = {}


class CacheWarning(UserWarning):
    """A cache entry was damaged (and is rebuilt) or a cache folder is unusable."""


def warn_once(key: str, message: str) -> None:
    """Warn with ``message`` the first time ``key`` is seen in this process."""
    if key not in _WARNED:
        _WARNED.add(key)
        warnings.warn(message, CacheWarning, stacklevel=3)


def atomic_write(path: Path, write: Callable[[Path], None], mode: int = 0o644) -> None:
    """Write ``path`` through ``write(tmp)`` on a temporary file in its folder, then rename.

    The temporary file is removed when ``write`` fails; readers never see a partial file.
    """
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        write(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def cache_folder(name: str) -> Path | None:
    """The cache subfolder ``name``, created and checked writable; None (one warning) if unusable.

    On first use in the process, orphan ``*.tmp`` files older than the process are removed.
    """
    try:
        root = cache_dir() / name
    except OSError as err:
        root, failure = None, err
    key = str(root)
    if key in _OPENED:
        return _OPENED[key]
    folder = None
    if root is not None:
        try:
            root.mkdir(parents=True, exist_ok=True)
            probe = root / f".probe.{os.getpid()}.tmp"
            probe.write_bytes(b"")
            probe.unlink()
            for tmp in root.glob("*.tmp"):
                with contextlib.suppress(OSError):
                    if tmp.stat().st_mtime < _PROCESS_START:
                        tmp.unlink()
            folder = root
        except OSError as err:
            failure = err
    if folder is None:
        warn_once(f"folder:{key}", f"foedus cache folder {root} is unusable ({failure}); building in "
                                   "memory without caching. Set FOEDUS_CACHE to a writable folder.")
    _OPENED[key] = folder
    return folder


# -- the persistent hash memo ---------------------------------------------------------------------
_HASHES: dict[tuple, str] = {}
#: A file whose change time is this recent when it is hashed is not memoised (2 s: coarser than
#: the timestamp granularity of common file systems).
RACY_NS = 2_000_000_000


def _stat_key(path: str | os.PathLike) -> tuple:
    st = os.stat(path)
    return (os.fspath(Path(path).resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns,
            st.st_ino, st.st_dev)


def _memo_file(key: tuple) -> Path | None:
    folder = cache_folder("hashes")
    if folder is None:
        return None
    return folder / (hashlib.sha256(repr(key).encode()).hexdigest()[:32] + ".sha256")


def hash_bytes(path: str | os.PathLike) -> str:
    """The sha256 of a file's bytes, read now (no memo)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_file(path: str | os.PathLike, *, memo: bool = True) -> str:
    """The sha256 of a file, remembered by its stat signature in memory and on disk.

    ``memo=False`` re-reads the file and refreshes the memo (``foedus data verify``).
    """
    key = _stat_key(path)
    if memo:
        digest = _HASHES.get(key)
        if digest is not None:
            return digest
        stored = _memo_file(key)
        if stored is not None and stored.is_file():
            with contextlib.suppress(OSError, UnicodeDecodeError):
                text = stored.read_text().strip()
                if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
                    _HASHES[key] = text
                    return text
    digest = hash_bytes(path)
    # "racily clean" (as git's index): a file changed within the file system's timestamp
    # granularity of its hashing could change again with the same stat signature; not memoised
    if time.time_ns() - key[3] > RACY_NS:
        remember(path, digest, key)
    return digest


def remember(path: str | os.PathLike, digest: str, key: tuple | None = None) -> None:
    """Record ``digest`` as the sha256 of ``path`` as it is now (a file foedus just wrote)."""
    key = key or _stat_key(path)
    _HASHES[key] = digest
    stored = _memo_file(key)
    if stored is not None:
        with contextlib.suppress(OSError):
            atomic_write(stored, lambda tmp: tmp.write_text(digest))


# -- the code fingerprint -------------------------------------------------------------------------
#: Modules outside foedus.data whose code goes into panels (the spline terms of peace years).
_DATA_CODE_OUTSIDE = ("foedus.splines",)


@cache
def code_fingerprint(subpackage: str = "") -> str:
    """Package version plus the sha256 of the sources under ``foedus.data[.subpackage]``.

    Computed once per process. Any edit of the code that builds a cached frame gives new keys, so
    an entry written by other code is never read.
    """
    root = Path(__file__).parent / subpackage
    h = hashlib.sha256()
    try:
        h.update(version("foedus").encode())
    except PackageNotFoundError:
        h.update(b"source-tree")
    for src in sorted(root.rglob("*.py")):
        h.update(src.relative_to(root).as_posix().encode() + b"\0" + src.read_bytes())
    if not subpackage:  # code outside foedus.data that shapes panel columns
        for module in _DATA_CODE_OUTSIDE:
            src = Path(importlib.util.find_spec(module).origin)
            h.update(module.encode() + b"\0" + src.read_bytes())
    return h.hexdigest()[:12]


# -- frame entries --------------------------------------------------------------------------------
def entry_meta(path: Path) -> dict | None:
    """The metadata of entry ``path`` (``.parquet`` + ``.json``) once checked; None if absent.

    A damaged entry (unreadable sidecar, parquet whose hash differs from the one the sidecar
    records) warns once and reads as absent, so the caller rebuilds it.
    """
    sidecar = path.with_suffix(".json")
    if not (path.is_file() and sidecar.is_file()):
        return None
    try:
        body = json.loads(sidecar.read_text())
        expected, meta = body["parquet_sha256"], body["meta"]
        if not isinstance(meta, dict):
            raise TypeError("the sidecar's metadata is not a mapping")
        if sha256_file(path) != expected:
            raise ValueError("the parquet file's sha256 differs from the one its sidecar records")
    except (OSError, ValueError, KeyError, TypeError) as err:  # ValueError: JSON decoding
        _damaged(path, err)
        return None
    return meta


def read_entry(path: Path, columns=None) -> tuple[pd.DataFrame, dict] | None:
    """The frame and metadata of entry ``path``, or None when absent or damaged (:func:`entry_meta`).

    ``columns``: a list, or a function of the file's column names returning the list to read.
    """
    import pandas as pd

    meta = entry_meta(path)
    if meta is None:
        return None
    try:
        if callable(columns):
            import pyarrow.parquet as pq

            names = pq.read_schema(path).names
        else:
            frame = pd.read_parquet(path, columns=columns)
    except (OSError, ValueError) as err:  # pyarrow's decoding errors are ValueErrors
        _damaged(path, err)
        return None
    if callable(columns):
        picked = columns(names)  # its errors (an unknown column) are the caller's
        try:
            frame = pd.read_parquet(path, columns=picked)
        except (OSError, ValueError) as err:
            _damaged(path, err)
            return None
    return frame, meta


def _damaged(path: Path, err: Exception) -> None:
    warn_once(f"entry:{path}", f"damaged cache entry {path} ({type(err).__name__}: "
                               f"{str(err).splitlines()[0] if str(err) else ''}); rebuilding it.")


def write_entry(path: Path, frame: pd.DataFrame, meta: dict) -> None:
    """Write entry ``path``: the parquet, then the sidecar naming its hash (both atomically).

    A failed write (disk full, folder made read-only meanwhile) warns once; the caller keeps its
    frame in memory.
    """
    body = json.dumps({"parquet_sha256": "", "meta": meta}, sort_keys=True, indent=1, default=int)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))
        digest = hash_bytes(path)
        remember(path, digest)
        body = body.replace('"parquet_sha256": ""', f'"parquet_sha256": "{digest}"', 1)
        atomic_write(path.with_suffix(".json"), lambda tmp: tmp.write_text(body))
    except OSError as err:
        warn_once(f"write:{path.parent}", f"could not write the cache entry {path} ({err}); the "
                                          "result is kept in memory only.")
