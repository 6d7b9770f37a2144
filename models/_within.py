"""The within transformation of :func:`foedus.models.lpm_fe`: columns minus their group means.

One set of effects (entity) is removed exactly, with one ``np.bincount`` per column. Two sets
(entity and time) are removed by alternating projections (the method of alternating
projections; Gaure 2013, "OLS with multiple high dimensional category variables",
*Computational Statistics & Data Analysis* 66), which converge to the two-way within
transformation, i.e. the residuals of a regression on one dummy per entity and per time
period (Frisch-Waugh-Lovell). Each sweep costs two ``bincount`` passes per column, where
linearmodels' ``PanelOLS`` sorts and reindexes a MultiIndex frame.
"""
from __future__ import annotations

import numpy as np

from .errors import EstimationError

#: Alternating projections stop when the largest mean removed in a sweep is below this many
#: times the column's scale (its largest absolute value, at least 1).
WITHIN_TOL = 1e-14
WITHIN_MAXITER = 10_000


class _Groups:
    """Integer codes 0..G-1 of one set of effects and the group sizes."""

    def __init__(self, codes: np.ndarray):
        self.codes = np.asarray(codes, dtype=np.intp)
        self.size = int(self.codes.max()) + 1 if self.codes.size else 0
        self.counts = np.bincount(self.codes, minlength=self.size).astype(np.float64)

    def remove_means(self, col: np.ndarray) -> float:
        """Subtract the group means from ``col`` in place; return the largest mean removed."""
        means = np.bincount(self.codes, weights=col, minlength=self.size) / self.counts
        col -= means[self.codes]
        return float(np.abs(means).max()) if means.size else 0.0


def dense_codes(values) -> np.ndarray:
    """Codes 0..G-1 of any labels (in sorted order of the labels)."""
    return np.unique(np.asarray(values), return_inverse=True)[1].reshape(-1)


def within(M: np.ndarray, entity: np.ndarray, time: np.ndarray | None = None) -> np.ndarray:
    """Return ``M`` (n x k) with entity effects, and time effects if ``time`` is given, removed.

    ``entity`` and ``time`` are codes 0..G-1 (:func:`dense_codes`). Raises
    :class:`~foedus.models.errors.EstimationError` if the projections do not converge.
    """
    out = np.array(M, dtype=np.float64, order="F")  # columns contiguous: one bincount each
    ent = _Groups(entity)
    if time is None:
        for j in range(out.shape[1]):
            ent.remove_means(out[:, j])
        return out
    per = _Groups(time)
    for j in range(out.shape[1]):
        col = out[:, j]
        scale = max(1.0, float(np.abs(col).max()) if col.size else 1.0)
        for _ in range(WITHIN_MAXITER):
            moved = max(ent.remove_means(col), per.remove_means(col))
            if moved <= WITHIN_TOL * scale:
                break
        else:
            raise EstimationError(
                f"the two-way within transformation did not converge in {WITHIN_MAXITER} sweeps "
                "(entity and time effects nearly collinear); fit with time_effects=False and "
                "year dummies in the formula instead")
    return out


__all__ = ["within", "dense_codes", "WITHIN_TOL", "WITHIN_MAXITER"]
