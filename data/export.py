"""Write a panel for use outside Python: parquet, CSV, Stata ``.dta``, Feather, with a sidecar.

Every export is two files: the data (``panel.dta``) and ``panel.dta.json`` beside it with the
spec (canonical JSON, its hash and its description), the build log, every input file with its
sha256, the foedus version and a data dictionary (column, label, type). R reads parquet and
Feather natively (``arrow::read_parquet``, ``arrow::read_feather``) and Stata files with
``haven::read_dta``; Stata gets variable labels and value labels for coded columns
(:mod:`foedus.data.columns`).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from foedus.data.columns import VALUE_LABELS, label

#: File suffix -> format name.
FORMATS = {".parquet": "parquet", ".csv": "csv", ".dta": "stata", ".feather": "feather"}


def format_of(path: str | os.PathLike, fmt: str | None = None) -> str:
    """The export format named by ``fmt`` or by the file's suffix."""
    if fmt is not None:
        if fmt not in FORMATS.values():
            raise ValueError(f"unknown format {fmt!r}; choose one of {sorted(set(FORMATS.values()))}")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot tell the format of {os.fspath(path)!r} from its suffix; use one of "
                         f"{', '.join(FORMATS)} or give the format")
    return FORMATS[suffix]


def _for_stata(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as text; nullable integers as float (Stata's missing value is '.')."""
    out = {}
    for c in frame.columns:
        s = frame[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(str)
        elif pd.api.types.is_extension_array_dtype(s.dtype) and pd.api.types.is_numeric_dtype(s.dtype):
            s = s.astype("float64") if s.isna().any() else s.astype(s.dtype.numpy_dtype)
        elif pd.api.types.is_bool_dtype(s.dtype):
            s = s.astype("int8")
        out[c] = s
    return pd.DataFrame(out)


def sidecar(panel) -> dict:
    """The metadata written beside an exported panel."""
    from foedus import __version__

    frame = panel.frame
    return {
        "foedus_version": __version__,
        "rows": len(frame),
        "spec": json.loads(panel.spec.to_json()),
        "spec_hash": panel.spec.digest(),
        "describe": panel.spec.describe().splitlines(),
        "log": list(panel.log),
        "inputs": [{"dataset": d, "version": v, "file": f, "sha256": h} for d, v, f, h in panel.files],
        "columns": [{"name": c, "label": label(c), "dtype": str(frame[c].dtype),
                     **({"values": {str(k): v for k, v in VALUE_LABELS[c].items()}}
                        if c in VALUE_LABELS else {})} for c in frame.columns],
    }


def write_panel(panel, path: str | os.PathLike, fmt: str | None = None) -> tuple[Path, Path]:
    """Write ``panel`` to ``path`` in ``fmt`` (default: from the suffix) and its sidecar.

    Returns
    -------
    (data path, sidecar path)
    """
    path = Path(path)
    fmt = format_of(path, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = panel.frame
    if fmt == "parquet":
        frame.to_parquet(path, index=False)
    elif fmt == "feather":
        frame.reset_index(drop=True).to_feather(path)
    elif fmt == "csv":
        frame.to_csv(path, index=False, lineterminator="\n")
    else:
        data = _for_stata(frame)
        values = {c: {int(k): v for k, v in VALUE_LABELS[c].items()}
                  for c in data.columns if c in VALUE_LABELS}
        data.to_stata(path, write_index=False, version=118,
                      variable_labels={c: label(c) for c in data.columns},
                      value_labels=values or None,
                      data_label=f"foedus panel {panel.spec.digest()}"[:80])
    meta = path.with_name(path.name + ".json")
    meta.write_text(json.dumps(sidecar(panel), indent=1, sort_keys=True, default=int) + "\n")
    return path, meta


__all__ = ["FORMATS", "format_of", "sidecar", "write_panel"]
