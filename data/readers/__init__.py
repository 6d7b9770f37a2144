"""Readers: one per published file type, each returning a tidy, typed, validated frame.

Every reader verifies the file's sha256, validates the parsed frame (raising
:class:`foedus.data.SchemaError`) and caches the result in memory and as parquet in the cache
folder. Returned frames are copies: callers may modify them.
"""
from foedus.data.readers._base import clear_memory_cache
from foedus.data.readers.cow import (read_contdir, read_contdird, read_majors, read_nmc, read_states,
                                     read_system)
from foedus.data.readers.mid import (read_gml_participants, read_maoz_dyadic_mid, read_mid_disputes,
                                     read_mid_participants)
from foedus.data.readers.peacesciencer import read_capitals, read_mindist, read_peacesciencer

__all__ = [
    "clear_memory_cache",
    "read_capitals",
    "read_contdir",
    "read_contdird",
    "read_gml_participants",
    "read_majors",
    "read_maoz_dyadic_mid",
    "read_mid_disputes",
    "read_mid_participants",
    "read_mindist",
    "read_nmc",
    "read_peacesciencer",
    "read_states",
    "read_system",
]
from foedus.data.readers.atop import (read_atop_alliances, read_atop_ddyr, read_atop_dy, read_atop_members,
                                      read_atop_phases, read_atop_sy)
from foedus.data.readers.cow_alliance import read_cow_alliance
from foedus.data.readers.cow_war import read_dyadic_war
from foedus.data.readers.regime import read_polity, read_vdem

__all__ += [
    "read_atop_alliances",
    "read_atop_ddyr",
    "read_atop_dy",
    "read_atop_members",
    "read_atop_phases",
    "read_atop_sy",
    "read_cow_alliance",
    "read_dyadic_war",
    "read_polity",
    "read_vdem",
]
from foedus.data.readers.tomz_weeks import read_tomz_weeks_2021

__all__ += ["read_tomz_weeks_2021"]
from foedus.data.readers.alliance_reliability import read_berkemeier_fuhrmann_2018, read_leeds_anac_2005
from foedus.data.readers.cow_war import read_cow_interstate_war

__all__ += [
    "read_berkemeier_fuhrmann_2018",
    "read_cow_interstate_war",
    "read_leeds_anac_2005",
]
