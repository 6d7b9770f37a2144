"""Published coefficients a user supplies, shown next to the reproduced ones.

foedus ships no published numbers: a user who has the paper writes a small CSV and passes it
with ``foedus replicate <study> --published FILE`` (or puts ``<study>.csv`` in the folder named
by ``--published-dir`` / ``FOEDUS_PUBLISHED_DIR``). Columns:

========  ========  ==========================================================================
column    required  meaning
========  ========  ==========================================================================
variable  yes       regressor name as in the study's formulas (``ptargdef``, ``Intercept``)
estimate  yes       published coefficient
se        no        published standard error
model     no        model name in the study (default: the study's main model)
data      no        data version name the row applies to (default: every data version)
========  ========  ==========================================================================
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from foedus.replication.study import Study

ENV_DIR = "FOEDUS_PUBLISHED_DIR"


def published_path(study: Study, path: str | os.PathLike | None = None,
                   directory: str | os.PathLike | None = None) -> Path | None:
    """The published-values file for ``study``: ``path``, else ``<directory or $FOEDUS_PUBLISHED_DIR>/<study>.csv``."""
    if path is not None:
        p = Path(path).expanduser()
        if not p.is_file():
            raise FileNotFoundError(f"published values file {p} does not exist")
        return p
    folder = directory or os.environ.get(ENV_DIR)
    if not folder:
        return None
    p = Path(folder).expanduser() / f"{study.name}.csv"
    return p if p.is_file() else None


def read_published(study: Study, path: Path) -> pd.DataFrame:
    """Read and check a published-values CSV; returns columns data, model, variable, estimate, se."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as err:  # noqa: BLE001 - any parse failure is the user's file
        raise ValueError(f"{path}: cannot be read as CSV: {err}") from err
    raw.columns = [c.strip().lower() for c in raw.columns]
    missing = {"variable", "estimate"} - set(raw.columns)
    if missing:
        raise ValueError(f"{path}: required column(s) {sorted(missing)} missing; columns are "
                         f"{list(raw.columns)} (need variable, estimate; optional se, model, data)")
    out = pd.DataFrame({
        "data": raw["data"].str.strip() if "data" in raw else "",
        "model": raw["model"].str.strip() if "model" in raw else "",
        "variable": raw["variable"].str.strip(),
    })
    out.loc[out["model"] == "", "model"] = study.main.name
    for col in ("estimate", "se"):
        text = raw[col].str.strip() if col in raw else pd.Series("", index=raw.index)
        values = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = values.isna() & (text != "")
        if bad.any():
            line = int(bad.to_numpy().nonzero()[0][0]) + 2
            raise ValueError(f"{path}, line {line}: column {col!r} holds {text[bad].iloc[0]!r}, not a number")
        out[col] = values
    if out["estimate"].isna().any():
        line = int(out["estimate"].isna().to_numpy().nonzero()[0][0]) + 2
        raise ValueError(f"{path}, line {line}: 'estimate' is empty")
    models = {m.name for m in study.models}
    unknown = sorted(set(out["model"]) - models)
    if unknown:
        raise ValueError(f"{path}: unknown model(s) {unknown}; models of {study.name}: {sorted(models)}")
    datas = {d.name for d in study.data}
    unknown = sorted(set(out["data"]) - datas - {""})
    if unknown:
        raise ValueError(f"{path}: unknown data version(s) {unknown}; known: {sorted(datas)}")
    dup = out.duplicated(["data", "model", "variable"], keep=False)
    if dup.any():
        raise ValueError(f"{path}: duplicate rows for {out.loc[dup, ['model', 'variable']].iloc[0].tolist()}")
    return out.reset_index(drop=True)


def lookup(published: pd.DataFrame | None, data: str, model: str, variable: str) -> tuple[float, float] | None:
    """Published (estimate, se) for one cell, a data-specific row winning over a general one."""
    if published is None:
        return None
    rows = published[(published["model"] == model) & (published["variable"] == variable)]
    specific = rows[rows["data"] == data]
    rows = specific if len(specific) else rows[rows["data"] == ""]
    if not len(rows):
        return None
    r = rows.iloc[0]
    return float(r["estimate"]), float(r["se"])
