"""Tomz & Weeks (2021), "Military Alliances and Public Support for War", ISQ 65(3): 811-824, Study 1.

Published claim (abstract): alliances substantially increase public support for using military
force to defend the attacked country.

Design (the authors' replication files, registered as ``tomz-weeks-2021@rep``): a survey
experiment fielded by YouGov in April 2017 on 1,200 U.S. adults. Each respondent read about a
country invaded by a neighbour, with five randomised treatments: whether the country had a
military alliance with the U.S. (``ally``), was a democracy (``dem``), whether the attacker's
success would hurt U.S. security and the economy (``ints``), whether a U.S. intervention would be
costly (``cost``, 1 = low costs) and the region. Outcome: favour (4-5 on the five-point scale)
sending the U.S. military (``strike2``, 0/100), and the five-point answer (``strike5``, 0-4) as
the alternative. The rows are :class:`~foedus.data.tomz_weeks_2021.TomzWeeksRespondents`, the
port of ``2017-04-YouGov-prepdata.do`` and of the rescaling in ``2017-04-YouGov-mainfx.do``.

What is exact and what is ours:

- The difference in means (mainfx:72-74, ``reg strike2 ally, robust``; the "footnote" models)
  is exact: no choice is ours.
- The regression with controls: ``main_fx strike2 `cs'`` (mainfx:53) calls the authors'
  program ``main_fx``, which lives in ``AdoFiles/`` of their archive and is not among the
  registered files. Its comment at mainfx:71 ("Footnote: No demographic controls or weights, no
  balancing other treatments") says what ``main_fx`` adds: the controls ``cs`` (mainfx:36),
  weights when given, and the other treatments. Our reading, the headline model: OLS of the
  outcome on ``ally``, the other four treatments (region as ``ib4.region``, as in mainfx:37)
  and the eight controls, with ``, robust`` (HC1) standard errors; the effect of an alliance is
  the coefficient of ``ally``, which equals the difference of predicted support with and
  without an alliance in a linear model without interactions, however the other treatments
  are balanced. Shown beside it: the same without the other treatments (our alternative).
- Weights: ``[pw=weight]`` (mainfx:59, 68), probability weights: weighted least squares with
  HC1 errors (Stata's pweight regress is always robust).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from foedus.data.tomz_weeks_2021 import CONTROLS, REGIONS, TomzWeeksRespondents
from foedus.replication.study import Claim, DataVersion, Model, Study, Summary

NAME = "tomz_weeks_2021"
DATA = (DataVersion("authors", "Authors' extract (YouGov, April 2017)",
                    "2017-04-YouGov-extracted.dta from the authors' ISQ replication archive, "
                    "prepared as their 2017-04-YouGov-prepdata.do and mainfx.do"),)
PANELS = {("authors", "respondents"): TomzWeeksRespondents()}

CS = " + ".join(CONTROLS)
OTHER_TREATMENTS = " + ".join(("dem", "ints", "cost", *REGIONS))
MAIN_FX = f"ally + {OTHER_TREATMENTS} + {CS}"
COVS = ("robust",)
WEIGHTED = (("weights", "weight"),)
DO = "2017-04-YouGov-mainfx.do"


def _model(name, label, formula, group, note, *, weighted=False, covs=COVS):
    return Model(name, label, formula, group=group, panel="respondents", estimator="ols",
                 cov_types=covs, options=WEIGHTED if weighted else (), note=note)


MODELS = (
    _model("main_fx", "Support (0/100), treatments + controls", f"strike2 ~ {MAIN_FX}", "main",
           f"{DO} line 53, main_fx strike2 `cs' (Figure 1), as we read main_fx (module notes); "
           "robust (HC1) and classical errors side by side.", covs=("robust", "classical")),
    _model("main_fx_weighted", "Support, weighted", f"strike2 ~ {MAIN_FX}", "robustness",
           f"{DO} line 59, [pw=weight] (appendix Figure A2).", weighted=True),
    _model("five_point", "Five-point support (0-4)", f"strike5 ~ {MAIN_FX}", "robustness",
           f"{DO} lines 63-64, strike5 (appendix Figure A3).", ),
    _model("five_point_weighted", "Five-point support, weighted", f"strike5 ~ {MAIN_FX}", "robustness",
           f"{DO} line 68, strike5 [pw=weight] (appendix Figure A4).", weighted=True),
    _model("difference", "Difference in means", "strike2 ~ ally", "robustness",
           f"{DO} line 74, reg strike2 ally, robust (the footnote: no controls, no weights)."),
    _model("difference_five_point", "Difference in means, five-point (0-4)", "strike5 ~ ally", "robustness",
           f"{DO} line 79, reg strike5 ally, robust."),
    _model("controls_only", "Support, controls without the other treatments", f"strike2 ~ ally + {CS}",
           "alternatives", "Ours: main_fx read as adding the controls only (module notes)."),
)

CLAIMS = (
    Claim("ally", "positive",
          "alliances substantially increase public support for using military force to defend "
          "the attacked country", "Tomz & Weeks (2021), abstract"),
)

#: Pre-treatment characteristics compared across the alliance arms (the randomisation check).
BALANCE = (*CONTROLS, "dem", "ints", "cost", *REGIONS)


def balance(frame: pd.DataFrame) -> pd.DataFrame:
    """Randomisation check: each covariate's mean by alliance arm, the difference, its
    two-sided p-value (Welch t-test), and the joint test of all of them (an F-test of
    ``ally`` regressed on every covariate)."""
    arms = {v: frame[frame["ally"] == v] for v in (0.0, 1.0)}
    rows = {}
    for c in BALANCE:
        a, b = arms[0.0][c], arms[1.0][c]
        rows[c] = {"no alliance": a.mean(), "alliance": b.mean(), "difference": b.mean() - a.mean(),
                   "p-value": stats.ttest_ind(b, a, equal_var=False).pvalue}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.loc["respondents"] = [len(arms[0.0]), len(arms[1.0]), len(arms[1.0]) - len(arms[0.0]),
                                stats.binomtest(len(arms[1.0]), len(frame)).pvalue]
    table.loc["joint F-test (ally ~ all)"] = [np.nan, np.nan, np.nan, _joint_p(frame)]
    table.index.name = "covariate"
    return table


def _joint_p(frame: pd.DataFrame) -> float:
    from foedus.models import ols

    res = ols("ally ~ " + " + ".join(BALANCE), frame)
    null = ols("ally ~ 1", frame)
    q, df = len(BALANCE), res.df_resid
    ssr, ssr0 = float(res.resid @ res.resid), float(null.resid @ null.resid)
    return float(stats.f.sf(((ssr0 - ssr) / q) / (ssr / df), q, df))


def support(frame: pd.DataFrame) -> pd.DataFrame:
    """Share favouring military action (strike2 = 100) by alliance arm, with counts."""
    g = frame.groupby("ally")["strike2"]
    table = pd.DataFrame({"respondents": g.size(), "favor": (g.sum() / 100).astype(int),
                          "share favoring (%)": g.mean()})
    table.index = table.index.map({0.0: "no alliance", 1.0: "alliance"})
    table.index.name = "treatment"
    return table


SUMMARIES = (
    Summary("support", "Support for military action by alliance treatment", "respondents", support,
            note="strike2 (prep do-file line 44): favor somewhat or strongly; unweighted."),
    Summary("balance", "Randomisation check: covariates by alliance treatment", "respondents", balance,
            note="Rescaled controls (mainfx lines 23-29) and the other treatments; Welch t-tests, "
                 "a binomial test of the arm sizes, and the joint F-test."),
)

STUDY = Study(
    name=NAME,
    title="Military Alliances and Public Support for War (Study 1)",
    citation="Tomz, Michael, and Jessica L. P. Weeks. 2021. International Studies Quarterly 65(3): 811-824.",
    data=DATA,
    panels=PANELS,
    models=MODELS,
    claims=CLAIMS,
    notes=(
        "Survey experiment: 1,200 respondents, five randomised treatments; the unit is the respondent.",
        "Preparation: port of the authors' 2017-04-YouGov-prepdata.do and the rescaling of "
        "2017-04-YouGov-mainfx.do (lines 23-29, 63); every rule cites its line "
        "(docs/study-tomz-weeks-2021.md).",
        "The authors' main_fx program (AdoFiles/) is not in the registered files: the regression "
        "with controls is our reading of it (treatments + controls, OLS, HC1); the controls-only "
        "alternative is shown beside it.",
        "Robust = HC1, Stata's `, robust`; weighted models use the survey weight as Stata's "
        "[pw=weight] (weighted least squares, HC1).",
        "Outcomes: strike2 in percentage points (0/100); strike5 on 0-4.",
    ),
    summaries=SUMMARIES,
)
