"""Berkemeier & Fuhrmann (2018), "Reassessing the Fulfillment of Alliance Commitments in War",
Research & Politics 5(2).

A descriptive study: the shares of relevant performance opportunities (alliance x war) in which
the alliance commitment was honored, on the authors' 576 opportunities of 1816-2003, with their
own rules (:mod:`foedus.replication.reliability_shares`, from their codebook). Both codings are
shown side by side: ``LLM`` (their replication of Leeds, Long & Mitchell's 2000 procedures, the
primary one) and ``BF`` (their alternative scheme).

Claims: Leeds, Long & Mitchell (2000) and Leeds (2003, IO) report that commitments were honored
about three quarters of the time in 1816-1944; Berkemeier & Fuhrmann's abstract reports 50 %
overall, 66 % before 1945, 22 % in 1945-2003, 41 % for defense pacts, 37 % for non-aggression
pacts, 74 % for offensive alliances and 78 % for neutrality agreements, and that reliability fell
sharply after 1945. Each claim's rule is stated in :data:`SUMMARIES` and was fixed from the
wording of the claim, not from the tables.
"""
from __future__ import annotations

from scipy import stats

from foedus.data.alliance_war import AllianceWarSpec, HandCodedComparison
from foedus.data.opportunities import BerkemeierFuhrmannRows
from foedus.replication.reliability_shares import (agreement, automated_shares, shares_by_obligation,
                                                   shares_by_period, shares_multilateral)
from foedus.replication.study import DataVersion, Study, Summary, SummaryClaim

NAME = "berkemeier_fuhrmann_2018"
DATA = (DataVersion("authors", "Authors' data (576 opportunities)",
                    "BerkemeierFuhrmannRAP2018_0303.dta; codebook Codebook2018_0326.pdf"),)
PRE = "1816-1944 (authors' sample flag)"
POST = "1945-2003 (authors' sample flag)"

#: "About three quarters": three quarters is the nearest of the simple fractions 2/3, 3/4, 4/5,
#: i.e. the share lies between the midpoints (2/3 + 3/4) / 2 and (3/4 + 4/5) / 2.
THREE_QUARTERS = ((2 / 3 + 3 / 4) / 2, (3 / 4 + 4 / 5) / 2)
#: "Fell sharply": the share after 1945 is at least 20 percentage points below the share before,
#: and Fisher's exact test rejects equal shares at the 5 % level (two-sided).
SHARP_DROP, ALPHA = 0.20, 0.05
#: Berkemeier & Fuhrmann's abstract, in percent (row of the table -> published share).
ABSTRACT_PERIODS = {"All, 1816-2003": 50, PRE: 66, POST: 22}
ABSTRACT_OBLIGATIONS = {"Defense": 41, "Non-aggression": 37, "Offense": 74, "Neutrality": 78}


def _share(table, row, coding="LLM"):
    return float(table.loc[row, f"{coding}: share honored"])


def _three_quarters(table):
    lo, hi = THREE_QUARTERS
    s = _share(table, PRE)
    n, h = int(table.loc[PRE, "LLM: opportunities"]), int(table.loc[PRE, "LLM: honored"])
    return lo <= s <= hi, (f"LLM coding, 1816-1944: {h} of {n} honored = {100 * s:.1f} % "
                           f"(band {100 * lo:.1f}-{100 * hi:.1f} %); BF coding {100 * _share(table, PRE, 'BF'):.1f} %")


def _sharp_drop(table):
    parts, ok = [], True
    for coding in ("LLM", "BF"):
        n = [int(table.loc[r, f"{coding}: opportunities"]) for r in (PRE, POST)]
        h = [int(table.loc[r, f"{coding}: honored"]) for r in (PRE, POST)]
        p = float(stats.fisher_exact([[h[0], n[0] - h[0]], [h[1], n[1] - h[1]]])[1])
        drop = h[0] / n[0] - h[1] / n[1]
        ok &= drop >= SHARP_DROP and p < ALPHA
        parts.append(f"{coding}: {100 * h[0] / n[0]:.1f} % -> {100 * h[1] / n[1]:.1f} % "
                     f"(drop {100 * drop:.1f} points, Fisher p = {p:.1g})")
    return ok, "; ".join(parts)


