"""Robustness explorer: fit a study across every defensible coding choice (a specification curve).

A :class:`Multiverse` declares a study's grid: a base :class:`~foedus.data.spec.PanelSpec`, the
model (formula, the coefficient of interest and its published sign) and a list of
:class:`Choice` objects, each a set of :class:`Level` objects. A level changes the panel spec
(``spec``: MID release, initiation rule, alliance rules, ...), selects rows of the built panel
(``rows``: period, politically relevant dyads, ongoing-dispute years), takes a column from a
sibling panel (``borrow``: Johnson & Leeds's ptargdef coded from public alliances only), or picks
the estimator or the covariance (``estimator``, ``cov_type``). One combination of levels is a
:class:`Specification`; :func:`run_multiverse` fits them all and writes a tidy table, the
specification-curve figure and a summary (Simonsohn, Simmons & Nelson 2020, "Specification curve
analysis", Nature Human Behaviour 4: 1208-14; Steegen et al. 2016, "Increasing transparency
through a multiverse analysis", Perspectives on Psychological Science 11: 702-12).

How the work is shared
----------------------
- Panels: each distinct panel spec is built once (through the panel cache, keyed by the spec's
  digest). Row choices are filters on a built panel, not new specs, so that one panel serves many
  specifications (a level whose ``rows`` realise a spec option, e.g. ``sample.politically_relevant``
  through ``prd == 1``, records that option in the specification's *effective* spec). The columns
  the fits need are written once per panel to ``<FOEDUS_CACHE>/multiverse/<key>.parquet``.
- Fits: one fit per (panel, rows, estimator); every covariance of that fit is computed from it
  without refitting (``with_cov``). Fits run in parallel on local cores
  (:class:`concurrent.futures.ProcessPoolExecutor`) or on a Dask distributed cluster (pass its
  scheduler address; the workers must see the same file system, since they read the panel files
  written above). Each worker reads a panel file once and keeps the last two in memory.
- Resume: every finished specification is appended, as one JSON line keyed by the
  specification's hash, to ``results.jsonl`` in the output folder; a rerun skips them. A
  specification that fails (separation, a panel that cannot be built) is recorded with its error
  and the run goes on.

Depth of the grid
-----------------
The full product of the data choices of a study such as Johnson & Leeds (2011) is tens of thousands
of specifications. ``depth`` bounds how many *data* choices may depart from their first (baseline)
level at once: ``depth=1`` varies one data choice at a time around the baseline, ``depth=2`` every
pair, ``depth=None`` the full product. The model choices (estimator, covariance) are always
crossed with every data combination.

Common scale
------------
Coefficients of logit, probit and a linear probability model are on different scales, so the
curve and the "which choice moves the estimate most" summary use the average marginal effect of
the variable of interest (see :func:`average_marginal_effect`); the coefficient, its standard
error and p-value are in the table too.
"""
from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import os
import re
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from foedus.data.spec import PanelSpec
from foedus.replication.run import COVARIANCES as _STUDY_COVARIANCES

KEYS = ("ccode1", "ccode2", "year")
EXPECTED = ("positive", "negative")
#: Covariance name -> (foedus.models cov_type, cov_kwds): the studies' own table
#: (:data:`foedus.replication.run.COVARIANCES`), so that a standard error of one name is the same
#: in both outputs ("dyadic" is Aronow, Samii & Assenova 2015, clipped to PSD in both).
COVARIANCES: dict[str, tuple[str, dict]] = {
    name: (cov_type, kwds) for name, (cov_type, kwds, _) in _STUDY_COVARIANCES.items()}
ESTIMATORS = ("logit", "probit", "relogit", "firth", "lpm_fe")
#: Bump when the meaning of a stored row changes, so that old rows are not reused.
STORE_SCHEMA = 1
Z95 = float(stats.norm.ppf(0.975))


# -- declaring a grid ----------------------------------------------------------------------------
def _freeze(value):
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    return value


@dataclass(frozen=True)
class Level:
    """One level of a choice.

    Attributes
    ----------
    label : str
        Shown in the table, the figure and the summary (``"MID 3.10"``).
    spec : dict or tuple of (path, value)
        Spec changes, by dotted path: ``{"disputes.version": "3.10"}``, ``{"years": (1816, 1944)}``.
        When ``rows`` is also given, the panel is *not* built with these changes: ``rows``
        realises them on the shared panel, and ``spec`` only records the option in the
        specification's effective spec (e.g. ``{"sample.politically_relevant": True}`` with
        ``rows="prd == 1"``, which :mod:`foedus.data.sample` applies in the same way).
    rows : str, optional
        :meth:`pandas.DataFrame.query` expression of the rows kept (``"year >= 1945"``). Missing
        values compare as NaN (``"ongoing != 1"`` keeps rows where ``ongoing`` is NA, as
        :func:`foedus.data.sample.drop_ongoing` does).
    borrow : tuple of (column, spec changes), optional
        Columns taken from a sibling panel: the specification's panel with further spec changes
        (``(("ptargdef", {"alliances.secret": "exclude"}),)``). ``None`` keeps the multiverse's
        default; ``()`` borrows nothing.
    estimator, cov_type : str, optional
        A :mod:`foedus.models` estimator (:data:`ESTIMATORS`) or a covariance (:data:`COVARIANCES`).
    fit_kwds : dict, optional
        Options of the estimator (with ``estimator``), e.g. ``{"time_effects": False}`` for
        :func:`foedus.models.lpm_fe` with dyad effects only.
    note : str
        Where the level comes from (paper, codebook).
    """

    label: str
    spec: tuple = ()
    rows: str | None = None
    borrow: tuple | None = None
    estimator: str | None = None
    cov_type: str | None = None
    fit_kwds: tuple = ()
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "spec", _freeze(dict(self.spec)) if self.spec else ())
        object.__setattr__(self, "fit_kwds", _freeze(dict(self.fit_kwds)) if self.fit_kwds else ())
        if self.fit_kwds and self.estimator is None:
            raise ValueError(f"Level {self.label!r}: fit_kwds without an estimator")
        if self.borrow is not None:
            object.__setattr__(self, "borrow", tuple((c, _freeze(dict(ch))) for c, ch in self.borrow))
        if self.estimator is not None and self.estimator not in ESTIMATORS:
            raise ValueError(f"Level {self.label!r}: estimator {self.estimator!r} is not one of {ESTIMATORS}")
        if self.cov_type is not None and self.cov_type not in COVARIANCES:
            raise ValueError(f"Level {self.label!r}: cov_type {self.cov_type!r} is not one of "
                             f"{tuple(COVARIANCES)}")

    @property
    def is_model(self) -> bool:
        return self.estimator is not None or self.cov_type is not None


