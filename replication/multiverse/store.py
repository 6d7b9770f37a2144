"""The results store: finished specifications, one JSON line each, reused only while their inputs hold.

A stored row is keyed by its specification's id (a hash of the panel spec's digest, the rows,
the formula, the estimator and the covariance: :attr:`Specification.id`) and names the *inputs*
it was computed from (``inputs``): the registered files the panel was built from (with their
sha256), the foedus version and the fingerprint of the data code
(:func:`foedus.data.cache.code_fingerprint`). A successful row is reused only when its inputs
still hold (the same version and data code, each file still registered with that hash and
unchanged on disk: :func:`foedus.data.fetch.stale_input`); otherwise it is fitted again.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

#: Bump when the meaning of a stored row changes, so that old rows are not reused.
STORE_SCHEMA = 1


def _json(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def inputs_record(files: Iterable) -> dict:
    """What a panel's results depend on besides its spec: input files, foedus version, data code."""
    import foedus
    from foedus.data.cache import code_fingerprint

    return {"files": sorted([list(f) for f in files]), "foedus": foedus.__version__,
            "code": code_fingerprint()}


class ResultStore:
    """Append-only JSON-lines file: one finished specification per line, keyed by its id.

    Lines are flushed and synced as they are written, so an interruption loses at most the line
    being written; a truncated last line is ignored on reading.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._holds: dict[str, bool] = {}  # inputs (as JSON) -> whether they still hold

    def load(self) -> dict[str, dict]:
        """The stored rows by specification id (the last line of an id wins)."""
        out: dict[str, dict] = {}
        if not self.path.exists():
            return out
        with self.path.open() as fh:
            for line in fh:
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:  # an interrupted write
                    continue
                if row.get("schema") == STORE_SCHEMA and "id" in row:
                    out[row["id"]] = row
        return out

    def current(self, row: dict) -> bool:
        """Whether the inputs of a stored row still hold (False for a row that names none)."""
        import foedus
        from foedus.data.cache import code_fingerprint
        from foedus.data.fetch import stale_input

        inputs = row.get("inputs")
        if not isinstance(inputs, dict):
            return False
        key = json.dumps(inputs, sort_keys=True)
        if key not in self._holds:
            self._holds[key] = (inputs.get("foedus") == foedus.__version__
                                and inputs.get("code") == code_fingerprint()
                                and stale_input(inputs.get("files", [])) is None)
        return self._holds[key]

    def append(self, rows: Iterable[dict], inputs: dict | None = None) -> None:
        """Write ``rows``, each naming ``inputs`` (:func:`inputs_record`) when given."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        extra = {} if inputs is None else {"inputs": inputs}
        with self.path.open("a") as fh:
            for row in rows:
                fh.write(json.dumps({"schema": STORE_SCHEMA, **row, **extra}, sort_keys=True,
                                    default=_json) + "\n")
            fh.flush()
            os.fsync(fh.fileno())


__all__ = ["STORE_SCHEMA", "ResultStore", "inputs_record"]
