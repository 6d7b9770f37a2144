r"""Fixed-effects models on the dyad-year panel.

* :func:`lpm_fe`: linear probability model with dyad and year effects, estimated by OLS on
  the within-transformed data (:mod:`foedus.models._within`; Wooldridge 2010, ch. 10). Used in this
  literature since Green, Kim & Yoon (2001, "Dirty Pool", *International Organization*
  55(2)).
* :func:`clogit`: conditional (dyad fixed-effects) logit (Chamberlain 1980, *Review of
  Economic Studies* 47(1)), by statsmodels ``ConditionalLogit``. Dyads whose outcome never
  varies carry no information for the slopes and are dropped before fitting; the count is
  reported.

Panel columns: ``ccode1`` (challenger), ``ccode2`` (target), ``year``. The directed dyad is
(ccode1, ccode2); the undirected dyad is (min, max).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from foedus.threads import blas_policy
from ._design import build_design, check_rank
from ._within import dense_codes, within
from .covariance import DEFAULT_MEMBERS, check_cov_type, resolve_groups
from .errors import DesignError
from .results import ModelInfo, ScoreResults

__all__ = ["lpm_fe", "clogit", "FixedEffectsResults", "LPMResults", "ConditionalLogitResults",
           "DroppedGroupsWarning", "CLOGIT_COV_TYPES"]


#: Covariances of :func:`clogit`, built from per-group scores: "robust" treats the groups as
#: independent; "HC1" and "twoway" have no group-score analogue here.
CLOGIT_COV_TYPES = ("classical", "nonrobust", "HC0", "robust", "cluster", "dyadic")


class DroppedGroupsWarning(UserWarning):
    """Groups without variation in the outcome were dropped."""


class FixedEffectsResults(ScoreResults):
    """The inference surface of :class:`~foedus.models.results.ScoreResults` over a
    fixed-effects fit, whose parameters are the slopes only (the effects are absorbed); for
    :func:`clogit` the underlying statsmodels result is ``raw`` (None for :func:`lpm_fe`).

    Subclasses: :class:`LPMResults` (:func:`lpm_fe`) and :class:`ConditionalLogitResults`
    (:func:`clogit`).
    """

    def __init__(self, model, params, bread, llf, cov_type="classical", cov_kwds=None, *,
                 scores=None, score_factor=None, raw=None, info=None, members=DEFAULT_MEMBERS,
                 df_resid=None):
        self.raw = raw
        self.members = tuple(members)
        super().__init__(model, params, bread, llf, cov_type, cov_kwds, scores=scores,
                         score_factor=score_factor, info=info, df_resid=df_resid)

    def _cov_kwds(self, cov_type, kwds):
        if cov_type in ("cluster", "twoway", "dyadic"):
            return {"members": self.members, **kwds}
        return kwds


class LPMResults(FixedEffectsResults):
    """Results of :func:`lpm_fe`: every registry covariance from the within-transformed
    regressors and the residuals (``with_cov`` without a refit)."""


class ConditionalLogitResults(FixedEffectsResults):
    """Results of :func:`clogit`: covariances from the per-group scores of the conditional
    likelihood (one row per informative group), among :data:`CLOGIT_COV_TYPES`.

    "robust" treats groups as independent (= clustering on the groups); "cluster" needs a
    variable constant within each group; "dyadic" applies Aronow-Samii-Assenova to the group
    scores (groups must be dyads).
    """

    cov_types = CLOGIT_COV_TYPES

    def __init__(self, model, params, bread, llf, cov_type="classical", cov_kwds=None, *,
                 raw, groups, frame, info=None, members=DEFAULT_MEMBERS):
        self._groups = groups  # group code of each used row
        self._frame_used = frame  # the used rows of the data
        # statsmodels keeps groups in order of first appearance
        self._first = np.sort(np.unique(groups, return_index=True)[1])
        self._y = np.asarray(raw.model.endog)
        super().__init__(model, params, bread, llf, cov_type, cov_kwds, raw=raw, info=info,
                         members=members)

    @property
    def nobs(self) -> int:
        """Rows of the informative groups (the groups without variation are dropped)."""
        return int(self._groups.size)

    @property
    def n_events(self) -> int:
        return int(np.count_nonzero(self._y == 1))

    def _score_matrix(self):
        mod = self.raw.model
        return np.vstack([mod.score_grp(i, self._params) for i in range(mod._n_groups)])

    def _score_frame(self):
        return self._frame_used.iloc[self._first]

    def _cov_kwds(self, cov_type, kwds):
        kwds = super()._cov_kwds(cov_type, kwds)
        if cov_type != "cluster":
            return kwds
        spec = kwds.get("groups")
        if spec is None:
            raise ValueError("cov_type='cluster' needs cov_kwds={'groups': ...}")
        row_codes = resolve_groups(spec, self._frame_used, self._groups.size, self.members)
        per_group = pd.Series(row_codes).groupby(self._groups).nunique().to_numpy()
        if np.any(per_group > 1):
            raise ValueError("the cluster variable must be constant within each clogit group")
        return {**kwds, "groups": row_codes[self._first]}

    def _set_covariance(self, cov_type, kwds):
        super()._set_covariance(cov_type, kwds)
        if cov_type not in ("classical", "nonrobust"):
            self.cov_label = self.cov_label + " on group scores"


def _drop_intercept(design):
    const = design.has_constant()
    if const is None:
        return design.X, design.exog_names
    keep = [j for j in range(design.k) if j != const]
    return design.X[:, keep], [design.exog_names[j] for j in keep]


@blas_policy
def lpm_fe(formula=None, data=None, *, endog=None, exog=None, entity="directed_dyad",
           time="year", time_effects=True, members=DEFAULT_MEMBERS, cov_type="classical",
           cov_kwds=None) -> FixedEffectsResults:
    r"""Linear probability model with dyad (entity) and year (time) fixed effects.

    Parameters
    ----------
    formula, data, endog, exog
        As :func:`foedus.models.logit`; a constant in the design is removed (absorbed by the
        effects). ``data`` is needed for the entity and time columns.
    entity : str
        "directed_dyad" (default), "dyad"/"undirected_dyad", or a column name.
    time : str or None
        Time column (default "year"); ``time_effects=False`` omits year effects.
    cov_type : str
        Any name in :data:`foedus.models.covariance.COVARIANCE_ESTIMATORS`, computed from the
        within-transformed regressors and residuals (so every option, including
        "dyadic", works as for the logit). "classical" uses
        :math:`s^2 = e'e / (n - k - (D + T - 1))`, the residual degrees of freedom of OLS with
        one dummy per dyad and per year (R ``lm``); "HC0" needs no degrees of freedom;
        clustered types use G/(G-1) only, since the effects are nested in the clusters.

    Notes
    -----
    :math:`y_{dt} = x_{dt}\beta + \alpha_d + \gamma_t + e_{dt}`, estimated by OLS on the
    two-way within-transformed data (:func:`foedus.models._within.within`: entity means removed
    exactly, two-way by alternating projections to 1e-14), the same slopes as linearmodels
    ``PanelOLS(entity_effects=True, time_effects=True)`` and R ``lm`` with dummies. The
    registry's covariance estimators are used so that the options and small-sample factors
    are the same across foedus models.
    """
    check_cov_type(cov_type, LPMResults.cov_types, "lpm_fe", cov_kwds)
    design = build_design(formula, data, endog, exog, binary=False)
    if design.frame is None:
        raise ValueError("lpm_fe needs data with the entity and time columns")
    X, names = _drop_intercept(design)
    frame = design.frame
    n = design.nobs
    members = tuple(members)
    ent = dense_codes(resolve_groups(entity, frame, n, members))
    if time_effects and time not in frame.columns:
        raise KeyError(f"time column {time!r} not in the data")
    tcode = (dense_codes(frame[time].to_numpy()) if time in frame.columns
             else np.zeros(n, dtype=np.intp))
    n_ent, n_per = int(ent.max()) + 1, int(tcode.max()) + 1
    if np.unique(ent.astype(np.int64) * n_per + tcode).size != n:
        raise ValueError(f"entity {entity!r} x {time!r} does not identify rows uniquely; "
                         "check the panel's directedness (entity='directed_dyad' vs 'dyad')")
    both = np.column_stack([design.y, X])
    demeaned = within(both, ent, tcode if time_effects else None)
    yw, Xw = demeaned[:, 0], np.ascontiguousarray(demeaned[:, 1:])
    effects = f"the {entity} effects" + (f" and the {time} effects" if time_effects else "")
    absorbed = [names[j] for j in np.flatnonzero(
        np.abs(Xw).max(axis=0, initial=0.0) < 1e-10 * (1 + np.abs(X).max(axis=0, initial=0.0)))]
    if absorbed:
        raise DesignError(f"column(s) {', '.join(map(repr, absorbed))} do not vary once {effects} are "
                          "removed (absorbed by the fixed effects): drop them from the formula.")
    XtX = Xw.T @ Xw
    check_rank(XtX, names, f" once {effects} are removed")
    XtX_inv = np.linalg.inv(XtX)
    XtX_inv = (XtX_inv + XtX_inv.T) / 2.0
    params = XtX_inv @ (Xw.T @ yw)
    resid = yw - Xw @ params
    ssr = float(resid @ resid)
    # the Gaussian log-likelihood of the within regression, as linearmodels' PanelOLS reports it
    llf = -0.5 * n * (np.log(2 * np.pi) + np.log(ssr / n) + 1) if ssr > 0 else np.nan
    # residual degrees of freedom as OLS with one dummy per entity and per year (R lm)
    df_resid = n - Xw.shape[1] - (n_ent + (n_per if time_effects else 1) - 1)
    s2 = ssr / df_resid
    info = ModelInfo("Linear probability model (FE)", design.endog_name, names, design)
    extra = {"Entity effects": entity, "Time effects": time if time_effects else "none",
             "Estimator": "within transformation" + (" (alternating projections)" if time_effects else ""),
             "Residual df": df_resid}
    # the normal linear model in the registry's terms (as ols): bread s^2 (X'X)^-1, r_i = e_i / s^2
    return LPMResults(info, params, XtX_inv * s2, llf, cov_type, cov_kwds,
                      scores=Xw, score_factor=resid / s2, info=extra, members=members,
                      df_resid=df_resid)


@blas_policy
def clogit(formula=None, data=None, *, endog=None, exog=None, groups="directed_dyad",
           members=DEFAULT_MEMBERS, cov_type="classical", cov_kwds=None) -> FixedEffectsResults:
    r"""Conditional (fixed-effects) logit with one effect per dyad.

    Parameters
    ----------
    formula, data, endog, exog
        As :func:`foedus.models.logit`; a constant is removed (it is conditioned out).
    groups : str
        The fixed-effect unit: "directed_dyad" (default), "dyad"/"undirected_dyad", or a column.
    cov_type : {"classical", "robust", "cluster", "dyadic"}
        Built from the per-group scores of the conditional likelihood: "robust" treats groups
        as independent (= clustering on ``groups``), "cluster" needs a variable constant within
        each group (e.g. "dyad" when groups are directed dyads), "dyadic" applies the
        Aronow-Samii-Assenova estimator to the group scores (groups must be dyads).

    Notes
    -----
    Conditional likelihood of group g with :math:`m_g` events among :math:`T_g` rows:
    :math:`\exp(\sum_{t} y_{gt}x_{gt}\beta) / \sum_{s \subset g, |s| = m_g}
    \exp(\sum_{t\in s} x_{gt}\beta)` (Chamberlain 1980). Groups with :math:`m_g = 0` or
    :math:`m_g = T_g` contribute nothing and are dropped (reported). Equivalent to R
    ``survival::clogit(method = "exact")``.
    """
    from statsmodels.discrete.conditional_models import ConditionalLogit

    check_cov_type(cov_type, CLOGIT_COV_TYPES, "clogit", cov_kwds)
    design = build_design(formula, data, endog, exog)
    if design.frame is None:
        raise ValueError("clogit needs data with the group columns")
    X, names = _drop_intercept(design)
    members = tuple(members)
    g = resolve_groups(groups, design.frame, design.nobs, members)
    events = np.bincount(g, weights=design.y)
    sizes = np.bincount(g)
    informative = (events > 0) & (events < sizes)
    keep = informative[g]
    n_drop_groups = int((~informative).sum())
    n_drop_rows = int((~keep).sum())
    if n_drop_rows:
        warnings.warn(f"clogit: dropped {n_drop_groups} of {len(sizes)} groups "
                      f"({n_drop_rows} rows) whose outcome never varies",
                      DroppedGroupsWarning, stacklevel=2)
    if not keep.any():
        raise ValueError("no group has variation in the outcome")
    y, Xk, gk = design.y[keep], X[keep], g[keep]
    grouped = pd.DataFrame(Xk, columns=names).groupby(gk)
    absorbed = [c for c, v in (grouped.max() - grouped.min()).max().items() if v == 0]
    if absorbed:
        raise ValueError(f"clogit: {absorbed} do not vary within any {groups!r} group and are "
                         "absorbed by the fixed effects; remove them from the formula")
    frame = design.frame.iloc[np.flatnonzero(keep)]
    mod = ConditionalLogit(y, Xk, groups=gk)
    raw = mod.fit(method="bfgs", disp=0, maxiter=1000, gtol=1e-10)
    raw = mod.fit(start_params=raw.params, method="newton", disp=0, maxiter=100)
    beta = np.asarray(raw.params)
    # statsmodels' default Hessian differentiates the log-likelihood twice numerically;
    # central differences of the analytic score are several digits more accurate.
    from statsmodels.tools.numdiff import approx_fprime

    hess = approx_fprime(beta, mod.score, centered=True)
    bread = np.linalg.inv(-(hess + hess.T) / 2.0)
    bread = (bread + bread.T) / 2.0
    info = ModelInfo("Conditional logit", design.endog_name, names, design)
    extra = {"Groups": groups, "Groups used": int(informative.sum()),
             "Groups dropped (no variation)": n_drop_groups,
             "Rows dropped (no variation)": n_drop_rows}
    return ConditionalLogitResults(info, beta, bread, raw.llf, cov_type, cov_kwds, raw=raw,
                                   groups=gk, frame=frame, info=extra, members=members)
