"""Average marginal effects of binary-response models, with delta-method standard errors.

For a 0/1 regressor :math:`x_j` the effect is the average discrete change
:math:`n^{-1}\\sum_i F(x_i^{(1)}\\beta) - F(x_i^{(0)}\\beta)` (:math:`x_i^{(v)}`: row i with
:math:`x_j = v`); for any other regressor the average derivative
:math:`\\beta_j n^{-1}\\sum_i f(x_i\\beta)`. The standard error under a covariance :math:`V` of
:math:`\\hat\\beta` is :math:`\\sqrt{g'Vg}`, :math:`g = \\partial\\mathrm{AME}/\\partial\\beta`
(delta method; Greene 2012, *Econometric Analysis*, 7th ed., section 17.3; statsmodels'
``get_margeff(at="overall", dummy=True)``). Rare-events and Firth logits use their own
coefficients with the logistic link.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def ame_gradient(X: np.ndarray, b: np.ndarray, family, j: int) -> tuple[float, np.ndarray]:
    """The average marginal effect of column ``j`` and its gradient in the coefficients."""
    n = X.shape[0]
    xj = X[:, j]
    eta = X @ b
    if np.isin(xj, (0.0, 1.0)).all():
        eta1 = eta + (1.0 - xj) * b[j]
        eta0 = eta - xj * b[j]
        f1, f0 = family.density(eta1), family.density(eta0)
        ame = float(np.mean(family.mean(eta1) - family.mean(eta0)))
        g = (f1 - f0) @ X / n
        g[j] = f1.mean()  # d/d b_j: x_j is 1 in the first term and 0 in the second
        return ame, g
    fe = family.density(eta)
    g = b[j] * (family.density_slope(eta) @ X) / n
    g[j] += fe.mean()
    return float(b[j] * fe.mean()), g


def average_marginal_effects(results, variables=None, alpha: float = 0.05) -> pd.DataFrame:
    """The table of average marginal effects of a fitted binary model (its covariance).

    Parameters
    ----------
    results : BinaryResults
        Logit, probit, rare-events or Firth logit results.
    variables : list of str, optional
        Regressors (default: every one but the constant).

    Returns
    -------
    DataFrame
        Index: the variables; columns ``dy/dx``, ``std err``, ``z``, ``P>|z|`` and the interval
        bounds (normal quantiles, as statsmodels).
    """
    family = getattr(results.model, "family", None)
    if family is None or not hasattr(family, "density"):
        raise TypeError(f"average marginal effects are for binary models (logit, probit, relogit, "
                        f"firth); {type(results).__name__} has none")
    design = results.model.design
    names = list(results.params.index)
    const = design.has_constant()
    if variables is None:
        variables = [v for k, v in enumerate(names) if k != const]
    X, b = design.X, results.params.to_numpy()
    V = results.cov_params().to_numpy()
    rows = {}
    for v in variables:
        if v not in names:
            raise KeyError(f"{v!r} is not a regressor of the model; regressors: {names}")
        ame, g = ame_gradient(X, b, family, names.index(v))
        rows[v] = (ame, float(np.sqrt(max(g @ V @ g, 0.0))))
    out = pd.DataFrame(rows, index=["dy/dx", "std err"]).T
    out["z"] = out["dy/dx"] / out["std err"]
    out["P>|z|"] = 2 * stats.norm.sf(np.abs(out["z"]))
    q = stats.norm.ppf(1 - alpha / 2)
    out[f"[{alpha / 2:g}"] = out["dy/dx"] - q * out["std err"]
    out[f"{1 - alpha / 2:g}]"] = out["dy/dx"] + q * out["std err"]
    return out


__all__ = ["ame_gradient", "average_marginal_effects"]
