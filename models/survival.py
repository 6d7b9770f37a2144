r"""Survival estimators: Cox proportional hazards and the Weibull (AFT) model.

Both take counting-process data: one row per spell piece ``(entry, duration]`` whose covariates
are constant on it (time-varying covariates: several rows per subject), an event indicator that
is 1 only on the row whose interval ends with the event, and optional left truncation (a row is
at risk only after its ``entry`` time). The formula's left-hand side is the **event indicator**
(0/1); ``duration`` and ``entry`` name the columns with the interval's end and start, measured on
the analysis clock (here: years since the alliance formed)::

    coxph("ended ~ asym + cinc_change", rows, duration="stop", entry="start",
          cov_type="cluster", cov_kwds={"groups": "atopid"})

is R's ``coxph(Surv(start, stop, ended) ~ asym + cinc_change + cluster(atopid), rows)``.

Covariances come from the shared registry (:mod:`foedus.models.covariance`): the per-row score
vectors ``U_i`` (Cox: the Efron score residuals of Therneau & Grambsch 2000, sec. 7.2; Weibull:
the gradient of row i's log-likelihood) are passed as the registry's score matrix, so
``robust``/``HC0`` is ``V (sum_i U_i U_i') V`` and ``cluster`` is the Lin & Wei (1989) sandwich
``V (sum_g S_g S_g') V``, ``S_g = sum_{i in g} U_i``. R's ``coxph(..., cluster=)`` and
``survreg(..., robust=TRUE)`` apply no small-sample factor, so ``cluster`` here defaults to
``small_sample=False`` (pass ``cov_kwds={"small_sample": True}`` for G/(G-1)).
"""
from __future__ import annotations

import warnings
from dataclasses import replace
from functools import cached_property
from typing import get_args

import numpy as np
import pandas as pd
from scipy import sparse

from foedus.threads import blas_policy

from ._design import build_design
from ._numerics import _chunks, cholesky_inverse
from .binary import ConvergenceWarning
from .covariance import check_cov_type
from .options import Metric, Ties, check_option
from .results import ModelInfo, ScoreResults

__all__ = ["coxph", "weibull", "CoxPH", "WeibullAFT", "SurvivalResults", "aft_to_ph"]

TIES = get_args(Ties)
METRICS = get_args(Metric)


# --------------------------------------------------------------------------- input


def _time_column(frame: pd.DataFrame, name: str, role: str) -> np.ndarray:
    if name not in frame.columns:
        raise KeyError(f"{role} column {name!r} is not in the data; columns: {list(frame.columns)[:20]}")
    values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(values)
    if bad.any():
        raise ValueError(f"{role} column {name!r} has {int(bad.sum())} missing or non-numeric values "
                         f"(first at row {int(np.flatnonzero(bad)[0])}); drop those rows before fitting")
    return values


def _survival_design(formula, data, duration, entry, strata, *, intercept: bool):
    """Design (event response, covariates) and the aligned time/strata arrays."""
    design = build_design(formula, data)
    frame = design.frame
    if frame is None:
        raise ValueError("survival models need a formula and a data frame")
    stop = _time_column(frame, duration, "duration")
    start = np.zeros_like(stop) if entry is None else _time_column(frame, entry, "entry")
    back = start >= stop
    if back.any():
        raise ValueError(f"{int(back.sum())} rows have {entry!r} >= {duration!r} (first at row "
                         f"{int(np.flatnonzero(back)[0])} of the estimation sample); each row is "
                         "the interval (entry, duration] and must have positive length")
    if (start < 0).any():
        raise ValueError(f"entry column {entry!r} has negative times")
    if strata is None:
        codes = np.zeros(stop.size, dtype=np.int64)
    else:
        if strata not in frame.columns:
            raise KeyError(f"strata column {strata!r} is not in the data")
        if frame[strata].isna().any():
            raise ValueError(f"strata column {strata!r} has missing values; drop those rows first")
        codes = pd.factorize(frame[strata], sort=True)[0].astype(np.int64)
    const = [j for j, name in enumerate(design.exog_names) if name == "Intercept"]
    if not intercept and const:
        keep = [j for j in range(design.k) if j not in const]
        design = replace(design, X=np.ascontiguousarray(design.X[:, keep]),
                         exog_names=[design.exog_names[j] for j in keep])
    return design, start, stop, codes


