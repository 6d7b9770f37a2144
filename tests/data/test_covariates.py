"""Covariate steps: capabilities, contiguity, distance, regime, major powers.

Toy worlds with hand-computed answers first; then checks on the real releases (``realdata``)
against independent computations or official files.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from foedus.data.capabilities import capabilities_from_frame
from foedus.data.contiguity import contiguity_columns, contiguity_type, normalise_contdir
from foedus.data.distance import capital_distance, capital_years, minimum_distance
from foedus.data.majors import major_status, politically_relevant
from foedus.data.panel import BuildLog
from foedus.data.regime import check_polity2, democracy_columns, polity_cow, regime_from_frame
from foedus.data.spec import Covariates, PanelSpec


def dyads(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["ccode1", "ccode2", "year"]).astype("int16")


def haversine_km(lat1, lon1, lat2, lon2, r=6371.0088):
    """Independent great-circle distance (haversine form), scalar."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


# --------------------------------------------------------------------------- capabilities


NMC = pd.DataFrame({
    "ccode": [2, 20, 2, 20, 31, 40],
    "year": [1900, 1900, 1901, 1901, 1901, 1901],
    "cinc": [0.2, 0.05, 0.3, 0.1, 0.0, 0.0],
})


def test_capabilities_hand_computed():
    frame = dyads([(2, 20, 1900), (20, 2, 1901), (2, 31, 1901), (31, 40, 1901), (2, 99, 1901),
                   (2, 20, 1902)])
    log = BuildLog()
    out = capabilities_from_frame(frame, NMC, log=log)
    np.testing.assert_allclose(out["cinc1"], [0.2, 0.1, 0.3, 0.0, 0.3, np.nan])
    np.testing.assert_allclose(out["cinc2"], [0.05, 0.3, 0.0, 0.0, np.nan, np.nan])
    np.testing.assert_allclose(out["capratio"], [4, 3, np.nan, np.nan, np.nan, np.nan])
    np.testing.assert_allclose(out["ln_capratio"], np.log([4, 3, np.nan, np.nan, np.nan, np.nan]))
    np.testing.assert_allclose(out["capprop"], [0.8, 0.25, 1.0, np.nan, np.nan, np.nan])
    assert log.records[0]["missing"] == 2 and log.records[0]["zero_weaker"] == 2


def test_capabilities_lag_uses_previous_year():
    frame = dyads([(2, 20, 1901), (2, 20, 1900)])
    out = capabilities_from_frame(frame, NMC, lag=1)
    np.testing.assert_allclose(out["cinc1"], [0.2, np.nan])
    np.testing.assert_allclose(out["capprop"], [0.8, np.nan])


# --------------------------------------------------------------------------- contiguity

SPELLS = normalise_contdir(pd.DataFrame({
    "statelno": [2, 2, 2, 20],
    "statehno": [20, 40, 40, 40],
    "conttype": [1, 4, 1, 5],
    "begin": [190006, 190001, 190507, 189001],
    "end": [191012, 190506, 191012, 189912],
}))


def test_contiguity_closest_takes_closest_type_of_the_year():
    frame = dyads([(2, 20, 1899), (40, 20, 1899), (2, 20, 1900), (40, 2, 1905), (2, 40, 1906),
                   (20, 2, 1911), (2, 20, 2017)])
    t = contiguity_type(frame, SPELLS, "closest")
    np.testing.assert_array_equal(t, [0, 5, 1, 1, 1, 0, np.nan])


def test_contiguity_earliest_takes_type_in_force_in_first_month():
    frame = dyads([(2, 20, 1900), (2, 20, 1900), (40, 2, 1905), (2, 40, 1906)])
    first_month = np.array([1, 7, 1, 1])
    t = contiguity_type(frame, SPELLS, "earliest", first_month)
    # 2-20 becomes land-contiguous in June 1900: no contiguity in January, land in July
    # 2-40 changes from type 4 to 1 in July 1905: January's type is 4
    np.testing.assert_array_equal(t, [0, 1, 4, 1])


def test_contiguity_columns_and_na():
    cols = contiguity_columns(np.array([0, 1, 3, 5, np.nan]))
    assert cols["conttype"].tolist() == [0, 1, 3, 5, pd.NA]
    assert cols["contig_land"].tolist() == [0, 1, 0, 0, pd.NA]
    assert cols["contig_400"].tolist() == [0, 1, 1, 1, pd.NA]
    assert str(cols["conttype"].dtype) == "Int8"


