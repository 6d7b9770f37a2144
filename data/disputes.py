"""Dispute variables of a dyad-year panel: onset, continuation, initiation and the selected dispute.

The panel step :func:`add_disputes` reads participant-level dispute data (COW MID ``MIDB`` 5.0,
4.3, 4.2, 3.10, or GML MID 2.2.1), turns it into directed dispute-dyad-years
(:mod:`foedus.data.dyadic_disputes`), resolves dyad-years with several disputes by a named rule
order, and left-joins the result onto the universe. Each stage is a pure function on frames:
:func:`dyad_year_disputes` (selection) and :func:`attach_disputes` (join) can be used on any
participant data.

Columns added (names of the panel contract)
-------------------------------------------
``onset``      a dyadic dispute between A and B began this year (either side; see
               ``DisputeRules.reentry`` for participants that leave and re-enter a dispute)
``ongoing``    a dyadic dispute between A and B that began in an earlier year continues
``dispute``    A initiated a new dispute against B this year under ``DisputeRules.initiation``
               (non-directed panels: either state initiated one)
``n_disputes`` number of disputes between A and B active in the year
``dispnum``    the selected dispute (``DisputeRules.tiebreak``); NA when none
``hostlev``, ``fatality``, ``hiact``
               highest hostility level, fatality level, highest action of either state in the
               selected dispute's records active in the year
``sidea1``, ``sidea2``, ``orig1``, ``orig2``, ``revstate1``, ``revstate2``
               roles of A and B in the selected dispute (its lead record in the year)

Indicators are ``Int8`` 0/1; every column is NA in years outside the dispute data's coverage
(:data:`COVERAGE`), never 0. Attributes of the selected dispute are NA in dyad-years without one.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from foedus.data.dyadic_disputes import dispute_dyad_years, dyadic_records, start_month
from foedus.data.keys import CODE_BASE, dyad_year_key

if TYPE_CHECKING:  # pragma: no cover
    from foedus.data.panel import BuildLog
    from foedus.data.spec import DisputeRules, PanelSpec

STEP = "disputes"

#: First and last year covered by each release (its codebook); years outside are NA in a panel.
#: MID 5.0: 1816-2014 (Palmer et al. 2022); MID 4.x: 1816-2010 (Palmer et al. 2015); MID 3.10:
#: 1816-2001 (Ghosn, Palmer & Bremer 2004); GML 2.2.1: 1816-2010 (Gibler, Miller & Little 2016).
COVERAGE: dict[tuple[str, str], tuple[int, int]] = {
    ("cow-mid", "5.0"): (1816, 2014),
    ("cow-mid", "4.3"): (1816, 2010),
    ("cow-mid", "4.2"): (1816, 2010),
    ("cow-mid", "3.10"): (1816, 2001),
    ("gml", "2.2.1"): (1816, 2010),
}

#: Initiation rules: does state 1 initiate against state 2 (read on the lead record)?
INITIATION_RULES = ("originator", "sidea", "revisionist")

#: Tie-break rules: name -> (column of the dispute-dyad-year table, larger value wins).
TIEBREAK_RULES: dict[str, tuple[str, bool]] = {
    "onset": ("onset", True),            # a dispute beginning this year before a continuation
    "initiated": ("initiated", True),    # one that A initiated (either state, non-directed)
    "fatality": ("fatality", True),      # higher fatality level
    "hostility": ("hostlev", True),      # higher hostility level
    "duration": ("duration", True),      # longer dyadic participation (days)
    "reciprocated": ("recip", True),     # both states took militarized action
    "start_month": ("start_month", False),  # earlier start month
    "dispnum": ("dispnum", False),       # lowest dispute number (always the last resort)
}

#: The default order (DisputeRules.tiebreak): onsets, fatality, hostility, duration,
#: reciprocation, start month, dispute number.
DEFAULT_TIEBREAK = ("onset", "fatality", "hostility", "duration", "reciprocated", "start_month",
                    "dispnum")

INDICATORS = ("onset", "ongoing", "dispute", "n_disputes")
ATTRIBUTES = ("dispnum", "hostlev", "fatality", "hiact",
              "orig1", "orig2", "sidea1", "sidea2", "revstate1", "revstate2")
COLUMNS = INDICATORS + ATTRIBUTES


# --------------------------------------------------------------------------------------------
# rules
# --------------------------------------------------------------------------------------------
def initiates(table: pd.DataFrame, rule: str, reverse: bool = False) -> np.ndarray:
    """Whether state 1 (state 2 when ``reverse``) initiated the dispute-dyad-year's onset.

    Parameters
    ----------
    table : pandas.DataFrame
        Dispute-dyad-years (:func:`~foedus.data.dyadic_disputes.dispute_dyad_years`).
    rule : {"originator", "sidea", "revisionist"}
        ``originator``: the initiator is an originator on side A and the target an originator on
        side B (the COW definition of initiator and target, Jones, Bremer & Singer 1996; the
        dependent variable of Leeds 2003 and Johnson & Leeds 2011); ``sidea``: the initiator is
        on side A, joiners included; ``revisionist``: the initiator is a revisionist state
        (``revstate == 1``; Johnson & Leeds 2011 robustness check).

    Returns
    -------
    numpy.ndarray of bool
        False in years without an onset of the dispute.
    """
    a, b = ("2", "1") if reverse else ("1", "2")
    onset = table["onset"].to_numpy(bool)
    if rule == "originator":
        ok = (table[f"orig{a}"].to_numpy(bool) & table[f"sidea{a}"].to_numpy(bool)
              & table[f"orig{b}"].to_numpy(bool) & ~table[f"sidea{b}"].to_numpy(bool))
    elif rule == "sidea":
        ok = table[f"sidea{a}"].to_numpy(bool)
    elif rule == "revisionist":
        rev = table[f"revstate{a}"].to_numpy(float)
        if len(rev) and np.isnan(rev).all():
            raise ValueError(
                "initiation rule 'revisionist' needs the participants' revstate, which this "
                "dispute data set does not carry (GML's gml_part has none); choose "
                "initiation='originator' or 'sidea', or source='cow-mid'"
            )
        ok = rev == 1
    else:
        raise ValueError(f"unknown initiation rule {rule!r}; known: {INITIATION_RULES}")
    return onset & ok


def check_tiebreak(order: tuple | list) -> tuple[str, ...]:
    """Validate a tie-break order; ``dispnum`` is appended when missing (it makes picks unique)."""
    order = tuple(order)
    unknown = [r for r in order if r not in TIEBREAK_RULES]
    if unknown:
        raise ValueError(
            f"DisputeRules.tiebreak: unknown rule(s) {unknown}; known: {sorted(TIEBREAK_RULES)}"
        )
    if len(set(order)) != len(order):
        raise ValueError(f"DisputeRules.tiebreak lists a rule twice: {order}")
    return order if "dispnum" in order else order + ("dispnum",)


# --------------------------------------------------------------------------------------------
# selection: one row per dyad-year
# --------------------------------------------------------------------------------------------
def dyad_year_disputes(
    table: pd.DataFrame,
    initiation: str = "originator",
    tiebreak: tuple = DEFAULT_TIEBREAK,
    directed: bool = True,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Resolve dispute-dyad-years into one row per dyad-year.

    Parameters
    ----------
    table : pandas.DataFrame
        Directed dispute-dyad-years (both orders of every pair).
    initiation : str
        Initiation rule (:func:`initiates`).
    tiebreak : sequence of str
        Rule order that picks the dispute whose attributes the dyad-year carries
        (:data:`TIEBREAK_RULES`).
    directed : bool
        Directed rows (A, B); non-directed rows keep ``ccode1 < ccode2`` and count an initiation
        by either state.

    Returns
    -------
    frame : pandas.DataFrame
        ``ccode1, ccode2, year`` (sorted), ``onset``, ``ongoing``, ``dispute`` (bool: any
        dispute of the dyad-year), ``n_disputes`` and the selected dispute's attributes.
    decided : dict
        For dyad-years with several disputes, how many were decided by each rule (the first
        rule on which the chosen dispute beats the runner-up).

    Notes
    -----
    ``dispute`` is true when A initiated *any* dispute beginning this year, whichever dispute
    the tie-break selects; the ``initiated`` rule, placed first, makes the selected dispute the
    initiated one.
    """
    if initiation not in INITIATION_RULES:
        raise ValueError(f"unknown initiation rule {initiation!r}; known: {INITIATION_RULES}")
    order = check_tiebreak(tiebreak)
    t = table
    init = initiates(t, initiation)
    if not directed:
        keep = t["ccode1"].to_numpy() < t["ccode2"].to_numpy()
        init = (init | initiates(t, initiation, reverse=True))[keep]
        t = t[keep]
    work = {
        "ccode1": t["ccode1"].to_numpy(np.int64),
        "ccode2": t["ccode2"].to_numpy(np.int64),
        "year": t["year"].to_numpy(np.int64),
        "initiated": init,
        "start_month": start_month(t["start"]),
    }
    keys = []  # sort keys, most important first; NaN always loses
    for rule in order:
        column, larger_wins = TIEBREAK_RULES[rule]
        v = (work[column] if column in work else t[column].to_numpy()).astype(float)
        v = -v if larger_wins else v
        keys.append(np.where(np.isnan(v), np.inf, v))
    idx = np.lexsort(keys[::-1] + [work["year"], work["ccode2"], work["ccode1"]])
    c1, c2, yr = work["ccode1"][idx], work["ccode2"][idx], work["year"][idx]
    new = np.ones(len(idx), dtype=bool)
    new[1:] = (c1[1:] != c1[:-1]) | (c2[1:] != c2[:-1]) | (yr[1:] != yr[:-1])
    first = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    size = np.diff(np.append(first, len(idx)))

    def any_(values: np.ndarray) -> np.ndarray:
        return np.bincount(group, weights=values[idx], minlength=len(first)) > 0

    chosen = idx[first]
    out = pd.DataFrame({"ccode1": c1[first], "ccode2": c2[first], "year": yr[first]})
    out["onset"] = any_(t["onset"].to_numpy(bool))
    out["ongoing"] = any_(t["ongoing"].to_numpy(bool))
    out["dispute"] = any_(init)
    out["n_disputes"] = size
    for col in ATTRIBUTES:
        out[col] = t[col].to_numpy()[chosen]
    out["selected_initiated"] = init[chosen]

    # which rule decided: first key on which the winner and the runner-up differ
    decided = dict.fromkeys(order, 0)
    several = first[size > 1]
    if len(several):
        diff = np.stack([k[idx][several] != k[idx][several + 1] for k in keys])
        rule_at = np.argmax(diff, axis=0)
        counts = np.bincount(rule_at, minlength=len(order))
        decided = {rule: int(n) for rule, n in zip(order, counts)}
    return out, decided


