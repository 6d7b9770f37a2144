r"""Fixed-effects models on the dyad-year panel.

* :func:`lpm_fe`: linear probability model with dyad and year effects, estimated by
  linearmodels ``PanelOLS`` (within transformation; Wooldridge 2010, ch. 10). Used in this
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
from scipy import stats

from foedus.threads import blas_policy
from ._design import build_design, check_rank
from .covariance import (DEFAULT_MEMBERS, check_cov_type, get_covariance_estimator, resolve_groups,
                         standard_errors)
from .errors import DesignError
from .results import ModelInfo

__all__ = ["lpm_fe", "clogit", "FixedEffectsResults", "DroppedGroupsWarning", "CLOGIT_COV_TYPES"]


#: Covariances of :func:`clogit`, built from per-group scores: "robust" treats the groups as
#: independent; "HC1" and "twoway" have no group-score analogue here.
CLOGIT_COV_TYPES = ("classical", "nonrobust", "HC0", "robust", "cluster", "dyadic")


class DroppedGroupsWarning(UserWarning):
    """Groups without variation in the outcome were dropped."""


class FixedEffectsResults:
    """statsmodels-style surface over a fixed-effects fit.

    ``params``, ``bse``, ``tvalues``, ``pvalues``, ``conf_int()``, ``cov_params()``, ``nobs``,
    ``llf``, ``summary()`` and ``model.endog_names``/``exog_names``; the underlying
    linearmodels/statsmodels result is ``raw``.
    """

    def __init__(self, model, params, cov, nobs, llf, cov_label, notes, raw, info,
                 use_t=False, df_resid=None):
        self.model = model
        names = model.exog_names
        self.params = pd.Series(np.asarray(params, float), index=names, name="params")
        self._cov = np.asarray(cov, float)
        self.nobs = int(nobs)
        self.llf = float(llf) if llf is not None else np.nan
        self.cov_label = cov_label
        self.cov_notes = notes
        self.raw = raw
        self.info = info
        self.use_t = use_t
        self.df_resid = df_resid
        self.converged = True
        self.n_events = None

    def cov_params(self):
        n = self.model.exog_names
        return pd.DataFrame(self._cov, index=n, columns=n)

    @property
    def bse(self):
        return pd.Series(standard_errors(self._cov, list(self.params.index)), index=self.params.index,
                         name="bse")

    @property
    def tvalues(self):
        return self.params / self.bse

    @property
    def pvalues(self):
        t = np.abs(self.tvalues.to_numpy())
        p = 2 * (stats.t.sf(t, self.df_resid) if self.use_t else stats.norm.sf(t))
        return pd.Series(p, index=self.params.index, name="pvalues")

    def conf_int(self, alpha=0.05):
        q = stats.t.ppf(1 - alpha / 2, self.df_resid) if self.use_t else stats.norm.ppf(1 - alpha / 2)
        se = self.bse.to_numpy()
        return pd.DataFrame({0: self.params - q * se, 1: self.params + q * se})

    def summary(self, alpha=0.05):
        from statsmodels.iolib.summary2 import Summary

        smry = Summary()
        top = {"Model:": self.model.name, "Dependent variable:": self.model.endog_names,
               "No. observations:": str(self.nobs), "Covariance:": self.cov_label}
        top.update({f"{k}:": str(v) for k, v in self.info.items()})
        smry.add_dict(top, ncols=2)
        ci = self.conf_int(alpha)
        stat = "t" if self.use_t else "z"
        smry.add_df(pd.DataFrame({"Coef.": self.params, "Std.Err.": self.bse, stat: self.tvalues,
                                  f"P>|{stat}|": self.pvalues, f"[{alpha / 2:g}": ci[0],
                                  f"{1 - alpha / 2:g}]": ci[1]}), float_format="%.4f")
        for note in self.cov_notes:
            smry.add_text(f"Covariance: {note}")
        smry.add_title(f"{self.model.name} results")
        return smry


class LPMResults(FixedEffectsResults):
    """Results of :func:`lpm_fe`: also :meth:`with_cov`, another covariance without a refit."""

    def __init__(self, *args, covariance, **kwargs):
        super().__init__(*args, **kwargs)
        self._covariance = covariance

    @blas_policy
    def with_cov(self, cov_type, **cov_kwds):
        """Same estimates with another covariance (any registry name; no refit)."""
        cov, label, notes = self._covariance(cov_type, cov_kwds)
        return LPMResults(self.model, self.params.to_numpy(), cov, self.nobs, self.llf, label,
                          notes, self.raw, self.info, use_t=self.use_t, df_resid=self.df_resid,
                          covariance=self._covariance)


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
        within-transformed regressors and the PanelOLS residuals (so every option, including
        "dyadic", works as for the logit). "classical" uses
        :math:`s^2 = e'e / (n - k - (D + T - 1))`, the residual degrees of freedom of OLS with
        one dummy per dyad and per year (R ``lm``); "HC0" needs no degrees of freedom;
        clustered types use G/(G-1) only, since the effects are nested in the clusters.

    Notes
    -----
    :math:`y_{dt} = x_{dt}\beta + \alpha_d + \gamma_t + e_{dt}`, estimated by OLS on the
    two-way within-transformed data (linearmodels ``PanelOLS(entity_effects=True,
    time_effects=True)``). PanelOLS' own covariances rescale by its count of absorbed effects
    even for "robust"; the registry's estimators are used instead so that the options and
    small-sample factors are the same across foedus models.
    """
    from linearmodels import PanelOLS

    design = build_design(formula, data, endog, exog, binary=False)
    if design.frame is None:
        raise ValueError("lpm_fe needs data with the entity and time columns")
    X, names = _drop_intercept(design)
    frame = design.frame
    n = design.nobs
    members = tuple(members)
    ent = resolve_groups(entity, frame, n, members)
    if time_effects:
        if time not in frame.columns:
            raise KeyError(f"time column {time!r} not in the data")
        tcode = frame[time].to_numpy()
    else:
        tcode = np.zeros(n, dtype=np.int64) if time not in frame.columns else frame[time].to_numpy()
    index = pd.MultiIndex.from_arrays([ent, tcode], names=["entity", "time"])
    if index.has_duplicates:
        raise ValueError(f"entity {entity!r} x {time!r} does not identify rows uniquely; "
                         "check the panel's directedness (entity='directed_dyad' vs 'dyad')")
    y = pd.Series(design.y, index=index, name=design.endog_name)
    Xdf = pd.DataFrame(X, index=index, columns=names)
    try:
        mod = PanelOLS(y, Xdf, entity_effects=True, time_effects=bool(time_effects),
                       drop_absorbed=False, check_rank=True)
        res = mod.fit(cov_type="unadjusted", debiased=False)
    except Exception as err:  # linearmodels' rank errors: name the columns in foedus's terms
        if "rank" not in str(err) and "absorbed" not in str(err):
            raise
        _name_rank_problem(y, Xdf, bool(time_effects), entity, time)
        raise
    # PanelData sorts rows by (entity, time): realign to the frame's row order
    demeaned = mod.exog.demean("both" if time_effects else "entity")
    Xw = demeaned.dataframe.reindex(index).to_numpy(dtype=np.float64)
    resid = res.resids.reindex(index).to_numpy()
    n_ent = int(ent.max()) + 1
    n_time = int(pd.factorize(tcode)[0].max()) + 1 if time_effects else 1
    # residual degrees of freedom as OLS with one dummy per entity and per year (R lm)
    df_resid = n - Xw.shape[1] - (n_ent + n_time - 1)
    XtX_inv = np.linalg.inv(Xw.T @ Xw)
    XtX_inv = (XtX_inv + XtX_inv.T) / 2.0

    def covariance(cov_type, cov_kwds):
        if cov_type in ("classical", "nonrobust"):
            bread = XtX_inv * float(resid @ resid) / df_resid
        else:
            bread = XtX_inv
        kwds = dict(cov_kwds or {})
        if cov_type in ("cluster", "twoway", "dyadic"):
            kwds.setdefault("members", members)
        est = get_covariance_estimator(cov_type)(bread, Xw, resid, frame, **kwds)
        return est.cov, est.label, est.notes

    cov, label, notes = covariance(cov_type, cov_kwds)
    info = ModelInfo("Linear probability model (FE)", design.endog_name, names, design)
    extra = {"Entity effects": entity, "Time effects": time if time_effects else "none",
             "Estimator": "linearmodels PanelOLS (within)"}
    extra["Residual df"] = df_resid
    return LPMResults(info, res.params.to_numpy(), cov, res.nobs, res.loglik, label,
                      notes, res, extra, use_t=False, df_resid=df_resid, covariance=covariance)


