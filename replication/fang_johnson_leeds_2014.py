"""Fang, Johnson & Leeds (2014), "To Concede or to Resist? The Restraining Effect of Military
Alliances", International Organization 68(4): 775-809 — a RECONSTRUCTED design.

What is known (a third-party replication script of the authors' data): a probit with sample
selection on directed dyad-years, keys challenger, target, year; selection ``dispute ~ pchaloff +
pchalneu + c_win + ln_distance + jdem + s_un_glo + peaceyrs + peaceyrs2 + peaceyrs3``; outcome
``targ_resist ~ ally_cost + pchaloff + pchalneu + c_win``. The claim (abstract): a target that
values its alliance highly is more likely to concede to a challenger, i.e. ``ally_cost`` lowers
resistance. The construction of ``ally_cost`` and ``c_win`` is not available here.

Our choices (stated in the notes of every table):

- ``c_win``: the challenger's probability of winning from capabilities, read as its CINC share of
  the dyad, cinc1 / (cinc1 + cinc2) (the panel's ``capprop``, NMC 6.0, same year).
- ``ally_cost`` (default): what the target's chance of winning loses without its allies' support,
  (cinc2 + D) / (cinc1 + cinc2 + D) - cinc2 / (cinc1 + cinc2), where D is the summed CINC of the
  target's third-party defenders: states C != A whose ATOP defense promise to B in the year applies
  against A (adversary conditions honoured; no promise from an alliance A belongs to; secret
  alliances included) — the states counted by ``n_targdef``
  (:mod:`foedus.data.defender_capabilities`, built with the existing alliance code, vectorised).
  Alternatives shown side by side: the defenders' share of the target coalition, D / (cinc2 + D);
  D from public defense pacts only; targ_resist = the MID reciprocation flag; and (added after
  the first full run, because ally_cost is 0 for every target without a defender) the default
  with ptargdef_secr controlled.
- The rest follows Johnson & Leeds (2011), the same authors' data project: directed dyad-years of
  COW members 1816-2000, MID initiation by originators, ATOP alliance variables, targ_resist = the
  target's highest hostility level >= 2 (docs/panel-disputes.md).

No value of any choice was picked by looking at the estimates.
"""
from __future__ import annotations

from foedus.data.spec import DisputeOutcomes
from foedus.replication.johnson_leeds_2011 import DATA, base_spec
from foedus.replication.study import Claim, Model, Study, spec_variant

SELECT = ("dispute ~ pchaloff + pchalneu + c_win + ln_distance + jdem + s_un_glo + peaceyrs + "
          "peaceyrs2 + peaceyrs3")
FORMULA = "targ_resist ~ ally_cost + pchaloff + pchalneu + c_win"

#: ally_cost definitions, D = targ_def_cinc (defined on initiated dyad-years only). The outcome
#: equation is read only where a dispute was initiated; elsewhere ally_cost is set to 0, a value
#: the selection model's likelihood never uses (Stata's heckprob likewise keeps unselected rows
#: whatever their outcome-equation variables).
ALLY_COST = {
    "win_loss": ("((cinc2 + targ_def_cinc) / (cinc1 + cinc2 + targ_def_cinc) - cinc2 / (cinc1 + cinc2))"
                 ".fillna(0)"),
    "dependence": "(targ_def_cinc / (cinc2 + targ_def_cinc)).fillna(0)",
}
C_WIN = ("c_win", "capprop")
#: initiated dyad-years whose defenders' CINC is unknown are removed (counted), not set to 0
KNOWN_DEFENDERS = "dispute != 1 or targ_def_cinc == targ_def_cinc"


def panels(data=DATA) -> dict:
    """all: Johnson & Leeds's panel with the dispute outcomes and the target's defenders;
    public: the defenders from public pacts only (lean: alliances, disputes, no covariates);
    recip: targ_resist = the MID reciprocation flag (lean)."""
    out = {}
    for d in data:
        spec = base_spec(d.name)
        out[(d.name, "all")] = spec.replace(outcomes=DisputeOutcomes(defenders=True))
        lean = spec.replace(covariates=None, temporal=None)
        out[(d.name, "public")] = spec_variant(lean, alliances={"secret": "exclude"}).replace(
            outcomes=DisputeOutcomes(defenders=True))
        out[(d.name, "recip")] = lean.replace(alliances=None, outcomes=DisputeOutcomes(resist="recip"))
    return out


