"""Behaviour of foedus.models beyond the R reference numbers: interfaces, results surface,
separation, the King-Zeng corrections, covariance edge cases."""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import special

import foedus.models as fm
from foedus.models.covariance import COVARIANCE_ESTIMATORS, resolve_groups

REF = Path(__file__).resolve().parents[1] / "reference"
FORMULA = "y ~ capprop + contig + ldist + defpact + trade"


@pytest.fixture(scope="module")
def sim():
    return pd.read_csv(REF / "sim_dyadic.csv")


class FakePanel:
    """What the panel builder returns: an object holding the frame in ``.frame``."""

    def __init__(self, frame):
        self.frame = frame


def dyadic_world(n_states=12, years=3, seed=0):
    rng = np.random.default_rng(seed)
    a, b = np.meshgrid(np.arange(n_states), np.arange(n_states))
    mask = a != b
    d = pd.DataFrame({"ccode1": a[mask] + 2, "ccode2": b[mask] + 2})
    return d.merge(pd.DataFrame({"year": np.arange(years) + 1990}), how="cross"), rng


# ----------------------------------------------------------------- interfaces and surface

def test_formula_array_and_panel_interfaces_agree(sim):
    by_formula = fm.logit(FORMULA, sim)
    X = sim[["capprop", "contig", "ldist", "defpact", "trade"]].assign(const=1.0)
    X = X[["const", "capprop", "contig", "ldist", "defpact", "trade"]]
    by_arrays = fm.logit(endog=sim["y"], exog=X)
    by_panel = fm.logit(FORMULA, FakePanel(sim))
    np.testing.assert_allclose(by_arrays.params.to_numpy(), by_formula.params.to_numpy(),
                               rtol=1e-12)
    np.testing.assert_array_equal(by_panel.params, by_formula.params)
    assert list(by_arrays.params.index) == list(X.columns)


def test_array_interface_clusters_with_data(sim):
    X = sim[["capprop", "trade"]].assign(const=1.0)
    res = fm.logit(endog=sim["y"], exog=X, data=sim, cov_type="cluster",
                   cov_kwds={"groups": "dyad"})
    ref = fm.logit("y ~ capprop + trade", sim, cov_type="cluster", cov_kwds={"groups": "dyad"})
    np.testing.assert_allclose(res.bse.sort_index(), ref.bse.rename({"Intercept": "const"}).sort_index(),
                               rtol=1e-10)


def test_summary_col_works_on_every_result(sim):
    from statsmodels.iolib.summary2 import summary_col

    results = [fm.logit(FORMULA, sim), fm.probit(FORMULA, sim), fm.relogit(FORMULA, sim),
               fm.firth(FORMULA, sim), fm.lpm_fe("y ~ defpact + trade", sim)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fm.DroppedGroupsWarning)
        results.append(fm.clogit("y ~ defpact + trade", sim))
    table = summary_col(results, stars=True,
                        model_names=["logit", "probit", "relogit", "firth", "lpm", "clogit"],
                        info_dict={"N": lambda r: f"{r.nobs:d}"})
    text = table.as_text()
    assert "capprop" in text and "trade" in text and "N" in text
    coef = f"{results[0].params['capprop']:.4f}"
    assert coef in text


def test_results_surface(sim):
    res = fm.logit(FORMULA, sim)
    ci = res.conf_int()
    assert list(ci.columns) == [0, 1]
    np.testing.assert_allclose((ci[1] - ci[0]) / 2, 1.959963984540054 * res.bse)
    np.testing.assert_allclose(res.tvalues, res.params / res.bse)
    assert res.pvalues.between(0, 1).all()
    assert res.model.endog_names == "y"
    assert res.llnull < res.llf < 0
    assert 0 < res.prsquared < 1
    text = str(res.summary())
    assert "capprop" in text and "classical" in text
    p = res.predict()
    assert p.shape == (len(sim),) and np.all((p > 0) & (p < 1))
    assert p.mean() == pytest.approx(sim.y.mean(), rel=1e-8)  # logit score equation


def test_missing_rows_dropped_and_reported(sim):
    data = sim.copy()
    data.loc[[3, 10, 11], "trade"] = np.nan
    with pytest.warns(fm.MissingDataWarning, match="removed 3 of"):
        res = fm.logit(FORMULA, data, cov_type="cluster", cov_kwds={"groups": "dyad"})
    assert res.nobs == len(sim) - 3
    assert res.model.design.n_dropped == 3
    assert res.model.design.dropped_by == {"trade": 3}


