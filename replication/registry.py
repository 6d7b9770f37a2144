"""The studies foedus can replicate: name -> the module that declares it."""
from __future__ import annotations

import importlib

from foedus.replication.study import Study

#: Study name -> module holding ``STUDY`` (one module per paper).
STUDIES: dict[str, str] = {
    "johnson_leeds_2011": "foedus.replication.johnson_leeds_2011",
    "leeds_2003": "foedus.replication.leeds_2003",
    "fuhrmann_sechser_2014": "foedus.replication.fuhrmann_sechser_2014",
    "leeds_johnson_2017": "foedus.replication.leeds_johnson_2017",
    "morrow_2017": "foedus.replication.morrow_2017",
    "kenwick_vasquez_2017": "foedus.replication.kenwick_vasquez_2017",
}


def study_names() -> list[str]:
    return list(STUDIES)


def get_study(name: str) -> Study:
    """The declared :class:`Study` called ``name``."""
    try:
        module = STUDIES[name]
    except KeyError:
        raise KeyError(f"unknown study {name!r}; known studies: {', '.join(STUDIES)}") from None
    return importlib.import_module(module).STUDY
