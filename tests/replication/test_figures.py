"""Figures of a study run (foedus.replication.figures): nothing cut at the edges, no empty rows.

The figure functions read only the study declaration and each fit's estimates, so a stub result
with made-up estimates is enough (no data, no fitting).
"""
from __future__ import annotations

from types import SimpleNamespace

import matplotlib.image as mpimg
import pandas as pd

from foedus.replication import figures
from foedus.replication.study import Claim, DataVersion, Model


def _result(models, params):
    """A stand-in for a StudyResult: ``params[model]`` = coefficients of that model's fits."""
    data = (DataVersion("old", "MID 3.10 + a long label for the legend", ""),
            DataVersion("new", "MID 5.0 + another long label", ""))
    study = SimpleNamespace(models=models, data=data, main=models[0],
                            claims=(Claim("ptargdef", "negative", "deters", "a paper"),))

    def fit(d, m):
        p = pd.Series(params[m])
        return SimpleNamespace(params=p, bse=lambda cov: p.abs() / 3)
    return SimpleNamespace(study=study, fit=fit)


MODELS = [Model("main", "Main model", "y ~ ptargdef + x", group="main", panel="p", cov_types=("cluster",)),
          Model("other", "A model without the claimed variable", "y ~ x", group="robustness", panel="p"),
          Model("alt", "An alternative", "y ~ ptargdef", group="alternatives", panel="p")]
PARAMS = {"main": {"ptargdef": -0.3, "x": 1.0}, "other": {"x": 0.5}, "alt": {"ptargdef": -0.1}}


def test_models_without_a_claimed_variable_get_no_row(monkeypatch, tmp_path):
    drawn = {}
    monkeypatch.setattr(figures, "_save", lambda fig, path: drawn.setdefault("fig", fig) and path)
    figures.coefficient_plot(_result(MODELS, PARAMS), tmp_path / "coefplot.png")
    labels = [t.get_text() for t in drawn["fig"].axes[0].get_yticklabels()]
    assert labels == ["Main model", "An alternative"]


def test_long_x_label_is_wrapped_and_nothing_is_cut(tmp_path):
    path = figures.coefficient_plot(_result(MODELS, PARAMS), tmp_path / "coefplot.png")
    assert path.with_suffix(".pdf").is_file()
    image = mpimg.imread(path)
    # the tight box leaves a white margin on every side: no artist touches the edge
    for edge in (image[0], image[-1], image[:, 0], image[:, -1]):
        assert (edge[:, :3] > 0.99).all()
    # the x label of a one-panel figure is broken into lines that fit its width
    fig_text = figures._wrap("coefficient with 95% interval (clustered by directed dyad SE unless "
                             "the model says otherwise)", 4.8 - 0.4, 7)
    assert "\n" in fig_text and max(map(len, fig_text.splitlines())) < 90
