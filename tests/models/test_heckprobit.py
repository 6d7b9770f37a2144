"""foedus.models.heckprobit: the bivariate normal, the likelihood's derivatives, recovery of
simulated truths, the covariance registry on multi-equation scores, input errors, and agreement
with an independent R implementation (tests/reference/heckprobit_reference.R).
"""
from __future__ import annotations

import importlib
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

import foedus.models as fm
from foedus.models.bivariate import bvn_cdf

# the module (the package exports the function of the same name)
hp = importlib.import_module("foedus.models.heckprobit")
REF = Path(__file__).resolve().parents[1] / "reference"
PARAM_RTOL = 1e-6
SE_RTOL = 1e-5


def simulate(n, rho, seed, beta=(0.2, 0.7, -0.5), gamma=(-0.3, 0.8, 0.5, 0.4)):
    """Selection s = 1[g0 + g1 z1 + g2 z2 + g3 x1 + u > 0]; outcome y = 1[b0 + b1 x1 + b2 z1 + e
    > 0] seen where s = 1; corr(u, e) = rho; z2 is the exclusion restriction."""
    rng = np.random.default_rng(seed)
    z1, z2, x1 = rng.normal(size=(3, n))
    u = rng.normal(size=n)
    e = rho * u + np.sqrt(1 - rho**2) * rng.normal(size=n)
    s = (gamma[0] + gamma[1] * z1 + gamma[2] * z2 + gamma[3] * x1 + u > 0).astype(float)
    y = (beta[0] + beta[1] * x1 + beta[2] * z1 + e > 0).astype(float)
    y[s == 0] = np.nan
    return pd.DataFrame({"y": y, "s": s, "z1": z1, "z2": z2, "x1": x1,
                         "g": rng.integers(0, 150, n)})


OUT, SEL = "y ~ x1 + z1", "s ~ z1 + z2 + x1"


@pytest.fixture(scope="module")
def sim():
    return simulate(6000, 0.5, seed=11)


@pytest.fixture(scope="module")
def res(sim):
    return fm.heckprobit(OUT, sim, select=SEL)


# --------------------------------------------------------------------------- bivariate normal


def _bvn_quad(a, b, r):
    """Phi_2 by adaptive quadrature of phi(x) Phi((b - r x) / sqrt(1 - r^2)) over x < a."""
    s = np.sqrt(1 - r * r)
    return integrate.quad(lambda x: stats.norm.pdf(x) * special.ndtr((b - r * x) / s),
                          -np.inf, a, epsabs=1e-15, epsrel=1e-13, limit=200)[0]


def test_bvn_cdf_against_quadrature():
    rng = np.random.default_rng(0)
    rs = np.r_[-0.99999, -0.999, -0.95, -0.93, -0.9, -0.5, -0.29, 0.0, 0.31, 0.76, 0.92, 0.926,
               0.99, 0.999999, rng.uniform(-1, 1, 40)]
    a = rng.normal(0, 2, rs.size)
    b = rng.normal(0, 2, rs.size)
    got = bvn_cdf(a, b, rs)
    want = np.array([_bvn_quad(*p) for p in zip(a, b, rs)])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-14)


def test_bvn_cdf_against_mvtnorm():
    """880 points from R's mvtnorm::pmvnorm (tests/reference/bvn_reference.R), every regime of
    the quadrature and the tails."""
    ref = pd.read_csv(REF / "bvn_reference.csv")
    got = bvn_cdf(ref.a.to_numpy(), ref.b.to_numpy(), ref.r.to_numpy())
    np.testing.assert_allclose(got, ref.p, rtol=0, atol=1e-15)


def test_bvn_cdf_limits():
    a, b = np.array([0.4, -1.2]), np.array([-0.3, 2.0])
    np.testing.assert_allclose(bvn_cdf(a, b, 0.0), special.ndtr(a) * special.ndtr(b), atol=1e-16)
    np.testing.assert_allclose(bvn_cdf(a, b, 1.0), special.ndtr(np.minimum(a, b)), atol=1e-16)
    np.testing.assert_allclose(bvn_cdf(a, b, -1.0),
                               np.maximum(special.ndtr(a) + special.ndtr(b) - 1, 0), atol=1e-16)
    with pytest.raises(ValueError, match="correlation"):
        bvn_cdf(0.0, 0.0, 1.5)


