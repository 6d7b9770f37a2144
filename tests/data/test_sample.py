"""Sample filters remove only the rows they name, keep the order, and log what they removed."""
from __future__ import annotations

import pandas as pd
import pytest

from foedus.data.panel import BuildLog
from foedus.data.sample import apply_sample, restrict_years
from foedus.data.spec import DisputeRules, PanelSpec, Sample


def _panel() -> pd.DataFrame:
    na = pd.NA
    return pd.DataFrame({
        "ccode1": [2, 2, 2, 20, 20, 200],
        "ccode2": [20, 200, 365, 2, 365, 2],
        "year": [1950, 1950, 1950, 1951, 1951, 1952],
        "prd": pd.array([1, 0, na, 1, 1, 0], dtype="Int8"),
        "ongoing": pd.array([0, 1, 0, 1, na, 0], dtype="Int8"),
        "onset": pd.array([1, 0, 0, 0, na, 0], dtype="Int8"),
        "defense_ally": pd.array([1, 0, 0, na, 0, 1], dtype="Int8"),
    })


def _removed(log: BuildLog) -> list[int]:
    return [r["removed"] for r in log.records if "removed" in r]


def test_no_filter_keeps_everything_and_logs_nothing():
    log = BuildLog()
    out = apply_sample(_panel(), PanelSpec(), log)
    pd.testing.assert_frame_equal(out, _panel())
    assert log.records == []


def test_politically_relevant_drops_irrelevant_and_unknown():
    log = BuildLog()
    out = apply_sample(_panel(), PanelSpec(sample=Sample(politically_relevant=True)), log)
    assert out.index.tolist() == [0, 3, 4]
    first = log.records[0]
    assert first["removed"] == 3 and first["removed_unknown"] == 1 and first["kept"] == 3


def test_drop_ongoing_keeps_unknown_rows():
    log = BuildLog()
    out = apply_sample(_panel(), PanelSpec(sample=Sample(drop_ongoing=True)), log)
    assert out.index.tolist() == [0, 2, 4, 5]
    assert log.records[0]["removed"] == 2 and log.records[0]["kept_unknown"] == 1


def test_drop_ongoing_keeps_a_continuation_year_with_a_new_onset():
    frame = _panel()
    frame.loc[1, "onset"] = 1  # a new dispute begins while an older one goes on
    log = BuildLog()
    out = apply_sample(frame, PanelSpec(sample=Sample(drop_ongoing=True)), log)
    assert out.index.tolist() == [0, 1, 2, 4, 5]
    assert log.records[0]["removed"] == 1 and log.records[0]["kept_with_onset"] == 1


def test_dispute_rule_ongoing_drop_also_drops():
    spec = PanelSpec(disputes=DisputeRules(ongoing="drop"))
    assert apply_sample(_panel(), spec).index.tolist() == [0, 2, 4, 5]


def test_filters_combine_in_order_and_total_is_logged():
    log = BuildLog()
    spec = PanelSpec(sample=Sample(politically_relevant=True, drop_ongoing=True,
                                   drop_shared_defense=True))
    out = apply_sample(_panel(), spec, log)
    # prd keeps 0, 3, 4; ongoing drops 3; shared defense drops 0
    assert out.index.tolist() == [4]
    assert _removed(log) == [3, 1, 1, 5]


def test_missing_column_is_a_clear_error():
    frame = _panel().drop(columns="prd")
    with pytest.raises(ValueError, match="needs the panel column 'prd'.*Covariates.majors"):
        apply_sample(frame, PanelSpec(sample=Sample(politically_relevant=True)))


def test_restrict_years():
    log = BuildLog()
    out = restrict_years(_panel(), 1951, 1952, log)
    assert out["year"].tolist() == [1951, 1951, 1952]
    assert log.records[0]["removed"] == 3
    with pytest.raises(ValueError):
        restrict_years(_panel(), 1952, 1951)
