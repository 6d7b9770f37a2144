"""Participant-level dispute data -> directed dyadic dispute records -> dispute-dyad-years.

Two stages, both vectorised (interval joins and index arithmetic, never a loop over rows, dyads
or days):

1. :func:`dyadic_records` pairs every participation spell on side A with every spell on side B of
   the same dispute whose dates overlap (a self-merge on ``dispnum`` followed by an overlap
   filter). A state with several spells in one dispute (it left and re-joined, or switched sides)
   simply contributes several spells; the record carries the overlap of the two spells. Each pair
   appears in both orders (A, B) and (B, A): the records are directed.
2. :func:`dispute_dyad_years` turns the records into one row per dispute, ordered pair and year
   (``dispnum, ccode1, ccode2, year``) with the dyad's onset and continuation in that year and the
   attributes a dyad-year panel selects from.

Dates
-----
The readers give each spell ``start`` and ``end`` with the widest-interval convention of the MID
codebooks: an unknown start day is the first of the month, an unknown end day the last day of
the month. Two spells overlap when ``max(start) <= min(end)`` (both days inclusive), so two states
whose only common time is an uncertain month count as having met. The same convention is used by
peacesciencer's ``cow_mid_dirdisps`` (Miller 2021).

Episodes
--------
An *episode* of a dyadic dispute is a maximal run of its records whose intervals overlap or touch
(the next record starts at most one day after every earlier one ended). With
``reentry="onset"`` (default) each episode begins a new dyadic onset: a participant that left the
dispute and re-entered it later (MID codes such a state with several participant rows) starts a
new dyadic dispute with every opponent, as in peacesciencer's ``cow_mid_dirdisps``. With
``reentry="continuation"`` the dispute and dyad have a single onset, in the year of their first
common day, and later years with any record are continuations.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

#: participant columns the dyadisation needs (besides ``start``/``end`` or the date parts)
REQUIRED = ("dispnum", "ccode", "sidea", "orig")
#: participant attributes carried onto the records when present (NA when absent: GML's files do
#: not carry all of them)
ATTRIBUTES = ("revstate", "hiact", "hostlev", "fatality")
#: one day, for episodes that touch (a spell ending on day d and the next beginning on d + 1)
_TOUCH = 1

REENTRY_RULES = ("onset", "continuation")


# --------------------------------------------------------------------------------------------
# participants
# --------------------------------------------------------------------------------------------
def _days(values: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 (int64) of a datetime column."""
    return pd.to_datetime(values).to_numpy("datetime64[D]").astype(np.int64)


