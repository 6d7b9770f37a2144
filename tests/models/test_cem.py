"""Coarsened exact matching (foedus.models.cem) against hand computation, Stata cem's rules
(cem-mata.do) and invariants."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foedus.models.cem import CEMWeights, cem, coarsen, cutpoints_for, l1_imbalance


def toy():
    # t: treatment; x coarsened at (2, 5); g matched exactly
    return pd.DataFrame({
        "t": [1, 1, 0, 0, 0, 1, 0, 0, 1],
        "x": [1.0, 2.0, 1.5, 2.5, 9.0, 9.0, np.nan, 3.0, 4.0],
        "g": [0, 0, 0, 0, 1, 1, 1, 1, 1],
    })


def test_hand_computed_weights():
    res = cem(toy(), "t", {"x": [2, 5]}, exact=["g"])
    # codes of x with cutpoints (2, 5): [x >= 2] + [x > 5]; missing -> 2 (Stata's . is largest)
    #   x:    1  2  1.5 2.5 9  9  .  3  4
    #   code: 0  1  0   1   2  2  2  1  1
    # strata (x code, g): A=(0,0): rows 0(T),2(C); B=(1,0): rows 1(T),3(C);
    #   C=(1,1): rows 7(C),8(T); D=(2,1): rows 4(C),5(T),6(C)
    # m_T = 4 treated, m_C = 5 controls, all matched; control weight (m_C/m_T)(n_T^s/n_C^s):
    #   A, B, C: 5/4 * 1/1 = 1.25; D: 5/4 * 1/2 = 0.625
    expected = np.array([1, 1, 1.25, 1.25, 0.625, 1, 0.625, 1.25, 1])
    np.testing.assert_allclose(res.weights, expected)
    assert res.matched.all() and res.n_strata == 4 and res.n_matched_strata == 4
    assert list(res.strata) == [0, 1, 0, 1, 3, 3, 3, 2, 2]  # sorted (code, g) order
    assert res.counts.loc["Matched"].tolist() == [5, 4]


def test_unmatched_strata_get_zero():
    d = toy()
    d.loc[8, "t"] = 0  # stratum C now has controls only; m_T = 3, m_C = 6 - 2 = 4 matched
    res = cem(d, "t", {"x": [2, 5]}, exact=["g"])
    assert not res.matched[[7, 8]].any()
    np.testing.assert_allclose(res.weights[[7, 8]], 0)
    # A, B: 4/3 * 1/1; D: 4/3 * 1/2
    np.testing.assert_allclose(res.weights[[2, 3, 4, 6]], [4 / 3, 4 / 3, 2 / 3, 2 / 3])
    assert res.counts.loc["Unmatched"].tolist() == [2, 0]


def test_coarsen_rules_of_stata():
    cuts = np.array([4.0, 6.0, 8.0])
    x = np.array([3.9, 4.0, 5.0, 6.0, 6.5, 8.0, 8.1, np.nan])
    assert coarsen(x, cuts).tolist() == [0, 1, 1, 1, 2, 2, 3, 3]
    # "#k": k equally spaced cutpoints from min to max (Mata rangen), k - 1 intervals
    np.testing.assert_allclose(cutpoints_for(np.array([0.0, 10.0, 3.0]), 3), [0, 5, 10])
    # one cutpoint c means (min, c)
    np.testing.assert_allclose(cutpoints_for(np.array([1.0, 7.0]), [3]), [1, 3])
    assert cutpoints_for(x, 0) is None
    # Sturges: ceil(log2(n) + 1) cutpoints, n = every row
    assert cutpoints_for(np.arange(100.0), "sturges").size == 8
    with pytest.raises(ValueError, match="unknown binning"):
        cutpoints_for(x, "nope")


def test_l1_hand_case():
    d = pd.DataFrame({"z": [0.0, 0.0, 1.0, 1.0, 1.0, 0.0]})
    t = np.array([1, 1, 1, 0, 0, 0], bool)
    # Scott gives ceil(1 / (3.5 sd 6^(-1/3))) = 1 cutpoint here: one cell, no imbalance
    assert l1_imbalance(d, t) == 0
    # 3 cutpoints (0, .5, 1): cells {0}, {1}; treated shares (2/3, 1/3), controls (1/3, 2/3)
    assert l1_imbalance(d, t, breaks=3) == pytest.approx(1 / 3)
    assert l1_imbalance(d, t, weights=np.array([1, 1, 1, 2, 2, 4]), breaks=3) == pytest.approx(
        0.5 * (abs(2 / 3 - 4 / 8) + abs(1 / 3 - 4 / 8)))


def test_bad_input():
    d = toy()
    d.loc[0, "t"] = np.nan
    with pytest.raises(ValueError, match="0/1"):
        cem(d, "t", {"x": [2]})
    with pytest.raises(KeyError, match="nope"):
        cem(toy(), "t", ["nope"])


def test_cem_weights_hook():
    w, note = CEMWeights("t", (("x", (2, 5)),), exact=("g",), label="A3")(toy())
    assert np.isnan(w).sum() == 0 and note.startswith("A3: CEM: 4 strata")
    d = toy()
    d.loc[8, "t"] = 0
    w, _ = CEMWeights("t", (("x", (2, 5)),), exact=("g",))(d)
    assert np.isnan(w[[7, 8]]).all()


def _slow_weights(frame, treat, cols):
    """Stratum by stratum, from the definition (a loop: tests only)."""
    keys = [tuple(r) for r in frame[cols].itertuples(index=False)]
    t = frame[treat].to_numpy()
    strata = {}
    for i, k in enumerate(keys):
        strata.setdefault(k, []).append(i)
    matched = [s for s in strata.values() if t[s].min() == 0 and t[s].max() == 1]
    m_t = sum(int(t[s].sum()) for s in matched)
    m_c = sum(len(s) - int(t[s].sum()) for s in matched)
    w = np.zeros(len(frame))
    for s in matched:
        nt = t[s].sum()
        nc = len(s) - nt
        for i in s:
            w[i] = 1.0 if t[i] == 1 else (m_c / m_t) * (nt / nc)
    return w


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 3), st.integers(0, 2),
                          st.floats(0, 10, allow_nan=False)), min_size=2, max_size=60))
def test_properties(rows):
    d = pd.DataFrame(rows, columns=["t", "a", "b", "x"])
    res = cem(d, "t", {"x": [2.5, 5, 7.5]}, exact=["a", "b"])
    t = d["t"].to_numpy() == 1
    m_c = res.counts.loc["Matched", 0]
    # control weights sum to the matched controls; treated matched weigh 1; unmatched 0
    assert res.weights[~t].sum() == pytest.approx(m_c)
    assert np.all(res.weights[t & res.matched] == 1)
    assert np.all(res.weights[~res.matched] == 0)
    # within a matched stratum, weighted controls equal the treated count
    for s in np.unique(res.strata[res.matched]):
        in_s = res.strata == s
        ratio = m_c / max(res.counts.loc["Matched", 1], 1)
        assert res.weights[in_s & ~t].sum() == pytest.approx(ratio * (in_s & t).sum())
    d["xc"] = coarsen(d["x"].to_numpy(), np.array([2.5, 5, 7.5]))
    np.testing.assert_allclose(res.weights, _slow_weights(d, "t", ["xc", "a", "b"]))


def test_cell_codes_equal_a_sorted_groupby_for_bin_codes_and_for_other_values():
    """The mixed-radix fast path numbers the cells exactly as pandas' sorted groupby does."""
    from foedus.models.cem import _cells

    rng = np.random.default_rng(3)
    bins = [rng.integers(0, k, 5000).astype(float) for k in (7, 2, 31, 5)]
    other = [bins[0], rng.normal(size=5000).round(1)]  # not bin codes: the groupby path
    other[1][::50] = np.nan
    for cols in (bins, other):
        frame = pd.DataFrame({i: c for i, c in enumerate(cols)})
        expected = frame.groupby(list(frame.columns), sort=True, dropna=False).ngroup().to_numpy()
        np.testing.assert_array_equal(_cells(cols), expected)


