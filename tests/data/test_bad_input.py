"""Bad files give specific errors naming the file, and nothing reaches the parquet cache.

Each test lays out a private offline folder (``<dataset>-<version>/<file>``) holding a small
states file and a registry entry pointing at it.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from foedus.data import (DataFile, Dataset, HashMismatchError, Registry, SchemaError, read_states,
                         use_registry)
from foedus.data.fetch import sha256_file
from foedus.data.readers import clear_memory_cache

GOOD = (b"stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
        b"USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
        b"CAN,20,Canada,1920,1,10,2016,12,31,2016\n"
        b"AUH,300,Austria-Hungary,1816,1,1,1918,11,3,2016\n")
ROWS = 3


def lay_out(tmp_path: Path, monkeypatch, content: bytes, *, registered_sha: str | None = None):
    folder = tmp_path / "data" / "cow-states-2016"
    folder.mkdir(parents=True)
    path = folder / "states2016.csv"
    path.write_bytes(content)
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    clear_memory_cache()
    f = DataFile("cow-states", "2016", "states2016.csv", registered_sha or sha256_file(path), len(content),
                 ROWS, mirror="")
    return Registry([Dataset("cow-states", "2016", "test states", "http://example.org", files=(f,))]), path


def assert_nothing_cached(tmp_path: Path):
    parsed = tmp_path / "cache" / "parsed"
    assert not parsed.exists() or not any(parsed.iterdir())


def read_error(tmp_path, monkeypatch, content, exc=SchemaError, **kw):
    reg, path = lay_out(tmp_path, monkeypatch, content, **kw)
    with use_registry(reg), pytest.raises(exc) as info:
        read_states()
    assert "states2016.csv" in str(info.value)
    assert_nothing_cached(tmp_path)
    return info.value


def test_good_file_reads_and_is_cached(tmp_path, monkeypatch):
    reg, _ = lay_out(tmp_path, monkeypatch, GOOD)
    with use_registry(reg):
        s = read_states()
    assert s.ccode.tolist() == [2, 20, 300]
    assert s.end.iloc[2] == pd.Timestamp("1918-11-03")
    assert len(list((tmp_path / "cache" / "parsed").glob("cow_states-*.parquet"))) == 1


def test_truncated_mid_line(tmp_path, monkeypatch):
    err = read_error(tmp_path, monkeypatch, GOOD[: GOOD.rindex(b"1816")])
    assert err.column == "styear" or "rows" in err.problem


def test_truncated_at_line_end(tmp_path, monkeypatch):
    err = read_error(tmp_path, monkeypatch, GOOD[: GOOD.rindex(b"AUH")])
    assert "expected 3 data rows, found 2" in str(err)


def test_renamed_column(tmp_path, monkeypatch):
    err = read_error(tmp_path, monkeypatch, GOOD.replace(b",ccode,", b",cowcode,", 1))
    assert err.column == "ccode" and "missing" in err.problem


def test_wrong_hash(tmp_path, monkeypatch):
    tampered = GOOD.replace(b"1920,1,10", b"1920,1,11")
    expected = sha256_bytes(GOOD)
    err = read_error(tmp_path, monkeypatch, tampered, exc=HashMismatchError, registered_sha=expected)
    assert err.expected == expected and err.actual == sha256_bytes(tampered)
    assert expected in str(err) and err.actual in str(err)


def test_empty_file(tmp_path, monkeypatch):
    err = read_error(tmp_path, monkeypatch, b"")
    assert "empty" in err.problem


def test_header_only(tmp_path, monkeypatch):
    read_error(tmp_path, monkeypatch, GOOD.split(b"\n", 1)[0] + b"\n")


def test_bom_is_read_like_the_plain_file(tmp_path, monkeypatch):
    reg, _ = lay_out(tmp_path, monkeypatch, b"\xef\xbb\xbf" + GOOD)
    with use_registry(reg):
        with_bom = read_states()
    assert with_bom.columns[0] == "stateabb"
    reg2, _ = lay_out(tmp_path / "plain", monkeypatch, GOOD)
    with use_registry(reg2):
        pd.testing.assert_frame_equal(with_bom, read_states())


def test_bom_added_to_registered_file_is_a_hash_mismatch(tmp_path, monkeypatch):
    read_error(tmp_path, monkeypatch, b"\xef\xbb\xbf" + GOOD, exc=HashMismatchError,
               registered_sha=sha256_bytes(GOOD))


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_crlf_and_cr_only_line_endings(tmp_path, monkeypatch, newline):
    reg, _ = lay_out(tmp_path, monkeypatch, GOOD.replace(b"\n", newline))
    with use_registry(reg):
        s = read_states()
    assert s.ccode.tolist() == [2, 20, 300] and s.version.tolist() == [2016] * 3


def test_value_out_of_range_names_the_line(tmp_path, monkeypatch):
    err = read_error(tmp_path, monkeypatch, GOOD.replace(b"CAN,20,", b"CAN,0,"))
    assert err.column == "ccode" and err.rows == [3]
    assert "offending rows (file line numbers): 3" in str(err)


def test_impossible_month(tmp_path, monkeypatch):
    err = read_error(tmp_path, monkeypatch, GOOD.replace(b"1920,1,10", b"1920,13,10"))
    assert err.column == "stmonth"


def test_impossible_day(tmp_path, monkeypatch):
    err = read_error(tmp_path, monkeypatch, GOOD.replace(b"1920,1,10", b"1920,2,30"))
    assert err.column == "stday" and err.rows == [3]


def test_duplicate_key(tmp_path, monkeypatch):
    dup = GOOD.replace(b"CAN,20,Canada,1920,1,10", b"USA,2,United States of America,1816,1,1")
    err = read_error(tmp_path, monkeypatch, dup)
    assert "not unique" in err.problem and err.rows == [2, 3]


def test_text_in_numeric_column(tmp_path, monkeypatch):
    err = read_error(tmp_path, monkeypatch, GOOD.replace(b"CAN,20,", b"CAN,twenty,"))
    assert err.column == "ccode" and "non-numeric" in err.problem


def test_missing_from_offline_folder(tmp_path, monkeypatch):
    from foedus.data import DataNotFoundError

    reg, path = lay_out(tmp_path, monkeypatch, GOOD)
    path.unlink()
    with use_registry(reg), pytest.raises(DataNotFoundError, match="not in the offline folder"):
        read_states()


def test_errors_are_value_errors():
    assert issubclass(SchemaError, ValueError) and issubclass(HashMismatchError, ValueError)


def sha256_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
