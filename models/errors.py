"""Errors raised by the estimators. Each says which column or condition is at fault."""
from __future__ import annotations


class EstimationError(Exception):
    """Base class: a model cannot be fitted on these data."""


class DesignError(EstimationError, ValueError):
    """The design matrix is unusable: a non-finite value, or a constant or collinear column
    (the message names the columns)."""
