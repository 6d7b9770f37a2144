"""Build a dyad-year panel from a :class:`~foedus.data.spec.PanelSpec`.

The universe of dyad-years comes first; every later step is a left join onto it that never adds,
drops or reorders rows (checked here, after every step). Sample filters run last, and each reports
the rows it removed. The finished panel is cached on disk as parquet, keyed by the spec's digest
and the fingerprint of the data layer's code; a cached panel is used only while every input file
it was built from is still registered with, and on disk has, the hash it was built from
(:mod:`foedus.data.cache` explains the design).

Step protocol
-------------
A step is a function ``step(frame, spec, log) -> frame`` that returns the same rows, in the same
order, with new columns. ``log`` is the :class:`BuildLog` of this build: a step records there what
a reader of the panel must know (rows that found no match in a source, ties a rule decided, ...).
Each is declared in :data:`STEPS` as a :class:`foedus.data.steps.Step` with the columns it
requires and adds; the builder orders the steps from these declarations and checks every run
against its declaration.

The step modules are imported here, not lazily: they import only numpy, pandas and each other
(their readers load on first call), and nothing imports this module on ``import foedus`` or
``import foedus.data``.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from foedus.data import (alliances, capabilities, contiguity, defender_capabilities, dispute_outcomes,
                         disputes, distance, dyad_indicators, gleditsch_ward, majors,
                         nuclear_defenders, pact_formation, regime, rivalries, sscore, temporal)
from foedus.data.cache import cache_folder, code_fingerprint, entry_meta, read_entry, write_entry
from foedus.data.fetch import stale_input, track_reads
from foedus.data.keys import add_dyad_ids
from foedus.data.spec import PanelSpec
from foedus.data.steps import Step, order_steps

#: The steps, in the order they run where their declarations leave the order free (the builder
#: orders them with :func:`foedus.data.steps.order_steps`: a step runs after the makers of the
#: columns it requires or uses). Temporal terms count years since a dispute; the
#: politically-relevant filter needs ``prd``, which the majors step builds.
STEPS: tuple[Step, ...] = (
    Step("alliances", alliances.add_alliances, lambda s: s.alliances is not None,
         adds=alliances.step_columns),
    Step("pact_formation", pact_formation.add_pact_formation,
         lambda s: s.alliances is not None and s.alliances.pact_formation == "kv2017",
         adds=pact_formation.COLUMNS, requires=("ptargdef", "targdef_ids")),
    Step("disputes", disputes.add_disputes, lambda s: s.disputes is not None,
         adds=disputes.COLUMNS),
    Step("dispute_outcomes", dispute_outcomes.add_dispute_outcomes,
         lambda s: s.disputes is not None and s.outcomes is not None,
         adds=dispute_outcomes.COLUMNS, requires=("dispute", "dispnum")),
    Step("capabilities", capabilities.add_capabilities,
         lambda s: s.covariates is not None and s.covariates.capabilities,
         adds=capabilities.COLUMNS),
    Step("defender_capabilities", defender_capabilities.add_defender_capabilities,
         lambda s: s.outcomes is not None and s.outcomes.defenders,
         adds=defender_capabilities.COLUMNS, requires=("dispute",)),
    Step("contiguity", contiguity.add_contiguity,
         lambda s: s.covariates is not None and s.covariates.contiguity,
         adds=contiguity.COLUMNS),
    Step("distance", distance.add_distance,
         lambda s: s.system == "cow" and s.covariates is not None
         and (s.covariates.distance or s.covariates.mindist),
         adds=distance.step_columns),
    Step("gw_distance", gleditsch_ward.add_gw_distance,
         lambda s: s.system == "gw" and s.covariates is not None
         and (s.covariates.distance or s.covariates.mindist),
         adds=distance.step_columns, requires=("gwcode1", "gwcode2")),
    Step("regime", regime.add_regime,
         lambda s: s.covariates is not None and s.covariates.regime is not None,
         adds=regime.step_columns),
    Step("majors", majors.add_majors,
         lambda s: s.covariates is not None and (s.covariates.majors or s.sample.politically_relevant),
         adds=majors.COLUMNS, uses=("conttype",)),
    Step("dyad_indicators", dyad_indicators.add_dyad_indicators,
         lambda s: s.covariates is not None and s.covariates.dyad_indicators,
         adds=dyad_indicators.step_columns, uses=("atopids", "major1", "major2")),
    Step("sscore", sscore.add_sscore,
         lambda s: s.covariates is not None and bool(s.covariates.sscore) and s.alliances is not None,
         adds=sscore.step_columns),
    Step("temporal", temporal.add_peace_years,
         lambda s: s.temporal is not None and s.temporal.peace_years and s.disputes is not None,
         adds=temporal.step_columns, requires=("onset", "ongoing", "dispute")),
    Step("rivalries", rivalries.add_rivalries,
         lambda s: s.covariates is not None and s.covariates.rivalries,
         adds=rivalries.COLUMNS),
    Step("midcount", temporal.add_midcount,
         lambda s: s.temporal is not None and s.temporal.midcount and s.disputes is not None,
         adds=("midcount",), requires=("onset",)),
    Step("nuclear", nuclear_defenders.add_nuclear,
         lambda s: s.covariates is not None and s.covariates.nuclear is not None,
         adds=nuclear_defenders.step_columns),
)


@dataclass
class BuildLog:
    """What happened while a panel was built: one record per step, plus notes."""

    records: list[dict] = field(default_factory=list)

    def note(self, step: str, message: str, **counts: int) -> None:
        """Record a fact a user of the panel must know (with counts where there are any)."""
        self.records.append({"step": step, "message": message, **counts})

    def lines(self) -> list[str]:
        return [f"[{r['step']}] {r['message']}" for r in self.records]


@dataclass(frozen=True)
class Panel:
    """A dyad-year frame together with the spec that built it and the build log.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per dyad-year; ``ccode1`` (challenger / state A), ``ccode2``, ``year`` first.
    spec : PanelSpec
        Every coding choice behind ``frame``.
    log : tuple of dict
        Records from the build (rows removed by filters, ties decided by rules, ...).
    files : tuple of (dataset, version, file, sha256)
        The registered files read to build the panel, sorted (kept in the cache's metadata, so a
        panel read from the cache still names its inputs).
    """

    frame: pd.DataFrame
    spec: PanelSpec
    log: tuple = ()
    files: tuple = ()

    def __len__(self) -> int:
        return len(self.frame)

    def describe(self) -> str:
        """The spec's description followed by the build log."""
        return "\n".join([self.spec.describe(), *(f"[{r['step']}] {r['message']}" for r in self.log)])


