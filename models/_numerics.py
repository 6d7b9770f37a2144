"""Numerical kernels shared by the binary-response estimators.

All work is O(n k^2) in row chunks: the weighted cross-product X'WX, the hat diagonal
h_i = w_i x_i (X'WX)^{-1} x_i' (row-wise quadratic forms with the inverse Cholesky factor,
never an n x n matrix) and the Newton loop. Chunking keeps temporaries at
chunk x k instead of n x k, so peak memory stays close to the design matrix itself, and
lets one pass read each chunk once for every quantity it feeds. The design matrix is
C-ordered (rows contiguous).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import linalg, special

from .errors import EstimationError

CHUNK = 4096  # rows per chunk: 4096 x k doubles stay in cache


def _chunks(n: int, size: int = CHUNK):
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def weighted_gram(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Return X' diag(w) X (k x k), accumulated over row chunks."""
    k = X.shape[1]
    out = np.zeros((k, k))
    for s in _chunks(X.shape[0]):
        Xc = X[s]
        out += Xc.T @ (Xc * w[s, None])
    return (out + out.T) / 2.0


def hat_score(X, W, chol_lower, a, b=None):
    """Hat diagonal h and X'(h * a + b) in one chunked pass.

    Firth's modified score is X'(y - pi + h (1/2 - pi)) (a = 1/2 - pi, b = y - pi); King and
    Zeng's X'W xi is X'(h * (1/2)[(1 + w1) pi - w1]) (b = 0).
    """
    # The k x k inverse factor is formed directly: scipy's solve_triangular with a matrix
    # right-hand side is far slower than this whole pass for small n. Its transpose is copied
    # to C order: numpy 2.x multiplies by a transposed (F-ordered) small matrix ~30x slower.
    Linv_t = np.ascontiguousarray(np.linalg.inv(chol_lower).T)
    n = X.shape[0]
    h = np.empty(n)
    out = np.zeros(X.shape[1])
    for s in _chunks(n):
        Xc = X[s]
        A = Xc @ Linv_t
        hc = np.einsum("ij,ij->i", A, A) * W[s]
        h[s] = hc
        v = hc * a[s]
        if b is not None:
            v += b[s]
        out += v @ Xc
    return h, out


def quad_form_diag(X: np.ndarray, M: np.ndarray) -> np.ndarray:
    """Return diag(X M X') for a symmetric k x k matrix M, in O(n k^2)."""
    q = np.empty(X.shape[0])
    for s in _chunks(X.shape[0]):
        np.einsum("ij,ij->i", X[s] @ M, X[s], out=q[s])
    return q


