"""Declared panel steps: the builder orders them from what they require and add, and refuses a
step that breaks its declaration; the panels are those the string-resolved table built.

Real data: small panels with every step on equal, column for column (order, dtype, values) and
in their build log, what the code before declared steps built (digests stored by
``tests/reference/make_panel_steps.py``, which runs the panel code of a fixed older commit).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from foedus.data import panel as panel_mod
from foedus.data.panel import STEPS, BuildLog
from foedus.data.spec import PanelSpec
from foedus.data.steps import KEYS, Step, StepError, order_steps

REFERENCE = Path(__file__).parents[1] / "reference"
SPEC = PanelSpec(years=(1950, 1951))


def _toy() -> pd.DataFrame:
    return pd.DataFrame({"ccode1": [2, 20], "ccode2": [20, 2], "year": [1950, 1950]}).astype("int16")


def _adder(**cols):
    return lambda frame, spec, log: frame.assign(**cols)


def _always(spec):
    return True


# -- the run of one step is checked against its declaration -------------------------------------
def test_a_step_that_adds_what_it_declares_passes():
    made_by = {}
    out = Step("a", _adder(x=1.0, y=2), _always, adds=("x", "y")).run(_toy(), SPEC, BuildLog(), made_by)
    assert list(out.columns) == [*KEYS, "x", "y"]
    assert made_by == {"x": "a", "y": "a"}


def test_a_declared_column_that_exists_is_refused_before_the_step_runs():
    ran = []

    def step(frame, spec, log):
        ran.append(1)
        return frame.assign(x=2.0)

    with pytest.raises(StepError, match=r"panel step 'b' would overwrite column\(s\) 'x' \(made by a\)"):
        Step("b", step, _always, adds=("x",)).run(_toy().assign(x=1.0), SPEC, BuildLog(), {"x": "a"})
    assert ran == []


def test_an_undeclared_overwrite_is_refused_naming_step_and_column():
    frame = _toy().assign(x=pd.array([1, None], dtype="Int8"))
    with pytest.raises(StepError, match=r"panel step 'b' overwrote column\(s\) 'x' \(made by a\)"):
        Step("b", _adder(x=pd.array([1, 0], dtype="Int8"), z=1), _always, adds=("z",)).run(
            frame, SPEC, BuildLog(), {"x": "a"})


def test_an_overwrite_with_equal_values_of_another_dtype_is_refused():
    frame = _toy().assign(x=[1.0, 2.0])
    with pytest.raises(StepError, match="overwrote"):
        Step("b", _adder(x=[1, 2], z=1), _always, adds=("z",)).run(frame, SPEC, BuildLog())


def test_undeclared_and_missing_columns_are_refused():
    with pytest.raises(StepError, match=r"undeclared: \['y'\]"):
        Step("a", _adder(x=1, y=2), _always, adds=("x",)).run(_toy(), SPEC, BuildLog())
    with pytest.raises(StepError, match=r"declared but not added: \['y'\]"):
        Step("a", _adder(x=1), _always, adds=("x", "y")).run(_toy(), SPEC, BuildLog())


def test_a_missing_requirement_is_an_error_before_the_step_runs():
    with pytest.raises(StepError, match=r"panel step 'a' requires column\(s\) \['onset'\]"):
        Step("a", _adder(x=1), _always, adds=("x",), requires=("onset",)).run(_toy(), SPEC, BuildLog())


def test_a_dropped_column_is_refused():
    with pytest.raises(StepError, match=r"dropped column\(s\) \['x'\]"):
        Step("a", lambda f, s, l: f.drop(columns="x").assign(y=1), _always, adds=("y",)).run(
            _toy().assign(x=1), SPEC, BuildLog())


def test_spec_dependent_declarations_are_functions_of_the_spec():
    step = Step("a", _adder(), _always, adds=lambda spec: ("x",) * spec.directed)
    assert step.added(SPEC) == ("x",)
    assert step.added(SPEC.replace(directed=False)) == ()


# -- ordering -------------------------------------------------------------------------------------
def _steps(*specs):
    return [Step(name, _adder(), _always, adds=adds, requires=req, uses=uses)
            for name, adds, req, uses in specs]


def test_order_keeps_the_table_where_unconstrained_and_moves_a_step_after_its_makers():
    steps = _steps(("a", ("x",), (), ()), ("needs_z", ("w",), ("z",), ()), ("b", ("y",), (), ()),
                   ("makes_z", ("z",), ("x",), ()), ("c", ("v",), (), ("y",)))
    assert [s.name for s in order_steps(steps, SPEC)] == ["a", "b", "makes_z", "needs_z", "c"]
    free = _steps(("p", ("x",), (), ()), ("q", ("y",), (), ()), ("r", ("z",), (), ()))
    assert [s.name for s in order_steps(free, SPEC)] == ["p", "q", "r"]


def test_optional_inputs_order_only_when_their_maker_is_wanted():
    steps = _steps(("uses_c", ("p",), (), ("conttype",)), ("contiguity", ("conttype",), (), ()))
    assert [s.name for s in order_steps(steps, SPEC)] == ["contiguity", "uses_c"]
    assert [s.name for s in order_steps(steps[:1], SPEC)] == ["uses_c"]


def test_order_refuses_unmet_requirements_two_makers_and_cycles():
    with pytest.raises(StepError, match=r"'a' requires column\(s\) \['z'\], which neither"):
        order_steps(_steps(("a", ("x",), ("z",), ())), SPEC)
    with pytest.raises(StepError, match="both add column 'x'"):
        order_steps(_steps(("a", ("x",), (), ()), ("b", ("x",), (), ())), SPEC)
    with pytest.raises(StepError, match="cycle"):
        order_steps(_steps(("a", ("x",), ("y",), ()), ("b", ("y",), ("x",), ())), SPEC)


def test_unwanted_steps_are_left_out_and_their_columns_are_not_offered():
    steps = [Step("off", _adder(z=1), lambda s: False, adds=("z",)),
             Step("a", _adder(x=1), _always, adds=("x",), requires=("z",))]
    with pytest.raises(StepError, match="requires"):
        order_steps(steps, SPEC)


def test_the_table_references_functions_and_has_one_maker_per_column():
    names = [s.name for s in STEPS]
    assert len(set(names)) == len(names)
    assert all(callable(s.function) and s.function.__module__.startswith("foedus.data.") for s in STEPS)


@pytest.fixture(scope="module")
def reference_specs():
    sys.path.insert(0, str(REFERENCE))
    from foedus.data.commitments import TARGDEF_IDS
    from foedus.data.spec import AllianceQuery, AllianceRules, Covariates, DisputeOutcomes, Sample, Temporal
    from make_panel_steps import SPECS

    scope = dict(PanelSpec=PanelSpec, AllianceQuery=AllianceQuery, AllianceRules=AllianceRules,
                 Covariates=Covariates, DisputeOutcomes=DisputeOutcomes, Sample=Sample,
                 Temporal=Temporal, TARGDEF_IDS=TARGDEF_IDS)
    return {name: eval(text, scope) for name, text in SPECS.items()}


def test_every_step_on_keeps_the_table_order(reference_specs):
    spec = reference_specs["all_steps"]
    # steps of options the reference specs predate (system="gw", dyad_indicators) are off here
    assert [s.name for s in order_steps(STEPS, spec)] == [s.name for s in STEPS if s.wanted(spec)]
    assert {s.name for s in STEPS if not s.wanted(spec)} == {"gw_distance", "dyad_indicators"}


# -- real data: the same panels as before ---------------------------------------------------------
@pytest.mark.realdata
@pytest.mark.parametrize("name", ["all_steps", "vdem_nondirected_prd", "no_alliances"])
def test_panels_equal_those_of_the_string_table(raw_dir, reference_specs, name):
    from make_panel_steps import describe

    expected = json.loads((REFERENCE / "panel_steps.json").read_text())[name]
    got = describe(panel_mod.build_panel(reference_specs[name], cache=False))
    assert got["rows"] == expected["rows"]
    assert [c[:2] for c in got["columns"]] == [c[:2] for c in expected["columns"]]  # order, dtype
    differ = [g[0] for g, e in zip(got["columns"], expected["columns"]) if g != e]
    assert differ == [], f"columns whose values differ from the string-table builder: {differ}"
    assert got["log"] == expected["log"]
