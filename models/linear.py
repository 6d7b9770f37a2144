r"""Linear regression by (weighted) least squares, with the covariance registry.

:func:`ols` is Stata's ``regress`` and R's ``lm``: the survey experiments of the alliance
literature report differences in means and regression-adjusted treatment effects with
``, robust`` standard errors (HC1), with and without survey weights.
"""
from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from foedus.threads import blas_policy

from ._design import as_frame, build_design
from ._numerics import cholesky_inverse, weighted_gram
from .covariance import check_cov_type
from .results import ModelInfo, ScoreResults

__all__ = ["ols", "OLSResults"]


class OLSResults(ScoreResults):
    """Results of :func:`ols`: the inference surface of :class:`ScoreResults`, with t-based
    inference on ``df_resid`` degrees of freedom (as ``regress`` and ``lm``), ``resid``,
    ``rsquared``, ``scale`` (the residual variance) and ``n_events``.
    """

    use_t = True

    def __init__(self, model, params, bread, score_factor, llf, cov_type="classical", cov_kwds=None,
                 *, resid, weights, scale, **kwargs):
        self.resid = pd.Series(resid, name="resid")
        self.weights = weights
        self.scale = float(scale)
        super().__init__(model, params, bread, llf, cov_type, cov_kwds, score_factor=score_factor,
                         **kwargs)

    @cached_property
    def rsquared(self) -> float:
        """1 - SSR / SST (weighted; SST about the weighted mean when there is a constant)."""
        y = self.model.design.y
        w = np.ones_like(y) if self.weights is None else self.weights
        centre = np.dot(w, y) / w.sum() if self.model.design.has_constant() is not None else 0.0
        return 1.0 - float(np.dot(w, self.resid.to_numpy() ** 2)) / float(np.dot(w, (y - centre) ** 2))

    @property
    def n_events(self) -> int:
        """Observations with a non-zero response: the cases of a 0/1 (or 0/100) outcome."""
        return int(np.count_nonzero(self.model.design.y))

    def predict(self, exog=None, linear: bool = True) -> np.ndarray:
        """Fitted values X b for ``exog`` (default: the sample; new rows of a formula model's
        data are built from its formula)."""
        return self._exog(exog) @ self._params


def _weights(weights, frame: pd.DataFrame | None, design) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        if frame is None or weights not in frame.columns:
            raise KeyError(f"weights column {weights!r} is not in the data")
        w = frame[weights].to_numpy(dtype=np.float64, na_value=np.nan)
        label = f"weights column {weights!r}"
    else:
        w = np.asarray(weights, dtype=np.float64)
        label = "weights"
        n_rows = len(frame) if frame is not None else design.nobs + design.n_dropped
        if w.shape != (n_rows,):
            raise ValueError(f"{label} has shape {w.shape}; the data have {n_rows} rows")
    if design.kept is not None:
        w = w[design.kept]
    bad = ~(np.isfinite(w) & (w > 0))
    if bad.any():
        raise ValueError(f"{label}: {int(bad.sum())} rows of the estimation sample have a missing, zero "
                         f"or negative weight (first at row {int(np.flatnonzero(bad)[0])}); drop those "
                         "rows before fitting")
    return w


@blas_policy
def ols(formula=None, data=None, *, weights=None, endog=None, exog=None, cov_type="classical",
        cov_kwds=None) -> OLSResults:
    r"""Linear regression by ordinary or weighted least squares.

    Parameters
    ----------
    formula : str, optional
        ``"strike2 ~ ally + hawk"`` (formulaic syntax; an intercept is added).
    data : DataFrame or object with ``.frame``
        Rows of the sample; rows with missing values in the formula's variables are removed and
        reported (:class:`~foedus.models.MissingDataWarning`).
    weights : str or array-like, optional
        Column of ``data`` (or an array aligned with its rows) holding positive weights,
        e.g. survey weights. Missing or non-positive weights in the sample are an error.
    endog, exog : array-like, optional
        Array interface instead of a formula (no constant added).
    cov_type : str
        Covariance by name (:data:`foedus.models.COVARIANCE_ESTIMATORS`): ``"classical"``,
        ``"HC1"`` (Stata's ``, robust``), ``"HC0"``, ``"cluster"``, ``"twoway"``, ``"dyadic"``.
    cov_kwds : dict, optional
        Options of the covariance estimator.

    Returns
    -------
    OLSResults

    Notes
    -----
    :math:`\hat\beta = (X'WX)^{-1}X'Wy`, :math:`W = \mathrm{diag}(w_i)` (identity without
    weights), residuals :math:`e = y - X\hat\beta`, residual variance
    :math:`s^2 = \sum_i w_i e_i^2 / (n - k)`. In the registry's terms (bread = inverse
    information, scores :math:`u_i = r_i x_i`) the model is the normal linear model: bread
    :math:`s^2 (X'WX)^{-1}` (the classical covariance) and :math:`r_i = w_i e_i / s^2`, so that
    HC0 is :math:`(X'WX)^{-1}\left(\sum_i w_i^2 e_i^2 x_i x_i'\right)(X'WX)^{-1}` and HC1 is
    HC0 :math:`\times\, n/(n-k)`.

    Weights: with ``cov_type="HC1"`` this is Stata's ``regress y x [pweight=w]`` (which is
    always robust) and ``[aweight=w], robust``, and R's ``sandwich::vcovHC(lm(y ~ x,
    weights = w), type = "HC1")``; with ``"classical"`` it is ``[aweight=w]`` and R's
    ``vcov(lm(..., weights = w))``. Both covariances are unchanged when every weight is
    multiplied by the same constant. Clustered errors multiply by G/(G-1) only; Stata's
    ``regress, vce(cluster)`` also multiplies by (n-1)/(n-k).

    The log-likelihood is the normal one with weights as precision factors (R ``logLik.lm``,
    statsmodels ``WLS``): :math:`\tfrac12\left(\sum_i \ln w_i - n(\ln 2\pi + 1 - \ln n +
    \ln \sum_i w_i e_i^2)\right)`.
    """
    check_cov_type(cov_type, OLSResults.cov_types, "ols", cov_kwds)
    design = build_design(formula, data, endog, exog, binary=False)
    w = _weights(weights, as_frame(data), design)
    X, y, n, k = design.X, design.y, design.nobs, design.k
    if n <= k:
        raise ValueError(f"{n} observations for {k} coefficients: the model is not identified")
    ww = np.ones(n) if w is None else w
    try:
        inv, _ = cholesky_inverse(weighted_gram(X, ww))
    except np.linalg.LinAlgError:
        raise np.linalg.LinAlgError(
            f"X'WX is singular: the regressors {design.exog_names} are collinear in this sample") from None
    params = inv @ (X.T @ (ww * y))
    resid = y - X @ params
    ssr = float(np.dot(ww, resid**2))
    scale = ssr / (n - k)
    llf = 0.5 * (np.log(ww).sum() - n * (np.log(2 * np.pi) + 1 - np.log(n) + np.log(ssr)))
    name = "OLS" if w is None else "WLS"
    info = ModelInfo(name, design.endog_name, design.exog_names, design)
    extra = {"Method": "least squares" if w is None else f"weighted least squares ({weights if isinstance(weights, str) else 'array'})"}
    return OLSResults(info, params, inv * scale, ww * resid / scale, llf, cov_type, cov_kwds,
                      resid=resid, weights=w, scale=scale, info=extra)