def cholesky_inverse(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (inverse, lower Cholesky factor) of a symmetric positive-definite matrix."""
    L = linalg.cholesky(A, lower=True)
    inv = linalg.cho_solve((L, True), np.eye(A.shape[0]))
    return (inv + inv.T) / 2.0, L


# --------------------------------------------------------------------------- families


class Family:
    """A binary-response link: log-likelihood, score and information weights in eta."""

    name = ""

    def mean(self, eta):  # pragma: no cover - interface
        raise NotImplementedError

    #: Newton iterations use the observed information (:meth:`evaluate_newton`) when it differs
    #: from the expected one; :func:`newton_binary` then recomputes the expected information at
    #: the estimate.
    observed_in_newton = False

    def evaluate(self, y, eta):
        """(log-likelihood terms, d l / d eta, expected information weight) in one go."""
        return self.loglike_obs(y, eta), self.score_factor(y, eta), self.fisher_weight(eta)

    def evaluate_newton(self, y, eta):
        """(log-likelihood terms, d l / d eta, the information weight Newton's method uses)."""
        return self.evaluate(y, eta)

    def start_eta(self, ybar: float) -> float:
        """Linear index of the intercept-only model."""
        raise NotImplementedError


class LogitFamily(Family):
    name = "logit"

    def mean(self, eta):
        return special.expit(eta)

    def loglike_obs(self, y, eta):
        # y*eta - log(1 + exp(eta)), stable for large |eta|
        return y * eta - np.logaddexp(0.0, eta)

    def score_factor(self, y, eta):
        return y - special.expit(eta)

    def fisher_weight(self, eta):
        p = special.expit(eta)
        return p * (1.0 - p)

    def observed_weight(self, y, eta):
        # canonical link: observed and expected information coincide
        return self.fisher_weight(eta)

    def evaluate(self, y, eta):
        # one exponential per observation: e = exp(-|eta|)
        e = np.exp(-np.abs(eta))
        inv = 1.0 / (1.0 + e)
        p = np.where(eta >= 0, inv, e * inv)
        ll = y * eta - np.maximum(eta, 0.0) - np.log1p(e)
        return ll, y - p, p * (1.0 - p)

    def start_eta(self, ybar):
        return float(np.log(ybar / (1.0 - ybar)))

    def density(self, eta):
        """d mean / d eta."""
        p = special.expit(eta)
        return p * (1.0 - p)

    def density_slope(self, eta):
        """d density / d eta."""
        p = special.expit(eta)
        return p * (1.0 - p) * (1.0 - 2.0 * p)


_SQRT_HALF = np.sqrt(0.5)
_SQRT_2_OVER_PI = np.sqrt(2.0 / np.pi)
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)


def _normal_tail(x):
    """(g, c, T) with g = exp(-x^2/2), c = erfcx(|x|/sqrt 2), T = Phi(-|x|) = c g / 2.

    One exponential and one scaled complementary error function per observation give
    log Phi, phi/Phi and the Fisher weight without cancellation in either tail: erfcx of a
    non-negative argument never overflows, and phi/Phi on the far-left tail is
    sqrt(2/pi)/c even when g underflows. (Two ``log_ndtr`` calls and an exponential cost
    about twice as much per pass; see bench/bench_numerics.py.)
    """
    g = np.exp(-0.5 * x * x)
    c = special.erfcx(np.abs(x) * _SQRT_HALF)
    return g, c, 0.5 * c * g


def _log_cdf_and_mills(x):
    """(log Phi(x), phi(x) / Phi(x)) from :func:`_normal_tail`."""
    g, c, t = _normal_tail(x)
    pos = x >= 0
    with np.errstate(divide="ignore"):
        log_cdf = np.where(pos, np.log1p(-t), np.log(0.5 * c) - 0.5 * x * x)
        mills = np.where(pos, g * _INV_SQRT_2PI / (1.0 - t), _SQRT_2_OVER_PI / c)
    return log_cdf, mills


class ProbitFamily(Family):
    name = "probit"

    def mean(self, eta):
        return special.ndtr(eta)

    def density(self, eta):
        return np.exp(-0.5 * eta * eta) / np.sqrt(2.0 * np.pi)

    def density_slope(self, eta):
        return -eta * self.density(eta)

    def loglike_obs(self, y, eta):
        q = 2.0 * y - 1.0
        return _log_cdf_and_mills(q * eta)[0]

    def _mills(self, y, eta):
        # lambda = q phi(q eta) / Phi(q eta)
        q = 2.0 * y - 1.0
        return q * _log_cdf_and_mills(q * eta)[1]

    def score_factor(self, y, eta):
        return self._mills(y, eta)

    def fisher_weight(self, eta):
        # phi^2 / (Phi (1 - Phi)) = g / (pi c (1 - T)), T = Phi(-|eta|)
        g, c, t = _normal_tail(eta)
        return g / (np.pi * c * (1.0 - t))

    def observed_weight(self, y, eta):
        lam = self._mills(y, eta)
        return lam * (lam + eta)

    # The probit log-likelihood is globally concave, so its observed information is positive
    # definite everywhere: full Newton steps converge quadratically where Fisher scoring
    # converges only linearly (12 against about 6 passes on the Johnson & Leeds panel).
    observed_in_newton = True

    def evaluate_newton(self, y, eta):
        q = 2.0 * y - 1.0
        ll, mills = _log_cdf_and_mills(q * eta)
        lam = q * mills
        return ll, lam, lam * (lam + eta)

    def start_eta(self, ybar):
        return float(special.ndtri(ybar))


FAMILIES = {"logit": LogitFamily(), "probit": ProbitFamily()}


# --------------------------------------------------------------------------- Newton


@dataclass
class Pass:
    """One pass over the data at ``beta``: what a Newton iteration needs."""

    beta: np.ndarray
    eta: np.ndarray
    llf: float
    grad: np.ndarray
    information: np.ndarray


def fused_pass(X, y, beta, family: Family, weights=None, offset=None, newton=False) -> Pass:
    """eta = X beta, log-likelihood, score X'r and information X'WX in one chunked pass.

    Each chunk of X is read once while it is in cache, instead of once per quantity. With
    ``newton=True`` the information is the one :meth:`Family.evaluate_newton` gives.
    """
    evaluate = family.evaluate_newton if newton else family.evaluate
    n, k = X.shape
    eta = np.empty(n)
    grad = np.zeros(k)
    info = np.zeros((k, k))
    llf = 0.0
    for s in _chunks(n):
        Xc = X[s]
        e = Xc @ beta
        if offset is not None:
            e += offset[s]
        eta[s] = e
        ll, r, w = evaluate(y[s], e)
        if weights is not None:
            wc = weights[s]
            ll, r, w = ll * wc, r * wc, w * wc
        llf += float(ll.sum())
        grad += r @ Xc
        info += Xc.T @ (Xc * w[:, None])
    return Pass(beta, eta, llf, grad, (info + info.T) / 2.0)




@dataclass
class NewtonFit:
    params: np.ndarray
    eta: np.ndarray
    #: information of the last Newton pass, at ``params`` (the observed one for probit)
    newton_information: np.ndarray
    llf: float
    iterations: int
    converged: bool
    #: computes the expected information when it differs from ``newton_information``
    expected: Callable[[], np.ndarray] | None = field(default=None, repr=False)

    @cached_property
    def information(self) -> np.ndarray:
        """X' diag(w * fisher_weight) X at ``params``: for probit one more pass over the data,
        made only when it is asked for (the observed information is the default bread)."""
        return self.newton_information if self.expected is None else self.expected()


class ConvergenceError(EstimationError, RuntimeError):
    """The maximum-likelihood iterations did not converge."""


#: Designs of at least this many rows start Newton's method from a subsample fit.
SUBSAMPLE_MIN_ROWS = 200_000
#: Rows kept per outcome class in that subsample (at most).
SUBSAMPLE_QUOTA = 50_000


def _subsample_start(X, y, family, weights=None, offset=None, const_idx=None):
    """Start values from the same model fitted to a stratified subsample, or None.

    From the intercept-only model Newton's method needs about 8 passes over a rare-event
    dyad-year panel, the first ones with step halving. Each outcome class keeps every m-th row
    (m = ceil(rows of the class / SUBSAMPLE_QUOTA): every event of a rare-event panel) with
    weight m, so the weighted subsample score estimates the full-sample score for either link
    and the subsample estimate lies within a few standard errors of the full one; from there
    the full-data iterations converge in about 3 passes. The subsample fit costs a few percent
    of one pass. The start changes only the path: the estimate is the full-data maximum, to
    the same tolerance. None (use the default start) on small designs, when the subsample is
    not much smaller than the design, or when its fit fails or shows separation.
    """
    n = X.shape[0]
    if n < SUBSAMPLE_MIN_ROWS:
        return None
    events = y != 0
    rows, wsub = [], []
    for cls in (np.flatnonzero(events), np.flatnonzero(~events)):
        m = max(1, -(-cls.size // SUBSAMPLE_QUOTA))
        rows.append(cls[::m])
        wsub.append(np.full(rows[-1].size, float(m)))
    order = np.argsort(np.concatenate(rows), kind="stable")  # rows in design order
    idx = np.concatenate(rows)[order]
    if idx.size > n // 4:
        return None
    wsub = np.concatenate(wsub)[order]
    if weights is not None:
        wsub *= weights[idx]
    try:
        fit = newton_binary(np.ascontiguousarray(X[idx]), y[idx], family, weights=wsub,
                            offset=None if offset is None else offset[idx], start=None,
                            const_idx=const_idx, tol=1e-6, maxiter=25)
    except ConvergenceError:
        return None
    if not fit.converged or np.max(np.abs(fit.eta)) > 30:
        return None
    return fit.params


def newton_binary(X, y, family: Family, weights=None, offset=None, start=None, const_idx=None,
                  tol: float = 1e-8, maxiter: int = 100) -> NewtonFit:
    """Maximise a (weighted) binary log-likelihood by Newton's method with step halving.

    For the logit link Newton's method is Fisher scoring; for probit the iterations use the
    observed information (see :attr:`Family.observed_in_newton`). Start: the intercept-only model
    (when the design has a constant) or zero, or on large designs the same model fitted to a
    stratified subsample (:func:`_subsample_start`). Stop after a step whose largest relative change
    is below ``tol``: the rate is quadratic, so the error of the accepted iterate is of order
    tol^2, and the information returned is evaluated at that iterate. One fused pass over the
    data per iteration (see :func:`fused_pass`).
    """
    n, k = X.shape
    if start is None:
        start = _subsample_start(X, y, family, weights, offset, const_idx)
    if start is None:
        beta = np.zeros(k)
        if const_idx is not None:
            wsum = n if weights is None else float(weights.sum())
            ybar = float(y.sum() if weights is None else weights @ y) / wsum
            if 0.0 < ybar < 1.0:
                beta[const_idx] = family.start_eta(ybar) / X[0, const_idx]
    else:
        beta = np.asarray(start, dtype=np.float64).copy()
    cur = fused_pass(X, y, beta, family, weights, offset, newton=True)
    converged = False
    it = 0
    for it in range(1, maxiter + 1):
        try:
            step = linalg.solve(cur.information, cur.grad, assume_a="pos")
        except (linalg.LinAlgError, ValueError) as exc:
            raise ConvergenceError(
                f"information matrix is singular at iteration {it}: "
                "collinear regressors or separation"
            ) from exc
        t = 1.0
        for _ in range(30):
            new = fused_pass(X, y, cur.beta + t * step, family, weights, offset, newton=True)
            if np.isfinite(new.llf) and new.llf >= cur.llf - 1e-12 * (1 + abs(cur.llf)):
                break
            t /= 2.0
        cur = new
        if np.max(np.abs(t * step) / (1.0 + np.abs(cur.beta))) < tol:
            converged = True
            break
    expected = None
    if family.observed_in_newton:
        def expected(eta=cur.eta):
            w = family.fisher_weight(eta)
            return weighted_gram(X, w if weights is None else w * weights)
    return NewtonFit(cur.beta, cur.eta, cur.information, cur.llf, it, converged, expected)
