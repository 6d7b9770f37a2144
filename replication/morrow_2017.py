"""Morrow (2017), "When Do Defensive Alliances Provoke rather than Deter?", Journal of Politics
79(1).

Design (as the study brief, issue 12, states it; Morrow's command file is not available here):
CEM-weighted logits of ``dispute ~ ptargdef`` on the Johnson & Leeds (2011) panel, separately for
challengers without (``pchalally == 0``) and with (``pchalally == 1``) a defensive ally of their
own, for all years, 1816-1945 and 1946-2000, without and with the controls ``jdem pchaloff
pchalneu contig c_majpow t_majpow rivalyears midcount ptargoff ptargneu``; reported as odds
ratios (exp of the logit coefficient: the figure and the docs give them; the tables give the
coefficients).

RECONSTRUCTED, our choices (listed in the notes): the coarsening is Leeds & Johnson's (2017)
Table A3 (their cutpoints, exact on pchalally pchaloff pchalneu jdem), computed on each model's
own rows (after the pchalally and period split); ``ptargdef`` counts public defense pacts only;
the control variables are those of :mod:`foedus.replication.leeds_johnson_2017` (Table A7).
The paper's abstract claim is not available offline, so no verdict is given: the table reports
the estimates only.
"""
from __future__ import annotations

from foedus.replication import johnson_leeds_2011 as jl
from foedus.replication import leeds_johnson_2017 as lj
from foedus.replication.study import Model, Study

NAME = "morrow_2017"
CONTROLS = ("jdem + pchaloff + pchalneu + contig + c_majpow + t_majpow + rivalyears + midcount"
            " + ptargoff + ptargneu")
PERIODS = {"all": ("all years", None), "pre1946": ("1816-1945", "year <= 1945"),
           "post1945": ("1946-2000", "year > 1945")}
COVS = ("classical", "cluster")


def _models() -> tuple:
    design = lj.cem_design("a3")
    out = []
    for ally in (0, 1):
        for period, (label, cond) in PERIODS.items():
            subset = f"pchalally == {ally}" + (f" and {cond}" if cond else "")
            for controls in (False, True):
                name = f"ally{ally}_{period}" + ("_controls" if controls else "")
                formula = "dispute ~ ptargdef" + (f" + {CONTROLS}" if controls else "")
                out.append(Model(
                    name, f"pchalally = {ally}, {label}" + (", controls" if controls else ""),
                    formula, group="main" if not out else "robustness", panel="all",
                    estimator="logit", cov_types=COVS, borrow=jl.PUBLIC_TARGDEF,
                    assign=lj.RENAMES, subset=subset, derive=(("cem_weights", design),),
                    options=lj.WEIGHTS,
                    note="Morrow (2017) design as the study brief gives it; CEM of Leeds & Johnson "
                         "(2017) Table A3 on the model's rows; odds ratio = exp(coefficient)."))
    return tuple(out)


MODELS = _models()

NOTES = (
    "RECONSTRUCTED: Morrow's command file and his published numbers are not available here; the "
    "design follows the study brief (issue 12). Our choices: the CEM is Leeds & Johnson's "
    "(2017) Table A3 (their cutpoints; exact on pchalally pchaloff pchalneu jdem), computed on "
    "each model's own rows; logit weighted by the CEM weights as Stata [iweight=cem_weights]; "
    "no verdict (the abstract claim is not stated here).",
    "Odds ratios: exp(coefficient); the comparison figure of the deterrence debate "
    "(docs/deterrence-debate.md) shows them with their 95% intervals.",
    *lj.NOTES[1:],
)

STUDY = Study(
    name=NAME,
    title="Morrow (2017), \"When Do Defensive Alliances Provoke rather than Deter?\"",
    citation="Morrow, James D. 2017. \"When Do Defensive Alliances Provoke rather than Deter?\" "
             "Journal of Politics 79(1).",
    data=jl.DATA,
    panels=lj.panels(),
    models=MODELS,
    claims=(),
    notes=NOTES,
)
