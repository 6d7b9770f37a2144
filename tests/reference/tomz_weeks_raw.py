"""Export the raw codes of Tomz & Weeks (2021) Study 1 for ``make_reference_ols.R``.

R here has no reader for Stata 14+ files, so the extract's numeric codes are written to CSV as
they are (pandas ``read_stata`` without value labels; no recode). The R script does the
preparation of the authors' do-file itself, independently of foedus' port.

    python tests/reference/tomz_weeks_raw.py build/reference/tomz_weeks_raw.csv
"""
from __future__ import annotations

import sys

import pandas as pd

from foedus.data import current_registry, resolve

if __name__ == "__main__":
    # the verified file (offline folder or cache); read with pandas alone, not foedus' reader
    path = resolve(current_registry().get("tomz-weeks-2021", "rep").file("2017-04-YouGov-extracted.dta"))
    raw = pd.read_stata(path, convert_categoricals=False)
    raw.drop(columns="starttime").to_csv(sys.argv[1], index=False, float_format="%.17g")
    print(f"wrote {sys.argv[1]}")