def test_cell_codes_with_missing_exact_values_and_a_radix_that_would_overflow():
    """NaN in an exact column sorts last (as the groupby); 40 columns of 8 values overflow int64
    as one mixed-radix number, so the combinations are renumbered on the way."""
    from foedus.models.cem import _cells

    rng = np.random.default_rng(5)
    jdem = rng.integers(0, 2, 3000).astype(float)
    jdem[::7] = np.nan
    many = [rng.integers(0, 8, 3000).astype(np.int64) for _ in range(40)]
    for cols in ([jdem, rng.integers(0, 5, 3000)], many):
        frame = pd.DataFrame({i: c for i, c in enumerate(cols)})
        expected = frame.groupby(list(frame.columns), sort=True, dropna=False).ngroup().to_numpy()
        np.testing.assert_array_equal(_cells(cols), expected)


def test_repeated_design_is_memoised_and_new_data_is_not():
    """The same design on equal rows returns the memoised result (read-only arrays); a changed
    value gives a freshly computed one; the L1 before does not depend on the coarsening."""
    d = toy()
    a = cem(d.copy(), "t", {"x": [2, 5]}, exact=["g"])
    assert cem(d.copy(), "t", {"x": [2, 5]}, exact=["g"]) is a
    assert not a.weights.flags.writeable
    other = cem(d, "t", {"x": [3]}, exact=["g"])
    assert other.L1_before == a.L1_before
    d.loc[4, "x"] = 1.0  # stratum D loses a control to (0, 1)
    b = cem(d, "t", {"x": [2, 5]}, exact=["g"])
    assert b is not a and not np.array_equal(a.weights, b.weights)
    raw = d[["x", "g"]]
    assert b.L1_before == l1_imbalance(raw, d["t"].to_numpy() == 1)
    assert b.L1_after == l1_imbalance(raw, d["t"].to_numpy() == 1, b.weights)


@pytest.mark.parametrize("values", [
    [0.0, 1.0, np.nan, 1.0, 0.0, np.nan],  # 0/1 with missing values: the bincount path
    [3.0, 0.0, 17.0, 3.0, 5.0],  # small counts without missing values
    [0.5, -2.0, np.nan, 0.5, 1e9],  # not small non-negative integers: the sort
    [4, 1, 1, 9],  # integers
])
def test_distinct_values_equal_numpy_unique(values):
    from foedus.models.cem import _distinct

    c = np.array(values)
    u, inverse = _distinct(c)
    u0, inverse0 = np.unique(c, return_inverse=True)
    np.testing.assert_array_equal(u, u0)
    np.testing.assert_array_equal(inverse, inverse0.reshape(-1))
    assert u.dtype == c.dtype
