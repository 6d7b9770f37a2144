"""Run a study: build its panels, prepare each model's rows, fit, simulate the effect.

The result (:class:`StudyResult`) holds numbers only (estimates, covariances, counts, the specs
and build logs of the panels, the files read); tables, figures and provenance are written from it
by :mod:`~foedus.replication.tables`, :mod:`~foedus.replication.figures` and
:mod:`~foedus.replication.provenance`. Panels of one data version are loaded together, reduced
to the columns the models use, and released before the next data version is loaded.
"""
from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from foedus.models.registry import ESTIMATORS as _REGISTRY
from foedus.progress import Progress
from foedus.replication.covariances import COVARIANCES, covariance
from foedus.replication.effects import EffectResult, simulate_effect
from foedus.replication.sample import (KEYS, KEYWORDS, borrow_column, complete_rows, expression_names,
                                       float_frame, take_rows)
from foedus.replication.study import Model, Study

#: Table labels of the estimators (from :data:`foedus.models.registry.ESTIMATORS`).
ESTIMATORS = {name: e.label for name, e in _REGISTRY.items()}

#: Estimators without events to count (a continuous response).
NO_EVENTS = {name for name, e in _REGISTRY.items() if not e.has_events}


def estimator_label(name: str) -> str:
    return ESTIMATORS.get(name, name)


@dataclass
class Fit:
    """One model fitted on one data version, with every covariance it reports."""

    data: str
    model: Model
    params: pd.Series
    cov: dict  # cov key -> DataFrame (k x k)
    nobs: int
    events: int
    llf: float
    converged: bool
    n_panel: int
    n_subset: int  # rows removed by the model's subset
    n_listwise: int  # rows removed by listwise deletion
    missing_by: dict  # column -> rows with a missing value (among rows after the subset)
    n_unmatched: dict  # borrowed column -> rows with no match in the other panel
    cov_notes: dict = field(default_factory=dict)  # cov key -> estimator's notes (e.g. clipping)
    derive_notes: list = field(default_factory=list)  # what Model.derive computed (e.g. CEM counts)
    seconds: float = 0.0  # wall time; shown in the progress display, never written to outputs
    error: str | None = None  # why the model is not estimable on this data (then no estimates)
    df_resid: float | None = None  # degrees of freedom of t-based inference (None: normal)

    @property
    def estimable(self) -> bool:
        return self.error is None

    def bse(self, cov: str) -> pd.Series:
        from foedus.models.inference import standard_errors

        return pd.Series(standard_errors(self.cov[cov].to_numpy(), list(self.params.index)),
                         index=self.params.index)

    def pvalues(self, cov: str) -> pd.Series:
        """Two-sided p-values: normal, or t on ``df_resid`` degrees of freedom for estimators
        with t-based inference (least squares, as Stata's ``regress``)."""
        from foedus.models.inference import pvalues

        stat = (self.params / self.bse(cov)).to_numpy()
        return pd.Series(pvalues(stat, self.df_resid), index=self.params.index)


@dataclass
class PanelRecord:
    """What the outputs need to know about one panel that was used."""

    data: str
    variant: str
    spec: object  # PanelSpec
    rows: int
    log: tuple


@dataclass
class StudyResult:
    study: Study
    fits: list = field(default_factory=list)
    panels: list = field(default_factory=list)
    effects: dict = field(default_factory=dict)  # data version -> EffectResult
    files: list = field(default_factory=list)  # (dataset, version, file, sha256) the panels read
    summaries: dict = field(default_factory=dict)  # (data version, summary name) -> DataFrame

    def summary(self, data: str, name: str) -> pd.DataFrame:
        try:
            return self.summaries[(data, name)]
        except KeyError:
            raise KeyError(f"no summary {name!r} on data {data!r}") from None

    def fit(self, data: str, model: str) -> Fit:
        for f in self.fits:
            if f.data == data and f.model.name == model:
                return f
        raise KeyError(f"no fit of model {model!r} on data {data!r}")


#: ``source(spec, columns) -> panel``: an object with ``.frame`` (keys first, then at least
#: ``columns``), ``.spec``, ``.log`` and ``.files``.
PanelSource = Callable[..., object]


