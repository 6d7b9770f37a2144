"""Alliance x war performance opportunities built from ATOP and the COW inter-state war participants.

The hand-coded data of Leeds, Long & Mitchell (2000) and Berkemeier & Fuhrmann (2018) decide, case
by case, whether a war invoked an alliance: whether the casus foederis was met (the adversary, the
region, who attacked whom, the treaty's conditions). **Those judgments cannot be automated.**
What can be automated, and is built here, is the set of *candidate* opportunities and what the
allies did:

Opportunity
    An ATOP alliance (``atopid``) and a COW inter-state war (``WarNum``) such that at least one
    member of the alliance took part in the war while a member, and the alliance then had at least
    two members. *In force* is judged at one reference date per alliance and war
    (``in_force_at``):

    - ``"member_entry"`` (default): the date the first of the alliance's members entered the war
      (the earliest ``start`` of its COW records) — the moment the alliance could first be
      invoked;
    - ``"war_start"``: the war's first day of combat (earliest ``start`` of any participant);
    - ``"during_war"``: the first day on which a member was both at war and in the alliance (an
      alliance formed during the war, e.g. the Anglo-Soviet treaty of 1942, counts; under the
      other two rules it does not).

    A member is in force when one of its ATOP membership spells covers the reference date
    (``start <= date <= end``; ``end`` NaT = still a member at the end of ATOP's coverage). A
    state that joined the war while the alliance was in force but is no longer a member at the
    reference date does not count.
Member behaviour (``level="member"``, one row per alliance, war and member in force)
    ``fought``: the member has a record in the war; ``sides``: the sides of its records (1, 2 or
    both for a state that changed sides); ``with_ally``: it fought on a side shared by another
    member in force; ``against_ally``: it fought on the side opposite to another member in force
    (records of the whole war, not overlapping dates); ``stayed_out``: not ``fought``.
Pairs (``level="pair"``, one row per ordered pair of members in force)
    Who fought with or against whom (:func:`member_pairs`).
Alliance-war summary (``level="alliance_war"``, the default; key ``atopid``, ``WarNum``)
    ``n_members``, ``n_fought``, ``n_stayed_out``, ``any_against`` (two members on opposite sides),
    the alliance's ATOP obligations (``defense`` ... ``consul``, alliance level) and
    ``obligation``: the strongest one, ``"active"`` (defense or offense) >
    ``"neutrality"`` (neutrality or non-aggression) > ``"consultation"``.
Automated honoring rules (documented; not the hand-coded ones)
    ``relevant``: obligation is not consultation only (consultation pacts are excluded, as in the
    hand-coded data); ``honored_strict``: active — every member in force fought and none against
    another; neutrality — no member fought against another; ``honored_lenient``: active — at least
    two members fought and none against another (Sabrosky's standard); neutrality — as strict.

Every step is a vectorised merge over (alliance, member, war) rows; nothing is looped per row.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from foedus.data.opportunities import berkemeier_fuhrmann_opportunities
from foedus.data.readers.atop import read_atop_alliances, read_atop_members
from foedus.data.readers.cow_war import read_cow_interstate_war
from foedus.data.options import documented, option
from foedus.data.units import UnitFrame, UnitSpec

IN_FORCE_AT = ("member_entry", "war_start", "during_war")
LEVELS = ("alliance_war", "member", "pair")
OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")


def war_participation(wars: pd.DataFrame) -> pd.DataFrame:
    """One row per war and state: entry date (earliest record start) and the sides it fought on."""
    g = wars.groupby(["WarNum", "ccode"], sort=True)
    out = g.agg(entry=("start", "min"), exit=("end", "max"), side_min=("Side", "min"),
                side_max=("Side", "max")).reset_index()
    out["sides"] = np.where(out.side_min == out.side_max, out.side_min.astype(str), "1,2")
    return out


def _in_force(members: pd.DataFrame, dates: pd.DataFrame) -> pd.DataFrame:
    """Members (atopid, member) whose spell covers each (atopid, WarNum)'s reference ``date``."""
    spells = members[["atopid", "member", "start", "end"]]
    m = dates.merge(spells, on="atopid", how="inner")
    covers = (m["start"] <= m["date"]) & (m["end"].isna() | (m["date"] <= m["end"]))
    return m.loc[covers, ["atopid", "WarNum", "date", "member"]].drop_duplicates(["atopid", "WarNum", "member"])


