# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     name: python3
# ---

# %% [markdown]
# # Tutorial 4 — A survey experiment: do alliances raise public support for war?
#
# Observational studies of alliances ask whether states with allies are attacked less often.
# Tomz & Weeks (2021, *International Studies Quarterly*) ask a question the dyad-year panel
# cannot answer: **do citizens support using force more when the attacked country is an
# ally?** They ran a survey experiment. In April 2017, YouGov showed 1,200 Americans a short
# scenario — a country is invaded by its neighbour — and randomly varied five features of it:
# whether the country had a military alliance with the United States, whether it was a
# democracy, whether the attacker's success would hurt U.S. security and the economy, whether
# intervening would be costly, and the region. Then it asked whether the United States should
# send its military to stop the invasion.
#
# **You will learn** to
#
# 1. read the authors' survey extract and their coding rules (Stata value labels, do-files);
# 2. check that a randomisation "worked" (balance of pre-treatment characteristics);
# 3. estimate an average treatment effect as a **difference in means**, with the right
#    standard error, by hand and by regression;
# 4. use **regression adjustment** (controls and the other treatments) and survey weights,
#    and say what each changes;
# 5. draw the treatment effects with their intervals.
#
# The unit of analysis is the respondent, not the dyad-year. Everything uses the public API of
# `foedus`.

# %% [markdown]
# ## 0. Setup
#
# `FOEDUS_TUTORIAL_OUT` is the folder the figures are written to (default `tutorial-output`).
# The survey has 1,200 rows: this tutorial runs in seconds, so it ignores
# `FOEDUS_TUTORIAL_YEARS`.

# %%
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # write PNG files; no window needed
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

import foedus
from foedus.data.readers.tomz_weeks import VALUE_LABELS
from foedus.data.tomz_weeks_2021 import CONTROLS, TomzWeeksRespondents
from foedus.data.units import build_unit
from foedus.models import ols

OUT = Path(os.environ.get("FOEDUS_TUTORIAL_OUT", "tutorial-output"))
OUT.mkdir(parents=True, exist_ok=True)
pd.set_option("display.width", 120)
print("foedus", foedus.__version__)

# %% [markdown]
# ## 1. The authors' data
#
# The replication archive holds the survey extract (a Stata file) and the do-files that prepare
# and analyse it. foedus registers all four files with their hashes:

# %%
ds = foedus.data.current_registry().get("tomz-weeks-2021")
for f in ds.files:
    print(f"{f.name:32s} {f.size:>7,} bytes  sha256 {f.sha256[:12]}…")

# %% [markdown]
# Stata stores every answer as a number with a *value label*. The reader keeps the numbers (the
# authors' do-file recodes them by number) and checks each column against the codes its label
# defines; `VALUE_LABELS` has their text. The alliance treatment and the outcome:

# %%
raw = foedus.data.read_tomz_weeks_2021()
print(VALUE_LABELS["alliance"])
print(VALUE_LABELS["pref"])
raw[["alliance", "regime", "stakes", "costs", "region", "pref", "weight"]].head()

# %% [markdown]
# ## 2. The authors' preparation, ported
#
# `2017-04-YouGov-prepdata.do` recodes the treatments to 0/1 (`ally`, `dem`, `ints`, `cost` —
# careful: `cost` = 1 means **low** costs), builds the outcome `strike2` (100 if the respondent
# favours sending the military, somewhat or strongly; 0 otherwise), reverses the hawkishness
# scale, and so on; `2017-04-YouGov-mainfx.do` rescales the controls to 0–1 before every
# model. `TomzWeeksRespondents` is that port (each rule cites its do-file line; see the
# [study page](../study-tomz-weeks-2021.md)). Its build log says what it did:

# %%
unit = build_unit(TomzWeeksRespondents())
df = unit.frame
for record in unit.log:
    print(record["message"])
print(unit.spec.describe())

# %% [markdown]
# Always check a recode against the raw codes. A cross-tabulation shows the whole mapping at
# once:

# %%
pd.crosstab(raw["pref"].map(VALUE_LABELS["pref"]), df["strike2"])

