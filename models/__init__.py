"""Estimators and covariance options for dyad-year conflict models.

Functional entry points (statsmodels-style results; formulas or arrays; ``data`` a DataFrame
or a ``Panel``): :func:`logit`, :func:`probit`, :func:`relogit` (King & Zeng 2001),
:func:`firth` (Firth 1993), :func:`lpm_fe` (dyad and year effects, linearmodels PanelOLS),
:func:`clogit` (dyad fixed-effects logit); :func:`cem` (coarsened exact matching weights,
Stata ``cem``; logit/probit take them as ``weights=``). Covariance by name (``cov_type=``): see
:data:`COVARIANCE_ESTIMATORS`.
"""
from .binary import ConvergenceWarning, Logit, Probit, logit, probit
from .cem import CEMResult, CEMWeights, cem
from .covariance import COVARIANCE_ESTIMATORS, NonPSDCovarianceWarning
from .firth import FirthLogit, FirthResults, firth
from .fixed_effects import DroppedGroupsWarning, FixedEffectsResults, LPMResults, clogit, lpm_fe
from .relogit import RareEventsLogit, RelogitResults, relogit
from .results import BinaryResults
from .sampling import CaseControlSample, case_control_sample
from .separation import SeparationError, check_separation
from ._design import MissingDataWarning

__all__ = [
    "logit", "probit", "relogit", "firth", "lpm_fe", "clogit",
    "Logit", "Probit", "RareEventsLogit", "FirthLogit",
    "BinaryResults", "RelogitResults", "FirthResults", "FixedEffectsResults", "LPMResults",
    "COVARIANCE_ESTIMATORS", "case_control_sample", "CaseControlSample",
    "check_separation", "SeparationError", "ConvergenceWarning", "NonPSDCovarianceWarning",
    "DroppedGroupsWarning", "MissingDataWarning",
    "cem", "CEMResult", "CEMWeights",
]
