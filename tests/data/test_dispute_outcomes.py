"""Dispute outcome variables (foedus.data.dispute_outcomes).

Synthetic cases check each rule; the real-data tests read hand-picked disputes from the raw MIDA /
MIDB 5.0 and COW dyadic war files with plain ``pandas.read_csv`` (not foedus's readers) and assert
the panel's values, and compare every coded dyad-year with peacesciencer 1.2.9's objects.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from foedus.data.dispute_outcomes import (COLUMNS, cow_war_overlap, dispute_dyads, outcome_dyad_years)
from foedus.data.dyadic_disputes import dispute_dyad_years, dyadic_records
from foedus.data.spec import DisputeOutcomes, DisputeRules, PanelSpec


def _spell(dispnum, ccode, sidea, start, end, hostlev, hiact, fatality=0, orig=1):
    return dict(dispnum=dispnum, ccode=ccode, sidea=sidea, orig=orig, start=pd.Timestamp(start),
                end=pd.Timestamp(end), hostlev=hostlev, hiact=hiact, fatality=fatality, revstate=1)


@pytest.fixture
def synthetic():
    # 1: 2 threatens 20, 20 displays force back; 2: 2 -> 20 again the same year, 20 does nothing,
    # but the dispute is fatal (the fatality rule of the tie-break picks it); 3: 30 -> 40, war;
    # 4: 50 -> 60 with a missing target hostility/action (-9)
    p = pd.DataFrame([
        _spell(1, 2, 1, "1900-01-01", "1900-03-01", 2, 1), _spell(1, 20, 0, "1900-01-01", "1900-03-01", 3, 7),
        _spell(2, 2, 1, "1900-06-01", "1900-07-01", 4, 17, 1), _spell(2, 20, 0, "1900-06-01", "1900-07-01", 1, 0),
        _spell(3, 30, 1, "1910-01-01", "1911-05-01", 5, 21, 6), _spell(3, 40, 0, "1910-02-01", "1911-05-01", 5, 21, 6),
        _spell(4, 50, 1, "1920-01-01", "1920-02-01", 3, 7), _spell(4, 60, 0, "1920-01-01", "1920-02-01", -9, -9),
    ])
    disputes = pd.DataFrame({"dispnum": [1, 2, 3, 4], "disp_hostlev": [3.0, 4, 5, 3],
                             "disp_fatality": [0.0, 1, 6, np.nan], "outcome": [6.0, 4, 1, np.nan],
                             "settle": [1.0, 3, 2, 3], "recip": [1.0, 0, 1, 1]})
    records = dyadic_records(p)
    return records, dispute_dyad_years(records), disputes


def _row(out, c1, c2, year):
    return out.set_index(["ccode1", "ccode2", "year"]).loc[(c1, c2, year)]


def test_rules_on_synthetic_disputes(synthetic):
    records, table, disputes = synthetic
    out = outcome_dyad_years(records, table, disputes, DisputeRules())
    # one row per initiated directed dyad-year, initiators only (originators on side A)
    assert list(map(tuple, out[["ccode1", "ccode2", "year"]].to_numpy())) == [
        (2, 20, 1900), (30, 40, 1910), (50, 60, 1920)]
    r = _row(out, 2, 20, 1900)
    # two disputes initiated in 1900: the default tie-break (onset, fatality, ...) picks dispute 2
    assert r["outcome_dispnum"] == 2 and r["targ_resist"] == 0 and r["targ_hostlev"] == 1
    assert (r["outcome"], r["settle"], r["recip"], r["war"]) == (4, 3, 0, 0)
    w = _row(out, 30, 40, 1910)
    assert (w["targ_resist"], w["war"], w["targ_fatality"], w["disp_fatality"]) == (1, 1, 6, 6)
    m = _row(out, 50, 60, 1920)
    # missing codes stay missing
    assert np.isnan(m["targ_hostlev"]) and np.isnan(m["targ_resist"]) and np.isnan(m["outcome"])
    assert m["settle"] == 3 and m["war"] == 0
    # with 'initiated' irrelevant (all are initiated) a different order picks dispute 1
    alt = outcome_dyad_years(records, table, disputes, DisputeRules(tiebreak=("start_month",)))
    r1 = _row(alt, 2, 20, 1900)
    assert r1["outcome_dispnum"] == 1 and r1["targ_resist"] == 1 and r1["targ_hostlev"] == 3
    # the recip rule reads the dispute-level flag: 50 -> 60 resisted by the flag, NA by action
    rec = outcome_dyad_years(records, table, disputes, DisputeRules(), resist="recip")
    assert _row(rec, 50, 60, 1920)["targ_resist"] == 1 and _row(rec, 2, 20, 1900)["targ_resist"] == 0


def test_resist_falls_back_on_highest_action_without_hostility_level(synthetic):
    records, table, disputes = synthetic
    records = records.assign(hostlev1=np.nan, hostlev2=np.nan)  # as GML's participant file
    out = outcome_dyad_years(records, table, disputes, DisputeRules(tiebreak=("start_month",)))
    assert _row(out, 2, 20, 1900)["targ_resist"] == 1  # hiact 7 >= 1
    assert np.isnan(_row(out, 2, 20, 1900)["targ_hostlev"])
    assert np.isnan(_row(out, 50, 60, 1920)["targ_resist"])  # hiact -9


def test_cow_war_overlap_bounds_and_errata(synthetic):
    records, table, disputes = synthetic
    dyads = dispute_dyads(records)
    d = dyads[(dyads["ccode1"] == 30) & (dyads["ccode2"] == 40)]
    # the dyad's dispute runs 1910-02-01 .. 1911-05-01
    wars = pd.DataFrame({"warnum": [1, 2, 3], "statea": [30, 30, 40], "stateb": [40, 40, 30],
                         "year": [1911, 1909, 1911],
                         "start": pd.to_datetime(["1911-05-01", "1909-01-01", pd.NaT]),
                         "end": pd.to_datetime(["1911-08-01", "1909-12-31", pd.NaT])})
    assert cow_war_overlap(d, wars.iloc[[0]]).tolist() == [True]   # touches the last day
    assert cow_war_overlap(d, wars.iloc[[1]]).tolist() == [False]  # ended before
    assert cow_war_overlap(d, wars.iloc[[2]]).tolist() == [False]  # other direction only
    undated = wars.iloc[[2]].assign(statea=30, stateb=40)
    assert cow_war_overlap(d, undated).tolist() == [True]  # NaT dates: the row's whole year
    out = outcome_dyad_years(records, table, disputes, DisputeRules(), war="cow", wars=wars)
    assert _row(out, 30, 40, 1910)["war"] == 1 and _row(out, 2, 20, 1900)["war"] == 0


def test_spec_section_round_trip_and_errors():
    spec = PanelSpec(outcomes=DisputeOutcomes(resist="recip", war="cow"))
    back = PanelSpec.from_json(spec.to_json())
    assert back == spec and back.digest() == spec.digest()
    assert spec.digest() != PanelSpec(outcomes=DisputeOutcomes()).digest() != PanelSpec().digest()
    assert "Dispute outcomes: resist = recip; war = cow" in spec.describe()
    with pytest.raises(ValueError, match="directed panel"):
        PanelSpec(directed=False, outcomes=DisputeOutcomes())
    with pytest.raises(ValueError, match="not one of"):
        DisputeOutcomes(resist="threat")


#: crosstab of war (hostlev 5, rows) and war (COW war, columns; -1 = NA after 2007), MID 5.0
BOTH_WAR_RULES = {(0, -1): 200, (0, 0): 2342, (0, 1): 25, (1, 0): 26, (1, 1): 99}

# --------------------------------------------------------------------------------------------
# real data
# --------------------------------------------------------------------------------------------
def _panel(**rules):
    from foedus.data.panel import build_panel

    spec = PanelSpec(years=(1816, 2014), alliances=None, covariates=None, temporal=None,
                     disputes=DisputeRules(**rules.pop("disputes", {})),
                     outcomes=DisputeOutcomes(**rules))
    return build_panel(spec, cache=False)


@pytest.fixture(scope="module")
def mid5_panel(raw_dir):
    return _panel()


def _coded(panel):
    f = panel.frame
    return f[f["dispute"] == 1]


@pytest.mark.realdata
def test_panel_step_is_a_left_join_coding_initiations_only(mid5_panel):
    f = mid5_panel.frame
    init = f["dispute"] == 1
    assert init.sum() == 2692
    for col in COLUMNS:
        assert f.loc[~init.fillna(False), col].isna().all(), col
    assert f.loc[init, "targ_resist"].notna().all() and f.loc[init, "war"].notna().all()
    # the disputes step's selected dispute is the coded one unless A did not initiate it
    differ = init & (f["dispnum"] != f["outcome_dispnum"])
    assert int(differ.sum()) == 80
    assert [r["differ"] for r in mid5_panel.log if "differ" in r] == [80]


@pytest.mark.realdata
@pytest.mark.parametrize("dispnum", [2, 4, 8, 4398])
def test_hand_checked_bilateral_disputes(mid5_panel, raw_dir, dispnum):
    a = pd.read_csv(raw_dir / "cow-mid-5.0" / "MIDA 5.0.csv").set_index("dispnum").loc[dispnum]
    b = pd.read_csv(raw_dir / "cow-mid-5.0" / "MIDB 5.0.csv")
    b = b[b["dispnum"] == dispnum]
    assert len(b) == 2  # bilateral: one initiator (side A), one target
    init, targ = b[b["sidea"] == 1].iloc[0], b[b["sidea"] == 0].iloc[0]
    row = mid5_panel.frame.set_index(["ccode1", "ccode2", "year"]).loc[
        (init["ccode"], targ["ccode"], init["styear"])]

    def code(v):
        return None if v == -9 else v

    def value(v):
        return None if pd.isna(v) else v

    assert row["dispute"] == 1 and row["outcome_dispnum"] == dispnum
    assert row["targ_hostlev"] == targ["hostlev"] and row["targ_hiact"] == targ["hiact"]
    assert row["targ_resist"] == int(targ["hostlev"] >= 2)
    assert value(row["targ_fatality"]) == code(targ["fatality"])
    assert row["disp_hostlev"] == a["hostlev"] and row["war"] == int(a["hostlev"] == 5)
    for col in ("fatality", "outcome", "settle"):
        assert value(row["disp_" + col if col == "fatality" else col]) == code(a[col]), col
    assert row["recip"] == a["recip"]


@pytest.mark.realdata
def test_hand_checked_gulf_war_iraq_kuwait(mid5_panel, raw_dir):
    """MID 3957 (29 participants): Iraq's invasion of Kuwait, 2 August 1990."""
    b = pd.read_csv(raw_dir / "cow-mid-5.0" / "MIDB 5.0.csv")
    kuw = b[(b["dispnum"] == 3957) & (b["ccode"] == 690)].iloc[0]
    row = mid5_panel.frame.set_index(["ccode1", "ccode2", "year"]).loc[(645, 690, 1990)]
    assert row["outcome_dispnum"] == 3957 and row["targ_hostlev"] == kuw["hostlev"] == 4
    assert row["targ_resist"] == 1 and row["disp_hostlev"] == 5 and row["war"] == 1
    # the COW rule: Kuwait is no participant of the COW Gulf War (war 211, 1991) in the dyadic
    # war file, so Iraq -> Kuwait is no war under war='cow' although MID 3957 reached level 5
    w = pd.read_csv(raw_dir / "cow-dyadic-war-may2018" / "directed_dyadic_war.csv")
    assert not ((w["statea"] == 645) & (w["stateb"] == 690)).any()
    cow = _panel(war="cow").frame.set_index(["ccode1", "ccode2", "year"])
    assert cow.loc[(645, 690, 1990), "war"] == 0 and cow.loc[(645, 690, 1990), "targ_resist"] == 1
    # MID 8, UKG -> Iran 1856-57: the file's UKG-Iran rows (Anglo-Persian war) overlap it
    ukg_irn = w[(w["statea"] == 200) & (w["stateb"] == 630)]
    assert set(ukg_irn["year"]) & {1856, 1857}
    assert cow.loc[(200, 630, 1856), "war"] == 1 and cow.loc[(200, 630, 1856), "outcome_dispnum"] == 8
    # the war data end in 2007: later initiations are NA under war='cow'
    late = cow[(cow.index.get_level_values("year") > 2007) & (cow["dispute"] == 1)]
    assert len(late) and late["war"].isna().all()
    # the two war rules side by side, on the 2,692 initiations of MID 5.0
    keys = _coded(mid5_panel).set_index(["ccode1", "ccode2", "year"])
    pairs = zip(keys["war"].astype(int), cow.loc[keys.index, "war"].fillna(-1).astype(int))
    assert dict(sorted(pd.Series(list(pairs)).value_counts().items())) == BOTH_WAR_RULES


