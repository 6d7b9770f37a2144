"""Docs machinery: run the tutorials cell by cell, and the mkdocs hooks that render them.

Tutorials are jupytext "percent" scripts (``docs/tutorials/*.py``): ``# %% [markdown]`` cells
hold commented Markdown, ``# %%`` cells hold code. This module needs neither Jupyter nor
jupytext.

Command line (what ``make tutorials`` runs)::

    python docs/hooks/foedus_docs.py [--years 1900-1920] [tutorial.py ...]

executes each tutorial top to bottom in one namespace (as ``python tutorial.py`` would), in a
scratch folder (``FOEDUS_TUTORIAL_OUT``), copies the PNG figures it wrote to
``docs/tutorials/figures/``, and stores each code cell's printed output in
``docs/tutorials/executed/<name>.json`` together with the sha256 of the source it ran. A cell
that raises stops the run with a non-zero exit.

mkdocs hooks (``hooks:`` in mkdocs.yml):

- ``on_files`` adds one page per tutorial and solution script, rendered from the source, with
  the stored outputs under each code cell when they were produced by the same source;
- ``on_page_markdown`` replaces ``<!-- foedus:spec-options -->`` with the documentation of
  every :class:`foedus.PanelSpec` option, generated from the spec's field metadata, and
  ``<!-- foedus:study <name> -->`` with that study's real outputs (:func:`study_markdown`),
  and ``<!-- foedus:debate -->`` with the deterrence debate's figure (:func:`debate_markdown`);
- ``on_files`` also puts each study's figures (PNG, PDF), ``table.tex``, ``table.csv`` and
  ``provenance.json`` into the site under ``studies/<name>/``.

Study outputs are read from ``results/<name>/`` (``$FOEDUS_DOCS_RESULTS`` overrides the parent
folder), as ``foedus replicate`` wrote them; numbers are never copied into the pages by hand.
``python docs/hooks/foedus_docs.py --studies --stale`` (part of ``make docs``) first reruns the
studies whose outputs are missing, restricted to a subsample, or stale (:func:`study_stale`).
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import hashlib
import io
import json
import os
import re
import sys
import time
from pathlib import Path

# the one freshness check, shared with `foedus replicate`
from foedus.replication.freshness import read_provenance, study_stale

DOCS = Path(__file__).resolve().parents[1]
TUTORIALS = DOCS / "tutorials"
EXECUTED = TUTORIALS / "executed"
FIGURES = TUTORIALS / "figures"
SPEC_MARKER = "<!-- foedus:spec-options -->"
STUDY_MARKER = re.compile(r"<!-- foedus:study (\w+) -->")
#: Parent folder of the study outputs the pages show (``results/<study>/``).
RESULTS = Path(os.environ.get("FOEDUS_DOCS_RESULTS") or DOCS.parent / "results")
#: Where a study's output files go in the site (``studies/<name>/<file>``).
STUDY_SITE = "studies"
#: The outputs copied into the site (table.md is shown on the page itself).
STUDY_FILES = ("coefplot.png", "coefplot.pdf", "predicted.png", "predicted.pdf", "table.tex",
               "table.csv", "provenance.json")
#: The figures shown on a study page, with their captions.
STUDY_FIGURES = (("coefplot.png", "The claimed coefficients with 95% intervals in every model "
                                  "(main, robustness, alternatives), per data version"),
                 ("predicted.png", "Simulated predicted probabilities at the two values of the "
                                   "key variable, per data version"))
#: Sections of table.md shown open on the page; the others are folded (click to open).
STUDY_OPEN_SECTIONS = 2
#: ``<!-- foedus:debate -->``: the deterrence debate's comparison figure
#: (``foedus.replication.debate``, drawn from three studies' table.csv).
DEBATE_MARKER = "<!-- foedus:debate -->"
DEBATE = "deterrence_debate"
DEBATE_FILES = ("figure.png", "figure.pdf", "estimates.csv")


# -- cells -----------------------------------------------------------------------------------
@dataclasses.dataclass
class Cell:
    kind: str  # "markdown" or "code"
    source: str


def read_cells(path: Path) -> list[Cell]:
    """Split a percent-format script into cells (the jupytext header block is skipped)."""
    lines = path.read_text().splitlines()
    if lines and lines[0].strip() == "# ---":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "# ---")
        lines = lines[end + 1:]
    cells: list[Cell] = []
    kind, body = None, []

    def flush():
        if kind is not None:
            text = "\n".join(body).strip("\n")
            if kind == "markdown":
                text = "\n".join(re.sub(r"^# ?", "", line) for line in text.splitlines())
            if text.strip():
                cells.append(Cell(kind, text))

    for line in lines:
        if line.startswith("# %%"):
            flush()
            kind, body = ("markdown" if "[markdown]" in line else "code"), []
        elif kind is not None:
            body.append(line)
    flush()
    return cells


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- execution -------------------------------------------------------------------------------
#: Marks a cell output that is an HTML table (a DataFrame), rendered as a table, not as text.
HTML_MARK = "<!-- foedus:html -->"


def _display(value) -> str:
    """What a notebook shows for a cell's last expression (frames as HTML tables)."""
    if value is None:
        return ""
    to_html = getattr(value, "to_html", None)
    if callable(to_html):
        return HTML_MARK + to_html(border=0, float_format=lambda x: f"{x:.4g}")
    to_string = getattr(value, "to_string", None)
    return to_string() if callable(to_string) else repr(value)


