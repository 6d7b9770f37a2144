"""Declaring a multiverse: its choices, their levels, and the specifications they combine into."""
from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from foedus.data.spec import PanelSpec
from foedus.replication.covariances import COVARIANCES as _STUDY_COVARIANCES
from foedus.replication.study import restricted_note
from foedus.replication.covariances import covariance
from foedus.replication.sample import expression_names
from foedus.replication.multiverse.store import STORE_SCHEMA

EXPECTED = ("positive", "negative")
#: Covariance name -> (foedus.models cov_type, cov_kwds): the studies' own table
#: (:data:`foedus.replication.covariances.COVARIANCES`, resolved by
#: :func:`~foedus.replication.covariances.covariance`, which also takes ``"cluster:<column>"``),
#: so that a standard error of one name is the same in both outputs ("dyadic" is Aronow,
#: Samii & Assenova 2015, clipped to PSD in both).
COVARIANCES: dict[str, tuple[str, dict]] = {
    name: (cov_type, kwds) for name, (cov_type, kwds, _) in _STUDY_COVARIANCES.items()}
#: The estimators of a grid: binary-response models of :mod:`foedus.models.registry` whose
#: average marginal effect the multiverse computes (:func:`~.tasks.average_marginal_effect`).
ESTIMATORS = ("logit", "probit", "relogit", "firth", "lpm_fe")
#: Columns of the results table (a choice may not take one of these names).
TABLE_COLUMNS = ("spec_id", "estimator", "cov_type", "departures", "n", "events", "estimate", "se",
                 "p", "ci_lo", "ci_hi", "ame", "ame_se", "ame_lo", "ame_hi", "n_panel",
                 "n_rows_removed", "n_listwise", "converged", "warnings", "error", "panel",
                 "effective_spec", "rows")


def cluster_columns(cov_types: Iterable[str]) -> set:
    """The columns named by ``"cluster:<column>"`` covariances (the fits must read them)."""
    return {c.split(":", 1)[1] for c in cov_types if c.startswith("cluster:")}


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
        if self.cov_type is not None:
            try:
                covariance(self.cov_type)
            except ValueError:
                raise ValueError(f"Level {self.label!r}: cov_type {self.cov_type!r} is not one of "
                                 f"{tuple(COVARIANCES)} or 'cluster:<column>'") from None

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
        if self.variable not in expression_names(self.formula.split("~", 1)[1]):
            raise ValueError(f"Multiverse {self.name!r}: {self.variable!r} is not in the formula")

    @property
    def columns(self) -> set:
        """Every column the fits read: the formula's, the row filters', the cluster variables'."""
        levels = [lv for c in self.choices for lv in c.levels]
        names = set(expression_names(self.formula))
        names |= {n for lv in levels for n in expression_names(lv.rows)}
        return names | cluster_columns([self.cov_type] + [lv.cov_type for lv in levels if lv.cov_type])

    @property
    def data_choices(self) -> tuple:
        return tuple(c for c in self.choices if c.kind == "data")

    @property
    def model_choices(self) -> tuple:
        return tuple(c for c in self.choices if c.kind == "model")

    def with_years(self, years: tuple) -> "Multiverse":
        """The same grid on another year range (smoke runs; flagged in the notes)."""
        first, last = int(years[0]), int(years[1])
        return dataclasses.replace(self, base=self.base.replace(years=(first, last)),
                                   notes=(restricted_note(first, last), *self.notes))

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


__all__ = ["EXPECTED", "COVARIANCES", "ESTIMATORS", "TABLE_COLUMNS", "Level", "Choice",
           "Specification", "Multiverse", "cluster_columns"]