def test_bad_response_and_cov_options(sim):
    data = sim.assign(y2=sim.y * 2)
    with pytest.raises(ValueError, match="must be 0/1"):
        fm.logit("y2 ~ trade", data)
    with pytest.raises(ValueError, match="unknown cov_type"):
        fm.logit(FORMULA, sim, cov_type="sandwich")
    with pytest.raises(KeyError, match="cluster column 'nope'"):
        fm.logit(FORMULA, sim, cov_type="cluster", cov_kwds={"groups": "nope"})
    with pytest.raises(TypeError, match="does not take"):
        fm.logit(FORMULA, sim, cov_type="HC0", cov_kwds={"groups": "dyad"})


def test_registry_names():
    assert {"classical", "robust", "HC0", "HC1", "cluster", "twoway", "dyadic"} <= set(
        COVARIANCE_ESTIMATORS)


def test_group_resolution_directed_and_undirected():
    frame = pd.DataFrame({"ccode1": [2, 20, 2, 20, 200], "ccode2": [20, 2, 20, 2, 2]})
    directed = resolve_groups("directed_dyad", frame, 5)
    undirected = resolve_groups("dyad", frame, 5)
    assert directed[0] == directed[2] != directed[1] == directed[3]
    assert len(set(undirected[:4])) == 1 and undirected[4] != undirected[0]


# ----------------------------------------------------------------- dyadic-robust

def brute_force_dyadic_meat(scores, c1, c2):
    """Sum over all pairs of observations whose dyads share a state (plain double loop)."""
    n = len(scores)
    meat = np.zeros((scores.shape[1], scores.shape[1]))
    for i in range(n):
        for j in range(n):
            if {c1[i], c2[i]} & {c1[j], c2[j]}:
                meat += np.outer(scores[i], scores[j])
    return meat


def test_dyadic_equals_pairwise_definition():
    d, rng = dyadic_world(n_states=6, years=2, seed=4)
    d["x"] = rng.normal(size=len(d))
    d["y"] = (rng.random(len(d)) < special.expit(-1 + d.x)).astype(int)
    res = fm.logit("y ~ x", d, cov_type="dyadic", cov_kwds={"small_sample": False, "psd": "ignore"})
    X = res.model.design.X
    scores = (d.y.to_numpy() - res.predict())[:, None] * X
    bread = np.linalg.inv(X.T @ (X * (res.predict() * (1 - res.predict()))[:, None]))
    expected = bread @ brute_force_dyadic_meat(scores, d.ccode1.to_numpy(), d.ccode2.to_numpy()) @ bread
    np.testing.assert_allclose(res.cov_params().to_numpy(), expected, rtol=1e-9, atol=1e-14)


def test_dyadic_meat_can_be_negative():
    """Four states in a ring A-B-C-D-A with alternating scores: every per-state sum is zero,
    every dyad sum is not, so the meat sum_s S_s S_s' - sum_d S_d S_d' is negative."""
    from foedus.models.covariance import DyadicRobust

    frame = pd.DataFrame({"ccode1": [1, 2, 3, 4], "ccode2": [2, 3, 4, 1]})
    X = np.ones((4, 1))
    r = np.array([1.0, -1.0, 1.0, -1.0])
    est = DyadicRobust(np.eye(1), X, r, frame, small_sample=False, psd="ignore")
    assert est.cov[0, 0] == pytest.approx(-4.0)
    with pytest.warns(fm.NonPSDCovarianceWarning):
        DyadicRobust(np.eye(1), X, r, frame).cov
    assert DyadicRobust(np.eye(1), X, r, frame, psd="clip").cov[0, 0] == 0.0
    with pytest.raises(np.linalg.LinAlgError):
        DyadicRobust(np.eye(1), X, r, frame, psd="raise").cov


def test_dyadic_not_psd_on_simulated_panel(sim):
    # capprop is antisymmetric in the dyad: the dyadic matrix falls below HC0 and is not PSD
    with pytest.warns(fm.NonPSDCovarianceWarning, match="not positive semi-definite"):
        res = fm.logit(FORMULA, sim, cov_type="dyadic")
    assert any("negative eigenvalue" in note for note in res.cov_notes)
    clipped = res.with_cov("dyadic", psd="clip")
    assert np.linalg.eigvalsh(clipped.cov_params().to_numpy()).min() >= -1e-15
    assert np.isfinite(clipped.bse).all()
    assert any("clipped" in note for note in clipped.cov_notes)


