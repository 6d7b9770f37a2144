r"""Coarsened exact matching (CEM) weights, as Stata's ``cem`` computes them.

Blackwell, Iacus, King & Porro (2009), "cem: Coarsened exact matching in Stata", The Stata
Journal 9(4): 524-546; the rules below follow the command's own code (``cem.ado`` and
``cem-mata.do``, IQSS/cem-stata), which is what the replication files of the deterrence debate
ran (Leeds & Johnson 2017; Morrow 2017).

1. Coarsening, per variable (Stata's syntax in brackets):

   - cutpoints ``(4 6 8)``: a value gets code ``[x >= c_1] + sum_{j >= 2} [x > c_j]``, so values
     below the first cutpoint form bin 0, ``[c_1, c_2]`` bin 1, ``(c_2, c_3]`` bin 2, ... and values
     above the last cutpoint a bin of their own. A single cutpoint ``c`` means ``(min(x), c)``.
   - a count ``(#k)``: ``k`` equally spaced cutpoints from ``min(x)`` to ``max(x)`` (Mata
     ``rangen``), i.e. ``k - 1`` intervals of equal width.
   - ``(#0)``: no coarsening (exact matching on the value).
   - a method: ``sturges`` (the default for a variable given without cutpoints: ``autocuts``
     defaults to ``sturges`` in ``cem.ado``), ``scott`` or ``fd`` -- the number of cutpoints
     ``ceil(log2(n) + 1)`` (Sturges; n counts every row), ``ceil(range / (3.5 sd n^{-1/3}))``
     (Scott), ``ceil(range / (2 IQR n^{-1/3}))`` (Freedman-Diaconis), then as ``(#k)``.

   Stata's missing value is larger than every number, so a missing value gets the code of
   "above the last cutpoint" (it shares that bin with the largest values when user cutpoints end
   below the maximum), and under ``(#0)`` it is a value of its own. Rows with missing matching
   variables are therefore matched, not dropped, exactly as the Stata command does.
2. Strata: the distinct combinations of the coarsened codes.
3. A stratum is matched when it holds at least one treated and one control row.
4. Weights: treated rows of matched strata 1; control rows of a matched stratum s
   :math:`(m_C / m_T) (m_T^s / m_C^s)`, with :math:`m_T, m_C` the matched treated and control
   counts and :math:`m_T^s, m_C^s` those of stratum s; unmatched rows 0. The control weights sum
   to :math:`m_C`, so the weights sum to the number of matched rows.
5. Imbalance: the multivariate L1 (Iacus, King & Porro 2011) of the *uncoarsened* variables,
   each cut into Scott bins (``cem``'s default ``imbbreaks``) computed on the rows that enter,
   :math:`L_1 = \tfrac12 \sum_{cells} |f_T - f_C|` with (weighted) cell shares. "Before" uses every
   row with weight 1 (Stata's ``imb``), "after" the matched rows with the CEM weights.

The weights are used as ``[iweight=cem_weights]`` (the command's own help and paper): a
weighted likelihood whose information matrix is the weighted one (``foedus.models.probit(...,
weights=...)``). Stata's estimation commands exclude rows of weight 0, so a model fitted on CEM
weights uses the matched rows only.

Computation: every variable becomes dense codes (its distinct values or bins numbered in sorted
order), a row's cell is the mixed-radix number of its codes, and counts per cell are
``np.bincount`` on the renumbered cells -- no groupby. A study computes the same design on the
same rows for several models (bivariate and full), and the L1 "before" of one sample for every
coarsening: both are memoised on a SHA-256 digest of the columns read, so a repeat costs one
hash of the data.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._design import as_frame
from ._memo import Memo, digest

__all__ = ["cem", "CEMResult", "CEMWeights", "coarsen", "cutpoints_for", "l1_imbalance"]

METHODS = ("sturges", "scott", "fd")


def _finite(x: np.ndarray) -> np.ndarray:
    nan = np.isnan(x)
    return x[~nan] if nan.any() else x


def _number_of_cutpoints(x: np.ndarray, method: str) -> int:
    """Stata cem's automatic number of cutpoints (``sturges``, ``scott``, ``fd``)."""
    v = _finite(x)
    if method == "sturges":  # rows(x): every row, missing or not
        return int(np.ceil(np.log2(x.size) + 1))
    rng = float(v.max() - v.min()) if v.size else 0.0
    n = v.size
    if method == "scott":
        sd = float(np.std(v, ddof=1)) if n > 1 else 0.0
        h = 3.5 * sd * n ** (-1 / 3)
        return int(np.ceil(rng / h)) if h > 0 else 1
    if method == "fd":
        q = np.quantile(v, [0.25, 0.75]) if n else np.zeros(2)
        h = float(q[1] - q[0])
        if h == 0 and n:
            h = float(np.median(np.abs(v - np.median(v))))
        return int(np.ceil(rng / (2 * h * n ** (-1 / 3)))) if h > 0 else 1
    raise ValueError(f"unknown binning method {method!r}; choose one of {METHODS}, an int "
                     "(number of equally spaced cutpoints), 0 (exact) or a list of cutpoints")