def _output_markdown(out: str) -> str:
    """A cell's output on the page: HTML tables and printed Markdown tables as tables, the rest
    as text."""
    text = out.rstrip()
    if HTML_MARK in text:
        before, _, table = text.partition(HTML_MARK)
        parts = [f"```text\n{before.rstrip()}\n```"] if before.strip() else []
        return "\n\n".join(parts + [f'<div class="foedus-output">\n{table}\n</div>'])
    return "\n\n".join(_printed_blocks(text.splitlines()))


def _is_table_start(lines: list[str], i: int) -> bool:
    return (i + 1 < len(lines) and lines[i].startswith("|") and lines[i + 1].startswith("|")
            and set(lines[i + 1].strip()) <= set("|:- "))


def _printed_blocks(lines: list[str]) -> list[str]:
    """Printed output split into Markdown tables (a header row, a separator row and the rows
    after them, as the tutorial printed them) and text blocks for everything else."""
    blocks, text, i = [], [], 0

    def flush_text():
        body = "\n".join(text).strip("\n")
        if body.strip():
            blocks.append(f"```text\n{body}\n```")
        text.clear()

    while i < len(lines):
        if _is_table_start(lines, i):
            flush_text()
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                j += 1
            blocks.append("\n".join(lines[i:j]))
            i = j
        else:
            text.append(lines[i])
            i += 1
    flush_text()
    return blocks


def execute(path: Path) -> list[str]:
    """Run every code cell of a tutorial in one namespace; return each cell's output text."""
    namespace = {"__name__": "__main__", "__file__": str(path)}
    outputs = []
    for number, cell in enumerate(c for c in read_cells(path) if c.kind == "code"):
        tree = ast.parse(cell.source, filename=f"{path.name} [cell {number}]")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            exec(compile(tree, f"{path.name} [cell {number}]", "exec"), namespace)
            if last is not None:
                text = _display(eval(compile(last, f"{path.name} [cell {number}]", "eval"),
                                     namespace))
                if text:
                    print(text)
        outputs.append(buffer.getvalue())
    return outputs