def test_contiguity_rejects_backwards_spell():
    bad = SPELLS.assign(end=[189001, 190506, 191012, 189912])
    with pytest.raises(ValueError, match="ends before it begins"):
        contiguity_type(dyads([(2, 20, 1900)]), bad)


# --------------------------------------------------------------------------- distance

WASHINGTON = (38.895037, -77.036543)
RIO = (-22.911014, -43.209373)
BRASILIA = (-15.793889, -47.882778)

CAPITALS = pd.DataFrame({
    "ccode": [2, 140, 140],
    "stdate": pd.to_datetime(["1816-01-01", "1822-01-01", "1960-04-21"]),
    "enddate": pd.to_datetime(["2024-12-31", "1960-04-20", "2024-12-31"]),
    "lat": [WASHINGTON[0], RIO[0], BRASILIA[0]],
    "lng": [WASHINGTON[1], RIO[1], BRASILIA[1]],
})


def test_capital_move_rules():
    frame = dyads([(2, 140, 1959), (2, 140, 1960), (140, 2, 1961), (2, 999, 1960)])
    to_rio = haversine_km(*WASHINGTON, *RIO)
    to_brasilia = haversine_km(*WASHINGTON, *BRASILIA)
    first = capital_distance(frame, CAPITALS, "first")
    last = capital_distance(frame, CAPITALS, "last")
    np.testing.assert_allclose(first, [to_rio, to_rio, to_brasilia, np.nan], rtol=1e-9)
    np.testing.assert_allclose(last, [to_rio, to_brasilia, to_brasilia, np.nan], rtol=1e-9)
    assert 7600 < to_rio < 7800  # sanity of the hand computation (Washington-Rio ~7,700 km)


def test_capital_fixes_applied_by_the_step(monkeypatch):
    from foedus.data.distance import add_distance

    caps = CAPITALS.assign(capital=["Washington D.C.", "Rio de Janeiro", "Brasilia"])
    caps.loc[2, ["lat", "lng"]] = (-10.333333, -53.2)  # peacesciencer's point for Brasilia
    monkeypatch.setattr("foedus.data.read_capitals", lambda: caps)
    frame = dyads([(2, 140, 1961)])
    log = BuildLog()
    fixed = add_distance(frame, PanelSpec(), log)["distance"].item()
    assert fixed == pytest.approx(haversine_km(*WASHINGTON, -15.78, -47.93), rel=1e-9)
    assert log.records[0]["fixed"] == 1
    raw = add_distance(frame, PanelSpec(covariates=Covariates(capital_fixes=False)))
    assert raw["distance"].item() == pytest.approx(haversine_km(*WASHINGTON, -10.333333, -53.2))


def test_capital_years_one_row_per_state_year():
    cy = capital_years(CAPITALS, "first")
    assert not cy.duplicated(["ccode", "year"]).any()
    assert cy.loc[(cy.ccode == 140) & (cy.year == 1960), "lat"].item() == RIO[0]


def test_minimum_distance_looks_up_either_direction():
    md = pd.DataFrame({"ccode1": [2, 2], "ccode2": [20, 200], "year": [1950, 1950],
                       "mindist": [0.0, 5000.0]})
    frame = dyads([(2, 20, 1950), (20, 2, 1950), (200, 2, 1950), (2, 200, 1885)])
    np.testing.assert_array_equal(minimum_distance(frame, md), [0.0, 0.0, 5000.0, np.nan])


# --------------------------------------------------------------------------- regime

POLITY = pd.DataFrame({
    "ccode": [2, 2, 2, 2, 364, 364, 365, 41, 42, 341, 348],
    "year": [1922, 1950, 1951, 2010, 1922, 1950, 1922, 1951, 1951, 2010, 2010],
    "polity2": pd.array([10, 10, 10, 10, -6, -7, -5, 0, None, 8, 9], dtype="Int8"),
    # special codes: 41 (Haiti) 1951 in interregnum (-77 -> polity2 0); 42 occupied (-66 -> NA)
    "polity_code": pd.array([None, None, None, None, None, None, None, -77, -66, None, None],
                            dtype="Int8"),
})


def test_polity_codes_mapped_to_cow():
    p = polity_cow(POLITY).set_index(["ccode", "year"])["polity2"]
    assert p[(365, 1950)] == -7  # USSR fills Russia
    assert p[(365, 1922)] == -5  # Polity's own Russia row wins over the USSR row
    assert p[(347, 2010)] == 8   # Polity's Kosovo (341) is COW 347
    assert p[(341, 2010)] == 9   # Polity's Montenegro (348) is COW 341
    assert (364, 1950) in p.index  # unmapped codes stay (they match no COW state-year)


