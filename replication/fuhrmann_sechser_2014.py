"""Fuhrmann & Sechser (2014), "Signaling Alliance Commitments", AJPS 58(4): 919-935.

Published claims (abstract): formal defense pacts with nuclear states carry significant
deterrence benefits; stationing nuclear weapons on the protégé's territory does not add to
that effect.

Design, from the authors' replication command file: directed dyad-years 1950-2000, politically
relevant dyads only; ``dispute`` = the potential challenger (A) initiates a MID against the
potential target (B); probit with standard errors clustered on the dyad. Table 2, model 1
regressors: B has a defense pact with a nuclear power; B hosts foreign nuclear weapons; B has a
defense pact with a non-nuclear power; US troops in B; A nuclear; B nuclear; contiguity; an
alliance between A and B; foreign-policy similarity (S); power ratio; A's Polity, B's Polity and
their product; peace years, squared and cubed. Model 2 uses ATOP instead of COW alliances; the
appendix has a rare-events logit (clustered) and an all-dyads version.

What is rebuilt here, and what is not:

- Model 2 (ATOP) is the headline model. Model 1 (COW alliances) runs only when the user has put
  the COW alliance file on this machine (foedus never downloads it, see
  :func:`foedus.data.cow_alliances.cow_alliance_file`); otherwise the notes say it was not run.
- The authors' foreign nuclear deployment data and US-troops variable are not public data
  shipped here: the models omit them and the deployment claim is "not testable with public data
  shipped here". A user who has them sets ``FOEDUS_FS2014_TARGET_DATA`` to a CSV keyed by target
  and year (:func:`foedus.data.nuclear_target_data.read_target_data`); the models then include them and the
  claim is judged.
- Nuclear-power dates: ``fs2014``, our documented reading of the authors' dates
  (``docs/nuclear-status.md``); Bleek (2017) and first-test dates are shown as alternatives.

Data versions: the authors' data end in 2000 (MID 3.x era, ATOP 3.0). The study runs on MID 3.10
with ATOP 4.01 (the oldest ATOP release registered) and Polity IV 2015, and on MID 5.0 with
ATOP 5.1 and Polity 5.
"""
from __future__ import annotations

import os
from pathlib import Path

from foedus.data.sample import KEEP_UNLESS_ONGOING
from foedus.data.spec import (AllianceRules, Covariates, DisputeRules, PanelSpec, Sample,
                              Temporal)
from foedus.replication.study import Claim, DataVersion, Effect, Model, Study, spec_variant

NAME = "fuhrmann_sechser_2014"
YEARS = (1950, 2000)
#: Environment variable naming the user's target-year CSV (deployments, US troops).
TARGET_DATA_ENV = "FOEDUS_FS2014_TARGET_DATA"


def cow_alliance_available() -> bool:
    """Whether the user has supplied the COW alliance file (model 1 runs only then; see
    :func:`foedus.data.cow_alliances.cow_alliance_file`)."""
    from foedus.data.cow_alliances import cow_alliance_file

    try:
        cow_alliance_file()
    except FileNotFoundError:
        return False
    return True


def target_data_spec(path) -> tuple[str, str]:
    """``(path, sha256)`` of a user's target-year file (deployments, US troops), the value of
    ``Covariates.nuclear_target_data`` (read by :func:`foedus.data.nuclear_target_data.read_target_data`)."""
    from foedus.data.fetch import sha256_file

    path = Path(path).expanduser().resolve()
    return (str(path), sha256_file(path))


DATA = (
    DataVersion("mid310", "MID 3.10 + ATOP 4.01",
                "closest available to the authors' data (1950-2000; MID 3.x, ATOP 3.0): ATOP 3.0 "
                "is not registered, 4.01 is the oldest ATOP release available; Polity IV 2015."),
    DataVersion("mid50", "MID 5.0 + ATOP 5.1", "current releases; Polity 5."),
)
RELEASES = {
    "mid310": {"mid": "3.10", "atop": "4.01", "regime": "polity4-2015"},
    "mid50": {"mid": "5.0", "atop": "5.1", "regime": "polity5"},
}


def base_spec(data: str, target_data: tuple = ()) -> PanelSpec:
    """Table 2's panel (model 2, ATOP) for one data version."""
    r = RELEASES[data]
    return PanelSpec(
        years=YEARS,
        directed=True,
        alliances=AllianceRules(version=r["atop"]),
        disputes=DisputeRules(source="cow-mid", version=r["mid"], initiation="originator"),
        covariates=Covariates(regime=r["regime"], sscore=(),
                              nuclear="fs2014", nuclear_target_data=target_data),
        temporal=Temporal(peace_years=True, polynomial=True),
        sample=Sample(politically_relevant=True),
    )


#: The source of s_un_glo in both data versions: S is computed from ATOP's directed dyad-year
#: file, which foedus registers for ATOP 5.1 only; every dyad-year of the universe (no filter).
SSCORE_SPEC = PanelSpec(
    years=YEARS, directed=True, alliances=AllianceRules(version="5.1"), disputes=None,
    covariates=Covariates(capabilities=False, contiguity=False, distance=False, regime=None,
                          majors=False, sscore=("unweighted_global",)),
    temporal=None,
)


