"""Input normalisation: formula or arrays -> response, design matrix, names, row frame.

Every estimator in :mod:`foedus.models` takes either a formula and a data frame (statsmodels
style, formulas parsed by ``formulaic``) or arrays. ``data`` may be a pandas DataFrame or any
object with a ``.frame`` attribute holding one (the ``Panel`` returned by the panel builder).
Rows with missing values in the model's variables are dropped *and reported*: the count is
stored on the design and a warning names the columns that caused it. A design that cannot be
fitted is refused with a :class:`~foedus.models.errors.DesignError` naming the columns: ±inf in
a column, an all-zero column, a constant column beside another constant (the intercept), or
columns that are collinear (:func:`rank_problem`).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .errors import DesignError

__all__ = ["Design", "build_design", "as_frame", "MissingDataWarning", "rank_problem", "check_rank"]

#: A design whose correlation-scaled cross-product matrix has a smallest-to-largest eigenvalue
#: ratio below this is rank deficient: exact collinearity leaves ~1e-16 after rounding, while
#: legitimate designs (uncentred peace-year polynomials) stay above ~1e-6.
RANK_TOLERANCE = 1e-12


class MissingDataWarning(UserWarning):
    """Rows were removed by listwise deletion before fitting."""


def as_frame(data) -> pd.DataFrame | None:
    """Return the DataFrame behind ``data`` (a DataFrame, a ``Panel`` with ``.frame``, or None)."""
    if data is None:
        return None
    if isinstance(data, pd.DataFrame):
        return data
    frame = getattr(data, "frame", None)
    if isinstance(frame, pd.DataFrame):
        return frame
    raise TypeError(
        f"data must be a pandas DataFrame or an object with a .frame DataFrame attribute, "
        f"got {type(data).__name__}"
    )


@dataclass(frozen=True, eq=False)
class Design:
    """What an estimator needs from the user's input.

    Attributes
    ----------
    y : ndarray, shape (n,)
        Response as float64.
    X : ndarray, shape (n, k)
        Design matrix, float64.
    endog_name : str
    exog_names : list of str
    frame : DataFrame or None
        The user's rows that were kept, in the order of ``y`` and ``X`` (used to build cluster
        and fixed-effect groups). None for the array interface without ``data``. Taken from
        ``source`` on first use, so a fit with classical errors never copies the panel.
    source : DataFrame or None
        The user's frame, all rows.
    kept : ndarray or None
        Positions of the kept rows in ``source`` (None: all of them).
    n_dropped : int
        Rows removed by listwise deletion.
    formula : str or None
    """

    y: np.ndarray
    X: np.ndarray
    endog_name: str
    exog_names: list
    source: pd.DataFrame | None
    kept: np.ndarray | None = None
    n_dropped: int = 0
    formula: str | None = None
    dropped_by: dict = field(default_factory=dict)
    rhs_spec: object = None  # formulaic's ModelSpec of the right-hand side (None: a plain formula)

    def exog_for(self, data) -> np.ndarray:
        """The design matrix of new rows, built as the fit's was (its formula, its columns).

        Rows with a missing value give rows of NaN (so their predictions are missing), in the
        order of ``data``.
        """
        if self.formula is None:
            raise ValueError("the model was fitted from arrays: pass exog as an array with the "
                             f"columns {self.exog_names}")
        frame = as_frame(data)
        if self.rhs_spec is None:  # a plain "y ~ a + b": the intercept and the columns
            missing = [c for c in self.exog_names[1:] if c not in frame.columns]
            if missing:
                raise KeyError(f"the new rows lack the formula's column(s) {missing}")
            cols = [frame[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in self.exog_names[1:]]
            return np.column_stack([np.ones(len(frame)), *cols])
        mm = self.rhs_spec.get_model_matrix(frame.reset_index(drop=True), na_action="ignore")
        return np.asarray(mm[self.exog_names], dtype=np.float64)

    @cached_property
    def frame(self) -> pd.DataFrame | None:
        if self.source is None or self.kept is None:
            return self.source
        return self.source.iloc[self.kept]

    @property
    def nobs(self) -> int:
        return int(self.y.shape[0])

    @property
    def k(self) -> int:
        return int(self.X.shape[1])

    def has_constant(self) -> int | None:
        """Index of a constant (non-zero) column, or None."""
        return self._constant

    @cached_property
    def _extremes(self) -> tuple[np.ndarray, np.ndarray]:
        from .separation import _column_extreme

        return _column_extreme(self.X, "max"), _column_extreme(self.X, "min")

    @cached_property
    def _constant(self) -> int | None:
        if self.nobs == 0:
            return None
        hi, lo = self._extremes
        const = np.flatnonzero((hi == lo) & (hi != 0))
        return int(const[0]) if const.size else None

    def _row_label(self, position: int):
        """The user's label of design row ``position`` (its frame index, or its array position)."""
        if self.source is None:
            return int(position if self.kept is None else self.kept[position])
        pos = position if self.kept is None else int(self.kept[position])
        return self.source.index[pos]

    def check_columns(self) -> None:
        """Refuse ±inf values, all-zero columns and a constant column beside another constant.

        Uses the column extremes (one pass, shared with :meth:`has_constant`).
        """
        if self.nobs == 0:
            return
        hi, lo = self._extremes
        names = self.exog_names
        infinite = np.flatnonzero(~np.isfinite(hi) | ~np.isfinite(lo))
        if infinite.size:
            bad = ~np.isfinite(self.X[:, infinite])
            first = int(np.flatnonzero(bad.any(axis=1))[0])
            cols = ", ".join(f"{names[j]!r} ({int(bad[:, i].sum())} rows)" for i, j in enumerate(infinite))
            raise DesignError(
                f"infinite values (+/-inf) in column(s) {cols}; first at row {self._row_label(first)!r}. "
                "A model cannot be fitted on them: recode them (e.g. the log of 0) or set them to "
                "missing (NaN), which drops the rows.")
        zero = [names[j] for j in np.flatnonzero((hi == 0) & (lo == 0))]
        if zero:
            raise DesignError(f"column(s) {', '.join(map(repr, zero))} are zero in every row used: "
                              "their coefficients are not identified; drop them from the model.")
        const = np.flatnonzero(hi == lo)
        if const.size > 1:
            shown = ", ".join(f"{names[j]!r} (always {hi[j]:g})" for j in const)
            raise DesignError(
                f"constant columns {shown} are collinear with each other (one of them is the "
                "intercept, if the model has one): drop the constant regressor(s), or check the "
                "sample (a subset or listwise deletion may have left the variable one value).")


