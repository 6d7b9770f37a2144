"""Signorino & Ritter's S: hand-computed toy world, the measure's properties, and the vectorised
computation against a direct (slow, per-pair) implementation on real ATOP years."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from foedus.data.sscore import D_MAX, VARIANTS, cow_region, s_matrix, s_scores, tie_levels

ALL = tuple(VARIANTS)


def ddyr(rows) -> pd.DataFrame:
    cols = ["stateA", "stateB", "year", "defense", "offense", "neutral", "nonagg", "consul"]
    return pd.DataFrame(rows, columns=cols)


# A=2, B=20 (Americas), C=200, D=220 (Europe). Ties: A-B defense (both directions); A promised
# C consultation (one direction only); C-D neutrality; B promised D offense (one direction).
TOY_TIES = ddyr([
    (2, 20, 1900, 1, 0, 0, 1, 0), (20, 2, 1900, 1, 0, 0, 0, 0),
    (2, 200, 1900, 0, 0, 0, 0, 1),
    (200, 220, 1900, 0, 0, 1, 0, 0), (220, 200, 1900, 0, 0, 1, 0, 0),
    (20, 220, 1900, 0, 1, 0, 0, 0),
])
TOY_CINC = pd.DataFrame({"ccode": [2, 20, 200, 220], "year": 1900, "cinc": [0.4, 0.1, 0.3, 0.2]})


def toy_frame(years=(1900,)) -> pd.DataFrame:
    codes = [2, 20, 200, 220]
    rows = [(a, b, y) for y in years for a in codes for b in codes if a != b]
    return pd.DataFrame(rows, columns=["ccode1", "ccode2", "year"])


def test_tie_levels_coding():
    t = tie_levels(ddyr([
        (2, 20, 1900, 1, 0, 0, 1, 1),
        (2, 30, 1900, 0, 1, 0, 1, 0),
        (2, 40, 1900, 0, 0, 1, 0, 0),
        (2, 50, 1900, 0, 0, 0, 1, 0),
        (2, 60, 1900, 0, 0, 0, 0, 1),
        (2, 70, 1900, 0, 0, 0, 0, 0),
    ]))
    assert t["level"].tolist() == [3, 2, 2, 1, 1, 0]


def test_tie_levels_nonaggression_option():
    # Signorino & Ritter's COW scale: non-aggression with neutrality (2); consultation stays 1,
    # a deeper obligation still wins
    rows = ddyr([(2, 20, 1900, 0, 0, 0, 1, 0), (2, 30, 1900, 0, 0, 0, 1, 1), (2, 40, 1900, 0, 0, 0, 0, 1),
                 (2, 50, 1900, 1, 0, 0, 1, 0)])
    assert tie_levels(rows, nonaggression=2)["level"].tolist() == [2, 2, 1, 3]
    assert tie_levels(rows)["level"].tolist() == [1, 1, 1, 3]
    with pytest.raises(ValueError, match="nonaggression"):
        tie_levels(rows, nonaggression=3)


def test_toy_world_hand_computed():
    frame = toy_frame()
    out = s_scores(frame, tie_levels(TOY_TIES), ALL, TOY_CINC)
    got = {k: dict(zip(zip(frame.ccode1, frame.ccode2), v)) for k, v in out.items()}
    # portfolios (diagonal 3): A 3 3 1 0 | B 3 3 0 2 | C 1 0 3 2 | D 0 2 2 3
    assert got["s_un_glo"][(2, 20)] == pytest.approx(1 - 2 * 3 / (3 * 4))        # 0.5
    assert got["s_un_glo"][(2, 200)] == pytest.approx(1 - 2 * 9 / (3 * 4))       # -0.5
    assert got["s_un_glo"][(200, 220)] == pytest.approx(1 - 2 * 5 / (3 * 4))     # 1/6
    # weighted: sum_k w_k |a_ik - a_jk| for A, B = 0.3 * 1 + 0.2 * 2 = 0.7, sum w = 1
    assert got["s_wt_glo"][(2, 20)] == pytest.approx(1 - 2 * 0.7 / 3)
    # regional: A and B share the Americas (dimensions A, B only): identical there
    assert got["s_un_reg"][(2, 20)] == pytest.approx(1.0)
    assert got["s_un_reg"][(200, 220)] == pytest.approx(1 - 2 * 2 / (3 * 2))     # 1/3
    assert got["s_un_reg"][(2, 200)] == got["s_un_glo"][(2, 200)]  # two regions = everyone
    assert got["s_wt_reg"][(200, 220)] == pytest.approx(1 - 2 * (0.3 * 1 + 0.2 * 1) / (3 * 0.5))


def test_symmetric_in_directed_panel_and_nan_outside_coverage():
    frame = toy_frame((1900, 2019))
    out = s_scores(frame, tie_levels(TOY_TIES), ("unweighted_global",))["s_un_glo"]
    s = pd.Series(out, index=pd.MultiIndex.from_frame(frame))
    for (a, b, y), v in s.items():
        if y == 1900:
            assert v == s[(b, a, y)]
        else:
            assert np.isnan(v)


def test_s_matrix_properties_random_portfolios():
    rng = np.random.default_rng(7)
    for n in (2, 5, 40):
        lv = rng.integers(0, D_MAX + 1, size=(n, n))
        lv = np.maximum(lv, lv.T)
        np.fill_diagonal(lv, D_MAX)
        w = rng.random(n)
        for region in (None, rng.integers(1, 4, size=n)):
            s = s_matrix(lv, w, region)
            np.testing.assert_allclose(np.diag(s), 1.0)   # identical portfolio
            np.testing.assert_allclose(s, s.T)            # symmetry
            assert (s <= 1 + 1e-12).all() and (s >= -1 - 1e-12).all()


def test_identical_portfolios_score_one():
    lv = np.array([[3, 3, 2], [3, 3, 2], [2, 2, 3]])
    assert s_matrix(lv, np.ones(3))[0, 1] == pytest.approx(1.0)


def test_weighted_needs_cinc_and_unknown_variant_rejected():
    with pytest.raises(ValueError, match="CINC"):
        s_scores(toy_frame(), tie_levels(TOY_TIES), ("weighted_global",))
    with pytest.raises(ValueError, match="unknown S-score variant"):
        s_scores(toy_frame(), tie_levels(TOY_TIES), ("tau_b",))


def test_cow_regions():
    assert cow_region([2, 165, 200, 395, 402, 626, 630, 698, 700, 990]).tolist() == [
        1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


# --------------------------------------------------------------------------- real data


def slow_s(a, b, year, states, level, weight, weighted, regional):
    """The formula, one pair at a time."""
    reg = {k: cow_region([k])[0] for k in states}
    dims = [k for k in states if not regional or reg[k] in (reg[a], reg[b])]
    num = den = 0.0
    for k in dims:
        x = D_MAX if k == a else max(level.get((a, k), 0), level.get((k, a), 0))
        y = D_MAX if k == b else max(level.get((b, k), 0), level.get((k, b), 0))
        w = weight.get(k, 0.0) if weighted else 1.0
        num += w * abs(x - y)
        den += w * D_MAX
    return 1 - 2 * num / den


@pytest.mark.realdata
@pytest.mark.parametrize("year", [1816, 1914, 1962, 2000])
def test_real_fast_equals_slow(raw_dir, year):
    from foedus.data import read_atop_ddyr, read_nmc, read_system
    from foedus.data.universe import dyad_years

    frame = dyad_years(read_system(), (year, year), directed=True)
    ddyr = read_atop_ddyr()
    nmc = read_nmc()
    out = s_scores(frame, tie_levels(ddyr), ALL, nmc)
    t = tie_levels(ddyr[ddyr["year"] == year])
    level = {(a, b): v for a, b, v in zip(t.ccode1, t.ccode2, t.level)}
    ny = nmc[nmc["year"] == year]
    weight = dict(zip(ny.ccode.astype(int), ny.cinc))
    states = sorted(set(frame.ccode1.astype(int)))
    rows = np.random.default_rng(year).choice(len(frame), size=min(150, len(frame)), replace=False)
    for name, (col, weighted, regional) in VARIANTS.items():
        for r in rows:
            a, b = int(frame.ccode1.iat[r]), int(frame.ccode2.iat[r])
            expect = slow_s(a, b, year, states, level, weight, weighted, regional)
            assert out[col][r] == pytest.approx(expect, abs=1e-12), (name, a, b)


def test_each_year_uses_only_its_own_ties():
    later = ddyr([(2, 200, 1902, 1, 0, 0, 0, 0), (200, 2, 1902, 1, 0, 0, 0, 0)])
    ties = tie_levels(pd.concat([TOY_TIES, later], ignore_index=True))
    frame = toy_frame((1900, 1901))
    s = pd.Series(s_scores(frame, ties, ("unweighted_global",))["s_un_glo"],
                  index=pd.MultiIndex.from_frame(frame))
    assert s[(2, 20, 1900)] == pytest.approx(0.5)
    # 1901 has no ties: A = (3, 0, 0, 0), B = (0, 3, 0, 0): S = 1 - 2 * 6 / 12 = 0
    assert s[(2, 20, 1901)] == pytest.approx(0.0)
    assert s[(2, 200, 1901)] == pytest.approx(0.0)  # the 1902 pact does not leak into 1901


@pytest.mark.realdata
def test_atop_401_sscores_from_member_level_ties(raw_dir):
    """ATOP 4.01 ships no directed dyad-year file: its S-scores come from member-level ties,
    which for the early Cold War equal those of ATOP 5.1's own directed file."""
    import foedus

    spec = foedus.PanelSpec(years=(1946, 1950), disputes=None, temporal=None)
    new = foedus.build_panel(spec, cache=False).frame
    old = foedus.build_panel(
        spec.replace(alliances=foedus.AllianceRules(version="4.01")), cache=False
    ).frame
    assert old["s_un_glo"].notna().all()
    np.testing.assert_allclose(old["s_un_glo"], new["s_un_glo"], atol=1e-12)
