# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     name: python3
# ---

# %% [markdown]
# # Tutorial 1 — From treaties and disputes to a dyad-year panel
#
# In this tutorial you turn the official releases of the Correlates of War (COW) state system,
# the COW Militarized Interstate Dispute (MID) data and the Alliance Treaty Obligations and
# Provisions (ATOP) data into a **directed dyad-year panel**, look at one famous pair of states
# in it, and watch how the number of observations and of "events" moves when a single coding
# choice changes.
#
# **You will learn** to
#
# 1. get the data and check that it is the published data;
# 2. write down every coding choice of a panel in one `PanelSpec` and build the panel;
# 3. read the build log, which tells you what each step did;
# 4. inspect a dyad (France–Germany) and check it against history;
# 5. measure the consequences of coding choices (originators vs joiners, ongoing-dispute years,
#    politically relevant dyads).
#
# Everything uses the public API of `foedus` only. The file is a plain Python script in
# [jupytext](https://jupytext.readthedocs.io) "percent" format: run it with `python`, or open it
# as a notebook with `jupytext --to notebook`.

# %% [markdown]
# ## 0. Setup
#
# Two environment variables control the run:
#
# - `FOEDUS_TUTORIAL_YEARS` (e.g. `1900-1920`) shortens the panel; the test suite uses it to keep
#   the tutorials fast. The default is the full COW/MID 5.0 period, 1816–2014.
# - `FOEDUS_TUTORIAL_OUT` is the folder the figures are written to (default `tutorial-output`).

# %%
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # write PNG files; no window needed
import matplotlib.pyplot as plt
import pandas as pd

import foedus

YEARS = tuple(int(y) for y in os.environ.get("FOEDUS_TUTORIAL_YEARS", "1816-2014").split("-"))
OUT = Path(os.environ.get("FOEDUS_TUTORIAL_OUT", "tutorial-output"))
OUT.mkdir(parents=True, exist_ok=True)
pd.set_option("display.width", 120)
print("foedus", foedus.__version__, "| years", YEARS)

# %% [markdown]
# ## 1. Get the data
#
# foedus reads only the official releases, each listed in a registry with its SHA-256 hash
# (see [Data](../data.md)). On the command line
#
# ```
# foedus data fetch cow-states cow-mid atop cow-nmc cow-contiguity polity peacesciencer
# foedus data verify
# ```
#
# downloads them once into a per-user cache. If you already have the files (a lab share, a
# replication archive), point `FOEDUS_DATA_DIR` at the folder instead. From Python,
# `foedus.data.fetch` does the same and returns the verified paths:

# %%
for name in ["cow-states", "cow-mid", "atop"]:
    paths = foedus.data.fetch(name)
    print(f"{name:12s}", ", ".join(p.name for p in paths))

# %% [markdown]
# Every reader returns a clean, typed frame. The state system, for instance:

# %%
states = foedus.data.read_states()
names = states.drop_duplicates("ccode").set_index("ccode")["statenme"]
states.head()

# %% [markdown]
# ## 2. One spec, one panel
#
# A `PanelSpec` holds every coding choice. Its sections — `AllianceRules`, `DisputeRules`,
# `Covariates`, `Temporal`, `Sample` — have documented defaults, and the spec prints itself
# as the list of choices you would put in a table note. Nothing about the panel is decided
# anywhere else.

# %%
spec = foedus.PanelSpec(years=YEARS, directed=True)
print(spec.describe())

# %% [markdown]
# The defaults follow the literature: ATOP 5.1 alliances with Leeds (2003)'s rules for when a
# third party's promise applies, MID 5.0 disputes where the challenger is an *originator* on
# side A (joiners excluded), capabilities, contiguity, distance, Polity5 democracy, major
# powers, S-scores, and peace years with their square and cube (Carter & Signorino 2010).
# Each option's documentation is on the [Methods notes](../methods.md#coding-rules-of-every-panel-option)
# page, generated from the spec itself.
#
# Build it. The first build reads the releases; later builds with the same spec come from an
# on-disk cache keyed by the spec's hash.

# %%
panel = foedus.build_panel(spec)
df = panel.frame
print(f"{len(df):,} directed dyad-years, {df.shape[1]} columns")
print(list(df.columns))

# %% [markdown]
# `panel.describe()` is the spec followed by the **build log**: what each step matched, what it
# could not match, which rule decided a tie. Read it before you fit anything.

# %%
print(panel.describe())

