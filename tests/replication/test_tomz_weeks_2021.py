"""Tomz & Weeks (2021) Study 1: the declaration, and the real run checked against numbers computed
by hand from the raw .dta (pandas alone, independent of foedus' reader and port)."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from foedus.replication import tomz_weeks_2021 as tw
from foedus.replication.pipeline import replicate
from foedus.replication.registry import get_study

DTA = "tomz-weeks-2021-rep/2017-04-YouGov-extracted.dta"


def test_declaration():
    study = get_study("tomz_weeks_2021")
    assert study.main.name == "main_fx" and study.main.estimator == "ols"
    assert {m.estimator for m in study.models} == {"ols"}
    assert all(m.cov_types[0] == "robust" for m in study.models)
    weighted = {m.name for m in study.models if dict(m.options).get("weights") == "weight"}
    assert weighted == {"main_fx_weighted", "five_point_weighted"}
    assert "weight" in study.model("main_fx_weighted").variables()
    assert [(c.variable, c.effect) for c in study.claims] == [("ally", "positive")]
    main = study.main.regressors
    assert main[:4] == ["ally", "dem", "ints", "cost"]
    assert main[-8:] == ["hawk", "intl", "pid7", "nat", "male", "white", "age", "ed4"]


@pytest.fixture(scope="module")
def raw(raw_dir):
    return pd.read_stata(raw_dir / DTA, convert_categoricals=False)


@pytest.fixture(scope="module")
def run(raw_dir, tmp_path_factory):
    import os

    os.environ["FOEDUS_DATA_DIR"] = str(raw_dir)
    out = tmp_path_factory.mktemp("tw")
    return replicate("tomz_weeks_2021", output=out, progress=False)


@pytest.mark.realdata
def test_difference_in_means_by_hand(run, raw):
    favor = np.where(raw["pref"] >= 4, 100.0, 0.0)
    arm = raw["alliance"].to_numpy() == 2
    a, b = favor[~arm], favor[arm]
    fit = run.result.fit("authors", "difference")
    assert fit.params["ally"] == pytest.approx(b.mean() - a.mean(), rel=1e-12)
    # reg y ally, robust: HC1 = Welch's unpooled variance with ML group variances x n/(n-2)
    n = len(favor)
    se = np.sqrt((a.var(ddof=0) / len(a) + b.var(ddof=0) / len(b)) * n / (n - 2))
    assert fit.bse("robust")["ally"] == pytest.approx(se, rel=1e-10)
    five = run.result.fit("authors", "difference_five_point")
    pref = raw["pref"].to_numpy(dtype=float) - 1
    assert five.params["ally"] == pytest.approx(pref[arm].mean() - pref[~arm].mean(), rel=1e-12)
    support = run.result.summary("authors", "support")
    assert support.loc["alliance", "respondents"] == arm.sum() == 602
    assert support.loc["no alliance", "favor"] == int((favor[~arm] > 0).sum())
    assert support.loc["alliance", "share favoring (%)"] == pytest.approx(b.mean(), rel=1e-12)


@pytest.mark.realdata
def test_every_model_uses_all_1200_respondents_and_the_claim_is_reproduced(run):
    for m in run.study.models:
        fit = run.result.fit("authors", m.name)
        assert fit.estimable and fit.nobs == 1200 and fit.n_listwise == 0, m.name
        assert fit.params["ally"] > 0
    main = run.result.fit("authors", "main_fx")
    assert main.params["ally"] / main.bse("robust")["ally"] > 10
    csv = pd.read_csv(run.directory / "table.csv")
    verdicts = csv.loc[csv["variable"] == "ally", "verdict"].dropna()
    assert len(verdicts) >= len(run.study.models) and (verdicts == "reproduced").all()
    assert (run.directory / "coefplot.png").is_file()


@pytest.mark.realdata
def test_randomisation(run, raw):
    # every treatment splits the sample about evenly; arm counts by hand from the raw codes
    for column, codes in (("alliance", (1, 2)), ("regime", (1, 2)), ("stakes", (1, 2)), ("costs", (1, 2))):
        counts = raw[column].value_counts()
        assert set(counts.index) == set(codes)
        assert stats.binomtest(int(counts[codes[1]]), len(raw)).pvalue > 0.05, column
    assert raw["region"].value_counts().min() > 250
    table = run.result.summary("authors", "balance")
    hawk = (5 - raw["hawk"]) / 4  # reversed (prep:77), rescaled (mainfx:23)
    arm = raw["alliance"] == 2
    assert table.loc["hawk", "difference"] == pytest.approx(hawk[arm].mean() - hawk[~arm].mean(), rel=1e-12)
    assert table.loc["respondents", "alliance"] == 602 and table.loc["respondents", "no alliance"] == 598
    p = table["p-value"].drop("joint F-test (ally ~ all)")
    assert ((p > 0) & (p <= 1)).all()


@pytest.mark.realdata
def test_outputs_are_deterministic(run, tmp_path):
    again = replicate("tomz_weeks_2021", output=tmp_path, progress=False)
    for name in ("table.md", "table.csv", "coefplot.png"):
        first = hashlib.sha256((run.directory / name).read_bytes()).hexdigest()
        assert first == hashlib.sha256((again.directory / name).read_bytes()).hexdigest(), name
    prov = json.loads((again.directory / "provenance.json").read_text())
    files = {f["file"]: f["registered_sha256_matches"] for f in prov["inputs"]}
    assert files == {"2017-04-YouGov-extracted.dta": True, "2017-04-YouGov-prepdata.do": True,
                     "2017-04-YouGov-mainfx.do": True}
