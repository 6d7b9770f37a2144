"""Leeds & Johnson (2017), "Theory, Data, and Deterrence: A Response to Kenwick, Vasquez, and
Powers", Journal of Politics 79(1) (online appendix Tables A1-A7).

Design (as the study brief, issue 12, gives it from the authors' ``LeedsJohnsonJOPrep.do``; the
command file itself is not available here, so every rule below that the brief does not state is
ours and is listed in the notes):

- Table A1: the Johnson & Leeds (2011) probit on the J&L panel (directed dyad-years 1816-2000;
  :mod:`foedus.replication.johnson_leeds_2011`).
- Tables A3-A6: coarsened exact matching (Stata ``cem``, :func:`foedus.models.cem`) with
  treatment ``ptargdef``, exact matching on ``pchalally pchaloff pchalneu jdem`` (Stata
  ``(#0)``), and bins for ``ln_distance capprop s_un_glo peaceyrs``: A3 the authors' cutpoints,
  A4 ``cem``'s default binning (Sturges), A5 ``(#20) (#10) (#20) (#20)`` and A6 ``(#40) (#20)
  (#40) (#40)`` (Stata's ``#k`` = k equally spaced cutpoints, k - 1 intervals). Each with a
  bivariate probit ``dispute ~ ptargdef`` and the full J&L probit, weighted by the CEM weights
  as ``[iweight=cem_weights]`` (the ``cem`` help's usage; classical errors from the weighted
  information, as Stata's probit with iweights).
- Table A7: the probit with the target's offense and neutrality commitments, contiguity, major
  powers, rivalry and prior MIDs (added when the commitment layer provides ``ptargoff``/
  ``ptargneu``).

Claim: the deterrent effect of the target's defense pacts survives these design changes (a
negative, significant ``ptargdef``).
"""
from __future__ import annotations

from foedus.data.commitments import PTARGNEU, PTARGOFF, TARGDEF_IDS
from foedus.models.cem import CEMWeights
from foedus.replication import johnson_leeds_2011 as jl
from foedus.replication.study import Claim, Model, Study, spec_variant

NAME = "leeds_johnson_2017"
FILE = "L&J 2017 appendix"

EXACT = ("pchalally", "pchaloff", "pchalneu", "jdem")
BINNED = ("ln_distance", "capprop", "s_un_glo", "peaceyrs")
#: Per table: the coarsening of each binned variable (cutpoints, Stata "#k" as an int, or None
#: for cem's default automatic binning, Sturges).
COARSENING = {
    "a3": ((4, 6, 8), (.02, .1, .3, .5, .7, .9, .98), (.4, .63, .79, .92, .97),
           (1, 3, 9, 22, 39, 74)),
    "a4": (None, None, None, None),
    "a5": (20, 10, 20, 20),
    "a6": (40, 20, 40, 40),
}
#: Alternative reading of A5 and A6: 20 (10, 40, ...) equal-width *intervals*, i.e. one cutpoint
#: more than Stata's "#k" gives (the study brief says "equal bins"; the command file is not here).
INTERVALS = {"a5_intervals": (21, 11, 21, 21), "a6_intervals": (41, 21, 41, 41)}
TABLES = {"a3": "Table A3", "a4": "Table A4", "a5": "Table A5", "a6": "Table A6",
          "a5_intervals": "Table A5 (k intervals)", "a6_intervals": "Table A6 (k intervals)"}
DESCRIBE = {"a3": "the authors' cutpoints", "a4": "cem's default binning (Sturges)",
            "a5": "#20, #10, #20, #20 equally spaced cutpoints",
            "a6": "#40, #20, #40, #40 equally spaced cutpoints",
            "a5_intervals": "20, 10, 20, 20 equal-width intervals",
            "a6_intervals": "40, 20, 40, 40 equal-width intervals"}


def cem_design(table: str) -> CEMWeights:
    """The CEM of one appendix table (treatment ptargdef, Stata cem's rules)."""
    cuts = COARSENING.get(table) or INTERVALS[table]
    return CEMWeights("ptargdef", tuple(zip(BINNED, cuts)), exact=EXACT,
                      label=f"{TABLES[table]} CEM ({DESCRIBE[table]})")


#: Alliance variables the debate adds to the J&L panel (declared in the spec): the target's
#: offense and neutrality promises (Table A7) and the ids of its defense pacts (Kenwick & Vasquez).
QUERIES = (PTARGOFF, PTARGNEU, TARGDEF_IDS)


def debate_spec(data: str):
    """The J&L panel of one data version with the debate's variables: ptargoff, ptargneu,
    targdef_ids (commitment queries), rivalry/rivalyears and midcount."""
    return spec_variant(jl.base_spec(data), alliances={"queries": QUERIES},
                        covariates={"rivalries": True}, temporal={"midcount": True})


