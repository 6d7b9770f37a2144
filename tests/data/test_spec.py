"""The panel spec: frozen, hashable, JSON round-trip, validated, described."""
from __future__ import annotations

import dataclasses
import json
import pickle
import re

import numpy as np
import pytest

from foedus.data.errors import SpecError
from foedus.data.spec import AllianceRules, Covariates, DisputeRules, PanelSpec, Sample, Temporal


def test_default_spec_is_hashable_and_frozen():
    spec = PanelSpec()
    assert hash(spec) == hash(PanelSpec())
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.directed = False  # type: ignore[misc]


def test_json_round_trip_preserves_every_section():
    spec = PanelSpec(
        years=(1816, 1944),
        directed=False,
        alliances=AllianceRules(version="4.01", secret="exclude", exclude_atopids=(3180, 3181)),
        disputes=DisputeRules(version="3.10", initiation="sidea"),
        temporal=None,
        sample=Sample(politically_relevant=True),
    )
    back = PanelSpec.from_json(spec.to_json())
    assert back == spec
    assert back.digest() == spec.digest()
    assert back.alliances.exclude_atopids == (3180, 3181)
    assert back.temporal is None


def test_digest_changes_with_any_choice():
    base = PanelSpec()
    variants = [
        base.replace(years=(1816, 2000)),
        base.replace(directed=False),
        base.replace(disputes=DisputeRules(initiation="revisionist")),
        base.replace(alliances=AllianceRules(adversary_conditions=False)),
        base.replace(temporal=Temporal(clock="ongoing")),
    ]
    digests = {v.digest() for v in variants}
    assert base.digest() not in digests
    assert len(digests) == len(variants)


def test_lists_become_tuples_so_the_spec_stays_hashable():
    spec = PanelSpec(years=[1816, 1900], alliances=AllianceRules(exclude_atopids=[3075]))
    assert spec.years == (1816, 1900)
    hash(spec)


@pytest.mark.parametrize(
    "make",
    [
        lambda: DisputeRules(initiation="aggressor"),
        lambda: DisputeRules(version="9.9"),
        lambda: AllianceRules(secret="sometimes"),
        lambda: PanelSpec(years=(2000, 1816)),
    ],
)
def test_invalid_choices_are_refused_with_the_allowed_values(make):
    with pytest.raises(ValueError):
        make()


def test_unknown_option_in_json_is_named():
    with pytest.raises(ValueError, match="initator"):
        DisputeRules.from_dict({"initator": "sidea"})


def test_describe_names_every_section_and_the_hash():
    spec = PanelSpec(years=(1816, 2000), disputes=DisputeRules(version="3.10"))
    text = spec.describe()
    assert "directed dyad-years 1816-2000" in text
    assert "version = 3.10" in text
    for title in ("Alliances", "Disputes", "Covariates", "Temporal dependence", "Sample"):
        assert title in text
    assert spec.digest() in text


# -- validation on construction (issue 14) ---------------------------------------------------------
@pytest.mark.parametrize("years, named", [
    ((2030, 2040), "state system COW 2016 (1816-2016)"),
    ((1700, 1750), "state system COW 2016 (1816-2016)"),
    ((2010, 2040), "state system COW 2016 (1816-2016)"),
    ((1816, 2016), "disputes COW MID 5.0 (1816-2014)"),
])
def test_years_outside_the_sources_coverage_are_refused_naming_it(years, named):
    with pytest.raises(SpecError, match=re.escape(named)) as err:
        PanelSpec(years=years)
    assert "Choose years within 1816-2014" in str(err.value)


def test_coverage_follows_the_chosen_sources():
    PanelSpec(years=(1816, 2016), disputes=None)  # the state system alone reaches 2016
    with pytest.raises(SpecError, match=r"COW MID 3\.10 \(1816-2001\)"):
        PanelSpec(years=(1816, 2005), disputes=DisputeRules(version="3.10"))
    with pytest.raises(SpecError, match=r"GML MID 2\.2\.1 \(1816-2010\)"):
        PanelSpec(years=(1816, 2012), disputes=DisputeRules(source="gml", version="2.2.1"))



@pytest.mark.parametrize("make, message", [
    (lambda: PanelSpec(years=(True, 1910)), "integers only"),
    (lambda: PanelSpec(years=(1816.0, 1900)), "integers only"),
    (lambda: PanelSpec(years=(1816, 1900, 1950)), "first, last"),
    (lambda: PanelSpec(directed=1), "must be a bool"),
    (lambda: Covariates(capabilities_lag=True), "must be an int"),
    (lambda: AllianceRules(exclude_atopids=(3075, "3180")), "integers only"),
    (lambda: DisputeRules(source=None), "must not be None"),
])
def test_wrong_types_are_refused(make, message):
    with pytest.raises(SpecError, match=message):
        make()


def test_numpy_integers_are_accepted_and_normalised():
    spec = PanelSpec(years=(np.int64(1900), np.int16(1950)),
                     alliances=AllianceRules(exclude_atopids=np.array([3075, 3180], dtype="int16")))
    assert spec.years == (1900, 1950) and type(spec.years[0]) is int
    assert spec.alliances.exclude_atopids == (3075, 3180)
    assert all(type(a) is int for a in spec.alliances.exclude_atopids)
    plain = PanelSpec(years=(1900, 1950), alliances=AllianceRules(exclude_atopids=(3075, 3180)))
    assert spec.digest() == plain.digest() and spec == plain
    json.loads(spec.to_json())  # serialisable (numpy ints are not)


def test_unknown_option_is_listed_with_the_known_ones():
    with pytest.raises(SpecError, match=r"unknown option\(s\) \['foo'\]; known options: system, "
                                        r"system_version, years"):
        PanelSpec(foo=1)
    with pytest.raises(TypeError, match="initator"):  # a TypeError too, as Python's own
        DisputeRules(initator="sidea")


def test_a_release_the_source_lacks_is_refused_at_construction():
    with pytest.raises(SpecError, match="source 'gml' has no version '5.0'; its versions: 2.2.1"):
        PanelSpec(years=(1816, 2000), disputes=DisputeRules(source="gml"))
    PanelSpec(years=(1816, 2000), disputes=DisputeRules(source="gml", version="2.2.1"))


def test_spec_survives_pickle_and_replace():
    spec = PanelSpec(years=(1900, 1950))
    assert pickle.loads(pickle.dumps(spec)) == spec
    assert dataclasses.replace(spec, directed=False).directed is False
