"""Nuclear-power status table and the dyad-year nuclear variables.

The spot checks write the years printed in the cited sources (see docs/nuclear-status.md):
Bleek (2017), Table 1, "acquire" column; Arms Control Association, Nuclear Testing Tally.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from foedus.data import nuclear_defenders, nuclear_status, nuclear_target_data
from foedus.data.nuclear_status import CODINGS, SOURCES, is_nuclear, nuclear_state_years, nuclear_status_table
from foedus.replication.fuhrmann_sechser_2014 import target_data_spec

# Bleek (2017), Table 1, "acquire": (ccode, first, last or None)
BLEEK_2017 = {
    2: (1945, None),     # United States "1945-"
    365: (1949, None),   # Russia "1949-"
    200: (1952, None),   # United Kingdom "1952-"
    220: (1960, None),   # France "1960-"
    710: (1964, None),   # China "1964-"
    666: (1967, None),   # Israel "1967-"
    560: (1979, 1991),   # South Africa "1979-91"
    770: (1987, None),   # Pakistan "1987-"
    750: (1987, None),   # India "1987-"
    731: (2006, None),   # North Korea "2006-"
}

# Arms Control Association, first nuclear explosive test
FIRST_TEST = {2: 1945, 365: 1949, 200: 1952, 220: 1960, 710: 1964, 750: 1974, 770: 1998, 731: 2006}


def _as_dict(table: pd.DataFrame) -> dict:
    return {int(r.ccode): (int(r.first_year), None if pd.isna(r.last_year) else int(r.last_year))
            for r in table.itertuples()}


def test_default_coding_is_bleek_2017_spot_checks():
    table = nuclear_status_table()
    assert _as_dict(table) == BLEEK_2017
    assert set(table["source"]) == {"bleek2017"}


def test_first_test_coding():
    table = nuclear_status_table("first_test")
    assert {k: v[0] for k, v in _as_dict(table).items()} == FIRST_TEST
    assert 666 not in set(table["ccode"]) and 560 not in set(table["ccode"])


def test_fs2014_reading_differs_from_bleek_only_for_india():
    fs = _as_dict(nuclear_status_table("fs2014"))
    bleek = _as_dict(nuclear_status_table("bleek2017"))
    assert fs[750] == (1974, None)
    assert {k: v for k, v in fs.items() if k != 750} == {k: v for k, v in bleek.items() if k != 750}


def test_every_row_cites_a_known_source():
    for coding in CODINGS:
        table = nuclear_status_table(coding)
        assert set(table["source"]) <= set(SOURCES)
        assert table["ccode"].is_unique


def test_overrides_replace_open_close_and_remove():
    table = nuclear_status_table(overrides=["666:1969-", "560:1979-1990", "770:", "999:2001-2003"])
    got = _as_dict(table)
    assert got[666] == (1969, None)
    assert got[560] == (1979, 1990)
    assert 770 not in got
    assert got[999] == (2001, 2003)
    assert table.set_index("ccode").loc[666, "source"] == "user"
    assert table.set_index("ccode").loc[666, "stateabb"] == "ISR"


@pytest.mark.parametrize("bad", ["666", "666:19-", "ISR:1967-", "560:1991-1979"])
def test_bad_override_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="nuclear override"):
        nuclear_status_table(overrides=[bad])


def test_unknown_coding():
    with pytest.raises(ValueError, match="unknown nuclear coding"):
        nuclear_status_table("sipri")


def test_state_years_bounds_and_closed_spell():
    sy = nuclear_state_years(years=(1950, 2000))
    sa = sy.loc[sy["ccode"] == 560, "year"]
    assert (sa.min(), sa.max(), len(sa)) == (1979, 1991, 13)
    usa = sy.loc[sy["ccode"] == 2, "year"]
    assert (usa.min(), usa.max()) == (1950, 2000)
    assert 731 not in set(sy["ccode"])  # North Korea after 2000
    assert not sy.duplicated().any()
    # 1990: USA, RUS, UKG, FRN, CHN, ISR, SAF, PAK, IND
    assert set(sy.loc[sy["year"] == 1990, "ccode"]) == {2, 365, 200, 220, 710, 666, 560, 770, 750}


def test_is_nuclear_matches_state_years():
    sy = nuclear_state_years(years=(1940, 2010))
    codes = np.array([2, 2, 666, 666, 560, 560, 560, 750, 42])
    years = np.array([1944, 1945, 1966, 1967, 1978, 1991, 1992, 1987, 1990])
    expected = [False, True, False, True, False, True, False, True, False]
    assert is_nuclear(codes, years).tolist() == expected
    members = set(zip(sy["ccode"].tolist(), sy["year"].tolist()))
    assert [(c, y) in members for c, y in zip(codes.tolist(), years.tolist())] == expected


def test_is_nuclear_shape_mismatch():
    with pytest.raises(ValueError, match="shape"):
        is_nuclear([2, 365], [1950])


def test_module_names_its_default():
    assert nuclear_status.DEFAULT_CODING == "bleek2017"


# -- toy worlds for the dyad-year variables ----------------------------------------------------

from foedus.data.cow_alliances import cow_defense_ally, cow_defense_promises  # noqa: E402
from foedus.data.nuclear_defenders import add_nuclear_status, defender_counts  # noqa: E402


def _dyads(rows):
    return pd.DataFrame(rows, columns=["ccode1", "ccode2", "year"]).astype("int16")


@pytest.fixture
def world():
    """A toy world.

    Alliance 1 (defense): USA(2), UKG(200), Netherlands(210), Belgium(211) from 1949, open.
    Alliance 2 (defense): SAF(560), Zimbabwe(552) 1975-1985.
    Alliance 3 (neutrality only): USA(2), Mexico(70) -- not a defense pact.
    """
    members = pd.DataFrame(
        [(1, 2, 1, 1949, None), (1, 200, 1, 1949, None), (1, 210, 1, 1949, None),
         (1, 211, 1, 1949, None), (2, 560, 1, 1975, 1985), (2, 552, 1, 1975, 1985),
         (3, 2, 0, 1950, None), (3, 70, 0, 1950, None)],
        columns=["version4id", "ccode", "defense", "mem_st_year", "mem_end_year"],
    )
    frame = _dyads([
        (365, 210, 1960),  # USSR -> NTH: defenders USA, UKG (nuclear), BEL (not)
        (2, 210, 1960),    # USA -> NTH: same alliance; intra-alliance promises blocked
        (365, 70, 1960),   # USSR -> MEX: neutrality pact only -> none
        (200, 2, 1960),    # UKG -> USA: same alliance
        (540, 552, 1980),  # Angola -> ZIM: SAF nuclear in 1980 (Bleek 1979-91)
        (540, 552, 1978),  # before SAF acquires: SAF a non-nuclear defender
        (540, 552, 1990),  # after alliance 2 ends: no defenders
        (560, 552, 1980),  # SAF -> ZIM: the challenger's own promise is not a third party's
    ])
    return members, frame


def test_cow_defense_promises_pairs_every_member_of_a_defense_pact(world):
    members, _ = world
    p, mkeys = cow_defense_promises(members, years=(1950, 2000))
    y60 = p.loc[p["year"] == 1960]
    assert len(y60) == 4 * 3  # 4 members of alliance 1, ordered pairs
    assert not ((p["c"] == 70) | (p["x"] == 70)).any()  # neutrality only
    sa = p.loc[(p["c"] == 560) & (p["x"] == 552), "year"]
    assert (sa.min(), sa.max()) == (1975, 1985)
    assert p.loc[p["c"] == 2, "year"].max() == 2000  # open membership runs to the end
    assert (p[["adv1", "adv2"]] == 0).all().all()
    # membership keys: (alliance * 10000 + year) * 1000 + member
    assert (1 * 10_000 + 1960) * 1000 + 211 in set(mkeys.tolist())


def _counts(world, coding="bleek2017", intra=False, covered=None):
    members, frame = world
    promise, mkeys = cow_defense_promises(members, (1950, 2000))
    return defender_counts(frame, promise, mkeys, nuclear_status_table(coding), intra, covered)


def test_defender_counts_on_toy_world(world):
    out = _counts(world)
    assert out["n_targdef_nuc"].tolist() == [2, 0, 0, 0, 1, 0, 0, 0]
    assert out["n_targdef_nonnuc"].tolist() == [1, 0, 0, 0, 0, 1, 0, 0]
    assert out["targdef_nuc"].tolist() == [True, False, False, False, True, False, False, False]
    assert out.index.equals(world[1].index)


def test_defender_counts_intra_alliance(world):
    out = _counts(world, intra=True)
    # USA -> NTH: UKG still counts; UKG -> USA: NTH and BEL count; SAF -> ZIM: SAF never
    assert out["n_targdef_nuc"].tolist() == [2, 1, 0, 0, 1, 0, 0, 0]
    assert out["n_targdef_nonnuc"].tolist() == [1, 1, 0, 2, 0, 1, 0, 0]


def test_defender_counts_depend_on_the_coding(world):
    out = _counts(world, coding="first_test")  # South Africa never a nuclear power
    assert out["n_targdef_nuc"].tolist()[4] == 0
    assert out["n_targdef_nonnuc"].tolist()[4] == 1


def test_coverage_gives_na_not_zero(world):
    covered = world[1]["year"].to_numpy() <= 1980
    covered[-1] = True
    out = _counts(world, covered=covered)
    assert out["n_targdef_nuc"].isna().tolist() == [False] * 6 + [True, False]
    assert out["targdef_nuc"].isna().tolist() == [False] * 6 + [True, False]


def test_cow_defense_ally(world):
    members, frame = world
    promise, _ = cow_defense_promises(members, (1950, 2000))
    assert cow_defense_ally(frame, promise).tolist() == [False, True, False, True, False, False,
                                                          False, True]


def test_add_nuclear_status(world):
    _, frame = world
    out = add_nuclear_status(frame, nuclear_status_table())
    assert out["nuclear1"].tolist() == [True, True, True, True, False, False, False, True]
    assert out["nuclear2"].tolist() == [False, False, False, True, False, False, False, False]
    assert out[["ccode1", "ccode2", "year"]].equals(frame)


def test_add_nuclear_step_with_cow_alliances(world, monkeypatch):
    """The panel step on a toy world: COW source, coding and overrides from the spec."""
    from foedus.data.panel import BuildLog
    from foedus.data.spec import AllianceRules, Covariates, PanelSpec

    members, frame = world
    monkeypatch.setattr(nuclear_defenders, "cow_alliance_file", lambda: "toy.csv")
    import foedus.data.readers.cow_alliance as reader
    monkeypatch.setattr(reader, "read_cow_alliance", lambda path: members)
    spec = PanelSpec(years=(1950, 2000),
                     alliances=AllianceRules(intra_alliance=True),
                     covariates=Covariates(nuclear="bleek2017", nuclear_overrides=("560:",),
                                           nuclear_alliances="cow"))
    log = BuildLog()
    out = nuclear_defenders.add_nuclear(frame, spec, log)
    assert out[["ccode1", "ccode2", "year"]].equals(frame)
    # South Africa removed by the override: a non-nuclear defender of Zimbabwe in 1980
    assert out["n_targdef_nuc"].tolist() == [2, 1, 0, 0, 0, 0, 0, 0]
    assert out["n_targdef_nonnuc"].tolist() == [1, 1, 0, 2, 1, 1, 0, 0]
    assert out["cow_defense_ally"].tolist() == [False, True, False, True, False, False, False, True]
    assert any("nuclear powers (bleek2017, overrides 560:)" in r["message"] for r in log.records)


def test_spec_round_trips_nuclear_options():
    from foedus.data.spec import Covariates, PanelSpec

    spec = PanelSpec(covariates=Covariates(nuclear="fs2014", nuclear_overrides=["560:1979-1990"]))
    back = PanelSpec.from_json(spec.to_json())
    assert back == spec and back.covariates.nuclear_overrides == ("560:1979-1990",)
    assert spec.digest() != PanelSpec(covariates=Covariates(nuclear="bleek2017")).digest()
    with pytest.raises(ValueError):
        Covariates(nuclear="sipri")


def test_target_data_joined_on_target_year(world, monkeypatch, tmp_path):
    from foedus.data.panel import BuildLog
    from foedus.data.spec import AllianceRules, Covariates, PanelSpec

    members, frame = world
    csv = tmp_path / "fs_target.csv"
    csv.write_text("ccode,year,deployment,us_troops\n210,1960,1,5.2\n70,1960,0,0\n2,1960,0,0\n")
    monkeypatch.setattr(nuclear_defenders, "cow_alliance_file", lambda: "toy.csv")
    import foedus.data.readers.cow_alliance as reader
    monkeypatch.setattr(reader, "read_cow_alliance", lambda path: members)
    spec = PanelSpec(years=(1950, 2000), alliances=AllianceRules(),
                     covariates=Covariates(nuclear="bleek2017", nuclear_alliances="cow",
                                           nuclear_target_data=target_data_spec(csv)))
    log = BuildLog()
    out = nuclear_defenders.add_nuclear(frame, spec, log)
    assert out["deployment2"].tolist()[:4] == [1, 1, 0, 0]
    assert out["us_troops2"].tolist()[:2] == [5.2, 5.2]
    assert np.isnan(out["deployment2"].to_numpy()[4:]).all()  # target-years not in the file
    assert any("4 dyad-years whose target-year is not in the file" in r["message"]
               for r in log.records)
    csv.write_text("ccode,year,deployment,us_troops\n210,1960,0,0\n")
    with pytest.raises(ValueError, match="the file changed"):
        nuclear_defenders.add_nuclear(frame, spec, BuildLog())


@pytest.mark.parametrize("text, match", [
    ("ccode,year,deployment\n2,1960,1\n", "missing"),
    ("ccode,year,deployment,us_troops\n2,1960,1,0\n2,1960,0,0\n", "line 3"),
    ("ccode,year,deployment,us_troops\nUSA,1960,1,0\n", "line 2"),
])
def test_target_data_bad_files(tmp_path, text, match):
    csv = tmp_path / "bad.csv"
    csv.write_text(text)
    with pytest.raises(ValueError, match=match):
        nuclear_target_data.read_target_data(csv)


@pytest.mark.realdata
@pytest.mark.parametrize("source", ["atop", "cow"])
def test_real_alliances_known_cases(raw_dir, source):
    """Historical cases: NATO's nuclear members defend West Germany against the USSR (1960);
    the US defends the Republic of China against the PRC (1954 treaty; 1958); no nuclear power
    is a third-party defender of the USSR against the USA in 1981 (COW codes the Sino-Soviet
    defense treaty of 1950 until 1980)."""
    from foedus.data.panel import build_panel
    from foedus.data.spec import AllianceRules, Covariates, PanelSpec

    spec = PanelSpec(
        years=(1958, 1981), alliances=AllianceRules(version="5.1"), disputes=None, temporal=None,
        covariates=Covariates(capabilities=False, contiguity=False, distance=False, regime=None,
                              majors=False, sscore=(), nuclear="bleek2017",
                              nuclear_alliances=source))
    f = build_panel(spec, cache=False).frame.set_index(["ccode1", "ccode2", "year"])
    assert f.loc[(365, 260, 1960), "targdef_nuc"]
    assert f.loc[(365, 260, 1960), "n_targdef_nuc"] == 3  # USA, UKG, FRN
    assert f.loc[(710, 713, 1958), "targdef_nuc"]
    assert not f.loc[(2, 365, 1981), "targdef_nuc"]
    assert f.loc[(2, 365, 1981), "nuclear1"] and f.loc[(2, 365, 1981), "nuclear2"]
