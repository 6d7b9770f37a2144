# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     name: python3
# ---

# %% [markdown]
# # Tutorial 2 — Rare events and dependence
#
# Dyad-year conflict data have two properties that ordinary logit handles badly:
#
# 1. **Events are rare.** Well under one dyad-year in a hundred sees a new dispute. Maximum
#    likelihood logit is biased in finite samples, and the bias is driven by the number of
#    *events*, not the number of rows (King & Zeng 2001).
# 2. **Observations are dependent.** Every dyad-year of Germany → France shares a state with
#    every dyad-year of Germany → anyone and anyone → France. Standard errors that treat rows as
#    independent are too small (Aronow, Samii & Assenova 2015).
#
# **You will learn** to fit logit, rare-events logit and Firth logit on a real panel; to see the
# small-sample bias and its corrections in a seeded simulation; to draw a case-control sample
# and undo its selection with the prior correction; and to compare classical, dyad-clustered and
# dyadic-robust standard errors for the key alliance variable. The formulas are on the
# [Methods notes](../methods.md) page.

# %%
import os
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import foedus
from foedus.models import SeparationError

YEARS = tuple(int(y) for y in os.environ.get("FOEDUS_TUTORIAL_YEARS", "1816-2014").split("-"))
OUT = Path(os.environ.get("FOEDUS_TUTORIAL_OUT", "tutorial-output"))
OUT.mkdir(parents=True, exist_ok=True)
pd.set_option("display.width", 120)
print("years", YEARS)

# %% [markdown]
# ## 1. The panel and a model
#
# The default panel of Tutorial 1 (directed dyad-years, MID 5.0 originators, ATOP 5.1). The
# model is a stripped-down version of Leeds (2003): does a third party's defense promise to the
# target (`ptargdef`) go with fewer initiations against it, given contiguity, joint democracy,
# relative capabilities, a major-power challenger, the challenger's own allies and the time since
# the dyad's last dispute? We drop the rows with missing regressors first, so that every model
# below uses exactly the same sample.

# %%
spec = foedus.PanelSpec(years=YEARS)
panel = foedus.build_panel(spec)
FORMULA = ("dispute ~ ptargdef + pchalally + capprop + contig_land + jdem + major1"
           " + peaceyrs + peaceyrs2 + peaceyrs3")
variables = ["dispute", "ptargdef", "pchalally", "capprop", "contig_land", "jdem", "major1",
             "peaceyrs", "peaceyrs2", "peaceyrs3"]
frame = panel.frame[["ccode1", "ccode2", "year", *variables]]
complete = frame.dropna()
print(f"{len(frame):,} dyad-years; {len(frame) - len(complete):,} dropped for missing values "
      f"(jdem: Polity has no score for some states); {int(complete.dispute.sum()):,} events, "
      f"rate {complete.dispute.mean():.5f}")

# %% [markdown]
# ## 2. Logit, rare-events logit and Firth on the real panel

# %%
fits = {
    "logit": foedus.models.logit(FORMULA, complete),
    "relogit": foedus.models.relogit(FORMULA, complete),
    "firth": foedus.models.firth(FORMULA, complete),
}
coefs = pd.DataFrame({name: res.params for name, res in fits.items()})
coefs["relogit - logit"] = coefs["relogit"] - coefs["logit"]
coefs["firth - logit"] = coefs["firth"] - coefs["logit"]
coefs.round(4)

# %% [markdown]
# With hundreds of events the three estimators agree to two or three decimals: the King–Zeng
# bias term is of order \(1/n\) weighted by \(\pi(1-\pi)\), and with this many events it is tiny.
# The corrections matter when the number of **events** is small — a short period, a region,
# a subset of dyads. Take a random subsample with about 40 events (the number of rows this
# needs depends on the event rate of your panel).

# %%
n_small = min(len(complete), int(round(40 / complete.dispute.mean())))
small = complete.sample(n=n_small, random_state=20110501)
print(f"subsample: {len(small):,} dyad-years, {int(small.dispute.sum())} events")
SMALL_FORMULA = "dispute ~ contig_land + major1 + peaceyrs"
small_fits = {}
for name in ["logit", "relogit", "firth"]:
    try:
        small_fits[name] = getattr(foedus.models, name)(SMALL_FORMULA, small).params
    except SeparationError as err:  # with very few events a regressor can separate the data
        print(f"{name}: {err}")
pd.DataFrame(small_fits).round(3)

# %% [markdown]
# Compare the columns: with some 40 events the corrections move the estimates a little, by a
# few hundredths here. (Draw a subsample with 5 events instead and logit may not exist at all:
# foedus then stops with a separation error that names the variable, while Firth still gives
# finite estimates.) Whether shifts like these are corrections or distortions, one sample cannot
# tell. A simulation can.
#
# ## 3. Small-sample bias: a seeded simulation
#
# We draw 1,000 data sets of \(n = 200\) from a logit with a known slope (\(\beta_1 = 1\))
# and an intercept (\(\beta_0 = -3\)) that makes events rare — about a dozen per data set —
# fit the three estimators to each, and compare their averages with the truth. The seed makes
# the result reproducible. (`FOEDUS_TUTORIAL_REPS` lowers the number of data sets for a quick
# run; the test suite uses 100.)

