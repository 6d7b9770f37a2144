"""The real panel behind ``real_reference.json``: one spec, shared by the export and the test.

Johnson & Leeds (2011) variables on directed dyad-years 1880-1900 built from the official
releases (MID 5.0, ATOP 5.1, NMC 6.0, Polity5, capitals): small enough that R can fit every
reference model, including the linear probability model with one dummy per dyad.

Export for R (``make reference`` does this, then runs ``make_reference.R`` on the file)::

    python tests/reference/real_panel.py /tmp/foedus_real_panel.csv
"""
from __future__ import annotations

import json
import sys

import foedus

SPEC = foedus.PanelSpec(years=(1880, 1900))
# The Johnson & Leeds regressors with peace years entered linearly: the cubic terms (up to
# 8,000 here) leave the Firth profile fits of R's reference code numerically singular.
FORMULA = (
    "dispute ~ ptargdef + pchalally + pchaloff + pchalneu + ln_distance + capprop + jdem"
    " + s_un_glo + peaceyrs"
)
# regressors that vary within a dyad (conditional logit, LPM with dyad and year effects)
FE_FORMULA = "dispute ~ ptargdef + pchalally + s_un_glo + peaceyrs"
COLUMNS = [
    "ccode1", "ccode2", "year", "dispute", "ptargdef", "pchalally", "pchaloff", "pchalneu",
    "ln_distance", "capprop", "jdem", "s_un_glo", "peaceyrs",
]


def frame():
    """The model frame: complete cases of the reference variables, as floats."""
    data = foedus.build_panel(SPEC).frame[COLUMNS]
    return data.dropna().astype("float64").reset_index(drop=True)


if __name__ == "__main__":
    out = sys.argv[1]
    frame().to_csv(out, index=False, float_format="%.17g")
    # the formulas travel with the file, so that R fits exactly what the test fits
    with open(out + ".json", "w") as fh:
        json.dump({"formula": FORMULA, "fe_formula": FE_FORMULA}, fh)
    print(f"wrote {out} and {out}.json")