# --------------------------------------------------------------------------- the likelihood


def _llf_loop(d, theta):
    """The log-likelihood row by row (a slow, independent transcription of the formula)."""
    kx, kz = d.X.shape[1], d.Z.shape[1]
    rho = np.tanh(theta[-1])
    total = 0.0
    for i in range(d.nobs):
        zg = d.Z[i] @ theta[kx:kx + kz]
        if d.s[i] == 0:
            total += np.log(stats.norm.cdf(-zg))
        else:
            q = 2 * d.y[i] - 1
            cov = [[1, q * rho], [q * rho, 1]]
            total += np.log(stats.multivariate_normal(cov=cov).cdf([q * d.X[i] @ theta[:kx], zg]))
    return total


def test_loglikelihood_against_row_loop():
    data = simulate(150, -0.4, seed=5)
    model = hp.HeckProbit(OUT, data, select=SEL)
    theta = np.array([0.1, 0.6, -0.4, -0.2, 0.7, 0.4, 0.3, -0.5])
    assert hp._evaluate(model.design, theta).llf == pytest.approx(
        _llf_loop(model.design, theta), rel=1e-6)


@pytest.mark.parametrize("athrho", [-1.3, 0.0, 0.6])
def test_gradient_and_hessian_against_finite_differences(athrho):
    data = simulate(800, 0.3, seed=2)
    d = hp.HeckProbit(OUT, data, select=SEL).design
    theta = np.array([0.1, 0.6, -0.4, -0.2, 0.7, 0.4, 0.3, athrho])
    ev = hp._evaluate(d, theta)
    eps = 1e-6
    E = np.eye(theta.size) * eps
    grad = [(hp._evaluate(d, theta + e, False).llf - hp._evaluate(d, theta - e, False).llf)
            / (2 * eps) for e in E]
    hess = np.array([(hp._evaluate(d, theta + e).grad - hp._evaluate(d, theta - e).grad)
                     / (2 * eps) for e in E])
    np.testing.assert_allclose(ev.grad, grad, rtol=1e-6, atol=1e-5)
    np.testing.assert_allclose(ev.hess, hess, rtol=1e-6, atol=1e-5)
    np.testing.assert_allclose(hp._scores(d, theta).sum(axis=0), ev.grad, rtol=1e-10,
                               atol=1e-10)


def test_first_evaluation_from_the_selection_probit():
    """The evaluation at the two probits' estimate made from the selection probit's last pass
    (no pass over the data) is the direct one, its gradient up to the probit's own gradient."""
    model = hp.HeckProbit(OUT, simulate(3000, 0.4, seed=12), select=SEL)
    d = model.design
    sel, out = model._probits(1e-10)
    theta = np.concatenate([out.params, sel.params, [0.0]])
    direct = hp._evaluate(d, theta)
    reused = hp._from_selection_probit(d, theta, sel)
    assert reused.llf == pytest.approx(direct.llf, rel=1e-13)
    np.testing.assert_allclose(reused.hess, direct.hess, rtol=1e-11, atol=1e-9)
    np.testing.assert_allclose(reused.grad, direct.grad, rtol=0, atol=1e-6)
    np.testing.assert_allclose(reused.unselected.eta, direct.unselected.eta, rtol=1e-13)


def test_fit_takes_few_passes_over_the_data(monkeypatch):
    """Each pass over the data (the unselected rows' probit terms) is followed by an exact
    maximisation over the selected rows: the simulated fit needs at most 4 passes, where Newton's
    method on the whole likelihood needed 7 (foedus before December 2026)."""
    calls = []
    real = hp._unselected_pass
    monkeypatch.setattr(hp, "_unselected_pass", lambda d, g: calls.append(1) or real(d, g))
    r = fm.heckprobit(OUT, simulate(6000, 0.5, seed=11), select=SEL)
    assert r.converged and len(calls) <= 4 and r.iterations == len(calls)


# --------------------------------------------------------------------------- recovery


