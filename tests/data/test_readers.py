"""Every reader on its real file: row counts, keys, dtypes and known facts."""
from __future__ import annotations

import pandas as pd
import pytest

import foedus.data as fd
from foedus.data.registry import default_registry

pytestmark = pytest.mark.realdata


@pytest.fixture(autouse=True)
def _offline(raw_dir, monkeypatch):
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(raw_dir))


def rows(dataset, version, name):
    return default_registry().get(dataset, version).file(name).rows


def test_states():
    s = fd.read_states()
    assert len(s) == 243 == rows("cow-states", "2016", "states2016.csv")
    assert s["ccode"].nunique() == 217
    assert s["ccode"].dtype == "int16" and s["styear"].dtype == "int16"
    assert s["start"].dtype == "datetime64[ns]"
    usa = s[s.ccode == 2].iloc[0]
    assert usa.start == pd.Timestamp("1816-01-01") and usa.end == pd.Timestamp("2016-12-31")


def test_system_and_majors():
    sy = fd.read_system()
    assert len(sy) == 15951 and not sy.duplicated(["ccode", "year"]).any()
    assert list(sy.columns[:3]) == ["stateabb", "ccode", "year"]
    assert sy.year.min() == 1816 and sy.year.max() == 2016
    assert sy.ccode.nunique() == 217
    m = fd.read_majors()
    assert len(m) == 14
    assert m.loc[m.ccode == 2, "start"].iloc[0] == pd.Timestamp("1898-08-13")


def test_mid_disputes_5():
    a = fd.read_mid_disputes("5.0")
    assert len(a) == 2436 and a.dispnum.is_unique
    assert a.styear.min() == 1816 and a.endyear.max() == 2014
    assert (a.start <= a.end).all()
    assert a.stday.isna().any() and not (a.stday == -9).any()


@pytest.mark.parametrize("version", ["5.0", "4.3", "4.2"])
def test_mid_disputes_versions(version):
    a = fd.read_mid_disputes(version)
    assert len(a) == rows("cow-mid", version, fd.readers.mid.MIDA_FILES[version])
    assert a.dispnum.is_unique
    assert (a.start <= a.end).all()


@pytest.mark.parametrize("version", ["5.0", "4.3", "4.2", "3.10"])
def test_mid_participants_one_schema(version):
    b = fd.read_mid_participants(version)
    assert len(b) == rows("cow-mid", version, fd.readers.mid.MIDB_FILES[version])
    assert list(b.columns[:len(fd.readers.mid.PARTICIPANT_COLUMNS)]) == fd.readers.mid.PARTICIPANT_COLUMNS
    assert b.ccode.dtype == "int16" and b.stday.dtype == "Int8" and b.orig.dtype == bool
    assert (b.version == version).all()
    assert (b.start <= b.end).all()
    assert not (b[["stday", "endday", "fatality", "hiact"]] == -9).any().any()


def test_midb5_disputes_in_mida5():
    a, b = fd.read_mid_disputes("5.0"), fd.read_mid_participants("5.0")
    assert set(b.dispnum) <= set(a.dispnum)
    assert set(a.dispnum) <= set(b.dispnum)


def test_mid_widest_interval_dates():
    b = fd.read_mid_participants("5.0")
    row = b[(b.dispnum == 2) & (b.ccode == 2)].iloc[0]  # stday -9, July 1902 .. 24 Jan 1903
    assert pd.isna(row.stday) and row.start == pd.Timestamp("1902-07-01")
    assert row.end == pd.Timestamp("1903-01-24")
    unknown_end = b[b.endday.isna()].iloc[0]
    assert unknown_end.end == (pd.Timestamp(int(unknown_end.endyear), int(unknown_end.endmon), 1)
                               + pd.offsets.MonthEnd(0))


def test_mid4_dispnum3_is_dispnum():
    b = fd.read_mid_participants("4.3")
    raw = pd.read_csv(fd.resolve(default_registry().get("cow-mid", "4.3").file("MIDB 4.3.csv")))
    assert (b.dispnum.to_numpy() == raw.dispnum3.to_numpy()).all()
    assert b.dispnum4.notna().sum() == (raw.dispnum4 != -9).sum()


def test_gml_participants_schema():
    g = fd.read_gml_participants()
    b = fd.read_mid_participants("5.0")
    cols = fd.readers.mid.PARTICIPANT_COLUMNS
    assert list(g.columns[:len(cols)]) == cols
    assert (g.dtypes[cols] == b.dtypes[cols]).all()
    assert len(g) == 5217 and (g.version == "gml-2.2.1").all()
    assert g.stabb.isna().all() and g.hiact.notna().any()


