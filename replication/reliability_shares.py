"""Shares of alliance commitments honored in war, by Berkemeier & Fuhrmann's (2018) rules.

The unit is the authors' performance opportunity (alliance x war,
:func:`foedus.data.opportunities.berkemeier_fuhrmann_opportunities`). Their codebook
(``Codebook2018_0326.pdf``) defines, once for each coding (``LLM``: Leeds, Long & Mitchell's 2000
procedures; ``BF``: the authors' alternative scheme):

- ``dna``: not a case of alliance performance (non-aggression pact whose members did not fight
  each other, consultation pact, or casus foederis not met); excluded from the analysis;
- ``honor`` / ``violate``: every other opportunity is one of the two.

So the share honored of a group is ``honor.sum() / (~dna).sum()`` over its rows (the *relevant
opportunities*), which equals ``honor / (honor + violate)``. Groups by obligation overlap: an
alliance with defense and offense obligations counts under both (the authors' ``defense`` ...
``consul`` are the alliance's ATOP obligations).

Multilateral variants (codebook): ``sabhon`` = at least one member honors and no member fights an
ally (coded for multilateral alliances); ``sabroskyhonor`` = ``honor`` or ``sabhon``, the lenient
standard, whose share is taken over the same relevant opportunities (``dna`` false).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from foedus.data.readers.alliance_reliability import CODINGS

#: The two period rules (columns of the opportunities frame), default first.
PERIODS = {"sample": "pre1945_sample", "war": "pre1945_war"}
OBLIGATION_LABELS = {"defense": "Defense", "offense": "Offense", "neutral": "Neutrality",
                     "nonagg": "Non-aggression", "consul": "Consultation"}


def _counts(frame: pd.DataFrame, mask: pd.Series, coding: str, honor: str = "honor") -> dict:
    rel = mask & ~frame[f"dna{coding}"]
    n = int(rel.sum())
    h = int((rel & frame[f"{honor}{coding}"]).sum())
    # not honored = violated: honor and violate partition the relevant opportunities (checked
    # by the reader); under the lenient standard "violated" is "not honored by any member".
    return {"opportunities": n, "honored": h, "violated": n - h, "share honored": h / n if n else np.nan}


def _table(frame: pd.DataFrame, groups: dict, honor: str = "honor") -> pd.DataFrame:
    rows = {}
    for label, mask in groups.items():
        row = {}
        for coding in CODINGS:
            for k, v in _counts(frame, mask, coding, honor).items():
                row[f"{coding}: {k}"] = v
        rows[label] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "opportunities"
    return out


def period_groups(frame: pd.DataFrame) -> dict:
    """All, and 1816-1944 / 1945-2003 under each period rule (default first)."""
    every = pd.Series(True, index=frame.index)
    groups = {"All, 1816-2003": every}
    for rule, column in PERIODS.items():
        pre = frame[column].astype(bool)
        what = "authors' sample flag" if rule == "sample" else "war's start year"
        groups[f"1816-1944 ({what})"] = pre
        groups[f"1945-2003 ({what})"] = ~pre
    return groups


def obligation_groups(frame: pd.DataFrame) -> dict:
    """One group per obligation, then defense pacts by period (authors' sample flag)."""
    groups = {label: frame[col].eq(1) for col, label in OBLIGATION_LABELS.items()}
    pre = frame[PERIODS["sample"]].astype(bool)
    groups["Defense, 1816-1944 (authors' sample flag)"] = frame["defense"].eq(1) & pre
    groups["Defense, 1945-2003 (authors' sample flag)"] = frame["defense"].eq(1) & ~pre
    return groups


def shares_by_period(frame: pd.DataFrame) -> pd.DataFrame:
    """Opportunities, honored, violated and share honored, overall and by period, both codings."""
    return _table(frame, period_groups(frame))


def shares_by_obligation(frame: pd.DataFrame) -> pd.DataFrame:
    """The same by obligation type (groups overlap) and for defense pacts by period."""
    return _table(frame, obligation_groups(frame))


def shares_multilateral(frame: pd.DataFrame) -> pd.DataFrame:
    """Bilateral vs multilateral, and the lenient (Sabrosky) standard for multilateral alliances."""
    multi = frame["multilateral"].eq(1)
    strict = _table(frame, {"Bilateral": ~multi, "Multilateral (honor)": multi})
    lenient = _table(frame, {"Multilateral (sabroskyhonor)": multi,
                             "All, 1816-2003 (sabroskyhonor)": pd.Series(True, index=frame.index)},
                     honor="sabroskyhonor")
    return pd.concat([strict, lenient])


def falls_after_1945(frame: pd.DataFrame, coding: str = "LLM", rule: str = "sample") -> dict:
    """Shares before and after 1945, their difference and Fisher's exact test (two-sided)."""
    pre = frame[PERIODS[rule]].astype(bool)
    every = pd.Series(True, index=frame.index)
    a = _counts(frame, every & pre, coding)
    b = _counts(frame, every & ~pre, coding)
    table = [[a["honored"], a["opportunities"] - a["honored"]], [b["honored"], b["opportunities"] - b["honored"]]]
    p = float(stats.fisher_exact(table)[1])
    return {"pre": a, "post": b, "drop": a["share honored"] - b["share honored"], "p": p}


# --------------------------------------------------------------------------- the automated set


def automated_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Shares honored of our automated opportunities (:class:`foedus.data.alliance_war.AllianceWarSpec`)
    under the strict and the lenient rule, overall, by period of the reference date and by obligation."""
    pre = frame["reference_date"].dt.year < 1945
    every = pd.Series(True, index=frame.index)
    groups = {"All": every, "1816-1944 (reference date)": pre, "1945-2003 (reference date)": ~pre,
              "Active (defense or offense)": frame["obligation"].eq("active"),
              "Neutrality or non-aggression only": frame["obligation"].eq("neutrality"),
              "Active, 1816-1944": frame["obligation"].eq("active") & pre,
              "Active, 1945-2003": frame["obligation"].eq("active") & ~pre}
    rows = {}
    for label, mask in groups.items():
        rel = mask & frame["relevant"]
        n = int(rel.sum())
        row = {"candidate opportunities": int(mask.sum()), "relevant": n}
        for rule in ("strict", "lenient"):
            h = int((rel & frame[f"honored_{rule}"]).sum())
            row[f"{rule}: honored"] = h
            row[f"{rule}: share honored"] = h / n if n else np.nan
        rows[label] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "opportunities"
    return out


def agreement(frame: pd.DataFrame) -> pd.DataFrame:
    """Opportunity-by-opportunity agreement of the automated set with Berkemeier & Fuhrmann's
    (:class:`foedus.data.alliance_war.HandCodedComparison`), their LLM coding."""
    src = frame["source"]
    ours = src.isin(["both", "only ours"])
    theirs = ~src.eq("only ours")
    both = src.eq("both")
    their_rel = both & frame["dnaLLM"].eq(False)
    our_rel = both & frame["ours_relevant"].eq(True)
    rel = their_rel & our_rel
    their_h = frame["honorLLM"].eq(True)
    rows = [
        ("Opportunities, ours (ATOP x COW)", ours.sum(), np.nan),
        ("Opportunities, theirs", theirs.sum(), np.nan),
        ("Matched (same ATOP id and COW war)", both.sum(), ours.sum()),
        ("Only ours", src.eq("only ours").sum(), ours.sum()),
        ("Only theirs (COW war number known)", src.eq("only theirs").sum(), theirs.sum()),
        ("Theirs, war not in COW (IWD only)", src.eq("theirs, no COW war number").sum(), theirs.sum()),
        ("Matched, relevant in both", rel.sum(), both.sum()),
        ("Matched, theirs not a case (dna) but ours relevant", (both & ~their_rel & our_rel).sum(), both.sum()),
        ("Matched, theirs relevant but ours consultation only", (their_rel & ~our_rel).sum(), both.sum()),
    ]
    for rule in ("strict", "lenient"):
        agree = rel & (frame[f"ours_honored_{rule}"].eq(True) == their_h)
        rows.append((f"Relevant in both: agree on honored ({rule} rule)", agree.sum(), rel.sum()))
        rows.append((f"Relevant in both: honored by ours ({rule} rule)", (rel & frame[f"ours_honored_{rule}"].eq(True)).sum(),
                     rel.sum()))
    rows.append(("Relevant in both: honored by theirs (LLM)", (rel & their_h).sum(), rel.sum()))
    only_ours, only_theirs = src.eq("only ours"), src.eq("only theirs")
    if "war_in_theirs" in frame:
        rows.append(("Only ours, in a war they coded (for other alliances)", (only_ours & frame["war_in_theirs"]).sum(),
                     only_ours.sum()))
    if "why_not_ours" in frame:
        for why in ("alliance not in our ATOP release", "no member of the alliance in the COW war",
                    "no member fought as a member", "fewer than two members in force at the reference date"):
            rows.append((f"Only theirs: {why}", (only_theirs & frame["why_not_ours"].eq(why)).sum(), only_theirs.sum()))
    out = pd.DataFrame(rows, columns=["comparison", "count", "of"]).set_index("comparison")
    out["count"] = out["count"].astype(int)
    out["share"] = out["count"] / out["of"]
    return out


__all__ = ["PERIODS", "agreement", "automated_shares", "falls_after_1945", "obligation_groups", "period_groups", "shares_by_obligation",
           "shares_by_period", "shares_multilateral"]