def _matches_abstract(published):
    def check(table):
        got = {row: 100 * _share(table, row) for row in published}
        ok = all(round(got[r]) == v for r, v in published.items())
        return ok, "; ".join(f"{r}: {got[r]:.1f} % (published {v} %)" for r, v in published.items())
    return check


SOURCE_BF = "Berkemeier & Fuhrmann (2018), abstract"
SUMMARIES = (
    Summary(
        "shares_by_period", "Share of relevant opportunities honored, overall and by period", "rows",
        shares_by_period,
        claims=(
            SummaryClaim("Alliance commitments are honored about three quarters of the time in 1816-1944",
                         "Leeds, Long & Mitchell (2000); Leeds (2003, IO), abstract", _three_quarters,
                         rule="LLM coding, the authors' 1816-1944 rows: the share lies between "
                              f"{100 * THREE_QUARTERS[0]:.1f} % and {100 * THREE_QUARTERS[1]:.1f} % "
                              "(three quarters is the nearest of 2/3, 3/4, 4/5)."),
            SummaryClaim("Reliability fell sharply after 1945 (66 % before, 22 % in 1945-2003)", SOURCE_BF,
                         _sharp_drop,
                         rule=f"in both codings the share after 1945 is at least {100 * SHARP_DROP:.0f} "
                              f"points lower and Fisher's exact test gives p < {ALPHA}."),
            SummaryClaim("Commitments honored 50 % of the time overall, 66 % before 1945, 22 % from 1945 "
                         "to 2003", SOURCE_BF, _matches_abstract(ABSTRACT_PERIODS),
                         rule="LLM coding, authors' sample flag: each share rounds to the published "
                              "percent."),
        ),
        note="Relevant opportunities: dna = 0 (the codebook: non-aggression pacts whose members did "
             "not fight each other, consultation pacts and cases where the casus foederis was not met "
             "are excluded); share honored = honor / relevant. LLM = the authors' replication of Leeds, "
             "Long & Mitchell's procedures; BF = their alternative coding. Period rules: the authors' "
             "`sample` flag (1 = inside LLM's 1816-1944 coverage; World War II opportunities of "
             "alliances formed in 1945 count after 1945) and, as the alternative, the year the war "
             "began (COW v4.0 start year)."),
    Summary(
        "shares_by_obligation", "Share honored by obligation type, and defense pacts by period", "rows",
        shares_by_obligation,
        claims=(SummaryClaim("Defense pacts honored 41 %, non-aggression pacts 37 %, offensive alliances "
                             "74 %, neutrality agreements 78 %", SOURCE_BF,
                             _matches_abstract(ABSTRACT_OBLIGATIONS),
                             rule="LLM coding: each share rounds to the published percent."),),
        note="An opportunity counts under every obligation its alliance has (ATOP defense, offense, "
             "neutral, nonagg, consul as in the authors' file), so the rows overlap."),
    Summary(
        "shares_multilateral", "Bilateral and multilateral alliances; the lenient (Sabrosky) standard",
        "rows", shares_multilateral,
        note="sabroskyhonor (codebook): honor, or for a multilateral alliance sabhon = at least one member "
             "honors and none fights an ally; share over the same relevant opportunities (dna = 0). "
             "'violated' in the sabroskyhonor rows = relevant and not honored under that standard."),
    Summary(
        "automated_shares", "Built by foedus: candidate opportunities from ATOP 5.1 x COW inter-state wars "
        "v4.0 and shares honored under automated rules", "automated", automated_shares,
        note="Ours, not the authors': an opportunity is an ATOP alliance with at least two members in "
             "force when its first member entered a COW inter-state war. Whether the casus foederis was "
             "met (the adversary, the region, who attacked) is judged by hand in the authors' data and "
             "cannot be automated: every candidate with an active or neutrality obligation counts here. "
             "Strict: active obligation honored when every member in force fought and none against "
             "another; lenient: at least two members fought, none against another; neutrality or "
             "non-aggression honored when no member fought against another; consultation-only pacts "
             "excluded (foedus.data.alliance_war)."),
    *(Summary(f"automated_shares_{rule}", f"Alternative: automated shares, in force {label}", f"automated_{rule}",
              automated_shares, note=f"As the table above, with alliances and members in force {label}.")
      for rule, label in (("war_start", "at the war's start"),
                          ("during_war", "on the first day a member was both at war and in the alliance"))),
    Summary(
        "agreement", "Automated vs hand-coded opportunities, matched on ATOP id and COW war number",
        "comparison", agreement,
        note="Their rows: Berkemeier & Fuhrmann's 576 (ATOP 3.0 ids, COW war numbers from their "
             "cowwarid; 38 rows of IWD wars without a COW number cannot be matched); ours: the automated "
             "set above (ATOP 5.1 ids). Relevant in both: their LLM dna = 0 and ours not consultation "
             "only; agreement compares their honorLLM with our strict and lenient rules."),
    Summary(
        "agreement_war_start", "Alternative: alliances in force at the war's start (automated vs hand-coded)",
        "comparison_war_start", agreement,
        note="As the previous table, with the alternative 'in force' rule: the alliance and its members "
             "in force on the war's first day of combat (alliances formed during the war drop out)."),
    Summary(
        "agreement_during_war", "Alternative: alliances formed during the war count (automated vs hand-coded)",
        "comparison_during_war", agreement,
        note="As the default table, with the second alternative 'in force' rule: the first day on which "
             "a member was both at war and in the alliance (wartime alliances, e.g. of World War II, "
             "become opportunities)."),
)