class BuildPanel:
    """The real panel source: :func:`foedus.data.panel.build_panel` with the on-disk cache, or
    :func:`foedus.data.units.build_unit` for a unit spec other than a dyad-year panel.

    A class rather than a closure so that worker processes can receive it.
    """

    def __init__(self, cache: bool = True):
        self.cache = cache

    def __call__(self, spec, columns=None):
        from foedus.data.units import UnitSpec, build_unit

        if isinstance(spec, UnitSpec):
            return build_unit(spec, columns=columns)
        from foedus.data.panel import build_panel

        return build_panel(spec, cache=self.cache, columns=columns)


def _columns_needed(study: Study) -> dict[str, set | None]:
    """Columns each panel variant must provide for the study's models (None: every column).

    A model's own panel provides every name in its formula, options, subset and recode
    expressions, except names it takes from another panel (``borrow``) or creates (``assign``,
    unless an expression reads the panel's own column of that name). A summary reads its whole
    panel.
    """
    need: dict[str, set | None] = {}
    for m in study.models:
        read = set(expression_names(m.subset))
        for _, expr in m.assign:
            read |= set(expression_names(expr))
        for _, deriver in m.derive:
            read |= set(deriver.columns)
        created = ({col for col, _, _ in m.borrow} | ({col for col, _ in m.assign} - read)
                   | {col for col, _ in m.derive})
        own = (set(m.variables()) | read) - created - KEYWORDS
        need.setdefault(m.panel, set()).update(own)
        for _, variant, src in m.borrow:
            need.setdefault(variant, set()).add(src)
    if study.effect is not None:
        model = study.model(study.effect.model)
        created = {col for col, _, _ in model.borrow} | {col for col, _ in model.assign}
        need.setdefault(model.panel, set()).update(
            set(expression_names(study.effect.means_where)) - created - KEYWORDS)
    out: dict[str, set | None] = {k: v - set(KEYS) for k, v in need.items()}
    for s in study.summaries:
        out[s.panel] = None
    return out


@dataclass
class Prepared:
    frame: pd.DataFrame
    n_panel: int
    n_subset: int
    n_listwise: int
    missing_by: dict
    n_unmatched: dict
    derive_notes: list = field(default_factory=list)


def prepare(model: Model, panels: dict[str, pd.DataFrame], keys: tuple = KEYS) -> Prepared:
    """The estimation sample of one model: borrowed columns, recodes, subset, listwise deletion.

    Every removed row is counted: by the model's subset, and by listwise deletion (with the
    number of missing values per column; the model's ``keep_missing`` columns are exempt).
    ``keys`` identify a row of the model's panel (borrowed columns are joined on them).
    The panel is not copied: the subset and listwise masks are combined and each column of the
    sample is taken once (every column is shared with the panel when no row is removed).
    """
    keys = list(keys)
    if model.panel not in panels:
        raise KeyError(f"model {model.name!r}: panel variant {model.panel!r} was not loaded")
    source = panels[model.panel]
    names = set(model.variables()) | set(expression_names(model.subset))
    for _, expr in model.assign:
        names |= set(expression_names(expr))
    for _, deriver in model.derive:
        names |= set(deriver.columns)
    keep = keys + [c for c in source.columns if c in names and c not in keys]
    # the model's columns, shared with the panel under copy-on-write (a column the model
    # replaces or writes to is copied first); the sample's rows are taken once, at the end
    frame = pd.DataFrame({c: source[c] for c in keep}, copy=False)
    n_panel = len(frame)
    unmatched = {}
    for col, variant, src in model.borrow:
        other = panels[variant]
        if src not in other.columns:
            raise KeyError(f"model {model.name!r}: panel {variant!r} has no column {src!r}")
        frame[col] = borrow_column(frame, other, src, keys)
        unmatched[col] = int(np.isnan(frame[col].to_numpy(dtype="float64")).sum())
    for col, expr in model.assign:
        frame[col] = frame.eval(expr).astype("float64")
    n_subset = 0
    rows = None  # the model's rows (a boolean mask), None: every row
    if model.subset:
        rows = frame.eval(model.subset).to_numpy(dtype=bool)
        n_subset = int((~rows).sum())
    derive_notes = []
    if model.derive:  # on the model's rows, before listwise deletion
        if rows is not None:
            frame, rows = frame.loc[rows], None
        for col, deriver in model.derive:
            values, note = deriver(frame)
            frame[col] = np.asarray(values, dtype="float64")
            derive_notes.append(note)
    used = [c for c in model.variables() if c in frame.columns]
    missing = [c for c in model.variables() if c not in frame.columns]
    if missing:
        raise KeyError(
            f"model {model.name!r}: formula variable(s) {missing} are not columns of panel "
            f"{model.panel!r} (columns: {sorted(frame.columns)})")
    complete, missing_by = complete_rows(frame, used, exempt=model.keep_missing, among=rows)
    if rows is not None:
        complete &= rows
    n_listwise = (len(frame) if rows is None else int(rows.sum())) - int(complete.sum())
    frame = take_rows(frame, None if complete.all() else np.flatnonzero(complete))
    return Prepared(frame, n_panel, n_subset, n_listwise, missing_by, unmatched, derive_notes)