def test_democracy_columns_hand_computed():
    frame = dyads([(2, 365, 1950), (2, 41, 1951), (2, 42, 1951), (41, 42, 1951),
                   (341, 347, 2010), (2, 365, 1922)])
    out = regime_from_frame(frame, polity_cow(POLITY), "polity2", 6, False, "polity2")
    np.testing.assert_array_equal(out["polity2_1"], [10, 10, 10, 0, 9, 10])
    np.testing.assert_array_equal(out["polity2_2"], [-7, 0, np.nan, np.nan, 8, -5])
    assert out["dem1"].tolist() == [1, 1, 1, 0, 1, 1]
    assert out["dem2"].tolist() == [0, 0, pd.NA, pd.NA, 1, 0]
    # joint democracy is known to be 0 when one side is known not to be a democracy
    assert out["jdem"].tolist() == [0, 0, pd.NA, 0, 1, 0]
    np.testing.assert_array_equal(out["polity2_min"], [-7, 0, np.nan, np.nan, 8, -5])


def test_democracy_threshold_option():
    s1, s2 = np.array([8.0, 6.0]), np.array([9.0, 5.0])
    at8 = democracy_columns(s1, s2, 8)
    assert at8["dem1"].tolist() == [1, 0] and at8["jdem"].tolist() == [1, 0]
    strict = democracy_columns(np.array([0.5, 0.51]), np.array([0.9, 0.9]), 0.5, strict=True,
                               prefix="polyarchy")
    assert strict["dem1"].tolist() == [0, 1]
    assert set(strict) == {"polyarchy1", "polyarchy2", "dem1", "dem2", "jdem", "polyarchy_min"}


def test_check_polity2_flags_broken_rules():
    assert check_polity2(POLITY) == {"occupation_with_polity2": 0, "interregnum_not_zero": 0,
                                     "out_of_range": 0}
    broken = POLITY.assign(polity2=pd.array([10, 10, 10, 10, -6, -7, -5, 3, 2, 8, 9], dtype="Int8"))
    assert check_polity2(broken) == {"occupation_with_polity2": 1, "interregnum_not_zero": 1,
                                     "out_of_range": 0}


# --------------------------------------------------------------------------- major powers

MAJORS = pd.DataFrame({"ccode": [2, 255, 255], "styear": [1898, 1816, 1925],
                       "endyear": [2016, 1918, 1945]})


def test_major_status_and_coverage():
    status = major_status([2, 2, 255, 255, 255, 200], [1897, 1898, 1918, 1920, 1925, 2017], MAJORS)
    np.testing.assert_array_equal(status, [0, 1, 1, 0, 1, np.nan])


def test_politically_relevant_kleene_logic():
    cont = np.array([1, 0, np.nan, np.nan, 5, 0, 5])
    m1 = np.array([0, 1, 1, 0, 0, 0, 0.0])
    m2 = np.array([0, 0, 0, 0, 0, 0, 0.0])
    np.testing.assert_array_equal(politically_relevant(cont, m1, m2),
                                  [1, 1, 1, np.nan, 1, 0, 1])
    np.testing.assert_array_equal(politically_relevant(cont, m1, m2, max_conttype=4),
                                  [1, 1, 1, np.nan, 0, 0, 0])


def test_majors_step_builds_prd_from_panel_contiguity(monkeypatch):
    from foedus.data.majors import add_majors

    monkeypatch.setattr("foedus.data.read_majors", lambda: MAJORS)
    frame = dyads([(2, 20, 1950), (20, 40, 1950), (20, 40, 1951)]).assign(
        conttype=pd.array([0, 0, 2], dtype="Int8"))
    log = BuildLog()
    out = add_majors(frame, PanelSpec(covariates=Covariates(prd_contiguity=5)), log)
    assert out["major1"].tolist() == [1, 0, 0]
    assert out["prd"].tolist() == [1, 0, 1]
    assert log.records[0]["prd"] == 2


# --------------------------------------------------------------------------- real data

@pytest.fixture(scope="module")
def universe_1990s():
    from foedus.data import read_system
    from foedus.data.universe import dyad_years

    return dyad_years(read_system(), (1990, 1999), directed=True)