# %% [markdown]
# ## 3. Did the randomisation work?
#
# Randomisation makes the alliance and no-alliance groups alike *in expectation*: every
# characteristic fixed before the treatment (party, age, hawkishness, …) should have about the
# same distribution in both. We compare means, with a Welch t-test for each, and then test all
# of them at once: regress the treatment on every covariate and test that all slopes are zero
# (an F-test). With 14 covariates, one or two p-values below 0.05 are expected by chance alone.

# %%
arm = df["ally"] == 1
rows = {}
for c in [*CONTROLS, "dem", "ints", "cost", "africa", "asia", "eeurope"]:
    rows[c] = {"no alliance": df.loc[~arm, c].mean(), "alliance": df.loc[arm, c].mean(),
               "p (Welch)": stats.ttest_ind(df.loc[arm, c], df.loc[~arm, c], equal_var=False).pvalue}
balance = pd.DataFrame.from_dict(rows, orient="index")
print(f"alliance arm {int(arm.sum())} respondents, no-alliance arm {int((~arm).sum())}")
balance.round(3)

# %%
covariates = " + ".join(balance.index)
full = ols(f"ally ~ {covariates}", df)
null = ols("ally ~ 1", df)
q = len(balance)
F = ((null.resid @ null.resid - full.resid @ full.resid) / q) / (full.resid @ full.resid / full.df_resid)
print(f"joint test: F({q}, {full.df_resid}) = {F:.2f}, p = {stats.f.sf(F, q, full.df_resid):.3f}")

# %% [markdown]
# The controls are balanced. Two of the *other treatments* are not quite: the alliance arm has
# fewer democracies and more African cases than the no-alliance arm, and the joint test is
# below 0.05. Chance can do that (the treatments were assigned independently, as far as the
# archive tells), but it matters: democracy raises support for intervening too, so a raw
# comparison of the arms mixes a little of the democracy effect into the alliance effect. That
# is one reason to adjust for the other treatments (section 5).
#
# ## 4. The difference in means
#
# The average treatment effect of an alliance is estimated by the difference between the share
# favouring military action in the alliance arm and in the no-alliance arm. By hand:

# %%
y1, y0 = df.loc[arm, "strike2"], df.loc[~arm, "strike2"]
ate = y1.mean() - y0.mean()
se_welch = np.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
print(f"support with an alliance {y1.mean():.1f}%, without {y0.mean():.1f}%: "
      f"difference {ate:.1f} points (SE {se_welch:.2f})")

# %% [markdown]
# The same number is the slope of a regression of the outcome on the treatment indicator. Its
# heteroskedasticity-robust standard error (HC1 — what Stata's `reg strike2 ally, robust`
# reports, the authors' footnote model) is the unequal-variance standard error up to a
# small-sample factor; the classical OLS standard error assumes both arms have the same
# variance.

# %%
dim = ols("strike2 ~ ally", df, cov_type="HC1")
print(dim.summary())
print(f"classical SE {dim.with_cov('classical').bse['ally']:.3f} vs robust (HC1) {dim.bse['ally']:.3f} "
      f"vs Welch by hand {se_welch:.3f}")

# %% [markdown]
# ## 5. Regression adjustment
#
# In an experiment, controls are not needed for unbiasedness: randomisation already gives it.
# They buy **precision** — covariates that predict the outcome soak up residual variance — and
# they correct chance imbalances like the one in section 3. The authors' models add the other
# four treatments and eight controls (hawkishness, internationalism, party, nationalism, male,
# white, age, education). Their own program for this (`main_fx`) is not in the archive; the
# study page explains our reading of it.

# %%
rhs = "ally + dem + ints + cost + africa + asia + eeurope + " + " + ".join(CONTROLS)
adjusted = ols(f"strike2 ~ {rhs}", df, cov_type="HC1")
weighted = ols(f"strike2 ~ {rhs}", df, weights="weight", cov_type="HC1")
compare = pd.DataFrame({
    "estimate": [dim.params["ally"], adjusted.params["ally"], weighted.params["ally"]],
    "robust SE": [dim.bse["ally"], adjusted.bse["ally"], weighted.bse["ally"]],
    "R-squared": [dim.rsquared, adjusted.rsquared, weighted.rsquared],
}, index=["difference in means", "adjusted", "adjusted, survey weights"])
compare.round(3)

