"""Marginal effects and first differences of binary-response models, with delta-method
standard errors under the result's covariance.

For a 0/1 regressor :math:`x_j` the effect is the average discrete change
:math:`n^{-1}\\sum_i F(x_i^{(1)}\\beta) - F(x_i^{(0)}\\beta)` (:math:`x_i^{(v)}`: row i with
:math:`x_j = v`); for any other regressor the average derivative
:math:`\\beta_j n^{-1}\\sum_i f(x_i\\beta)`. The rows averaged over are the sample's
(``at="overall"``, the average marginal effect), the single row of sample means
(``at="mean"``), or the sample's rows with some variables set to given values (``at={"contig":
1}``, statsmodels' ``atexog``). A first difference is
:math:`n^{-1}\\sum_i F(x_i^{(b)}\\beta) - F(x_i^{(a)}\\beta)` for a change of one variable
from a to b. The standard error under a covariance :math:`V` of :math:`\\hat\\beta` is
:math:`\\sqrt{g'Vg}`, :math:`g` the gradient of the quantity in :math:`\\beta` (delta method;
Greene 2012, *Econometric Analysis*, 7th ed., section 17.3; statsmodels'
``get_margeff(at=..., dummy=True)``). Rare-events and Firth logits use their own coefficients
with the logistic link.

Values are set on the data, not only on the design: for a model fitted with a formula, setting
``x`` rebuilds every term that uses it (``x + I(x**2)``, interactions) from the formula.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .inference import conf_int, pvalues

def effect_gradient(X: np.ndarray, b: np.ndarray, family, j: int, dummy: bool):
    """The marginal effect of column ``j`` averaged over the rows of ``X`` and its gradient in
    the coefficients: a discrete change 0 -> 1 if ``dummy``, else the derivative."""
    n = X.shape[0]
    xj = X[:, j]
    eta = X @ b
    if dummy:
        eta1 = eta + (1.0 - xj) * b[j]
        eta0 = eta - xj * b[j]
        f1, f0 = family.density(eta1), family.density(eta0)
        effect = float(np.mean(family.mean(eta1) - family.mean(eta0)))
        g = (f1 - f0) @ X / n
        g[j] = f1.mean()  # d/d b_j: x_j is 1 in the first term and 0 in the second
        return effect, g
    fe = family.density(eta)
    g = b[j] * (family.density_slope(eta) @ X) / n
    g[j] += fe.mean()
    return float(b[j] * fe.mean()), g


def ame_gradient(X: np.ndarray, b: np.ndarray, family, j: int) -> tuple[float, np.ndarray]:
    """The average marginal effect of column ``j`` over the sample ``X`` and its gradient (a
    discrete change when the column is 0/1)."""
    return effect_gradient(X, b, family, j, bool(np.isin(X[:, j], (0.0, 1.0)).all()))


def _binary(results):
    family = getattr(results.model, "family", None)
    if family is None or not hasattr(family, "density"):
        raise TypeError(f"marginal effects are for binary models (logit, probit, relogit, "
                        f"firth); {type(results).__name__} has none")
    return family


def _set(results, values: dict) -> np.ndarray:
    """The sample's design rows with the variables of ``values`` set (on the data, then the
    formula's terms rebuilt, for formula models; on the design's columns otherwise)."""
    design = results.model.design
    names = list(results.params.index)
    frame = design.frame
    if design.formula is not None and frame is not None:
        unknown = [v for v in values if v not in frame.columns]
        if unknown:
            raise KeyError(f"{unknown} are not columns of the model's data; variables: "
                           f"{sorted(set(frame.columns) & set(design.formula.replace('~', ' ').split()))}")
        return np.ascontiguousarray(design.exog_for(frame.assign(**values)))
    unknown = [v for v in values if v not in names]
    if unknown:
        raise KeyError(f"{unknown} are not regressors of the model; regressors: {names}")
    X = design.X.copy()
    for v, value in values.items():
        X[:, names.index(v)] = value
    return X


def _rows(results, at) -> np.ndarray:
    if isinstance(at, dict):
        return _set(results, at)
    if at == "overall":
        return results.model.design.X
    if at == "mean":
        return results.model.design.X.mean(axis=0)[None, :]
    raise ValueError(f"at={at!r}; choose 'overall', 'mean' or a dict of values")


def _table(estimates, ses, index, column, alpha) -> pd.DataFrame:
    est, se = np.asarray(estimates, dtype=np.float64), np.asarray(ses, dtype=np.float64)
    out = pd.DataFrame({column: est, "std err": se}, index=index)
    out["z"] = est / se
    out["P>|z|"] = pvalues(out["z"].to_numpy())
    lo, hi = conf_int(est, se, alpha)
    out[f"[{alpha / 2:g}"], out[f"{1 - alpha / 2:g}]"] = lo, hi
    return out


def marginal_effects(results, variables=None, alpha: float = 0.05, at="overall") -> pd.DataFrame:
    """The table of marginal effects of a fitted binary model (under its covariance).

    Parameters
    ----------
    results : BinaryResults
        Logit, probit, rare-events or Firth logit results.
    variables : list of str, optional
        Regressors (default: every one but the constant).
    at : {"overall", "mean"} or dict
        Average over the sample (default), at the sample means, or over the sample with the
        variables of the dict set to its values.

    Returns
    -------
    DataFrame
        Index: the variables; columns ``dy/dx``, ``std err``, ``z``, ``P>|z|`` and the interval
        bounds (normal quantiles, as statsmodels).
    """
    family = _binary(results)
    design = results.model.design
    names = list(results.params.index)
    const = design.has_constant()
    if variables is None:
        variables = [v for k, v in enumerate(names) if k != const]
    X, b = _rows(results, at), results.params.to_numpy()
    V = results.cov_params().to_numpy()
    effects, ses = [], []
    for v in variables:
        if v not in names:
            raise KeyError(f"{v!r} is not a regressor of the model; regressors: {names}")
        j = names.index(v)
        # a 0/1 regressor by its sample values, whatever the rows evaluated (means, set values)
        dummy = bool(np.isin(design.X[:, j], (0.0, 1.0)).all())
        effect, g = effect_gradient(X, b, family, j, dummy)
        effects.append(effect)
        ses.append(float(np.sqrt(max(g @ V @ g, 0.0))))
    return _table(effects, ses, list(variables), "dy/dx", alpha)


def first_difference(results, variable: str, from_, to, at="overall",
                     alpha: float = 0.05) -> pd.DataFrame:
    """Pr(y = 1 | ``variable`` = ``to``) - Pr(y = 1 | ``variable`` = ``from_``) with its
    delta-method standard error, the other variables as ``at`` says (see
    :func:`marginal_effects`; with a dict, ``variable`` must not be in it).

    Returns
    -------
    DataFrame
        One row (``"variable: from -> to"``), columns ``first difference``, ``std err``, ``z``,
        ``P>|z|`` and the interval bounds.
    """
    family = _binary(results)
    values = dict(at) if isinstance(at, dict) else {}
    if variable in values:
        raise ValueError(f"{variable!r} is the variable changed; do not also set it in at=")
    X1, X0 = _set(results, {**values, variable: to}), _set(results, {**values, variable: from_})
    if at == "mean":
        X1, X0 = X1.mean(axis=0)[None, :], X0.mean(axis=0)[None, :]
    elif not isinstance(at, dict) and at != "overall":
        raise ValueError(f"at={at!r}; choose 'overall', 'mean' or a dict of values")
    b = results.params.to_numpy()
    eta1, eta0 = X1 @ b, X0 @ b
    fd = float(np.mean(family.mean(eta1) - family.mean(eta0)))
    g = (family.density(eta1) @ X1 - family.density(eta0) @ X0) / X1.shape[0]
    V = results.cov_params().to_numpy()
    se = float(np.sqrt(max(g @ V @ g, 0.0)))
    return _table([fd], [se], [f"{variable}: {from_} -> {to}"], "first difference", alpha)


def average_marginal_effects(results, variables=None, alpha: float = 0.05) -> pd.DataFrame:
    """Average marginal effects: :func:`marginal_effects` with ``at="overall"``."""
    return marginal_effects(results, variables, alpha, "overall")


__all__ = ["ame_gradient", "effect_gradient", "marginal_effects", "first_difference",
           "average_marginal_effects"]
