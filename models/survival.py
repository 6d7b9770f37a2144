r"""Survival estimators: Cox proportional hazards and the Weibull (AFT) model.

Both take counting-process data: one row per spell piece ``(entry, duration]`` whose covariates
are constant on it (time-varying covariates: several rows per subject), an event indicator that
is 1 only on the row whose interval ends with the event, and optional left truncation (a row is
at risk only after its ``entry`` time). The formula's left-hand side is the **event indicator**
(0/1); ``duration`` and ``entry`` name the columns with the interval's end and start, measured on
the analysis clock (here: years since the alliance formed)::

    coxph("ended ~ asym + cinc_change", rows, duration="stop", entry="start",
          cov_type="cluster", cov_kwds={"groups": "atopid"})

is R's ``coxph(Surv(start, stop, ended) ~ asym + cinc_change + cluster(atopid), rows)``.

Covariances come from the shared registry (:mod:`foedus.models.covariance`): the per-row score
vectors ``U_i`` (Cox: the Efron score residuals of Therneau & Grambsch 2000, sec. 7.2; Weibull:
the gradient of row i's log-likelihood) are passed as the registry's score matrix, so
``robust``/``HC0`` is ``V (sum_i U_i U_i') V`` and ``cluster`` is the Lin & Wei (1989) sandwich
``V (sum_g S_g S_g') V``, ``S_g = sum_{i in g} U_i``. R's ``coxph(..., cluster=)`` and
``survreg(..., robust=TRUE)`` apply no small-sample factor, so ``cluster`` here defaults to
``small_sample=False`` (pass ``cov_kwds={"small_sample": True}`` for G/(G-1)).
"""
from __future__ import annotations

from ._survival import SurvivalResults, aft_to_ph
from .cox import CoxPH, coxph
from .weibull import WeibullAFT, weibull

__all__ = ["coxph", "weibull", "CoxPH", "WeibullAFT", "SurvivalResults", "aft_to_ph"]
