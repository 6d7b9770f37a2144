"""The specification-curve figure (Simonsohn, Simmons & Nelson 2020).

Top: the estimates of every specification that fitted, sorted, with 95% intervals; blue when
significant with the published sign, red when significant with the opposite sign, open otherwise.
Bottom: which level of each choice a specification uses (one row per level, choices separated by
rules). Estimates are average marginal effects when the table has them (a common scale across
logit, probit and linear models), coefficients otherwise.

So that a few specifications do not flatten the others into a line, the vertical axis
(:func:`_axis`) shows every estimate but cuts the widest intervals: it spans the estimates and
the central 90% of the interval ends (5th percentile of the lower ends to the 95th of the upper
ends); an interval reaching beyond is drawn to the edge and marked with an arrowhead, and the
figure says how many were cut. When the estimates themselves spread over more than
:data:`SYMLOG_SPREAD` typical interval half-widths (the median), the axis is linear within one
half-width of zero and logarithmic beyond (matplotlib's ``symlog``), and its label says so. The
title is wrapped to the figure's width. Drawn with the Agg canvas under
matplotlib's default style and saved without "Software" metadata, so the same table gives a
byte-identical PNG.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

DPI = 150
PUBLISHED = "#1b4f72"
OTHER = "#b9770e"
OPPOSITE = "#922b21"
GREY = "#7f7f7f"
#: Estimates spread over more than this many median interval half-widths: a symlog axis.
SYMLOG_SPREAD = 10.0
#: Share of interval ends the axis always shows (the rest are cut at the edge, marked).
INTERVAL_SHARE = 0.90


def _style() -> dict:
    rc = {k: v for k, v in matplotlib.rcParamsDefault.items() if not k.startswith("backend")}
    rc.update({"font.size": 7, "axes.titlesize": 8, "savefig.dpi": DPI, "path.simplify": True})
    return rc


def _axis(est: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[float, float, float | None]:
    """(bottom, top, symlog threshold or None) of the estimates' axis (see the module notes)."""
    tail = (1 - INTERVAL_SHARE) / 2
    bottom = min(float(np.min(est)), float(np.quantile(lo, tail)))
    top = max(float(np.max(est)), float(np.quantile(hi, 1 - tail)))
    half = float(np.median((hi - lo) / 2))
    spread = float(np.max(est) - np.min(est))
    threshold = half if half > 0 and spread > SYMLOG_SPREAD * half else None
    if threshold is None:
        pad = 0.05 * (top - bottom) or 0.05 * max(abs(top), 1e-12)
        return bottom - pad, top + pad, None
    # symlog (linscale 1): pad by 5% of the transformed range on each side
    def forward(v: float) -> float:
        a = abs(v) / threshold
        return float(np.sign(v) * (a if a <= 1 else 1 + np.log10(a)))

    def inverse(u: float) -> float:
        a = abs(u)
        return float(np.sign(u) * threshold * (a if a <= 1 else 10 ** (a - 1)))

    a, b = forward(bottom), forward(top)
    pad = 0.05 * (b - a)
    return inverse(a - pad), inverse(b + pad), threshold


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
        width = min(14.0, max(6.5, 4.0 + 0.03 * len(sub)))
        top_height = 2.8
        fig = Figure(figsize=(width, 0.9 + top_height + 0.13 * n_rows), layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True,
                                   gridspec_kw={"height_ratios": [top_height, max(1.0, 0.13 * n_rows)]})
        marker = float(np.clip(900.0 / max(len(sub), 1), 6.0, 24.0))
        cut = 0
        if len(sub):
            y0, y1, threshold = _axis(est, lo, hi)
            if threshold is not None:
                top.set_yscale("symlog", linthresh=threshold, linscale=1.0)
                top.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.2g}"))
                ylabel += " (symlog axis)"
            top.set_ylim(y0, y1)
            top.vlines(x, np.maximum(lo, y0), np.minimum(hi, y1), color=colour, linewidth=0.6,
                       alpha=0.6)
            for beyond, edge, shape in ((lo < y0, y0, "v"), (hi > y1, y1, "^")):
                top.scatter(x[beyond], np.full(beyond.sum(), edge), s=marker, marker=shape,
                            color=colour[beyond], linewidths=0, zorder=3, clip_on=False)
            cut = int(((lo < y0) | (hi > y1)).sum())
            top.scatter(x[published], est[published], s=marker, color=PUBLISHED, zorder=3,
                        label=f"published sign, p < {mv.alpha:g}")
            top.scatter(x[opposite], est[opposite], s=marker, color=OPPOSITE, zorder=3,
                        label=f"opposite sign, p < {mv.alpha:g}")
            top.scatter(x[plain], est[plain], s=marker, facecolors="white", edgecolors=OTHER,
                        linewidths=0.6, zorder=3, label="not significant")
            top.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, frameon=False,
                       borderaxespad=0.2)
        top.axhline(0, color=GREY, linewidth=0.6)
        top.set_ylabel(ylabel)
        failed = len(table) - len(ok)
        title = textwrap.fill(mv.title, width=int(width * 13))
        fig.suptitle(f"{title}\n{len(ok)} specifications"
                     + (f" ({failed} failed, not shown)" if failed else "")
                     + (f"; {cut} wide interval{'s' if cut > 1 else ''} cut at the axis (arrowheads)"
                        if cut else ""), fontsize=8)
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
                bottom.scatter(x[hit], np.full(hit.sum(), y), s=marker / 2, marker="s", linewidths=0,
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
