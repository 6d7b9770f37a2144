"""The real alliance-duration rows behind ``survival_reference.json`` ("real"): one spec and one
list of models, shared by the export and the test.

ATOP 5.1 alliances formed 1815-1965 as alliance-years in counting-process form
(:class:`foedus.data.alliance_durations.AllianceDurationSpec`, defaults), complete cases of the
model variables.

Export for R (``make reference`` does this, then runs ``survival_reference.R`` on the file)::

    python tests/reference/survival_panel.py /tmp/alliance_durations.csv
"""
from __future__ import annotations

import sys

from foedus.data.alliance_durations import AllianceDurationSpec
from foedus.data.units import build_unit

SPEC = AllianceDurationSpec()
#: name -> right-hand side (the response is ``ended``, the time columns ``start``/``stop``)
MODELS = {
    "asym": "asym + cinc_change",
    "cap_gap": "cap_gap + share_change",
}
COLUMNS = ["atopid", "year", "start", "stop", "ended", "asym", "cinc_change", "cap_gap", "share_change"]


def frame(rhs: str):
    """Complete cases of one model's variables, as floats."""
    import re

    used = ["atopid", "year", "start", "stop", "ended", *re.findall(r"[A-Za-z_]\w*", rhs)]
    data = build_unit(SPEC).frame[COLUMNS]
    return data.dropna(subset=used).astype("float64").reset_index(drop=True)


if __name__ == "__main__":
    out = sys.argv[1]
    # one file for every model: R drops incomplete rows per model as the test does
    build_unit(SPEC).frame[COLUMNS].astype("float64").to_csv(out, index=False, float_format="%.17g")
    with open(out + ".models.tsv", "w") as fh:
        fh.writelines(f"{name}\t{rhs}\n" for name, rhs in MODELS.items())
    print(f"wrote {out} and {out}.models.tsv")
