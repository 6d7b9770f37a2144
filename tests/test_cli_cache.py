"""``foedus cache info|clear`` on a private cache folder."""
from __future__ import annotations

from foedus.cli import main


def _fill(root):
    for part, name in (("panels", "a.parquet"), ("parsed", "b.parquet"), ("files", "c.csv")):
        (root / part).mkdir(parents=True, exist_ok=True)
        (root / part / name).write_bytes(b"x" * 1000)


def test_info_counts_files_and_bytes(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path))
    _fill(tmp_path)
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path) in out
    assert [ln.split()[1] for ln in out.splitlines()[1:4]] == ["1", "0", "1"]  # files, hashes, parsed


def test_clear_keeps_downloads_unless_all(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path))
    _fill(tmp_path)
    assert main(["cache", "clear", "panels"]) == 0
    assert not (tmp_path / "panels").exists() and (tmp_path / "parsed" / "b.parquet").exists()
    assert main(["cache", "clear"]) == 0
    assert not (tmp_path / "parsed").exists() and (tmp_path / "files" / "c.csv").exists()
    assert main(["cache", "clear", "--all"]) == 0
    assert not (tmp_path / "files").exists()
    assert "freed" in capsys.readouterr().err


def test_unknown_part_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path))
    assert main(["cache", "clear", "nope"]) == 2
    assert "unknown part(s) nope" in capsys.readouterr().err
