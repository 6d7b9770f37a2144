"""Johnson & Leeds (2011), "Defense Pacts: A Prescription for Peace?", FPA 7(1): 45-65.

Design, from the authors' replication command file ("Replication File for 'Defense Pacts: A
Prescription for Peace?'", 07/13/10): directed dyad-years 1816-2000; ``dispute`` = the potential
challenger (state A) initiates a new MID against the potential target (state B); Table 1 is a
probit with classical standard errors::

    probit dispute ptargdef pchalally pchaloff pchalneu ln_distance capprop jdem s_un_glo
           peaceyrs peaceyrs2 peaceyrs3

Their robustness checks (same file), reproduced here in the same order: including secret
alliances (``ptargdef_secr``, with ``contig`` added), dropping directed dyads whose two states
share a defense pact (``if defense_ally==0``), recoding ptargdef to 0 for them (``n_ptargdef``),
controlling for ``defense_ally``, the four post-treatment-bias models, excluding targets whose
only defense pact is a large multilateral one (NATO, Arab League, OAS, Rio Pact), and adding
contiguity. Figure 1: Clarify simulation of Pr(dispute) with ptargdef 0 vs 1 and the other
variables at their means over the ptargdef = 0 observations (``setx mean if ptargdef==0``).

Tables 2 and 3 (``heckprob`` of ``targ_resist`` and ``war`` with ``dispute`` as the selection
equation) are a second study declared here, ``ESCALATION`` (registered as
``johnson_leeds_2011_escalation``): their claim, effect and outcome codings differ from Table 1's.

Data versions: their data were built around 2010, when MID 3.10 and ATOP 3.0 were current (the
exact versions are not stated). The study runs on MID 3.10 with Polity IV 2015 (the oldest Polity
release registered), and on MID 5.0 with Polity 5; both use ATOP 5.1. ATOP 3.0 is not registered,
and ATOP 4.01 has no directed dyad-year file, which foedus needs for the S-score and to tell to
whom an obligation of an asymmetric alliance is owed, so the closest usable ATOP is 5.1.
"""
from __future__ import annotations

from foedus.data.sample import KEEP_UNLESS_ONGOING
from foedus.data.spec import AllianceRules, Covariates, DisputeRules, PanelSpec, Temporal
from foedus.replication.study import Claim, DataVersion, Effect, Model, Study, spec_variant

YEARS = (1816, 2000)

#: ATOP ids of the large multilateral defense pacts in J&L's "large alliances" check (their
#: command file, as described in the study brief): NATO (3180, 3181), Rio Pact (3075), OAS (3150),
#: Arab League collective defense (3205).
LARGE_PACTS = (3075, 3150, 3180, 3181, 3205)
#: The same check as the command file literally codes it: its NATO clause
#: (``t_def_atopid1>3180 & t_def_atopid1<3181``) is true for no integer id, so NATO is not excluded.
LARGE_PACTS_AS_CODED = (3075, 3150, 3205)

DATA = (
    DataVersion("mid310", "MID 3.10 + ATOP 5.1",
                "closest available to the data J&L built c. 2010 (MID 3.10, ATOP 3.0): MID 3.10 and "
                "Polity IV 2015 (the oldest Polity release registered). ATOP 3.0 is not registered and "
                "ATOP 4.01 ships no directed dyad-year file, which foedus uses to tell to which members "
                "an asymmetric obligation is owed (docs/panel-alliances.md), so ATOP 5.1 is used."),
    DataVersion("mid50", "MID 5.0 + ATOP 5.1", "current releases; Polity 5."),
)
RELEASES = {
    "mid310": {"mid": "3.10", "atop": "5.1", "regime": "polity4-2015"},
    "mid50": {"mid": "5.0", "atop": "5.1", "regime": "polity5"},
}


def base_spec(data: str, years: tuple = YEARS) -> PanelSpec:
    """The panel of Table 1 for one data version, secret alliances included (``all``)."""
    r = RELEASES[data]
    return PanelSpec(
        years=years,
        directed=True,
        alliances=AllianceRules(version=r["atop"], secret="include"),
        disputes=DisputeRules(source="cow-mid", version=r["mid"], initiation="originator"),
        covariates=Covariates(regime=r["regime"], sscore=("unweighted_global",)),
        temporal=Temporal(peace_years=True, polynomial=True),
    )


