"""Substantive effects by simulation (King, Tomz & Wittenberg 2000; Clarify's ``simqi``).

Notes
-----
With estimate :math:`\\hat\\beta` and covariance :math:`\\hat V`, draw
:math:`\\tilde\\beta_s \\sim N(\\hat\\beta, \\hat V)`, :math:`s = 1..S`, and compute for each
scenario :math:`x_v` (the other regressors at their means, the variable of interest at :math:`v`)
:math:`\\tilde p_{vs} = F(x_v \\tilde\\beta_s)`, with :math:`F` the model's link (normal CDF for
probit, logistic otherwise). The percentage change is
:math:`100 (\\tilde p_{1s} - \\tilde p_{0s}) / \\tilde p_{0s}`. Intervals are percentiles of the
draws. The random generator is seeded, so results are identical on every run.

For a probit with sample selection (``heckprobit``: outcome parameters plain-named, selection
parameters ``select:<name>``, correlation ``athrho``) the probability is the outcome's given
selection, :math:`\\Pr(y = 1 \\mid s = 1) = \\Phi_2(x\\beta, z\\gamma; \\rho) / \\Phi(z\\gamma)`, with
:math:`\\rho = \\tanh(\\text{athrho})` (Stata's ``predict, pcond``); only the outcome equation's
coefficient of the effect variable is set to the two values, every other column (in both
equations) is held at its profile value.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from foedus.models.bivariate import bvn_cdf
from foedus.replication.study import Effect, Model

INTERCEPT_NAMES = ("Intercept", "const", "_cons")
#: Parameter-name conventions of the selection probit (foedus.models.heckprobit).
SELECT_PREFIX, ATHRHO = "select:", "athrho"


@dataclass
class EffectResult:
    """Simulated predicted probabilities at two values of one variable, on one data version."""

    data: str
    effect: Effect
    x: pd.Series  # the profile (other variables at their means), variable at values[0]
    n_profile_rows: int  # rows the means were taken over
    point: dict  # value -> predicted probability at the estimate
    draws: dict  # value -> ndarray of simulated probabilities
    change_point: float
    change_draws: np.ndarray

    def summary(self) -> dict:
        lo, hi = self.effect.interval
        out = {}
        for v, d in self.draws.items():
            out[v] = {"point": self.point[v], "mean": float(d.mean()),
                      "lo": float(np.percentile(d, lo)), "hi": float(np.percentile(d, hi))}
        c = self.change_draws
        out["change"] = {"point": self.change_point, "mean": float(c.mean()),
                         "lo": float(np.percentile(c, lo)), "hi": float(np.percentile(c, hi))}
        # first difference p(v1) - p(v0), in probability points, from the same draws
        v0, v1 = self.effect.values[0], self.effect.values[1]
        fd = self.draws[v1] - self.draws[v0]
        out["difference"] = {"point": self.point[v1] - self.point[v0], "mean": float(fd.mean()),
                             "lo": float(np.percentile(fd, lo)), "hi": float(np.percentile(fd, hi))}
        return out


def _link(estimator: str):
    if estimator == "probit":
        return stats.norm.cdf
    if estimator in ("logit", "relogit", "firth"):
        return special.expit
    raise ValueError(f"no link known for estimator {estimator!r}")


def probability_label(model: Model) -> str:
    """What the simulated probability is: ``Pr(y = 1)``, or ``Pr(y = 1 | s = 1)`` for heckprobit."""
    if model.estimator == "heckprobit":
        select = dict(model.options)["select"].split("~", 1)[0].strip()
        return f"Pr({model.response} = 1 | {select} = 1)"
    return f"Pr({model.response} = 1)"


def _probability(estimator: str, names: list, params: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Predicted probabilities for parameter vectors ``params`` (rows) at profile ``x``."""
    if estimator != "heckprobit":
        return _link(estimator)(params @ x)
    sel = np.array([n.startswith(SELECT_PREFIX) for n in names])
    rho_at = names.index(ATHRHO)
    out_ = ~sel
    out_[rho_at] = False
    xb = params[..., out_] @ x[out_]
    zg = params[..., sel] @ x[sel]
    rho = np.tanh(params[..., rho_at])
    return bvn_cdf(xb, zg, rho) / stats.norm.cdf(zg)


def simulate_effect(effect: Effect, model: Model, fit, frame: pd.DataFrame) -> EffectResult:
    """Simulate ``effect`` from a fitted model and its estimation sample ``frame``.

    Parameters
    ----------
    effect : Effect
    model : Model
        The model that was fitted (its estimator gives the link).
    fit : foedus.replication.run.Fit
    frame : DataFrame
        The estimation sample (complete rows) the model was fitted on.
    """
    rows = frame.query(effect.means_where) if effect.means_where else frame
    if len(rows) == 0:
        raise ValueError(f"effect of {effect.variable!r}: no estimation-sample rows satisfy "
                         f"{effect.means_where!r}")
    names = list(fit.params.index)
    if effect.variable not in names:
        raise KeyError(f"effect variable {effect.variable!r} is not a regressor of {model.name!r}")
    x = {}
    for name in names:
        column = name[len(SELECT_PREFIX):] if name.startswith(SELECT_PREFIX) else name
        if column in INTERCEPT_NAMES or name == ATHRHO:
            x[name] = 1.0  # athrho's entry is never multiplied (see _probability)
        elif column in rows.columns:
            x[name] = float(rows[column].median() if effect.center == "median" else rows[column].mean())
        else:
            raise KeyError(f"effect: regressor {name!r} of {model.name!r} is not a column; "
                           "profiles are defined for plain-column formulas only")
    x = pd.Series(x)[names]
    beta = fit.params.to_numpy()
    cov = fit.cov[effect.cov_type].to_numpy()
    rng = np.random.default_rng(effect.seed)
    sims = rng.multivariate_normal(beta, cov, size=effect.draws, method="cholesky")
    point, draws = {}, {}
    for v in effect.values:
        xv = x.copy()
        xv[effect.variable] = float(v)
        point[v] = float(_probability(model.estimator, names, beta, xv.to_numpy()))
        draws[v] = _probability(model.estimator, names, sims, xv.to_numpy())
    v0, v1 = effect.values[0], effect.values[1]
    change_draws = 100.0 * (draws[v1] - draws[v0]) / draws[v0]
    change_point = 100.0 * (point[v1] - point[v0]) / point[v0]
    x0 = x.copy()
    x0[effect.variable] = float(v0)
    return EffectResult(fit.data, effect, x0, len(rows), point, draws, change_point, change_draws)
