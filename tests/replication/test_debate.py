"""The deterrence-debate studies (Kenwick & Vasquez 2017, Leeds & Johnson 2017, Morrow 2017):
declarations against the designs they follow, and the side-by-side figure."""
from __future__ import annotations

import numpy as np
import pandas as pd

from foedus.replication import debate
from foedus.replication import kenwick_vasquez_2017 as kv
from foedus.replication import leeds_johnson_2017 as lj
from foedus.replication import morrow_2017 as mo
from foedus.replication.registry import get_study


def test_leeds_johnson_cem_designs():
    a3 = lj.cem_design("a3")
    assert a3.treatment == "ptargdef" and a3.exact == ("pchalally", "pchaloff", "pchalneu", "jdem")
    assert dict(a3.variables) == {"ln_distance": (4, 6, 8),
                                  "capprop": (.02, .1, .3, .5, .7, .9, .98),
                                  "s_un_glo": (.4, .63, .79, .92, .97),
                                  "peaceyrs": (1, 3, 9, 22, 39, 74)}
    assert [c for _, c in lj.cem_design("a5").variables] == [20, 10, 20, 20]
    assert [c for _, c in lj.cem_design("a6").variables] == [40, 20, 40, 40]
    assert all(c is None for _, c in lj.cem_design("a4").variables)
    study = get_study("leeds_johnson_2017")
    assert study.main.name == "a1" and study.main.formula == lj.jl.FORMULA
    full = study.model("a4_full")
    assert full.options == (("weights", "cem_weights"),) and full.derive[0][0] == "cem_weights"
    assert study.model("a3_bivariate").formula == "dispute ~ ptargdef"
    assert study.model("a7").regressors == [
        "ptargdef", "pchaloff", "pchalneu", "ptargoff", "ptargneu", "contig", "c_majpow",
        "t_majpow", "jdem", "rivalyears", "midcount"]
    spec = study.panels[("mid310", "all")]
    assert spec.covariates.rivalries and spec.temporal.midcount
    assert {q.name for q in spec.alliances.queries} == {"ptargoff", "ptargneu", "targdef_ids"}


def test_morrow_models():
    study = get_study("morrow_2017")
    assert len(study.models) == 12 and all(m.estimator == "logit" for m in study.models)
    m = study.model("ally1_pre1946_controls")
    assert m.subset == "pchalally == 1 and year <= 1945"
    assert m.regressors[0] == "ptargdef" and len(m.regressors) == 11
    assert study.model("ally0_all").formula == "dispute ~ ptargdef"


def test_kenwick_vasquez_models():
    study = get_study("kenwick_vasquez_2017")
    m1, m4 = study.model("m1"), study.model("m4")
    assert m1.regressors[:2] == ["fbdef", "nfbdef"] and m4.regressors[:4] == [
        "def_form_5yr", "def_form_6to15", "def_form_16plus", "fbdef"]
    assert study.model("m2").subset == "year < 1946" and study.model("m6").subset == "year > 1945"
    assert m4.cov_types[0] == "cluster" and m4.estimator == "logit"
    assert study.panels[("mid50", "public")].alliances.pact_formation == "kv2017"
    assert study.claims[0].variable == "def_form_5yr"


def test_key_estimates_and_figure(tmp_path):
    rows = []
    for study, model, var, _ in debate.KEY_ESTIMATES[:8]:
        for data in ("mid310", "mid50"):
            rows.append(dict(study=study, data=data, data_label=data.upper(), model=model,
                             estimator="logit" if "kenwick" in study else "probit",
                             covariance="cluster", variable=var, estimate=-0.1, se=0.05,
                             ci_low=-0.2, ci_high=0.0, p=0.04, nobs=10, events=2))
    frame = pd.DataFrame(rows)
    for study in ("kenwick_vasquez_2017", "leeds_johnson_2017"):
        (tmp_path / study).mkdir()
        frame[frame.study == study].to_csv(tmp_path / study / "table.csv", index=False)
    est = debate.key_estimates(tmp_path)
    assert len(est) == 16 and any("morrow_2017" in m for m in est.attrs["missing"])
    np.testing.assert_allclose(est.loc[est.estimator == "logit", "odds_ratio"], np.exp(-0.1))
    a = debate.debate_figure(est, tmp_path / "a.png").read_bytes()
    b = debate.debate_figure(est, tmp_path / "b.png").read_bytes()
    assert a == b  # deterministic output


def test_interval_reading_of_equal_bins():
    """A5/A6 alternative: k equal-width intervals = k + 1 cutpoints (Stata '#k' gives k - 1)."""
    from foedus.models.cem import cutpoints_for

    study = get_study("leeds_johnson_2017")
    alt = study.model("a5_intervals_full")
    assert alt.group == "alternatives"
    spec = dict(alt.derive[0][1].variables)
    assert cutpoints_for(np.arange(100.0), spec["ln_distance"]).size - 1 == 20
    assert cutpoints_for(np.arange(100.0), spec["capprop"]).size - 1 == 10
