r"""Inference from estimates and a covariance: once, for every results object.

The arithmetic is pure functions of ``(params, cov, df)`` (``df`` None: normal reference
distribution; a number: t / F on that many residual degrees of freedom), so a results object
and a stored record (:class:`foedus.replication.run.Fit`, which keeps one covariance per key)
compute standard errors, p-values and intervals the same way:
:func:`standard_errors`, :func:`pvalues`, :func:`conf_int`, :func:`wald`, :func:`contrasts`
and :func:`restrictions` (the string form ``"x1 = 0, x2 = x3"`` of linear restrictions
:math:`Rb = q`).

The class tree of results (statsmodels' pattern: model -> immutable results):

* :class:`InferenceResults` -- params, one covariance, ``use_t`` and ``df_resid``:
  ``bse``, ``tvalues``, ``pvalues``, ``conf_int()``, ``cov_params()``, ``wald_test``,
  ``t_test`` and the coefficient table of ``summary()``.
* :class:`foedus.models.results.ScoreResults` -- adds the bread and per-observation scores, so
  any covariance of :mod:`foedus.models.covariance` is computed (once, with its notes) by name
  and :meth:`~foedus.models.results.ScoreResults.with_cov` gives a sibling without a refit.
  OLS, Cox/Weibull, heckprobit, lpm_fe and clogit results are of this kind.
* :class:`foedus.models.results.BinaryResults` -- binary responses (logit, probit, relogit,
  Firth): events, predicted probabilities, marginal effects and first differences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import stats

from .covariance import standard_errors

__all__ = ["standard_errors", "pvalues", "critical_value", "conf_int", "restrictions", "wald",
           "contrasts", "WaldTest", "InferenceResults"]


def pvalues(statistic, df=None) -> np.ndarray:
    """Two-sided p-values of z (``df`` None) or t statistics on ``df`` degrees of freedom."""
    s = np.abs(np.asarray(statistic, dtype=np.float64))
    return 2 * (stats.norm.sf(s) if df is None else stats.t.sf(s, df))


def critical_value(alpha: float = 0.05, df=None) -> float:
    """The 1 - alpha/2 quantile of the normal (``df`` None) or of t on ``df`` degrees."""
    return float(stats.norm.ppf(1 - alpha / 2) if df is None else stats.t.ppf(1 - alpha / 2, df))


def conf_int(params, bse, alpha: float = 0.05, df=None) -> tuple[np.ndarray, np.ndarray]:
    """Wald interval bounds ``params -/+ q * bse``."""
    q = critical_value(alpha, df)
    b, se = np.asarray(params, dtype=np.float64), np.asarray(bse, dtype=np.float64)
    return b - q * se, b + q * se


_NUMBER = re.compile(r"\s*((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*")


def _linear_side(text: str, names: list, where: str) -> tuple[np.ndarray, float]:
    """Coefficients on ``names`` and the constant of one side of a restriction."""
    coef, const = np.zeros(len(names)), 0.0
    by_length = sorted(range(len(names)), key=lambda j: -len(names[j]))
    pos, n = 0, len(text)
    while pos < n:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos == n:
            break
        sign = 1.0
        while pos < n and text[pos] in "+- ":
            if text[pos] == "-":
                sign = -sign
            pos += 1
        factor, number = 1.0, _NUMBER.match(text, pos)
        if number:
            factor, pos = float(number.group(1)), number.end()
            if pos < n and text[pos] == "*":
                pos += 1
                while pos < n and text[pos].isspace():
                    pos += 1
            else:
                const += sign * factor
                continue
        name = next((j for j in by_length if text.startswith(names[j], pos)), None)
        if name is None:
            raise ValueError(f"restriction {where!r}: cannot read {text[pos:]!r}; terms are "
                             f"numbers and coefficient names ({', '.join(names)})")
        coef[name] += sign * factor
        pos += len(names[name])
        while pos < n and text[pos].isspace():
            pos += 1
        if pos < n and text[pos] not in "+-":
            raise ValueError(f"restriction {where!r}: expected + or - before {text[pos:]!r}")
    return coef, const


def restrictions(spec, names, q=None) -> tuple[np.ndarray, np.ndarray]:
    """``(R, q)`` of linear restrictions :math:`Rb = q` on coefficients ``names``.

    ``spec`` is a string, restrictions separated by commas, each ``lhs = rhs`` with linear
    combinations of coefficient names and numbers (``"x1 = 0, x2 = x3"``, ``"2*x1 + x2 = 1"``;
    a restriction without ``=`` means ``= 0``); or a matrix R (one row per restriction, one
    column per coefficient) with ``q`` (default zeros).
    """
    names = list(names)
    if isinstance(spec, str):
        if q is not None:
            raise ValueError("q is given by the string form itself ('x1 = 1'); pass q only with R")
        rows, consts = [], []
        for part in (p.strip() for p in spec.split(",")):
            if not part:
                continue
            sides = part.split("=")
            if len(sides) > 2:
                raise ValueError(f"restriction {part!r} has more than one '='")
            lhs, lc = _linear_side(sides[0], names, part)
            rhs, rc = _linear_side(sides[1], names, part) if len(sides) == 2 else (0.0 * lhs, 0.0)
            if not np.any(lhs - rhs):
                raise ValueError(f"restriction {part!r} involves no coefficient")
            rows.append(lhs - rhs)
            consts.append(rc - lc)
        if not rows:
            raise ValueError("no restriction given")
        return np.vstack(rows), np.asarray(consts)
    R = np.atleast_2d(np.asarray(spec, dtype=np.float64))
    if R.shape[1] != len(names):
        raise ValueError(f"R has {R.shape[1]} columns, the model has {len(names)} coefficients")
    q = np.zeros(R.shape[0]) if q is None else np.atleast_1d(np.asarray(q, dtype=np.float64))
    if q.shape != (R.shape[0],):
        raise ValueError(f"q has {q.size} entries for {R.shape[0]} restrictions")
    return R, q


@dataclass(frozen=True)
class WaldTest:
    """A joint Wald test of :math:`Rb = q`: chi2 on ``df_num`` degrees of freedom, or F on
    (``df_num``, ``df_denom``) when inference is t-based (then ``statistic`` is the F value)."""

    statistic: float
    pvalue: float
    df_num: int
    df_denom: float | None
    distribution: str  # "chi2" or "F"

    def __repr__(self):
        df = f"{self.df_num}" + (f", {self.df_denom:g}" if self.df_denom is not None else "")
        return f"<Wald test: {self.distribution}({df}) = {self.statistic:.4f}, p = {self.pvalue:.4g}>"


def wald(params, cov, R, q, df=None) -> WaldTest:
    r"""Joint test of :math:`Rb = q`: :math:`W = (Rb - q)'(RVR')^{-1}(Rb - q)`, chi2 with J
    (rows of R) degrees of freedom, or :math:`F = W / J` on (J, ``df``) when ``df`` is given
    (statsmodels' ``wald_test`` with ``use_f`` = ``use_t``)."""
    R = np.atleast_2d(R)
    d = R @ np.asarray(params, dtype=np.float64) - q
    middle = R @ np.asarray(cov, dtype=np.float64) @ R.T
    try:
        w = float(d @ np.linalg.solve(middle, d))
    except np.linalg.LinAlgError:
        raise np.linalg.LinAlgError("the restrictions are linearly dependent (R V R' is "
                                    "singular): drop the redundant ones") from None
    J = R.shape[0]
    if df is None:
        return WaldTest(w, float(stats.chi2.sf(w, J)), J, None, "chi2")
    f = w / J
    return WaldTest(f, float(stats.f.sf(f, J, df)), J, float(df), "F")


def contrasts(params, cov, R, q, df=None, alpha: float = 0.05, index=None) -> pd.DataFrame:
    """Each restriction on its own: estimate of Rb - q, its standard error, z or t, p-value and
    interval (statsmodels' ``t_test(...).summary_frame()`` columns)."""
    R = np.atleast_2d(R)
    effect = R @ np.asarray(params, dtype=np.float64) - q
    se = np.sqrt(np.einsum("ij,jk,ik->i", R, np.asarray(cov, dtype=np.float64), R))
    stat = effect / se
    lo, hi = conf_int(effect, se, alpha, df)
    name = "z" if df is None else "t"
    return pd.DataFrame({"coef": effect, "std err": se, name: stat, f"P>|{name}|": pvalues(stat, df),
                         "Conf. Int. Low": lo, "Conf. Int. Upp.": hi}, index=index)


class InferenceResults:
    """Estimates, one covariance and the reference distribution: everything derived from them.

    Subclasses set ``model`` (with ``exog_names``), ``_params``, ``_cov``, ``cov_label``,
    ``use_t`` and ``df_resid``. Derived quantities are cached properties without side
    effects; nothing here changes the object.
    """

    use_t: bool = False

    @property
    def names(self) -> list:
        return list(self.model.exog_names)

    @property
    def _df(self):
        """Degrees of freedom of the reference distribution (None: normal)."""
        return self.df_resid if self.use_t else None

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
        return pd.Series(pvalues(self.tvalues.to_numpy(), self._df), index=self.names, name="pvalues")

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald confidence intervals (columns 0 and 1, as statsmodels): normal quantiles, or t
        on ``df_resid`` degrees of freedom when ``use_t``."""
        lo, hi = conf_int(self._params, self.bse.to_numpy(), alpha, self._df)
        return pd.DataFrame({0: lo, 1: hi}, index=self.names)

    def params_table(self, alpha: float = 0.05) -> pd.DataFrame:
        """The coefficient table of :meth:`summary` (numbers)."""
        ci = self.conf_int(alpha)
        stat = "t" if self.use_t else "z"
        return pd.DataFrame({"Coef.": self.params, "Std.Err.": self.bse, stat: self.tvalues,
                             f"P>|{stat}|": self.pvalues, f"[{alpha / 2:g}": ci[0],
                             f"{1 - alpha / 2:g}]": ci[1]})

    def wald_test(self, r_matrix, q=None) -> WaldTest:
        """Joint Wald test of linear restrictions under this result's covariance.

        ``r_matrix``: ``"x1 = 0, x2 = x3"`` or a matrix R with ``q`` (see :func:`restrictions`).
        chi2, or F on (J, ``df_resid``) when inference is t-based (``use_t``).
        """
        R, q = restrictions(r_matrix, self.names, q)
        return wald(self._params, self._cov, R, q, self._df)

    def t_test(self, r_matrix, q=None, alpha: float = 0.05) -> pd.DataFrame:
        """Each linear restriction tested on its own (z, or t when ``use_t``), one row each.

        The string form's restrictions label the rows.
        """
        R, q = restrictions(r_matrix, self.names, q)
        index = ([p.strip() for p in r_matrix.split(",") if p.strip()] if isinstance(r_matrix, str)
                 else [f"c{i}" for i in range(R.shape[0])])
        return contrasts(self._params, self._cov, R, q, self._df, alpha, index)
