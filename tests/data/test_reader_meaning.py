"""Readers check meaning, not only shape: spells in order, at least one row, known state codes,
valid dates. Each error names the file, the column and the file line, and says what to do.

Each test lays out a private offline folder with a small states file and a small MIDB file.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from foedus.data import (DataFile, Dataset, Registry, SchemaError, read_mid_participants, read_states,
                         use_registry)
from foedus.data.readers import clear_memory_cache

STATES = (b"stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
          b"USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
          b"CAN,20,Canada,1920,1,10,2016,12,31,2016\n")
MIDB_HEADER = (b"dispnum,stabb,ccode,stday,stmon,styear,endday,endmon,endyear,sidea,revstate,revtype1,"
               b"revtype2,fatality,fatalpre,hiact,hostlev,orig,version\n")
MIDB = (MIDB_HEADER
        + b"1,USA,2,5,3,1950,-9,6,1950,1,1,2,0,0,0,17,4,1,5\n"
        + b"1,CAN,20,5,3,1950,-9,6,1950,0,0,0,0,0,0,17,4,1,5\n")


def _file(folder: Path, dataset: str, version: str, name: str, content: bytes) -> DataFile:
    path = folder / f"{dataset}-{version}" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return DataFile(dataset, version, name, hashlib.sha256(content).hexdigest(), len(content), None, mirror="")


def world(tmp_path, monkeypatch, *, states: bytes = STATES, midb: bytes = MIDB) -> Registry:
    data = tmp_path / "data"
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(data))
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    clear_memory_cache()
    return Registry([
        Dataset("cow-states", "2016", "states", "http://example.org",
                files=(_file(data, "cow-states", "2016", "states2016.csv", states),)),
        Dataset("cow-mid", "5.0", "MID", "http://example.org",
                files=(_file(data, "cow-mid", "5.0", "MIDB 5.0.csv", midb),)),
    ])


def _error(reg, read) -> SchemaError:
    with use_registry(reg), pytest.raises(SchemaError) as info:
        read()
    clear_memory_cache()
    return info.value


def test_good_files_read(tmp_path, monkeypatch):
    with use_registry(world(tmp_path, monkeypatch)):
        assert read_mid_participants("5.0")["ccode"].tolist() == [2, 20]


def test_state_spell_ending_before_it_starts(tmp_path, monkeypatch):
    states = STATES.replace(b"CAN,20,Canada,1920,1,10,2016", b"CAN,20,Canada,1920,1,10,1919")
    err = _error(world(tmp_path, monkeypatch, states=states), read_states)
    assert "states2016.csv" in str(err) and err.column == "end" and err.rows == [3]
    assert "ends before it starts" in str(err) and "foedus data verify" in str(err)


def test_participation_ending_before_it_starts(tmp_path, monkeypatch):
    midb = MIDB.replace(b"1,CAN,20,5,3,1950,-9,6,1950", b"1,CAN,20,5,3,1950,-9,2,1950")
    err = _error(world(tmp_path, monkeypatch, midb=midb), lambda: read_mid_participants("5.0"))
    assert "MIDB 5.0.csv" in str(err) and err.column == "end" and err.rows == [3]


def test_header_only_participant_file_is_refused(tmp_path, monkeypatch):
    err = _error(world(tmp_path, monkeypatch, midb=MIDB_HEADER), lambda: read_mid_participants("5.0"))
    assert "MIDB 5.0.csv" in str(err) and "no data rows" in str(err) and "re-download" in str(err)


def test_state_code_outside_the_state_system(tmp_path, monkeypatch):
    midb = MIDB.replace(b"1,CAN,20,", b"1,CAN,21,")
    err = _error(world(tmp_path, monkeypatch, midb=midb), lambda: read_mid_participants("5.0"))
    assert "MIDB 5.0.csv" in str(err) and err.column == "ccode" and err.rows == [3]
    assert "[21] not in the COW state system" in str(err)


def test_impossible_date(tmp_path, monkeypatch):
    midb = MIDB.replace(b"1,USA,2,5,3,1950", b"1,USA,2,31,4,1950")
    err = _error(world(tmp_path, monkeypatch, midb=midb), lambda: read_mid_participants("5.0"))
    assert "MIDB 5.0.csv" in str(err) and err.column == "stday" and err.rows == [2]


def test_nothing_invalid_reaches_the_parsed_cache(tmp_path, monkeypatch):
    midb = MIDB.replace(b"1,CAN,20,", b"1,CAN,21,")
    _error(world(tmp_path, monkeypatch, midb=midb), lambda: read_mid_participants("5.0"))
    assert not list((tmp_path / "cache" / "parsed").glob("mid_participants-*"))