def test_maoz_dyadic():
    d = fd.read_maoz_dyadic_mid()
    assert len(d) == 10358 == rows("cow-dyadic-mid", "4.02", "dyadic_mid_4.02.dta")
    assert d.disno.nunique() == 2371
    assert d.statea.dtype == "int16" and d.year.dtype == "int16"


def test_atop_5_1():
    al = fd.read_atop_alliances("5.1")
    assert len(al) == 789 and al.atopid.is_unique
    m = fd.read_atop_members("5.1")
    assert len(m) == 2510
    assert set(m.atopid) <= set(al.atopid)
    assert m.member.dtype == "int16"
    # exit coded 0/0/0 = still in force at the end of 2018; end is then NaT
    assert (m.in_force == m.yrexit.isna()).all() and m.loc[m.in_force, "end"].isna().all()
    assert m.in_force.sum() == 1146
    assert (m.end.dropna() >= m.loc[m.end.notna(), "start"]).all()


def test_atop_4_01():
    al, m = fd.read_atop_alliances("4.01"), fd.read_atop_members("4.01")
    assert al.atopid.is_unique and set(m.atopid) <= set(al.atopid)
    assert len(m) == 2398


def test_atop_yearly():
    ddyr, dy, sy = fd.read_atop_ddyr(), fd.read_atop_dy(), fd.read_atop_sy()
    assert len(ddyr) == 2 * len(dy) == 273296
    assert len(sy) == 11923
    assert ddyr.stateA.dtype == "int16" and ddyr.year.dtype == "int16"
    assert not ddyr.duplicated(["stateA", "stateB", "year"]).any()
    # every directed row has its mirror image
    rev = ddyr.rename(columns={"stateA": "stateB", "stateB": "stateA"})[["stateA", "stateB", "year"]]
    assert len(ddyr[["stateA", "stateB", "year"]].merge(rev)) == len(ddyr)
    assert len(fd.read_atop_phases()) == 849


def test_nmc():
    n = fd.read_nmc()
    assert len(n) == 15951 and n.ccode.nunique() == 217
    assert n.milex.isna().any() and not (n.milex == -9).any()
    assert n.cinc.between(0, 1).all()


def test_contiguity():
    c = fd.read_contdir()
    assert len(c) == 847
    assert (c.begin_year.astype(int) * 100 + c.begin_month == c.begin).all()
    usa_can = c[(c.statelno == 2) & (c.statehno == 20)].iloc[0]
    assert (usa_can.begin_year, usa_can.begin_month, usa_can.conttype) == (1920, 1, 1)
    d = fd.read_contdird()
    assert len(d) == 82498
    assert d.duplicated(["state1no", "state2no", "year"]).sum() == 58


@pytest.mark.parametrize("version,n", [("5", 17574), ("4-2018", 17562), ("4-2015", 17061)])
def test_polity(version, n):
    p = fd.read_polity(version)
    assert len(p) == n
    assert p.columns[0] != "\ufeffcyear" and "cyear" in p.columns  # BOM stripped
    assert p.polity.dropna().between(-10, 10).all()
    assert p.polity_code.dropna().isin([-66, -77, -88]).all()
    assert (p.polity.isna() >= p.polity_code.notna()).all()


def test_vdem():
    v = fd.read_vdem()
    assert len(v) == 27013 - 750
    assert list(v.columns) == ["ccode", "year", "polyarchy"]
    assert v.polyarchy.dropna().between(0, 1).all()


def test_peacesciencer_objects():
    cap = fd.read_capitals()
    assert len(cap) == 242 and cap.ccode.dtype == "int16"
    md = fd.read_mindist()
    assert len(md) == 952244 and (md.ccode1 < md.ccode2).all()
    ddy = fd.read_peacesciencer("cow_ddy")
    assert len(ddy) == 2214930 and ddy.ccode1.dtype == "int16"


def test_cow_alliance_from_user_path(raw_dir):
    a = fd.read_cow_alliance(raw_dir / "cow-alliance-4.1" / "alliance_v4.1_by_member.csv")
    assert len(a) == 1221 and a.version4id.nunique() == 414
    assert (a.in_force == a.end.isna()).all()


def test_frames_are_copies():
    a = fd.read_states()
    a.loc[:, "ccode"] = 0
    assert fd.read_states().ccode.iloc[0] == 2


def test_parquet_cache_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path))
    fd.readers.clear_memory_cache()
    first = fd.read_mid_participants("5.0")
    assert list((tmp_path / "parsed").glob("mid_participants-*.parquet"))
    fd.readers.clear_memory_cache()
    again = fd.read_mid_participants("5.0")  # from parquet
    pd.testing.assert_frame_equal(first, again)