#: Separation check before each fit: the single-variable check; the linear programme (Konis
#: 2007) runs after a fit that shows separation symptoms (foedus.models.separation). The
#: programme before every fit costs more than the fit itself at these sample sizes.
SEPARATION_CHECK = "fast"

#: Link family of each estimator (the tables' notes describe each family's estimation).
FAMILY = {name: e.family for name, e in _REGISTRY.items() if e.family is not None}


#: Failures that make a model not estimable on a sample (recorded in the tables, the study goes
#: on): separation, no convergence, a singular information matrix, an estimator's refusal of
#: the sample (no events, constant response, no rows left).
def _not_estimable_errors() -> tuple:
    from foedus.models import SeparationError
    from foedus.models._numerics import ConvergenceError

    return (SeparationError, ConvergenceError, np.linalg.LinAlgError, ValueError)


def not_estimable(model: Model, prepared: Prepared, data: str, reason: str) -> Fit:
    """The record of a model that could not be fitted on this data version."""
    return Fit(data=data, model=model, params=pd.Series(dtype="float64"), cov={},
               nobs=len(prepared.frame), events=0, llf=float("nan"), converged=False,
               n_panel=prepared.n_panel, n_subset=prepared.n_subset,
               n_listwise=prepared.n_listwise, missing_by=prepared.missing_by,
               n_unmatched=prepared.n_unmatched, derive_notes=prepared.derive_notes, error=reason)


def fit_model(model: Model, prepared: Prepared, data: str) -> Fit:
    """Fit ``model`` on a prepared sample with :mod:`foedus.models`; every covariance without refit.

    A model the sample does not identify (see
    :func:`_not_estimable_errors`) is returned as a :class:`Fit` whose ``error`` says why.
    """
    from foedus.models.registry import get_estimator

    try:
        entry = get_estimator(model.estimator)
    except ValueError as err:
        raise ValueError(f"model {model.name!r}: {err}") from None
    resolved = {c: covariance(c) for c in model.cov_types}  # unknown keys fail before the fit
    for cov_type, kwds, _ in resolved.values():
        entry.check_cov(cov_type, kwds)
    first, *rest = model.cov_types
    if len(prepared.frame) == 0:
        return not_estimable(model, prepared, data, "no rows left in the sample")
    t0 = time.perf_counter()
    cov_type, kwds, _ = resolved[first]
    options = dict(model.options)
    try:
        with warnings.catch_warnings():
            # the sample is complete by construction; any other warning is kept
            warnings.filterwarnings("ignore", message="listwise deletion")
            kw = dict(options)
            if entry.separation_check:
                kw["check_separation"] = SEPARATION_CHECK
            res = entry.fit(model.formula, prepared.frame, cov_type=cov_type,
                            cov_kwds=dict(kwds) or None, **kw)
            covs = {first: res.cov_params()}
            notes = {first: res.cov_notes}
            for c in rest:
                cov_type, kwds, _ = resolved[c]
                other = res.with_cov(cov_type, **kwds)
                covs[c] = other.cov_params()
                notes[c] = other.cov_notes
    except _not_estimable_errors() as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return not_estimable(model, prepared, data, f"{type(exc).__name__}: {reason}")
    events = res.n_events
    if events is None:
        events = np.nansum(prepared.frame[model.response].to_numpy(dtype="float64"))
    fit = Fit(
        data=data, model=model, params=res.params.copy(), cov=covs, nobs=int(res.nobs),
        events=int(events), llf=float(res.llf), converged=bool(res.converged),
        n_panel=prepared.n_panel, n_subset=prepared.n_subset, n_listwise=prepared.n_listwise,
        missing_by=prepared.missing_by, n_unmatched=prepared.n_unmatched,
        cov_notes={c: n for c, n in notes.items() if n}, seconds=time.perf_counter() - t0,
        df_resid=float(res.df_resid) if res.use_t else None,
        derive_notes=prepared.derive_notes,
    )
    if fit.nobs != len(prepared.frame):
        raise RuntimeError(
            f"model {model.name!r} on {data}: the estimator used {fit.nobs} rows of a complete "
            f"sample of {len(prepared.frame)} (a bug: please report it)")
    return fit


