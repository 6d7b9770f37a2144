"""predict on new rows from the fit's formula (plain column stacks and formulaic designs)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

import foedus.models as fm


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(3)
    n = 3000
    f = pd.DataFrame({"x": rng.normal(size=n), "z": rng.uniform(1, 5, n),
                      "g": rng.choice(["a", "b", "c"], n)})
    eta = -0.5 + 0.8 * f["x"] - 0.3 * np.log(f["z"]) + (f["g"] == "b") * 0.4
    f["y"] = (rng.random(n) < special.expit(eta)).astype(float)
    return f


def test_plain_formula_predicts_new_rows(frame):
    res = fm.logit("y ~ x + z", frame)
    new = pd.DataFrame({"x": [0.0, 1.0, np.nan], "z": [2.0, 3.0, 1.0]})
    b = res.params
    expected = special.expit(b["Intercept"] + b["x"] * new["x"] + b["z"] * new["z"]).to_numpy()
    got = res.predict(new)
    np.testing.assert_allclose(got[:2], expected[:2], rtol=1e-12)
    assert np.isnan(got[2])  # a missing value gives a missing prediction, in place
    np.testing.assert_allclose(res.predict(new, linear=True)[:2], special.logit(expected[:2]))


def test_formulaic_design_is_rebuilt_on_new_rows(frame):
    res = fm.probit("y ~ x + np.log(z) + C(g)", frame)
    new = frame.head(5)[["x", "z", "g"]].iloc[::-1]
    np.testing.assert_allclose(res.predict(new), res.predict()[:5][::-1], rtol=1e-12)
    one = pd.DataFrame({"x": [0.3], "z": [2.0], "g": ["c"]})  # one level only: coding kept
    b = res.params
    eta = b["Intercept"] + 0.3 * b["x"] + np.log(2.0) * b["np.log(z)"] + b["C(g)[T.c]"]
    np.testing.assert_allclose(res.predict(one), special.ndtr([eta]), rtol=1e-12)


def test_design_matrix_still_accepted_and_arrays_need_arrays(frame):
    res = fm.logit("y ~ x + z", frame)
    X = np.column_stack([np.ones(2), [0.0, 1.0], [2.0, 3.0]])
    np.testing.assert_allclose(res.predict(X), res.predict(pd.DataFrame({"x": [0.0, 1.0],
                                                                         "z": [2.0, 3.0]})))
    arr = fm.logit(endog=frame["y"], exog=np.column_stack([np.ones(len(frame)), frame["x"]]))
    with pytest.raises(ValueError, match="fitted from arrays"):
        arr.model.design.exog_for(frame)
    with pytest.raises(KeyError, match="lack the formula's column"):
        res.predict(pd.DataFrame({"x": [1.0]}))


def test_relogit_and_ols_predict_new_rows(frame):
    new = pd.DataFrame({"x": [0.5], "z": [2.5]})
    rel = fm.relogit("y ~ x + z", frame)
    X = np.array([[1.0, 0.5, 2.5]])
    np.testing.assert_allclose(rel.predict(new), rel.predict(X), rtol=1e-12)
    ols = fm.ols("y ~ x + z", frame)
    np.testing.assert_allclose(ols.predict(new), X @ ols.params.to_numpy(), rtol=1e-12)


def test_summary_shows_events_and_small_coefficients(frame):
    f = frame.assign(x3=frame["x"] ** 3 * 1e3)  # a coefficient of order 1e-5
    res = fm.logit("y ~ x + x3", f)
    text = str(res.summary())
    assert "Events (y = 1):" in text and f"{int(f['y'].sum()):,}" in text
    assert res.n_events == int(f["y"].sum())
    row = next(line for line in text.splitlines() if line.startswith("x3"))
    assert "0.0000 " not in row and "e-" not in row  # significant digits, positional
