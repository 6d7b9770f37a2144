"""Where foedus reads data from, downloads from and writes caches to.

Each setting comes from the first of: its environment variable, the user's config file, the
default.

- data dir: ``FOEDUS_DATA_DIR``, key ``data_dir``; default none (files are downloaded into the
  cache);
- cache: ``FOEDUS_CACHE``, key ``cache_dir``; default the operating system's per-user cache
  folder for "foedus";
- mirror: ``FOEDUS_MIRROR``, key ``mirror``; default none (the pinned public copy of each file).

The data dir is an offline folder laid out as ``<dataset>-<version>/<file>`` (the layout of the
official releases mirror); when set, files are read from it and never downloaded. The mirror is
a base URL serving the same layout. The config file is ``config.toml`` in
``platformdirs.user_config_dir("foedus")`` (``FOEDUS_CONFIG`` names another file), for example::

    data_dir = "~/data/foedus-raw"
    cache_dir = "/scratch/me/foedus-cache"
    mirror = "https://example.org/foedus-mirror"

``~`` is expanded; a relative folder is taken relative to the config file's folder. An empty
environment variable counts as unset. ``foedus config show`` prints each value and its source.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pooch

from foedus.data.errors import ConfigError

#: config key -> environment variable that overrides it
SETTINGS = {"data_dir": "FOEDUS_DATA_DIR", "cache_dir": "FOEDUS_CACHE", "mirror": "FOEDUS_MIRROR"}
#: the keys that name folders (resolved against the config file's folder when relative)
_FOLDERS = {"data_dir", "cache_dir"}

_MEMO: dict[tuple, dict[str, str]] = {}  # (path, mtime_ns, size) -> parsed config


@dataclass(frozen=True)
class Setting:
    """A setting's value and where it came from (``source``: ``"environment"``,
    ``"config file"`` or ``"default"``)."""

    key: str
    value: str | None
    source: str

    @property
    def origin(self) -> str:
        """How to name the setting in a message: ``FOEDUS_DATA_DIR=...``, ``data_dir in FILE``."""
        if self.source == "environment":
            return SETTINGS[self.key]
        if self.source == "config file":
            return f"{self.key} in {config_file()}"
        return "the default"


def config_file() -> Path:
    """The user's config file (it need not exist): ``$FOEDUS_CONFIG``, else
    ``platformdirs.user_config_dir("foedus")/config.toml``."""
    value = os.environ.get("FOEDUS_CONFIG")
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("foedus", appauthor=False)) / "config.toml"


def read_config(path: Path | None = None) -> dict[str, str]:
    """The settings in the config file (empty when it does not exist).

    Raises
    ------
    ConfigError
        The file is not valid TOML, has an unknown key or a value that is not a string.
    """
    path = config_file() if path is None else Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        return {}
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _MEMO:
        _MEMO.clear()
        _MEMO[key] = _parse(path)
    return dict(_MEMO[key])


def _parse(path: Path) -> dict[str, str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML ({err})\nFix the file or remove it; "
                          f"`foedus config show` prints what is read.") from None
    unknown = sorted(set(data) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(unknown)}\n"
                          f"The keys are {', '.join(SETTINGS)}.")
    bad = sorted(k for k, v in data.items() if not isinstance(v, str))
    if bad:
        raise ConfigError(f"{path}: {', '.join(bad)} must be a string (in quotes)\n"
                          f'For example: data_dir = "~/data/foedus-raw"')
    out = {}
    for k, v in data.items():
        if k in _FOLDERS and v:
            folder = Path(v).expanduser()
            v = str(folder if folder.is_absolute() else path.parent / folder)
        out[k] = v
    return out


def setting(key: str) -> Setting:
    """The value of one setting (``data_dir``, ``cache_dir`` or ``mirror``) and its source."""
    if key not in SETTINGS:
        raise KeyError(f"unknown setting {key!r}; the settings are {', '.join(SETTINGS)}")
    value = os.environ.get(SETTINGS[key])
    if value:
        return Setting(key, value, "environment")
    value = read_config().get(key)
    if value:
        return Setting(key, value, "config file")
    return Setting(key, None, "default")


def cache_dir() -> Path:
    """Return the cache folder (created if missing)."""
    value = setting("cache_dir").value
    path = Path(value).expanduser() if value else Path(pooch.os_cache("foedus"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def offline_dir() -> Path | None:
    """Return the offline data folder (``FOEDUS_DATA_DIR`` or ``data_dir``), or None when unset."""
    value = setting("data_dir").value
    return Path(value).expanduser().resolve() if value else None


def mirror_base() -> str | None:
    """Return the mirror's base URL (``FOEDUS_MIRROR`` or ``mirror``), or None when unset."""
    return setting("mirror").value