# --------------------------------------------------------------------------------------------
# join onto the universe
# --------------------------------------------------------------------------------------------
def match_rows(frame: pd.DataFrame, dyad_years: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``frame`` of the dyad-years of ``dyad_years`` (both keyed by ccode1, ccode2,
    year; ``frame`` unique on them): ``rows`` for the found ones and the boolean ``found``."""
    for name, values in (("panel frame", frame), ("dispute dyad-years", dyad_years)):
        codes = values[["ccode1", "ccode2"]].to_numpy()
        if len(codes) and (codes.min() < 0 or codes.max() >= CODE_BASE):
            raise ValueError(f"{name}: state codes must lie in 0-{CODE_BASE - 1} (COW ccodes do)")
    fk = dyad_year_key(frame["year"], frame["ccode1"], frame["ccode2"])
    dk = dyad_year_key(dyad_years["year"], dyad_years["ccode1"], dyad_years["ccode2"])
    if len(fk) > 1 and not (fk[1:] > fk[:-1]).all():
        sorter = np.argsort(fk, kind="stable")
        if (np.diff(fk[sorter]) == 0).any():
            raise ValueError("panel frame has duplicate (ccode1, ccode2, year) rows")
    else:
        sorter = None
    sorted_fk = fk if sorter is None else fk[sorter]
    pos_c = np.minimum(np.searchsorted(sorted_fk, dk), max(len(sorted_fk) - 1, 0))
    found = sorted_fk[pos_c] == dk if len(sorted_fk) else np.zeros(len(dk), dtype=bool)
    rows = pos_c[found] if sorter is None else sorter[pos_c[found]]
    return rows, found


def attach_disputes(
    frame: pd.DataFrame, dyad_years: pd.DataFrame, coverage: tuple[int, int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Left-join resolved dispute dyad-years onto a panel frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        The universe (``ccode1``, ``ccode2``, ``year``), any row order.
    dyad_years : pandas.DataFrame
        Output of :func:`dyad_year_disputes`.
    coverage : (int, int)
        First and last year of the dispute data; rows outside are NA.

    Returns
    -------
    joined : pandas.DataFrame
        ``frame`` with :data:`COLUMNS` added (same rows, same order).
    unmatched : pandas.DataFrame
        Dispute dyad-years within the frame's years that have no row in the frame (e.g. a
        participant that is not a COW system member that year).
    """
    rows, found = match_rows(frame, dyad_years)
    src = dyad_years[found]

    n = len(frame)
    year = frame["year"].to_numpy()
    outside = (year < coverage[0]) | (year > coverage[1])
    new: dict[str, pd.arrays.IntegerArray] = {}
    for col in INDICATORS:
        values = np.zeros(n, dtype=np.int8)
        values[rows] = src[col].to_numpy().astype(np.int8)
        new[col] = pd.arrays.IntegerArray(values, outside.copy())
    for col in ATTRIBUTES:
        dtype = np.int32 if col == "dispnum" else np.int8
        v = src[col].to_numpy(dtype=float)
        values = np.zeros(n, dtype=dtype)
        mask = np.ones(n, dtype=bool)
        values[rows] = np.nan_to_num(v, nan=0).astype(dtype)
        mask[rows] = np.isnan(v)
        mask |= outside
        new[col] = pd.arrays.IntegerArray(values, mask)
    # one frame built from the arrays, without copying them column by column
    out = pd.DataFrame({**{c: frame[c].array for c in frame.columns}, **new},
                       index=frame.index, copy=False)

    lo, hi = int(year.min()) if n else 0, int(year.max()) if n else -1
    dy = dyad_years["year"].to_numpy()
    unmatched = dyad_years[~found & (dy >= lo) & (dy <= hi)]
    return out, unmatched


# --------------------------------------------------------------------------------------------
# the panel step
# --------------------------------------------------------------------------------------------
def read_participants(rules: "DisputeRules") -> pd.DataFrame:
    """The participant-level data a spec names."""
    from foedus.data.readers import read_gml_participants, read_mid_participants

    if (rules.source, rules.version) not in COVERAGE:
        valid = ", ".join(f"{s} {v}" for s, v in COVERAGE)
        raise ValueError(
            f"DisputeRules(source={rules.source!r}, version={rules.version!r}) names no dispute "
            f"release; available: {valid}"
        )
    if rules.source == "gml":
        return read_gml_participants()
    return read_mid_participants(rules.version)


def dispute_table(participants: pd.DataFrame, rules: "DisputeRules", joiners: bool | None = None) -> pd.DataFrame:
    """Directed dispute-dyad-years of participant data under a spec's rules.

    ``joiners`` overrides ``rules.joiners`` (the history table of ``history="all"``).
    """
    records = dyadic_records(participants, joiners=rules.joiners if joiners is None else joiners)
    return dispute_dyad_years(records, reentry=rules.reentry)


def history_joiners(rules: "DisputeRules") -> bool:
    """Whether joiners' dyads enter the dispute history (``DisputeRules.history``)."""
    return rules.joiners if rules.history == "joiners" else True


def _initiation_from(resolved: pd.DataFrame, initiated: pd.DataFrame) -> np.ndarray:
    """``initiated["dispute"]`` at ``resolved``'s dyad-years (False where it has none)."""
    have = dyad_year_key(initiated["year"], initiated["ccode1"], initiated["ccode2"])
    want = dyad_year_key(resolved["year"], resolved["ccode1"], resolved["ccode2"])
    if have.size == 0:
        return np.zeros(want.size, bool)
    order = np.argsort(have)
    pos = order[np.minimum(np.searchsorted(have[order], want), have.size - 1)]
    return np.where(have[pos] == want, initiated["dispute"].to_numpy(bool)[pos], False)


def add_disputes(frame: pd.DataFrame, spec: "PanelSpec", log: "BuildLog | None" = None) -> pd.DataFrame:
    """Panel step: dispute onset, continuation, initiation and the selected dispute.

    Parameters
    ----------
    frame : pandas.DataFrame
        The universe (``ccode1``, ``ccode2``, ``year``).
    spec : PanelSpec
        Uses ``directed`` and ``disputes`` (source, version, initiation, joiners, reentry,
        tiebreak). ``disputes.ongoing == "drop"`` is acted on by the sample step, which removes
        rows with ``ongoing == 1``.
    log : BuildLog, optional
        Receives the counts of records and dispute-years, the dispute dyad-years with no row in
        the universe, how many dyad-years each tie-break rule decided, and the rows outside the
        data's coverage.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with :data:`COLUMNS` added.
    """
    rules = spec.disputes
    coverage = COVERAGE.get((rules.source, rules.version))
    participants = read_participants(rules)
    table = dispute_table(participants, rules, history_joiners(rules))
    resolved, decided = dyad_year_disputes(table, rules.initiation, rules.tiebreak, spec.directed)
    if history_joiners(rules) != rules.joiners:  # initiation counted on the originators' dyads
        initiated, _ = dyad_year_disputes(dispute_table(participants, rules), rules.initiation,
                                          rules.tiebreak, spec.directed)
        resolved["dispute"] = _initiation_from(resolved, initiated)
    out, unmatched = attach_disputes(frame, resolved, coverage)
    if log is not None:
        _report(log, rules, participants, table, resolved, decided, unmatched, out, coverage)
    return out


def _report(log, rules, participants, table, resolved, decided, unmatched, out, coverage) -> None:
    name = f"{'GML MID' if rules.source == 'gml' else 'COW MID'} {rules.version}"
    n_joiners = int((~participants["orig"].to_numpy(bool)).sum())
    log.note(
        STEP,
        f"{name}: {len(participants):,} participant spells -> {len(table):,} directed "
        f"dispute-dyad-years ({'joiners included' if rules.joiners else 'joiners excluded'}: "
        f"{n_joiners:,} joiner spells); initiation rule '{rules.initiation}'"
        + ("; dispute history from every participant (history='all')"
           if history_joiners(rules) != rules.joiners else ""),
        spells=len(participants), dispute_dyad_years=len(table), joiner_spells=n_joiners,
    )
    no_side = participants["sidea"].isna()
    if no_side.any():
        ex = participants.loc[no_side, ["dispnum", "ccode"]].head(3).values.tolist()
        log.note(STEP, f"{int(no_side.sum())} participant spell(s) without a side (sidea NA) "
                       f"cannot be paired and were left out: (dispnum, ccode) {ex}",
                 no_side=int(no_side.sum()))
    if len(unmatched):
        ex = ", ".join(f"{a}-{b} {t}" for a, b, t in
                       unmatched[["ccode1", "ccode2", "year"]].head(3).itertuples(index=False))
        log.note(STEP, f"{len(unmatched):,} dispute dyad-years have no row in the universe "
                       f"(a participant not a system member that year, or a pair the universe "
                       f"excludes), e.g. {ex}", unmatched=len(unmatched))
    several = sum(decided.values())
    if several:
        detail = ", ".join(f"{r} {n}" for r, n in decided.items() if n)
        log.note(STEP, f"{several:,} dyad-years have several disputes; the selected one was "
                       f"decided by: {detail} (rule order {', '.join(decided)})",
                 several=several, **{f"decided_{r}": n for r, n in decided.items()})
    mismatch = int((resolved["dispute"] & ~resolved["selected_initiated"]).sum())
    if mismatch:
        log.note(STEP, f"{mismatch:,} dyad-years with dispute = 1 carry a selected dispute that A "
                       "did not initiate (another dispute began the same year); put 'initiated' "
                       "first in DisputeRules.tiebreak to select the initiated one",
                 dispute_not_selected=mismatch)
    outside = int(out["onset"].isna().sum())
    if outside:
        log.note(STEP, f"{outside:,} dyad-years lie outside {name}'s coverage "
                       f"{coverage[0]}-{coverage[1]}: dispute columns are NA", outside=outside)