def panels(cow: bool, target_data: tuple = ()) -> dict:
    """Panel variants per data version.

    base:       model 2: ATOP alliances, politically relevant dyads, nuclear dates ``fs2014``;
    sscore:     :data:`SSCORE_SPEC`, the source of ``s_un_glo`` (borrowed by every model);
    all:        the same on all dyads (the authors' appendix);
    bleek2017, first_test: other nuclear-date codings (their nuclear columns are borrowed);
    cow:        model 1: nuclear and non-nuclear defenders from COW defense pacts (only when
                the user supplied the COW file).
    """
    out = {}
    for d in DATA:
        spec = base_spec(d.name, target_data)
        out[(d.name, "base")] = spec
        # S is computed from ATOP's directed dyad-year file, registered for ATOP 5.1 only
        out[(d.name, "sscore")] = SSCORE_SPEC
        out[(d.name, "all")] = spec_variant(spec, sample={"politically_relevant": False})
        for coding in ("bleek2017", "first_test"):
            out[(d.name, coding)] = spec_variant(spec, covariates={"nuclear": coding})
        if cow:
            out[(d.name, "cow")] = spec_variant(spec, covariates={"nuclear_alliances": "cow"})
    return out


CONTROLS = ("nuclear1 + nuclear2 + contig_400 + {ally} + s_un_glo + capprop + polity2_1 + "
            "polity2_2 + polity_product + peaceyrs + peaceyrs2 + peaceyrs3")
POLITY_PRODUCT = (("polity_product", "polity2_1 * polity2_2"),)
SSCORE = (("s_un_glo", "sscore", "s_un_glo"),)
COVS = ("cluster", "dyadic")
NUCLEAR_COLUMNS = ("targdef_nuc", "targdef_nonnuc", "nuclear1", "nuclear2")
FILE = "F&S command file"


def formula(ally: str = "defense_ally", target_data: bool = False) -> str:
    """Table 2's formula; with the user's target-year data, deployments and US troops too."""
    extra = "deployment2 + " if target_data else ""
    troops = "us_troops2 + " if target_data else ""
    return (f"dispute ~ targdef_nuc + {extra}targdef_nonnuc + {troops}"
            + CONTROLS.format(ally=ally))


def models(cow: bool, target_data: bool) -> tuple:
    f = formula(target_data=target_data)
    out = [
        Model("model2", "Table 2, model 2 (ATOP)", f, group="main", panel="base",
              estimator="probit", cov_types=COVS, assign=POLITY_PRODUCT,
              borrow=SSCORE,
              note=f"{FILE}: Table 2, model 2 (ATOP alliances), probit clustered on the dyad."),
        *(Model(f"model2_{est}", f"Model 2, {est}", f, group="estimators", panel="base",
                estimator=est, cov_types=COVS, assign=POLITY_PRODUCT,
              borrow=SSCORE,
                note=("The authors' appendix: rare-events logit, clustered." if est == "relogit"
                      else "Model 2's design under another estimator."))
          for est in ("logit", "relogit", "firth")),
    ]
    if cow:
        out.append(Model(
            "model1", "Table 2, model 1 (COW)", formula("cow_defense_ally", target_data),
            group="robustness", panel="cow", cov_types=COVS, assign=POLITY_PRODUCT,
              borrow=SSCORE,
            note=f"{FILE}: Table 2, model 1: defenders and the A-B alliance from COW Formal "
                 "Alliances v4.1 defense pacts (the user's file); S still from ATOP."))
    out += [
        Model("all_dyads", "All dyads", f, group="robustness", panel="all", cov_types=COVS,
              assign=POLITY_PRODUCT,
              borrow=SSCORE,
              note="The authors' appendix: model 2 on all dyads, not only politically relevant "
                   "ones."),
        *(Model(f"nuclear_{coding}", f"Nuclear dates: {coding}", f, group="alternatives",
                panel="base", cov_types=COVS, assign=POLITY_PRODUCT,
                borrow=SSCORE + tuple((c, coding, c) for c in NUCLEAR_COLUMNS),
                note=f"Nuclear-power dates coded '{coding}' (docs/nuclear-status.md) instead of "
                     "the fs2014 reading.")
          for coding in ("bleek2017", "first_test")),
        Model("contig_land", "Contiguity = land border", f.replace("contig_400", "contig_land"),
              group="alternatives", panel="base", cov_types=COVS, assign=POLITY_PRODUCT,
              borrow=SSCORE,
              note="Contiguity as a land border (COW type 1) instead of types 1-5."),
        Model("ln_capratio", "Power ratio = log(stronger / weaker)",
              f.replace("capprop", "ln_capratio"), group="alternatives", panel="base",
              cov_types=COVS, assign=POLITY_PRODUCT,
              borrow=SSCORE,
              note="'Power ratio' read as the log of the stronger side's CINC over the weaker "
                   "side's, instead of A's share of the dyad's CINC."),
        Model("drop_ongoing", "Ongoing-dispute years dropped", f, group="alternatives",
              panel="base", cov_types=COVS, assign=POLITY_PRODUCT,
              borrow=SSCORE, subset=KEEP_UNLESS_ONGOING,
              note="Dyad-years in which a dispute between A and B continues from an earlier year "
                   "are dropped (default: kept, dispute = 0 unless a new one is initiated)."),
    ]
    return tuple(out)


