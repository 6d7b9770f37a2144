"""State-year panels (StateYearSpec): the universe of each system and state-level counts checked
against hand counts from the raw files (plain loops over the CSV rows)."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from foedus.data.errors import SpecError
from foedus.data.state_years import StateYearSpec, defense_pact_counts, mid_counts
from foedus.data.units import build_unit

# (ccode, year) checked by hand: the US in the Cold War and after, the UK before 1914, Russia,
# Germany after unification, Israel
CASES = [(2, 1950), (2, 2000), (200, 1910), (365, 1995), (255, 1991), (666, 1973)]


def _rows(path):
    with open(path, newline="", encoding="utf-8-sig") as fh:
        yield from csv.DictReader(fh)


def test_toy_defense_counts_and_mid_counts():
    members = pd.DataFrame({"atopid": [1, 1, 2, 3, 2], "member": [2, 20, 2, 2, 2],
                            "yrent": [1950, 1950, 1951, 1950, 1960],
                            "yrexit": pd.array([1952, None, 1952, 1955, 1961], dtype="Int16")})
    alliances = pd.DataFrame({"atopid": [1, 2, 3], "defense": [1, 1, 0]})
    got = defense_pact_counts(members, alliances, last_year=1953)
    want = {(2, 1950): 1, (2, 1951): 2, (2, 1952): 2, (2, 1960): 1, (2, 1961): 1,
            (20, 1950): 1, (20, 1951): 1, (20, 1952): 1, (20, 1953): 1}
    assert dict(zip(zip(got["ccode"], got["year"]), got["n_defense"])) == want
    parts = pd.DataFrame({"dispnum": [7, 7, 8, 9], "ccode": [2, 2, 2, 20],
                          "styear": [1950, 1952, 1951, 1950], "endyear": [1950, 1953, 1951, 1950]})
    got = mid_counts(parts).set_index(["ccode", "year"])
    assert got.loc[(2, 1950)].tolist() == [1, 1] and got.loc[(2, 1951)].tolist() == [1, 1]
    assert got.loc[(2, 1952)].tolist() == [1, 1]  # re-entry into dispute 7: a new onset for the state
    assert (2, 1954) not in got.index


def test_bad_options_are_named():
    with pytest.raises(SpecError, match="system='ksg'"):
        StateYearSpec(system="ksg")
    with pytest.raises(SpecError, match="alliances"):
        StateYearSpec(alliances="6.0")


@pytest.fixture(scope="module")
def cow_years():
    return build_unit(StateYearSpec(years=(1816, 2014)))


@pytest.mark.realdata
def test_cow_state_years_are_the_system_file(cow_years, raw_dir):
    f = cow_years.frame
    system = {(int(r["ccode"]), int(r["year"])) for r in _rows(raw_dir / "cow-states-2016" / "system2016.csv")
              if int(r["year"]) <= 2014}
    assert len(f) == len(system) and set(zip(f["ccode"].astype(int), f["year"].astype(int))) == system
    assert not f.duplicated(["ccode", "year"]).any()


@pytest.mark.realdata
@pytest.mark.parametrize("ccode, year", CASES)
def test_state_years_against_hand_counts(cow_years, raw_dir, ccode, year):
    f = cow_years.frame
    row = f[(f["ccode"] == ccode) & (f["year"] == year)].iloc[0]
    nmc = next(r for r in _rows(raw_dir / "cow-nmc-6.0" / "NMC-60-abridged.csv")
               if int(r["ccode"]) == ccode and int(r["year"]) == year)
    assert row["cinc"] == pytest.approx(float(nmc["cinc"]), abs=1e-12)
    major = any(int(r["ccode"]) == ccode and int(r["styear"]) <= year <= int(r["endyear"])
                for r in _rows(raw_dir / "cow-states-2016" / "majors2016.csv"))
    assert row["major"] == int(major)
    pol = next(r for r in _rows(raw_dir / "polity-5-2018" / "p5v2018.csv")
               if int(r["ccode"]) == ccode and int(r["year"]) == year)
    assert row["polity2"] == float(pol["polity2"]) and row["dem"] == int(float(pol["polity2"]) >= 6)
    # ATOP: alliances with a defense obligation; member spells entry year..exit year (0 = in force)
    pacts = {r["atopid"] for r in _rows(raw_dir / "atop-5.1" / "atop5_1a.csv") if r["defense"] == "1"}
    mine = {r["atopid"] for r in _rows(raw_dir / "atop-5.1" / "atop5_1m.csv")
            if r["atopid"] in pacts and int(r["member"]) == ccode
            and int(r["yrent"]) <= year <= (int(r["yrexit"]) if int(r["yrexit"] or 0) else 2018)}
    assert row["n_defense"] == len(mine) and row["defense"] == int(bool(mine))
    onsets, involved = set(), set()
    for r in _rows(raw_dir / "cow-mid-5.0" / "MIDB 5.0.csv"):
        if int(r["ccode"]) == ccode:
            if int(r["styear"]) == year:
                onsets.add(r["dispnum"])
            if int(r["styear"]) <= year <= int(r["endyear"]):
                involved.add(r["dispnum"])
    assert (row["mid_onsets"], row["mid_involved"], row["mid_onset"]) == (len(onsets), len(involved),
                                                                         int(bool(onsets)))


@pytest.mark.realdata
def test_coverage_gives_na_not_zero():
    f = build_unit(StateYearSpec(years=(2010, 2016), regime=None, capabilities=False)).frame
    late = f["year"] > 2014  # COW MID 5.0 ends in 2014
    assert f.loc[late, "mid_onset"].isna().all() and f.loc[~late, "mid_onset"].notna().all()
    assert f["n_defense"].notna().all()  # ATOP 5.1 runs to 2018


@pytest.mark.realdata
def test_gw_state_years_carry_both_codes(raw_dir):
    u = build_unit(StateYearSpec(system="gw", years=(1985, 2010)))
    f = u.frame
    assert not f.duplicated(["ccode", "year"]).any() and not f.duplicated(["gwcode", "year"]).any()
    germany = f[(f["gwcode"] == 260) & (f["year"] == 1991)].iloc[0]
    cow = build_unit(StateYearSpec(years=(1991, 1991))).frame.set_index(["ccode", "year"])
    assert germany["ccode"] == 255
    assert germany["cinc"] == cow.loc[(255, 1991), "cinc"] and germany["major"] == 1
    serbia = f[(f["gwcode"] == 340) & (f["year"] == 2006)].iloc[0]
    assert serbia["cowsys"] == 0 and pd.isna(serbia["cinc"])
    assert "gw_states.rda" in {name for _, _, name, _ in u.files}
