"""Case-control (choice-based) sampling for rare events (King & Zeng 2001, section 3).

Keep every event and a random fraction of the non-events; the population event share
``tau`` that the prior or weighting correction needs is computed from the full data.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._design import as_frame

__all__ = ["CaseControlSample", "case_control_sample"]


@dataclass(frozen=True)
class CaseControlSample:
    """A case-control sample and what the King-Zeng corrections need.

    Attributes
    ----------
    frame : DataFrame
        All events and the sampled non-events, in the original row order.
    tau : float
        Population event share (events / rows of the full data).
    ybar : float
        Sample event share.
    fraction : float
        Share of non-events kept.
    n_events, n_nonevents_population, n_nonevents_sample : int
    w1, w0 : float
        Weights of the weighting correction, tau / ybar and (1 - tau) / (1 - ybar).
    seed : int or None
    """

    frame: pd.DataFrame
    tau: float
    ybar: float
    fraction: float
    n_events: int
    n_nonevents_population: int
    n_nonevents_sample: int
    w1: float
    w0: float
    seed: int | None

    def relogit_kwargs(self, correction: str = "prior") -> dict:
        """Keyword arguments for :func:`foedus.models.relogit` on this sample."""
        return {"tau": self.tau, "correction": correction}


def case_control_sample(data, outcome: str, fraction: float, seed=None) -> CaseControlSample:
    """Keep all events and ``round(fraction * non-events)`` non-events drawn without replacement.

    Parameters
    ----------
    data : DataFrame or Panel
    outcome : str
        0/1 column; rows where it is missing are not sampled (and reported in the error if
        the column is not 0/1).
    fraction : float
        Share of non-events to keep, 0 < fraction <= 1.
    seed : int, optional
        Seed of the draw (same seed, same sample).
    """
    frame = as_frame(data)
    if outcome not in frame.columns:
        raise KeyError(f"outcome column {outcome!r} not in the data")
    if not 0.0 < fraction <= 1.0:
        raise ValueError("fraction must be in (0, 1]")
    y = frame[outcome]
    if y.isna().any():
        raise ValueError(f"{outcome!r} has {int(y.isna().sum())} missing values; drop them first")
    values = y.to_numpy()
    if not np.isin(values, (0, 1)).all():
        raise ValueError(f"{outcome!r} must be 0/1")
    events = np.flatnonzero(values == 1)
    nonevents = np.flatnonzero(values == 0)
    m = int(round(fraction * nonevents.size))
    rng = np.random.default_rng(seed)
    chosen = np.sort(np.concatenate([events, rng.choice(nonevents, size=m, replace=False)]))
    tau = events.size / values.size
    ybar = events.size / chosen.size
    return CaseControlSample(frame.iloc[chosen], tau, ybar, fraction, int(events.size),
                             int(nonevents.size), m, tau / ybar, (1 - tau) / (1 - ybar), seed)
