# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     name: python3
# ---

# %% [markdown]
# # Tutorial 3 — solutions to the exercises
#
# Runs on its own (`python 03_johnson_leeds_solutions.py`); `FOEDUS_TUTORIAL_YEARS` shortens
# it (and then it is not the published design).

# %%
import dataclasses
import json
import os
from pathlib import Path

import pandas as pd

import foedus
from foedus.replication.multiverse import run_multiverse
from foedus.replication.multiverses import get_multiverse

YEARS = os.environ.get("FOEDUS_TUTORIAL_YEARS")
YEARS = tuple(int(y) for y in YEARS.split("-")) if YEARS else None
OUT = Path(os.environ.get("FOEDUS_TUTORIAL_OUT", "tutorial-output"))
OUT.mkdir(parents=True, exist_ok=True)
pd.set_option("display.width", 140)
full = get_multiverse("johnson_leeds_2011")


def grid(names):
    """The registered grid restricted to some choices (probit, classical errors)."""
    chosen = tuple(c for c in full.choices if c.name in names)
    mv = dataclasses.replace(full, choices=chosen)
    return mv.with_years(YEARS) if YEARS else mv


# %% [markdown]
# ## 1 and 2. Secret alliances and periods
#
# The secret-alliance choice has three levels: excluded from `ptargdef` (Table 1), included
# everywhere (their robustness check), excluded everywhere. Including secret pacts adds promises
# a challenger could not have known about — they cannot deter — so if the published effect is
# deterrence, it should be weaker, not stronger, with them. The period choice splits the sample
# at 1945. (With a shortened run, a period outside the run's years has no rows and is recorded
# as an error in the table.)

# %%
result = run_multiverse(grid({"secret", "period"}), output=OUT / "solutions-multiverse", depth=1,
                        workers=1, progress=False)
cols = ["secret", "period", "n", "events", "estimate", "se", "p", "error"]
result.table[[c for c in cols if c in result.table.columns]].round(4)

# %% [markdown]
# ## 3. Provenance
#
# Tutorial 3 wrote `johnson_leeds_2011/provenance.json` into the same output folder; if you have
# not run it, the study is run here.

# %%
path = OUT / "johnson_leeds_2011" / "provenance.json"
if not path.exists():
    rep = foedus.replication.replicate("johnson_leeds_2011", output=path.parent, years=YEARS,
                                       progress=False)
    path = rep.files["provenance.json"]
record = json.loads(path.read_text())
print(sorted(record))
print(json.dumps(record, indent=1)[:2000])

# %% [markdown]
# A footnote: "Replicated with foedus (version and git commit in provenance.json) from
# the official releases listed there with their SHA-256 hashes (COW state system 2016, MID 3.10
# and 5.0, ATOP 5.1, NMC 6.0, ...); panel specs and their hashes are in the same file."