# %% [markdown]
# A few numbers worth knowing: the dependent variable `dispute` (A initiates a new dispute
# against B) is a rare event; `onset` counts new dyadic disputes in either direction. Years
# outside a source's coverage are missing (`<NA>`), never 0.

# %%
summary = pd.DataFrame({
    "events": df[["dispute", "onset", "ongoing", "defense", "ptargdef"]].sum(),
    "share": df[["dispute", "onset", "ongoing", "defense", "ptargdef"]].mean(),
    "missing": df[["dispute", "onset", "ongoing", "defense", "ptargdef"]].isna().sum(),
})
summary

# %% [markdown]
# ## 3. One dyad under the microscope: France and Germany
#
# COW codes: France 220, Germany 255 (Prussia until 1871). In the directed panel the row
# `(ccode1=255, ccode2=220)` asks "does Germany initiate a dispute against France this year?";
# `ptargdef` asks whether a third state has promised to defend France against Germany.

# %%
FRA, GER = 220, 255
cols = ["year", "defense", "ptargdef", "n_targdef", "onset", "ongoing", "dispute", "dispnum",
        "hostlev", "peaceyrs", "s_un_glo"]
ger_fra = df[(df.ccode1 == GER) & (df.ccode2 == FRA) & df.year.between(1870, 1939)][cols]
print(ger_fra.to_string(index=False))

# %% [markdown]
# Things to check against what you know:
#
# - **Alliances.** France and Germany never share a defense pact (`defense` = 0), but for much
#   of the period third states have promised to defend France (`ptargdef` = 1; `n_targdef`
#   counts them): Russia from the Franco-Russian alliance (ATOP dates it 1893), Britain and
#   others later. Which ATOP alliances link a pair is in `atopids`; the rules for when a
#   third party's promise "applies" are on the [Alliances](../panel-alliances.md) page.
# - **Disputes.** Germany initiates several disputes against France (the Agadir crisis of 1911
#   is MID 315; `dispnum` names each one, look them up in the MID narratives). The First World War
#   (MID 257) is *not* a German–French onset under the default rule: Austria-Hungary and
#   Serbia are the originators, and Germany and France *joined*. Section 4 shows what the
#   `joiners` option does to that.
# - **Peace years** count years since the last dyadic onset; they reset to 0 the year after
#   one. Disputes before the panel's first year are not seen, so peace years are
#   left-censored at the start of a short panel (the log says so).
#
# A picture of the same dyad:

# %%
fig, ax = plt.subplots(figsize=(8, 3))
ax.plot(ger_fra.year, ger_fra.peaceyrs, color="0.3", lw=1, label="peace years")
onsets = ger_fra[ger_fra.onset == 1]
ax.scatter(onsets.year, onsets.peaceyrs, color="C3", zorder=3, label="dispute onset")
ax.fill_between(ger_fra.year, 0, ger_fra.peaceyrs.max() if len(ger_fra) else 1,
                where=(ger_fra.ptargdef == 1).to_numpy(dtype=bool), color="C0", alpha=0.15,
                step="mid", label="France has a third-party defender")
ax.set_xlabel("year")
ax.set_ylabel("peace years")
ax.set_title("Germany → France, 1870–1939")
ax.legend(loc="upper left", fontsize=8, frameon=False)
fig.tight_layout()
fig.savefig(OUT / "t1_france_germany.png", dpi=110)
plt.close(fig)

# %% [markdown]
# ![Germany → France: peace years, dispute onsets and third-party defense of France](figures/t1_france_germany.png)

# %% [markdown]
# ## 4. Coding choices move N and the number of events
#
# The same data can give quite different samples. We change **one** option at a time and
# count the rows (N), the events of the dependent variable (`dispute`) and the dyadic onsets.
# `spec.replace(...)` returns a copy with one top-level section replaced.

# %%
variants = {
    "default (originators only)": spec,
    "joiners count, side A initiates": spec.replace(
        disputes=foedus.DisputeRules(joiners=True, initiation="sidea")),
    "drop ongoing-dispute years": spec.replace(sample=foedus.Sample(drop_ongoing=True)),
    "politically relevant dyads only": spec.replace(
        sample=foedus.Sample(politically_relevant=True)),
}
rows = []
for label, variant in variants.items():
    frame = foedus.build_panel(variant).frame
    rows.append({"coding": label, "N": len(frame), "dispute = 1": int(frame.dispute.sum()),
                 "onsets": int(frame.onset.sum()), "event rate": frame.dispute.mean(),
                 "spec hash": variant.digest()})
