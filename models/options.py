"""The choices of model options, as ``typing.Literal`` types, and their check before a fit.

A signature says what an option accepts (``information: Information = "observed"``) and
:func:`check_option` refuses anything else with the list of choices, before any computation.
"""
from __future__ import annotations

from typing import Literal, get_args

__all__ = ["Information", "Correction", "Ties", "Metric", "PSD", "SeparationCheck",
           "check_option"]

#: Information matrix of a binary model's bread: the Hessian (Stata, statsmodels) or Fisher's
#: expected information (R ``glm``); identical for the logit.
Information = Literal["observed", "expected"]
#: King & Zeng's (2001) correction for case-control sampling.
Correction = Literal["prior", "weighting"]
#: Tied event times in the Cox partial likelihood (Efron 1977, Breslow 1974).
Ties = Literal["efron", "breslow"]
#: Parameterisation of the Weibull model: accelerated failure time (R ``survreg``) or
#: proportional hazards.
Metric = Literal["aft", "ph"]
#: What to do with a covariance that is not positive semi-definite.
PSD = Literal["warn", "clip", "raise", "ignore"]
#: Separation check before a binary fit (:mod:`foedus.models.separation`).
SeparationCheck = Literal["auto", "fast", "lp", False]


def check_option(name: str, value, kind) -> None:
    """Raise ValueError unless ``value`` is one of the ``Literal`` type ``kind``'s choices."""
    choices = get_args(kind)
    # by type as well as value: True == 1 and False == 0 must not pass for one another
    if not any(value == c and type(value) is type(c) for c in choices):
        raise ValueError(f"{name}={value!r} is not a choice; choose one of "
                         f"{', '.join(map(repr, choices))}")
