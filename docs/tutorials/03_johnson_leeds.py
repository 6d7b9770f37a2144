# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     name: python3
# ---

# %% [markdown]
# # Tutorial 3 — Reproducing Johnson & Leeds (2011)
#
# Johnson, J. C. and B. A. Leeds (2011), "Defense Pacts: A Prescription for Peace?", *Foreign
# Policy Analysis* 7(1): 45–65, report that a potential target's defense pacts make it less
# likely to be targeted: a significant **negative** coefficient of `ptargdef` in a probit of
# dispute initiation on directed dyad-years, 1816–2000 (their Table 1).
#
# **You will** run the registered study end to end (panel, models, published claims and a
# mechanical verdict), read its table and its predicted-probability figure, then ask how far the
# answer depends on the choices the authors made, with a small robustness grid (a
# "multiverse"). The study's design, and every place where foedus had to choose because the paper
# does not say, is documented in `foedus.replication.johnson_leeds_2011`.
#
# As in the other tutorials, `FOEDUS_TUTORIAL_YEARS` shortens the run. **A shortened run is
# not the published design**: the tables then say so in their notes, and the numbers you see
# below are those of the years of this run.

# %%
import dataclasses
import os
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pandas as pd

import foedus
from foedus.replication.multiverse import run_multiverse
from foedus.replication.multiverses import get_multiverse

YEARS = os.environ.get("FOEDUS_TUTORIAL_YEARS")
YEARS = tuple(int(y) for y in YEARS.split("-")) if YEARS else None  # None: the study's 1816-2000
OUT = Path(os.environ.get("FOEDUS_TUTORIAL_OUT", "tutorial-output"))
OUT.mkdir(parents=True, exist_ok=True)
pd.set_option("display.width", 140)
study = foedus.replication.get_study("johnson_leeds_2011")
print(study.title)
print("years:", YEARS or "the study's own (1816-2000)")

# %% [markdown]
# ## 1. Run the study
#
# `replicate` builds the study's panels (one per data version: MID 3.10 as close to the
# authors' data as the registry allows, and the current MID 5.0), fits Table 1 and the
# robustness models, compares each published claim with the estimate under a verdict rule fixed
# in advance, and writes tables, figures and a `provenance.json` (input files and their hashes,
# specs, versions). The command line equivalent is `foedus replicate johnson_leeds_2011`.

# %%
rep = foedus.replication.replicate("johnson_leeds_2011", output=OUT / "johnson_leeds_2011",
                                   years=YEARS, progress=False)
print("\n".join(f"{name:16s} {path.relative_to(OUT)}" for name, path in sorted(rep.files.items())))

# %% [markdown]
# ## 2. The table
#
# `table.md` opens with the published claims and their verdicts, then Table 1 with every
# coefficient, for each data version:

# %%
text = rep.files["table.md"].read_text()
sections = text.split("\n## ")
for section in sections[1:3]:  # "Published claims and verdicts", "Table 1: all coefficients"
    print("## " + section.strip(), end="\n\n")

# %% [markdown]
# How to read it: the verdict is mechanical — "reproduced" when the estimate has the published
# sign and \(p < 0.05\) (or, for a claim of *no* effect, \(p \ge 0.05\)). It says whether the
# same design on these data gives the published answer, not why it might not. Next, the same
# model under other estimators and covariance estimators (Tutorial 2): the coefficient does not
# depend on the covariance; the standard error and the verdict do.

# %%
for section in sections[3:5]:
    if section.startswith("Estimators"):
        print("## " + section.strip(), end="\n\n")

# %% [markdown]
# ## 3. The predicted-probability figure
#
# Johnson & Leeds's Figure 1 simulates (Clarify) the probability of initiation with `ptargdef`
# = 0 and = 1, the other variables at their means over the `ptargdef` = 0 observations. foedus
# draws the coefficients from their estimated sampling distribution the same way.

# %%
for name in ["predicted.png", "coefplot.png"]:
    if name in rep.files:
        shutil.copyfile(rep.files[name], OUT / f"t3_{name}")
effect = [s for s in sections if s.startswith("Substantive effect")]
print("## " + effect[0].strip() if effect else "(no effect section)")

# %% [markdown]
# ![Predicted probability of initiation with and without a third-party defense pact](figures/t3_predicted.png)
#
# ![ptargdef and pchalally across models and data versions, 95% intervals](figures/t3_coefplot.png)
#
# ## 4. The robustness explorer on a small grid
#
# The registered multiverse ([Robustness explorer](../multiverse.md)) varies a dozen choices (dispute data and release, initiator,
# ongoing years, sample, period, alliance-coding rules, estimator, standard errors). Here a
# small grid: who counts as the initiator, all dyads vs politically relevant dyads, probit vs
# logit, classical vs dyadic-robust errors. `depth=1` moves one data choice at a time away from
# Johnson & Leeds's own design; each data combination is crossed with every estimator and
# covariance.

