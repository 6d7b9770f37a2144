"""Settings: environment variable > config file > default; ``foedus config show|path``."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from foedus.cli import main
from foedus.data.errors import ConfigError
from foedus.data.paths import cache_dir, config_file, mirror_base, offline_dir, read_config, setting


@pytest.fixture
def config(tmp_path, monkeypatch):
    """A config file of the test's own (FOEDUS_CONFIG) and no setting from the environment."""
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv("FOEDUS_CONFIG", str(path))
    for env in ("FOEDUS_DATA_DIR", "FOEDUS_CACHE", "FOEDUS_MIRROR"):
        monkeypatch.delenv(env, raising=False)
    return path


def test_the_config_file_is_in_the_platforms_config_folder(monkeypatch):
    import platformdirs

    monkeypatch.delenv("FOEDUS_CONFIG")
    assert config_file() == Path(platformdirs.user_config_dir("foedus", appauthor=False)) / "config.toml"


def test_defaults_without_a_config_file(config):
    assert not config.exists()
    assert setting("data_dir").source == "default" and offline_dir() is None
    assert mirror_base() is None
    import pooch

    assert cache_dir() == Path(pooch.os_cache("foedus"))


def test_config_file_then_environment(config, tmp_path, monkeypatch):
    config.write_text('data_dir = "raw"\ncache_dir = "~/c"\nmirror = "http://mirror.example/raw"\n')
    assert setting("data_dir").source == "config file"
    assert offline_dir() == (config.parent / "raw").resolve()  # relative to the file's folder
    assert setting("cache_dir").value == str(Path("~/c").expanduser())
    assert mirror_base() == "http://mirror.example/raw"
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path / "env-raw"))
    monkeypatch.setenv("FOEDUS_MIRROR", "")  # empty counts as unset: the config file's value
    assert offline_dir() == (tmp_path / "env-raw").resolve()
    assert setting("data_dir").source == "environment"
    assert mirror_base() == "http://mirror.example/raw"


@pytest.mark.parametrize("text, message", [
    ("data_dir = raw\n", "not valid TOML"),
    ('datadir = "raw"\n', "unknown key(s) datadir"),
    ("data_dir = 3\n", "data_dir must be a string"),
])
def test_a_bad_config_file_is_named_with_what_to_do(config, text, message):
    config.write_text(text)
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        read_config()
    assert str(config) in str(info.value)


def test_a_bad_config_file_is_a_short_cli_error(config, capsys):
    config.write_text('datadir = "raw"\n')
    assert main(["config", "show"]) == 13
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and err[0].startswith(f"foedus config: error: {config}: unknown key")
    assert "data_dir, cache_dir, mirror" in err[1]


def test_config_show_names_each_value_and_source(config, tmp_path, monkeypatch, capsys):
    config.write_text('mirror = "http://mirror.example/raw"\n')
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    assert main(["config", "show"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"config file: {config}"
    shown = dict(zip(lines[1::2], lines[2::2]))
    assert shown == {
        "data_dir   none: files are downloaded into the cache":
            "           from default (set FOEDUS_DATA_DIR or data_dir)",
        f"cache_dir  {tmp_path / 'cache'}": "           from environment FOEDUS_CACHE",
        "mirror     http://mirror.example/raw": "           from config file",
    }
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out == f"{config}\n"


def test_the_data_dir_of_the_config_file_is_used_and_named(config, tmp_path, capsys):
    config.write_text(f'data_dir = "{tmp_path / "nowhere"}"\n')
    assert main(["replicate", "leeds_2003", "--years", "1900", "1901", "-o", str(tmp_path), "-q"]) == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "(that folder does not exist)" in err[0]
    assert f"(data_dir in {config})" in err[0] and f"remove data_dir from {config}" in err[1]
