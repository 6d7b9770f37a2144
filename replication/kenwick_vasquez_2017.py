"""Kenwick & Vasquez (2017), "Defense Pacts and Deterrence: Caveat Emptor", Journal of Politics
79(1).

Design, from the authors' command files: ``gen_vars.do`` builds the pact-formation variables on
Johnson & Leeds's (2011) data (rules: :mod:`foedus.data.pact_formation`, declared in the spec as
``AllianceRules.pact_formation = "kv2017"``); ``models.do`` fits six logits with standard errors
clustered on the directed dyad (``robust cluster(ddyad)``):

- M1-M3: ``dispute ~ fbdef + nfbdef + pchaloff + pchalneu + ln_distance + capprop + jdem +
  s_un_glo + peaceyrs + peaceyrs2 + peaceyrs3``, all years, ``year < 1946``, ``year > 1945``;
- M4-M6: the same with ``def_form_5yr + def_form_6to15 + def_form_16plus + fbdef`` in place of
  ``fbdef + nfbdef``.

The formation variables count the target's public defense pacts (the pacts behind J&L's
``ptargdef``); pchaloff and pchalneu are J&L's (all alliances). Beside the variables as written
(rows back, "from birth" = the dyad's first row), a clean calendar-year alternative codes the
formation windows from the age of the target's newest applicable defense pact (ATOP formation
year): 0-4, 5-14 and 15 or more years.

Claim (abstract): alliance formation often fails to deter and is associated with more MIDs (a
positive, significant ``def_form_5yr``).
"""
from __future__ import annotations

from foedus.data.spec import AllianceQuery
from foedus.replication import johnson_leeds_2011 as jl
from foedus.replication import leeds_johnson_2017 as lj
from foedus.replication.study import Claim, Model, Study, spec_variant

NAME = "kenwick_vasquez_2017"
FILE = "K&V models.do"
#: Age of the target's youngest applicable defense pact (years since ATOP formation).
NEWEST_AGE = AllianceQuery("targdef_newest_age", "target", ("defense",), aggregate="newest_age")
FORMATION = ("fbdef", "nfbdef", "def_form_5yr", "def_form_6to15", "def_form_16plus",
             "all_from_birth")


def panels(data=jl.DATA) -> dict:
    out = {}
    for d in data:
        spec = lj.debate_spec(d.name)
        out[(d.name, "all")] = spec
        out[(d.name, "public")] = spec_variant(
            spec, alliances={"secret": "exclude", "pact_formation": "kv2017",
                             "queries": lj.QUERIES + (NEWEST_AGE,)})
    return out


CONTROLS = ("pchaloff + pchalneu + ln_distance + capprop + jdem + s_un_glo + peaceyrs + "
            "peaceyrs2 + peaceyrs3")
BIRTH = f"dispute ~ fbdef + nfbdef + {CONTROLS}"
FORM = f"dispute ~ def_form_5yr + def_form_6to15 + def_form_16plus + fbdef + {CONTROLS}"
PERIODS = (("", "all years", None), ("_pre1946", "year < 1946", "year < 1946"),
           ("_post1945", "year > 1945", "year > 1945"))
BORROW = tuple((c, "public", c) for c in ("ptargdef", *FORMATION, "targdef_newest_age"))
#: The clean calendar-year alternative: windows from the newest pact's age.
CALENDAR = (
    ("def_form_5yr", "ptargdef * (targdef_newest_age >= 0) * (targdef_newest_age <= 4)"),
    ("def_form_6to15", "ptargdef * (targdef_newest_age >= 5) * (targdef_newest_age <= 14)"),
    ("def_form_16plus", "ptargdef * (targdef_newest_age >= 15) * (1 - all_from_birth)"),
)


def _models() -> tuple:
    out = []
    for i, (formula, what) in enumerate(((BIRTH, "from birth"), (FORM, "formation")), start=0):
        for j, (suffix, label, subset) in enumerate(PERIODS):
            number = 3 * i + j + 1
            out.append(Model(
                f"m{number}", f"M{number}: {what}, {label}", formula,
                group="main" if number == 4 else "robustness", panel="all", estimator="logit",
                cov_types=("cluster", "classical"), borrow=BORROW, subset=subset,
                note=f"{FILE}: model {number} (logit, robust cluster(ddyad))."))
    for suffix, label, subset in PERIODS:
        out.append(Model(
            f"calendar{suffix}", f"Calendar-year windows, {label}", FORM, group="alternatives",
            panel="all", estimator="logit", cov_types=("cluster", "classical"), borrow=BORROW,
            assign=CALENDAR, subset=subset,
            note="Clean alternative to gen_vars.do's row-based windows: def_form_5yr = the target's "
                 "newest applicable defense pact is 0-4 years old (ATOP formation year), "
                 "def_form_6to15 = 5-14, def_form_16plus = 15 or more and not all from birth."))
    return tuple(out)


MODELS = _models()

CLAIMS = (
    Claim("def_form_5yr", "positive",
          "alliance formation often fails to deter and is associated with more MIDs",
          "Kenwick & Vasquez (2017), abstract"),
)

NOTES = (
    "Formation variables as gen_vars.do codes them (foedus.data.pact_formation): 'previous "
    "observation' is the dyad's previous panel row (possibly years earlier); def_form_5yr looks "
    "4 rows back within 5 years and is not ANDed with ptargdef; 'from birth' means present in "
    "the dyad's first row (1816 for dyads already in the system). The authors' data held at "
    "most 13 pacts per row; every pact is kept here (the build log counts rows with more).",
    "Pacts: the target's applicable public defense pacts (the pacts behind J&L's ptargdef, "
    "query targdef_ids); pchaloff / pchalneu from all alliances, as in J&L's data.",
    *jl.NOTES,
)

STUDY = Study(
    name=NAME,
    title="Kenwick & Vasquez (2017), \"Defense Pacts and Deterrence: Caveat Emptor\"",
    citation="Kenwick, Michael R., and John A. Vasquez. 2017. \"Defense Pacts and Deterrence: "
             "Caveat Emptor.\" Journal of Politics 79(1).",
    data=jl.DATA,
    panels=panels(),
    models=MODELS,
    claims=CLAIMS,
    notes=NOTES,
)
