"""Fuhrmann & Sechser (2014): the study's declaration, a synthetic run, and the real-data run."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from foedus.replication import fuhrmann_sechser_2014 as fs
from foedus.replication.pipeline import replicate

# Table 2, model 1 of the paper, in the panel's vocabulary (deployments and US troops only when
# the user supplies them): the regressors the command file lists, in its order.
TABLE2 = ["targdef_nuc", "deployment2", "targdef_nonnuc", "us_troops2", "nuclear1", "nuclear2",
          "contig_400", "defense_ally", "s_un_glo", "capprop", "polity2_1", "polity2_2",
          "polity_product", "peaceyrs", "peaceyrs2", "peaceyrs3"]


def test_declaration_without_cow_file_or_target_data(monkeypatch):
    monkeypatch.delenv(fs.TARGET_DATA_ENV, raising=False)
    study = fs.build_study(cow=False)
    names = [m.name for m in study.models]
    assert "model1" not in names and study.main.name == "model2"
    assert study.main.estimator == "probit" and study.main.cov_types == ("cluster", "dyadic")
    estimators = [m.estimator for m in study.models if m.group == "estimators"]
    assert estimators == ["logit", "relogit", "firth"]
    assert [c.variable for c in study.claims] == ["targdef_nuc"]
    assert study.main.regressors == [v for v in TABLE2 if v not in ("deployment2", "us_troops2")]
    text = " ".join(study.notes)
    assert "Model 1 (COW alliances) NOT RUN" in text
    assert "NOT TESTABLE WITH PUBLIC DATA SHIPPED HERE" in text
    spec = study.panels[("mid310", "base")]
    assert spec.years == (1950, 2000) and spec.directed and spec.sample.politically_relevant
    assert spec.covariates.nuclear == "fs2014" and spec.covariates.nuclear_alliances == "atop"
    assert study.effect.center == "median" and study.effect.variable == "targdef_nuc"


def test_declaration_with_cow_file_and_target_data(tmp_path, monkeypatch):
    csv = tmp_path / "target.csv"
    csv.write_text("ccode,year,deployment,us_troops\n255,1960,1,10\n")
    monkeypatch.setenv(fs.TARGET_DATA_ENV, str(csv))
    study = fs.build_study(cow=True)
    assert study.main.regressors == TABLE2
    model1 = study.model("model1")
    assert model1.panel == "cow" and "cow_defense_ally" in model1.regressors
    assert study.panels[("mid50", "cow")].covariates.nuclear_alliances == "cow"
    assert [c.variable for c in study.claims] == ["targdef_nuc", "deployment2"]
    digest = hashlib.sha256(csv.read_bytes()).hexdigest()
    target = study.panels[("mid50", "base")].covariates.nuclear_target_data
    assert target == (str(csv.resolve()), digest)
    assert "NOT TESTABLE" not in " ".join(study.notes)


def test_registered_study_is_built_when_asked(monkeypatch):
    from foedus.replication.registry import get_study

    monkeypatch.setattr(fs, "cow_alliance_available", lambda: False)
    assert "model1" not in [m.name for m in get_study("fuhrmann_sechser_2014").models]
    monkeypatch.setattr(fs, "cow_alliance_available", lambda: True)
    assert "model1" in [m.name for m in get_study("fuhrmann_sechser_2014").models]


# -- a synthetic world with known coefficients ----------------------------------------------------

@dataclass(frozen=True)
class _Panel:
    frame: pd.DataFrame
    spec: object
    log: tuple = ()


TRUE = {"Intercept": -1.6, "targdef_nuc": -0.5, "targdef_nonnuc": 0.0, "nuclear1": 0.3,
        "nuclear2": 0.2, "contig_400": 0.8, "defense_ally": 0.0, "s_un_glo": -0.2,
        "capprop": 0.3, "polity2_1": -0.01, "polity2_2": 0.0, "peaceyrs": -0.02}


def _synthetic(spec, columns=None):
    states = np.arange(2, 2 + 5 * 30, 5, dtype=np.int16)[:30]
    years = np.arange(spec.years[0], spec.years[1] + 1, dtype=np.int16)
    a, b = np.meshgrid(states, states, indexing="ij")
    off = a != b
    a, b = a[off], b[off]
    f = pd.DataFrame({"ccode1": np.tile(a, years.size), "ccode2": np.tile(b, years.size),
                      "year": np.repeat(years, a.size)})
    n = len(f)
    rng = np.random.default_rng(7)
    for c in ("targdef_nuc", "targdef_nonnuc", "nuclear1", "nuclear2", "contig_400", "contig_land",
              "defense_ally", "cow_defense_ally", "ongoing"):
        f[c] = (rng.random(n) < 0.3).astype("int8")
    f["onset"] = np.zeros(n, dtype="int8")  # no continuation year holds a new onset here
    f["s_un_glo"] = rng.uniform(-0.5, 1, n)
    f["capprop"] = rng.uniform(0, 1, n)
    f["ln_capratio"] = rng.uniform(0, 3, n)
    f["polity2_1"] = rng.integers(-10, 11, n).astype("float64")
    f["polity2_2"] = rng.integers(-10, 11, n).astype("float64")
    f["peaceyrs"] = rng.integers(0, 50, n).astype("float64")
    f["peaceyrs2"] = f["peaceyrs"] ** 2 / 100
    f["peaceyrs3"] = f["peaceyrs"] ** 3 / 1000
    xb = TRUE["Intercept"] + sum(v * f[k].to_numpy(float)
                                 for k, v in TRUE.items() if k != "Intercept")
    f["dispute"] = (xb + np.random.default_rng(8).normal(size=n) > 0).astype("int8")
    if columns is not None:
        f = f[["ccode1", "ccode2", "year", *columns]]
    return _Panel(f, spec)


def test_synthetic_run_recovers_the_claim(tmp_path, monkeypatch):
    monkeypatch.delenv(fs.TARGET_DATA_ENV, raising=False)
    study = fs.build_study(cow=True).with_years((1950, 1959))
    rep = replicate(study, output=tmp_path, panel_source=_synthetic, progress=False)
    table = pd.read_csv(rep.files["table.csv"])
    main = table[(table["model"] == "model2") & (table["variable"] == "targdef_nuc")]
    assert set(main["verdict"]) == {"reproduced"}
    assert (main["estimate"] < 0).all()
    md = rep.files["table.md"].read_text()
    assert "at their medians" in md and "NOT TESTABLE WITH PUBLIC DATA SHIPPED HERE" in md


# -- the real data --------------------------------------------------------------------------------

#: Measured on the releases in FOEDUS_DATA_DIR (COW alliance file present): N, events.
MEASURED = {
    ("mid310", "model2"): (99_290, 1_279),
    ("mid310", "model1"): (99_290, 1_279),
    ("mid310", "all_dyads"): (872_660, 1_502),
    ("mid50", "model2"): (99_078, 1_158),
    ("mid50", "model1"): (99_078, 1_158),
    ("mid50", "all_dyads"): (869_604, 1_357),
}


@pytest.fixture(scope="module")
def real_run(raw_dir, tmp_path_factory):
    study = fs.build_study(target_data=None)
    return replicate(study, output=tmp_path_factory.mktemp("fs2014"), progress=False)


@pytest.mark.realdata
@pytest.mark.slow
def test_real_data_counts_and_verdicts(real_run):
    result = real_run.result
    assert "model1" in [m.name for m in result.study.models]  # the COW file is in the raw folder
    for (data, model), (nobs, events) in MEASURED.items():
        fit = result.fit(data, model)
        assert (fit.nobs, fit.events) == (nobs, events), (data, model)
    table = pd.read_csv(real_run.files["table.csv"])
    claim = table[(table["variable"] == "targdef_nuc") & table["verdict"].notna()]
    # measured: no specification reproduces a significant negative effect of a nuclear pact
    assert set(claim["verdict"]) == {"not reproduced"}
    for data in ("mid310", "mid50"):
        fit = result.fit(data, "model2")
        assert abs(fit.params["targdef_nuc"]) < 0.05
        assert fit.pvalues("cluster")["targdef_nuc"] > 0.5


@pytest.mark.realdata
@pytest.mark.slow
def test_real_data_nuclear_split_adds_up(real_run):
    """n_targdef_nuc + n_targdef_nonnuc = the alliance step's n_targdef, on every dyad-year."""
    from foedus.data.panel import build_panel

    spec = real_run.study.panels[("mid50", "base")]
    f = build_panel(spec).frame
    total = f["n_targdef_nuc"].astype("int64") + f["n_targdef_nonnuc"].astype("int64")
    assert (total.to_numpy() == f["n_targdef"].astype("int64").to_numpy()).all()
    assert f["targdef_nuc"].astype(bool).sum() > 0
    prov = json.loads(real_run.files["provenance.json"].read_text())
    assert "fuhrmann_sechser_2014" in json.dumps(prov)
