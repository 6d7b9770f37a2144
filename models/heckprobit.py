r"""Probit with sample selection (Van de Ven & Van Praag 1981; Stata ``heckprob``).

A binary outcome y is observed only where a binary selection s is 1 (a dispute outcome only
where a dispute was initiated). With latent indices

.. math::

    s_i = 1[z_i\gamma + u_i > 0], \qquad y_i = 1[x_i\beta + e_i > 0] \text{ (seen if } s_i = 1),
    \qquad (u_i, e_i) \sim N_2(0, 0, 1, 1, \rho),

the log-likelihood is

.. math::

    \ell = \sum_{s_i = 0} \ln\Phi(-z_i\gamma)
         + \sum_{s_i = 1} \ln\Phi_2(q_i x_i\beta,\; z_i\gamma;\; q_i\rho), \qquad q_i = 2y_i - 1.

:math:`\rho` is estimated as :math:`\operatorname{atanh}\rho` ("athrho", as Stata), which is
unbounded. Maximisation: Newton's method with the analytic Hessian, from the two separate
probits (athrho = 0), with step halving; where the Hessian is not negative definite (far from
the optimum: the likelihood is not globally concave) the step uses the Hessian shifted by a
multiple of the identity (Levenberg-Marquardt). The rows with s = 0 are most of a panel and their
terms ln Phi(-z gamma) depend on gamma alone: one fused pass over the panel gives their sum,
gradient and information, and with it their exact second-order expansion. Each iteration
maximises the selected rows' terms (few rows; the bivariate normal is evaluated only there)
plus that expansion exactly, by Newton's method on the selected rows alone, and the next pass
accepts the point (or halves the step). The first expansion comes from the selection probit's
last pass, so a fit costs the two probits and about three passes over the panel (seven with
Newton on the whole likelihood; issue 18).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg, special, stats

from foedus.threads import blas_policy

from ._design import as_frame
from ._memo import Memo, digest
from ._numerics import FAMILIES, ConvergenceError, Pass, fused_pass, newton_binary
from .binary import ConvergenceWarning
from .bivariate import bvn_cdf, bvn_pdf
from .covariance import check_cov_type
from ._selection_design import SelectionDesign, build_selection_design
from .results import ScoreResults

__all__ = ["heckprobit", "HeckProbit", "HeckProbitResults", "RhoBoundaryWarning", "SELECT_PREFIX"]

SELECT_PREFIX = "select:"
#: |athrho| beyond which the iterations stop: |rho| > 1 - 2.3e-7, where 1 - rho^2 loses the
#: digits the likelihood's derivatives need.
ATHRHO_MAX = 8.0
#: |rho| above which a converged fit is reported as at the boundary.
RHO_BOUNDARY = 0.9999
_PROBIT = FAMILIES["probit"]
#: Tolerance of the two starting probits. Newton's rate is quadratic: after a step below 1e-6
#: the error is of order 1e-12 (9e-14 relative on the selection equation of Johnson & Leeds
#: 2011, llf 4e-16), ample for the start and for the LR test's log-likelihood at rho = 0; a
#: tolerance of 1e-8 costs one more pass over the panel that only confirms it.
PROBIT_TOL = 1e-6


class RhoBoundaryWarning(UserWarning):
    """The correlation of the two equations' errors went to the boundary |rho| = 1."""


# --------------------------------------------------------------------------- likelihood


@dataclass
class _Eval:
    llf: float
    grad: np.ndarray
    hess: np.ndarray | None
    #: the unselected rows' terms, a function of gamma alone (one pass over the panel)
    unselected: Pass


def _bivariate_terms(a, b, r, rho):
    """ln Phi_2(a, b; r) and its first and second derivatives in (a, b, r), per row."""
    one_r2 = 1.0 - rho * rho
    sr = np.sqrt(one_r2)
    P = np.maximum(bvn_cdf(a, b, r), np.finfo(float).tiny)
    f2 = bvn_pdf(a, b, r)
    ga = stats.norm.pdf(a) * special.ndtr((b - r * a) / sr)
    gb = stats.norm.pdf(b) * special.ndtr((a - r * b) / sr)
    la, lb, lr = ga / P, gb / P, f2 / P
    Q = a * a - 2.0 * r * a * b + b * b
    laa = (-a * ga - r * f2) / P - la * la
    lbb = (-b * gb - r * f2) / P - lb * lb
    lab = f2 / P - la * lb
    lar = -f2 * (a - r * b) / one_r2 / P - la * lr
    lbr = -f2 * (b - r * a) / one_r2 / P - lb * lr
    lrr = f2 * ((r + a * b) / one_r2 - r * Q / one_r2**2) / P - lr * lr
    return np.log(P), (la, lb, lr), (laa, lbb, lab, lar, lbr, lrr)


