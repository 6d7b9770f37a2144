"""The specification-curve figure (Simonsohn, Simmons & Nelson 2020).

Top: the estimates of every specification that fitted, sorted, with 95% intervals; blue when
significant with the published sign, red when significant with the opposite sign, open otherwise. Bottom: which level of each choice a
specification uses (one row per level, choices separated by rules). Estimates are average
marginal effects when the table has them (a common scale across logit, probit and linear
models), coefficients otherwise. Drawn with the Agg canvas under matplotlib's default style and
saved without "Software" metadata, so the same table gives a byte-identical PNG.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 150
PUBLISHED = "#1b4f72"
OTHER = "#b9770e"
OPPOSITE = "#922b21"
GREY = "#7f7f7f"


def _style() -> dict:
    rc = {k: v for k, v in matplotlib.rcParamsDefault.items() if not k.startswith("backend")}
    rc.update({"font.size": 7, "axes.titlesize": 8, "savefig.dpi": DPI, "path.simplify": True})
    return rc


def specification_curve(multiverse, table: pd.DataFrame, path: Path, scale: str = "ame") -> Path:
    """Draw the curve of ``table`` (from :func:`~foedus.replication.multiverse.results_table`)."""
    from foedus.replication.multiverse import ok_rows

    mv = multiverse
    ok = ok_rows(table)
    if scale == "ame" and ok["ame"].notna().all() and len(ok):
        est, lo, hi = ok["ame"], ok["ame_lo"], ok["ame_hi"]
        ylabel = f"AME of {mv.variable} on Pr(y = 1)"
    else:
        est, lo, hi = ok["estimate"], ok["ci_lo"], ok["ci_hi"]
        ylabel = f"coefficient of {mv.variable}"
    # sort by estimate, ties by the grid order (stable): deterministic
    order = np.argsort(est.to_numpy(), kind="stable")
    est, lo, hi = (s.to_numpy()[order] for s in (est, lo, hi))
    sub = ok.iloc[order]
    sign = 1 if mv.expected == "positive" else -1
    significant = sub["p"].to_numpy() < mv.alpha
    published = (np.sign(sub["estimate"].to_numpy()) == sign) & significant
    opposite = (np.sign(sub["estimate"].to_numpy()) == -sign) & significant
    colour = np.where(published, PUBLISHED, np.where(opposite, OPPOSITE, OTHER))
    plain = ~published & ~opposite
    x = np.arange(len(sub))
    levels = [(c, lv.label) for c in mv.choices for lv in c.levels if len(c.levels) > 1]
    n_rows = len(levels)
    with matplotlib.rc_context(_style()):
        width = min(14.0, 4.0 + 0.03 * len(sub))
        fig = Figure(figsize=(width, 2.6 + 0.13 * n_rows), layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True,
                                   gridspec_kw={"height_ratios": [2.4, max(1.0, 0.13 * n_rows)]})
        if len(sub):
            top.vlines(x, lo, hi, color=colour, linewidth=0.6, alpha=0.6)
            top.scatter(x[published], est[published], s=6, color=PUBLISHED, zorder=3,
                        label=f"published sign, p < {mv.alpha:g}")
            top.scatter(x[opposite], est[opposite], s=6, color=OPPOSITE, zorder=3,
                        label=f"opposite sign, p < {mv.alpha:g}")
            top.scatter(x[plain], est[plain], s=6, facecolors="white", edgecolors=OTHER,
                        linewidths=0.6, zorder=3, label="not significant")
            top.legend(loc="upper left", frameon=False)
        top.axhline(0, color=GREY, linewidth=0.6)
        top.set_ylabel(ylabel)
        failed = len(table) - len(ok)
        top.set_title(f"{mv.title}\n{len(ok)} specifications"
                      + (f" ({failed} failed, not shown)" if failed else ""))
        ys = {}
        for i, (c, label) in enumerate(levels):
            ys[(c.name, label)] = n_rows - 1 - i
        for c in mv.choices:
            if len(c.levels) < 2:
                continue
            col = sub[c.name].to_numpy()
            for lv in c.levels:
                hit = col == lv.label
                y = ys[(c.name, lv.label)]
                bottom.scatter(x[hit], np.full(hit.sum(), y), s=3, marker="s", linewidths=0,
                               color=colour[hit])
        edges = np.cumsum([len(c.levels) for c in mv.choices if len(c.levels) > 1])[:-1]
        for e in edges:
            bottom.axhline(n_rows - e - 0.5, color=GREY, linewidth=0.4)
        bottom.set_yticks([ys[k] for k in ys], [f"{c.name}: {label}" for c, label in levels])
        bottom.set_ylim(-0.5, n_rows - 0.5)
        bottom.set_xlabel("specification (sorted by estimate)")
        bottom.tick_params(axis="y", length=0)
        FigureCanvasAgg(fig)
        fig.savefig(path, dpi=DPI, format="png", metadata={"Software": None})
    return Path(path)