def _model(name, label, group, cost="win_loss", borrow=(), note="", formula=FORMULA):
    return Model(name, label, formula, group=group, panel="all", estimator="heckprobit",
                 cov_types=("classical", "cluster"), borrow=borrow,
                 assign=(C_WIN, ("ally_cost", ALLY_COST[cost])), subset=KNOWN_DEFENDERS,
                 options=(("select", SELECT),), keep_missing=("targ_resist",), note=note)


MODELS = (
    _model("main", "Reconstructed main model", "main",
           note="RECONSTRUCTED. ally_cost = (cinc2 + D)/(cinc1 + cinc2 + D) - cinc2/(cinc1 + cinc2), "
                "D = summed CINC of the target's applicable third-party defenders (all ATOP defense "
                "pacts); c_win = cinc1/(cinc1 + cinc2)."),
    _model("dependence", "ally_cost = defenders' share D/(cinc2 + D)", "alternatives",
           cost="dependence",
           note="Alternative ally_cost: the share of the target coalition's capabilities its "
                "defenders supply."),
    _model("public_pacts", "D from public defense pacts only", "alternatives",
           borrow=(("targ_def_cinc", "public", "targ_def_cinc"),),
           note="Alternative set of pacts: secret ATOP alliances excluded from the defenders."),
    _model("has_defender", "ptargdef_secr controlled", "alternatives",
           formula=f"{FORMULA} + ptargdef_secr", borrow=(("ptargdef_secr", "all", "ptargdef"),),
           note="Added after the first full run (not a choice of the paper): ally_cost is 0 for "
                "targets without defenders, so the default partly measures having a defender at "
                "all; ptargdef_secr (any applicable defense pact, secret ones included) is "
                "controlled to separate the value of the defenders from their presence."),
    _model("recip", "targ_resist = MID reciprocation flag", "alternatives",
           borrow=(("targ_resist", "recip", "targ_resist"),),
           note="Alternative outcome coding (MID 3.10's dispute-level file is not registered: not "
                "estimable there)."),
)

CLAIMS = (
    Claim("ally_cost", "negative",
          "a target that values its alliance highly (a high cost of losing its ally's support) is "
          "more likely to concede: ally_cost lowers resistance",
          "Fang, Johnson & Leeds (2014), abstract"),
)

NOTES = (
    "RECONSTRUCTED DESIGN: the selection and outcome equations are those of a third-party "
    "replication script of the authors' data; the constructions of ally_cost and c_win are ours "
    "(the authors' are not available here). Every choice is listed below; alternatives are shown.",
    "c_win: the challenger's CINC share of the dyad, cinc1 / (cinc1 + cinc2) (NMC 6.0, same year).",
    "ally_cost (default): (cinc2 + D) / (cinc1 + cinc2 + D) - cinc2 / (cinc1 + cinc2), the target's "
    "capability-based chance of winning with its defenders minus without them. D: summed CINC of the "
    "third states C != A whose ATOP defense promise to B applies against A (adversary conditions "
    "honoured, no promise from an alliance A belongs to, secret alliances included): the defenders "
    "counted by n_targdef. Computed on initiated dyad-years (the outcome equation's rows); 0 "
    "elsewhere, where the likelihood does not use it. Initiated dyad-years with a defender's CINC "
    "missing are removed ('removed (subset)').",
    "Universe and other variables as Johnson & Leeds (2011): directed dyad-years 1816-2000, dispute = "
    "A initiates a MID against B (originators), targ_resist = the target's highest hostility level in "
    "the initiated dispute >= 2, alliance variables from ATOP 5.1, s_un_glo, jdem, ln_distance, peace "
    "years as there. The years of Fang, Johnson & Leeds's sample are not known to us.",
)

STUDY = Study(
    name="fang_johnson_leeds_2014",
    title="Fang, Johnson & Leeds (2014), \"To Concede or to Resist?\" (reconstructed)",
    citation="Fang, Songying, Jesse C. Johnson, and Brett Ashley Leeds. 2014. \"To Concede or to "
             "Resist? The Restraining Effect of Military Alliances.\" International Organization "
             "68(4): 775-809.",
    data=DATA,
    panels=panels(),
    models=MODELS,
    claims=CLAIMS,
    notes=NOTES,
)
