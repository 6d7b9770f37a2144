"""midcount (earlier MID onsets of the dyad) and the Thompson & Dreyer rivalry step, against
slow loops and hand cases."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foedus.data.rivalries import COVERAGE, add_rivalries, rivalry_dyad_years
from foedus.data.temporal import prior_onsets


def test_prior_onsets_hand_case():
    # dyad (2, 20): onsets in 1990 and 1992; a gap year 1993 missing; NaN in 1994
    f = pd.DataFrame({"ccode1": [2, 2, 2, 2, 2, 20, 20], "ccode2": [20, 20, 20, 20, 20, 2, 2],
                      "year": [1992, 1990, 1991, 1995, 1994, 1990, 1991],
                      "onset": [1, 1, 0, 0, np.nan, 1, 0]})
    out = prior_onsets(f.ccode1, f.ccode2, f.year, f.onset)
    np.testing.assert_array_equal(out, [1, 0, 1, 2, np.nan, 0, 1])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1900, 1930), st.integers(0, 1)),
                min_size=1, max_size=80, unique_by=lambda r: (r[0], r[1])))
def test_prior_onsets_against_loop(rows):
    f = pd.DataFrame(rows, columns=["dyad", "year", "onset"]).sample(frac=1, random_state=1)
    f["ccode1"], f["ccode2"] = 2 + f["dyad"] % 2, 20 + f["dyad"] // 2
    out = prior_onsets(f.ccode1, f.ccode2, f.year, f.onset)
    for i, r in enumerate(f.itertuples()):
        same = f[(f.ccode1 == r.ccode1) & (f.ccode2 == r.ccode2) & (f.year < r.year)]
        assert out[i] == same["onset"].sum()


def test_rivalry_years_hand_case():
    riv = pd.DataFrame({"ccode1": [200, 220, 2], "ccode2": [220, 200, 20],
                        "styear": [1800, 1820, 1900], "endyear": [1815, 1822, 1901]})
    t = rivalry_dyad_years(riv)
    got = t.set_index(["ccode1", "ccode2", "year"])["rivalyears"]
    assert got[(200, 220, 1800)] == 1 and got[(220, 200, 1815)] == 16
    assert got[(220, 200, 1821)] == 2 and got[(2, 20, 1901)] == 2 and got[(20, 2, 1900)] == 1
    assert len(t) == 2 * (16 + 3 + 2)


@pytest.mark.realdata
def test_rivalry_step_on_real_data(raw_dir):
    frame = pd.DataFrame({"ccode1": [200, 220, 200, 2, 2, 2], "ccode2": [220, 200, 220, 20, 365, 365],
                          "year": [1600, 1720, 1850, 1900, 1950, 2012]})
    out = add_rivalries(frame.copy(), spec=None)
    # Britain-France 1 1494-1716, Britain-France 2 1731-1904 (td_rivalries)
    assert out["rivalyears"].tolist()[:3] == [1600 - 1494 + 1, 0, 1850 - 1731 + 1]
    assert out["rivalry"].tolist()[:4] == [1, 0, 1, 0]
    assert out["rivalyears"].iloc[4] > 0  # US-Russia in 1950
    assert np.isnan(out["rivalyears"].iloc[5]) and 2012 > COVERAGE[1]