# %% [markdown]
# Read the table in three steps:
#
# - **Estimate.** Adjusting moves the effect by well under one standard error: the design, not
#   the model, produces the answer (about 33 points).
# - **Precision.** The adjusted standard error is smaller: the controls explain a good part of
#   who supports war (hawks and internationalists do).
# - **Weights.** YouGov's weights make the sample resemble the U.S. adult population. The
#   weighted estimate answers "what is the effect for the population?" instead of "for these
#   respondents"; it is noisier, because unequal weights reduce the effective sample size
#   (Kish's approximation: $n_\text{eff} = (\sum w)^2 / \sum w^2$).

# %%
w = df["weight"]
print(f"effective sample size with the weights: {w.sum() ** 2 / (w ** 2).sum():.0f} of {len(w)}")

# %% [markdown]
# ## 6. All five treatments in one picture
#
# The same regression estimates the effect of every treatment (each holding the others fixed,
# which randomisation makes legitimate). Region enters as three indicators with South America as
# the base, as the authors' `ib4.region`.

# %%
labels = {"ally": "Alliance", "dem": "Democracy", "ints": "High stakes", "cost": "Low costs",
          "africa": "Africa (vs S. America)", "asia": "Asia (vs S. America)",
          "eeurope": "E. Europe (vs S. America)"}
ci = adjusted.conf_int()
effects = pd.DataFrame({"estimate": adjusted.params, "low": ci[0], "high": ci[1]}).loc[list(labels)]
fig, ax = plt.subplots(figsize=(6, 3.2))
ypos = np.arange(len(effects))[::-1]
ax.errorbar(effects["estimate"], ypos,
            xerr=[effects["estimate"] - effects["low"], effects["high"] - effects["estimate"]],
            fmt="o", color="C0", capsize=0)
ax.axvline(0, color="0.5", lw=0.8, ls="--")
ax.set_yticks(ypos, [labels[v] for v in effects.index])
ax.set_xlabel("effect on support for military action (percentage points, 95% interval)")
ax.set_title("Tomz & Weeks (2021), Study 1: treatment effects")
fig.tight_layout()
fig.savefig(OUT / "t4_treatment_effects.png", dpi=110)
plt.close(fig)
effects.round(2)

# %% [markdown]
# ![Effects of the five randomised treatments on support for military action](figures/t4_treatment_effects.png)
#
# An alliance raises support by about a third of the sample — more than democracy, high stakes
# or low costs. That is the paper's claim: *alliances substantially increase public support for
# using military force to defend the attacked country*.
#
# ## 7. The whole study in one command
#
# `foedus replicate tomz_weeks_2021` (or `make tomz_weeks_2021`) runs every model of the study —
# the difference in means, the adjusted regression with and without weights, the five-point
# outcome, and our alternative reading of the authors' program — and writes the tables, the
# coefficient plot and the provenance (with the hash of the survey file) to
# `results/tomz_weeks_2021/`.

# %%
rep = foedus.replicate("tomz_weeks_2021", output=OUT / "tomz_weeks_2021", progress=False)
print(sorted(p.name for p in rep.files.values()))
print(rep.result.summary("authors", "support").to_string())

# %% [markdown]
# ## Exercises
#
# Solutions are in [`solutions/04_survey_experiment_solutions.py`](solutions/04_survey_experiment_solutions.py).
#
# 1. **The five-point outcome.** Repeat the difference in means and the adjusted regression with
#    `strike5` (0 = oppose strongly … 4 = favour strongly). Express the effect as a share of the
#    outcome's standard deviation and compare it with the binary outcome's.
# 2. **Attention checks.** `ck_alliance` is 1 when the respondent correctly recalled whether the
#    country had an alliance. Estimate the effect among those who passed. Why is conditioning on
#    a *post-treatment* variable risky, even when the result looks similar?
# 3. **Who responds?** Does the alliance effect differ between Democrats, independents and
#    Republicans (`pid3` = 1, 2, 3)? Estimate it in each group and with an interaction
#    `ally:C(pid3)`. How large would a difference have to be to be detected with 300-475 people
#    a group?
# 4. **Randomisation inference.** Shuffle `ally` 2,000 times (fixed seed), recompute the
#    difference in means each time, and compare the observed difference with that
#    distribution. What p-value do you get, and what does it assume?
