"""Non-directed dyad indicators (Covariates.dyad_indicators) and the non-directed panel: toy
values, ATOP's own non-directed dyad-year file, and major-power pairs counted from majors2016."""
from __future__ import annotations

import csv
import itertools

import numpy as np
import pandas as pd
import pytest

from foedus.data.dyad_indicators import major_pair
from foedus.data.spec import Covariates, PanelSpec


def test_major_pair_with_unknown_status():
    got = major_pair(np.array([1.0, 1.0, 0.0, np.nan, 0.0]), np.array([1.0, 0.0, 1.0, 1.0, 0.0]))
    assert got["both_major"].tolist() == [1, 0, 0, pd.NA, 0]
    assert got["one_major"].tolist() == [0, 1, 1, pd.NA, 0]


@pytest.fixture(scope="module")
def nondirected():
    from foedus.data.panel import build_panel

    spec = PanelSpec(years=(1990, 1991), directed=False, disputes=None, temporal=None,
                     covariates=Covariates(dyad_indicators=True, sscore=(), regime=None, distance=False,
                                           capabilities=False))
    return build_panel(spec, cache=False)


@pytest.mark.realdata
def test_nondirected_panel_has_one_row_per_pair(nondirected):
    f = nondirected.frame
    assert (f["ccode1"] < f["ccode2"]).all() and not f.duplicated(["dyad", "year"]).any()
    n = f.groupby("year").apply(lambda g: len(set(g["ccode1"]) | set(g["ccode2"])))
    assert f.groupby("year").size().tolist() == [k * (k - 1) // 2 for k in n]


@pytest.mark.realdata
def test_ally_equals_atop_nondirected_dyad_years(nondirected, raw_dir):
    f = nondirected.frame
    with open(raw_dir / "atop-5.1" / "atop5_1dy.csv", newline="") as fh:
        atop = {(int(r["mem1"]), int(r["mem2"]), int(r["year"])) for r in csv.DictReader(fh)
                if r["year"] in ("1990", "1991")}
    rows = set(zip(f["ccode1"].astype(int), f["ccode2"].astype(int), f["year"].astype(int)))
    ally = set(zip(*(f.loc[f["ally"] == 1, c].astype(int) for c in ("ccode1", "ccode2", "year"))))
    assert ally == atop & rows and len(ally) > 1000


@pytest.mark.realdata
def test_major_pairs_against_majors2016(nondirected, raw_dir):
    f = nondirected.frame
    with open(raw_dir / "cow-states-2016" / "majors2016.csv", newline="") as fh:
        spells = [(int(r["ccode"]), int(r["styear"]), int(r["endyear"])) for r in csv.DictReader(fh)]
    for year in (1990, 1991):
        members = set(f.loc[f["year"] == year, "ccode1"]) | set(f.loc[f["year"] == year, "ccode2"])
        majors = {c for c, a, b in spells if a <= year <= b and c in members}
        g = f[f["year"] == year]
        assert int(g["both_major"].sum()) == len(list(itertools.combinations(majors, 2)))
        assert int(g["one_major"].sum()) == len(majors) * (len(members) - len(majors))
    assert (f["both_major"] == (f["major1"] + f["major2"] == 2)).all()
