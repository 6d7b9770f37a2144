"""Fitting one task of a multiverse: runs in worker processes (a local pool or Dask workers).

A task is one sample (a panel file and its row filters) and every fit on it (an estimator and
the covariances of the specifications that share it); :func:`fit_task` returns one result row
per specification.
"""
from __future__ import annotations

import os
import threading
import time
import traceback
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from foedus.models._design import build_design
from foedus.models.registry import get_estimator
from foedus.replication.covariances import covariance
from foedus.replication.run import SEPARATION_CHECK, prepare
from foedus.replication.study import Model

_FRAMES: dict[str, pd.DataFrame] = {}
_FRAMES_KEPT = 2
_FRAMES_LOCK = threading.Lock()  # Dask workers may run several tasks in threads


def _load_frame(path: str) -> pd.DataFrame:
    """Read a panel file once per worker; keep the two most recent (tasks arrive panel by panel)."""
    with _FRAMES_LOCK:
        if path in _FRAMES:
            _FRAMES[path] = _FRAMES.pop(path)  # most recent last
            return _FRAMES[path]
        frame = pd.read_parquet(path)
        _FRAMES[path] = frame
        while len(_FRAMES) > _FRAMES_KEPT:
            _FRAMES.pop(next(iter(_FRAMES)))
        return frame


def average_marginal_effect(results, variable: str, estimator: str, covs: dict) -> tuple[float, dict]:
    r"""Average marginal effect of ``variable`` on Pr(y = 1), with delta-method standard errors.

    Parameters
    ----------
    results
        A fitted foedus model (``params``, ``model.design.X``, ``model.exog_names``).
    variable : str
    estimator : str
        ``"lpm_fe"`` is linear (the coefficient is the effect); the others use their model's
        link (:func:`foedus.models.margins.ame_gradient`, shared with ``results.margeff()``).
    covs : dict
        Covariance name -> k x k covariance matrix of the parameters.

    Returns
    -------
    (float, dict)
        The effect and, per covariance, its standard error.

    Notes
    -----
    For a 0/1 variable :math:`x_j`: :math:`\mathrm{AME} = n^{-1}\sum_i F(x_i^{(1)}\beta) -
    F(x_i^{(0)}\beta)`, with :math:`x_i^{(v)}` the row with :math:`x_j = v`; otherwise
    :math:`\mathrm{AME} = \beta_j n^{-1}\sum_i f(x_i\beta)`. The standard error is
    :math:`\sqrt{g'Vg}` with :math:`g = \partial\mathrm{AME}/\partial\beta` (delta method; e.g.
    Greene 2012, Econometric Analysis, 7th ed., section 17.3). Relogit and Firth use their
    (bias-corrected) coefficients with the logistic link.
    """
    from foedus.models.margins import ame_gradient

    params = results.params
    j = list(params.index).index(variable)
    if estimator == "lpm_fe":
        return float(params.iloc[j]), {k: float(np.sqrt(v[j, j])) for k, v in covs.items()}
    ame, g = ame_gradient(results.model.design.X, params.to_numpy(), results.model.family, j)
    return ame, {k: float(np.sqrt(max(g @ np.asarray(v) @ g, 0.0))) for k, v in covs.items()}


