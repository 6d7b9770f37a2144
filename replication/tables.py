"""Regression tables of a study run: Markdown, LaTeX and a tidy CSV.

The tables are built once as :class:`Block` objects (title, header, rows, notes) and rendered
to Markdown and LaTeX from the same blocks, so the two never disagree. The CSV is the tidy
long form (one row per data version, model, covariance and coefficient) with unrounded
estimates (12 significant digits), for readers who want to compute with the numbers.

This module is longer than ~500 lines on purpose: the blocks and both renderers stay in one
place so that the Markdown and LaTeX tables cannot drift apart (the verdicts live in
:mod:`~foedus.replication.verdict`).

Sections
--------
1. Claims and verdicts: the main model, its first covariance, every claimed variable, per data
   version; published values and the ratio when the user supplies them.
2. The main model, every coefficient, with N, events, rows removed and log-likelihood.
3. Estimators and standard errors: the main model under every estimator, each standard error
   side by side, with the verdict under each.
4. Robustness checks and alternatives: each model's claimed variables, per data version.
5. The simulated substantive effect.
Notes: the verdict rule, covariances, data versions, every model's source, rows removed, panel
specifications (``spec.describe()``), and the study's own notes (reconstructed choices).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from foedus.replication.effects import probability_label
from foedus.replication.published import lookup
from foedus.replication.run import FAMILY, NO_EVENTS, Fit, StudyResult, covariance, estimator_label
from foedus.replication.verdict import (ALPHA, NOT_ESTIMABLE, NOT_REPRODUCED, REPRODUCED, RULE,
                                         judge)

MISSING = "—"
#: The cell of a model that could not be fitted (its reason is in the notes, "Not estimable").


@dataclass
class Block:
    title: str
    header: list
    rows: list
    notes: list = field(default_factory=list)
    align: str = ""  # "l"/"r"/"p" (wrapped text) per column; default: first left, others right


# ---------------------------------------------------------------- number formatting


#: Most decimals a cell shows (small coefficients such as the cube of peace years).
MAX_DECIMALS = 7
MINUS = "\u2212"  # a true minus sign, not a hyphen


def num(x: float, digits: int = 3) -> str:
    """Fixed decimals with a true minus sign: ``digits`` decimals, more for small non-zero values
    so that two significant digits show (at most :data:`MAX_DECIMALS`), never scientific."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return MISSING
    decimals = digits
    if x != 0 and abs(x) < 10 ** -(digits - 1):
        decimals = min(MAX_DECIMALS, max(digits, 1 - math.floor(math.log10(abs(x)))))
    text = f"{x:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")  # no "-0.000"
    return text.replace("-", MINUS)


def pval(p: float) -> str:
    if not math.isfinite(p):
        return MISSING
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def est_se(fit: Fit, var: str, cov: str, star: bool = True) -> str:
    if not fit.estimable:
        return NOT_ESTIMABLE
    if var not in fit.params.index:
        return MISSING
    b = float(fit.params[var])
    se = float(fit.bse(cov)[var])
    p = float(fit.pvalues(cov)[var])
    mark = "*" if (star and p < ALPHA) else ""
    return f"{num(b)}{mark} ({num(se)})"


# ---------------------------------------------------------------- tidy CSV


