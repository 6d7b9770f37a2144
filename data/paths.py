"""Where foedus reads data from and writes caches to.

``FOEDUS_DATA_DIR``: an offline folder laid out as ``<dataset>-<version>/<file>`` (the layout of the
official releases mirror); when set, files are read from it instead of being downloaded.
``FOEDUS_CACHE``: the per-user cache folder (downloads, parsed-file and panel parquet caches);
defaults to the operating system's cache folder for "foedus".
"""
from __future__ import annotations

import os
from pathlib import Path

import pooch


def cache_dir() -> Path:
    """Return the cache folder (created if missing)."""
    value = os.environ.get("FOEDUS_CACHE")
    path = Path(value).expanduser() if value else Path(pooch.os_cache("foedus"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def offline_dir() -> Path | None:
    """Return the offline data folder named by ``FOEDUS_DATA_DIR``, or None when unset."""
    value = os.environ.get("FOEDUS_DATA_DIR")
    return Path(value).expanduser().resolve() if value else None