def _shared_design(formula: str, frame: pd.DataFrame):
    """The design of a sample, built once for every estimator fitted on it; None if it cannot
    be built (each fit then builds its own and reports its own error, as a single fit would).

    The float64 matrix is read-only: the estimators receive the same array, not copies.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # rows are complete here (listwise deletion ran)
            design = build_design(formula, frame, binary=False)
    except Exception:  # noqa: BLE001 - reported by each fit, which builds its own design
        return None
    design.X.flags.writeable = False
    return design


def _fit(estimator: str, formula: str, frame: pd.DataFrame, cov_types: tuple, fit_kwds: dict,
         design=None):
    """Fit once; return the results and each covariance (from the same fit where possible).

    As :func:`foedus.replication.run.fit_model`: the estimator's registry entry
    (:mod:`foedus.models.registry`), the same covariance table
    (:mod:`foedus.replication.covariances`) and the same separation check
    (:data:`~foedus.replication.run.SEPARATION_CHECK`), so that a study and the multiverse give
    the same estimate and standard errors on the same sample. With ``design`` (the sample's
    :func:`_shared_design`) the estimator gets its arrays (the same matrix, named columns, the
    sample's rows for the groups of the covariances and effects) instead of the formula: the
    same design, without converting the columns again.
    """
    entry = get_estimator(estimator)
    if entry.separation_check:
        fit_kwds = {"check_separation": SEPARATION_CHECK, **fit_kwds}
    first = cov_types[0]
    ct, kw, _ = covariance(first)
    if design is None:
        data = {"formula": formula, "data": frame}
    else:
        data = {"data": design.frame, "endog": pd.Series(design.y, name=design.endog_name),
                "exog": pd.DataFrame(design.X, columns=design.exog_names, copy=False)}
    res = entry.fit(**data, cov_type=ct, cov_kwds=dict(kw) or None, **fit_kwds)
    covs, errors = {first: res.cov_params().to_numpy()}, {}
    for c in cov_types[1:]:
        ct, kw, _ = covariance(c)
        try:
            covs[c] = res.with_cov(ct, **kw).cov_params().to_numpy()
        except Exception as err:  # noqa: BLE001 - one covariance failing must not lose the others
            errors[c] = f"{type(err).__name__}: {err}"
    return res, covs, errors


def _error_rows(specs, err: Exception, base: dict) -> list[dict]:
    message = f"{type(err).__name__}: {err}".splitlines()[0]
    if os.environ.get("FOEDUS_MULTIVERSE_DEBUG"):
        traceback.print_exc()
    return [{**base, "id": sid, "error": message} for sid, _ in specs]


def _fit_rows(fit: dict, prepared, model: Model, variable: str, design, base: dict) -> list[dict]:
    """One fit of a sample (an estimator and its covariances): one row per specification."""
    from foedus.models.covariance import standard_errors

    specs = fit["specs"]  # [(id, cov_type), ...]
    cov_types = tuple(c for _, c in specs)
    counts = {"n_panel": prepared.n_panel, "n_rows_removed": prepared.n_subset,
              "n_listwise": prepared.n_listwise}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res, covs, cov_errors = _fit(fit["estimator"], model.formula, prepared.frame, cov_types,
                                     dict(fit.get("fit_kwds", ())), design)
        ame, ame_se = average_marginal_effect(res, variable, fit["estimator"], covs)
    messages = sorted({f"{w.category.__name__}: {w.message}".splitlines()[0] for w in caught
                       if "listwise deletion" not in str(w.message)})
    y = prepared.frame[model.response].to_numpy()
    common = {**counts, "n": int(res.nobs), "events": int(np.nansum(y)),
              "converged": bool(getattr(res, "converged", True)),
              "warnings": "; ".join(messages)}
    j = list(res.params.index).index(variable)
    b = float(res.params.iloc[j])
    rows = []
    for sid, c in specs:
        if c in cov_errors:
            rows.append({**base, **common, "id": sid, "estimate": b, "error": cov_errors[c]})
            continue
        se = float(standard_errors(covs[c], res.params.index)[j])
        p = float(2 * stats.norm.sf(abs(b / se))) if se > 0 else float("nan")
        rows.append({**base, **common, "id": sid, "estimate": b, "se": se, "p": p,
                     "ame": ame, "ame_se": ame_se[c]})
    return rows


def fit_task(task: dict) -> list[dict]:
    """Fit every model of one sample (a panel file and its row filters); one result row per
    specification.

    ``task["fits"]`` lists the fits (an estimator, its options and the ``(id, cov_type)`` of
    the specifications that share it). The sample is prepared once for fits that read the same
    columns, and its design (the float64 matrix) is built once and given to each estimator.
    A failure (separation, non-convergence raised as an error, a missing column) is returned as
    rows with ``error`` set, never raised: one failed specification must not stop the run.
    """
    base = {"estimate": None, "se": None, "p": None, "ame": None, "ame_se": None, "n": None,
            "events": None, "n_panel": None, "n_rows_removed": None, "n_listwise": None,
            "converged": None, "warnings": "", "error": ""}
    subset = " and ".join(f"({r})" for r in task["rows"]) or None
    samples: dict[tuple, tuple] = {}  # columns read -> (prepared sample, its design) or error
    out = []
    for fit in task["fits"]:
        t0 = time.perf_counter()
        specs = fit["specs"]
        try:
            # cluster variables are read, and rows missing them removed, as in a study's model
            model = Model(name="multiverse", label="", formula=task["formula"], panel="main",
                          estimator=fit["estimator"], subset=subset,
                          cov_types=tuple(c for _, c in specs))
            key = tuple(model.variables())
            if key not in samples:
                try:
                    prepared = prepare(model, {"main": _load_frame(task["path"])})
                    samples[key] = (prepared, _shared_design(model.formula, prepared.frame))
                except Exception as err:  # noqa: BLE001 - every fit of this sample fails alike
                    samples[key] = err
            if isinstance(samples[key], Exception):
                raise samples[key]
            prepared, design = samples[key]
            rows = _fit_rows(fit, prepared, model, task["variable"], design, base)
        except Exception as err:  # noqa: BLE001 - recorded, the run goes on
            rows = _error_rows(specs, err, base)
        seconds = time.perf_counter() - t0
        out += [{**r, "seconds": round(seconds / len(rows), 3)} for r in rows]
    return out


__all__ = ["average_marginal_effect", "fit_task"]