def candidates(members: pd.DataFrame, part: pd.DataFrame, during: bool = False) -> pd.DataFrame:
    """(alliance, war, member, invoked) rows where a member took part in a war as a member of the
    alliance (``part`` from :func:`war_participation`).

    ``during=False``: the member was in the alliance when it entered the war (``invoked`` = its
    entry date); ``during=True``: its membership overlaps its participation, and ``invoked`` is the
    first day it was both at war and a member (an alliance formed during the war counts).
    """
    cand = part.merge(members[["atopid", "member", "start", "end"]], left_on="ccode", right_on="member")
    if during:
        keep = (cand["start"] <= cand["exit"]) & (cand["end"].isna() | (cand["entry"] <= cand["end"]))
        cand["invoked"] = cand[["entry", "start"]].max(axis=1)
    else:
        keep = (cand["start"] <= cand["entry"]) & (cand["end"].isna() | (cand["entry"] <= cand["end"]))
        cand["invoked"] = cand["entry"]
    return cand.loc[keep, ["atopid", "WarNum", "member", "invoked"]]


def member_behaviour(members: pd.DataFrame, wars: pd.DataFrame, in_force_at: str = "member_entry") -> pd.DataFrame:
    """Members in force of every alliance x war opportunity and what each did (module docstring)."""
    if in_force_at not in IN_FORCE_AT:
        raise ValueError(f"in_force_at={in_force_at!r} is not one of {IN_FORCE_AT}")
    part = war_participation(wars)
    cand = candidates(members, part, during=in_force_at == "during_war")
    if in_force_at in ("member_entry", "during_war"):
        dates = cand.groupby(["atopid", "WarNum"], as_index=False)["invoked"].min().rename(columns={"invoked": "date"})
    else:
        start = part.groupby("WarNum")["entry"].min().rename("date")
        dates = cand[["atopid", "WarNum"]].drop_duplicates().join(start, on="WarNum")
    held = _in_force(members, dates)
    out = held.merge(part[["WarNum", "ccode", "sides", "side_min", "side_max"]],
                     left_on=["WarNum", "member"], right_on=["WarNum", "ccode"], how="left").drop(columns="ccode")
    out["fought"] = out["sides"].notna()
    # Side counts of the fighting members per (alliance, war): a member is with (against) an ally
    # when another fighting member in force shares (opposes) one of its sides.
    on1 = out["fought"] & (out["side_min"] == 1)
    on2 = out["fought"] & (out["side_max"] == 2)
    key = ["atopid", "WarNum"]
    groups = [out[k] for k in key]
    n1 = on1.groupby(groups).transform("sum")
    n2 = on2.groupby(groups).transform("sum")
    out["with_ally"] = (on1 & (n1 - 1 >= 1)) | (on2 & (n2 - 1 >= 1))  # another member on my side
    out["against_ally"] = (on1 & (n2 - on2 >= 1)) | (on2 & (n1 - on1 >= 1))  # another on the other side
    out["stayed_out"] = ~out["fought"]
    out["sides"] = out["sides"].astype("string")
    out = out.drop(columns=["side_min", "side_max"]).rename(columns={"date": "reference_date"})
    n = out.groupby(key)["member"].transform("size")
    fought = out.groupby(key)["fought"].transform("sum")
    out = out[(n >= 2) & (fought >= 1)]
    return out.sort_values(key + ["member"]).reset_index(drop=True)


def member_pairs(behaviour: pd.DataFrame) -> pd.DataFrame:
    """Who fought with or against whom: one row per ordered pair of members in force of each
    opportunity (``member`` and ``ally``, both orders), from :func:`member_behaviour`.

    ``relation``: ``"same side"`` (they share a side), ``"opposite sides"`` (one fought on the side
    the other opposed; a state that changed sides can be both: then ``"both"``), ``"ally stayed
    out"`` (``member`` fought, ``ally`` did not), ``"member stayed out"``, ``"neither fought"``.
    """
    cols = ["atopid", "WarNum", "member", "fought", "sides"]
    left = behaviour[cols]
    pairs = left.merge(left, on=["atopid", "WarNum"], suffixes=("", "_ally"))
    pairs = pairs[pairs["member"] != pairs["member_ally"]].rename(columns={"member_ally": "ally"})
    on1 = pairs["sides"].isin(["1", "1,2"])
    on2 = pairs["sides"].isin(["2", "1,2"])
    a1 = pairs["sides_ally"].isin(["1", "1,2"])
    a2 = pairs["sides_ally"].isin(["2", "1,2"])
    same = (on1 & a1) | (on2 & a2)
    opposite = (on1 & a2) | (on2 & a1)
    f, fa = pairs["fought"], pairs["fought_ally"]
    relation = np.select(
        [same & opposite, same, opposite, f & ~fa, ~f & fa],
        ["both", "same side", "opposite sides", "ally stayed out", "member stayed out"], "neither fought")
    out = pairs[["atopid", "WarNum", "member", "ally"]].copy()
    out["relation"] = pd.Series(relation, index=pairs.index, dtype="string")
    return out.sort_values(["atopid", "WarNum", "member", "ally"]).reset_index(drop=True)


