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
- Samples: the rows of a fit are prepared by the studies' own code
  (:func:`foedus.replication.run.prepare`, on :mod:`foedus.replication.sample`), with the same
  covariance table and separation check, so a model fitted here and in a study gives the same
  estimate and standard errors.
- Fits: one fit per (panel, rows, estimator); every covariance of that fit is computed from it
  without refitting (``with_cov``). A task is one sample (panel file and rows) with every fit
  on it: the worker prepares the sample once and builds its design (the float64 matrix) once,
  and every estimator receives that matrix (:func:`~.tasks.fit_task`). Fits run in parallel on local cores (the pool of
  :mod:`foedus.replication.pool`) or on a Dask distributed cluster (pass its scheduler address;
  the workers must see the same file system, since they read the panel files written above).
  Each worker reads a panel file once and keeps the last two in memory.
- Resume: every finished specification is appended, as one JSON line keyed by the
  specification's hash and naming its inputs (files with their sha256, foedus version, data
  code), to ``results.jsonl`` in the output folder; a rerun skips those whose inputs still hold.
  A specification that fails (separation, a panel that cannot be built) is recorded with its
  error and the run goes on.

Modules: :mod:`~.grid` (declaring), :mod:`~.store` (the results store), :mod:`~.panels` (panel
files), :mod:`~.tasks` (one fit, in a worker), :mod:`~.execute` (running), :mod:`~.report` (the
table, the summary, the outputs; the figure is :mod:`foedus.replication.spec_curve`).

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
the variable of interest (see :func:`~.tasks.average_marginal_effect`); the coefficient, its standard
error and p-value are in the table too.
"""
from foedus.replication.multiverse.grid import (
    COVARIANCES,
    ESTIMATORS,
    EXPECTED,
    TABLE_COLUMNS,
    Choice,
    Level,
    Multiverse,
    Specification,
)
from foedus.replication.multiverse.store import STORE_SCHEMA, ResultStore
from foedus.replication.multiverse.tasks import average_marginal_effect, fit_task
from foedus.replication.multiverse.panels import _PanelMemo, default_panel_source, panel_file
from foedus.replication.multiverse.report import (
    MultiverseResult,
    ok_rows,
    results_table,
    summarise,
    summary_markdown,
    write_outputs,
)
from foedus.replication.multiverse.execute import run_multiverse

__all__ = ["Choice", "Level", "Multiverse", "MultiverseResult", "ResultStore", "Specification",
           "average_marginal_effect", "fit_task", "run_multiverse", "results_table", "summarise",
           "summary_markdown", "write_outputs", "ok_rows", "panel_file", "default_panel_source",
           "COVARIANCES", "ESTIMATORS", "EXPECTED", "TABLE_COLUMNS", "STORE_SCHEMA"]
