"""What a study is: panels, models and published claims, declared as data.

A study module (one per paper, e.g. :mod:`foedus.replication.johnson_leeds_2011`) builds one
:class:`Study` and nothing else: which panels (one :class:`~foedus.data.spec.PanelSpec` per data
version and panel variant), which models (:class:`Model`: formula, estimator, covariance, the rows
and recodes the design asks for, each with its source), which claims the paper makes
(:class:`Claim`) and which substantive effect to simulate (:class:`Effect`). The machinery that
runs a study (:mod:`~foedus.replication.run`), writes its tables, figures and provenance is shared.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from foedus.data.spec import PanelSpec

#: Estimator options whose (string) value names a column of the data.
COLUMN_OPTIONS = ("duration", "entry", "event", "strata", "weights")

#: Effects a claim can assert. "none": the paper reports no evidence of an effect.
EFFECTS = ("positive", "negative", "none")


@dataclass(frozen=True)
class Claim:
    """A published claim about one variable.

    Attributes
    ----------
    variable : str
        Panel column the claim is about (e.g. ``"ptargdef"``).
    effect : {"positive", "negative", "none"}
        "positive"/"negative": a statistically significant effect of that sign; "none": no
        evidence of an effect (see :mod:`foedus.replication.verdict` for the mechanical rule).
    text : str
        The claim in the paper's words (or a close paraphrase).
    source : str
        Where the paper makes it (``"Johnson & Leeds (2011), abstract"``).
    """

    variable: str
    effect: str
    text: str
    source: str

    def __post_init__(self) -> None:
        if self.effect not in EFFECTS:
            raise ValueError(f"Claim({self.variable!r}).effect={self.effect!r} is not one of {EFFECTS}")

    @property
    def expected(self) -> str:
        """Short form for tables: ``"- (p < 0.05)"``, ``"+ (p < 0.05)"`` or ``"n.s."``."""
        return {"positive": "+, p < 0.05", "negative": "−, p < 0.05", "none": "not significant"}[self.effect]


@dataclass(frozen=True)
class DataVersion:
    """One combination of data releases a study is run on (e.g. MID 3.10 with Polity IV 2015)."""

    name: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class Model:
    """One model of a study, fitted on every data version.

    Attributes
    ----------
    name : str
        Identifier, unique in the study (used in file names, the CSV and published-values files).
    label : str
        Column or row heading in tables.
    formula : str
        ``"dispute ~ ptargdef + ..."`` (the variables are panel columns or ``assign``-ed ones).
    group : str
        Table section: ``"main"`` (the paper's headline model), ``"estimators"`` (the main model
        under other estimators and covariances), ``"robustness"`` (the authors' own checks),
        ``"alternatives"`` (our documented alternatives to uncertain coding rules).
    panel : str
        The panel variant the rows come from (a key of :attr:`Study.panels` for each data version).
    estimator : str
        Name of a :mod:`foedus.models` estimator: ``"probit"``, ``"logit"``, ``"relogit"``, ``"firth"``.
    cov_types : tuple of str
        Covariance estimators whose standard errors are reported side by side (the first is the
        one the verdict on the model's headline row uses).
    borrow : tuple of (column, panel, source_column)
        Columns taken from another panel variant of the same data version (same universe, joined on
        ccode1, ccode2, year), e.g. ``ptargdef`` coded without secret alliances.
    assign : tuple of (column, expression)
        Columns (re)defined with :meth:`pandas.DataFrame.eval` before fitting (recodes).
    subset : str or None
        :meth:`pandas.DataFrame.query` expression of the rows kept (removed rows are counted).
    note : str
        What the model is and where it comes from (printed in the table notes).
    options : tuple of (name, value)
        Keyword arguments of the estimator, e.g. ``(("select", "dispute ~ ptargdef + ..."),)``
        for a selection model. Columns the model needs: every name in a formula value (one with
        ``~``) and the value of the options in :data:`COLUMN_OPTIONS`.
    keep_missing : tuple of str
        Columns exempt from listwise deletion because the estimator handles their missing values
        (the outcome of a selection model, missing where the selection response is 0).
    derive : tuple of (column, deriver)
        Columns computed from the model's own rows after the ``subset`` and before listwise
        deletion, for quantities that depend on the estimation sample (e.g. CEM weights:
        ``(("cem_weights", CEMWeights(...)),)`` with ``options=(("weights", "cem_weights"),)``).
        A deriver has ``columns`` (the panel columns it reads; they are not listwise-deleted
        unless the model uses them elsewhere) and is called as ``deriver(frame) -> (values,
        note)``; NaN values remove the row by listwise deletion (counted under ``column``) and
        the note goes into the table notes. It must be picklable (a module-level dataclass).
    """

    name: str
    label: str
    formula: str
    group: str = "main"
    panel: str = "base"
    estimator: str = "probit"
    cov_types: tuple = ("classical",)
    borrow: tuple = ()
    assign: tuple = ()
    subset: str | None = None
    note: str = ""
    options: tuple = ()
    keep_missing: tuple = ()
    derive: tuple = ()

    def __post_init__(self) -> None:
        if "~" not in self.formula:
            raise ValueError(f"Model {self.name!r}: formula {self.formula!r} has no '~'")
        if isinstance(self.options, dict):
            object.__setattr__(self, "options", tuple(self.options.items()))
        for attr in ("cov_types", "borrow", "assign", "options", "keep_missing", "derive"):
            value = getattr(self, attr)
            if isinstance(value, list):
                object.__setattr__(self, attr, tuple(tuple(v) if isinstance(v, list) else v for v in value))

    @property
    def response(self) -> str:
        return self.formula.split("~", 1)[0].strip()

    @property
    def regressors(self) -> list[str]:
        """Right-hand-side terms in formula order (plain column names in the studies here)."""
        rhs = self.formula.split("~", 1)[1]
        return [t.strip() for t in rhs.split("+") if t.strip() not in ("", "1", "0", "-1")]

    def variables(self) -> list[str]:
        """Every name in the formula and the string options that may be a column (for listwise
        deletion), and the columns named by cluster covariances (``cluster:<column>``)."""
        texts = [self.formula] + [v for _, v in self.options if isinstance(v, str) and "~" in v]
        names = [n for t in texts for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", t)]
        names += [v for k, v in self.options if k in COLUMN_OPTIONS and isinstance(v, str)]
        names += [c.split(":", 1)[1] for c in self.cov_types if c.startswith("cluster:")]
        return list(dict.fromkeys(names))

    def replace(self, **changes) -> "Model":
        return replace(self, **changes)


@dataclass(frozen=True)
class Effect:
    """A substantive effect: predicted probabilities at two values of one variable, simulated.

    Following the authors' Clarify commands (``estsimp``/``setx``/``simqi``): the other variables
    are held at their means over the estimation-sample rows selected by ``means_where``; the
    parameters are drawn ``draws`` times from their estimated sampling distribution (multivariate
    normal with the model's covariance), with a fixed ``seed``.
    """

    model: str
    variable: str
    values: tuple = (0, 1)
    means_where: str | None = None
    draws: int = 1000
    seed: int = 20110101
    interval: tuple = (2.5, 97.5)
    cov_type: str = "classical"
    note: str = ""
    center: str = "mean"  # the other variables at their "mean" (setx mean) or "median" (setx median)

    def __post_init__(self) -> None:
        if self.center not in ("mean", "median"):
            raise ValueError(f"Effect.center={self.center!r} is not 'mean' or 'median'")


@dataclass(frozen=True)
class SummaryClaim:
    """A published claim about a descriptive table (a share, a count, a difference of shares).

    ``check(table) -> (reproduced, evidence)``: the rule, written before the table is seen, that
    decides whether the table supports the claim, and one sentence giving the numbers it used.
    """

    text: str
    source: str
    check: Callable[[pd.DataFrame], tuple]
    rule: str = ""


@dataclass(frozen=True)
class Summary:
    """A descriptive result of a study: a table computed from one of its panels or units.

    Attributes
    ----------
    name : str
        Identifier, unique in the study.
    title : str
        Table heading.
    panel : str
        The panel (or unit) variant the rows come from, for every data version.
    compute : callable
        ``compute(frame) -> pandas.DataFrame``: the table (its index labels the rows).
    claims : tuple of SummaryClaim
    note : str
        What the table is and where its rules come from.
    """

    name: str
    title: str
    panel: str
    compute: Callable[[pd.DataFrame], pd.DataFrame]
    claims: tuple = ()
    note: str = ""


@dataclass(frozen=True)
class Study:
    """A replication: panels, models, claims and the substantive effect to simulate.

    Attributes
    ----------
    name : str
        Identifier (``results/<name>/``, ``foedus replicate <name>``).
    title, citation : str
        The paper, as it is cited in tables.
    data : tuple of DataVersion
        Data versions the study is run on; the first is the headline one.
    panels : dict
        ``{(data_version_name, panel_variant): PanelSpec}``; every model's ``panel`` must exist for
        every data version.
    models : tuple of Model
    claims : tuple of Claim
    effect : Effect or None
    notes : tuple of str
        Design choices stated in the table notes (for reconstructed designs, every choice).
    summaries : tuple of Summary
        Descriptive tables (shares, counts) with their claims; a study may have only these.
    """

    name: str
    title: str
    citation: str
    data: tuple
    panels: dict
    models: tuple
    claims: tuple
    effect: Effect | None = None
    notes: tuple = ()
    summaries: tuple = ()

    def __post_init__(self) -> None:
        names = [m.name for m in self.models] + [s.name for s in self.summaries]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"study {self.name!r}: duplicate model or summary names {sorted(dup)}")
        if not self.models and not self.summaries:
            raise ValueError(f"study {self.name!r} declares neither models nor summaries")
        if self.models and not any(m.group == "main" for m in self.models):
            raise ValueError(f"study {self.name!r}: no model of group 'main' (the headline model)")
        for d in self.data:
            needs = [(f"model {m.name!r}", p) for m in self.models
                     for p in [m.panel] + [b[1] for b in m.borrow]]
            needs += [(f"summary {s.name!r}", s.panel) for s in self.summaries]
            for who, p in needs:
                if (d.name, p) not in self.panels:
                    raise ValueError(
                        f"study {self.name!r}: {who} needs panel {p!r} for data "
                        f"version {d.name!r}, which is not declared in Study.panels"
                    )
        if self.effect is not None and self.effect.model not in names:
            raise ValueError(f"study {self.name!r}: effect refers to unknown model {self.effect.model!r}")

    def model(self, name: str) -> Model:
        for m in self.models:
            if m.name == name:
                return m
        raise KeyError(f"study {self.name!r} has no model {name!r}; it has {[m.name for m in self.models]}")

    @property
    def main(self) -> Model | None:
        """The headline model (the first of group ``"main"``); None for a descriptive study."""
        return next((m for m in self.models if m.group == "main"), None)

    def panel_specs(self) -> dict:
        """The panels actually used, in declaration order."""
        used = {(d.name, p) for d in self.data for m in self.models
                for p in [m.panel, *(b[1] for b in m.borrow)]}
        used |= {(d.name, s.panel) for d in self.data for s in self.summaries}
        return {k: v for k, v in self.panels.items() if k in used}

    def with_years(self, years: tuple) -> "Study":
        """The same study on another year range (smoke runs); every panel with a ``years``
        choice gets the new years (other units, e.g. the authors' own rows, are kept whole)."""
        first, last = int(years[0]), int(years[1])
        panels = {k: spec.replace(years=(first, last)) if hasattr(spec, "years") else spec
                  for k, spec in self.panels.items()}
        return replace(self, panels=panels, notes=(restricted_note(first, last), *self.notes))


#: The first words of the first note of a run restricted to a subsample of years.
RESTRICTED = "RESTRICTED RUN"


def restricted_note(first: int, last: int) -> str:
    """The note that flags a run on years ``first``-``last`` only (not the published design)."""
    return f"{RESTRICTED}: years {first}-{last} only; not the published design."


def spec_variant(spec: PanelSpec, **sections) -> PanelSpec:
    """A copy of ``spec`` with some fields of its sections changed.

    ``spec_variant(spec, alliances={"secret": "exclude"})`` changes one alliance rule and keeps
    the others; top-level fields are given directly (``years=(1816, 1944)``).
    """
    changes = {}
    for name, value in sections.items():
        current = getattr(spec, name)
        if isinstance(value, dict):
            if current is None:
                raise ValueError(f"spec section {name!r} is None; cannot change {sorted(value)}")
            changes[name] = replace(current, **value)
        else:
            changes[name] = value
    return spec.replace(**changes)
