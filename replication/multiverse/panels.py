"""The panel files of a multiverse (main process): each distinct panel built once, the columns
the fits read written once per panel key to ``<FOEDUS_CACHE>/multiverse/``."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from foedus.data.spec import PanelSpec
from foedus.replication.multiverse.grid import Specification
from foedus.replication.sample import KEYS, borrow_column, float_frame

PanelSource = Callable[[PanelSpec], object]  # spec -> object with .frame


def default_panel_source(cache: bool = True) -> PanelSource:
    """The studies' real builder (:class:`foedus.replication.run.BuildPanel`: the panel cache)."""
    from foedus.replication.run import BuildPanel

    return BuildPanel(cache=cache)


class _PanelMemo:
    """Panels of this run as float frames of the needed columns, the last ``size`` kept.

    Panel files are prepared main panel by main panel, so a panel shared by several files (the
    baseline with and without a borrowed column) is built once.
    """

    def __init__(self, source: PanelSource, columns: set, size: int = 3):
        self.source, self.columns, self.size = source, sorted(columns | set(KEYS)), size
        self.frames: dict[str, pd.DataFrame] = {}
        #: spec digest -> the registered files the panel was built from (its provenance)
        self.files: dict[str, tuple] = {}

    def get(self, spec: PanelSpec) -> pd.DataFrame:
        key = spec.digest()
        if key in self.frames:
            self.frames[key] = self.frames.pop(key)
        else:
            panel = self.source(spec)
            self.files[key] = tuple(getattr(panel, "files", ()))
            self.frames[key] = float_frame(panel.frame, self.columns)
            while len(self.frames) > self.size:
                self.frames.pop(next(iter(self.frames)))
        return self.frames[key]


def panel_file(spec: Specification, panels: _PanelMemo, folder: Path) -> tuple[Path, list]:
    """Write (once) the columns a specification's fits need, with borrowed columns substituted.

    Returns the file and the registered input files ``(dataset, version, file, sha256)`` of its
    panels (what the results store keys its rows by, besides the specification).

    The file name holds the panel key, a hash of the columns (grids with other formulas sharing a
    panel get their own file) and the data code's fingerprint; its sidecar names the input files,
    and a file whose inputs changed is rewritten (as the panel cache, :mod:`foedus.data.cache`).
    """
    from foedus.data.cache import code_fingerprint, entry_meta, write_entry
    from foedus.data.fetch import stale_input

    columns = hashlib.sha256(" ".join(panels.columns).encode()).hexdigest()[:8]
    path = folder / f"{spec.panel_key}-{columns}-{code_fingerprint()}.parquet"
    meta = entry_meta(path)
    if meta is not None and stale_input(meta.get("files", [])) is None:
        return path, [tuple(f) for f in meta.get("files", [])]
    frame = panels.get(spec.panel).copy()
    for col, other_spec in spec.borrow:
        other = panels.get(other_spec)
        if col not in other.columns:
            raise KeyError(f"borrowed column {col!r} is not in panel {other_spec.digest()}")
        frame[col] = borrow_column(frame, other, col)
    files = sorted({tuple(f) for s in (spec.panel, *(o for _, o in spec.borrow))
                    for f in panels.files[s.digest()]})
    write_entry(path, frame, {"files": [list(f) for f in files]})
    if not path.is_file():
        raise OSError(f"could not write the multiverse panel file {path}: set FOEDUS_CACHE to a "
                      "writable folder (the fits read their panel from it)")
    return path, files


__all__ = ["PanelSource", "default_panel_source", "panel_file"]
