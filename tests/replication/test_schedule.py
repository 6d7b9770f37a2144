"""Several studies as one schedule (foedus.replication.run.run_studies, pipeline.replicate_studies),
and the freshness check that lets ``foedus replicate`` skip current outputs
(foedus.replication.freshness)."""
from __future__ import annotations

import dataclasses
import json
import time

import pytest

from foedus.data.spec import PanelSpec
from foedus.replication.freshness import study_stale
from foedus.replication.pipeline import OUTPUT_FILES, replicate, replicate_studies
from foedus.replication.run import schedule, task_key
from foedus.replication.study import Claim, DataVersion, Model, Study

FORMULA = "dispute ~ ptargdef + pchaloff + capprop + peaceyrs"


def _study(name: str, first: int = 1900, models: int = 2) -> Study:
    data = (DataVersion("a", "Data A"), DataVersion("b", "Data B"))
    panels = {("a", "base"): PanelSpec(years=(first, first + 20)),
              ("b", "base"): PanelSpec(years=(first, first + 30))}
    fitted = tuple(Model(f"m{k}", f"Model {k}", FORMULA, estimator=est)
                   for k, est in zip(range(models), ("logit", "probit", "logit")))
    return Study(name=name, title=f"Study {name}", citation="Toy (2020)", data=data, panels=panels,
                 models=fitted, claims=(Claim("ptargdef", "negative", "defence deters", "toy"),))


class SlowFirst:
    """The synthetic source, slow on the panels of one year range: that task finishes last."""

    def __init__(self, source, slow_last_year: int, seconds: float = 1.5):
        self.source, self.slow, self.seconds = source, slow_last_year, seconds

    def __call__(self, spec, columns=None):
        if spec.years[1] == self.slow:
            time.sleep(self.seconds)
        return self.source(spec, columns)


class Failing:
    """The synthetic source, raising for the panels of one year range."""

    def __init__(self, source, last_year: int):
        self.source, self.last = source, last_year

    def __call__(self, spec, columns=None):
        if spec.years[1] == self.last:
            raise RuntimeError(f"no data for {spec.years}")
        return self.source(spec, columns)


STUDIES = (_study("toy_one", 1900, models=3), _study("toy_two", 1910))


@pytest.fixture(scope="module")
def serial(tmp_path_factory, toy_source):
    out = tmp_path_factory.mktemp("serial")
    return replicate_studies(STUDIES, output=out, panel_source=toy_source, progress=False, jobs=1)


def _bytes(run) -> dict:
    return {(name, f): (rep.directory / f).read_bytes()
            for name, rep in run.replications.items() for f in OUTPUT_FILES if (rep.directory / f).exists()}


def test_every_study_written(serial):
    assert list(serial.replications) == ["toy_one", "toy_two"] and not serial.failures
    for rep in serial.replications.values():
        assert not rep.current and rep.result is not None
        assert {"table.md", "table.csv", "table.tex", "provenance.json"} <= set(rep.files)
    assert serial.reasons == {"toy_one": "asked for", "toy_two": "asked for"}


def test_outputs_do_not_depend_on_workers_or_finishing_order(serial, tmp_path, toy_source):
    # two workers; the first data version of toy_one is made slow, so that it finishes last
    pooled = replicate_studies(STUDIES, output=tmp_path / "pooled", progress=False, jobs=2,
                               panel_source=SlowFirst(toy_source, slow_last_year=1920))
    assert not pooled.failures
    a, b = _bytes(serial), _bytes(pooled)
    assert a.keys() == b.keys() and len(a) >= 8
    assert [k for k in a if a[k] != b[k]] == []
    # one study alone writes what it writes in company
    alone = replicate(STUDIES[1], output=tmp_path / "alone", panel_source=toy_source,
                      progress=False, jobs=1)
    for f in ("table.md", "table.csv", "table.tex", "provenance.json"):
        assert (alone.directory / f).read_bytes() == a[("toy_two", f)]


