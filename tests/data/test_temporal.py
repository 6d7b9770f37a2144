"""Peace years and spline terms: hand-computed toy worlds, an independent per-dyad loop on the
real panel, and the spline basis against scipy's natural cubic spline."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from foedus.data.panel import BuildLog
from foedus.data.spec import PanelSpec, Temporal
from foedus.data.temporal import add_peace_years, peace_years
from foedus.splines import btscs_spline, btscs_spline_basis

NA = np.nan


def toy() -> pd.DataFrame:
    """Directed dyad-years 1816-1825 of states 2 and 20 (both directions) and 2-200 from 1820.

    2-20: a dispute begins 1818 (A=2 initiates), continues 1819 and 1820; a new one 1823
    (initiated by 20). 2-200 never has a dispute. Dispute data end in 1824 (1825 NA).
    """
    rows = []
    for y in range(1816, 1826):
        rows += [(2, 20, y), (20, 2, y)]
        if y >= 1820:
            rows += [(2, 200, y), (200, 2, y)]
    f = pd.DataFrame(rows, columns=["ccode1", "ccode2", "year"]).sort_values(
        ["year", "ccode1", "ccode2"]).reset_index(drop=True)
    pair = f.ccode1.isin([2, 20]) & f.ccode2.isin([2, 20])
    y = f.year
    onset = (pair & y.isin([1818, 1823])).astype(float)
    ongoing = (pair & y.isin([1819, 1820])).astype(float)
    dispute = (((f.ccode1 == 2) & (f.ccode2 == 20) & (y == 1818))
               | ((f.ccode1 == 20) & (f.ccode2 == 2) & (y == 1823))).astype(float)
    out = f.assign(onset=onset, ongoing=ongoing, dispute=dispute)
    out.loc[out.year == 1825, ["onset", "ongoing", "dispute"]] = NA
    for c in ("onset", "ongoing", "dispute"):
        out[c] = pd.array(out[c], dtype="Int8")
    return out


def series(frame, out, a, b):
    rows = (frame.ccode1 == a) & (frame.ccode2 == b)
    return list(out[rows.to_numpy()])


def run(frame, **temporal):
    spec = PanelSpec(years=(1816, 1825), temporal=Temporal(**temporal))
    return add_peace_years(frame, spec, BuildLog())


def test_onset_clock_hand_computed():
    f = toy()
    out = run(f)
    #                          1816 17 18 19 20 21 22 23 24 25
    np.testing.assert_array_equal(series(f, out["peaceyrs"], 2, 20),
                                  [0, 1, 2, 0, 1, 2, 3, 4, 0, NA])
    np.testing.assert_array_equal(series(f, out["peaceyrs"], 20, 2),
                                  [0, 1, 2, 0, 1, 2, 3, 4, 0, NA])
    # never a dispute, enters 1820: counts from its entry
    np.testing.assert_array_equal(series(f, out["peaceyrs"], 2, 200), [0, 1, 2, 3, 4, NA])
    np.testing.assert_array_equal(out["peaceyrs2"], out["peaceyrs"] ** 2)
    np.testing.assert_array_equal(out["peaceyrs3"], out["peaceyrs"] ** 3)


def test_ongoing_clock_and_1816_start():
    f = toy()
    out = run(f, clock="ongoing", start="1816")
    # every dispute year resets: 1818, 1819, 1820, 1823
    np.testing.assert_array_equal(series(f, out["peaceyrs"], 2, 20),
                                  [0, 1, 2, 0, 0, 0, 1, 2, 0, NA])
    # from 1816 although the dyad enters in 1820
    np.testing.assert_array_equal(series(f, out["peaceyrs"], 2, 200), [4, 5, 6, 7, 8, NA])


def test_directed_clock_only_own_initiations_reset():
    f = toy()
    out = run(f, directed_clock=True)
    np.testing.assert_array_equal(series(f, out["peaceyrs"], 2, 20),
                                  [0, 1, 2, 0, 1, 2, 3, 4, 5, NA])
    np.testing.assert_array_equal(series(f, out["peaceyrs"], 20, 2),
                                  [0, 1, 2, 3, 4, 5, 6, 7, 0, NA])


def test_directed_clock_rejects_ongoing_and_nondirected():
    with pytest.raises(ValueError, match="clock='onset'"):
        run(toy(), directed_clock=True, clock="ongoing")
    spec = PanelSpec(directed=False, temporal=Temporal(directed_clock=True))
    with pytest.raises(ValueError, match="directed panel"):
        add_peace_years(toy(), spec)


def test_peacesciencer_convention_counts_rows():
    """A dyad with a gap in its years: calendar years keep counting across the gap, rows don't."""
    years = np.array([1900, 1901, 1902, 1910, 1911, 1912])
    event = np.array([0, 1, 0, 0, 0, 1.0])
    one = np.full(6, 2), np.full(6, 20)
    np.testing.assert_array_equal(peace_years(*one, years, event), [0, 1, 0, 8, 9, 10])
    np.testing.assert_array_equal(peace_years(*one, years, event, count="rows"),
                                  [0, 1, 0, 1, 2, 3])
    f = toy()
    out = run(f, convention="peacesciencer")
    np.testing.assert_array_equal(series(f, out["peaceyrs"], 2, 20),
                                  [0, 1, 2, 0, 0, 0, 1, 2, 0, NA])


def test_input_order_does_not_matter():
    f = toy()
    shuffled = f.sample(frac=1, random_state=3)
    a = peace_years(f.ccode1, f.ccode2, f.year, f.onset)
    b = peace_years(shuffled.ccode1, shuffled.ccode2, shuffled.year, shuffled.onset)
    np.testing.assert_array_equal(pd.Series(b, index=shuffled.index).sort_index(), a)


