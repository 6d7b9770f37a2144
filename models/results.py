"""Results objects with the statsmodels results surface.

``params``, ``bse``, ``tvalues``, ``pvalues``, ``conf_int()``, ``cov_params()``, ``summary()``,
``nobs``, ``llf`` and ``model.endog_names`` / ``model.exog_names`` are what statsmodels' table
tools (``summary_col``, ``summary_params``) read, so those tools work on these objects.

The class tree (inference arithmetic in :mod:`foedus.models.inference`):

* :class:`~foedus.models.inference.InferenceResults` -- params + one covariance + ``use_t`` /
  ``df_resid`` -> ``bse``, ``pvalues``, ``conf_int``, ``wald_test``, ``t_test``;
* :class:`ScoreResults` -- adds the bread and the per-observation scores: the covariance is
  chosen by name (:mod:`foedus.models.covariance`), computed once with its notes, and
  :meth:`ScoreResults.with_cov` returns a sibling under another covariance without refitting.
  Subclasses: ``OLSResults``, ``SurvivalResults``, ``HeckProbitResults``,
  ``FixedEffectsResults`` (``LPMResults``, ``ConditionalLogitResults``);
* :class:`BinaryResults` -- binary responses by a link (logit, probit, and on top
  ``RelogitResults``, ``FirthResults``): events, predictions, marginal effects, first
  differences.

Results are immutable: derived quantities are cached properties without side effects.
"""
from __future__ import annotations

import copy
from functools import cached_property

import numpy as np
import pandas as pd

from foedus.threads import blas_policy
from .covariance import COV_TYPES, check_cov_type, get_covariance_estimator
from .inference import InferenceResults

__all__ = ["ScoreResults", "BinaryResults", "ModelInfo"]


class ModelInfo:
    """The minimal ``model`` attribute statsmodels' table tools look for."""

    def __init__(self, name, endog_name, exog_names, design, family=None):
        self.name = name
        self.endog_names = endog_name
        self.exog_names = list(exog_names)
        self.design = design
        self.family = family

    def __repr__(self):
        return f"<{self.name} model: {self.endog_names} ~ {' + '.join(self.exog_names)}>"


