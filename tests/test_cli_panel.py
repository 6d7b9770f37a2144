"""``foedus panel``: spec from files and options, exports that Stata- and R-format readers open
with labels, one-line errors."""
from __future__ import annotations

import json

import pandas as pd
import pyarrow.feather as feather
import pytest

from foedus.cli import main
from foedus.data.spec import PanelSpec

SMALL = ["--years", "1990", "1991"]


def test_describe_from_toml_and_options(tmp_path, capsys):
    toml = tmp_path / "spec.toml"
    toml.write_text('years = [1900, 1950]\ndirected = false\n[disputes]\nversion = "3.10"\n')
    assert main(["panel", "--spec", str(toml), "--describe"]) == 0
    out = capsys.readouterr().out
    assert "non-directed dyad-years 1900-1950" in out and "version = 3.10" in out
    spec_json = tmp_path / "spec.json"
    spec_json.write_text(PanelSpec(years=(1816, 1900)).to_json())
    assert main(["panel", "--spec", str(spec_json), "--mid", "5.0", "--describe"]) == 0
    assert "1816-1900" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--spec", "missing.json", "--describe"], "does not exist"),
    (["-o", "panel.xlsx"], "cannot tell the format"),
    ([], "give an output file"),
])
def test_errors_are_one_line(args, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["panel", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_bad_toml(tmp_path, capsys):
    bad = tmp_path / "s.toml"
    bad.write_text("years = [1900,\n")
    assert main(["panel", "--spec", str(bad), "--describe"]) == 2
    assert "not valid TOML" in capsys.readouterr().err


@pytest.mark.realdata
def test_exports_open_in_stata_and_r_formats_with_labels(tmp_path):
    for suffix in ("dta", "parquet", "feather", "csv"):
        assert main(["panel", *SMALL, "-o", str(tmp_path / f"p.{suffix}")]) == 0
    meta = json.loads((tmp_path / "p.dta.json").read_text())
    reader = pd.io.stata.StataReader(tmp_path / "p.dta")
    data = reader.read()
    labels = reader.variable_labels()
    assert labels["ptargdef"].startswith("B has a third-party defense promise")
    assert labels["ddyad"].startswith("Directed dyad id")
    assert reader.value_labels()["hostlev"][5] == "war"
    parquet = pd.read_parquet(tmp_path / "p.parquet")
    assert len(data) == len(parquet) == meta["rows"] > 50_000
    assert feather.read_table(tmp_path / "p.feather").num_rows == meta["rows"]
    assert meta["spec_hash"] == PanelSpec.from_dict(
        {k: v for k, v in meta["spec"].items() if k != "schema"}).digest()
    assert {i["dataset"] for i in meta["inputs"]} >= {"cow-states", "atop"}
    assert [c["name"] for c in meta["columns"]] == list(parquet.columns)
    # the same numbers in every format (missing values stay missing)
    assert data["ptargdef"].fillna(-1).astype(int).tolist() == \
        parquet["ptargdef"].fillna(-1).astype(int).tolist()
