"""Estimator edge cases: each gets a clear error naming the column, or a documented result."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import foedus.models as fm
from foedus.models import DesignError, NonPSDCovarianceWarning, SeparationError


def _dyads(n_states: int, years: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    states = np.arange(2, 2 * n_states + 2, 2)
    a, b = np.meshgrid(states, states, indexing="ij")
    pairs = np.column_stack([a.ravel(), b.ravel()])
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    yrs = np.arange(1950, 1950 + years)
    n = len(pairs) * len(yrs)
    f = pd.DataFrame({"ccode1": np.tile(pairs[:, 0], len(yrs)), "ccode2": np.tile(pairs[:, 1], len(yrs)),
                      "year": np.repeat(yrs, len(pairs)), "x": rng.normal(size=n), "z": rng.normal(size=n)})
    f["y"] = (rng.random(n) < 1 / (1 + np.exp(1.0 - 0.5 * f["x"]))).astype("float64")
    return f


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    f = _dyads(8, 10, seed=3)
    f["w"] = 3.0 * f["x"] - f["z"]  # collinear with x and z
    f["c"] = 5.0
    f["zero"] = 0.0
    return f


ESTIMATORS = ["logit", "probit", "relogit", "firth"]


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_collinear_columns_are_named(frame, estimator):
    with pytest.raises(DesignError, match=r"columns 'x', 'z', 'w' are collinear"):
        getattr(fm, estimator)("y ~ x + z + w", frame)


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_constant_column_beside_the_intercept_is_collinearity_not_separation(frame, estimator):
    with pytest.raises(DesignError, match=r"'Intercept' \(always 1\), 'c' \(always 5\)") as err:
        getattr(fm, estimator)("y ~ x + c", frame)
    assert not isinstance(err.value, SeparationError)


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_all_zero_column_is_named(frame, estimator):
    with pytest.raises(DesignError, match=r"'zero' are zero in every row"):
        getattr(fm, estimator)("y ~ x + zero", frame)


def test_firth_with_a_singular_design_in_the_array_interface(frame):
    X = np.column_stack([np.ones(len(frame)), frame["x"], 2 * frame["x"]])
    with pytest.raises(DesignError, match=r"'x0', 'x1', 'x2' are collinear|'x1', 'x2' are collinear"):
        fm.firth(endog=frame["y"], exog=X)


@pytest.mark.parametrize("value", [np.inf, -np.inf])
@pytest.mark.parametrize("estimator", [*ESTIMATORS, "lpm_fe"])
def test_infinite_regressor_is_named_in_the_formula_path(frame, estimator, value):
    f = frame.copy()
    f.loc[f.index[7], "z"] = value
    with pytest.raises(DesignError, match=r"infinite values .* column\(s\) 'z' \(1 rows\); first at row 7"):
        getattr(fm, estimator)("y ~ x + z", f)


def test_infinite_regressor_is_named_in_the_array_interface(frame):
    X = np.column_stack([np.ones(len(frame)), frame["x"], frame["z"]])
    X[3, 2] = np.inf
    with pytest.raises(DesignError, match=r"'x2' \(1 rows\); first at row 3"):
        fm.logit(endog=frame["y"].to_numpy(), exog=X)


def test_relogit_prior_correction_with_a_constant_that_is_not_one(frame):
    """``y ~ 0 + c + x`` (c = 5) is ``y ~ x`` reparametrised: the same linear predictor."""
    tau = 0.05
    plain = fm.relogit("y ~ x", frame, tau=tau)
    scaled = fm.relogit("y ~ 0 + c + x", frame, tau=tau)
    assert 5.0 * scaled.params["c"] == pytest.approx(plain.params["Intercept"], rel=1e-8)
    assert scaled.params["x"] == pytest.approx(plain.params["x"], rel=1e-8)
    # King & Zeng (2001), eq. 7, without the bias correction: statsmodels' logit intercept shifted
    ref = sm.Logit(frame["y"], sm.add_constant(frame[["x"]])).fit(disp=0).params
    ybar = frame["y"].mean()
    shift = np.log((1 - tau) / tau * ybar / (1 - ybar))
    raw = fm.relogit("y ~ 0 + c + x", frame, tau=tau, bias_correct=False)
    assert 5.0 * raw.params["c"] == pytest.approx(ref["const"] - shift, rel=1e-7)


def test_negative_dyadic_variance_is_nan_with_a_foedus_warning_only():
    f = _dyads(4, 10, seed=0)  # a dyadic-robust covariance with negative variances
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = fm.logit("y ~ x + z", f, cov_type="dyadic", cov_kwds={"psd": "ignore"})
        bse = res.bse
    assert (np.diag(res.cov_params().to_numpy()) < 0).any()
    assert bse.isna().any() and bse.notna().any()
    kinds = {w.category for w in caught}
    assert NonPSDCovarianceWarning in kinds and RuntimeWarning not in kinds
    assert any("standard error is NaN" in str(w.message) for w in caught)


def test_lpm_fe_names_absorbed_and_collinear_columns(frame):
    f = frame.copy()
    f["d"] = (f["ccode1"] * 7 + f["ccode2"]) % 3  # constant within each directed dyad
    f["v"] = 2.0 * f["x"] + 0.1 * f["year"]  # x once the year effects are removed
    with pytest.raises(DesignError, match=r"'d' do not vary once the directed_dyad effects"):
        fm.lpm_fe("y ~ x + d", f)
    with pytest.raises(DesignError, match=r"columns 'x', 'v' are collinear once the directed_dyad "
                                          r"effects and the year effects are removed"):
        fm.lpm_fe("y ~ x + v", f)
