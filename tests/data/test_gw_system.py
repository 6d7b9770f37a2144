"""The Gleditsch-Ward system: toy spells, the COW<->GW mapping, peacesciencer's own gw_ddy, and a
GW panel's COW-keyed joins checked against the raw files."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from foedus.data import gleditsch_ward as gw
from foedus.data.errors import SpecError
from foedus.data.panel import BuildLog
from foedus.data.spec import Covariates, PanelSpec

# Digests of these specs computed by foedus before the system option and the added
# Covariates.dyad_indicators field existed (commit ea49e2a): they must not change.
OLD_DIGESTS = {
    "default": "555b737737d2683e",
    "nondirected_2000": "8b28eed3380bee55",
}


def _key(a, b, year) -> np.ndarray:
    """Sorted int64 keys of (a, b, year) triples (set comparison without Python tuples)."""
    k = (np.asarray(year, np.int64) * 1000 + np.asarray(a, np.int64)) * 1000 + np.asarray(b, np.int64)
    return np.unique(k)


# -- spec ------------------------------------------------------------------------------------
def test_digests_of_specs_without_the_new_options_are_unchanged():
    assert PanelSpec().digest() == OLD_DIGESTS["default"]
    assert PanelSpec(directed=False, years=(1816, 2000)).digest() == OLD_DIGESTS["nondirected_2000"]
    assert "dyad_indicators" not in PanelSpec().to_json()
    assert "dyad_indicators" not in PanelSpec().describe()
    assert PanelSpec(covariates=Covariates(dyad_indicators=False)).digest() == OLD_DIGESTS["default"]


def test_new_options_change_the_digest_and_round_trip():
    on = PanelSpec(system="gw", covariates=Covariates(dyad_indicators=True))
    assert on.digest() != OLD_DIGESTS["default"]
    assert PanelSpec.from_json(on.to_json()) == on
    assert "Gleditsch-Ward" in on.describe() and "dyad_indicators = True" in on.describe()


def test_gw_years_outside_gw_states_are_refused():
    with pytest.raises(SpecError, match="Gleditsch-Ward"):
        PanelSpec(system="gw", years=(1816, 2018), alliances=None, disputes=None)
    with pytest.raises(SpecError, match="system"):
        PanelSpec(system="ksg")


# -- toy spells and the mapping ----------------------------------------------------------------
def test_spells_become_every_year_they_touch():
    states = pd.DataFrame({"gwcode": [41, 41, 2],
                           "startdate": pd.to_datetime(["1816-01-01", "1819-08-15", "1817-12-31"]),
                           "enddate": pd.to_datetime(["1817-07-04", "1820-01-01", "1818-01-01"])})
    got = gw.gw_state_years(states)
    assert list(map(tuple, got.to_numpy())) == [(2, 1817), (2, 1818), (41, 1816), (41, 1817),
                                                (41, 1819), (41, 1820)]


@pytest.mark.parametrize("gwcode, year, ccode", [
    (2, 1950, 2), (340, 1900, 345), (340, 2006, 340), (340, 2010, 345), (345, 2006, 345),
    (260, 1990, 260), (260, 1991, 255), (265, 1990, 265), (678, 1990, 678), (678, 1991, 679),
    (255, 1900, 255), (711, 1930, 711),
])
def test_cow_code_of_gw_state_years(gwcode, year, ccode):
    assert gw.cow_code([gwcode], [year])[0] == ccode


def test_a_mapping_giving_one_cow_code_to_two_gw_states_is_refused(monkeypatch):
    monkeypatch.setattr(gw, "GW_TO_COW", ((340, 1816, 9999, 345, "all years"),))
    years = pd.DataFrame({"gwcode": [340, 345], "year": [2006, 2006]})
    with pytest.raises(ValueError, match="two GW states"):
        gw.cow_gw_table(years, pd.DataFrame({"ccode": [345], "year": [2006]}))


def test_toy_universe_carries_cow_codes_and_membership():
    states = pd.DataFrame({"gwcode": [260, 265, 2],
                           "startdate": pd.to_datetime(["1949-09-21", "1949-10-05", "1816-01-01"]),
                           "enddate": pd.to_datetime(["2017-12-31", "1990-10-02", "2017-12-31"])})
    cow = pd.DataFrame({"ccode": [2, 2, 260, 265, 255, 2], "year": [1990, 1991, 1990, 1990, 1991, 1954]})
    log = BuildLog()
    u = gw.gw_universe_from_frames(states, cow, (1990, 1991), directed=False, log=log)
    rows = list(map(tuple, u[["gwcode1", "gwcode2", "year", "ccode1", "ccode2", "cowsys1", "cowsys2"]]
                    .to_numpy()))
    assert rows == [(2, 260, 1990, 2, 260, 1, 1), (2, 265, 1990, 2, 265, 1, 1),
                    (260, 265, 1990, 260, 265, 1, 1), (2, 260, 1991, 2, 255, 1, 1)]
    counts = {k: v for r in log.records for k, v in r.items() if k not in ("step", "message")}
    assert counts["remapped"] == 1 and counts["gw_without_cow"] == 0 and counts["cow_without_gw"] == 0


# -- peacesciencer's gw_ddy ---------------------------------------------------------------------
@pytest.mark.realdata
def test_universe_equals_peacesciencer_gw_ddy():
    from foedus.data import read_peacesciencer, read_system

    ddy = read_peacesciencer("gw_ddy")
    false = read_peacesciencer("false_gw_dyads")
    # gw_ddy also carries GW's microstates (gw_states lists none) and runs to 2024
    ddy = ddy[(ddy["microstate1"] == 0) & (ddy["microstate2"] == 0) & (ddy["year"] <= 2017)]
    false = false[(false["microstate1"] == 0) & (false["microstate2"] == 0)]
    states, cow = read_peacesciencer("gw_states"), read_system()
    theirs = _key(ddy["gwcode1"], ddy["gwcode2"], ddy["year"])
    same_day = gw.gw_universe_from_frames(states, cow, (1816, 2017), same_day=True)
    assert len(same_day) == len(ddy) == 1_939_316
    assert np.array_equal(_key(same_day["gwcode1"], same_day["gwcode2"], same_day["year"]), theirs)
    # without the same-day rule: gw_ddy plus exactly peacesciencer's false_gw_dyads
    every = gw.gw_universe_from_frames(states, cow, (1816, 2017))
    mine = _key(every["gwcode1"], every["gwcode2"], every["year"])
    assert len(every) == len(ddy) + len(false) == 1_939_354
    assert np.array_equal(np.setdiff1d(mine, theirs), _key(false["gwcode1"], false["gwcode2"], false["year"]))


@pytest.mark.realdata
def test_mapping_counts_against_the_two_lists():
    from foedus.data import read_peacesciencer, read_system

    table = gw.cow_gw_table(gw.gw_state_years(read_peacesciencer("gw_states"), (1816, 2016)), read_system())
    changed = table[table["ccode"] != table["gwcode"]]
    # Serbia 1878-1915 and 2007-2016, Germany 1991-2016, Yemen 1991-2016
    assert len(changed) == (1915 - 1878 + 1) + (2016 - 2007 + 1) + 26 + 26
    assert not table.duplicated(["ccode", "year"]).any()
    # a GW state-year with a COW member counterpart: the COW member has that code and year
    sys_ = read_system()
    cow_keys = set(zip(sys_["ccode"].astype(int), sys_["year"].astype(int)))
    flags = [(c, y) in cow_keys for c, y in zip(table["ccode"], table["year"])]
    assert table["cowsys"].tolist() == flags
    assert not table.loc[(table["gwcode"] == 20) & (table["year"] < 1920), "cowsys"].any()


# -- a GW panel ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gw_panel():
    from foedus.data.panel import build_panel

    spec = PanelSpec(system="gw", years=(1989, 1992), disputes=None, temporal=None,
                     covariates=Covariates(mindist=True, sscore=(), regime=None, dyad_indicators=True))
    return build_panel(spec, cache=False)


@pytest.mark.realdata
def test_gw_panel_keys_and_log(gw_panel):
    f = gw_panel.frame
    assert not f.duplicated(["gwcode1", "gwcode2", "year"]).any()
    assert not f.duplicated(["ccode1", "ccode2", "year"]).any()
    assert (f["ddyad"] == f["gwcode1"].astype(int) * 1000 + f["gwcode2"]).all()
    messages = " ".join(r["message"] for r in gw_panel.log)
    assert "Gleditsch-Ward" in messages and "no COW system member counterpart" in messages


@pytest.mark.realdata
def test_cow_keyed_data_join_through_the_mapping(gw_panel, raw_dir):
    nmc = pd.read_csv(raw_dir / "cow-nmc-6.0" / "NMC-60-abridged.csv")
    cinc = {(int(c), int(y)): v for c, y, v in zip(nmc["ccode"], nmc["year"], nmc["cinc"])}
    f = gw_panel.frame
    row = f[(f["gwcode1"] == 260) & (f["gwcode2"] == 2) & (f["year"] == 1991)].iloc[0]
    assert row["ccode1"] == 255 and math.isclose(row["cinc1"], cinc[(255, 1991)])
    row = f[(f["gwcode1"] == 260) & (f["gwcode2"] == 2) & (f["year"] == 1990)].iloc[0]
    assert row["ccode1"] == 260 and math.isclose(row["cinc1"], cinc[(260, 1990)])
    # Germany is a COW major power from 1991 (majors2016), West Germany never
    assert row["major1"] == 0
    assert f.loc[(f["gwcode1"] == 260) & (f["year"] == 1991), "major1"].eq(1).all()
    # no COW counterpart -> no COW data
    assert f.loc[f["cowsys1"] == 0, "cinc1"].isna().all()


@pytest.mark.realdata
def test_gw_distances_from_the_gw_files(gw_panel):
    from foedus.data import read_peacesciencer

    f = gw_panel.frame
    caps = read_peacesciencer("gw_capitals")
    in_1990 = (caps["stdate"].dt.year <= 1990) & (caps["enddate"].dt.year >= 1990)
    us = caps[(caps["gwcode"] == 2) & in_1990].iloc[0]
    ru = caps[(caps["gwcode"] == 365) & in_1990].iloc[0]
    assert ru["capital"] == "Moscow"
    p1, p2 = math.radians(us["lat"]), math.radians(ru["lat"])
    dl = math.radians(ru["lng"] - us["lng"])
    hand = 6371.0088 * math.acos(math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl))
    got = f.loc[(f["gwcode1"] == 2) & (f["gwcode2"] == 365) & (f["year"] == 1990), "distance"].iloc[0]
    assert got == pytest.approx(hand, rel=1e-6)
    md = read_peacesciencer("gw_mindist")
    want = md[(md["gwcode1"] == 2) & (md["gwcode2"] == 20) & (md["year"] == 1991)]["mindist"].iloc[0]
    got = f.loc[(f["gwcode1"] == 20) & (f["gwcode2"] == 2) & (f["year"] == 1991), "mindist"].iloc[0]
    assert got == want


def test_cli_system_option(capsys):
    from foedus.cli import main

    assert main(["panel", "--system", "gw", "--years", "1990", "1991", "--describe"]) == 0
    assert "Gleditsch-Ward state system" in capsys.readouterr().out
