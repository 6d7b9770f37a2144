"""The inference core: one class tree, covariances computed once, Wald and t tests and marginal
effects against statsmodels on the same data and covariance, and the comparison table."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import special, stats

import foedus.models as fm
from foedus.models.inference import InferenceResults, restrictions
from foedus.models.results import BinaryResults, ScoreResults
from foedus.replication.run import Fit


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(3)
    n = 3000
    f = pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n),
                      "d": (rng.random(n) < 0.4).astype(float), "g": rng.integers(0, 50, n)})
    f["y"] = (rng.random(n) < special.expit(-0.5 + 0.7 * f.x - 0.4 * f.z + 0.6 * f.d)).astype(float)
    f["w"] = 1.0 + 0.5 * f.x + rng.normal(size=n)
    return f


def _exog(frame):
    return frame[["x", "z", "d"]].assign(Intercept=1.0)[["Intercept", "x", "z", "d"]]


def test_class_tree_and_common_surface():
    for cls in (fm.RelogitResults, fm.FirthResults):
        assert issubclass(cls, BinaryResults)
    for cls in (fm.OLSResults, fm.SurvivalResults, fm.HeckProbitResults, fm.LPMResults,
                fm.ConditionalLogitResults, BinaryResults):
        assert issubclass(cls, ScoreResults) and issubclass(cls, InferenceResults)
        assert not issubclass(cls, BinaryResults) or cls is BinaryResults
        for name in ("with_cov", "cov_notes", "converged", "nobs", "df_resid", "use_t",
                     "n_events", "wald_test", "t_test"):
            assert hasattr(cls, name) or name == "converged", (cls, name)  # converged: set by __init__


def test_covariance_is_computed_once_and_reading_has_no_side_effect(frame):
    res = fm.logit("y ~ x + z + d", frame, cov_type="cluster", cov_kwds={"groups": "g"})
    first = res.cov_notes
    first.append("tampered")
    assert res.cov_notes == res.cov_notes == ["50 clusters; factor G/(G-1) applied"]
    est = fm.covariance.get_covariance_estimator("HC1")(res._bread, res.model.design.X,
                                                        res._score_factor, None)
    est.cov, est.cov
    assert est.notes == ["small-sample factor n/(n-k) applied"]
    other = res.with_cov("HC0")
    assert other is not res and res.cov_type == "cluster" and other.cov_type == "HC0"
    fresh = fm.logit("y ~ x + z + d", frame, cov_type="HC0")
    np.testing.assert_allclose(other.bse, fresh.bse, rtol=1e-12)
    assert not np.allclose(other.bse, res.bse)


def test_with_cov_on_every_kind_of_result(frame):
    panel = frame.assign(ccode1=frame.g % 10, ccode2=10 + frame.g // 10,
                         year=frame.groupby("g").cumcount())
    fits = {
        "ols": lambda c: fm.ols("w ~ x + d", frame, cov_type=c),
        "lpm_fe": lambda c: fm.lpm_fe("y ~ x + d", panel, cov_type=c),
        "firth": lambda c: fm.firth("y ~ x + d", frame, cov_type=c),
        "relogit": lambda c: fm.relogit("y ~ x + d", frame, cov_type=c),
    }
    for name, fit in fits.items():
        a, b = fit("classical").with_cov("HC0"), fit("HC0")
        np.testing.assert_allclose(a.bse, b.bse, rtol=1e-10, err_msg=name)
        assert a.cov_label == b.cov_label


def test_clogit_with_cov_equals_a_fit_with_that_covariance():
    rng = np.random.default_rng(5)
    n_g, t = 60, 12
    df = pd.DataFrame({"ccode1": np.repeat(np.arange(n_g), t), "ccode2": 900,
                       "year": np.tile(np.arange(t), n_g), "x": rng.normal(size=n_g * t)})
    alpha = np.repeat(rng.normal(size=n_g), t)
    df["y"] = (rng.random(len(df)) < special.expit(alpha + 0.8 * df.x)).astype(float)
    df["region"] = df.ccode1 // 6
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        base = fm.clogit("y ~ x", df)
        refit = fm.clogit("y ~ x", df, cov_type="cluster", cov_kwds={"groups": "region"})
    sib = base.with_cov("cluster", groups="region")
    np.testing.assert_allclose(sib.bse, refit.bse, rtol=1e-12)
    assert sib.cov_label.endswith("on group scores")
    varies = df.groupby("ccode1").y.transform(lambda v: 0 < v.sum() < len(v)).astype(bool)
    assert base.nobs == int(varies.sum()) and base.n_events == int(df.y[varies].sum())
    with pytest.raises(ValueError, match="does not support cov_type 'twoway'"):
        base.with_cov("twoway")


@pytest.mark.parametrize("cov_type, kwds", [("classical", {}), ("cluster", {"groups": "g"})])
def test_wald_and_t_tests_match_statsmodels(frame, cov_type, kwds):
    res = fm.logit("y ~ x + z + d", frame, cov_type=cov_type, cov_kwds=kwds or None)
    ref = sm.Logit(frame.y, _exog(frame)).fit(disp=0)
    V = res.cov_params().to_numpy()
    for spec in ("x = 0, z = d", "x - z = 0.5", "2*x + d = 1, Intercept = -0.5"):
        ours, theirs = res.wald_test(spec), ref.wald_test(spec, cov_p=V, scalar=True)
        assert ours.distribution == "chi2" and ours.df_num == theirs.df_denom
        np.testing.assert_allclose(ours.statistic, theirs.statistic, rtol=1e-10)
        np.testing.assert_allclose(ours.pvalue, theirs.pvalue, rtol=1e-8)
    mine = res.t_test("x - z = 0.5, d = 0")
    frame_sm = ref.t_test("x - z = 0.5, d = 0", cov_p=V).summary_frame()
    np.testing.assert_allclose(mine.to_numpy(), frame_sm.to_numpy(), rtol=1e-9)
    R, q = restrictions("x - z = 0.5, d = 0", res.names)
    matrix = res.wald_test(R, q)
    assert matrix.statistic == pytest.approx(res.wald_test("x - z = 0.5, d = 0").statistic)


def test_f_test_for_t_based_inference_matches_statsmodels(frame):
    res = fm.ols("w ~ x + z + d", frame, cov_type="HC1")
    ref = sm.OLS(frame.w, _exog(frame)).fit(cov_type="HC1", use_t=True)
    ours, theirs = res.wald_test("x = 0, z = d"), ref.wald_test("x = 0, z = d", use_f=True, scalar=True)
    assert ours.distribution == "F" and ours.df_denom == theirs.df_denom == len(frame) - 4
    np.testing.assert_allclose([ours.statistic, ours.pvalue], [theirs.statistic, theirs.pvalue],
                               rtol=1e-9)
    np.testing.assert_allclose(res.t_test("x = 0.4").to_numpy(),
                               ref.t_test("x = 0.4").summary_frame().to_numpy(), rtol=1e-9)


def test_bad_restrictions_are_explained(frame):
    res = fm.logit("y ~ x + z + d", frame)
    with pytest.raises(ValueError, match="cannot read 'q'"):
        res.wald_test("x = q")
    with pytest.raises(ValueError, match="involves no coefficient"):
        res.wald_test("1 = 1")
    with pytest.raises(ValueError, match="R has 2 columns"):
        res.wald_test(np.eye(2))


@pytest.mark.parametrize("estimator, reference", [("logit", sm.Logit), ("probit", sm.Probit)])
def test_margeff_at_means_and_at_values_match_statsmodels(frame, estimator, reference):
    res = getattr(fm, estimator)("y ~ x + z + d", frame)
    ref = reference(frame.y, _exog(frame)).fit(disp=0)
    for ours, theirs in ((res.margeff(at="mean"), ref.get_margeff(at="mean", dummy=True)),
                         (res.margeff(at={"x": 1.0}),
                          ref.get_margeff(at="overall", atexog={1: 1.0}, dummy=True))):
        np.testing.assert_allclose(ours["dy/dx"], theirs.margeff, rtol=1e-7)
        np.testing.assert_allclose(ours["std err"], theirs.margeff_se, rtol=1e-5)


def test_first_difference_is_the_dummy_effect_and_follows_the_covariance(frame):
    res = fm.logit("y ~ x + z + d", frame)
    fd = res.first_difference("d", 0, 1)
    ame = res.margeff(["d"])
    np.testing.assert_allclose(fd.iloc[0, :2].to_numpy(), ame.iloc[0, :2].to_numpy(), rtol=1e-12)
    # a continuous change by hand: mean predicted probabilities, gradient by finite differences
    b, V = res.params.to_numpy(), res.with_cov("HC1").cov_params().to_numpy()
    X1, X0 = _exog(frame).assign(x=1.0).to_numpy(), _exog(frame).assign(x=-1.0).to_numpy()

    def quantity(beta):
        return np.mean(special.expit(X1 @ beta) - special.expit(X0 @ beta))

    g = np.array([(quantity(b + h) - quantity(b - h)) / 2e-6 for h in np.eye(4) * 1e-6])
    got = res.with_cov("HC1").first_difference("x", -1.0, 1.0)
    assert got.iloc[0, 0] == pytest.approx(quantity(b), rel=1e-12)
    assert got.iloc[0, 1] == pytest.approx(np.sqrt(g @ V @ g), rel=1e-6)
    # with a formula term built from the variable, setting it rebuilds the term
    sq = fm.logit("y ~ x + I(x**2) + d", frame)
    Xs = lambda v: np.column_stack([np.ones(len(frame)), np.full(len(frame), v),  # noqa: E731
                                    np.full(len(frame), v * v), frame.d])
    expected = np.mean(special.expit(Xs(1.0) @ sq.params.to_numpy())
                       - special.expit(Xs(0.0) @ sq.params.to_numpy()))
    assert sq.first_difference("x", 0.0, 1.0).iloc[0, 0] == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="do not also set it"):
        res.first_difference("x", 0, 1, at={"x": 2})


def test_relogit_keeps_its_simulated_first_difference(frame):
    res = fm.relogit("y ~ x + d", frame)
    sims = res.first_difference({"d": 1}, {"d": 0}, n_sims=200, seed=1)
    delta = res.first_difference("d", 0, 1)
    assert hasattr(sims, "draws") and delta.shape == (1, 6)


def test_compare_shows_each_models_chosen_covariance(frame):
    res = fm.logit("y ~ x + z + d", frame)
    dyadic_free = res.with_cov("cluster", groups="g")
    table = fm.compare({"classical": res, "clustered": dyadic_free, "ols": fm.ols("w ~ x", frame)})
    np.testing.assert_allclose(table.bse["clustered"].dropna(), dyadic_free.bse)
    assert not np.allclose(table.bse["clustered"].dropna(), res.bse)
    text = table.summary()
    assert text.loc["Covariance", "clustered"] == "cluster (g)"
    shown = text.iloc[list(text.index).index("x") + 1]["clustered"]
    assert shown == f"({fm.results.significant(dyadic_free.bse['x'])})"
    assert text.loc["Events", "ols"] != "" and np.isnan(table.params.loc["z", "ols"])


def test_fit_record_uses_the_same_inference(frame):
    res = fm.ols("w ~ x + d", frame, cov_type="HC1")
    fit = Fit(data="x", model=None, params=res.params, cov={"robust": res.cov_params()},
              nobs=res.nobs, events=0, llf=res.llf, converged=True, n_panel=0, n_subset=0,
              n_listwise=0, missing_by={}, n_unmatched={}, df_resid=res.df_resid)
    np.testing.assert_array_equal(fit.bse("robust"), res.bse)
    np.testing.assert_array_equal(fit.pvalues("robust"), res.pvalues)
    assert res.pvalues["x"] == pytest.approx(2 * stats.t.sf(abs(res.tvalues["x"]), res.df_resid))


def test_options_are_checked_before_fitting(frame):
    with pytest.raises(ValueError, match="information='hessian' is not a choice; choose one of "
                                         "'observed', 'expected'"):
        fm.probit("y ~ x", frame, information="hessian")
    with pytest.raises(ValueError, match="correction='weights'"):
        fm.relogit("y ~ x", frame, tau=0.01, correction="weights")
    import foedus.models.binary as binary

    def no_fit(*args, **kwargs):
        raise AssertionError("the fit started")

    mp = pytest.MonkeyPatch()
    mp.setattr(binary.BinaryModel, "_newton", no_fit)
    try:
        with pytest.raises(ValueError, match="psd='fix'"):
            fm.logit("y ~ x", frame, cov_type="dyadic", cov_kwds={"psd": "fix"})
        with pytest.raises(TypeError, match="does not take \\['group'\\]"):
            fm.logit("y ~ x", frame, cov_type="cluster", cov_kwds={"group": "g"})
        with pytest.raises(ValueError, match="information="):
            fm.logit("y ~ x", frame, information="fisher")
    finally:
        mp.undo()