def run(paths: list[Path], years: str | None) -> None:
    import shutil
    import tempfile

    if years:
        os.environ["FOEDUS_TUTORIAL_YEARS"] = years
    os.environ.setdefault("MPLBACKEND", "Agg")
    EXECUTED.mkdir(exist_ok=True)
    FIGURES.mkdir(exist_ok=True)
    for path in paths:
        t0 = time.perf_counter()
        print(f"running {path.relative_to(DOCS.parent)} ...", file=sys.stderr, flush=True)
        digest = source_hash(path)  # of the source that runs, even if edited meanwhile
        # everything a tutorial writes goes to a scratch folder; only its figures are kept
        with tempfile.TemporaryDirectory(prefix="foedus-tutorial-") as scratch:
            os.environ["FOEDUS_TUTORIAL_OUT"] = scratch
            cwd = os.getcwd()
            os.chdir(scratch)
            try:
                outputs = execute(path)
            finally:
                os.chdir(cwd)
            for png in sorted(Path(scratch).glob("*.png")):
                shutil.copyfile(png, FIGURES / png.name)
        record = {"source_sha256": digest, "outputs": outputs,
                  "years": os.environ.get("FOEDUS_TUTORIAL_YEARS", "default")}
        target = EXECUTED / f"{path.stem}.json"
        target.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
        print(f"  done in {time.perf_counter() - t0:.0f} s -> {target.relative_to(DOCS.parent)}",
              file=sys.stderr, flush=True)


def _fresh(path: Path) -> bool:
    """Whether the stored outputs of a tutorial belong to its current source."""
    stored = EXECUTED / f"{path.stem}.json"
    return stored.exists() and json.loads(stored.read_text()).get("source_sha256") == source_hash(path)


# -- rendering -------------------------------------------------------------------------------
def _image_or_note(match: re.Match, folder: Path) -> str:
    target = match.group(2)
    if target.startswith(("http://", "https://")) or (folder / target).exists():
        return match.group(0)
    return (f"\n!!! note \"Figure not generated yet\"\n    `{target}` is written when the "
            "tutorial runs: `make tutorials`.\n")


def render(path: Path) -> str:
    """Markdown page of a tutorial script, with stored outputs when they match the source."""
    record = None
    stored = EXECUTED / f"{path.stem}.json"
    if stored.exists():
        record = json.loads(stored.read_text())
        if record.get("source_sha256") != source_hash(path):
            record = None
    outputs = iter(record["outputs"]) if record else iter(())
    path = path.resolve()
    rel = path.relative_to(TUTORIALS).as_posix()
    parts = []
    for cell in read_cells(path):
        if cell.kind == "markdown":
            text = re.sub(r"!\[([^\]]*)\]\(([^)\s]+)\)",
                          lambda m: _image_or_note(m, path.parent), cell.source)
            # links to sibling scripts point at their rendered pages
            text = re.sub(r"\]\(((?:solutions/)?[\w-]+)\.py\)", r"](\1.md)", text)
            parts.append(text)
        else:
            parts.append(f"```python\n{cell.source}\n```")
            out = next(outputs, "")
            if out.strip():
                parts.append(_output_markdown(out))
    source_note = f"*Source: `docs/tutorials/{rel}` — run it with `python {path.name}`.*"
    if record:
        years = record["years"]
        source_note += (" *Outputs below are from a run on the tutorial's full period.*"
                        if years == "default" else
                        f" *Outputs below are from a shortened run, years {years}.*")
    elif "solutions" not in rel:
        source_note += " *Outputs are not shown: run `make tutorials` to produce them.*"
    heading_end = parts[0].find("\n") if parts and parts[0].startswith("# ") else -1
    if heading_end > 0:
        parts[0] = parts[0][:heading_end] + "\n\n" + source_note + parts[0][heading_end:]
    else:
        parts.insert(0, source_note)
    return "\n\n".join(parts) + "\n"


