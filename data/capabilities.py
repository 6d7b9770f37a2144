"""Material capabilities (COW National Material Capabilities 6.0): CINC, ratio, proportion.

Columns added
-------------
cinc1, cinc2 : float
    CINC (Composite Index of National Capability; Singer, Bremer & Stuckey 1972) of state A and
    state B, optionally of the previous year (``Covariates.capabilities_lag = 1``).
capratio : float
    Stronger over weaker: ``max(cinc1, cinc2) / min(cinc1, cinc2)`` (>= 1).
ln_capratio : float
    Its natural log.
capprop : float
    The challenger's (state A's) share of the dyad's capabilities, ``cinc1 / (cinc1 + cinc2)``.

A state-year missing from NMC gives NaN. A ratio whose weaker side has CINC exactly 0 (rounded to
zero in NMC) is undefined and left NaN; ``capprop`` is NaN only when both sides are 0. The build
log reports both counts.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from foedus.data.lookup import state_year_lookup

_STEP = "capabilities"
#: The columns the panel step adds.
COLUMNS = ("cinc1", "cinc2", "capratio", "ln_capratio", "capprop")


def capability_columns(cinc1: np.ndarray, cinc2: np.ndarray) -> dict[str, np.ndarray]:
    """``capratio``, ``ln_capratio`` and ``capprop`` from the two sides' CINC scores.

    Notes
    -----
    .. math:: \\text{capratio} = \\frac{\\max(c_A, c_B)}{\\min(c_A, c_B)},\\qquad
              \\text{capprop} = \\frac{c_A}{c_A + c_B}
    """
    cinc1 = np.asarray(cinc1, dtype=np.float64)
    cinc2 = np.asarray(cinc2, dtype=np.float64)
    hi, lo = np.fmax(cinc1, cinc2), np.fmin(cinc1, cinc2)
    both = ~(np.isnan(cinc1) | np.isnan(cinc2))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(both & (lo > 0), hi / lo, np.nan)
        total = cinc1 + cinc2
        prop = np.where(both & (total > 0), cinc1 / total, np.nan)
    return {"capratio": ratio, "ln_capratio": np.log(ratio), "capprop": prop}


def capabilities_from_frame(
    frame: pd.DataFrame, nmc: pd.DataFrame, lag: int = 0, log=None
) -> pd.DataFrame:
    """Add the capability columns to a dyad-year frame from an NMC state-year frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        Dyad-years (``ccode1``, ``ccode2``, ``year``).
    nmc : pandas.DataFrame
        NMC state-years with ``ccode``, ``year``, ``cinc``.
    lag : int
        0 for the same year, 1 for the previous year's CINC.
    log : BuildLog, optional
    """
    c1 = state_year_lookup(frame["ccode1"], frame["year"], nmc, "cinc", lag=lag)
    c2 = state_year_lookup(frame["ccode2"], frame["year"], nmc, "cinc", lag=lag)
    cols = {"cinc1": c1, "cinc2": c2, **capability_columns(c1, c2)}
    if log is not None:
        both = ~(np.isnan(c1) | np.isnan(c2))
        log.note(
            _STEP,
            f"NMC CINC{' lagged one year' if lag else ''}: {int((~both).sum()):,} dyad-years lack "
            f"one side's CINC (NaN); {int((both & np.isnan(cols['capratio'])).sum()):,} have a "
            "weaker side with CINC 0 (capratio NaN)",
            missing=int((~both).sum()),
            zero_weaker=int((both & np.isnan(cols["capratio"])).sum()),
        )
    return frame.assign(**cols)


def add_capabilities(frame: pd.DataFrame, spec, log=None) -> pd.DataFrame:
    """Panel step: NMC 6.0 capabilities (see the module docstring for the columns)."""
    from foedus.data import read_nmc

    return capabilities_from_frame(frame, read_nmc(), spec.covariates.capabilities_lag, log)
