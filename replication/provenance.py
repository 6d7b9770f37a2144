"""``provenance.json``: everything an output depends on, and nothing that changes between runs.

Recorded: the study and its models; every panel's spec (canonical JSON), hash, description,
row count and build log; the fingerprint of the code that made the outputs
(:func:`code_fingerprint`); every input file the panels were built from (data set, version, file
name, sha256, size, official source, from the data registry), with the files actually read while
building the panels recorded by the panel builder, user-supplied files marked
(``user_supplied``, ``published_sha256``, and the list ``user_supplied_inputs``); the user's published-values file; package
versions; the digest of the study's definition (:func:`study_digest`); the git commit of the source tree (and whether tracked files were modified); the
sha256 of every other output. No clock time and no machine-specific paths are written, so a
rerun on the same inputs writes the same bytes.
"""
from __future__ import annotations

import functools
import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from foedus.replication.run import StudyResult, covariance
from foedus.replication.study import Study

PACKAGES = ("foedus", "numpy", "pandas", "scipy", "statsmodels", "formulaic", "matplotlib", "pyarrow")


def sha256_path(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


#: The package's folders (pyproject.toml ``package-dir``), by the module that lives in each.
CODE_PACKAGES = ("foedus", "foedus.data", "foedus.models", "foedus.replication")
#: Package data that changes outputs (the data registry) besides the Python sources.
CODE_SUFFIXES = (".py", ".tsv", ".toml")


@functools.cache
def code_fingerprint() -> str:
    """sha256 (16 hex digits) of foedus's sources and registry files: the same code gives the same
    fingerprint wherever it is installed, so stored outputs made by other code can be told apart
    (the docs build reruns such studies).

    Computed once per process, when this module is imported (with the replication code), so that a
    run records the code it loaded, not files edited while it ran.
    """
    import importlib

    h = hashlib.sha256()
    for name in CODE_PACKAGES:
        root = Path(importlib.import_module(name).__file__).parent
        files = root.glob("*") if name == "foedus" else root.rglob("*")
        for src in sorted(f for f in files if f.suffix in CODE_SUFFIXES and f.is_file()):
            h.update(f"{name}/{src.relative_to(root).as_posix()}".encode() + b"\0" + src.read_bytes())
    return h.hexdigest()[:16]


def package_versions() -> dict:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_state(root: Path | None = None) -> dict:
    """Commit of the source tree and whether tracked files differ from it (None outside git)."""
    root = root or Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                                text=True, timeout=20)
        if commit.returncode != 0:
            return {"commit": None, "dirty": None}
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit.stdout.strip(), "dirty": bool(status.stdout.strip())}


def input_records(files) -> list[dict]:
    """Registry records of the files read: ``(dataset, version, file, sha256)`` tuples in."""
    from foedus.data.registry import current_registry

    registry = current_registry()
    out = []
    for dataset, version, name, sha in sorted(set(map(tuple, files))):
        rec = {"dataset": dataset, "version": version, "file": name, "sha256": sha}
        try:
            ds = registry.get(dataset, version)
            f = ds.file(name)
            rec.update({"title": ds.title, "bytes": f.size, "official_source": f.official_source,
                        "registered_sha256_matches": f.sha256 == sha,
                        "user_supplied": f.user_supplied})
        except KeyError:
            rec["registered_sha256_matches"] = None
        if rec.get("user_supplied"):  # the user's own file: say what the published one is
            rec["published_sha256"] = _published_sha256(dataset, version, name)
        out.append(rec)
    return out


def _published_sha256(dataset: str, version: str, name: str) -> str | None:
    from foedus.data.registry import default_registry

    try:
        return default_registry().get(dataset, version).file(name).sha256
    except KeyError:
        return None


def user_supplied_inputs(files) -> list[str]:
    """``<dataset>-<version>/<file>`` of the inputs that are user-supplied, not published."""
    return [f"{r['dataset']}-{r['version']}/{r['file']}" for r in input_records(files)
            if r.get("user_supplied")]


