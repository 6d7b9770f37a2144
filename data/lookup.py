"""Vectorised left joins of state-year and dyad-year values onto a dyad-year panel.

A panel has ~2 million rows; ``DataFrame.merge`` copies every column and costs about a second per
join. These helpers look values up by integer keys instead and return plain arrays aligned with
the panel's rows, so a covariate step adds its columns without touching the others.

- :func:`state_year_lookup`: a dense (ccode x year) grid (COW codes are < 1000), filled from the
  source and indexed with the panel's ``(ccode, year)``: one fancy-indexing operation.
- :func:`dyad_year_lookup`: sorted int64 keys ``(year, ccode1, ccode2)`` and ``searchsorted``.

Rows without a match get ``NaN`` (and ``found`` is False), never 0: values outside a source's
coverage are unknown.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

#: COW state numbers are 2..990; the grids are indexed by ccode directly.
MAX_CCODE = 1000


def _int(values) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


def state_year_grid(ccode, year, values, first_year: int, last_year: int) -> np.ndarray:
    """A (MAX_CCODE, years) float grid holding ``values`` at (ccode, year), NaN elsewhere.

    Duplicate (ccode, year) keys are an error (the caller decides which row counts).
    """
    ccode, year = _int(ccode), _int(year)
    values = np.asarray(values, dtype=np.float64)
    keep = (year >= first_year) & (year <= last_year)
    ccode, year, values = ccode[keep], year[keep], values[keep]
    if ccode.size and (ccode.min() < 0 or ccode.max() >= MAX_CCODE):
        raise ValueError(f"state codes must lie in 0..{MAX_CCODE - 1}; got {ccode.min()}..{ccode.max()}")
    flat = ccode * (last_year - first_year + 1) + (year - first_year)
    if np.unique(flat).size != flat.size:
        raise ValueError("state-year values list some (ccode, year) more than once")
    grid = np.full((MAX_CCODE, last_year - first_year + 1), np.nan)
    grid.reshape(-1)[flat] = values
    return grid


def state_year_lookup(
    ccode, year, table: pd.DataFrame, column: str, *, lag: int = 0
) -> np.ndarray:
    """Values of ``table[column]`` at each (ccode, year - lag); NaN where the table has none.

    Parameters
    ----------
    ccode, year : array-like of int
        The panel's keys (one side of the dyad).
    table : pandas.DataFrame
        Source state-years with columns ``ccode``, ``year`` and ``column`` (unique keys).
    column : str
    lag : int
        Look up the value of ``lag`` years earlier.
    """
    ccode, year = _int(ccode), _int(year) - lag
    if len(table) == 0:
        return np.full(len(ccode), np.nan)
    ty = _int(table["year"])
    first, last = int(ty.min()), int(ty.max())
    values = pd.to_numeric(table[column]).astype("float64").to_numpy(na_value=np.nan)
    grid = state_year_grid(table["ccode"], ty, values, first, last)
    out = np.full(len(ccode), np.nan)
    ok = (year >= first) & (year <= last) & (ccode >= 0) & (ccode < MAX_CCODE)
    out[ok] = grid[ccode[ok], year[ok] - first]
    return out


def dyad_key(ccode1, ccode2, year) -> np.ndarray:
    """int64 key ordered like the panel (year, ccode1, ccode2)."""
    return (_int(year) * MAX_CCODE + _int(ccode1)) * MAX_CCODE + _int(ccode2)


def dyad_year_index(frame: pd.DataFrame, table: pd.DataFrame) -> np.ndarray:
    """Row position in ``table`` of each panel row's (ccode1, ccode2, year); -1 when absent.

    ``table`` must have unique (ccode1, ccode2, year) keys.
    """
    tkey = dyad_key(table["ccode1"], table["ccode2"], table["year"])
    order = np.argsort(tkey, kind="stable")
    sorted_key = tkey[order]
    if sorted_key.size > 1 and (np.diff(sorted_key) == 0).any():
        raise ValueError("dyad-year values list some (ccode1, ccode2, year) more than once")
    key = dyad_key(frame["ccode1"], frame["ccode2"], frame["year"])
    pos = np.searchsorted(sorted_key, key)
    pos = np.minimum(pos, max(sorted_key.size - 1, 0))
    hit = sorted_key.size > 0
    found = (sorted_key[pos] == key) if hit else np.zeros(len(key), bool)
    return np.where(found, order[pos] if hit else -1, -1)


def dyad_year_lookup(frame: pd.DataFrame, table: pd.DataFrame, column: str) -> np.ndarray:
    """Values of ``table[column]`` at each panel row's dyad-year; NaN where absent."""
    idx = dyad_year_index(frame, table)
    values = pd.to_numeric(table[column]).astype("float64").to_numpy(na_value=np.nan)
    out = np.full(len(frame), np.nan)
    hit = idx >= 0
    out[hit] = values[idx[hit]]
    return out


def in_years(year, first: int, last: int) -> np.ndarray:
    """Mask of panel rows inside a source's coverage years (inclusive)."""
    year = _int(year)
    return (year >= first) & (year <= last)


def nullable_bool(values: np.ndarray, known: np.ndarray) -> pd.arrays.BooleanArray:
    """A pandas nullable boolean array: ``values`` where ``known``, NA elsewhere."""
    return pd.arrays.BooleanArray(np.asarray(values, bool) & known, ~np.asarray(known, bool))


def nullable_int(values: np.ndarray, known: np.ndarray, dtype: str = "Int8") -> pd.arrays.IntegerArray:
    """A pandas nullable integer array: ``values`` where ``known``, NA elsewhere."""
    known = np.asarray(known, bool)
    data = np.where(known, values, 0).astype(dtype.lower())
    return pd.arrays.IntegerArray(data, ~known)