# ----------------------------------------------------------------- separation

def test_separation_by_dummy_names_variable(sim):
    data = sim.copy()
    rng = np.random.default_rng(0)
    data["rare"] = 0
    idx = data.index[(data.y == 0)]
    data.loc[rng.choice(idx, 40, replace=False), "rare"] = 1
    with pytest.raises(fm.SeparationError, match=r"rare.*firth"):
        fm.logit("y ~ trade + rare", data)
    with pytest.raises(fm.SeparationError):
        fm.relogit("y ~ trade + rare", data)
    res = fm.firth("y ~ trade + rare", data)  # finite under separation
    assert np.isfinite(res.params).all() and res.params["rare"] < -1


def test_separation_by_combination_found_by_lp():
    rng = np.random.default_rng(1)
    n = 400
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    y = (x1 + x2 > 0).astype(int)
    data = pd.DataFrame({"y": y, "x1": x1, "x2": x2, "x3": rng.normal(size=n)})
    with pytest.raises(fm.SeparationError, match=r"x1, x2"):
        fm.logit("y ~ x1 + x2 + x3", data)
    with pytest.raises(fm.SeparationError):
        fm.probit("y ~ x1 + x2 + x3", data)


def test_no_false_separation(sim):
    fm.check_separation(sim[["trade"]].assign(c=1.0).to_numpy(), sim.y.to_numpy(),
                        ["trade", "c"], 1, method="lp")


# ----------------------------------------------------------------- rare-events logit

def test_relogit_bias_correction_reduces_bias():
    """King & Zeng's correction removes most of the small-sample bias of the logit MLE in
    rare-event data (n = 500, ~3% events, 600 seeded replications; ~10 s)."""
    rng = np.random.default_rng(20010601)
    beta = np.array([-4.0, 1.0])
    n, reps = 500, 600
    mle, corrected = [], []
    for _ in range(reps):
        x = rng.normal(size=n)
        X = np.column_stack([np.ones(n), x])
        y = (rng.random(n) < special.expit(X @ beta)).astype(float)
        try:
            fm.check_separation(X, y, ["c", "x"], 0, method="fast")
        except fm.SeparationError:
            continue
        m = fm.Logit(endog=y, exog=X, check_separation=False)
        mle.append(m.fit().params.to_numpy())
        r = fm.RareEventsLogit(endog=y, exog=X, check_separation=False)
        corrected.append(r.fit().params.to_numpy())
    bias_mle = np.mean(mle, axis=0) - beta
    bias_kz = np.mean(corrected, axis=0) - beta
    se = np.std(mle, axis=0) / np.sqrt(len(mle))
    assert len(mle) > 550
    assert bias_mle[0] < -4 * se[0]  # the MLE intercept is biased down (events underpredicted)
    assert abs(bias_kz[0]) < 0.25 * abs(bias_mle[0])
    assert abs(bias_kz[1]) < abs(bias_mle[1])
    assert np.all(np.abs(bias_kz) < 2 * se)  # what is left is within the simulation noise


def test_relogit_bayes_prediction_formula(sim):
    res = fm.relogit(FORMULA, sim)
    X = res.model.design.X[:5]
    p = special.expit(X @ res.params.to_numpy())
    V = res.cov_params().to_numpy()
    expected = p + (0.5 - p) * p * (1 - p) * np.einsum("ij,jk,ik->i", X, V, X)
    np.testing.assert_allclose(res.predict(X), expected, rtol=1e-12)
    np.testing.assert_allclose(res.predict(X, bayes_correction=False), p, rtol=1e-12)


def test_relative_risk_and_first_difference_are_seedable(sim):
    res = fm.relogit(FORMULA, sim)
    rr1 = res.relative_risk({"contig": 1}, {"contig": 0}, n_sims=2000, seed=7)
    rr2 = res.relative_risk({"contig": 1}, {"contig": 0}, n_sims=2000, seed=7)
    pd.testing.assert_frame_equal(rr1.summary, rr2.summary)
    row = rr1.summary.iloc[0]
    assert row.lower < row["median"] < row.upper
    # contig has a positive coefficient: risk ratio above 1, close to exp(b) in rare data
    assert row["median"] == pytest.approx(np.exp(res.params["contig"]), rel=0.05)
    fd = res.first_difference({"contig": 1}, {"contig": 0}, n_sims=2000, seed=7)
    assert fd.summary.iloc[0].lower < fd.summary.iloc[0]["mean"] < fd.summary.iloc[0].upper
    with pytest.raises(KeyError, match="unknown regressors"):
        res.relative_risk({"nope": 1}, {"nope": 0})