@pytest.mark.realdata
def test_real_capital_distances_match_independent_haversine(raw_dir):
    from foedus.data import read_capitals

    caps = read_capitals()
    # well-known pairs, with coordinates read here and distances by the haversine formula
    pairs = [(2, 200), (2, 365), (220, 255), (710, 740), (140, 160), (2, 20)]
    frame = dyads([(a, b, 2000) for a, b in pairs])
    got = capital_distance(frame, caps, "first")
    for (a, b), d in zip(pairs, got):
        ca = caps[(caps.ccode == a) & (caps.enddate.dt.year >= 2000)].iloc[-1]
        cb = caps[(caps.ccode == b) & (caps.enddate.dt.year >= 2000)].iloc[-1]
        assert abs(d - haversine_km(ca.lat, ca.lng, cb.lat, cb.lng)) < 1.0, (a, b)
    # and against distances known to the kilometre from city coordinates (Washington-London
    # 5,900 km, Paris-Berlin 880 km, Beijing-Tokyo 2,100 km): within 1%
    known = dict(zip(pairs, got))
    assert known[(2, 200)] == pytest.approx(5897, rel=0.01)
    assert known[(220, 255)] == pytest.approx(878, rel=0.01)
    assert known[(710, 740)] == pytest.approx(2098, rel=0.01)


@pytest.mark.realdata
def test_real_contiguity_vs_official_dyad_years(raw_dir):
    """COW's own dyad-year file (contdird) lists each type held in a year; 'closest' must be the
    minimum of those, and 0 for every dyad-year it does not list."""
    from foedus.data import read_contdir, read_contdird, read_system
    from foedus.data.universe import dyad_years

    frame = dyad_years(read_system(), (1816, 2016), directed=True)
    got = contiguity_type(frame, normalise_contdir(read_contdir()), "closest")
    dird = read_contdird()
    official = (dird.groupby(["state1no", "state2no", "year"], as_index=False)["conttype"].min()
                .rename(columns={"state1no": "ccode1", "state2no": "ccode2"}))
    merged = frame.assign(got=got).merge(official, on=["ccode1", "ccode2", "year"], how="left")
    expected = merged["conttype"].fillna(0).to_numpy()
    assert (merged["got"].to_numpy() == expected).all()
    assert (got >= 1).sum() > 70_000


@pytest.mark.realdata
def test_real_earliest_contiguity_matches_peacesciencer_first_slice(raw_dir):
    """peacesciencer's add_contiguity(slice='first') re-implemented slowly from its own
    cow_contdir object (monthly spells incl. explicit no-contiguity spells)."""
    from foedus.data import read_contdir, read_peacesciencer, read_states, read_system
    from foedus.data.contiguity import first_joint_month
    from foedus.data.universe import dyad_years

    frame = dyad_years(read_system(), (1816, 2016), directed=True)
    ours = contiguity_type(frame, normalise_contdir(read_contdir()), "earliest",
                           first_joint_month(frame, read_states()))
    ps = read_peacesciencer("cow_contdir").astype({"ccode1": int, "ccode2": int})
    st = pd.to_datetime(ps["stdate"])
    en = pd.to_datetime(ps["enddate"])
    months = (en.dt.year - st.dt.year) * 12 + (en.dt.month - st.dt.month) + 1
    rep = np.repeat(np.arange(len(ps)), months.to_numpy())
    k = np.arange(rep.size) - np.repeat(np.cumsum(months.to_numpy()) - months.to_numpy(),
                                        months.to_numpy())
    mon = st.dt.year.to_numpy()[rep] * 12 + (st.dt.month.to_numpy()[rep] - 1) + k
    m = pd.DataFrame({"ccode1": ps["ccode1"].to_numpy()[rep].astype(int),
                      "ccode2": ps["ccode2"].to_numpy()[rep].astype(int),
                      "mon": mon, "conttype": ps["conttype"].to_numpy()[rep].astype(int)})
    m = m.sort_values(["ccode1", "ccode2", "mon"], kind="stable")
    m["year"] = m["mon"] // 12
    first = m.drop_duplicates(["ccode1", "ccode2", "year"], keep="first")
    ref = frame.merge(first[["ccode1", "ccode2", "year", "conttype"]], how="left",
                      on=["ccode1", "ccode2", "year"])["conttype"].fillna(0).to_numpy()
    # peacesciencer merges all of a dyad's no-contiguity months into one spell from the first to
    # the last such month; where that spell overlaps a contiguity spell its 'first' slice returns
    # 0 (e.g. Germany-USSR 1940). Every difference must be of that kind.
    zero = ps[ps["conttype"] == 0]
    diff = frame.assign(month=first_joint_month(frame, read_states()))[ours != ref]
    cand = zero.merge(diff, on=["ccode1", "ccode2"])
    day = pd.to_datetime(dict(year=cand["year"], month=cand["month"], day=1))
    covered = cand[(pd.to_datetime(cand["stdate"]) <= day) & (pd.to_datetime(cand["enddate"]) >= day)]
    explained = covered.drop_duplicates(["ccode1", "ccode2", "year"])
    assert len(explained) == len(diff), f"{len(diff) - len(explained)} unexplained differences"
    assert (ref[ours != ref] == 0).all()
    assert (ours == ref).mean() > 0.999  # measured: 1,276 of 1,912,350 directed dyad-years differ