def test_recovers_simulated_truths():
    truth = np.array([0.2, 0.7, -0.5, -0.3, 0.8, 0.5, 0.4, np.arctanh(0.5)])
    r = fm.heckprobit(OUT, simulate(40000, 0.5, seed=7), select=SEL)
    assert r.converged
    z = (r.params.to_numpy() - truth) / r.bse.to_numpy()
    assert np.all(np.abs(z) < 4), z
    assert abs(r.rho - 0.5) < 0.08


def test_results_surface(res, sim):
    assert list(res.params.index) == ["Intercept", "x1", "z1", "select:Intercept", "select:z1",
                                      "select:z2", "select:x1", "athrho"]
    assert res.nobs == len(sim)
    assert res.n_selected == int(sim.s.sum())
    assert res.n_events == int(sim.y.sum())
    assert res.rho == pytest.approx(np.tanh(res.params["athrho"]))
    lo, hi = res.rho_conf_int
    assert lo < res.rho < hi
    wald, p = res.wald_rho
    assert wald == pytest.approx((res.params["athrho"] / res.bse["athrho"]) ** 2)
    # LR against the separate probits, fitted here independently
    llf_s = fm.probit(SEL, sim).llf
    llf_y = fm.probit(OUT, sim[sim.s == 1]).llf
    assert res.lr_rho[0] == pytest.approx(2 * (res.llf - llf_s - llf_y), rel=1e-9)
    assert res.llf > llf_s + llf_y
    text = str(res.summary())
    assert "Selection equation" in text and "select:z2" in text and "athrho" in text


def test_predict(res, sim):
    p = res.params
    xb = p["Intercept"] + p["x1"] * sim.x1 + p["z1"] * sim.z1
    zg = (p["select:Intercept"] + p["select:z1"] * sim.z1 + p["select:z2"] * sim.z2
          + p["select:x1"] * sim.x1)
    np.testing.assert_allclose(res.predict(which="selection"), stats.norm.cdf(zg), rtol=1e-12)
    np.testing.assert_allclose(res.predict(which="outcome"), stats.norm.cdf(xb), rtol=1e-12)
    joint = res.predict(which="joint")
    i = 17
    cov = [[1, res.rho], [res.rho, 1]]
    want = stats.multivariate_normal(cov=cov).cdf([xb[i], zg[i]])
    assert joint[i] == pytest.approx(want, rel=1e-6)
    np.testing.assert_allclose(res.predict(which="conditional"), joint / stats.norm.cdf(zg))
    np.testing.assert_allclose(res.predict(sim.iloc[:5], which="joint"), joint[:5])
    with pytest.raises(ValueError, match="which"):
        res.predict(which="latent")


# --------------------------------------------------------------------------- covariance


