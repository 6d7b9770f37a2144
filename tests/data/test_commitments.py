"""The commitment table and the query engine.

Real data: every alliance column of the 1816-2014 panel, re-expressed through the commitment
layer, equals cell for cell what the code before that layer computed (digests stored by
``tests/reference/make_alliance_columns.py``, which runs the alliance code of a fixed older
commit, not this one). Toy worlds and random worlds: the query aggregates against a slow loop
over (dyad-year, third state, promise) that states the applicability rule directly.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from foedus.data import alliances as al
from foedus.data import commitment_queries as cq
from foedus.data import commitments as cm
from foedus.data.keys import CODE_BASE
from foedus.data.panel import BuildLog
from foedus.data.spec import AllianceQuery, AllianceRules, Covariates, PanelSpec

REFERENCE = Path(__file__).parents[1] / "reference"


# -- slow reference: the rule written per (dyad-year, promise) ---------------------------------
def _slow(frame, side, rec, mkeys, intra, aggregate):
    members = {}
    for k in mkeys.tolist():
        members.setdefault(k // CODE_BASE, set()).add(k % CODE_BASE)
    out = []
    for a, b, t in zip(frame["ccode1"], frame["ccode2"], frame["year"]):
        x, y = (b, a) if side == "target" else (a, b)
        hits = []
        for c, xx, tt, aid, unit, a1, a2, age in zip(*(rec[k] for k in ("c", "x", "year", "atopid", "unit",
                                                                          "adv1", "adv2", "age"))):
            if xx != x or tt != t or c == y:
                continue
            inside = y in members.get(unit * 10_000 + t, set())
            if (intra or not inside) and ((a1 == 0 and a2 == 0) or y in (a1, a2)):
                hits.append((c, aid, age))
        if aggregate == "any":
            out.append(int(bool(hits)))
        elif aggregate == "count":
            out.append(len({h[0] for h in hits}))
        elif aggregate == "newest_age":
            out.append(min((h[2] for h in hits), default=-1))
        elif aggregate == "oldest_age":
            out.append(max((h[2] for h in hits), default=-1))
        else:
            out.append(";".join(str(i) for i in sorted({h[1] for h in hits})))
    return out


def _random_world(seed):
    rng = np.random.default_rng(seed)
    states = np.array([2, 20, 200, 220, 255, 365, 710, 740])
    rows = []
    for aid in range(1000, 1012):
        k = rng.integers(2, 6)
        for s in rng.choice(states, k, replace=False):
            start = f"{rng.integers(1990, 1999)}-0{rng.integers(1, 9)}-01"
            row = {"atopid": aid, "member": int(s), "start": pd.Timestamp(start), "end": pd.NaT,
                   "phase": 1, "statthr1": 0, "statthr2": 0, "pubsecr": int(rng.integers(0, 3))}
            row.update({ob: int(rng.random() < 0.5) for ob in al.OBLIGATIONS})
            row.update({c: 0 for cond in al.CONDITIONS.values() for c in cond.values()})
            if rng.random() < 0.3:
                row["defcoadv"] = 1
                row["statthr1"] = int(rng.choice(states))
            rows.append(row)
    members = pd.DataFrame(rows)
    years = range(1995, 2001)
    frame = pd.DataFrame([(a, b, y) for y in years for a in states for b in states if a != b],
                         columns=["ccode1", "ccode2", "year"])
    return members, frame


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("aggregate", cm.AGGREGATES)
def test_aggregates_match_slow_loop(seed, aggregate):
    members, frame = _random_world(seed)
    table = cm.build_commitments(members, "5.1", direction="members", alliances=None)
    table = table[table["year"] <= 2000]
    mkeys = al.membership_keys(al.member_spells(members, "5.1"))
    dyads = al.DyadIndex(frame["year"], frame["ccode1"], frame["ccode2"])
    for intra in (False, True):
        rules = AllianceRules(intra_alliance=intra)
        rec = cm.records(table, cm.counted(table, rules, ("defense",)))
        for side in ("target", "challenger"):
            fast = cq.aggregate_applicable(dyads, side, rec, mkeys, intra, aggregate)
            fast = list(np.asarray(fast)) if aggregate != "ids" else list(fast.astype(str))
            assert fast == _slow(frame, side, rec, mkeys, intra, aggregate), (side, intra)


def test_query_spec_round_trip_and_describe():
    q = AllianceQuery("young_def", where="age <= 5", aggregate="newest_age")
    spec = PanelSpec(alliances=AllianceRules(queries=(q,)))
    back = PanelSpec.from_json(spec.to_json())
    assert back == spec and back.digest() == spec.digest()
    assert "young_def = newest_age of defense promises to the target" in spec.describe()
    assert spec.digest() != PanelSpec().digest()
    with pytest.raises(ValueError, match="obligations"):
        AllianceQuery("bad", obligations=("entente",))
    with pytest.raises(ValueError, match="duplicate"):
        AllianceRules(queries=(q, q))


# -- real data ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reference():
    return json.loads((REFERENCE / "alliance_columns.json").read_text())


@pytest.mark.realdata
@pytest.mark.parametrize("variant", ["default", "flags_intra_nonagg", "secret_never_location", "members_noadv"])
def test_alliance_columns_equal_pre_commitment_code(raw_dir, reference, variant):
    sys.path.insert(0, str(REFERENCE))
    from make_alliance_columns import VARIANTS, YEARS, digest

    from foedus.data.alliances import add_alliances
    from foedus.data.nuclear_defenders import add_nuclear
    from foedus.data.universe import build_universe

    spec = PanelSpec(years=YEARS, alliances=AllianceRules(**VARIANTS[variant]), disputes=None, temporal=None,
                     covariates=Covariates(nuclear="bleek2017"))
    log = BuildLog()
    frame = build_universe(spec, log)
    frame = add_nuclear(add_alliances(frame, spec, log), spec, log)
    expected = reference[variant]
    assert len(frame) == expected["_rows"]
    got = {c: digest(frame[c]) for c in expected if not c.startswith("_")}
    differ = [c for c in expected if not c.startswith("_") and got[c] != expected[c]]
    assert differ == [], f"columns differing from the pre-commitment code: {differ}"


# -- toy worlds: the audit options and a declared query -----------------------------------------
USA, UKG, FRN, GMY, RUS = 2, 200, 220, 255, 365


def _member(atopid, state, start="1990-01-01", **flags):
    row = {"atopid": atopid, "member": state, "start": pd.Timestamp(start), "end": pd.NaT, "phase": 1,
           "statthr1": 0, "statthr2": 0, "pubsecr": 0, "wartime": 0, "bilat": 1}
    row.update({ob: 0 for ob in al.OBLIGATIONS})
    row.update({c: 0 for cond in al.CONDITIONS.values() for c in cond.values()})
    row.update(flags)
    return row


def _toy_panel(rules, rows, system_states=(USA, UKG, FRN, GMY, RUS)):
    members = pd.DataFrame(rows)
    states = [USA, UKG, FRN, GMY, RUS]
    frame = pd.DataFrame([(a, b, 2000) for a in states for b in states if a != b],
                         columns=["ccode1", "ccode2", "year"])
    system = pd.DataFrame({"ccode": list(system_states), "year": 2000})
    table = cm.build_commitments(members, "5.1", direction="members", system=system, years=(2000, 2000))
    cols = al.alliance_columns(frame, members, rules, table=table)
    return frame.assign(**cols).set_index(["ccode1", "ccode2"])


# 10: UKG promises FRN defense (formed 1990, wartime); 20: USA promises FRN defense and offense
# (1998); 30: RUS promises FRN neutrality. USA is not a system member in the second world.
TOY = [_member(10, UKG, defense=1, wartime=1), _member(10, FRN, wartime=1),
       _member(20, USA, "1998-05-01", defense=1, offense=1), _member(20, FRN, "1998-05-01"),
       _member(30, RUS, "1995-01-01", neutral=1), _member(30, FRN, "1995-01-01")]


def test_wartime_and_nonsystem_options():
    p = _toy_panel(AllianceRules(), TOY)
    assert p.loc[(GMY, FRN), "n_targdef"] == 2  # UKG and USA
    p = _toy_panel(AllianceRules(wartime="exclude"), TOY)
    assert p.loc[(GMY, FRN), "n_targdef"] == 1  # USA only
    p = _toy_panel(AllianceRules(nonsystem_providers="drop"), TOY, system_states=(UKG, FRN, GMY, RUS))
    assert p.loc[(GMY, FRN), "n_targdef"] == 1  # UKG only
    assert p.loc[(USA, FRN), "n_targdef"] == 1  # USA is the challenger: UKG still counts


def test_declared_queries_on_toy_world():
    rules = AllianceRules(queries=(cm.PTARGOFF, cm.PTARGNEU, cm.TARGDEF_IDS,
                                   AllianceQuery("newest_def", aggregate="newest_age"),
                                   AllianceQuery("oldest_def", aggregate="oldest_age"),
                                   AllianceQuery("n_major_def", where="atopid != 10", aggregate="count")))
    p = _toy_panel(rules, TOY)
    # GMY challenges FRN: USA's offense (20) and RUS's neutrality (30) apply; pacts 10 and 20
    assert p.loc[(GMY, FRN), "ptargoff"] == 1 and p.loc[(GMY, FRN), "ptargneu"] == 1
    assert p.loc[(GMY, FRN), "targdef_ids"] == "10;20"
    assert p.loc[(GMY, FRN), "newest_def"] == 2 and p.loc[(GMY, FRN), "oldest_def"] == 10
    assert p.loc[(GMY, FRN), "n_major_def"] == 1
    # USA challenges FRN: USA's own promises never apply; RUS's neutrality does
    assert p.loc[(USA, FRN), "ptargoff"] == 0 and p.loc[(USA, FRN), "targdef_ids"] == "10"
    assert p.loc[(UKG, FRN), "targdef_ids"] == "20" and p.loc[(UKG, FRN), "newest_def"] == 2
    # nobody protects GMY: ages NA, ids ""
    assert pd.isna(p.loc[(FRN, GMY), "newest_def"]) and p.loc[(FRN, GMY), "targdef_ids"] == ""


def test_bad_query_filter_names_the_columns():
    rules = AllianceRules(queries=(AllianceQuery("q", where="no_such_column > 1"),))
    with pytest.raises(ValueError, match="no_such_column"):
        _toy_panel(rules, TOY)


# Measured on ATOP 5.1 / COW 2016 (issue 12's audit): promises from states outside the COW
# system in the year decide ptargdef in 608 directed dyad-years of 1816-2000.
NONSYSTEM_PTARGDEF_1816_2000 = 608


@pytest.mark.realdata
def test_secret_missing_kept_and_nonsystem_effect(raw_dir):
    from foedus.data.alliances import add_alliances
    from foedus.data.universe import build_universe

    table = cm.commitment_table(PanelSpec())
    assert sorted(table.loc[table["secret"].isna(), "atopid"].unique()) == [1140, 1145, 3887]
    spec = PanelSpec(years=(1816, 2000))
    frame = build_universe(spec)
    a = add_alliances(frame, spec, BuildLog())
    b = add_alliances(frame, spec.replace(alliances=AllianceRules(nonsystem_providers="drop")), BuildLog())
    assert int((a["ptargdef"] != b["ptargdef"]).sum()) == NONSYSTEM_PTARGDEF_1816_2000
    assert ((a["ptargdef"] == 1) | (b["ptargdef"] == 0)).all()  # dropping only removes


def test_filter_on_missing_values_is_reported():
    rows = [dict(r) for r in TOY]
    rows[0]["pubsecr"] = np.nan  # UKG's promise: secrecy unknown
    rules = AllianceRules(queries=(AllianceQuery("public_def", where="secret != 2", aggregate="count"),))
    members = pd.DataFrame(rows)
    frame = pd.DataFrame([(GMY, FRN, 2000)], columns=["ccode1", "ccode2", "year"])
    table = cm.build_commitments(members, "5.1", direction="members", years=(2000, 2000))
    log = BuildLog()
    cols = al.alliance_columns(frame, members, rules, log=log, table=table)
    assert cols["public_def"][0] == 1 and cols["n_targdef"][0] == 2
    assert any("because the filter is NA on a missing value" in line for line in log.lines())


@pytest.mark.realdata
def test_dyadic_ties_are_the_tables_own_promises(raw_dir):
    # defense / defense_ally come from ATOP's directed file; under direction="ddyr" they are
    # exactly the commitment table's promises between A and B themselves
    from foedus.data.alliances import add_alliances
    from foedus.data.universe import build_universe

    spec = PanelSpec(years=(1816, 2014))
    frame = build_universe(spec)
    out = add_alliances(frame, spec, BuildLog())
    table = cm.commitment_table(spec)
    dyads = al.DyadIndex(frame["year"], frame["ccode1"], frame["ccode2"])
    for ob in ("defense", "neutral"):
        own = table[table["obligation"] == ob]
        mine = dyads.scatter(own["year"], own["provider"], own["recipient"], np.ones(len(own), np.int8))
        np.testing.assert_array_equal(mine, out[ob].fillna(0).to_numpy(np.int8))


@pytest.mark.realdata
def test_cached_table_keeps_the_panels_inputs(raw_dir, tmp_path, monkeypatch):
    # the second panel reads the commitment table from the cache: its provenance must still
    # name ATOP's alliance-level file, which only the table's build reads
    from foedus.data.panel import build_panel

    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path))
    spec = PanelSpec(years=(1990, 1991), disputes=None, covariates=None, temporal=None)
    first = build_panel(spec, cache=False)
    assert list((tmp_path / "commitments").glob("*.parquet"))
    second = build_panel(spec.replace(years=(1990, 1991), same_day=True), cache=False)
    names = {f[2] for f in second.files}
    assert "atop5_1a.csv" in {f[2] for f in first.files} and "atop5_1a.csv" in names
