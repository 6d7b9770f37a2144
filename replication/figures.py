"""Figures of a study run: a coefficient plot and the simulated predicted probabilities.

Figures are drawn on :class:`matplotlib.figure.Figure` with the Agg canvas (no pyplot, no global
backend change), under matplotlib's default style whatever the user's ``matplotlibrc`` says, and
saved without the "Software" metadata: the same numbers give byte-identical PNG files. Each
figure is also written as PDF (vector, for papers), likewise without dates. Both are saved with a
tight bounding box, so that no label, legend or title is cut at the figure's edge.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from foedus.replication.effects import probability_label
from foedus.replication.run import StudyResult, covariance, estimator_label
from foedus.replication.tables import MINUS

DPI = 150
COLORS = ("#1b4f72", "#b9770e", "#1e8449", "#7b241c")


def _style() -> dict:
    rc = {k: v for k, v in matplotlib.rcParamsDefault.items() if not k.startswith("backend")}
    rc.update({"font.size": 8, "axes.titlesize": 9, "savefig.dpi": DPI, "path.simplify": True})
    return rc


#: PDF metadata left out so that the same figure gives the same bytes.
PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None}


#: Margin kept around everything drawn (inches): the saved area grows to hold every artist.
PAD_INCHES = 0.08


def _save(fig: Figure, path: Path) -> Path:
    """Write ``path`` (PNG) and the same figure as PDF beside it (``path.with_suffix('.pdf')``)."""
    FigureCanvasAgg(fig)
    tight = {"bbox_inches": "tight", "pad_inches": PAD_INCHES}
    fig.savefig(path, dpi=DPI, format="png", metadata={"Software": None}, **tight)
    fig.savefig(Path(path).with_suffix(".pdf"), format="pdf", metadata=PDF_METADATA, **tight)
    return path


def _wrap(text: str, width_inches: float, fontsize: float) -> str:
    """``text`` broken into lines that fit ``width_inches`` at ``fontsize`` points (an average
    character is about half the font size wide)."""
    return textwrap.fill(text, max(20, int(width_inches * 72 / (0.55 * fontsize))))


def _signed(x: float) -> str:
    """A percentage with its sign, a true minus as in the tables."""
    return f"{x:+.1f}".replace("-", MINUS)


def coefficient_plot(result: StudyResult, path: Path) -> Path | None:
    """Claimed variables' estimates with 95% intervals, every main/robustness/alternative model
    (None for a study without models or claims)."""
    study = result.study
    claims = list(study.claims)
    # a model none of whose fits has a claimed variable would be an empty row
    models = [m for m in study.models if m.group in ("main", "robustness", "alternatives")
              and any(c.variable in result.fit(d.name, m.name).params.index
                      for c in claims for d in study.data)]
    if not models or not claims:
        return None
    with matplotlib.rc_context(_style()):
        height = 1.2 + 0.28 * len(models) * max(1, len(study.data)) ** 0.5
        width = 3.0 * len(claims) + 1.8
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(1, len(claims), sharey=True, squeeze=False)[0]
        ypos = np.arange(len(models))[::-1].astype(float)
        step = 0.8 / max(1, len(study.data))
        for ax, c in zip(axes, claims):
            for j, d in enumerate(study.data):
                xs, lo, hi, ys = [], [], [], []
                for i, m in enumerate(models):
                    fit = result.fit(d.name, m.name)
                    if c.variable not in fit.params.index:
                        continue
                    b = float(fit.params[c.variable])
                    se = float(fit.bse(m.cov_types[0])[c.variable])
                    xs.append(b)
                    lo.append(b - 1.959963984540054 * se)
                    hi.append(b + 1.959963984540054 * se)
                    ys.append(ypos[i] + 0.4 - step / 2 - j * step)
                if not xs:
                    continue
                xs, lo, hi = np.array(xs), np.array(lo), np.array(hi)
                ax.errorbar(xs, ys, xerr=[xs - lo, hi - xs], fmt="o", ms=3, lw=1, capsize=0,
                            color=COLORS[j % len(COLORS)], label=d.label)
            ax.axvline(0.0, color="0.5", lw=0.8, ls="--")
            ax.set_title(f"{c.variable}\nclaim: {c.expected}")
            ax.grid(axis="x", color="0.9", lw=0.5)
            # at most five ticks: a 3-inch panel has no room for more labels such as "-0.075"
            ax.xaxis.set_major_locator(MaxNLocator(5))
        labels = [m.label + ("" if m.estimator == study.main.estimator else f" [{m.estimator}]")
                  for m in models]
        axes[0].set_yticks(ypos, labels)
        axes[0].set_ylim(-0.6, len(models) - 0.4)  # the same margin above the top row as below
        handles, labels_ = axes[0].get_legend_handles_labels()
        if handles:  # above the panels, inside the figure (constrained layout makes room)
            longest = max(len(label) for label in labels_)
            ncol = max(1, min(len(handles), int(width * 72 / (0.55 * 7 * (longest + 6)))))
            fig.legend(handles, labels_, loc="outside upper center", ncol=ncol,
                       frameon=False, fontsize=7)
        xlabel = (f"coefficient with 95% interval ({covariance(study.main.cov_types[0])[2]} "
                  f"SE unless the model says otherwise)")
        fig.supxlabel(_wrap(xlabel, width - 0.4, 7), fontsize=7)
        return _save(fig, path)


def effect_plot(result: StudyResult, path: Path) -> Path | None:
    """Simulated predicted probabilities at the two values of the effect variable, per data version."""
    study = result.study
    eff = study.effect
    if eff is None or not result.effects:
        return None
    model = study.model(eff.model)
    datas = [d for d in study.data if d.name in result.effects]
    v0, v1 = eff.values[0], eff.values[1]
    lo_q, hi_q = eff.interval
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(3.6 * len(datas), 3.0), layout="constrained")
        axes = fig.subplots(1, len(datas), squeeze=False)[0]
        for ax, d in zip(axes, datas):
            r = result.effects[d.name]
            s = r.summary()
            allv = np.concatenate([r.draws[v0], r.draws[v1]])
            # every draw in its own bin: no clipped draws piled into the end bins
            bins = np.linspace(float(allv.min()), float(allv.max()), 41)
            for k, v in enumerate((v0, v1)):
                ax.hist(r.draws[v], bins=bins, alpha=0.6,
                        color=COLORS[k], label=f"{eff.variable} = {v}")
                ax.axvline(s[v]["point"], color=COLORS[k], lw=1)
            ch = s["change"]
            ax.set_title(f"{d.label}\nchange {_signed(ch['point'])}% "
                         f"[{_signed(ch['lo'])}, {_signed(ch['hi'])}]")
            ax.set_xlabel(probability_label(model))
            ax.set_ylabel("simulations")
            ax.legend(frameon=False, fontsize=7)
            # plain probabilities on the axis, no offset or power-of-ten label to decode
            ax.xaxis.set_major_formatter(ScalarFormatter(useOffset=False, useMathText=False))
            ax.ticklabel_format(axis="x", style="plain", useOffset=False)
            ax.xaxis.set_major_locator(MaxNLocator(4))
        title = (f"{estimator_label(model.estimator)} ({model.label}); other variables at their "
                 f"{eff.center}s; {eff.draws:,} draws, {lo_q:g}-{hi_q:g} percentile interval")
        fig.suptitle(_wrap(title, 3.6 * len(datas) - 0.2, 7), fontsize=7)
        return _save(fig, path)
