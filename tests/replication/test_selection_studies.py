"""Johnson & Leeds (2011) Tables 2-3 and Fang, Johnson & Leeds (2014): declarations, recodes and
the conditional probability of the selection model's effect."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from foedus.replication.effects import probability_label, simulate_effect
from foedus.replication.registry import get_study
from foedus.replication.run import Fit, prepare
from foedus.replication.study import Effect, Model


def test_escalation_study_is_the_command_files_heckprob():
    s = get_study("johnson_leeds_2011_escalation")
    t2, t3 = s.model("table2"), s.model("table3")
    select = ("dispute ~ ptargdef + pchaloff + pchalneu + pchalally + ln_distance + capprop + jdem + "
              "s_un_glo + peaceyrs + peaceyrs2 + peaceyrs3")
    for m, y in ((t2, "targ_resist"), (t3, "war")):
        assert m.estimator == "heckprobit" and dict(m.options) == {"select": select}
        assert m.formula == f"{y} ~ ptargdef_secr + pchaloff + pchalneu + capprop"
        assert m.keep_missing == (y,)
        # selection ptargdef from public pacts (as Table 1); outcome ptargdef_secr from all pacts
        assert ("ptargdef", "public", "ptargdef") in m.borrow
        assert ("ptargdef_secr", "all", "ptargdef") in m.borrow
    added = [m.name for m in s.models if m.name.startswith("table2_plus_")]
    assert len(added) == 8  # every selection variable not already in the outcome equation
    assert [c.effect for c in s.claims] == ["none", "none"]
    for (data, variant), spec in s.panels.items():
        if variant == "all":
            assert spec.outcomes is not None and spec.outcomes.resist == "action"
    # Table 1's study is untouched
    assert get_study("johnson_leeds_2011").main.name == "table1"


def test_fang_johnson_leeds_declaration():
    s = get_study("fang_johnson_leeds_2014")
    m = s.main
    assert m.formula == "targ_resist ~ ally_cost + pchaloff + pchalneu + c_win"
    assert dict(m.options)["select"] == ("dispute ~ pchaloff + pchalneu + c_win + ln_distance + jdem "
                                         "+ s_un_glo + peaceyrs + peaceyrs2 + peaceyrs3")
    assert s.claims[0].variable == "ally_cost" and s.claims[0].effect == "negative"
    assert any("RECONSTRUCTED" in n for n in s.notes)
    assert {x.name for x in s.models} == {"main", "dependence", "public_pacts", "has_defender", "recip"}
    assert all(spec.outcomes.defenders for (d, v), spec in s.panels.items() if v in ("all", "public"))


def test_fang_johnson_leeds_recodes_by_hand():
    s = get_study("fang_johnson_leeds_2014")
    frame = pd.DataFrame({
        "ccode1": [2, 2, 2, 2], "ccode2": [20, 30, 40, 50], "year": [1950] * 4,
        "dispute": [1.0, 1, 0, 1], "targ_resist": [1.0, 0, np.nan, 1],
        "cinc1": [0.2, 0.1, 0.3, 0.2], "cinc2": [0.1, 0.1, 0.1, 0.1],
        "targ_def_cinc": [0.3, 0.0, np.nan, np.nan], "capprop": [2 / 3, 0.5, 0.75, 2 / 3],
        **{c: [0.0, 1, 0, 1] for c in ("pchaloff", "pchalneu", "ln_distance", "jdem", "s_un_glo",
                                        "peaceyrs", "peaceyrs2", "peaceyrs3")},
    })
    p = prepare(s.main, {"all": frame}, ("ccode1", "ccode2", "year"))
    # the initiated row with an unknown defenders' CINC is removed by the subset, counted
    assert p.n_subset == 1 and p.n_listwise == 0
    got = p.frame.set_index("ccode2")
    # (0.1 + 0.3) / (0.2 + 0.1 + 0.3) - 0.1 / 0.3 = 2/3 - 1/3
    assert got.loc[20, "ally_cost"] == pytest.approx(1 / 3)
    assert got.loc[30, "ally_cost"] == 0 and got.loc[40, "ally_cost"] == 0  # no defender; no dispute
    assert got.loc[20, "c_win"] == pytest.approx(2 / 3)
    dep = prepare(s.model("dependence"), {"all": frame}, ("ccode1", "ccode2", "year")).frame
    assert dep.set_index("ccode2").loc[20, "ally_cost"] == pytest.approx(0.3 / 0.4)


def test_conditional_probability_effect_by_hand():
    frame = pd.DataFrame({"x": [0.0, 1, 0, 1], "z": [1.0, 2, 3, 4], "s": [1.0, 1, 0, 0],
                          "y": [1.0, 0, np.nan, np.nan]})
    names = ["Intercept", "x", "select:Intercept", "select:z", "athrho"]
    params = pd.Series([0.2, -0.4, 0.5, -0.1, 0.3], index=names)
    cov = pd.DataFrame(np.diag([0.01, 0.02, 0.01, 0.001, 0.02]), index=names, columns=names)
    model = Model("h", "H", "y ~ x", estimator="heckprobit", options=(("select", "s ~ z"),),
                  keep_missing=("y",))
    fit = Fit("d", model, params, {"classical": cov}, 4, 1, -1.0, True, 4, 0, 0, {}, {})
    eff = Effect(model="h", variable="x", means_where="s == 1", draws=200, seed=3)
    r = simulate_effect(eff, model, fit, frame)
    zg = 0.5 - 0.1 * 1.5  # z's mean over the selected rows
    rho = np.tanh(0.3)
    for v in (0, 1):
        xb = 0.2 - 0.4 * v
        joint = stats.multivariate_normal([0, 0], [[1, rho], [rho, 1]]).cdf([xb, zg])
        assert r.point[v] == pytest.approx(joint / stats.norm.cdf(zg), abs=1e-7)
    assert probability_label(model) == "Pr(y = 1 | s = 1)"
    assert r.draws[1].shape == (200,) and np.all((r.draws[1] > 0) & (r.draws[1] < 1))


def test_expression_names_skip_methods():
    from foedus.replication.sample import expression_names  # shared with the multiverse

    assert expression_names("(a / (b + c_1)).fillna(0)") == ["a", "b", "c_1"]
    assert expression_names("x > 1e-3 and y.isna()") == ["x", "y"]  # keywords are not columns
