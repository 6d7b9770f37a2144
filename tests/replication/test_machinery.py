"""The replication machinery on small hand-made inputs: verdicts, study checks, sample
preparation and the simulated effect."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from foedus.data.spec import PanelSpec
from foedus.replication.effects import simulate_effect
from foedus.replication.run import Fit, prepare
from foedus.replication.study import Claim, DataVersion, Effect, Model, Study, spec_variant
from foedus.replication.verdict import NOT_REPRODUCED, REPRODUCED, verdict

NEG = Claim("x", "negative", "x deters", "paper")
POS = Claim("x", "positive", "x provokes", "paper")
NONE = Claim("x", "none", "no evidence", "paper")


@pytest.mark.parametrize("claim,b,p,expected", [
    (NEG, -0.3, 0.01, REPRODUCED),
    (NEG, -0.3, 0.05, NOT_REPRODUCED),  # p must be strictly below 0.05
    (NEG, -0.3, 0.0499, REPRODUCED),
    (NEG, 0.3, 0.001, NOT_REPRODUCED),  # significant, wrong sign
    (POS, 0.3, 0.001, REPRODUCED),
    (POS, 0.3, 0.2, NOT_REPRODUCED),
    (NONE, 0.3, 0.2, REPRODUCED),
    (NONE, -0.3, 0.05, REPRODUCED),
    (NONE, 0.3, 0.01, NOT_REPRODUCED),
    (NONE, -0.3, 0.01, NOT_REPRODUCED),  # the rule for "no evidence" is significance only
])
def test_verdict_rule(claim, b, p, expected):
    assert verdict(claim, b, p) == expected


def test_verdict_refuses_failed_fits():
    with pytest.raises(ValueError, match="not finite"):
        verdict(NEG, float("nan"), 0.01)


def test_claim_effect_is_checked():
    with pytest.raises(ValueError, match="effect"):
        Claim("x", "negatve", "", "")


def _study(**kw):
    spec = PanelSpec(years=(1990, 1991))
    base = dict(name="s", title="t", citation="c", data=(DataVersion("d", "D"),),
                panels={("d", "base"): spec},
                models=(Model("m", "M", "dispute ~ x"),), claims=(NEG,))
    base.update(kw)
    return Study(**base)


def test_study_checks_panels_and_names():
    with pytest.raises(ValueError, match="needs panel 'other'"):
        _study(models=(Model("m", "M", "dispute ~ x", panel="other"),))
    with pytest.raises(ValueError, match="needs panel 'other'"):
        _study(models=(Model("m", "M", "dispute ~ x", borrow=(("x", "other", "x"),)),))
    with pytest.raises(ValueError, match="duplicate"):
        _study(models=(Model("m", "M", "dispute ~ x"), Model("m", "M2", "dispute ~ x")))
    with pytest.raises(ValueError, match="unknown model"):
        _study(effect=Effect(model="nope", variable="x"))


def test_with_years_changes_every_panel_and_says_so():
    s = _study().with_years((1995, 1996))
    assert all(spec.years == (1995, 1996) for spec in s.panels.values())
    assert s.notes[0].startswith("RESTRICTED RUN")


def test_spec_variant_changes_one_field_only():
    spec = PanelSpec(years=(1816, 2000))
    v = spec_variant(spec, alliances={"secret": "exclude"})
    assert v.alliances.secret == "exclude"
    assert v.alliances.version == spec.alliances.version
    assert v.disputes == spec.disputes and v.digest() != spec.digest()


def test_model_variables_and_regressors():
    m = Model("m", "M", "dispute ~ a + b_2 + c")
    assert m.response == "dispute"
    assert m.regressors == ["a", "b_2", "c"]
    assert m.variables() == ["dispute", "a", "b_2", "c"]


def _panels():
    keys = pd.DataFrame({"ccode1": [2, 2, 20, 20, 200], "ccode2": [20, 200, 2, 200, 2],
                         "year": [1990] * 5})
    base = keys.assign(dispute=[0.0, 1, 0, 1, 0], x=[1.0, 0, np.nan, 1, 0], ally=[1.0, 0, 0, 1, 0])
    other = keys.assign(x=[0.0, 0, 1, 1, 1])
    return {"base": base, "other": other, "shuffled": other.iloc[::-1].reset_index(drop=True)}


def test_prepare_counts_subset_and_listwise():
    m = Model("m", "M", "dispute ~ x", subset="ally != 1")
    p = prepare(m, _panels())
    assert (p.n_panel, p.n_subset, p.n_listwise) == (5, 2, 1)
    assert p.missing_by == {"x": 1}
    assert len(p.frame) == 2


@pytest.mark.parametrize("variant", ["other", "shuffled"])
def test_prepare_borrows_by_keys(variant):
    m = Model("m", "M", "dispute ~ x", borrow=(("x", variant, "x"),))
    p = prepare(m, _panels())
    assert p.n_listwise == 0
    assert p.frame["x"].tolist() == [0.0, 0, 1, 1, 1]  # row order of the model's own panel


def test_prepare_assign_recodes():
    m = Model("m", "M", "dispute ~ x", borrow=(("x", "other", "x"),), assign=(("x", "x * (1 - ally)"),))
    p = prepare(m, _panels())
    assert p.frame["x"].tolist() == [0.0, 0, 1, 0, 1]


def test_prepare_names_missing_columns():
    with pytest.raises(KeyError, match="not columns"):
        prepare(Model("m", "M", "dispute ~ nope"), _panels())


def test_simulated_effect_matches_hand_computation():
    frame = pd.DataFrame({"x": [0.0, 0, 1, 1], "z": [1.0, 3, 5, 7], "dispute": [0.0, 1, 0, 1]})
    params = pd.Series({"Intercept": -1.0, "x": -0.5, "z": 0.1})
    cov = pd.DataFrame(np.diag([0.01, 0.02, 0.001]), index=params.index, columns=params.index)
    model = Model("m", "M", "dispute ~ x + z", estimator="probit")
    fit = Fit("d", model, params, {"classical": cov}, 4, 2, -1.0, True, 4, 0, 0, {}, {})
    eff = Effect(model="m", variable="x", means_where="x == 0", draws=500, seed=7)
    r = simulate_effect(eff, model, fit, frame)
    zbar = 2.0  # mean of z over x == 0
    assert r.point[0] == pytest.approx(stats.norm.cdf(-1.0 + 0.1 * zbar))
    assert r.point[1] == pytest.approx(stats.norm.cdf(-1.5 + 0.1 * zbar))
    assert r.change_point == pytest.approx(100 * (r.point[1] - r.point[0]) / r.point[0])
    again = simulate_effect(eff, model, fit, frame)
    assert np.array_equal(r.draws[1], again.draws[1])  # seeded
    s = r.summary()
    assert s[0]["lo"] < s[0]["point"] < s[0]["hi"]
    assert math.isfinite(s["change"]["mean"])


def test_derive_computes_cem_weights_on_the_model_sample(toy_source):
    """Model.derive: CEM weights computed on the rows after the subset; unmatched rows are
    removed by listwise deletion and counted; the weighted fit equals a direct weighted fit."""
    from foedus.models import CEMWeights, cem, probit
    from foedus.replication.run import run_study

    design = CEMWeights("ptargdef", (("capprop", 5),), exact=("jdem", "pchalally"), label="toy")
    model = Model("m", "M", "dispute ~ ptargdef", subset="pchaloff == 0",
                  derive=(("cem_weights", design),), options=(("weights", "cem_weights"),))
    study = _study(models=(model,))
    study = Study(**{**study.__dict__, "panels": {("d", "base"): PanelSpec(years=(1990, 1995))}})
    fit = run_study(study, panel_source=toy_source, progress=False).fit("d", "m")
    frame = toy_source(PanelSpec(years=(1990, 1995))).frame
    rows = frame[frame["pchaloff"] == 0].astype({"jdem": "float64"}).reset_index(drop=True)
    res = cem(rows, "ptargdef", {"capprop": 5}, exact=["jdem", "pchalally"])
    assert fit.missing_by["cem_weights"] == int((~res.matched).sum()) > 0
    direct = probit("dispute ~ ptargdef", rows.astype("float64"), weights=res.weights)
    assert fit.nobs == direct.nobs == int(res.matched.sum())
    np.testing.assert_allclose(fit.params.to_numpy(), direct.params.to_numpy(), rtol=1e-8)
    assert fit.derive_notes[0].startswith("toy: CEM:")


def test_prepared_sample_never_writes_to_the_panel():
    panels = _panels()
    before = panels["base"].copy()
    p = prepare(Model("m", "M", "dispute ~ ally"), panels)  # every row kept: columns shared
    p.frame.loc[0, "ally"] = 5.0
    pd.testing.assert_frame_equal(panels["base"], before)
