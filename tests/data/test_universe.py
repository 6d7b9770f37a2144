"""The dyad-year universe: toy worlds with hand-listed pairs, and COW 2016 against peacesciencer."""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from foedus.data.panel import BuildLog
from foedus.data.spec import PanelSpec
from foedus.data.universe import build_universe, dyad_years, member_days, universe_from_frames


def _system(rows):
    return pd.DataFrame(rows, columns=["ccode", "year"])


# Three states in 1900 (2, 20, 200), two in 1901 (2, 200): listed out of order on purpose.
TOY = _system([(200, 1901), (2, 1900), (20, 1900), (200, 1900), (2, 1901)])


def test_directed_pairs_listed_by_hand():
    got = dyad_years(TOY)
    expected = pd.DataFrame(
        [(2, 20, 1900), (2, 200, 1900), (20, 2, 1900), (20, 200, 1900), (200, 2, 1900),
         (200, 20, 1900), (2, 200, 1901), (200, 2, 1901)],
        columns=["ccode1", "ccode2", "year"],
    ).astype(np.int16)
    pd.testing.assert_frame_equal(got, expected)


def test_non_directed_keeps_ccode1_below_ccode2():
    got = dyad_years(TOY, directed=False)
    assert got.values.tolist() == [[2, 20, 1900], [2, 200, 1900], [20, 200, 1900], [2, 200, 1901]]


def test_year_range_is_inclusive():
    assert set(dyad_years(TOY, years=(1901, 1901))["year"]) == {1901}
    assert len(dyad_years(TOY, years=(1900, 1901))) == 8
    assert dyad_years(TOY, years=(1950, 1960)).empty


def test_matches_brute_force_on_a_random_world():
    rng = np.random.default_rng(7)
    rows = [(c, y) for y in range(1816, 1840) for c in rng.choice(900, rng.integers(0, 12), False)]
    system = _system(rows)
    for directed in (True, False):
        brute = sorted(
            ((a, b, y)
             for y, g in system.groupby("year")
             for a, b in itertools.permutations(g["ccode"], 2)
             if directed or a < b),
            key=lambda r: (r[2], r[0], r[1]),
        )
        got = dyad_years(system, directed=directed)
        assert list(map(tuple, got.values.tolist())) == brute
        assert all(got[c].dtype == np.int16 for c in got)


def test_duplicate_state_year_is_an_error():
    with pytest.raises(ValueError, match="twice"):
        dyad_years(_system([(2, 1900), (2, 1900), (20, 1900)]))


# Same-day rule. 1900: A=100 leaves on 1 March; B=200 enters on 1 June; C=300 all year.
SPELLS = pd.DataFrame(
    {
        "ccode": [100, 200, 300],
        "styear": [1890, 1900, 1890], "stmonth": [1, 6, 1], "stday": [1, 1, 1],
        "endyear": [1900, 1901, 1901], "endmonth": [3, 12, 12], "endday": [1, 31, 31],
    }
)
SPELL_SYSTEM = _system([(100, 1900), (200, 1900), (300, 1900), (200, 1901), (300, 1901)])


def test_same_day_drops_pairs_never_members_together():
    log = BuildLog()
    kept = universe_from_frames(SPELL_SYSTEM, None, True, SPELLS, same_day=True, log=log)
    all_pairs = dyad_years(SPELL_SYSTEM)
    assert len(all_pairs) == 8
    dropped = set(map(tuple, all_pairs.values.tolist())) - set(map(tuple, kept.values.tolist()))
    assert dropped == {(100, 200, 1900), (200, 100, 1900)}
    assert log.records[0]["dropped"] == 2
    assert kept.index.equals(pd.RangeIndex(len(kept)))


def test_same_day_touching_on_one_day_counts():
    spells = SPELLS.assign(stmonth=[1, 3, 1], stday=[1, 1, 1])  # B enters the day A leaves
    kept = universe_from_frames(SPELL_SYSTEM, None, False, spells, same_day=True)
    assert (100, 200, 1900) in set(map(tuple, kept.values.tolist()))


def test_member_days_accepts_datetime_spells():
    spells = pd.DataFrame(
        {"ccode": [100], "start": pd.to_datetime(["1899-07-04"]), "end": pd.to_datetime(["1900-03-01"])}
    )
    days = member_days(_system([(100, 1899), (100, 1900)]), spells)
    as_dates = days[["first", "last"]].apply(lambda c: c.astype("datetime64[D]").astype(str))
    assert as_dates.values.tolist() == [["1899-07-04", "1899-12-31"], ["1900-01-01", "1900-03-01"]]


def test_same_day_needs_spells_and_complete_spells():
    with pytest.raises(ValueError, match="states2016"):
        universe_from_frames(SPELL_SYSTEM, same_day=True)
    with pytest.raises(ValueError, match="no membership spell"):
        universe_from_frames(
            pd.concat([SPELL_SYSTEM, _system([(300, 1950)])]), None, True, SPELLS, same_day=True
        )


# -- real data ---------------------------------------------------------------------------------
# Measured on COW system2016 / states2016 and peacesciencer 1.2.9's cow_ddy (1816-2016):
# the directed universe has 1,912,350 rows; cow_ddy has 1,912,290; the 60 extra rows are exactly
# peacesciencer's `false_cow_dyads` (pairs both in the system in a year but never on the same
# day), and the same-day universe equals cow_ddy row for row (as a set).
N_DIRECTED_1816_2016 = 1_912_350
N_SAME_DAY_1816_2016 = 1_912_290


def _keys(frame):
    return frame[["ccode1", "ccode2", "year"]].astype(np.int64)


@pytest.mark.realdata
def test_universe_agrees_with_peacesciencer_cow_ddy(raw_dir):
    from foedus.data import read_peacesciencer

    cow_ddy = _keys(read_peacesciencer("cow_ddy"))
    cow_ddy = cow_ddy[cow_ddy["year"] <= 2016].sort_values(["year", "ccode1", "ccode2"])
    false_dyads = _keys(read_peacesciencer("false_cow_dyads"))

    plain = build_universe(PanelSpec(years=(1816, 2016), disputes=None))
    assert len(plain) == N_DIRECTED_1816_2016
    extra = _keys(plain).merge(cow_ddy, how="left", indicator=True)
    extra = extra[extra["_merge"] == "left_only"].drop(columns="_merge")
    assert len(extra) == N_DIRECTED_1816_2016 - len(cow_ddy) == 60
    pd.testing.assert_frame_equal(
        extra.sort_values(["year", "ccode1", "ccode2"]).reset_index(drop=True),
        false_dyads.sort_values(["year", "ccode1", "ccode2"]).reset_index(drop=True),
    )

    same_day = build_universe(PanelSpec(years=(1816, 2016), disputes=None, same_day=True))
    assert len(same_day) == N_SAME_DAY_1816_2016
    pd.testing.assert_frame_equal(_keys(same_day), cow_ddy.reset_index(drop=True))


@pytest.mark.realdata
def test_non_directed_universe_is_half_the_directed(raw_dir):
    spec = PanelSpec(years=(1816, 2014))
    directed = build_universe(spec)
    non_directed = build_universe(spec.replace(directed=False))
    assert 2 * len(non_directed) == len(directed)
    assert (non_directed["ccode1"] < non_directed["ccode2"]).all()
    assert directed["year"].is_monotonic_increasing