def alliance_war_summary(behaviour: pd.DataFrame, alliances: pd.DataFrame) -> pd.DataFrame:
    """One row per opportunity with counts, obligations and the automated honoring rules."""
    key = ["atopid", "WarNum"]
    g = behaviour.groupby(key, sort=True)
    out = g.agg(reference_date=("reference_date", "first"), n_members=("member", "size"),
                n_fought=("fought", "sum"), n_stayed_out=("stayed_out", "sum"),
                any_against=("against_ally", "any")).reset_index()
    out = out.merge(alliances[["atopid", *OBLIGATIONS]], on="atopid", how="left", validate="many_to_one")
    active = (out["defense"] == 1) | (out["offense"] == 1)
    neutral = (out["neutral"] == 1) | (out["nonagg"] == 1)
    out["obligation"] = pd.Series(np.select([active, neutral], ["active", "neutrality"], "consultation"),
                                  index=out.index, dtype="string")
    out["relevant"] = active | neutral
    no_fight = ~out["any_against"]
    out["honored_strict"] = out["relevant"] & np.where(active, (out["n_stayed_out"] == 0) & no_fight, no_fight)
    out["honored_lenient"] = out["relevant"] & np.where(active, (out["n_fought"] >= 2) & no_fight, no_fight)
    return out


_ATOP = "ATOP release (member and alliance files)"
_IN_FORCE_AT = "reference date at which an alliance and its members must be in force"


@documented
@dataclass(frozen=True)
class AllianceWarSpec(UnitSpec):
    """Alliance x war opportunities from ATOP and COW inter-state wars (rules in the module docstring)."""

    keys = ("atopid", "WarNum")
    title = "Alliance x war opportunities (ATOP x COW inter-state wars, built by foedus)"
    atop: str = option("5.1", _ATOP)
    cow_war: str = option("4.0", "COW inter-state war participants release")
    in_force_at: str = option("member_entry", _IN_FORCE_AT, IN_FORCE_AT)
    level: str = option(
        "alliance_war",
        "one row per alliance and war, one per alliance, war and member in force, or one per "
        "ordered pair of members in force (member_pairs: who fought with or against whom)", LEVELS)

    def __post_init__(self) -> None:
        if self.in_force_at not in IN_FORCE_AT:
            raise ValueError(f"AllianceWarSpec.in_force_at={self.in_force_at!r} is not one of {IN_FORCE_AT}")
        if self.level not in LEVELS:
            raise ValueError(f"AllianceWarSpec.level={self.level!r} is not one of {LEVELS}")
        if self.level in ("member", "pair"):
            keys = ("atopid", "WarNum", "member") + (("ally",) if self.level == "pair" else ())
            object.__setattr__(self, "keys", keys)

    def build(self, columns=None) -> UnitFrame:
        members = read_atop_members(self.atop)
        wars = read_cow_interstate_war(self.cow_war)
        behaviour = member_behaviour(members, wars, self.in_force_at)
        n_cand = candidates(members, war_participation(wars), during=self.in_force_at == "during_war")
        n_cand = n_cand[["atopid", "WarNum"]].drop_duplicates().shape[0]
        n_opp = behaviour[["atopid", "WarNum"]].drop_duplicates().shape[0]
        log = [{"step": "opportunities", "message": f"{n_cand} alliance x war pairs in which a member fought "
                f"while a member; {n_cand - n_opp} without two members in force and one fighting at the "
                f"reference date ({self.in_force_at}); {n_opp} opportunities, {len(behaviour)} members in force"}]
        if self.level == "member":
            return UnitFrame(behaviour, self, log=tuple(log))
        if self.level == "pair":
            return UnitFrame(member_pairs(behaviour), self, log=tuple(log))
        return UnitFrame(alliance_war_summary(behaviour, read_atop_alliances(self.atop)), self, log=tuple(log))


#: Sources of a row of the comparison with the hand-coded set.
SOURCES = ("both", "only ours", "only theirs", "theirs, no COW war number")


def _why_not_ours(rows: pd.DataFrame, members: pd.DataFrame, wars: pd.DataFrame, during: bool) -> pd.Series:
    """Why an (atopid, WarNum) of theirs is not among ours, the first reason that applies."""
    part = war_participation(wars)
    in_atop = rows["atopid"].isin(members["atopid"])
    fought = members[["atopid", "member"]].merge(part[["WarNum", "ccode"]], left_on="member", right_on="ccode")
    key = pd.MultiIndex.from_frame(rows[["atopid", "WarNum"]].astype("int64"))
    any_member = key.isin(pd.MultiIndex.from_frame(fought[["atopid", "WarNum"]].astype("int64")))
    cand = candidates(members, part, during=during)
    while_member = key.isin(pd.MultiIndex.from_frame(cand[["atopid", "WarNum"]].astype("int64")))
    reason = np.select([~in_atop, ~any_member, ~while_member],
                       ["alliance not in our ATOP release", "no member of the alliance in the COW war",
                        "no member fought as a member"],
                       "fewer than two members in force at the reference date")
    return pd.Series(reason, index=rows.index, dtype="string")


