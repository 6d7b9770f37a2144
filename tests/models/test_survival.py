"""foedus.models.coxph / weibull: toy worlds solved by hand, and R's survival package
(fixtures from tests/reference/survival_reference.R: coxph Efron/Breslow with and without
cluster(), strata; survreg weibull; the left-truncated Weibull by direct maximum likelihood in R).

Tolerances (relative): parameters 1e-6, standard errors 1e-5.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import foedus.models as fm

REF = Path(__file__).resolve().parents[1] / "reference"
PARAM_RTOL = 1e-6
SE_RTOL = 1e-5


@pytest.fixture(scope="module")
def ref():
    with open(REF / "survival_reference.json") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def sim():
    d = pd.read_csv(REF / "sim_survival.csv")
    return d.assign(st=((d["x1"] > 0) | (d["cid"] > 12)).astype(int))


@pytest.fixture(scope="module")
def subjects():
    return pd.read_csv(REF / "sim_subjects.csv")


def _check(res, r):
    names = [n.replace("(Intercept)", "Intercept") for n in r["params"]]
    assert list(res.params.index) == names
    np.testing.assert_allclose(res.params[names], list(r["params"].values()), rtol=PARAM_RTOL)
    np.testing.assert_allclose(res.bse[names], list(r["bse"].values()), rtol=SE_RTOL)
    np.testing.assert_allclose(res.llf, r["llf"], rtol=1e-9)


FORMULA = "event ~ x1 + x2"


@pytest.mark.parametrize("name, kwargs, cov", [
    ("cox_efron", {}, None),
    ("cox_efron_cluster", {}, "cid"),
    ("cox_efron_cluster_id", {}, "id"),
    ("cox_breslow", {"ties": "breslow"}, None),
    ("cox_efron_strata", {"strata": "st"}, None),
])
def test_coxph_matches_r(sim, ref, name, kwargs, cov):
    res = fm.coxph(FORMULA, sim, duration="stop", entry="start", **kwargs)
    if cov is not None:
        res = res.with_cov("cluster", groups=cov)
        assert res.cov_kwds["small_sample"] is False  # R applies no G/(G-1)
    _check(res, ref["simulated"][name])
    if "llnull" in ref["simulated"][name]:
        assert res.nobs == ref["simulated"][name]["nobs"]
        assert res.n_events == ref["simulated"][name]["n_events"]
        np.testing.assert_allclose(res.llnull, ref["simulated"][name]["llnull"], rtol=1e-10)


def test_cluster_in_one_call_equals_with_cov(sim):
    a = fm.coxph(FORMULA, sim, duration="stop", entry="start", cov_type="cluster", cov_kwds={"groups": "cid"})
    b = fm.coxph(FORMULA, sim, duration="stop", entry="start").with_cov("cluster", groups="cid")
    np.testing.assert_array_equal(a.bse, b.bse)


def test_score_residuals_sum_to_zero_at_the_estimate(sim):
    model = fm.CoxPH(FORMULA, sim, duration="stop", entry="start")
    res = model.fit()
    U = model.score_residuals(res.params.to_numpy())
    np.testing.assert_allclose(U.sum(axis=0), 0.0, atol=1e-8)


@pytest.mark.parametrize("name, cov", [("survreg_weibull", None), ("survreg_weibull_cluster", "cid")])
def test_weibull_matches_survreg(subjects, ref, name, cov):
    res = fm.weibull(FORMULA, subjects, duration="time")
    if cov is not None:
        res = res.with_cov("cluster", groups=cov)
    _check(res, ref["simulated"][name])


def test_weibull_left_truncated_matches_r_likelihood(sim, ref):
    _check(fm.weibull(FORMULA, sim, duration="stop", entry="start"), ref["simulated"]["weibull_truncated"])


def test_weibull_ph_mapping(subjects):
    aft = fm.weibull(FORMULA, subjects, duration="time").with_cov("cluster", groups="cid")
    g, sigma = aft.params, np.exp(aft.params["log(scale)"])
    est, cov = aft.ph_params()
    np.testing.assert_allclose(est[["x1", "x2"]], -g[["x1", "x2"]] / sigma)
    np.testing.assert_allclose(est["log(shape)"], -np.log(sigma))
    np.testing.assert_allclose(aft.hazard_ratios["hazard_ratio"], np.exp(-g[["x1", "x2"]] / sigma))
    # delta method by hand: d(-g1/sigma) = (-1/sigma, g1/sigma) d(g1, log sigma)
    V = aft.cov_params().to_numpy()
    grad = np.array([0.0, -1 / sigma, 0.0, g["x1"] / sigma])
    np.testing.assert_allclose(cov.loc["x1", "x1"], grad @ V @ grad)
    # the PH metric: same estimates, and every covariance (here the cluster sandwich) equals the
    # delta-method transform of the AFT one
    ph = fm.weibull(FORMULA, subjects, duration="time", metric="ph").with_cov("cluster", groups="cid")
    assert list(ph.params.index) == ["Intercept", "x1", "x2", "log(shape)"]
    np.testing.assert_allclose(ph.params, est, rtol=1e-12)
    np.testing.assert_allclose(ph.cov_params(), cov, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ph.llf, aft.llf)


# ----------------------------------------------------------------- toy worlds solved by hand


def test_cox_toy_world_closed_form():
    # events at t = 1 (x = 0), 2 (x = 1), 3 (x = 0), no ties, no censoring:
    # l(b) = -log(2 + e^b) + b - log(1 + e^b); l'(b) = 0 gives e^{2b} = 2
    d = pd.DataFrame({"t": [1.0, 2.0, 3.0], "e": [1, 1, 1], "x": [0.0, 1.0, 0.0]})
    res = fm.coxph("e ~ x", d, duration="t")
    np.testing.assert_allclose(res.params["x"], 0.5 * np.log(2), rtol=1e-10)
    assert res.n_events == 3 and res.nobs == 3 and res.converged
    u = 2 ** 0.5
    info = u / (2 + u) ** 2 * 2 + u / (1 + u) ** 2  # -l''(b) = 2u/(2+u)^2 + u/(1+u)^2
    np.testing.assert_allclose(res.bse["x"], 1 / np.sqrt(info), rtol=1e-10)
    assert "Intercept" not in res.params.index


def test_cox_toy_world_left_truncation():
    # a fourth row enters at 2.5 (x = 1, censored at 4): it is in the risk set at t = 3 only,
    # l(b) = -log(2 + u) + b - 2 log(1 + u), u = e^b; l' = 0 gives u^2 + u - 1 = 0
    d = pd.DataFrame({"a": [0.0, 0.0, 0.0, 2.5], "t": [1.0, 2.0, 3.0, 4.0], "e": [1, 1, 1, 0],
                      "x": [0.0, 1.0, 0.0, 1.0]})
    res = fm.coxph("e ~ x", d, duration="t", entry="a")
    np.testing.assert_allclose(res.params["x"], np.log((5 ** 0.5 - 1) / 2), rtol=1e-10)
    # the same row entering at 0 would be at risk at t = 1, 2 and 3: a different estimate
    other = fm.coxph("e ~ x", d.assign(a=0.0), duration="t", entry="a")
    assert abs(other.params["x"] - res.params["x"]) > 0.1


def test_cox_toy_world_efron_ties():
    # two tied events at t = 1 (x = 1 and x = 0) among three rows (third x = 0, censored at 2):
    # Efron: l(b) = b - log(u + 2) - log((u + 2) - (u + 1)/2), u = e^b; checked by a fine grid
    d = pd.DataFrame({"t": [1.0, 1.0, 2.0], "e": [1, 1, 0], "x": [1.0, 0.0, 0.0]})
    res = fm.coxph("e ~ x", d, duration="t")
    grid = np.linspace(-3, 3, 600001)
    u = np.exp(grid)
    ll = grid - np.log(u + 2) - np.log((u + 2) - (u + 1) / 2)
    assert abs(res.params["x"] - grid[np.argmax(ll)]) < 2e-5
    np.testing.assert_allclose(res.llf, ll.max(), rtol=1e-9)


def test_weibull_toy_world_scale_given_shape():
    # one group, no censoring: d l / d gamma0 = 0 gives, for any sigma, the closed form
    # gamma0 = sigma log(mean(t^(1/sigma))) (the Weibull scale's MLE given the shape)
    t = np.array([0.5, 1.0, 1.5, 3.0, 4.0, 7.0])
    d = pd.DataFrame({"t": t, "e": 1})
    res = fm.weibull("e ~ 1", d, duration="t")
    sigma = np.exp(res.params["log(scale)"])
    np.testing.assert_allclose(res.params["Intercept"], sigma * np.log(np.mean(t ** (1 / sigma))), rtol=1e-9)


def test_cox_stratum_without_events_changes_nothing(sim):
    extra = sim.iloc[:40].assign(event=0, st=99)
    both = fm.coxph(FORMULA, pd.concat([sim, extra]), duration="stop", entry="start", strata="st")
    alone = fm.coxph(FORMULA, sim, duration="stop", entry="start", strata="st")
    np.testing.assert_allclose(both.params, alone.params, rtol=1e-12)
    np.testing.assert_allclose(both.bse, alone.bse, rtol=1e-12)
    assert both.nobs == alone.nobs + 40


# ----------------------------------------------------------------- bad input


def test_bad_input_messages():
    d = pd.DataFrame({"a": [0.0, 1.0], "t": [1.0, 1.0], "e": [1, 0], "x": [0.0, 1.0]})
    with pytest.raises(ValueError, match="entry.*>=|must have positive length"):
        fm.coxph("e ~ x", d, duration="t", entry="a")
    with pytest.raises(KeyError, match="duration column 'stop'"):
        fm.coxph("e ~ x", d, duration="stop")
    with pytest.raises(ValueError, match="no events"):
        fm.coxph("e ~ x", d.assign(e=0), duration="t")
    with pytest.raises(ValueError, match="event indicator"):
        fm.coxph("e ~ x", d, duration="t", event="x")
    with pytest.raises(ValueError, match="ties"):
        fm.coxph("e ~ x", d, duration="t", ties="exact")
    with pytest.raises(ValueError, match="missing"):
        fm.coxph("e ~ x", d.assign(t=[1.0, np.nan]), duration="t")


# ----------------------------------------------------------------- real alliance durations


@pytest.fixture(scope="module")
def survival_panel(raw_dir):
    import importlib.util

    spec = importlib.util.spec_from_file_location("survival_panel", REF / "survival_panel.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["asym", "cap_gap"])
def test_real_alliance_durations_match_r(survival_panel, ref, name):
    rhs = survival_panel.MODELS[name]
    data = survival_panel.frame(rhs)
    formula = f"ended ~ {rhs}"
    r = ref["real"][name]
    cox = fm.coxph(formula, data, duration="stop", entry="start")
    _check(cox, r["cox_efron"])
    assert cox.nobs == r["cox_efron"]["nobs"] and cox.n_events == r["cox_efron"]["n_events"]
    _check(cox.with_cov("cluster", groups="atopid"), r["cox_efron_cluster"])
    _check(fm.weibull(formula, data, duration="stop", entry="start"), r["weibull_truncated"])
