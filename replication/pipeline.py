"""Replicate a study end to end: run it, write its tables, figures and provenance.

Outputs, in ``results/<study>/`` by default:

================  ==========================================================================
table.md          regression tables, verdicts and notes (Markdown)
table.tex         the same tables (LaTeX, booktabs)
table.csv         tidy long form: one row per data version, model, covariance, coefficient
coefplot.png      claimed variables across models and data versions, 95% intervals (and .pdf)
predicted.png     simulated predicted probabilities of the study's effect (and .pdf)
provenance.json   specs and hashes, input files and their sha256, versions, git commit,
                  sha256 of every other output
================  ==========================================================================

Every output is deterministic: a rerun on the same inputs writes the same bytes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from foedus.replication import figures, tables
from foedus.replication.provenance import provenance, write_provenance
from foedus.replication.published import published_path, read_published
from foedus.replication.registry import get_study
from foedus.replication.run import StudyResult, run_study
from foedus.replication.study import Study

OUTPUT_FILES = ("table.md", "table.tex", "table.csv", "coefplot.png", "coefplot.pdf", "predicted.png",
                "predicted.pdf", "provenance.json")


@dataclass
class Replication:
    """What :func:`replicate` wrote and the numbers behind it."""

    study: Study
    result: StudyResult
    directory: Path
    files: dict  # output name -> path


def replicate(
    study: str | Study,
    *,
    output: str | os.PathLike | None = None,
    years: tuple | None = None,
    published: str | os.PathLike | None = None,
    published_dir: str | os.PathLike | None = None,
    panel_source=None,
    progress: bool = True,
    stream=None,
    jobs: int | None = 1,
) -> Replication:
    """Run a study and write its outputs.

    Parameters
    ----------
    study : str or Study
        A registered study name (``"johnson_leeds_2011"``, ``"leeds_2003"``) or a :class:`Study`.
    output : path, optional
        Output folder; ``results/<study>`` (relative to the working directory) by default.
    years : (int, int), optional
        Restrict every panel to these years (a quick smoke run; flagged in the notes).
    published, published_dir : path, optional
        Published coefficients to show next to the reproduced ones (see
        :mod:`foedus.replication.published`); ``published_dir`` (or ``$FOEDUS_PUBLISHED_DIR``)
        holds ``<study>.csv``.
    panel_source : callable, optional
        ``spec -> panel``; the cached panel builder by default.
    progress : bool
        Show progress on standard error.
    jobs : int or None
        Worker processes, one data version each (None: one per data version, at most one per
        CPU). The outputs do not depend on it.
    """
    study = get_study(study) if isinstance(study, str) else study
    if years is not None:
        study = study.with_years(tuple(years))
    pub_path = published_path(study, published, published_dir)
    pub = read_published(study, pub_path) if pub_path is not None else None
    result = run_study(study, panel_source=panel_source, progress=progress, stream=stream, jobs=jobs)
    directory = Path(output) if output is not None else Path("results") / study.name
    directory.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_FILES:  # no stale output of an earlier run survives
        (directory / name).unlink(missing_ok=True)
    files: dict[str, Path] = {}
    pub_name = pub_path.name if pub_path is not None else None
    files["table.md"] = directory / "table.md"
    files["table.md"].write_text(tables.to_markdown(result, pub, pub_name), encoding="utf-8")
    files["table.tex"] = directory / "table.tex"
    files["table.tex"].write_text(tables.to_latex(result, pub, pub_name), encoding="utf-8")
    files["table.csv"] = directory / "table.csv"
    tables.write_csv(tables.tidy(result, pub), files["table.csv"])
    coefplot = figures.coefficient_plot(result, directory / "coefplot.png")
    if coefplot is not None:
        files["coefplot.png"], files["coefplot.pdf"] = coefplot, coefplot.with_suffix(".pdf")
    effect = figures.effect_plot(result, directory / "predicted.png")
    if effect is not None:
        files["predicted.png"], files["predicted.pdf"] = effect, effect.with_suffix(".pdf")
    record = provenance(result, outputs=files, published=pub_path)
    files["provenance.json"] = write_provenance(record, directory / "provenance.json")
    return Replication(study, result, directory, files)
