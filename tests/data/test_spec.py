"""The panel spec: frozen, hashable, JSON round-trip, validated, described."""
from __future__ import annotations

import dataclasses

import pytest

from foedus.data.spec import AllianceRules, DisputeRules, PanelSpec, Sample, Temporal


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
