"""Reader for COW Formal Alliances v4.1 (member level), from a file the user supplies.

The data set's maintainer asked that software not download or automate it: foedus never fetches
it. Download ``alliance_v4.1_by_member.csv`` yourself from
https://correlatesofwar.org/data-sets/formal-alliances/ and pass its path.
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd

from foedus.data.fetch import sha256_file
from foedus.data.readers._base import (check_rows, check_unique, dates, load_path, read_csv, registered,
                                       require_columns, to_int, to_str)
from foedus.data.registry import DataFile

TYPES = ["defense", "neutrality", "nonaggression", "entente"]


def _parse(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    cols = ["version4id", "ccode", "state_name", "all_st_day", "all_st_month", "all_st_year", "all_end_day",
            "all_end_month", "all_end_year", "ss_type", "mem_st_day", "mem_st_month", "mem_st_year",
            "mem_end_day", "mem_end_month", "mem_end_year", "left_censor", "right_censor", *TYPES, "version"]
    require_columns(raw, cols, f)
    out = pd.DataFrame({
        "version4id": to_int(raw, "version4id", "int16", f, nullable=False, lo=1),
        "ccode": to_int(raw, "ccode", "int16", f, nullable=False, lo=1, hi=999),
        "state_name": to_str(raw, "state_name"),
        "ss_type": to_str(raw, "ss_type"),
    })
    for who in ("all", "mem"):
        for edge, yr_lo in (("st", 1000), ("end", 1000)):
            out[f"{who}_{edge}_year"] = to_int(raw, f"{who}_{edge}_year", "Int16", f, lo=yr_lo, hi=2030)
            out[f"{who}_{edge}_month"] = to_int(raw, f"{who}_{edge}_month", "Int8", f, lo=1, hi=12)
            out[f"{who}_{edge}_day"] = to_int(raw, f"{who}_{edge}_day", "Int8", f, lo=1, hi=31)
    # v4.1 leaves left_censor (2 rows), nonaggression (1) and entente (2) blank: NA, not False.
    for c in ("left_censor", "right_censor", *TYPES):
        out[c] = to_int(raw, c, "Int8", f, lo=0, hi=1).astype("boolean")
    out["version"] = pd.to_numeric(raw["version"], errors="coerce")
    out["in_force"] = out["mem_end_year"].isna()
    out["start"] = dates(out, "mem_st_year", "mem_st_month", "mem_st_day", f, unknown="first")
    out["end"] = dates(out, "mem_end_year", "mem_end_month", "mem_end_day", f, unknown="last")
    check_unique(out, ["version4id", "ccode", "mem_st_year", "mem_st_month", "mem_st_day"], f)
    if f.rows is not None:
        check_rows(raw, f)
    return out


def read_cow_alliance(path: str | os.PathLike) -> pd.DataFrame:
    """COW Formal Alliances v4.1 member-level file, read from ``path`` (never downloaded).

    If the file's sha256 differs from the published v4.1 file, a warning says so and the file is
    read anyway (the schema is still checked).

    Returns
    -------
    pandas.DataFrame
        ============== ============== ======================================================
        version4id     int16          alliance id
        ccode          int16          COW state number of the member
        state_name     string         member name
        ss_type        string         alliance type as published ("Type I: Defense Pact", ...)
        all_st_year    Int16          alliance start (also ``_month``, ``_day``: Int8)
        all_end_year   Int16          alliance end; blank (still in force at 2012) -> NA
        mem_st_year    Int16          member entry (also ``_month``, ``_day``)
        mem_end_year   Int16          member exit; blank -> NA (also ``_month``, ``_day``)
        left_censor    boolean        began before 1816 (NA where blank: 2 rows of v4.1)
        right_censor   boolean        in force at the end of coverage
        defense        boolean        also ``neutrality``, ``nonaggression`` (1 blank -> NA),
                                      ``entente`` (2 blank -> NA)
        version        float64        4.1
        in_force       bool           no member exit date (still a member at end of coverage)
        start          datetime64[ns] member entry (unknown day -> 1st of month)
        end            datetime64[ns] member exit (unknown day -> last of month); NaT if in force
        ============== ============== ======================================================
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file. Download alliance_v4.1_by_member.csv from "
                                "https://correlatesofwar.org/data-sets/formal-alliances/ and pass its path.")
    ref = registered("cow-alliance", "4.1", "alliance_v4.1_by_member.csv")
    digest = sha256_file(path)
    if digest != ref.sha256:
        warnings.warn(f"{path}: sha256 {digest} differs from the published COW alliance v4.1 file "
                      f"({ref.sha256}); reading it anyway", stacklevel=2)
        ref = DataFile(ref.dataset, ref.version, path.name, digest, path.stat().st_size, None, "")
    return load_path("cow_alliance", 1, path, ref, _parse, digest=digest)
