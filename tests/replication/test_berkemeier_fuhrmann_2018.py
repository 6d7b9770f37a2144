"""Berkemeier & Fuhrmann (2018): the shares of the study, against shares computed here from the raw
.dta with plain pandas (NaN-or-1 indicators as the authors store them), and the claim rules."""
from __future__ import annotations

import pandas as pd
import pytest

from foedus.data.opportunities import BerkemeierFuhrmannRows, war_start_years
from foedus.data.units import build_unit
from foedus.replication.berkemeier_fuhrmann_2018 import STUDY, THREE_QUARTERS
from foedus.replication.registry import get_study

pytestmark = pytest.mark.realdata
DTA = "berkemeier-fuhrmann-2018-rep/BerkemeierFuhrmannRAP2018_0303.dta"


@pytest.fixture(scope="module")
def raw(raw_dir):
    return pd.read_stata(raw_dir / DTA, convert_categoricals=False)


@pytest.fixture(scope="module")
def frame():
    return build_unit(BerkemeierFuhrmannRows()).frame


def _by_hand(raw, rows, coding):
    """Share honored of relevant opportunities: dna<coding> missing, honor<coding> == 1."""
    sub = raw[rows & raw[f"dna{coding}"].isna()]
    return len(sub), int((sub[f"honor{coding}"] == 1).sum())


def _table(name, frame):
    s = next(s for s in STUDY.summaries if s.name == name)
    return s.compute(frame)


@pytest.mark.parametrize("coding", ["LLM", "BF"])
def test_period_and_obligation_shares_by_hand(raw, frame, coding):
    periods = _table("shares_by_period", frame)
    every = pd.Series(True, index=raw.index)
    for label, rows in {"All, 1816-2003": every, "1816-1944 (authors' sample flag)": raw["sample"] == 1,
                        "1945-2003 (authors' sample flag)": raw["sample"] == 0}.items():
        n, h = _by_hand(raw, rows, coding)
        assert periods.loc[label, f"{coding}: opportunities"] == n
        assert periods.loc[label, f"{coding}: honored"] == h
        assert periods.loc[label, f"{coding}: share honored"] == pytest.approx(h / n)
    obligations = _table("shares_by_obligation", frame)
    for col, label in {"defense": "Defense", "offense": "Offense", "neutral": "Neutrality",
                       "nonagg": "Non-aggression", "consul": "Consultation"}.items():
        n, h = _by_hand(raw, raw[col] == 1, coding)
        assert (obligations.loc[label, f"{coding}: opportunities"], obligations.loc[label, f"{coding}: honored"]) == (n, h)
    n, h = _by_hand(raw, (raw["defense"] == 1) & (raw["sample"] == 0), coding)
    row = "Defense, 1945-2003 (authors' sample flag)"
    assert (obligations.loc[row, f"{coding}: opportunities"], obligations.loc[row, f"{coding}: honored"]) == (n, h)


def test_known_counts_llm(frame):
    # Hand count from the raw file: 146 relevant LLM opportunities, 73 honored; 92/61 with sample = 1.
    t = _table("shares_by_period", frame)
    assert t.loc["All, 1816-2003", ["LLM: opportunities", "LLM: honored"]].tolist() == [146, 73]
    assert t.loc["1816-1944 (authors' sample flag)", ["LLM: opportunities", "LLM: honored"]].tolist() == [92, 61]


def test_sabrosky_by_hand(raw, frame):
    t = _table("shares_multilateral", frame)
    rel = raw["dnaLLM"].isna()
    multi = rel & (raw["multilateral"] == 1)
    assert t.loc["Multilateral (sabroskyhonor)", "LLM: honored"] == int((raw.loc[multi, "sabroskyhonorllm"] == 1).sum())
    assert t.loc["All, 1816-2003 (sabroskyhonor)", "LLM: honored"] == int((raw.loc[rel, "sabroskyhonorllm"] == 1).sum())
    assert t.loc["Bilateral", "LLM: opportunities"] == int((rel & (raw["multilateral"] == 0)).sum())


def test_war_start_year_rule(raw_dir, frame):
    # COW v4.0 World War II (139) begins 1939; Bizerte (IWD 93, no COW number) from its name.
    years = frame.set_index("warid")["war_start_year"]
    assert years.loc[53].iloc[0] == 1939 and years.loc[93].iloc[0] == 1961
    assert (frame["pre1945_war"] | ~frame["pre1945_sample"]).all()  # sample = 1 implies a pre-1945 war
    toy = pd.DataFrame({"cowwarid": pd.array([139, pd.NA], dtype="Int16"),
                        "warname": pd.array(["WorldWarII", "Nameless"], dtype="string")})
    wars = pd.DataFrame({"WarNum": [139, 139], "StartYear1": [1941, 1939]})
    with pytest.raises(ValueError, match="war start year unknown"):
        war_start_years(toy, wars)


def test_claim_rules_and_registry(frame):
    lo, hi = THREE_QUARTERS
    assert lo == pytest.approx(0.7083, abs=1e-4) and hi == pytest.approx(0.775)
    s = next(s for s in STUDY.summaries if s.name == "shares_by_period")
    table = s.compute(frame)
    verdicts = [c.check(table)[0] for c in s.claims]
    # LLM's three quarters is not reproduced on these rows (66 %); B&F's drop and numbers are.
    assert verdicts == [False, True, True]
    fake = table.copy()
    fake.loc["1816-1944 (authors' sample flag)", "LLM: share honored"] = 0.75
    assert s.claims[0].check(fake)[0]
    assert get_study("berkemeier_fuhrmann_2018") is STUDY


def test_outputs_are_byte_identical(tmp_path):
    from foedus.replication.pipeline import replicate

    runs = [replicate(STUDY, output=tmp_path / str(k), progress=False) for k in range(2)]
    for name in ("table.md", "table.csv", "table.tex"):
        a, b = (r.directory / name for r in runs)
        assert a.read_bytes() == b.read_bytes(), name
    md = (runs[0].directory / "table.md").read_text()
    # a count of 0 is printed as 0, not as a share
    assert "| Matched, theirs relevant but ours consultation only | 0 | 449 |" in md
