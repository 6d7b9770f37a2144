"""foedus.models.ols: toy worlds with known answers, and R (lm + sandwich) on real survey data."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from foedus.models import ols

REFERENCE = Path(__file__).resolve().parent.parent / "reference" / "ols_reference.json"
PARAMS_TOL = 1e-8  # relative, as the R fixtures carry 17 digits
COV_TOL = 1e-8


@pytest.fixture(scope="module")
def toy():
    rng = np.random.default_rng(7)
    n = 60
    x = rng.normal(size=n)
    d = pd.DataFrame({"x": x, "g": rng.integers(0, 2, n).astype(float),
                      "w": rng.integers(1, 4, n).astype(float)})
    d["y"] = 1 + 2 * d.x - d.g + rng.normal(size=n) * (1 + np.abs(x))
    return d


def test_two_groups_is_the_difference_in_means(toy):
    res = ols("y ~ g", toy, cov_type="HC1")
    means = toy.groupby("g").y.mean()
    assert res.params["g"] == pytest.approx(means[1.0] - means[0.0], rel=1e-12)
    # HC1 of a two-group regression: HC0 is the unpooled-variance (Welch) standard error
    v = toy.groupby("g").y.agg(lambda s: s.var(ddof=0) / len(s))
    n = len(toy)
    assert res.bse["g"] == pytest.approx(np.sqrt(v.sum() * n / (n - 2)), rel=1e-10)


def test_integer_weights_equal_repeated_rows(toy):
    weighted = ols("y ~ x + g", toy, weights="w")
    repeated = toy.loc[toy.index.repeat(toy.w.astype(int))]
    plain = ols("y ~ x + g", repeated)
    np.testing.assert_allclose(weighted.params, plain.params, rtol=1e-10)


def test_covariances_do_not_depend_on_the_scale_of_the_weights(toy):
    a = ols("y ~ x + g", toy, weights="w", cov_type="HC1")
    b = ols("y ~ x + g", toy.assign(w=toy.w * 7.5), weights="w", cov_type="HC1")
    np.testing.assert_allclose(a.cov_params(), b.cov_params(), rtol=1e-10)
    np.testing.assert_allclose(a.with_cov("classical").cov_params(),
                               b.with_cov("classical").cov_params(), rtol=1e-10)


def test_bad_weights_are_refused(toy):
    with pytest.raises(ValueError, match="zero or negative weight"):
        ols("y ~ x", toy.assign(w=toy.w.where(toy.index != 3, 0.0)), weights="w")
    with pytest.raises(KeyError, match="weights column 'nope'"):
        ols("y ~ x", toy, weights="nope")


def test_t_inference(toy):
    res = ols("y ~ x", toy)
    ci = res.conf_int()
    from scipy import stats

    q = stats.t.ppf(0.975, len(toy) - 2)
    assert ci.loc["x", 1] - res.params["x"] == pytest.approx(q * res.bse["x"], rel=1e-12)
    assert "P>|t|" in str(res.summary())


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(json.loads(REFERENCE.read_text())))
def test_against_r(name, raw_dir, monkeypatch):
    from foedus.data.units import build_unit
    from foedus.data.tomz_weeks_2021 import TomzWeeksRespondents

    monkeypatch.setenv("FOEDUS_DATA_DIR", str(raw_dir))
    ref = json.loads(REFERENCE.read_text())[name]
    frame = build_unit(TomzWeeksRespondents()).frame
    res = ols(ref["formula"], frame, weights=ref["weights"], cov_type="HC1")
    assert list(res.params.index) == ref["names"] and res.nobs == ref["nobs"]
    np.testing.assert_allclose(res.params, ref["params"], rtol=PARAMS_TOL, atol=1e-10)
    np.testing.assert_allclose(res.cov_params(), ref["cov_HC1"], rtol=COV_TOL, atol=1e-12)
    np.testing.assert_allclose(res.with_cov("classical").cov_params(), ref["cov_classical"],
                               rtol=COV_TOL, atol=1e-12)
    assert res.llf == pytest.approx(ref["llf"], rel=1e-10)
    assert res.rsquared == pytest.approx(ref["rsquared"], rel=1e-10)


def test_cluster_covariance_matches_statsmodels(toy):
    import statsmodels.api as sm

    groups = np.arange(len(toy)) % 12
    res = ols("y ~ x + g", toy.assign(cl=groups), weights="w", cov_type="cluster",
              cov_kwds={"groups": "cl"})
    X = sm.add_constant(toy[["x", "g"]])
    ref = sm.WLS(toy.y, X, weights=toy.w).fit(cov_type="cluster", cov_kwds={"groups": groups})
    n, k = X.shape  # statsmodels also applies (n - 1) / (n - k); foedus G / (G - 1) only
    np.testing.assert_allclose(res.bse, ref.bse * np.sqrt((n - k) / (n - 1)), rtol=1e-10)