def _selected_parts(d: SelectionDesign, theta, zg_sel):
    """Per-row score factors and Hessian weights of the selected rows in (beta, gamma, athrho)."""
    kx = d.X.shape[1]
    beta, ath = theta[:kx], theta[-1]
    rho = np.tanh(ath)
    drho = 1.0 - rho * rho
    q = 2.0 * d.y1 - 1.0
    a = q * (d.X1 @ beta)
    ll, (la, lb, lr), (laa, lbb, lab, lar, lbr, lrr) = _bivariate_terms(a, zg_sel, q * rho, rho)
    score = (q * la, lb, q * drho * lr)
    hess = (laa, lab * q, drho * lar, lbb, q * drho * lbr,
            drho**2 * lrr - 2.0 * rho * drho * q * lr)
    return ll, score, hess


def _selected_sums(d: SelectionDesign, theta, zg_sel, hessian=True):
    """Log-likelihood, gradient and Hessian of the selected rows' terms (few rows)."""
    kx, kz = d.X.shape[1], d.Z.shape[1]
    ll, (ra, rb, rt), (haa, hab, hat, hbb, hbt, htt) = _selected_parts(d, theta, zg_sel)
    X1, Z1 = d.X1, d.Z1
    grad = np.concatenate([ra @ X1, rb @ Z1, [rt.sum()]])
    H = None
    if hessian:
        k = kx + kz + 1
        H = np.empty((k, k))
        H[:kx, :kx] = X1.T @ (X1 * haa[:, None])
        H[:kx, kx:kx + kz] = X1.T @ (Z1 * hab[:, None])
        H[kx:kx + kz, :kx] = H[:kx, kx:kx + kz].T
        H[kx:kx + kz, kx:kx + kz] = Z1.T @ (Z1 * hbb[:, None])
        H[:kx, -1] = H[-1, :kx] = hat @ X1
        H[kx:kx + kz, -1] = H[-1, kx:kx + kz] = hbt @ Z1
        H[-1, -1] = htt.sum()
    return float(ll.sum()), grad, H


def _unselected_pass(d: SelectionDesign, gamma) -> Pass:
    """sum of ln Phi(-z g) over the unselected rows, its gradient and information in g, and z g
    on every row: one fused chunked pass over the panel (the probit of y = 0, which ``d.y`` is
    on those rows, with the selected rows weighted 0)."""
    return fused_pass(d.Z, d.y, gamma, _PROBIT, weights=d.unselected_weight, newton=True)


def _evaluate(d: SelectionDesign, theta, hessian=True) -> _Eval:
    kx, kz = d.X.shape[1], d.Z.shape[1]
    g = slice(kx, kx + kz)
    up = _unselected_pass(d, theta[g])
    llf, grad, H = _selected_sums(d, theta, up.eta[d.selected], hessian)
    grad[g] += up.grad
    if hessian:
        H[g, g] -= up.information
        H = (H + H.T) / 2.0
    return _Eval(llf + up.llf, grad, H, up)


def _scores(d: SelectionDesign, theta) -> np.ndarray:
    """(n x k) per-observation gradients of the log-likelihood."""
    kx, kz = d.X.shape[1], d.Z.shape[1]
    g = slice(kx, kx + kz)
    zg = d.Z @ theta[g]
    U = np.empty((d.nobs, kx + kz + 1))
    U[:, :kx] = 0.0
    U[:, -1] = 0.0
    # d ln Phi(-z g) / d(z g) on every row (d.y = 0 where unselected); selected rows overwritten
    np.multiply(d.Z, _PROBIT.score_factor(d.y, zg)[:, None], out=U[:, g])
    idx = d.selected
    _, (ra, rb, rt), _ = _selected_parts(d, theta, zg[idx])
    U[idx, :kx] = d.X1 * ra[:, None]
    U[idx, g] = d.Z1 * rb[:, None]
    U[idx, -1] = rt
    return U