CLAIM_PACT = Claim(
    "targdef_nuc", "negative",
    "formal alliances with nuclear states carry significant deterrence benefits (a defense pact "
    "with a nuclear power lowers the probability that the target is challenged)",
    "Fuhrmann & Sechser (2014), abstract")
CLAIM_DEPLOYMENT = Claim(
    "deployment2", "none",
    "stationing nuclear weapons on the protégé's territory does not bolster the deterrent effect",
    "Fuhrmann & Sechser (2014), abstract")

EFFECT = Effect(
    model="model2", variable="targdef_nuc", values=(0, 1), means_where=None, draws=1000,
    seed=20140101, interval=(2.5, 97.5), cov_type="cluster", center="median",
    note="Target without and with a defense pact with a nuclear power, the other variables at "
         "their medians (as the study asks; Clarify's setx median).")


def notes(cow: bool, target_data: tuple) -> tuple:
    out = [
        "Unit: directed dyad-years 1950-2000 of COW system members, politically relevant dyads "
        "only (contiguous, including up to 400 miles of water, or either state a COW major "
        "power).",
        "dispute: A is an originator on side A and B an originator on side B of a MID that "
        "begins this year (DisputeRules.initiation = 'originator').",
        "targdef_nuc / targdef_nonnuc: some third state C != A that is (is not) a nuclear power "
        "that year has a defense promise to B that applies against A, coded by the alliance "
        "step's own rules (ATOP adversary conditions honoured; promises from an alliance A also "
        "belongs to excluded; secret alliances included); n_targdef_nuc + n_targdef_nonnuc = "
        "n_targdef.",
        "nuclear1 / nuclear2 and the nuclear status of defenders: dates 'fs2014', our reading of "
        "the authors' dates (Bleek 2017 with India from 1974); see docs/nuclear-status.md. "
        "Alternatives: Bleek (2017) and first-test dates.",
        "Readings of the command file's variables: contiguity = contig_400 (COW types 1-5); "
        "alliance between A and B = defense_ally (a defense promise in either direction); "
        "S = s_un_glo from ATOP ties; power ratio = capprop = cinc1 / (cinc1 + cinc2) (NMC 6.0); "
        "Polity = polity2 of A and B and their product (polity_product); peace years and their "
        "square and cube.",
        "Standard errors clustered on the directed dyad (the published choice) and dyadic-robust "
        "(Aronow, Samii & Assenova 2015) side by side.",
    ]
    if not cow:
        out.append(
            "Model 1 (COW alliances) NOT RUN: the COW Formal Alliances file is not on this "
            "machine and foedus never downloads it (its maintainer's request). Put "
            "alliance_v4.1_by_member.csv in $FOEDUS_DATA_DIR/cow-alliance-4.1/ to run it.")
    if target_data:
        out.append(
            f"deployment2 / us_troops2: the user's target-year file {target_data[0]} (sha256 "
            f"{target_data[1]}), joined on (target, year); not data shipped with foedus.")
    else:
        out.append(
            "NOT TESTABLE WITH PUBLIC DATA SHIPPED HERE: the claim that stationing nuclear "
            "weapons on the protégé's territory does not add to the deterrent effect. The "
            "authors' foreign-deployment data and US-troops variable are not available, so both "
            f"are omitted from every model. Set {TARGET_DATA_ENV} to a CSV of ccode, year, "
            "deployment, us_troops to include them.")
    return tuple(out)


def build_study(cow: bool | None = None, target_data: str | os.PathLike | None = None) -> Study:
    """The study, with model 1 when the COW file is present and the user's target-year data.

    Parameters
    ----------
    cow : bool, optional
        Run model 1 (COW alliances); by default when the file is on this machine.
    target_data : path, optional
        CSV of target-year deployments and US troops; by default ``$FOEDUS_FS2014_TARGET_DATA``.
    """
    cow = cow_alliance_available() if cow is None else cow
    target_data = target_data or os.environ.get(TARGET_DATA_ENV) or None
    td = target_data_spec(target_data) if target_data else ()
    return Study(
        name=NAME,
        title="Fuhrmann & Sechser (2014), \"Signaling Alliance Commitments\"",
        citation="Fuhrmann, Matthew, and Todd S. Sechser. 2014. \"Signaling Alliance "
                 "Commitments: Hand-Tying and Sunk Costs in Extended Nuclear Deterrence.\" "
                 "American Journal of Political Science 58(4): 919-935.",
        data=DATA,
        panels=panels(cow, td),
        models=models(cow, bool(td)),
        claims=(CLAIM_PACT, CLAIM_DEPLOYMENT) if td else (CLAIM_PACT,),
        effect=EFFECT,
        notes=notes(cow, td),
    )


def __getattr__(name: str):
    # STUDY depends on what the user supplied (COW file, target-year data): built when asked for
    if name == "STUDY":
        return build_study()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
