"""Spec options: fields that carry their documentation, sections that check them, and the class
docstrings generated from both.

An option is a dataclass field made by :func:`option`: its default, what it means, its allowed
values and the paper or codebook its default follows live in the field, next to the code.
:class:`Section` is the base of the panel spec's sections (:mod:`foedus.data.spec`): it checks
types and choices on construction, converts to and from dicts and describes itself for table
notes. :func:`documented` writes every option into the class docstring (a numpydoc
``Parameters`` section), so ``help(PanelSpec)`` lists each option with its type, default,
choices and source; the unit specs (:class:`foedus.data.units.UnitSpec`) use it too.
"""
from __future__ import annotations

import dataclasses
import inspect
import numbers
import textwrap
from dataclasses import field, fields
from typing import Any, ClassVar

from foedus.data.errors import SpecError


def option(default: Any, doc: str, choices: tuple | None = None, *, source: str | None = None,
           integers: bool = False, added: bool = False) -> Any:
    """A spec field with its documentation.

    Parameters
    ----------
    default
        The value when the option is not given.
    doc : str
        What the option means (one sentence or two; it goes into the class docstring).
    choices : tuple, optional
        The allowed values (checked on construction by :class:`Section`; listed in the docs).
    source : str, optional
        The paper, codebook or command file the default follows.
    integers : bool
        A tuple option whose elements must be integers (years, ATOP alliance ids).
    added : bool
        An option added after panels were first cached: at its default it is left out of
        :meth:`Section.to_dict` (so of the JSON and the digest) and of the description, so the
        specs that do not use it keep their digests, cached panels and table notes.
    """
    return field(default=default, metadata={"doc": doc, "choices": choices, "source": source,
                                            "integers": integers, "added": added})


def _plain(value: Any) -> Any:
    """numpy scalars and arrays as Python scalars and tuples, lists as tuples (the spec stays
    hashable and JSON-serialisable)."""
    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _type_problem(kind: str, value: Any) -> str | None:
    """Why ``value`` does not fit the annotation ``kind`` (None when it does)."""
    optional = kind.endswith(" | None")
    kind = kind.removesuffix(" | None")
    if value is None:
        return None if optional else "must not be None"
    ok = {"int": _is_int, "bool": lambda v: isinstance(v, bool),
          "float": lambda v: isinstance(v, numbers.Real) and not isinstance(v, bool),
          "str": lambda v: isinstance(v, str), "tuple": lambda v: isinstance(v, tuple)}.get(kind)
    if ok is None:  # a section
        name = kind
        return None if type(value).__name__ == name else f"must be a {name}"
    return None if ok(value) else f"must be {'an' if kind == 'int' else 'a'} {kind}"


class Section:
    """Mixin for spec sections: validation, dict conversion and description."""

    title: ClassVar[str] = ""

    def __new__(cls, *args, **kwargs):
        # unknown keywords are named with the known ones (the dataclass __init__'s TypeError is not)
        known = [f.name for f in fields(cls) if f.init]
        unknown = [k for k in kwargs if k not in known]
        if unknown or len(args) > len(known):
            what = f"unknown option(s) {unknown}" if unknown else f"{len(args)} positional values"
            raise SpecError(f"{cls.__name__}: {what}; known options: {', '.join(known)}")
        return super().__new__(cls)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = _plain(getattr(self, f.name))
            problem = _type_problem(f.type, value)
            if problem:
                raise SpecError(f"{type(self).__name__}.{f.name}={value!r} {problem}")
            if f.metadata.get("integers") and not all(map(_is_int, value)):
                raise SpecError(f"{type(self).__name__}.{f.name}={value!r} must hold integers only")
            choices = f.metadata.get("choices")
            if choices is not None and value not in choices:
                raise SpecError(
                    f"{type(self).__name__}.{f.name}={value!r} is not one of {choices}"
                )
            object.__setattr__(self, f.name, value)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.metadata.get("added") and value == f.default:
                continue
            if isinstance(value, Section):
                value = value.to_dict()
            elif isinstance(value, tuple):  # tuples of sections (AllianceRules.queries)
                value = [v.to_dict() if isinstance(v, Section) else v for v in value]
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        known = {f.name: f for f in fields(cls)}
        unknown = set(data) - set(known)
        if unknown:
            raise SpecError(
                f"{cls.__name__}: unknown option(s) {sorted(unknown)}; known: {sorted(known)}"
            )
        kwargs = {}
        for name, value in data.items():
            default = known[name].default
            sub = type(default) if isinstance(default, Section) else known[name].metadata.get("section")
            if sub is None and known[name].default_factory is not dataclasses.MISSING:
                probe = known[name].default_factory()
                sub = type(probe) if isinstance(probe, Section) else None
            if sub is not None and isinstance(value, dict):
                value = sub.from_dict(value)
            elif isinstance(value, list):
                value = tuple(value)
            kwargs[name] = value
        return cls(**kwargs)

    def describe_lines(self) -> list[str]:
        """One ``name = value`` line per choice of this section."""
        lines = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Section) or (f.metadata.get("added") and value == f.default):
                continue  # an added option at its default leaves table notes as they were
            if isinstance(value, tuple):
                value = ", ".join(v.describe() if isinstance(v, Section) else str(v)
                                  for v in value) if value else "none"
            lines.append(f"{f.name} = {value}")
        return lines


def _default_text(f: dataclasses.Field) -> str:
    if f.default is not dataclasses.MISSING:
        return repr(f.default)
    if f.default_factory is not dataclasses.MISSING:
        return f"{getattr(f.default_factory, '__name__', 'factory')}()"
    return "required"


def options_doc(cls) -> str:
    """The numpydoc ``Parameters`` section of a dataclass's options (see :func:`option`)."""
    lines = ["Parameters", "----------"]
    for f in fields(cls):
        if not f.init:
            continue
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        lines.append(f"{f.name} : {kind}, default {_default_text(f)}")
        text = f.metadata.get("doc") or "(undocumented)"
        text += "" if text.endswith(".") else "."
        if f.metadata.get("choices") is not None:
            text += " Choices: " + ", ".join(map(repr, f.metadata["choices"])) + "."
        if f.metadata.get("source"):
            text += f" Source: {f.metadata['source']}."
        lines += textwrap.wrap(text, 96, initial_indent="    ", subsequent_indent="    ")
    return "\n".join(lines)


def documented(cls):
    """Class decorator (outside ``@dataclass``): the class docstring with :func:`options_doc`
    inserted before its ``Examples`` section (or appended)."""
    doc = inspect.cleandoc(cls.__doc__ or cls.__name__)
    if not any(f.init for f in fields(cls)):
        return cls
    lines = doc.split("\n")
    at = next((i for i in range(len(lines) - 1)
               if lines[i].strip() == "Examples" and set(lines[i + 1].strip()) == {"-"}), len(lines))
    before, after = "\n".join(lines[:at]).rstrip(), "\n".join(lines[at:])
    cls.__doc__ = before + "\n\n" + options_doc(cls) + ("\n\n" + after if after else "") + "\n"
    return cls


__all__ = ["Section", "documented", "option", "options_doc"]