@dataclass
class _VersionResult:
    fits: list
    panels: list
    effects: dict
    files: set
    summaries: dict


def _version_specs(study: Study, data) -> dict:
    return {k: v for k, v in study.panel_specs().items() if k[0] == data.name}


def _steps(study: Study, data) -> int:
    """Steps of the progress display for one data version: panels, models, effect, summaries."""
    return (len(_version_specs(study, data)) + len(study.models) + len(study.summaries)
            + (1 if study.effect else 0))


def _run_version(study: Study, data, source: PanelSource, bar: Progress) -> _VersionResult:
    """Every panel, model and summary of one data version (in a worker process when jobs > 1,
    with a disabled ``bar``: the parent advances its own display as versions finish)."""
    from foedus.data.units import unit_keys

    specs = _version_specs(study, data)
    need = _columns_needed(study)
    out = _VersionResult([], [], {}, set(), {})
    frames: dict[str, pd.DataFrame] = {}
    raw: dict[str, pd.DataFrame] = {}  # whole frames of the variants that summaries read
    keys: dict[str, tuple] = {}
    tag = f"{study.name} · {data.label}"
    for (_, variant), spec in specs.items():
        keys[variant] = unit_keys(spec)
        wanted = need.get(variant, set())
        columns = None if wanted is None else sorted(wanted)
        panel = source(spec, columns=columns)
        if wanted is None:
            raw[variant] = panel.frame
            columns = [c for c in panel.frame.columns if c not in keys[variant]]
        frames[variant] = float_frame(panel.frame, list(keys[variant]) + columns, keys[variant])
        out.panels.append(PanelRecord(data.name, variant, panel.spec, len(panel.frame), tuple(panel.log)))
        out.files.update(tuple(f) for f in getattr(panel, "files", ()))
        del panel
        bar.advance(1, note=f"{tag} · panel '{variant}': {len(frames[variant]):,} rows")
    for m in study.models:
        prepared = prepare(m, frames, keys[m.panel])
        fit = fit_model(m, prepared, data.name)
        out.fits.append(fit)
        bar.advance(1, note=f"{tag} · {m.name} ({m.estimator}, N={fit.nobs:,}, {fit.seconds:.1f} s)"
                    if fit.estimable
                    else f"{tag} · {m.name} not estimable")
        if study.effect is not None and study.effect.model == m.name and fit.estimable:
            out.effects[data.name] = simulate_effect(study.effect, m, fit, prepared.frame)
            bar.advance(1, note=f"{tag} · simulated effect of {study.effect.variable}")
        del prepared
    for s in study.summaries:
        out.summaries[(data.name, s.name)] = s.compute(raw[s.panel])
        bar.advance(1, note=f"{tag} · summary '{s.name}'")
    return out


def default_jobs(study: Study) -> int:
    """One worker per data version, at most one per available core."""
    from foedus.threads import available_cores

    return max(1, min(len(study.data), available_cores()))


