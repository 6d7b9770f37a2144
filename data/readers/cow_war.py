"""Readers for the COW war data: the Inter-State War participants file, v4.0
(``Inter-StateWarData_v4.0.csv``), and the Directed Dyadic Interstate War data (May 2018).

Inter-state war codes (Sarkees, "Inter-state Wars (Version 4.0): Definitions and Variables", registered beside the
data): dates of sustained combat in up to two spells per record; -9 = unknown, -8 = not
applicable (no second spell), -7 = ongoing at the end of 2007. Here -9 and -8 are NA; -7 would
make ``end`` NaT (v4.0 has none). One record per participant and side: a state that changed sides
has two records (key: WarNum, ccode, Side).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from foedus.data.readers._base import (assemble_date, check_rows, check_unique, dates, load, read_csv,
                                       registered, require_columns, to_int, to_str)
from foedus.data.registry import DataFile

#: Outcome codes of the codebook.
OUTCOMES = {1: "winner", 2: "loser", 3: "compromise/tied", 4: "transformed into another type of war",
            5: "ongoing (2007)", 6: "stalemate", 7: "continues below war level", 8: "changed sides"}
_NA = (-9, -8, -7)


def _parse(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    spells = [f"{p}{part}{k}" for k in (1, 2) for p in ("Start", "End") for part in ("Month", "Day", "Year")]
    require_columns(raw, ["WarNum", "WarName", "WarType", "ccode", "StateName", "Side", *spells,
                          "TransFrom", "WhereFought", "Initiator", "Outcome", "TransTo", "BatDeath"], f)
    check_rows(raw, f)
    out = pd.DataFrame({
        "WarNum": to_int(raw, "WarNum", "int16", f, nullable=False, lo=1),
        "WarName": to_str(raw, "WarName"),
        "ccode": to_int(raw, "ccode", "int16", f, nullable=False, lo=1, hi=999),
        "StateName": to_str(raw, "StateName"),
        "Side": to_int(raw, "Side", "int8", f, nullable=False, lo=1, hi=2),
    })
    for k in (1, 2):
        for p in ("Start", "End"):
            out[f"{p}Year{k}"] = to_int(raw, f"{p}Year{k}", "Int16", f, na_codes=_NA, lo=1816, hi=2007)
            out[f"{p}Month{k}"] = to_int(raw, f"{p}Month{k}", "Int8", f, na_codes=_NA, lo=1, hi=12)
            out[f"{p}Day{k}"] = to_int(raw, f"{p}Day{k}", "Int8", f, na_codes=_NA, lo=1, hi=31)
    out["StartYear1"] = to_int(raw, "StartYear1", "int16", f, nullable=False, lo=1816, hi=2007)
    out["Initiator"] = to_int(raw, "Initiator", "int8", f, nullable=False, lo=1, hi=2).eq(1)
    out["Outcome"] = to_int(raw, "Outcome", "int8", f, nullable=False, lo=1, hi=8)
    out["WhereFought"] = to_int(raw, "WhereFought", "int8", f, nullable=False, lo=1, hi=19)
    for c in ("TransFrom", "TransTo"):  # a war number, or a list of them ("404, 410"); -8 -> NA
        s = to_str(raw, c)
        out[c] = s.mask(s == "-8")
    out["BatDeath"] = to_int(raw, "BatDeath", "Int32", f, na_codes=(-9,), lo=0)
    out["start"] = dates(out, "StartYear1", "StartMonth1", "StartDay1", f, unknown="first")
    end1 = dates(out, "EndYear1", "EndMonth1", "EndDay1", f, unknown="last")
    end2 = dates(out, "EndYear2", "EndMonth2", "EndDay2", f, unknown="last")
    out["end"] = end2.fillna(end1)
    check_unique(out, ["WarNum", "ccode", "Side"], f)
    return out


def read_cow_interstate_war(version: str = "4.0") -> pd.DataFrame:
    """COW inter-state war participants: one row per state and side of each war (337 in v4.0).

    Returns
    -------
    pandas.DataFrame
        =========== ============== ======================================================
        WarNum      int16          COW war number
        WarName     string         war name
        ccode       int16          COW state number; ``StateName`` string
        Side        int8           1 or 2 (the side the state fought on)
        StartYear1  int16          first spell of combat: ``StartMonth1``/``StartDay1``
                                   Int8; ``End*1`` likewise; ``*2`` the second spell
                                   (NA when there is none); -9/-8 -> NA
        Initiator   bool           the state initiated the war (code 1)
        Outcome     int8           codes in :data:`OUTCOMES`
        WhereFought int8           region code (codebook)
        TransFrom   string         war(s) this one was transformed from, e.g. "404, 410"
                                   (-8 -> NA); ``TransTo`` likewise
        BatDeath    Int32          battle deaths of the state (-9 -> NA)
        start       datetime64[ns] first day of combat (unknown day -> 1st of month)
        end         datetime64[ns] last day of combat (of the second spell if there is
                                   one; unknown day -> last of month)
        =========== ============== ======================================================
    """
    f = registered("cow-war", version, "Inter-StateWarData_v4.0.csv")
    return load("cow_interstate_war", 1, f, _parse)



# ---- directed dyadic war data ---------------------------------------------------------------
DYADIC_YEARS = (1816, 2030)
#: Date parts as the file names them: (start year, month, day), (end year, month, day).
START = ("warstrtyr", "warstrtmnth", "warstrtday")
END = ("warendyr", "warendmnth", "warenday")


def _part(raw: pd.DataFrame, column: str, lo: int, hi: int) -> pd.Series:
    """A date part with values outside the codebook's range (and negative codes) set to NA."""
    s = pd.to_numeric(raw[column], errors="coerce")
    bad = s.notna() & ((s < lo) | (s > hi) | (s != np.floor(s)))
    return s.mask(bad).astype("Int16")