# %%
rng = np.random.default_rng(2001)  # King & Zeng's year
TRUE = np.array([-3.0, 1.0])
N, REPS = 200, int(os.environ.get("FOEDUS_TUTORIAL_REPS", "1000"))
draws = {"logit": [], "relogit": [], "firth": []}
skipped, events = 0, []
for _ in range(REPS):
    x = rng.standard_normal(N)
    X = np.column_stack([np.ones(N), x])
    y = (rng.random(N) < 1 / (1 + np.exp(-X @ TRUE))).astype(float)
    events.append(y.sum())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = {"logit": foedus.models.logit(endog=y, exog=X).params,
                   "relogit": foedus.models.relogit(endog=y, exog=X).params,
                   "firth": foedus.models.firth(endog=y, exog=X).params}
    except SeparationError:
        skipped += 1  # the MLE does not exist; logit cannot be compared on this draw
        continue
    for name, params in est.items():
        draws[name].append(np.asarray(params))
sim = pd.DataFrame({name: np.mean(values, axis=0) for name, values in draws.items()},
                   index=["intercept", "slope"])
sim.insert(0, "truth", TRUE)
for name in draws:
    sim[f"{name} bias %"] = 100 * (sim[name] - sim["truth"]) / np.abs(sim["truth"])
print(f"{REPS - skipped} data sets used ({skipped} separated ones skipped); "
      f"{np.mean(events):.1f} events per data set on average")
sim.round(3)

# %% [markdown]
# Look at the bias columns, and at the Monte Carlo standard errors below (the simulation's own
# noise: a bias smaller than about two of them is not distinguishable from zero). Logit's
# intercept is too negative, so logit *understates* the probability of an event — King &
# Zeng's main point — and its slope is exaggerated. The rare-events and Firth corrections bring
# both close to the truth. The corrections remove the bias of order \(1/n\) that a small number
# of events creates; exercise 1 shows how quickly the problem fades as the number of events
# grows.

# %%
mc_se = pd.DataFrame({name: np.std(values, axis=0, ddof=1) / np.sqrt(len(values))
                      for name, values in draws.items()}, index=["intercept", "slope"])
print("Monte Carlo standard errors of the means:")
mc_se.round(3)

# %%
slopes = pd.DataFrame({name: np.asarray(values)[:, 1] for name, values in draws.items()})
fig, ax = plt.subplots(figsize=(7, 3))
bins = np.linspace(-0.5, 3, 50)
for name, color in zip(slopes, ["0.4", "C0", "C3"]):
    ax.hist(slopes[name], bins=bins, histtype="step", color=color, lw=1.5,
            label=f"{name} (mean {slopes[name].mean():.3f})")
ax.axvline(TRUE[1], color="k", ls="--", lw=1, label="true slope")
ax.set_xlabel("estimated slope")
ax.set_ylabel("data sets")
ax.legend(fontsize=8, frameon=False)
ax.set_title(f"{len(slopes)} simulated data sets, n = {N}, {np.mean(events):.0f} events on average")
fig.tight_layout()
fig.savefig(OUT / "t2_small_sample_bias.png", dpi=110)
plt.close(fig)

# %% [markdown]
# ![Sampling distributions of the slope under logit, relogit and Firth](figures/t2_small_sample_bias.png)
#
# ## 4. Case-control sampling and the prior correction
#
# When a covariate is expensive to collect, King & Zeng suggest keeping every event and only a
# random share of the non-events. The slopes of a logit on such a sample are consistent, but the
# intercept is not: the sample's event rate \(\bar y\) is far above the population's \(\tau\).
# The *prior correction* subtracts \(\ln[((1-\tau)/\tau)(\bar y/(1-\bar y))]\) from the
# intercept. `case_control_sample` keeps track of \(\tau\) for you.

# %%
cc = foedus.models.case_control_sample(complete, "dispute", fraction=0.05, seed=1)
print(f"case-control sample: {len(cc.frame):,} rows ({cc.n_events} events, "
      f"{cc.n_nonevents_sample:,} of {cc.n_nonevents_population:,} non-events); "
      f"tau = {cc.tau:.5f}, sample event share = {cc.ybar:.4f}")
comparison = pd.DataFrame({
    "full data (logit)": fits["logit"].params,
    "case-control, naive logit": foedus.models.logit(FORMULA, cc.frame).params,
    "case-control, relogit + prior correction": foedus.models.relogit(
        FORMULA, cc.frame, **cc.relogit_kwargs("prior")).params,
    "case-control, relogit + weighting": foedus.models.relogit(
        FORMULA, cc.frame, **cc.relogit_kwargs("weighting")).params,
})
comparison.round(3)

