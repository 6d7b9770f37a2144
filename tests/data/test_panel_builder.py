"""The builder's guarantees: steps are left joins; the cache is keyed by spec and atomic."""
from __future__ import annotations

import pandas as pd
import pytest

from foedus.data import panel as panel_mod
from foedus.data.panel import BuildLog, Panel, _read_cached, _write_cached
from foedus.data.spec import PanelSpec
from foedus.data.steps import Step, _check_left_join


def _toy() -> pd.DataFrame:
    return pd.DataFrame(
        {"ccode1": [2, 20, 2, 20], "ccode2": [20, 2, 20, 2], "year": [1950, 1950, 1951, 1951]}
    ).astype("int16")


def test_a_step_that_adds_rows_is_caught():
    before = _toy()
    after = pd.concat([before, before.iloc[:1]], ignore_index=True)
    with pytest.raises(RuntimeError, match="changed the number of rows from 4 to 5"):
        _check_left_join("bad", before, after)


def test_a_step_that_reorders_rows_is_caught():
    before = _toy()
    after = before.iloc[::-1].reset_index(drop=True)
    with pytest.raises(RuntimeError, match="reordered"):
        _check_left_join("bad", before, after)


def test_a_step_that_adds_columns_passes():
    before = _toy()
    _check_left_join("good", before, before.assign(x=1.0))


def test_cache_round_trip_and_no_temporary_files_left(tmp_path):
    spec = PanelSpec(years=(1950, 1951))
    path = tmp_path / "panels" / f"{spec.digest()}.parquet"
    log = BuildLog()
    log.note("sample", "removed 3 rows", removed=3)
    _write_cached(path, Panel(frame=_toy(), spec=spec, log=tuple(log.records)))
    back = _read_cached(path, spec)
    pd.testing.assert_frame_equal(back.frame, _toy())
    assert back.log[0]["removed"] == 3
    assert sorted(p.suffix for p in path.parent.iterdir()) == [".json", ".parquet"]


def test_build_panel_runs_steps_in_order_and_checks_each(monkeypatch):
    calls = []

    def fake_universe(spec, log):
        return _toy()

    def good(frame, spec, log):
        calls.append("good")
        return frame.assign(flag=True)

    def bad(frame, spec, log):
        calls.append("bad")
        return frame.iloc[:2]

    monkeypatch.setattr("foedus.data.universe.build_universe", fake_universe, raising=False)
    monkeypatch.setattr(panel_mod, "STEPS", (Step("good", good, lambda s: True, adds=("flag",)),
                                             Step("bad", bad, lambda s: True, adds=())))
    with pytest.raises(RuntimeError, match="panel step 'bad'"):
        panel_mod.build_panel(PanelSpec(years=(1950, 1951)), cache=False)
    assert calls == ["good", "bad"]
