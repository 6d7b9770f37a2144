"""Integer keys of states, dyads and state-years, in one place and of a type that cannot wrap.

COW state codes run to 990 and years to four digits: ``ccode1 * 1000 + ccode2`` needs 20 bits
and ``year * 1000 + ccode`` 22 bits, more than the ``int16`` the panels store codes and years
in (multiplying two ``int16`` columns silently wraps around). Every key here is computed in
``int64`` and stored as ``int32``.
"""
from __future__ import annotations

import numpy as np

#: State codes are below this number (COW codes are 2-990), so codes fit in three digits.
CODE_BASE = 1000


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
    return np.asarray(year, dtype=np.int64) * CODE_BASE + np.asarray(ccode, dtype=np.int64)


__all__ = ["CODE_BASE", "dyad_id", "undirected_dyad_id", "add_dyad_ids", "state_year_key"]
