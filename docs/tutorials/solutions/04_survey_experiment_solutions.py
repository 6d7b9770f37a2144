# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     name: python3
# ---

# %% [markdown]
# # Tutorial 4 — solutions to the exercises
#
# Runs on its own (`python 04_survey_experiment_solutions.py`).

# %%
import numpy as np
import pandas as pd

from foedus.data.tomz_weeks_2021 import CONTROLS, TomzWeeksRespondents
from foedus.data.units import build_unit
from foedus.models import ols

pd.set_option("display.width", 120)
df = build_unit(TomzWeeksRespondents()).frame
RHS = "ally + dem + ints + cost + africa + asia + eeurope + " + " + ".join(CONTROLS)

# %% [markdown]
# ## 1. The five-point outcome
#
# Dividing each effect by the outcome's standard deviation puts the two outcomes on one scale
# (a standardised effect). Both say the same: an alliance moves support by about three quarters
# of a standard deviation (0.7 for the binary outcome, 0.8 for the five-point one).

# %%
rows = {}
for y in ("strike2", "strike5"):
    dim = ols(f"{y} ~ ally", df, cov_type="HC1")
    adj = ols(f"{y} ~ {RHS}", df, cov_type="HC1")
    sd = df[y].std()
    rows[y] = {"difference": dim.params["ally"], "adjusted": adj.params["ally"],
               "adjusted SE": adj.bse["ally"], "outcome SD": sd,
               "adjusted / SD": adj.params["ally"] / sd}
pd.DataFrame(rows).T.round(3)

# %% [markdown]
# ## 2. Attention checks
#
# Whether a respondent recalls the alliance correctly is measured *after* the treatment, and the
# treatment can change who passes (an explicit alliance is easier to remember than its absence).
# Keeping only those who passed compares groups that may no longer be alike: the comparison is
# no longer protected by randomisation, even when the estimate barely moves.

# %%
passed = df[df["ck_alliance"] == 1]
print("pass rate by arm:", df.groupby("ally")["ck_alliance"].mean().round(3).to_dict())
res = ols(f"strike2 ~ {RHS}", passed, cov_type="HC1")
print(f"N = {res.nobs}, effect {res.params['ally']:.2f} (SE {res.bse['ally']:.2f})")

# %% [markdown]
# ## 3. Effects by party
#
# With 300-475 respondents a group, each group's standard error is 4-5 points, about twice the
# pooled one, and the standard error of a *difference* between two groups is larger still
# (about 6-7 points): only differences of well over 10 points could be detected reliably. The
# estimates rise from Democrats to Republicans, but the interaction terms are within about 1.3
# standard errors of zero.

# %%
by_party = {}
for code, name in ((1, "Democrats"), (2, "independents"), (3, "Republicans")):
    part = df[df["pid3"] == code]
    r = ols("strike2 ~ ally", part, cov_type="HC1")
    by_party[name] = {"N": r.nobs, "effect": r.params["ally"], "SE": r.bse["ally"]}
print(pd.DataFrame(by_party).T.round(2))
inter = ols("strike2 ~ ally * C(pid3)", df, cov_type="HC1")
print(inter.params.round(2).to_string())

# %% [markdown]
# ## 4. Randomisation inference
#
# Under the sharp null hypothesis that the alliance changes nobody's answer, the outcomes are
# fixed and only the assignment is random: re-shuffling `ally` shows the differences chance alone
# produces. None of 2,000 shuffles comes close to the observed 33 points (p < 1/2001). It
# assumes only the randomisation itself (complete random assignment of this many alliance
# scenarios), no model of the outcome.

# %%
rng = np.random.default_rng(20170407)
y = df["strike2"].to_numpy()
treat = df["ally"].to_numpy()
observed = y[treat == 1].mean() - y[treat == 0].mean()
draws = np.array([rng.permutation(treat) for _ in range(2000)])  # 2000 x 1200 assignments
diffs = (draws @ y) / draws.sum(axis=1) - ((1 - draws) @ y) / (1 - draws).sum(axis=1)
p = (1 + np.sum(np.abs(diffs) >= abs(observed))) / (1 + len(diffs))
print(f"observed {observed:.2f}; shuffled: mean {diffs.mean():.2f}, SD {diffs.std():.2f}, "
      f"largest |difference| {np.abs(diffs).max():.2f}; randomisation p = {p:.4f}")