def _ascent_step(hess, grad):
    """Newton step; where the Hessian is not negative definite (far from the optimum: the
    likelihood is not globally concave) with the Hessian shifted by a multiple of the identity
    (Levenberg-Marquardt)."""
    info = -hess
    try:
        linalg.cholesky(info, lower=True)
    except linalg.LinAlgError:
        eig = np.linalg.eigvalsh(info)
        info = info + (abs(eig.min()) + 1e-4 * max(abs(eig.max()), 1.0)) * np.eye(len(grad))
    return linalg.solve(info, grad, assume_a="pos")


def _ascend(f, theta, step, cur_llf):
    """Step halving from ``theta`` along ``step`` until ``f(point).llf`` is not below
    ``cur_llf``: (point, f(point)), or None."""
    t = 1.0
    for _ in range(40):
        trial = theta + t * step
        trial[-1] = np.clip(trial[-1], -ATHRHO_MAX, ATHRHO_MAX)
        new = f(trial)
        if np.isfinite(new.llf) and new.llf >= cur_llf - 1e-12 * (1 + abs(cur_llf)):
            return trial, new
        t /= 2.0
    return None


def _change(new, old):
    return np.max(np.abs(new - old) / (1.0 + np.abs(old)))


@dataclass
class _Value:
    llf: float
    grad: np.ndarray
    hess: np.ndarray


def _model_maximum(d: SelectionDesign, theta, cur: _Eval, tol, maxiter=100):
    """Maximise the selected rows' terms (exact) plus the second-order expansion of the
    unselected rows' terms at ``theta`` (from ``cur``, exact there): Newton's method on the few
    selected rows, no pass over the panel."""
    kx, kz = d.X.shape[1], d.Z.shape[1]
    g = slice(kx, kx + kz)
    g0, up = theta[g].copy(), cur.unselected

    def model(th):
        dg = th[g] - g0
        idg = up.information @ dg
        llf, grad, H = _selected_sums(d, th, d.Z1 @ th[g])
        grad[g] += up.grad - idg
        H[g, g] -= up.information
        return _Value(llf + up.grad @ dg - 0.5 * dg @ idg, grad, (H + H.T) / 2.0)

    cur = model(theta)
    for _ in range(maxiter):
        found = _ascend(model, theta, _ascent_step(cur.hess, cur.grad), cur.llf)
        if found is None:
            break
        trial, new = found
        change = _change(trial, theta)
        theta, cur = trial, new
        if abs(theta[-1]) >= ATHRHO_MAX or change < tol:
            break
    return theta


def _from_selection_probit(d: SelectionDesign, theta, sel) -> _Eval:
    """:func:`_evaluate` at the two probits' estimate ``theta`` (athrho = 0), with no pass over
    the panel: the unselected rows' terms are the selection probit's last pass (``sel``, at the
    same gamma) minus its selected rows' terms. Its gradient is taken as 0 (the probit's
    maximum, to its tolerance): this only shapes the first step; every later pass is exact."""
    kx, kz = d.X.shape[1], d.Z.shape[1]
    g = slice(kx, kx + kz)
    zg1 = sel.eta[d.selected]
    ll1, r1, w1 = _PROBIT.evaluate_newton(np.ones(zg1.size), zg1)
    Z1 = d.Z1
    up = Pass(sel.params, sel.eta, sel.llf - float(ll1.sum()), -(r1 @ Z1),
              sel.newton_information - Z1.T @ (Z1 * w1[:, None]))
    llf, grad, H = _selected_sums(d, theta, zg1)
    grad[g] += up.grad
    H[g, g] -= up.information
    return _Eval(llf + up.llf, grad, (H + H.T) / 2.0, up)


def _maximise(d: SelectionDesign, start, tol, maxiter, first: _Eval | None = None):
    """Newton's method in which each pass over the panel (:func:`_evaluate`) is followed by the
    exact maximisation of the selected rows' terms against the unselected rows' second-order
    expansion (:func:`_model_maximum`); the pass at the point found accepts it (or halves the
    step). Stop after a step whose largest relative change is below ``tol``. ``first``: the
    evaluation at ``start`` when it is known (:func:`_from_selection_probit`)."""
    theta = np.asarray(start, dtype=np.float64).copy()
    cur = _evaluate(d, theta) if first is None else first
    converged, at_bound, it = False, False, 0
    for it in range(1, maxiter + 1):
        target = _model_maximum(d, theta, cur, tol)
        found = _ascend(lambda th: _evaluate(d, th), theta, target - theta, cur.llf)
        if found is None:
            raise ConvergenceError(
                f"heckprobit: no step increases the likelihood at iteration {it}")
        trial, new = found
        change = _change(trial, theta)
        theta, cur = trial, new
        if abs(theta[-1]) >= ATHRHO_MAX:
            at_bound = True
            break
        if change < tol:
            converged = True
            break
    return theta, cur, it, converged, at_bound


