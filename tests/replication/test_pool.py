"""The one process pool of the studies and the multiverse (foedus.replication.pool)."""
from __future__ import annotations

import os

from foedus.replication.pool import START_METHOD, process_pool


def _environment(name: str) -> tuple:
    from foedus.threads import explicit_threads

    return os.environ.get(name), explicit_threads()


def _local_source():
    """Defined in a test module: a worker must run it without importing it by name again."""
    return "ran"


def test_workers_see_the_parent_as_it_is_when_the_pool_starts(monkeypatch):
    assert START_METHOD == "fork"
    monkeypatch.setenv("FOEDUS_POOL_TEST", "first")
    with process_pool(2) as pool:
        assert pool.submit(_environment, "FOEDUS_POOL_TEST").result()[0] == "first"
        assert pool.submit(_local_source).result() == "ran"
    monkeypatch.setenv("FOEDUS_POOL_TEST", "second")  # a later pool sees later settings
    with process_pool(2) as pool:
        value, threads = pool.submit(_environment, "FOEDUS_POOL_TEST").result()
    assert value == "second"
    assert threads is not None and threads >= 1  # foedus.threads.worker_initializer ran
