"""Non-directed dyad indicators: the usual dyad-level controls that do not depend on who is A.

Columns added (``Covariates.dyad_indicators``)
----------------------------------------------
ally : Int8
    The two states share at least one ATOP alliance of any obligation in the year (defense,
    offense, neutrality, non-aggression or consultation): the panel's ``atopids`` is not empty.
    NA outside the ATOP release's coverage; needs the alliance step (``PanelSpec.alliances``).
    ``defense_ally`` (a shared defense pact) is added by the alliance step itself.
both_major, one_major : Int8
    Both states / exactly one of them are COW major powers in the year (``major1``,
    ``major2``, the rule of :mod:`foedus.data.majors`); NA where either status is.

All three are symmetric in A and B, so they read the same in a directed panel and in the
non-directed one (``PanelSpec(directed=False)``: one row per pair, ``ccode1 < ccode2``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from foedus.data.lookup import in_years, nullable_int

_STEP = "dyad_indicators"


def major_pair(major1: np.ndarray, major2: np.ndarray) -> dict:
    """``both_major`` and ``one_major`` from the two sides' 1/0/NaN major-power status."""
    known = ~(np.isnan(major1) | np.isnan(major2))
    n = np.nan_to_num(major1) + np.nan_to_num(major2)
    return {"both_major": nullable_int(n == 2, known), "one_major": nullable_int(n == 1, known)}


def _float(values) -> np.ndarray:
    return pd.array(values, dtype="Float64").to_numpy(dtype=np.float64, na_value=np.nan)


def step_columns(spec) -> tuple:
    """The columns :func:`add_dyad_indicators` adds under ``spec`` (its step declaration)."""
    return ("ally",) * (spec.alliances is not None) + ("both_major", "one_major")


def add_dyad_indicators(frame: pd.DataFrame, spec, log=None) -> pd.DataFrame:
    """Panel step: ``ally``, ``both_major``, ``one_major`` (see the module docstring)."""
    from foedus.data.alliances import COVERAGE as ATOP_COVERAGE

    cols = {}
    if spec.alliances is not None:
        lo, hi = ATOP_COVERAGE[spec.alliances.version]
        shared = frame["atopids"].fillna("").to_numpy(dtype=str) != ""
        cols["ally"] = nullable_int(shared, in_years(frame["year"], lo, hi))
    elif log is not None:
        log.note(_STEP, "ally not added: the panel has no alliances (PanelSpec.alliances=None)")
    if "major1" in frame.columns:
        m1, m2 = _float(frame["major1"]), _float(frame["major2"])
    else:
        from foedus.data import read_majors
        from foedus.data.majors import major_status

        majors = read_majors()
        m1 = major_status(frame["ccode1"], frame["year"], majors)
        m2 = major_status(frame["ccode2"], frame["year"], majors)
    cols.update(major_pair(m1, m2))
    if log is not None:
        counts = {k: int((v == 1).sum()) for k, v in cols.items()}
        log.note(_STEP, "non-directed indicators: " + ", ".join(f"{k} = 1 in {v:,} dyad-years"
                                                               for k, v in counts.items()), **counts)
    return frame.assign(**cols)


__all__ = ["major_pair", "step_columns", "add_dyad_indicators"]