def tidy(result: StudyResult, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (data version, model, covariance, coefficient)."""
    study = result.study
    claims = {c.variable: c for c in study.claims}
    data_labels = {d.name: d.label for d in study.data}
    rows = []
    for fit in result.fits:
        m = fit.model
        if not fit.estimable:
            for var in [c.variable for c in study.claims if c.variable in m.variables()] or [""]:
                rows.append({"study": study.name, "data": fit.data, "data_label": data_labels[fit.data],
                             "model": m.name, "model_label": m.label, "group": m.group,
                             "estimator": m.estimator, "covariance": m.cov_types[0], "variable": var,
                             "claim": claims[var].effect if var in claims else "",
                             "verdict": NOT_ESTIMABLE, "nobs": fit.nobs, "rows_panel": fit.n_panel,
                             "rows_removed_subset": fit.n_subset,
                             "rows_removed_listwise": fit.n_listwise, "converged": False,
                             "not_estimable": fit.error})
            continue
        for cov in m.cov_types:
            bse, pv = fit.bse(cov), fit.pvalues(cov)
            for var in fit.params.index:
                b, se, p = float(fit.params[var]), float(bse[var]), float(pv[var])
                claim = claims.get(var)
                pub = lookup(published, fit.data, m.name, var)
                rows.append({
                    "study": study.name, "data": fit.data, "data_label": data_labels[fit.data],
                    "model": m.name, "model_label": m.label, "group": m.group,
                    "estimator": m.estimator, "covariance": cov, "variable": var,
                    "estimate": b, "se": se, "z": b / se, "p": p,
                    "ci_low": b - 1.959963984540054 * se, "ci_high": b + 1.959963984540054 * se,
                    "claim": claim.effect if claim else "",
                    "verdict": judge(claim, b, p) if claim else "",
                    "published_estimate": pub[0] if pub else float("nan"),
                    "published_se": pub[1] if pub else float("nan"),
                    "ratio": b / pub[0] if pub and pub[0] != 0 else float("nan"),
                    "nobs": fit.nobs, "events": fit.events, "rows_panel": fit.n_panel,
                    "rows_removed_subset": fit.n_subset, "rows_removed_listwise": fit.n_listwise,
                    "llf": fit.llf, "converged": fit.converged, "not_estimable": "",
                })
    return pd.DataFrame(rows, columns=TIDY_COLUMNS)


#: Columns of the tidy CSV, in order (rows of models that are not estimable leave numbers empty).
TIDY_COLUMNS = ["study", "data", "data_label", "model", "model_label", "group", "estimator",
                "covariance", "variable", "estimate", "se", "z", "p", "ci_low", "ci_high", "claim",
                "verdict", "published_estimate", "published_se", "ratio", "nobs", "events",
                "rows_panel", "rows_removed_subset", "rows_removed_listwise", "llf", "converged",
                "not_estimable"]


def write_csv(frame: pd.DataFrame, path) -> None:
    frame.to_csv(path, index=False, float_format="%.12g", lineterminator="\n")


# ---------------------------------------------------------------- blocks


def _claims_block(result: StudyResult, published) -> Block:
    study, main = result.study, result.study.main
    cov = main.cov_types[0]
    header = ["Variable", "Published claim", "Source"]
    for d in study.data:
        header += [f"{d.label}: estimate (SE)", "p", "verdict"]
        if published is not None:
            header += ["published (SE)", "ratio"]
    rows = []
    for c in study.claims:
        row = [c.variable, f"{c.expected}: {c.text}", c.source]
        for d in study.data:
            fit = result.fit(d.name, main.name)
            if not fit.estimable:
                row += [NOT_ESTIMABLE, MISSING, NOT_ESTIMABLE]
            elif c.variable in fit.params.index:
                b, p = float(fit.params[c.variable]), float(fit.pvalues(cov)[c.variable])
                row += [est_se(fit, c.variable, cov, star=False), pval(p), judge(c, b, p)]
            else:
                row += [MISSING, MISSING, MISSING]
            if published is not None:
                pub = lookup(published, d.name, main.name, c.variable)
                if pub and c.variable in fit.params.index:
                    se_txt = f" ({num(pub[1])})" if math.isfinite(pub[1]) else ""
                    ratio = float(fit.params[c.variable]) / pub[0] if pub[0] else float("nan")
                    row += [f"{num(pub[0])}{se_txt}", num(ratio, 2)]
                else:
                    row += [MISSING, MISSING]
        rows.append(row)
    notes = [f"Model: {main.label} ({estimator_label(main.estimator).lower()}, "
             f"{covariance(cov)[2]} standard errors). {RULE}"]
    return Block("Published claims and verdicts", header, rows, notes, "lpl" + "r" * (len(header) - 3))


def _coef_block(result: StudyResult, model_name: str, title: str, published=None) -> Block:
    study = result.study
    model = study.model(model_name)
    cov = model.cov_types[0]
    fits = [result.fit(d.name, model_name) for d in study.data]
    variables = list(dict.fromkeys(v for f in fits for v in f.params.index)) or \
        [c.variable for c in study.claims if c.variable in model.variables()]
    header = ["Variable"] + [d.label for d in study.data]
    pub_cols = published is not None and any(
        lookup(published, d.name, model_name, v) for d in study.data for v in variables)
    if pub_cols:
        header.append("Published")
    rows = []
    for v in variables:
        row = [v] + [est_se(f, v, cov) for f in fits]
        if pub_cols:
            pub = lookup(published, study.data[0].name, model_name, v)
            row.append(MISSING if pub is None else
                       num(pub[0]) + (f" ({num(pub[1])})" if math.isfinite(pub[1]) else ""))
        rows.append(row)
    extra = [""] if pub_cols else []
    rows.append(["N"] + [f"{f.nobs:,}" for f in fits] + extra)
    if model.estimator not in NO_EVENTS:
        rows.append([f"Events ({model.response} = 1)"] + [f"{f.events:,}" for f in fits] + extra)
    rows.append(["Rows removed by listwise deletion"] + [f"{f.n_listwise:,}" for f in fits] + extra)
    if any(f.n_subset for f in fits):
        rows.append(["Rows removed by the model's subset"] + [f"{f.n_subset:,}" for f in fits] + extra)
    if any(math.isfinite(f.llf) for f in fits):
        rows.append(["Log-likelihood"] + [f"{f.llf:.2f}".replace("-", MINUS) if math.isfinite(f.llf) else MISSING
                                          for f in fits] + extra)
    notes = [f"{estimator_label(model.estimator)} coefficients with {covariance(cov)[2]} standard errors "
             f"in parentheses; * p < {ALPHA} (two-sided). Formula: `{model.formula}`."]
    return Block(title, header, rows, notes)


def _estimators_block(result: StudyResult, data) -> Block:
    study = result.study
    models = [m for m in study.models if m.group in ("main", "estimators")
              and m.formula == study.main.formula and m.subset == study.main.subset]
    covs = list(dict.fromkeys(c for m in models for c in m.cov_types))
    header = ["Variable", "Estimator", "Estimate"] + [f"SE {covariance(c)[2]}" for c in covs] \
        + [f"verdict ({covariance(c)[2]})" for c in covs]
    rows = []
    for c in study.claims:
        for m in models:
            fit = result.fit(data.name, m.name)
            if not fit.estimable:
                rows.append([c.variable, estimator_label(m.estimator), NOT_ESTIMABLE]
                            + [MISSING] * (2 * len(covs)))
                continue
            if c.variable not in fit.params.index:
                continue
            b = float(fit.params[c.variable])
            row = [c.variable, estimator_label(m.estimator), num(b)]
            ses, verdicts = [], []
            for cov in covs:
                if cov in m.cov_types:
                    ses.append(num(float(fit.bse(cov)[c.variable])))
                    verdicts.append(judge(c, b, float(fit.pvalues(cov)[c.variable])))
                else:
                    ses.append(MISSING)
                    verdicts.append(MISSING)
            rows.append(row + ses + verdicts)
    notes = ["Same formula and sample as the main model; the estimate does not depend on the "
             "covariance, the standard error and the verdict do. Rare-events logit: King & Zeng "
             "(2001) bias-corrected; Firth: penalised likelihood (Firth 1993). Coefficients of "
             "probit and logit models are on different scales (logit ~ 1.6-1.8 x probit)."]
    return Block(f"Estimators and standard errors — {data.label}", header, rows, notes, "ll" + "r" * (len(header) - 2))


def _robustness_block(result: StudyResult, data) -> Block | None:
    study = result.study
    models = [m for m in study.models if m.group in ("main", "robustness", "alternatives")]
    if len(models) <= 1:
        return None
    claimed = [c for c in study.claims]
    header = ["Model", "Group"]
    for c in claimed:
        header += [f"{c.variable} (SE)", "verdict"]
    header += ["N", "events", "removed (subset)", "removed (listwise)"]
    rows = []
    for m in models:
        fit = result.fit(data.name, m.name)
        cov = m.cov_types[0]
        row = [m.label, m.group]
        for c in claimed:
            if not fit.estimable:
                row += [NOT_ESTIMABLE, MISSING]
            elif c.variable in fit.params.index:
                b, p = float(fit.params[c.variable]), float(fit.pvalues(cov)[c.variable])
                row += [est_se(fit, c.variable, cov, star=False), judge(c, b, p)]
            else:
                row += [MISSING, MISSING]
        row += [f"{fit.nobs:,}", f"{fit.events:,}", f"{fit.n_subset:,}", f"{fit.n_listwise:,}"]
        rows.append(row)
    covs = sorted({covariance(m.cov_types[0])[2] for m in models})
    notes = [f"Standard errors: {', '.join(covs)}. Estimators: "
             + ", ".join(sorted({estimator_label(m.estimator) for m in models})) + ". "
             "Each model's source and coding are listed in the notes."]
    return Block(f"Robustness checks and alternatives — {data.label}", header, rows, notes,
                 "pl" + "r" * (len(header) - 2))


def _effect_block(result: StudyResult) -> Block | None:
    study = result.study
    eff = study.effect
    if eff is None or not result.effects:
        return None
    lo, hi = eff.interval
    v0, v1 = eff.values[0], eff.values[1]
    pr = probability_label(study.model(eff.model))
    header = ["Data", f"{pr} at {eff.variable} = {v0}", f"{pr} at {eff.variable} = {v1}",
              "% change", f"{lo:g}-{hi:g} percentile interval of % change", "first difference [interval]"]
    rows = []
    for d in study.data:
        r = result.effects.get(d.name)
        if r is None:
            continue
        s = r.summary()
        rows.append([
            d.label,
            f"{s[v0]['point']:.6f} [{s[v0]['lo']:.6f}, {s[v0]['hi']:.6f}]",
            f"{s[v1]['point']:.6f} [{s[v1]['lo']:.6f}, {s[v1]['hi']:.6f}]",
            f"{s['change']['point']:.1f}",
            f"[{s['change']['lo']:.1f}, {s['change']['hi']:.1f}]",
            f"{s['difference']['point']:.6f} [{s['difference']['lo']:.6f}, {s['difference']['hi']:.6f}]",
        ])
    model = study.model(eff.model)
    where = f"the estimation-sample rows with {eff.means_where}" if eff.means_where else "the estimation sample"
    notes = [f"Predicted probabilities from {model.label} ({estimator_label(model.estimator).lower()}) "
             f"with the other regressors at their {eff.center}s over {where}; brackets: {lo:g}-{hi:g} "
             f"percentiles of {eff.draws:,} draws of the coefficients from N(b, V) "
             f"({covariance(eff.cov_type)[2]} V, seed {eff.seed}). {eff.note}".strip()]
    return Block(f"Substantive effect of {eff.variable}", header, rows, notes)


def _summary_blocks(result: StudyResult) -> list[Block]:
    """Each summary table per data version, then its claims with their verdicts."""
    out = []
    for s in result.study.summaries:
        for d in result.study.data:
            table = result.summary(d.name, s.name)
            header = [table.index.name or ""] + [str(c) for c in table.columns]
            # row tuples keep each column's dtype (to_numpy() would turn a 0 count into 0.0)
            rows = [[str(i)] + [_cell(v) for v in r] for i, r in zip(table.index, table.itertuples(index=False))]
            title = s.title if len(result.study.data) == 1 else f"{s.title} — {d.label}"
            out.append(Block(title, header, rows, [s.note] if s.note else []))
            if s.claims:
                claim_rows = []
                for c in s.claims:
                    ok, evidence = c.check(table)
                    claim_rows.append([c.text, c.source, evidence, REPRODUCED if ok else NOT_REPRODUCED])
                notes = [f"Rule of each claim: {c.rule}" for c in s.claims if c.rule]
                out.append(Block(f"Claims about '{s.title}'" + (
                    "" if len(result.study.data) == 1 else f" — {d.label}"),
                    ["Published claim", "Source", "Evidence", "verdict"], claim_rows, notes, "pppl"))
    return out


def _cell(value) -> str:
    """A summary cell: counts with thousands separators, shares with three decimals."""
    if isinstance(value, (bool,)) or value is None:
        return str(value)
    if isinstance(value, (int,)) or (isinstance(value, float) and math.isfinite(value)
                                     and float(value).is_integer() and abs(value) >= 1):
        return f"{int(value):,}"
    if isinstance(value, float):
        return num(value) if math.isfinite(value) else MISSING
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    return _cell(int(f) if f.is_integer() else f)


def blocks(result: StudyResult, published=None) -> list[Block]:
    study = result.study
    out = []
    if study.main is not None:
        out += [_claims_block(result, published),
                _coef_block(result, study.main.name, f"{study.main.label}: all coefficients", published)]
    out += _summary_blocks(result)
    for d in study.data if study.main is not None else ():
        out.append(_estimators_block(result, d))
    for d in study.data:
        b = _robustness_block(result, d)
        if b is not None:
            out.append(b)
    e = _effect_block(result)
    if e is not None:
        out.append(e)
    return out


# ---------------------------------------------------------------- notes


def _spec_lines(result: StudyResult) -> list[str]:
    """Full description of each data version's first panel; the other panels as differences."""
    lines = []
    for d in result.study.data:
        recs = [p for p in result.panels if p.data == d.name]
        if not recs:
            continue
        base = recs[0]
        lines.append(f"Panel '{base.variant}' for {d.label} ({base.rows:,} rows):")
        lines += [f"    {x}" for x in base.spec.describe().splitlines()]
        base_flat = _flatten(base.spec.to_dict())
        for p in recs[1:]:
            diff = {k: v for k, v in _flatten(p.spec.to_dict()).items() if base_flat.get(k) != v}
            text = "; ".join(f"{k} = {v}" for k, v in diff.items()) or "no differences"
            lines.append(f"Panel '{p.variant}' for {d.label} ({p.rows:,} rows, spec hash "
                         f"{p.spec.digest()}): as '{base.variant}' except {text}.")
    return lines


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _covariance_lines(result: StudyResult) -> list[str]:
    """The estimators' notes: all of them for the main model, problems (PSD clipping) for the rest."""
    lines = []
    main = result.study.main.name if result.study.main is not None else None
    for f in result.fits:
        label = next(d.label for d in result.study.data if d.name == f.data)
        for cov, msgs in sorted(f.cov_notes.items()):
            for msg in msgs:
                if f.model.name == main or "semi-definite" in msg:
                    lines.append(f"{label}, {f.model.name}, {covariance(cov)[2]}: {msg}.")
    return lines


def _removal_lines(result: StudyResult) -> list[str]:
    """Rows removed per fit; fits of one data version with the same removals share a line."""
    grouped: dict[tuple, list[str]] = {}
    for f in result.fits:
        parts = []
        if f.n_subset:
            parts.append(f"{f.n_subset:,} by the subset `{f.model.subset}`")
        if f.n_listwise:
            cols = ", ".join(f"{c}: {n:,}" for c, n in sorted(f.missing_by.items()))
            parts.append(f"{f.n_listwise:,} by listwise deletion (missing values: {cols})")
        for col, n in sorted(f.n_unmatched.items()):
            if n:
                parts.append(f"{n:,} rows had no value of the borrowed column {col}")
        text = (f"of {f.n_panel:,} panel rows, " + "; ".join(parts)) if parts else \
            f"none of {f.n_panel:,} panel rows"
        grouped.setdefault((f.data, text), []).append(f.model.name)
    labels = {d.name: d.label for d in result.study.data}
    return [f"{labels[data]} — {', '.join(models)}: {text}." for (data, text), models in grouped.items()]


def notes(result: StudyResult, published_file: str | None = None) -> list[tuple[str, list[str]]]:
    study = result.study
    sections = [("Verdicts", [RULE])]
    sections.append(("Standard errors", [
        "classical: inverse of the information matrix (observed Hessian for probit, as Stata); "
        "clustered by directed dyad: one-way cluster-robust on (ccode1, ccode2) with the G/(G-1) "
        "factor; dyadic-robust: Aronow, Samii & Assenova (2015), dependence allowed between any two "
        "dyad-years that share a state; robust (HC1): Huber-White with the n/(n-k) factor (Stata's "
        "`regress, robust`); clustered by a column: one-way cluster-robust on that column.",
        *_covariance_lines(result)]))
    used = {m.estimator for m in study.models}
    estimation = []
    if used & set(FAMILY):
        estimation.append(
            "Binary models: maximum likelihood by Newton's method (foedus.models); a fit on 200,000 "
            "rows or more starts from a fit on a weighted case-control subsample of its own rows "
            "(this changes the iterations, not the optimum). "
            "Separation: a single-variable check before each fit; the linear-programme check "
            "(Konis 2007) runs after any fit that shows separation symptoms.")
    if used - set(FAMILY):
        estimation.append("Other estimators (" + ", ".join(sorted(estimator_label(e) for e in used - set(FAMILY)))
                          + "): see the foedus models documentation for each likelihood or "
                          "criterion; least-squares p-values use the t distribution on the residual "
                          "degrees of freedom, all others the normal.")
    if estimation:
        sections.append(("Estimation", estimation))
    sections.append(("Data versions", [f"{d.label}: {d.note}" if d.note else d.label for d in study.data]))
    sections.append(("Models", [f"{m.name} ({m.label}; {estimator_label(m.estimator)}; panel '{m.panel}'"
                                + (f"; subset `{m.subset}`" if m.subset else "")
                                + "".join(f"; {c} = `{e}`" for c, e in m.assign)
                                + "".join(f"; {c} from panel '{v}'" for c, v, _ in m.borrow)
                                + "".join(f"; {k} = `{v}`" for k, v in m.options)
                                + "".join(f"; {c} computed on the sample: {getattr(d, 'label', '') or type(d).__name__}"
                                          for c, d in m.derive)
                                + f"): `{m.formula}`." + (f" {m.note}" if m.note else "")
                                for m in study.models]))
    removal = _removal_lines(result)
    sections.append(("Rows removed", removal))
    derived = [f"{next(d.label for d in study.data if d.name == f.data)} — {f.model.name}: {n}"
               for f in result.fits for n in f.derive_notes]
    if derived:
        sections.append(("Columns derived from the estimation sample", derived))
    failed = [f"{next(d.label for d in study.data if d.name == f.data)} — {f.model.name}: {f.error}"
              for f in result.fits if not f.estimable]
    if failed:
        sections.append(("Not estimable", [
            "These models could not be fitted on their sample; their cells read "
            f"'{NOT_ESTIMABLE}' and they have no verdict.", *failed]))
    if study.notes:
        sections.append(("Design choices", list(study.notes)))
    sections.append(("Panel specifications", _spec_lines(result)))
    if published_file:
        sections.append(("Published values", [
            f"Published coefficients supplied by the user in {published_file}; ratio = reproduced / "
            "published."]))
    return sections


# ---------------------------------------------------------------- rendering


def _md_cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(result: StudyResult, published=None, published_file: str | None = None) -> str:
    study = result.study
    out = [f"# Replication: {study.title}", "", study.citation, ""]
    out.append("Data versions: " + "; ".join(d.label for d in study.data) + ". "
               "Generated by `foedus replicate " + study.name + "`.")
    out.append("")
    for b in blocks(result, published):
        out += [f"## {b.title}", ""]
        align = b.align or ("l" + "r" * (len(b.header) - 1))
        out.append("| " + " | ".join(_md_cell(h) for h in b.header) + " |")
        out.append("|" + "|".join("---:" if a == "r" else ":---" for a in align) + "|")
        for r in b.rows:
            out.append("| " + " | ".join(_md_cell(c) for c in r) + " |")
        out.append("")
        for n in b.notes:
            out += [n, ""]
    out += ["## Notes", ""]
    for title, lines in notes(result, published_file):
        out += [f"### {title}", ""]
        out += [f"- {x}" if not x.startswith("    ") else f"  `{x.strip()}`" for x in lines]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
        "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
        "−": r"$-$", "—": "--", "<": r"$<$", ">": r"$>$", "`": ""}


