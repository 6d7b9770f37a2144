"""Dyad ids and state-year keys of a type that cannot wrap around."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from foedus.data.keys import add_dyad_ids, dyad_id, state_year_key, undirected_dyad_id


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
