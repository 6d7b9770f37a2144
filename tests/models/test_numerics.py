"""The numerical kernels of foedus.models._numerics against independent computations."""
import numpy as np
import pytest
from scipy import special, stats

from foedus.models import _numerics as nu

PROBIT = nu.FAMILIES["probit"]
LOGIT = nu.FAMILIES["logit"]


def test_probit_kernel_matches_scipy_log_ndtr():
    x = np.linspace(-30.0, 8.0, 7601)
    log_cdf, mills = nu._log_cdf_and_mills(x)
    np.testing.assert_allclose(log_cdf, special.log_ndtr(x), rtol=1e-12)
    np.testing.assert_allclose(mills, np.exp(stats.norm.logpdf(x) - special.log_ndtr(x)),
                               rtol=1e-12)
    fisher = np.exp(2 * stats.norm.logpdf(x) - special.log_ndtr(x) - special.log_ndtr(-x))
    np.testing.assert_allclose(PROBIT.fisher_weight(x), fisher, rtol=1e-12)


def test_probit_kernel_far_left_tail_is_the_asymptotic_series():
    # Phi(x) = phi(x)/(-x) (1 - 1/x^2 + 3/x^4 - ...) for x -> -inf, where phi underflows
    x = np.array([-50.0, -200.0, -1e4])
    log_cdf, mills = nu._log_cdf_and_mills(x)
    series = 1 - 1 / x**2 + 3 / x**4 - 15 / x**6
    np.testing.assert_allclose(mills, -x / series, rtol=1e-9)
    np.testing.assert_allclose(log_cdf, -x**2 / 2 - np.log(-x) - 0.5 * np.log(2 * np.pi)
                               + np.log(series), rtol=1e-12)


def test_probit_newton_terms_are_the_observed_information():
    rng = np.random.default_rng(0)
    y = (rng.random(200) < 0.3).astype(float)
    eta = rng.normal(-1.0, 2.0, 200)
    ll, lam, w = PROBIT.evaluate_newton(y, eta)
    h = 1e-4  # central differences of log Phi(q eta): error ~ h^2 plus rounding ~ eps / h^2
    up, down = PROBIT.loglike_obs(y, eta + h), PROBIT.loglike_obs(y, eta - h)
    np.testing.assert_allclose(lam, (up - down) / (2 * h), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(w, -(up - 2 * ll + down) / h**2, rtol=1e-5, atol=1e-7)


def _rare_design(n, seed):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.random(n) < 0.1,
                         rng.exponential(1.0, n)])
    eta = X @ np.array([-5.0, 0.4, 0.8, -0.3])
    y = (rng.random(n) < special.expit(eta)).astype(float)
    return np.ascontiguousarray(X), y, rng.gamma(2.0, 0.5, n)


@pytest.mark.parametrize("family", [LOGIT, PROBIT], ids=["logit", "probit"])
@pytest.mark.parametrize("weighted", [False, True])
def test_subsample_start_changes_the_path_not_the_estimate(monkeypatch, family, weighted):
    X, y, w = _rare_design(nu.SUBSAMPLE_MIN_ROWS + 10_000, seed=1)
    w = w if weighted else None
    start = nu._subsample_start(X, y, family, w, const_idx=0)
    assert start is not None  # every event and 1 in 5 non-events: the subsample fit is used
    fit = nu.newton_binary(X, y, family, weights=w, const_idx=0)
    monkeypatch.setattr(nu, "SUBSAMPLE_MIN_ROWS", 10**12)  # the intercept-only start
    ref = nu.newton_binary(X, y, family, weights=w, const_idx=0)
    assert fit.converged and ref.converged
    assert fit.iterations < ref.iterations
    np.testing.assert_allclose(fit.params, ref.params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fit.information, ref.information, rtol=1e-10)
    np.testing.assert_allclose(fit.llf, ref.llf, rtol=1e-13)


def test_no_subsample_when_it_would_not_be_much_smaller():
    rng = np.random.default_rng(2)
    n = nu.SUBSAMPLE_MIN_ROWS + 10
    X = np.column_stack([np.ones(n), rng.normal(size=n)])
    y = (rng.random(n) < 0.5).astype(float)  # two classes of ~100k rows, 1 in 3 of each kept: a third of the design
    assert nu._subsample_start(X, y, LOGIT, const_idx=0) is None
