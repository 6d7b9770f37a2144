"""Sample filters: the only place where rows leave a panel.

Every filter reports, through the build log, how many dyad-years it removed and why, so a table
note can state the sample exactly. The filters run after all joins (see
:func:`foedus.data.panel.build_panel`), in the order of :func:`apply_sample`.

Functions
---------
apply_sample
    Apply the filters a :class:`~foedus.data.spec.PanelSpec` asks for.
keep_politically_relevant, drop_ongoing, drop_shared_defense, restrict_years
    The single filters, usable on any panel frame.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from foedus.data.spec import PanelSpec

_STEP = "sample"

#: :meth:`pandas.DataFrame.query` form of :func:`drop_ongoing` (rows kept), for studies that
#: filter an already-built panel instead of building another.
KEEP_UNLESS_ONGOING = "not (ongoing == 1 and onset != 1)"


def _note(log, message: str, **counts: int) -> None:
    if log is not None:
        log.note(_STEP, message, **counts)


def _require(frame: pd.DataFrame, column: str, filter_name: str, how: str) -> None:
    if column not in frame.columns:
        raise ValueError(
            f"sample filter '{filter_name}' needs the panel column '{column}', which this panel "
            f"lacks; {how}"
        )


def _true(values: pd.Series) -> np.ndarray:
    """Boolean mask of values that are true; NA (unknown) counts as not true."""
    return values.astype("boolean").fillna(False).to_numpy(dtype=bool)


def keep_politically_relevant(frame: pd.DataFrame, log=None) -> pd.DataFrame:
    """Keep politically relevant dyads (column ``prd``; Maoz & Russett 1993, Lemke & Reed 2001).

    A dyad-year whose ``prd`` is NA (contiguity or major-power status unknown) is removed and
    counted separately in the log.
    """
    _require(frame, "prd", "politically_relevant",
             "enable Covariates.contiguity and Covariates.majors (prd is built from both)")
    known = frame["prd"].notna().to_numpy()
    keep = _true(frame["prd"])
    _note(log, f"kept {int(keep.sum()):,} politically relevant dyad-years (contiguous, or either "
          f"side a major power); removed {int((~keep).sum()):,}, of which "
          f"{int((~known).sum()):,} with prd unknown",
          removed=int((~keep).sum()), removed_unknown=int((~known).sum()), kept=int(keep.sum()))
    return frame.loc[keep]


def drop_ongoing(frame: pd.DataFrame, log=None) -> pd.DataFrame:
    """Drop dyad-years with a dispute ongoing from an earlier year (column ``ongoing``).

    A continuation year in which a new dispute also begins in the dyad (``onset`` = 1) is kept:
    it carries an onset, and dropping it would drop events the model is meant to explain (with
    MID 5.0 and the default spec, 316 of the 2,114 continuation years hold an onset, 164 of them an
    initiation). Rows whose ``ongoing`` is NA (outside the dispute data's coverage) are kept too.
    Both counts are logged.
    """
    _require(frame, "ongoing", "drop_ongoing", "enable disputes (PanelSpec.disputes)")
    ongoing = _true(frame["ongoing"])
    with_onset = ongoing & _true(frame["onset"]) if "onset" in frame.columns else np.zeros_like(ongoing)
    drop = ongoing & ~with_onset
    unknown = int(frame["ongoing"].isna().sum())
    _note(log, f"removed {int(drop.sum()):,} dyad-years with a dispute ongoing from an earlier "
          f"year and no new onset ({int(with_onset.sum()):,} continuation years with a new onset "
          f"kept; {unknown:,} with ongoing unknown kept)", removed=int(drop.sum()),
          kept_with_onset=int(with_onset.sum()), kept_unknown=unknown)
    return frame.loc[~drop]


def drop_shared_defense(frame: pd.DataFrame, log=None) -> pd.DataFrame:
    """Drop dyad-years whose two states share a defense pact (column ``defense_ally``).

    Rows whose ``defense_ally`` is NA (outside the alliance data's coverage) are kept; their count
    is logged.
    """
    _require(frame, "defense_ally", "drop_shared_defense", "enable alliances (PanelSpec.alliances)")
    drop = _true(frame["defense_ally"])
    unknown = int(frame["defense_ally"].isna().sum())
    _note(log, f"removed {int(drop.sum()):,} dyad-years whose two states share a defense pact "
          f"({unknown:,} with defense_ally unknown kept)", removed=int(drop.sum()),
          kept_unknown=unknown)
    return frame.loc[~drop]


def restrict_years(frame: pd.DataFrame, first: int, last: int, log=None) -> pd.DataFrame:
    """Keep the years ``first`` to ``last`` (inclusive)."""
    if first > last:
        raise ValueError(f"restrict_years: first year {first} is after last year {last}")
    year = frame["year"].to_numpy()
    keep = (year >= first) & (year <= last)
    _note(log, f"kept years {first}-{last}; removed {int((~keep).sum()):,} dyad-years",
          removed=int((~keep).sum()))
    return frame.loc[keep]


def apply_sample(frame: pd.DataFrame, spec: PanelSpec, log=None) -> pd.DataFrame:
    """Apply the sample filters of ``spec`` (each logs the rows it removed).

    Order: politically relevant dyads (``spec.sample.politically_relevant``), ongoing-dispute
    years (``spec.sample.drop_ongoing``, or ``spec.disputes.ongoing == "drop"``), shared defense
    pacts (``spec.sample.drop_shared_defense``). The row order of the survivors is kept; the index
    is not reset here.
    """
    sample = spec.sample
    n0 = len(frame)
    if sample.politically_relevant:
        frame = keep_politically_relevant(frame, log)
    ongoing = sample.drop_ongoing or (
        spec.disputes is not None and spec.disputes.ongoing == "drop"
    )
    if ongoing:
        frame = drop_ongoing(frame, log)
    if sample.drop_shared_defense:
        frame = drop_shared_defense(frame, log)
    if len(frame) != n0:
        _note(log, f"sample filters removed {n0 - len(frame):,} of {n0:,} dyad-years; "
              f"{len(frame):,} remain", removed=n0 - len(frame), kept=len(frame))
    return frame
