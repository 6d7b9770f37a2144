"""Spells (a first and a last year, inclusive) expanded to one row per year, vectorised."""
from __future__ import annotations

import numpy as np
import pandas as pd


def expand_spells(first, last, source: str, frame: pd.DataFrame | None = None, *,
                  empty_ok: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """One row per year of every spell ``[first[i], last[i]]``.

    Parameters
    ----------
    first, last : array-like of int
        First and last year of each spell.
    source : str
        What the spells are (named in the error, e.g. ``"gw_states"``).
    frame : pandas.DataFrame, optional
        The spells' rows, shown in the error.
    empty_ok : bool
        A spell with ``last < first`` gives no row instead of an error (for spells cut to a
        coverage window that can fall wholly outside it).

    Returns
    -------
    rows : ndarray of int64
        The spell of each output row (index into ``first``), spells in order, years ascending.
    years : ndarray of int64
        The year of each output row.
    """
    first = np.asarray(first, dtype=np.int64)
    n = np.asarray(last, dtype=np.int64) - first + 1
    if (n < 1).any() and not empty_ok:
        row = int(np.flatnonzero(n < 1)[0])
        shown = frame.iloc[row].to_dict() if frame is not None else f"{first[row]}-{first[row] + n[row] - 1}"
        raise ValueError(f"{source} row {row} ends before it begins: {shown}; correct or drop that row")
    n = np.maximum(n, 0)
    rows = np.repeat(np.arange(n.size), n)
    return rows, first[rows] + (np.arange(rows.size) - np.repeat(np.cumsum(n) - n, n))
