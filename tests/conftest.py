"""Shared test fixtures.

Real-data tests are marked ``realdata`` and read the official releases from the folder named by
``FOEDUS_DATA_DIR`` (CI sets it to ``../shared/data/raw``). They are skipped, with a reason, when
that folder is absent, so that a user without the data can still run the unit tests.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest


def _data_dir() -> Path | None:
    value = os.environ.get("FOEDUS_DATA_DIR")
    if not value:
        return None
    path = Path(value).expanduser().resolve()
    return path if path.is_dir() else None


def pytest_collection_modifyitems(config, items):
    if _data_dir() is not None:
        return
    skip = pytest.mark.skip(reason="real data absent: set FOEDUS_DATA_DIR to the raw releases folder")
    for item in items:
        if "realdata" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The offline folder with the official releases (``FOEDUS_DATA_DIR``)."""
    path = _data_dir()
    if path is None:
        pytest.skip("real data absent: set FOEDUS_DATA_DIR")
    return path


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test writes caches into a private temporary folder, never the user's cache, and
    reads no user registry of the machine's user."""
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path_factory.getbasetemp() / "foedus-cache"))
    monkeypatch.setenv("FOEDUS_USER_REGISTRY", str(tmp_path_factory.getbasetemp() / "no-user-registry.tsv"))
    # nor the user's config file (foedus config path)
    monkeypatch.setenv("FOEDUS_CONFIG", str(tmp_path_factory.getbasetemp() / "no-config.toml"))
