"""Vectorised left joins of state-year and dyad-year values onto a dyad-year panel.

A panel has ~2 million rows; ``DataFrame.merge`` copies every column and costs about a second per
join. These helpers look values up by integer keys instead and return plain arrays aligned with
the panel's rows, so a covariate step adds its columns without touching the others.

- :func:`state_year_index` / :func:`state_year_lookup`: a dense (ccode x year) grid of source
  rows (COW codes are < 1000), indexed with the panel's ``(ccode, year)``: one gather.
- :func:`dyad_year_lookup`: sorted int64 keys ``(year, ccode1, ccode2)`` and ``searchsorted``.

Rows without a match get ``NaN`` (and ``found`` is False), never 0: values outside a source's
coverage are unknown.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from foedus.data.keys import CODE_BASE, dyad_year_key  # grids are indexed by ccode (< CODE_BASE)


def _int(values) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


def state_year_index(ccode, year, table: pd.DataFrame, *, lag: int = 0) -> np.ndarray:
    """Row position in ``table`` of each (ccode, year - lag); -1 where the table has none.

    Parameters
    ----------
    ccode, year : array-like of int
        The panel's keys (one side of the dyad).
    table : pandas.DataFrame
        Source state-years with columns ``ccode`` and ``year``; (ccode, year) must be unique.
    lag : int
        Look up the row of ``lag`` years earlier.

    Notes
    -----
    A dense grid of row numbers over (ccode, year) is filled from the table; the panel's keys
    index its flattened form directly, out-of-range keys pointing at one extra cell holding -1.
    """
    tc, ty = _int(table["ccode"]), _int(table["year"])
    ccode = np.asarray(ccode).astype(np.int32, copy=False)
    year = np.asarray(year).astype(np.int32, copy=False)
    if ty.size == 0 or ccode.size == 0:
        return np.full(ccode.size, -1, np.int32)
    if tc.min() < 0 or tc.max() >= CODE_BASE:
        raise ValueError(f"state codes must lie in 0..{CODE_BASE - 1}; got {tc.min()}..{tc.max()}")
    first, span = int(ty.min()), int(ty.max()) - int(ty.min()) + 1
    grid = np.full(CODE_BASE * span + 1, -1, np.int32)  # last cell: "no such state-year"
    cell = tc * span + (ty - first)
    if np.unique(cell).size != cell.size:
        raise ValueError("state-year values list some (ccode, year) more than once")
    grid[cell] = np.arange(ty.size, dtype=np.int32)
    offset = year - np.int32(first + lag)
    index = ccode * np.int32(span) + offset
    if (offset.min() < 0 or offset.max() >= span or ccode.min() < 0
            or ccode.max() >= CODE_BASE):
        ok = (offset >= 0) & (offset < span) & (ccode >= 0) & (ccode < CODE_BASE)
        index = np.where(ok, index, grid.size - 1)
    return grid[index]


def take(values, index: np.ndarray) -> np.ndarray:
    """``values[index]`` as float, NaN where ``index`` is -1."""
    values = pd.to_numeric(pd.Series(values)).astype("float64").to_numpy(na_value=np.nan)
    return np.append(values, np.nan)[index]


def state_year_lookup(
    ccode, year, table: pd.DataFrame, column: str, *, lag: int = 0
) -> np.ndarray:
    """Values of ``table[column]`` at each (ccode, year - lag); NaN where the table has none."""
    return take(table[column], state_year_index(ccode, year, table, lag=lag))


def dyad_year_index(frame: pd.DataFrame, table: pd.DataFrame) -> np.ndarray:
    """Row position in ``table`` of each panel row's (ccode1, ccode2, year); -1 when absent.

    ``table`` must have unique (ccode1, ccode2, year) keys. The states are renumbered densely
    (a few hundred) so that (year, state1, state2) indexes a dense grid of table rows when it
    is small enough (< 64 million cells); otherwise sorted keys and ``searchsorted`` are used.
    """
    tkeys = [_int(table[c]) for c in ("ccode1", "ccode2", "year")]
    fkeys = [np.asarray(frame[c]).astype(np.int64) for c in ("ccode1", "ccode2", "year")]
    n_table = tkeys[0].size
    if n_table == 0 or fkeys[0].size == 0:
        return np.full(fkeys[0].size, -1, np.int64)
    codes = np.unique(np.concatenate([tkeys[0], tkeys[1]]))
    y0, y1 = int(tkeys[2].min()), int(tkeys[2].max())
    n, span = codes.size, y1 - y0 + 1
    if n * n * span < 64_000_000 and codes.min() >= 0 and codes.max() < CODE_BASE:
        dense = np.full(CODE_BASE, -1, np.int64)
        dense[codes] = np.arange(n)
        cell = (tkeys[2] - y0) * (n * n) + dense[tkeys[0]] * n + dense[tkeys[1]]
        grid = np.full(n * n * span + 1, -1, np.int64)
        grid[cell] = np.arange(n_table)
        if (grid >= 0).sum() != n_table:
            raise ValueError("dyad-year values list some (ccode1, ccode2, year) more than once")
        a, b = fkeys[0], fkeys[1]
        inside = (a >= 0) & (a < CODE_BASE) & (b >= 0) & (b < CODE_BASE)
        i1 = dense[np.where(inside, a, 0)]
        i2 = dense[np.where(inside, b, 0)]
        yo = fkeys[2] - y0
        ok = inside & (i1 >= 0) & (i2 >= 0) & (yo >= 0) & (yo < span)
        return grid[np.where(ok, yo * (n * n) + i1 * n + i2, grid.size - 1)]
    tkey = dyad_year_key(tkeys[2], tkeys[0], tkeys[1])
    order = np.argsort(tkey, kind="stable")
    sorted_key = tkey[order]
    if (np.diff(sorted_key) == 0).any():
        raise ValueError("dyad-year values list some (ccode1, ccode2, year) more than once")
    key = dyad_year_key(fkeys[2], fkeys[0], fkeys[1])
    pos = np.minimum(np.searchsorted(sorted_key, key), sorted_key.size - 1)
    return np.where(sorted_key[pos] == key, order[pos], -1)


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


def nullable_int(values: np.ndarray, known: np.ndarray, dtype: str = "Int8") -> pd.arrays.IntegerArray:
    """A pandas nullable integer array: ``values`` where ``known``, NA elsewhere."""
    known = np.asarray(known, bool)
    data = np.where(known, values, 0).astype(dtype.lower())
    return pd.arrays.IntegerArray(data, ~known)
