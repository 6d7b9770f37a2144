"""What the Cox and Weibull estimators share: counting-process input, the results class
and the AFT -> PH reparameterisation (see :mod:`foedus.models.survival`)."""
from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from typing import get_args

import numpy as np
import pandas as pd

from ._design import build_design
from .options import Metric
from .results import ScoreResults

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


def _check_event(formula, event):
    response = formula.split("~", 1)[0].strip()
    if event is not None and event != response:
        raise ValueError(f"event={event!r} but the formula's response (the event indicator) is "
                         f"{response!r}; write the event column on the left of '~'")
