"""Downloads: a local HTTP server stands in for the mirror; hashes are checked; zips are unpacked."""
from __future__ import annotations

import functools
import hashlib
import shutil
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from foedus.cli import main
from foedus.data import (DataFile, DataNotFoundError, Dataset, HashMismatchError, Registry, fetch,
                         read_states, use_registry)
from foedus.data.readers import clear_memory_cache
from foedus.data.registry import default_registry

STATES = (b"stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
          b"USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
          b"CAN,20,Canada,1920,1,10,2016,12,31,2016\n")
NOTE = b"codebook text"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def server(tmp_path):
    """Serve ``tmp_path/www`` on 127.0.0.1 (random port) for the duration of one test."""
    root = tmp_path / "www"
    root.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.delenv("FOEDUS_DATA_DIR", raising=False)
    monkeypatch.delenv("FOEDUS_MIRROR", raising=False)
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    clear_memory_cache()
    return tmp_path / "cache"


def states_registry(states_sha: str = digest(STATES), *, mirror: str = "") -> Registry:
    files = (DataFile("cow-states", "2016", "states2016.csv", states_sha, len(STATES), 2, mirror),
             DataFile("cow-states", "2016", "codebook notes.txt", digest(NOTE), len(NOTE), None, mirror))
    return Registry([Dataset("cow-states", "2016", "test states", "http://example.org", files=files)])