def test_a_failing_study_does_not_stop_the_others(tmp_path, toy_source):
    for jobs in (1, 2):
        run = replicate_studies(STUDIES, output=tmp_path / str(jobs), progress=False, jobs=jobs,
                                panel_source=Failing(toy_source, last_year=1940))  # toy_two's data version b
        assert list(run.failures) == ["toy_two"], jobs
        assert "no data for (1910, 1940)" in str(run.failures["toy_two"])
        assert list(run.replications) == ["toy_one"]
        assert (tmp_path / str(jobs) / "toy_one" / "table.md").is_file()
        assert not (tmp_path / str(jobs) / "toy_two").exists()  # nothing half-written
    with pytest.raises(RuntimeError, match="no data"):  # the one-study API raises
        replicate(STUDIES[1], output=tmp_path / "one", panel_source=Failing(toy_source, 1940), progress=False)


def test_workers_need_not_pickle_the_study_or_the_source(tmp_path, toy_source):
    # a local function (as a summary's claim check can be, or a notebook's source) cannot be
    # pickled: workers inherit the studies and the source, nothing of them is sent
    def source(spec, columns=None):
        return toy_source(spec, columns)

    one = dataclasses.replace(STUDIES[1], data=STUDIES[1].data[:1])
    run = replicate_studies([one, STUDIES[0]], output=tmp_path, panel_source=source, progress=False, jobs=2)
    assert not run.failures and list(run.replications) == ["toy_two", "toy_one"]


def test_schedule_is_longest_first():
    one, two = STUDIES
    # never timed: by number of steps (toy_one has a third model), then in declaration order
    assert [task_key(s, d) for s, d in schedule(STUDIES)] == ["toy_one/a", "toy_one/b", "toy_two/a", "toy_two/b"]
    timed = {"toy_one/a": 1.0, "toy_one/b": 5.0, "toy_two/a": 3.0}
    order = [task_key(s, d) for s, d in schedule(STUDIES, timed)]
    assert order == ["toy_two/b", "toy_one/b", "toy_two/a", "toy_one/a"]  # the untimed one first


def test_durations_of_a_run_are_recorded(tmp_path, toy_source):
    durations = {"toy_two/a": 99.0}
    from foedus.replication.run import run_studies

    results = run_studies(STUDIES[1:], panel_source=toy_source, progress=False, jobs=1,
                          durations=durations)
    assert set(durations) == {"toy_two/a", "toy_two/b"} and durations["toy_two/a"] < 99.0
    assert results["toy_two"].fits and not isinstance(results["toy_two"], BaseException)


# -- freshness ---------------------------------------------------------------------------------
@pytest.fixture()
def written(tmp_path, toy_source):
    study = STUDIES[1]
    rep = replicate(study, output=tmp_path / "toy_two", panel_source=toy_source, progress=False)
    return study, rep.directory


def _edit_provenance(folder, **changes):
    path = folder / "provenance.json"
    prov = json.loads(path.read_text())
    prov.update(changes)
    path.write_text(json.dumps(prov))


def test_current_outputs_are_skipped(written, toy_source):
    study, folder = written
    assert study_stale(folder, study) is None and study_stale(folder) is None
    before = {f: (folder / f).stat().st_mtime_ns for f in OUTPUT_FILES if (folder / f).exists()}
    rep = replicate(study, output=folder, panel_source=toy_source, progress=False, skip_current=True)
    assert rep.current and rep.result is None and set(rep.files) == set(before)
    assert {f: (folder / f).stat().st_mtime_ns for f in before} == before  # nothing rewritten
    # the API reruns by default
    rep = replicate(study, output=folder, panel_source=toy_source, progress=False)
    assert not rep.current and rep.result is not None


def test_an_edited_output_forces_a_rerun(written, toy_source):
    study, folder = written
    (folder / "table.md").write_text("edited by hand\n")
    assert study_stale(folder, study) == "table.md has changed since the run"
    (folder / "coefplot.pdf").unlink()
    run = replicate_studies([study], output=folder.parent, panel_source=toy_source, progress=False,
                            skip_current=True)
    assert run.reasons == {"toy_two": "coefplot.pdf is missing"}
    assert "edited" not in (folder / "table.md").read_text() and (folder / "coefplot.pdf").is_file()
    assert study_stale(folder, study) is None


def test_an_input_hash_forces_a_rerun(written):
    study, folder = written
    record = {"dataset": "atop", "version": "4.01", "file": "atop-alliance-level.csv", "sha256": "0" * 64}
    _edit_provenance(folder, inputs=[record])
    assert study_stale(folder, study) == ("an input changed: atop-4.01/atop-alliance-level.csv: "
                                          "the registry now lists another sha256")