def rank_problem(gram: np.ndarray, names) -> list[str]:
    """Columns in the (near) null space of a cross-product matrix ``X'WX`` (W > 0); [] if none.

    The matrix is scaled to unit diagonal; when its smallest eigenvalue is below
    :data:`RANK_TOLERANCE` times the largest, the columns loading on that eigenvector (|v| > 0.1)
    form the collinear combination.
    """
    gram = np.asarray(gram, dtype=np.float64)
    d = np.sqrt(np.diag(gram))
    if not np.all(np.isfinite(gram)) or np.any(d == 0):
        return [names[j] for j in np.flatnonzero(d == 0)] or list(names)
    vals, vecs = np.linalg.eigh(gram / np.outer(d, d))
    if vals[0] > RANK_TOLERANCE * vals[-1]:
        return []
    return [names[j] for j in np.flatnonzero(np.abs(vecs[:, 0]) > 0.1)]


def check_rank(gram: np.ndarray, names, what: str = "") -> None:
    """Raise :class:`DesignError` naming the collinear columns of ``gram``'s design, if any."""
    involved = rank_problem(gram, names)
    if involved:
        raise DesignError(
            f"columns {', '.join(map(repr, involved))} are collinear{what}: a linear combination of "
            "them is (nearly) zero in every row, so their coefficients are not identified. Drop "
            "one of them, or check how they are coded.")


