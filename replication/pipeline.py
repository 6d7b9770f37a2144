"""Replicate a study end to end: run it, write its tables, figures and provenance.

Outputs, in ``results/<study>/`` by default:

================  ==========================================================================
table.md          regression tables, verdicts and notes (Markdown)
table.tex         the same tables (LaTeX, booktabs)
table.csv         tidy long form: one row per data version, model, covariance, coefficient
coefplot.png      claimed variables across models and data versions, 95% intervals (and .pdf)
predicted.png     simulated predicted probabilities of the study's effect (and .pdf)
provenance.json   specs and hashes, input files and their sha256, versions, git commit,
                  sha256 of every other output
================  ==========================================================================

Every output is deterministic: a rerun on the same inputs writes the same bytes.

:func:`replicate` runs one study, :func:`replicate_studies` several (``foedus replicate --all``)
as one schedule of (study, data version) tasks over one process pool. Both can skip a study
whose outputs are current (``skip_current``, :mod:`foedus.replication.freshness`); the command
line does so unless ``--force``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from foedus.replication import figures, tables
from foedus.replication.provenance import provenance, write_provenance
from foedus.replication.published import published_path, read_published
from foedus.replication.registry import get_study
from foedus.replication.run import StudyResult
from foedus.replication.study import Study

OUTPUT_FILES = ("table.md", "table.tex", "table.csv", "coefplot.png", "coefplot.pdf", "predicted.png",
                "predicted.pdf", "provenance.json")


@dataclass
class Replication:
    """What :func:`replicate` wrote and the numbers behind it."""

    study: Study
    result: StudyResult | None  # None when the outputs were current and the study was not rerun
    directory: Path
    files: dict  # output name -> path
    current: bool = False  # the outputs were current: nothing was rerun


@dataclass
class Run:
    """What :func:`replicate_studies` did: every study rerun, skipped as current, or failed."""

    replications: dict  # study name -> Replication (rerun or current), in the order asked
    failures: dict  # study name -> the exception that stopped it
    reasons: dict  # study name -> why it was rerun (see :func:`~foedus.replication.freshness.study_stale`)


@dataclass
class _Plan:
    study: Study
    directory: Path
    published: Path | None


def _plan(study, output, years, published, published_dir) -> _Plan:
    study = get_study(study) if isinstance(study, str) else study
    if years is not None:
        study = study.with_years(tuple(years))
    directory = Path(output) if output is not None else Path("results") / study.name
    return _Plan(study, directory, published_path(study, published, published_dir))


def write_outputs(study: Study, result: StudyResult, directory: Path, published: Path | None) -> dict:
    """Write a study's tables, figures and provenance into ``directory``; output name -> path."""
    pub = read_published(study, published) if published is not None else None
    directory.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_FILES:  # no stale output of an earlier run survives
        (directory / name).unlink(missing_ok=True)
    files: dict[str, Path] = {}
    pub_name = published.name if published is not None else None
    files["table.md"] = directory / "table.md"
    files["table.md"].write_text(tables.to_markdown(result, pub, pub_name), encoding="utf-8")
    files["table.tex"] = directory / "table.tex"
    files["table.tex"].write_text(tables.to_latex(result, pub, pub_name), encoding="utf-8")
    files["table.csv"] = directory / "table.csv"
    tables.write_csv(tables.tidy(result, pub), files["table.csv"])
    coefplot = figures.coefficient_plot(result, directory / "coefplot.png")
    if coefplot is not None:
        files["coefplot.png"], files["coefplot.pdf"] = coefplot, coefplot.with_suffix(".pdf")
    effect = figures.effect_plot(result, directory / "predicted.png")
    if effect is not None:
        files["predicted.png"], files["predicted.pdf"] = effect, effect.with_suffix(".pdf")
    record = provenance(result, outputs=files, published=published)
    files["provenance.json"] = write_provenance(record, directory / "provenance.json")
    return files


def replicate_studies(
    studies,
    *,
    output: str | os.PathLike = "results",
    years: tuple | None = None,
    published_dir: str | os.PathLike | None = None,
    panel_source=None,
    progress: bool = True,
    stream=None,
    jobs: int | None = None,
    skip_current: bool = False,
    published: str | os.PathLike | None = None,
) -> Run:
    """Replicate several studies as one schedule over one pool; ``<output>/<study>/`` each.

    Every ``(study, data version)`` task runs in one pool of worker processes, longest first
    (by the durations of the previous run, kept in the cache folder:
    :func:`foedus.replication.run.schedule`); each study's outputs are written as soon as its
    data versions are in. A study that fails does not stop the others: see :attr:`Run.failures`.

    Parameters
    ----------
    studies : sequence of str or Study
    output : path
        Parent folder: each study writes ``<output>/<study>/``.
    years, published_dir, panel_source, progress, stream
        As in :func:`replicate`.
    jobs : int or None
        Worker processes (None: one per available core); outputs do not depend on it.
    skip_current : bool
        Do not rerun a study whose outputs are current
        (:func:`foedus.replication.freshness.study_stale`); off by default: every study runs.
    published : path, optional
        Published coefficients of the one study asked for.
    """
    studies = list(studies)
    if published is not None and len(studies) != 1:
        raise ValueError("published= takes one study; use published_dir= for several")
    plans = [_plan(s, Path(output) / (s if isinstance(s, str) else s.name), years, published, published_dir)
             for s in studies]
    return _run_plans(plans, panel_source=panel_source, progress=progress, stream=stream, jobs=jobs,
                      skip_current=skip_current)


