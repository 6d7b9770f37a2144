"""``foedus config show|path``: where foedus reads data from, downloads from and caches to.

Each setting comes from the first of: its environment variable, the config file, the default.

  data_dir   FOEDUS_DATA_DIR   offline folder of the releases (<dataset>-<version>/<file>)
  cache_dir  FOEDUS_CACHE      downloads, parsed files and built panels
  mirror     FOEDUS_MIRROR     base URL serving the <dataset>-<version>/<file> layout

The config file is TOML, one key = "value" per line, e.g. data_dir = "~/data/foedus-raw".
"""
from __future__ import annotations

import argparse

#: what each setting means when it is not set
DEFAULTS = {"data_dir": "none: files are downloaded into the cache",
            "mirror": "none: the pinned public copy of each file"}


def register(subparsers) -> None:
    p = subparsers.add_parser("config", help="show the settings (data folder, cache, mirror) and "
                                             "where each comes from",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="config_command", required=True)
    sub.add_parser("show", help="each setting, its value and its source (environment, config file, "
                                "default)")
    sub.add_parser("path", help="print the config file's path (it need not exist)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from foedus.data.paths import SETTINGS, cache_dir, config_file, setting

    path = config_file()
    if args.config_command == "path":
        print(path)
        return 0
    state = "" if path.is_file() else "  (does not exist: every setting is from the environment or the default)"
    print(f"config file: {path}{state}")
    rows = []
    for key, env in SETTINGS.items():
        s = setting(key)
        if s.source == "environment":
            value, source = s.value, f"environment {env}"
        elif s.source == "config file":
            value, source = s.value, "config file"
        else:
            value = str(cache_dir()) if key == "cache_dir" else DEFAULTS[key]
            source = f"default (set {env} or {key})"
        rows.append((key, value, source))
    width = max(len(k) for k, _, _ in rows)
    for key, value, source in rows:
        print(f"{key:<{width}}  {value}\n{'':<{width}}  from {source}")
    return 0
