"""Sample preparation shared by the studies and the multiverse (foedus.replication.sample),
checked by hand on tiny frames."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from foedus.replication.sample import (borrow_column, complete_rows, expression_names, float_frame,
                                       listwise, take_rows)


def test_expression_names_skip_keywords_and_attributes():
    assert expression_names("dispute ~ ptargdef + capprop") == ["dispute", "ptargdef", "capprop"]
    assert expression_names("year >= 1945 and not ongoing.isna() or prd == True") == [
        "year", "ongoing", "prd"]
    assert expression_names(None) == [] and expression_names("") == []


def test_float_frame_converts_numbers_keeps_keys_and_labels():
    frame = pd.DataFrame({"ccode1": np.array([2, 20], dtype="int16"), "ccode2": [20, 2],
                          "year": [1900, 1900], "x": pd.array([1, pd.NA], dtype="Int8"),
                          "b": [True, False], "label": ["a", "b"]})
    out = float_frame(frame, ["ccode1", "ccode2", "year", "x", "b", "label", "absent"])
    assert list(out.columns) == ["ccode1", "ccode2", "year", "x", "b", "label"]
    assert out["ccode1"].dtype == np.int16  # keys as they are
    assert out["x"].dtype == np.float64 and np.isnan(out["x"].iloc[1]) and out["x"].iloc[0] == 1.0
    assert out["b"].tolist() == [1.0, 0.0]
    assert out["label"].tolist() == ["a", "b"]


def _keys(pairs):
    return pd.DataFrame(pairs, columns=["ccode1", "ccode2", "year"])


def test_borrow_column_is_a_left_join_that_never_adds_rows():
    frame = _keys([(2, 20, 1900), (20, 2, 1900), (2, 20, 1901)])
    other = _keys([(2, 20, 1901), (2, 20, 1900)]).assign(v=[11.0, 10.0])  # other order, one missing
    assert np.array_equal(borrow_column(frame, other, "v"), [10.0, np.nan, 11.0], equal_nan=True)
    same = frame.assign(v=[1.0, 2.0, 3.0])
    assert borrow_column(frame, same, "v").tolist() == [1.0, 2.0, 3.0]  # same rows: no join
    twice = pd.concat([other, other])
    with pytest.raises(pd.errors.MergeError):
        borrow_column(frame, twice, "v")
    with pytest.raises(KeyError, match="no column 'w'"):
        borrow_column(frame, other, "w")


def test_listwise_counts_removed_rows_by_column():
    frame = pd.DataFrame({"y": [1.0, np.nan, 0.0, 1.0], "x": [np.nan, np.nan, 1.0, 2.0],
                          "w": [np.nan, 1.0, 1.0, 1.0]})
    kept, removed, by = listwise(frame, ["y", "x", "w"], exempt=["w"])
    assert removed == 2 and by == {"y": 1, "x": 2}
    assert kept["y"].tolist() == [0.0, 1.0] and list(kept.index) == [0, 1]


def test_complete_rows_counts_missing_among_the_models_rows():
    frame = pd.DataFrame({"y": [1.0, np.nan, 0.0, np.nan], "x": [np.nan, 1.0, 1.0, 2.0],
                          "w": [np.nan, 1.0, np.nan, 1.0]})
    complete, by = complete_rows(frame, ["y", "x", "w", "y"], exempt=["w"],
                                 among=np.array([True, True, True, False]))
    assert complete.tolist() == [False, False, True, False]
    assert by == {"y": 1, "x": 1}  # the NaN of y in the last row is outside the model's rows


def test_take_rows_takes_once_and_shares_all_rows():
    frame = pd.DataFrame({"k": np.array([3, 1, 2], dtype="int16"), "x": [1.0, np.nan, 3.0],
                          "label": ["a", "b", "c"]}, index=[10, 11, 12])
    taken = take_rows(frame, np.array([0, 2]))
    assert taken["x"].tolist() == [1.0, 3.0] and taken["label"].tolist() == ["a", "c"]
    assert list(taken.index) == [0, 1] and taken.dtypes.equals(frame.dtypes)
    whole = take_rows(frame, None)
    assert np.shares_memory(whole["x"].to_numpy(), frame["x"].to_numpy())  # no copy
    whole.loc[0, "x"] = -1.0  # copy-on-write: the panel is never changed through the sample
    assert frame["x"].iloc[0] == 1.0
