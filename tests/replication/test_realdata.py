"""End to end on the official releases: each study's headline model, its N, events and verdicts.

The expected numbers were measured with this code on the registered releases (see the table
notes of ``foedus replicate``); a change in the data layer, the panel steps or the estimators that
moves them fails here. They are measurements, not the published values: Leeds (2003) and Johnson
& Leeds (2011) report their own numbers on older releases. The provenance record is checked
against the files the panel builder actually read.
"""
from __future__ import annotations

import dataclasses
import json

import pytest

from foedus.data.fetch import sha256_file, track_reads
from foedus.replication import get_study
from foedus.replication.pipeline import replicate
from foedus.replication.run import run_study

pytestmark = pytest.mark.realdata

#: study -> data version -> (N, events, {variable: (estimate to 3 decimals, verdict)})
MEASURED = {
    "johnson_leeds_2011": {
        "mid310": (1_234_596, 2_482, {"ptargdef": (-0.005, "not reproduced"),
                                      "pchalally": (-0.022, "reproduced")}),
        "mid50": (1_235_336, 2_243, {"ptargdef": (-0.008, "not reproduced"),
                                     "pchalally": (-0.021, "reproduced")}),
    },
    "leeds_2003": {
        "mid310": (232_334, 885, {"ptargdef": (0.235, "not reproduced"),
                                  "pchaloff": (1.455, "reproduced"),
                                  "pchalneu": (0.643, "reproduced")}),
        "mid50": (232_626, 792, {"ptargdef": (0.283, "not reproduced"),
                                 "pchaloff": (1.419, "reproduced"),
                                 "pchalneu": (0.635, "reproduced")}),
    },
}


def headline_only(name: str):
    """The study with its main model only (the panels it needs, its effect)."""
    study = get_study(name)
    return dataclasses.replace(study, models=(study.main,))


@pytest.mark.parametrize("name", sorted(MEASURED))
def test_headline_model_n_events_verdicts(name, raw_dir):
    from foedus.replication.verdict import judge

    study = headline_only(name)
    result = run_study(study, progress=False, jobs=1)
    claims = {c.variable: c for c in study.claims}
    for data, (nobs, events, expected) in MEASURED[name].items():
        fit = result.fit(data, study.main.name)
        assert (fit.nobs, fit.events) == (nobs, events), data
        assert fit.converged
        cov = study.main.cov_types[0]
        for var, (estimate, verdict) in expected.items():
            b = float(fit.params[var])
            assert round(b, 3) == pytest.approx(estimate, abs=1e-9), (data, var, b)
            assert judge(claims[var], b, float(fit.pvalues(cov)[var])) == verdict, (data, var)
        # every row the model lost is accounted for
        assert fit.n_panel == fit.nobs + fit.n_subset + fit.n_listwise
    assert set(result.effects) == {d.name for d in study.data}


def test_headline_fit_matches_statsmodels(raw_dir):
    """The whole chain (panels, borrowed columns, listwise deletion, estimator) against an
    independent implementation: statsmodels' Logit on the same estimation sample."""
    import statsmodels.api as sm

    from foedus.replication.run import BuildPanel, KEYS, _columns_needed, prepare
    from foedus.replication.sample import float_frame

    study = headline_only("leeds_2003")
    need = _columns_needed(study)
    frames = {}
    for (data, variant), spec in study.panel_specs().items():
        if data == "mid310":
            cols = sorted(need[variant])
            frames[variant] = float_frame(BuildPanel()(spec, columns=cols).frame, list(KEYS) + cols)
    sample = prepare(study.main, frames).frame
    names = study.main.regressors
    ref = sm.Logit(sample["dispute"], sm.add_constant(sample[names])).fit(disp=0, method="newton")
    result = run_study(study, progress=False, jobs=1)
    fit = result.fit("mid310", study.main.name)
    assert fit.nobs == int(ref.nobs)
    for name in names:
        assert float(fit.params[name]) == pytest.approx(float(ref.params[name]), rel=1e-6, abs=1e-9)
        assert float(fit.bse("classical")[name]) == pytest.approx(float(ref.bse[name]), rel=1e-5)


def test_provenance_lists_exactly_the_files_read(raw_dir, tmp_path, monkeypatch):
    """Cold build (fresh cache): provenance.json names every file read, with its real sha256."""
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    study = headline_only("leeds_2003").with_years((1900, 1910))
    with track_reads() as read:
        rep = replicate(study, output=tmp_path / "out", progress=False, jobs=1)
    prov = json.loads((rep.directory / "provenance.json").read_text())
    listed = {(r["dataset"], r["version"], r["file"], r["sha256"]) for r in prov["inputs"]}
    actually = {(f.dataset, f.version, f.name, f.sha256) for f in read}
    assert listed == actually
    assert {"cow-mid", "atop", "cow-states"} <= {r["dataset"] for r in prov["inputs"]}
    for r in prov["inputs"]:
        assert r["registered_sha256_matches"] is True
        assert sha256_file(raw_dir / f"{r['dataset']}-{r['version']}" / r["file"]) == r["sha256"]
    # a second run reads the panels from the cache: no file is read, the record is the same
    with track_reads() as again:
        rep2 = replicate(study, output=tmp_path / "out2", progress=False, jobs=1)
    assert again == []
    prov2 = json.loads((rep2.directory / "provenance.json").read_text())
    assert prov2["inputs"] == prov["inputs"]
    assert prov2["panels"] == prov["panels"]
