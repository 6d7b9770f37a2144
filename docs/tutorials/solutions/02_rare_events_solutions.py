# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     name: python3
# ---

# %% [markdown]
# # Tutorial 2 — solutions to the exercises
#
# Runs on its own (`python 02_rare_events_solutions.py`); `FOEDUS_TUTORIAL_YEARS` shortens it.

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
FORMULA = ("dispute ~ ptargdef + pchalally + capprop + contig_land + jdem + major1"
           " + peaceyrs + peaceyrs2 + peaceyrs3")
variables = ["dispute", "ptargdef", "pchalally", "capprop", "contig_land", "jdem", "major1",
             "peaceyrs", "peaceyrs2", "peaceyrs3"]
panel = foedus.build_panel(foedus.PanelSpec(years=YEARS))
complete = panel.frame[["ccode1", "ccode2", "year", *variables]].dropna()

# %% [markdown]
# ## 1. Events, not rows


# %%
REPS = int(os.environ.get("FOEDUS_TUTORIAL_REPS", "100"))


def simulate(n, intercept, reps=REPS, seed=2001):
    """Mean logit / relogit / Firth estimates over `reps` seeded data sets."""
    rng = np.random.default_rng(seed)
    true = np.array([intercept, 1.0])
    draws, events, skipped = {"logit": [], "relogit": [], "firth": []}, [], 0
    for _ in range(reps):
        x = rng.standard_normal(n)
        X = np.column_stack([np.ones(n), x])
        y = (rng.random(n) < 1 / (1 + np.exp(-X @ true))).astype(float)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fits = {name: getattr(foedus.models, name)(endog=y, exog=X).params
                        for name in draws}
        except SeparationError:
            skipped += 1
            continue
        events.append(y.sum())
        for name, params in fits.items():
            draws[name].append(np.asarray(params)[1])
    row = {name: np.mean(v) for name, v in draws.items()}
    row.update({"mean events": np.mean(events), "separated (skipped)": skipped})
    return row


pd.DataFrame({"n=3000, intercept -3.0": simulate(3000, -3.0),
              "n=3000, intercept -5.5": simulate(3000, -5.5)}).T.round(3)

# %% [markdown]
# With about 200 events the logit slope is essentially unbiased; with about 20 events in the
# *same* number of rows the bias is back (and some data sets are separated). Bias is a matter
# of the number of events: a "large N" of mostly zeros does not protect you.
#
# ## 2. How small can the control sample be?

# %%
rows = []
for fraction in [0.5, 0.1, 0.02, 0.005]:
    cc = foedus.models.case_control_sample(complete, "dispute", fraction=fraction, seed=1)
    try:
        res = foedus.models.relogit(FORMULA, cc.frame, **cc.relogit_kwargs("prior"))
    except SeparationError as err:
        print(f"fraction {fraction}: {err}")
        continue
    rows.append({"fraction": fraction, "rows": len(cc.frame),
                 "ptargdef": res.params["ptargdef"], "se": res.bse["ptargdef"]})
by_fraction = pd.DataFrame(rows).set_index("fraction")
fig, ax = plt.subplots(figsize=(5, 3))
ax.errorbar(by_fraction.index, by_fraction.ptargdef, yerr=1.96 * by_fraction.se, fmt="o",
            capsize=3)
ax.set_xscale("log")
ax.set_xlabel("share of non-events kept")
ax.set_ylabel("ptargdef (95% interval)")
fig.tight_layout()
fig.savefig(OUT / "t2_solution_fraction.png", dpi=110)
plt.close(fig)
by_fraction.round(4)

# %% [markdown]
# The point estimate wanders and the interval widens as fewer controls are kept; King & Zeng
# show that little is lost as long as the controls are a few times the number of events.
#
# ## 3. Two-way clustering

# %%
base = foedus.models.logit(FORMULA, complete)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # PSD notes, as in the tutorial
    ses = {"cluster: undirected dyad": base.with_cov("cluster", groups="dyad").bse["ptargdef"],
           "two-way (challenger, target)": base.with_cov("twoway").bse["ptargdef"],
           "dyadic-robust": base.with_cov("dyadic").bse["ptargdef"]}
pd.Series(ses, name="std. error of ptargdef").round(4)

# %% [markdown]
# Two-way clustering allows correlation among rows with the same challenger and among rows
# with the same target, but not between a state's rows as challenger and its rows as target
# (Germany → France with France → Britain); the dyadic-robust estimator allows all of these.
# So it usually falls between the dyad-clustered and the dyadic-robust errors.
#
# ## 4. Relative risk of a third-party defender

# %%
rel = foedus.models.relogit(FORMULA, complete)
rr = rel.relative_risk({"ptargdef": 1, "contig_land": 1}, {"ptargdef": 0, "contig_land": 1},
                       n_sims=1000, seed=1)
rr

# %% [markdown]
# Read the `median` and the interval: for a contiguous dyad, with the other variables at their
# sample means, the relative risk is the ratio of the probability of an initiation when the
# target has a third-party defender to the probability when it has none. An interval that
# includes 1 means the data do not tell the two apart in this model.
