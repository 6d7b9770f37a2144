"""The studies foedus can replicate: name -> the module that declares it."""
from __future__ import annotations

import importlib

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the declarations import pandas; the registry itself must stay light
    from foedus.replication.study import Study

#: Study name -> module holding ``STUDY`` (one module per paper), or ``module:ATTRIBUTE`` when a
#: paper's module declares a second study.
STUDIES: dict[str, str] = {
    "johnson_leeds_2011": "foedus.replication.johnson_leeds_2011",
    "leeds_2003": "foedus.replication.leeds_2003",
    "fuhrmann_sechser_2014": "foedus.replication.fuhrmann_sechser_2014",
    "johnson_leeds_2011_escalation": "foedus.replication.johnson_leeds_2011:ESCALATION",
    "fang_johnson_leeds_2014": "foedus.replication.fang_johnson_leeds_2014",
    "morrow_1991": "foedus.replication.morrow_1991",
    "tomz_weeks_2021": "foedus.replication.tomz_weeks_2021",
    "berkemeier_fuhrmann_2018": "foedus.replication.berkemeier_fuhrmann_2018",
    "leeds_anac_2005": "foedus.replication.leeds_anac_2005",
    "leeds_johnson_2017": "foedus.replication.leeds_johnson_2017",
    "morrow_2017": "foedus.replication.morrow_2017",
    "kenwick_vasquez_2017": "foedus.replication.kenwick_vasquez_2017",
}


def study_names() -> list[str]:
    return list(STUDIES)


def get_study(name: str) -> "Study":
    """The declared :class:`Study` called ``name``."""
    try:
        module = STUDIES[name]
    except KeyError:
        raise KeyError(f"unknown study {name!r}; known studies: {', '.join(STUDIES)}") from None
    module, _, attribute = module.partition(":")
    return getattr(importlib.import_module(module), attribute or "STUDY")
