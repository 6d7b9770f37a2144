"""Results objects with the statsmodels results surface.

``params``, ``bse``, ``tvalues``, ``pvalues``, ``conf_int()``, ``cov_params()``, ``summary()``,
``nobs``, ``llf`` and ``model.endog_names`` / ``model.exog_names`` are what statsmodels' table
tools (``summary_col``, ``summary_params``) read, so those tools work on these objects.
Results are immutable: derived quantities are cached properties; another covariance is a new
results object (:meth:`BinaryResults.with_cov`), computed from the stored scores without
refitting.
"""
from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd
from scipy import stats

from foedus.threads import blas_policy
from .covariance import get_covariance_estimator, standard_errors

__all__ = ["BinaryResults", "ModelInfo"]


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


class BinaryResults:
    """Results of a binary-response model (logit, probit, rare-events logit, Firth).

    Parameters
    ----------
    model : ModelInfo
    params : ndarray (k,)
    bread : ndarray (k, k)
        Inverse information at the estimate (the classical covariance before any scaling).
    score_factor : ndarray (n,)
        r_i such that observation i's score is r_i x_i (used by robust covariances).
    llf : float
        Log-likelihood (penalised, for Firth) at ``params``.
    cov_type : str
        Name in :data:`foedus.models.covariance.COVARIANCE_ESTIMATORS`.
    cov_kwds : dict, optional
        Options of the covariance estimator.
    cov_scale : float
        Factor applied to the covariance (the King-Zeng (n/(n+k))^2 for relogit).
    info : dict, optional
        Extra lines for the summary (method, iterations, corrections applied, ...).
    """

    def __init__(self, model, params, bread, score_factor, llf, cov_type="classical",
                 cov_kwds=None, *, cov_scale=1.0, llnull=None, info=None, converged=True,
                 iterations=None):
        self.model = model
        self._params = np.asarray(params, dtype=np.float64)
        self._bread = bread
        self._score_factor = score_factor
        self.llf = float(llf)
        self._llnull = llnull
        self.cov_type = cov_type
        self.cov_kwds = dict(cov_kwds or {})
        self.cov_scale = float(cov_scale)
        self.info = dict(info or {})
        self.converged = converged
        self.iterations = iterations
        estimator = get_covariance_estimator(cov_type)(
            bread, model.design.X, score_factor, model.design.frame, **self.cov_kwds
        )
        self._cov = estimator.cov * self.cov_scale
        self.cov_label = estimator.label
        self.cov_notes = list(estimator.notes)
        self.use_t = False

    # -- construction of a sibling with another covariance
    def _init_kwargs(self):
        return dict(model=self.model, params=self._params, bread=self._bread,
                    score_factor=self._score_factor, llf=self.llf, cov_scale=self.cov_scale,
                    llnull=self._llnull, info=self.info, converged=self.converged,
                    iterations=self.iterations)

    @blas_policy
    def with_cov(self, cov_type, **cov_kwds):
        """Same estimates with another covariance (no refit)."""
        return type(self)(cov_type=cov_type, cov_kwds=cov_kwds, **self._init_kwargs())

    # -- the statsmodels surface
    @property
    def names(self):
        return self.model.exog_names

    @cached_property
    def params(self) -> pd.Series:
        return pd.Series(self._params, index=self.names, name="params")

    def cov_params(self) -> pd.DataFrame:
        return pd.DataFrame(self._cov, index=self.names, columns=self.names)

    @cached_property
    def bse(self) -> pd.Series:
        return pd.Series(standard_errors(self._cov, self.names), index=self.names, name="bse")

    @cached_property
    def tvalues(self) -> pd.Series:
        return pd.Series(self._params / self.bse.to_numpy(), index=self.names, name="tvalues")

    @cached_property
    def pvalues(self) -> pd.Series:
        return pd.Series(2 * stats.norm.sf(np.abs(self.tvalues.to_numpy())), index=self.names,
                         name="pvalues")

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald confidence intervals (columns 0 and 1, as statsmodels)."""
        q = stats.norm.ppf(1 - alpha / 2)
        se = self.bse.to_numpy()
        return pd.DataFrame({0: self._params - q * se, 1: self._params + q * se},
                            index=self.names)

    @property
    def nobs(self) -> int:
        return self.model.design.nobs

    @property
    def n_events(self) -> int:
        """Observations with y = 1 in the estimation sample."""
        return int(np.count_nonzero(self.model.design.y == 1))

    @property
    def df_model(self) -> int:
        const = self.model.design.has_constant()
        return self.model.design.k - (1 if const is not None else 0)

    @property
    def df_resid(self) -> int:
        return self.nobs - self.model.design.k

    @property
    def llnull(self) -> float:
        return float(self._llnull) if self._llnull is not None else np.nan

    @property
    def prsquared(self) -> float:
        """McFadden's pseudo R-squared."""
        return 1.0 - self.llf / self.llnull

    @property
    def aic(self) -> float:
        return -2.0 * self.llf + 2.0 * self.model.design.k

    @property
    def bic(self) -> float:
        return -2.0 * self.llf + np.log(self.nobs) * self.model.design.k

    @cached_property
    def fittedvalues(self) -> pd.Series:
        """Linear predictor X b (as statsmodels' discrete results)."""
        return pd.Series(self.model.design.X @ self._params, name="fittedvalues")

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

    def predict(self, exog=None, linear: bool = False) -> np.ndarray:
        """Predicted probabilities (or the linear index) for ``exog`` (default: the sample).

        ``exog`` is a design matrix (or a frame with the design's columns), or, for a model
        fitted with a formula, any frame of new rows: its design is built from the formula as the
        fit's was (constant included); rows with a missing value predict NaN.
        """
        X = self._exog(exog)
        eta = X @ self._params
        return eta if linear else self.model.family.mean(eta)

    def margeff(self, variables=None, alpha: float = 0.05) -> pd.DataFrame:
        """Average marginal effects on Pr(y = 1) with delta-method standard errors under this
        result's covariance (:func:`foedus.models.margins.average_marginal_effects`): discrete
        changes for 0/1 regressors, average derivatives otherwise."""
        from .margins import average_marginal_effects

        return average_marginal_effects(self, variables, alpha)

    def summary(self, alpha: float = 0.05):
        """A statsmodels ``summary2.Summary`` (``print`` it, or ``.as_latex()``)."""
        from statsmodels.iolib.summary2 import Summary

        smry = Summary()
        top = {
            "Model:": self.model.name,
            "Dependent variable:": self.model.endog_names,
            "No. observations:": f"{self.nobs:,}",
            **({"Events (y = 1):": f"{self.n_events:,}"} if getattr(self, "n_events", None) is not None
               else {}),
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
        smry.add_dict(top, ncols=2)
        ci = self.conf_int(alpha)
        stat = "t" if self.use_t else "z"  # subclasses with t-based inference set use_t
        table = pd.DataFrame({
            "Coef.": self.params, "Std.Err.": self.bse, stat: self.tvalues,
            f"P>|{stat}|": self.pvalues, f"[{alpha / 2:g}": ci[0], f"{1 - alpha / 2:g}]": ci[1],
        })
        # four significant digits, never scientific: a peace-years cube is not "-0.0000 (0.0000)"
        pcol = f"P>|{stat}|"
        shown = table.map(significant)
        shown[pcol] = [("<0.0001" if p < 1e-4 else f"{p:.4f}") if np.isfinite(p) else str(p)
                       for p in table[pcol]]
        smry.add_df(shown)
        for note in self.cov_notes:
            smry.add_text(f"Covariance: {note}")
        smry.add_title(f"{self.model.name} results")
        return smry

    def __repr__(self):
        return f"<{type(self).__name__}: {self.model!r}, cov_type={self.cov_type!r}>"


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