def _progress(enabled: bool, message: str) -> None:
    # a build's stages: on standard error when asked (progress=True, `foedus panel`), else a
    # debug message (`foedus -v`)
    if enabled:
        from foedus.progress import echo

        echo(message)
    else:
        logging.getLogger(__name__).debug(message)


def build_panel(
    spec: PanelSpec | None = None, *, cache: bool = True, progress: bool = False,
    columns: list | None = None,
) -> Panel:
    """Build (or load from the cache) the dyad-year panel a spec describes.

    Parameters
    ----------
    spec : PanelSpec, optional
        The coding choices; the defaults of :class:`PanelSpec` when omitted.
    cache : bool
        Read and write the on-disk parquet cache
        (``<FOEDUS_CACHE>/panels/<spec digest>-<code fingerprint>.parquet``); a cached panel whose
        input files changed, went missing or were re-registered is rebuilt.
    progress : bool
        Print each step and its time to standard error.
    columns : list of str, optional
        Return only these columns (after the keys ccode1, ccode2, year). From the cache only
        these columns are read, which is several times faster for a model's few variables.

    Returns
    -------
    Panel
    """
    from foedus.data.sample import apply_sample
    from foedus.data.universe import build_universe

    spec = spec or PanelSpec()
    folder = cache_folder("panels") if cache else None
    path = folder / f"{spec.digest()}-{code_fingerprint()}.parquet" if folder is not None else None
    if path is not None:
        cached = _read_cached(path, spec, columns)
        if isinstance(cached, Panel):
            _progress(progress, f"panel {spec.digest()}: read from cache {path}")
            return cached
        if cached:
            _progress(progress, f"panel {spec.digest()}: cached copy is stale ({cached}); rebuilding")

    log = BuildLog()
    t0 = time.perf_counter()
    with track_reads() as read:  # provenance: the files this panel is built from
        frame = (gleditsch_ward.build_gw_universe(spec, log) if spec.system == "gw"
                 else build_universe(spec, log))
        _progress(progress, f"universe: {len(frame):,} dyad-years ({time.perf_counter() - t0:.2f} s)")
        made_by: dict = {}
        for step in order_steps(STEPS, spec, frame.columns):
            t = time.perf_counter()
            frame = step.run(frame, spec, log, made_by)
            _progress(progress, f"{step.name}: done ({time.perf_counter() - t:.2f} s)")
        frame = apply_sample(frame, spec, log)
    frame = add_dyad_ids(frame.reset_index(drop=True))
    if spec.system == "gw":
        frame = gleditsch_ward.gw_dyad_ids(frame)
    _progress(progress, f"panel: {len(frame):,} rows ({time.perf_counter() - t0:.2f} s)")
    files = tuple(sorted({(f.dataset, f.version, f.name, f.sha256) for f in read}))
    user = sorted({f.relpath for f in read if f.user_supplied})
    if user:
        log.note("inputs", f"built from user-supplied file(s), not the published releases: {', '.join(user)}",
                 user_supplied=len(user))
    panel = Panel(frame=frame, spec=spec, log=tuple(log.records), files=files)
    if path is not None:
        _write_cached(path, panel)
    if columns is not None:
        panel = Panel(frame=panel.frame[_selected(list(panel.frame.columns), columns)], spec=spec,
                      log=panel.log, files=panel.files)
    return panel


