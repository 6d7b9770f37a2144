"""Panel steps as declarations: what each one needs, what it adds, when the spec asks for it.

A :class:`Step` names its function directly (readers, IDEs and static tools follow it), the
columns it ``requires`` (an error before it runs when one is missing), the columns it ``uses``
when present (optional inputs, such as ``conttype`` for ``prd``), and the columns it ``adds``.
Each of these may be a tuple or a function of the spec. From these declarations the builder
orders the steps (:func:`order_steps`: a step runs after the steps that make what it reads,
otherwise in the order of the table) and checks every run (:meth:`Step.run`): the
requirements are present, the declared columns are new (a step never overwrites a column of the
universe or of an earlier step), the step adds exactly what it declared, and the columns that
were there before are unchanged.

:mod:`foedus.data.panel` holds the table of steps; this module knows none of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Union

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from foedus.data.spec import PanelSpec

#: Columns of every universe (the keys no step may alter).
KEYS = ("ccode1", "ccode2", "year")

Columns = Union[tuple, Callable[["PanelSpec"], Iterable[str]]]


class StepError(RuntimeError):
    """A panel step broke its declaration (a bug in the step: please report it), or the spec
    asks for a step whose inputs no earlier step provides."""


def _columns(declared: Columns, spec: "PanelSpec") -> tuple[str, ...]:
    return tuple(declared(spec) if callable(declared) else declared)


@dataclass(frozen=True)
class Step:
    """One panel step: ``function(frame, spec, log) -> frame`` with the same rows, in the same
    order, and the columns ``adds(spec)`` appended.

    Attributes
    ----------
    name : str
        The step's name in the build log and in errors.
    function : callable
        ``(frame, spec, log) -> frame``.
    wanted : callable
        ``wanted(spec) -> bool``: whether the spec asks for the step.
    adds : tuple of str, or callable
        The columns the step adds (a function of the spec when they depend on it).
    requires : tuple of str, or callable
        Columns the step reads, made by the universe or an earlier step.
    uses : tuple of str, or callable
        Columns the step reads when they are there (it runs after the steps that make them).
    """

    name: str
    function: Callable
    wanted: Callable[["PanelSpec"], bool]
    adds: Columns
    requires: Columns = ()
    uses: Columns = ()

    def added(self, spec: "PanelSpec") -> tuple[str, ...]:
        return _columns(self.adds, spec)

    def required(self, spec: "PanelSpec") -> tuple[str, ...]:
        return _columns(self.requires, spec)

    def used(self, spec: "PanelSpec") -> tuple[str, ...]:
        return _columns(self.uses, spec)

    def run(self, frame: "pd.DataFrame", spec: "PanelSpec", log, made_by: dict | None = None):
        """Run the step on ``frame`` and check it against its declaration.

        ``made_by`` maps the frame's columns to the step that added them (for the error when a
        step would overwrite one); the step's columns are added to it.
        """
        made_by = {} if made_by is None else made_by
        missing = [c for c in self.required(spec) if c not in frame.columns]
        if missing:
            raise StepError(f"panel step '{self.name}' requires column(s) {missing}, which the "
                            f"frame does not have (its columns: {list(frame.columns)})")
        adds = self.added(spec)
        taken = [c for c in adds if c in frame.columns]
        if taken:
            who = ", ".join(f"'{c}' (made by {made_by.get(c, 'the universe')})" for c in taken)
            raise StepError(f"panel step '{self.name}' would overwrite column(s) {who}; a step "
                            "adds new columns only (rename one of them)")
        after = self.function(frame, spec, log)
        _check_left_join(self.name, frame, after)
        new = [c for c in after.columns if c not in frame.columns]
        undeclared = [c for c in new if c not in adds]
        absent = [c for c in adds if c not in new]
        if undeclared or absent:
            raise StepError(
                f"panel step '{self.name}' added {new} but declares {list(adds)}"
                + (f"; undeclared: {undeclared}" if undeclared else "")
                + (f"; declared but not added: {absent}" if absent else "")
                + " (this is a bug in foedus: please report it)")
        dropped = [c for c in frame.columns if c not in after.columns]
        if dropped:
            raise StepError(f"panel step '{self.name}' dropped column(s) {dropped}; a step adds "
                            "new columns only (this is a bug in foedus: please report it)")
        changed = [c for c in frame.columns if not _unchanged(frame[c], after[c])]
        if changed:
            who = ", ".join(f"'{c}' (made by {made_by.get(c, 'the universe')})" for c in changed)
            raise StepError(f"panel step '{self.name}' overwrote column(s) {who}; a step adds new "
                            "columns only (this is a bug in foedus: please report it)")
        made_by.update(dict.fromkeys(new, self.name))
        return after


def _unchanged(before: "pd.Series", after: "pd.Series") -> bool:
    """Whether a column came through a step unchanged.

    Under pandas' copy-on-write a column a step passed on shares its buffers with the frame the
    step received (which still holds them, so a write would have copied them): the same buffers
    mean the same values, checked in O(1). Anything else is compared value by value.
    """
    if before.dtype != after.dtype:
        return False
    x, y = _buffers(before.array), _buffers(after.array)
    if x and len(x) == len(y) and all(_same_memory(u, v) for u, v in zip(x, y)):
        return True
    return before.equals(after)


def _buffers(array) -> list:
    """The numpy buffers behind a pandas array: values (and mask) of numpy-backed, masked and
    categorical arrays; [] for others (compared by value)."""
    names = ("_data", "_mask") if hasattr(array, "_mask") else ("_ndarray",)
    out = [getattr(array, n, None) for n in names]
    return out if all(isinstance(v, np.ndarray) for v in out) else []


def _same_memory(u: np.ndarray, v: np.ndarray) -> bool:
    return (u.__array_interface__["data"] == v.__array_interface__["data"]
            and u.strides == v.strides and u.shape == v.shape)


def _check_left_join(name: str, before: "pd.DataFrame", after: "pd.DataFrame") -> None:
    """A step must keep the universe's rows, their order and their keys."""
    if len(after) != len(before):
        raise RuntimeError(
            f"panel step '{name}' changed the number of rows from {len(before):,} to "
            f"{len(after):,}; a step must be a left join that never adds or drops rows "
            "(this is a bug in foedus: please report it)"
        )
    for key in KEYS:
        if not before[key].equals(after[key]):
            raise RuntimeError(
                f"panel step '{name}' reordered or altered the key column '{key}' "
                "(this is a bug in foedus: please report it)"
            )


