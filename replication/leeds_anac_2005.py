"""Leeds & Anac (2005), "Alliance Institutionalization and Alliance Performance", International
Interactions 31(3): 183-202.

Published claim (abstract): no evidence that alliances with higher levels of peacetime military
coordination (``milinst``) or more formal alliances (``formal``) are more reliable when invoked by
war.

Design, from the authors' replication data (``LeedsAnacIIrep.dta``, 137 opportunities: an ally of
an alliance invoked by a war, 1816-1989): logit of ``honor3`` (the ally honored its commitment) on
``milinst + formal + chcap2d + dinstch2 + origtar1``, classical standard errors. Their robustness
checks: the alternative outcome ``honor2``; the capability-change indicators ``chalcapd`` and
``chcp2d20`` in place of ``chcap2d``; wartime alliances dropped (``wartime == 0``); active
commitments only (``active == 1``); ``bilat`` added. Ours: standard errors clustered by alliance
(``cluster:atopid``, several rows share an alliance) beside the classical ones, and the simulated
first difference of ``milinst`` from 0 to 2.
"""
from __future__ import annotations

from foedus.data.opportunities import LeedsAnacRows
from foedus.replication.study import Claim, DataVersion, Effect, Model, Study

NAME = "leeds_anac_2005"
DATA = (DataVersion("authors", "Authors' data (137 opportunities)", "LeedsAnacIIrep.dta"),)
REGRESSORS = ("milinst", "formal", "chcap2d", "dinstch2", "origtar1")
FORMULA = "honor3 ~ " + " + ".join(REGRESSORS)
COVS = ("classical", "cluster:atopid")


def _swap(old: str, new: str) -> str:
    return FORMULA.replace(old, new)


MODELS = (
    Model("main", "Leeds & Anac (2005) model", FORMULA, panel="rows", estimator="logit", cov_types=COVS,
          note="logit honor3 milinst formal chcap2d dinstch2 origtar1 (the authors' model)."),
    Model("honor2", "Outcome honor2", _swap("honor3", "honor2"), group="robustness", panel="rows",
          estimator="logit", cov_types=COVS, note="Authors' check: the alternative honoring code."),
    Model("chalcapd", "chalcapd for chcap2d", _swap("chcap2d", "chalcapd"), group="robustness",
          panel="rows", estimator="logit", cov_types=COVS,
          note="Authors' check: the alternative capability-change indicator."),
    Model("chcp2d20", "chcp2d20 for chcap2d", _swap("chcap2d", "chcp2d20"), group="robustness",
          panel="rows", estimator="logit", cov_types=COVS,
          note="Authors' check: capability change with the 20 % threshold."),
    Model("peacetime", "Alliances formed in peacetime", FORMULA, group="robustness", panel="rows",
          estimator="logit", cov_types=COVS, subset="wartime == 0",
          note="Authors' check: if wartime == 0 (alliances formed during a war dropped)."),
    Model("active", "Active commitments only", FORMULA, group="robustness", panel="rows",
          estimator="logit", cov_types=COVS, subset="active == 1",
          note="Authors' check: if active == 1."),
    Model("bilat", "With bilat", FORMULA + " + bilat", group="robustness", panel="rows",
          estimator="logit", cov_types=COVS, note="Authors' check: bilateral alliance indicator added."),
)

SOURCE = "Leeds & Anac (2005), abstract"
CLAIMS = (
    Claim("milinst", "none", "no evidence that alliances with higher levels of peacetime military "
          "coordination are more reliable when invoked by war", SOURCE),
    Claim("formal", "none", "no evidence that more formal alliances are more reliable when invoked by war",
          SOURCE),
)

EFFECT = Effect(
    model="main", variable="milinst", values=(0, 2), draws=1000, seed=20050901, interval=(2.5, 97.5),
    cov_type="classical",
    note="Ours: milinst from none (0) to the highest level (2), the other regressors at their means "
         "over the 137 opportunities (Clarify's setx mean).",
)

NOTES = (
    "Unit: the authors' 137 opportunities (an ally x alliance x war), used as published: no row "
    "added or removed; every variable is the authors' (the file has no missing values).",
    "Model and robustness checks as the authors specify them (formula, outcome, subsets); classical "
    "standard errors as in a plain Stata logit.",
    "The abstract's claim is one-sided (no evidence that more institutionalized or more formal "
    "alliances are MORE reliable); foedus's rule for a claim of no effect, fixed before fitting, is "
    "two-sided (p >= 0.05 whatever the sign). A significantly negative estimate is therefore 'not "
    "reproduced' under the rule although it gives no evidence of greater reliability; the rule is "
    "not changed after seeing the estimates.",
    "Ours: standard errors clustered by alliance (atopid), shown beside the classical ones because an "
    "alliance contributes several opportunities; the first difference of milinst (0 -> 2) by "
    "simulation (1,000 draws, fixed seed).",
)

STUDY = Study(
    name=NAME,
    title="Leeds & Anac (2005), \"Alliance Institutionalization and Alliance Performance\"",
    citation="Leeds, Brett Ashley, and Sezi Anac. 2005. \"Alliance Institutionalization and Alliance "
             "Performance.\" International Interactions 31(3): 183-202.",
    data=DATA,
    panels={("authors", "rows"): LeedsAnacRows()},
    models=MODELS,
    claims=CLAIMS,
    effect=EFFECT,
    notes=NOTES,
)