# --------------------------------------------------------------------------- Cox kernels


def _interval_matrix(lo: np.ndarray, hi: np.ndarray, m: int) -> sparse.csr_matrix:
    """(m+1 x n) difference operator: row i contributes +1 at ``lo_i`` and -1 at ``hi_i``, so
    a cumulative sum over the first axis of ``M @ v`` gives, at position j, the sum of v_i over
    rows with lo_i <= j < hi_i."""
    n = lo.size
    data = np.concatenate([np.ones(n), -np.ones(n)])
    rows = np.concatenate([lo, hi])
    cols = np.concatenate([np.arange(n), np.arange(n)])
    return sparse.csr_matrix((data, (rows, cols)), shape=(m + 1, n))


class _CoxStratum:
    """Precomputed risk-set structure of one stratum (vectorised over event times)."""

    def __init__(self, X, start, stop, event, ties):
        self.X, self.event = X, event
        self.times = np.unique(stop[event == 1])
        m = self.times.size
        self.m = m
        # row i is at risk at event time j for first_i <= j < last_i (entry < t_j <= stop)
        self.first = np.searchsorted(self.times, start, side="right")
        self.last = np.searchsorted(self.times, stop, side="right")
        self.risk = _interval_matrix(self.first, self.last, m).tocsc()  # sliced by row chunks
        ev = np.flatnonzero(event == 1)
        self.ev = ev
        self.ev_time = self.last[ev] - 1
        self.tied = sparse.csc_matrix((np.ones(ev.size), (self.ev_time, ev)), shape=(m, X.shape[0]))
        d = np.bincount(self.ev_time, minlength=m)
        self.d = d
        # Efron: the l-th of d tied events (l = 0..d-1) sees the tied set weighted by 1 - l/d
        self.rep = np.repeat(np.arange(m), d)
        offset = np.arange(self.rep.size) - np.repeat(np.cumsum(d) - d, d)
        self.a = offset / d[self.rep] if ties == "efron" else np.zeros(self.rep.size)

    def sums(self, beta):
        """Risk-set and tied-set sums of w, w x, w x x' at each event time.

        Accumulated over row chunks (``_numerics.CHUNK``), so the n x k^2 products are never
        held for all rows at once.
        """
        X = self.X
        n, k = X.shape
        w = np.exp(X @ beta)
        width = 1 + k + k * k
        risk = np.zeros((self.m + 1, width))
        tied = np.zeros((self.m, width))
        for rows in _chunks(n):
            Xc, wc = X[rows], w[rows]
            wx = Xc * wc[:, None]
            stacked = np.column_stack([wc, wx, (Xc[:, :, None] * wx[:, None, :]).reshape(-1, k * k)])
            risk += self.risk[:, rows] @ stacked
            tied += self.tied[:, rows] @ stacked
        return w, np.cumsum(risk, axis=0)[: self.m], tied

    def loglik(self, beta, derivatives=True):
        k = self.X.shape[1]
        w, risk, tied = self.sums(beta)
        r, a = self.rep, self.a
        den = risk[r, 0] - a * tied[r, 0]
        ll = float(np.sum(self.X[self.ev] @ beta) - np.sum(np.log(den)))
        if not derivatives:
            return ll, None, None
        num1 = risk[r, 1:1 + k] - a[:, None] * tied[r, 1:1 + k]
        num2 = risk[r, 1 + k:] - a[:, None] * tied[r, 1 + k:]
        xbar = num1 / den[:, None]
        grad = self.X[self.ev].sum(axis=0) - xbar.sum(axis=0)
        info = (num2 / den[:, None]).sum(axis=0).reshape(k, k) - xbar.T @ xbar
        return ll, grad, (info + info.T) / 2.0

    def score_residuals(self, beta):
        """Per-row score residuals (Efron-adjusted as R's ``residuals(fit, "score")``)."""
        X, m = self.X, self.m
        k = X.shape[1]
        w, risk, tied = self.sums(beta)
        r, a = self.rep, self.a
        den = risk[r, 0] - a * tied[r, 0]
        xbar = (risk[r, 1:1 + k] - a[:, None] * tied[r, 1:1 + k]) / den[:, None]
        # per event time: sum_l 1/den, sum_l xbar/den, the same weighted by a_l, mean_l xbar
        h0 = np.bincount(r, 1.0 / den, minlength=m)
        h1 = np.column_stack([np.bincount(r, xbar[:, j] / den, minlength=m) for j in range(k)])
        g0 = np.bincount(r, a / den, minlength=m)
        g1 = np.column_stack([np.bincount(r, a * xbar[:, j] / den, minlength=m) for j in range(k)])
        mbar = np.column_stack([np.bincount(r, xbar[:, j], minlength=m) for j in range(k)])
        mbar /= self.d[:, None]
        C0 = np.concatenate([[0.0], np.cumsum(h0)])
        C1 = np.vstack([np.zeros(k), np.cumsum(h1, axis=0)])
        H0 = C0[self.last] - C0[self.first]
        H1 = C1[self.last] - C1[self.first]
        U = -w[:, None] * (X * H0[:, None] - H1)
        ev, j = self.ev, self.ev_time
        U[ev] += X[ev] - mbar[j] + w[ev, None] * (X[ev] * g0[j, None] - g1[j])
        return U


