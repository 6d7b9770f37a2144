"""The design of a selection model: the outcome and selection equations' rows and matrices
(used by :mod:`foedus.models.heckprobit`)."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ._design import MissingDataWarning, _formula_variables, as_frame, build_design


@dataclass(frozen=True, eq=False)
class SelectionDesign:
    """The two equations' data on the estimation rows.

    ``Z`` (n x kz) and ``s`` cover every kept row; ``X`` (n x kx) too (the outcome index of
    an unselected row is needed for predictions, not for the likelihood; NaN where the outcome
    equation's variables are missing on an unselected row); ``y`` is 0 where ``s`` is 0. ``frame`` holds the kept rows of the user's frame (for cluster groups).
    """

    y: np.ndarray
    X: np.ndarray
    s: np.ndarray
    Z: np.ndarray
    endog_name: str
    select_name: str
    outcome_names: list
    select_names: list
    source: pd.DataFrame
    kept: np.ndarray | None
    n_dropped: int
    dropped_by: dict
    formula: str
    select: str
    #: column of ``Z`` that is a non-zero constant, or None
    select_constant: int | None

    @cached_property
    def frame(self) -> pd.DataFrame:
        return self.source if self.kept is None else self.source.iloc[self.kept]

    @cached_property
    def selected(self) -> np.ndarray:
        return np.flatnonzero(self.s == 1)

    @cached_property
    def unselected_weight(self) -> np.ndarray:
        """1 where ``s`` is 0, 0 where it is 1 (the rows of the probit terms ln Phi(-z g))."""
        return 1.0 - self.s

    @cached_property
    def y1(self) -> np.ndarray:
        """Outcome of the selected rows."""
        return self.y[self.selected]

    @cached_property
    def X1(self) -> np.ndarray:
        """Outcome design of the selected rows."""
        return self.X[self.selected]

    @cached_property
    def Z1(self) -> np.ndarray:
        """Selection design of the selected rows."""
        return self.Z[self.selected]

    @property
    def nobs(self) -> int:
        return int(self.s.shape[0])

    @property
    def k(self) -> int:
        return self.X.shape[1] + self.Z.shape[1] + 1


def build_selection_design(formula: str, select: str, data) -> SelectionDesign:
    """Rows, responses and design matrices of both equations (removed rows reported).

    The sample rule of Stata's selection models: a row is used when every variable of the
    selection equation is present, and, where the selection response is 1, every variable of
    the outcome equation too. The outcome equation's variables may be missing where the
    selection response is 0 (they do not enter the likelihood there; the outcome index, and
    the predictions that need it, are NaN on those rows).
    """
    frame = as_frame(data)
    if frame is None:
        raise ValueError("heckprobit needs data (a DataFrame or a Panel)")
    if not isinstance(select, str) or "~" not in select:
        raise ValueError("select must be a formula such as 'dispute ~ ptargdef + capprop'")
    y_name = formula.partition("~")[0].strip()
    s_name = select.partition("~")[0].strip()
    for name, role in ((y_name, "outcome"), (s_name, "selection")):
        if name not in frame.columns:
            raise KeyError(f"{role} response {name!r} is not a column of the data")
    if y_name == s_name:
        raise ValueError("the outcome and the selection equations need different responses")
    columns = set(frame.columns)
    sel_vars = [c for c in dict.fromkeys(_formula_variables(select)) if c in columns]
    out_vars = [c for c in dict.fromkeys(_formula_variables(formula))
                if c in columns and c not in sel_vars]
    s_raw = frame[s_name].to_numpy(dtype=np.float64, na_value=np.nan)
    selected = s_raw == 1
    missing = {c: frame[c].isna().to_numpy() for c in sel_vars + out_vars}
    ok = np.logical_and.reduce([~missing[c] for c in sel_vars])
    for c in out_vars:
        ok &= ~(missing[c] & selected)
    kept = np.flatnonzero(ok)
    n_dropped = len(frame) - kept.size
    dropped_by = {}
    if n_dropped:
        counts = {c: int(missing[c].sum()) for c in sel_vars}
        counts.update({c: int((missing[c] & selected).sum()) for c in out_vars})
        dropped_by = {c: v for c, v in counts.items() if v}
        warnings.warn(
            f"listwise deletion removed {n_dropped} of {len(frame)} rows with missing values "
            f"(missing per column: {dropped_by}; outcome-equation columns counted where "
            f"{s_name} = 1)", MissingDataWarning, stacklevel=4)
    if kept.size == 0:
        raise ValueError("no observations left after removing rows with missing values")
    # the designs read their own columns: a copy only when rows go
    work = frame[sel_vars + out_vars].iloc[kept].reset_index(drop=True) if n_dropped else frame
    s = s_raw[kept] if n_dropped else s_raw
    y_raw = frame[y_name].to_numpy(dtype=np.float64, na_value=np.nan)
    work = work.assign(**{y_name: np.where(s == 1, y_raw[kept] if n_dropped else y_raw, 0.0)})
    with warnings.catch_warnings():
        # the selection design must keep every row: a term that makes missing values (log(0))
        # is an error; the outcome design may leave out unselected rows
        warnings.simplefilter("error", category=MissingDataWarning)
        try:
            sel = build_design(select, work)
        except MissingDataWarning as exc:
            raise ValueError(f"a formula term produced missing values ({exc}); compute it as a "
                             "column and drop or recode those rows first") from None
        warnings.simplefilter("ignore", category=MissingDataWarning)
        out = build_design(formula, work)
    X = out.X
    if out.kept is not None:
        if np.any(s[np.setdiff1d(np.arange(s.size), out.kept)] == 1):
            raise ValueError(f"a term of {formula!r} produced missing values on selected rows; "
                             "compute it as a column and drop or recode those rows first")
        X = np.full((s.size, out.X.shape[1]), np.nan)
        X[out.kept] = out.X
    hi, lo = sel._extremes  # one pass over Z, shared with sel.has_constant()
    for name, bad, names in ((formula, ~np.isfinite(X[s == 1]).all(axis=0), out.exog_names),
                             (select, ~(np.isfinite(hi) & np.isfinite(lo)), sel.exog_names)):
        if bad.any():
            raise ValueError(f"regressor(s) {[n for n, b in zip(names, bad) if b]} of {name!r} "
                             "have infinite values; recode those rows first")
    y = np.where(s == 1, work[y_name].to_numpy(), 0.0)
    return SelectionDesign(
        y=y, X=X, s=sel.y, Z=sel.X, endog_name=y_name, select_name=s_name,
        outcome_names=list(out.exog_names), select_names=list(sel.exog_names), source=frame,
        kept=kept if n_dropped else None, n_dropped=int(n_dropped), dropped_by=dropped_by,
        formula=formula, select=select, select_constant=sel.has_constant())
