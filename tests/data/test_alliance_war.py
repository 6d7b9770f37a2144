"""Alliance x war opportunities: a toy world with hand-derived answers, two real wars checked by hand
against the raw ATOP 5.1 member file and COW inter-state war file, and the comparison with
Berkemeier & Fuhrmann's rows."""
from __future__ import annotations

import pandas as pd
import pytest

from foedus.data.alliance_war import (AllianceWarSpec, HandCodedComparison, alliance_war_summary,
                                      compare_with_hand_coded, member_behaviour)
from foedus.data.units import build_unit
from foedus.replication.reliability_shares import agreement

T = pd.Timestamp


def _members():
    rows = [  # atopid, member, start, end (NaT = still a member)
        (1000, 1, "1900-01-01", None), (1000, 2, "1900-01-01", None), (1000, 3, "1900-01-01", None),
        (1010, 1, "1905-01-01", "1915-01-01"), (1010, 9, "1905-01-01", "1915-01-01"),
        (1020, 2, "1900-01-01", None), (1020, 4, "1911-01-01", None),  # 4 joins after the war began
        (1030, 5, "1900-01-01", "1905-01-01"), (1030, 6, "1900-01-01", "1905-01-01"),
        (1040, 7, "1912-06-01", None), (1040, 8, "1912-06-01", None),
    ]
    out = pd.DataFrame(rows, columns=["atopid", "member", "start", "end"])
    out["start"], out["end"] = pd.to_datetime(out["start"]), pd.to_datetime(out["end"])
    return out


def _wars():
    rows = [  # WarNum, ccode, Side, start
        (1, 1, 1, "1910-01-01"), (1, 2, 1, "1910-02-01"), (1, 9, 2, "1910-01-01"), (1, 4, 1, "1910-01-01"),
        (2, 1, 1, "1920-01-01"), (2, 1, 2, "1921-01-01"), (2, 2, 2, "1920-01-01"),
        (3, 10, 1, "1912-01-01"), (3, 7, 2, "1913-01-01"),
    ]
    out = pd.DataFrame(rows, columns=["WarNum", "ccode", "Side", "start"])
    out["start"] = pd.to_datetime(out["start"])
    out["end"] = out["start"] + pd.Timedelta(days=800)
    return out


def _alliances():
    return pd.DataFrame({"atopid": [1000, 1010, 1020, 1030, 1040], "defense": [1, 0, 1, 1, 0],
                         "offense": [0, 0, 0, 0, 0], "neutral": [0, 1, 0, 0, 0], "nonagg": [0, 0, 0, 0, 0],
                         "consul": [0, 0, 0, 0, 1]})


def test_toy_member_behaviour():
    b = member_behaviour(_members(), _wars()).set_index(["atopid", "WarNum", "member"])
    # War 1, alliance 1000: 1 and 2 fought on side 1, 3 stayed out; reference date = 1's entry.
    assert b.loc[(1000, 1, 1), "reference_date"] == T("1910-01-01")
    assert b.loc[(1000, 1, 1), "with_ally"] and b.loc[(1000, 1, 2), "with_ally"]
    assert b.loc[(1000, 1, 3), "stayed_out"] and not b.loc[(1000, 1, 3), "with_ally"]
    # Alliance 1010 (neutrality): 1 and 9 fought each other.
    assert b.loc[(1010, 1, 1), "against_ally"] and b.loc[(1010, 1, 9), "against_ally"]
    # 1020 in war 1: 4 fought but joined the alliance in 1911, after its entry; at 2's entry
    # (1 Feb 1910) only 2 is a member -> no opportunity. In war 2 (1920) both are members.
    keys = set(zip(b.index.get_level_values("atopid"), b.index.get_level_values("WarNum")))
    assert (1020, 1) not in keys and (1020, 2) in keys
    assert b.loc[(1020, 2, 4), "stayed_out"] and b.loc[(1020, 2, 2), "fought"]
    # 1030 ended before any war; 1040 was formed during war 3, before 7 entered it.
    assert 1030 not in b.index.get_level_values("atopid")
    assert b.loc[(1040, 3, 7), "fought"] and b.loc[(1040, 3, 8), "stayed_out"]
    # War 2: state 1 changed sides (1 then 2); 2 on side 2: 1 is with and against 2, 2 likewise.
    assert b.loc[(1000, 2, 1), "sides"] == "1,2"
    assert b.loc[(1000, 2, 1), "with_ally"] and b.loc[(1000, 2, 1), "against_ally"]
    assert b.loc[(1000, 2, 2), "with_ally"] and b.loc[(1000, 2, 2), "against_ally"]


def test_toy_war_start_rule_drops_alliances_formed_during_the_war():
    b = member_behaviour(_members(), _wars(), in_force_at="war_start")
    assert 1040 not in set(b.atopid)  # war 3 began 1912-01-01, before 1040 was formed
    assert set(zip(b.atopid, b.WarNum)) == {(1000, 1), (1010, 1), (1000, 2), (1020, 2)}


def test_toy_honoring_rules():
    s = alliance_war_summary(member_behaviour(_members(), _wars()), _alliances()).set_index(["atopid", "WarNum"])
    # 1000 (defense) in war 1: 3 stayed out -> strict violated, lenient honored (two fought, none against).
    assert (s.loc[(1000, 1), "n_members"], s.loc[(1000, 1), "n_fought"], s.loc[(1000, 1), "n_stayed_out"]) == (3, 2, 1)
    assert not s.loc[(1000, 1), "honored_strict"] and s.loc[(1000, 1), "honored_lenient"]
    assert not s.loc[(1000, 2), "honored_lenient"]  # members on opposite sides
    assert s.loc[(1010, 1), "obligation"] == "neutrality" and not s.loc[(1010, 1), "honored_strict"]
    assert s.loc[(1040, 3), "obligation"] == "consultation" and not s.loc[(1040, 3), "relevant"]