def test_other_code_forces_a_rerun(written):
    study, folder = written
    _edit_provenance(folder, code_fingerprint="0" * 16)
    assert "code fingerprint" in study_stale(folder, study)


def test_other_software_forces_a_rerun(written):
    study, folder = written
    prov = json.loads((folder / "provenance.json").read_text())
    _edit_provenance(folder, software={**prov["software"], "numpy": "0.0.1"})
    assert study_stale(folder, study).startswith("made with other software (numpy 0.0.1 -> ")


def test_the_run_arguments_are_part_of_freshness(written, tmp_path, toy_source):
    study, folder = written
    # another year range (--years): the recorded run is not that run
    assert study_stale(folder, study.with_years((1915, 1930))) == \
        "the study or its year range differs from the recorded run"
    # a changed study definition
    other = dataclasses.replace(study, models=study.models[:1])
    assert study_stale(folder, other) == "the study or its year range differs from the recorded run"
    # published values now given (or changed): stale; the recorded ones again: current
    pub = tmp_path / "toy_two.csv"
    pub.write_text("model,variable,estimate,se\nm0,ptargdef,-0.5,0.1\n")
    assert study_stale(folder, study, published=pub) == "the published values differ from the recorded run's"
    replicate(study, output=folder, panel_source=toy_source, progress=False, published=pub)
    assert study_stale(folder, study, published=pub) is None
    pub.write_text("model,variable,estimate,se\nm0,ptargdef,-0.6,0.1\n")
    assert study_stale(folder, study, published=pub) == "the published values differ from the recorded run's"


def test_a_restricted_run_is_current_for_itself_but_not_for_the_docs(tmp_path, toy_source):
    study = STUDIES[1].with_years((1910, 1925))
    rep = replicate(study, output=tmp_path / "toy_two", panel_source=toy_source, progress=False)
    assert study_stale(rep.directory, study) is None
    assert study_stale(rep.directory).startswith("RESTRICTED RUN: years 1910-1925")


# -- command line ------------------------------------------------------------------------------
@pytest.fixture()
def toy_registry(monkeypatch, tmp_path, toy_source):
    """``foedus replicate`` on the two toy studies and the synthetic source, its own cache."""
    import foedus.replication.pipeline as pipeline
    import foedus.replication.registry as registry
    import foedus.replication.run as run

    studies = {s.name: s for s in STUDIES}
    monkeypatch.setattr(registry, "study_names", lambda: list(studies))
    monkeypatch.setattr(registry, "get_study", lambda name: studies[name])
    monkeypatch.setattr(pipeline, "get_study", lambda name: studies[name])
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path / "cache"))
    holder = {"source": toy_source}
    monkeypatch.setattr(run, "BuildPanel", lambda: holder["source"])
    return holder


def test_command_line_skips_current_studies_and_reruns_with_force(toy_registry, tmp_path, capsys):
    from foedus.cli import main

    out = tmp_path / "results"
    argv = ["replicate", "--all", "-o", str(out), "-q", "-j", "1"]
    assert main(argv) == 0
    durations = json.loads((tmp_path / "cache" / "replication-durations.json").read_text())
    assert set(durations) == {"toy_one/a", "toy_one/b", "toy_two/a", "toy_two/b"}
    stamp = (out / "toy_one" / "table.md").stat().st_mtime_ns
    (out / "toy_two" / "table.csv").write_text("edited\n")
    capsys.readouterr()
    assert main([*argv[:-3], "-v"]) == 0
    text = capsys.readouterr().err
    assert "toy_one: outputs in" in text and "are current, not rerun" in text
    assert "toy_two: rerun because table.csv has changed since the run" in text
    assert (out / "toy_one" / "table.md").stat().st_mtime_ns == stamp
    assert main([*argv, "--force"]) == 0
    assert (out / "toy_one" / "table.md").stat().st_mtime_ns != stamp


def test_command_line_reports_every_failed_study_and_exits_non_zero(toy_registry, tmp_path, capsys):
    from foedus.cli import main

    toy_registry["source"] = Failing(toy_registry["source"], last_year=1940)  # toy_two fails
    out = tmp_path / "results"
    assert main(["replicate", "--all", "-o", str(out), "-q", "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert "toy_two failed: no data for (1910, 1940)" in err and "1 of 2 studies failed: toy_two" in err
    assert (out / "toy_one" / "table.md").is_file()
