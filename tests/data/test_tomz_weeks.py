"""Tomz & Weeks (2021) Study 1: the reader on the authors' extract and the port of their do-files.

The expected values are written from the raw codes with other arithmetic than the port uses
(``np.where``, sums), so a wrong rule in the port fails here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from foedus.data import SchemaError, read_tomz_weeks_2021
from foedus.data.readers import tomz_weeks
from foedus.data.registry import DataFile
from foedus.data.tomz_weeks_2021 import CONTROLS, prepare, rescale

pytestmark = pytest.mark.realdata


@pytest.fixture(autouse=True)
def _offline(raw_dir, monkeypatch):
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(raw_dir))


@pytest.fixture(scope="module")
def raw():
    return read_tomz_weeks_2021()


def test_reader_respondents_and_codes(raw):
    assert len(raw) == 1200 and raw["respondent"].is_unique
    for column, codes in tomz_weeks.VALUE_LABELS.items():
        assert raw[column].dtype == "Int8"
        assert set(raw[column].dropna().unique()) <= set(codes), column
    assert raw.drop(columns="starttime").isna().sum().sum() == 0  # no non-response in the extract
    assert (raw["weight"] > 0).all() and raw["weight"].mean() == pytest.approx(1.0, abs=1e-5)
    assert raw["starttime"].min() == pd.Timestamp("2017-04-07")
    assert (raw["pid7"] == 8).sum() > 0 and (raw["newsint"] == 7).sum() == 9


def test_reader_refuses_a_file_without_the_value_labels(raw_dir, tmp_path):
    plain = pd.read_stata(raw_dir / "tomz-weeks-2021-rep" / tomz_weeks.FILE, convert_categoricals=False)
    path = tmp_path / tomz_weeks.FILE
    plain.to_stata(path, write_index=False)  # same numbers, no value labels
    f = DataFile("tomz-weeks-2021", "rep", tomz_weeks.FILE, "0" * 64, 1, None, "")
    with pytest.raises(SchemaError, match="value label 'alliance_cond'"):
        tomz_weeks._parse(path, f)
    with pytest.raises(SchemaError, match="required column"):
        plain.drop(columns="pref").to_stata(path, write_index=False)
        tomz_weeks._parse(path, f)


def test_prepare_follows_the_do_file(raw):
    p = prepare(raw)
    assert len(p) == 1200
    a = {c: raw[c].to_numpy(dtype=float) for c in raw.columns if c != "starttime"}
    np.testing.assert_array_equal(p["ally"], a["alliance"] - 1)
    np.testing.assert_array_equal(p["dem"], a["regime"] - 1)
    np.testing.assert_array_equal(p["ints"], 2 - a["stakes"])
    np.testing.assert_array_equal(p["cost"], a["costs"] - 1)
    np.testing.assert_array_equal(p["strike2"], np.where(a["pref"] >= 4, 100.0, 0.0))
    np.testing.assert_array_equal(p["strike"], (a["pref"] - 1) * 25)
    np.testing.assert_array_equal(p["r_hm"], (a["r_hm"] - 1) * 25)
    np.testing.assert_array_equal(p["hawk"], 6 - a["hawk"])
    np.testing.assert_array_equal(p["pid7"], np.where(a["pid7"] == 8, 4, a["pid7"]))
    np.testing.assert_array_equal(p["pid3"], np.digitize(p["pid7"], [2.5, 5.5]) + 1)
    np.testing.assert_array_equal(p["nat"], (a["nat1"] + a["nat2"]) / 2)
    np.testing.assert_array_equal(p["polint"], np.where(a["newsint"] == 7, np.nan, 5 - a["newsint"]))
    np.testing.assert_array_equal(p["male"], 2 - a["gender"])
    np.testing.assert_array_equal(p["white"], (a["race"] == 1).astype(float))
    np.testing.assert_allclose(p["age"], (2016 - a["birthyr"]) / 10, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(p["ed4"], np.digitize(a["educ"], [2.5, 4.5, 5.5]) + 1)
    # attention checks: the regime check's codes are the reverse of the treatment's
    np.testing.assert_array_equal(p["ck_regime"], (a["regime"] + a["mck_regime"] == 3).astype(float))
    np.testing.assert_array_equal(p["ck_alliance"], (a["alliance"] == a["mck_alliance"]).astype(float))
    assert int(p["polint"].isna().sum()) == 9


def test_rescale_puts_the_controls_on_0_1(raw):
    q = rescale(prepare(raw))
    for c in ("hawk", "intl", "pid7", "nat", "ed4", "male", "white"):
        assert q[c].min() == 0 and q[c].max() == 1, c
    assert 0 < q["age"].min() and q["age"].max() < 1  # centuries
    np.testing.assert_array_equal(q["strike5"], q["strike"] / 25)
    assert q[list(CONTROLS)].notna().all().all()
