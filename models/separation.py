"""Detection of perfect and quasi-complete separation before a logit/probit fit.

Under separation the maximum-likelihood estimate does not exist: some coefficient diverges
and its standard error is meaningless, although the optimiser may stop and report numbers
(Albert & Anderson 1984). Two checks:

* single-variable (O(n k), always run): a regressor x_j separates the data on its own when,
  with a constant in the model, the events' values all lie on one side of the non-events'
  values (``min(x | y=1) >= max(x | y=0)`` or the reverse). This covers the common case in
  rare-event data, a dummy that is 1 only for non-events (or only for events).
* linear programme (Konis 2007, the method of R's ``detectseparation``/``safeBinaryRegression``):
  separation exists iff some b != 0 has (2 y_i - 1) x_i'b >= 0 for every i. Maximise
  sum_i (2 y_i - 1) x_i'b subject to those constraints and -1 <= b <= 1 (HiGHS); a positive
  optimum means separation, and the regressors with non-zero b_j are the ones involved. It
  detects separation by combinations of regressors. Run before fitting when n k is small,
  and after any fit that shows its symptoms (no convergence, |x'b| > 30).
"""
from __future__ import annotations

import numpy as np

from .errors import EstimationError
from .options import SeparationCheck, check_option

__all__ = ["SeparationError", "check_separation", "single_variable_separation",
           "lp_separation", "LP_MAX_CELLS"]

LP_MAX_CELLS = 5_000_000  # n * k below which the LP runs before every fit ("auto")


class SeparationError(EstimationError, ValueError):
    """The data are perfectly or quasi-completely separated: the MLE does not exist."""


def _column_extreme(X, which):
    """Column max/min of a C-ordered (n, k) array.

    numpy reduces a C-ordered array along axis 0 one row (k values) at a time; viewing
    blocks of 64 rows as one row of 64 k values makes the inner loop long enough to
    vectorise (several times faster on panels of millions of rows).
    """
    reduce = np.maximum.reduce if which == "max" else np.minimum.reduce
    n, k = X.shape
    block = 64
    m = (n // block) * block
    parts = []
    if m and X.flags.c_contiguous:
        parts.append(reduce(reduce(X[:m].reshape(m // block, block * k), axis=0)
                            .reshape(block, k), axis=0))
        rest = X[m:]
    else:
        rest = X
    if rest.shape[0]:
        parts.append(reduce(rest, axis=0))
    return reduce(np.vstack(parts), axis=0)


def _count_equal(X, values):
    """Per column, the number of rows equal to ``values`` (same 64-row blocking)."""
    n, k = X.shape
    block = 64
    m = (n // block) * block if X.flags.c_contiguous else 0
    count = np.zeros(k, dtype=np.int64)
    if m:
        eq = X[:m].reshape(m // block, block * k) == np.tile(values, block)
        count += eq.sum(axis=0).reshape(block, k).sum(axis=0)
    if m < n:
        count += (X[m:] == values).sum(axis=0)
    return count


def _nonevent_extreme(X, events, Xe, overall, event_extreme, which):
    """max (or min) of each column over the non-events.

    Where the events do not reach the overall extreme, a non-event does. Otherwise (dummies,
    mostly) a non-event reaches it if more rows than events sit at the extreme; only if all
    of them are events is the column scanned again with the non-event mask.
    """
    out = overall.copy()
    cols = np.flatnonzero(event_extreme == overall)
    if cols.size == 0:
        return out
    at_extreme = _count_equal(X, overall) - (Xe == overall).sum(axis=0)
    for j in cols:
        if at_extreme[j] == 0:
            col = X[~events, j]
            out[j] = col.max() if which == "max" else col.min()
    return out


def single_variable_separation(X, y, names, const_idx) -> list[tuple[str, str]]:
    """Regressors that separate the outcome on their own (needs a constant in the model).

    Returns a list of (name, description) pairs. O(n k) with whole-column reductions.
    """
    if const_idx is None:
        return []
    events = y == 1
    if events.all() or not events.any():
        return []
    Xe = X[events]
    lo1, hi1 = Xe.min(axis=0), Xe.max(axis=0)
    hi0 = _nonevent_extreme(X, events, Xe, _column_extreme(X, "max"), hi1, "max")
    lo0 = _nonevent_extreme(X, events, Xe, _column_extreme(X, "min"), lo1, "min")
    found = []
    for j, name in enumerate(names):
        if j == const_idx:
            continue
        if lo1[j] >= hi0[j]:
            kind = "complete" if lo1[j] > hi0[j] else "quasi-complete"
            found.append((name, f"{kind}: every event has {name} >= {lo1[j]:g} and every "
                                f"non-event has {name} <= {hi0[j]:g}"))
        elif hi1[j] <= lo0[j]:
            kind = "complete" if hi1[j] < lo0[j] else "quasi-complete"
            found.append((name, f"{kind}: every event has {name} <= {hi1[j]:g} and every "
                                f"non-event has {name} >= {lo0[j]:g}"))
    return found


def lp_separation(X, y, names, const_idx=None, tol: float = 1e-7) -> list[str]:
    """Regressors in a separating direction found by the Konis (2007) linear programme.

    Returns the names of the non-constant regressors with non-zero weight in the separating
    direction (empty list: no separation).
    """
    from scipy.optimize import linprog

    scale = np.max(np.abs(X), axis=0)
    scale[scale == 0] = 1.0
    A = (X / scale) * (2.0 * y - 1.0)[:, None]
    res = linprog(-A.sum(axis=0), A_ub=-A, b_ub=np.zeros(A.shape[0]),
                  bounds=[(-1.0, 1.0)] * A.shape[1], method="highs")
    if res.status != 0 or -res.fun <= tol * A.shape[0]:
        return []
    b = res.x
    involved = [names[j] for j in range(len(names))
                if abs(b[j]) > 1e-6 and j != const_idx]
    return involved or [names[j] for j in range(len(names)) if abs(b[j]) > 1e-6]


def _message(details: list[str]) -> str:
    return ("perfect or quasi-complete separation: the maximum-likelihood estimate does not "
            "exist. " + "; ".join(details) + ". Use foedus.models.firth(...) (Firth's "
            "penalised likelihood gives finite estimates), or drop/recode the variable(s).")


def check_separation(X, y, names, const_idx, method="auto") -> None:
    """Raise :class:`SeparationError` naming the variables if the data are separated.

    Parameters
    ----------
    method : {"auto", "fast", "lp", False}
        "fast": single-variable check only; "lp": also the linear programme; "auto": "fast"
        plus the linear programme when n * k <= ``LP_MAX_CELLS``; False: no check.
    """
    if method is False or method is None:
        return
    check_option("check_separation", method, SeparationCheck)
    if np.all(y == 0) or np.all(y == 1):
        raise SeparationError(_message([f"the outcome is constant ({int(y[0])})"]))
    single = single_variable_separation(X, y, names, const_idx)
    if single:
        raise SeparationError(_message([d for _, d in single]))
    run_lp = method == "lp" or (method == "auto" and X.shape[0] * X.shape[1] <= LP_MAX_CELLS)
    if run_lp:
        involved = lp_separation(X, y, names, const_idx)
        if involved:
            raise SeparationError(_message(
                [f"a linear combination of {', '.join(involved)} separates events from "
                 "non-events"]))
