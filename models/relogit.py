r"""Rare-events logit (King & Zeng 2001).

King, G. and L. Zeng (2001). "Logistic Regression in Rare Events Data". *Political Analysis*
9(2): 137-163. The authors' software: Stata ``relogit`` (Tomz, King & Zeng) and R
``Zelig::relogit``.

Corrections implemented (paper's notation; :math:`\bar y` the sample event share,
:math:`\tau` the population event share, :math:`w_1 = \tau/\bar y`,
:math:`w_0 = (1-\tau)/(1-\bar y)`, :math:`w_i = w_1 y_i + w_0 (1 - y_i)`):

* prior correction (``correction="prior"``, with ``tau``): ordinary logit on the
  (case-control) sample, then :math:`\tilde\beta_0 = \hat\beta_0 -
  \ln[(\frac{1-\tau}{\tau})(\frac{\bar y}{1-\bar y})]`;
* weighting correction (``correction="weighting"``, with ``tau``): maximise
  :math:`\sum_i w_i \ln \pi_i^{y_i}(1-\pi_i)^{1-y_i}`; its classical standard errors are
  wrong (the weighted log-likelihood is not a likelihood), so the default covariance is the
  robust sandwich (Xie & Manski 1989, as the paper recommends);
* finite-sample bias correction (``bias_correct=True``):
  :math:`\mathrm{bias}(\hat\beta) = (X'WX)^{-1}X'W\xi`,
  :math:`\xi_i = 0.5\,Q_{ii}[(1+w_1)\hat\pi_i - w_1]`, :math:`Q = X(X'WX)^{-1}X'`,
  :math:`W = \mathrm{diag}\{\hat\pi_i(1-\hat\pi_i)w_i\}`, and
  :math:`\tilde\beta = \hat\beta - \mathrm{bias}(\hat\beta)`. Without weighting
  (no ``tau`` or prior correction) :math:`w_i = w_1 = 1` and
  :math:`\xi_i = 0.5\,Q_{ii}(2\hat\pi_i - 1)` (McCullagh & Nelder 1989): the prior-corrected
  slopes are those of an ordinary logit, so the ordinary-logit bias applies;
* corrected variance: :math:`V(\tilde\beta) = (n/(n+k))^2 V(\hat\beta)`, for whichever
  covariance estimator is chosen;
* approximate Bayesian probabilities:
  :math:`\Pr(y_0=1) \approx \tilde\pi_0 + C_0`,
  :math:`C_0 = (0.5 - \tilde\pi_0)\tilde\pi_0(1-\tilde\pi_0)\,x_0 V(\tilde\beta) x_0'`.

``zelig=True`` reproduces R ``Zelig::relogit`` (5.1.x) instead of the paper in two places:
with prior correction Zelig computes the bias term with the case-control weights
(:math:`W = \mathrm{diag}\{\hat\pi_i(1-\hat\pi_i)w_i\}` and :math:`w_1` in :math:`\xi`) although
the fit is unweighted; and it reports the covariance of the uncorrected logit at
:math:`\hat\beta` (no :math:`(n/(n+k))^2`). ``sandwich`` on a Zelig object likewise gives the
logit's robust covariance at :math:`\hat\beta`, which is what this mode returns for robust
and cluster types.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import linalg, special

from foedus.threads import blas_policy
from ._numerics import cholesky_inverse, hat_score, quad_form_diag, weighted_gram
from .binary import BinaryModel, null_loglike
from .covariance import check_cov_type
from .options import Correction, SeparationCheck, check_option
from .results import BinaryResults, _as_exog

__all__ = ["RareEventsLogit", "RelogitResults", "relogit", "SimulatedQuantity"]


class RelogitResults(BinaryResults):
    """Results of :class:`RareEventsLogit`: adds corrected predictions and simulations."""

    def predict(self, exog=None, linear: bool = False, bayes_correction: bool = True):
        r"""Predicted probabilities; by default King & Zeng's approximate Bayesian estimate.

        :math:`\tilde\pi_0 + (0.5 - \tilde\pi_0)\tilde\pi_0(1-\tilde\pi_0)x_0V(\tilde\beta)x_0'`
        (King & Zeng 2001, section 4.3). ``bayes_correction=False`` gives
        :math:`\tilde\pi_0 = 1/(1+e^{-x_0\tilde\beta})`.
        """
        X = self._exog(exog)
        eta = X @ self._params
        if linear:
            return eta
        p = special.expit(eta)
        if bayes_correction:
            p = p + (0.5 - p) * p * (1.0 - p) * quad_form_diag(X, self._cov)
        return p

    def _profile(self, values) -> np.ndarray:
        """Turn a profile (dict name -> value; others at their sample mean) into x rows."""
        X = self.model.design.X
        if isinstance(values, dict):
            unknown = set(values) - set(self.names)
            if unknown:
                raise KeyError(f"unknown regressors {sorted(unknown)}; the model has {self.names}")
            row = X.mean(axis=0)
            for j, name in enumerate(self.names):
                if name in values:
                    row[j] = values[name]
            return row[None, :]
        return _as_exog(values, self.names)

    def _simulate(self, n_sims, seed):
        rng = np.random.default_rng(seed)
        vals, vecs = np.linalg.eigh(self._cov)
        root = vecs * np.sqrt(np.clip(vals, 0.0, None))
        return self._params + rng.standard_normal((n_sims, len(self._params))) @ root.T

    def _quantity(self, x1, x0, kind, n_sims, seed, alpha):
        X1, X0 = self._profile(x1), self._profile(x0)
        if X0.shape[0] == 1 and X1.shape[0] > 1:
            X0 = np.repeat(X0, X1.shape[0], axis=0)
        if X1.shape != X0.shape:
            raise ValueError("x1 and x0 must describe the same number of scenarios")
        draws = self._simulate(n_sims, seed)
        p1 = special.expit(X1 @ draws.T)  # scenarios x sims
        p0 = special.expit(X0 @ draws.T)
        sims = p1 / p0 if kind == "relative_risk" else p1 - p0
        pp1 = self.predict(X1, bayes_correction=True)
        pp0 = self.predict(X0, bayes_correction=True)
        plugin = pp1 / pp0 if kind == "relative_risk" else pp1 - pp0
        lo, hi = np.quantile(sims, [alpha / 2, 1 - alpha / 2], axis=1)
        frame = pd.DataFrame({"mean": sims.mean(axis=1), "median": np.median(sims, axis=1),
                              "lower": lo, "upper": hi, "plugin": plugin})
        return SimulatedQuantity(kind, frame, sims, n_sims, seed, alpha)

    def relative_risk(self, x1, x0, n_sims: int = 1000, seed=None, alpha: float = 0.05):
        """Relative risk Pr(y=1 | x1) / Pr(y=1 | x0) with a simulation interval.

        Coefficients are drawn from the estimated sampling distribution
        N(beta~, V(beta~)) (King, Tomz & Wittenberg 2000); ``seed`` makes the draws
        reproducible. ``x1``/``x0`` are dicts (regressor -> value, the others held at their
        sample means), or rows of the design matrix. The ``plugin`` column is the ratio of
        the approximate-Bayesian predicted probabilities.
        """
        return self._quantity(x1, x0, "relative_risk", n_sims, seed, alpha)

    def first_difference(self, x1, x0, to=None, at="overall", alpha: float = 0.05,
                         n_sims: int = 1000, seed=None):
        """First difference Pr(y=1 | x1) - Pr(y=1 | x0), in one of two forms.

        ``first_difference({"contig": 1}, {"contig": 0}, n_sims=..., seed=...)``: profiles
        (dicts or design rows) with a simulation interval, as :meth:`relative_risk`.
        ``first_difference("contig", 0, 1, at=...)``: a variable changed from ``x0`` to ``to``
        with its delta-method standard error, as every binary result
        (:meth:`foedus.models.results.BinaryResults.first_difference`).
        """
        if isinstance(x1, str):
            return super().first_difference(x1, x0, to, at, alpha)
        return self._quantity(x1, x0, "first_difference", n_sims, seed, alpha)


class SimulatedQuantity:
    """A simulated quantity of interest: ``summary`` (DataFrame) and the raw ``draws``."""

    def __init__(self, kind, summary, draws, n_sims, seed, alpha):
        self.kind = kind
        self.summary = summary
        self.draws = draws
        self.n_sims = n_sims
        self.seed = seed
        self.alpha = alpha

    def __repr__(self):
        return (f"{self.kind} ({self.n_sims} simulations, seed={self.seed}, "
                f"{100 * (1 - self.alpha):g}% interval)\n{self.summary.to_string()}")


class RareEventsLogit(BinaryModel):
    r"""Rare-events logit of King & Zeng (2001).

    Parameters
    ----------
    formula, data, endog, exog, check_separation
        As :class:`foedus.models.Logit`.
    tau : float, optional
        Population share of events (0 < tau < 1) when the sample was selected on the outcome
        (case-control). None: the sample is the population (no prior/weighting correction).
    correction : {"prior", "weighting"}
        How ``tau`` is used.
    bias_correct : bool
        Apply the finite-sample bias correction and the variance factor (n/(n+k))^2.
    zelig : bool
        Reproduce R ``Zelig::relogit`` instead of the paper (see the module notes).

    Notes
    -----
    See :mod:`foedus.models.relogit` for the formulas; King & Zeng (2001), sections 4.1-4.3.
    """

    display_name = "Rare-events logit"

    def __init__(self, formula=None, data=None, *, endog=None, exog=None, tau=None,
                 correction: Correction = "prior", bias_correct=True, zelig=False,
                 check_separation: SeparationCheck = "auto"):
        super().__init__(formula, data, endog=endog, exog=exog, check_separation=check_separation)
        if tau is not None and not 0.0 < float(tau) < 1.0:
            raise ValueError(f"tau must be strictly between 0 and 1, got {tau}")
        check_option("correction", correction, Correction)
        self.tau = None if tau is None else float(tau)
        self.correction = correction
        self.bias_correct = bool(bias_correct)
        self.zelig = bool(zelig)
        const = self.design.has_constant()
        if self.tau is not None and correction == "prior" and const is None:
            raise ValueError("prior correction adjusts the intercept: the model needs a constant")

    @blas_policy
    def fit(self, cov_type=None, cov_kwds=None, *, start=None, tol=1e-8,
            maxiter=100) -> RelogitResults:
        """Fit. ``cov_type`` defaults to "robust" with the weighting correction (paper mode),
        else "classical". Other options as :meth:`foedus.models.Logit.fit`."""
        d = self.design
        n, k = d.X.shape
        weighting = self.tau is not None and self.correction == "weighting"
        if cov_type is None:
            cov_type = "robust" if weighting and not self.zelig else "classical"
        check_cov_type(cov_type, RelogitResults.cov_types, "relogit", cov_kwds)
        ybar = float(d.y.mean())
        if self.tau is not None:
            w1 = self.tau / ybar
            w0 = (1.0 - self.tau) / (1.0 - ybar)
            wi = w1 * d.y + w0 * (1.0 - d.y)
        else:
            w1, wi = 1.0, None
        self._precheck()
        fit = self._newton(weights=wi if weighting else None, start=start, tol=tol,
                           maxiter=maxiter)
        params = fit.params.copy()
        pi = special.expit(fit.eta)
        info = {"Method": "rare-events logit (King & Zeng 2001)" + (" [Zelig mode]" if self.zelig
                                                                    else "")}
        if self.tau is not None:
            info["tau (population event share)"] = f"{self.tau:g}"
            info["Sample event share"] = f"{ybar:.6g}"
            info["Correction"] = self.correction
        if self.bias_correct:
            # Weights in the bias term: the fit's own weights (paper), or the case-control
            # weights whenever tau is given (Zelig, also with the unweighted prior correction).
            use_cc = weighting or (self.zelig and self.tau is not None)
            bw = wi if use_cc else np.ones(n)
            bw1 = w1 if use_cc else 1.0
            W = pi * (1.0 - pi) * bw
            gram = fit.information if (use_cc == weighting) else weighted_gram(d.X, W)
            L = linalg.cholesky(gram, lower=True)
            # h_i = W_i Q_ii, and X'W xi = X'(h * (1/2)[(1 + w1) pi - w1]) in the same pass
            _, rhs = hat_score(d.X, W, L, 0.5 * ((1.0 + bw1) * pi - bw1))
            bias = linalg.cho_solve((L, True), rhs)
            params = params - bias
            info["Bias correction"] = "yes"
        if self.tau is not None and not weighting:
            # the correction shifts the linear predictor; a constant column of value c (not 1)
            # carries it in its coefficient divided by c
            const = d.has_constant()
            params[const] -= np.log(((1.0 - self.tau) / self.tau) * (ybar / (1.0 - ybar))) / d.X[0, const]
        bread, _ = cholesky_inverse(fit.information)
        r = (d.y - pi) * (wi if weighting else 1.0)
        scale = (n / (n + k)) ** 2 if (self.bias_correct and not self.zelig) else 1.0
        if scale != 1.0:
            info["Variance factor"] = "(n/(n+k))^2"
        llnull = null_loglike(d.y, wi if weighting else None) if d.has_constant() is not None else None
        info["Log-likelihood at"] = "uncorrected MLE" + (" (weighted)" if weighting else "")
        return RelogitResults(self.info, params, bread, r, fit.llf, cov_type, cov_kwds,
                              cov_scale=scale, llnull=llnull, info=info,
                              converged=fit.converged, iterations=fit.iterations)


def relogit(formula=None, data=None, *, endog=None, exog=None, tau=None,
            correction: Correction = "prior",
            bias_correct=True, zelig=False, cov_type=None, cov_kwds=None,
            check_separation="auto", **fit_kwargs) -> RelogitResults:
    """Fit a rare-events logit. See :class:`RareEventsLogit`."""
    model = RareEventsLogit(formula, data, endog=endog, exog=exog, tau=tau,
                            correction=correction, bias_correct=bias_correct, zelig=zelig,
                            check_separation=check_separation)
    return model.fit(cov_type=cov_type, cov_kwds=cov_kwds, **fit_kwargs)

