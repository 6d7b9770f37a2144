"""Cox proportional hazards (Efron and Breslow ties, strata, counting-process input), as R's
``survival::coxph`` (see :mod:`foedus.models.survival`)."""
from __future__ import annotations

import warnings

import numpy as np
from scipy import sparse

from foedus.threads import blas_policy

from ._numerics import _chunks, cholesky_inverse
from .binary import ConvergenceWarning
from .covariance import check_cov_type
from .options import Ties, check_option
from .results import ModelInfo
from ._survival import SurvivalResults, _check_event, _survival_design


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

