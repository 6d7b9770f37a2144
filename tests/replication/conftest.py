"""A synthetic panel source for the replication machinery (no real data needed).

The synthetic world has 12 states and every directed pair in every year of the spec. Columns
follow the panel vocabulary; ``dispute`` is drawn from a probit whose true coefficients make
every published claim of both studies true (ptargdef -0.5, pchaloff +0.4, pchalneu +0.4,
pchalally 0), so the expected verdicts are known. Panel variants of a spec (secret alliances
excluded, pacts ignored, another initiation rule) change the columns they would change, with
the same rows, as the real builder does.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

STATES = np.array([2, 20, 200, 220, 255, 300, 325, 365, 640, 710, 740, 750], dtype=np.int16)
TRUE = {"Intercept": -1.2, "ptargdef": -0.5, "pchalally": 0.0, "pchaloff": 0.4, "pchalneu": 0.4,
        "ln_distance": -0.1, "capprop": 0.3, "jdem": -0.3, "s_un_glo": -0.2, "peaceyrs": -0.02,
        "peaceyrs2": 0.0, "peaceyrs3": 0.0}


@dataclass(frozen=True)
class FakePanel:
    frame: pd.DataFrame
    spec: object
    log: tuple = ()
    files: tuple = ()


def _seed(*parts) -> int:
    return int(hashlib.sha256(repr(parts).encode()).hexdigest()[:8], 16)


def synthetic_frame(spec) -> pd.DataFrame:
    first, last = spec.years
    years = np.arange(first, last + 1, dtype=np.int16)
    a, b = np.meshgrid(STATES, STATES, indexing="ij")
    off = a != b
    a, b = a[off], b[off]
    n_pairs = a.size
    frame = pd.DataFrame({
        "year": np.repeat(years, n_pairs),
        "ccode1": np.tile(a, years.size),
        "ccode2": np.tile(b, years.size),
    })[["ccode1", "ccode2", "year"]]
    n = len(frame)
    rng = np.random.default_rng(_seed("base", first, last))
    ptargdef_secr = (rng.random(n) < 0.35).astype("int8")
    secret_only = (rng.random(n) < 0.15) & (ptargdef_secr == 1)
    large_only = (rng.random(n) < 0.2) & (ptargdef_secr == 1) & ~secret_only
    frame["pchalally"] = (rng.random(n) < 0.3).astype("int8")
    frame["pchaloff"] = (rng.random(n) < 0.1).astype("int8")
    neutral = rng.random(n) < 0.08
    nonagg = rng.random(n) < 0.05
    frame["defense_ally"] = (rng.random(n) < 0.1).astype("int8")
    frame["ln_distance"] = rng.normal(7.5, 1.0, n)
    frame["capprop"] = rng.uniform(0, 1, n)
    jdem = (rng.random(n) < 0.2).astype("float64")
    jdem[rng.random(n) < 0.02] = np.nan  # missing regime data: listwise deletion
    frame["jdem"] = pd.array(np.where(np.isnan(jdem), pd.NA, jdem), dtype="Int8")
    frame["s_un_glo"] = rng.uniform(-0.5, 1, n)
    frame["peaceyrs"] = rng.integers(0, 60, n).astype("float64")
    frame["peaceyrs2"] = frame["peaceyrs"] ** 2 / 100
    frame["peaceyrs3"] = frame["peaceyrs"] ** 3 / 1000
    frame["contig_land"] = pd.array((rng.random(n) < 0.1).astype("int8"), dtype="Int8")
    frame["contig_400"] = pd.array((frame["contig_land"].to_numpy(dtype=bool) | (rng.random(n) < 0.05)).astype("int8"), dtype="Int8")
    frame["ongoing"] = pd.array((rng.random(n) < 0.03).astype("int8"), dtype="Int8")
    # no continuation year holds a new onset here (drop_ongoing then drops every ongoing row)
    frame["onset"] = pd.array(np.zeros(n, dtype="int8"), dtype="Int8")
    # the variant: what the spec's rules change
    al = spec.alliances
    ptargdef = ptargdef_secr.copy()
    if al.secret == "exclude":
        ptargdef[secret_only] = 0
    if al.exclude_atopids:
        ptargdef[large_only & (3180 in al.exclude_atopids)] = 0
        ptargdef[large_only & (rng.random(n) < 0.5)] = 0
    frame["ptargdef"] = ptargdef
    frame["pchalneu"] = (neutral | (nonagg if al.neutrality_includes_nonagg else False)).astype("int8")
    xb = TRUE["Intercept"] + sum(TRUE[c] * frame[c].astype("float64").fillna(0).to_numpy()
                                 for c in TRUE if c != "Intercept")
    u = np.random.default_rng(_seed("dispute", first, last)).normal(size=n)
    dispute = (xb + u > 0).astype("int8")
    if spec.disputes.initiation == "sidea":
        dispute = np.maximum(dispute, (np.random.default_rng(_seed("sidea")).random(n) < 0.01))
    frame["dispute"] = pd.array(dispute.astype("int8"), dtype="Int8")
    return frame


def synthetic_source(spec, columns=None) -> FakePanel:
    frame = synthetic_frame(spec)
    if columns is not None:
        missing = [c for c in columns if c not in frame.columns]
        if missing:  # the real builder raises too: the machinery must ask only for panel columns
            raise KeyError(f"synthetic panel has no column(s) {missing}")
        frame = frame[["ccode1", "ccode2", "year", *columns]]
    return FakePanel(frame, spec, log=({"step": "synthetic", "message": "toy world"},))


@pytest.fixture(scope="session")
def toy_source():
    """``spec -> panel`` from the synthetic world (a drop-in for the real panel builder)."""
    return synthetic_source
