# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     name: python3
# ---

# %% [markdown]
# # Tutorial 1 — solutions to the exercises
#
# Runs on its own (`python 01_panel_solutions.py`); `FOEDUS_TUTORIAL_YEARS` shortens it.

# %%
import os

import pandas as pd

import foedus

YEARS = tuple(int(y) for y in os.environ.get("FOEDUS_TUTORIAL_YEARS", "1816-2014").split("-"))
pd.set_option("display.width", 120)
spec = foedus.PanelSpec(years=YEARS)
directed = foedus.build_panel(spec).frame

# %% [markdown]
# ## 1. Directed vs non-directed
#
# A directed panel has both (A, B) and (B, A) for every pair of system members in a year; the
# non-directed panel keeps one row per pair (A < B). So N is exactly half. `dispute` ("A
# initiates against B") needs a direction; in a non-directed panel use `onset` (a dispute began
# between them, whoever started it).

# %%
undirected = foedus.build_panel(spec.replace(directed=False)).frame
print(f"directed {len(directed):,}, non-directed {len(undirected):,}, "
      f"ratio {len(directed) / len(undirected):.3f}")
print("onsets: directed (each counted twice)", int(directed.onset.sum()),
      "| non-directed", int(undirected.onset.sum()))

# %% [markdown]
# ## 2. Russia → Japan, 1895–1945
#
# The Russo-Japanese War (1904–05) and the border battles of Lake Khasan (1938) and
# Khalkhin Gol (1939) should appear as dispute years; `ptargdef` shows when a third party had
# promised to defend Japan. Rows exist only for the years of your panel.

# %%
RUS, JPN = 365, 740
rj = directed[(directed.ccode1 == RUS) & (directed.ccode2 == JPN) & directed.year.between(1895, 1945)]
print(rj[["year", "ptargdef", "n_targdef", "atopids", "onset", "ongoing", "dispute", "dispnum",
          "hostlev"]].to_string(index=False))

# %% [markdown]
# ## 3. Dispute-data versions
#
# Only the dispute step matters here, so the other steps are switched off (`None`) to build
# faster. The versions share the years up to 2001 (MID 3.10 ends there).

# %%
last = min(YEARS[1], 2001)
counts = {}
for version in ["5.0", "4.3", "3.10"]:
    s = foedus.PanelSpec(years=(YEARS[0], last), alliances=None, covariates=None, temporal=None,
                         disputes=foedus.DisputeRules(version=version))
    f = foedus.build_panel(s).frame
    counts[f"MID {version}"] = {"dispute = 1": int(f.dispute.sum()), "onsets": int(f.onset.sum())}
pd.DataFrame(counts).T

# %% [markdown]
# Newer versions add disputes found in later archival work and recode some dates, originators
# and participants (see the MID codebooks and [Disputes](../../panel-disputes.md)); counts from
# different versions are not comparable without saying which one you used.
#
# ## 4. Excluding secret alliances

# %%
secret = foedus.build_panel(spec.replace(alliances=foedus.AllianceRules(secret="exclude"))).frame
changed = (directed.ptargdef.fillna(-1) != secret.ptargdef.fillna(-1))
print(f"{int(changed.sum()):,} of {len(directed):,} dyad-years change ptargdef "
      f"({int((directed.ptargdef == 1).sum()):,} -> {int((secret.ptargdef == 1).sum()):,} with "
      "a third-party defender)")