def test_duplicate_dyad_year_rejected():
    with pytest.raises(ValueError, match="twice"):
        peace_years([2, 2], [20, 20], [1900, 1900], [0, 0])


def test_missing_dispute_columns_is_a_clear_error():
    with pytest.raises(ValueError, match="dispute column 'onset'"):
        run(toy().drop(columns="onset"))


# --------------------------------------------------------------------------- splines


def test_spline_basis_spans_natural_cubic_splines():
    """Any natural cubic spline with these knots (scipy's interpolant with natural boundary
    conditions) is a combination of 1, x and the basis terms."""
    from scipy.interpolate import CubicSpline

    knots, lo, hi = (1.0, 4.0, 7.0), 0.0, 30.0
    x = np.linspace(lo, hi, 301)
    X = np.column_stack([np.ones_like(x), x, btscs_spline_basis(x, knots, lo, hi)])
    rng = np.random.default_rng(0)
    for _ in range(3):
        nodes = np.array([lo, *knots, hi])
        f = CubicSpline(nodes, rng.normal(size=nodes.size), bc_type="natural")(x)
        coef, *_ = np.linalg.lstsq(X, f, rcond=None)
        assert np.abs(X @ coef - f).max() < 1e-8
    assert X.shape[1] == 2 + len(knots)
    # linear beyond the boundary knots
    far = btscs_spline_basis(np.array([40.0, 50.0, 60.0]), knots, lo, hi)
    np.testing.assert_allclose(np.diff(far, 2, axis=0), 0, atol=1e-9)


def test_spline_rejects_bad_knots():
    with pytest.raises(ValueError, match="strictly inside"):
        btscs_spline_basis([1, 2], (0, 5), 0, 10)


def test_spline_transform_is_stateful_in_formulas():
    from formulaic import model_matrix

    train = pd.DataFrame({"peaceyrs": np.arange(0, 41, dtype=float)})
    mm = model_matrix("peaceyrs + btscs_spline(peaceyrs, knots=(1, 4, 7))", train)
    names = [c for c in mm.columns if "btscs_spline" in c]
    assert len(names) == 3
    np.testing.assert_allclose(mm[names].to_numpy(),
                               btscs_spline_basis(train.peaceyrs, (1, 4, 7), 0, 40))
    new = pd.DataFrame({"peaceyrs": [0.0, 2.0, 10.0]})
    again = mm.model_spec.get_model_matrix(new)
    # the boundary knots of the training data (0, 40) are kept for new data
    np.testing.assert_allclose(again[names].to_numpy(),
                               btscs_spline_basis(new.peaceyrs, (1, 4, 7), 0, 40))
    assert callable(btscs_spline)


def test_panel_spline_columns():
    f = toy()
    out = run(f, spline_knots=(1, 3))
    py = out["peaceyrs"].to_numpy()
    basis = btscs_spline_basis(py, (1, 3), np.nanmin(py), np.nanmax(py))
    np.testing.assert_allclose(out[["peaceyrs_s1", "peaceyrs_s2"]].to_numpy(), basis)


# --------------------------------------------------------------------------- real data


def slow_peace_years(frame, event, start="entry", rows=False):
    """Obviously correct: walk each dyad's years in order."""
    out = pd.Series(np.nan, index=frame.index)
    for _, g in frame.assign(ev=event).sort_values("year").groupby(["ccode1", "ccode2"]):
        last = (g.year.iloc[0] - 1) if start == "entry" else 1815
        for pos, (idx, y, e) in enumerate(zip(g.index, g.year, g.ev)):
            t = pos if rows else y
            if rows and pos == 0:
                last = -1
            out[idx] = np.nan if np.isnan(e) else t - last - 1
            if e == 1:
                last = t
    return out.to_numpy()


@pytest.mark.realdata
def test_real_peace_years_equal_slow_loop(raw_dir):
    from foedus.data.disputes import add_disputes
    from foedus.data.universe import build_universe

    spec = PanelSpec()
    frame = add_disputes(build_universe(spec), spec)
    ev = lambda c: frame[c].astype("Float64").to_numpy(dtype=float, na_value=np.nan)  # noqa: E731
    any_year = np.fmax(ev("onset"), ev("ongoing"))
    keep = frame.ccode1.isin([2, 200, 365, 645, 750]) & frame.ccode2.isin(
        [2, 20, 220, 255, 365, 630, 640, 651, 710, 770])
    sub = frame[keep]
    cases = [
        ({}, ev("onset"), "entry", False),
        ({"clock": "ongoing", "start": "1816"}, any_year, "1816", False),
        ({"convention": "peacesciencer"}, any_year, "entry", True),
        ({"directed_clock": True}, ev("dispute"), "entry", False),
    ]
    for options, event, start, rows in cases:
        out = add_peace_years(frame, spec.replace(temporal=Temporal(**options)))
        expect = slow_peace_years(sub, event[keep.to_numpy()], start, rows)
        np.testing.assert_array_equal(out.loc[keep, "peaceyrs"].to_numpy(), expect,
                                      err_msg=str(options))
    assert (sub.onset == 1).sum() > 100  # the subset holds many disputes


def test_spline_transform_df_places_knots_at_quantiles():
    from formulaic import model_matrix

    train = pd.DataFrame({"peaceyrs": np.arange(0, 101, dtype=float)})
    mm = model_matrix("btscs_spline(peaceyrs, df=3)", train)
    names = [c for c in mm.columns if "btscs_spline" in c]
    np.testing.assert_allclose(mm[names].to_numpy(),
                               btscs_spline_basis(train.peaceyrs, (25, 50, 75), 0, 100))
