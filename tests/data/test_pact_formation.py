"""Kenwick & Vasquez (2017) pact-formation variables against a slow per-dyad loop written
from gen_vars.do, on random worlds and on real years."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foedus.data.pact_formation import COLUMNS, formation_variables


def slow(frame: pd.DataFrame) -> pd.DataFrame:
    """gen_vars.do, row by row within each directed dyad sorted by year (tests only)."""
    out = pd.DataFrame(0.0, index=frame.index, columns=list(COLUMNS))
    for _, g in frame.sort_values(["ccode1", "ccode2", "year"]).groupby(["ccode1", "ccode2"]):
        idx = list(g.index)
        S = [set(int(x) for x in s.split(";")) if s else set() for s in g["targdef_ids"]]
        years = list(g["year"])
        new = [set()] + [S[t] - S[t - 1] for t in range(1, len(S))]
        birth = S[0]
        for t, i in enumerate(idx):
            def lagged(rows_back, years_back):
                hit = bool(new[t])
                for k in range(1, rows_back + 1):
                    if t - k >= 0 and years[t - k] >= years[t] - years_back and new[t - k] & S[t]:
                        hit = True
                return hit
            ptd = frame.at[i, "ptargdef"] == 1
            f5, f15 = lagged(4, 5), lagged(14, 15)
            f6 = ptd and not f5 and f15
            allfb = bool(S[t]) and S[t] <= birth
            out.loc[i] = [float(v) for v in (bool(new[t]), f5, f15, f6, bool(S[t] & birth), allfb,
                                             ptd and not allfb,
                                             ptd and not f5 and not f6 and not allfb)]
    return out


def fast(frame):
    cols = formation_variables(frame["ccode1"], frame["ccode2"], frame["year"],
                               frame["targdef_ids"], frame["ptargdef"].to_numpy(float))
    return pd.DataFrame(cols, index=frame.index)[list(COLUMNS)]


def test_hand_case():
    # one dyad; pact 10 from birth, 20 formed in 1903 (a gap year 1902 absent), dropped 1906
    f = pd.DataFrame({"ccode1": 2, "ccode2": 20, "year": [1900, 1901, 1903, 1904, 1905, 1906],
                      "targdef_ids": ["10", "10", "10;20", "20", "20", ""],
                      "ptargdef": [1, 1, 1, 1, 1, 0]})
    got = fast(f)
    assert got["def_form"].tolist() == [0, 0, 1, 0, 0, 0]
    assert got["def_form_5yr"].tolist() == [0, 0, 1, 1, 1, 0]
    assert got["fbdef"].tolist() == [1, 1, 1, 0, 0, 0]
    assert got["all_from_birth"].tolist() == [1, 1, 0, 0, 0, 0]
    assert got["nfbdef"].tolist() == [0, 0, 1, 1, 1, 0]


ids = st.lists(st.sampled_from([3075, 3150, 3180, 4000]), max_size=3, unique=True)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(1900, 1925), ids), min_size=1,
                max_size=60, unique_by=lambda r: (r[0], r[1])))
def test_against_slow_loop_random_worlds(rows):
    f = pd.DataFrame(rows, columns=["dyad", "year", "pacts"]).sample(frac=1, random_state=0)
    f["ccode1"], f["ccode2"] = 2 + f["dyad"], 20
    f["targdef_ids"] = [";".join(map(str, sorted(p))) for p in f["pacts"]]
    f["ptargdef"] = (f["targdef_ids"] != "").astype(float)
    f = f.reset_index(drop=True)
    pd.testing.assert_frame_equal(fast(f), slow(f), check_dtype=False)


@pytest.mark.realdata
def test_against_slow_loop_real_years(raw_dir):
    from foedus.data.panel import build_panel
    from foedus.replication.leeds_johnson_2017 import debate_spec
    from foedus.replication.study import spec_variant

    spec = spec_variant(debate_spec("mid50"), years=(1935, 1960),
                        alliances={"secret": "exclude", "pact_formation": "kv2017"})
    panel = build_panel(spec, cache=False, columns=["targdef_ids", "ptargdef", *COLUMNS]).frame
    ally = panel[panel["ccode2"].isin([2, 200, 365, 710, 220])].copy()  # targets with many pacts
    ally["ptargdef"] = ally["ptargdef"].astype(float)
    assert ally["def_form"].sum() > 0 and ally["def_form_16plus"].sum() > 0
    pd.testing.assert_frame_equal(ally[list(COLUMNS)].astype(float), slow(ally), check_dtype=False)
