"""Spec options are documented where they are declared and listed in every class docstring
(issue 17): ``help(PanelSpec)``, ``help(AllianceRules)``, ... show each option with its type,
default, choices and source."""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

import pytest

import foedus.data
from foedus.data import spec as spec_module
from foedus.data.options import Section, documented, option, options_doc
from foedus.data.units import UnitSpec


def _spec_classes():
    """Every spec section of foedus.data.spec and every unit spec defined in foedus.data."""
    for info in pkgutil.iter_modules(foedus.data.__path__):
        importlib.import_module(f"foedus.data.{info.name}")
    sections = [c for c in vars(spec_module).values()
                if inspect.isclass(c) and issubclass(c, Section) and c is not Section]
    units = [c for c in _subclasses(UnitSpec) if c.__module__.startswith("foedus.data.")]
    return sections + units


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _default(f) -> str:
    if f.default is not dataclasses.MISSING:
        return repr(f.default)
    return f"{f.default_factory.__name__}()"


CLASSES = _spec_classes()


def test_the_spec_classes_are_found():
    names = {c.__name__ for c in CLASSES}
    assert {"PanelSpec", "AllianceRules", "AllianceQuery", "DisputeRules", "DisputeOutcomes",
            "Covariates", "Temporal", "Sample", "AllianceDurationSpec", "AllianceWarSpec"} <= names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_option_is_in_the_class_docstring_with_its_default(cls):
    doc = inspect.getdoc(cls)
    lines = doc.splitlines()
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        head = [ln for ln in lines if ln.startswith(f"{f.name} : ")]
        assert head, f"{cls.__name__}.{f.name} is not listed in the class docstring"
        assert head[0].endswith(f", default {_default(f)}"), (cls.__name__, head[0])
        assert f.metadata.get("doc"), f"{cls.__name__}.{f.name} has no documentation"


@pytest.mark.parametrize("cls", [c for c in CLASSES if issubclass(c, Section)], ids=lambda c: c.__name__)
def test_choices_and_sources_are_listed(cls):
    doc = " ".join(inspect.getdoc(cls).split())
    for f in dataclasses.fields(cls):
        for choice in f.metadata.get("choices") or ():
            assert repr(choice) in doc
        if f.metadata.get("source"):
            assert f"Source: {' '.join(f.metadata['source'].split())}" in doc


def test_help_lists_panel_options_before_the_examples():
    doc = inspect.getdoc(spec_module.PanelSpec)
    assert doc.index("Parameters\n----------") < doc.index("Examples\n--------")
    assert "years : tuple, default (1816, 2014)" in doc
    assert "alliances : AllianceRules | None, default AllianceRules()" in doc
    rules = inspect.getdoc(spec_module.AllianceRules)
    assert "Choices: '5.1', '4.01'" in " ".join(rules.split())
    assert "Source: Leeds (2003)" in " ".join(rules.split())


def test_documented_on_a_toy_dataclass():
    @documented
    @dataclasses.dataclass(frozen=True)
    class Toy:
        """A toy.

        Examples
        --------
        >>> Toy().k
        2
        """

        k: int = option(2, "how many", (1, 2), source="A. Author (1999)")

    doc = inspect.getdoc(Toy)
    assert doc.splitlines()[:5] == ["A toy.", "", "Parameters", "----------", "k : int, default 2"]
    assert "    how many. Choices: 1, 2. Source: A. Author (1999)." in doc
    assert doc.rstrip().endswith("2")  # the examples stay last
    assert options_doc(Toy).startswith("Parameters")


def test_integer_tuple_options_are_checked_from_their_declaration():
    from foedus.data.errors import SpecError

    with pytest.raises(SpecError, match="must hold integers only"):
        spec_module.AllianceRules(flag_atopids=(3180, "NATO"))
    with pytest.raises(SpecError, match="must hold integers only"):
        spec_module.PanelSpec(years=(1816.5, 2000))
