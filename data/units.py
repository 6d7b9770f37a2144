"""Units of analysis other than the dyad-year: alliances, alliance x war opportunities, survey
respondents, the authors' own rows.

A dyad-year panel is described by a :class:`~foedus.data.spec.PanelSpec` and built by
:func:`~foedus.data.panel.build_panel`. Any other unit is described by a subclass of
:class:`UnitSpec`: a frozen dataclass whose fields are its coding choices (hashable, printed in
table notes like a panel spec) and whose :meth:`UnitSpec.build` returns a :class:`UnitFrame`.
Studies accept either kind in ``Study.panels``; :func:`build_unit` records the registered files a
build reads, so the provenance of a table names them as it does for panels.

Example
-------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Toy(UnitSpec):
...     keys = ("id",)
...     title = "Toy rows"
...     n: int = 3
...     def build(self, columns=None):
...         import pandas as pd
...         return UnitFrame(pd.DataFrame({"id": range(self.n)}), self)
>>> build_unit(Toy(n=2)).frame["id"].tolist()
[0, 1]
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import pandas as pd


@dataclass(frozen=True)
class UnitFrame:
    """A frame of one unit of analysis with the spec that built it.

    The same attributes as :class:`~foedus.data.panel.Panel`: ``frame``, ``spec``, ``log``
    (records ``{"step", "message", ...}``) and ``files`` ((dataset, version, file, sha256), filled
    by :func:`build_unit`).
    """

    frame: pd.DataFrame
    spec: "UnitSpec"
    log: tuple = ()
    files: tuple = ()

    def __len__(self) -> int:
        return len(self.frame)


@dataclass(frozen=True)
class UnitSpec:
    """Base of the specs of non-dyad-year units.

    Subclasses are frozen dataclasses. They set the class attributes :attr:`keys` (the columns
    that identify a row) and :attr:`title`, give every coding choice as a field with a default,
    and implement :meth:`build`.
    """

    keys: ClassVar[tuple] = ()
    title: ClassVar[str] = "Unit"

    def build(self, columns: list | None = None) -> UnitFrame:  # pragma: no cover - abstract
        """The frame (keys first); ``columns`` may restrict it to the keys and these columns."""
        raise NotImplementedError(f"{type(self).__name__} must implement build()")

    # -- identity -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out = {"unit": type(self).__name__}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    def to_json(self) -> str:
        """Canonical JSON (sorted keys), the basis of :meth:`digest`."""
        return json.dumps(self.to_dict(), sort_keys=True, default=str)

    def digest(self) -> str:
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:16]

    def replace(self, **changes: Any) -> "UnitSpec":
        return dataclasses.replace(self, **changes)

    def describe(self) -> str:
        """One line per choice, for table notes."""
        choices = "; ".join(f"{f.name} = {getattr(self, f.name)!r}" for f in fields(self))
        return f"{self.title}: {choices or 'no options'}\nSpec hash: {self.digest()}"


def build_unit(spec: UnitSpec, columns: list | None = None) -> UnitFrame:
    """Build a unit frame, recording the registered files read and checking its keys."""
    from foedus.data.fetch import track_reads

    with track_reads() as read:
        unit = spec.build(columns=columns)
    missing = [k for k in spec.keys if k not in unit.frame.columns]
    if missing:
        raise RuntimeError(f"{type(spec).__name__}.build() returned no key column(s) {missing}")
    files = tuple(sorted({(f.dataset, f.version, f.name, f.sha256) for f in read} | set(unit.files)))
    frame = unit.frame
    if columns is not None:
        absent = [c for c in columns if c not in frame.columns]
        if absent:
            raise KeyError(f"{type(spec).__name__} has no column(s) {absent}; its columns: "
                           f"{list(frame.columns)}")
        frame = frame[list(spec.keys) + [c for c in dict.fromkeys(columns) if c not in spec.keys]]
    return UnitFrame(frame=frame, spec=spec, log=tuple(unit.log), files=files)


def unit_keys(spec) -> tuple:
    """The key columns of a panel spec (ccode1, ccode2, year) or of a unit spec."""
    return tuple(spec.keys) if isinstance(spec, UnitSpec) else ("ccode1", "ccode2", "year")


__all__ = ["UnitSpec", "UnitFrame", "build_unit", "unit_keys"]