def panels(base=base_spec, data=DATA) -> dict:
    """Panel variants per data version.

    all:        every ATOP alliance, secret ones included (ptargdef_secr and the challenger's
                commitments, S, defense_ally, contiguity);
    public:     secret alliances excluded (Table 1's ptargdef);
    nolarge:    public, and the large multilateral pacts ignored (LARGE_PACTS);
    nolarge_as_coded: the same with the command file's literal list (LARGE_PACTS_AS_CODED);
    sidea:      initiation = any state on side A (joiners included) instead of originators;
    nowartime / public_nowartime: alliances ATOP codes as formed in wartime ignored
                (AllianceRules.wartime = "exclude"), all / public alliances.
    """
    out = {}
    for d in data:
        spec = base(d.name)
        out[(d.name, "all")] = spec
        out[(d.name, "public")] = spec_variant(spec, alliances={"secret": "exclude"})
        out[(d.name, "nolarge")] = spec_variant(
            spec, alliances={"secret": "exclude", "exclude_atopids": LARGE_PACTS})
        out[(d.name, "nolarge_as_coded")] = spec_variant(
            spec, alliances={"secret": "exclude", "exclude_atopids": LARGE_PACTS_AS_CODED})
        out[(d.name, "sidea")] = spec_variant(spec, disputes={"initiation": "sidea", "joiners": True})
        out[(d.name, "nowartime")] = spec_variant(spec, alliances={"wartime": "exclude"})
        out[(d.name, "public_nowartime")] = spec_variant(
            spec, alliances={"secret": "exclude", "wartime": "exclude"})
    return out


CONTROLS = "ln_distance + capprop + jdem + s_un_glo + peaceyrs + peaceyrs2 + peaceyrs3"
FORMULA = f"dispute ~ ptargdef + pchalally + pchaloff + pchalneu + {CONTROLS}"
#: Table 1's ptargdef excludes secret alliances (the command file's ``ptargdef`` vs
#: ``ptargdef_secr``); the other variables are coded from all alliances.
PUBLIC_TARGDEF = (("ptargdef", "public", "ptargdef"),)
COVS = ("classical", "cluster", "dyadic")
#: Columns that depend on the initiation rule (the dyadic disputes, hence the peace-year clock).
SIDEA_COLUMNS = ("dispute", "peaceyrs", "peaceyrs2", "peaceyrs3")
FILE = "J&L command file"

