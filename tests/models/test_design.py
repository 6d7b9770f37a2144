"""The block-assembled design of plain formulas equals formulaic's, rows and all."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from foedus.models._design import _formulaic_design, _plain_design, _plain_formula, build_design


@pytest.fixture
def frame():
    rng = np.random.default_rng(3)
    n = 500
    jdem = pd.array(rng.integers(0, 2, n), dtype="Int8")
    jdem[rng.random(n) < 0.1] = pd.NA
    dist = rng.normal(7, 1, n)
    dist[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame({
        "dispute": rng.integers(0, 2, n).astype("int8"),
        "jdem": jdem,
        "ln_distance": dist,
        "capprop": rng.random(n),
        "flag": rng.random(n) < 0.5,
    }, index=np.arange(n) * 3 + 7)  # a non-positional index, as a filtered panel has


def test_plain_formula_matches_formulaic(frame):
    formula = "dispute ~ jdem + ln_distance + capprop"
    assert _plain_formula(formula, frame) == ("dispute", ["jdem", "ln_distance", "capprop"])
    fast = _plain_design(frame, *_plain_formula(formula, frame))
    slow = _formulaic_design(formula, frame)
    np.testing.assert_array_equal(fast[0], slow[0])
    np.testing.assert_array_equal(fast[1], slow[1])
    assert fast[2:4] == slow[2:4]
    np.testing.assert_array_equal(fast[4], slow[4])


@pytest.mark.parametrize("formula", [
    "dispute ~ jdem + flag",              # boolean: formulaic codes it as a category
    "dispute ~ jdem * capprop",           # interaction
    "dispute ~ np.log(capprop)",          # transform
    "dispute ~ jdem + capprop - 1",       # no intercept
    "dispute ~ jdem + jdem",              # repeated term
    "dispute ~ missing_column",
])
def test_anything_else_goes_through_formulaic(frame, formula):
    assert _plain_formula(formula, frame) is None


def test_rows_kept_are_the_users_rows(frame):
    d = build_design("dispute ~ jdem + ln_distance", frame)
    complete = frame["jdem"].notna() & frame["ln_distance"].notna()
    assert d.frame.index.equals(frame.index[complete.to_numpy()])
    assert d.n_dropped == int((~complete).sum())
    assert set(d.dropped_by) == {"jdem", "ln_distance"}


def test_design_assembled_in_blocks_equals_a_column_stack():
    from foedus.models._design import _BLOCK_ROWS, _assemble

    rng = np.random.default_rng(5)
    n = 2 * _BLOCK_ROWS + 17  # two whole blocks and a partial one
    cols = [rng.standard_normal(n) for _ in range(3)]
    X = _assemble(cols, n, intercept=True)
    assert X.flags.c_contiguous
    np.testing.assert_array_equal(X, np.column_stack([np.ones(n), *cols]))
    np.testing.assert_array_equal(_assemble(cols, n, intercept=False), np.column_stack(cols))


def test_plain_design_over_several_blocks_matches_formulaic():
    from foedus.models._design import _BLOCK_ROWS

    rng = np.random.default_rng(8)
    n = 2 * _BLOCK_ROWS + 5
    frame = pd.DataFrame({"y": rng.integers(0, 2, n).astype(float), "a": rng.standard_normal(n),
                          "b": pd.array(rng.integers(0, 3, n), dtype="Int16")})
    frame.loc[[0, _BLOCK_ROWS, n - 1], "y"] = np.nan
    frame.loc[[1, _BLOCK_ROWS + 3], "a"] = np.nan
    frame.loc[[2, n - 2], "b"] = pd.NA
    fast = _plain_design(frame, "y", ["a", "b"])
    slow = _formulaic_design("y ~ a + b", frame)
    for got, want in zip(fast[:2] + fast[4:5], slow[:2] + slow[4:5]):
        np.testing.assert_array_equal(got, want)
    assert fast[1].flags.c_contiguous and fast[0].size == n - 7
