"""The real subsample behind ``heckprobit_real_reference.json``: one definition, shared by the
export for R and by the test.

Selection: ``dispute`` (challenger A initiates a MID against target B, the panel's default
rules) on the Johnson & Leeds (2011) directed dyad-years of 1946-1960, built by foedus from the
official releases (MID 5.0, ATOP 5.1, NMC 6.0, Polity5, capitals). Outcome, defined only where
``dispute`` is 1: ``targ_force`` = 1 when the target's highest hostility level in the
dispute the panel selected for the dyad-year (``dispnum``) is 4 (use of force) or 5 (war), read
from the MID 5.0 participant file (MIDB; the maximum over the target's records of that dispute),
else 0. A test outcome for the estimator, not a published variable: the selection probit is
compared with R on real data, not a finding.

Export for R (``make reference`` does this, then runs ``heckprobit_reference.R`` on it)::

    python tests/reference/heckprobit_panel.py build/reference/heckprobit_panel.csv
"""
from __future__ import annotations

import sys

import pandas as pd

import foedus
from foedus.data.readers import read_mid_participants

SPEC = foedus.PanelSpec(years=(1946, 1960))
OUTCOME = "targ_force ~ ptargdef + pchaloff + capprop + jdem"
SELECT = ("dispute ~ ptargdef + pchalally + pchaloff + pchalneu + ln_distance + capprop + jdem"
          " + s_un_glo + peaceyrs")
COLUMNS = ["ccode1", "ccode2", "year", "dispnum", "dispute", "ptargdef", "pchalally",
           "pchaloff", "pchalneu", "ln_distance", "capprop", "jdem", "s_un_glo", "peaceyrs"]


def target_force(panel: pd.DataFrame) -> pd.Series:
    """1/0 where ``dispute`` is 1 (the target's highest MID 5.0 hostility level >= 4), else NA."""
    mid = read_mid_participants("5.0")
    top = mid.groupby(["dispnum", "ccode"], as_index=False)["hostlev"].max()
    keys = panel[["dispnum", "ccode2"]].rename(columns={"ccode2": "ccode"})
    keys = keys.astype({"dispnum": "Int64", "ccode": "int64"})
    top = top.astype({"dispnum": "Int64", "ccode": "int64"})
    host = keys.merge(top, on=["dispnum", "ccode"], how="left", validate="many_to_one")["hostlev"]
    host.index = panel.index
    out = (host >= 4).astype("float64").where(host.notna())
    return out.where(panel["dispute"] == 1)


def frame() -> pd.DataFrame:
    """Complete cases of the selection variables, with ``targ_force`` (NaN where no initiation)."""
    panel = foedus.build_panel(SPEC).frame[COLUMNS]
    panel = panel.dropna(subset=[c for c in COLUMNS if c != "dispnum"])
    targ = target_force(panel)
    if targ[panel["dispute"] == 1].isna().any():
        raise ValueError("an initiated dyad-year has no MIDB record of its target")
    data = panel.drop(columns="dispnum").astype("float64")
    data["targ_force"] = targ.to_numpy()
    return data.reset_index(drop=True)


if __name__ == "__main__":
    out = sys.argv[1]
    frame().to_csv(out, index=False, float_format="%.17g", na_rep="NA")
    # the formulas travel with the file (one per line: outcome, selection), so that R fits
    # exactly what the test fits
    with open(out + ".formulas", "w") as fh:
        fh.write(OUTCOME + "\n" + SELECT + "\n")
    print(f"wrote {out} and {out}.formulas")