def publish(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


def test_fetch_downloads_verifies_and_caches(server, env, monkeypatch):
    root, url = server
    publish(root, {"cow-states-2016/states2016.csv": STATES, "cow-states-2016/codebook notes.txt": NOTE})
    monkeypatch.setenv("FOEDUS_MIRROR", url)
    with use_registry(states_registry()):
        paths = fetch("cow-states")
        assert [p.name for p in paths] == ["states2016.csv", "codebook notes.txt"]
        assert all(p.parent == env / "files" / "cow-states-2016" for p in paths)
        assert paths[0].read_bytes() == STATES
        # served from the cache from now on: the server's copy can disappear
        shutil.rmtree(root / "cow-states-2016")
        assert fetch("cow-states") == paths
        assert read_states().ccode.tolist() == [2, 20]


def test_fetch_refuses_tampered_download(server, env):
    root, url = server
    publish(root, {"cow-states-2016/states2016.csv": STATES.replace(b"1920", b"1921"),
                   "cow-states-2016/codebook notes.txt": NOTE})
    with use_registry(states_registry()), pytest.raises(HashMismatchError) as info:
        fetch("cow-states", mirror=url)
    err = info.value
    assert err.expected == digest(STATES)
    assert err.actual == digest(STATES.replace(b"1920", b"1921"))
    assert not (env / "files" / "cow-states-2016" / "states2016.csv").exists()


def test_reader_downloads_on_first_use(server, env, monkeypatch):
    root, url = server
    publish(root, {"cow-states-2016/states2016.csv": STATES})
    monkeypatch.setenv("FOEDUS_MIRROR", url)
    with use_registry(states_registry()):
        assert len(read_states()) == 2
    assert (env / "files" / "cow-states-2016" / "states2016.csv").is_file()


def test_tampered_cache_file_is_detected(server, env, monkeypatch):
    root, url = server
    publish(root, {"cow-states-2016/states2016.csv": STATES, "cow-states-2016/codebook notes.txt": NOTE})
    with use_registry(states_registry()):
        [p, _] = fetch("cow-states", mirror=url)
        p.write_bytes(STATES + b"XXX,999,Nowhere,1900,1,1,1901,1,1,2016\n")
        with pytest.raises(HashMismatchError):
            read_states()


def test_zip_member_is_unpacked_by_pooch(server, env):
    root, url = server
    buf = root / "release.zip"
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("Release (csv)/states2016.csv", STATES)
        z.writestr("Release (csv)/other.csv", b"a,b\n1,2\n")
    zbytes = buf.read_bytes()
    archive = DataFile("cow-states", "2016", "release.zip", digest(zbytes), len(zbytes), None, f"{url}/release.zip")
    member = DataFile("cow-states", "2016", "states2016.csv", digest(STATES), len(STATES), 2,
                      f"{url}/release.zip!Release (csv)/states2016.csv")
    reg = Registry([Dataset("cow-states", "2016", "t", "http://example.org", files=(member, archive))])
    with use_registry(reg):
        paths = fetch("cow-states")
    assert paths[0] == env / "files" / "cow-states-2016" / "states2016.csv"
    assert paths[0].read_bytes() == STATES


def test_zip_with_wrong_hash_is_refused(server, env):
    root, url = server
    with zipfile.ZipFile(root / "release.zip", "w") as z:
        z.writestr("states2016.csv", STATES)
    archive = DataFile("cow-states", "2016", "release.zip", "0" * 64, 1, None, f"{url}/release.zip")
    member = DataFile("cow-states", "2016", "states2016.csv", digest(STATES), len(STATES), 2,
                      f"{url}/release.zip!states2016.csv")
    reg = Registry([Dataset("cow-states", "2016", "t", "http://example.org", files=(member, archive))])
    with use_registry(reg), pytest.raises(HashMismatchError):
        fetch("cow-states", version="2016")
    assert not (env / "files" / "cow-states-2016" / "states2016.csv").exists()


def test_unreachable_mirror_names_the_file(env, monkeypatch):
    import importlib

    monkeypatch.setattr(importlib.import_module("foedus.data.fetch"), "DOWNLOAD_RETRIES", 0)
    with use_registry(states_registry()), pytest.raises(DataNotFoundError, match="states2016.csv"):
        fetch("cow-states", mirror="http://127.0.0.1:9")  # discard port: connection refused


def test_manual_set_is_never_fetched(server, env):
    root, url = server
    with pytest.raises(DataNotFoundError, match="never downloaded"):
        fetch("cow-alliance", mirror=url)
    assert not (env / "files").exists() or not any((env / "files").iterdir())


@pytest.mark.realdata
def test_fetch_real_release_from_local_mirror(server, env, raw_dir):
    root, url = server
    shutil.copytree(raw_dir / "cow-states-2016", root / "cow-states-2016")
    assert main(["data", "fetch", "cow-states", "--mirror", url]) == 0
    for f in default_registry().get("cow-states").files:
        assert (env / "files" / f.folder / f.name).is_file()
    assert len(read_states()) == 243
    assert main(["data", "verify", "cow-states"]) == 0


def test_mismatch_names_file_both_hashes_and_what_to_do(server, env):
    root, url = server
    bad = STATES.replace(b"Canada", b"Kanada")
    publish(root, {"cow-states-2016/states2016.csv": bad})
    with use_registry(states_registry()), pytest.raises(HashMismatchError) as info:
        fetch("cow-states", mirror=url)
    text = str(info.value)
    assert "cow-states-2016/states2016.csv" in text and url in text
    assert f"expected {digest(STATES)}" in text and f"actual   {digest(bad)}" in text
    assert "was deleted" in text and "--mirror" in text and "FOEDUS_DATA_DIR" in text


def test_hash_is_checked_by_foedus_not_by_pooch(server, env, monkeypatch):
    # pooch is given no hash (so no error text of pooch's is parsed): the check is ours
    import pooch

    seen = []
    create = pooch.create
    monkeypatch.setattr(pooch, "create", lambda **kw: seen.append(kw["registry"]) or create(**kw))
    root, url = server
    publish(root, {"cow-states-2016/states2016.csv": STATES, "cow-states-2016/codebook notes.txt": NOTE})
    with use_registry(states_registry()):
        assert fetch("cow-states", mirror=url)[0].read_bytes() == STATES
    assert seen and all(set(r.values()) == {None} for r in seen)


def test_a_failed_download_is_retried(server, env, monkeypatch):
    import pooch
    import pooch.core
    import requests

    root, url = server
    publish(root, {"cow-states-2016/states2016.csv": STATES, "cow-states-2016/codebook notes.txt": NOTE})
    calls = []
    real = pooch.HTTPDownloader.__call__

    def flaky(self, u, output_file, pooch_obj, check_only=False):
        calls.append(u)
        if len(calls) == 1:
            raise requests.exceptions.ConnectionError("connection reset by peer")
        return real(self, u, output_file, pooch_obj, check_only=check_only)

    monkeypatch.setattr(pooch.HTTPDownloader, "__call__", flaky)
    monkeypatch.setattr(pooch.core.time, "sleep", lambda s: None)  # pooch waits between attempts
    with use_registry(states_registry()):
        assert fetch("cow-states", mirror=url)[0].read_bytes() == STATES
    assert calls[:2] == [f"{url}/cow-states-2016/states2016.csv"] * 2 and len(calls) == 3


def test_download_progress_goes_through_the_display(server, env, capsys):
    root, url = server
    publish(root, {"cow-states-2016/states2016.csv": STATES, "cow-states-2016/codebook notes.txt": NOTE})
    with use_registry(states_registry()):
        fetch("cow-states", mirror=url)
    err = capsys.readouterr().err
    assert f"states2016.csv: {len(STATES)} B/{len(STATES)} B (100%)" in err
    assert "\r" not in err  # not a terminal: plain lines


def test_offline_without_network_says_what_to_set(env, monkeypatch, capsys):
    import importlib

    monkeypatch.setattr(importlib.import_module("foedus.data.fetch"), "DOWNLOAD_RETRIES", 0)
    monkeypatch.setenv("FOEDUS_MIRROR", "http://127.0.0.1:9")  # discard port: connection refused
    with use_registry(states_registry()):
        assert main(["data", "fetch", "cow-states"]) == 4
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[0].startswith("downloading cow-states-2016/states2016.csv from http://127.0.0.1:9/")
    err = lines[1:]  # the error: two lines, no traceback
    assert len(err) == 2 and "Traceback" not in "\n".join(lines)
    assert err[0].startswith("foedus data: error: could not download cow-states-2016/states2016.csv")
    assert "Connection refused" in err[0]
    for needed in ("FOEDUS_DATA_DIR", "data_dir in the config file", "--mirror", "FOEDUS_MIRROR"):
        assert needed in err[1]
