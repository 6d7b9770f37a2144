"""Fitting one task of a multiverse: runs in worker processes (a local pool or Dask workers).

A task is one fit (a panel file, its row filters, an estimator) and the covariances of every
specification that shares it; :func:`fit_task` returns one result row per specification.
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


def _fit(estimator: str, formula: str, frame: pd.DataFrame, cov_types: tuple, fit_kwds: dict):
    """Fit once; return the results and each covariance (from the same fit where possible).

    As :func:`foedus.replication.run.fit_model`: the estimator's registry entry
    (:mod:`foedus.models.registry`), the same covariance table
    (:mod:`foedus.replication.covariances`) and the same separation check
    (:data:`~foedus.replication.run.SEPARATION_CHECK`), so that a study and the multiverse give
    the same estimate and standard errors on the same sample.
    """
    entry = get_estimator(estimator)
    if entry.separation_check:
        fit_kwds = {"check_separation": SEPARATION_CHECK, **fit_kwds}
    first = cov_types[0]
    ct, kw, _ = covariance(first)
    res = entry.fit(formula, frame, cov_type=ct, cov_kwds=dict(kw) or None, **fit_kwds)
    covs, errors = {first: res.cov_params().to_numpy()}, {}
    for c in cov_types[1:]:
        ct, kw, _ = covariance(c)
        try:
            covs[c] = res.with_cov(ct, **kw).cov_params().to_numpy()
        except Exception as err:  # noqa: BLE001 - one covariance failing must not lose the others
            errors[c] = f"{type(err).__name__}: {err}"
    return res, covs, errors


def fit_task(task: dict) -> list[dict]:
    """Fit one (panel, rows, estimator) task; one result row per covariance.

    A failure (separation, non-convergence raised as an error, a missing column) is returned as
    rows with ``error`` set, never raised: one failed specification must not stop the run.
    """
    from foedus.models.covariance import standard_errors

    t0 = time.perf_counter()
    specs = task["specs"]  # [(id, cov_type), ...]
    base = {"estimate": None, "se": None, "p": None, "ame": None, "ame_se": None, "n": None,
            "events": None, "n_panel": None, "n_rows_removed": None, "n_listwise": None,
            "converged": None, "warnings": "", "error": ""}
    try:
        frame = _load_frame(task["path"])
        subset = " and ".join(f"({r})" for r in task["rows"]) or None
        cov_types = tuple(c for _, c in specs)
        # cluster variables are read, and rows missing them removed, as in a study's model
        model = Model(name="multiverse", label="", formula=task["formula"], panel="main",
                      estimator=task["estimator"], subset=subset, cov_types=cov_types)
        prepared = prepare(model, {"main": frame})
        counts = {"n_panel": prepared.n_panel, "n_rows_removed": prepared.n_subset,
                  "n_listwise": prepared.n_listwise}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res, covs, cov_errors = _fit(task["estimator"], task["formula"], prepared.frame, cov_types,
                                         dict(task.get("fit_kwds", ())))
            ame, ame_se = average_marginal_effect(res, task["variable"], task["estimator"], covs)
        messages = sorted({f"{w.category.__name__}: {w.message}".splitlines()[0] for w in caught
                           if "listwise deletion" not in str(w.message)})
        y = prepared.frame[model.response].to_numpy()
        common = {**counts, "n": int(res.nobs), "events": int(np.nansum(y)),
                  "converged": bool(getattr(res, "converged", True)),
                  "warnings": "; ".join(messages)}
        j = list(res.params.index).index(task["variable"])
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
    except Exception as err:  # noqa: BLE001 - recorded, the run goes on
        message = f"{type(err).__name__}: {err}".splitlines()[0]
        rows = [{**base, "id": sid, "error": message} for sid, _ in specs]
        if os.environ.get("FOEDUS_MULTIVERSE_DEBUG"):
            traceback.print_exc()
    seconds = time.perf_counter() - t0
    return [{**r, "seconds": round(seconds / len(rows), 3)} for r in rows]


__all__ = ["average_marginal_effect", "fit_task"]