@pytest.mark.realdata
def test_agreement_with_peacesciencer_cow_mid_dirdisps_and_disps(mid5_panel):
    from foedus.data import read_peacesciencer

    s = _coded(mid5_panel).reset_index()
    s = s.assign(dispnum=s["outcome_dispnum"].astype("int64"))
    ps = read_peacesciencer("cow_mid_dirdisps")
    m = s.merge(ps.astype({k: "int64" for k in ("dispnum", "ccode1", "ccode2", "year")}),
                on=["dispnum", "ccode1", "ccode2", "year"], how="left", indicator=True,
                suffixes=("", "_ps"))
    assert (m["_merge"] == "both").all()  # every coded dispute-dyad-year is in peacesciencer's

    def share(ours, ref):
        x, y = m[ours].astype(float), m[ref].astype(float).where(lambda v: v >= 0)  # -9 -> NaN
        return ((x == y) | (x.isna() & y.isna())).mean()

    # target-level: peacesciencer's state-2 values of the same dispute-dyad-year: 2,692 of 2,692
    for ours, ref in (("targ_hostlev", "hostlev2"), ("targ_hiact", "hiact2"),
                      ("targ_fatality", "fatality2")):
        assert share(ours, ref) == 1.0, ours
    disps = read_peacesciencer("cow_mid_disps").astype({"dispnum": "int64"})
    m = s.merge(disps, on="dispnum", how="left", suffixes=("", "_ps"))
    for ours, ref in (("disp_hostlev", "hostlev_ps"), ("disp_fatality", "fatality_ps"),
                      ("outcome", "outcome_ps"), ("settle", "settle_ps"), ("recip", "recip_ps")):
        assert share(ours, ref) == 1.0, ours
    # the two resistance rules agree on 2,612 of 2,692 initiations (97.0%)
    agree = (s["targ_resist"] == s["recip"]).sum()
    assert agree == 2612