NOTES = (
    "Unit: the authors' performance opportunities (one row per alliance invoked by a war, ATOP 3.0 "
    "ids, Interstate War Data 1.1 war numbers), used as published: no row added or removed.",
    "Rules from the codebook (Codebook2018_0326.pdf): dna excludes an opportunity; honor and violate "
    "partition the rest (checked by the reader for both codings).",
    "Ours entirely: the automated opportunities (ATOP 5.1 x COW inter-state wars 4.0; 'in force' at "
    "the first member's entry into the war, alternatives: the war's start, or the first day a "
    "member was both at war and in the alliance, see "
    "foedus.data.alliance_war) and their comparison with the authors' rows.",
    "Ours: the two period rules (the `sample` flag is not described in the codebook; its reading as "
    "LLM's coverage is ours, checked against the rows: every sample = 1 row has a war begun before "
    "1945); the thresholds of the claims' rules.",
)

STUDY = Study(
    name=NAME,
    title="Berkemeier & Fuhrmann (2018), \"Reassessing the Fulfillment of Alliance Commitments in War\"",
    citation="Berkemeier, Molly, and Matthew Fuhrmann. 2018. \"Reassessing the Fulfillment of Alliance "
             "Commitments in War.\" Research & Politics 5(2).",
    data=DATA,
    panels={("authors", "rows"): BerkemeierFuhrmannRows(), ("authors", "automated"): AllianceWarSpec(),
            ("authors", "automated_war_start"): AllianceWarSpec(in_force_at="war_start"),
            ("authors", "automated_during_war"): AllianceWarSpec(in_force_at="during_war"),
            ("authors", "comparison"): HandCodedComparison(),
            ("authors", "comparison_war_start"): HandCodedComparison(in_force_at="war_start"),
            ("authors", "comparison_during_war"): HandCodedComparison(in_force_at="during_war")},
    models=(),
    claims=(),
    summaries=SUMMARIES,
    notes=NOTES,
)
