"""Reader for the COW Directed Dyadic Interstate War data (Maoz et al., May 2018 release)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from foedus.data.readers._base import (assemble_date, check_rows, load, read_csv, registered,
                                       require_columns, to_int)
from foedus.data.registry import DataFile

YEARS = (1816, 2030)
#: Date parts as the file names them: (start year, month, day), (end year, month, day).
START = ("warstrtyr", "warstrtmnth", "warstrtday")
END = ("warendyr", "warendmnth", "warenday")


def _part(raw: pd.DataFrame, column: str, lo: int, hi: int) -> pd.Series:
    """A date part with values outside the codebook's range (and negative codes) set to NA."""
    s = pd.to_numeric(raw[column], errors="coerce")
    bad = s.notna() & ((s < lo) | (s > hi) | (s != np.floor(s)))
    return s.mask(bad).astype("Int16")


def _parse(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    require_columns(raw, ["warnum", "statea", "stateb", "year", *START, *END], f)
    check_rows(raw, f)
    out = pd.DataFrame({
        "warnum": to_int(raw, "warnum", "int16", f, nullable=False, lo=1),
        "statea": to_int(raw, "statea", "int16", f, nullable=False, lo=1, hi=999),
        "stateb": to_int(raw, "stateb", "int16", f, nullable=False, lo=1, hi=999),
        "year": to_int(raw, "year", "int16", f, nullable=False, lo=YEARS[0], hi=YEARS[1]),
    })
    for (y, m, d), unknown, name in ((START, "first", "start"), (END, "last", "end")):
        year, month, day = _part(raw, y, *YEARS), _part(raw, m, 1, 12), _part(raw, d, 1, 31)
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
    return load("cow_dyadic_war", 1, f, _parse)