# --------------------------------------------------------------------------- model


class _ModelInfo:
    """The ``model`` attribute of the results (statsmodels' table tools read its names)."""

    def __init__(self, design: SelectionDesign):
        self.name = "Probit with sample selection"
        self.design = design
        self.endog_names = design.endog_name
        self.exog_names = (list(design.outcome_names)
                           + [SELECT_PREFIX + c for c in design.select_names] + ["athrho"])

    def __repr__(self):
        d = self.design
        return f"<{self.name}: {d.formula}, select {d.select}>"


#: selection probits by (digest of Z and s, constant column, tolerance): the last two
_SELECTION_PROBITS = Memo(2)


def _read_only(fit):
    for a in (fit.params, fit.eta, fit.newton_information):
        a.flags.writeable = False
    return fit


class HeckProbit:
    """Probit with sample selection: the model (data and specification); :meth:`fit` estimates.

    Parameters
    ----------
    formula : str
        Outcome equation, ``"targ_resist ~ ptargdef_secr + pchaloff"``.
    data : DataFrame or Panel
    select : str
        Selection equation, ``"dispute ~ ptargdef + pchaloff + ..."``. Its response is 0/1;
        the outcome response may be missing where it is 0.
    """

    def __init__(self, formula, data, *, select):
        self.design = build_selection_design(formula, select, data)
        self.info = _ModelInfo(self.design)
        d = self.design
        n_sel = d.selected.size
        if n_sel == 0:
            raise ValueError(f"no selected rows: {d.select_name!r} is 0 on every estimation row")
        if n_sel == d.nobs:
            raise ValueError(f"{d.select_name!r} is 1 on every estimation row: the selection "
                             "equation is not identified (fit a probit)")
        y1 = d.y1
        if y1.min() == y1.max():
            raise ValueError(f"outcome {d.endog_name!r} is {int(y1[0])} on all {n_sel} selected "
                             f"rows ({d.select_name} = 1): the outcome equation is not identified")

    def _probits(self, tol):
        """The two separate probits (the start, and the log-likelihood at rho = 0), to
        ``max(tol, PROBIT_TOL)``."""
        d = self.design
        tol = max(tol, PROBIT_TOL)
        # a study fits several outcome equations on one selection equation: its probit once
        sel = _SELECTION_PROBITS.get_or((digest(d.Z, d.s), d.select_constant, tol),
                                        lambda: _read_only(newton_binary(
                                            d.Z, d.s, _PROBIT, const_idx=d.select_constant, tol=tol)))
        out = newton_binary(d.X1, d.y1, _PROBIT, const_idx=_const(d.X1), tol=tol)
        if not (sel.converged and out.converged):
            raise ConvergenceError("heckprobit: a starting probit did not converge")
        return sel, out

    @blas_policy
    def fit(self, cov_type="classical", cov_kwds=None, *, start=None, tol=1e-8, maxiter=100):
        """Maximum likelihood.

        Parameters
        ----------
        cov_type, cov_kwds
            Covariance by name (see :mod:`foedus.models.covariance`), from the per-observation
            scores of both equations.
        start : array-like, optional
            (beta, gamma, athrho); default: the two separate probits and athrho = 0.
        tol, maxiter
            Largest relative parameter change at convergence, iteration limit.
        """
        check_cov_type(cov_type, HeckProbitResults.cov_types, "heckprobit", cov_kwds)
        d = self.design
        sel, out = self._probits(tol)
        llf_indep = sel.llf + out.llf
        theta0 = (np.concatenate([out.params, sel.params, [0.0]]) if start is None
                  else np.asarray(start, dtype=np.float64))
        if theta0.shape != (d.k,):
            raise ValueError(f"start has {theta0.shape} entries, the model has {d.k} parameters")
        first = _from_selection_probit(d, theta0, sel) if start is None else None
        theta, ev, it, converged, at_bound = _maximise(d, theta0, tol, maxiter, first)
        notes = []
        rho = float(np.tanh(theta[-1]))
        if at_bound or abs(rho) > RHO_BOUNDARY:
            msg = (f"rho went to the boundary (rho = {rho:.6f}, athrho = {theta[-1]:.3f}): the "
                   "likelihood is maximised at |rho| = 1; the standard errors are not reliable")
            warnings.warn(msg, RhoBoundaryWarning, stacklevel=3)
            notes.append(msg)
        elif not converged:
            warnings.warn(f"heckprobit did not converge in {it} iterations", ConvergenceWarning,
                          stacklevel=3)
        try:
            bread = linalg.inv(-ev.hess)
            linalg.cholesky(-ev.hess, lower=True)
        except linalg.LinAlgError as exc:
            raise ConvergenceError("heckprobit: the Hessian at the estimate is not negative "
                                   "definite (the maximum was not reached)") from exc
        bread = (bread + bread.T) / 2.0
        return HeckProbitResults(self.info, theta, bread, ev.llf, cov_type, cov_kwds,
                                 llf_indep=llf_indep, converged=converged and not at_bound,
                                 iterations=it, fit_notes=notes)


