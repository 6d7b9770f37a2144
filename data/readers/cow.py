"""Readers for the Correlates of War state system, capabilities and contiguity files."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from foedus.data.errors import SchemaError
from foedus.data.readers._base import (check_order, check_rows, check_states, check_unique, dates,
                                       file_lines, load, read_csv, registered, require_columns, to_float,
                                       to_int, to_str)
from foedus.data.registry import DataFile

YEARS = (1816, 2030)
CCODE = (1, 999)


def _spells(path: Path, f: DataFile, with_name: bool) -> pd.DataFrame:
    raw = read_csv(path, f)
    cols = ["stateabb", "ccode"] + (["statenme"] if with_name else []) + [
        "styear", "stmonth", "stday", "endyear", "endmonth", "endday", "version"]
    require_columns(raw, cols, f)
    check_rows(raw, f)
    out = pd.DataFrame({"stateabb": to_str(raw, "stateabb"),
                        "ccode": to_int(raw, "ccode", "int16", f, nullable=False, lo=CCODE[0], hi=CCODE[1])})
    if with_name:
        out["statenme"] = to_str(raw, "statenme")
    for part, (lo, hi, dt) in {"year": (*YEARS, "int16"), "month": (1, 12, "int8"), "day": (1, 31, "int8")}.items():
        out[f"st{part}"] = to_int(raw, f"st{part}", dt, f, nullable=False, lo=lo, hi=hi)
    for part, (lo, hi, dt) in {"year": (*YEARS, "int16"), "month": (1, 12, "int8"), "day": (1, 31, "int8")}.items():
        out[f"end{part}"] = to_int(raw, f"end{part}", dt, f, nullable=False, lo=lo, hi=hi)
    out["version"] = to_int(raw, "version", "int16", f, nullable=False)
    out["start"] = dates(out, "styear", "stmonth", "stday", f, unknown="first")
    out["end"] = dates(out, "endyear", "endmonth", "endday", f, unknown="last")
    check_order(out, "start", "end", f)
    check_unique(out, ["ccode", "styear", "stmonth", "stday"], f)
    if f.name != "states2016.csv":  # the state system itself is the reference
        check_states(out, ["ccode"], f)
    return out


def read_states(version: str = "2016") -> pd.DataFrame:
    """COW state system membership spells (``states2016.csv``).

    One row per spell of system membership (a state can have several, e.g. after occupation).

    Returns
    -------
    pandas.DataFrame
        ======== ============== =====================================================
        stateabb string         COW state abbreviation
        ccode    int16          COW state number
        statenme string         state name
        styear   int16          first year of the spell (also ``stmonth``, ``stday``: int8)
        endyear  int16          last year of the spell (also ``endmonth``, ``endday``: int8)
        version  int16          release (2016)
        start    datetime64[ns] first day of membership
        end      datetime64[ns] last day of membership (2016-12-31 = still a member)
        ======== ============== =====================================================

    The file has no missing values; every column is validated (ccode 1-999, months 1-12, ...).
    """
    f = registered("cow-states", version, "states2016.csv")
    return load("cow_states", 1, f, lambda p, f: _spells(p, f, with_name=True))


def read_majors(version: str = "2016") -> pd.DataFrame:
    """COW major-power spells (``majors2016.csv``).

    Returns
    -------
    pandas.DataFrame
        Same columns as :func:`read_states` without ``statenme``: stateabb (string), ccode
        (int16), styear/endyear (int16), stmonth/stday/endmonth/endday (int8), version (int16),
        start/end (datetime64[ns]).
    """
    f = registered("cow-states", version, "majors2016.csv")
    return load("cow_majors", 1, f, lambda p, f: _spells(p, f, with_name=False))


def _parse_system(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    require_columns(raw, ["stateabb", "ccode", "year", "version"], f)
    check_rows(raw, f)
    out = pd.DataFrame({
        "stateabb": to_str(raw, "stateabb"),
        "ccode": to_int(raw, "ccode", "int16", f, nullable=False, lo=CCODE[0], hi=CCODE[1]),
        "year": to_int(raw, "year", "int16", f, nullable=False, lo=YEARS[0], hi=YEARS[1]),
        "version": to_int(raw, "version", "int16", f, nullable=False),
    })
    check_unique(out, ["ccode", "year"], f)
    return out


def read_system(version: str = "2016") -> pd.DataFrame:
    """COW state system state-years (``system2016.csv``): the universe of state-years.

    Returns
    -------
    pandas.DataFrame
        ======== ====== ===========================
        stateabb string COW abbreviation
        ccode    int16  COW state number
        year     int16  year (1816-2016)
        version  int16  release (2016)
        ======== ====== ===========================

    (ccode, year) is unique.
    """
    f = registered("cow-states", version, "system2016.csv")
    return load("cow_system", 1, f, _parse_system)


_NMC_COUNTS = ["milex", "milper", "irst", "pec"]


def _parse_nmc(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    require_columns(raw, ["stateabb", "ccode", "year", *_NMC_COUNTS, "tpop", "upop", "cinc", "version"], f)
    check_rows(raw, f)
    out = pd.DataFrame({
        "stateabb": to_str(raw, "stateabb"),
        "ccode": to_int(raw, "ccode", "int16", f, nullable=False, lo=CCODE[0], hi=CCODE[1]),
        "year": to_int(raw, "year", "int16", f, nullable=False, lo=YEARS[0], hi=YEARS[1]),
    })
    for c in _NMC_COUNTS:
        out[c] = to_int(raw, c, "int64", f, na_codes=(-9,), lo=0)
    out["tpop"] = to_float(raw, "tpop", f, na_codes=(-9,), lo=0)
    out["upop"] = to_float(raw, "upop", f, na_codes=(-9,), lo=0)
    out["cinc"] = to_float(raw, "cinc", f, lo=0, hi=1)
    out["version"] = to_int(raw, "version", "int16", f, nullable=False)
    check_unique(out, ["ccode", "year"], f)
    check_states(out, ["ccode"], f)
    return out


def read_nmc(version: str = "6.0") -> pd.DataFrame:
    """COW National Material Capabilities, state-years (``NMC-60-abridged.csv``).

    Returns
    -------
    pandas.DataFrame
        ======== ======= ===============================================================
        stateabb string  COW abbreviation
        ccode    int16   COW state number
        year     int16   year
        milex    Int64   military expenditure (thousands of current USD/GBP); -9 -> NA
        milper   Int64   military personnel (thousands); -9 -> NA
        irst     Int64   iron and steel production (thousands of tons); -9 -> NA
        pec      Int64   primary energy consumption (thousands of coal-ton equivalents); -9 -> NA
        tpop     float64 total population (thousands); -9 -> NaN (float: MOR 1912 is 4517.6)
        upop     float64 urban population (thousands); -9 -> NaN
        cinc     float64 composite index of national capability (share of system total, 0-1)
        version  int16   the file's version column (2021)
        ======== ======= ===============================================================

    (ccode, year) is unique. The codebook's missing-value code is -9.
    """
    f = registered("cow-nmc", version, "NMC-60-abridged.csv")
    return load("cow_nmc", 2, f, _parse_nmc)


def _parse_contdir(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    cols = ["dyad", "statelno", "statelab", "statehno", "statehab", "conttype", "begin", "end", "notes", "version"]
    require_columns(raw, cols, f)
    check_rows(raw, f)
    out = pd.DataFrame({
        "dyad": to_int(raw, "dyad", "int32", f, nullable=False),
        "statelno": to_int(raw, "statelno", "int16", f, nullable=False, lo=CCODE[0], hi=CCODE[1]),
        "statelab": to_str(raw, "statelab"),
        "statehno": to_int(raw, "statehno", "int16", f, nullable=False, lo=CCODE[0], hi=CCODE[1]),
        "statehab": to_str(raw, "statehab"),
        "conttype": to_int(raw, "conttype", "int8", f, nullable=False, lo=1, hi=5),
        "begin": to_int(raw, "begin", "int32", f, nullable=False, lo=181601, hi=203012),
        "end": to_int(raw, "end", "int32", f, nullable=False, lo=181601, hi=203012),
    })
    out["begin_year"] = (out["begin"] // 100).astype("int16")
    out["begin_month"] = (out["begin"] % 100).astype("int8")
    out["end_year"] = (out["end"] // 100).astype("int16")
    out["end_month"] = (out["end"] % 100).astype("int8")
    bad = ~out["begin_month"].between(1, 12) | ~out["end_month"].between(1, 12)
    if bad.any():
        raise SchemaError(f.relpath, "month part of begin/end (YYYYMM) outside 1-12", column="begin",
                          rows=file_lines(out, bad))
    out["notes"] = to_str(raw, "notes")
    out["version"] = to_float(raw, "version", f)
    check_order(out, "begin", "end", f)
    check_unique(out, ["statelno", "statehno", "begin"], f)
    check_states(out, ["statelno", "statehno"], f)
    return out


def read_contdir(version: str = "3.2") -> pd.DataFrame:
    """COW direct contiguity spells (``contdir.csv``), one row per dyad-spell (low ccode first).

    Returns
    -------
    pandas.DataFrame
        =========== ======= ==========================================================
        dyad        int32   dyad code (1000 * statelno + statehno)
        statelno    int16   lower COW number; ``statelab`` (string) its abbreviation
        statehno    int16   higher COW number; ``statehab`` (string) its abbreviation
        conttype    int8    1 land/river, 2-5 separated by <= 12, 24, 150, 400 miles of water
        begin, end  int32   spell start / end as YYYYMM, as published
        begin_year  int16   ``begin // 100``; ``begin_month`` (int8) ``begin % 100``
        end_year    int16   ``end // 100``; ``end_month`` (int8) ``end % 100``
        notes       string  coder's note
        version     float64 3.2
        =========== ======= ==========================================================
    """
    f = registered("cow-contiguity", version, "contdir.csv")
    return load("cow_contdir", 1, f, _parse_contdir)


def _parse_contdird(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    require_columns(raw, ["dyad", "state1no", "state1ab", "state2no", "state2ab", "year", "conttype", "version"], f)
    check_rows(raw, f)
    out = pd.DataFrame({
        "dyad": to_int(raw, "dyad", "int32", f, nullable=False),
        "state1no": to_int(raw, "state1no", "int16", f, nullable=False, lo=CCODE[0], hi=CCODE[1]),
        "state1ab": to_str(raw, "state1ab"),
        "state2no": to_int(raw, "state2no", "int16", f, nullable=False, lo=CCODE[0], hi=CCODE[1]),
        "state2ab": to_str(raw, "state2ab"),
        "year": to_int(raw, "year", "int16", f, nullable=False, lo=YEARS[0], hi=YEARS[1]),
        "conttype": to_int(raw, "conttype", "int8", f, nullable=False, lo=1, hi=5),
        "version": to_float(raw, "version", f),
    })
    check_unique(out, ["state1no", "state2no", "year", "conttype"], f)
    check_states(out, ["state1no", "state2no"], f)
    return out


def read_contdird(version: str = "3.2") -> pd.DataFrame:
    """COW direct contiguity dyad-years (``contdird.csv``); only contiguous dyad-years appear.

    Returns
    -------
    pandas.DataFrame
        dyad (int32), state1no/state2no (int16), state1ab/state2ab (string), year (int16),
        conttype (int8, 1-5; see :func:`read_contdir`), version (float64). Both orders of a pair
        appear. In a year when a dyad's contiguity type changes the file lists the dyad once per
        type (58 such dyad-years, e.g. NTH-FRN 1830 types 1 and 5), so the key is
        (state1no, state2no, year, conttype); take the minimum ``conttype`` for the closest.
    """
    f = registered("cow-contiguity", version, "contdird.csv")
    return load("cow_contdird", 1, f, _parse_contdird)