@pytest.mark.realdata
def test_real_capabilities_equal_nmc_file(raw_dir, universe_1990s):
    raw = pd.read_csv(raw_dir / "cow-nmc-6.0" / "NMC-60-abridged.csv")
    out = capabilities_from_frame(universe_1990s, raw[["ccode", "year", "cinc"]])
    sample = out.sample(2000, random_state=1)
    look = raw.set_index(["ccode", "year"])["cinc"]
    expect1 = look.reindex(list(zip(sample.ccode1, sample.year))).to_numpy()
    np.testing.assert_allclose(sample["cinc1"].to_numpy(), expect1)


@pytest.mark.realdata
def test_real_polity_mapping_fills_cow_states(raw_dir):
    from foedus.data import read_polity

    p = polity_cow(read_polity("5")).set_index(["ccode", "year"])["polity2"]
    raw = pd.read_csv(raw_dir / "polity-5-2018" / "p5v2018.csv", encoding="utf-8-sig")
    src = raw.set_index(["ccode", "year"])["polity2"]
    assert p[(365, 1980)] == src[(364, 1980)]  # USSR
    assert p[(345, 1995)] == src[(347, 1995)]  # FR Yugoslavia
    assert p[(345, 2010)] == src[(342, 2010)]  # Serbia
    assert p[(341, 2010)] == src[(348, 2010)]  # Montenegro
    assert p[(347, 2010)] == src[(341, 2010)]  # Kosovo
    assert p[(626, 2012)] == src[(525, 2012)]  # South Sudan
    assert p[(625, 2012)] == src[(626, 2012)]  # Sudan
    assert p[(770, 1960)] == src[(769, 1960)]  # Pakistan
    assert p[(816, 1990)] == src[(818, 1990)]  # Vietnam
    assert p[(530, 2000)] == src[(529, 2000)]  # Ethiopia
    assert p[(300, 1900)] == src[(305, 1900)]  # Austria-Hungary
    assert check_polity2(read_polity("5")) == {"occupation_with_polity2": 0,
                                               "interregnum_not_zero": 0, "out_of_range": 0}


# --------------------------------------------------------------------------- lookup helpers


def test_dyad_year_index_dense_and_sorted_paths_agree():
    from foedus.data import lookup

    rng = np.random.default_rng(3)
    table = pd.DataFrame({"ccode1": rng.integers(2, 990, 500), "ccode2": rng.integers(2, 990, 500),
                          "year": rng.integers(1816, 2015, 500)}).drop_duplicates()
    frame = pd.concat([table.sample(200, random_state=1),
                       pd.DataFrame({"ccode1": [2, 999, 5], "ccode2": [3, 2, 5],
                                     "year": [1700, 1900, 3000]})], ignore_index=True)
    dense = lookup.dyad_year_index(frame, table)
    # a far-away year makes the dense grid too large: the sorted-keys path is taken
    big = pd.concat([table, pd.DataFrame({"ccode1": [1], "ccode2": [998], "year": [9000]})])
    sorted_path = lookup.dyad_year_index(frame, big)
    assert (dense[:200] >= 0).all() and (dense[200:] == -1).all()
    assert (sorted_path == dense).all()
    keys = table.iloc[dense[:200]].to_numpy()
    assert (keys == frame.iloc[:200].to_numpy()).all()


def test_lookups_reject_duplicate_keys():
    from foedus.data.lookup import dyad_year_index, state_year_index

    dup = pd.DataFrame({"ccode1": [2, 2], "ccode2": [20, 20], "year": [1900, 1900]})
    with pytest.raises(ValueError, match="more than once"):
        dyad_year_index(dup, dup)
    with pytest.raises(ValueError, match="more than once"):
        state_year_index([2], [1900], pd.DataFrame({"ccode": [2, 2], "year": [1900, 1900]}))
