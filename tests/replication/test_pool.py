"""The one process pool of the studies and the multiverse (foedus.replication.pool)."""
from __future__ import annotations

import os

from foedus.replication.pool import START_METHOD, process_pool


def _environment(name: str) -> tuple:
    from foedus.threads import explicit_threads

    return os.environ.get(name), explicit_threads()


def test_workers_see_the_parent_environment_of_now_not_of_the_server_start(monkeypatch):
    assert START_METHOD == "forkserver"
    monkeypatch.setenv("FOEDUS_POOL_TEST", "first")
    with process_pool(2) as pool:
        assert pool.submit(_environment, "FOEDUS_POOL_TEST").result()[0] == "first"
    monkeypatch.setenv("FOEDUS_POOL_TEST", "second")  # the fork server is already running
    with process_pool(2) as pool:
        value, threads = pool.submit(_environment, "FOEDUS_POOL_TEST").result()
    assert value == "second"
    assert threads is not None and threads >= 1  # foedus.threads.worker_initializer ran
