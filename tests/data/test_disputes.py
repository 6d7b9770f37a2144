"""Dyad-year dispute variables: initiation rules, tie-break rules, the join, coverage and the
panel step, on toy worlds with hand-computed answers."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from foedus.data import disputes as disputes_mod
from foedus.data.disputes import (COLUMNS, DEFAULT_TIEBREAK, add_disputes, attach_disputes,
                                  check_tiebreak, dyad_year_disputes)
from foedus.data.dyadic_disputes import dispute_dyad_years, dyadic_records
from foedus.data.panel import BuildLog
from foedus.data.spec import DisputeRules, PanelSpec

from test_disputes_dyadic import spells  # noqa: E402  (same folder, on sys.path)


def table(p: pd.DataFrame, joiners: bool = True) -> pd.DataFrame:
    return dispute_dyad_years(dyadic_records(p, joiners=joiners))


def row(frame: pd.DataFrame, a: int, b: int, year: int) -> pd.Series:
    hit = frame[(frame["ccode1"] == a) & (frame["ccode2"] == b) & (frame["year"] == year)]
    assert len(hit) == 1, f"expected one row for {a}-{b} {year}, found {len(hit)}"
    return hit.iloc[0]


# ------------------------------------------------------------------------------------------
# initiation rules
# ------------------------------------------------------------------------------------------
def _joiner_world() -> pd.DataFrame:
    # 2 (side A, originator, not revisionist) vs 20 (side B, originator, revisionist);
    # 40 joins side A in June (revisionist); the dispute runs into 1951
    return spells(
        (1, 2, "1950-01-01", "1951-03-31", 1, 1, 0, 7, 3, 0),
        (1, 20, "1950-01-01", "1951-03-31", 0, 1, 1, 7, 3, 0),
        (1, 40, "1950-06-01", "1951-03-31", 1, 0, 1, 7, 3, 0),
    )


@pytest.mark.parametrize(
    "rule, initiators",
    [
        ("originator", {(2, 20)}),             # only originator against originator
        ("sidea", {(2, 20), (40, 20)}),        # side A, joiners included
        ("revisionist", {(20, 2), (20, 40), (40, 20)}),  # the revisionist states
    ],
)
def test_initiation_rules(rule, initiators):
    out, _ = dyad_year_disputes(table(_joiner_world()), initiation=rule)
    y1950 = out[out["year"] == 1950]
    got = {(a, b) for a, b, d in zip(y1950["ccode1"], y1950["ccode2"], y1950["dispute"]) if d}
    assert got == initiators
    # a continuation year is never an initiation, and every pair is an onset in 1950
    assert not out.loc[out["year"] == 1951, "dispute"].any()
    assert y1950["onset"].all() and out.loc[out["year"] == 1951, "ongoing"].all()


def test_without_joiners_the_joiner_has_no_dyads():
    out, _ = dyad_year_disputes(table(_joiner_world(), joiners=False), initiation="sidea")
    assert set(zip(out["ccode1"], out["ccode2"])) == {(2, 20), (20, 2)}


def test_joiner_in_a_later_year_has_its_onset_then():
    p = spells(
        (1, 2, "1950-01-01", "1952-12-31", 1, 1),
        (1, 20, "1950-01-01", "1952-12-31", 0, 1),
        (1, 40, "1951-05-01", "1952-12-31", 0, 0),
    )
    out, _ = dyad_year_disputes(table(p), initiation="sidea")
    r = row(out, 2, 40, 1951)
    assert r["onset"] and not r["ongoing"] and r["dispute"]
    assert row(out, 2, 40, 1952)["ongoing"] and not row(out, 2, 40, 1952)["dispute"]
    assert not row(out, 2, 20, 1951)["onset"]


def test_revisionist_rule_needs_revstate():
    t = table(_joiner_world()).assign(revstate1=np.nan, revstate2=np.nan)
    with pytest.raises(ValueError, match="revstate"):
        dyad_year_disputes(t, initiation="revisionist")


def test_non_directed_counts_an_initiation_by_either_state():
    out, _ = dyad_year_disputes(table(_joiner_world()), initiation="originator", directed=False)
    assert set(zip(out["ccode1"], out["ccode2"])) == {(2, 20), (20, 40)}  # 2, 40 both side A
    assert row(out, 2, 20, 1950)["dispute"]         # 2 initiated against 20
    p = spells((1, 20, "1950-01-01", "1950-03-31", 1, 1), (1, 2, "1950-01-01", "1950-03-31", 0, 1))
    out, _ = dyad_year_disputes(table(p), directed=False)
    assert row(out, 2, 20, 1950)["dispute"]         # 20 (ccode2) initiated against 2
    assert not row(out, 2, 20, 1950)["sidea1"]      # roles stay those of ccode1


# ------------------------------------------------------------------------------------------
# tie-break rules: two disputes in one dyad-year differing in one attribute at a time
# ------------------------------------------------------------------------------------------
def _pair(winner: dict, loser: dict) -> pd.DataFrame:
    """Two disputes between 2 (side A) and 20 in 1950; dispute 7 is built to win on one rule,
    dispute 5 (a lower number) loses on it and ties on every rule before it."""
    base = dict(start="1950-03-01", end="1950-03-10", hiact=(7, 7), hostlev=3, fatality=0)

    def rows(dispnum, over):
        d = {**base, **over}
        return [(dispnum, 2, d.get("start_a", d["start"]), d["end"], 1, 1, 0, d["hiact"][0],
                 d["hostlev"], d["fatality"]),
                (dispnum, 20, d["start"], d["end"], 0, 1, 0, d["hiact"][1], d["hostlev"],
                 d["fatality"])]

    return spells(*rows(5, loser), *rows(7, winner))


CASES = {
    "onset": (dict(), dict(start="1949-06-01", fatality=6, hostlev=5)),
    "fatality": (dict(fatality=3), dict(hostlev=5, end="1950-12-31")),
    "hostility": (dict(hostlev=4), dict(end="1950-12-31")),
    "duration": (dict(end="1950-04-30"), dict(hiact=(7, 7), start="1950-01-01", end="1950-01-10",
                                            start_a="1950-01-01")),
    "reciprocated": (dict(hiact=(7, 7)), dict(hiact=(7, 0), start="1950-01-01",
                                              end="1950-01-10")),
    "start_month": (dict(start="1950-02-01", end="1950-02-10"), dict(start="1950-06-01",
                                                                    end="1950-06-10")),
    "dispnum": (dict(), dict()),
}


@pytest.mark.parametrize("rule", list(CASES))
def test_each_tiebreak_rule_decides_and_is_counted(rule):
    winner, loser = CASES[rule]
    out, decided = dyad_year_disputes(table(_pair(winner, loser)))
    r = row(out, 2, 20, 1950)
    expected = 5 if rule == "dispnum" else 7
    assert r["dispnum"] == expected and r["n_disputes"] == 2
    # both directed rows were decided by this rule, and by no other
    assert decided == {k: (2 if k == rule else 0) for k in DEFAULT_TIEBREAK}


def test_tiebreak_order_is_configurable():
    # dispute 5: higher fatality; dispute 7: higher hostility
    p = _pair(dict(hostlev=5), dict(fatality=4))
    out, _ = dyad_year_disputes(table(p), tiebreak=("onset", "fatality", "hostility"))
    assert row(out, 2, 20, 1950)["dispnum"] == 5
    out, decided = dyad_year_disputes(table(p), tiebreak=("hostility", "fatality"))
    assert row(out, 2, 20, 1950)["dispnum"] == 7
    assert decided["hostility"] == 2 and list(decided) == ["hostility", "fatality", "dispnum"]


def test_initiated_rule_selects_the_dispute_a_initiated():
    # dispute 5: 20 on side A initiates against 2 (more fatal); dispute 7: 2 initiates
    p = spells(
        (5, 20, "1950-03-01", "1950-03-10", 1, 1, 0, 7, 3, 4),
        (5, 2, "1950-03-01", "1950-03-10", 0, 1, 0, 7, 3, 4),
        (7, 2, "1950-06-01", "1950-06-10", 1, 1),
        (7, 20, "1950-06-01", "1950-06-10", 0, 1),
    )
    out, _ = dyad_year_disputes(table(p))
    r = row(out, 2, 20, 1950)
    assert r["dispute"] and r["dispnum"] == 5 and not r["selected_initiated"]
    out, decided = dyad_year_disputes(table(p), tiebreak=("initiated",) + DEFAULT_TIEBREAK)
    assert row(out, 2, 20, 1950)["dispnum"] == 7 and row(out, 20, 2, 1950)["dispnum"] == 5
    assert decided["initiated"] == 2


def test_missing_fatality_loses_to_a_known_one():
    p = _pair(dict(fatality=0), dict(fatality=-9))
    out, decided = dyad_year_disputes(table(p))
    assert row(out, 2, 20, 1950)["dispnum"] == 7 and decided["fatality"] == 2


def test_bad_tiebreak_rules_are_named():
    with pytest.raises(ValueError, match="unknown rule"):
        check_tiebreak(("onset", "severity"))
    with pytest.raises(ValueError, match="twice"):
        check_tiebreak(("onset", "onset"))
    assert check_tiebreak(("fatality",)) == ("fatality", "dispnum")


# ------------------------------------------------------------------------------------------
# the join onto a universe
# ------------------------------------------------------------------------------------------
def _universe(years=range(1949, 1953), states=(2, 20, 40)) -> pd.DataFrame:
    rows = [(a, b, y) for y in years for a in states for b in states if a != b]
    return pd.DataFrame(rows, columns=["ccode1", "ccode2", "year"]).astype("int16")


def test_attach_fills_zeros_inside_coverage_and_na_outside():
    out, _ = dyad_year_disputes(table(_joiner_world()))
    u = _universe()
    joined, unmatched = attach_disputes(u, out, coverage=(1816, 1951))
    assert len(unmatched) == 0 and list(joined.columns) == list(u.columns) + list(COLUMNS)
    pd.testing.assert_frame_equal(joined[list(u.columns)], u)
    r = row(joined, 2, 20, 1950)
    assert (r["onset"], r["ongoing"], r["dispute"], r["n_disputes"], r["dispnum"]) == (1, 0, 1, 1, 1)
    r = row(joined, 2, 40, 1949)  # no dispute, inside coverage: zeros and NA attributes
    assert (r["onset"], r["dispute"], r["n_disputes"]) == (0, 0, 0) and pd.isna(r["dispnum"])
    late = joined[joined["year"] == 1952]
    assert late[list(COLUMNS)].isna().all().all()  # outside coverage: NA, never 0
    assert str(joined["dispute"].dtype) == "Int8" and str(joined["dispnum"].dtype) == "Int32"


def test_attach_keeps_row_order_of_an_unsorted_universe_and_reports_unmatched():
    out, _ = dyad_year_disputes(table(_joiner_world()))
    u = _universe(states=(2, 20)).sample(frac=1, random_state=1).reset_index(drop=True)
    joined, unmatched = attach_disputes(u, out, coverage=(1816, 2014))
    pd.testing.assert_frame_equal(joined[["ccode1", "ccode2", "year"]], u)
    assert row(joined, 20, 2, 1951)["ongoing"] == 1
    # 40 is not in this universe: its dyad with 20, both directions, 1950 and 1951
    assert sorted(zip(unmatched["ccode1"], unmatched["ccode2"], unmatched["year"])) == [
        (20, 40, 1950), (20, 40, 1951), (40, 20, 1950), (40, 20, 1951)]


# ------------------------------------------------------------------------------------------
# the panel step
# ------------------------------------------------------------------------------------------
def test_add_disputes_step_with_a_toy_source(monkeypatch):
    p = _pair(dict(fatality=3), dict(hostlev=5))
    monkeypatch.setattr(disputes_mod, "read_participants", lambda rules: p)
    spec = PanelSpec(years=(1949, 2014), disputes=DisputeRules(version="5.0"))
    u = _universe(years=(1950, 2015))
    log = BuildLog()
    out = add_disputes(u, spec, log)
    assert row(out, 2, 20, 1950)["dispnum"] == 7 and row(out, 2, 20, 1950)["dispute"] == 1
    assert out.loc[out["year"] == 2015, "onset"].isna().all()
    text = "\n".join(log.lines())
    assert "decided by: fatality 2" in text
    assert "6 dyad-years lie outside COW MID 5.0's coverage 1816-2014" in text
    notes = [r for r in log.records if "several" in r]
    assert notes[0]["decided_fatality"] == 2


def test_unknown_release_is_a_clear_error():
    with pytest.raises(ValueError, match="names no dispute release"):
        disputes_mod.read_participants(DisputeRules(source="gml", version="5.0"))


def test_attach_on_an_empty_universe_and_bad_codes():
    out, _ = dyad_year_disputes(table(_joiner_world()))
    empty = _universe().iloc[:0]
    joined, unmatched = attach_disputes(empty, out, coverage=(1816, 2014))
    assert len(joined) == 0 and list(joined.columns)[3:] == list(COLUMNS) and len(unmatched) == 0
    with pytest.raises(ValueError, match="0-999"):
        attach_disputes(_universe().assign(ccode1=2000), out, coverage=(1816, 2014))
    dup = pd.concat([_universe(), _universe().iloc[:1]])
    with pytest.raises(ValueError, match="duplicate"):
        attach_disputes(dup, out, coverage=(1816, 2014))


@pytest.mark.parametrize("history, joiner_onset", [("joiners", False), ("all", True)])
def test_history_rule_is_separate_from_initiation(monkeypatch, history, joiner_onset):
    # joiners=False: the joiner 40 never initiates; history decides whether its dyads with 20
    # have a dispute history (onset 1950, ongoing 1951) -- and so a peace-year clock
    monkeypatch.setattr(disputes_mod, "read_participants", lambda rules: _joiner_world())
    spec = PanelSpec(years=(1950, 1951), disputes=DisputeRules(version="5.0", initiation="sidea",
                                                                joiners=False, history=history))
    u = pd.DataFrame([(a, b, y) for y in (1950, 1951) for a in (2, 20, 40) for b in (2, 20, 40) if a != b],
                     columns=["ccode1", "ccode2", "year"])
    out = add_disputes(u, spec, BuildLog())
    assert row(out, 40, 20, 1950)["onset"] == int(joiner_onset)
    assert row(out, 20, 40, 1951)["ongoing"] == int(joiner_onset)
    assert row(out, 40, 20, 1950)["dispute"] == 0  # a joiner: not an initiator without joiners
    assert row(out, 2, 20, 1950)["dispute"] == 1 and row(out, 2, 20, 1950)["onset"] == 1