class CoxPH:
    r"""Cox proportional-hazards model by maximum partial likelihood.

    Parameters
    ----------
    formula : str
        ``"event ~ x1 + x2"``: the response is the 0/1 event indicator; an intercept is not
        estimated (it is absorbed in the baseline hazard) and dropped if the formula has one.
    data : DataFrame or object with ``.frame``
    duration : str
        Column with the end of each row's interval (the event or censoring time).
    entry : str, optional
        Column with the start of each row's interval (left truncation / counting-process
        rows); default 0 for every row.
    strata : str, optional
        Column whose values define strata with their own baseline hazards.
    ties : {"efron", "breslow"}

    Notes
    -----
    Log partial likelihood with Efron's (1977) approximation for tied event times: with
    :math:`D_j` the rows with an event at :math:`t_j` (:math:`d_j` of them), :math:`R_j` the
    rows at risk (:math:`\text{entry}_i < t_j \le \text{duration}_i`, same stratum) and
    :math:`w_i = e^{x_i\beta}`,

    .. math::

        \ell(\beta) = \sum_j \Big[\sum_{i\in D_j} x_i\beta - \sum_{l=0}^{d_j-1}
        \ln\Big(\sum_{i\in R_j} w_i - \tfrac{l}{d_j}\sum_{i\in D_j} w_i\Big)\Big]

    (Breslow: :math:`l/d_j` replaced by 0). Newton-Raphson from :math:`\beta = 0` with step
    halving; risk-set sums are cumulative sums over the sorted event times (no loop over rows).
    Therneau & Grambsch (2000), *Modeling Survival Data*, ch. 3 and 7; R ``survival::coxph``.
    """

    display_name = "Cox PH"

    def __init__(self, formula, data, *, duration, entry=None, strata=None, ties: Ties = "efron"):
        check_option("ties", ties, Ties)
        self.design, self.start, self.stop, self.strata = _survival_design(
            formula, data, duration, entry, strata, intercept=False)
        if self.design.k == 0:
            raise ValueError("a Cox model needs at least one covariate")
        self.ties = ties
        self.duration, self.entry, self.strata_name = duration, entry, strata
        self.info = ModelInfo(self.display_name, self.design.endog_name, self.design.exog_names,
                              self.design)
        X = self.design.X
        self._center = X.mean(axis=0)  # numerical stability only; the estimates do not depend on it
        Xc = X - self._center
        ev = self.design.y.astype(np.int64)
        self._rows = [np.flatnonzero(self.strata == s) for s in np.unique(self.strata)]
        self._strata = [_CoxStratum(Xc[idx], self.start[idx], self.stop[idx], ev[idx], ties)
                        for idx in self._rows]

    @property
    def n_events(self) -> int:
        return int(self.design.y.sum())

    def loglike(self, beta, derivatives=True):
        ll, grad, info = 0.0, 0.0, 0.0
        for s in self._strata:
            if s.m == 0:
                continue
            a, b, c = s.loglik(beta, derivatives)
            ll += a
            if derivatives:
                grad, info = grad + b, info + c
        return ll, grad, info

    def score_residuals(self, beta) -> np.ndarray:
        U = np.zeros(self.design.X.shape)
        for rows, s in zip(self._rows, self._strata):
            if s.m:
                U[rows] = s.score_residuals(beta)
        return U

    @blas_policy
    def fit(self, cov_type="classical", cov_kwds=None, *, tol=1e-12, maxiter=50) -> "SurvivalResults":
        check_cov_type(cov_type, SurvivalResults.cov_types, "coxph", cov_kwds)
        if self.n_events == 0:
            raise ValueError("no events: the Cox model is not estimable")
        k = self.design.k
        beta = np.zeros(k)
        ll0, grad, info = self.loglike(beta)
        llnull, converged, it = ll0, False, 0
        for it in range(1, maxiter + 1):
            step = np.linalg.solve(info, grad)
            new = beta + step
            ll1 = self.loglike(new, derivatives=False)[0]
            halvings = 0
            while not ll1 >= ll0 - 1e-12 * abs(ll0) and halvings < 30:
                step /= 2.0
                new = beta + step
                ll1 = self.loglike(new, derivatives=False)[0]
                halvings += 1
            beta = new
            ll_prev, (ll0, grad, info) = ll0, self.loglike(beta)
            if np.max(np.abs(step)) < tol * (1 + np.max(np.abs(beta))) or abs(ll0 - ll_prev) < tol * abs(ll0):
                converged = True
                break
        if not converged:
            warnings.warn(f"Cox model did not converge in {maxiter} iterations", ConvergenceWarning,
                          stacklevel=3)
        bread, _ = cholesky_inverse(info)
        scores = self.score_residuals(beta)
        return SurvivalResults(self.info, beta, bread, scores, ll0, cov_type, cov_kwds, llnull=llnull,
                               converged=converged, iterations=it, n_events=self.n_events,
                               info={"Method": f"partial likelihood ({self.ties} ties)",
                                     "Events": self.n_events,
                                     "Time": f"({self.entry or 0}, {self.duration}]"})