def spec_options_markdown() -> str:
    """The documentation of every PanelSpec option, from the fields' own metadata."""
    from foedus.data import spec as spec_module

    sections = [spec_module.PanelSpec, spec_module.AllianceRules, spec_module.DisputeRules,
                spec_module.Covariates, spec_module.Temporal, spec_module.Sample]
    access = {spec_module.PanelSpec: "PanelSpec", spec_module.AllianceRules: "PanelSpec.alliances",
              spec_module.DisputeRules: "PanelSpec.disputes",
              spec_module.Covariates: "PanelSpec.covariates",
              spec_module.Temporal: "PanelSpec.temporal", spec_module.Sample: "PanelSpec.sample"}
    out = []
    for cls in sections:
        out.append(f"### `{cls.__name__}` ({cls.title})\n")
        out.append(f"{(cls.__doc__ or '').strip().splitlines()[0]} Set as `{access[cls]}`.\n")
        out.append("| option | default | allowed values | coding rule |")
        out.append("|---|---|---|---|")
        for f in dataclasses.fields(cls):
            if f.default is not dataclasses.MISSING:
                default = f.default
            else:
                default = f"{type(f.default_factory()).__name__}()"
            choices = f.metadata.get("choices")
            allowed = ", ".join(f"`{c!r}`" for c in choices) if choices else ""
            doc = " ".join(str(f.metadata.get("doc", "")).split()).replace("|", "\\|")
            if f.metadata.get("source"):  # the paper or codebook the default follows
                doc += f" Source: {f.metadata['source']}."
            out.append(f"| `{f.name}` | `{default!r}` | {allowed} | {doc} |")
        out.append("")
    return "\n".join(out)


# -- study pages -----------------------------------------------------------------------------
def _sections(table_md: str) -> list[tuple[str, str]]:
    """``(title, body)`` of each ``## `` section of a table.md (the title block is dropped)."""
    chunks = re.split(r"^## (.+)$", table_md, flags=re.MULTILINE)
    return [(chunks[i].strip(), chunks[i + 1].strip()) for i in range(1, len(chunks), 2)]


def _folded(title: str, body: str) -> str:
    """A collapsed block (pymdownx.details) holding ``body``; its sub-headings become bold lines,
    so that they stay out of the page's table of contents."""
    body = re.sub(r"^#{3,} (.+)$", r"**\1**", body, flags=re.MULTILINE)
    title = title.replace('"', "'")
    return f'??? note "{title}"\n' + "\n".join(f"    {line}" if line else "" for line in body.splitlines())


def _provenance_line(name: str, prov: dict, link) -> str:
    software, git = prov.get("software", {}), prov.get("git", {})
    commit = (git.get("commit") or "")[:10]
    made = f"foedus {software.get('foedus')}"
    if commit:
        made += f", git {commit}" + (" with uncommitted changes" if git.get("dirty") else "")
    made += f", code fingerprint `{prov.get('code_fingerprint', 'not recorded')}`"
    versions = "; ".join(d["label"] for d in prov.get("data_versions", []))
    inputs = ", ".join(f"`{r['dataset']}-{r['version']}/{r['file']}` {r['sha256'][:12]}"
                       for r in prov.get("inputs", []))
    files = " · ".join(f"[{f}]({link(f)})" for f in STUDY_FILES if f in prov.get("outputs", {})
                       or f == "provenance.json")
    lines = [f"Outputs of `foedus replicate {name}`, read from `results/{name}/` as written: "
             "no number on this page is typed by hand.",
             f"Made by {made}.", f"Data versions: {versions}.",
             f"Input files (sha256, first 12 hex digits): {inputs}.", f"Files: {files}."]
    return '!!! info "Where these numbers come from"\n' + "\n".join(f"    - {x}" for x in lines)