def test_spec_validates_choices():
    with pytest.raises(ValueError, match="in_force_at"):
        AllianceWarSpec(in_force_at="treaty")
    assert AllianceWarSpec(level="member").keys == ("atopid", "WarNum", "member")


@pytest.mark.realdata
def test_two_real_wars_checked_by_hand():
    frame = build_unit(AllianceWarSpec()).frame.set_index(["atopid", "WarNum"])
    # Austro-Sardinian war (COW 10). Raw COW: Austria (300) side 1 from 24 Mar 1848, Sardinia/Italy
    # (325) side 2 from 24 Mar, Tuscany (337) side 2 from 29 Mar, Modena (332) side 2 from 9 Apr.
    # Raw ATOP 5.1: 1030 = {300, 337} to 29 Mar 1848; 1050 = {300, 325} to 24 Mar 1848;
    # 1125 = {300, 332} 24 Dec 1847 - May 1859. In each, the two members fought each other.
    for atopid in (1030, 1050, 1125):
        row = frame.loc[(atopid, 10)]
        assert (row.n_members, row.n_fought, bool(row.any_against)) == (2, 2, True)
        assert row.reference_date == T("1848-03-24") and not row.honored_lenient
    # Seven Weeks war (COW 55), alliance 1020 (German Confederation, ten members, spell ending
    # 15 June 1866, the war's first day): all ten fought, Prussia (255) and Mecklenburg-Schwerin (280)
    # on side 1, the other eight (Austria, Bavaria, Saxony, ...) on side 2.
    row = frame.loc[(1020, 55)]
    assert (row.n_members, row.n_fought, row.n_stayed_out, bool(row.any_against)) == (10, 10, 0, True)
    m = build_unit(AllianceWarSpec(level="member")).frame
    m = m[(m.atopid == 1020) & (m.WarNum == 55)].set_index("member")
    assert m.loc[[255, 280], "sides"].tolist() == ["1", "1"] and (m.drop([255, 280]).sides == "2").all()


def test_toy_comparison():
    ours = alliance_war_summary(member_behaviour(_members(), _wars()), _alliances())
    theirs = pd.DataFrame({
        "atopid": [1000, 1010, 1500, 1600], "warid": [11, 11, 12, 13],
        "cowwarid": pd.array([1, 1, 1, pd.NA], dtype="Int16"), "warname": ["w1", "w1", "w1", "iwd"],
        "pre1945_sample": True, "multilateral": 0, "dnaLLM": [False, False, True, False],
        "honorLLM": [True, False, False, True], "dnaBF": False, "honorBF": False, "sabroskyhonorLLM": False})
    c = compare_with_hand_coded(ours, theirs)
    assert c.source.value_counts().to_dict() == {"both": 2, "only ours": 3, "only theirs": 1,
                                                 "theirs, no COW war number": 1}
    a = agreement(c)
    assert a.loc["Matched, relevant in both", "count"] == 2
    # 1000/1: theirs honored, ours strict violated, lenient honored; 1010/1: both violated.
    assert a.loc["Relevant in both: agree on honored (strict rule)", "count"] == 1
    assert a.loc["Relevant in both: agree on honored (lenient rule)", "count"] == 2


@pytest.mark.realdata
def test_comparison_counts_add_up():
    c = build_unit(HandCodedComparison()).frame
    counts = c.source.value_counts()
    assert counts["both"] + counts["only theirs"] + counts["theirs, no COW war number"] == 576
    assert counts["theirs, no COW war number"] == 38  # rows without a COW war number in their file
    assert not c.duplicated(["atopid", "WarNum", "warid"]).any()


def test_toy_pairs_who_with_whom():
    from foedus.data.alliance_war import member_pairs

    p = member_pairs(member_behaviour(_members(), _wars())).set_index(["atopid", "WarNum", "member", "ally"])
    assert p.loc[(1000, 1, 1, 2), "relation"] == "same side"
    assert p.loc[(1000, 1, 1, 3), "relation"] == "ally stayed out"
    assert p.loc[(1000, 1, 3, 1), "relation"] == "member stayed out"
    assert p.loc[(1010, 1, 1, 9), "relation"] == "opposite sides"
    assert p.loc[(1000, 2, 1, 2), "relation"] == "both"  # 1 changed sides; 2 on side 2
    assert p.loc[(1000, 2, 2, 3), "relation"] == "ally stayed out"
    assert len(p) == sum(n * (n - 1) for n in (3, 2, 3, 2, 2))  # ordered pairs per opportunity


def test_toy_during_war_rule_admits_wartime_alliances():
    # 1040 = {7, 8} formed 1 June 1912, during war 3 (begun 1 Jan 1912); 7 entered 1 Jan 1913.
    # Add 1050 = {10, 11} formed 1 July 1912 while 10 was already at war (since 1 Jan 1912).
    members = pd.concat([_members(), pd.DataFrame({"atopid": [1050, 1050], "member": [10, 11],
                                                   "start": pd.to_datetime(["1912-07-01"] * 2),
                                                   "end": pd.NaT})], ignore_index=True)
    wars = _wars()
    entry = member_behaviour(members, wars)
    during = member_behaviour(members, wars, in_force_at="during_war")
    assert (1050, 3) not in set(zip(entry.atopid, entry.WarNum))
    row = during[(during.atopid == 1050) & (during.member == 10)].iloc[0]
    assert row.reference_date == T("1912-07-01") and row.fought
    assert during[(during.atopid == 1050) & (during.member == 11)].stayed_out.all()