def cutpoints_for(x, spec) -> np.ndarray | None:
    """The cutpoints Stata cem uses for one variable (None: no coarsening, exact matching).

    ``spec``: a method name (``"sturges"``, ``"scott"``, ``"fd"``), an int ``k`` (Stata ``#k``:
    ``k`` equally spaced cutpoints from min to max; 0 = exact) or a sequence of cutpoints.
    """
    x = np.asarray(x, dtype=np.float64)
    if isinstance(spec, str):
        spec = _number_of_cutpoints(x, spec)
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        if spec == 0:
            return None
        if spec < 0:
            raise ValueError(f"number of cutpoints must be >= 0, got {spec}")
        v = _finite(x)
        if v.size == 0:
            raise ValueError("cannot place cutpoints: the variable has no non-missing value")
        return np.linspace(v.min(), v.max(), int(spec))
    cuts = np.asarray(spec, dtype=np.float64).ravel()
    if cuts.size == 0 or np.isnan(cuts).any():
        raise ValueError(f"cutpoints must be a non-empty list of numbers, got {spec!r}")
    if cuts.size == 1:  # cem-mata makeCuts: a single cutpoint means (min(x), c)
        cuts = np.array([np.nanmin(x), cuts[0]])
    return cuts


def _bin_codes(x: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """:func:`coarsen`'s codes as int64 (cuts not None)."""
    code = np.searchsorted(np.sort(cuts[1:]), x, side="left")
    code += x >= cuts[0]
    code[np.isnan(x)] = cuts.size  # Stata's missing is larger than any number
    return code


def coarsen(x, cuts: np.ndarray | None) -> np.ndarray:
    """Stata cem's ``cut``: code = [x >= c_1] + sum_{j>=2} [x > c_j]; missing -> len(cuts).

    With ``cuts=None`` the values themselves are returned (exact matching; NaN stays NaN).
    """
    x = np.asarray(x, dtype=np.float64)
    if cuts is None:
        return x
    return _bin_codes(x, cuts).astype(np.float64)


def _distinct(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct values of ``c`` (NaNs as one value, last) and each element's index
    into them (``np.unique(c, return_inverse=True)``).

    Small non-negative integers (bin codes, 0/1 variables, counts of years) take one
    ``np.bincount`` of the values present instead of a sort.
    """
    if c.size == 0:
        return c[:0], np.zeros(0, dtype=np.int64)
    ints, nan = None, None
    if c.dtype.kind in "iu":
        if c.min() >= 0 and c.max() <= 4 * c.size + 1024:
            ints = c.astype(np.int64, copy=False)
    else:
        nan = np.isnan(c)
        v = np.where(nan, 0.0, c) if nan.any() else c
        top = v.max()
        if v.min() >= 0 and top <= 4 * c.size + 1024 and np.array_equal(v, np.floor(v)):
            ints = v.astype(np.int64)
            if v is not c:
                ints[nan] = int(top) + 1  # one value of its own, after every number
            else:
                nan = None
    if ints is None:
        u, inverse = np.unique(c, return_inverse=True)  # NaNs collapse into one, sorted last
        return u, inverse.reshape(-1).astype(np.int64, copy=False)
    present = np.bincount(ints) > 0
    u = np.flatnonzero(present).astype(c.dtype)
    if nan is not None:
        u[-1] = np.nan
    return u, (np.cumsum(present) - 1)[ints]


def _dense(c: np.ndarray) -> tuple[np.ndarray, int]:
    """Codes 0..k-1 numbering the distinct values of ``c`` in sorted order (NaN last), and k."""
    u, inverse = _distinct(c)
    return inverse, int(u.size)


def _cells(columns: list[np.ndarray]) -> np.ndarray:
    """One integer per distinct combination of the columns (NaN a value), numbered in sorted
    (lexicographic) order, as a sorted ``groupby(...).ngroup()`` numbers them."""
    code, span = np.zeros(len(columns[0]) if columns else 0, dtype=np.int64), 1
    for c in columns:
        d, k = _dense(c)
        if span * k > 2**62:  # renumber the combinations so far before the radix overflows
            code, span = _dense(code)
        code = code * k + d
        span *= k
    return _dense(code)[0]


_DISTINCT = Memo(16)  # column digest -> (sorted distinct values, read-only inverse)
_L1_BEFORE = Memo(16)  # (data digest, breaks) -> L1 of every row with weight 1
_RESULTS = Memo(2)  # (data digest, design) -> CEMResult (read-only arrays)


@dataclass(frozen=True)
class _Column:
    """A variable, its sorted distinct values ``u`` (NaN last) and each row's index into them:
    a coarsening then bins the distinct values only (``_bin_codes(u, cuts)[inverse]``), and
    the inverse is the variable's dense code for exact matching."""

    x: np.ndarray
    u: np.ndarray
    inverse: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, key: bytes | None = None) -> _Column:
        """The column of ``x``; with ``key`` (its digest) the distinct values are memoised."""
        def distinct():
            u, inverse = _distinct(x)
            inverse = inverse.astype(np.int32 if u.size < 2**31 else np.int64)
            u.flags.writeable = inverse.flags.writeable = False
            return u, inverse
        return cls(x, *(distinct() if key is None else _DISTINCT.get_or(key, distinct)))

    def codes(self, cuts: np.ndarray | None, rows: np.ndarray | None = None) -> np.ndarray:
        """:func:`coarsen`'s codes as integers, or the dense value code (``cuts`` None), of
        every row or of ``rows`` (a mask)."""
        inverse = self.inverse if rows is None else self.inverse[rows]
        return inverse if cuts is None else _bin_codes(self.u, cuts)[inverse]


def _l1(columns: list[_Column], treated: np.ndarray, weights: np.ndarray | None,
        breaks) -> float:
    """:func:`l1_imbalance` on columns (``weights`` None: every row, weight 1)."""
    keep = None if weights is None else weights > 0
    wk, t = (np.ones(treated.size), treated) if keep is None else (weights[keep], treated[keep])
    # bins computed on the rows that enter
    cell = _cells([c.codes(cutpoints_for(c.x if keep is None else c.x[keep], breaks), keep)
                   for c in columns])
    nt, nc = wk[t].sum(), wk[~t].sum()
    if nt == 0 or nc == 0:
        return float("nan")
    ft = np.bincount(cell[t], weights=wk[t], minlength=cell.max() + 1) / nt
    fc = np.bincount(cell[~t], weights=wk[~t], minlength=cell.max() + 1) / nc
    return float(np.abs(ft - fc).sum() / 2)


def l1_imbalance(data: pd.DataFrame, treated: np.ndarray, weights=None, breaks="scott") -> float:
    """Multivariate L1 imbalance of the columns of ``data`` (Stata cem's ``L1meas``).

    Rows with positive weight enter; each column is cut into ``breaks`` bins computed on them.
    """
    treated = np.asarray(treated, dtype=bool)
    w = np.ones(len(data)) if weights is None else np.asarray(weights, dtype=np.float64)
    return _l1([_Column.of(data[c].to_numpy(np.float64)) for c in data.columns], treated, w, breaks)


@dataclass(frozen=True)
class CEMResult:
    """The output of :func:`cem` (Stata's ``cem_strata``, ``cem_matched``, ``cem_weights``).

    Attributes
    ----------
    strata : ndarray of int
        Stratum of each row (0-based, numbered in sorted order of the coarsened values).
    matched : ndarray of bool
    weights : ndarray of float
    cutpoints : dict
        Variable -> the cutpoints used (None: exact).
    counts : DataFrame
        Rows All / Matched / Unmatched, columns 0 (control) and 1 (treated): Stata's ``r(cem_sum)``.
    n_strata, n_matched_strata : int
    L1_before, L1_after : float
        Multivariate L1 imbalance before (all rows, weight 1) and after matching.
    """

    strata: np.ndarray
    matched: np.ndarray
    weights: np.ndarray
    cutpoints: dict
    counts: pd.DataFrame
    n_strata: int
    n_matched_strata: int
    L1_before: float
    L1_after: float

    def summary(self) -> str:
        c = self.counts
        return (f"CEM: {self.n_strata} strata, {self.n_matched_strata} matched; matched "
                f"{int(c.loc['Matched', 1])} of {int(c.loc['All', 1])} treated and "
                f"{int(c.loc['Matched', 0])} of {int(c.loc['All', 0])} control rows; "
                f"L1 {self.L1_before:.3f} before, {self.L1_after:.3f} after")


def _variable_specs(variables, exact, autocuts) -> dict:
    specs: dict = {}
    if isinstance(variables, Mapping):
        items = list(variables.items())
    else:
        items = [(v, None) for v in (variables or ())]
    for name, spec in items:
        specs[name] = autocuts if spec is None else spec
    for name in exact:
        specs[name] = 0
    if not specs:
        raise ValueError("cem needs at least one matching variable")
    return specs


def cem(data, treatment: str, variables=None, *, exact=(), autocuts="sturges",
        imbalance_breaks="scott") -> CEMResult:
    """Coarsened exact matching weights (Stata ``cem``; see the module notes for every rule).

    Parameters
    ----------
    data : DataFrame or Panel
    treatment : str
        0/1 column (no missing values).
    variables : mapping or sequence of str
        ``{"ln_distance": [4, 6, 8], "capprop": 20, "peaceyrs": None}``: per variable a list of
        cutpoints, an int (Stata ``#k``: k equally spaced cutpoints; 0 = exact), a method name,
        or None (``autocuts``). A sequence of names uses ``autocuts`` for each.
    exact : sequence of str
        Variables matched exactly (Stata ``(#0)``).
    autocuts : {"sturges", "scott", "fd"}
        Method for variables without cutpoints (``cem.ado``'s default: ``sturges``).
    imbalance_breaks : str
        Binning of the L1 imbalance measure (``cem``'s default ``imbbreaks``: ``scott``).

    Returns
    -------
    CEMResult

    Examples
    --------
    >>> res = cem(frame, "ptargdef", {"ln_distance": [4, 6, 8]}, exact=["jdem"])  # doctest: +SKIP
    >>> probit("dispute ~ ptargdef", frame, weights=res.weights)  # doctest: +SKIP
    """
    frame = as_frame(data)
    specs = _variable_specs(variables, exact, autocuts)
    missing = [c for c in [treatment, *specs] if c not in frame.columns]
    if missing:
        raise KeyError(f"cem: column(s) {missing} not in the data")
    t = frame[treatment].to_numpy(np.float64, na_value=np.nan)
    bad = ~((t == 0) | (t == 1))
    if bad.any():
        raise ValueError(f"cem: treatment {treatment!r} must be 0/1 without missing values; "
                         f"{int(bad.sum())} rows are not (first at row {int(np.flatnonzero(bad)[0])})")
    treated = t == 1
    raw = [frame[name].to_numpy(np.float64, na_value=np.nan) for name in specs]
    column_keys = [digest(x) for x in raw]
    raw = [_Column.of(x, k) for x, k in zip(raw, column_keys)]
    data_key = (digest(treated), *column_keys)
    design = (tuple((name, _hashable(spec)) for name, spec in specs.items()), imbalance_breaks)
    return _RESULTS.get_or((data_key, design), lambda: _match(
        specs, raw, treated, imbalance_breaks,
        lambda: _L1_BEFORE.get_or((data_key, _hashable(imbalance_breaks)),
                                  lambda: _l1(raw, treated, None, imbalance_breaks))))


def _hashable(spec):
    """A coarsening spec as a memo key (cutpoint lists as tuples of floats)."""
    if spec is None or isinstance(spec, (str, int, np.integer)):
        return spec
    return tuple(float(v) for v in np.asarray(spec, dtype=np.float64).ravel())


def _match(specs: dict, raw: list[_Column], treated: np.ndarray, imbalance_breaks,
           l1_before) -> CEMResult:
    """:func:`cem` on the arrays of its variables; ``l1_before()`` gives the L1 before."""
    cutpoints, coarse = {}, []
    for name, column in zip(specs, raw):
        cuts = cutpoints[name] = cutpoints_for(column.x, specs[name])
        coarse.append(column.codes(cuts))
    strata = _cells(coarse)
    G = int(strata.max()) + 1 if strata.size else 0
    n_t = np.bincount(strata[treated], minlength=G)
    n_c = np.bincount(strata[~treated], minlength=G)
    matched_stratum = (n_t > 0) & (n_c > 0)
    matched = matched_stratum[strata]
    m_t, m_c = int(n_t[matched_stratum].sum()), int(n_c[matched_stratum].sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        control_w = np.where(matched_stratum, (m_c / max(m_t, 1)) * n_t / np.maximum(n_c, 1), 0.0)
    weights = np.where(matched, np.where(treated, 1.0, control_w[strata]), 0.0)
    counts = pd.DataFrame(
        {0: [int(n_c.sum()), m_c, int(n_c.sum()) - m_c], 1: [int(n_t.sum()), m_t, int(n_t.sum()) - m_t]},
        index=["All", "Matched", "Unmatched"])
    for a in (strata, matched, weights):
        a.flags.writeable = False  # memoised: shared by every caller of the same design
    return CEMResult(
        strata=strata, matched=matched, weights=weights, cutpoints=cutpoints, counts=counts,
        n_strata=G, n_matched_strata=int(matched_stratum.sum()),
        L1_before=l1_before(),
        L1_after=_l1(raw, treated, weights, imbalance_breaks) if m_t else float("nan"),
    )


@dataclass(frozen=True)
class CEMWeights:
    """A CEM design to compute on a model's estimation rows (a study's ``Model.derive`` entry).

    Calling it on a frame returns the CEM weights as a float array, with NaN for the unmatched
    rows: the runner removes them (and counts them) with listwise deletion, as Stata's
    estimation commands exclude rows of weight 0.

    Attributes
    ----------
    treatment : str
    variables : tuple of (name, spec)
        As :func:`cem`'s ``variables`` (spec None: ``autocuts``).
    exact : tuple of str
    autocuts : str
    label : str
        How the design is named in table notes.
    """

    treatment: str
    variables: tuple = ()
    exact: tuple = ()
    autocuts: str = "sturges"
    label: str = ""

    @property
    def columns(self) -> list[str]:
        """Columns the design reads."""
        return [self.treatment, *(v for v, _ in self.variables), *self.exact]

    def fit(self, frame) -> CEMResult:
        spec = {v: (list(s) if isinstance(s, tuple) else s) for v, s in self.variables}
        return cem(frame, self.treatment, spec, exact=self.exact, autocuts=self.autocuts)

    def __call__(self, frame) -> tuple[np.ndarray, str]:
        """(weights with NaN for unmatched rows, a one-line note for the table)."""
        res = self.fit(frame)
        w = np.where(res.matched, res.weights, np.nan)
        return w, f"{self.label or 'CEM'}: {res.summary()}"
