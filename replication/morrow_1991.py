"""After Morrow (1991), "Alliances and Asymmetry: An Alternative to the Capability Aggregation
Model of Alliances", AJPS 35(4): 904-933 — a reconstructed design.

The claims (abstract): alliances in which one side gains security and the other autonomy
(asymmetric alliances: a major and a minor power) form more easily and last longer than
symmetric ones; larger changes in the members' capabilities make an alliance more likely to be
broken. Morrow's own codings and data are not available: the unit, the asymmetry coding, the
termination rule, the capability-change measure and the model are ours, each listed in
:data:`NOTES` with its source, and the uncertain ones have alternatives fitted side by side.

Claims are judged on hazard ratios: "last longer" is a coefficient below 0 (hazard ratio < 1) of
``asym`` in a Cox model of alliance termination, "more likely to be broken" a coefficient above 0
of ``cinc_change``. The Weibull alternative is reported in the same proportional-hazards metric
(``weibull(..., metric="ph")``), so its signs read the same way. "Form more easily" is not
tested: the study reports the counts of asymmetric and symmetric alliances formed, a
description (the number of alliances that could have formed is not defined here).
"""
from __future__ import annotations

import pandas as pd

from foedus.data.alliance_durations import AllianceDurationSpec
from foedus.replication.study import Claim, DataVersion, Model, Study, Summary

DATA = (DataVersion("atop51", "ATOP 5.1, NMC 6.0",
                    "ATOP 5.1 alliances formed 1815-1965; COW NMC 6.0 and major powers 2016"),)
YEARS = (1815, 1965)


def panels() -> dict:
    return {("atop51", "alliances"): AllianceDurationSpec(years=YEARS)}


TIMES = (("duration", "stop"), ("entry", "start"))
COVS = ("classical", "cluster:atopid")
FORMULA = "ended ~ asym + cinc_change"


def _cox(name, label, formula, group="alternatives", note="", options=(), subset=None):
    return Model(name, label, formula, group=group, panel="alliances", estimator="coxph",
                 cov_types=COVS, options=TIMES + tuple(options), subset=subset, note=note)


MODELS = (
    _cox("main", "Cox: asymmetry and capability change", FORMULA, group="main",
         note="Cox model of alliance termination (Efron ties) on alliance-years (start, stop]."),
    _cox("breslow", "Cox, Breslow ties", FORMULA, options=(("ties", "breslow"),),
         note="The main model with Breslow's approximation for tied termination times."),
    Model("weibull", "Weibull (PH metric)", FORMULA, group="estimators", panel="alliances",
          estimator="weibull", cov_types=COVS, options=TIMES + (("metric", "ph"),),
          note="Parametric alternative: Weibull with left truncation at each row's start; "
               "coefficients are log hazard ratios (-gamma/sigma of survreg's AFT form)."),
    _cox("three_types", "Asymmetric vs all-major vs all-minor", "ended ~ asym + all_major + cinc_change",
         note="Alternative asymmetry coding: the two symmetric types apart (reference: all-minor)."),
    _cox("cap_gap", "Continuous capability gap", "ended ~ cap_gap + cinc_change",
         note="Alternative asymmetry coding: (max - min)/(max + min) of founding members' CINC."),
    _cox("share_change", "Change in capability shares", "ended ~ asym + share_change",
         note="Alternative capability change: half the L1 distance between the founding members' "
              "capability shares now and at formation."),
    _cox("military", "Defense or offense pacts only", FORMULA, subset="defense == 1 or offense == 1",
         note="Alternative sample: alliances with a defense or offense obligation (closer to the COW "
              "defense pacts and ententes of Morrow's period)."),
)

SOURCE = "Morrow (1991), abstract"
CLAIMS = (
    Claim("asym", "negative", "asymmetric alliances last longer than symmetric ones (hazard ratio < 1)",
          SOURCE),
    Claim("cinc_change", "positive",
          "larger changes in members' capabilities make an alliance more likely to be broken "
          "(hazard ratio > 1)", SOURCE),
    Claim("cap_gap", "negative", "the same claim with asymmetry as a continuous capability gap (our coding)",
          SOURCE),
    Claim("share_change", "positive",
          "the same claim with capability change as the change in capability shares (our coding)", SOURCE),
)