def compare_with_hand_coded(ours: pd.DataFrame, theirs: pd.DataFrame, members: pd.DataFrame | None = None,
                            wars: pd.DataFrame | None = None, in_force_at: str = "member_entry") -> pd.DataFrame:
    """Our opportunities beside Berkemeier & Fuhrmann's, matched on (ATOP id, COW war number).

    One row per opportunity of either set (key ``atopid``, ``WarNum``; their rows without a COW
    war number keep ``WarNum`` NA and their IWD ``warid``). ``source`` is one of :data:`SOURCES`;
    our columns are prefixed ``ours_``, theirs keep the authors' names (``dnaLLM``, ``honorLLM``
    ...). Their ids are ATOP 3.0 ids, ours ATOP 5.1: ids are matched as they are. Given the
    ATOP ``members`` and COW ``wars`` that built ``ours``, ``why_not_ours`` says for each
    "only theirs" row the first reason that applies (alliance not in our release; no member in
    the war; no member fought while a member; fewer than two members in force), and
    ``war_in_theirs`` marks "only ours" rows whose war they coded for some alliance.
    """
    mine = ours[["atopid", "WarNum", "n_members", "n_fought", "any_against", "obligation", "relevant",
                 "honored_strict", "honored_lenient"]].add_prefix("ours_")
    mine = mine.rename(columns={"ours_atopid": "atopid", "ours_WarNum": "WarNum"})
    cols = ["atopid", "warid", "cowwarid", "warname", "pre1945_sample", "multilateral",
            "dnaLLM", "honorLLM", "dnaBF", "honorBF", "sabroskyhonorLLM"]
    th = theirs[cols].rename(columns={"cowwarid": "WarNum"})
    known = th["WarNum"].notna()
    th_known = th[known].astype({"WarNum": "int16"})
    both = mine.merge(th_known, on=["atopid", "WarNum"], how="outer", indicator=True, validate="one_to_one")
    both["source"] = both["_merge"].map({"both": "both", "left_only": "only ours", "right_only": "only theirs"})
    no_cow = th[~known].assign(source="theirs, no COW war number")
    out = pd.concat([both.drop(columns="_merge"), no_cow], ignore_index=True)
    out["source"] = out["source"].astype("string")
    out["WarNum"] = out["WarNum"].astype("Int16")
    out["war_in_theirs"] = out["WarNum"].isin(th_known["WarNum"]) & out["source"].eq("only ours")
    if members is not None and wars is not None:
        only = out["source"].eq("only theirs")
        out["why_not_ours"] = pd.Series(pd.NA, index=out.index, dtype="string")
        out.loc[only, "why_not_ours"] = _why_not_ours(out[only], members, wars, in_force_at == "during_war")
    return out.sort_values(["atopid", "WarNum", "warid"], na_position="last").reset_index(drop=True)


@documented
@dataclass(frozen=True)
class HandCodedComparison(UnitSpec):
    """Our automated opportunities (:class:`AllianceWarSpec`) matched with Berkemeier & Fuhrmann's."""

    keys = ("atopid", "WarNum", "warid")
    title = "Automated vs hand-coded opportunities (ATOP x COW vs Berkemeier & Fuhrmann 2018)"
    atop: str = option("5.1", _ATOP)
    in_force_at: str = option("member_entry", _IN_FORCE_AT, IN_FORCE_AT)

    def build(self, columns=None) -> UnitFrame:
        members, wars = read_atop_members(self.atop), read_cow_interstate_war("4.0")
        ours = alliance_war_summary(member_behaviour(members, wars, self.in_force_at), read_atop_alliances(self.atop))
        out = compare_with_hand_coded(ours, berkemeier_fuhrmann_opportunities(), members, wars, self.in_force_at)
        counts = out["source"].value_counts().reindex(list(SOURCES), fill_value=0)
        log = ({"step": "compare", "message": "; ".join(f"{k}: {v}" for k, v in counts.items())},)
        return UnitFrame(out, self, log=log)


__all__ = ["AllianceWarSpec", "HandCodedComparison", "SOURCES", "candidates", "compare_with_hand_coded",
           "member_pairs", "IN_FORCE_AT", "alliance_war_summary", "member_behaviour", "war_participation"]