# %% [markdown]
# The naive intercept is off by roughly \(\ln(1/0.05) \approx 3\); the prior-corrected one is
# back near the full-data value. The slopes deserve a second look. If the model were the true
# one, case-control sampling would leave them unchanged (up to sampling noise); where they move
# a lot — compare each row with the full-data column — the logit is misspecified, and
# the sample's different mix of events and non-events changes what the slopes estimate.
# King & Zeng (2001, section 4.1) recommend the **weighting** correction in that case, which
# reweights the sample back to the population's mix; its slopes should be closer to the
# full-data ones. (On the full 1816–2014 panel they are nearly identical; on a short panel
# the sample keeps only a couple of thousand controls, and sampling noise is as large as the
# difference.)
#
# ## 5. Standard errors under dyadic dependence
#
# The same logit, four ways to compute the standard error of `ptargdef`:
#
# - **classical**: inverse information — rows independent;
# - **cluster on the directed dyad**: the years of Germany → France may be correlated;
# - **cluster on the undirected dyad**: also Germany → France with France → Germany;
# - **dyadic-robust** (Aronow, Samii & Assenova 2015): any two rows that share a *state* may be
#   correlated — Germany → France with Germany → Russia and with Britain → France.

# %%
base = fits["logit"]
ses = {
    "classical": base,
    "cluster: directed dyad": base.with_cov("cluster", groups="directed_dyad"),
    "cluster: undirected dyad": base.with_cov("cluster", groups="dyad"),
}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    ses["dyadic-robust"] = base.with_cov("dyadic")
    _ = ses["dyadic-robust"].bse  # computed lazily
for w in caught:
    print("note:", w.message)
table = pd.DataFrame({
    "coef": {k: r.params["ptargdef"] for k, r in ses.items()},
    "std. error": {k: r.bse["ptargdef"] for k, r in ses.items()},
    "z": {k: r.tvalues["ptargdef"] for k, r in ses.items()},
})
table["ratio to classical"] = table["std. error"] / table.loc["classical", "std. error"]
table.round(4)

# %% [markdown]
# The coefficient is the same in every row; only its uncertainty changes. Why the standard
# errors are larger with clustering, and largest with the dyadic-robust estimator:
#
# - `ptargdef` is a property of the **target** and changes slowly: France has a third-party
#   defender for decades and against almost every challenger. Rows that share the target share
#   the regressor, and their errors share whatever else is true of France. Clustering on the dyad
#   allows for the correlation over time within a pair; the dyadic-robust estimator also allows
#   for the correlation across pairs that share a state, which is exactly the kind of correlation
#   a target-level variable induces.
# - The dyadic-robust estimator sums over states instead of dyads, so its effective number of
#   independent units is the number of states (the summary below prints it), not the number of dyads: fewer units,
#   wider intervals. The matrix is not guaranteed positive semi-definite; foedus checks it and
#   warns.
# - A \(z\) statistic that looks decisive with classical errors can lose most of its size. For a
#   claim about alliances and deterrence, report the dyadic-robust (or at least dyad-clustered)
#   errors, and say which you used.

# %%
fig, ax = plt.subplots(figsize=(6, 2.6))
coef = table["coef"].iloc[0]
for i, (label, row) in enumerate(table.iterrows()):
    ax.errorbar(coef, i, xerr=1.96 * row["std. error"], fmt="o", color="C0", capsize=3)
ax.axvline(0, color="0.6", lw=1)
ax.set_yticks(range(len(table)), table.index)
ax.invert_yaxis()
ax.set_xlabel("ptargdef coefficient, 95% interval")
fig.tight_layout()
fig.savefig(OUT / "t2_standard_errors.png", dpi=110)
plt.close(fig)

# %% [markdown]
# ![95% intervals for ptargdef under four covariance estimators](figures/t2_standard_errors.png)
#
# `res.summary()` prints the full table with the covariance estimator named in its header:

# %%
print(ses["dyadic-robust"].summary())

# %% [markdown]
# ## Exercises
#
# Solutions are in [`solutions/02_rare_events_solutions.py`](solutions/02_rare_events_solutions.py).
#
# 1. **Events, not rows.** Repeat the simulation with \(n = 3000\) and the same intercept
#    (about 200 events). How much bias is left in logit? Then keep \(n = 3000\) but move the
#    intercept to \(-5.5\) (about 20 events). What does this tell you about "large N"?
# 2. **How small can the control sample be?** Redo section 4 with `fraction` = 0.5, 0.1, 0.02
#    and 0.005. Plot the `ptargdef` coefficient and its standard error against the fraction.
# 3. **Two-way clustering.** Add `base.with_cov("twoway")` (challenger and target clusters,
#    Cameron, Gelbach & Miller 2011) to the table of section 5. Where does it fall between the
#    dyad-clustered and dyadic-robust errors, and why?
# 4. **Relative risk.** `fits["relogit"].relative_risk(x1, x0, seed=1)` simulates the relative
#    risk of a dispute between two profiles (dicts; the variables you leave out are held at their
#    sample means). Compute it for `ptargdef` = 1 vs 0 for a contiguous dyad and interpret it
#    in one sentence.
