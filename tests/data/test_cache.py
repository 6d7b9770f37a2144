"""Caches that cannot serve stale or damaged results (foedus.data.cache).

Each damaged-folder case is made in the test from copies of the three small official files a
minimal panel reads (COW system membership and states, NMC).
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import time
import warnings

import pandas as pd
import pytest

from foedus.data import cache as cache_mod
from foedus.data.cache import CacheWarning, atomic_write, cache_folder, code_fingerprint, sha256_file
from foedus.data.errors import DataNotFoundError, HashMismatchError
from foedus.data.panel import build_panel
from foedus.data.readers._base import clear_memory_cache
from foedus.data.registry import Registry, current_registry, use_registry
from foedus.data.spec import Covariates, PanelSpec

pytestmark = pytest.mark.realdata

SPEC = PanelSpec(years=(1950, 1952), alliances=None, disputes=None, temporal=None,
                 covariates=Covariates(capabilities=True, contiguity=False, distance=False,
                                       regime=None, majors=False, sscore=()))
FILES = ("cow-states-2016/system2016.csv", "cow-nmc-6.0/NMC-60-abridged.csv",
         "cow-states-2016/states2016.csv")  # the last: the state codes of NMC are checked against it


@pytest.fixture
def world(tmp_path, raw_dir, monkeypatch):
    """A private data folder (copies of the small files) and a private, empty cache."""
    data = tmp_path / "raw"
    for rel in FILES:
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(raw_dir / rel, data / rel)
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(data))
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache_mod, "_WARNED", set())
    monkeypatch.setattr(cache_mod, "_OPENED", {})
    clear_memory_cache()
    yield data
    clear_memory_cache()


def _cached_entry(tmp_path):
    (entry,) = (tmp_path / "cache" / "panels").glob("*.parquet")
    return entry


def _no_build(monkeypatch):
    def fail(*a, **k):
        raise AssertionError("the panel was rebuilt")
    monkeypatch.setattr("foedus.data.universe.build_universe", fail)


def test_warm_cache_is_used_and_names_inputs(world, tmp_path, monkeypatch):
    first = build_panel(SPEC)
    entry = _cached_entry(tmp_path)
    assert entry.name == f"{SPEC.digest()}-{code_fingerprint()}.parquet"
    _no_build(monkeypatch)
    again = build_panel(SPEC)
    pd.testing.assert_frame_equal(again.frame, first.frame)
    assert again.files == first.files and len(first.files) == 2


def test_changed_input_invalidates_the_cache(world, tmp_path):
    build_panel(SPEC)
    with open(world / FILES[1], "ab") as fh:  # the NMC file damaged after the panel was cached
        fh.write(b"2,2020,1,1,1,1,1,1\n")
    clear_memory_cache()
    with pytest.raises(HashMismatchError, match="NMC-60-abridged.csv"):
        build_panel(SPEC)


def test_missing_input_invalidates_the_cache(world):
    build_panel(SPEC)
    (world / FILES[1]).unlink()
    clear_memory_cache()
    with pytest.raises(DataNotFoundError, match="NMC-60-abridged.csv"):
        build_panel(SPEC)


def test_data_folder_pointing_nowhere_invalidates_the_cache(world, tmp_path, monkeypatch):
    build_panel(SPEC)
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path / "nowhere"))
    clear_memory_cache()
    with pytest.raises(DataNotFoundError, match="not in the offline folder"):
        build_panel(SPEC)


def test_re_registered_input_invalidates_the_cache(world):
    build_panel(SPEC)
    reg = current_registry()
    changed = []
    for ds in reg:
        files = tuple(dataclasses.replace(f, sha256="0" * 64) if f.name == "NMC-60-abridged.csv" else f
                      for f in ds.files)
        changed.append(dataclasses.replace(ds, files=files))
    clear_memory_cache()
    with use_registry(Registry(changed)), pytest.raises(HashMismatchError, match="0000000000"):
        build_panel(SPEC)


@pytest.mark.parametrize("damage", ["truncate_parquet", "bad_json", "json_without_hash"])
def test_damaged_entry_warns_once_and_is_rebuilt(world, tmp_path, damage):
    first = build_panel(SPEC)
    entry = _cached_entry(tmp_path)
    if damage == "truncate_parquet":
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "bad_json":
        entry.with_suffix(".json").write_text('{"parquet_sha256": "ab')
    else:
        entry.with_suffix(".json").write_text('{"meta": {}}')
    with pytest.warns(CacheWarning, match="damaged cache entry") as record:
        again = build_panel(SPEC)
    assert len([w for w in record if issubclass(w.category, CacheWarning)]) == 1
    pd.testing.assert_frame_equal(again.frame, first.frame)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build_panel(SPEC)  # rebuilt entry: read silently


def test_damaged_parsed_file_entry_is_rebuilt(world, tmp_path):
    first = build_panel(SPEC, cache=False)
    parsed = sorted((tmp_path / "cache" / "parsed").glob("cow_nmc-*.parquet"))
    assert len(parsed) == 1 and code_fingerprint("readers") in parsed[0].name
    parsed[0].write_bytes(b"PAR1 not a parquet file")
    clear_memory_cache()
    with pytest.warns(CacheWarning, match="damaged cache entry .*cow_nmc"):
        again = build_panel(SPEC, cache=False)
    pd.testing.assert_frame_equal(again.frame, first.frame)


def test_unusable_cache_builds_in_memory_with_one_warning(world, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FOEDUS_CACHE", str(blocker / "cache"))
    with pytest.warns(CacheWarning, match="unusable") as record:
        panel = build_panel(SPEC)
        build_panel(SPEC)
    assert len(panel) > 0
    assert len([w for w in record if issubclass(w.category, CacheWarning)]) == 1


def test_orphan_temporary_files_are_removed_on_open(world, tmp_path):
    folder = tmp_path / "cache" / "panels"
    folder.mkdir(parents=True)
    old, fresh = folder / "x.parquet.1.2.tmp", folder / "y.parquet.3.4.tmp"
    old.write_text("left by a killed build")
    fresh.write_text("being written by a running process")
    past = time.time() - 3600
    os.utime(old, (past, past))
    assert cache_folder("panels") == folder
    assert not old.exists() and fresh.exists()


def test_atomic_write_leaves_nothing_when_the_writer_fails(tmp_path):
    target = tmp_path / "out.parquet"

    def boom(tmp):
        tmp.write_text("half")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        atomic_write(target, boom)
    assert list(tmp_path.iterdir()) == []


def test_hash_memo_persists_and_never_vouches_for_changed_bytes(world, monkeypatch):
    path = world / FILES[0]
    monkeypatch.setattr(cache_mod, "RACY_NS", 0)  # the copy was just made: see the next test
    digest = sha256_file(path)
    monkeypatch.setattr(cache_mod, "_HASHES", {})  # a new process: only the on-disk memo is left

    def no_reading(p):
        raise AssertionError("re-hashed a file whose stat signature is unchanged")
    monkeypatch.setattr(cache_mod, "hash_bytes", no_reading)
    assert sha256_file(path) == digest
    monkeypatch.undo()
    monkeypatch.setenv("FOEDUS_CACHE", str(world.parent / "cache"))
    st = os.stat(path)
    data = path.read_bytes()
    path.write_bytes(data[:-2] + b"99")  # same size, mtime set back: ctime still moves
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert sha256_file(path) != digest


def test_a_file_changed_just_before_hashing_is_not_memoised(world, monkeypatch):
    path = world / FILES[0]
    os.utime(path)  # changed just now: inside the racy window
    sha256_file(path)
    assert not list((world.parent / "cache" / "hashes").glob("*.sha256"))
    calls = []
    real = cache_mod.hash_bytes
    monkeypatch.setattr(cache_mod, "hash_bytes", lambda p: calls.append(p) or real(p))
    sha256_file(path)
    assert calls == [path]  # read again