@pytest.mark.realdata
def test_gml_targ_resist_agrees_with_gml_dirdisp(raw_dir):
    from foedus.data import read_peacesciencer

    s = _coded(_panel(disputes={"source": "gml", "version": "2.2.1"})).reset_index()
    assert s["targ_hostlev"].isna().all() and s["targ_resist"].notna().all()
    ref = read_peacesciencer("gml_dirdisp").astype({k: "int64" for k in ("dispnum", "ccode1", "ccode2", "year")})
    m = s.assign(dispnum=s["outcome_dispnum"].astype("int64")).merge(
        ref, on=["dispnum", "ccode1", "ccode2", "year"], how="inner", suffixes=("", "_ps"))
    agree = (m["targ_resist"].astype(int) == (m["hostlev2"] >= 2).astype(int)).mean()
    assert len(m) == len(s) and agree == 1.0


@pytest.mark.realdata
def test_mid310_recip_rule_is_missing_and_logged(raw_dir):
    panel = _panel(resist="recip", disputes={"version": "3.10"})
    coded = _coded(panel)
    assert len(coded) == 2548 and coded["targ_resist"].isna().all() and coded["war"].notna().all()
    assert any("so is targ_resist" in r["message"] for r in panel.log)


# --------------------------------------------------------------------------------------------
# the target's applicable defenders (foedus.data.defender_capabilities)
# --------------------------------------------------------------------------------------------
def test_applicable_defenders_synthetic():
    from foedus.data.alliances import membership_keys
    from foedus.data.defender_capabilities import applicable_defenders

    rows = pd.DataFrame({"ccode1": [2, 2, 20], "ccode2": [20, 30, 2], "year": [1950, 1950, 1950]})
    # 200 -> 20 in alliance 1 (general), 220 -> 20 in alliance 2 (names 40 only), 2 -> 20 (the
    # challenger itself), 365 -> 20 in alliance 3 to which 2 belongs (blocked), 365 -> 20 also in
    # alliance 4 (general: applies); 200 -> 30 in alliance 1
    promise = pd.DataFrame({"c": [200, 220, 2, 365, 365, 200], "x": [20, 20, 20, 20, 20, 30],
                            "year": 1950, "unit": [10, 20, 30, 30, 40, 10],
                            "adv1": [0, 40, 0, 0, 0, 0], "adv2": 0})
    spells = pd.DataFrame({"unit": [30, 30, 30], "member": [2, 20, 365],
                           "d0": np.datetime64("1950-01-01", "D").astype(np.int64),
                           "d1": np.datetime64("1950-12-31", "D").astype(np.int64)})
    mkeys = membership_keys(spells)
    pairs = applicable_defenders(rows, promise, mkeys)
    assert list(map(tuple, pairs.to_numpy())) == [(0, 200), (0, 365), (1, 200)]
    both = applicable_defenders(rows, promise, mkeys, intra_alliance=True)
    assert list(map(tuple, both.to_numpy())) == [(0, 200), (0, 365), (1, 200)]
    named = promise.assign(adv1=[0, 2, 0, 0, 0, 0])
    assert (0, 220) in set(map(tuple, applicable_defenders(rows, named, mkeys).to_numpy()))


