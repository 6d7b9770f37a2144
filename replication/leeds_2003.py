"""Leeds (2003), "Do Alliances Deter Aggression? The Influence of Military Alliances on the
Initiation of Militarized Interstate Disputes", AJPS 47(3): 427-439.

The published claims (abstract): commitments that would bring allies to the defense of the
potential target reduce the probability that a MID is initiated; offensive commitments to the
potential challenger increase it; neutrality (non-intervention) commitments to the challenger
increase it. Period: the coverage of the first ATOP release, 1816-1944.

No command file is used here: the design is reconstructed from these claims and from the design
of Johnson & Leeds (2011), which extends Leeds (2003) with the same variables (see
:mod:`foedus.replication.johnson_leeds_2011`). Every reconstructed choice is listed in
:data:`NOTES` (printed in the table notes); where a choice is uncertain, the default is fixed
here and the alternatives are fitted side by side.
"""
from __future__ import annotations

from foedus.data.sample import KEEP_UNLESS_ONGOING
from foedus.data.spec import PanelSpec
from foedus.replication.johnson_leeds_2011 import CONTROLS, DATA, SIDEA_COLUMNS
from foedus.replication.johnson_leeds_2011 import base_spec as jl_base_spec
from foedus.replication.study import Claim, Effect, Model, Study, spec_variant

YEARS = (1816, 1944)


def base_spec(data: str) -> PanelSpec:
    """The Johnson & Leeds panel of one data version, on the first ATOP release's years."""
    return jl_base_spec(data, years=YEARS)


def panels() -> dict:
    """all (every alliance), public (secret alliances excluded), neutnonagg (pchalneu also counts
    non-aggression pacts), sidea (initiation by any side-A state, joiners included), nowartime /
    public_nowartime (alliances formed in wartime ignored; all / public alliances)."""
    out = {}
    for d in DATA:
        spec = base_spec(d.name)
        out[(d.name, "all")] = spec
        out[(d.name, "public")] = spec_variant(spec, alliances={"secret": "exclude"})
        out[(d.name, "neutnonagg")] = spec_variant(spec, alliances={"neutrality_includes_nonagg": True})
        out[(d.name, "sidea")] = spec_variant(spec, disputes={"initiation": "sidea", "joiners": True})
        out[(d.name, "nowartime")] = spec_variant(spec, alliances={"wartime": "exclude"})
        out[(d.name, "public_nowartime")] = spec_variant(
            spec, alliances={"secret": "exclude", "wartime": "exclude"})
    return out


FORMULA = f"dispute ~ ptargdef + pchalally + pchaloff + pchalneu + {CONTROLS}"
PUBLIC_TARGDEF = (("ptargdef", "public", "ptargdef"),)
COVS = ("classical", "cluster", "dyadic")

MODELS = (
    Model("main", "Reconstructed model", FORMULA, group="main", panel="all", estimator="logit",
          cov_types=COVS, borrow=PUBLIC_TARGDEF,
          note="Reconstruction: J&L (2011) Table 1 variables, logit, 1816-1944."),
    *(Model(f"main_{est}", f"Reconstructed model, {est}", FORMULA, group="estimators", panel="all",
            estimator=est, cov_types=COVS, borrow=PUBLIC_TARGDEF,
            note="The reconstructed design under another estimator.")
      for est in ("probit", "relogit", "firth")),
    Model("neutral_nonagg", "pchalneu incl. non-aggression pacts", FORMULA, group="alternatives",
          panel="all", estimator="logit", borrow=PUBLIC_TARGDEF + (("pchalneu", "neutnonagg", "pchalneu"),),
          note="Alternative: a non-aggression pact with a third state counts as a promise of "
               "non-intervention (default: ATOP neutrality pledges only)."),
    Model("no_pchalally", "Without pchalally",
          FORMULA.replace("pchalally + ", ""), group="alternatives", panel="all", estimator="logit",
          borrow=PUBLIC_TARGDEF,
          note="Alternative: the challenger's defensive allies (a J&L 2011 addition) left out."),
    Model("secret_target", "ptargdef incl. secret alliances", FORMULA, group="alternatives",
          panel="all", estimator="logit",
          note="Alternative: secret defense pacts of the target count (J&L's ptargdef_secr)."),
    Model("public_everywhere", "Secret alliances excluded everywhere", FORMULA, group="alternatives",
          panel="public", estimator="logit",
          note="Alternative: every alliance variable coded from public alliances only."),
    Model("sidea", "Initiator = side A incl. joiners", FORMULA, group="alternatives", panel="all",
          estimator="logit", borrow=PUBLIC_TARGDEF + tuple((c, "sidea", c) for c in SIDEA_COLUMNS),
          note="Alternative initiation rule: A on side A and B on side B, joiners included."),
    Model("drop_ongoing", "Ongoing-dispute years dropped", FORMULA, group="alternatives",
          panel="all", estimator="logit", borrow=PUBLIC_TARGDEF, subset=KEEP_UNLESS_ONGOING,
          note="Alternative: dyad-years with a dispute continuing from an earlier year dropped."),
    Model("no_wartime", "Wartime alliances excluded", FORMULA, group="alternatives",
          panel="nowartime", estimator="logit", borrow=(("ptargdef", "public_nowartime", "ptargdef"),),
          note="Alternative: alliances ATOP codes as formed in wartime ignored in every alliance "
               "variable (AllianceRules.wartime='exclude'; default: included)."),
)

