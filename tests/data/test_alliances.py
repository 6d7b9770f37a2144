"""ATOP alliance ties and third-party commitments.

Toy worlds: a handful of states in 2000 with hand-made alliances; every expected value is worked
out by hand in the comment beside it. Real data: the agreement of member-derived ties with
ATOP's directed dyad-year file, the brute-force equality of the counting core, and the
row-keeping invariant.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from foedus.data import alliances as al
from foedus.data import commitment_queries as cq
from foedus.data import commitments as cm
from foedus.data.alliances import alliance_columns
from foedus.data.panel import BuildLog
from foedus.data.spec import AllianceRules, PanelSpec
from foedus.data.universe import dyad_years

USA, CAN, UKG, BEL, FRN, GMY, RUS = 2, 20, 200, 211, 220, 255, 365
STATES = [USA, CAN, UKG, BEL, FRN, GMY, RUS]
CONDITION_COLUMNS = [c for cond in al.CONDITIONS.values() for c in cond.values()]


def member(atopid, state, start="1990-01-01", end=None, **flags):
    """One member-level row; obligations and conditions default to 0, end NaT = still a member."""
    row = {"atopid": atopid, "member": state, "start": pd.Timestamp(start),
           "end": pd.Timestamp(end) if end else pd.NaT, "statthr1": 0, "statthr2": 0, "pubsecr": 0}
    row.update({ob: 0 for ob in al.OBLIGATIONS})
    row.update({c: 0 for c in CONDITION_COLUMNS})
    row.update(flags)
    return row


def world(*rows):
    return pd.DataFrame(list(rows))


def universe(years=(2000, 2000), states=STATES):
    system = pd.DataFrame([(s, y) for y in range(years[0], years[1] + 1) for s in states],
                          columns=["ccode", "year"])
    return dyad_years(system)


def coded(members, rules=AllianceRules(), ddyr=None, frame=None, log=None):
    frame = universe() if frame is None else frame
    return frame.assign(**alliance_columns(frame, members, rules, ddyr, log))


def at(panel, a, b, column, year=2000):
    row = panel[(panel["ccode1"] == a) & (panel["ccode2"] == b) & (panel["year"] == year)]
    assert len(row) == 1
    return row[column].iloc[0]


# 1: France guarantees Belgium (France has the defense obligation, Belgium none).
GUARANTEE = [member(1, FRN, defense=1), member(1, BEL)]


def test_asymmetric_guarantee_runs_from_promisor_to_promisee():
    p = coded(world(*GUARANTEE), AllianceRules(direction="members"))
    assert at(p, FRN, BEL, "defense") == 1 and at(p, FRN, BEL, "defense_rev") == 0
    assert at(p, BEL, FRN, "defense") == 0 and at(p, BEL, FRN, "defense_rev") == 1
    assert at(p, BEL, FRN, "defense_ally") == 1 and at(p, FRN, BEL, "defense_ally") == 1
    assert at(p, FRN, BEL, "atopids") == "1" and at(p, USA, CAN, "atopids") == ""
    # Germany (A) against Belgium (B): France is a third party defending Belgium
    assert at(p, GMY, BEL, "ptargdef") == 1 and at(p, GMY, BEL, "n_targdef") == 1
    # France as challenger of Belgium: its own promise is no third party's
    assert at(p, FRN, BEL, "ptargdef") == 0
    # Germany against France: Belgium promised France nothing
    assert at(p, GMY, FRN, "ptargdef") == 0
    # Belgium as challenger of Germany has a defensive ally (France); France challenging
    # Germany has none
    assert at(p, BEL, GMY, "pchalally") == 1 and at(p, FRN, GMY, "pchalally") == 0
    # challenger Belgium vs target France: the ally is the target itself (C != B)
    assert at(p, BEL, FRN, "pchalally") == 0


# 2: Britain defends Belgium against Germany only (defcoadv = 1, statthr1 = Germany).
AGAINST_GERMANY = [member(2, UKG, defense=1, defcoadv=1, statthr1=GMY),
                   member(2, BEL, defense=1, defcoadv=1, statthr1=GMY)]


def test_adversary_specific_defense_applies_to_the_named_challenger_only():
    p = coded(world(*GUARANTEE, *AGAINST_GERMANY), AllianceRules(direction="members"))
    assert at(p, GMY, BEL, "n_targdef") == 2  # France and Britain
    assert at(p, USA, BEL, "n_targdef") == 1  # France only: Britain's promise names Germany
    assert at(p, GMY, UKG, "ptargdef") == 1  # Belgium's (mutual) promise to Britain vs Germany
    assert at(p, USA, UKG, "ptargdef") == 0
    ignore = coded(world(*GUARANTEE, *AGAINST_GERMANY),
                   AllianceRules(direction="members", adversary_conditions=False))
    assert at(ignore, USA, BEL, "n_targdef") == 2 and at(ignore, USA, UKG, "ptargdef") == 1


def test_adversary_condition_without_named_states():
    rows = world(member(3, UKG, defense=1, defcoadv=1), member(3, BEL, defense=1, defcoadv=1))
    assert at(coded(rows), USA, BEL, "ptargdef") == 1  # default: applies
    assert at(coded(rows, AllianceRules(unnamed_adversary="never")), USA, BEL, "ptargdef") == 0


# 3: a NATO-like multilateral pact of the USA, Canada and Britain; 4: a bilateral
# USA-Britain defense pact.
BLOC = [member(3, s, defense=1) for s in (USA, CAN, UKG)]
BILATERAL = [member(4, USA, defense=1), member(4, UKG, defense=1)]


def test_intra_alliance_promises_are_not_counted_by_default():
    p = coded(world(*BLOC))
    # USA challenging Canada: Britain's promise to Canada is from an alliance the USA is in
    assert at(p, USA, CAN, "ptargdef") == 0
    assert at(p, RUS, CAN, "n_targdef") == 2  # USA and Britain
    intra = coded(world(*BLOC), AllianceRules(intra_alliance=True))
    assert at(intra, USA, CAN, "n_targdef") == 1  # Britain; the USA is the challenger itself
    assert at(intra, RUS, CAN, "n_targdef") == 2


def test_a_second_alliance_without_the_challenger_applies():
    p = coded(world(*BLOC, *BILATERAL))
    # Canada challenging the USA: Britain's bloc promise is intra-alliance, but Britain also
    # promised the USA bilaterally (alliance 4, which Canada is not in)
    assert at(p, CAN, USA, "n_targdef") == 1
    # the USA challenging Canada: still no third party outside the bloc
    assert at(p, USA, CAN, "ptargdef") == 0
    assert at(p, CAN, USA, "atopids") == "3" and at(p, UKG, USA, "atopids") == "3;4"


def test_exclusion_and_flag_of_atopids():
    rules = AllianceRules(exclude_atopids=(4,))
    p = coded(world(*BLOC, *BILATERAL), rules)
    assert at(p, CAN, USA, "ptargdef") == 0  # bloc: intra-alliance; bilateral: excluded
    assert at(p, RUS, USA, "n_targdef") == 2  # Canada and Britain through the bloc
    assert at(p, UKG, USA, "defense") == 1  # dyadic ties keep every alliance
    flagged = coded(world(*GUARANTEE, *BLOC), AllianceRules(flag_atopids=(3,)))
    assert at(flagged, RUS, USA, "ptargdef_excl") == 1  # only bloc promises protect the USA
    assert at(flagged, GMY, BEL, "ptargdef_excl") == 0  # France's guarantee is not flagged
    assert at(flagged, RUS, FRN, "ptargdef_excl") == 0  # no applicable promise at all
    assert "ptargdef_excl" not in coded(world(*BLOC)).columns


def test_secret_alliances_are_an_option():
    rows = world(member(5, RUS, defense=1, pubsecr=2), member(5, FRN, defense=1, pubsecr=2))
    assert at(coded(rows), GMY, FRN, "ptargdef") == 1
    hidden = coded(rows, AllianceRules(secret="exclude"))
    assert at(hidden, GMY, FRN, "ptargdef") == 0
    assert at(hidden, RUS, FRN, "defense") == 1  # the tie itself is kept
    public_articles = world(member(5, RUS, defense=1, pubsecr=1), member(5, FRN, defense=1, pubsecr=1))
    assert at(coded(public_articles, AllianceRules(secret="exclude")), GMY, FRN, "ptargdef") == 1


def test_offense_and_neutrality_promises_to_the_challenger():
    rows = world(
        # 6: Russia promises Germany offensive help against Britain only
        member(6, RUS, offense=1, offcoadv=1, statthr1=UKG), member(6, GMY),
        # 7: France promises Germany neutrality; 8: the USA a non-aggression pact with Germany
        member(7, FRN, neutral=1), member(7, GMY, neutral=1),
        member(8, USA, nonagg=1), member(8, GMY, nonagg=1),
    )
    p = coded(rows)
    assert at(p, GMY, UKG, "pchaloff") == 1 and at(p, GMY, BEL, "pchaloff") == 0
    assert at(p, GMY, BEL, "n_chalneu") == 1  # France
    assert at(p, GMY, FRN, "pchalneu") == 0  # the neutral state is the target
    with_nonagg = coded(rows, AllianceRules(neutrality_includes_nonagg=True))
    assert at(with_nonagg, GMY, BEL, "n_chalneu") == 2  # France and the USA
    assert at(with_nonagg, GMY, USA, "n_chalneu") == 1


def test_other_conditions_are_counted_unless_excluded():
    rows = world(member(9, UKG, defense=1, defcoloc=1), member(9, BEL))
    assert at(coded(rows), GMY, BEL, "ptargdef") == 1
    assert at(coded(rows, AllianceRules(exclude_conditions=("location",))), GMY, BEL, "ptargdef") == 0
    with pytest.raises(ValueError, match="unknown condition"):
        coded(rows, AllianceRules(exclude_conditions=("weather",)))


def _ddyr(rows):
    out = pd.DataFrame(rows, columns=["stateA", "stateB", "year", *al.OBLIGATIONS, "atopid1"])
    return out.assign(atopid2=pd.NA)


def test_ddyr_fixes_the_direction_of_multilateral_obligations():
    # 10: Britain guarantees France and Russia, all three coded defense = 1 at member level;
    # ATOP's directed file says only Britain owes defense.
    rows = world(member(10, UKG, defense=1), member(10, FRN, defense=1), member(10, RUS, defense=1))
    ddyr = _ddyr([(UKG, FRN, 2000, 1, 0, 0, 0, 0, 10), (UKG, RUS, 2000, 1, 0, 0, 0, 0, 10),
                  (FRN, UKG, 2000, 0, 0, 0, 0, 0, 10), (RUS, UKG, 2000, 0, 0, 0, 0, 0, 10),
                  (FRN, RUS, 2000, 0, 0, 0, 0, 0, 10), (RUS, FRN, 2000, 0, 0, 0, 0, 0, 10)])
    log = BuildLog()
    p = coded(rows, AllianceRules(), ddyr, log=log)
    assert at(p, GMY, FRN, "n_targdef") == 1  # Britain; Russia's promise is not in the ddyr
    assert at(p, GMY, UKG, "ptargdef") == 0
    assert at(p, FRN, RUS, "defense") == 0 and at(p, UKG, RUS, "defense") == 1
    assert any("not owed" in line for line in log.lines())
    members_only = coded(rows, AllianceRules(direction="members"), ddyr)
    assert at(members_only, GMY, UKG, "n_targdef") == 2


def test_membership_dates():
    rows = world(
        # 11: Germany leaves on the day Russia enters: never members together
        member(11, GMY, "1990-01-01", "2000-06-01", defense=1), member(11, RUS, "2000-06-01", defense=1),
        member(11, FRN, "1990-01-01", defense=1),
    )
    frame = universe((1999, 2001))
    p = coded(rows, frame=frame)
    assert at(p, USA, RUS, "n_targdef", 2000) == 1  # France (not Germany)
    assert at(p, USA, GMY, "n_targdef", 2000) == 1  # France
    assert at(p, USA, GMY, "ptargdef", 2001) == 0  # Germany has left
    assert at(p, USA, RUS, "ptargdef", 1999) == 0  # Russia not yet in
    assert at(p, GMY, RUS, "atopids", 2000) == ""
    # Germany is a member of 11 in 2000, so France's promise to Russia is intra-alliance for it
    assert at(p, GMY, RUS, "ptargdef", 2000) == 0


def test_outside_coverage_is_na_and_rows_are_kept():
    frame = universe((2017, 2019), [USA, UKG, FRN])
    log = BuildLog()
    p = coded(world(*BLOC), AllianceRules(version="5.1"), frame=frame, log=log)
    assert len(p) == len(frame) and p[["ccode1", "ccode2", "year"]].equals(frame)
    in_2019 = p["year"] == 2019
    assert p.loc[in_2019, ["defense", "ptargdef", "n_targdef", "atopids"]].isna().all().all()
    assert p.loc[~in_2019, ["defense", "ptargdef"]].notna().all().all()
    assert any("outside ATOP 5.1 coverage" in line for line in log.lines())


def test_unsorted_frames_are_coded_by_key():
    frame = universe().sample(frac=1, random_state=3).reset_index(drop=True)
    p = coded(world(*GUARANTEE, *AGAINST_GERMANY), AllianceRules(direction="members"), frame=frame)
    assert at(p, USA, BEL, "n_targdef") == 1 and at(p, GMY, BEL, "n_targdef") == 2


# -- the counting core against brute force ----------------------------------------------------
def _brute(dyads, role, promise, mkeys, intra):
    """The definition, literally: the set of third states with an applicable promise."""
    members = set(mkeys.tolist())
    to = {}
    for p in promise.itertuples():
        to.setdefault((p.x, p.year), []).append(p)
    out = []
    for a, b, t in zip(dyads.c1.tolist(), dyads.c2.tolist(), dyads.year.tolist()):
        x, y = (b, a) if role == "target" else (a, b)
        third = set()
        for p in to.get((x, t), ()):
            if p.c == y:
                continue
            if (p.adv1 or p.adv2) and y not in (p.adv1, p.adv2):
                continue
            if not intra and (p.unit * 10_000 + t) * 1000 + y in members:
                continue
            third.add(p.c)
        out.append(len(third))
    return np.array(out)


@pytest.mark.parametrize("seed", range(6))
def test_counting_equals_brute_force_on_random_worlds(seed):
    rng = np.random.default_rng(seed)
    states = np.arange(1, 9) * 10
    n_alliances = 8
    rows = []
    for aid in range(1000, 1000 + n_alliances):
        for s in rng.choice(states, rng.integers(2, 6), replace=False):
            named = rng.random() < 0.3
            rows.append(member(aid, int(s), f"{rng.integers(1998, 2001)}-0{rng.integers(1, 9)}-01",
                               defense=int(rng.random() < 0.8), defcoadv=int(named),
                               statthr1=int(rng.choice(states)) if named else 0,
                               statthr2=int(rng.choice(states)) if named and rng.random() < 0.5 else 0))
    spells = al.member_spells(world(*rows), "5.1")
    mkeys = al.membership_keys(spells)
    table = cm.build_commitments(world(*rows), "5.1", direction="members")
    frame = universe((1998, 2001), list(states))
    dyads = al.DyadIndex(frame["year"], frame["ccode1"], frame["ccode2"])
    for intra in (False, True):
        promise = pd.DataFrame(cm.records(table, cm.counted(table, AllianceRules(intra_alliance=intra),
                                                            ("defense",))))
        for role in ("target", "challenger"):
            fast = cq.aggregate_applicable(dyads, role, promise, mkeys, intra, "count")
            np.testing.assert_array_equal(fast, _brute(dyads, role, promise, mkeys, intra))


# -- real data ---------------------------------------------------------------------------------
# Measured on ATOP 5.1: ties derived from the member-level file (members paired when their
# spells overlap by a day or more; the promisor's row gives the obligation) against
# atop5_1ddyr.csv. Same 273,296 directed dyad-years; obligation flags disagree only where the
# member file says "1" and the ddyr "0" (asymmetric multilateral alliances and phase changes
# within a year; docs/panel-alliances.md lists them).
N_DDYR = 273_296
FLAG_DISAGREEMENTS = {"defense": 214, "offense": 34, "neutral": 114, "nonagg": 74, "consul": 0}


@pytest.fixture(scope="module")
def atop51():
    from foedus.data import read_atop_ddyr, read_atop_members

    return read_atop_members("5.1"), read_atop_ddyr("5.1")


@pytest.mark.realdata
def test_member_derived_ties_agree_with_ddyr(raw_dir, atop51):
    members, ddyr = atop51
    spells = al.member_spells(members, "5.1")
    derived = al.member_ties(al.pair_years(spells), spells)
    official = al.ddyr_ties(ddyr)
    assert len(official) == N_DDYR
    np.testing.assert_array_equal(derived["key"].to_numpy(), official["key"].to_numpy())
    for ob, n in FLAG_DISAGREEMENTS.items():
        d, o = derived[ob].to_numpy(), official[ob].to_numpy()
        assert int((d != o).sum()) == n, ob
        assert not ((d == 0) & (o == 1)).any(), ob  # the member file never misses a ddyr flag
    same_ids = derived["atopids"].astype(str).to_numpy() == official["atopids"].astype(str).to_numpy()
    assert same_ids.all()


@pytest.mark.realdata
def test_counting_equals_brute_force_on_atop(raw_dir, atop51):
    members, ddyr = atop51
    spells = al.member_spells(members, "5.1")
    mkeys = al.membership_keys(spells)
    table = cm.build_commitments(members, "5.1", ddyr, years=(1950, 1995))
    frame = dyad_years(pd.DataFrame({"ccode": np.repeat(spells["member"].unique(), 2),
                                     "year": np.tile([1950, 1995], spells["member"].nunique())}))
    dyads = al.DyadIndex(frame["year"], frame["ccode1"], frame["ccode2"])
    for ob, role in (("defense", "target"), ("offense", "challenger")):
        promise = pd.DataFrame(cm.records(table, cm.counted(table, AllianceRules(), (ob,))))
        promise = promise[promise["year"].isin([1950, 1995])]
        fast = cq.aggregate_applicable(dyads, role, promise, mkeys, False, "count")
        np.testing.assert_array_equal(fast, _brute(dyads, role, promise.reset_index(drop=True),
                                                   mkeys, False))


@pytest.mark.realdata
def test_add_alliances_keeps_rows_and_matches_ddyr(raw_dir, atop51):
    from foedus.data.alliances import add_alliances
    from foedus.data.universe import build_universe

    spec = PanelSpec(years=(1816, 2014))
    frame = build_universe(spec)
    log = BuildLog()
    out = add_alliances(frame, spec, log)
    assert len(out) == len(frame)
    assert out[["ccode1", "ccode2", "year"]].equals(frame)
    # every ddyr flag of a dyad-year in the universe lands on its row
    official = atop51[1]
    inside = official.merge(frame, left_on=["stateA", "stateB", "year"],
                            right_on=["ccode1", "ccode2", "year"])
    assert int(out["defense"].sum()) == int(inside["defense"].sum())
    assert int((out["atopids"] != "").sum()) == len(inside)
    # ptargdef(A, B) and pchalally(B, A) are the same promises seen from both sides
    swapped = out[["ccode2", "ccode1", "year", "n_chalally"]].set_axis(
        ["ccode1", "ccode2", "year", "n"], axis=1)
    both = out[["ccode1", "ccode2", "year", "n_targdef"]].merge(swapped)
    assert (both["n_targdef"] == both["n"]).all()


@pytest.mark.realdata
def test_build_panel_with_alliances_only(raw_dir):
    from foedus.data.panel import build_panel

    spec = PanelSpec(years=(1990, 1995), disputes=None, covariates=None, temporal=None)
    panel = build_panel(spec, cache=False)
    assert {"defense", "ptargdef", "pchaloff", "atopids"} <= set(panel.frame.columns)
    assert panel.frame["ptargdef"].notna().all()
