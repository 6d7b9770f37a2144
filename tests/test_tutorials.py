"""The tutorials run top to bottom on the real data (a short year range keeps this fast).

Each tutorial and solution script in docs/tutorials/ is executed as a plain script, in a fresh
interpreter, exactly as a student would run it; any error fails the test. The year range is
``FOEDUS_TUTORIAL_YEARS`` (default here 1900-1920), and simulations use 100 data sets
(``FOEDUS_TUTORIAL_REPS``). The docs machinery that renders the scripts
and documents the spec options is checked without the data.
"""
from __future__ import annotations

import dataclasses
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

import foedus

DOCS = Path(__file__).resolve().parents[1] / "docs"
SCRIPTS = sorted((DOCS / "tutorials").glob("[0-9]*.py")) + sorted(
    (DOCS / "tutorials" / "solutions").glob("*.py"))
TEST_YEARS = os.environ.get("FOEDUS_TUTORIAL_YEARS", "1900-1920")


def _docs_module():
    spec = importlib.util.spec_from_file_location("foedus_docs", DOCS / "hooks" / "foedus_docs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def output_dir(tmp_path_factory):
    """One output folder for all scripts, as a student's: solutions reuse tutorial outputs."""
    return tmp_path_factory.mktemp("tutorial-output")


@pytest.mark.realdata
@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_tutorial_runs(script, output_dir, raw_dir):
    env = {**os.environ, "FOEDUS_TUTORIAL_YEARS": TEST_YEARS, "FOEDUS_TUTORIAL_OUT": str(output_dir),
           "FOEDUS_TUTORIAL_REPS": "100", "MPLBACKEND": "Agg", "FOEDUS_DATA_DIR": str(raw_dir)}
    done = subprocess.run([sys.executable, str(script)], cwd=output_dir, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{script.name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    # every figure the tutorial shows was written
    cells = _docs_module().read_cells(script)
    shown = {line.split("](figures/")[1].split(")")[0] for c in cells if c.kind == "markdown"
             for line in c.source.splitlines() if "](figures/" in line}
    missing = sorted(name for name in shown if not (output_dir / name).exists())
    assert not missing, f"{script.name} shows figures it did not write: {missing}"


def test_every_tutorial_has_exercises_and_solutions():
    tutorials = sorted((DOCS / "tutorials").glob("[0-9]*.py"))
    assert tutorials
    for path in tutorials:
        assert "## Exercises" in path.read_text(), f"{path.name} has no exercises"
        assert (DOCS / "tutorials" / "solutions" / f"{path.stem}_solutions.py").exists()


def test_cells_split_markdown_and_code(tmp_path):
    script = tmp_path / "t.py"
    script.write_text("# ---\n# jupyter: {}\n# ---\n\n# %% [markdown]\n# # Title\n#\n# text\n\n"
                      "# %%\nx = 1\nx + 1\n")
    docs = _docs_module()
    cells = docs.read_cells(script)
    assert [c.kind for c in cells] == ["markdown", "code"]
    assert cells[0].source == "# Title\n\ntext"
    assert docs.execute(script) == ["2\n"]  # the last expression is shown, as in a notebook


def test_spec_options_page_documents_every_option():
    text = _docs_module().spec_options_markdown()
    sections = [foedus.PanelSpec, foedus.AllianceRules, foedus.DisputeRules, foedus.Covariates,
                foedus.Temporal, foedus.Sample]
    for cls in sections:
        for f in dataclasses.fields(cls):
            assert f.metadata.get("doc"), f"{cls.__name__}.{f.name} has no documentation"
            assert f"| `{f.name}` |" in text, f"{cls.__name__}.{f.name} missing from the page"


def test_outputs_render_tables_as_tables():
    """A frame's HTML and a printed Markdown table appear as tables on the page, text as text,
    and the API tree rewrites Sphinx roles as Markdown."""
    import pandas as pd

    docs = _docs_module()
    html = docs._display(pd.DataFrame({"a": [1.23456789]}))
    page = docs._output_markdown("printed first\n" + html)
    assert "<table" in page and "```text\nprinted first\n```" in page
    table = "| a | b |\n|---:|---:|\n| 1 | 2 |"
    assert docs._output_markdown(table) == table
    assert docs._output_markdown("N = 12") == "```text\nN = 12\n```"
    # tables printed among text (a study's table.md sections) become tables, the text stays text
    mixed = docs._output_markdown("## Claims\n\n" + table + "\n\nModel: probit")
    assert mixed == "```text\n## Claims\n```\n\n" + table + "\n\n```text\nModel: probit\n```"
    assert docs.markdown_docstrings(":func:`~foedus.models.logit`, :math:`\\beta`") == \
        "`logit`, $\\beta$"