def test_sandwiches_from_per_observation_scores(res, sim):
    U = hp._scores(res.model.design, res._params)
    B = res.cov_params().to_numpy()
    n, k = U.shape
    hc0 = B @ U.T @ U @ B
    np.testing.assert_allclose(res.with_cov("HC0").cov_params(), hc0, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(res.with_cov("HC1").cov_params(), hc0 * n / (n - k), rtol=1e-10)
    S = pd.DataFrame(U).groupby(sim.g.to_numpy()).sum().to_numpy()
    G = S.shape[0]
    cl = B @ S.T @ S @ B * G / (G - 1)
    got = res.with_cov("cluster", groups="g")
    np.testing.assert_allclose(got.cov_params(), cl, rtol=1e-10, atol=1e-14)
    assert got.params.equals(res.params)


def test_dyadic_covariance_runs():
    data = simulate(3000, 0.2, seed=4)
    rng = np.random.default_rng(1)
    a = rng.integers(0, 40, len(data))
    data["ccode1"] = a
    data["ccode2"] = (a + rng.integers(1, 40, len(data))) % 40
    r = fm.heckprobit(OUT, data, select=SEL, cov_type="dyadic", cov_kwds={"psd": "ignore"})
    assert np.all(np.isfinite(r.bse)) and "states" in r.cov_notes[0]


# --------------------------------------------------------------------------- input


def test_missing_outcome_of_unselected_rows_is_allowed(sim):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = fm.heckprobit(OUT, sim, select=SEL)
    assert r.model.design.n_dropped == 0


def test_listwise_deletion_is_counted(sim):
    data = sim.copy()
    data.loc[[0, 1, 2], "z2"] = np.nan
    sel = np.flatnonzero(data.s == 1)[5:7]
    data.loc[sel, "y"] = np.nan  # a selected row without its outcome
    with pytest.warns(fm.MissingDataWarning, match="removed 5 of"):
        r = fm.heckprobit(OUT, data, select=SEL)
    assert r.nobs == len(sim) - 5
    assert r.model.design.dropped_by["y"] == 2
    keep = data.drop(index=[0, 1, 2, *sel])
    ref = fm.heckprobit(OUT, keep, select=SEL)
    np.testing.assert_allclose(r.params, ref.params, rtol=1e-12)


def test_outcome_regressors_may_be_missing_where_not_selected(sim):
    """Stata's sample rule (heckprobit/heckoprobit: ``replace touse = 0 if seldep & !touse2``):
    outcome-equation variables are required on the selected rows only."""
    rng = np.random.default_rng(9)
    data = sim.assign(w=rng.normal(size=len(sim)))
    unsel = np.flatnonzero(data.s == 0)[:40]
    sel = np.flatnonzero(data.s == 1)[:3]
    full = fm.heckprobit("y ~ x1 + w", data, select=SEL)
    holes = data.copy()
    holes.loc[unsel, "w"] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = fm.heckprobit("y ~ x1 + w", holes, select=SEL)
    assert r.nobs == len(sim)
    np.testing.assert_allclose(r.params, full.params, rtol=1e-12)
    np.testing.assert_allclose(r.bse, full.bse, rtol=1e-10)
    assert np.isnan(r.predict(which="outcome")[unsel]).all()
    assert np.isfinite(r.predict(which="selection")).all()
    holes.loc[sel, "w"] = np.nan
    with pytest.warns(fm.MissingDataWarning, match="removed 3 of"):
        r = fm.heckprobit("y ~ x1 + w", holes, select=SEL)
    assert r.model.design.dropped_by == {"w": 3}


def test_errors(sim):
    none = sim.assign(s=0.0, y=np.nan)
    with pytest.raises(ValueError, match="no selected rows"):
        fm.heckprobit(OUT, none, select=SEL)
    const = sim.assign(y=np.where(sim.s == 1, 1.0, np.nan))
    with pytest.raises(ValueError, match="not identified"):
        fm.heckprobit(OUT, const, select=SEL)
    every = sim.assign(s=1.0, y=sim.y.fillna(0.0))
    with pytest.raises(ValueError, match="selection equation is not identified"):
        fm.heckprobit(OUT, every, select=SEL)
    with pytest.raises(ValueError, match="0/1"):
        fm.heckprobit(OUT, sim.assign(s=sim.s * 2), select=SEL)
    with pytest.raises(KeyError, match="selection response"):
        fm.heckprobit(OUT, sim, select="nope ~ z1")
    with pytest.raises(ValueError, match="infinite"), np.errstate(divide="ignore"):
        w = np.where(sim.index < 3, 0.0, 1.0 + sim.z1**2)
        fm.heckprobit("y ~ x1 + np.log(w)", sim.assign(w=w), select=SEL)
    with pytest.warns(fm.ConvergenceWarning, match="did not converge"):
        r = fm.heckprobit(OUT, sim, select=SEL, maxiter=1)
    assert not r.converged


def test_rho_at_the_boundary_warns():
    rng = np.random.default_rng(3)
    n = 3000
    z1, x1, u = rng.normal(size=(3, n))
    s = (0.8 * z1 + u > 0).astype(float)
    y = np.where(s == 1, (0.3 + 0.5 * x1 + u > 0).astype(float), np.nan)  # the same error: rho = 1
    data = pd.DataFrame({"y": y, "s": s, "z1": z1, "x1": x1})
    with pytest.warns(fm.RhoBoundaryWarning, match="boundary"):
        r = fm.heckprobit("y ~ x1", data, select="s ~ z1 + x1")
    assert r.rho > 0.9999 and not r.converged
    assert any("boundary" in note for note in r.cov_notes)


# --------------------------------------------------------------------------- R reference


def _real_panel():
    spec = importlib.util.spec_from_file_location("heckprobit_panel", REF / "heckprobit_panel.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module",
                params=["simulated", pytest.param("real", marks=pytest.mark.realdata)])
def r_case(request):
    """(data, R reference, cluster groups for foedus): heckprobit_reference.R's fits."""
    if request.param == "simulated":
        with open(REF / "heckprobit_sim_reference.json") as fh:
            return pd.read_csv(REF / "heckprobit_sim.csv"), json.load(fh), "g"
    request.getfixturevalue("raw_dir")
    with open(REF / "heckprobit_real_reference.json") as fh:
        return _real_panel().frame(), json.load(fh), "directed_dyad"


def test_against_r(r_case):
    data, ref, groups = r_case
    assert ref["max_abs_grad"] < 1e-6  # R's fit is at its maximum
    r = fm.heckprobit(ref["outcome"], data, select=ref["select"])
    assert r.converged
    assert list(r.params.index) == ref["names"]
    assert (r.nobs, r.n_selected, r.n_events) == (ref["nobs"], ref["n_selected"], ref["n_events"])
    np.testing.assert_allclose(r.params, ref["params"], rtol=PARAM_RTOL, atol=1e-9)
    assert r.llf == pytest.approx(ref["llf"], rel=1e-10)
    assert r.llf_indep == pytest.approx(ref["llf_indep"], rel=1e-10)
    for cov_type, kwds, key in (("classical", {}, "cov"), ("HC0", {}, "hc0"),
                                ("cluster", {"groups": groups}, "cluster")):
        got = r if cov_type == "classical" else r.with_cov(cov_type, **kwds)
        V = np.asarray(ref[key])
        np.testing.assert_allclose(got.bse, np.sqrt(np.diag(V)), rtol=SE_RTOL)
        scale = np.sqrt(np.outer(np.diag(V), np.diag(V)))
        np.testing.assert_allclose(got.cov_params().to_numpy() / scale, V / scale, atol=SE_RTOL)


def test_study_runner_contract():
    """The replication runner fits heckprobit by name with ``select`` as an option, the outcome
    exempt from listwise deletion, and every covariance key from one fit."""
    from foedus.replication.run import fit_model, prepare
    from foedus.replication.study import Model

    data = simulate(2000, 0.3, seed=8)
    rng = np.random.default_rng(2)
    data["ccode1"] = rng.integers(0, 30, len(data))
    data["ccode2"] = (data.ccode1 + rng.integers(1, 30, len(data))) % 30
    data["year"] = np.arange(len(data))
    model = Model(name="sel", label="Selection probit", formula=OUT, estimator="heckprobit",
                  options=(("select", SEL),), keep_missing=("y",),
                  cov_types=("classical", "robust", "cluster", "cluster:g"))
    prepared = prepare(model, {"base": data})
    assert prepared.n_listwise == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fm.NonPSDCovarianceWarning)
        fit = fit_model(model, prepared, "simulated")
    assert fit.error is None and fit.converged
    direct = fm.heckprobit(OUT, data, select=SEL)
    np.testing.assert_allclose(fit.params, direct.params, rtol=1e-12)
    assert fit.nobs == len(data) and fit.events == direct.n_events
    np.testing.assert_allclose(fit.cov["cluster:g"], direct.with_cov("cluster", groups="g")
                               .cov_params(), rtol=1e-12)


def test_covariances_of_one_fit_compute_the_scores_once(sim, monkeypatch):
    import importlib

    hp = importlib.import_module("foedus.models.heckprobit")  # the package exports the function
    calls = []
    scores = hp._scores
    monkeypatch.setattr(hp, "_scores", lambda *a: calls.append(1) or scores(*a))
    fresh = fm.heckprobit(OUT, sim, select=SEL)
    robust, cluster = fresh.with_cov("robust"), fresh.with_cov("cluster", groups="g")
    again = cluster.with_cov("robust")
    assert len(calls) == 1  # three robust covariances, one score matrix
    direct = fm.heckprobit(OUT, sim, select=SEL, cov_type="cluster", cov_kwds={"groups": "g"})
    np.testing.assert_allclose(cluster.cov_params(), direct.cov_params(), rtol=1e-10)
    np.testing.assert_array_equal(again.cov_params(), robust.cov_params())