def _report_missing(frame: pd.DataFrame, columns, n_dropped: int) -> dict:
    if n_dropped == 0:
        return {}
    counts = {c: int(frame[c].isna().sum()) for c in columns if c in frame.columns}
    counts = {c: v for c, v in counts.items() if v}
    warnings.warn(
        f"listwise deletion removed {n_dropped} of {len(frame)} rows with missing values "
        f"(missing per column: {counts})",
        MissingDataWarning,
        stacklevel=4,
    )
    return counts


def _check_binary(y: np.ndarray, name: str) -> None:
    bad = ~((y == 0) | (y == 1))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"response {name!r} must be 0/1; row {first} holds {y[first]!r} "
            f"({int(bad.sum())} rows are not 0/1)"
        )


def build_design(formula=None, data=None, endog=None, exog=None, *, binary: bool = True) -> Design:
    """Build a :class:`Design` from a formula + data, or from ``endog``/``exog`` arrays.

    Parameters
    ----------
    formula : str, optional
        ``"y ~ x1 + x2"`` (formulaic syntax, intercept added unless ``- 1`` / ``+ 0``).
    data : DataFrame or object with ``.frame``, optional
        Required with a formula; with arrays, optional and used only for groups (it must have
        one row per observation, aligned with ``exog``).
    endog, exog : array-like, optional
        Array interface (no constant is added, as in statsmodels).
    binary : bool
        Check that the response is 0/1.
    """
    frame = as_frame(data)
    if formula is not None:
        if frame is None:
            raise ValueError("a formula needs data (a DataFrame or a Panel)")
        plain = _plain_formula(formula, frame)
        rhs_spec = None
        if plain is not None:
            y, X, endog_name, names, kept = _plain_design(frame, *plain)
        else:
            y, X, endog_name, names, kept, rhs_spec = _formulaic_design(formula, frame)
        n_dropped = len(frame) - len(kept)
        used = [c for c in frame.columns if c in set(_formula_variables(formula))]
        dropped_by = _report_missing(frame, used, n_dropped)
        kept = kept if n_dropped else None
    else:
        if endog is None or exog is None:
            raise ValueError("give either a formula and data, or endog and exog")
        rhs_spec = None
        endog_name = getattr(endog, "name", None) or "y"
        if isinstance(exog, pd.DataFrame):
            names = [str(c) for c in exog.columns]
        elif isinstance(exog, pd.Series):
            names = [str(exog.name or "x0")]
        else:
            exog_arr = np.asarray(exog)
            ncol = 1 if exog_arr.ndim == 1 else exog_arr.shape[1]
            names = [f"x{j}" for j in range(ncol)]
        y = np.asarray(endog, dtype=np.float64).ravel()
        X = np.ascontiguousarray(exog, dtype=np.float64)
        if X.ndim == 1:
            X = X[:, None]
        if X.shape[0] != y.shape[0]:
            raise ValueError(f"endog has {y.shape[0]} rows but exog has {X.shape[0]}")
        if frame is not None and len(frame) != y.shape[0]:
            raise ValueError(f"data has {len(frame)} rows but endog/exog have {y.shape[0]}")
        ok = ~np.isnan(y) & ~np.isnan(X).any(axis=1)  # +/-inf is not missing: refused below
        n_dropped = int((~ok).sum())
        dropped_by = {}
        if n_dropped:
            bad_cols = {names[j]: int(np.isnan(X[:, j]).sum()) for j in range(X.shape[1])}
            dropped_by = {c: v for c, v in bad_cols.items() if v}
            if np.isnan(y).any():
                dropped_by[endog_name] = int(np.isnan(y).sum())
            warnings.warn(
                f"listwise deletion removed {n_dropped} of {len(y)} rows with missing values "
                f"(missing per column: {dropped_by})",
                MissingDataWarning,
                stacklevel=3,
            )
            y, X = y[ok], X[ok]
        kept = np.flatnonzero(ok) if n_dropped else None
    if binary:
        _check_binary(y, endog_name)
    if y.shape[0] == 0:
        raise ValueError("no observations left after removing rows with missing values")
    design = Design(
        y=y,
        X=X,
        endog_name=endog_name,
        exog_names=names,
        source=frame,
        kept=kept,
        n_dropped=int(n_dropped),
        formula=formula,
        dropped_by=dropped_by,
        rhs_spec=rhs_spec,
    )
    design.check_columns()
    return design