def _spell_days(p: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of each participation spell (widest-interval convention)."""
    if {"start", "end"} <= set(p.columns):
        start, end = p["start"], p["end"]
    else:
        parts = ["styear", "stmon", "stday", "endyear", "endmon", "endday"]
        missing = set(parts) - set(p.columns)
        if missing:
            raise ValueError(
                "participant frame needs 'start'/'end' dates or the date parts "
                f"{parts}; missing {sorted(missing)}"
            )
        num = {c: pd.to_numeric(p[c]).where(lambda s: s > 0) for c in parts}
        start = pd.to_datetime(
            dict(year=num["styear"], month=num["stmon"], day=num["stday"].fillna(1))
        )
        first = pd.to_datetime(dict(year=num["endyear"], month=num["endmon"], day=1))
        end = first + pd.offsets.MonthEnd(0)
        known = num["endday"].notna()
        end = end.where(
            ~known,
            pd.to_datetime(dict(year=num["endyear"], month=num["endmon"],
                                day=num["endday"].fillna(1))),
        )
    bad = start.isna() | end.isna()
    if bad.any():
        rows = p.loc[bad, ["dispnum", "ccode"]].head(5).values.tolist()
        raise ValueError(
            f"{int(bad.sum())} participant spell(s) lack a start or end date, e.g. "
            f"(dispnum, ccode) {rows}; every spell needs at least a year and a month"
        )
    s, e = _days(start), _days(end)
    reversed_ = s > e
    if reversed_.any():
        rows = p.loc[reversed_, ["dispnum", "ccode"]].head(5).values.tolist()
        raise ValueError(
            f"{int(reversed_.sum())} participant spell(s) end before they start, e.g. "
            f"(dispnum, ccode) {rows}"
        )
    return s, e


def _flag(values: pd.Series, name: str, p: pd.DataFrame) -> np.ndarray:
    """A 0/1 participant column as bool; anything else is an input error."""
    v = pd.Series(values).astype("Float64")
    bad = v.isna() | ~v.isin([0, 1])
    if bad.any():
        rows = p.loc[bad.to_numpy(), ["dispnum", "ccode", name]].head(5).values.tolist()
        raise ValueError(
            f"participant column '{name}' must be 0/1 (or bool); {int(bad.sum())} row(s) are not, "
            f"e.g. (dispnum, ccode, {name}) {rows}"
        )
    return v.to_numpy(dtype=float).astype(bool)


def _code(values: pd.Series) -> np.ndarray:
    """A participant code as float with NA for missing and the MID -9 codes."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
    v[v < 0] = np.nan
    return v


def prepare_participants(participants: pd.DataFrame, joiners: bool = True) -> pd.DataFrame:
    """Check a participant frame and reduce it to what the dyadisation needs.

    Parameters
    ----------
    participants : pandas.DataFrame
        One row per participation spell: ``dispnum``, ``ccode``, ``sidea``, ``orig`` and
        ``start``/``end`` (or ``styear, stmon, stday, endyear, endmon, endday`` with -9 for an
        unknown day), optionally ``revstate``, ``hiact``, ``hostlev``, ``fatality``.
    joiners : bool
        Keep participants that joined after the dispute's first day (``orig == 0``); when False
        only originators remain.

    Warns
    -----
    UserWarning
        When spells have no side (``sidea`` NA): they are dropped, since they cannot be paired.

    Returns
    -------
    pandas.DataFrame
        ``row`` (position in ``participants``), ``dispnum``, ``ccode`` (int64), ``sidea``,
        ``orig`` (bool), ``s``, ``e`` (first and last day, days since 1970-01-01) and the
        attributes as float (NA for missing or -9).
    """
    missing = set(REQUIRED) - set(participants.columns)
    if missing:
        raise ValueError(
            f"participant frame lacks column(s) {sorted(missing)}; expected the MIDB layout "
            "(dispnum, ccode, sidea, orig, start/end, ...)"
        )
    p = participants.reset_index(drop=True)
    unknown_side = pd.Series(p["sidea"]).isna().to_numpy()
    if unknown_side.any():
        rows = p.loc[unknown_side, ["dispnum", "ccode"]].head(5).values.tolist()
        warnings.warn(
            f"{int(unknown_side.sum())} participant spell(s) have no side (sidea NA; MID 4.2 "
            f"codes two rows of dispute 370 with the undefined value 2) and cannot be paired: "
            f"(dispnum, ccode) {rows}",
            stacklevel=3,
        )
        p = p[~unknown_side]
    for col in ("dispnum", "ccode"):
        if p[col].isna().any():
            rows = p.index[p[col].isna()][:5].tolist()
            raise ValueError(f"participant column '{col}' is missing in rows {rows}")
    s, e = _spell_days(p)
    out = pd.DataFrame(
        {
            "row": np.flatnonzero(~unknown_side).astype(np.int64),
            "dispnum": p["dispnum"].to_numpy(dtype=np.int64),
            "ccode": p["ccode"].to_numpy(dtype=np.int64),
            "sidea": _flag(p["sidea"], "sidea", p),
            "orig": _flag(p["orig"], "orig", p),
            "s": s,
            "e": e,
        }
    )
    for col in ATTRIBUTES:
        out[col] = _code(p[col]) if col in p.columns else np.nan
    if not joiners:
        out = out[out["orig"].to_numpy()].reset_index(drop=True)
    return out


# --------------------------------------------------------------------------------------------
# stage 1: dyadic records
# --------------------------------------------------------------------------------------------
_PAIR_ATTRS = ("sidea", "orig") + ATTRIBUTES


def dyadic_records(participants: pd.DataFrame, joiners: bool = True) -> pd.DataFrame:
    """Directed dyadic dispute records from participant spells.

    Every spell on side A is paired with every spell on side B of the same dispute; a pair is a
    record when the two spells share at least one day. Each record appears twice, as (A, B) and
    as (B, A).

    Parameters
    ----------
    participants : pandas.DataFrame
        Participant spells (see :func:`prepare_participants`).
    joiners : bool
        Include participants that joined after the dispute began (``orig == 0``).

    Returns
    -------
    pandas.DataFrame
        One row per directed record, sorted by ``dispnum, ccode1, ccode2, start, end, row1,
        row2``: ``dispnum``, ``ccode1``, ``ccode2``, ``start``, ``end`` (the common days of the
        two spells, datetime64[s]), ``row1``, ``row2`` (the spells' rows in ``participants``),
        and per state ``sidea1/2``, ``orig1/2`` (bool), ``revstate1/2``, ``hiact1/2``,
        ``hostlev1/2``, ``fatality1/2`` (float, NaN when missing or -9).

    Notes
    -----
    A state that switched sides has spells on both sides; it is never paired with itself. Two
    states on the same side are never paired, even when one of them is on the other side in a
    different spell: pairs are formed spell by spell.
    """
    p = prepare_participants(participants, joiners)
    side_a = p["sidea"].to_numpy()
    a, b = p[side_a], p[~side_a]
    m = a.merge(b, on="dispnum", suffixes=("1", "2"), sort=False)
    s = np.maximum(m["s1"].to_numpy(), m["s2"].to_numpy())
    e = np.minimum(m["e1"].to_numpy(), m["e2"].to_numpy())
    keep = (s <= e) & (m["ccode1"].to_numpy() != m["ccode2"].to_numpy())
    m = m[keep]
    s, e = s[keep], e[keep]

    def oriented(x: str, y: str) -> dict[str, np.ndarray]:
        cols = {
            "dispnum": m["dispnum"].to_numpy(),
            "ccode1": m[f"ccode{x}"].to_numpy(),
            "ccode2": m[f"ccode{y}"].to_numpy(),
            "s": s,
            "e": e,
            "row1": m[f"row{x}"].to_numpy(),
            "row2": m[f"row{y}"].to_numpy(),
        }
        for attr in _PAIR_ATTRS:
            cols[f"{attr}1"] = m[f"{attr}{x}"].to_numpy()
            cols[f"{attr}2"] = m[f"{attr}{y}"].to_numpy()
        return cols

    one, two = oriented("1", "2"), oriented("2", "1")
    rec = pd.DataFrame({k: np.concatenate([one[k], two[k]]) for k in one})
    order = np.lexsort(
        [rec[k].to_numpy() for k in ("row2", "row1", "e", "s", "ccode2", "ccode1", "dispnum")]
    )
    rec = rec.iloc[order].reset_index(drop=True)
    rec.insert(3, "start", rec.pop("s").to_numpy().astype("datetime64[D]").astype("datetime64[s]"))
    rec.insert(4, "end", rec.pop("e").to_numpy().astype("datetime64[D]").astype("datetime64[s]"))
    return rec


# --------------------------------------------------------------------------------------------
# stage 2: dispute-dyad-years
# --------------------------------------------------------------------------------------------
def _new_group(*keys: np.ndarray) -> np.ndarray:
    """True where a sorted row starts a new group of equal keys."""
    n = len(keys[0])
    new = np.zeros(n, dtype=bool)
    if n:
        new[0] = True
        for k in keys:
            new[1:] |= k[1:] != k[:-1]
    return new


def _group_cummax(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Running maximum of ``values`` within consecutive groups (``group`` ascending ints)."""
    if not len(values):
        return values.copy()
    lo = values.min()
    span = int(values.max() - lo) + 1
    shifted = (values - lo) + group.astype(np.int64) * span
    return np.maximum.accumulate(shifted) - group.astype(np.int64) * span + lo


def _year(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _month(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1


def dispute_dyad_years(records: pd.DataFrame, reentry: str = "onset") -> pd.DataFrame:
    """One row per dispute, directed pair and year, from directed dyadic records.

    Parameters
    ----------
    records : pandas.DataFrame
        Output of :func:`dyadic_records`.
    reentry : {"onset", "continuation"}
        Whether a dyad's re-entry into a dispute after a break (a new episode, see the module
        notes) is a new onset ("onset") or a continuation of the dyad's dispute.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``dispnum, ccode1, ccode2, year`` with columns

        - ``onset`` (bool): an episode of this dispute between the two began this year;
        - ``ongoing`` (bool): an episode that began in an earlier year continues into this year;
        - ``sidea1/2``, ``orig1/2`` (bool), ``revstate1/2`` (float): the two states' roles in the
          *lead record* of the year: the first record of the earliest episode beginning this year
          when there is an onset, else the earliest record active in the year. The initiation
          rules read these;
        - ``start`` (datetime64[s]): first day of the lead record's episode;
        - ``hostlev``, ``fatality``, ``hiact`` (float): the highest level of either state over
          the records active in the year (NaN when unknown);
        - ``duration`` (int): days of dyadic participation in the dispute (all episodes, both
          end days included);
        - ``recip`` (bool): both states took a militarized action in the dispute (``hiact`` of
          both > 0 in some record).
    """
    if reentry not in REENTRY_RULES:
        raise ValueError(f"reentry={reentry!r} is not one of {REENTRY_RULES}")
    r = records
    disp = r["dispnum"].to_numpy(np.int64)
    c1 = r["ccode1"].to_numpy(np.int64)
    c2 = r["ccode2"].to_numpy(np.int64)
    s = _days(r["start"])
    e = _days(r["end"])
    order = np.lexsort([r["row2"].to_numpy(), r["row1"].to_numpy(), e, s, c2, c1, disp])
    disp, c1, c2, s, e = disp[order], c1[order], c2[order], s[order], e[order]
    r = r.iloc[order].reset_index(drop=True)
    n = len(r)

    # dispute-dyads and their episodes
    dyad_new = _new_group(disp, c1, c2)
    dyad = np.cumsum(dyad_new) - 1
    if reentry == "onset":
        reach = _group_cummax(e, dyad)  # last day covered by this row and the earlier ones
        prev_reach = np.empty_like(reach)
        prev_reach[1:] = reach[:-1]
        ep_new = dyad_new.copy()
        if n:
            ep_new[1:] |= s[1:] > prev_reach[1:] + _TOUCH
    else:
        ep_new = dyad_new
    episode = np.cumsum(ep_new) - 1
    ep_first = np.flatnonzero(ep_new)  # the first (earliest) record of each episode
    ep_start = s[ep_first]
    ep_end = np.maximum.reduceat(e, ep_first) if n else e
    ep_start_year = _year(ep_start)

    # dyadic duration and reciprocation over the whole dispute-dyad
    dyad_first = np.flatnonzero(dyad_new)
    ep_dyad = dyad[ep_first]
    duration = np.bincount(ep_dyad, weights=ep_end - ep_start + 1, minlength=len(dyad_first))
    both_act = (np.nan_to_num(r["hiact1"].to_numpy(float)) > 0) & (
        np.nan_to_num(r["hiact2"].to_numpy(float)) > 0
    )
    recip = np.bincount(dyad, weights=both_act, minlength=len(dyad_first)) > 0

    # expand records to record-years
    y0, y1 = _year(s), _year(e)
    reps = (y1 - y0 + 1) if n else np.zeros(0, np.int64)
    ri = np.repeat(np.arange(n), reps)
    year = y0[ri] + (np.arange(len(ri)) - np.repeat(np.cumsum(reps) - reps, reps))
    ep = episode[ri]
    starts_here = ep_start_year[ep] == year
    # lead record of each dispute-dyad-year: onsets first, then the earliest episode, then the
    # earliest record (record-years are already in record order within an episode)
    lead_key = np.lexsort([ri, ep, ~starts_here, year, dyad[ri]])
    ri, year, ep, starts_here = ri[lead_key], year[lead_key], ep[lead_key], starts_here[lead_key]
    dy_new = _new_group(dyad[ri], year)
    first = np.flatnonzero(dy_new)
    dy = np.cumsum(dy_new) - 1
    n_dy = len(first)

    def any_(mask: np.ndarray) -> np.ndarray:
        return np.bincount(dy, weights=mask, minlength=n_dy) > 0

    def max_(values: np.ndarray) -> np.ndarray:
        filled = np.where(np.isnan(values), -np.inf, values)
        out = np.maximum.reduceat(filled, first) if n_dy else filled[:0]
        return np.where(np.isneginf(out), np.nan, out)

    lead = ri[first]  # record row of the lead record
    lead_ep = ep[first]
    out = {
        "dispnum": disp[lead],
        "ccode1": c1[lead],
        "ccode2": c2[lead],
        "year": year[first],
        "onset": any_(starts_here),
        "ongoing": any_(ep_start_year[ep] < year),
    }
    for col in ("sidea1", "sidea2", "orig1", "orig2"):
        out[col] = r[col].to_numpy(bool)[lead]
    for col in ("revstate1", "revstate2"):
        out[col] = r[col].to_numpy(float)[lead]
    out["start"] = ep_start[lead_ep].astype("datetime64[D]").astype("datetime64[s]")
    for col in ("hostlev", "fatality", "hiact"):
        both = np.fmax(r[f"{col}1"].to_numpy(float), r[f"{col}2"].to_numpy(float))
        out[col] = max_(both[ri])
    out["duration"] = duration[dyad[lead]].astype(np.int64)
    out["recip"] = recip[dyad[lead]]
    frame = pd.DataFrame(out)
    order = np.lexsort([frame["year"].to_numpy(), frame["ccode2"].to_numpy(),
                        frame["ccode1"].to_numpy(), frame["dispnum"].to_numpy()])
    return frame.iloc[order].reset_index(drop=True)


def start_month(start: pd.Series) -> np.ndarray:
    """Months since year 0 of a start date (for the ``start_month`` tie-break rule)."""
    days = _days(start)
    return _year(days) * 12 + _month(days) - 1
