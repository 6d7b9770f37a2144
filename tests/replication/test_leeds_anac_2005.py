"""Leeds & Anac (2005): every model of the study against statsmodels' Logit fitted here on the raw
.dta (an independent reader and estimator) and against R's glm (stored fixture
tests/reference/leeds_anac_2005.csv, made by leeds_anac_2005.R), classical and alliance-clustered
standard errors."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from foedus.replication.leeds_anac_2005 import STUDY
from foedus.replication.run import run_study

pytestmark = pytest.mark.realdata
DTA = "leeds-anac-2005-rep/LeedsAnacIIrep.dta"
PARAMS, SE = 1e-6, 1e-5


@pytest.fixture(scope="module")
def result():
    return run_study(STUDY, progress=False)


@pytest.fixture(scope="module")
def raw(raw_dir):
    return pd.read_stata(raw_dir / DTA).astype("float64")


@pytest.mark.parametrize("name", [m.name for m in STUDY.models])
def test_logit_against_statsmodels(result, raw, name):
    m = STUDY.model(name)
    rows = raw.query(m.subset) if m.subset else raw
    X = sm.add_constant(rows[m.regressors]).rename(columns={"const": "Intercept"})
    ref = sm.Logit(rows[m.response], X).fit(disp=0, tol=1e-12)
    fit = result.fit("authors", name)
    assert fit.nobs == len(rows)
    np.testing.assert_allclose(fit.params[X.columns].to_numpy(), ref.params.to_numpy(), rtol=PARAMS, atol=1e-9)
    np.testing.assert_allclose(fit.bse("classical")[X.columns].to_numpy(), ref.bse.to_numpy(), rtol=SE)
    clus = sm.Logit(rows[m.response], X).fit(disp=0, tol=1e-12, cov_type="cluster",
                                             cov_kwds={"groups": rows["atopid"].astype(int)})
    # statsmodels multiplies by (n - 1) / (n - k) as well; foedus (as Stata's logit) G / (G - 1) only
    n, k = X.shape
    np.testing.assert_allclose(fit.bse("cluster:atopid")[X.columns].to_numpy(),
                               clus.bse.to_numpy() * np.sqrt((n - k) / (n - 1)), rtol=SE)


def test_main_model_known_values(result):
    # statsmodels on the raw file: milinst -0.709, formal -0.929 (N = 137, 93 honored).
    fit = result.fit("authors", "main")
    assert (fit.nobs, fit.events) == (137, 93)
    assert fit.params["milinst"] == pytest.approx(-0.7090, abs=5e-4)
    assert fit.params["formal"] == pytest.approx(-0.9291, abs=5e-4)


def test_first_difference_is_the_difference_of_the_simulated_probabilities(result):
    eff = result.effects["authors"]
    s = eff.summary()
    fd = eff.draws[2] - eff.draws[0]
    assert s["difference"]["point"] == pytest.approx(s[2]["point"] - s[0]["point"])
    assert s["difference"]["lo"] == pytest.approx(np.percentile(fd, 2.5))
    assert s["difference"]["lo"] < s["difference"]["point"] < s["difference"]["hi"]


R_FIXTURE = Path(__file__).resolve().parents[1] / "reference" / "leeds_anac_2005.csv"


@pytest.mark.parametrize("name", [m.name for m in STUDY.models])
def test_against_r_glm_fixture(result, name):
    ref = pd.read_csv(R_FIXTURE)
    ref = ref[ref.model == name].set_index("variable")
    fit = result.fit("authors", name)
    assert fit.nobs == int(ref.nobs.iloc[0]) and fit.llf == pytest.approx(float(ref.llf.iloc[0]), rel=1e-9)
    np.testing.assert_allclose(fit.params[ref.index].to_numpy(), ref.estimate.to_numpy(), rtol=PARAMS, atol=1e-9)
    np.testing.assert_allclose(fit.bse("classical")[ref.index].to_numpy(), ref.se.to_numpy(), rtol=SE)
    np.testing.assert_allclose(fit.bse("cluster:atopid")[ref.index].to_numpy(), ref.se_cluster_atopid.to_numpy(),
                               rtol=SE)
