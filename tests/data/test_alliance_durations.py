"""Alliance-year durations (foedus.data.alliance_durations): a toy world with hand-computed
intervals, censoring and covariates, and facts of ATOP 5.1 counted from the raw file."""
from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from foedus.data.alliance_durations import AllianceDurationSpec, alliance_years, founding_members

D = 365.25


def _toy():
    ts = pd.Timestamp
    alliances = pd.DataFrame({
        "atopid": [1001, 1002, 1003, 1004],
        "begyr": [1900, 1960, 1950, 1970],
        "start": [ts("1900-07-01"), ts("1960-01-01"), ts("1950-06-01"), ts("1970-01-01")],
        "end": [ts("1902-03-01"), pd.NaT, ts("1951-01-01"), ts("1975-01-01")],
        "in_force": [False, True, False, False],
        "bilat": 1, "defense": 1, "offense": 0, "neutral": 0, "nonagg": 0, "consul": 0})
    members = pd.DataFrame({
        "atopid": [1001, 1001, 1002, 1002, 1002, 1003, 1003, 1004, 1004],
        "member": [2, 20, 20, 30, 40, 2, 220, 20, 30],
        "start": [ts("1900-07-01")] * 2 + [ts("1960-01-01")] * 2 + [ts("1961-05-01")]
        + [ts("1950-06-01")] * 2 + [ts("1970-01-01")] * 2})
    nmc = pd.DataFrame({
        "ccode": [2, 2, 2, 20, 20, 20, 20, 20, 20, 30, 30, 30, 2, 220],
        "year": [1900, 1901, 1902, 1900, 1901, 1902, 1960, 1961, 1962, 1960, 1961, 1962, 1950, 1950],
        "cinc": [0.2, 0.25, 0.3, 0.05, 0.04, 0.03, 0.01, 0.02, 0.04, 0.01, 0.01, np.nan, 0.3, 0.1]})
    majors = pd.DataFrame({"ccode": [2, 220], "styear": [1898, 1816], "endyear": [2016, 2016]})
    return alliances, members, nmc, majors


@pytest.fixture(scope="module")
def toy():
    a, m, n, j = _toy()
    log = []
    return alliance_years(a, m, n, j, years=(1815, 1965), observe_until=1962, log=log), log


def test_toy_intervals_and_censoring(toy):
    f, log = toy
    assert 1004 not in set(f["atopid"])  # formed after 1965
    a = f[f["atopid"] == 1001]
    assert a["year"].tolist() == [1900, 1901, 1902]
    # 1900-07-01 -> 1901-01-01 is 184 days, -> 1902-01-01 549, -> 1902-03-01 608
    np.testing.assert_allclose(a["start"], [0, 184 / D, 549 / D])
    np.testing.assert_allclose(a["stop"], [184 / D, 549 / D, 608 / D])
    assert a["ended"].tolist() == [0, 0, 1]
    b = f[f["atopid"] == 1002]  # in force: censored at the end of observe_until (1962)
    assert b["year"].tolist() == [1960, 1961, 1962] and b["ended"].sum() == 0
    np.testing.assert_allclose(b["stop"].iloc[-1], 1096 / D)
    c = f[f["atopid"] == 1003]  # ends on 1 January 1951: one row, in 1950
    assert c["year"].tolist() == [1950] and c["ended"].tolist() == [1]
    np.testing.assert_allclose(c["stop"], [214 / D])
    assert log[0]["alliances"] == 3 and log[0]["terminated"] == 2 and log[0]["censored"] == 1


def test_toy_asymmetry_and_capability_change(toy):
    f, _ = toy
    first = f.groupby("atopid").first()
    assert first.loc[1001, "asym"] == 1 and first.loc[1002, "asym"] == 0
    assert first.loc[1002, "all_minor"] == 1 and first.loc[1003, "all_major"] == 1
    assert first.loc[1002, "n_founders"] == 2  # member 40 joined later
    np.testing.assert_allclose(first.loc[1001, "cap_gap"], (0.2 - 0.05) / 0.25)
    a = f[f["atopid"] == 1001]
    # the change known at the start of year y (CINC of y - 1 against the formation year), x 100
    np.testing.assert_allclose(a["cinc_change"], [0, 0, (0.05 + 0.01) * 100])
    s0, s1 = np.array([0.8, 0.2]), np.array([0.25, 0.04]) / 0.29
    np.testing.assert_allclose(a["share_change"], [0, 0, 0.5 * np.abs(s1 - s0).sum()])
    b = f[f["atopid"] == 1002]
    # 1962 uses 1961 (both measured); CINC 30 missing in 1962 is not used
    np.testing.assert_allclose(b["cinc_change"], [0, 0, 1.0])
    assert b["n_measured"].tolist() == [2, 2, 2]


def test_founding_members_toy():
    a, m, _, _ = _toy()
    f = founding_members(a, m)
    assert sorted(map(tuple, f.to_numpy().tolist())) == [
        (1001, 2), (1001, 20), (1002, 20), (1002, 30), (1003, 2), (1003, 220), (1004, 20), (1004, 30)]


def test_spec_validation():
    with pytest.raises(ValueError, match="observe_until"):
        AllianceDurationSpec(observe_until=1950)
    assert AllianceDurationSpec().digest() != AllianceDurationSpec(observe_until=2010).digest()


@pytest.mark.realdata
def test_real_alliances_match_the_raw_file(raw_dir):
    from foedus.data.units import build_unit

    with open(raw_dir / "atop-5.1" / "atop5_1a.csv", newline="") as fh:
        raw = [r for r in csv.DictReader(fh) if 1815 <= int(r["begyr"]) <= 1965]
    ended = {int(r["atopid"]) for r in raw if 0 < int(r["endyr"]) <= 2017}
    unit = build_unit(AllianceDurationSpec())
    f = unit.frame
    assert len(raw) == 338 and f["atopid"].nunique() == len(raw)
    assert set(f.loc[f["ended"] == 1, "atopid"]) == ended and len(ended) == 296
    assert not f.duplicated(["atopid", "year"]).any()
    # rows of one alliance tile its time line: each start is the previous stop
    g = f.groupby("atopid")
    np.testing.assert_allclose(f["start"].to_numpy()[1:][(g.cumcount() > 0).to_numpy()[1:]],
                               f["stop"].to_numpy()[:-1][(g.cumcount() > 0).to_numpy()[1:]])
    assert (g["start"].first() == 0).all() and (f["stop"] > f["start"]).all()
    # the first alliance: 1005, 1815-01-03 to 1815-02-08 (36 days), terminated
    r = f[f["atopid"] == 1005]
    assert len(r) == 1 and r["ended"].iloc[0] == 1
    np.testing.assert_allclose(r["stop"].iloc[0], 36 / 365.25)
    assert {x[0] for x in unit.files} == {"atop", "cow-nmc", "cow-states"}