TYPES = ("asymmetric (major-minor)", "symmetric: all major powers", "symmetric: all minor powers")


def formation_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Alliances formed, by asymmetry type, overall and by period of formation (descriptive)."""
    first = frame.sort_values(["atopid", "year"]).groupby("atopid", sort=True).first()
    kind = pd.Series(TYPES[2], index=first.index)
    kind[first["all_major"] == 1] = TYPES[1]
    kind[first["asym"] == 1] = TYPES[0]
    period = pd.cut(first["begyr"], [1814, 1913, 1945, 1965],
                    labels=["1815-1913", "1914-1945", "1946-1965"]).astype(str)
    table = pd.crosstab(kind, period).reindex(index=list(TYPES), fill_value=0)
    table["all years"] = table.sum(axis=1)
    table["share (all years)"] = (table["all years"] / table["all years"].sum()).round(3)
    table.index.name = "alliances formed"
    return table


SUMMARIES = (
    Summary("formation", "Alliances formed 1815-1965 by asymmetry (descriptive, not a test)",
            "alliances", formation_counts,
            note="DESCRIPTIVE ONLY: Morrow's 'asymmetric alliances form more easily' is a claim about "
                 "the rate of formation among the alliances that could form; counts of the alliances "
                 "that did form do not test it. Asymmetry coded from the founding members' COW "
                 "major-power status in the formation year (1816 for 1815)."),
)

NOTES = (
    "RECONSTRUCTED DESIGN: Morrow (1991) is reconstructed from the claims of its abstract; his codings "
    "and data are not available. Every choice below is ours, fixed before fitting.",
    "Unit: ATOP 5.1 alliances (all obligation types) formed 1815-1965 (Morrow's period), followed as "
    "alliance-years (start, stop] in years since formation (days / 365.25), from the formation date to "
    "ATOP's end date; phases and later membership changes are not separate units.",
    "Termination: any ATOP end date counts (ATOP does not mark which alliances were broken). Alliances in "
    "force at the end of ATOP's coverage, or ending after 2017, are right-censored at the end of 2017 "
    "(the last year whose lagged capability change NMC 6.0, ending 2016, provides).",
    "Asymmetry (default): the founding members (entry on the formation date) include both a COW major "
    "power and a minor power (COW majors 2016, status in the formation year; 1816 for 1815). "
    "Alternatives: the two symmetric types apart; a continuous gap (max - min)/(max + min) of the "
    "founding members' CINC at formation.",
    "Capability change (time-varying): sum over founding members of |CINC(y-1) - CINC(formation year)| "
    "x 100 (percentage points of system capabilities), known at the start of year y, 0 in the formation "
    "year; members without a CINC in either year are left out. Alternative: change in the members' "
    "capability shares within the alliance.",
    "Model: Cox proportional hazards (Efron ties) on the counting-process rows; classical standard errors "
    "and the Lin-Wei (1989) sandwich clustered by alliance (R coxph's cluster(), no small-sample factor) "
    "side by side. Alternatives: Breslow ties; Weibull with left truncation (proportional-hazards metric).",
    "Estimators checked against R's survival package (coxph, survreg) on these rows: "
    "tests/reference/survival_reference.json.",
)

STUDY = Study(
    name="morrow_1991",
    title="After Morrow (1991), \"Alliances and Asymmetry\" (reconstructed)",
    citation="Morrow, James D. 1991. \"Alliances and Asymmetry: An Alternative to the Capability "
             "Aggregation Model of Alliances.\" American Journal of Political Science 35(4): 904-933.",
    data=DATA,
    panels=panels(),
    models=MODELS,
    claims=CLAIMS,
    notes=NOTES,
    summaries=SUMMARIES,
)
