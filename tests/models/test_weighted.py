"""Weighted (importance-weight) logit and probit against R's glm with prior weights
(fixture: tests/reference/make_weighted_reference.R)."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import foedus.models as fm

REF = Path(__file__).resolve().parents[1] / "reference"
FORMULA = "y ~ capprop + contig + ldist + defpact + trade"


@pytest.fixture(scope="module")
def data():
    d = pd.read_csv(REF / "sim_dyadic.csv")
    d["w"] = (np.arange(1, len(d) + 1) % 5) / 2  # as the R script: every fifth row weight 0
    return d


@pytest.fixture(scope="module")
def ref():
    with open(REF / "weighted_reference.json") as fh:
        return json.load(fh)


def _fit(est, data, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fm.MissingDataWarning)
        return getattr(fm, est)(FORMULA, data, weights="w", **kw)


@pytest.mark.parametrize("est", ["logit", "probit"])
def test_weighted_against_glm(est, data, ref):
    r = ref[est]
    info = {"information": "expected"} if est == "probit" else {}
    res = _fit(est, data, **info)
    assert res.nobs == r["nobs"]  # zero-weight rows excluded, as Stata does
    np.testing.assert_allclose(res.params.to_numpy(), r["params"], rtol=1e-6)
    assert res.llf == pytest.approx(r["llf"], rel=1e-9)
    V = np.asarray(r["cov"])
    np.testing.assert_allclose(res.cov_params().to_numpy(), V, rtol=1e-5, atol=1e-12)
    cl = res.with_cov("cluster", groups="directed_dyad").cov_params().to_numpy()
    np.testing.assert_allclose(cl, np.asarray(r["cov_cluster"]), rtol=1e-5, atol=1e-12)


def test_integer_weights_equal_replicated_rows(data):
    """Importance weights of 2 give the estimates and classical covariance of duplicated rows."""
    d = data.iloc[:2000].copy()
    d["w2"] = 2.0
    weighted = fm.probit(FORMULA, d, weights="w2")
    doubled = fm.probit(FORMULA, pd.concat([d, d], ignore_index=True))
    np.testing.assert_allclose(weighted.params, doubled.params, rtol=1e-8)
    np.testing.assert_allclose(weighted.cov_params(), doubled.cov_params(), rtol=1e-6)


def test_unit_weights_change_nothing(data):
    a = fm.logit(FORMULA, data)
    b = fm.logit(FORMULA, data, weights=np.ones(len(data)))
    np.testing.assert_allclose(a.params, b.params, rtol=1e-12)
    np.testing.assert_allclose(a.bse, b.bse, rtol=1e-10)


def test_bad_weights(data):
    d = data.copy()
    d.loc[3, "w"] = np.nan
    with pytest.raises(ValueError, match="missing or negative"):
        fm.logit(FORMULA, d, weights="w")
    with pytest.raises(KeyError, match="nope"):
        fm.logit(FORMULA, d, weights="nope")
    with pytest.raises(ValueError, match="entries"):
        fm.logit(FORMULA, d, weights=np.ones(3))
