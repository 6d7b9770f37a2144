"""The shipped registry: complete, consistent, and matching the real files."""
from __future__ import annotations

import re

import pytest

from foedus.cli import main
from foedus.data import current_registry
from foedus.data.fetch import status
from foedus.data.registry import default_registry

REQUIRED = {
    ("cow-states", "2016"): ["states2016.csv", "system2016.csv", "majors2016.csv"],
    ("cow-mid", "5.0"): ["MIDA 5.0.csv", "MIDB 5.0.csv", "MIDI 5.0.csv", "MIDIP 5.0.csv"],
    ("cow-mid", "4.3"): ["MIDA 4.3.csv", "MIDB 4.3.csv"],
    ("cow-mid", "4.2"): ["MIDA_4.2.csv", "MIDB_4.2.csv"],
    ("cow-mid", "3.10"): ["MIDB_3.10.csv"],
    ("cow-dyadic-mid", "4.02"): ["dyadic_mid_4.02.dta"],
    ("atop", "5.1"): ["atop5_1a.csv", "atop5_1m.csv", "atop5_1ddyr.csv", "atop5_1sy.csv", "atop5_1dy.csv"],
    ("atop", "4.01"): ["atop-alliance-level.csv", "atop-member-level.csv"],
    ("cow-nmc", "6.0"): ["NMC-60-abridged.csv"],
    ("cow-contiguity", "3.2"): ["contdir.csv", "contdird.csv"],
    ("polity", "5-2018"): ["p5v2018.csv"],
    ("polity", "4-2018"): ["p4v2018.csv"],
    ("polity", "4-2015"): ["polity4v2015.csv"],
    ("vdem-polyarchy", "v10-extract"): ["vdem-poly.csv"],
    ("peacesciencer", "1.2.9"): ["gml_part.rda", "gml_dirdisp.rda", "cow_capitals.rda", "cow_mindist.rda",
                                 "cow_mid_dirdisps.rda", "cow_mid_disps.rda", "atop_alliance.rda", "cow_ddy.rda"],
    ("cow-alliance", "4.1"): ["alliance_v4.1_by_member.csv"],
    ("tomz-weeks-2021", "rep"): ["2017-04-YouGov-extracted.dta", "2017-04-YouGov-prepdata.do",
                                 "2017-04-YouGov-mainfx.do", "TomzWeeks-Alliances-ISQ.do"],
}


@pytest.mark.parametrize("key", sorted(REQUIRED))
def test_required_files_registered(key):
    ds = default_registry().get(*key)
    names = {f.name for f in ds.files}
    assert set(REQUIRED[key]) <= names
    for f in ds.files:
        assert re.fullmatch(r"[0-9a-f]{64}", f.sha256)
        assert f.size > 0
        assert f.mirror.startswith("https://github.com/") and "/raw/" in f.mirror
        assert " " not in f.archive_url  # spaces are URL-encoded (a zip member's name may keep them)


def test_main_sets_have_citation_and_url():
    for key in REQUIRED:
        ds = default_registry().get(*key)
        assert ds.citation.lstrip().startswith("@"), ds.key
        assert ds.url.startswith("http"), ds.key
        assert ds.licence


def test_cow_alliance_is_manual_and_nothing_else_is():
    manual = {ds.key for ds in default_registry() if ds.manual}
    assert manual == {"cow-alliance@4.1"}


def test_lookup_forms():
    reg = default_registry()
    assert reg.get("cow-mid").version == "5.0"  # first listed release is the default
    assert reg.get("cow-mid@4.3").version == "4.3"
    assert reg.get("cow-mid-3.10").version == "3.10"
    assert reg.get("peacesciencer-1.2.9").name == "peacesciencer"
    with pytest.raises(KeyError, match="known versions"):
        reg.get("cow-mid", "9.9")
    with pytest.raises(KeyError, match="unknown data set"):
        reg.get("no-such-set")


def test_zip_members_name_a_registered_archive():
    reg = default_registry()
    mirrors = {f.mirror for f in reg.files()}
    members = [f for f in reg.files() if f.member]
    assert members, "ATOP 5.1 and MID 5.0 files come from zips"
    for f in members:
        assert f.archive_url in mirrors, f.relpath


def test_mirror_base_url_layout():
    f = default_registry().get("cow-mid", "5.0").file("MIDA 5.0.csv")
    assert f.url("http://127.0.0.1:8000/raw/") == "http://127.0.0.1:8000/raw/cow-mid-5.0/MIDA%205.0.csv"
    assert f.url() == f.mirror


@pytest.mark.realdata
def test_every_registered_file_matches_offline_folder(raw_dir, monkeypatch):
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(raw_dir))
    bad = [(s.file.relpath, s.status) for s in map(status, current_registry().files()) if s.status != "ok"]
    assert bad == []


@pytest.mark.realdata
def test_cli_list_and_verify(raw_dir, monkeypatch, capsys):
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(raw_dir))
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^cow-mid\s+5\.0\s+yes\s+palmer_2022_mid5", out, re.M)
    assert re.search(r"^cow-alliance\s+4\.1\s+manual", out, re.M)
    assert main(["data", "verify"]) == 0
    out = capsys.readouterr().out
    n = len(default_registry().files())
    assert f"{n} ok, 0 mismatched, 0 missing" in out
    assert main(["data", "path", "atop@5.1"]) == 0
    assert capsys.readouterr().out.strip() == str(raw_dir / "atop-5.1")


def test_cli_list_bibtex_and_fetch_manual(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("FOEDUS_DATA_DIR", raising=False)
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path))
    assert main(["data", "list", "--bibtex"]) == 0
    out = capsys.readouterr().out
    assert "@article{palmer_2022_mid5," in out and "present" in out
    assert main(["data", "fetch", "cow-alliance"]) == 4  # DataNotFoundError's exit code
    assert "never downloaded" in capsys.readouterr().err
    assert not (tmp_path / "files" / "cow-alliance-4.1").exists()
