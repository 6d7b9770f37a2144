"""The command line: foedus's own errors as at most two lines with an exit code per kind;
tracebacks only with --debug; `data verify` and `multiverse` exit non-zero on failures."""
from __future__ import annotations

import hashlib
import shutil

import pytest

from foedus.cli import EXIT_CODES, EXIT_FAILED_SPECIFICATIONS, error_lines, exit_code, main
from foedus.data.errors import DataNotFoundError, HashMismatchError, SchemaError, SpecError
from foedus.models import SeparationError


def test_exit_codes_are_distinct_and_ordered_most_specific_first():
    codes = [c for _, c, _ in EXIT_CODES] + [EXIT_FAILED_SPECIFICATIONS]
    assert len(set(codes)) == len(codes) and min(codes) > 2
    assert exit_code(SpecError("x")) == 3 and exit_code(DataNotFoundError("x")) == 4
    assert exit_code(HashMismatchError("f", "a", "b")) == 5 and exit_code(SchemaError("f", "p")) == 6
    assert exit_code(SeparationError("x")) == 8 and exit_code(KeyError("x")) is None


def test_error_lines_are_what_and_where_then_what_to_do():
    lines = error_lines(HashMismatchError("cow-mid-5.0/MIDB 5.0.csv", "a" * 64, "b" * 64))
    assert len(lines) == 2 and lines[0] == "cow-mid-5.0/MIDB 5.0.csv: sha256 mismatch"
    assert "foedus data fetch" in lines[1]
    lines = error_lines(SchemaError("x.csv", "values outside [1, 12]", column="stmon", rows=[4, 9]))
    assert len(lines) == 2 and "column 'stmon'" in lines[0] and "4, 9" in lines[0]


def test_spec_error_is_two_lines_at_most_and_debug_shows_the_traceback(capsys, tmp_path):
    argv = ["replicate", "johnson_leeds_2011", "--years", "2030", "2040", "-o", str(tmp_path), "-q"]
    assert main(argv) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert 1 <= len(err) <= 2 and "Traceback" not in "\n".join(err)
    assert "coverage of state system COW 2016 (1816-2016)" in err[0]
    with pytest.raises(SpecError):
        main([*argv, "--debug"])


def test_missing_data_folder_is_a_short_error_with_its_exit_code(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path / "nowhere"))
    assert main(["replicate", "leeds_2003", "--years", "1900", "1901", "-o", str(tmp_path), "-q"]) == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) <= 2 and "is not in the offline folder" in err[0] and "nowhere" in err[0]


@pytest.mark.parametrize("layout", ["missing", "empty", "a file"])
def test_verify_exits_non_zero_and_lists_missing_files(capsys, tmp_path, monkeypatch, layout):
    target = tmp_path / "data"
    if layout == "empty":
        target.mkdir()
    elif layout == "a file":
        target.write_text("not a folder")
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(target))
    assert main(["data", "verify"]) == 4
    out = capsys.readouterr().out
    assert "MISSING  cow-states-2016/states2016.csv" in out
    assert f"looked in the offline folder FOEDUS_DATA_DIR={target}" in out
    if layout != "empty":
        assert ("(does not exist)" if layout == "missing" else "(not a folder)") in out


def test_verify_in_the_cache_says_so(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("FOEDUS_DATA_DIR", raising=False)
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    assert main(["data", "verify", "cow-states"]) == 4
    captured = capsys.readouterr()
    assert f"looked in the cache {tmp_path / 'cache' / 'files'}" in captured.out
    assert "foedus data fetch" in captured.err


@pytest.mark.realdata
def test_verify_reports_a_damaged_file(capsys, tmp_path, monkeypatch, raw_dir):
    folder = tmp_path / "data" / "cow-states-2016"
    folder.mkdir(parents=True)
    for name in ("states2016.csv", "system2016.csv", "majors2016.csv"):
        shutil.copyfile(raw_dir / "cow-states-2016" / name, folder / name)
    with open(folder / "states2016.csv", "ab") as fh:
        fh.write(b"XXX,999,Nowhere,1816,1,1,2016,12,31,2016\n")
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path / "data"))
    assert main(["data", "verify", "cow-states"]) == 5
    out = capsys.readouterr().out
    actual = hashlib.sha256((folder / "states2016.csv").read_bytes()).hexdigest()
    assert "MISMATCH cow-states-2016/states2016.csv" in out and actual in out


def test_multiverse_exits_non_zero_with_the_failure_count(capsys, tmp_path, monkeypatch):
    import pandas as pd

    from foedus.replication import multiverse

    seen = {}

    def fake_run(mv, **kwargs):
        seen.update(kwargs)
        table = pd.DataFrame({"error": ["", "SeparationError: x", "SeparationError: x"]})
        summary = {"n_failed": 2, "errors": {"SeparationError: x": 2}}
        return multiverse.MultiverseResult(mv, table, summary, tmp_path, fitted=3, seconds=0.0)

    monkeypatch.setattr(multiverse, "run_multiverse", fake_run)
    argv = ["multiverse", "johnson_leeds_2011", "-o", str(tmp_path), "-q"]
    assert main(argv) == EXIT_FAILED_SPECIFICATIONS
    err = capsys.readouterr().err
    assert "2 of 3 specifications failed (most often: SeparationError: x)" in err
    assert seen["retry_failed"] is True  # failed specifications are refitted by default
    main([*argv, "--keep-failed"])
    assert seen["retry_failed"] is False


def test_panel_command_spec_error_has_its_exit_code(capsys):
    assert main(["panel", "--years", "2030", "2040", "--describe"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) <= 2 and "coverage of state system COW 2016" in err[0]