@dataclass(frozen=True)
class Choice:
    """A coding or modelling choice: a name and its levels (the first is the baseline)."""

    name: str
    label: str
    levels: tuple
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", tuple(self.levels))
        if not self.levels:
            raise ValueError(f"Choice {self.name!r} has no levels")
        labels = [lv.label for lv in self.levels]
        if len(set(labels)) != len(labels):
            raise ValueError(f"Choice {self.name!r}: duplicate level labels {labels}")
        kinds = {lv.is_model for lv in self.levels}
        if len(kinds) > 1:
            raise ValueError(f"Choice {self.name!r} mixes model levels (estimator/cov_type) with data "
                             "levels; split it in two choices")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", self.name):
            raise ValueError(f"Choice name {self.name!r} must be an identifier (it is a table column)")

    @property
    def kind(self) -> str:
        """``"model"`` (estimator or covariance) or ``"data"`` (panel, rows)."""
        return "model" if self.levels[0].is_model else "data"


def _apply(spec: PanelSpec, changes: Iterable) -> PanelSpec:
    """``spec`` with dotted-path changes (``"disputes.version"``) applied.

    All changes are applied at once (one section's changes together), so that a combination
    valid only as a whole (source and version of the dispute data) is never checked half-made.
    """
    top: dict = {}
    sections: dict[str, dict] = {}
    for path, value in changes:
        value = tuple(value) if isinstance(value, list) else value
        if "." not in path:
            top[path] = value
            continue
        section, name = path.split(".", 1)
        sections.setdefault(section, {})[name] = value
    for section, values in sections.items():
        current = top.get(section, getattr(spec, section))
        if current is None:
            raise ValueError(f"spec section {section!r} is None; cannot set "
                             f"{', '.join(f'{section}.{n}' for n in values)}")
        top[section] = dataclasses.replace(current, **values)
    return spec.replace(**top) if top else spec


@dataclass(frozen=True)
class Specification:
    """One combination of levels: what is built, which rows, which estimator and covariance."""

    choices: tuple  # ((choice name, level label), ...) in the multiverse's choice order
    departures: int  # data choices away from their baseline level
    panel: PanelSpec  # the spec that is built
    borrow: tuple  # ((column, PanelSpec), ...)
    rows: tuple  # query expressions, all applied
    effective: PanelSpec  # the spec that would build this sample directly (rows' spec options)
    formula: str
    variable: str
    estimator: str
    cov_type: str
    fit_kwds: tuple = ()

    @property
    def panel_key(self) -> str:
        """The panel file this specification is fitted on (main panel and borrowed columns)."""
        text = json.dumps([self.panel.digest(), [[c, s.digest()] for c, s in self.borrow]])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def id(self) -> str:
        """Hash of everything that determines the result (the key of the results store)."""
        text = json.dumps({
            "schema": STORE_SCHEMA, "panel": self.panel.digest(),
            "borrow": [[c, s.digest()] for c, s in self.borrow], "rows": list(self.rows),
            "formula": self.formula, "variable": self.variable, "estimator": self.estimator,
            "cov_type": self.cov_type, **({"fit_kwds": [list(kv) for kv in self.fit_kwds]}
                                          if self.fit_kwds else {}),
        }, sort_keys=True, default=list)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def fit_key(self) -> tuple:
        """Specifications with the same key share one fit (they differ in covariance only)."""
        return (self.panel_key, self.rows, self.formula, self.estimator, self.fit_kwds)