class ScoreResults(InferenceResults):
    """Results of a model fitted by maximising a criterion whose per-observation scores are
    known: any covariance of the registry, by name, from the bread and the scores.

    Parameters
    ----------
    model : ModelInfo
    params : ndarray (k,)
    bread : ndarray (k, k)
        Inverse information at the estimate (the classical covariance before any scaling).
    llf : float
        Log-likelihood (penalised, for Firth; NaN where there is none).
    cov_type : str
        Name in :data:`foedus.models.covariance.COVARIANCE_ESTIMATORS` (among
        :attr:`cov_types`).
    cov_kwds : dict, optional
        Options of the covariance estimator.
    scores : ndarray (n, k), optional
        The matrix the covariance estimators read as ``X`` (default: the design's ``X``); with
        ``score_factor`` r, observation i's score is ``r_i * scores[i]``. Models whose scores
        are not r_i x_i pass the score matrix itself and no factor.
    score_factor : ndarray (n,), optional
        r_i (default ones).
    cov_scale : float
        Factor applied to the covariance (the King-Zeng (n/(n+k))^2 for relogit).
    llnull : float, optional
    info : dict, optional
        Extra lines for the summary (method, corrections applied, ...).
    converged : bool
    iterations : int, optional
    fit_notes : sequence of str
        Notes of the fit shown before the covariance's (e.g. a boundary estimate).
    df_resid : float, optional
        Residual degrees of freedom (default n - k).
    """

    #: Covariance types the scores support (every name of the registry by default).
    cov_types: tuple = COV_TYPES
    #: Events to count: None for a continuous response (subclasses with events override).
    n_events = None

    def __init__(self, model, params, bread, llf, cov_type="classical", cov_kwds=None, *,
                 scores=None, score_factor=None, cov_scale=1.0, llnull=None, info=None,
                 converged=True, iterations=None, fit_notes=(), df_resid=None):
        self.model = model
        self._params = np.asarray(params, dtype=np.float64)
        self._bread = bread
        self._scores = scores
        self._score_factor = score_factor
        self.llf = float(llf) if llf is not None else np.nan
        self._llnull = llnull
        self.cov_scale = float(cov_scale)
        self.info = dict(info or {})
        self.converged = bool(converged)
        self.iterations = iterations
        self.fit_notes = tuple(fit_notes)
        self._df_resid = df_resid
        self._at_estimate = {}  # computed once per fit, shared by the copies with_cov makes
        self._set_covariance(cov_type, dict(cov_kwds or {}))

    # -- the covariance, once per object
    def _score_matrix(self) -> np.ndarray:
        return self.model.design.X if self._scores is None else self._scores

    def _score_frame(self):
        return self.model.design.frame

    def _scores_at_estimate(self) -> np.ndarray:
        """:meth:`_score_matrix`, computed once per fit whatever the number of covariances."""
        if "scores" not in self._at_estimate:
            self._at_estimate["scores"] = self._score_matrix()
        return self._at_estimate["scores"]

    def _cov_kwds(self, cov_type: str, kwds: dict) -> dict:
        """The estimator's options for ``cov_type`` (subclasses add defaults)."""
        return kwds

    def _set_covariance(self, cov_type, kwds):
        check_cov_type(cov_type, self.cov_types, self.model.name)
        self.cov_type = cov_type
        self.cov_kwds = self._cov_kwds(cov_type, dict(kwds))  # the options in effect
        if cov_type in ("classical", "nonrobust"):
            # the inverse information reads no score: a zero-copy stand-in of the right shape
            X = np.broadcast_to(0.0, (self.nobs, len(self._params)))
            r, frame = None, None
        else:
            X, r, frame = self._scores_at_estimate(), self._score_factor, self._score_frame()
        if r is None:
            r = np.broadcast_to(1.0, (X.shape[0],))
        est = get_covariance_estimator(cov_type)(self._bread, X, r, frame, **self.cov_kwds)
        self._cov = est.cov * self.cov_scale
        self.cov_label = est.label
        self._cov_notes = self.fit_notes + tuple(est.notes)

    @property
    def cov_notes(self) -> list:
        """The fit's notes, then the covariance estimator's (clusters, factors, clipping)."""
        return list(self._cov_notes)

    @blas_policy
    def with_cov(self, cov_type, **cov_kwds):
        """Same estimates with another covariance (no refit): a new results object."""
        new = copy.copy(self)
        cached = {name for cls in type(self).__mro__ for name, value in vars(cls).items()
                  if isinstance(value, cached_property)}
        for name in cached:  # every cached quantity may depend on the covariance
            new.__dict__.pop(name, None)
        new._set_covariance(cov_type, cov_kwds)
        return new

    # -- sizes and fit statistics
    @property
    def nobs(self) -> int:
        return self.model.design.nobs

    @property
    def k_params(self) -> int:
        return self._params.size

    @property
    def df_model(self) -> int:
        const = self.model.design.has_constant()
        return self.model.design.k - (1 if const is not None else 0)

    @property
    def df_resid(self):
        return self.nobs - self.k_params if self._df_resid is None else self._df_resid

    @property
    def llnull(self) -> float:
        return float(self._llnull) if self._llnull is not None else np.nan

    @property
    def aic(self) -> float:
        return -2.0 * self.llf + 2.0 * self.k_params

    @property
    def bic(self) -> float:
        return -2.0 * self.llf + np.log(self.nobs) * self.k_params

    def _exog(self, exog) -> np.ndarray:
        """The design rows of ``exog``: the sample's (None), a design matrix or frame with the
        design's columns, or new rows of a formula model's data (built from its formula)."""
        design = self.model.design
        if exog is None:
            return design.X
        if isinstance(exog, pd.DataFrame) and design.formula is not None \
                and not set(self.names) <= set(exog.columns):
            return design.exog_for(exog)
        return _as_exog(exog, self.names)

    def _summary_top(self) -> dict:
        top = {
            "Model:": self.model.name,
            "Dependent variable:": self.model.endog_names,
            "No. observations:": f"{self.nobs:,}",
            **({"Events (y = 1):": f"{self.n_events:,}"} if self.n_events is not None else {}),
            "Log-likelihood:": f"{self.llf:.4f}",
            "Covariance:": self.cov_label,
            "Converged:": str(self.converged),
        }
        if self.iterations is not None:
            top["Iterations:"] = str(self.iterations)
        if self.model.design.n_dropped:
            top["Rows dropped (missing):"] = f"{self.model.design.n_dropped:,}"
        for key, value in self.info.items():
            top[f"{key}:"] = str(value)
        return top

    def summary(self, alpha: float = 0.05):
        """A statsmodels ``summary2.Summary`` (``print`` it, or ``.as_latex()``)."""
        from statsmodels.iolib.summary2 import Summary

        smry = Summary()
        smry.add_dict(self._summary_top(), ncols=2)
        table = self.params_table(alpha)
        # four significant digits, never scientific: a peace-years cube is not "-0.0000 (0.0000)"
        pcol = table.columns[3]
        shown = table.map(significant)
        shown[pcol] = [("<0.0001" if p < 1e-4 else f"{p:.4f}") if np.isfinite(p) else str(p)
                       for p in table[pcol]]
        smry.add_df(shown)
        for note in self.cov_notes:
            smry.add_text(f"Covariance: {note}")
        smry.add_title(f"{self.model.name} results")
        return smry

    # -- marginal effects: defined for binary models (by their link), a TypeError otherwise
    def margeff(self, variables=None, alpha: float = 0.05, at="overall") -> pd.DataFrame:
        """Marginal effects on Pr(y = 1) of a binary model (TypeError for other models) with
        delta-method standard errors under this result's covariance
        (:func:`foedus.models.margins.marginal_effects`): discrete changes for 0/1
        regressors, derivatives otherwise; averaged over the sample (``at="overall"``, the
        default), at the sample means (``"mean"``), or over the sample with some regressors
        set to values (``at={"contig": 1}``)."""
        from .margins import marginal_effects

        return marginal_effects(self, variables, alpha, at)

    def first_difference(self, variable, from_, to, at="overall", alpha: float = 0.05):
        """Pr(y = 1 | ``variable`` = ``to``) - Pr(y = 1 | ``variable`` = ``from_``), averaged
        over the sample (or ``at="mean"``, or a dict of values), with its delta-method
        standard error under this result's covariance
        (:func:`foedus.models.margins.first_difference`)."""
        from .margins import first_difference

        return first_difference(self, variable, from_, to, at, alpha)

    def __repr__(self):
        return f"<{type(self).__name__}: {self.model!r}, cov_type={self.cov_type!r}>"