def _timed_version(study: Study, data, source: PanelSource, bar: Progress) -> tuple:
    """:func:`_run_version` and its wall seconds (the schedule of the next run)."""
    t0 = time.perf_counter()
    part = _run_version(study, data, source, bar)
    return part, time.perf_counter() - t0


#: ``(studies, source)`` of the run in progress, set before its pool forks: a worker reads its
#: task's study from the memory it inherited, so studies need not be picklable (a summary's claim
#: may be a closure) and are not copied for every task.
_RUN: tuple = ()


def _pool_task(study_index: int, data_index: int) -> tuple:
    studies, source = _RUN
    study = studies[study_index]
    return _timed_version(study, study.data[data_index], source, Progress(enabled=False))


def task_key(study: Study, data) -> str:
    """``<study>/<data version>``: the name of one task of a run (and of its recorded duration)."""
    return f"{study.name}/{data.name}"


def schedule(studies, durations: dict | None = None) -> list[tuple]:
    """Every ``(study, data version)`` task of ``studies``, longest first.

    Longest first keeps both cores busy to the end: the last task to start is a short one. A
    task's length is its duration in an earlier run (``durations``: :func:`task_key` -> seconds);
    tasks never timed come first, ordered by their number of steps (panels, models, summaries).
    Ties keep the order of the studies and of their data versions.
    """
    durations = durations or {}
    tasks = [(s, d) for s in studies for d in s.data]

    def length(k: int) -> tuple:
        s, d = tasks[k]
        seconds = durations.get(task_key(s, d))
        return (0, -_steps(s, d), k) if seconds is None else (1, -float(seconds), k)

    return [tasks[k] for k in sorted(range(len(tasks)), key=length)]


def _assemble(study: Study, parts: list) -> StudyResult:
    result = StudyResult(study=study)
    files: set = set()
    for part in parts:  # in the study's order of data versions, whatever finished first
        result.fits += part.fits
        result.panels += part.panels
        result.effects.update(part.effects)
        result.summaries.update(part.summaries)
        files |= part.files
    result.files = sorted(files)
    return result