@dataclass(frozen=True)
class Multiverse:
    """A study's grid of defensible choices.

    Attributes
    ----------
    name : str
        Identifier (``foedus multiverse <name>``; outputs in ``results/<name>/multiverse/``).
    title : str
    base : PanelSpec
        The baseline panel (every choice's first level leaves it as it is).
    formula : str
        ``"dispute ~ ptargdef + ..."``.
    variable : str
        The coefficient of interest.
    expected : {"positive", "negative"}
        The published sign (a significant effect of that sign is the published finding).
    claim : str
        The published claim and where it is made.
    choices : tuple of Choice
    borrow : tuple of (column, spec changes)
        Columns taken from a sibling panel by default (a level's ``borrow`` replaces it).
    estimator, cov_type : str
        Used when no choice sets them.
    depth : int or None
        Default number of data choices that may depart from their baseline at once (None: all).
    alpha : float
        Significance level of the summary.
    notes : tuple of str
    """

    name: str
    title: str
    base: PanelSpec
    formula: str
    variable: str
    expected: str
    claim: str = ""
    choices: tuple = ()
    borrow: tuple = ()
    estimator: str = "logit"
    cov_type: str = "classical"
    depth: int | None = 1
    alpha: float = 0.05
    notes: tuple = ()

    def __post_init__(self) -> None:
        if self.expected not in EXPECTED:
            raise ValueError(f"Multiverse {self.name!r}: expected={self.expected!r} is not one of {EXPECTED}")
        object.__setattr__(self, "choices", tuple(self.choices))
        object.__setattr__(self, "borrow", tuple((c, _freeze(dict(ch))) for c, ch in self.borrow))
        names = [c.name for c in self.choices]
        if len(set(names)) != len(names):
            raise ValueError(f"Multiverse {self.name!r}: duplicate choice names {names}")
        reserved = set(names) & set(TABLE_COLUMNS)
        if reserved:
            raise ValueError(f"Multiverse {self.name!r}: choice names {sorted(reserved)} clash with "
                             "table columns")
        if self.variable not in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", self.formula.split("~", 1)[1]):
            raise ValueError(f"Multiverse {self.name!r}: {self.variable!r} is not in the formula")

    @property
    def data_choices(self) -> tuple:
        return tuple(c for c in self.choices if c.kind == "data")

    @property
    def model_choices(self) -> tuple:
        return tuple(c for c in self.choices if c.kind == "model")

    def with_years(self, years: tuple) -> "Multiverse":
        """The same grid on another year range (smoke runs; flagged in the notes)."""
        first, last = int(years[0]), int(years[1])
        note = f"RESTRICTED RUN: years {first}-{last} only; not the published design."
        return dataclasses.replace(self, base=self.base.replace(years=(first, last)),
                                   notes=(note, *self.notes))

    def specifications(self, depth: int | None | str = "default") -> list[Specification]:
        """Every specification of the grid, in a fixed order (data choices, then model choices).

        ``depth``: data choices that may depart from their baseline at once (None: the full
        product); the multiverse's own ``depth`` by default.
        """
        depth = self.depth if depth == "default" else depth
        data, model = self.data_choices, self.model_choices
        out = []
        for combo in itertools.product(*(range(len(c.levels)) for c in data)):
            departures = sum(1 for i in combo if i)
            if depth is not None and departures > depth:
                continue
            levels = [c.levels[i] for c, i in zip(data, combo)]
            built, effective, rows, borrow = self.base, self.base, [], self.borrow
            for lv in levels:
                effective = _apply(effective, lv.spec)
                if lv.rows:
                    rows.append(lv.rows)
                else:
                    built = _apply(built, lv.spec)
                if lv.borrow is not None:
                    borrow = lv.borrow
            borrowed = tuple((col, _apply(built, ch)) for col, ch in borrow)
            for mcombo in itertools.product(*(c.levels for c in model)):
                chosen = next((lv for lv in mcombo if lv.estimator), None)
                estimator = chosen.estimator if chosen else self.estimator
                fit_kwds = chosen.fit_kwds if chosen else ()
                cov = next((lv.cov_type for lv in mcombo if lv.cov_type), self.cov_type)
                labels = [(c.name, lv.label) for c, lv in zip(data, levels)]
                labels += [(c.name, lv.label) for c, lv in zip(model, mcombo)]
                order = {c.name: i for i, c in enumerate(self.choices)}
                labels.sort(key=lambda t: order[t[0]])
                out.append(Specification(
                    choices=tuple(labels), departures=departures, panel=built, borrow=borrowed,
                    rows=tuple(rows), effective=effective, formula=self.formula,
                    variable=self.variable, estimator=estimator, cov_type=cov, fit_kwds=fit_kwds))
        ids = [s.id for s in out]
        if len(set(ids)) != len(ids):
            dup = sorted({i for i in ids if ids.count(i) > 1})[:3]
            raise ValueError(f"Multiverse {self.name!r}: different level combinations give the same "
                             f"specification (ids {dup}); two levels of the grid are identical")
        return out


