"""Dyadisation of participant spells: toy worlds with hand-computed answers, and a brute-force
day-by-day reference on random worlds (hypothesis)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foedus.data.dyadic_disputes import dispute_dyad_years, dyadic_records, prepare_participants

COLS = ["dispnum", "ccode", "start", "end", "sidea", "orig", "revstate", "hiact", "hostlev", "fatality"]


def spells(*rows) -> pd.DataFrame:
    """Participant spells: (dispnum, ccode, start, end, sidea, orig[, revstate, hiact, hostlev,
    fatality]) with ISO dates; attributes default to 0, 7, 3, 0."""
    full = [tuple(r) + (0, 7, 3, 0)[len(r) - 6:] for r in rows]
    frame = pd.DataFrame(full, columns=COLS)
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["sidea"] = frame["sidea"].astype(bool)
    frame["orig"] = frame["orig"].astype(bool)
    return frame


def years(table: pd.DataFrame, a: int, b: int, dispnum: int | None = None) -> pd.DataFrame:
    t = table[(table["ccode1"] == a) & (table["ccode2"] == b)]
    if dispnum is not None:
        t = t[t["dispnum"] == dispnum]
    return t.set_index("year")


# ------------------------------------------------------------------------------------------
# records
# ------------------------------------------------------------------------------------------
def test_opposite_sides_overlapping_spells_make_two_directed_records():
    p = spells((1, 2, "1950-03-01", "1950-05-01", 1, 1), (1, 20, "1950-04-10", "1950-06-30", 0, 1))
    r = dyadic_records(p)
    assert list(zip(r["ccode1"], r["ccode2"])) == [(2, 20), (20, 2)]
    assert (r["start"] == pd.Timestamp("1950-04-10")).all()
    assert (r["end"] == pd.Timestamp("1950-05-01")).all()
    assert r["sidea1"].tolist() == [True, False] and r["sidea2"].tolist() == [False, True]
    assert r["row1"].tolist() == [0, 1] and r["row2"].tolist() == [1, 0]


def test_same_side_and_disjoint_spells_are_not_paired():
    p = spells(
        (1, 2, "1950-01-01", "1950-02-28", 1, 1),   # side A, Jan-Feb
        (1, 40, "1950-01-01", "1950-12-31", 1, 1),  # side A too: never paired with 2
        (1, 20, "1950-03-01", "1950-04-30", 0, 1),  # side B, Mar-Apr: disjoint from 2
    )
    r = dyadic_records(p)
    assert sorted(zip(r["ccode1"], r["ccode2"])) == [(20, 40), (40, 20)]


def test_one_common_day_is_enough_and_touching_is_not():
    p = spells(
        (1, 2, "1950-01-01", "1950-03-15", 1, 1),
        (1, 20, "1950-03-15", "1950-04-30", 0, 1),  # shares 15 March
        (1, 30, "1950-03-16", "1950-04-30", 0, 1),  # begins the day after 2 left
    )
    r = dyadic_records(p)
    assert sorted(set(zip(r["ccode1"], r["ccode2"]))) == [(2, 20), (20, 2)]


def test_unknown_days_use_the_widest_interval():
    # MIDB layout with -9 days: 2 ends "some day in March", 20 begins 31 March -> they overlap
    p = pd.DataFrame({
        "dispnum": [1, 1], "ccode": [2, 20], "sidea": [1, 0], "orig": [1, 1],
        "styear": [1950, 1950], "stmon": [1, 3], "stday": [-9, 31],
        "endyear": [1950, 1950], "endmon": [3, 4], "endday": [-9, -9],
    })
    prepared = prepare_participants(p)
    assert prepared["s"].tolist() == [
        (dt.date(1950, 1, 1) - dt.date(1970, 1, 1)).days,
        (dt.date(1950, 3, 31) - dt.date(1970, 1, 1)).days,
    ]
    assert prepared["e"].tolist()[1] == (dt.date(1950, 4, 30) - dt.date(1970, 1, 1)).days
    assert len(dyadic_records(p)) == 2


def test_joiners_are_dropped_on_request():
    p = spells(
        (1, 2, "1950-01-01", "1950-12-31", 1, 1),
        (1, 20, "1950-01-01", "1950-12-31", 0, 1),
        (1, 40, "1950-06-01", "1950-12-31", 1, 0),  # joins side A in June
    )
    assert sorted(set(dyadic_records(p, joiners=True)["ccode1"])) == [2, 20, 40]
    assert sorted(set(dyadic_records(p, joiners=False)["ccode1"])) == [2, 20]


def test_side_switcher_meets_each_opponent_spell_by_spell_and_never_itself():
    # 220 fights 255 on side A, then switches to side B and faces 200 (side A) in 1940-41
    p = spells(
        (258, 220, "1940-01-01", "1940-06-22", 1, 1),
        (258, 220, "1940-07-03", "1941-07-14", 0, 0),
        (258, 255, "1940-01-01", "1941-12-31", 0, 1),
        (258, 200, "1940-01-01", "1941-12-31", 1, 1),
    )
    r = dyadic_records(p)
    pairs = sorted(set(zip(r["ccode1"], r["ccode2"])))
    assert pairs == [(200, 220), (200, 255), (220, 200), (220, 255), (255, 200), (255, 220)]
    t = dispute_dyad_years(r)
    y = years(t, 220, 200)
    assert y.index.tolist() == [1940, 1941]
    assert bool(y.loc[1940, "onset"]) and not bool(y.loc[1940, "sidea1"]) and bool(y.loc[1940, "sidea2"])
    assert not bool(y.loc[1940, "orig1"])  # 220's second spell is a joining spell
    assert years(t, 220, 255).index.tolist() == [1940]


# ------------------------------------------------------------------------------------------
# dispute-dyad-years
# ------------------------------------------------------------------------------------------
def test_dispute_spanning_years_has_one_onset_then_continuations():
    p = spells((1, 2, "1950-11-01", "1952-02-10", 1, 1), (1, 20, "1950-11-05", "1952-03-01", 0, 1))
    t = dispute_dyad_years(dyadic_records(p))
    y = years(t, 2, 20)
    assert y.index.tolist() == [1950, 1951, 1952]
    assert y["onset"].tolist() == [True, False, False]
    assert y["ongoing"].tolist() == [False, True, True]
    assert (y["start"] == pd.Timestamp("1950-11-05")).all()
    assert (y["duration"] == (dt.date(1952, 2, 10) - dt.date(1950, 11, 5)).days + 1).all()


def _leave_and_rejoin() -> pd.DataFrame:
    return spells(
        (9, 2, "1950-01-01", "1952-12-31", 1, 1),
        (9, 40, "1950-01-10", "1950-03-31", 0, 1),  # leaves in March 1950
        (9, 40, "1952-06-01", "1952-08-31", 0, 0),  # re-enters in June 1952
        (9, 40, "1952-09-01", "1953-01-31", 0, 0),  # a touching spell: same episode
    )


def test_participant_who_leaves_and_rejoins_starts_a_new_onset_by_default():
    t = dispute_dyad_years(dyadic_records(_leave_and_rejoin()))
    y = years(t, 2, 40)
    assert y.index.tolist() == [1950, 1952]  # nothing in 1951: the dyad was not in dispute
    assert y["onset"].tolist() == [True, True]
    assert y["ongoing"].tolist() == [False, False]
    # the re-entry's lead record is the rejoining spell (40 is no longer an originator)
    assert y["orig2"].tolist() == [True, False]
    assert (y["duration"] == 81 + 214).all()  # 10 Jan-31 Mar 1950, 1 Jun-31 Dec 1952


def test_rejoin_as_continuation():
    t = dispute_dyad_years(dyadic_records(_leave_and_rejoin()), reentry="continuation")
    y = years(t, 2, 40)
    assert y["onset"].tolist() == [True, False]
    assert y["ongoing"].tolist() == [False, True]


def test_rejoin_within_the_same_year_and_into_the_next():
    p = spells(
        (3, 2, "1950-01-01", "1951-12-31", 1, 1),
        (3, 20, "1950-01-01", "1950-01-31", 0, 1),
        (3, 20, "1950-06-01", "1951-02-28", 0, 1),
    )
    y = years(dispute_dyad_years(dyadic_records(p)), 20, 2)
    assert y["onset"].tolist() == [True, False]
    assert y["ongoing"].tolist() == [False, True]
    # the lead record of 1950 is the earliest onset: the January spell
    assert (y["start"] == [pd.Timestamp("1950-01-01"), pd.Timestamp("1950-06-01")]).all()


def test_new_episode_in_a_year_with_a_continuing_one_is_onset_and_ongoing():
    p = spells(
        (4, 2, "1950-01-01", "1951-12-31", 1, 1),
        (4, 20, "1950-10-01", "1951-02-28", 0, 1),
        (4, 20, "1951-06-01", "1951-07-31", 0, 0, 0, 7, 4, 2),
    )
    y = years(dispute_dyad_years(dyadic_records(p)), 2, 20)
    assert bool(y.loc[1951, "onset"]) and bool(y.loc[1951, "ongoing"])
    assert y.loc[1951, "start"] == pd.Timestamp("1951-06-01")  # lead record: the onset
    assert y.loc[1951, "hostlev"] == 4 and y.loc[1951, "fatality"] == 2
    assert y.loc[1950, "hostlev"] == 3


def test_dyadic_levels_are_the_higher_of_the_two_states_and_missing_is_nan():
    p = spells(
        (5, 2, "1950-01-01", "1950-12-31", 1, 1, 1, 17, 4, -9),
        (5, 20, "1950-01-01", "1950-12-31", 0, 1, 0, 0, 1, -9),
    )
    y = years(dispute_dyad_years(dyadic_records(p)), 20, 2)
    assert y.loc[1950, "hiact"] == 17 and y.loc[1950, "hostlev"] == 4
    assert np.isnan(y.loc[1950, "fatality"])
    assert not bool(y.loc[1950, "recip"])  # 20 took no militarized action
    assert y.loc[1950, "revstate1"] == 0 and y.loc[1950, "revstate2"] == 1


# ------------------------------------------------------------------------------------------
# input errors
# ------------------------------------------------------------------------------------------
def test_bad_input_is_reported_with_the_rows():
    good = spells((1, 2, "1950-01-01", "1950-02-01", 1, 1))
    with pytest.raises(ValueError, match="lacks column"):
        dyadic_records(good.drop(columns="orig"))
    bad = good.assign(sidea=[2])
    with pytest.raises(ValueError, match=r"'sidea' must be 0/1.*\[1, 2, 2\]"):
        dyadic_records(bad)
    backwards = good.assign(end=pd.to_datetime(["1949-12-31"]))
    with pytest.raises(ValueError, match="end before they start"):
        dyadic_records(backwards)
    with pytest.raises(ValueError, match="reentry"):
        dispute_dyad_years(dyadic_records(good), reentry="sometimes")


# ------------------------------------------------------------------------------------------
# brute force: expand every spell to days, pair states day by day
# ------------------------------------------------------------------------------------------
def _brute_force(p: pd.DataFrame) -> pd.DataFrame:
    """Dispute-dyad-year onsets/continuations by expanding spells to days (reference only)."""
    days: dict[tuple, set] = {}
    for r1 in p.itertuples():
        for r2 in p.itertuples():
            if r1.dispnum != r2.dispnum or r1.ccode == r2.ccode or r1.sidea == r2.sidea:
                continue
            lo, hi = max(r1.start, r2.start), min(r1.end, r2.end)
            d = lo
            while d <= hi:
                days.setdefault((r1.dispnum, r1.ccode, r2.ccode), set()).add(d)
                d += pd.Timedelta(days=1)
    rows = []
    for (disp, a, b), ds in days.items():
        ds = sorted(ds)
        episode_start = {}
        for i, d in enumerate(ds):
            if i == 0 or (d - ds[i - 1]).days > 1:
                current = d
            episode_start[d] = current
        for year in sorted({d.year for d in ds}):
            starts = {episode_start[d].year for d in ds if d.year == year}
            rows.append((disp, a, b, year, year in starts, any(s < year for s in starts)))
    return pd.DataFrame(rows, columns=["dispnum", "ccode1", "ccode2", "year", "onset", "ongoing"])


@st.composite
def worlds(draw):
    n = draw(st.integers(1, 7))
    rows = []
    for _ in range(n):
        start = dt.date(1950, 1, 1) + dt.timedelta(days=draw(st.integers(0, 900)))
        end = start + dt.timedelta(days=draw(st.integers(0, 500)))
        rows.append((draw(st.integers(1, 2)), draw(st.sampled_from([2, 20, 40, 90])),
                     start.isoformat(), end.isoformat(), draw(st.booleans()), draw(st.booleans())))
    return spells(*rows)


@settings(max_examples=60, deadline=None)
@given(worlds())
def test_interval_join_equals_day_by_day_pairing(p):
    ours = dispute_dyad_years(dyadic_records(p))[
        ["dispnum", "ccode1", "ccode2", "year", "onset", "ongoing"]]
    ref = _brute_force(p)
    key = ["dispnum", "ccode1", "ccode2", "year"]
    ref = ref.sort_values(key).reset_index(drop=True)
    ours = ours.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, ref, check_dtype=False)


def test_spells_without_a_side_are_dropped_with_a_warning():
    p = spells((1, 2, "1950-01-01", "1950-02-01", 1, 1), (1, 20, "1950-01-01", "1950-02-01", 0, 1),
               (1, 40, "1950-01-01", "1950-02-01", 0, 1))
    p["sidea"] = pd.array([True, False, pd.NA], dtype="boolean")
    with pytest.warns(UserWarning, match=r"1 participant spell\(s\) have no side.*\[\[1, 40\]\]"):
        r = dyadic_records(p)
    assert sorted(set(r["ccode1"])) == [2, 20] and sorted(set(r["row1"])) == [0, 1]
