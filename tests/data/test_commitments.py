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
from foedus.data import commitments as cm
from foedus.data.panel import BuildLog
from foedus.data.spec import AllianceQuery, AllianceRules, Covariates, PanelSpec

REFERENCE = Path(__file__).parents[1] / "reference"


# -- slow reference: the rule written per (dyad-year, promise) ---------------------------------
def _slow(frame, side, rec, mkeys, intra, aggregate):
    members = {}
    for k in mkeys.tolist():
        members.setdefault(k // al._M, set()).add(k % al._M)
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
            fast = cm.aggregate_applicable(dyads, side, rec, mkeys, intra, aggregate)
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
    from foedus.data.nuclear import add_nuclear
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