def _formulaic_design(formula: str, frame: pd.DataFrame):
    """(y, X, response name, column names, kept row positions, right-hand side spec) from
    formulaic (the spec rebuilds the design on new rows, with stateful transforms kept)."""
    from formulaic import model_matrix

    from foedus.splines import register_formula_transforms

    register_formula_transforms()  # btscs_spline(...) by name, with its knots kept for prediction
    # formulaic keeps the caller's index; a unique positional index lets us map rows back.
    positional = frame.reset_index(drop=True)
    mm = model_matrix(formula, positional, na_action="drop")
    lhs, rhs = mm.lhs, mm.rhs
    if lhs is None or lhs.shape[1] != 1:
        raise ValueError(f"formula {formula!r} must have exactly one response on the left")
    kept = np.asarray(rhs.index, dtype=np.int64)
    y = np.asarray(lhs, dtype=np.float64).ravel()
    # row-contiguous: the estimators work in chunks of rows
    X = np.ascontiguousarray(rhs, dtype=np.float64)
    return y, X, str(lhs.columns[0]), [str(c) for c in rhs.columns], kept, rhs.model_spec


def _plain_formula(formula: str, frame: pd.DataFrame) -> tuple[str, list[str]] | None:
    """(response, regressors) when the formula is ``y ~ a + b + ...`` over numeric columns.

    Such a formula (the usual dyad-year model) needs no formula machinery: formulaic takes
    seconds to build a 2-million-row design that :func:`_assemble` builds in a fraction of one.
    Anything else (transforms, interactions, categorical or boolean columns, a removed
    intercept) returns None and goes through formulaic.
    """
    lhs, sep, rhs = formula.partition("~")
    terms = [t.strip() for t in rhs.split("+")]
    names = [lhs.strip(), *terms]
    if not sep or len(set(terms)) != len(terms):
        return None
    for name in names:
        if name not in frame.columns or not name.isidentifier():
            return None
        dtype = frame[name].dtype
        if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
            return None
    return names[0], terms


#: Rows per block when a design is assembled: a block of every column stays in the cache while
#: it is written, where writing one column at a time strides through the whole matrix.
_BLOCK_ROWS = 4096


def _float_column(series: pd.Series) -> np.ndarray:
    """A column as float64 with NaN for missing: the column itself when it is float64 already."""
    if series.dtype == np.float64:
        return series.to_numpy()
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def _assemble(columns: list[np.ndarray], n: int, intercept: bool) -> np.ndarray:
    """The C-ordered (n, k) design whose columns are ``columns`` (after a column of ones if
    ``intercept``), written block of rows by block of rows into one preallocated array."""
    first = 1 if intercept else 0
    X = np.empty((n, first + len(columns)), dtype=np.float64)
    if intercept:
        X[:, 0] = 1.0
    for start in range(0, n, _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, n)
        block = X[start:stop]
        for j, col in enumerate(columns, start=first):
            block[:, j] = col[start:stop]
    return X


def _plain_design(frame: pd.DataFrame, response: str, terms: list[str]):
    """The design formulaic would build for ``response ~ terms`` (intercept first; rows with a
    missing value in any of the columns dropped), assembled into one preallocated array."""
    columns = [_float_column(frame[name]) for name in (response, *terms)]
    ok = ~np.isnan(columns[0])
    for c in columns[1:]:
        ok &= ~np.isnan(c)
    kept = np.flatnonzero(ok)
    if kept.size != len(frame):
        columns = [c[kept] for c in columns]
    X = _assemble(columns[1:], kept.size, intercept=True)
    return columns[0], X, response, ["Intercept", *terms], kept


def _formula_variables(formula: str) -> list[str]:
    """Names in the formula that may be data columns (for the missing-value report)."""
    import re

    return re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", formula)
