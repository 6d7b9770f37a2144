"""Weibull regression (AFT as R's ``survreg``, or PH), with left truncation (see
:mod:`foedus.models.survival`)."""
from __future__ import annotations

import warnings

import numpy as np

from foedus.threads import blas_policy

from ._numerics import cholesky_inverse
from .binary import ConvergenceWarning
from .covariance import check_cov_type
from .options import Metric, check_option
from .results import ModelInfo
from ._survival import SurvivalResults, _check_event, _survival_design, aft_to_ph


class WeibullAFT:
    r"""Weibull regression in the accelerated-failure-time form of R's ``survreg``.

    Same arguments as :class:`CoxPH` (without ``ties``); an intercept is estimated.

    Notes
    -----
    :math:`\ln T = x\gamma + \sigma W`, :math:`W` standard minimum extreme value, so
    :math:`S(t \mid x) = \exp\{-(t e^{-x\gamma})^{1/\sigma}\}`. With
    :math:`z = (\ln t - x\gamma)/\sigma` a row with interval :math:`(a, b]` and event indicator
    :math:`\delta` contributes

    .. math:: \delta(z_b - \ln\sigma - \ln b) - e^{z_b} + e^{z_a}\,[a > 0]

    (the density of :math:`T`, as ``survreg``'s log-likelihood; the last term conditions on
    survival to the entry time, i.e. left truncation, which ``survreg`` itself does not
    support). Parameters: ``gamma`` (named as the covariates) and ``log(scale)`` =
    :math:`\ln\sigma`, exactly ``coef(survreg(..., dist = "weibull"))`` and
    ``log(fit$scale)``. The same model in proportional-hazards form,
    :math:`h(t\mid x) = p\lambda t^{p-1} e^{x\beta}`, has shape :math:`p = 1/\sigma` and
    :math:`\beta = -\gamma/\sigma` (:meth:`SurvivalResults.ph_params`); a hazard ratio
    above 1 is a *shorter* expected duration (negative :math:`\gamma`). ``fit(metric="ph")``
    reports the fit in that metric (so that a claim about hazards reads the same sign as in a
    Cox model).
    """

    display_name = "Weibull AFT"

    def __init__(self, formula, data, *, duration, entry=None, strata=None):
        if strata is not None:
            raise ValueError("strata are not supported by the Weibull model; add the column as a covariate")
        self.design, self.start, self.stop, _ = _survival_design(
            formula, data, duration, entry, None, intercept=True)
        self.duration, self.entry = duration, entry
        names = [*self.design.exog_names, "log(scale)"]
        self.info = ModelInfo(self.display_name, self.design.endog_name, names, self.design)
        self._log_b = np.log(self.stop)
        self._trunc = self.start > 0
        self._log_a = np.where(self._trunc, np.log(np.where(self._trunc, self.start, 1.0)), 0.0)

    @property
    def n_events(self) -> int:
        return int(self.design.y.sum())

    def _pieces(self, theta):
        X, d = self.design.X, self.design.y
        gamma, s = theta[:-1], theta[-1]
        sigma = np.exp(s)
        eta = X @ gamma
        z = (self._log_b - eta) / sigma
        za = np.where(self._trunc, (self._log_a - eta) / sigma, 0.0)
        ez = np.exp(z)
        eza = np.where(self._trunc, np.exp(za), 0.0)
        return X, d, sigma, z, za, ez, eza

    def loglike_obs(self, theta) -> np.ndarray:
        X, d, sigma, z, za, ez, eza = self._pieces(theta)
        return d * (z - np.log(sigma) - self._log_b) - ez + eza

    def scores(self, theta) -> np.ndarray:
        X, d, sigma, z, za, ez, eza = self._pieces(theta)
        g = (d - ez) + eza  # d ll / d z summed over both ends (za's derivative is e^za)
        dgamma = -X * (g / sigma)[:, None]
        ds = -d - (d - ez) * z - eza * za
        return np.column_stack([dgamma, ds])

    def information(self, theta) -> np.ndarray:
        X, d, sigma, z, za, ez, eza = self._pieces(theta)
        gp, gpp = d - ez, -ez  # g(z) = d z - e^z and its derivatives
        hp = hpp = eza         # h(za) = e^za
        w_gg = (gpp + hpp) / sigma**2
        H_gg = (X * w_gg[:, None]).T @ X
        w_gs = (gpp * z + gp + hpp * za + hp) / sigma
        H_gs = X.T @ w_gs
        H_ss = np.sum(gpp * z**2 + gp * z + hpp * za**2 + hp * za)
        k = X.shape[1]
        H = np.empty((k + 1, k + 1))
        H[:k, :k], H[:k, k], H[k, :k], H[k, k] = H_gg, H_gs, H_gs, H_ss
        return -(H + H.T) / 2.0

    @blas_policy
    def fit(self, cov_type="classical", cov_kwds=None, *, metric: Metric = "aft", tol=1e-12,
            maxiter=100) -> "SurvivalResults":
        """Maximum likelihood (Newton with step halving from least-squares starting values).

        ``metric="aft"``: parameters ``gamma`` and ``log(scale)`` (survreg). ``metric="ph"``:
        the same fit reported as proportional-hazards coefficients :math:`-\\gamma/\\sigma`
        (the covariates' log hazard ratios, and ``Intercept`` = log of the Weibull rate) and
        ``log(shape)`` = :math:`-\\ln\\sigma`; bread and scores are transformed with the
        Jacobian (:func:`aft_to_ph`), so every covariance is the delta-method one.
        """
        check_option("metric", metric, Metric)
        check_cov_type(cov_type, SurvivalResults.cov_types, "weibull", cov_kwds)
        if self.n_events == 0:
            raise ValueError("no events: the Weibull model is not estimable")
        X = self.design.X
        gamma0 = np.linalg.lstsq(X, self._log_b, rcond=None)[0]
        resid_sd = float(np.std(self._log_b - X @ gamma0)) or 1.0
        theta = np.append(gamma0, np.log(resid_sd))
        ll0 = self.loglike_obs(theta).sum()
        converged, it = False, 0
        for it in range(1, maxiter + 1):
            grad = self.scores(theta).sum(axis=0)
            info = self.information(theta)
            try:
                step = np.linalg.solve(info, grad)
                if grad @ step <= 0:  # not an ascent direction far from the optimum
                    raise np.linalg.LinAlgError
            except np.linalg.LinAlgError:
                step = grad / max(1.0, np.abs(grad).max())
            ll1 = self.loglike_obs(theta + step).sum()
            halvings = 0
            while not ll1 >= ll0 and halvings < 40:
                step /= 2.0
                ll1 = self.loglike_obs(theta + step).sum()
                halvings += 1
            theta, ll_prev, ll0 = theta + step, ll0, ll1
            if np.max(np.abs(step)) < tol * (1 + np.max(np.abs(theta))) or abs(ll0 - ll_prev) < tol * abs(ll0):
                converged = True
                break
        if not converged:
            warnings.warn(f"Weibull model did not converge in {maxiter} iterations", ConvergenceWarning,
                          stacklevel=3)
        bread, _ = cholesky_inverse(self.information(theta))
        scores = self.scores(theta)
        info = {"Method": "maximum likelihood (Weibull, survreg parameterisation)", "Events": self.n_events,
                "Time": f"({self.entry or 0}, {self.duration}]"}
        model = self.info
        if metric == "ph":
            theta, bread, scores = aft_to_ph(theta, bread, scores)
            model = ModelInfo("Weibull PH", self.design.endog_name,
                              [*self.design.exog_names, "log(shape)"], self.design)
            info["Method"] = "maximum likelihood (Weibull, proportional-hazards metric)"
        return SurvivalResults(model, theta, bread, scores, ll0, cov_type, cov_kwds, converged=converged,
                               iterations=it, n_events=self.n_events, metric=metric, info=info)



def weibull(formula, data, *, duration, event=None, entry=None, metric="aft", cov_type="classical",
            cov_kwds=None, **fit_kwargs) -> SurvivalResults:
    """Weibull regression: ``metric="aft"`` as R's ``survreg(dist = "weibull")``, ``"ph"`` as
    log hazard ratios (see :class:`WeibullAFT`)."""
    _check_event(formula, event)
    model = WeibullAFT(formula, data, duration=duration, entry=entry)
    return model.fit(cov_type=cov_type, cov_kwds=cov_kwds, metric=metric, **fit_kwargs)

