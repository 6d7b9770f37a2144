"""Readers for ATOP (Alliance Treaty Obligations and Provisions) releases 5.1 and 4.01.

Date conventions
----------------
ATOP records entry and exit dates as year/month/day. An exit (or alliance end) year, month and
day of 0 mean that the member had not left the alliance (the alliance had not ended) by the end
of the release's coverage (31 December 2018 for ATOP 5.1, 2016 for 4.01); here ``in_force`` is
True, the 0s are NA and ``end`` is NaT. A blank day means the day is unknown; ``start`` then takes
the first day of the month and ``end`` the last day (the widest interval, as for MID dates).
All other columns are kept with their ATOP names; a blank cell is NA (ATOP leaves provisions
blank when they do not apply or are not coded).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from foedus.data.errors import SchemaError
from foedus.data.readers._base import (check_rows, check_unique, compact_ints, dates, file_lines, load,
                                       read_csv, registered, require_columns, to_int)
from foedus.data.registry import DataFile

MEMBER_FILES = {"5.1": "atop5_1m.csv", "4.01": "atop-member-level.csv"}
ALLIANCE_FILES = {"5.1": "atop5_1a.csv", "4.01": "atop-alliance-level.csv"}
YEARS = (1815, 2030)


def _file(files: dict[str, str], version: str, what: str) -> str:
    try:
        return files[version]
    except KeyError:
        raise KeyError(f"no ATOP {what} file for version {version}; available: {', '.join(files)}") from None


def _spell(raw: pd.DataFrame, out: pd.DataFrame, f: DataFile, start: tuple[str, str, str],
           end: tuple[str, str, str]) -> None:
    """Typed entry/exit columns plus ``in_force``, ``start`` and ``end`` (see module docstring)."""
    (sy, sm, sd), (ey, em, ed) = start, end
    out[sy] = to_int(raw, sy, "int16", f, nullable=False, lo=YEARS[0], hi=YEARS[1])
    out[sm] = to_int(raw, sm, "int8", f, nullable=False, lo=1, hi=12)
    out[sd] = to_int(raw, sd, "Int8", f, lo=1, hi=31)
    in_force = pd.to_numeric(raw[ey], errors="coerce") == 0
    zeros = (pd.to_numeric(raw[em], errors="coerce") == 0) & (pd.to_numeric(raw[ed], errors="coerce").fillna(0) == 0)
    bad = in_force != (in_force & zeros)
    if bad.any():
        raise SchemaError(f.relpath, f"{ey} = 0 (still in force) but {em}/{ed} are not 0", column=ey,
                          rows=file_lines(raw, bad))
    out[ey] = to_int(raw, ey, "Int16", f, na_codes=(0,), lo=YEARS[0], hi=YEARS[1])
    out[em] = to_int(raw, em, "Int8", f, na_codes=(0,), lo=1, hi=12)
    out[ed] = to_int(raw, ed, "Int8", f, na_codes=(0,), lo=1, hi=31)
    out["in_force"] = in_force.to_numpy()
    out["start"] = dates(out, sy, sm, sd, f, unknown="first")
    out["end"] = dates(out, ey, em, ed, f, unknown="last")
    backwards = out["end"] < out["start"]
    if backwards.any():
        raise SchemaError(f.relpath, "exit date before entry date", column=ey, rows=file_lines(out, backwards))


def _wide(raw: pd.DataFrame, typed: pd.DataFrame, f: DataFile) -> pd.DataFrame:
    """All published columns in published order, typed ones replaced; derived columns last."""
    out = raw.copy()
    rest = [c for c in out.columns if c not in typed.columns]
    compact_ints(out, [c for c in rest if pd.api.types.is_numeric_dtype(out[c])], f)
    for c in typed.columns:
        out[c] = typed[c]
    return out


def _parse_members(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    require_columns(raw, ["atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit",
                          "phase", "defense", "offense", "neutral", "nonagg", "consul"], f)
    check_rows(raw, f)
    typed = pd.DataFrame({"atopid": to_int(raw, "atopid", "int16", f, nullable=False, lo=1000),
                          "member": to_int(raw, "member", "int16", f, nullable=False, lo=1, hi=9999)})
    _spell(raw, typed, f, ("yrent", "moent", "dayent"), ("yrexit", "moexit", "dayexit"))
    for c in ("defense", "offense", "neutral", "nonagg", "consul"):
        typed[c] = to_int(raw, c, "int8", f, nullable=False, lo=0, hi=1)
    out = _wide(raw, typed, f)
    check_unique(out, ["atopid", "member", "phase", "yrent", "moent", "dayent"], f)
    return out


def read_atop_members(version: str = "5.1") -> pd.DataFrame:
    """ATOP member-level data: one row per member's participation in an alliance (phase).

    Returns
    -------
    pandas.DataFrame
        All published columns (105 in 5.1) with their ATOP names; the typed ones:

        ======== ============== ===========================================================
        atopid   int16          ATOP alliance id
        member   int16          COW state number of the member (ATOP 5.1/4.01 also code one
                                non-COW member above 999: 8152 in atopid 1320)
        yrent    int16          entry year; ``moent`` int8; ``dayent`` Int8 (blank = unknown)
        yrexit   Int16          exit year; 0 (in force at end of coverage) -> NA
        moexit   Int8           exit month; 0 -> NA
        dayexit  Int8           exit day; 0 -> NA, blank (unknown) -> NA
        defense  int8           defense obligation (0/1); also offense, neutral, nonagg, consul
        in_force bool           True when ATOP codes exit 0/0/0 (still a member at end of coverage)
        start    datetime64[ns] entry date (unknown day -> 1st of month)
        end      datetime64[ns] exit date (unknown day -> last of month); NaT when in_force
        ======== ============== ===========================================================

        Other integer columns (``phase``, ``cowsys``, ``ineffect``, ``bilat``, conditions such
        as ``defcoadv``, ``defcoloc``, ...) take the smallest integer dtype, nullable where blank.
        Key: (atopid, member, phase, yrent, moent, dayent) is unique; a member can leave and rejoin.
    """
    f = registered("atop", version, _file(MEMBER_FILES, version, "member"))
    return load("atop_members", 1, f, _parse_members)


def _parse_alliances(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    require_columns(raw, ["atopid", "begyr", "begmo", "begday", "endyr", "endmo", "endday", "ineffect",
                          "defense", "offense", "neutral", "nonagg", "consul"], f)
    check_rows(raw, f)
    typed = pd.DataFrame({"atopid": to_int(raw, "atopid", "int16", f, nullable=False, lo=1000)})
    _spell(raw, typed, f, ("begyr", "begmo", "begday"), ("endyr", "endmo", "endday"))
    for c in ("ineffect", "defense", "offense", "neutral", "nonagg", "consul"):
        typed[c] = to_int(raw, c, "int8", f, nullable=False, lo=0, hi=1)
    out = _wide(raw, typed, f)
    check_unique(out, ["atopid"], f)
    return out


def read_atop_alliances(version: str = "5.1") -> pd.DataFrame:
    """ATOP alliance-level data: one row per alliance (``atopid`` unique).

    Returns
    -------
    pandas.DataFrame
        All published columns with ATOP names; typed: ``atopid`` (int16), ``begyr`` (int16),
        ``begmo`` (int8), ``begday`` (Int8), ``endyr`` (Int16; 0 -> NA), ``endmo``/``endday``
        (Int8; 0 -> NA), ``ineffect``/``defense``/``offense``/``neutral``/``nonagg``/``consul``
        (int8 0/1), ``mem1``..``memN`` (nullable ints), plus ``in_force`` (bool, end coded 0),
        ``start`` and ``end`` (datetime64[ns], conventions in the module docstring).
    """
    f = registered("atop", version, _file(ALLIANCE_FILES, version, "alliance"))
    return load("atop_alliances", 1, f, _parse_alliances)


def _parse_yearly(path: Path, f: DataFile, keys: list[str]) -> pd.DataFrame:
    raw = read_csv(path, f)
    require_columns(raw, [*keys, "atopally", "defense", "offense", "neutral", "nonagg", "consul"], f)
    check_rows(raw, f)
    typed = pd.DataFrame(index=raw.index)
    for k in keys:
        if k == "year":
            typed[k] = to_int(raw, k, "int16", f, nullable=False, lo=YEARS[0], hi=YEARS[1])
        elif k in ("ddyad", "dyad"):
            typed[k] = to_int(raw, k, "int32", f, nullable=False)
        else:
            typed[k] = to_int(raw, k, "int16", f, nullable=False, lo=1, hi=999)
    for c in ("atopally", "defense", "offense", "neutral", "nonagg", "consul"):
        typed[c] = to_int(raw, c, "int8", f, nullable=False, lo=0, hi=1)
    out = _wide(raw, typed, f)
    check_unique(out, [k for k in keys if k not in ("ddyad", "dyad")], f)
    return out


_YEARLY_DOC = """
    Returns
    -------
    pandas.DataFrame
        All published columns with ATOP names. Keys {keys} (int16; unique together) and
        ``atopally``, ``defense``, ``offense``, ``neutral``, ``nonagg``, ``consul`` (int8, 0/1);
        ``atopid1``.. (nullable ints, NA when blank), other counts (``number``, ``bilatno``,
        ``multino``, ``transyr``, ``shareob``, ``asymm``) in the smallest integer dtype, nullable
        where blank; ``version`` float64.
