"""Integer keys of states, dyads, state-years and dyad-years: the one place they are composed.

COW state codes run to 990 and years to four digits: ``ccode1 * 1000 + ccode2`` needs 20 bits,
``year * 1000 + ccode`` 22 bits and ``(year * 1000 + ccode1) * 1000 + ccode2`` 31 bits, more
than the ``int16`` the panels store codes and years in (multiplying two ``int16`` columns
silently wraps around). Every key here is computed in ``int64``; the dyad ids a panel carries
are stored as ``int32``. Keys sort like their parts (year first, then A, then B), so sorted
keys are searched with ``numpy.searchsorted`` in place of merges; :func:`split_dyad_year_key`
recovers the parts.
"""
from __future__ import annotations

import numpy as np

#: State codes are below this number (COW codes are 2-990), so codes fit in three digits.
CODE_BASE = 1000
#: Years are below this number (the four digits of the year in an alliance membership key).
YEAR_BASE = 10_000


def _int64(values) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


def dyad_id(ccode1, ccode2) -> np.ndarray:
    """Directed dyad id ``ccode1 * 1000 + ccode2`` (the ``ddyad`` of Stata command files)."""
    return (np.asarray(ccode1, dtype=np.int64) * CODE_BASE
            + np.asarray(ccode2, dtype=np.int64)).astype(np.int32)


def undirected_dyad_id(ccode1, ccode2) -> np.ndarray:
    """Non-directed dyad id ``min * 1000 + max``: the same for A-B and B-A."""
    a = np.asarray(ccode1, dtype=np.int64)
    b = np.asarray(ccode2, dtype=np.int64)
    return (np.minimum(a, b) * CODE_BASE + np.maximum(a, b)).astype(np.int32)


def add_dyad_ids(frame):
    """The frame with ``ddyad`` (directed) and ``dyad`` (non-directed) id columns (int32), as
    every finished panel carries them (for clustering and merges in Stata, R or pandas)."""
    frame["ddyad"] = dyad_id(frame["ccode1"], frame["ccode2"])
    frame["dyad"] = undirected_dyad_id(frame["ccode1"], frame["ccode2"])
    return frame


def state_year_key(year, ccode) -> np.ndarray:
    """State-year key ``year * 1000 + ccode`` (int64: sorted and searched against other keys)."""
    return _int64(year) * CODE_BASE + _int64(ccode)


def dyad_year_key(year, ccode1, ccode2) -> np.ndarray:
    """Dyad-year key ``(year * 1000 + ccode1) * 1000 + ccode2`` (int64), ordered like a panel
    sorted by year, A, B."""
    return state_year_key(year, ccode1) * CODE_BASE + _int64(ccode2)


def split_dyad_year_key(key) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(year, ccode1, ccode2)`` of :func:`dyad_year_key` values."""
    key = _int64(key)
    return key // (CODE_BASE * CODE_BASE), (key // CODE_BASE) % CODE_BASE, key % CODE_BASE


def unit_year_key(unit, year) -> np.ndarray:
    """Alliance-year key ``unit * 10000 + year`` (int64; ``unit``: an ATOP alliance phase or a COW
    alliance)."""
    return _int64(unit) * YEAR_BASE + _int64(year)


def membership_key(unit, year, ccode) -> np.ndarray:
    """Alliance membership key ``(unit * 10000 + year) * 1000 + ccode`` (int64): state ``ccode``
    is a member of ``unit`` in ``year``; ``key // 1000`` is its :func:`unit_year_key`."""
    return unit_year_key(unit, year) * CODE_BASE + _int64(ccode)


__all__ = ["CODE_BASE", "YEAR_BASE", "dyad_id", "undirected_dyad_id", "add_dyad_ids", "state_year_key",
           "dyad_year_key", "split_dyad_year_key", "unit_year_key", "membership_key"]
