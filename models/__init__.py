"""Estimators and covariance options for dyad-year conflict models.

Functional entry points (statsmodels-style results; formulas or arrays; ``data`` a DataFrame
or a ``Panel``): :func:`logit`, :func:`probit`, :func:`relogit` (King & Zeng 2001),
:func:`firth` (Firth 1993), :func:`lpm_fe` (dyad and year effects, linearmodels PanelOLS),
:func:`clogit` (dyad fixed-effects logit), :func:`heckprobit` (probit with sample selection),
:func:`ols` (least squares, weighted or not), :func:`coxph` (Cox proportional hazards) and
:func:`weibull` (Weibull AFT, R ``survreg``'s parameterisation), both on counting-process rows;
:func:`cem` (coarsened exact matching weights, Stata ``cem``; logit/probit take them as
``weights=``). Covariance by name (``cov_type=``): see :data:`COVARIANCE_ESTIMATORS`; the estimators by
name in :data:`ESTIMATORS` (:mod:`foedus.models.registry`); the results class tree in
:mod:`foedus.models.inference`; :func:`compare` sets results side by side.
"""
from .binary import ConvergenceWarning, Logit, Probit, logit, probit
from .cem import CEMResult, CEMWeights, cem
from .covariance import COVARIANCE_ESTIMATORS, NonPSDCovarianceWarning
from .heckprobit import HeckProbit, HeckProbitResults, RhoBoundaryWarning, heckprobit
from .firth import FirthLogit, FirthResults, firth
from .linear import OLSResults, ols
from .fixed_effects import (ConditionalLogitResults, DroppedGroupsWarning, FixedEffectsResults,
                            LPMResults, clogit, lpm_fe)
from .relogit import RareEventsLogit, RelogitResults, relogit
from .compare import Comparison, compare
from .inference import InferenceResults, WaldTest
from .registry import ESTIMATORS, Estimator, get_estimator
from .results import BinaryResults, ScoreResults
from .sampling import CaseControlSample, case_control_sample
from .survival import CoxPH, SurvivalResults, WeibullAFT, coxph, weibull
from .separation import SeparationError, check_separation
from ._design import MissingDataWarning
from ._numerics import ConvergenceError
from .errors import DesignError, EstimationError

__all__ = [
    "logit", "probit", "relogit", "firth", "lpm_fe", "clogit", "heckprobit",
    "HeckProbit", "HeckProbitResults", "RhoBoundaryWarning",
    "Logit", "Probit", "RareEventsLogit", "FirthLogit",
    "BinaryResults", "RelogitResults", "FirthResults", "FixedEffectsResults", "LPMResults",
    "COVARIANCE_ESTIMATORS", "case_control_sample", "CaseControlSample",
    "check_separation", "SeparationError", "ConvergenceWarning", "NonPSDCovarianceWarning",
    "DroppedGroupsWarning", "MissingDataWarning",
    "coxph", "weibull", "CoxPH", "WeibullAFT", "SurvivalResults",
    "ols", "OLSResults",
    "EstimationError", "DesignError", "ConvergenceError",
    "cem", "CEMResult", "CEMWeights",
    "InferenceResults", "ScoreResults", "ConditionalLogitResults", "WaldTest",
    "ESTIMATORS", "Estimator", "get_estimator", "compare", "Comparison",
]