def study_markdown(name: str, page_uri: str = "index.md", results: Path | None = None) -> str:
    """The Markdown that replaces ``<!-- foedus:study <name> -->`` on a page at ``page_uri``.

    The provenance line (foedus version and commit, data versions, input files with short
    sha256), a warning when the outputs are stale (:func:`study_stale`), the first
    :data:`STUDY_OPEN_SECTIONS` sections of ``table.md`` (claims and verdicts, the main model),
    the figures, then the other sections and the notes folded. Headings start at level 3:
    put the marker under a ``## `` heading of the page.
    """
    import posixpath

    folder = (results or RESULTS) / name
    prov = read_provenance(folder)
    if prov is None or not (folder / "table.md").is_file():
        return (f'!!! warning "No outputs yet"\n    `results/{name}/` has no outputs: run '
                f"`make docs` (runs the stale studies) or `foedus replicate {name}`.\n")

    def link(file: str) -> str:
        return posixpath.relpath(f"{STUDY_SITE}/{name}/{file}", posixpath.dirname(page_uri) or ".")

    parts = [_provenance_line(name, prov, link)]
    reason = study_stale(folder)
    if reason:
        parts.append(f'!!! warning "These outputs may not be those of the current code and data"\n'
                     f"    {reason}. Rerun: `make docs` or `foedus replicate {name}`.")
    sections = _sections((folder / "table.md").read_text(encoding="utf-8"))
    body = [(t, b) for t, b in sections if t != "Notes"]
    for title, text in body[:STUDY_OPEN_SECTIONS]:
        parts.append(f"### {title}\n\n{re.sub(r'^### ', '#### ', text, flags=re.MULTILINE)}")
    figures = [(f, caption) for f, caption in STUDY_FIGURES if f in prov.get("outputs", {})]
    if figures:
        parts.append("### Figures")
        for file, caption in figures:
            pdf = file.replace(".png", ".pdf")
            parts.append(f"![{caption}]({link(file)})\n\n*{caption} "
                         f"([`{file}`]({link(file)}), [PDF]({link(pdf)})).*")
    rest = body[STUDY_OPEN_SECTIONS:] + [(t, b) for t, b in sections if t == "Notes"]
    if rest:
        parts.append("### All tables and notes\n\nEvery other section of `table.md` "
                     "(click to open):")
        parts += [_folded(t, b) for t, b in rest]
    # a wrapper (md_in_html) for the stylesheet's smaller table type
    return '<div class="foedus-study" markdown>\n\n' + "\n\n".join(parts) + "\n\n</div>\n"


def _debate_estimates_csv(results: Path) -> str:
    """estimates.csv as ``foedus.replication.debate`` would write it now from the studies' tables."""
    from foedus.replication.debate import key_estimates

    return key_estimates(results).to_csv(index=False, float_format="%.12g")


def debate_stale(results: Path | None = None) -> str | None:
    """Why the debate figure is not that of the current study outputs, or None when it is: its
    estimates.csv differs from the one the three studies' table.csv give now."""
    from foedus.replication.debate import PAPERS

    results = results or RESULTS
    folder = results / DEBATE
    if not all((folder / f).is_file() for f in DEBATE_FILES):
        return "no outputs yet"
    stale = [s for s in PAPERS if study_stale(results / s)]
    if stale:
        return f"drawn from stale study outputs ({', '.join(stale)})"
    if (folder / "estimates.csv").read_text() != _debate_estimates_csv(results):
        return "drawn from other study outputs than those in results/ now"
    return None


def debate_markdown(page_uri: str = "index.md", results: Path | None = None) -> str:
    """The Markdown that replaces ``<!-- foedus:debate -->``: the comparison figure with links to
    its PDF and estimates.csv, and a warning when it is stale (:func:`debate_stale`)."""
    import posixpath

    results = results or RESULTS
    if not ((results / DEBATE) / "figure.png").is_file():
        return ('!!! warning "No outputs yet"\n    Run `make docs` (or `make debate`) to draw the '
                "comparison figure.\n")

    def link(file: str) -> str:
        return posixpath.relpath(f"{STUDY_SITE}/{DEBATE}/{file}", posixpath.dirname(page_uri) or ".")

    parts = [f"![The key estimates of the three papers with 95% intervals]({link('figure.png')})",
             f"*`results/{DEBATE}/figure.png` as `python -m foedus.replication.debate` drew it from "
             f"the three studies' `table.csv` ([PDF]({link('figure.pdf')}), "
             f"[estimates.csv]({link('estimates.csv')})); each study's page gives its provenance.*"]
    reason = debate_stale(results)
    if reason:
        parts.append(f'!!! warning "This figure may not be that of the current outputs"\n'
                     f"    {reason}. Rerun: `make docs` or `make debate`.")
    return "\n\n".join(parts) + "\n"