# -- the results store -----------------------------------------------------------------------------
class ResultStore:
    """Append-only JSON-lines file: one finished specification per line, keyed by its id.

    Lines are flushed and synced as they are written, so an interruption loses at most the line
    being written; a truncated last line is ignored on reading.
    """

    def __init__(self, path: Path):
        self.path = Path(path)

    def load(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        if not self.path.exists():
            return out
        with self.path.open() as fh:
            for line in fh:
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:  # an interrupted write
                    continue
                if row.get("schema") == STORE_SCHEMA and "id" in row:
                    out[row["id"]] = row
        return out

    def append(self, rows: Iterable[dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a") as fh:
            for row in rows:
                fh.write(json.dumps({"schema": STORE_SCHEMA, **row}, sort_keys=True, default=_json) + "\n")
            fh.flush()
            os.fsync(fh.fileno())


def _json(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# -- fitting one task (runs in worker processes) ---------------------------------------------------
_FRAMES: dict[str, pd.DataFrame] = {}
_FRAMES_KEPT = 2
_FRAMES_LOCK = threading.Lock()  # Dask workers may run several tasks in threads


def _load_frame(path: str) -> pd.DataFrame:
    """Read a panel file once per worker; keep the two most recent (tasks arrive panel by panel)."""
    with _FRAMES_LOCK:
        if path in _FRAMES:
            _FRAMES[path] = _FRAMES.pop(path)  # most recent last
            return _FRAMES[path]
        frame = pd.read_parquet(path)
        _FRAMES[path] = frame
        while len(_FRAMES) > _FRAMES_KEPT:
            _FRAMES.pop(next(iter(_FRAMES)))
        return frame


def average_marginal_effect(results, variable: str, estimator: str, covs: dict) -> tuple[float, dict]:
    r"""Average marginal effect of ``variable`` on Pr(y = 1), with delta-method standard errors.

    Parameters
    ----------
    results
        A fitted foedus model (``params``, ``model.design.X``, ``model.exog_names``).
    variable : str
    estimator : str
        ``"lpm_fe"`` is linear (the coefficient is the effect); the others use their model's
        link (:func:`foedus.models.margins.ame_gradient`, shared with ``results.margeff()``).
    covs : dict
        Covariance name -> k x k covariance matrix of the parameters.

    Returns
    -------
    (float, dict)
        The effect and, per covariance, its standard error.

    Notes
    -----
    For a 0/1 variable :math:`x_j`: :math:`\mathrm{AME} = n^{-1}\sum_i F(x_i^{(1)}\beta) -
    F(x_i^{(0)}\beta)`, with :math:`x_i^{(v)}` the row with :math:`x_j = v`; otherwise
    :math:`\mathrm{AME} = \beta_j n^{-1}\sum_i f(x_i\beta)`. The standard error is
    :math:`\sqrt{g'Vg}` with :math:`g = \partial\mathrm{AME}/\partial\beta` (delta method; e.g.
    Greene 2012, Econometric Analysis, 7th ed., section 17.3). Relogit and Firth use their
    (bias-corrected) coefficients with the logistic link.
    """
    from foedus.models.margins import ame_gradient

    params = results.params
    j = list(params.index).index(variable)
    if estimator == "lpm_fe":
        return float(params.iloc[j]), {k: float(np.sqrt(v[j, j])) for k, v in covs.items()}
    ame, g = ame_gradient(results.model.design.X, params.to_numpy(), results.model.family, j)
    return ame, {k: float(np.sqrt(max(g @ np.asarray(v) @ g, 0.0))) for k, v in covs.items()}


def _fit(estimator: str, formula: str, frame: pd.DataFrame, cov_types: tuple, fit_kwds: dict):
    """Fit once; return the results and each covariance (from the same fit where possible)."""
    import foedus.models as models

    fn = getattr(models, estimator)
    if estimator in ("logit", "probit", "relogit"):
        # the single-variable check before the fit, the linear programme only after a fit that
        # shows separation's symptoms (foedus.models.separation): the LP run before every fit
        # on a few hundred thousand rows costs ten times the fit itself
        fit_kwds = {"check_separation": "fast", **fit_kwds}
    first = cov_types[0]
    ct, kw = COVARIANCES[first]
    res = fn(formula, frame, cov_type=ct, cov_kwds=dict(kw) or None, **fit_kwds)
    covs, errors = {first: res.cov_params().to_numpy()}, {}
    for c in cov_types[1:]:
        ct, kw = COVARIANCES[c]
        try:
            covs[c] = res.with_cov(ct, **kw).cov_params().to_numpy()
        except Exception as err:  # noqa: BLE001 - one covariance failing must not lose the others
            errors[c] = f"{type(err).__name__}: {err}"
    return res, covs, errors


def fit_task(task: dict) -> list[dict]:
    """Fit one (panel, rows, estimator) task; one result row per covariance.

    A failure (separation, non-convergence raised as an error, a missing column) is returned as
    rows with ``error`` set, never raised: one failed specification must not stop the run.
    """
    from foedus.replication.run import prepare
    from foedus.replication.study import Model

    from foedus.models.covariance import standard_errors

    t0 = time.perf_counter()
    specs = task["specs"]  # [(id, cov_type), ...]
    base = {"estimate": None, "se": None, "p": None, "ame": None, "ame_se": None, "n": None,
            "events": None, "n_panel": None, "n_rows_removed": None, "n_listwise": None,
            "converged": None, "warnings": "", "error": ""}
    try:
        frame = _load_frame(task["path"])
        subset = " and ".join(f"({r})" for r in task["rows"]) or None
        model = Model(name="multiverse", label="", formula=task["formula"], panel="main",
                      estimator=task["estimator"], subset=subset)
        prepared = prepare(model, {"main": frame})
        counts = {"n_panel": prepared.n_panel, "n_rows_removed": prepared.n_subset,
                  "n_listwise": prepared.n_listwise}
        cov_types = tuple(c for _, c in specs)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res, covs, cov_errors = _fit(task["estimator"], task["formula"], prepared.frame, cov_types,
                                         dict(task.get("fit_kwds", ())))
            ame, ame_se = average_marginal_effect(res, task["variable"], task["estimator"], covs)
        messages = sorted({f"{w.category.__name__}: {w.message}".splitlines()[0] for w in caught
                           if "listwise deletion" not in str(w.message)})
        y = prepared.frame[model.response].to_numpy()
        common = {**counts, "n": int(res.nobs), "events": int(np.nansum(y)),
                  "converged": bool(getattr(res, "converged", True)),
                  "warnings": "; ".join(messages)}
        j = list(res.params.index).index(task["variable"])
        b = float(res.params.iloc[j])
        rows = []
        for sid, c in specs:
            if c in cov_errors:
                rows.append({**base, **common, "id": sid, "estimate": b, "error": cov_errors[c]})
                continue
            se = float(standard_errors(covs[c], res.params.index)[j])
            p = float(2 * stats.norm.sf(abs(b / se))) if se > 0 else float("nan")
            rows.append({**base, **common, "id": sid, "estimate": b, "se": se, "p": p,
                         "ame": ame, "ame_se": ame_se[c]})
    except Exception as err:  # noqa: BLE001 - recorded, the run goes on
        message = f"{type(err).__name__}: {err}".splitlines()[0]
        rows = [{**base, "id": sid, "error": message} for sid, _ in specs]
        if os.environ.get("FOEDUS_MULTIVERSE_DEBUG"):
            traceback.print_exc()
    seconds = time.perf_counter() - t0
    return [{**r, "seconds": round(seconds / len(rows), 3)} for r in rows]


# -- preparing panel files (main process) ----------------------------------------------------------
PanelSource = Callable[[PanelSpec], object]  # spec -> object with .frame


def default_panel_source(cache: bool = True) -> PanelSource:
    """The real builder (:func:`foedus.data.panel.build_panel`) with the on-disk panel cache."""
    from foedus.data.panel import build_panel

    return lambda spec: build_panel(spec, cache=cache)


def _names(text: str | None) -> set:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text or "")) - {"and", "or", "not", "in"}


def _float_frame(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Keys as they are, every other column as float64 with NaN for missing (eval/query-ready)."""
    out = {}
    for c in columns:
        if c not in frame.columns:
            continue
        s = frame[c]
        out[c] = s.to_numpy() if c in KEYS else pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()
    return pd.DataFrame(out)


class _PanelMemo:
    """Panels of this run as float frames of the needed columns, the last ``size`` kept.

    Panel files are prepared main panel by main panel, so a panel shared by several files (the
    baseline with and without a borrowed column) is built once.
    """

    def __init__(self, source: PanelSource, columns: set, size: int = 3):
        self.source, self.columns, self.size = source, sorted(columns | set(KEYS)), size
        self.frames: dict[str, pd.DataFrame] = {}
        #: spec digest -> the registered files the panel was built from (its provenance)
        self.files: dict[str, tuple] = {}

    def get(self, spec: PanelSpec) -> pd.DataFrame:
        key = spec.digest()
        if key in self.frames:
            self.frames[key] = self.frames.pop(key)
        else:
            panel = self.source(spec)
            self.files[key] = tuple(getattr(panel, "files", ()))
            self.frames[key] = _float_frame(panel.frame, self.columns)
            while len(self.frames) > self.size:
                self.frames.pop(next(iter(self.frames)))
        return self.frames[key]


def panel_file(spec: Specification, panels: _PanelMemo, folder: Path) -> Path:
    """Write (once) the columns a specification's fits need, with borrowed columns substituted.

    The file name holds the panel key, a hash of the columns (grids with other formulas sharing a
    panel get their own file) and the data code's fingerprint; its sidecar names the input files,
    and a file whose inputs changed is rewritten (as the panel cache, :mod:`foedus.data.cache`).
    """
    from foedus.data.cache import code_fingerprint, entry_meta, write_entry
    from foedus.data.fetch import stale_input

    columns = hashlib.sha256(" ".join(panels.columns).encode()).hexdigest()[:8]
    path = folder / f"{spec.panel_key}-{columns}-{code_fingerprint()}.parquet"
    meta = entry_meta(path)
    if meta is not None and stale_input(meta.get("files", [])) is None:
        return path
    frame = panels.get(spec.panel).copy()
    for col, other_spec in spec.borrow:
        other = panels.get(other_spec)
        if col not in other.columns:
            raise KeyError(f"borrowed column {col!r} is not in panel {other_spec.digest()}")
        same_rows = len(other) == len(frame) and all(
            np.array_equal(other[k].to_numpy(), frame[k].to_numpy()) for k in KEYS)
        if same_rows:
            frame[col] = other[col].to_numpy()
        else:
            merged = frame[list(KEYS)].merge(other[[*KEYS, col]], on=list(KEYS), how="left",
                                             validate="one_to_one")
            frame[col] = merged[col].to_numpy()
    files = {f for s in (spec.panel, *(o for _, o in spec.borrow)) for f in panels.files[s.digest()]}
    write_entry(path, frame, {"files": [list(f) for f in sorted(files)]})
    if not path.is_file():
        raise OSError(f"could not write the multiverse panel file {path}: set FOEDUS_CACHE to a "
                      "writable folder (the fits read their panel from it)")
    return path


# -- running ------------------------------------------------------------------------------------
@dataclass
class MultiverseResult:
    """The table of a run, its summary and the files written."""

    multiverse: Multiverse
    table: pd.DataFrame
    summary: dict
    directory: Path | None = None
    files: dict = field(default_factory=dict)
    fitted: int = 0  # specifications fitted in this run (the others came from the store)
    seconds: float = 0.0


def _executor(workers: int | None, scheduler):
    """(executor, close): a Dask client executor, a process pool, or (None, None) in-process."""
    if scheduler is not None:
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - depends on the installed extras
            raise ImportError("a Dask scheduler needs dask.distributed: "
                              "pip install 'foedus[multiverse]'") from None
        client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
        executor = client.get_executor(pure=False)

        def close():
            executor.shutdown(wait=True)
            if client is not scheduler:  # a client we opened (never the user's cluster)
                client.close()

        return executor, close
    workers = workers or os.cpu_count() or 1
    if workers <= 1:
        return None, None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from foedus.threads import threads_per_worker, worker_initializer

    # spawn, not fork: the parent may hold threads (pyarrow) that a forked child would inherit;
    # each worker gets cores // workers BLAS threads (foedus.threads)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=worker_initializer,
                               initargs=(threads_per_worker(workers),))
    # on an interruption, queued fits are cancelled; finished ones are already in the store
    return pool, lambda: pool.shutdown(wait=True, cancel_futures=True)


class _Progress:
    def __init__(self, total: int, enabled: bool, stream):
        self.total, self.done, self.enabled = total, 0, enabled
        self.stream = stream or sys.stderr
        self.t0 = time.perf_counter()

    def line(self, message: str) -> None:
        if self.enabled:
            print(message, file=self.stream, flush=True)

    def advance(self, rows: list[dict], label: str) -> None:
        self.done += len(rows)
        r = rows[0]
        what = (f"error: {r['error']}" if r["error"] and r["estimate"] is None
                else f"N={r['n']:,} events={r['events']:,} b={r['estimate']:+.4f}")
        width = len(str(self.total))
        self.line(f"[{self.done:>{width}}/{self.total}] {label} · {what} "
                  f"({r['seconds'] * len(rows):.1f} s; {time.perf_counter() - self.t0:.0f} s elapsed)")


def _task_label(specs: list[Specification], mv: Multiverse) -> str:
    s = specs[0]
    base = {c.name: c.levels[0].label for c in mv.choices}
    moved = [f"{name}={label}" for name, label in s.choices
             if label != base[name] and name in {c.name for c in mv.data_choices}]
    return f"{', '.join(moved) or 'baseline'} · {s.estimator}"


def run_multiverse(
    multiverse: Multiverse,
    *,
    output: str | os.PathLike | None = None,
    depth: int | None | str = "default",
    workers: int | None = None,
    scheduler=None,
    panel_source: PanelSource | None = None,
    retry_failed: bool = True,
    report: bool = True,
    progress: bool = True,
    stream=None,
) -> MultiverseResult:
    """Fit every specification of a multiverse; write the table, the figure and the summary.

    Parameters
    ----------
    multiverse : Multiverse
    output : path, optional
        Folder of the outputs and of the results store (``results.jsonl``); a rerun with the same
        folder skips finished specifications. Nothing is written when None (and nothing resumed).
    depth : int, None or "default"
        Data choices that may depart from their baseline at once (None: the full product).
    workers : int, optional
        Local worker processes (default: every core; 1 fits in this process).
    scheduler : str or distributed.Client, optional
        A Dask scheduler address (``"tcp://host:8786"``) or client: fits run on its workers, which
        must see the panel files in ``<FOEDUS_CACHE>/multiverse/``.
    panel_source : callable, optional
        ``spec -> panel`` (with ``.frame``); the cached real builder by default (tests pass fakes).
    retry_failed : bool
        Refit specifications stored with an error (the default: the data or the code may have
        been fixed since); False keeps their stored errors.
    report : bool
        Write the table, the figure and the summary into ``output`` (the store is always written).
    progress : bool
        One line per fit on standard error.
    """
    from foedus.data.cache import cache_folder

    t_start = time.perf_counter()
    mv = multiverse
    source = panel_source or default_panel_source()
    specs = mv.specifications(depth)
    directory = Path(output) if output is not None else None
    store = ResultStore(directory / "results.jsonl") if directory is not None else None
    stored = store.load() if store is not None else {}
    finished = {i for i, r in stored.items() if not (retry_failed and r.get("error"))}
    todo = [s for s in specs if s.id not in finished]
    bar = _Progress(len(specs), progress, stream)
    bar.done = len(specs) - len(todo)
    n_panels = len({s.panel_key for s in specs})
    bar.line(f"multiverse {mv.name}: {len(specs)} specifications on {n_panels} panel(s); "
             f"{len(specs) - len(todo)} already in the store, {len(todo)} to fit")

    # one task per shared fit, grouped by panel so that panels are prepared one after another
    tasks: dict[tuple, list[Specification]] = {}
    for s in todo:
        tasks.setdefault(s.fit_key, []).append(s)
    by_panel: dict[str, list[list[Specification]]] = {}
    for group in tasks.values():
        by_panel.setdefault(group[0].panel_key, []).append(group)
    # files sharing a main panel one after another (the memo below then builds it once)
    first_seen = {}
    for key, groups in by_panel.items():
        first_seen.setdefault(groups[0][0].panel.digest(), len(first_seen))
    by_panel = dict(sorted(by_panel.items(), key=lambda kv: first_seen[kv[1][0][0].panel.digest()]))
    columns = _names(mv.formula) | set().union(*(_names(lv.rows) for c in mv.choices for lv in c.levels))
    # an unusable cache (warned) gives a private folder: the fits still read their panels from files
    folder = cache_folder("multiverse") or Path(tempfile.mkdtemp(prefix="foedus-multiverse-"))
    panels = _PanelMemo(source, columns)
    results: dict[str, dict] = {}

    def record(rows: list[dict], label: str) -> None:
        for r in rows:
            results[r["id"]] = r
        if store is not None:
            store.append(rows)
        bar.advance(rows, label)

    executor, close = _executor(workers, scheduler) if todo else (None, None)
    pending = {}
    try:
        for key, groups in by_panel.items():
            first = groups[0][0]
            t0 = time.perf_counter()
            try:
                path = str(panel_file(first, panels, folder))
            except Exception as err:  # noqa: BLE001 - every specification on it fails, the run goes on
                message = f"panel build failed: {type(err).__name__}: {err}".splitlines()[0]
                for group in groups:
                    record([{"id": s.id, "error": message, "estimate": None, "seconds": 0.0,
                             "warnings": ""} for s in group], _task_label(group, mv))
                continue
            bar.line(f"panel {key} (built {first.panel.digest()}"
                     + "".join(f", {c} from {s.digest()}" for c, s in first.borrow)
                     + f"): ready ({time.perf_counter() - t0:.1f} s)")
            for group in groups:
                task = {"path": path, "rows": list(group[0].rows), "formula": mv.formula,
                        "variable": mv.variable, "estimator": group[0].estimator,
                        "fit_kwds": [list(kv) for kv in group[0].fit_kwds],
                        "specs": [(s.id, s.cov_type) for s in group]}
                label = _task_label(group, mv)
                if executor is None:
                    record(fit_task(task), label)
                else:
                    pending[executor.submit(fit_task, task)] = label
            pending = _drain(pending, record, block=False)
        _drain(pending, record, block=True)
    finally:
        if close is not None:
            close()
    rows_by_id = {**stored, **results}
    table = results_table(mv, specs, rows_by_id)
    summary = summarise(mv, table)
    out = MultiverseResult(mv, table, summary, directory, fitted=len(results),
                           seconds=time.perf_counter() - t_start)
    if directory is not None and report:
        out.files = write_outputs(out, directory)
    bar.line(f"multiverse {mv.name}: {len(table)} specifications, {summary['n_failed']} failed; "
             f"{len(results)} fitted in this run ({out.seconds:.0f} s)")
    return out


def _drain(pending: dict, record, block: bool) -> dict:
    from concurrent.futures import FIRST_COMPLETED, wait

    while pending:
        done, _ = wait(list(pending), timeout=None if block else 0, return_when=FIRST_COMPLETED)
        if not done:
            break
        for fut in done:
            label = pending.pop(fut)
            record(fut.result(), label)
    return pending


# -- the table and the summary ---------------------------------------------------------------------
TABLE_COLUMNS = ("spec_id", "estimator", "cov_type", "departures", "n", "events", "estimate", "se",
                 "p", "ci_lo", "ci_hi", "ame", "ame_se", "ame_lo", "ame_hi", "n_panel",
                 "n_rows_removed", "n_listwise", "converged", "warnings", "error", "panel",
                 "effective_spec", "rows")


def results_table(mv: Multiverse, specs: list[Specification], rows_by_id: dict) -> pd.DataFrame:
    """One row per specification (grid order): its choices, N, events, estimate, SE, p, ..."""
    records = []
    for s in specs:
        r = rows_by_id.get(s.id, {})
        rec = {name: label for name, label in s.choices}
        est, se, ame, ame_se = (r.get(k) for k in ("estimate", "se", "ame", "ame_se"))
        rec.update({
            "spec_id": s.id, "estimator": s.estimator, "cov_type": s.cov_type,
            "departures": s.departures, "n": r.get("n"), "events": r.get("events"),
            "estimate": est, "se": se, "p": r.get("p"),
            "ci_lo": None if se is None else est - Z95 * se,
            "ci_hi": None if se is None else est + Z95 * se,
            "ame": ame, "ame_se": ame_se,
            "ame_lo": None if ame_se is None else ame - Z95 * ame_se,
            "ame_hi": None if ame_se is None else ame + Z95 * ame_se,
            "n_panel": r.get("n_panel"), "n_rows_removed": r.get("n_rows_removed"),
            "n_listwise": r.get("n_listwise"), "converged": r.get("converged"),
            "warnings": r.get("warnings", ""),
            "error": r.get("error", "not run") if r else "not run",
            "panel": s.panel.digest(), "effective_spec": s.effective.digest(),
            "rows": " and ".join(s.rows),
        })
        records.append(rec)
    table = pd.DataFrame.from_records(records, columns=[c.name for c in mv.choices] + list(TABLE_COLUMNS))
    for c in ("n", "events", "n_panel", "n_rows_removed", "n_listwise"):
        table[c] = table[c].astype("Int64")
    for c in ("estimate", "se", "p", "ci_lo", "ci_hi", "ame", "ame_se", "ame_lo", "ame_hi"):
        table[c] = table[c].astype("float64")
    table["converged"] = table["converged"].astype("boolean")
    table["error"] = table["error"].fillna("").astype(str)
    table["warnings"] = table["warnings"].fillna("").astype(str)
    return table


def ok_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Specifications with an estimate and a standard error."""
    return table[(table["error"] == "") & table["se"].notna()]


def summarise(mv: Multiverse, table: pd.DataFrame) -> dict:
    """Share of specifications with the published sign (and significance); the most influential choice.

    Influence of a choice: the difference between the largest and smallest median average
    marginal effect of its levels, over the specifications that fit. The levels of a data choice
    are compared on the specifications in which every *other* data choice is at its baseline
    (with ``depth=1`` the baseline level's other specifications depart from the baseline in other
    choices, so an unmatched median would mix their effects in); a model choice's levels over
    every specification (each is crossed with every data combination). Covariance choices cannot
    move an estimate; influence on the published finding is the range, across levels, of the
    share of specifications with the published sign and p < alpha (reported when it is not 0).
    """
    ok = ok_rows(table)
    sign = 1 if mv.expected == "positive" else -1
    right = np.sign(ok["estimate"]) == sign
    sig = ok["p"] < mv.alpha
    n = len(ok)
    influence = []
    published = (right & sig).astype("float64")
    baseline = {c.name: c.levels[0].label for c in mv.data_choices}
    for c in mv.choices:
        others = [name for name in baseline if name != c.name] if c.kind == "data" else []
        matched = (ok[others] == pd.Series(baseline)[others]).all(axis=1) if others else \
            pd.Series(True, index=ok.index)
        sub = ok[matched]
        by = sub.groupby(c.name, sort=False)
        med = by["ame"].median()
        share = published[matched].groupby(sub[c.name], sort=False).mean()
        labels = [lv.label for lv in c.levels if lv.label in med.index]
        influence.append({
            "choice": c.name, "label": c.label,
            "median_ame": {lv: float(med[lv]) for lv in labels},
            "share_published": {lv: float(share[lv]) for lv in labels},
            "n": {lv: int(by.size()[lv]) for lv in labels},
            "range_median_ame": float(med.max() - med.min()) if len(med) > 1 else 0.0,
            "range_share_published": float(share.max() - share.min()) if len(share) > 1 else 0.0,
        })
    movers = [i for i in influence if len(i["median_ame"]) > 1]
    top = max(movers, key=lambda i: i["range_median_ame"]) if movers else None
    top_sig = max(movers, key=lambda i: i["range_share_published"]) if movers else None
    if top_sig is not None and top_sig["range_share_published"] == 0:
        top_sig = None  # no choice changes whether the published finding holds
    errors = table.loc[table["error"] != "", "error"].value_counts()
    return {
        "multiverse": mv.name, "variable": mv.variable, "expected": mv.expected, "alpha": mv.alpha,
        "n_specs": int(len(table)), "n_ok": n, "n_failed": int(len(table) - n),
        "errors": {k: int(v) for k, v in errors.items()},
        "share_published_sign": float(right.mean()) if n else float("nan"),
        "share_published_sign_significant": float((right & sig).mean()) if n else float("nan"),
        "share_opposite_sign_significant": float((~right & sig).mean()) if n else float("nan"),
        "median_ame": float(ok["ame"].median()) if n else float("nan"),
        "ame_quartiles": [float(ok["ame"].quantile(q)) for q in (0.25, 0.75)] if n else [],
        "most_influential": None if top is None else {
            "choice": top["choice"], "range_median_ame": top["range_median_ame"],
            "median_ame": top["median_ame"]},
        "most_influential_on_significance": None if top_sig is None else {
            "choice": top_sig["choice"], "range_share_published": top_sig["range_share_published"],
            "share_published": top_sig["share_published"]},
        "choices": influence,
    }


def summary_markdown(mv: Multiverse, summary: dict) -> str:
    """The summary as a short Markdown report."""
    s = summary
    sign = "negative" if mv.expected == "negative" else "positive"
    pct = lambda x: "n/a" if x != x else f"{100 * x:.1f}%"  # noqa: E731
    lines = [
        f"# Multiverse: {mv.title}", "",
        f"Published finding: {mv.claim or f'{mv.variable} has a significant {sign} effect'}", "",
        f"- Specifications: {s['n_specs']} ({s['n_ok']} fitted, {s['n_failed']} failed)",
        f"- Estimate of `{mv.variable}` with the published ({sign}) sign: {pct(s['share_published_sign'])}",
        f"- ... and significant (p < {mv.alpha:g}): {pct(s['share_published_sign_significant'])}",
        f"- Significant with the opposite sign: {pct(s['share_opposite_sign_significant'])}",
        f"- Median average marginal effect on Pr(dispute): {s['median_ame']:.3g}"
        + (" (interquartile range {:.3g} to {:.3g})".format(*s["ame_quartiles"]) if s["ame_quartiles"] else ""),
    ]
    if s["most_influential"]:
        m = s["most_influential"]
        levels = ", ".join(f"{k}: {v:.3g}" for k, v in m["median_ame"].items())
        lines.append(f"- Choice that moves the estimate most: **{m['choice']}** (median AME by level: "
                     f"{levels}; range {m['range_median_ame']:.3g})")
    if s["most_influential_on_significance"]:
        m = s["most_influential_on_significance"]
        levels = ", ".join(f"{k}: {pct(v)}" for k, v in m["share_published"].items())
        lines.append(f"- Choice that moves the published significance most: **{m['choice']}** "
                     f"(share with the published sign and p < {mv.alpha:g}: {levels})")
    lines += ["", "## By choice", "",
              "Levels of a data choice are compared with every other data choice at its baseline.", "",
              "| choice | level | specs | median AME | published sign & significant |",
              "|---|---|---:|---:|---:|"]
    for c in s["choices"]:
        for lv, med in c["median_ame"].items():
            lines.append(f"| {c['choice']} | {lv} | {c['n'][lv]} | {med:.3g} | "
                         f"{pct(c['share_published'][lv])} |")
    if s["errors"]:
        lines += ["", "## Failed specifications", ""]
        lines += [f"- {n} × {msg}" for msg, n in s["errors"].items()]
    if mv.notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in mv.notes]
    choices = "\n".join(f"- **{c.name}** ({c.label}): " + "; ".join(
        lv.label + (f" [{lv.note}]" if lv.note else "") for lv in c.levels) for c in mv.choices)
    lines += ["", "## Grid (first level = baseline)", "", choices, ""]
    return "\n".join(lines)


def write_outputs(result: MultiverseResult, directory: Path) -> dict:
    """multiverse.csv, multiverse.parquet, spec_curve.png, summary.md, summary.json."""
    from foedus.replication.spec_curve import specification_curve

    directory.mkdir(parents=True, exist_ok=True)
    mv, table = result.multiverse, result.table
    files = {
        "multiverse.csv": directory / "multiverse.csv",
        "multiverse.parquet": directory / "multiverse.parquet",
        "spec_curve.png": directory / "spec_curve.png",
        "summary.md": directory / "summary.md",
        "summary.json": directory / "summary.json",
    }
    table.to_csv(files["multiverse.csv"], index=False, float_format="%.10g", lineterminator="\n")
    table.to_parquet(files["multiverse.parquet"], index=False)
    specification_curve(mv, table, files["spec_curve.png"])
    files["summary.md"].write_text(summary_markdown(mv, result.summary))
    files["summary.json"].write_text(json.dumps(result.summary, indent=1, sort_keys=True) + "\n")
    return files


__all__ = ["Choice", "Level", "Multiverse", "MultiverseResult", "ResultStore", "Specification",
           "average_marginal_effect", "fit_task", "run_multiverse", "results_table", "summarise",
           "summary_markdown", "write_outputs", "COVARIANCES", "ESTIMATORS"]
