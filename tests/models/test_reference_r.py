"""foedus.models against R on simulated rare-event dyadic data (fixtures from
tests/reference/make_reference.R: glm, Zelig 5.1.7 relogit, brglm2, sandwich, survival).

Tolerances (relative): parameters 1e-6, standard errors and covariances 1e-5 (a covariance
entry is compared relative to sqrt(V_ii V_jj)).
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import foedus.models as fm

REF = Path(__file__).resolve().parents[1] / "reference"
PARAM_RTOL = 1e-6
COV_RTOL = 1e-5
FORMULA = "y ~ capprop + contig + ldist + defpact + trade"
FE_FORMULA = "y ~ defpact + trade"


@pytest.fixture(scope="module")
def sim():
    return pd.read_csv(REF / "sim_dyadic.csv")


@pytest.fixture(scope="module")
def ref():
    with open(REF / "sim_reference.json") as fh:
        return json.load(fh)


def assert_params(actual, expected):
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=PARAM_RTOL,
                               atol=1e-12)


def assert_cov(actual, expected):
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    scale = np.sqrt(np.outer(np.diag(expected), np.diag(expected)))
    np.testing.assert_array_less(np.abs(actual - expected), COV_RTOL * scale + 1e-300)
    np.testing.assert_allclose(np.sqrt(np.diag(actual)), np.sqrt(np.diag(expected)),
                               rtol=COV_RTOL)


# ----------------------------------------------------------------- logit / probit

def test_names_follow_r_order(sim, ref):
    res = fm.logit(FORMULA, sim)
    assert [n.replace("Intercept", "(Intercept)") for n in res.params.index] == ref["logit"]["names"]


def test_logit_matches_glm(sim, ref):
    res = fm.logit(FORMULA, sim)
    assert_params(res.params, ref["logit"]["params"])
    assert_cov(res.cov_params(), ref["logit"]["cov"])
    assert res.llf == pytest.approx(ref["logit"]["llf"], rel=1e-10)
    assert res.nobs == ref["nobs"]


def test_probit_expected_information_matches_glm(sim, ref):
    res = fm.probit(FORMULA, sim, information="expected")
    assert_params(res.params, ref["probit"]["params"])
    assert_cov(res.cov_params(), ref["probit"]["cov"])
    assert res.llf == pytest.approx(ref["probit"]["llf"], rel=1e-10)


def test_probit_observed_information(sim, ref):
    res = fm.probit(FORMULA, sim)
    assert_cov(res.cov_params(), ref["probit"]["cov_observed"])


@pytest.mark.parametrize(
    "cov_type, kwds, key",
    [
        ("HC0", {}, "HC0"),
        ("robust", {}, "HC0"),
        ("HC1", {}, "HC1"),
        ("cluster", {"groups": "directed_dyad"}, "cluster_directed_dyad"),
        ("cluster", {"groups": "dyad"}, "cluster_dyad"),
        ("cluster", {"groups": "ccode1"}, "cluster_ccode1"),
        ("twoway", {}, "twoway"),
        ("dyadic", {"small_sample": False, "psd": "ignore"}, "dyadic_raw"),
    ],
)
def test_logit_covariances_match_sandwich(sim, ref, cov_type, kwds, key):
    res = fm.logit(FORMULA, sim, cov_type=cov_type, cov_kwds=kwds)
    assert_cov(res.cov_params(), ref["logit_cov"][key])


def test_dyadic_small_sample_factor(sim, ref):
    n_states = len(set(sim.ccode1) | set(sim.ccode2))
    res = fm.logit(FORMULA, sim, cov_type="dyadic", cov_kwds={"psd": "ignore"})
    expected = np.asarray(ref["logit_cov"]["dyadic_raw"]) * n_states / (n_states - 1)
    assert_cov(res.cov_params(), expected)
    assert any("N/(N-1) applied" in note for note in res.cov_notes)


def test_with_cov_equals_refit(sim):
    base = fm.logit(FORMULA, sim)
    refit = fm.logit(FORMULA, sim, cov_type="cluster", cov_kwds={"groups": "dyad"})
    np.testing.assert_array_equal(base.with_cov("cluster", groups="dyad").cov_params(),
                                  refit.cov_params())


@pytest.mark.parametrize("cov_type, kwds, key",
                         [("HC0", {}, "HC0"), ("cluster", {"groups": "dyad"}, "cluster_dyad")])
def test_probit_covariances_match_sandwich(sim, ref, cov_type, kwds, key):
    # sandwich's bread for a glm is the expected information
    res = fm.probit(FORMULA, sim, information="expected", cov_type=cov_type, cov_kwds=kwds)
    assert_cov(res.cov_params(), ref["probit_cov"][key])


# ----------------------------------------------------------------- rare-events logit

@pytest.mark.parametrize("key, kwargs", [
    ("relogit_zelig", {}),
    ("relogit_zelig_prior", {"correction": "prior"}),
    ("relogit_zelig_weighting", {"correction": "weighting"}),
])
def test_relogit_zelig_mode_matches_zelig(sim, ref, key, kwargs):
    tau = ref["relogit_tau"] if kwargs else None
    res = fm.relogit(FORMULA, sim, tau=tau, zelig=True, **kwargs)
    assert_params(res.params, ref[key]["params"])
    assert_cov(res.cov_params(), ref[key]["cov"])


def test_relogit_zelig_mode_robust_is_logit_sandwich(sim, ref):
    res = fm.relogit(FORMULA, sim, zelig=True, cov_type="HC0")
    assert_cov(res.cov_params(), ref["relogit_zelig"]["HC0"])


def test_relogit_paper_variance_scaling(sim, ref):
    n, k = ref["nobs"], len(ref["logit"]["names"])
    res = fm.relogit(FORMULA, sim)
    assert_params(res.params, ref["relogit_zelig"]["params"])  # no tau: same estimates
    assert_cov(res.cov_params(), np.asarray(ref["relogit_zelig"]["cov"]) * (n / (n + k)) ** 2)


def test_relogit_paper_weighting_estimates_match_zelig(sim, ref):
    res = fm.relogit(FORMULA, sim, tau=ref["relogit_tau"], correction="weighting")
    assert_params(res.params, ref["relogit_zelig_weighting"]["params"])
    assert res.cov_type == "robust"


def test_relogit_paper_prior_correction(sim, ref):
    """Paper: the prior-corrected slopes are the bias-corrected ordinary-logit slopes, and
    only the intercept moves by ln[((1-tau)/tau)(ybar/(1-ybar))]. Zelig differs."""
    tau, ybar = ref["relogit_tau"], ref["ybar"]
    res = fm.relogit(FORMULA, sim, tau=tau)
    expected = np.asarray(ref["relogit_zelig"]["params"], float).copy()
    expected[0] -= np.log((1 - tau) / tau * ybar / (1 - ybar))
    assert_params(res.params, expected)
    zelig = np.asarray(ref["relogit_zelig_prior"]["params"])
    assert np.max(np.abs(res.params.to_numpy() - zelig)) > 1e-4


# ----------------------------------------------------------------- Firth

def test_firth_matches_brglm2(sim, ref):
    res = fm.firth(FORMULA, sim)
    assert_params(res.params, ref["firth"]["params"])
    assert_cov(res.cov_params(), ref["firth"]["cov"])
    assert res.llf == pytest.approx(ref["firth"]["penalised_llf"], rel=1e-10)


def test_firth_penalised_lr_tests(sim, ref):
    res = fm.firth(FORMULA, sim)
    tests = res.plr_test()
    np.testing.assert_allclose(tests["chi2"], ref["firth"]["plr_chi2"], rtol=1e-6)
    np.testing.assert_allclose(tests["pvalue"], ref["firth"]["plr_pvalue"], rtol=1e-5,
                               atol=1e-300)


def test_firth_profile_intervals(sim, ref):
    res = fm.firth(FORMULA, sim)
    ci = res.profile_conf_int()
    np.testing.assert_allclose(ci.to_numpy(), np.asarray(ref["firth"]["profile_ci"]),
                               rtol=PARAM_RTOL, atol=1e-9)


# ----------------------------------------------------------------- fixed effects

def test_clogit_matches_survival(sim, ref):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fm.DroppedGroupsWarning)
        res = fm.clogit(FE_FORMULA, sim, groups="directed_dyad")
    assert_params(res.params, ref["clogit"]["params"])
    assert_cov(res.cov_params(), ref["clogit"]["cov"])
    assert res.llf == pytest.approx(ref["clogit"]["llf"], rel=1e-9)


def test_lpm_fe_matches_lm_with_dummies(sim, ref):
    res = fm.lpm_fe(FE_FORMULA, sim, entity="directed_dyad", time="year")
    assert_params(res.params, ref["lpm_fe"]["params"])
    assert_cov(res.cov_params(), ref["lpm_fe"]["cov"])
    robust = fm.lpm_fe(FE_FORMULA, sim, cov_type="robust")
    assert_cov(robust.cov_params(), ref["lpm_fe"]["cov_HC0"])