choices = pd.DataFrame(rows).set_index("coding")
choices

# %% [markdown]
# How to read this:
#
# - **Joiners.** Counting states that joined a dispute after its first day (and letting any
#   side-A state initiate) adds the dyads of multilateral wars — both World Wars above all.
#   Whether a joiner "initiates" against every member of the other side is a research-design
#   question, not a data-cleaning one (see [Disputes](../panel-disputes.md)).
# - **Ongoing years.** Dropping the years in which a dispute continues from an earlier year
#   removes few rows, but not only "non-events": a dyad can start a *new* dispute in a year
#   when an older one is still going on (`onset` and `ongoing` both 1), and those onsets go too.
#   Count them: `df[(df.onset == 1) & (df.ongoing == 1)]`.
# - **Politically relevant dyads** (contiguous, or one side a major power) cut N by an order of
#   magnitude but keep most events: that is why the literature uses them, and also why
#   estimates from them describe a different population.
#
# The build log of each variant records the rows every filter removed (`panel.log` holds the
# records with their counts):

# %%
prd = foedus.build_panel(variants["politically relevant dyads only"])
for record in prd.log:
    if record["step"] == "sample":
        print(record["message"])

# %% [markdown]
# The Germany → France row under the joiners coding now carries the First World War:

# %%
joiners = foedus.build_panel(variants["joiners count, side A initiates"]).frame
print(joiners[(joiners.ccode1 == GER) & (joiners.ccode2 == FRA) & joiners.year.between(1912, 1919)]
      [["year", "onset", "ongoing", "dispute", "dispnum", "hostlev", "sidea1", "orig1"]]
      .to_string(index=False))

# %% [markdown]
# A bar chart of the comparison, for your slides:

# %%
fig, axes = plt.subplots(1, 2, figsize=(9, 3))
choices["N"].plot.barh(ax=axes[0], color="0.5")
axes[0].set_title("dyad-years (N)")
choices["dispute = 1"].plot.barh(ax=axes[1], color="C3")
axes[1].set_title("initiations (dispute = 1)")
axes[1].set_yticklabels([])
for ax in axes:
    ax.set_ylabel("")
fig.tight_layout()
fig.savefig(OUT / "t1_coding_choices.png", dpi=110)
plt.close(fig)

# %% [markdown]
# ![N and events under four codings](figures/t1_coding_choices.png)
#
# ## 5. Save the panel with its spec
#
# A panel is only reproducible with its spec. Write both; `PanelSpec.from_json` reads the spec
# back, and building it again gives the same panel (the cache is keyed by `spec.digest()`).

# %%
(OUT / "panel_spec.json").write_text(spec.to_json())
again = foedus.PanelSpec.from_json((OUT / "panel_spec.json").read_text())
assert again == spec and again.digest() == spec.digest()
print("spec hash", spec.digest())

# %% [markdown]
# The command line does the same, without Python: `foedus panel --spec panel_spec.json
# -o panel.dta` builds the panel of that spec and writes it for Stata (variable and value labels
# included; `.parquet` and `.feather` for R's `arrow`, `.csv` for anything) with
# `panel.dta.json` beside it: the spec, the build log, every input file with its sha256 and a
# data dictionary. `foedus panel --spec panel_spec.json --describe` prints the choices.
#
# ## Exercises
#
# Solutions are in [`solutions/01_panel_solutions.py`](solutions/01_panel_solutions.py).
#
# 1. **Directed vs non-directed.** Build the non-directed panel (`directed=False`) for the same
#    years. How many rows does it have relative to the directed one, and why exactly half?
#    Which dispute variables still make sense in it?
# 2. **Another dyad.** Inspect Russia/USSR (365) → Japan (740) for 1895–1945. Find the
#    Russo-Japanese War and the border clashes of the late 1930s. Does `ptargdef` change when
#    the Anglo-Japanese alliance (1902) starts?
# 3. **Dispute versions.** Count `dispute = 1` under MID 5.0, 4.3 and 3.10 (`DisputeRules(version=...)`)
#    for the years they share. Which version has the most events, and why might the counts
#    differ?
# 4. **Your own rule.** Change the alliance coding so that secret alliances are excluded
#    (`AllianceRules(secret="exclude")`). How many dyad-years change their `ptargdef`?