def study_files(config, results: Path | None = None) -> list:
    """Site files of every registered study's outputs (``studies/<name>/<file>``)."""
    from mkdocs.structure.files import File

    from foedus.replication.registry import study_names

    out = []
    for name in study_names():
        folder = (results or RESULTS) / name
        for file in STUDY_FILES:
            if (folder / file).is_file():
                out.append(File.generated(config, f"{STUDY_SITE}/{name}/{file}",
                                          content=(folder / file).read_bytes()))
    for file in DEBATE_FILES:
        path = (results or RESULTS) / DEBATE / file
        if path.is_file():
            out.append(File.generated(config, f"{STUDY_SITE}/{DEBATE}/{file}",
                                      content=path.read_bytes()))
    return out


def run_studies(names: list[str], stale_only: bool, results: Path | None = None) -> None:
    """Run studies with ``foedus replicate`` into ``results/<name>/`` (with ``stale_only``, only
    those whose outputs :func:`study_stale` rejects), as one schedule over both cores."""
    from foedus.replication.pipeline import replicate_studies

    todo = []
    for name in names:
        reason = study_stale((results or RESULTS) / name) if stale_only else "asked for"
        if reason is None:
            print(f"study {name}: outputs are current", file=sys.stderr)
        else:
            print(f"study {name}: to run ({reason})", file=sys.stderr)
            todo.append(name)
    if todo:
        t0 = time.perf_counter()
        run = replicate_studies(todo, output=results or RESULTS, progress=False)
        for name, err in run.failures.items():
            print(f"study {name} failed: {err}", file=sys.stderr)
        if run.failures:
            raise SystemExit(1)
        print(f"  {len(todo)} studies done in {time.perf_counter() - t0:.0f} s", file=sys.stderr,
              flush=True)
    reason = debate_stale(results) if stale_only else "asked for"
    if reason:
        from foedus.replication import debate

        print(f"drawing the debate figure ({reason}) ...", file=sys.stderr, flush=True)
        debate.main([str(results or RESULTS)])


# -- mkdocs hooks ----------------------------------------------------------------------------
#: Sphinx cross-reference roles in docstrings (``:func:`x```) and the math role (``:math:`x```):
#: mkdocstrings renders Markdown, so the API tree below rewrites them as code and as arithmatex math.
_XREF_ROLE = re.compile(r":(?:func|class|mod|meth|data|attr|obj|exc):`(~?)([^`]+)`")
_MATH_ROLE = re.compile(r":math:`([^`]+)`")


def markdown_docstrings(source: str) -> str:
    """Source text with the docstrings' Sphinx roles as Markdown: code for cross-references
    (``~`` keeps the last name, as Sphinx shows it), ``$ ... $`` for math."""
    def xref(match: re.Match) -> str:
        tilde, target = match.groups()
        return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"

    # $...$ (arithmatex turns it into \\( ... \\)): no backslash added to a non-raw docstring
    return _MATH_ROLE.sub(lambda m: "$" + m.group(1) + "$", _XREF_ROLE.sub(xref, source))


