"""Average marginal effects against statsmodels' get_margeff(at="overall", dummy=True)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import special

import foedus.models as fm


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(11)
    n = 4000
    f = pd.DataFrame({"x": rng.normal(size=n), "d": (rng.random(n) < 0.3).astype(float),
                      "g": rng.integers(0, 40, n)})
    f["y"] = (rng.random(n) < special.expit(-0.7 + 0.6 * f["x"] - 0.8 * f["d"])).astype(float)
    return f


@pytest.mark.parametrize("estimator, reference", [("logit", sm.Logit), ("probit", sm.Probit)])
def test_ame_matches_statsmodels(frame, estimator, reference):
    res = getattr(fm, estimator)("y ~ x + d", frame)
    me = res.margeff()
    ref = reference(frame["y"], sm.add_constant(frame[["x", "d"]])).fit(disp=0)
    sm_me = ref.get_margeff(at="overall", dummy=True)
    np.testing.assert_allclose(me["dy/dx"].to_numpy(), sm_me.margeff, rtol=1e-7)
    np.testing.assert_allclose(me["std err"].to_numpy(), sm_me.margeff_se, rtol=1e-5)


def test_ame_under_another_covariance_and_errors(frame):
    res = fm.logit("y ~ x + d", frame)
    clustered = res.with_cov("cluster", groups="g").margeff(["x"])
    ref = sm.Logit(frame["y"], sm.add_constant(frame[["x", "d"]])).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": frame["g"], "use_correction": False})
    n, k, G = len(frame), 3, frame["g"].nunique()
    ratio = np.sqrt(G / (G - 1))  # foedus (like Stata's ML commands) applies G/(G-1) only
    expected = ref.get_margeff(at="overall", dummy=True).margeff_se[0] * ratio
    np.testing.assert_allclose(clustered.loc["x", "std err"], expected, rtol=1e-5)
    with pytest.raises(KeyError, match="not a regressor"):
        res.margeff(["nope"])
    with pytest.raises(TypeError, match="binary models"):
        fm.ols("y ~ x", frame).margeff()
