"""Replications of published studies: tables, figures, provenance.

A study (one module per paper) declares panels, models and published claims
(:mod:`foedus.replication.study`); :func:`replicate` runs it and writes ``results/<study>/``.

>>> from foedus.replication import replicate, study_names
>>> study_names()[:2]
['johnson_leeds_2011', 'leeds_2003']
"""
from importlib import import_module

from foedus.replication.registry import STUDIES, get_study, study_names

#: Names loaded on first use: the study declarations need pandas, replicate matplotlib; the
#: command line imports this package and its --help must stay fast.
_NAMES = {"replicate": "foedus.replication.pipeline", "Replication": "foedus.replication.pipeline",
          **{n: "foedus.replication.study" for n in ("Claim", "DataVersion", "Effect", "Model",
                                                     "Study", "Summary", "SummaryClaim")}}


def __getattr__(name):
    if name in _NAMES:
        return getattr(import_module(_NAMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["replicate", "Replication", "get_study", "study_names", "STUDIES", "Study", "Model",
           "Claim", "DataVersion", "Effect", "Summary", "SummaryClaim"]
