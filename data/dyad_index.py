"""Rows of a dyad-year frame addressed by their keys, and the small sorted-key helpers of the
alliance code (:mod:`foedus.data.alliances`, :mod:`foedus.data.commitments`).

:class:`DyadIndex` finds the panel row of a (year, ccode1, ccode2) in one array read and
scatters values keyed by dyad-year or state-year onto the rows: the alliance and commitment
variables are computed on their own tables and put onto ~2 million panel rows without a merge.
"""
from __future__ import annotations

import numpy as np

from foedus.data.keys import CODE_BASE, dyad_year_key, state_year_key


def find_sorted(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Position of each key in ``sorted_keys`` (unique, ascending); -1 when absent."""
    if sorted_keys.size == 0:
        return np.full(len(keys), -1, np.int64)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
    return np.where(sorted_keys[pos] == keys, pos, -1)


def expand_ranges(first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Interval expansion: (row, value) for every integer value in [first, last] of each row."""
    n = np.clip(np.asarray(last, np.int64) - first + 1, 0, None)
    row = np.repeat(np.arange(len(n)), n)
    value = np.repeat(np.asarray(first, np.int64), n) + (np.arange(row.size) - np.repeat(np.cumsum(n) - n, n))
    return row, value


def unique_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of a non-negative int matrix and each row's index among them.

    ``np.unique(axis=0)`` sorts a structured view and is slow. Values below 2**20 (ATOP ids,
    alliance phases) are packed three to an int64 and the packed columns lexsorted.
    """
    if matrix.shape[0] == 0:
        return matrix, np.zeros(0, np.int64)
    if matrix.min() >= 0 and matrix.max() < 2**20:
        width = -(-matrix.shape[1] // 3) * 3
        padded = np.zeros((matrix.shape[0], width), np.int64)
        padded[:, : matrix.shape[1]] = matrix
        shifts = np.array([40, 20, 0], np.int64)
        keys = (padded.reshape(matrix.shape[0], -1, 3) << shifts).sum(axis=2)
    else:
        keys = matrix
    order = np.lexsort(keys.T[::-1])
    k = keys[order]
    new = np.r_[True, (k[1:] != k[:-1]).any(axis=1)]
    inverse = np.empty(matrix.shape[0], np.int64)
    inverse[order] = np.cumsum(new) - 1
    return matrix[order[new]], inverse


def runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique keys of a sorted array, first index and size of each run."""
    uniq, start, size = np.unique(sorted_keys, return_index=True, return_counts=True)
    return uniq, start, size


class DyadIndex:
    """Rows of a dyad-year frame addressed by (year, ccode1, ccode2), for scattering tables.

    The frame's rows are numbered in a dense table indexed by (year, state 1, state 2), with
    states renumbered 0..K-1 (K ~ 200 COW states: ~10 million int32 cells for 1816-2014), so a
    table key finds its row in one array read. Frames whose table would exceed
    ``MAX_CELLS`` fall back to a binary search in the sorted keys.
    """

    MAX_CELLS = 40_000_000

    def __init__(self, year, ccode1, ccode2):
        self.year = np.asarray(year, np.int64)
        self.c1 = np.asarray(ccode1, np.int64)
        self.c2 = np.asarray(ccode2, np.int64)
        self.first_year = int(self.year.min()) if self.year.size else 0
        self.n_years = int(self.year.max()) - self.first_year + 1 if self.year.size else 0
        self._flat: dict[str, np.ndarray] = {}
        present = np.zeros(CODE_BASE, bool)
        present[self.c1] = True
        present[self.c2] = True
        states = np.flatnonzero(present)
        self.k = max(states.size, 1)
        self.dense = np.full(CODE_BASE, -1, np.int64)
        self.dense[states] = np.arange(states.size)
        cells = self.n_years * self.k * self.k
        if cells <= self.MAX_CELLS:
            cell = self._cell(self.year, self.dense[self.c1], self.dense[self.c2])
            self.table = np.full(cells, -1, np.int32)
            self.table[cell] = np.arange(self.year.size, dtype=np.int32)
            if (self.table[cell] != np.arange(self.year.size)).any():  # a later duplicate won
                raise ValueError("dyad-year frame lists some (ccode1, ccode2, year) more than once")
        else:
            self.table = None
            key = dyad_year_key(self.year, self.c1, self.c2)
            self.order = np.argsort(key, kind="stable")
            self.key = key[self.order]
            if (np.diff(self.key) == 0).any():
                raise ValueError("dyad-year frame lists some (ccode1, ccode2, year) more than once")

    def _cell(self, year, i1, i2) -> np.ndarray:
        return ((year - self.first_year) * self.k + i1) * self.k + i2

    def __len__(self) -> int:
        return self.year.size

    def locate(self, year, ccode1, ccode2) -> tuple[np.ndarray, np.ndarray]:
        """For table keys: the mask of keys present in the frame, and their rows."""
        year = np.asarray(year, np.int64)
        c1 = np.asarray(ccode1, np.int64)
        c2 = np.asarray(ccode2, np.int64)
        if self.table is not None:
            i1 = self.dense[np.clip(c1, 0, CODE_BASE - 1)]
            i2 = self.dense[np.clip(c2, 0, CODE_BASE - 1)]
            ok = (i1 >= 0) & (i2 >= 0) & (year >= self.first_year) & (year < self.first_year + self.n_years)
            rows = np.full(year.size, -1, np.int64)
            rows[ok] = self.table[self._cell(year[ok], i1[ok], i2[ok])]
            hit = rows >= 0
            return hit, rows[hit]
        tk = dyad_year_key(year, c1, c2)
        pos = np.minimum(np.searchsorted(self.key, tk), self.key.size - 1)
        hit = self.key[pos] == tk
        return hit, self.order[pos[hit]]

    def put(self, located, values, fill=0) -> np.ndarray:
        """An array over the frame's rows: ``values`` where :meth:`locate` found the keys."""
        values = np.asarray(values)
        out = np.full(len(self), fill, dtype=np.result_type(values.dtype, fill))
        hit, rows = located
        out[rows] = values[hit]
        return out

    def scatter(self, year, ccode1, ccode2, values, fill=0) -> np.ndarray:
        """``values`` at the rows whose (year, ccode1, ccode2) match; ``fill`` elsewhere."""
        return self.put(self.locate(year, ccode1, ccode2), values, fill)

    def by_state_year(self, side: str, year, state, values, fill=0) -> np.ndarray:
        """``values`` keyed by (year, state) at each row's (year, ccode1 or ccode2)."""
        values = np.asarray(values)
        if len(self) == 0:
            return np.zeros(0, values.dtype)
        if side not in self._flat:  # row -> cell of a dense (year, state) grid, computed once
            col = self.c1 if side == "ccode1" else self.c2
            self._flat[side] = state_year_key(self.year - self.first_year, col).astype(np.int32)
        n_years = int(self.year.max()) - self.first_year + 1
        grid = np.full(n_years * CODE_BASE, fill, dtype=np.result_type(values.dtype, fill))
        year, state = np.asarray(year, np.int64), np.asarray(state, np.int64)
        ok = (year >= self.first_year) & (year < self.first_year + n_years)
        grid[state_year_key(year[ok] - self.first_year, state[ok])] = values[ok]
        return grid[self._flat[side]]


__all__ = ["DyadIndex", "expand_ranges", "find_sorted", "runs", "unique_rows"]
