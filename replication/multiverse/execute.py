"""Running a multiverse: panels prepared in this process, fits in workers, rows into the store.

Fits run in this process (``workers=1``), in a local process pool
(:func:`foedus.replication.pool.process_pool`) or on a Dask distributed cluster (the workers
must see the panel files in ``<FOEDUS_CACHE>/multiverse/``). Whatever runs them, the rows come
back to this process, which writes the store and advances the one progress display.
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from foedus.progress import Progress
from foedus.replication.multiverse.grid import Multiverse, Specification
from foedus.replication.multiverse.panels import PanelSource, _PanelMemo, default_panel_source, panel_file
from foedus.replication.multiverse.report import MultiverseResult, results_table, summarise, write_outputs
from foedus.replication.multiverse.store import ResultStore, inputs_record
from foedus.replication.multiverse.tasks import fit_task


def _executor(workers: int | None, scheduler):
    """(executor, close): a Dask client executor, a process pool, or (None, None) in-process."""
    if scheduler is not None:
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - depends on the installed extras
            raise ImportError("a Dask scheduler needs dask.distributed: "
                              "pip install 'foedus[multiverse]'") from None
        client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
        executor = client.get_executor(pure=False)

        def close():
            executor.shutdown(wait=True)
            if client is not scheduler:  # a client we opened (never the user's cluster)
                client.close()

        return executor, close
    workers = workers or os.cpu_count() or 1
    if workers <= 1:
        return None, None
    from foedus.replication.pool import process_pool

    pool = process_pool(workers)
    # on an interruption, queued fits are cancelled; finished ones are already in the store
    return pool, lambda: pool.shutdown(wait=True, cancel_futures=True)


def _drain(pending: dict, record, block: bool) -> dict:
    from concurrent.futures import FIRST_COMPLETED, wait

    while pending:
        done, _ = wait(list(pending), timeout=None if block else 0, return_when=FIRST_COMPLETED)
        if not done:
            break
        for fut in done:
            label, inputs = pending.pop(fut)
            record(fut.result(), label, inputs)
    return pending


def _task_label(specs: list[Specification], mv: Multiverse) -> str:
    s = specs[0]
    base = {c.name: c.levels[0].label for c in mv.choices}
    moved = [f"{name}={label}" for name, label in s.choices
             if label != base[name] and name in {c.name for c in mv.data_choices}]
    return ", ".join(moved) or "baseline"


def _outcome(rows: list[dict]) -> str:
    ok = [r for r in rows if r["estimate"] is not None]
    if not ok:
        return f"error: {rows[0]['error']}"
    n = len({r['error'] for r in rows if r["estimate"] is None and r["error"]})
    return f"N={ok[0]['n']:,}" + (f", {n} failed" if n else "")


def _tasks(todo: list[Specification]) -> dict[str, list[list[list[Specification]]]]:
    """Specifications grouped into tasks: panel file -> samples (its row filters) -> fits
    (specifications sharing a fit differ in covariance only). A task is one sample with every
    fit on it, so that a worker prepares the sample and builds its design once. Panel files
    sharing a main panel come one after another (the panel memo then builds it once)."""
    samples: dict[tuple, dict[tuple, list[Specification]]] = {}
    for s in todo:
        samples.setdefault((s.panel_key, s.rows), {}).setdefault(s.fit_key, []).append(s)
    by_panel: dict[str, list[list[list[Specification]]]] = {}
    for (panel_key, _), fits in samples.items():
        by_panel.setdefault(panel_key, []).append(list(fits.values()))
    first_seen: dict[str, int] = {}
    for tasks in by_panel.values():
        first_seen.setdefault(tasks[0][0][0].panel.digest(), len(first_seen))
    return dict(sorted(by_panel.items(), key=lambda kv: first_seen[kv[1][0][0][0].panel.digest()]))


def run_multiverse(
    multiverse: Multiverse,
    *,
    output: str | os.PathLike | None = None,
    depth: int | None | str = "default",
    workers: int | None = None,
    scheduler=None,
    panel_source: PanelSource | None = None,
    retry_failed: bool = True,
    report: bool = True,
    progress: bool = True,
    stream=None,
) -> MultiverseResult:
    """Fit every specification of a multiverse; write the table, the figure and the summary.

    Parameters
    ----------
    multiverse : Multiverse
    output : path, optional
        Folder of the outputs and of the results store (``results.jsonl``); a rerun with the same
        folder skips finished specifications whose inputs still hold
        (:class:`~foedus.replication.multiverse.store.ResultStore`). Nothing is written when None
        (and nothing resumed).
    depth : int, None or "default"
        Data choices that may depart from their baseline at once (None: the full product).
    workers : int, optional
        Local worker processes (default: every core; 1 fits in this process).
    scheduler : str or distributed.Client, optional
        A Dask scheduler address (``"tcp://host:8786"``) or client: fits run on its workers, which
        must see the panel files in ``<FOEDUS_CACHE>/multiverse/``.
    panel_source : callable, optional
        ``spec -> panel`` (with ``.frame``); the cached real builder by default (tests pass fakes).
    retry_failed : bool
        Refit specifications stored with an error (the default: the data or the code may have
        been fixed since); False keeps their stored errors.
    report : bool
        Write the table, the figure and the summary into ``output`` (the store is always written).
    progress : bool
        A progress display (:class:`foedus.progress.Progress`) on standard error (``stream``).
    """
    from foedus.data.cache import cache_folder

    t_start = time.perf_counter()
    mv = multiverse
    source = panel_source or default_panel_source()
    specs = mv.specifications(depth)
    directory = Path(output) if output is not None else None
    store = ResultStore(directory / "results.jsonl") if directory is not None else None
    stored = store.load() if store is not None else {}
    finished = {i for i, r in stored.items()
                if (r.get("error") and not retry_failed) or (not r.get("error") and store.current(r))}
    stored = {i: r for i, r in stored.items() if i in finished}
    todo = [s for s in specs if s.id not in finished]
    by_panel = _tasks(todo)
    # an unusable cache (warned) gives a private folder: the fits still read their panels from files
    folder = cache_folder("multiverse") or Path(tempfile.mkdtemp(prefix="foedus-multiverse-"))
    panels = _PanelMemo(source, mv.columns)
    results: dict[str, dict] = {}
    bar = Progress(total=len(todo), label=f"multiverse {mv.name}", unit="specifications",
                   stream=stream, enabled=None if progress else False)
    bar.start()
    bar.write(f"multiverse {mv.name}: {len(specs)} specifications on "
              f"{len({s.panel_key for s in specs})} panel(s); {len(specs) - len(todo)} already in "
              f"the store, {len(todo)} to fit")

    def record(rows: list[dict], label: str, inputs: dict | None) -> None:
        for r in rows:
            results[r["id"]] = r
        if store is not None:
            store.append(rows, inputs)
        bar.advance(len(rows), note=f"{label} · {_outcome(rows)}")

    executor, close = _executor(workers, scheduler) if todo else (None, None)
    pending = {}
    try:
        for key, tasks in by_panel.items():
            first = tasks[0][0][0]
            try:
                path, files = panel_file(first, panels, folder)
            except Exception as err:  # noqa: BLE001 - every specification on it fails, the run goes on
                message = f"panel build failed: {type(err).__name__}: {err}".splitlines()[0]
                for fits in tasks:
                    record([{"id": s.id, "error": message, "estimate": None, "seconds": 0.0,
                             "warnings": ""} for group in fits for s in group],
                           _task_label(fits[0], mv), None)
                continue
            inputs = inputs_record(files)
            for fits in tasks:
                task = {"path": str(path), "rows": list(fits[0][0].rows), "formula": mv.formula,
                        "variable": mv.variable,
                        "fits": [{"estimator": group[0].estimator,
                                  "fit_kwds": [list(kv) for kv in group[0].fit_kwds],
                                  "specs": [(s.id, s.cov_type) for s in group]} for group in fits]}
                label = _task_label(fits[0], mv)
                if executor is None:
                    record(fit_task(task), label, inputs)
                else:
                    pending[executor.submit(fit_task, task)] = (label, inputs)
            pending = _drain(pending, record, block=False)
        _drain(pending, record, block=True)
    finally:
        if close is not None:
            close()
        bar.close()
    rows_by_id = {**stored, **results}
    table = results_table(mv, specs, rows_by_id)
    summary = summarise(mv, table)
    out = MultiverseResult(mv, table, summary, directory, fitted=len(results),
                           seconds=time.perf_counter() - t_start)
    if directory is not None and report:
        out.files = write_outputs(out, directory)
    bar.write(f"multiverse {mv.name}: {len(table)} specifications, {summary['n_failed']} failed; "
              f"{len(results)} fitted in this run ({out.seconds:.0f} s)")
    return out


__all__ = ["run_multiverse"]
