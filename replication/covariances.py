"""The covariance keys of study declarations (``Model.cov_types``) and what each means in
:mod:`foedus.models` terms: one table for studies, tables and the multiverse.

"cluster" clusters on the directed dyad (challenger, target), the unit of observation's panel
identifier (``ddyad`` in the J&L data); "dyadic" is Aronow, Samii & Assenova (2015), which also
allows dependence between any two dyad-years that share a state; a negative eigenvalue of that
matrix is clipped to zero (Cameron, Gelbach & Miller 2011, sec. 2.3) and the clipping is
reported in the table notes. "robust" is HC1 (Huber-White x n / (n - k), Stata's
``regress, robust``; Stata's ML commands use n / (n - 1) instead). Any column can be a cluster
variable: ``"cluster:<column>"`` (see :func:`covariance`).
"""
from __future__ import annotations

__all__ = ["COVARIANCES", "covariance"]

#: Covariances reported by the studies: key -> (foedus.models cov_type, cov_kwds, label).
COVARIANCES: dict[str, tuple[str, dict, str]] = {
    "classical": ("classical", {}, "classical"),
    "robust": ("HC1", {}, "robust (HC1)"),  # x n / (n - k)
    "cluster": ("cluster", {"groups": "directed_dyad"}, "clustered by directed dyad"),
    "dyadic": ("dyadic", {"psd": "clip"}, "dyadic-robust"),
}


def covariance(key: str) -> tuple[str, dict, str]:
    """``(cov_type, cov_kwds, label)`` of a covariance key of :attr:`Model.cov_types`."""
    if key in COVARIANCES:
        return COVARIANCES[key]
    if key.startswith("cluster:") and key.split(":", 1)[1]:
        column = key.split(":", 1)[1]
        return ("cluster", {"groups": column}, f"clustered by {column}")
    raise ValueError(f"unknown covariance {key!r}; known: {sorted(COVARIANCES)} or 'cluster:<column>'")
