"""Smoke test of the whole replication pipeline on the synthetic panel: every study, every
output, byte-identical on a rerun, verdicts computed as the true coefficients say."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from foedus.replication import get_study, study_names
from foedus.replication.pipeline import OUTPUT_FILES, replicate

YEARS = (1900, 1960)  # a short year range keeps the toy world at ~8,000 dyad-years


@pytest.fixture(scope="module", params=["johnson_leeds_2011", "leeds_2003"])
def runs(request, tmp_path_factory, toy_source):
    """Each study replicated twice from the synthetic source: serially, then one worker process
    per data version (the outputs must not depend on it)."""
    out = []
    for k, jobs in enumerate((1, 2)):
        folder = tmp_path_factory.mktemp(f"{request.param}-{k}")
        out.append(replicate(request.param, output=folder, years=YEARS,
                             panel_source=toy_source, progress=False, jobs=jobs))
    return out


#: Studies registered without a published claim: Morrow (2017)'s abstract claim is not available
#: offline and none is stated in the study brief, so it reports estimates without a verdict.
NO_CLAIM_YET = {"morrow_2017"}


def test_registered_studies():
    assert {"johnson_leeds_2011", "leeds_2003", "fuhrmann_sechser_2014"} <= set(study_names())
    for name in study_names():
        study = get_study(name)
        if name in NO_CLAIM_YET:
            assert not study.claims and "no verdict" in " ".join(study.notes)
            continue
        assert study.claims or any(s.claims for s in study.summaries), name
        assert study.main is None or study.main.group == "main"


def test_every_output_written_and_byte_identical(runs):
    first, second = runs
    for name in OUTPUT_FILES:
        a, b = first.directory / name, second.directory / name
        assert a.is_file(), name
        assert a.read_bytes() == b.read_bytes(), f"{name} differs between two runs"


def test_png_has_no_software_or_date_metadata(runs):
    data = (runs[0].directory / "coefplot.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"matplotlib" not in data and b"Software" not in data


def test_csv_verdicts_follow_the_true_coefficients(runs):
    rep = runs[0]
    frame = pd.read_csv(rep.directory / "table.csv")
    main = rep.study.main
    rows = frame[(frame["model"] == main.name) & (frame["covariance"] == "classical")]
    verdicts = dict(zip(rows["variable"], rows["verdict"]))
    for claim in rep.study.claims:
        # the toy world makes every claim true (ptargdef -0.5, pchaloff/pchalneu +0.4, pchalally 0)
        if claim.variable == "pchalally":
            continue  # "no evidence": true null, p < 0.05 in 5% of worlds; checked below
        assert verdicts[claim.variable] == "reproduced", claim.variable
    assert set(frame["covariance"]) == {"classical", "cluster", "dyadic"}
    assert set(frame["estimator"]) >= {"probit", "logit", "relogit", "firth"}
    # N and events agree with the fitted sample
    fit = rep.result.fit(rep.study.data[0].name, main.name)
    first_row = rows[rows["data"] == rep.study.data[0].name].iloc[0]
    assert first_row["nobs"] == fit.nobs and first_row["events"] == fit.events
    assert fit.n_listwise > 0  # the toy world has missing jdem


def test_table_notes_state_rule_specs_and_removed_rows(runs):
    rep = runs[0]
    md = (rep.directory / "table.md").read_text()
    assert "Verdict rule" in md and "p-value is below 0.05" in md
    assert "RESTRICTED RUN" in md
    assert "Spec hash:" in md  # spec.describe() of each data version's panel
    assert "by listwise deletion (missing values: jdem" in md
    for claim in rep.study.claims:
        assert f"| {claim.variable} |" in md
    tex = (rep.directory / "table.tex").read_text()
    assert "\\begin{tabular}" in tex and "\\_" in tex


def test_provenance_record(runs):
    rep = runs[0]
    prov = json.loads((rep.directory / "provenance.json").read_text())
    assert prov["study"] == rep.study.name
    digests = {p["digest"] for p in prov["panels"]}
    assert digests == {spec.digest() for spec in rep.study.panel_specs().values()}
    for p in prov["panels"]:
        assert p["spec"]["years"] == list(YEARS)
    assert set(prov["outputs"]) == set(OUTPUT_FILES) - {"provenance.json"}
    assert prov["software"]["numpy"]
    assert "commit" in prov["git"]
    assert prov["inputs"] == []  # the synthetic source reads no files


def test_published_values_are_shown_with_ratio(tmp_path, toy_source):
    pub = tmp_path / "pub.csv"
    pub.write_text("variable,estimate,se\nptargdef,-0.25,0.05\n")
    rep = replicate("johnson_leeds_2011", output=tmp_path / "out", years=YEARS,
                    panel_source=toy_source, progress=False, published=pub)
    md = (rep.directory / "table.md").read_text()
    assert "published (SE)" in md and "\u22120.250 (0.050)" in md
    frame = pd.read_csv(rep.directory / "table.csv")
    row = frame[(frame["model"] == "table1") & (frame["variable"] == "ptargdef")
                & (frame["covariance"] == "classical")].iloc[0]
    assert row["ratio"] == pytest.approx(row["estimate"] / -0.25)
    prov = json.loads((rep.directory / "provenance.json").read_text())
    assert prov["published_values"]["file"] == "pub.csv"


def test_published_values_file_is_checked(tmp_path, toy_source):
    bad = tmp_path / "bad.csv"
    bad.write_text("variable,estimate\nptargdef,abc\n")
    with pytest.raises(ValueError, match="line 2"):
        replicate("johnson_leeds_2011", output=tmp_path / "o", years=YEARS,
                  panel_source=toy_source, progress=False, published=bad)
    bad.write_text("model,variable,estimate\nnope,ptargdef,1\n")
    with pytest.raises(ValueError, match="unknown model"):
        replicate("johnson_leeds_2011", output=tmp_path / "o", years=YEARS,
                  panel_source=toy_source, progress=False, published=bad)


def test_progress_display(tmp_path, toy_source):
    import io

    stream = io.StringIO()
    replicate("leeds_2003", output=tmp_path, years=YEARS, panel_source=toy_source,
              progress=True, stream=stream)
    lines = stream.getvalue().splitlines()
    # foedus.progress: plain lines (no terminal), at most one per interval, always the last one
    assert lines and not any("\r" in line or "\x1b" in line for line in lines)
    last = lines[-1]
    total = last.split("/", 1)[1].split(" ", 1)[0]
    assert last.startswith(f"leeds_2003: {total}/{total} steps (100%)") and "(logit, N=" in last


def test_numbers_fixed_decimals_true_minus():
    from foedus.replication.tables import num

    assert num(-0.915) == "\u22120.915" and num(0.00143) == "0.0014"
    assert num(-0.0000123) == "\u22120.000012" and num(-0.0001) == "\u22120.00010"
    assert "e" not in num(1.2e-9) and num(-1e-12) == "0.0000000"


@pytest.mark.skipif(__import__("shutil").which("pdflatex") is None, reason="pdflatex not installed")
def test_latex_tables_fit_a_letter_page(runs, tmp_path):
    """table.tex compiles on a letter page with 1-inch margins and no table is wider than it."""
    import re
    import subprocess

    from foedus.replication.tables import TEX_PACKAGES

    doc = tmp_path / "doc.tex"
    doc.write_text("\\documentclass{article}\\usepackage[letterpaper,margin=1in]{geometry}"
                   + "".join(f"\\usepackage{{{p}}}" for p in TEX_PACKAGES)
                   + f"\\begin{{document}}\\input{{{runs[0].directory / 'table.tex'}}}\\end{{document}}\n")
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", doc.name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:]
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert not re.findall(r"Overfull \\hbox \((\d+\.\d+)pt", log), "a line is wider than the page"
