"""Replications of published studies: tables, figures, provenance.

A study (one module per paper) declares panels, models and published claims
(:mod:`foedus.replication.study`); :func:`replicate` runs it and writes ``results/<study>/``.

>>> from foedus.replication import replicate, study_names
>>> study_names()[:2]
['johnson_leeds_2011', 'leeds_2003']
"""
from foedus.replication.registry import STUDIES, get_study, study_names
from foedus.replication.study import Claim, DataVersion, Effect, Model, Study


def __getattr__(name):
    # replicate pulls in matplotlib; import it only when used (the CLI imports this package).
    if name in ("replicate", "Replication"):
        from foedus.replication import pipeline as _module

        return getattr(_module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["replicate", "Replication", "get_study", "study_names", "STUDIES", "Study", "Model",
           "Claim", "DataVersion", "Effect"]