def _name_rank_problem(y, Xdf, time_effects: bool, entity, time) -> None:
    """Raise DesignError naming the regressors that are collinear once the effects are removed."""
    from linearmodels import PanelOLS

    mod = PanelOLS(y, Xdf, entity_effects=True, time_effects=time_effects, drop_absorbed=False,
                   check_rank=False)
    Xw = mod.exog.demean("both" if time_effects else "entity").values2d
    effects = f"the {entity} effects" + (f" and the {time} effects" if time_effects else "")
    names = list(Xdf.columns)
    absorbed = [names[j] for j in np.flatnonzero(np.abs(Xw).max(axis=0) < 1e-10 * (1 + np.abs(Xdf.to_numpy()).max(axis=0)))]
    if absorbed:
        raise DesignError(f"column(s) {', '.join(map(repr, absorbed))} do not vary once {effects} are "
                          "removed (absorbed by the fixed effects): drop them from the formula.")
    check_rank(Xw.T @ Xw, names, f" once {effects} are removed")


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

    check_cov_type(cov_type, CLOGIT_COV_TYPES, "clogit")
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
    cov_kwds = dict(cov_kwds or {})
    notes = []
    if cov_type in ("classical", "nonrobust"):
        cov, label = bread, "classical (inverse information)"
    else:
        # per-group scores, one row per group, with the group's first row for group columns
        scores = np.vstack([mod.score_grp(i, beta) for i in range(mod._n_groups)])
        # statsmodels keeps groups in order of first appearance
        first = np.sort(np.unique(gk, return_index=True)[1])
        gframe = frame.iloc[first]
        if cov_type == "cluster":
            spec = cov_kwds.get("groups")
            if spec is None:
                raise ValueError("cov_type='cluster' needs cov_kwds={'groups': ...}")
            row_codes = resolve_groups(spec, frame, len(gk), members)
            per_group = pd.Series(row_codes).groupby(gk).nunique().to_numpy()
            if np.any(per_group > 1):
                raise ValueError("the cluster variable must be constant within each clogit group")
            cov_kwds = {**cov_kwds, "groups": row_codes[first]}
            est = get_covariance_estimator("cluster")(bread, scores, np.ones(len(scores)),
                                                      gframe, **cov_kwds)
        elif cov_type in ("robust", "HC0", "dyadic"):
            name = "HC0" if cov_type != "dyadic" else "dyadic"
            est = get_covariance_estimator(name)(bread, scores, np.ones(len(scores)), gframe,
                                                 **cov_kwds)
        else:
            raise ValueError(f"clogit does not support cov_type {cov_type!r}")
        cov, label, notes = est.cov, est.label + " on group scores", est.notes
    info = ModelInfo("Conditional logit", design.endog_name, names, design)
    extra = {"Groups": groups, "Groups used": int(informative.sum()),
             "Groups dropped (no variation)": n_drop_groups,
             "Rows dropped (no variation)": n_drop_rows}
    return FixedEffectsResults(info, beta, cov, len(y), raw.llf, label, notes, raw, extra)
