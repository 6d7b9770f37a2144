"""Major powers (COW ``majors2016``) and politically relevant dyads.

Columns added
-------------
major1, major2 : Int8
    1 when the state is a COW major power at any time in the year (a major-power spell overlaps
    the year; the rule of peacesciencer's ``add_cow_majors``); NA outside 1816-2016.
prd : Int8
    Politically relevant dyad: the two states are contiguous, or either is a major power
    (Maoz & Russett 1993; Lemke & Reed 2001). "Contiguous" means ``1 <= conttype <=
    Covariates.prd_contiguity``: 5 (land or up to 400 miles of water, peacesciencer's
    ``filter_prd``) by default; 4 gives Maoz & Russett's land or up to 150 miles of water.
    NA only when contiguity is unknown and neither side is a major power.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from foedus.data.lookup import in_years, nullable_int, state_year_lookup

_STEP = "majors"
#: The columns the panel step adds.
COLUMNS = ("major1", "major2", "prd")

#: Years covered by majors2016.
COVERAGE = (1816, 2016)


def major_years(majors: pd.DataFrame) -> pd.DataFrame:
    """State-years (``ccode``, ``year``, ``major`` = 1) covered by major-power spells."""
    y0 = majors["styear"].to_numpy(np.int64)
    y1 = majors["endyear"].to_numpy(np.int64)
    n = y1 - y0 + 1
    rep = np.repeat(np.arange(len(majors)), n)
    out = pd.DataFrame({
        "ccode": majors["ccode"].to_numpy(np.int64)[rep],
        "year": y0[rep] + (np.arange(rep.size) - np.repeat(np.cumsum(n) - n, n)),
    }).drop_duplicates()
    return out.assign(major=1.0)


def major_status(ccode, year, majors: pd.DataFrame, coverage=COVERAGE) -> np.ndarray:
    """1.0 / 0.0 major-power status of each (ccode, year); NaN outside ``coverage``."""
    v = state_year_lookup(ccode, year, major_years(majors), "major")
    v = np.where(np.isnan(v), 0.0, v)
    v[~in_years(year, *coverage)] = np.nan
    return v


def politically_relevant(conttype: np.ndarray, major1: np.ndarray, major2: np.ndarray,
                         max_conttype: int = 5) -> np.ndarray:
    """prd as float 1/0/NaN with Kleene logic (a major power makes the dyad relevant even when
    contiguity is unknown)."""
    cont = np.where(np.isnan(conttype), np.nan, ((conttype >= 1) & (conttype <= max_conttype)) * 1.0)
    terms = np.vstack([cont, major1, major2])
    any_true = (terms == 1).any(axis=0)
    all_known = ~np.isnan(terms).any(axis=0)
    return np.where(any_true, 1.0, np.where(all_known, 0.0, np.nan))


def _as_float(values) -> np.ndarray:
    return pd.array(values, dtype="Float64").to_numpy(dtype=np.float64, na_value=np.nan)


def add_majors(frame: pd.DataFrame, spec, log=None) -> pd.DataFrame:
    """Panel step: ``major1``, ``major2`` and ``prd`` (see the module docstring).

    ``prd`` uses the panel's ``conttype`` when the contiguity step ran, and otherwise reads the
    contiguity data itself (without adding its columns).
    """
    from foedus.data import read_majors

    majors = read_majors()
    m1 = major_status(frame["ccode1"], frame["year"], majors)
    m2 = major_status(frame["ccode2"], frame["year"], majors)
    if "conttype" in frame.columns:
        conttype = _as_float(frame["conttype"])
    else:
        from foedus.data import read_contdir
        from foedus.data.contiguity import contiguity_type, normalise_contdir

        conttype = contiguity_type(frame, normalise_contdir(read_contdir()),
                                   spec.covariates.contiguity_rule)
    prd = politically_relevant(conttype, m1, m2, spec.covariates.prd_contiguity)
    if log is not None:
        log.note(_STEP, f"COW major powers 2016; politically relevant dyads (conttype 1-"
                 f"{spec.covariates.prd_contiguity} or a major power): {int((prd == 1).sum()):,}",
                 prd=int((prd == 1).sum()), prd_unknown=int(np.isnan(prd).sum()))
    return frame.assign(
        major1=nullable_int(m1 == 1, ~np.isnan(m1)),
        major2=nullable_int(m2 == 1, ~np.isnan(m2)),
        prd=nullable_int(prd == 1, ~np.isnan(prd)),
    )