MODELS = (
    Model("table1", "Table 1", FORMULA, group="main", panel="all", estimator="probit",
          cov_types=COVS, borrow=PUBLIC_TARGDEF,
          note=f"{FILE}: Table 1. ptargdef counts public defense pacts only."),
    *(Model(f"table1_{est}", f"Table 1, {est}", FORMULA, group="estimators", panel="all",
            estimator=est, cov_types=COVS, borrow=PUBLIC_TARGDEF,
            note="Table 1's design under another estimator.")
      for est in ("logit", "relogit", "firth")),
    Model("secret", "Secret alliances included (+ contig)",
          FORMULA.replace("ln_distance +", "ln_distance + contig_400 +"),
          group="robustness", panel="all",
          note=f"{FILE}: 'Including Secret Alliances' (ptargdef_secr, contig added). contig = "
               "COW direct contiguity types 1-5 (land, or up to 400 miles of water)."),
    Model("drop_shared", "Dyads sharing a defense pact dropped", FORMULA, group="robustness",
          panel="all", borrow=PUBLIC_TARGDEF, subset="defense_ally != 1",
          note=f"{FILE}: 'if defense_ally==0' (directed dyads whose two states are members of the "
               "same defensive alliance dropped)."),
    Model("recode_shared", "ptargdef = 0 for dyads sharing a pact", FORMULA, group="robustness",
          panel="all", borrow=PUBLIC_TARGDEF, assign=(("ptargdef", "ptargdef * (1 - defense_ally)"),),
          note=f"{FILE}: n_ptargdef (ptargdef recoded 1 -> 0 if defense_ally==1)."),
    Model("control_shared", "Shared defense pact controlled",
          FORMULA.replace("s_un_glo +", "s_un_glo + defense_ally +"), group="robustness",
          panel="all", borrow=PUBLIC_TARGDEF,
          note=f"{FILE}: 'Controlling for shared defensive alliance membership'."),
    Model("posttreat_1", "Post-treatment check 1",
          "dispute ~ pchalally + ln_distance + capprop + jdem + peaceyrs + peaceyrs2 + peaceyrs3",
          group="robustness", panel="all", note=f"{FILE}: 'Evaluating Post-Treatment Bias', model 1."),
    Model("posttreat_2", "Post-treatment check 2",
          "dispute ~ pchalally + ln_distance + jdem + peaceyrs + peaceyrs2 + peaceyrs3",
          group="robustness", panel="all", note=f"{FILE}: post-treatment model 2."),
    Model("posttreat_3", "Post-treatment check 3",
          "dispute ~ pchalally + ln_distance + peaceyrs + peaceyrs2 + peaceyrs3",
          group="robustness", panel="all", note=f"{FILE}: post-treatment model 3."),
    Model("posttreat_4", "Post-treatment check 4",
          "dispute ~ pchalally + peaceyrs + peaceyrs2 + peaceyrs3",
          group="robustness", panel="all", note=f"{FILE}: post-treatment model 4."),
    Model("large_pacts", "Targets protected only by large pacts dropped", FORMULA,
          group="robustness", panel="all", borrow=PUBLIC_TARGDEF + (("ptargdef_nolarge", "nolarge", "ptargdef"),),
          subset="not (ptargdef == 1 and ptargdef_nolarge == 0)",
          note=f"{FILE}: 'Excluding \"large\" alliances': dyad-years whose target's applicable "
               "defense pacts are all among NATO (3180, 3181), Rio Pact (3075), OAS (3150) and the "
               "Arab League collective defense (3205) are dropped (ptargdef = 1 with every pact, 0 "
               "when those are ignored)."),
    Model("contiguity", "Contiguity controlled",
          FORMULA.replace("ln_distance +", "ln_distance + contig_400 +"), group="robustness",
          panel="all", borrow=PUBLIC_TARGDEF, note=f"{FILE}: 'Including contiguity' (contig_400)."),
    Model("large_pacts_as_coded", "Large pacts dropped, NATO clause as coded", FORMULA,
          group="alternatives", panel="all",
          borrow=PUBLIC_TARGDEF + (("ptargdef_nolarge", "nolarge_as_coded", "ptargdef"),),
          subset="not (ptargdef == 1 and ptargdef_nolarge == 0)",
          note="The command file's NATO clause (t_def_atopid1>3180 & t_def_atopid1<3181) matches no "
               "integer ATOP id; this model applies the check exactly as coded (Rio, OAS, Arab League)."),
    Model("large_pacts_recoded", "Large pacts ignored in ptargdef", FORMULA, group="alternatives",
          panel="all", borrow=(("ptargdef", "nolarge", "ptargdef"),),
          note="Alternative reading of the large-alliance check: recode instead of drop (ptargdef "
               "coded as if the large pacts did not exist)."),
    Model("public_everywhere", "Secret alliances excluded everywhere", FORMULA,
          group="alternatives", panel="public",
          note="Alternative to the default split: every alliance variable (and S, defense_ally) "
               "coded from public alliances only."),
    Model("contig_land", "Contiguity = land border",
          FORMULA.replace("ln_distance +", "ln_distance + contig_land +"), group="alternatives",
          panel="all", borrow=PUBLIC_TARGDEF,
          note="The command file does not define contig; alternative to contig_400: land contiguity "
               "(COW type 1) only."),
    Model("sidea", "Initiator = side A incl. joiners", FORMULA, group="alternatives", panel="all",
          borrow=PUBLIC_TARGDEF + tuple((c, "sidea", c) for c in SIDEA_COLUMNS),
          note="Alternative initiation rule: A is on side A and B on side B, joiners included "
               "(default: originators on both sides)."),
    Model("drop_ongoing", "Ongoing-dispute years dropped", FORMULA, group="alternatives",
          panel="all", borrow=PUBLIC_TARGDEF, subset=KEEP_UNLESS_ONGOING,
          note="Alternative: dyad-years in which a dispute between A and B continues from an earlier "
               "year are dropped (default: kept, with dispute = 0 unless a new one is initiated)."),
    Model("no_wartime", "Wartime alliances excluded", FORMULA, group="alternatives",
          panel="nowartime", borrow=(("ptargdef", "public_nowartime", "ptargdef"),),
          note="Alternative: alliances ATOP codes as formed in wartime (member-level wartime = 1) "
               "ignored in every alliance variable (AllianceRules.wartime='exclude'; default: "
               "included, as J&L count every ATOP alliance)."),
)

CLAIMS = (
    Claim("ptargdef", "negative",
          "defense pacts of the potential target deter initiation (a significant negative effect)",
          "Johnson & Leeds (2011), abstract"),
    Claim("pchalally", "none",
          "no evidence that states with defensive allies initiate more disputes",
          "Johnson & Leeds (2011), abstract"),
)

EFFECT = Effect(
    model="table1", variable="ptargdef", values=(0, 1), means_where="ptargdef == 0",
    draws=1000, seed=20110101, interval=(2.5, 97.5), cov_type="classical",
    note="As the command file's Figure 1 (setx mean if ptargdef==0; simqi). Its _pctile p(7.5, 97.5) "
         "is read as a typo for (2.5, 97.5), the interval of Leeds & Johnson's (2015) replication of "
         "the same figure.",
)

