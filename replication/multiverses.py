"""The studies' grids of defensible choices (``foedus multiverse <name>``).

Each grid starts from the study's own design (its first level of every choice) and lists the
alternatives the deterrence debate has argued over (Leeds 2003; Johnson & Leeds 2011; Kenwick,
Vasquez & Powers 2015; Leeds & Johnson 2017): the dispute data and its release, who counts as the
initiator, what happens to years of ongoing disputes, which dispute represents a dyad-year with
several, the sample and period, the alliance-coding rules, the estimator and the standard errors.
"""
from __future__ import annotations

from collections.abc import Callable

from foedus.data.disputes import DEFAULT_TIEBREAK
from foedus.data.sample import KEEP_UNLESS_ONGOING
from foedus.replication.multiverse import Choice, Level, Multiverse


def estimator_choice() -> Choice:
    return Choice("model", "Estimator", (
        Level("probit", estimator="probit", note="Johnson & Leeds (2011), Table 1"),
        Level("logit", estimator="logit"),
        Level("rare-events logit", estimator="relogit", note="King & Zeng (2001)"),
        Level("Firth logit", estimator="firth", note="Firth (1993)"),
        Level("LPM, dyad FE", estimator="lpm_fe", fit_kwds={"time_effects": False},
              note="linear probability model with directed-dyad fixed effects (foedus.models."
                   "lpm_fe; year effects off, as this grid was first declared, when the two-way "
                   "fit took minutes per fit; lpm_fe(time_effects=True) now takes seconds)"),
    ))


def covariance_choice() -> Choice:
    return Choice("vcov", "Standard errors", (
        Level("classical", cov_type="classical", note="Johnson & Leeds (2011), Table 1"),
        Level("dyad cluster", cov_type="cluster", note="clustered by directed dyad"),
        Level("dyadic-robust", cov_type="dyadic", note="Aronow, Samii & Assenova (2015)"),
    ))


def johnson_leeds_2011() -> Multiverse:
    """Johnson & Leeds (2011), Table 1, on the current releases (MID 5.0, ATOP 5.1, Polity 5).

    Baseline: the study's ``mid50`` panel and Table 1's probit, ptargdef coded from public
    alliances only (borrowed from the sibling panel with secret alliances excluded).
    """
    from foedus.replication import johnson_leeds_2011 as jl

    alternative_tiebreak = ("initiated", *(r for r in DEFAULT_TIEBREAK if r != "initiated"))
    choices = (
        Choice("mid", "Dispute data", (
            Level("COW MID 5.0"),
            Level("COW MID 4.3", spec={"disputes.version": "4.3"}),
            Level("COW MID 3.10", spec={"disputes.version": "3.10"}),
            Level("GML MID 2.2.1", spec={"disputes.source": "gml", "disputes.version": "2.2.1"},
                  note="Gibler, Miller & Little (2016) corrections, via peacesciencer"),
        )),
        Choice("initiation", "Initiator", (
            Level("originators", note="Johnson & Leeds (2011)"),
            Level("side A, joiners included",
                  spec={"disputes.initiation": "sidea", "disputes.joiners": True}),
            Level("revisionist state", spec={"disputes.initiation": "revisionist"}),
        )),
        Choice("ongoing", "Ongoing-dispute years", (
            Level("kept"),
            Level("dropped", rows=KEEP_UNLESS_ONGOING, spec={"disputes.ongoing": "drop"},
                  note="as foedus.data.sample.drop_ongoing: NA (outside coverage) kept"),
        )),
        Choice("tiebreak", "Dispute chosen in a dyad-year with several", (
            Level("onset first (default)"),
            Level("initiated first", spec={"disputes.tiebreak": alternative_tiebreak},
                  note="changes the selected dispute's attributes, not the onset indicator"),
        )),
        Choice("sample", "Sample", (
            Level("all dyads", note="Johnson & Leeds (2011)"),
            Level("politically relevant", rows="prd == 1",
                  spec={"sample.politically_relevant": True},
                  note="as foedus.data.sample.keep_politically_relevant"),
        )),
        Choice("period", "Period", (
            Level("1816-2000"),
            Level("1816-1944", rows="year <= 1944"),
            Level("1945-2000", rows="year >= 1945"),
        )),
        Choice("secret", "Secret alliances", (
            Level("excluded from ptargdef", note="Johnson & Leeds (2011), Table 1"),
            Level("included", borrow=(), note="J&L's robustness check 'Including Secret Alliances'"),
            Level("excluded everywhere", spec={"alliances.secret": "exclude"}, borrow=()),
        )),
        Choice("adversary", "Adversary-specific conditions", (
            Level("applied", note="Leeds (2003)"),
            Level("ignored", spec={"alliances.adversary_conditions": False}),
        )),
        Choice("intra", "Challengers allied with the target's defender", (
            Level("not counted"),
            Level("counted", spec={"alliances.intra_alliance": True}),
        )),
        Choice("wartime", "Alliances formed in wartime", (
            Level("included", note="Leeds (2003); Johnson & Leeds (2011)"),
            Level("excluded", spec={"alliances.wartime": "exclude"},
                  note="ATOP member-level wartime = 1 ignored in every alliance variable"),
        )),
        estimator_choice(),
        covariance_choice(),
    )
    return Multiverse(
        name="johnson_leeds_2011",
        title="Johnson & Leeds (2011): defense pacts and dispute initiation",
        base=jl.base_spec("mid50"),
        formula=jl.FORMULA,
        variable="ptargdef",
        expected="negative",
        claim="a target's defense pacts deter initiation: significant negative ptargdef "
              "(Johnson & Leeds 2011, abstract)",
        choices=choices,
        borrow=(("ptargdef", {"alliances.secret": "exclude"}),),
        estimator="probit",
        cov_type="classical",
        depth=1,
        notes=(
            "Baseline: Johnson & Leeds (2011) Table 1 design on MID 5.0, ATOP 5.1, Polity 5 "
            "(foedus.replication.johnson_leeds_2011, data version 'mid50').",
            "depth = 1: one data choice departs from the baseline at a time; every data "
            "combination is crossed with every estimator and covariance.",
            "Effects are compared as average marginal effects on Pr(dispute) (logit, probit and "
            "LPM coefficients are on different scales).",
            "GML MID 2.2.1 codes no revisionist state: that combination cannot be built at depth >= 2.",
        ),
    )


#: Multiverse name -> function declaring it.
MULTIVERSES: dict[str, Callable[[], Multiverse]] = {
    "johnson_leeds_2011": johnson_leeds_2011,
}


def multiverse_names() -> list[str]:
    """Names of the studies with a declared grid."""
    return list(MULTIVERSES)


def get_multiverse(name: str) -> Multiverse:
    """The declared :class:`~foedus.replication.multiverse.Multiverse` of study ``name``.

    Examples
    --------
    >>> mv = get_multiverse("johnson_leeds_2011")
    >>> len(mv.specifications())      # depth 1: one data choice off its baseline at a time
    225
    """
    try:
        return MULTIVERSES[name]()
    except KeyError:
        raise KeyError(f"no multiverse for {name!r}; known: {', '.join(MULTIVERSES)}") from None