def run_studies(
    studies,
    *,
    panel_source: PanelSource | None = None,
    progress: bool = True,
    stream=None,
    jobs: int | None = None,
    on_result: Callable[[Study, StudyResult], None] | None = None,
    durations: dict | None = None,
) -> dict:
    """Run several studies as one schedule of ``(study, data version)`` tasks over one pool.

    Parameters
    ----------
    studies : sequence of Study
    panel_source, progress, stream
        As in :func:`run_study`; one progress display covers every task.
    jobs : int or None
        Worker processes (None: one per available core, :func:`foedus.threads.available_cores`;
        at most one per task). Tasks start longest first (:func:`schedule`); each worker runs
        one BLAS thread per core it has (:func:`foedus.threads.threads_per_worker`). With one
        worker the tasks run in this process.
    on_result : callable, optional
        ``on_result(study, result)``, called in this process as soon as every data version of a
        study is in (its outputs can be written while other studies still run). An exception it
        raises counts as that study's failure.
    durations : dict, optional
        Seconds of each task in an earlier run (:func:`task_key` -> seconds): the order of the
        schedule. Updated in place with this run's times.

    Returns
    -------
    dict
        Study name -> :class:`StudyResult`, or the exception that stopped it: a study that fails
        does not stop the others. In the order of ``studies``.

    Notes
    -----
    A study's result is assembled from its data versions in the study's order, each computed
    the same way in any worker: results do not depend on the number of workers or on the order
    in which tasks finish.
    """
    from foedus.threads import available_cores

    studies = list(studies)
    source = panel_source or BuildPanel()
    tasks = schedule(studies, durations)
    workers = max(1, min(available_cores() if jobs is None else int(jobs), len(tasks)))
    parts: dict[str, dict] = {s.name: {} for s in studies}
    out: dict[str, object] = {}
    times = durations if durations is not None else {}

    errors: dict[str, dict] = {s.name: {} for s in studies}

    def done(study: Study, data, part=None, error=None, seconds=None) -> None:
        if error is not None:
            errors[study.name][data.name] = error
            out[study.name] = error
            return
        times[task_key(study, data)] = round(seconds, 3)
        parts[study.name][data.name] = part
        if study.name in out or len(parts[study.name]) < len(study.data):
            return
        result = _assemble(study, [parts[study.name][d.name] for d in study.data])
        parts[study.name] = {}  # the parent keeps only what the outputs need
        try:
            if on_result is not None:
                on_result(study, result)
        except Exception as exc:  # noqa: BLE001 - reported with the study's name; the run goes on
            out[study.name] = exc
            return
        out[study.name] = result

    label = studies[0].name if len(studies) == 1 else "replicate"
    total = sum(_steps(s, d) for s, d in tasks)
    with Progress(total=total, label=label, unit="steps", stream=stream,
                  enabled=None if progress else False) as bar:
        if workers == 1:
            for study, data in tasks:
                if study.name in out:  # an earlier data version of the study failed
                    bar.advance(_steps(study, data))
                    continue
                try:
                    part, seconds = _timed_version(study, data, source, bar)
                except Exception as exc:  # noqa: BLE001 - the other studies go on
                    done(study, data, error=exc)
                    continue
                done(study, data, part, seconds=seconds)
        else:
            from concurrent.futures import as_completed

            from foedus.replication.pool import process_pool

            global _RUN
            _RUN = (studies, source)  # before the workers fork (at the first submission)
            index = {s.name: k for k, s in enumerate(studies)}
            try:
                with process_pool(workers) as pool:
                    futures = {pool.submit(_pool_task, index[s.name], s.data.index(d)): (s, d)
                               for s, d in tasks}
                    for fut in as_completed(futures):
                        study, data = futures[fut]
                        bar.advance(_steps(study, data))
                        if fut.cancelled():
                            continue
                        if fut.exception() is not None:
                            done(study, data, error=fut.exception())
                            for other, (s, _) in futures.items():  # its tasks not yet started
                                if s.name == study.name:
                                    other.cancel()
                            bar.advance(0, note=f"{study.name} · {data.label} failed")
                            continue
                        part, seconds = fut.result()
                        done(study, data, part, seconds=seconds)
                        bar.advance(0, note=f"{study.name} · {data.label} done ({seconds:.1f} s)")
            finally:
                _RUN = ()
    for s in studies:  # of several failed data versions, the first in the study's order
        if errors[s.name]:
            out[s.name] = next(errors[s.name][d.name] for d in s.data if d.name in errors[s.name])
    return {s.name: out[s.name] for s in studies}


def run_study(
    study: Study,
    *,
    panel_source: PanelSource | None = None,
    progress: bool = True,
    stream=None,
    jobs: int | None = 1,
) -> StudyResult:
    """Build the panels, fit every model on every data version, simulate the effect.

    Parameters
    ----------
    study : Study
    panel_source : callable, optional
        ``source(spec, columns=...) -> panel`` (see :data:`PanelSource`); the cached real builder
        by default. Tests pass a synthetic source.
    progress : bool
        Show a progress display (:class:`foedus.progress.Progress`) on ``stream`` (standard
        error by default): panels, fits, effects and summaries.
    jobs : int or None
        Data versions run in this many worker processes (None: :func:`default_jobs`; the pool
        of :mod:`foedus.replication.pool`). Each version is computed the same way whatever the
        number of workers, so outputs do not depend on it. With workers, the display advances
        as data versions finish.

    Raises
    ------
    Exception
        What stopped a data version (the first in the study's order of data versions).
    """
    jobs = default_jobs(study) if jobs is None else max(1, int(jobs))
    result = run_studies([study], panel_source=panel_source, progress=progress, stream=stream,
                         jobs=min(jobs, len(study.data)))[study.name]
    if isinstance(result, BaseException):
        raise result
    return result


__all__ = ["COVARIANCES", "ESTIMATORS", "covariance", "estimator_label", "not_estimable", "Fit", "PanelRecord", "StudyResult", "prepare",
           "fit_model", "run_study", "run_studies", "schedule", "task_key", "BuildPanel", "default_jobs",
           "EffectResult"]