def test_case_control_sample_and_prior_correction():
    rng = np.random.default_rng(5)
    n = 60_000
    x = rng.normal(size=n)
    y = (rng.random(n) < special.expit(-5 + 0.8 * x)).astype(int)
    full = pd.DataFrame({"y": y, "x": x})
    cc = fm.case_control_sample(FakePanel(full), "y", fraction=0.05, seed=1)
    assert cc.n_events == y.sum() == int(cc.frame.y.sum())
    assert cc.n_nonevents_sample == round(0.05 * (n - y.sum()))
    assert cc.tau == pytest.approx(y.mean())
    assert cc.w1 == pytest.approx(cc.tau / cc.ybar)
    again = fm.case_control_sample(full, "y", fraction=0.05, seed=1)
    pd.testing.assert_frame_equal(cc.frame, again.frame)
    plain = fm.logit("y ~ x", cc.frame)
    prior = fm.relogit("y ~ x", cc.frame, **cc.relogit_kwargs("prior"))
    weighted = fm.relogit("y ~ x", cc.frame, **cc.relogit_kwargs("weighting"))
    for res in (prior, weighted):
        assert res.params["Intercept"] == pytest.approx(-5, abs=0.4)
        assert res.params["x"] == pytest.approx(0.8, abs=0.2)
    assert plain.params["Intercept"] > -3  # the uncorrected intercept is far off


def test_relogit_errors(sim):
    with pytest.raises(ValueError, match="tau"):
        fm.relogit(FORMULA, sim, tau=1.5)
    with pytest.raises(ValueError, match="constant"):
        fm.relogit("y ~ trade - 1", sim, tau=0.01)


# ----------------------------------------------------------------- Firth, FE

def test_firth_profile_interval_contains_estimate(sim):
    res = fm.firth("y ~ contig + trade", sim)
    ci = res.profile_conf_int()
    assert (ci[0] < res.params).all() and (res.params < ci[1]).all()
    tests = res.plr_test()
    assert tests.loc["trade", "pvalue"] < 0.05


def test_clogit_rejects_absorbed_regressors(sim):
    with pytest.raises(ValueError, match="absorbed"), warnings.catch_warnings():
        warnings.simplefilter("ignore", fm.DroppedGroupsWarning)
        fm.clogit("y ~ contig + trade", sim)


def test_clogit_reports_dropped_groups(sim):
    with pytest.warns(fm.DroppedGroupsWarning, match="never varies"):
        res = fm.clogit("y ~ defpact + trade", sim)
    assert res.info["Groups dropped (no variation)"] > 0


def test_lpm_fe_covariances_run(sim):
    for cov_type, kw in [("HC1", {}), ("cluster", {"groups": "dyad"}), ("twoway", {}),
                         ("dyadic", {"psd": "clip"})]:
        res = fm.lpm_fe("y ~ defpact + trade", sim, cov_type=cov_type, cov_kwds=kw)
        assert np.isfinite(res.bse).all()


def test_lpm_fe_with_cov_equals_refit():
    rng = np.random.default_rng(11)
    n_states, years = 8, 6
    a, b = np.meshgrid(np.arange(n_states) + 2, np.arange(n_states) + 2, indexing="ij")
    off = a != b
    frame = pd.DataFrame({
        "ccode1": np.tile(a[off], years), "ccode2": np.tile(b[off], years),
        "year": np.repeat(np.arange(years) + 1950, off.sum()),
    })
    frame["x"] = rng.normal(size=len(frame))
    frame["y"] = (rng.random(len(frame)) < 0.2 + 0.1 * (frame["x"] > 0)).astype(float)
    base = fm.lpm_fe("y ~ x", frame)
    for cov_type, kwds in [("HC1", {}), ("cluster", {"groups": "dyad"}), ("dyadic", {"psd": "ignore"})]:
        refit = fm.lpm_fe("y ~ x", frame, cov_type=cov_type, cov_kwds=kwds)
        switched = base.with_cov(cov_type, **kwds)
        np.testing.assert_array_equal(switched.cov_params(), refit.cov_params())
        np.testing.assert_array_equal(switched.params, refit.params)
