"""Dyad ids and state-year keys of a type that cannot wrap around."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from foedus.data.keys import (add_dyad_ids, dyad_id, dyad_year_key, membership_key, split_dyad_year_key,
                              state_year_key, undirected_dyad_id, unit_year_key)


def test_int16_codes_do_not_wrap():
    c1 = np.array([990, 2, 710], dtype=np.int16)
    c2 = np.array([2, 990, 740], dtype=np.int16)
    assert (c1 * 1000 + c2).max() < 32768  # the bug these helpers avoid: int16 wraps around
    assert dyad_id(c1, c2).tolist() == [990002, 2990, 710740]
    assert undirected_dyad_id(c1, c2).tolist() == [2990, 2990, 710740]
    assert state_year_key(np.array([2014], dtype=np.int16), np.array([990], dtype=np.int16)).tolist() \
        == [2014990]


def test_ids_identify_dyad_years():
    codes = np.array([2, 20, 200, 710, 990], dtype=np.int16)
    a, b = np.meshgrid(codes, codes, indexing="ij")
    off = a != b
    frame = pd.DataFrame({"ccode1": np.tile(a[off], 2), "ccode2": np.tile(b[off], 2),
                          "year": np.repeat(np.array([1950, 1951], dtype=np.int16), off.sum())})
    out = add_dyad_ids(frame)
    assert out["ddyad"].dtype == np.int32 and out["dyad"].dtype == np.int32
    assert not out.duplicated(["ddyad", "year"]).any()
    assert out.groupby(["dyad", "year"]).size().eq(2).all()  # A-B and B-A share the dyad id


@pytest.mark.realdata
def test_every_panel_carries_the_ids():
    import foedus

    panel = foedus.build_panel(foedus.PanelSpec(years=(1900, 1950), alliances=None,
                                                disputes=None, covariates=None, temporal=None))
    f = panel.frame
    assert not f.duplicated(["ddyad", "year"]).any()  # 2,196 duplicates with int16 arithmetic
    assert (f["ddyad"] == f["ccode1"].astype(int) * 1000 + f["ccode2"].astype(int)).all()


def test_dyad_year_keys_do_not_wrap_sort_like_their_parts_and_split_back():
    rng = np.random.default_rng(3)
    year = rng.integers(1816, 2025, 500).astype(np.int16)
    c1 = rng.integers(2, 991, 500).astype(np.int16)
    c2 = rng.integers(2, 991, 500).astype(np.int16)
    key = dyad_year_key(year, c1, c2)
    assert key.dtype == np.int64 and key.max() > np.iinfo(np.int32).max // 2  # ~2e9: int32 would be near its end
    assert (np.argsort(key, kind="stable") == np.lexsort((c2, c1, year))).all()
    y, a, b = split_dyad_year_key(key)
    assert (y == year).all() and (a == c1).all() and (b == c2).all()
    assert dyad_year_key([2014], [990], [2]).tolist() == [2014 * 10**6 + 990 * 1000 + 2]


def test_membership_keys_nest_unit_year_and_state():
    key = membership_key(np.array([31801], dtype=np.int32), np.array([2014], dtype=np.int16),
                         np.array([990], dtype=np.int16))
    assert key.tolist() == [(31801 * 10_000 + 2014) * 1000 + 990]
    assert (key // 1000).tolist() == unit_year_key([31801], [2014]).tolist()