NOTES = (
    "Unit: directed dyad-years of COW system members, 1816-2000 (no politically relevant filter; "
    "none appears in the command file).",
    "dispute: A is an originator on side A and B an originator on side B of a MID that begins this "
    "year (DisputeRules.initiation = 'originator'); the side-A rule with joiners is shown as an "
    "alternative.",
    "ptargdef: a third state has a public defense commitment to B that applies against A "
    "(ATOP adversary conditions honoured); pchalally / pchaloff / pchalneu: a third state has a "
    "defense / offense / neutrality commitment to A applicable against B, from all alliances.",
    "s_un_glo: Signorino-Ritter S (unweighted, global) from ATOP ties (J&L's EUGene S came from the "
    "COW alliance data, which foedus does not download); capprop = cinc1 / (cinc1 + cinc2), NMC 6.0; "
    "jdem = both polity2 >= 6; ln_distance = log capital-to-capital distance; peaceyrs and its "
    "square and cube (Carter & Signorino 2010).",
    "Rows with a missing value of any model variable are removed (listwise deletion, as Stata); "
    "the counts are listed under 'Rows removed'.",
)

STUDY = Study(
    name="johnson_leeds_2011",
    title="Johnson & Leeds (2011), \"Defense Pacts: A Prescription for Peace?\"",
    citation="Johnson, Jesse C., and Brett Ashley Leeds. 2011. \"Defense Pacts: A Prescription for "
             "Peace?\" Foreign Policy Analysis 7(1): 45-65.",
    data=DATA,
    panels=panels(),
    models=MODELS,
    claims=CLAIMS,
    effect=EFFECT,
    notes=NOTES,
)


# --------------------------------------------------------------------------------------------
# Tables 2 and 3: what targets with defensive allies do once challenged (a second study, with its
# own claim and effect: the first study's claims are about initiation)
# --------------------------------------------------------------------------------------------
#: The selection equation of both tables (command file: ``select(dispute = ptargdef pchaloff
#: pchalneu pchalally ln_distance capprop jdem s_un_glo peaceyrs peaceyrs2 peaceyrs3)``).
SELECT = ("dispute ~ ptargdef + pchaloff + pchalneu + pchalally + ln_distance + capprop + jdem + "
          "s_un_glo + peaceyrs + peaceyrs2 + peaceyrs3")
OUTCOME_RHS = "ptargdef_secr + pchaloff + pchalneu + capprop"
#: Selection variables not in the outcome equation, added to it one at a time (robustness).
ADDED = ("ptargdef", "pchalally", "ln_distance", "jdem", "s_un_glo", "peaceyrs", "peaceyrs2",
         "peaceyrs3")
#: ptargdef in the selection equation is public-only (as in Table 1); ptargdef_secr counts every
#: ATOP alliance (the command file's ``ptargdef_secr``).
HECK_BORROW = PUBLIC_TARGDEF + (("ptargdef_secr", "all", "ptargdef"),)


def escalation_panels(data=DATA) -> dict:
    """Panels of Tables 2-3: Table 1's panel with the dispute outcomes (defaults: targ_resist =
    the target's hostility level >= 2, war = hostility level 5), Table 1's public-alliance panel,
    and two lean panels (same universe, no covariates) with the alternative outcome rules."""
    from foedus.data.spec import DisputeOutcomes

    out = {}
    for d in data:
        spec = base_spec(d.name)
        out[(d.name, "all")] = spec.replace(outcomes=DisputeOutcomes())
        out[(d.name, "public")] = spec_variant(spec, alliances={"secret": "exclude"})
        lean = spec.replace(alliances=None, covariates=None, temporal=None)
        out[(d.name, "recip")] = lean.replace(outcomes=DisputeOutcomes(resist="recip"))
        out[(d.name, "cowwar")] = lean.replace(outcomes=DisputeOutcomes(war="cow"))
    return out


def _heck(name, label, response, group, rhs=OUTCOME_RHS, borrow=HECK_BORROW, note=""):
    return Model(name, label, f"{response} ~ {rhs}", group=group, panel="all", estimator="heckprobit",
                 cov_types=("classical", "cluster"), borrow=borrow, options=(("select", SELECT),),
                 keep_missing=(response,), note=note)


HECK_FILE = f"{FILE}: heckprob {{}} ptargdef_secr pchaloff pchalneu capprop, select(dispute = ptargdef " \
            "pchaloff pchalneu pchalally ln_distance capprop jdem s_un_glo peaceyrs peaceyrs2 peaceyrs3)"
