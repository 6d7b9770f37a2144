"""Readers of the alliance-reliability data (Leeds & Anac 2005, Berkemeier & Fuhrmann 2018) and of the
COW inter-state war participants, checked against the raw files read independently with pandas."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from foedus.data import DataFile, Dataset, Registry, SchemaError, use_registry
from foedus.data.fetch import sha256_file
from foedus.data.readers import (clear_memory_cache, read_berkemeier_fuhrmann_2018, read_cow_interstate_war,
                                 read_leeds_anac_2005)

BF = "berkemeier-fuhrmann-2018-rep/BerkemeierFuhrmannRAP2018_0303.dta"
LA = "leeds-anac-2005-rep/LeedsAnacIIrep.dta"
WAR = "cow-war-4.0/Inter-StateWarData_v4.0.csv"


@pytest.mark.realdata
def test_berkemeier_fuhrmann_matches_raw(raw_dir):
    raw = pd.read_stata(raw_dir / BF, convert_categoricals=False)
    bf = read_berkemeier_fuhrmann_2018()
    assert len(bf) == 576 and not bf.duplicated(["atopid", "warid"]).any()
    assert bf.warid.tolist() == raw.warid.astype(int).tolist()
    for coding in ("LLM", "BF"):
        for cat in ("dna", "honor", "violate", "nonagg", "consul", "cfna"):
            assert bf[f"{cat}{coding}"].tolist() == (raw[f"{cat}{coding}"] == 1).tolist()
        assert bf[f"sabroskyhonor{coding}"].tolist() == (raw[f"sabroskyhonor{coding.lower()}"] == 1).tolist()
    # Raw counts: 73 honored / 73 violated under the LLM coding, 69 / 70 under BF.
    assert (bf.honorLLM.sum(), bf.violateLLM.sum(), bf.honorBF.sum(), bf.violateBF.sum()) == (73, 73, 69, 70)
    assert bf.sabhon.notna().sum() == 47 and bf.cowwarid.isna().sum() == 38
    assert bf.warname.iloc[0] == "Austro-Sardinian1848-1849"


@pytest.mark.realdata
def test_leeds_anac_matches_raw(raw_dir):
    raw = pd.read_stata(raw_dir / LA)
    la = read_leeds_anac_2005()
    assert la.shape == (137, 16)
    assert (la.dtypes.astype(str) != "float32").all()
    pd.testing.assert_frame_equal(la.astype("float64"), raw.astype("float64"))


@pytest.mark.realdata
def test_cow_interstate_war_matches_raw(raw_dir):
    text = (raw_dir / WAR).read_bytes().decode("utf-8-sig").replace("\r", "\n")
    raw = pd.read_csv(io.StringIO(text))
    war = read_cow_interstate_war()
    assert len(war) == 337 and war.WarNum.nunique() == raw.WarNum.nunique()
    # World War II (139), France (raw lines): side 1 from 3 Sept 1939 to 22 June 1940 and again
    # 23 Oct 1944 - 14 Aug 1945 (second spell); side 2 (Vichy) 7 July 1940 - 14 July 1941.
    fra = war[(war.WarNum == 139) & (war.ccode == 220)].set_index("Side")
    assert fra.loc[1, "start"] == pd.Timestamp("1939-09-03")
    assert fra.loc[1, "end"] == pd.Timestamp("1945-08-14")
    assert fra.loc[2, "start"] == pd.Timestamp("1940-07-07") and fra.loc[2, "end"] == pd.Timestamp("1941-07-14")
    # Two spells: the end is the end of the second spell; -8 (no second spell) is NA.
    two = raw.StartYear2 > 0
    assert war.loc[two.to_numpy(), "EndYear2"].notna().all() and war.loc[~two.to_numpy(), "EndYear2"].isna().all()
    assert (war.loc[two.to_numpy(), "end"].dt.year == raw.loc[two, "EndYear2"].to_numpy()).all()
    assert war.TransFrom.dropna().str.contains(",").sum() == 2  # "404, 410" (Spanish-American)
    assert war.Initiator.sum() == (raw.Initiator == 1).sum()


def _lay_out(tmp_path: Path, monkeypatch, frame: pd.DataFrame, **to_stata) -> Registry:
    folder = tmp_path / "data" / "leeds-anac-2005-rep"
    folder.mkdir(parents=True)
    path = folder / "LeedsAnacIIrep.dta"
    frame.to_stata(path, write_index=False, **to_stata)
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    clear_memory_cache()
    f = DataFile("leeds-anac-2005", "rep", "LeedsAnacIIrep.dta", sha256_file(path), path.stat().st_size,
                 len(frame), mirror="")
    return Registry([Dataset("leeds-anac-2005", "rep", "toy", "http://example.org", files=(f,))])


def _toy_la(n: int = 4) -> pd.DataFrame:
    cols = ["war", "atopid", "ccode1", "honor3", "milinst", "formal", "chcap2d", "dinstch2", "origtar1",
            "honor2", "chalcapd", "chcp2d20", "regch2", "wartime", "active", "bilat"]
    out = pd.DataFrame(0.0, index=range(n), columns=cols, dtype="float32")
    out["war"], out["atopid"], out["ccode1"] = 10.0, 1000.0 + 5 * np.arange(n), 300.0
    return out


def test_leeds_anac_toy_reads(tmp_path, monkeypatch):
    with use_registry(_lay_out(tmp_path, monkeypatch, _toy_la())):
        la = read_leeds_anac_2005()
    assert la.atopid.tolist() == [1000, 1005, 1010, 1015] and la.honor3.dtype == "int8"


def test_leeds_anac_bad_value_names_file_column_row(tmp_path, monkeypatch):
    toy = _toy_la()
    toy.loc[2, "milinst"] = 3.0  # milinst runs 0-2
    with use_registry(_lay_out(tmp_path, monkeypatch, toy)), pytest.raises(SchemaError) as info:
        read_leeds_anac_2005()
    msg = str(info.value)
    assert "LeedsAnacIIrep.dta" in msg and "'milinst'" in msg and "4" in msg  # row 3 = line 4


def test_value_labels_are_refused(tmp_path, monkeypatch):
    toy = _toy_la()
    toy["honor3"] = toy["honor3"].astype("int8")
    reg = _lay_out(tmp_path, monkeypatch, toy, value_labels={"honor3": {0: "violated", 1: "honored"}})
    with use_registry(reg), pytest.raises(SchemaError, match="value labels"):
        read_leeds_anac_2005()


@pytest.mark.realdata
@pytest.mark.parametrize("edit, message", [
    ({"honorLLM": 1.0}, "not exactly one per row"),  # row 0 is dnaLLM = 1: now dna and honor
    ({"sabhon": 1.0, "sabvio": 1.0}, "not complementary"),
    ({"violateBF": 2.0}, "expected 1 or missing"),
])
def test_berkemeier_fuhrmann_rules_are_checked(raw_dir, tmp_path, monkeypatch, edit, message):
    raw = pd.read_stata(raw_dir / BF, convert_categoricals=False)
    for column, value in edit.items():
        raw.loc[0, column] = value
    folder = tmp_path / "data" / "berkemeier-fuhrmann-2018-rep"
    folder.mkdir(parents=True)
    path = folder / "BerkemeierFuhrmannRAP2018_0303.dta"
    raw.to_stata(path, write_index=False)
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    clear_memory_cache()
    f = DataFile("berkemeier-fuhrmann-2018", "rep", "BerkemeierFuhrmannRAP2018_0303.dta", sha256_file(path),
                 path.stat().st_size, 576, mirror="")
    reg = Registry([Dataset("berkemeier-fuhrmann-2018", "rep", "edited", "http://example.org", files=(f,))])
    with use_registry(reg), pytest.raises(SchemaError, match=message) as info:
        read_berkemeier_fuhrmann_2018()
    assert "BerkemeierFuhrmannRAP2018_0303.dta" in str(info.value) and "2" in str(info.value)  # line 2 = row 0
    clear_memory_cache()
