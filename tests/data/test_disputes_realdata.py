"""Agreement of our dispute-dyad-years with independent constructions (real data).

References: peacesciencer 1.2.9's ``cow_mid_dirdisps`` (Miller's day-expansion of MID 5.0) and
``gml_dirdisp`` (the GML project's own directed dispute-year file, 2.2.1), and the Maoz et al.
dyadic MID 4.02. Every difference class is explained in docs/panel-disputes.md; the counts are
asserted so that a change in our construction (or in a reader) fails here.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.realdata

KEY = ["dispnum", "ccode1", "ccode2", "year"]


def _ours(participants: pd.DataFrame, **kw) -> pd.DataFrame:
    from foedus.data.dyadic_disputes import dispute_dyad_years, dyadic_records

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # MID 4.2's two spells without a side
        return dispute_dyad_years(dyadic_records(participants), **kw)


def _compare(ours: pd.DataFrame, ref: pd.DataFrame) -> pd.DataFrame:
    ref = ref.astype({k: "int64" for k in KEY})
    ours = ours.astype({k: "int64" for k in KEY})
    return ours.merge(ref, on=KEY, how="outer", indicator=True, suffixes=("", "_ref"))


@pytest.fixture(scope="module")
def mid5(raw_dir):
    from foedus.data import read_mid_participants, read_peacesciencer

    return read_mid_participants("5.0"), read_peacesciencer("cow_mid_dirdisps")


def test_mid5_matches_peacesciencer_cow_mid_dirdisps(mid5):
    participants, ps = mid5
    m = _compare(_ours(participants), ps)
    counts = m["_merge"].value_counts()
    assert (counts["both"], counts["left_only"], counts["right_only"]) == (11390, 0, 0)
    # sides and originator status agree on every row
    for col in ("sidea1", "sidea2", "orig1", "orig2"):
        assert (m[col].astype(int) == m[f"{col}_ref"]).all(), col
    # onsets: the only difference is Finland's re-entry into MID 4678 in 2014 (both directions),
    # a re-entry peacesciencer's hand-made list of re-entries omits
    diff = m[m["onset"] != (m["disponset"] == 1)]
    assert sorted(map(tuple, diff[KEY].to_numpy())) == [(4678, 365, 375, 2014), (4678, 375, 365, 2014)]
    assert diff["onset"].all()


def test_mid5_reentry_as_continuation_differs_exactly_on_peacesciencer_reentries(mid5):
    participants, ps = mid5
    m = _compare(_ours(participants, reentry="continuation"), ps)
    diff = m[m["onset"] != (m["disponset"] == 1)]
    # 44 dyad-years, all re-entries peacesciencer codes as onsets (none the other way)
    assert len(diff) == 44 and (diff["disponset"] == 1).all()
    assert set(diff["dispnum"]) == {258, 4095, 4137, 4182, 4273, 4676, 4678, 4680, 4691}


def test_gml_matches_gml_dirdisp_up_to_documented_classes(raw_dir):
    from foedus.data import read_gml_participants, read_peacesciencer

    participants = read_gml_participants()
    m = _compare(_ours(participants), read_peacesciencer("gml_dirdisp"))
    counts = m["_merge"].value_counts()
    assert (counts["both"], counts["left_only"], counts["right_only"]) == (10154, 6, 122)

    # class 1: GML pairs opposite-side participants active in the same calendar year, even when
    # their spells share no day; all 122 rows only in GML are such pairs
    only_gml = m.loc[m["_merge"] == "right_only", KEY]
    p = participants[["dispnum", "ccode", "styear", "endyear", "sidea"]].astype(
        {"dispnum": "int64", "ccode": "int64"})
    pairs = (only_gml.merge(p.rename(columns={"ccode": "ccode1"}), on=["dispnum", "ccode1"])
             .merge(p.rename(columns={"ccode": "ccode2"}), on=["dispnum", "ccode2"]))
    same_year = ((pairs["styear_x"] <= pairs["year"]) & (pairs["endyear_x"] >= pairs["year"])
                 & (pairs["styear_y"] <= pairs["year"]) & (pairs["endyear_y"] >= pairs["year"])
                 & (pairs["sidea_x"] != pairs["sidea_y"]))
    assert len(pairs[same_year][KEY].drop_duplicates()) == 122

    # class 2: three WWII side switchers of 1944 whose switching dates overlap by days
    only_ours = m.loc[m["_merge"] == "left_only"]
    assert set(only_ours["dispnum"]) == {258} and set(only_ours["year"]) == {1944}
    assert set(only_ours["ccode1"]) == {355, 360, 375}

    # class 3: Kuwait's re-entry into MID 4273 (September 2002): GML codes the onset in 2003
    both = m[m["_merge"] == "both"]
    diff = both[both["onset"] != (both["midonset"] == 1)]
    assert sorted(map(tuple, diff[KEY].to_numpy())) == [
        (4273, 645, 690, 2002), (4273, 645, 690, 2003), (4273, 690, 645, 2002),
        (4273, 690, 645, 2003)]
    for col in ("sidea1", "sidea2", "orig1", "orig2"):
        assert (both[col].astype(int) == both[f"{col}_ref"]).all(), col


@pytest.mark.parametrize(
    "version, both, ours_only, maoz_only, onset_diff",
    [("4.3", 9578, 1266, 280, 86), ("4.2", 9616, 1206, 242, 76)],
)
def test_mid4_against_maoz_dyadic_mid(raw_dir, version, both, ours_only, maoz_only, onset_diff):
    from foedus.data import read_maoz_dyadic_mid, read_mid_participants

    ours = _ours(read_mid_participants(version))
    maoz = read_maoz_dyadic_mid().rename(
        columns={"disno": "dispnum", "statea": "ccode1", "stateb": "ccode2"})
    maoz = maoz[maoz["year"] <= 2010].drop_duplicates(KEY)  # MID 4.x ends in 2010
    m = _compare(ours, maoz[KEY + ["strtyr"]])
    counts = m["_merge"].value_counts()
    assert (counts["both"], counts["left_only"], counts["right_only"]) == (
        both, ours_only, maoz_only)
    common = m[m["_merge"] == "both"]
    assert int((common["onset"] != (common["year"] == common["strtyr"])).sum()) == onset_diff
    # agreement is high where both code the dispute-dyad; the WWI/WWII/Korea disputes, where
    # Maoz pairs only states that confronted each other, carry most differences
    assert len(common) / len(m) > 0.85
    only = m[m["_merge"] != "both"]
    assert only["dispnum"].isin([257, 258, 3957, 51, 1353]).mean() > 0.45


def test_coverage_ends_with_each_release(raw_dir):
    from foedus.data import read_gml_participants, read_mid_participants
    from foedus.data.disputes import COVERAGE

    for (source, version), (first, last) in COVERAGE.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            p = read_gml_participants() if source == "gml" else read_mid_participants(version)
        assert int(p["styear"].min()) == first and int(p["endyear"].max()) == last, version


def test_panel_step_on_mid310_marks_years_after_2001_as_na(raw_dir):
    from foedus.data import read_system
    from foedus.data.disputes import add_disputes
    from foedus.data.panel import BuildLog
    from foedus.data.spec import DisputeRules, PanelSpec
    from foedus.data.universe import universe_from_frames

    from foedus.data.errors import SpecError

    # a spec asking for years beyond the release is refused on construction (issue 14) ...
    with pytest.raises(SpecError, match="1816-2001"):
        PanelSpec(years=(1999, 2003), disputes=DisputeRules(version="3.10"))
    # ... and the step itself still marks rows outside its coverage as missing, never as 0
    spec = PanelSpec(years=(1999, 2001), disputes=DisputeRules(version="3.10"))
    u = universe_from_frames(read_system(), (1999, 2003), True)
    log = BuildLog()
    out = add_disputes(u, spec, log)
    late = out["year"].to_numpy() > 2001
    assert out.loc[late, "onset"].isna().all() and out.loc[late, "dispute"].isna().all()
    assert out.loc[~late, "onset"].notna().all()
    assert int(out.loc[~late, "dispute"].sum()) > 0
    assert any("outside COW MID 3.10's coverage 1816-2001" in line for line in log.lines())


def test_full_mid5_panel_step(raw_dir):
    """The default spec on the 1816-2014 directed universe: every dispute dyad-year lands."""
    from foedus.data import read_system
    from foedus.data.disputes import add_disputes
    from foedus.data.panel import BuildLog
    from foedus.data.spec import PanelSpec
    from foedus.data.universe import universe_from_frames

    spec = PanelSpec()
    u = universe_from_frames(read_system(), spec.years, True)
    log = BuildLog()
    out = add_disputes(u, spec, log)
    assert out["onset"].notna().all()  # MID 5.0 covers 1816-2014
    # directed: onsets and continuations are symmetric, initiations are not
    assert int(out["onset"].sum()) % 2 == 0 and int(out["ongoing"].sum()) % 2 == 0
    rev = out.set_index(["ccode2", "ccode1", "year"])["onset"]
    fwd = out.set_index(["ccode1", "ccode2", "year"])["onset"]
    assert (fwd.to_numpy() == rev.reindex(fwd.index).to_numpy()).all()
    assert int(out["dispute"].sum()) < int(out["onset"].sum())
    assert np.all(out["dispute"].to_numpy() <= out["onset"].to_numpy())
    several = next(r for r in log.records if "several" in r)
    assert several["several"] == sum(v for k, v in several.items() if k.startswith("decided_"))
    assert not any("no row in the universe" in line for line in log.lines())
