"""The deterrence debate side by side: the key estimates of Kenwick & Vasquez (2017), Leeds &
Johnson (2017) and Morrow (2017), on the same panels and with the same standard errors.

All three studies run on the Johnson & Leeds (2011) panel design (MID 3.10 and MID 5.0, ATOP
5.1) and report standard errors clustered by directed dyad; this module reads their written
tables (``results/<study>/table.csv``, from ``foedus replicate``) and draws one figure: each
key estimate with its 95% interval (clustered), one panel per paper, one colour per data version.
Logit (K&V, Morrow) and probit (L&J) coefficients are on their own scales; Morrow's odds ratios
are exp of the plotted logit coefficients.

Run: ``python -m foedus.replication.debate [results_dir]`` (``make debate``) writes
``results/deterrence_debate/estimates.csv`` and ``figure.png``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from foedus.replication.figures import COLORS, _save, _style

COVARIANCE = "cluster"
#: (study, model, variable, label): the estimate each paper's argument turns on.
KEY_ESTIMATES = (
    ("kenwick_vasquez_2017", "m1", "nfbdef", "M1: pacts not from birth"),
    ("kenwick_vasquez_2017", "m1", "fbdef", "M1: pacts from birth"),
    ("kenwick_vasquez_2017", "m4", "def_form_5yr", "M4: formed within 5 obs."),
    ("kenwick_vasquez_2017", "m4", "def_form_6to15", "M4: formed 6-15 obs. ago"),
    ("kenwick_vasquez_2017", "m4", "def_form_16plus", "M4: older, not from birth"),
    ("kenwick_vasquez_2017", "calendar", "def_form_5yr", "Calendar: newest pact 0-4 yrs"),
    ("leeds_johnson_2017", "a1", "ptargdef", "A1: J&L probit"),
    ("leeds_johnson_2017", "a3_full", "ptargdef", "A3: CEM, authors' cuts"),
    ("leeds_johnson_2017", "a4_full", "ptargdef", "A4: CEM, default bins"),
    ("leeds_johnson_2017", "a5_full", "ptargdef", "A5: CEM, #20/#10 bins"),
    ("leeds_johnson_2017", "a6_full", "ptargdef", "A6: CEM, #40/#20 bins"),
    ("leeds_johnson_2017", "a7", "ptargdef", "A7: more controls"),
    ("morrow_2017", "ally0_all", "ptargdef", "no challenger ally, all"),
    ("morrow_2017", "ally1_all", "ptargdef", "challenger ally, all"),
    ("morrow_2017", "ally0_pre1946", "ptargdef", "no challenger ally, <=1945"),
    ("morrow_2017", "ally1_pre1946", "ptargdef", "challenger ally, <=1945"),
    ("morrow_2017", "ally0_post1945", "ptargdef", "no challenger ally, >1945"),
    ("morrow_2017", "ally1_post1945", "ptargdef", "challenger ally, >1945"),
    ("morrow_2017", "ally0_all_controls", "ptargdef", "no challenger ally, all, controls"),
    ("morrow_2017", "ally1_all_controls", "ptargdef", "challenger ally, all, controls"),
)
PAPERS = {"kenwick_vasquez_2017": "Kenwick & Vasquez (2017), logit",
          "leeds_johnson_2017": "Leeds & Johnson (2017), probit",
          "morrow_2017": "Morrow (2017), CEM-weighted logit"}


def key_estimates(results_dir: str | Path = "results") -> pd.DataFrame:
    """The key estimates from the three studies' ``table.csv`` (clustered standard errors).

    A study, model or variable that is absent (not run, not estimable) is left out and named in
    the ``missing`` attribute of the returned frame.
    """
    rows, missing = [], []
    keys = pd.DataFrame(KEY_ESTIMATES, columns=["study", "model", "variable", "label"])
    for study, group in keys.groupby("study", sort=False):
        path = Path(results_dir) / study / "table.csv"
        if not path.exists():
            missing.append(f"{study} (no {path})")
            continue
        table = pd.read_csv(path)
        table = table[table["covariance"] == COVARIANCE]
        merged = group.merge(table, on=["study", "model", "variable"], how="left")
        for _, r in merged[merged["estimate"].isna()].drop_duplicates(["model", "variable"]).iterrows():
            missing.append(f"{study} {r['model']} {r['variable']}")
        rows.append(merged.dropna(subset=["estimate"]))
    out = pd.concat(rows, ignore_index=True) if rows else keys.iloc[:0]
    cols = ["study", "model", "variable", "label", "data", "data_label", "estimator", "estimate",
            "se", "ci_low", "ci_high", "p", "nobs", "events"]
    out = out[[c for c in cols if c in out.columns]].copy()
    if "estimator" in out.columns:
        logit = out["estimator"] == "logit"
        out["odds_ratio"] = np.where(logit, np.exp(out["estimate"]), np.nan)
    out.attrs["missing"] = missing
    return out


def debate_figure(estimates: pd.DataFrame, path: str | Path) -> Path:
    """One panel per paper: estimate and 95% interval (clustered), coloured by data version."""
    import matplotlib

    path = Path(path)
    with matplotlib.rc_context(_style()):
        studies = [s for s in PAPERS if s in set(estimates["study"])]
        heights = [max(2, estimates.loc[estimates.study == s, "label"].nunique()) for s in studies]
        fig = Figure(figsize=(7.5, 0.32 * sum(heights) + 1.2 * len(studies)))
        axes = fig.subplots(len(studies), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)
        versions = list(dict.fromkeys(estimates["data_label"]))
        for ax, study in zip(axes[:, 0], studies):
            e = estimates[estimates.study == study]
            labels = list(dict.fromkeys(e["label"]))
            for k, version in enumerate(versions):
                v = e[e.data_label == version].set_index("label").reindex(labels)
                y = np.arange(len(labels)) + (k - (len(versions) - 1) / 2) * 0.25
                ax.errorbar(v["estimate"], y, xerr=[v["estimate"] - v["ci_low"], v["ci_high"] - v["estimate"]],
                            fmt="o", ms=3, lw=1, color=COLORS[k % len(COLORS)], label=version)
            ax.axvline(0, color="0.5", lw=0.8, ls="--")
            ax.set_yticks(np.arange(len(labels)), labels)
            ax.invert_yaxis()
            ax.set_title(PAPERS[study], loc="left")
        axes[0, 0].legend(loc="lower right", fontsize=7, frameon=False)
        axes[-1, 0].set_xlabel("coefficient, 95% interval (standard errors clustered by directed dyad)")
        fig.tight_layout()
        return _save(fig, path)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    results = Path(argv[0] if argv else "results")
    out = results / "deterrence_debate"
    out.mkdir(parents=True, exist_ok=True)
    import logging

    from foedus._cli_log import cli_logging

    # not __name__: run as `python -m`, that is "__main__", outside the foedus logger
    log = logging.getLogger("foedus.replication.debate")
    with cli_logging(prog="foedus.replication.debate"):
        est = key_estimates(results)
        if est.empty:
            log.error("no study results found: run foedus replicate for kenwick_vasquez_2017, "
                      "leeds_johnson_2017 and morrow_2017 first")
            return 1
        est.to_csv(out / "estimates.csv", index=False, float_format="%.12g")
        debate_figure(est, out / "figure.png")
        for m in est.attrs.get("missing", []):
            log.warning(f"missing: {m}")
        log.info(f"wrote {out / 'estimates.csv'} and {out / 'figure.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