# --------------------------------------------------------------------------- Weibull


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


def aft_to_ph(theta, bread, scores):
    """Weibull AFT parameters (gamma, log sigma) -> PH parameters (-gamma/sigma, -log sigma).

    With J the Jacobian of the map, the bread becomes J B J' and the per-row scores U J^{-1}
    (the score of a reparameterised likelihood), so every sandwich B M B becomes J (B M B) J'.
    """
    g, s = theta[:-1], theta[-1]
    k = g.size
    J = np.zeros((k + 1, k + 1))
    J[:k, :k] = -np.exp(-s) * np.eye(k)
    J[:k, k] = g * np.exp(-s)
    J[k, k] = -1.0
    phi = np.append(-g * np.exp(-s), -s)
    return phi, J @ bread @ J.T, scores @ np.linalg.inv(J)


# --------------------------------------------------------------------------- results


class SurvivalResults(ScoreResults):
    """Results of :func:`coxph` and :func:`weibull` (the inference surface of
    :class:`~foedus.models.results.ScoreResults`, plus ``n_events``, ``hazard_ratios`` and,
    for the Weibull model, ``ph_params()``).

    The per-row score vectors ``scores`` (n x k) play the role of the registry's design matrix
    with unit factors, so every registry covariance works. Clustered covariances take no
    G/(G-1) factor by default, as R's ``coxph(cluster=)`` and ``survreg(robust=TRUE)``.
    """

    def __init__(self, model, params, bread, scores, llf, cov_type="classical", cov_kwds=None, *,
                 llnull=None, info=None, converged=True, iterations=None, n_events=None, metric="cox"):
        self.metric = metric
        self._n_events = int(n_events)
        super().__init__(model, params, bread, llf, cov_type, cov_kwds, scores=scores,
                         llnull=llnull, info=info, converged=converged, iterations=iterations)

    def _cov_kwds(self, cov_type, kwds):
        if cov_type == "cluster":
            return {"small_sample": False, **kwds}  # R's coxph(cluster=) / survreg(robust=TRUE)
        return kwds

    @property
    def n_events(self) -> int:
        """Events (terminations) in the estimation sample."""
        return self._n_events

    @property
    def is_weibull(self) -> bool:
        return self.metric in METRICS

    @property
    def df_model(self) -> int:
        return len(self.covariates)

    @property
    def bic(self) -> float:
        return -2.0 * self.llf + np.log(self.n_events) * self.k_params

    @property
    def covariates(self) -> list[str]:
        return [n for n in self.names if n not in ("Intercept", "log(scale)", "log(shape)")]

    def ph_params(self) -> tuple[pd.Series, pd.DataFrame]:
        """Proportional-hazards coefficients and their covariance (delta method).

        Cox and Weibull fitted with ``metric="ph"``: the estimates themselves. Weibull AFT:
        :math:`-\\gamma/\\sigma` for the intercept and every covariate and ``log(shape)`` =
        :math:`-\\ln\\sigma` (:func:`aft_to_ph`), under this result's covariance.
        """
        if self.metric != "aft":
            return self.params, self.cov_params()
        phi, V, _ = aft_to_ph(self._params, self._cov, self._scores[:0])
        names = [*self.names[:-1], "log(shape)"]
        return (pd.Series(phi, index=names, name="ph_params"),
                pd.DataFrame((V + V.T) / 2.0, index=names, columns=names))

    @cached_property
    def hazard_ratios(self) -> pd.DataFrame:
        """exp(coef) of every covariate with a 95% interval (endpoints of the PH coefficient's
        Wald interval, exponentiated)."""
        est, cov = self.ph_params()
        est, cov = est[self.covariates], cov.loc[self.covariates, self.covariates]
        se = np.sqrt(np.diag(cov))
        return pd.DataFrame({"hazard_ratio": np.exp(est), "lower": np.exp(est - 1.959963984540054 * se),
                             "upper": np.exp(est + 1.959963984540054 * se)}, index=self.covariates)

    def predict(self, exog=None, linear: bool = True) -> np.ndarray:
        """Linear predictor (Cox: x b, uncentred; Weibull: x gamma, the location of ln T, or
        with ``metric="ph"`` the log rate x beta);
        ``linear=False`` gives the relative hazard exp(x b) (Cox only)."""
        from .results import _as_exog

        names = self.names if not self.is_weibull else self.names[:-1]
        X = self.model.design.X if exog is None else _as_exog(exog, names)
        coef = self._params if not self.is_weibull else self._params[:-1]
        eta = X @ coef
        if linear:
            return eta
        if self.is_weibull:
            raise ValueError("linear=False (relative hazard) is defined for the Cox model only")
        return np.exp(eta)

    @cached_property
    def fittedvalues(self) -> pd.Series:
        return pd.Series(self.predict(), name="fittedvalues")


