"""After Morrow (1991), reconstructed: the study's declaration, its descriptive summary on a toy
frame, and the real study against facts counted from the raw ATOP and COW files."""
from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from foedus.replication.morrow_1991 import STUDY, TYPES, formation_counts
from foedus.replication.registry import get_study


def test_declaration():
    assert get_study("morrow_1991") is STUDY
    assert STUDY.main.estimator == "coxph" and dict(STUDY.main.options) == {"duration": "stop",
                                                                          "entry": "start"}
    assert set(STUDY.main.variables()) == {"ended", "asym", "cinc_change", "stop", "start", "atopid"}
    weibull = STUDY.model("weibull")
    assert dict(weibull.options)["metric"] == "ph"  # claims read as hazard ratios in every model
    effects = {c.variable: c.effect for c in STUDY.claims}
    assert effects == {"asym": "negative", "cinc_change": "positive", "cap_gap": "negative",
                       "share_change": "positive"}
    assert any("RECONSTRUCTED" in n for n in STUDY.notes)


def test_formation_counts_toy():
    # three alliances (two rows for 1), formed 1900, 1930, 1950: asymmetric, all-major, all-minor
    frame = pd.DataFrame({"atopid": [1, 1, 2, 3], "year": [1900, 1901, 1930, 1950],
                          "begyr": [1900, 1900, 1930, 1950], "asym": [1.0, 1.0, 0.0, 0.0],
                          "all_major": [0.0, 0.0, 1.0, 0.0]})
    t = formation_counts(frame)
    assert list(t.index) == list(TYPES)
    assert t["all years"].tolist() == [1, 1, 1]
    assert t.loc[TYPES[0], "1815-1913"] == 1 and t.loc[TYPES[1], "1914-1945"] == 1
    assert t.loc[TYPES[2], "1946-1965"] == 1
    np.testing.assert_allclose(t["share (all years)"], [0.333, 0.333, 0.333])


def _raw_asymmetry(raw_dir):
    """Alliances formed 1815-1965 and how many are major-minor, from the raw CSV files."""
    with open(raw_dir / "atop-5.1" / "atop5_1a.csv", newline="") as fh:
        alliances = {r["atopid"]: r for r in csv.DictReader(fh) if 1815 <= int(r["begyr"]) <= 1965}
    with open(raw_dir / "cow-states-2016" / "majors2016.csv", newline="") as fh:
        spells = [(int(r["ccode"]), int(r["styear"]), int(r["endyear"])) for r in csv.DictReader(fh)]
    founders: dict[str, set] = {}
    with open(raw_dir / "atop-5.1" / "atop5_1m.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            a = alliances.get(r["atopid"])
            if a and (r["yrent"], r["moent"], r["dayent"]) == (a["begyr"], a["begmo"], a["begday"]):
                founders.setdefault(r["atopid"], set()).add(int(r["member"]))
    n_asym = 0
    for atopid, members in founders.items():
        year = max(int(alliances[atopid]["begyr"]), 1816)
        major = [any(c == m and s <= year <= e for c, s, e in spells) for m in members]
        n_asym += any(major) and not all(major)
    return len(alliances), n_asym


@pytest.mark.realdata
def test_real_study(raw_dir):
    from foedus.data.alliance_durations import AllianceDurationSpec
    from foedus.data.units import build_unit
    import foedus.models as fm
    from foedus.replication.run import run_study

    n_formed, n_asym = _raw_asymmetry(raw_dir)
    assert n_formed == 338
    result = run_study(STUDY, progress=False)
    table = result.summary("atop51", "formation")
    assert table["all years"].sum() == n_formed
    assert table.loc[TYPES[0], "all years"] == n_asym
    # the machinery passes the time columns and clusters on the alliance
    fit = result.fit("atop51", "main")
    rows = build_unit(AllianceDurationSpec()).frame
    direct = fm.coxph("ended ~ asym + cinc_change", rows.dropna(subset=["cinc_change"]),
                      duration="stop", entry="start").with_cov("cluster", groups="atopid")
    np.testing.assert_allclose(fit.params, direct.params, rtol=1e-12)
    np.testing.assert_allclose(fit.bse("cluster:atopid"), direct.bse, rtol=1e-12)
    assert fit.events == direct.n_events == int(rows.dropna(subset=["cinc_change"])["ended"].sum())
    assert all(result.fit("atop51", m.name).estimable for m in STUDY.models)


@pytest.mark.realdata
def test_real_outputs_byte_identical(raw_dir, tmp_path):
    from foedus.replication.pipeline import replicate

    a = replicate(STUDY, output=tmp_path / "a", progress=False)
    b = replicate(STUDY, output=tmp_path / "b", progress=False)
    names = sorted(p.name for p in a.directory.iterdir())
    assert {"table.md", "table.csv", "table.tex", "provenance.json", "coefplot.png"} <= set(names)
    for name in names:
        assert (a.directory / name).read_bytes() == (b.directory / name).read_bytes(), name
    md = (a.directory / "table.md").read_text()
    assert "RECONSTRUCTED DESIGN" in md and "descriptive, not a test" in md
