"""Are a study's outputs current? What ``foedus replicate`` skips and the docs build reruns.

The outputs in ``results/<study>/`` are current when everything that determines them is as
their ``provenance.json`` records it:

- the outputs themselves: every file the provenance lists is there with the recorded sha256;
- the code: the code fingerprint (:func:`~foedus.replication.provenance.code_fingerprint`:
  foedus's sources and registry files, registered studies among them);
- the inputs: every input file still has the recorded sha256 in the registry and on disk
  (:func:`foedus.data.fetch.stale_input`);
- the software: the recorded versions of Python, numpy, pandas, scipy, ... (numerics may change
  with them);
- the run's arguments, when the study to run is given: the study's definition and year range
  (:func:`~foedus.replication.provenance.study_digest`) and the published-values file (name and
  sha256, or none).

Not compared: the git commit (a commit that changes no code changes no output) and the number of
workers (outputs do not depend on it). A custom panel source is not seen either: callers that
pass one should not skip (:func:`foedus.replication.replicate` reruns by default).
"""
from __future__ import annotations

import json
from pathlib import Path

from foedus.replication.study import RESTRICTED, Study


def read_provenance(folder: Path) -> dict | None:
    """The ``provenance.json`` in ``folder`` (None when there is none)."""
    path = Path(folder) / "provenance.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def study_stale(folder: Path, study: Study | None = None, *, published: Path | None = None) -> str | None:
    """Why the outputs in ``folder`` are not current, or None when they are.

    Parameters
    ----------
    folder : path
        A study's output folder (``results/<study>``).
    study : Study, optional
        The study about to be run (with its ``--years`` applied). Given, its definition and the
        ``published`` file must be those of the recorded run. Omitted (the docs build, which shows
        the published designs), a run restricted to a subsample of years is stale.
    published : path, optional
        The published-values file of the run about to be made (only read with ``study``).
    """
    from foedus.data.fetch import stale_input
    from foedus.replication.provenance import (code_fingerprint, package_versions, published_record,
                                               sha256_path, study_digest)

    folder = Path(folder)
    prov = read_provenance(folder)
    if prov is None or not (folder / "table.md").is_file():
        return "no outputs yet"
    if prov.get("code_fingerprint") != code_fingerprint():
        return "made by other code (the code fingerprint differs)"
    for name, digest in sorted(prov["outputs"].items()):
        path = folder / name
        if not path.is_file():
            return f"{name} is missing"
        if sha256_path(path) != digest:
            return f"{name} has changed since the run"
    reason = stale_input([(r["dataset"], r["version"], r["file"], r["sha256"])
                          for r in prov["inputs"]])
    if reason:
        return f"an input changed: {reason}"
    software = package_versions()
    recorded = prov.get("software", {})
    # foedus itself: the code fingerprint; a package the record does not list: not compared
    changed = sorted(k for k in software if k != "foedus" and k in recorded and recorded[k] != software[k])
    if changed:
        return f"made with other software ({', '.join(f'{k} {recorded.get(k)} -> {software[k]}' for k in changed)})"
    if study is None:
        restricted = [n for n in prov.get("notes", []) if n.startswith(RESTRICTED)]
        return restricted[0] if restricted else None
    if prov.get("study_digest") != study_digest(study):
        return "the study or its year range differs from the recorded run"
    if prov.get("published_values") != published_record(published):
        return "the published values differ from the recorded run's"
    return None


__all__ = ["RESTRICTED", "read_provenance", "study_stale"]