def _run_plans(plans, *, panel_source, progress, stream, jobs, skip_current) -> Run:
    from foedus.replication.freshness import RESTRICTED, read_provenance, study_stale
    from foedus.replication.run import run_studies

    replications, reasons = {}, {}
    to_run = []
    for plan in plans:
        reason = study_stale(plan.directory, plan.study, published=plan.published) if skip_current else "asked for"
        if reason is None:
            files = {name: plan.directory / name for name in read_provenance(plan.directory)["outputs"]}
            files["provenance.json"] = plan.directory / "provenance.json"
            replications[plan.study.name] = Replication(plan.study, None, plan.directory, files, current=True)
        else:
            reasons[plan.study.name] = reason
            to_run.append(plan)
    by_name = {p.study.name: p for p in to_run}
    written = {}

    def write(study: Study, result: StudyResult) -> None:
        plan = by_name[study.name]
        files = write_outputs(study, result, plan.directory, plan.published)
        written[study.name] = Replication(study, result, plan.directory, files)

    recorded = _read_durations() if to_run else {}
    durations = dict(recorded)
    outcome = run_studies([p.study for p in to_run], panel_source=panel_source, progress=progress,
                          stream=stream, jobs=jobs, on_result=write, durations=durations) if to_run else {}
    # the times of full runs on real panels only: a smoke run's or a synthetic source's say
    # nothing of the next full run
    full = {p.study.name for p in to_run if not any(n.startswith(RESTRICTED) for n in p.study.notes)}
    timed = {k: v for k, v in durations.items() if k.split("/", 1)[0] in full and recorded.get(k) != v}
    if timed and panel_source is None:
        _write_durations({**recorded, **timed})
    failures = {name: r for name, r in outcome.items() if isinstance(r, BaseException)}
    replications.update(written)
    order = [p.study.name for p in plans]
    return Run({n: replications[n] for n in order if n in replications},
               {n: failures[n] for n in order if n in failures}, reasons)


#: Where the durations of the last run's tasks are kept (in the cache folder: they are clock
#: times of this machine, which no output may hold).
DURATIONS = "replication-durations.json"


def _durations_path() -> Path:
    from foedus.data.paths import cache_dir

    return cache_dir() / DURATIONS


def _read_durations() -> dict:
    import json

    try:
        return json.loads(_durations_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or unreadable: the static order
        return {}


def _write_durations(durations: dict) -> None:
    import json

    path = _durations_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(durations, sort_keys=True, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError:  # a read-only cache: the next run uses the static order
        pass


def replicate(
    study: str | Study,
    *,
    output: str | os.PathLike | None = None,
    years: tuple | None = None,
    published: str | os.PathLike | None = None,
    published_dir: str | os.PathLike | None = None,
    panel_source=None,
    progress: bool = True,
    stream=None,
    jobs: int | None = 1,
    skip_current: bool = False,
) -> Replication:
    """Run a study and write its outputs.

    Parameters
    ----------
    study : str or Study
        A registered study name (``"johnson_leeds_2011"``, ``"leeds_2003"``) or a :class:`Study`.
    output : path, optional
        Output folder; ``results/<study>`` (relative to the working directory) by default.
    years : (int, int), optional
        Restrict every panel to these years (a quick smoke run; flagged in the notes).
    published, published_dir : path, optional
        Published coefficients to show next to the reproduced ones (see
        :mod:`foedus.replication.published`); ``published_dir`` (or ``$FOEDUS_PUBLISHED_DIR``)
        holds ``<study>.csv``.
    panel_source : callable, optional
        ``spec -> panel``; the cached panel builder by default.
    progress : bool
        Show progress on standard error.
    jobs : int or None
        Worker processes, one data version each (None: one per data version, at most one per
        CPU). The outputs do not depend on it.
    skip_current : bool
        Return the outputs already in ``output`` without running the study when they are
        current (:func:`foedus.replication.freshness.study_stale`; then ``result`` is None and
        ``current`` True). Off by default: the study is run. Leave it off with a custom
        ``panel_source`` (the check cannot see what it returns).

    Raises
    ------
    Exception
        What stopped the study (nothing is written then).
    """
    from foedus.replication.run import default_jobs

    plan = _plan(study, output, years, published, published_dir)
    jobs = default_jobs(plan.study) if jobs is None else max(1, min(int(jobs), len(plan.study.data)))
    run = _run_plans([plan], panel_source=panel_source, progress=progress, stream=stream, jobs=jobs,
                     skip_current=skip_current)
    if plan.study.name in run.failures:
        raise run.failures[plan.study.name]
    return run.replications[plan.study.name]
