"""Spells (a first and a last year, inclusive) expanded to one row per year, vectorised."""
from __future__ import annotations

import numpy as np


def spell_years(first, last) -> tuple[np.ndarray, np.ndarray]:
    """One row per year of every spell ``[first[i], last[i]]``.

    Returns
    -------
    rows : ndarray of int64
        The spell of each output row (index into ``first``), spells in order, years ascending.
    years : ndarray of int64
        The year of each output row. A spell with ``last < first`` gives no row.
    """
    first = np.asarray(first, dtype=np.int64)
    n = np.maximum(np.asarray(last, dtype=np.int64) - first + 1, 0)
    rows = np.repeat(np.arange(n.size), n)
    return rows, first[rows] + (np.arange(rows.size) - np.repeat(np.cumsum(n) - n, n))