def _selected(available: list, columns) -> list:
    """The keys, then the requested columns in the order given; unknown names are an error."""
    keys = ["ccode1", "ccode2", "year"]
    missing = [c for c in columns if c not in available]
    if missing:
        raise KeyError(f"panel has no column(s) {missing}; its columns: {available}")
    return keys + [c for c in dict.fromkeys(columns) if c not in keys]


def _write_cached(path: Path, panel: Panel) -> None:
    write_entry(path, panel.frame, {"spec": json.loads(panel.spec.to_json()), "log": list(panel.log),
                                    "files": [list(f) for f in panel.files]})


def _read_cached(path: Path, spec: PanelSpec, columns=None) -> Panel | str | None:
    """The cached panel; why it is stale (an input changed); None when absent or damaged.

    The inputs are confirmed before the frame is read.
    """
    meta = entry_meta(path)
    if meta is None:
        return None
    if not isinstance(meta.get("files"), list) or not isinstance(meta.get("log"), list):
        return None  # written by code that did not record its inputs
    files = tuple(tuple(f) for f in meta["files"])
    reason = stale_input(files)
    if reason is not None:
        return reason
    entry = read_entry(path, None if columns is None else (lambda names: _selected(names, columns)))
    if entry is None:
        return None
    return Panel(frame=entry[0], spec=spec, log=tuple(meta["log"]), files=files)


def cached_frame(kind: str, digest: str, build: Callable[[], pd.DataFrame], *, cache: bool = True) -> pd.DataFrame:
    """A frame other than a panel (e.g. the commitment table), cached as the panels are.

    Entry ``<FOEDUS_CACHE>/<kind>/<digest>-<code fingerprint>.parquet`` (``digest``: the caller's
    sha256 of what the frame depends on, as :meth:`PanelSpec.digest` for panels), written with
    :func:`foedus.data.cache.write_entry`; its sidecar records the registered files ``build``
    read, a warm entry is used only while they hold (:func:`foedus.data.fetch.stale_input`), and
    a read from the cache records those files in every open :func:`track_reads` block, so a
    panel built on a cached table still names its inputs.
    """
    folder = cache_folder(kind) if cache else None
    path = folder / f"{digest}-{code_fingerprint()}.parquet" if folder is not None else None
    if path is not None:
        meta = entry_meta(path)
        files = meta.get("files") if meta is not None else None
        if isinstance(files, list) and stale_input(tuple(tuple(f) for f in files)) is None:
            entry = read_entry(path)
            if entry is not None:
                _replay_reads(files)
                return entry[0]
    with track_reads() as read:
        frame = build()
    if path is not None:
        write_entry(path, frame, {"files": sorted([f.dataset, f.version, f.name, f.sha256] for f in read)})
    return frame


def _replay_reads(files) -> None:
    """Record the registered files behind a cached frame as read (provenance of what uses it)."""
    from foedus.data.fetch import _READ_TRACKERS
    from foedus.data.registry import current_registry

    reg = current_registry()
    for dataset, version, name, _ in files:
        f = reg.get(dataset, version).file(name)
        for tracker in _READ_TRACKERS:
            tracker.append(f)