# --------------------------------------------------------------------------- entry points


def coxph(formula, data, *, duration, event=None, entry=None, strata=None, ties="efron",
          cov_type="classical", cov_kwds=None, **fit_kwargs) -> SurvivalResults:
    """Cox proportional-hazards model (see :class:`CoxPH`).

    ``coxph("ended ~ asym + cinc_change", rows, duration="stop", entry="start")``: the
    formula's response is the event indicator. ``event`` may name the same column for
    readability; it must then equal the formula's response.
    """
    _check_event(formula, event)
    model = CoxPH(formula, data, duration=duration, entry=entry, strata=strata, ties=ties)
    return model.fit(cov_type=cov_type, cov_kwds=cov_kwds, **fit_kwargs)


def weibull(formula, data, *, duration, event=None, entry=None, metric="aft", cov_type="classical",
            cov_kwds=None, **fit_kwargs) -> SurvivalResults:
    """Weibull regression: ``metric="aft"`` as R's ``survreg(dist = "weibull")``, ``"ph"`` as
    log hazard ratios (see :class:`WeibullAFT`)."""
    _check_event(formula, event)
    model = WeibullAFT(formula, data, duration=duration, entry=entry)
    return model.fit(cov_type=cov_type, cov_kwds=cov_kwds, metric=metric, **fit_kwargs)


def _check_event(formula, event):
    response = formula.split("~", 1)[0].strip()
    if event is not None and event != response:
        raise ValueError(f"event={event!r} but the formula's response (the event indicator) is "
                         f"{response!r}; write the event column on the left of '~'")
