"""What happened after an initiation: the target's response, war, and the MID outcome.

The panel step :func:`add_dispute_outcomes` codes, for every directed dyad-year in which A
initiated a dispute against B (``dispute == 1``), the outcome of that dispute for the dyad. It
runs after :func:`foedus.data.disputes.add_disputes` and reads the same participant data under
the same rules; it is a left join that never adds rows. Rows without an initiation are NA: the
outcome of a dispute is defined only where one was initiated (a selection model's outcome).

Which dispute
-------------
When A initiated several disputes against B in one year, the one coded is picked among the
disputes A initiated by the same tie-break order as the disputes step
(``DisputeRules.tiebreak``). When the disputes step's selected dispute (``dispnum``) is one that A
initiated, the two are the same dispute; ``outcome_dispnum`` names the coded one.

Columns added
-------------
=============== ====================================================================================
outcome_dispnum the dispute whose outcome is coded (MID dispute number)
targ_resist     1 if the target reciprocated militarily (``DisputeOutcomes.resist``): 'action' =
                the target's highest hostility level in the dispute >= 2 (a threat, display or use
                of force; where the data carry no hostility level, GML, its highest action >= 1,
                the same thing by the codebook: hostility level 1 is "no militarized action",
                highest action 0); 'recip' = the MID dispute-level flag ``recip``
targ_hostlev    the target's highest hostility level (1-5) over its participation opposite A
targ_hiact      the target's highest action (0-21, release-specific codes)
targ_fatality   the target's fatality level (0 none, 1 1-25, 2 26-100, 3 101-250, 4 251-500,
                5 501-999, 6 > 999 battle deaths)
disp_hostlev    the dispute's highest hostility level (MIDA ``hostlev``; MID 3.10, whose MIDA is not
                registered: the highest level of any participant, the codebook's definition)
disp_fatality   the dispute's fatality level (MIDA ``fatality``, same codes as targ_fatality)
war             1 if the dispute became a war (``DisputeOutcomes.war``): 'hostlev' = disp_hostlev
                is 5; 'cow' = a COW inter-state war between A and B (directed dyadic war data)
                overlaps the dyad's dispute dates; NA after the war data's last year
outcome         MID outcome, side A's view: :data:`OUTCOME_LABELS` (``sidea1`` tells A's side)
settle          MID settlement: :data:`SETTLE_LABELS`
recip           MID reciprocation flag (1: some state on side B took militarized action)
=============== ====================================================================================

Missing values stay missing (NA), never 0: the MID code -9 ("missing") in any source column; the
dispute-level columns (disp_fatality, outcome, settle, recip) for MID 3.10, whose dispute-level
file (MIDA 3.10) is not registered (so is targ_resist under ``resist='recip'``: a study
run on several releases records such a model as not estimable); the
participant-level targ_hostlev and targ_fatality for GML, whose participant file carries only
the highest action. All columns are NA outside the dispute data's coverage.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from foedus.data.disputes import COVERAGE, dyad_year_disputes, initiates, match_rows, read_participants
from foedus.data.dyadic_disputes import dispute_dyad_years, dyadic_records

if TYPE_CHECKING:  # pragma: no cover
    from foedus.data.panel import BuildLog
    from foedus.data.spec import DisputeRules, PanelSpec

STEP = "dispute_outcomes"

#: MID outcome codes (MID 4.0 and 5.0 codebooks, "Outcome of dispute"); -9 missing -> NA.
OUTCOME_LABELS = {1: "victory for side A", 2: "victory for side B", 3: "yield by side A",
                  4: "yield by side B", 5: "stalemate", 6: "compromise", 7: "released",
                  8: "unclear", 9: "joins ongoing war"}
#: MID settlement codes (same codebooks, "Settlement of dispute"); -9 missing -> NA.
SETTLE_LABELS = {1: "negotiated", 2: "imposed", 3: "none", 4: "unclear"}
#: Years covered by the COW inter-state war data (v4.0, 1816-2007) behind war = 'cow'.
WAR_COVERAGE = (1816, 2007)

TARGET = ("targ_hostlev", "targ_hiact", "targ_fatality")
DISPUTE = ("disp_hostlev", "disp_fatality", "outcome", "settle", "recip")
COLUMNS = ("outcome_dispnum", "targ_resist") + TARGET + ("disp_hostlev", "disp_fatality", "war",
                                                         "outcome", "settle", "recip")


# --------------------------------------------------------------------------------------------
# dispute-level attributes
# --------------------------------------------------------------------------------------------
def _codes(values: pd.Series) -> np.ndarray:
    v = pd.to_numeric(pd.Series(values), errors="coerce").astype("Float64")
    v = v.to_numpy(dtype=float, na_value=np.nan)
    v[v < 0] = np.nan  # MID -9 "missing"
    return v


def dispute_attributes(rules: "DisputeRules", participants: pd.DataFrame) -> pd.DataFrame:
    """Dispute-level attributes: one row per ``dispnum`` with :data:`DISPUTE` (float, NaN missing).

    COW MID 4.x / 5.0: the MIDA file; GML: peacesciencer's ``gml_mid_disps`` (GML's dispute-level
    file); MID 3.10 (no registered MIDA): ``disp_hostlev`` is the highest participant level, the
    other columns NaN.
    """
    from foedus.data.readers import read_mid_disputes, read_peacesciencer

    if rules.source == "gml":
        d = read_peacesciencer("gml_mid_disps")
    elif rules.version == "3.10":
        host = pd.Series(_codes(participants["hostlev"])).groupby(
            participants["dispnum"].to_numpy()).max()
        out = pd.DataFrame({"dispnum": host.index.to_numpy(np.int64), "disp_hostlev": host.to_numpy()})
        for col in DISPUTE[1:]:
            out[col] = np.nan
        return out
    else:
        d = read_mid_disputes(rules.version)
    out = pd.DataFrame({"dispnum": d["dispnum"].to_numpy(np.int64),
                        "disp_hostlev": _codes(d["hostlev"]), "disp_fatality": _codes(d["fatality"]),
                        "outcome": _codes(d["outcome"]), "settle": _codes(d["settle"]),
                        "recip": _codes(d["recip"].astype("Int8"))})
    return out


# --------------------------------------------------------------------------------------------
# target-level attributes and dates of each directed dispute-dyad
# --------------------------------------------------------------------------------------------
def dispute_dyads(records: pd.DataFrame) -> pd.DataFrame:
    """One row per directed dispute-dyad (``dispnum, ccode1, ccode2``) of dyadic records.

    ``targ_hostlev``, ``targ_hiact``, ``targ_fatality``: the highest level of state 2 over its
    spells paired with state 1 (NaN when unknown); ``start``, ``end``: first and last common day.
    """
    g = records.groupby(["dispnum", "ccode1", "ccode2"], sort=True)
    out = pd.DataFrame({
        "targ_hostlev": g["hostlev2"].max(), "targ_hiact": g["hiact2"].max(),
        "targ_fatality": g["fatality2"].max(), "start": g["start"].min(), "end": g["end"].max(),
    }).reset_index()
    return out


def cow_war_overlap(dyads: pd.DataFrame, wars: pd.DataFrame) -> np.ndarray:
    """Whether a COW war between ``ccode1`` and ``ccode2`` overlaps each row's [start, end].

    ``wars`` are directed dyad-war-years (:func:`foedus.data.readers.read_dyadic_war`). Each row's
    war interval is its start/end bounded by its year (a row whose date is NaT, an erratum, covers
    its whole year). Both intervals are inclusive.
    """
    year = wars["year"].to_numpy(np.int64)
    lo = pd.to_datetime(pd.Series(year.astype(str))).to_numpy("datetime64[D]")
    hi = (lo.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    ws = wars["start"].to_numpy("datetime64[D]")
    we = wars["end"].to_numpy("datetime64[D]")
    ws = np.where(np.isnat(ws) | (ws < lo), lo, ws)
    we = np.where(np.isnat(we) | (we > hi), hi, we)
    w = pd.DataFrame({"ccode1": wars["statea"].to_numpy(np.int64),
                      "ccode2": wars["stateb"].to_numpy(np.int64), "ws": ws, "we": we})
    d = pd.DataFrame({"ccode1": dyads["ccode1"].to_numpy(np.int64),
                      "ccode2": dyads["ccode2"].to_numpy(np.int64),
                      "ds": dyads["start"].to_numpy("datetime64[D]"),
                      "de": dyads["end"].to_numpy("datetime64[D]"),
                      "i": np.arange(len(dyads))})
    m = d.merge(w, on=["ccode1", "ccode2"])
    hit = (m["ws"].to_numpy() <= m["de"].to_numpy()) & (m["ds"].to_numpy() <= m["we"].to_numpy())
    out = np.zeros(len(dyads), dtype=bool)
    out[m["i"].to_numpy()[hit]] = True
    return out


# --------------------------------------------------------------------------------------------
# one row per initiated dyad-year
# --------------------------------------------------------------------------------------------
def outcome_dyad_years(
    records: pd.DataFrame,
    table: pd.DataFrame,
    disputes: pd.DataFrame,
    rules: "DisputeRules",
    resist: str = "action",
    war: str = "hostlev",
    wars: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Outcome variables for every directed dyad-year with an initiation.

    Parameters
    ----------
    records, table : pandas.DataFrame
        Dyadic records (:func:`~foedus.data.dyadic_disputes.dyadic_records`) and the
        dispute-dyad-years built from them (:func:`~foedus.data.dyadic_disputes.dispute_dyad_years`).
    disputes : pandas.DataFrame
        Dispute-level attributes (:func:`dispute_attributes`).
    rules : DisputeRules
        ``initiation`` and ``tiebreak`` pick the initiated dispute of each dyad-year.
    resist, war : str
        Rules of :class:`~foedus.data.spec.DisputeOutcomes`.
    wars : pandas.DataFrame, optional
        Directed dyadic war data; required when ``war == "cow"``.

    Returns
    -------
    pandas.DataFrame
        ``ccode1, ccode2, year`` and :data:`COLUMNS` (float, NaN when missing), sorted by key.
    """
    init = initiates(table, rules.initiation)
    picked, _ = dyad_year_disputes(table[init], rules.initiation, rules.tiebreak, directed=True)
    out = picked[["ccode1", "ccode2", "year", "dispnum"]].rename(columns={"dispnum": "outcome_dispnum"})
    out = out.merge(dispute_dyads(records), how="left", left_on=["outcome_dispnum", "ccode1", "ccode2"],
                    right_on=["dispnum", "ccode1", "ccode2"], validate="many_to_one").drop(columns="dispnum")
    out = out.merge(disputes, how="left", left_on="outcome_dispnum", right_on="dispnum",
                    validate="many_to_one").drop(columns="dispnum")
    if resist == "action":
        host, act = out["targ_hostlev"].to_numpy(float), out["targ_hiact"].to_numpy(float)
        value = np.where(np.isnan(host), act >= 1, host >= 2).astype(float)
        value[np.isnan(host) & np.isnan(act)] = np.nan
    elif resist == "recip":
        value = out["recip"].to_numpy(float)
    else:
        raise ValueError(f"unknown resist rule {resist!r}; known: ('action', 'recip')")
    out["targ_resist"] = value
    if war == "hostlev":
        level = out["disp_hostlev"].to_numpy(float)
        out["war"] = np.where(np.isnan(level), np.nan, (level == 5).astype(float))
    elif war == "cow":
        if wars is None:
            raise ValueError("war='cow' needs the directed dyadic war data (wars=...)")
        hit = cow_war_overlap(out, wars).astype(float)
        hit[out["year"].to_numpy() > WAR_COVERAGE[1]] = np.nan
        out["war"] = hit
    else:
        raise ValueError(f"unknown war rule {war!r}; known: ('hostlev', 'cow')")
    return out[["ccode1", "ccode2", "year", *COLUMNS]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# the panel step
# --------------------------------------------------------------------------------------------
def add_dispute_outcomes(frame: pd.DataFrame, spec: "PanelSpec",
                         log: "BuildLog | None" = None) -> pd.DataFrame:
    """Panel step: :data:`COLUMNS` for every directed dyad-year with an initiation (NA elsewhere).

    Uses ``spec.disputes`` (the same participant data, initiation, joiners, re-entry and
    tie-break rules as the disputes step) and ``spec.outcomes``.
    """
    from foedus.data.readers import read_dyadic_war

    rules, choice = spec.disputes, spec.outcomes
    participants = read_participants(rules)
    records = dyadic_records(participants, joiners=rules.joiners)
    table = dispute_dyad_years(records, reentry=rules.reentry)
    wars = read_dyadic_war() if choice.war == "cow" else None
    coded = outcome_dyad_years(records, table, dispute_attributes(rules, participants), rules,
                               choice.resist, choice.war, wars)
    rows, found = match_rows(frame, coded)
    n = len(frame)
    year = frame["year"].to_numpy()
    lo, hi = COVERAGE[(rules.source, rules.version)]
    outside = (year < lo) | (year > hi)
    new = {}
    for col in COLUMNS:
        dtype = np.int32 if col == "outcome_dispnum" else np.int8
        v = coded[col].to_numpy(float)[found]
        values = np.zeros(n, dtype=dtype)
        mask = np.ones(n, dtype=bool)
        values[rows] = np.nan_to_num(v, nan=0).astype(dtype)
        mask[rows] = np.isnan(v)
        new[col] = pd.arrays.IntegerArray(values, mask | outside)
    out = pd.DataFrame({**{c: frame[c].array for c in frame.columns}, **new},
                       index=frame.index, copy=False)
    if log is not None:
        _report(log, rules, choice, coded, found, out)
    return out


def _report(log, rules, choice, coded, found, out) -> None:
    log.note(STEP, f"{len(coded):,} directed dyad-years with an initiation coded ({int(found.sum()):,} "
                   f"in the universe); targ_resist rule '{choice.resist}', war rule '{choice.war}'",
             initiated=len(coded), in_universe=int(found.sum()))
    if "dispnum" in out.columns:
        differ = (out["dispute"] == 1) & (out["dispnum"] != out["outcome_dispnum"])
        n = int(differ.fillna(False).sum())
        if n:
            log.note(STEP, f"{n:,} dyad-years: the disputes step selected a dispute A did not "
                           "initiate; outcome_dispnum names the initiated one", differ=n)
    missing = {c: int(coded.loc[found, c].isna().sum()) for c in COLUMNS}
    detail = ", ".join(f"{c} {k}" for c, k in missing.items() if k)
    if detail:
        log.note(STEP, f"missing values among the coded dyad-years (source codes -9 or fields "
                       f"the data set lacks): {detail}", **{f"missing_{c}": k for c, k in missing.items()})
    if rules.source == "cow-mid" and rules.version == "3.10":
        log.note(STEP, "MID 3.10: the dispute-level file (MIDA) is not registered: disp_fatality, "
                       "outcome, settle and recip are NA"
                       + (", and so is targ_resist (resist='recip')" if choice.resist == "recip" else "")
                       + "; disp_hostlev is the highest participant level")