def _parse_dyadic(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    require_columns(raw, ["warnum", "statea", "stateb", "year", *START, *END], f)
    check_rows(raw, f)
    out = pd.DataFrame({
        "warnum": to_int(raw, "warnum", "int16", f, nullable=False, lo=1),
        "statea": to_int(raw, "statea", "int16", f, nullable=False, lo=1, hi=999),
        "stateb": to_int(raw, "stateb", "int16", f, nullable=False, lo=1, hi=999),
        "year": to_int(raw, "year", "int16", f, nullable=False, lo=DYADIC_YEARS[0], hi=DYADIC_YEARS[1]),
    })
    for (y, m, d), unknown, name in ((START, "first", "start"), (END, "last", "end")):
        year, month, day = _part(raw, y, *DYADIC_YEARS), _part(raw, m, 1, 12), _part(raw, d, 1, 31)
        out[y], out[m], out[d] = year, month, day
        # a part outside the codebook's range makes the whole date unknown (NaT), not a guess
        usable = month.notna() & day.notna()
        out[name] = assemble_date(year.where(usable), month, day, unknown=unknown)
    return out


def read_dyadic_war(version: str = "may2018") -> pd.DataFrame:
    """COW Directed Dyadic Interstate War data (``directed_dyadic_war.csv``), dyad-war-years.

    One row per war, ordered pair of states on opposite sides, and year of their fighting; both
    orders of every pair are present.

    Returns
    -------
    pandas.DataFrame
        ============ ============== ==========================================================
        warnum       int16          COW inter-state war number
        statea       int16          COW state number of state A
        stateb       int16          COW state number of state B
        year         int16          year of the dyad's war participation
        warstrtyr..  Int16          start year, month, day of the dyad's war (``warstrtmnth``,
                                    ``warstrtday``); ``warendyr``, ``warendmnth``, ``warenday``
        start        datetime64[ns] first day of the dyad's war (unknown day: 1st of the month)
        end          datetime64[ns] last day (unknown day: last of the month)
        ============ ============== ==========================================================

        Errata kept visible: a date part that is unknown or outside the codebook's range (the
        May 2018 file has a start month 24 in two rows and an end year 19118 in three rows of
        war 106) is NA and makes that row's ``start``/``end`` NaT, not a guessed date; users
        bound such rows by ``year``.
    """
    f = registered("cow-dyadic-war", version, "directed_dyadic_war.csv")
    return load("cow_dyadic_war", 1, f, _parse_dyadic)


__all__ = ["OUTCOMES", "read_cow_interstate_war", "read_dyadic_war"]