def panels(data=jl.DATA) -> dict:
    """The J&L panels (all alliances; public only) with the debate's variables added."""
    out = {}
    for d in data:
        spec = debate_spec(d.name)
        out[(d.name, "all")] = spec
        out[(d.name, "public")] = spec_variant(spec, alliances={"secret": "exclude"})
    return out


COVS = ("classical", "cluster")
WEIGHTS = (("weights", "cem_weights"),)


def _cem_models(table: str) -> tuple:
    design = cem_design(table)
    cuts = "; ".join(f"{v} {c if c is not None else 'default'}" for v, c in design.variables)
    note = (f"{FILE}: {TABLES[table]}. CEM with treatment ptargdef, exact on "
            f"{' '.join(EXACT)}; {cuts}. Weights computed on the model's rows (Stata cem on "
            "the J&L data); unmatched rows carry no weight and are removed (counted as "
            "cem_weights missing).")
    common = dict(group="robustness", panel="all", estimator="probit", cov_types=COVS,
                  borrow=jl.PUBLIC_TARGDEF, derive=(("cem_weights", design),), options=WEIGHTS)
    return (
        Model(f"{table}_bivariate", f"{TABLES[table]}: bivariate", "dispute ~ ptargdef",
              note=note, **common),
        Model(f"{table}_full", f"{TABLES[table]}: full", jl.FORMULA, note=note, **common),
    )


#: Table A7 (the brief's formula): contig = contig_400, c_majpow / t_majpow = COW major power.
A7_FORMULA = ("dispute ~ ptargdef + pchaloff + pchalneu + ptargoff + ptargneu + contig + "
              "c_majpow + t_majpow + jdem + rivalyears + midcount")
RENAMES = (("contig", "contig_400"), ("c_majpow", "major1"), ("t_majpow", "major2"))

MODELS = (
    Model("a1", "Table A1 (J&L probit)", jl.FORMULA, group="main", panel="all",
          estimator="probit", cov_types=COVS, borrow=jl.PUBLIC_TARGDEF,
          note=f"{FILE}: Table A1, the Johnson & Leeds (2011) Table 1 probit."),
    *(m for t in COARSENING for m in _cem_models(t)),
    *(_cem_models(t)[1].replace(group="alternatives",
                                note=_cem_models(t)[1].note + " Alternative reading of the brief's "
                                "'equal bins': k equal-width intervals (k + 1 cutpoints) instead "
                                "of Stata's '#k' (k cutpoints).")
      for t in INTERVALS),
    Model("a7", "Table A7: more controls", A7_FORMULA, group="robustness", panel="all",
          estimator="probit", cov_types=COVS, borrow=jl.PUBLIC_TARGDEF, assign=RENAMES,
          note=f"{FILE}: Table A7. ptargoff / ptargneu: a third state's offense / neutrality "
               "promise to the target applicable against the challenger (all alliances); contig "
               "= COW contiguity types 1-5; c_majpow / t_majpow = COW major power (challenger / "
               "target); rivalyears = years the dyad's Thompson & Dreyer strategic rivalry has "
               "lasted (0 outside one); midcount = earlier years with a MID onset in the dyad "
               "(from 1816). rivalyears and midcount are our readings (docs)."),
)

CLAIMS = (
    Claim("ptargdef", "negative",
          "the deterrent effect of defense pacts survives coarsened exact matching and added "
          "controls (negative, significant ptargdef)",
          "Leeds & Johnson (2017), text and appendix Tables A1-A7"),
)

NOTES = (
    "RECONSTRUCTED: the authors' command file (LeedsJohnsonJOPrep.do) is not available here; the "
    "design follows the study brief (issue 12). Our choices: CEM on each model's rows after "
    "its subset (Stata's cem run on the whole J&L data for these models); rows with a missing "
    "matching variable are matched as Stata's cem does (a missing value is one more value); "
    "ptargdef (treatment) counts public defense pacts only, as in J&L's Table 1.",
    "Stata's '#k' (A5, A6) places k equally spaced cutpoints from the minimum to the maximum "
    "(cem-mata.do, rangen), i.e. k - 1 intervals; the default binning (A4) is Sturges' "
    "ceil(log2(n) + 1) cutpoints (cem.ado: autocuts defaults to sturges).",
    "CEM weights: treated 1, matched controls (m_C / m_T)(m_T^s / m_C^s); used as importance "
    "weights (Stata [iweight=cem_weights]); classical errors are the inverse of the weighted "
    "information.",
    *jl.NOTES,
)

STUDY = Study(
    name=NAME,
    title="Leeds & Johnson (2017), \"Theory, Data, and Deterrence\"",
    citation="Leeds, Brett Ashley, and Jesse C. Johnson. 2017. \"Theory, Data, and Deterrence: A "
             "Response to Kenwick, Vasquez, and Powers.\" Journal of Politics 79(1).",
    data=jl.DATA,
    panels=panels(),
    models=MODELS,
    claims=CLAIMS,
    notes=NOTES,
)