def order_steps(steps: Iterable[Step], spec: "PanelSpec", present: Iterable[str] = KEYS) -> list[Step]:
    """The steps the spec wants, in an order in which each runs after the steps that make the
    columns it requires or uses; among the steps free to run, the earliest in ``steps`` first
    (so the table's order is kept wherever the declarations do not constrain it).

    ``present``: the columns of the universe. A required column that neither the universe nor
    a wanted step makes, or a cycle, is a :class:`StepError` raised before any step runs.
    """
    wanted = [s for s in steps if s.wanted(spec)]
    maker: dict[str, Step] = {}
    for s in wanted:
        for c in s.added(spec):
            if c in maker:
                raise StepError(f"panel steps '{maker[c].name}' and '{s.name}' both add column "
                                f"'{c}' (a column has one maker)")
            maker[c] = s
    present = set(present)
    after: dict[str, set] = {}
    for s in wanted:
        missing = [c for c in s.required(spec) if c not in present and c not in maker]
        if missing:
            raise StepError(f"panel step '{s.name}' requires column(s) {missing}, which neither "
                            "the universe nor another step of this spec adds")
        after[s.name] = {maker[c].name for c in (*s.required(spec), *s.used(spec))
                         if c in maker and maker[c] is not s}
    order: list[Step] = []
    done: set = set()
    pending = list(wanted)
    while pending:
        ready = next((s for s in pending if after[s.name] <= done), None)
        if ready is None:
            raise StepError("panel steps depend on each other in a cycle: "
                            + ", ".join(f"{s.name} after {sorted(after[s.name] - done)}" for s in pending))
        order.append(ready)
        done.add(ready.name)
        pending.remove(ready)
    return order


__all__ = ["KEYS", "Step", "StepError", "order_steps"]