# %%
full = get_multiverse("johnson_leeds_2011")
keep = {"initiation", "sample", "model", "vcov"}
choices = []
for choice in full.choices:
    if choice.name not in keep:
        continue
    if choice.name == "model":  # probit (the paper's) and logit only, to keep the run short
        choice = dataclasses.replace(choice, levels=choice.levels[:2])
    choices.append(choice)
small = dataclasses.replace(full, choices=tuple(choices))
if YEARS is not None:
    small = small.with_years(YEARS)
specs = small.specifications(depth=1)
print(f"{len(specs)} specifications from {len(choices)} choices")
mv = run_multiverse(small, output=OUT / "multiverse", depth=1, workers=1, progress=False)
columns = ["initiation", "sample", "model", "vcov", "n", "events", "estimate", "se", "p", "ame"]
mv.table[[c for c in columns if c in mv.table.columns]].round(4)

# %%
shutil.copyfile(mv.files["spec_curve.png"], OUT / "t3_spec_curve.png")
s = mv.summary
print(f"{s['n_ok']} of {s['n_specs']} specifications fitted")
print(f"share with the published (negative) sign: {s['share_published_sign']:.0%}")
print(f"share negative and significant at {s['alpha']}: {s['share_published_sign_significant']:.0%}")
print(f"share with the opposite sign and significant: {s['share_opposite_sign_significant']:.0%}")
if s["most_influential"]:
    print("choice that moves the average marginal effect most:", s["most_influential"]["choice"])

# %% [markdown]
# ![Specification curve of the ptargdef effect](figures/t3_spec_curve.png)
#
# ## 5. What should a reader conclude?
#
# First collect the evidence on the claim in one place: `table.csv` is the tidy form of every
# table (one row per data version, model, estimator, covariance and coefficient).

# %%
tidy = pd.read_csv(rep.files["table.csv"])
claim = tidy[(tidy.variable == "ptargdef") & tidy.group.isin(["main", "robustness"])
             & (tidy.estimator == "probit") & (tidy.covariance == "classical")]
print(claim[["data_label", "model_label", "estimate", "se", "p", "verdict", "nobs", "events"]]
      .to_string(index=False, float_format=lambda v: f"{v:.4g}"))
print("\nTable 1 (ptargdef) under each covariance estimator:")
main = tidy[(tidy.variable == "ptargdef") & (tidy.model == "table1") & (tidy.estimator == "probit")]
print(main[["data_label", "covariance", "estimate", "se", "p", "verdict"]]
      .to_string(index=False, float_format=lambda v: f"{v:.4g}"))

# %% [markdown]
# Read these outputs together with the specification curve, and be as explicit about them as
# the verdict rule is:
#
# - **Table 1 verdict.** Does the Table 1 design, on the closest available data and on the
#   current releases, give a significant negative `ptargdef`? If not on either, the finding does
#   not reproduce *with these data and these codings* — which is different from the authors
#   having made an error: the releases they worked with (probably MID 3.10 and ATOP 3.0; the
#   paper does not say) are not all available, and every coding choice foedus had to make is
#   listed in the table's notes and in `foedus.replication.johnson_leeds_2011`.
# - **Sensitivity.** Look at the robustness table (secret alliances included, shared defense
#   pacts dropped or controlled) and the specification curve: a finding that holds in nearly all
#   defensible specifications is robust; one whose sign or significance depends on one choice
#   (the summary above names the choice that moves the estimate most) is a finding *about that
#   choice*, and a paper should report it as such.
# - **Uncertainty.** Dyadic-robust standard errors are the honest ones for a target-level
#   variable (Tutorial 2); a result significant only under classical errors is weak evidence.
# - **Scope.** A reproduction on a shortened period (a CI run) says nothing about the published
#   period; run `make tutorials` (or `foedus replicate johnson_leeds_2011`) for the real answer.
#
# ## Exercises
#
# Solutions are in [`solutions/03_johnson_leeds_solutions.py`](solutions/03_johnson_leeds_solutions.py).
#
# 1. **Secret alliances.** Johnson & Leeds's Table 1 codes `ptargdef` from public alliances only.
#    Add the `secret` choice of the registered multiverse to the small grid. What happens to the
#    sign of `ptargdef`? Why could including secret pacts change a *deterrence* effect?
# 2. **Periods.** Add the `period` choice (1816–1944 vs 1945–2000). Is the effect the same
#    before and after 1945?
# 3. **Provenance.** Open `provenance.json`. Which files (and which sha256) is Table 1 built
#    from? Write the one sentence you would put in a replication footnote.
