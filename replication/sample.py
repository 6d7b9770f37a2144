"""Preparing an estimation sample: shared by the studies (:mod:`~foedus.replication.run`) and the
multiverse (:mod:`~foedus.replication.multiverse`), so both read the same columns, convert them
the same way, join borrowed columns the same way and count the same removed rows.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

#: The row keys of a directed dyad-year panel (a borrowed column is joined on them).
KEYS = ("ccode1", "ccode2", "year")

#: Words of :meth:`pandas.DataFrame.eval`/``query`` expressions that are never column names.
KEYWORDS = frozenset({"and", "or", "not", "in", "True", "False", "None", "is"})

# a name after a dot is a method or attribute (``x.fillna(0)``), not a column
_NAME = re.compile(r"(?<![.\w])[A-Za-z_][A-Za-z0-9_]*")


def expression_names(text: str | None) -> list[str]:
    """The names in a formula or an eval/query expression that may be columns, in order."""
    if not text:
        return []
    return [n for n in _NAME.findall(text) if n not in KEYWORDS]


def float_frame(frame: pd.DataFrame, columns: Iterable[str], keys: Iterable[str] = KEYS) -> pd.DataFrame:
    """``columns`` of ``frame`` ready for eval/query and the estimators.

    Keys as they are; numeric and boolean columns as float64 with NaN for missing (nullable
    integers' ``<NA>`` included); other columns (labels, strings) as they are. Names that are not
    columns of ``frame`` are skipped.
    """
    keys = set(keys)
    out = {}
    for c in columns:
        if c not in frame.columns:
            continue
        s = frame[c]
        if c in keys or not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
            out[c] = s.to_numpy()
        elif pd.api.types.is_bool_dtype(s):
            out[c] = s.astype("float64").to_numpy()
        else:
            out[c] = pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()
    return pd.DataFrame(out)


def borrow_column(frame: pd.DataFrame, other: pd.DataFrame, column: str,
                  keys: Iterable[str] = KEYS) -> np.ndarray:
    """Values of ``other[column]`` aligned to the rows of ``frame`` (a left join on ``keys``).

    Never adds or reorders rows: a row of ``frame`` without a match gets NaN, and a key that
    appears twice in ``other`` is an error (pandas' ``validate="one_to_one"``). When both panels
    have the same rows in the same order the values are taken as they are, without a join.
    """
    keys = list(keys)
    if column not in other.columns:
        raise KeyError(f"the panel to borrow from has no column {column!r}")
    same_rows = len(other) == len(frame) and all(
        np.array_equal(other[k].to_numpy(), frame[k].to_numpy()) for k in keys)
    if same_rows:
        return other[column].to_numpy()
    merged = frame[keys].merge(other[[*keys, column]], on=keys, how="left", validate="one_to_one")
    return merged[column].to_numpy()


def complete_rows(frame: pd.DataFrame, columns: Iterable[str], exempt: Iterable[str] = (),
                  among: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
    """Which rows of ``frame`` are complete in ``columns`` (``exempt`` columns may be missing).

    Returns a boolean mask over the rows of ``frame`` and the number of missing values per
    column that had any, counted among the rows of ``among`` (a boolean mask; every row by
    default). Reads the columns in place: nothing is copied but the masks.
    """
    exempt = set(exempt)
    complete = np.ones(len(frame), dtype=bool)
    missing_by = {}
    for c in dict.fromkeys(c for c in columns if c not in exempt):
        na = pd.isna(frame[c].to_numpy())
        count = int(np.count_nonzero(na if among is None else na & among))
        if count:
            missing_by[c] = count
        complete &= ~na
    return complete, missing_by


def listwise(frame: pd.DataFrame, columns: Iterable[str],
             exempt: Iterable[str] = ()) -> tuple[pd.DataFrame, int, dict]:
    """Rows of ``frame`` complete in ``columns`` (``exempt`` columns may be missing).

    Returns the complete rows (index reset), the number of rows removed and the number of
    missing values per column that had any.
    """
    complete, missing_by = complete_rows(frame, columns, exempt)
    return frame.loc[complete].reset_index(drop=True), int((~complete).sum()), missing_by


def take_rows(frame: pd.DataFrame, rows: np.ndarray | None) -> pd.DataFrame:
    """The rows of ``frame`` at positions ``rows``, index reset: one take per column, into a
    frame that holds the taken arrays without copying them again. With ``rows`` None, every
    row, not copied: the columns are shared with ``frame`` under copy-on-write, so writing to
    either copies the column first.
    """
    if rows is None:
        out = pd.DataFrame({c: frame[c] for c in frame.columns}, copy=False)
        out.index = pd.RangeIndex(len(out))
        return out
    return pd.DataFrame({c: frame[c].array[rows] for c in frame.columns}, copy=False)


__all__ = ["KEYS", "KEYWORDS", "expression_names", "float_frame", "borrow_column", "complete_rows",
           "listwise", "take_rows"]
