"""The estimators of :mod:`foedus.models` by name: what callers (studies, the multiverse) need
to know about each without probing its signature.

An :class:`Estimator` records the fit function, the label shown in tables, the link family
(binary models whose estimates can seed one another), the covariance types its scores
support, whether its response has events to count, whether its inference is t-based, and
which fitting options it takes. :func:`get_estimator` looks one up; :meth:`Estimator.check_cov`
refuses an unsupported covariance before any fit.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .binary import logit, probit
from .covariance import COV_TYPES, check_cov_type
from .firth import firth
from .fixed_effects import CLOGIT_COV_TYPES, clogit, lpm_fe
from .heckprobit import heckprobit
from .linear import ols
from .relogit import relogit
from .survival import coxph, weibull

__all__ = ["Estimator", "ESTIMATORS", "get_estimator"]


@dataclass(frozen=True)
class Estimator:
    """One estimator of :mod:`foedus.models`.

    Attributes
    ----------
    name : str
        Its name in :mod:`foedus.models` and in study declarations (``Model.estimator``).
    fit : callable
        ``fit(formula, data, cov_type=..., cov_kwds=..., **options)`` -> results.
    label : str
        Shown in tables ("Rare-events logit").
    family : str or None
        Link family ("logit", "probit") of binary models fitted by Newton's method; None for
        the others.
    cov_types : tuple of str
        Names of :data:`~foedus.models.covariance.COVARIANCE_ESTIMATORS` it supports.
    has_events : bool
        The response is an event indicator (False: a continuous response, nothing to count).
    use_t : bool
        p-values and intervals use the t distribution on the residual degrees of freedom.
    separation_check : bool
        Takes ``check_separation=``.
    """

    name: str
    fit: Callable
    label: str
    family: str | None = None
    cov_types: tuple[str, ...] = COV_TYPES
    has_events: bool = True
    use_t: bool = False
    separation_check: bool = False

    def check_cov(self, cov_type: str, cov_kwds=None) -> None:
        """Before any fit: ValueError if ``cov_type`` is unknown or not supported, TypeError
        for an option (``cov_kwds``) its estimator does not take."""
        check_cov_type(cov_type, self.cov_types, self.name, cov_kwds)


ESTIMATORS: dict[str, Estimator] = {e.name: e for e in (
    Estimator("probit", probit, "Probit", family="probit", separation_check=True),
    Estimator("logit", logit, "Logit", family="logit", separation_check=True),
    Estimator("relogit", relogit, "Rare-events logit", family="logit", separation_check=True),
    Estimator("firth", firth, "Firth logit", family="logit"),
    Estimator("heckprobit", heckprobit, "Probit with sample selection"),
    Estimator("ols", ols, "Least squares", has_events=False, use_t=True),
    Estimator("coxph", coxph, "Cox proportional hazards"),
    Estimator("weibull", weibull, "Weibull survival"),
    Estimator("lpm_fe", lpm_fe, "Linear probability, fixed effects", has_events=False),
    Estimator("clogit", clogit, "Conditional logit", cov_types=CLOGIT_COV_TYPES),
)}


def get_estimator(name: str) -> Estimator:
    """The registry entry of ``name``; ValueError listing the known names otherwise."""
    try:
        return ESTIMATORS[name]
    except KeyError:
        raise ValueError(f"foedus.models has no estimator {name!r}; known: "
                         f"{', '.join(ESTIMATORS)}") from None
