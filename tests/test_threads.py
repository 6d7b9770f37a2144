"""The thread policy (foedus.threads): cores from affinity and cgroup quotas, explicit settings,
per-worker shares, limits applied around fits and restored afterwards."""
from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from foedus import threads


def _blas_threads() -> set:
    return {p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"}


def test_cgroup_quota_v2_and_v1(tmp_path):
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    assert threads._cgroup_quota(tmp_path) == 1.5
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert threads._cgroup_quota(tmp_path) is None
    (tmp_path / "cpu.max").unlink()
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("300000")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000")
    assert threads._cgroup_quota(tmp_path) == 3.0


def test_available_cores_respects_quota(monkeypatch):
    monkeypatch.setattr(threads.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(threads, "_cgroup_quota", lambda: 2.0)
    assert threads.available_cores() == 2
    monkeypatch.setattr(threads, "_cgroup_quota", lambda: 0.5)
    assert threads.available_cores() == 1
    monkeypatch.setattr(threads, "_cgroup_quota", lambda: None)
    assert threads.available_cores() == 4


def test_explicit_settings_win(monkeypatch):
    monkeypatch.delenv("FOEDUS_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(threads, "available_cores", lambda: 8)
    assert threads.fit_threads() == threads.FIT_THREADS
    assert threads.threads_per_worker(3) == 2 and threads.threads_per_worker(16) == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert threads.fit_threads() == 3 and threads.threads_per_worker(4) == 3
    monkeypatch.setenv("FOEDUS_THREADS", "2")
    assert threads.fit_threads() == 2
    monkeypatch.setenv("FOEDUS_THREADS", "two")
    with pytest.raises(ValueError, match="FOEDUS_THREADS='two'"):
        threads.fit_threads()
    monkeypatch.setenv("FOEDUS_THREADS", "0")
    with pytest.raises(ValueError, match="at least 1"):
        threads.fit_threads()


def test_limit_applies_inside_a_fit_and_is_restored(monkeypatch):
    monkeypatch.delenv("FOEDUS_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    before = _blas_threads()
    seen = []

    @threads.blas_policy
    def fit():
        seen.append(_blas_threads())
        return inner()

    @threads.blas_policy
    def inner():  # nested: the limit is not re-applied
        seen.append(_blas_threads())
        return 1

    assert fit() == 1
    assert seen == [{threads.FIT_THREADS}, {threads.FIT_THREADS}]
    assert _blas_threads() == before


def test_estimators_run_under_the_policy(monkeypatch):
    import foedus.models as fm

    monkeypatch.delenv("FOEDUS_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    seen = []
    real = fm.binary.newton_binary

    def spy(*args, **kwargs):
        seen.append(_blas_threads())
        return real(*args, **kwargs)

    monkeypatch.setattr(fm.binary, "newton_binary", spy)
    rng = np.random.default_rng(0)
    x = rng.normal(size=500)
    y = (rng.random(500) < 1 / (1 + np.exp(-x))).astype(float)
    fm.logit(endog=y, exog=np.column_stack([np.ones(500), x]))
    assert seen and all(s == {threads.FIT_THREADS} for s in seen)