def api_source_tree() -> Path:
    """A folder where ``foedus`` and its subpackages sit at their import paths.

    pyproject.toml maps the top-level folders data/, models/, replication/ to foedus.data, ...;
    griffe (behind mkdocstrings) finds packages by walking folders and cannot follow that
    mapping, so the API reference reads the sources through this tree: copies of the modules
    with their docstrings' Sphinx roles rewritten as Markdown (:func:`markdown_docstrings`).
    """
    import tempfile
    import tomllib

    repo = DOCS.parent
    mapping = tomllib.loads((repo / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    root = Path(tempfile.mkdtemp(prefix="foedus-api-"))

    def copy(folder: Path, target: Path, recursive: bool) -> None:
        target.mkdir(parents=True, exist_ok=True)
        for item in folder.iterdir():
            if item.suffix == ".py":
                (target / item.name).write_text(markdown_docstrings(item.read_text(encoding="utf-8")),
                                                encoding="utf-8")
            elif recursive and item.is_dir() and (item / "__init__.py").exists():
                copy(item, target / item.name, True)

    copy(repo / mapping["foedus"], root / "foedus", recursive=False)
    for name, folder in sorted(mapping.items()):
        parts = name.split(".")
        if len(parts) == 2:  # sub-subpackages (foedus.data.readers) come with their parent
            copy((repo / folder).resolve(), root / "foedus" / parts[1], recursive=True)
    return root


def _first(function):
    """Run this hook event before the plugins' (mkdocstrings creates its handlers on_config)."""
    try:
        from mkdocs.plugins import event_priority
    except ImportError:  # mkdocs is not installed: only the command line is used
        return function
    return event_priority(100)(function)


_API_TREES: list[Path] = []


@_first
def on_config(config):
    _API_TREES.append(api_source_tree())
    handlers = config.plugins["mkdocstrings"].config["handlers"]
    handlers.setdefault("python", {})["paths"] = [str(_API_TREES[-1])]
    return config


def on_shutdown():
    import shutil

    while _API_TREES:
        shutil.rmtree(_API_TREES.pop(), ignore_errors=True)


def _scripts() -> list[Path]:
    return sorted(TUTORIALS.glob("[0-9]*.py")) + sorted((TUTORIALS / "solutions").glob("*.py"))


def on_files(files, config):
    from mkdocs.structure.files import File

    for path in _scripts():
        uri = path.relative_to(DOCS).with_suffix(".md").as_posix()
        files.append(File.generated(config, uri, content=render(path)))
    for file in study_files(config):
        files.append(file)
    return files


def on_page_markdown(markdown, page, config, files):
    if SPEC_MARKER in markdown:
        markdown = markdown.replace(SPEC_MARKER, spec_options_markdown())
    if DEBATE_MARKER in markdown:
        markdown = markdown.replace(DEBATE_MARKER, debate_markdown(page.file.src_uri))
    return STUDY_MARKER.sub(lambda m: study_markdown(m.group(1), page.file.src_uri), markdown)


#: Where the bundled MathJax goes in the site (see :func:`on_post_build`).
MATHJAX_DIR = "javascripts/mathjax"


def on_post_build(config):
    """Copy MathJax into the site, so that math renders offline too.

    MathJax 2.7 comes from the ``jupyter-server-mathjax`` wheel (the docs extra), which ships its
    static files (about 10 MB, copied whole: MathJax loads its pieces on demand).
    """
    import shutil

    import jupyter_server_mathjax

    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    target = Path(config["site_dir"]) / MATHJAX_DIR
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tutorials", nargs="*", type=Path,
                        help="scripts to run (default: every docs/tutorials/[0-9]*.py)")
    parser.add_argument("--years", help="FOEDUS_TUTORIAL_YEARS for the run, e.g. 1900-1920")
    parser.add_argument("--stale", action="store_true",
                        help="run only the tutorials (or studies) whose stored outputs are missing "
                             "or older than their source")
    parser.add_argument("--studies", nargs="*", metavar="STUDY",
                        help="run these registered studies (none named: all) into results/ "
                             "instead of the tutorials")
    args = parser.parse_args(argv)
    if args.studies is not None:
        from foedus.replication.registry import study_names

        run_studies(args.studies or study_names(), args.stale)
        return 0
    paths = [p.resolve() for p in args.tutorials] or sorted(TUTORIALS.glob("[0-9]*.py"))
    if args.stale:
        paths = [p for p in paths if not _fresh(p)]
    run(paths, args.years)
    return 0


if __name__ == "__main__":
    sys.exit(main())
