"""The study machinery on a unit of analysis other than the dyad-year: a toy UnitSpec with
estimator options, columns exempt from listwise deletion, covariances clustered on any column, a
model that is not estimable, and a descriptive summary with a claim."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from foedus.data.units import UnitFrame, UnitSpec, build_unit, unit_keys
from foedus.replication.pipeline import replicate
from foedus.replication.run import covariance, prepare, run_study
from foedus.replication.study import (Claim, DataVersion, Model, Study, Summary, SummaryClaim)


@dataclass(frozen=True)
class Opportunities(UnitSpec):
    """200 toy alliance x war rows: honored ~ Bernoulli(logistic(-0.3 + 1.0 x)), 20 alliances."""

    keys = ("atopid", "warnum")
    title = "Toy opportunities"
    seed: int = 7

    def build(self, columns=None):
        rng = np.random.default_rng(self.seed)
        n = 200
        x = rng.normal(size=n)
        honored = (rng.random(n) < 1 / (1 + np.exp(-(-0.3 + 1.0 * x)))).astype(float)
        frame = pd.DataFrame({
            "atopid": np.repeat(np.arange(1000, 1020), 10), "warnum": np.tile(np.arange(10), 20),
            "x": x, "honored": honored, "z": np.where(x > 0, 1.0, 0.0),
            "era": np.where(np.arange(n) < 120, "pre-1945", "post-1945"),
            "maybe": np.where(np.arange(n) % 4 == 0, np.nan, x)})
        return UnitFrame(frame, self, log=({"step": "toy", "message": "built"},))


def _shares(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.groupby("era", sort=True)["honored"].agg(["size", "mean"])
    out.columns = ["opportunities", "share honored"]
    out.index.name = "period"
    return out


def _study(models) -> Study:
    spec = Opportunities()
    return Study(
        name="toy_units", title="Toy", citation="Toy (2026)",
        data=(DataVersion("authors", "Authors' rows"),), panels={("authors", "rows"): spec},
        models=tuple(models),
        claims=(Claim("x", "positive", "x raises honoring", "toy"),),
        summaries=(Summary("shares", "Shares honored", "rows", _shares, claims=(
            SummaryClaim("most commitments are honored", "toy",
                         lambda t: (bool((t["share honored"] > 0.0).all()), "shares > 0"),
                         rule="every share above 0"),)),))


MAIN = Model("main", "Logit", "honored ~ x", panel="rows", estimator="logit",
             cov_types=("classical", "robust", "cluster:atopid"))


def test_unit_spec_identity_and_keys():
    a, b = Opportunities(), Opportunities(seed=8)
    assert a.digest() != b.digest() and a.digest() == Opportunities().digest()
    assert unit_keys(a) == ("atopid", "warnum")
    assert unit_keys(object()) == ("ccode1", "ccode2", "year")
    assert "seed = 7" in a.describe()
    unit = build_unit(a, columns=["x"])
    assert list(unit.frame.columns) == ["atopid", "warnum", "x"]
    with pytest.raises(KeyError, match="no column"):
        build_unit(a, columns=["nope"])


def test_cluster_on_any_column_matches_statsmodels():
    result = run_study(_study([MAIN]), progress=False)
    fit = result.fit("authors", "main")
    frame = Opportunities().build().frame
    X = sm.add_constant(frame[["x"]])
    ref = sm.Logit(frame["honored"], X).fit(disp=0, cov_type="cluster",
                                            cov_kwds={"groups": frame["atopid"]})
    # statsmodels also applies (n - 1) / (n - k); foedus, like Stata's ML commands, G / (G - 1) only
    n, k = X.shape
    np.testing.assert_allclose(fit.bse("cluster:atopid").to_numpy(),
                               ref.bse.to_numpy() * np.sqrt((n - k) / (n - 1)), rtol=1e-6)
    hc0 = sm.Logit(frame["honored"], X).fit(disp=0, cov_type="HC0")
    np.testing.assert_allclose(fit.bse("robust").to_numpy(),
                               hc0.bse.to_numpy() * np.sqrt(n / (n - k)), rtol=1e-6)
    assert covariance("cluster:atopid") == ("cluster", {"groups": "atopid"}, "clustered by atopid")
    with pytest.raises(ValueError, match="unknown covariance"):
        covariance("sandwich")


def test_keep_missing_and_options_columns():
    m = Model("sel", "Sel", "honored ~ x", panel="rows", options=(("select", "z ~ maybe"),
                                                                   ("ties", "efron")),
              keep_missing=("maybe",))
    assert m.variables() == ["honored", "x", "z", "maybe"]  # "efron" is not a column
    frame = Opportunities().build().frame
    prepared = prepare(m, {"rows": frame}, keys=("atopid", "warnum"))
    assert len(prepared.frame) == 200 and prepared.n_listwise == 0
    dropped = prepare(m.replace(keep_missing=()), {"rows": frame}, keys=("atopid", "warnum"))
    assert dropped.n_listwise == 50 and dropped.missing_by == {"maybe": 50}


def test_not_estimable_model_is_recorded_and_outputs_written(tmp_path):
    separated = Model("sep", "Separated", "honored ~ x + honored_copy", group="robustness",
                      panel="rows", estimator="logit", assign=(("honored_copy", "honored"),))
    rep = replicate(_study([MAIN, separated]), output=tmp_path, progress=False)
    fit = rep.result.fit("authors", "sep")
    assert not fit.estimable and "Separation" in fit.error
    md = (tmp_path / "table.md").read_text()
    assert "not estimable" in md and "### Not estimable" in md
    csv = pd.read_csv(tmp_path / "table.csv")
    assert (csv.loc[csv["model"] == "sep", "verdict"] == "not estimable").all()
    assert (tmp_path / "coefplot.png").is_file() and (tmp_path / "provenance.json").is_file()


def test_summary_table_and_claim_verdict(tmp_path):
    rep = replicate(_study([MAIN]), output=tmp_path, progress=False)
    table = rep.result.summary("authors", "shares")
    frame = Opportunities().build().frame
    expected = frame.groupby("era")["honored"].mean()
    np.testing.assert_allclose(table["share honored"].to_numpy(), expected.to_numpy())
    md = (tmp_path / "table.md").read_text()
    assert "## Shares honored" in md and "most commitments are honored" in md
    assert "| pre-1945 | 120 |" in md


def test_summary_only_study(tmp_path):
    study = _study([])
    assert study.main is None
    rep = replicate(study, output=tmp_path, progress=False)
    assert "## Shares honored" in (tmp_path / "table.md").read_text()
    assert not (tmp_path / "coefplot.png").exists()


def test_study_validation():
    with pytest.raises(ValueError, match="neither models nor summaries"):
        Study(name="e", title="", citation="", data=(DataVersion("a", "A"),), panels={},
              models=(), claims=())
    with pytest.raises(ValueError, match="needs panel 'other'"):
        _study([MAIN.replace(panel="other")])


def test_verdict_summary_lists_model_and_summary_claims(tmp_path):
    from foedus.replication.verdict import verdict_rows, verdict_summary

    rep = replicate(_study([MAIN]), output=tmp_path, progress=False)
    rows = verdict_rows(rep.result)
    assert rows == [("x +, p < 0.05", "Authors' rows", "reproduced"),
                    ("most commitments are honored", "Authors' rows", "reproduced")]
    text = verdict_summary([rep.result])
    assert "toy_units" in text and text.count("reproduced") == 2
