"""Short labels of panel columns and the value labels of coded columns.

Used where a panel leaves Python: Stata variable and value labels (``foedus panel -o x.dta``),
the data dictionary of an exported panel's sidecar. A label says what the column is in at most 80
characters (Stata's limit); the coding rules are on the documentation's panel pages. Columns a
study adds through the spec get a generic label naming the step that made them.
"""
from __future__ import annotations

#: Column -> label (A: state 1, the challenger of a directed dyad; B: state 2, the target).
LABELS: dict[str, str] = {
    "ccode1": "COW state code of A (challenger)",
    "ccode2": "COW state code of B (target)",
    "year": "Year",
    "ddyad": "Directed dyad id: ccode1 * 1000 + ccode2",
    "dyad": "Non-directed dyad id: min * 1000 + max of the two codes",
    "defense": "ATOP: A promised B defense this year",
    "defense_rev": "ATOP: B promised A defense this year",
    "offense": "ATOP: A promised B offensive support",
    "offense_rev": "ATOP: B promised A offensive support",
    "neutral": "ATOP: A promised B neutrality",
    "neutral_rev": "ATOP: B promised A neutrality",
    "nonagg": "ATOP: A promised B non-aggression",
    "nonagg_rev": "ATOP: B promised A non-aggression",
    "consul": "ATOP: A promised B consultation",
    "consul_rev": "ATOP: B promised A consultation",
    "defense_ally": "A and B share a defense pact (either direction)",
    "atopids": "ATOP ids of the alliances A and B share, ';'-separated",
    "n_targdef": "Third parties with a defense promise to B applicable against A",
    "ptargdef": "B has a third-party defense promise applicable against A",
    "n_chalally": "Third parties with a defense promise to A applicable against B",
    "pchalally": "A has a third-party defense promise applicable against B",
    "n_chaloff": "Third parties with an offense promise to A applicable against B",
    "pchaloff": "A has a third-party offense promise applicable against B",
    "n_chalneu": "Third parties with a neutrality promise to A applicable against B",
    "pchalneu": "A has a third-party neutrality promise applicable against B",
    "onset": "A MID between A and B begins this year",
    "ongoing": "A MID between A and B continues from an earlier year",
    "dispute": "A initiates a MID against B this year (the spec's initiation rule)",
    "n_disputes": "Number of MIDs between A and B active this year",
    "dispnum": "MID number of the dispute the tiebreak rule chose",
    "hostlev": "Highest hostility level of the dyad in the chosen MID",
    "fatality": "Fatality level of the dyad in the chosen MID",
    "hiact": "Highest action of the dyad in the chosen MID",
    "orig1": "A is an originator of the chosen MID",
    "orig2": "B is an originator of the chosen MID",
    "sidea1": "A is on side A of the chosen MID",
    "sidea2": "B is on side A of the chosen MID",
    "revstate1": "A is a revisionist state in the chosen MID",
    "revstate2": "B is a revisionist state in the chosen MID",
    "cinc1": "CINC score of A (NMC)",
    "cinc2": "CINC score of B (NMC)",
    "capratio": "Capability ratio: stronger CINC / weaker CINC",
    "ln_capratio": "Log of the capability ratio",
    "capprop": "Capability proportion: stronger CINC / (CINC of A + CINC of B)",
    "conttype": "COW direct contiguity type (0 none, 1 land, 2-5 water)",
    "contig_land": "Contiguous by land or river",
    "contig_400": "Contiguous by land or up to 400 miles of water",
    "distance": "Distance between capitals (km)",
    "ln_distance": "Log of the distance between capitals",
    "mindist": "Minimum distance between the two states (km)",
    "polity2_1": "Polity2 score of A",
    "polity2_2": "Polity2 score of B",
    "dem1": "A is a democracy (the spec's threshold)",
    "dem2": "B is a democracy (the spec's threshold)",
    "jdem": "Both A and B are democracies",
    "polity2_min": "Lower Polity2 score of the dyad (weak link)",
    "major1": "A is a COW major power",
    "major2": "B is a COW major power",
    "prd": "Politically relevant dyad (contiguous or a major power)",
    "s_un_glo": "S-score (unweighted, global)",
    "gwcode1": "Gleditsch-Ward state code of A",
    "gwcode2": "Gleditsch-Ward state code of B",
    "cowsys1": "A's COW counterpart is a COW system member this year",
    "cowsys2": "B's COW counterpart is a COW system member this year",
    "ally": "A and B share an ATOP alliance (any obligation) this year",
    "both_major": "Both A and B are COW major powers",
    "one_major": "Exactly one of A and B is a COW major power",
    "peaceyrs": "Years since the last MID onset of the dyad",
    "peaceyrs2": "Peace years squared",
    "peaceyrs3": "Peace years cubed",
}

#: Column -> {code: label} for coded columns (Stata value labels).
VALUE_LABELS: dict[str, dict[int, str]] = {
    "conttype": {0: "not contiguous", 1: "land or river", 2: "water, 12 miles",
                 3: "water, 24 miles", 4: "water, 150 miles", 5: "water, 400 miles"},
    "hostlev": {1: "no militarized action", 2: "threat to use force", 3: "display of force",
                4: "use of force", 5: "war"},
    "fatality": {0: "none", 1: "1-25 deaths", 2: "26-100", 3: "101-250", 4: "251-500",
                 5: "501-999", 6: "more than 999", -9: "missing"},
}


def label(column: str) -> str:
    """The label of a column, or a generic one for a column without an entry."""
    return LABELS.get(column, f"{column} (see the panel's spec and the foedus documentation)")[:80]


__all__ = ["LABELS", "VALUE_LABELS", "label"]