def _tex_align(align: str) -> str:
    return "".join("p{4.2cm}" if a == "p" else a for a in align)


def tex_escape(text) -> str:
    return "".join(_TEX.get(ch, ch) for ch in str(text))


#: Blocks with more columns than this are set in landscape (``sidewaystable``).
LANDSCAPE_COLUMNS = 7

#: The preamble lines the tables need (written at the top of ``table.tex`` as a comment).
TEX_PACKAGES = ("booktabs", "adjustbox", "rotating")


def to_latex(result: StudyResult, published=None, published_file: str | None = None) -> str:
    """LaTeX tables: ``booktabs`` rules, wide tables in landscape, every table scaled down to the
    text width only when it would not fit (``adjustbox``), notes under each table."""
    study = result.study
    out = [f"% Replication: {tex_escape(study.title)} -- generated by foedus replicate {study.name}",
           "% Requires " + "".join(f"\\usepackage{{{p}}}" for p in TEX_PACKAGES), ""]
    for b in blocks(result, published):
        align = b.align or ("l" + "r" * (len(b.header) - 1))
        float_env = "sidewaystable" if len(b.header) > LANDSCAPE_COLUMNS else "table"
        out += [f"\\begin{{{float_env}}}[htbp]", "\\centering", "\\scriptsize",
                f"\\caption{{{tex_escape(b.title)}}}",
                "\\begin{adjustbox}{max width=\\linewidth}",
                f"\\begin{{tabular}}{{{_tex_align(align)}}}", "\\toprule",
                " & ".join(tex_escape(h) for h in b.header) + " \\\\", "\\midrule"]
        for r in b.rows:
            out.append(" & ".join(tex_escape(c) for c in r) + " \\\\")
        out += ["\\bottomrule", "\\end{tabular}", "\\end{adjustbox}"]
        for n in b.notes:
            out.append(f"\\par\\smallskip\\parbox{{\\linewidth}}{{\\footnotesize {tex_escape(n)}}}")
        out += [f"\\end{{{float_env}}}", ""]
    out += ["\\section*{Notes}", "\\begin{sloppypar}"]  # long spec identifiers may break lines
    for title, lines in notes(result, published_file):
        out += [f"\\paragraph{{{tex_escape(title)}}}", "\\begin{itemize}\\footnotesize"]
        out += [f"\\item {tex_escape(x.strip())}" for x in lines]
        out += ["\\end{itemize}"]
    out += ["\\end{sloppypar}"]
    return "\n".join(out) + "\n"
