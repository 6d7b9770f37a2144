"""Reporting a multiverse: the tidy table, the summary, its Markdown and the files written."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from foedus.replication.multiverse.grid import TABLE_COLUMNS, Multiverse, Specification

Z95 = float(stats.norm.ppf(0.975))


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


__all__ = ["MultiverseResult", "results_table", "ok_rows", "summarise", "summary_markdown",
           "write_outputs"]
