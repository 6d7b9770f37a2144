"""The robustness explorer (foedus.replication.multiverse) on a toy world.

The "panel builder" is a cheap fake (a synthetic directed dyad-year panel whose coding depends on
the spec); the estimators are the real foedus.models ones on ~9,000 rows. Marginal effects are
checked against statsmodels' ``get_margeff``.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from foedus.data.spec import AllianceRules, DisputeRules, PanelSpec
from foedus.replication.multiverse import (
    Choice,
    Level,
    Multiverse,
    ResultStore,
    average_marginal_effect,
    results_table,
    run_multiverse,
    summarise,
)

BASE = PanelSpec(years=(1930, 1959), alliances=AllianceRules(), disputes=DisputeRules(),
                 covariates=None, temporal=None)


class FakeBuilder:
    """spec -> panel: 16 states, directed dyad-years; counts its calls per spec digest.

    ``dispute`` depends on ptargdef (deterrence: negative) and x; MID 3.10 shifts the baseline
    rate; secret alliances "exclude" removes a third of the ptargdef = 1 codings; after 1945 no
    dyad with ptargdef = 1 has a dispute (quasi-complete separation for logit).
    """

    def __init__(self):
        self.calls: dict[str, int] = {}

    def __call__(self, spec: PanelSpec):
        self.calls[spec.digest()] = self.calls.get(spec.digest(), 0) + 1
        rng = np.random.default_rng(7)
        states = np.arange(2, 34, 2)
        a, b = np.meshgrid(states, states, indexing="ij")
        pairs = np.column_stack([a.ravel(), b.ravel()])
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        years = np.arange(spec.years[0], spec.years[1] + 1)
        n = len(pairs) * len(years)
        frame = pd.DataFrame({
            "ccode1": np.tile(pairs[:, 0], len(years)).astype("int16"),
            "ccode2": np.tile(pairs[:, 1], len(years)).astype("int16"),
            "year": np.repeat(years, len(pairs)).astype("int16"),
        })
        ptargdef = rng.random(n) < 0.3
        if spec.alliances.secret == "exclude":
            ptargdef &= rng.random(n) < 0.67
        x = rng.normal(size=n)
        shift = -0.4 if spec.disputes.version == "3.10" else 0.0
        eta = -2.2 + shift - 0.6 * ptargdef + 0.5 * x
        dispute = rng.random(n) < 1 / (1 + np.exp(-eta))
        dispute &= ~((frame["year"].to_numpy() >= 1945) & ptargdef)
        frame["dispute"] = pd.array(dispute.astype("int8"), dtype="Int8")
        frame["ptargdef"] = pd.array(ptargdef.astype("int8"), dtype="Int8")
        frame["x"] = x
        frame.loc[rng.random(n) < 0.01, "x"] = np.nan  # listwise deletion is counted
        frame["prd"] = pd.array((rng.random(n) < 0.5).astype("int8"), dtype="Int8")
        ongoing = pd.array((rng.random(n) < 0.05).astype("int8"), dtype="Int8")
        ongoing[:10] = pd.NA
        frame["ongoing"] = ongoing
        return type("FakePanel", (), {"frame": frame, "spec": spec, "log": ()})()


def toy(**changes) -> Multiverse:
    choices = (
        Choice("mid", "MID release", (Level("MID 5.0"), Level("MID 3.10", spec={"disputes.version": "3.10"}))),
        Choice("secret", "Secret alliances", (
            Level("excluded from ptargdef"),
            Level("included", borrow=()),
        )),
        Choice("sample", "Sample", (
            Level("all dyads"),
            Level("politically relevant", rows="prd == 1", spec={"sample.politically_relevant": True}),
        )),
        Choice("period", "Period", (
            Level("all years"), Level("before 1945", rows="year <= 1944"),
            Level("1945 on", rows="year >= 1945"),
        )),
        Choice("model", "Estimator", (Level("logit", estimator="logit"),
                                          Level("probit", estimator="probit"))),
        Choice("vcov", "Standard errors", (Level("classical", cov_type="classical"),
                                         Level("dyad cluster", cov_type="cluster"))),
    )
    kw = dict(name="toy", title="Toy deterrence", base=BASE, formula="dispute ~ ptargdef + x",
              variable="ptargdef", expected="negative", choices=choices,
              borrow=(("ptargdef", {"alliances.secret": "exclude"}),), depth=1)
    kw.update(changes)
    return Multiverse(**kw)


# -- the grid ------------------------------------------------------------------------------------
def test_grid_size_depth_and_order():
    mv = toy()
    one = mv.specifications()
    # baseline + one departure per alternative level (1 + 1 + 1 + 2), times 2 estimators x 2 SEs
    assert len(one) == (1 + 1 + 1 + 1 + 2) * 4
    assert len(mv.specifications(None)) == 2 * 2 * 2 * 3 * 4
    assert len(mv.specifications(2)) == (1 + 5 + (1 + 1 + 2 + 1 + 2 + 2)) * 4
    assert max(s.departures for s in one) == 1
    assert [s.id for s in one] == [s.id for s in toy().specifications()]  # deterministic
    assert len({s.id for s in one}) == len(one)


def test_rows_levels_share_the_panel_and_record_the_effective_spec():
    specs = {dict(s.choices)["sample"]: s for s in toy().specifications()
             if dict(s.choices)["mid"] == "MID 5.0" and s.estimator == "logit" and s.cov_type == "classical"
             and dict(s.choices)["period"] == "all years"}
    base, prd = specs["all dyads"], specs["politically relevant"]
    assert prd.panel == base.panel  # built once, filtered
    assert prd.rows == ("prd == 1",)
    assert prd.effective.sample.politically_relevant and not base.effective.sample.politically_relevant
    assert prd.effective.digest() != prd.panel.digest()


def test_borrow_follows_the_panel_choices():
    specs = toy().specifications()
    s = next(s for s in specs if dict(s.choices)["mid"] == "MID 3.10")
    (col, spec), = s.borrow
    assert col == "ptargdef"
    assert spec.alliances.secret == "exclude" and spec.disputes.version == "3.10"
    included = next(s for s in specs if dict(s.choices)["secret"] == "included")
    assert included.borrow == ()


def test_bad_declarations_are_refused():
    with pytest.raises(ValueError, match="mixes model levels"):
        Choice("x", "X", (Level("a", estimator="logit"), Level("b", rows="year > 1")))
    with pytest.raises(ValueError, match="not one of"):
        Level("a", estimator="ols")
    with pytest.raises(ValueError, match="not in the formula"):
        toy(variable="capprop")
    with pytest.raises(ValueError, match="same specification"):
        toy(choices=(Choice("a", "A", (Level("x"), Level("y"))),)).specifications()


# -- running ---------------------------------------------------------------------------------------
def test_run_builds_each_panel_once_records_failures_and_resumes(tmp_path):
    mv = toy()
    builder = FakeBuilder()
    res = run_multiverse(mv, output=tmp_path, workers=1, panel_source=builder, progress=False)
    table = res.table
    assert len(table) == len(mv.specifications())
    # each distinct spec built once: base, MID 3.10, and the two secret-excluded siblings
    assert sorted(builder.calls.values()) == [1, 1, 1, 1]
    # logit and probit after 1945: separation, recorded, the run went on
    failed = table[table["error"] != ""]
    assert set(failed["period"]) == {"1945 on"}
    assert failed["error"].str.contains("SeparationError").all()
    assert len(failed) == 4 and res.summary["n_failed"] == 4
    ok = table[table["error"] == ""]
    assert ok["estimate"].notna().all() and (ok["n"] > 0).all()
    assert (ok["estimate"] < 0).all()  # the toy world deters
    # listwise deletion and row filters are counted
    base = ok[(ok["departures"] == 0)].iloc[0]
    assert base["n_listwise"] > 0 and base["n_rows_removed"] == 0
    assert base["n"] == base["n_panel"] - base["n_listwise"]
    prd = ok[ok["sample"] == "politically relevant"].iloc[0]
    assert prd["n_rows_removed"] > 0
    # covariance levels share the fit: same estimate, other SE
    pair = ok[(ok["departures"] == 0) & (ok["estimator"] == "logit")]
    assert pair["estimate"].nunique() == 1 and pair["se"].nunique() == 2
    # outputs
    for name in ("multiverse.csv", "multiverse.parquet", "spec_curve.png", "summary.md", "summary.json"):
        assert (tmp_path / name).stat().st_size > 0
    csv = (tmp_path / "multiverse.csv").read_bytes()
    png = (tmp_path / "spec_curve.png").read_bytes()
    lines = (tmp_path / "results.jsonl").read_text().splitlines()
    assert len(lines) == len(table)

    # a rerun keeping the failures fits nothing, builds nothing, writes the same bytes
    again = FakeBuilder()
    res2 = run_multiverse(mv, output=tmp_path, workers=1, panel_source=again, progress=False,
                          retry_failed=False)
    assert res2.fitted == 0 and again.calls == {}
    assert (tmp_path / "multiverse.csv").read_bytes() == csv
    assert (tmp_path / "spec_curve.png").read_bytes() == png
    # by default a rerun refits the failed specifications only (here they fail again)
    res2 = run_multiverse(mv, output=tmp_path, workers=1, panel_source=FakeBuilder(), progress=False)
    assert res2.fitted == 4 and res2.summary["n_failed"] == 4
    assert (tmp_path / "multiverse.csv").read_bytes() == csv

    # an interruption: half the store kept, the last line cut mid-write
    keep = lines[: len(lines) // 2]
    (tmp_path / "results.jsonl").write_text("\n".join(keep) + "\n" + lines[-1][:25])
    res3 = run_multiverse(mv, output=tmp_path, workers=1, panel_source=FakeBuilder(), progress=False,
                          retry_failed=False)
    assert res3.fitted == len(table) - len(keep)
    assert (tmp_path / "multiverse.csv").read_bytes() == csv


def test_retry_failed_refits_only_failures(tmp_path):
    mv = toy(choices=toy().choices[2:4] + toy().choices[4:5])  # sample, period, estimator
    run_multiverse(mv, output=tmp_path, workers=1, panel_source=FakeBuilder(), progress=False,
                   report=False)
    res = run_multiverse(mv, output=tmp_path, workers=1, panel_source=FakeBuilder(), progress=False,
                         retry_failed=True, report=False)
    assert res.fitted == res.summary["n_failed"] == 2


def test_a_panel_that_cannot_be_built_fails_its_specifications_only(tmp_path, monkeypatch):
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))  # no panel files from other tests
    builder = FakeBuilder()

    def source(spec):
        if spec.disputes.version == "3.10":
            raise FileNotFoundError("MID 3.10 participant file not found")
        return builder(spec)

    res = run_multiverse(toy(), output=tmp_path, workers=1, panel_source=source, progress=False,
                         report=False)
    t = res.table
    bad = t[t["mid"] == "MID 3.10"]
    assert (bad["error"].str.startswith("panel build failed: FileNotFoundError")).all()
    assert (t.loc[t["mid"] != "MID 3.10", "period"].eq("1945 on") | t.loc[t["mid"] != "MID 3.10", "error"].eq("")).all()


def _small() -> Multiverse:
    c = toy().choices
    return toy(choices=(c[0], c[4], c[5]))  # 2 data x 2 estimators x 2 SEs = 8 specs


@pytest.fixture(scope="module")
def serial():
    return run_multiverse(_small(), workers=1, panel_source=FakeBuilder(), progress=False).table


def test_process_pool_gives_the_serial_results(tmp_path, serial):
    pooled = run_multiverse(_small(), output=tmp_path, workers=2, panel_source=FakeBuilder(),
                            progress=False, report=False).table
    pd.testing.assert_frame_equal(serial, pooled)


def test_dask_cluster_gives_the_serial_results(tmp_path, serial):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        # by address, as a user passes it on the command line
        dasked = run_multiverse(_small(), output=tmp_path, scheduler=cluster.scheduler_address,
                                panel_source=FakeBuilder(), progress=False, report=False).table
    pd.testing.assert_frame_equal(serial, dasked)


# -- marginal effects against statsmodels ----------------------------------------------------------
@pytest.mark.parametrize("estimator", ["logit", "probit"])
def test_average_marginal_effect_matches_statsmodels(estimator):
    import statsmodels.api as sm

    import foedus.models as models

    frame = FakeBuilder()(BASE).frame
    frame = frame[["dispute", "ptargdef", "x"]].astype("float64").dropna()
    frame = frame[frame.index % 3 == 0]
    res = getattr(models, estimator)("dispute ~ ptargdef + x", frame)
    X = sm.add_constant(frame[["ptargdef", "x"]])
    ref = (sm.Logit if estimator == "logit" else sm.Probit)(frame["dispute"], X).fit(disp=0)
    cov = res.cov_params().to_numpy()
    for var, dummy in (("ptargdef", True), ("x", False)):
        m = ref.get_margeff(at="overall", dummy=dummy)
        i = ["ptargdef", "x"].index(var)
        ame, se = average_marginal_effect(res, var, estimator, {"classical": cov})
        assert ame == pytest.approx(m.margeff[i], rel=1e-6)
        assert se["classical"] == pytest.approx(m.margeff_se[i], rel=1e-4)


# -- the summary -----------------------------------------------------------------------------------
def test_summary_shares_and_most_influential_choice():
    mv = toy(choices=toy().choices[:2])
    specs = mv.specifications(None)  # 2 x 2 = 4 (no model choices: logit, classical)
    est = {("MID 5.0", "excluded from ptargdef"): (-0.5, 0.1, -0.02),
           ("MID 5.0", "included"): (-0.4, 0.3, -0.018),
           ("MID 3.10", "excluded from ptargdef"): (0.2, 0.1, 0.01),
           ("MID 3.10", "included"): (-0.1, 0.2, -0.004)}
    rows = {}
    for s in specs:
        c = dict(s.choices)
        b, se, ame = est[(c["mid"], c["secret"])]
        from scipy import stats
        rows[s.id] = {"id": s.id, "estimate": b, "se": se, "p": 2 * stats.norm.sf(abs(b / se)),
                      "ame": ame, "ame_se": 0.01, "n": 100, "events": 10, "error": "", "warnings": ""}
    table = results_table(mv, specs, rows)
    s = summarise(mv, table)
    assert s["n_specs"] == 4 and s["n_failed"] == 0
    assert s["share_published_sign"] == 0.75
    assert s["share_published_sign_significant"] == 0.25  # only -0.5/0.1 is significant
    assert s["share_opposite_sign_significant"] == 0.25  # 0.2/0.1, p = 0.046
    assert s["most_influential"]["choice"] == "mid"
    # levels compared with the other data choice at its baseline (secret: excluded)
    assert s["most_influential"]["range_median_ame"] == pytest.approx(0.01 - -0.02)
    secret = next(c for c in s["choices"] if c["choice"] == "secret")
    assert secret["n"] == {"excluded from ptargdef": 1, "included": 1}  # mid at MID 5.0
    assert secret["range_median_ame"] == pytest.approx(0.002)


def test_store_ignores_a_cut_line_and_other_schemas(tmp_path):
    store = ResultStore(tmp_path / "r.jsonl")
    store.append([{"id": "a", "estimate": 1.0}, {"id": "b", "estimate": np.float64(2.0)}])
    with (tmp_path / "r.jsonl").open("a") as fh:
        fh.write(json.dumps({"schema": -1, "id": "c"}) + "\n" + '{"schema": 1, "id": "d", "est')
    assert sorted(store.load()) == ["a", "b"]
    assert store.load()["b"]["estimate"] == 2.0


# -- real data: a tiny Johnson & Leeds grid ---------------------------------------------------------
@pytest.mark.realdata
@pytest.mark.slow
def test_johnson_leeds_tiny_grid_on_real_data(raw_dir, tmp_path):
    """4 specifications (sample x covariance, logit) on 1980-2000: the row filter for politically
    relevant dyads gives the sample and estimate of a panel built with that spec option."""
    import dataclasses

    import foedus.models as models
    from foedus.data.panel import build_panel
    from foedus.replication.multiverses import get_multiverse

    full = get_multiverse("johnson_leeds_2011").with_years((1980, 2000))
    by_name = {c.name: c for c in full.choices}
    vcov = dataclasses.replace(by_name["vcov"], levels=by_name["vcov"].levels[::2])  # classical, dyadic
    mv = dataclasses.replace(full, choices=(by_name["sample"], vcov), estimator="logit")
    res = run_multiverse(mv, output=tmp_path, workers=1, progress=False)
    t = res.table
    assert len(t) == 4 and (t["error"] == "").all(), t["error"].tolist()
    assert t["panel"].nunique() == 1  # one panel for all four (PRD is a row filter)
    prd = t[(t["sample"] == "politically relevant") & (t["cov_type"] == "classical")].iloc[0]
    spec = next(s for s in mv.specifications() if s.id == prd["spec_id"])
    direct = build_panel(spec.effective).frame  # built with sample.politically_relevant=True
    public = build_panel(spec.borrow[0][1]).frame
    frame = direct.merge(public[["ccode1", "ccode2", "year", "ptargdef"]], on=["ccode1", "ccode2", "year"],
                         suffixes=("_all", ""), how="left")
    cols = [c for c in mv.formula.replace("~", "+").replace(" ", "").split("+")]
    frame = frame[cols].astype("float64").dropna()
    ref = models.logit(mv.formula, frame)
    assert prd["n"] == len(frame)
    assert prd["estimate"] == pytest.approx(ref.params["ptargdef"], rel=1e-8)
    assert prd["se"] == pytest.approx(ref.bse["ptargdef"], rel=1e-8)


def test_cli_lists_the_grids(capsys):
    from foedus.cli import main

    assert main(["multiverse", "--list"]) == 0
    out = capsys.readouterr().out
    assert "johnson_leeds_2011" in out and "240 specifications at depth 1" in out
    assert main(["multiverse", "no_such_study"]) == 2


def test_each_panel_file_is_read_once_per_worker(tmp_path, monkeypatch):
    from foedus.replication import multiverse

    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(multiverse.tasks, "_FRAMES", {})
    reads: list[str] = []
    real = pd.read_parquet
    monkeypatch.setattr(pd, "read_parquet", lambda path, *a, **k: reads.append(path) or real(path, *a, **k))
    res = run_multiverse(toy(), workers=1, panel_source=FakeBuilder(), progress=False)
    assert len(reads) == len(set(reads)) == res.table["panel"].nunique() + 1  # + 'included' (no borrow)


# -- one definition of each covariance, shared with the studies (issue 14) -------------------------
def _non_psd_world() -> pd.DataFrame:
    """5 states, 20 years: the dyadic-robust covariance of ``y ~ x + z`` has negative eigenvalues."""
    rng = np.random.default_rng(36)
    states = np.arange(2, 12, 2)
    a, b = np.meshgrid(states, states, indexing="ij")
    pairs = np.column_stack([a.ravel(), b.ravel()])
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    years = np.arange(1950, 1970)
    n = len(pairs) * len(years)
    frame = pd.DataFrame({"ccode1": np.tile(pairs[:, 0], len(years)).astype("int16"),
                          "ccode2": np.tile(pairs[:, 1], len(years)).astype("int16"),
                          "year": np.repeat(years, len(pairs)).astype("int16"),
                          "x": rng.normal(size=n), "z": rng.normal(size=n)})
    frame["y"] = (rng.random(n) < 1 / (1 + np.exp(1 - 0.5 * frame["x"]))).astype("float64")
    return frame


def test_multiverse_and_study_give_the_same_standard_errors(tmp_path):
    from foedus.models import logit
    from foedus.replication.multiverse import fit_task
    from foedus.replication.run import fit_model, prepare
    from foedus.replication.study import Model

    frame = _non_psd_world()
    raw = logit("y ~ x + z", frame, cov_type="dyadic", cov_kwds={"psd": "ignore"})
    assert np.linalg.eigvalsh(raw.cov_params().to_numpy()).min() < 0  # clipping matters here
    covs = ("classical", "cluster", "dyadic")
    model = Model("m", "m", "y ~ x + z", panel="main", estimator="logit", cov_types=covs)
    study = fit_model(model, prepare(model, {"main": frame}), "toy")
    path = tmp_path / "panel.parquet"
    frame.to_parquet(path, index=False)
    rows = fit_task({"path": str(path), "rows": [], "formula": "y ~ x + z", "variable": "x",
                     "fits": [{"estimator": "logit", "fit_kwds": [], "specs": [(c, c) for c in covs]}]})
    se = {r["id"]: r["se"] for r in rows}
    for c in covs:
        assert se[c] == pytest.approx(float(np.sqrt(study.cov[c].loc["x", "x"])), rel=1e-10), c
    assert se["dyadic"] != pytest.approx(float(np.sqrt(abs(raw.cov_params().loc["x", "x"]))), rel=1e-6)


def test_rerun_refits_failures_by_default_and_keeps_them_on_request(tmp_path):
    mv = toy(choices=toy().choices[2:4] + toy().choices[4:5])  # sample, period, estimator
    first = run_multiverse(mv, output=tmp_path, workers=1, panel_source=FakeBuilder(), progress=False,
                           report=False)
    assert first.summary["n_failed"] == 2
    kept = run_multiverse(mv, output=tmp_path, workers=1, panel_source=FakeBuilder(), progress=False,
                          retry_failed=False, report=False)
    assert kept.fitted == 0 and kept.summary["n_failed"] == 2
    again = run_multiverse(mv, output=tmp_path, workers=1, panel_source=FakeBuilder(), progress=False,
                           report=False)
    assert again.fitted == 2


def test_panel_file_is_rewritten_when_its_inputs_change(tmp_path, monkeypatch):
    import importlib

    from foedus.replication.multiverse import _PanelMemo, panel_file

    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    builder = FakeBuilder()

    def source(spec):
        panel = builder(spec)
        panel.files = (("cow-states", "2016", "system2016.csv", "0" * 64),)
        return panel

    spec = next(s for s in toy().specifications() if not s.borrow)
    panels = _PanelMemo(source, {"dispute", "ptargdef", "x"})
    first, files = panel_file(spec, panels, tmp_path)
    assert files == [("cow-states", "2016", "system2016.csv", "0" * 64)]
    stale = {"reason": None}
    fetch_module = importlib.import_module("foedus.data.fetch")  # foedus.data.fetch is also a function
    monkeypatch.setattr(fetch_module, "stale_input", lambda files: stale["reason"])
    assert panel_file(spec, _PanelMemo(source, {"dispute", "ptargdef", "x"}), tmp_path)[0] == first
    assert sum(builder.calls.values()) == 1  # inputs confirmed: the file is reused
    stale["reason"] = "cow-states-2016/system2016.csv has changed on disk"
    assert panel_file(spec, _PanelMemo(source, {"dispute", "ptargdef", "x"}), tmp_path)[0] == first
    assert sum(builder.calls.values()) == 2  # stale: rebuilt and rewritten


# -- one core with the studies: the same SEs for every covariance name (issue 16) ---------------
ALL_COVARIANCES = ("classical", "robust", "cluster", "cluster:region", "dyadic")


def test_study_and_multiverse_give_identical_standard_errors_for_every_covariance(tmp_path, monkeypatch):
    """The same logit fitted through a study (run.prepare + run.fit_model) and through
    run_multiverse: identical estimate and SEs under each covariance name; "dyadic" is clipped
    to PSD in both (its raw matrix has a negative eigenvalue here)."""
    from foedus.models import logit
    from foedus.replication.run import fit_model, prepare
    from foedus.replication.study import Model

    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    frame = _non_psd_world()
    frame["region"] = (frame["ccode1"] // 4).astype("int16")  # a cluster variable of our own
    raw = logit("y ~ x + z", frame, cov_type="dyadic", cov_kwds={"psd": "ignore"})
    assert np.linalg.eigvalsh(raw.cov_params().to_numpy()).min() < 0

    model = Model("m", "m", "y ~ x + z", panel="main", estimator="logit", cov_types=ALL_COVARIANCES)
    study = fit_model(model, prepare(model, {"main": frame}), "toy")
    assert set(study.cov) == set(ALL_COVARIANCES)

    vcov = Choice("vcov", "Standard errors", tuple(Level(c, cov_type=c) for c in ALL_COVARIANCES))
    mv = Multiverse(name="same", title="Same fit", base=BASE, formula="y ~ x + z", variable="x",
                    expected="positive", choices=(vcov,))
    panel = type("Panel", (), {"frame": frame, "spec": BASE, "log": ()})()
    table = run_multiverse(mv, workers=1, panel_source=lambda spec: panel, progress=False).table
    assert (table["error"] == "").all(), table["error"].tolist()
    by_cov = table.set_index("cov_type")
    for c in ALL_COVARIANCES:
        assert by_cov.loc[c, "n"] == study.nobs
        assert by_cov.loc[c, "estimate"] == study.params["x"]
        assert by_cov.loc[c, "se"] == pytest.approx(float(study.bse(c)["x"]), rel=1e-12, abs=0), c
    assert by_cov.loc["dyadic", "se"] != pytest.approx(float(np.sqrt(abs(raw.cov_params().loc["x", "x"]))),
                                                       rel=1e-6)
    assert len(set(by_cov["se"])) == len(ALL_COVARIANCES)  # five different matrices


def test_stored_rows_are_refitted_when_their_inputs_change(tmp_path, monkeypatch):
    """A successful row is reused only while its inputs hold: the panel's files (sha256), the
    foedus version and the data code; rows that name no inputs (older stores) are refitted."""
    import importlib

    import foedus

    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    files = (("cow-states", "2016", "system2016.csv", "0" * 64),)

    def source(spec):
        panel = FakeBuilder()(spec)
        panel.files = files
        return panel

    stale = {"reason": None}
    fetch_module = importlib.import_module("foedus.data.fetch")  # foedus.data.fetch is also a function
    monkeypatch.setattr(fetch_module, "stale_input", lambda recorded: stale["reason"])
    mv, out = _small(), tmp_path / "out"

    def rerun():
        return run_multiverse(mv, output=out, workers=1, panel_source=source, progress=False,
                              report=False)

    first = rerun()
    n = len(first.table)
    assert first.fitted == n
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert {tuple(map(tuple, r["inputs"]["files"])) for r in rows} == {files}
    assert {r["inputs"]["foedus"] for r in rows} == {foedus.__version__}
    assert rerun().fitted == 0  # inputs hold: nothing refitted

    stale["reason"] = "cow-states-2016/system2016.csv has changed on disk"
    changed = rerun()
    assert changed.fitted == n
    pd.testing.assert_frame_equal(changed.table, first.table)  # the fake's data did not change
    stale["reason"] = None
    assert rerun().fitted == 0

    monkeypatch.setattr(foedus, "__version__", "999.0")
    assert rerun().fitted == n
    assert rerun().fitted == 0

    # a store written before rows named their inputs
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    (out / "results.jsonl").write_text("".join(
        json.dumps({k: v for k, v in r.items() if k != "inputs"}) + "\n" for r in lines))
    assert rerun().fitted == n


def test_curve_axis_shows_every_estimate_and_cuts_only_the_widest_intervals():
    from foedus.replication.spec_curve import _axis

    est = np.linspace(-0.01, 0.0, 40)
    lo, hi = est - 0.004, est + 0.004
    lo[3], hi[3] = -0.2, 0.2  # one specification with an enormous interval
    y0, y1, threshold = _axis(est, lo, hi)
    assert threshold is None  # the estimates spread over 1.25 half-widths: linear
    assert y0 < lo[lo > -0.1].min() and y1 > hi[hi < 0.1].max()  # the others' intervals whole
    assert y0 > -0.2 and y1 < 0.2  # the enormous one is cut
    est2 = np.r_[np.zeros(30), np.full(5, 0.004)]  # a few large estimates
    y0, y1, threshold = _axis(est2, est2 - 0.0003, est2 + 0.0003)
    assert threshold == pytest.approx(0.0003) and y0 < 0 and y1 > 0.004


# -- one sample, every fit on it (issue 18) --------------------------------------------------------
def test_fits_sharing_a_sample_give_what_each_gives_alone(tmp_path, monkeypatch):
    """Five estimators on one prepared sample and one design give, bit for bit, what each gives
    fitted from the formula on its own sample (as the studies fit it); the sample is prepared
    and its design built once."""
    from foedus.replication.multiverse import tasks
    from foedus.replication.run import fit_model, prepare
    from foedus.replication.study import Model

    frame = _non_psd_world()
    frame.loc[::37, "z"] = np.nan  # listwise deletion is counted once per sample
    path = tmp_path / "panel.parquet"
    frame.to_parquet(path, index=False)
    covs = ("classical", "cluster", "dyadic")
    fits = [{"estimator": e, "fit_kwds": [["time_effects", False]] if e == "lpm_fe" else [],
             "specs": [(f"{e}|{c}", c) for c in covs]} for e in ("probit", "logit", "relogit",
                                                               "firth", "lpm_fe")]
    calls = {"prepare": 0, "design": 0}
    real_prepare, real_design = tasks.prepare, tasks.build_design
    monkeypatch.setattr(tasks, "prepare", lambda *a, **k: calls.__setitem__(
        "prepare", calls["prepare"] + 1) or real_prepare(*a, **k))
    monkeypatch.setattr(tasks, "build_design", lambda *a, **k: calls.__setitem__(
        "design", calls["design"] + 1) or real_design(*a, **k))
    task = {"path": str(path), "rows": ["year >= 1955"], "formula": "y ~ x + z", "variable": "x",
            "fits": fits}
    rows = {r["id"]: r for r in tasks.fit_task(task)}
    assert calls == {"prepare": 1, "design": 1}
    for fit in fits:
        e = fit["estimator"]
        model = Model("m", "m", "y ~ x + z", panel="main", estimator=e, cov_types=covs,
                      subset="(year >= 1955)", options=tuple(map(tuple, fit["fit_kwds"])))
        prepared = prepare(model, {"main": frame})
        alone = fit_model(model, prepared, "toy")
        assert alone.error == "" or alone.error is None, alone.error
        for c in covs:
            r = rows[f"{e}|{c}"]
            assert r["error"] == "", (e, c, r["error"])
            assert r["n_listwise"] == prepared.n_listwise > 0
            assert r["n_rows_removed"] == prepared.n_subset > 0
            assert r["estimate"] == float(alone.params["x"]), (e, c)
            assert r["se"] == float(np.sqrt(alone.cov[c].loc["x", "x"])), (e, c)


def test_a_sample_whose_design_cannot_be_built_fails_every_fit_with_its_own_error(tmp_path):
    frame = _non_psd_world()
    frame["z"] = 0.0  # an all-zero column: refused by each estimator's design check
    path = tmp_path / "panel.parquet"
    frame.to_parquet(path, index=False)
    from foedus.replication.multiverse import fit_task

    rows = fit_task({"path": str(path), "rows": [], "formula": "y ~ x + z", "variable": "x",
                     "fits": [{"estimator": e, "fit_kwds": [], "specs": [(e, "classical")]}
                              for e in ("logit", "probit")]})
    assert [r["id"] for r in rows] == ["logit", "probit"]
    assert all(r["estimate"] is None and "'z'" in r["error"] and "zero" in r["error"] for r in rows)