"""


def read_atop_ddyr(version: str = "5.1") -> pd.DataFrame:
    f = registered("atop", version, "atop5_1ddyr.csv")
    return load("atop_ddyr", 1, f, lambda p, f: _parse_yearly(p, f, ["stateA", "stateB", "year", "ddyad"]))


def read_atop_dy(version: str = "5.1") -> pd.DataFrame:
    f = registered("atop", version, "atop5_1dy.csv")
    return load("atop_dy", 1, f, lambda p, f: _parse_yearly(p, f, ["mem1", "mem2", "year", "dyad"]))


def read_atop_sy(version: str = "5.1") -> pd.DataFrame:
    f = registered("atop", version, "atop5_1sy.csv")
    return load("atop_sy", 1, f, lambda p, f: _parse_yearly(p, f, ["state", "year"]))


read_atop_ddyr.__doc__ = ("ATOP 5.1 directed dyad-years (``atop5_1ddyr.csv``): one row per ordered pair of "
                          "states allied in a year (both orders).\n" + _YEARLY_DOC.format(keys="``stateA``, ``stateB``, ``year``")
                          + "\n        ``ddyad`` is int32.\n")
read_atop_dy.__doc__ = ("ATOP 5.1 non-directed dyad-years (``atop5_1dy.csv``): one row per allied pair-year "
                        "(``mem1`` < ``mem2``).\n" + _YEARLY_DOC.format(keys="``mem1``, ``mem2``, ``year``")
                        + "\n        ``dyad`` is int32.\n")
read_atop_sy.__doc__ = ("ATOP 5.1 state-years (``atop5_1sy.csv``): one row per state-year with an alliance.\n"
                        + _YEARLY_DOC.format(keys="``state``, ``year``"))


def _parse_phases(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    require_columns(raw, ["atopid", "atopidphase", "phase", "begyr", "begmo", "begday", "endyr", "endmo",
                          "endday"], f)
    check_rows(raw, f)
    typed = pd.DataFrame({"atopid": to_int(raw, "atopid", "int16", f, nullable=False, lo=1000)})
    _spell(raw, typed, f, ("begyr", "begmo", "begday"), ("endyr", "endmo", "endday"))
    out = _wide(raw, typed, f)
    check_unique(out, ["atopidphase"], f)
    return out


def read_atop_phases(version: str = "5.1") -> pd.DataFrame:
    """ATOP 5.1 alliance-phase data (``atop5_1aph.csv``): one row per phase (``atopidphase`` unique).

    Same typing and date conventions as :func:`read_atop_alliances`.
    """
    f = registered("atop", version, "atop5_1aph.csv")
    return load("atop_phases", 1, f, _parse_phases)


__all__ = ["read_atop_alliances", "read_atop_ddyr", "read_atop_dy", "read_atop_members", "read_atop_phases",
           "read_atop_sy"]
