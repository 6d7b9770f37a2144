"""User-supplied files (foedus.data.user_registry): `foedus data add`, the user registry named by
FOEDUS_USER_REGISTRY, their own hash checked on every read, provenance marked user-supplied."""
from __future__ import annotations

import re
import shutil

import pytest

from foedus.cli import main
from foedus.data import cache as cache_mod
from foedus.data.errors import DataError, HashMismatchError
from foedus.data.panel import build_panel
from foedus.data.readers import clear_memory_cache, read_nmc
from foedus.data.registry import current_registry
from foedus.data.spec import Covariates, PanelSpec
from foedus.data.user_registry import add_user_file, read_user_files
from foedus.replication.provenance import input_records, user_supplied_inputs

pytestmark = pytest.mark.realdata

SPEC = PanelSpec(years=(1950, 1952), alliances=None, disputes=None, temporal=None,
                 covariates=Covariates(capabilities=True, contiguity=False, distance=False,
                                       regime=None, majors=False, sscore=()))
NMC = "NMC-60-abridged.csv"


@pytest.fixture
def corrected(tmp_path, raw_dir, monkeypatch):
    """A corrected copy of the NMC file (USA's 1950 CINC changed), a private cache and registry."""
    monkeypatch.setenv("FOEDUS_USER_REGISTRY", str(tmp_path / "user-registry.tsv"))
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache_mod, "_OPENED", {})
    clear_memory_cache()
    text = (raw_dir / "cow-nmc-6.0" / NMC).read_text()
    lines = text.splitlines(keepends=True)
    header = lines[0].rstrip().split(",")
    i = next(k for k, ln in enumerate(lines) if ln.split(",")[1:3] == ["2", "1950"])
    cells = lines[i].rstrip("\r\n").split(",")
    cells[header.index("cinc")] = "0.5"
    lines[i] = ",".join(cells) + "\n"
    path = tmp_path / "mine" / NMC
    path.parent.mkdir()
    path.write_text("".join(lines))
    yield path
    clear_memory_cache()


def _usa_1950(frame):
    return float(frame.loc[(frame.ccode == 2) & (frame.year == 1950), "cinc"].iloc[0])


def test_data_add_records_the_hash_and_the_file_is_read_instead(corrected, capsys):
    published = _usa_1950(read_nmc())
    assert main(["data", "add", "cow-nmc", "6.0", str(corrected), "--note", "typo fixed"]) == 0
    assert "is now read from" in capsys.readouterr().out
    (row,) = read_user_files()
    assert row.name == NMC and row.path == str(corrected) and row.note == "typo fixed"
    assert current_registry().get("cow-nmc", "6.0").file(NMC).user_supplied
    clear_memory_cache()
    assert _usa_1950(read_nmc()) == 0.5 != published
    assert main(["data", "list"]) == 0
    assert re.search(r"^cow-nmc\s+6\.0\s+yes\+user", capsys.readouterr().out, re.M)


def test_panels_and_provenance_are_marked_user_supplied(corrected):
    published = build_panel(SPEC)
    add_user_file("cow-nmc", "6.0", corrected)
    clear_memory_cache()
    panel = build_panel(SPEC)  # the cached panel names the published file: rebuilt
    assert panel.files != published.files
    assert any(r["step"] == "inputs" and "user-supplied" in r["message"] for r in panel.log)
    records = {r["file"]: r for r in input_records(panel.files)}
    assert records[NMC]["user_supplied"] is True
    assert records[NMC]["published_sha256"] == next(f[3] for f in published.files if f[2] == NMC)
    assert records["system2016.csv"]["user_supplied"] is False
    assert user_supplied_inputs(panel.files) == ["cow-nmc-6.0/" + NMC]


def test_a_user_file_edited_after_adding_is_refused(corrected):
    add_user_file("cow-nmc", "6.0", corrected)
    with open(corrected, "a") as fh:
        fh.write("2,2020,1,1,1,1,1,1,0.1,2021\n")
    clear_memory_cache()
    with pytest.raises(HashMismatchError, match="changed since `foedus data add`"):
        read_nmc()


def test_a_name_the_release_lacks_is_refused_listing_its_files(corrected, tmp_path):
    other = tmp_path / "nmc.csv"
    shutil.copyfile(corrected, other)
    with pytest.raises(DataError, match=f"no file 'nmc.csv'.*--as.*{NMC}"):
        add_user_file("cow-nmc", "6.0", other)
    add_user_file("cow-nmc", "6.0", other, name=NMC)  # named: accepted
    assert read_user_files()[0].path == str(other)


def test_a_new_release_is_added_to_the_registry(corrected):
    add_user_file("cow-nmc", "7.0", corrected)
    ds = current_registry().get("cow-nmc", "7.0")
    assert ds.files[0].user_supplied and "user-supplied release 7.0" in ds.title
    assert current_registry().get("cow-nmc").version == "6.0"  # the default stays the shipped one


def test_a_damaged_user_registry_is_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "user-registry.tsv"
    path.write_text("dataset\tversion\tfile\tsha256\tbytes\tpath\tnote\ncow-nmc\t6.0\tx.csv\tnothex\t1\t/x\t\n")
    monkeypatch.setenv("FOEDUS_USER_REGISTRY", str(path))
    with pytest.raises(DataError, match="line 2: 'sha256' is not a sha256"):
        current_registry()