SOURCE = "Leeds (2003), abstract"
CLAIMS = (
    Claim("ptargdef", "negative",
          "defensive commitments to the potential target reduce the probability of MID initiation",
          SOURCE),
    Claim("pchaloff", "positive",
          "offensive commitments to the potential challenger increase the probability of initiation",
          SOURCE),
    Claim("pchalneu", "positive",
          "neutrality (non-intervention) commitments to the challenger increase the probability "
          "of initiation", SOURCE),
)

EFFECT = Effect(
    model="main", variable="ptargdef", values=(0, 1), means_where="ptargdef == 0",
    draws=1000, seed=20030701, interval=(2.5, 97.5), cov_type="classical",
    note="Profile as in J&L's (2011) Figure 1 (other variables at their means over ptargdef = 0).",
)

NOTES = (
    "RECONSTRUCTED DESIGN: Leeds (2003) is replicated from its published claims and from the design "
    "of Johnson & Leeds (2011); no command file of the 2003 article is used. Each choice below is "
    "ours, fixed before fitting.",
    "Unit and period: directed dyad-years of COW system members, 1816-1944 (the coverage of the "
    "first ATOP release); no politically relevant filter.",
    "Dependent variable: A is an originator on side A and B an originator on side B of a MID that "
    "begins in the year (as J&L 2011); alternative: side A with joiners.",
    "Alliance variables (ATOP, adversary conditions honoured): ptargdef = a third state has a public "
    "defense commitment to B applicable against A (secret pacts cannot deter; as J&L's ptargdef); "
    "pchaloff = a third state has an offense commitment to A applicable against B; pchalneu = a third "
    "state has a neutrality commitment to A applicable against B (alternative: non-aggression pacts "
    "count too); pchalally = a third state has a defense commitment to A (J&L's control; alternative "
    "without it).",
    "Controls as J&L (2011): ln_distance (capitals), capprop = cinc1/(cinc1+cinc2) (NMC 6.0), jdem "
    "(both polity2 >= 6), s_un_glo (S from ATOP ties), peace years with square and cube (Leeds 2003 "
    "predates Carter & Signorino 2010 and may have used splines; the cubic is J&L's choice).",
    "Estimator: logit with classical standard errors (J&L's classical errors, the logit named for "
    "this study); clustered and dyadic-robust errors and the probit, rare-events and Firth "
    "estimators are shown side by side.",
    "Data: MID 3.10 (the oldest MID release registered; Leeds 2003 used an earlier one) with Polity IV "
    "2015, and MID 5.0 with Polity 5; both with ATOP 5.1 (the first ATOP release is not registered, "
    "and ATOP 4.01 lacks the directed dyad-year file the S-score needs).",
)

STUDY = Study(
    name="leeds_2003",
    title="Leeds (2003), \"Do Alliances Deter Aggression?\"",
    citation="Leeds, Brett Ashley. 2003. \"Do Alliances Deter Aggression? The Influence of Military "
             "Alliances on the Initiation of Militarized Interstate Disputes.\" American Journal of "
             "Political Science 47(3): 427-439.",
    data=DATA,
    panels=panels(),
    models=MODELS,
    claims=CLAIMS,
    effect=EFFECT,
    notes=NOTES,
)