@pytest.mark.realdata
def test_defenders_match_n_targdef_and_nmc(raw_dir):
    from foedus.data.panel import build_panel
    from foedus.replication.johnson_leeds_2011 import base_spec

    spec = base_spec("mid50").replace(outcomes=DisputeOutcomes(defenders=True))
    f = build_panel(spec, columns=["dispute", "n_targdef", "targ_def_n", "targ_def_cinc"]).frame
    init = f["dispute"] == 1
    s = f[init]
    # the count of listed defenders equals the alliance step's n_targdef (another algorithm)
    assert len(s) == 2279 and (s["targ_def_n"] == s["n_targdef"]).all()
    assert f.loc[~init.fillna(False), ["targ_def_n", "targ_def_cinc"]].isna().all().all()
    assert int(s["targ_def_cinc"].isna().sum()) == 24
    assert (s.loc[s["targ_def_n"] == 0, "targ_def_cinc"] == 0).all()


@pytest.mark.realdata
def test_dyadic_war_reader(raw_dir):
    from foedus.data.readers import read_dyadic_war

    w = read_dyadic_war()
    raw = pd.read_csv(raw_dir / "cow-dyadic-war-may2018" / "directed_dyadic_war.csv")
    assert len(w) == len(raw) == 1364
    # both orders of every pair-year are present
    fwd = set(zip(w["warnum"], w["statea"], w["stateb"], w["year"]))
    assert fwd == set(zip(w["warnum"], w["stateb"], w["statea"], w["year"]))
    # the errata (start month 24, end year 19118) leave those rows undated, nothing is guessed
    assert set(raw.index[raw["warstrtmnth"] > 12]) == set(w.index[w["start"].isna()])
    assert set(raw.index[raw["warendyr"] > 2030]) == set(w.index[w["end"].isna()])
    dated = w.dropna(subset=["start", "end"])
    assert (dated["start"] <= dated["end"]).all()
    assert (dated["start"].dt.year == raw.loc[dated.index, "warstrtyr"]).all()
