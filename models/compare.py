"""Side-by-side comparison of fitted models (linearmodels' ``compare``): each column shows a
model's coefficients with the standard errors of the covariance that model was given (its
``cov_type``, or the one chosen with ``with_cov``), never a refit's or the default's.

``foedus.models.compare({"logit": res_a, "probit": res_b.with_cov("dyadic")})``
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .results import significant

__all__ = ["compare", "Comparison"]


class Comparison:
    """Coefficients, standard errors and fit statistics of several results, aligned by name.

    Attributes
    ----------
    params, bse, pvalues : DataFrame
        Variables x models (NaN where a model lacks the variable).
    covariances : Series
        The covariance label of each model's standard errors.
    """

    def __init__(self, results: dict):
        self.results = dict(results)
        cols = list(self.results)
        self.params = pd.concat([r.params for r in self.results.values()], axis=1, keys=cols)
        self.bse = pd.concat([r.bse for r in self.results.values()], axis=1, keys=cols)
        self.pvalues = pd.concat([r.pvalues for r in self.results.values()], axis=1, keys=cols)
        self.covariances = pd.Series({k: r.cov_label for k, r in self.results.items()})

    def summary(self, digits: int = 4) -> pd.DataFrame:
        """The table as text: per variable a coefficient row and a row with its standard error
        in parentheses, then the covariance, observations, events and log-likelihood."""
        rows, index = [], []
        for var in self.params.index:
            b, se = self.params.loc[var], self.bse.loc[var]
            rows.append([significant(v, digits) if np.isfinite(v) else "" for v in b])
            rows.append([f"({significant(v, digits)})" if np.isfinite(v) else "" for v in se])
            index += [var, ""]
        for label, values in (
                ("Covariance", self.covariances.tolist()),
                ("N", [f"{r.nobs:,}" for r in self.results.values()]),
                ("Events", ["" if r.n_events is None else f"{r.n_events:,}"
                            for r in self.results.values()]),
                ("Log-likelihood", [f"{r.llf:.4f}" if np.isfinite(r.llf) else ""
                                    for r in self.results.values()])):
            rows.append(values)
            index.append(label)
        return pd.DataFrame(rows, index=index, columns=list(self.results))

    def __str__(self):
        return self.summary().to_string()

    def __repr__(self):
        return f"<Comparison of {len(self.results)} models>\n{self}"


def compare(results) -> Comparison:
    """Compare fitted models: a list (columns named by each model's name, numbered when they
    repeat) or a dict name -> results. See :class:`Comparison`."""
    if not isinstance(results, dict):
        results = list(results)
        names = [r.model.name for r in results]
        labels = [n if names.count(n) == 1 else f"{n} ({i + 1})" for i, n in enumerate(names)]
        results = dict(zip(labels, results))
    if not results:
        raise ValueError("compare needs at least one results object")
    return Comparison(results)