class BinaryResults(ScoreResults):
    """Results of a binary-response model (logit, probit, rare-events logit, Firth).

    Parameters
    ----------
    model : ModelInfo
        With the link ``family``.
    params, bread, llf, cov_type, cov_kwds
        As :class:`ScoreResults`.
    score_factor : ndarray (n,)
        r_i such that observation i's score is r_i x_i (used by robust covariances).
    cov_scale, llnull, info, converged, iterations
        As :class:`ScoreResults`.
    """

    def __init__(self, model, params, bread, score_factor, llf, cov_type="classical",
                 cov_kwds=None, *, cov_scale=1.0, llnull=None, info=None, converged=True,
                 iterations=None):
        super().__init__(model, params, bread, llf, cov_type, cov_kwds,
                         score_factor=score_factor, cov_scale=cov_scale, llnull=llnull,
                         info=info, converged=converged, iterations=iterations)

    @property
    def n_events(self) -> int:
        """Observations with y = 1 in the estimation sample."""
        return int(np.count_nonzero(self.model.design.y == 1))

    @property
    def prsquared(self) -> float:
        """McFadden's pseudo R-squared."""
        return 1.0 - self.llf / self.llnull

    @cached_property
    def fittedvalues(self) -> pd.Series:
        """Linear predictor X b (as statsmodels' discrete results)."""
        return pd.Series(self.model.design.X @ self._params, name="fittedvalues")

    def predict(self, exog=None, linear: bool = False) -> np.ndarray:
        """Predicted probabilities (or the linear index) for ``exog`` (default: the sample).

        ``exog`` is a design matrix (or a frame with the design's columns), or, for a model
        fitted with a formula, any frame of new rows: its design is built from the formula as the
        fit's was (constant included); rows with a missing value predict NaN.
        """
        X = self._exog(exog)
        eta = X @ self._params
        return eta if linear else self.model.family.mean(eta)



def significant(value: float, digits: int = 4) -> str:
    """``value`` with ``digits`` significant digits in positional notation (tables, summaries)."""
    if not np.isfinite(value):
        return str(value)
    return np.format_float_positional(value, precision=digits, unique=False, fractional=False,
                                      trim="-")


def _as_exog(exog, names) -> np.ndarray:
    if isinstance(exog, pd.DataFrame):
        missing = [c for c in names if c not in exog.columns]
        if missing:
            raise KeyError(f"exog lacks columns {missing}")
        return exog[names].to_numpy(dtype=np.float64)
    if isinstance(exog, pd.Series):
        return exog[names].to_numpy(dtype=np.float64)[None, :]
    X = np.asarray(exog, dtype=np.float64)
    if X.ndim == 1:
        X = X[None, :]
    if X.shape[1] != len(names):
        raise ValueError(f"exog has {X.shape[1]} columns, the model has {len(names)}")
    return X