ESCALATION_MODELS = (
    _heck("table2", "Table 2: target resists", "targ_resist", "main",
          note=HECK_FILE.format("targ_resist") + ". targ_resist: the target's highest hostility level "
               "in the initiated dispute >= 2 (our default; the command file does not show its coding)."),
    _heck("table3", "Table 3: war", "war", "main",
          note=HECK_FILE.format("war") + ". war: the initiated dispute reached hostility level 5."),
    _heck("table2_public", "Table 2, secret alliances excluded", "targ_resist", "robustness",
          rhs=OUTCOME_RHS.replace("ptargdef_secr", "ptargdef"), borrow=PUBLIC_TARGDEF,
          note=f"{FILE}: robustness without secret alliances (outcome equation ptargdef, public "
               "defense pacts only)."),
    _heck("table3_public", "Table 3, secret alliances excluded", "war", "robustness",
          rhs=OUTCOME_RHS.replace("ptargdef_secr", "ptargdef"), borrow=PUBLIC_TARGDEF,
          note=f"{FILE}: robustness without secret alliances."),
    *(_heck(f"table2_plus_{v}", f"Table 2 + {v} in the outcome equation", "targ_resist", "robustness",
            rhs=f"{OUTCOME_RHS} + {v}",
            note=f"{FILE}: robustness, the selection variable {v} added to the outcome equation.")
      for v in ADDED),
    _heck("table2_recip", "Table 2, targ_resist = MID reciprocation flag", "targ_resist",
          "alternatives", borrow=HECK_BORROW + (("targ_resist", "recip", "targ_resist"),),
          note="Alternative coding of targ_resist: the MID dispute-level flag recip (some state on "
               "side B acted). MID 3.10's dispute-level file is not registered: not estimable there."),
    _heck("table3_cow", "Table 3, war = COW war between the two", "war", "alternatives",
          borrow=HECK_BORROW + (("war", "cowwar", "war"),),
          note="Alternative coding of war: a COW inter-state war between A and B (directed dyadic "
               "war data, May 2018) overlaps their dispute."),
)

ESCALATION_CLAIMS = (
    Claim("ptargdef_secr", "none",
          "no evidence that targets with defensive allies are more likely to respond to an "
          "initiation with militarization (Table 2) or that the dispute escalates to war (Table 3)",
          "Johnson & Leeds (2011), abstract"),
    Claim("ptargdef", "none",
          "the same with public defense pacts only (robustness without secret alliances)",
          "Johnson & Leeds (2011), abstract; command file"),
)

ESCALATION_EFFECT = Effect(
    model="table2", variable="ptargdef_secr", values=(0, 1), means_where="dispute == 1",
    draws=1000, seed=20110102, interval=(2.5, 97.5), cov_type="classical",
    note="Pr(targ_resist = 1 | dispute = 1) = Phi2(xb, zg; rho) / Phi(zg) (Stata's predict, pcond), "
         "ptargdef_secr of the outcome equation set to 0 and 1, every other variable of both equations "
         "at its mean over the initiated dyad-years. Our choice of profile: the command file's "
         "commands for Tables 2-3 show no simulation.",
)

ESCALATION_NOTES = (
    "Selection: dispute (A initiates a MID against B), on every directed dyad-year 1816-2000 as in "
    "Table 1; outcome: observed on the initiated dyad-years only (heckprob; Stata's default "
    "observed-information standard errors = 'classical').",
    "targ_resist: the target's highest hostility level in the initiated dispute is 2 or more (threat, "
    "display or use of force); war: the dispute reached hostility level 5. When A initiated several "
    "disputes against B in one year, the coded one is picked by the disputes step's tie-break order "
    "(docs/panel-disputes.md). Alternatives: the MID reciprocation flag; a COW inter-state war "
    "between A and B overlapping the dispute.",
    "ptargdef (selection equation): public defense pacts of third states applicable against A, as in "
    "Table 1; ptargdef_secr (outcome equation): the same from every ATOP alliance, secret ones "
    "included. The other alliance variables, S, capprop, jdem, distance and peace years as in Table 1.",
    "Rows with a missing value of any variable except the outcome are removed (listwise deletion, as "
    "Stata); the outcome is missing where no dispute was initiated.",
)

ESCALATION = Study(
    name="johnson_leeds_2011_escalation",
    title="Johnson & Leeds (2011), Tables 2-3: do targets with defensive allies escalate?",
    citation=STUDY.citation,
    data=DATA,
    panels=escalation_panels(),
    models=ESCALATION_MODELS,
    claims=ESCALATION_CLAIMS,
    effect=ESCALATION_EFFECT,
    notes=ESCALATION_NOTES,
)
