"""Benchmark: the survival estimators on simulated counting-process data of panel size.

200,000 subjects followed yearly for up to 10 years (about 1.6 million rows, 4 covariates, one
time-varying; integer times, so ties are heavy), fitted with ``coxph`` (Efron; classical and
clustered by subject) and ``weibull`` (left-truncated). Prints medians over
``FOEDUS_BENCH_REPEATS`` (default 3) and the process's peak RSS. No target is asserted; the alliance-duration rows of the Morrow (1991)
study (6,000 rows) take milliseconds.
"""
from __future__ import annotations

import os
import resource

import numpy as np
import pandas as pd

import foedus.models as fm

from _timing import median_seconds  # noqa: E402  (bench/ is the script's folder)

REPEATS = int(os.environ.get("FOEDUS_BENCH_REPEATS", "3"))


def simulate(n_subjects: int = 200_000, max_t: int = 10, seed: int = 1991) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.full(n_subjects, max_t)
    rep = np.repeat(np.arange(n_subjects), years)
    t = np.arange(rep.size) - np.repeat(np.cumsum(years) - years, years)
    x = rng.normal(size=(n_subjects, 3))[rep]
    z = rng.normal(size=rep.size)  # time-varying
    hazard = 0.05 * np.exp(0.3 * x[:, 0] - 0.2 * x[:, 1] + 0.4 * z)
    event = rng.random(rep.size) < 1 - np.exp(-hazard)
    # keep each subject's rows up to its first event
    first = pd.Series(np.where(event, t, max_t)).groupby(rep).transform("min").to_numpy()
    keep = t <= first
    frame = pd.DataFrame({"id": rep, "start": t.astype(float), "stop": t + 1.0,
                          "event": event.astype(float), "x1": x[:, 0], "x2": x[:, 1], "x3": x[:, 2],
                          "z": z})
    return frame[keep].reset_index(drop=True)


def main() -> None:
    data = simulate()
    f = "event ~ x1 + x2 + x3 + z"
    print(f"{len(data):,} rows, {int(data['event'].sum()):,} events")
    res = fm.coxph(f, data, duration="stop", entry="start")
    print(f"coxph (Efron), classical: {median_seconds(lambda: fm.coxph(f, data, duration='stop', entry='start'), REPEATS):.2f} s")
    print(f"  with_cov cluster by subject: {median_seconds(lambda: res.with_cov('cluster', groups='id'), REPEATS):.3f} s")
    print(f"weibull (left-truncated): {median_seconds(lambda: fm.weibull(f, data, duration='stop', entry='start'), REPEATS):.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB (medians of {REPEATS})")


if __name__ == "__main__":
    main()