def _const(X):
    const = np.flatnonzero((X.max(axis=0) == X.min(axis=0)) & (X[0] != 0))
    return int(const[0]) if const.size else None


# --------------------------------------------------------------------------- results


class HeckProbitResults(ScoreResults):
    """Results of :class:`HeckProbit`: the inference surface of :class:`ScoreResults`
    (``params``, ``bse``, ``pvalues``, ``conf_int()``, ``cov_params()``, ``with_cov``) over the
    parameters (beta, ``select:`` gamma, athrho), plus ``rho``, tests of rho = 0 and
    :meth:`predict` for both equations.

    Parameters
    ----------
    model : object with ``design`` (:class:`SelectionDesign`) and ``exog_names``
    params : ndarray (k,)
    bread : ndarray (k, k)
        Inverse of the negative Hessian at ``params``.
    llf : float
    cov_type, cov_kwds
        Covariance by name; robust ones use the (n x k) per-observation scores.
    llf_indep : float
        Log-likelihood of the two separate probits (rho = 0), for the LR test.
    """

    def __init__(self, model, params, bread, llf, cov_type="classical", cov_kwds=None, *,
                 llf_indep, converged=True, iterations=None, fit_notes=()):
        self.llf_indep = float(llf_indep)
        super().__init__(model, params, bread, llf, cov_type, cov_kwds, converged=converged,
                         iterations=iterations, fit_notes=fit_notes,
                         info={"Method": "maximum likelihood (Newton, analytic Hessian)"})

    def _score_matrix(self) -> np.ndarray:
        # the registry's sandwich uses u_i = r_i x_i: the (n x k) score matrix as "X", r_i = 1
        return _scores(self.model.design, self._params)

    # -- sizes
    @property
    def n_selected(self) -> int:
        return int(self.model.design.selected.size)

    @property
    def n_censored(self) -> int:
        return self.nobs - self.n_selected

    @property
    def n_events(self) -> int:
        """Selected rows with outcome 1."""
        d = self.model.design
        return int(d.y1.sum())

    @property
    def df_model(self) -> int:
        """Slopes of the outcome equation (the degrees of freedom of Stata's model Wald test)."""
        X1 = self.model.design.X1
        return X1.shape[1] - (1 if _const(X1) is not None else 0)

    @property
    def llnull(self) -> float:
        return np.nan

    # -- rho
    @property
    def athrho(self) -> float:
        return float(self._params[-1])

    @property
    def rho(self) -> float:
        return float(np.tanh(self._params[-1]))

    @property
    def rho_conf_int(self) -> tuple[float, float]:
        """95% interval for rho: the Wald interval of athrho, transformed (as Stata)."""
        lo, hi = self.conf_int().iloc[-1]
        return float(np.tanh(lo)), float(np.tanh(hi))

    @property
    def wald_rho(self) -> tuple[float, float]:
        """Wald test of rho = 0: (chi2(1) = (athrho / se)^2, p-value), with this covariance."""
        z = self._params[-1] / np.sqrt(self._cov[-1, -1])
        return float(z * z), float(stats.chi2.sf(z * z, 1))

    @property
    def lr_rho(self) -> tuple[float, float]:
        """LR test of rho = 0 against the two separate probits: (chi2(1), p-value)."""
        stat = max(2.0 * (self.llf - self.llf_indep), 0.0)
        return float(stat), float(stats.chi2.sf(stat, 1))

    # -- predictions
    def predict(self, data=None, which: str = "conditional") -> np.ndarray:
        """Predicted probabilities on the estimation rows or on ``data`` (a DataFrame with the
        regressors of both equations; plain formulas only).

        ``which``: ``"selection"`` Pr(s = 1) = Phi(z g); ``"outcome"`` the marginal
        Pr(y = 1) = Phi(x b); ``"joint"`` Pr(y = 1, s = 1) = Phi_2(x b, z g; rho);
        ``"conditional"`` Pr(y = 1 | s = 1) = joint / selection.
        """
        d = self.model.design
        kx, kz = d.X.shape[1], d.Z.shape[1]
        if data is None:
            X, Z = d.X, d.Z
        else:
            frame = as_frame(data)
            X, Z = _columns(frame, d.outcome_names), _columns(frame, d.select_names)
        xb = X @ self._params[:kx]
        zg = Z @ self._params[kx:kx + kz]
        if which == "selection":
            return special.ndtr(zg)
        if which == "outcome":
            return special.ndtr(xb)
        if which not in ("joint", "conditional"):
            raise ValueError("which must be 'selection', 'outcome', 'joint' or 'conditional'")
        joint = bvn_cdf(xb, zg, self.rho)
        return joint if which == "joint" else joint / special.ndtr(zg)

    @property
    def fittedvalues(self):
        raise AttributeError("heckprobit has two linear indices: use predict(which=...)")

    def summary(self, alpha: float = 0.05):
        """A statsmodels ``summary2.Summary``: both equations' tables, rho and its tests."""
        from statsmodels.iolib.summary2 import Summary

        d = self.model.design
        smry = Summary()
        lr, lr_p = self.lr_rho
        wald, wald_p = self.wald_rho
        top = {
            "Model:": self.model.name,
            "Outcome:": d.endog_name,
            "Selection:": d.select_name,
            "No. observations:": str(self.nobs),
            "Selected:": str(self.n_selected),
            "Selected with outcome 1:": str(self.n_events),
            "Log-likelihood:": f"{self.llf:.4f}",
            "Covariance:": self.cov_label,
            "Converged:": str(self.converged),
            "Iterations:": str(self.iterations),
            "rho:": f"{self.rho:.4f}",
            "LR test rho=0 (chi2, p):": f"{lr:.3f}, {lr_p:.4f}",
            "Wald test rho=0 (chi2, p):": f"{wald:.3f}, {wald_p:.4f}",
        }
        if d.n_dropped:
            top["Rows dropped (missing):"] = str(d.n_dropped)
        smry.add_dict(top, ncols=2)
        ci = self.conf_int(alpha)
        table = pd.DataFrame({
            "Coef.": self.params, "Std.Err.": self.bse, "z": self.tvalues,
            "P>|z|": self.pvalues, f"[{alpha / 2:g}": ci[0], f"{1 - alpha / 2:g}]": ci[1],
        })
        kx, kz = d.X.shape[1], d.Z.shape[1]
        smry.add_dict({"Outcome equation:": d.endog_name})
        smry.add_df(table.iloc[:kx], float_format="%.4f")
        smry.add_dict({"Selection equation:": d.select_name})
        smry.add_df(table.iloc[kx:kx + kz], float_format="%.4f")
        smry.add_df(table.iloc[kx + kz:], float_format="%.4f")
        for note in self.cov_notes:
            smry.add_text(f"Note: {note}")
        smry.add_title(f"{self.model.name} results")
        return smry


def _columns(frame: pd.DataFrame, names) -> np.ndarray:
    missing = [c for c in names if c != "Intercept" and c not in frame.columns]
    if missing:
        raise KeyError(f"predict: data lacks columns {missing} (new data work with plain "
                       "formulas 'y ~ a + b'; for transformed terms add them as columns)")
    return np.column_stack([np.ones(len(frame)) if c == "Intercept"
                            else frame[c].to_numpy(dtype=np.float64) for c in names])


def heckprobit(formula, data, *, select, cov_type="classical", cov_kwds=None, start=None,
               tol=1e-8, maxiter=100) -> HeckProbitResults:
    """Fit a probit with sample selection (Stata ``heckprob``).

    ``heckprobit("targ_resist ~ ptargdef_secr + pchaloff", panel,
    select="dispute ~ ptargdef + pchaloff + capprop", cov_type="dyadic")``.
    Parameters: the outcome equation's under their plain names, the selection equation's
    prefixed ``select:``, then ``athrho`` = atanh(rho). See :class:`HeckProbit`.
    """
    model = HeckProbit(formula, data, select=select)
    return model.fit(cov_type=cov_type, cov_kwds=cov_kwds, start=start, tol=tol, maxiter=maxiter)