def provenance(result: StudyResult, *, outputs: dict, published: Path | None = None) -> dict:
    """The provenance record of one study run (a JSON-serialisable dict)."""
    study = result.study
    panels = []
    for p in result.panels:
        panels.append({
            "data": p.data, "variant": p.variant, "digest": p.spec.digest(),
            "spec": json.loads(p.spec.to_json()), "describe": p.spec.describe().splitlines(),
            "rows": p.rows, "log": list(p.log),
        })
    not_estimable = {}
    for f in result.fits:
        if not f.estimable:
            not_estimable.setdefault(f.model.name, {})[f.data] = f.error
    models = [{**rec, "not_estimable": not_estimable.get(rec["name"], {})} for rec in _model_records(study)]
    summaries = _summary_records(study)
    record = {
        "study": study.name, "title": study.title, "citation": study.citation,
        "data_versions": [{"name": d.name, "label": d.label, "note": d.note} for d in study.data],
        "notes": list(study.notes),
        "models": models,
        **({"summaries": summaries} if summaries else {}),
        "effect": _effect_record(study),
        "panels": panels,
        "inputs": input_records(result.files),
        "user_supplied_inputs": user_supplied_inputs(result.files),
        "published_values": published_record(published),
        "software": package_versions(),
        "git": git_state(),
        "code_fingerprint": code_fingerprint(),
        "study_digest": study_digest(study),
        "outputs": {name: sha256_path(path) for name, path in sorted(outputs.items())},
    }
    return record


def published_record(published: Path | None) -> dict | None:
    """The published-values file of a run: its name and sha256 (None without one)."""
    return None if published is None else {"file": published.name, "sha256": sha256_path(published)}


def study_digest(study: Study) -> str:
    """sha256 (16 hex digits) of everything of a study that its outputs show: title, data
    versions, notes (a ``--years`` run's note among them), models, summaries, effect and the
    digest of every panel spec. The code fingerprint covers registered studies; this covers a
    :class:`Study` built or changed by the caller, and the year range of a run."""
    record = {
        "study": study.name, "title": study.title, "citation": study.citation,
        "data_versions": [[d.name, d.label, d.note] for d in study.data],
        "notes": list(study.notes), "models": _model_records(study),
        "summaries": _summary_records(study), "effect": _effect_record(study),
        "panels": [[data, variant, spec.digest()] for (data, variant), spec in study.panel_specs().items()],
    }
    text = json.dumps(record, sort_keys=True, default=_jsonable, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _model_records(study: Study) -> list[dict]:
    models = []
    for m in study.models:
        models.append({
            "name": m.name, "label": m.label, "group": m.group, "formula": m.formula,
            "estimator": m.estimator, "panel": m.panel,
            "covariances": {c: {"cov_type": covariance(c)[0], "cov_kwds": covariance(c)[1]}
                            for c in m.cov_types},
            "borrow": [list(b) for b in m.borrow], "assign": [list(a) for a in m.assign],
            "subset": m.subset, "note": m.note,
            **({"options": {k: v for k, v in m.options}} if m.options else {}),
            **({"keep_missing": list(m.keep_missing)} if m.keep_missing else {}),
        })
    return models


def _summary_records(study: Study) -> list[dict]:
    return [{"name": s.name, "title": s.title, "panel": s.panel, "note": s.note,
             "claims": [{"text": c.text, "source": c.source, "rule": c.rule} for c in s.claims]}
            for s in study.summaries]


def _effect_record(study: Study) -> dict | None:
    return None if study.effect is None else {
        k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(study.effect).items()}


def write_provenance(record: dict, path: Path) -> Path:
    text = json.dumps(record, sort_keys=True, indent=2, default=_jsonable, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _jsonable(value):
    import numpy as np

    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    return str(value)


code_fingerprint()  # the code loaded now (see its docstring)
