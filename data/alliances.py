"""Alliance ties and third-party commitments from ATOP, joined onto a dyad-year universe.

Two kinds of variables (the rules, with sources, are in ``docs/panel-alliances.md``):

Dyadic ties
    ``defense``, ``offense``, ``neutral``, ``nonagg``, ``consul``: state A (``ccode1``) promised
    that obligation to state B (``ccode2``) in the year, as in ATOP's directed dyad-year file
    (a flag on ATOP's (stateA, stateB) row). ``*_rev`` carry the reverse promise (B to A);
    ``defense_ally`` is a defense promise in either direction; ``atopids`` lists the ATOP ids
    of the alliances A and B share ("" when none).
Third-party commitments (Leeds 2003; Johnson & Leeds 2011)
    For challenger A and target B: ``n_targdef`` third states C != A with a defense promise to B
    that applies against A, ``n_chalally`` states C != B with a defense promise to A that
    applies against B, ``n_chaloff`` offense promises to A against B, ``n_chalneu`` neutrality
    (optionally non-aggression) promises to A that apply in a conflict with B; ``ptargdef``,
    ``pchalally``, ``pchaloff``, ``pchalneu`` are the counts > 0.

Promises
--------
A *promise* is one record (promisor C, promisee X, year, alliance, obligation) built from the
member-level file: two members of an alliance whose membership spells overlap (by at least a
day) form a pair-year for every year of the overlap, and C's row gives its obligations and
their conditions. ATOP's member rows do not say to whom an obligation is owed in asymmetric
multilateral alliances; by default (``direction="ddyr"``) a promise C -> X of an obligation is
kept only when ATOP's directed dyad-year file flags that obligation for (C, X, year). The
promises form the commitment table (:mod:`foedus.data.commitments`).

Counting
--------
Every third-party variable is a query on the commitment table (:func:`default_queries`),
evaluated by :func:`foedus.data.commitment_queries.aggregate_applicable`: the one place that decides
whether a promise applies against the adversary.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from foedus.data.dyad_index import DyadIndex, expand_ranges, find_sorted, runs, unique_rows
from foedus.data.keys import CODE_BASE, dyad_year_key, membership_key, split_dyad_year_key

if TYPE_CHECKING:  # pragma: no cover
    from foedus.data.panel import BuildLog
    from foedus.data.spec import AllianceRules, PanelSpec

OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
#: last day of each release's coverage (ATOP codes an exit of 0 = still a member then)
COVERAGE = {"5.1": (1815, 2018), "4.01": (1815, 2016)}
#: ATOP member-level condition columns per obligation (ATOP codebook: adversary, location,
#: conflict, number of adversaries, demand / non-compliance, non-provocation)
CONDITIONS = {
    "adversary": {"defense": "defcoadv", "offense": "offcoadv", "neutral": "neucoadv"},
    "location": {"defense": "defcoloc", "offense": "offcoloc", "neutral": "neucoloc"},
    "conflict": {"defense": "defcocon", "offense": "offcocon", "neutral": "neucocon"},
    "number": {"defense": "defconum", "offense": "offconum", "neutral": "neuconum"},
    "demand": {"defense": "defcodem", "offense": "offcodem", "neutral": "neucodem"},
    "nonprovocation": {"defense": "defconpr", "neutral": "neuconpr"},
}
#: ATOP ``pubsecr``: 0 public, 1 public with secret articles, 2 secret alliance (all articles
#: secret: ``secrart`` = 8 in exactly these rows of 5.1)
SECRET_ALLIANCE = 2
_PHASES = 10  # ATOP phases are 0 (none) to 4


# -- member spells, pair-years and membership --------------------------------------------------
def member_spells(members: pd.DataFrame, version: str) -> pd.DataFrame:
    """Member rows with day numbers ``d0`` (entry), ``d1`` (exit) and ``unit``, COW states only.

    ``members`` is the member-level frame of :func:`foedus.data.read_atop_members` (``start``,
    ``end`` datetimes; ``end`` NaT while still a member at the end of the release's coverage).
    ATOP codes one non-COW polity (8152, in alliance 1320); it is dropped, as ATOP's own dyadic
    files drop it. ``unit`` = atopid * 10 + phase identifies an alliance phase: members are
    paired within a phase, because ATOP records a bilateral treaty continued by each successor
    of a dissolved state as separate phases of one alliance (e.g. Czechoslovakia's treaties
    continued by the Czech Republic in one phase and Slovakia in another), and the two
    successors are not allied to each other through it.
    """
    needed = {"atopid", "member", "start", "end", *OBLIGATIONS}
    missing = needed - set(members.columns)
    if missing:
        raise ValueError(f"ATOP member-level frame lacks column(s) {sorted(missing)}")
    last_day = np.datetime64(f"{COVERAGE[version][1]}-12-31")
    m = members.loc[members["member"].astype(np.int64) < CODE_BASE].reset_index(drop=True)
    d0 = m["start"].to_numpy("datetime64[D]")
    d1 = m["end"].to_numpy("datetime64[D]")
    d1 = np.where(np.isnat(d1), last_day, d1)
    phase = pd.to_numeric(m["phase"]).fillna(0).to_numpy(np.int64) if "phase" in m else 0
    m = m.assign(d0=d0.astype(np.int64), d1=d1.astype(np.int64),
                 unit=m["atopid"].to_numpy(np.int64) * _PHASES + phase)
    return m.sort_values(["unit", "member", "d0"], kind="stable").reset_index(drop=True)


def _year_of(day: np.ndarray) -> np.ndarray:
    return day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def pair_years(spells: pd.DataFrame) -> pd.DataFrame:
    """Every (promisor C, promisee X, year, alliance) of two members whose spells overlap.

    Two member rows of one alliance phase overlap when the later entry falls strictly before the
    earlier exit (a state that leaves on the day its successor enters, e.g. the two German
    states and unified Germany on 3 October 1990, is not paired with it: this is what ATOP's
    dyad-year files do). The pair is listed for every calendar year of the overlap.

    Returns
    -------
    pandas.DataFrame
        ``atopid``, ``unit`` (alliance phase), ``c`` (promisor), ``x`` (promisee), ``year``
        (int64) and ``row``: the promisor's row in ``spells``, whose obligations and conditions
        the promise carries.
    """
    unit = spells["unit"].to_numpy(np.int64)
    aid = spells["atopid"].to_numpy(np.int64)
    _, start, size = runs(unit)
    n = np.repeat(size, size)
    i = np.repeat(np.arange(len(aid)), n)
    j = np.repeat(np.repeat(start, size), n) + (np.arange(i.size) - np.repeat(np.cumsum(n) - n, n))
    mem = spells["member"].to_numpy(np.int64)
    d0, d1 = spells["d0"].to_numpy(), spells["d1"].to_numpy()
    keep = mem[i] != mem[j]
    i, j = i[keep], j[keep]
    lo, hi = np.maximum(d0[i], d0[j]), np.minimum(d1[i], d1[j])
    keep = lo < hi
    i, j, lo, hi = i[keep], j[keep], lo[keep], hi[keep]
    r, year = expand_ranges(_year_of(lo), _year_of(hi))
    return pd.DataFrame({"atopid": aid[i[r]], "unit": unit[i[r]], "c": mem[i[r]], "x": mem[j[r]],
                         "year": year, "row": i[r]})


def membership_keys(spells: pd.DataFrame) -> np.ndarray:
    """Sorted unique keys (unit, year, member) of every member-year (any day in the year)."""
    r, year = expand_ranges(_year_of(spells["d0"].to_numpy()), _year_of(spells["d1"].to_numpy()))
    key = membership_key(spells["unit"].to_numpy(np.int64)[r], year, spells["member"].to_numpy(np.int64)[r])
    return np.unique(key)


def _is_member(mkeys: np.ndarray, unit, year, state) -> np.ndarray:
    return find_sorted(mkeys, membership_key(unit, year, state)) >= 0


# -- dyadic ties -------------------------------------------------------------------------------
def _id_labels(matrix: np.ndarray) -> pd.Categorical:
    """Row-wise ';'-joined ascending non-zero ids of an int matrix, as a categorical.

    Strings are built once per distinct set of ids (a few thousand), not once per row.
    """
    big = np.iinfo(np.int64).max
    matrix = np.sort(np.where(matrix > 0, matrix, big), axis=1)  # ids ascending, blanks last
    matrix[matrix == big] = 0
    if matrix.shape[0] == 0:
        return pd.Categorical([], categories=[""])
    uniq, code = unique_rows(matrix)
    labels = [";".join(str(v) for v in row if v) for row in uniq.tolist()]
    return pd.Categorical.from_codes(code, categories=labels)


def ddyr_ties(ddyr: pd.DataFrame) -> pd.DataFrame:
    """Directed ties of ATOP's dyad-year file: ``key`` (year, A, B), obligations, ``atopids``."""
    ids = sorted((c for c in ddyr.columns if c.startswith("atopid") and c[6:].isdigit()),
                 key=lambda c: int(c[6:]))
    matrix = np.column_stack([pd.to_numeric(ddyr[c]).fillna(0).to_numpy(np.int64) for c in ids])
    out = pd.DataFrame({"key": dyad_year_key(ddyr["year"], ddyr["stateA"], ddyr["stateB"])})
    for ob in OBLIGATIONS:
        out[ob] = ddyr[ob].to_numpy(np.int8)
    out["atopids"] = _id_labels(matrix)
    out = out.sort_values("key", kind="stable").reset_index(drop=True)
    if out["key"].duplicated().any():
        raise ValueError("ATOP ddyr lists a (stateA, stateB, year) more than once")
    return out


def directed_ties(version: str) -> pd.DataFrame:
    """ATOP directed dyad-years of a release: what ``stateA`` promised ``stateB`` in ``year``.

    ATOP 5.1: ATOP's own directed dyad-year file. Other releases (4.01 ships no directed file
    here): derived from the member-level file by :func:`member_ties`, which agrees with the 5.1
    directed file on 99.87% of its dyad-years (see ``docs/panel-alliances.md``).

    Returns
    -------
    pandas.DataFrame
        ``stateA``, ``stateB``, ``year`` and the 0/1 obligations of :data:`OBLIGATIONS`.
    """
    from foedus.data import read_atop_ddyr, read_atop_members

    if version == "5.1":
        return read_atop_ddyr(version)
    spells = member_spells(read_atop_members(version), version)
    ties = member_ties(pair_years(spells), spells)
    year, a, b = split_dyad_year_key(ties["key"])
    out = pd.DataFrame({"stateA": a, "stateB": b, "year": year})
    for ob in OBLIGATIONS:
        out[ob] = ties[ob].to_numpy()
    return out


def member_ties(pairs: pd.DataFrame, spells: pd.DataFrame) -> pd.DataFrame:
    """Directed ties derived from the member-level file (same layout as :func:`ddyr_ties`).

    C -> X carries an obligation when C's row in some alliance shared with X that year has it.
    """
    key = dyad_year_key(pairs["year"], pairs["c"], pairs["x"])
    order = np.lexsort((pairs["atopid"].to_numpy(), key))
    key = key[order]
    uniq, start, size = runs(key)
    out = pd.DataFrame({"key": uniq})
    rows = pairs["row"].to_numpy()[order]
    for ob in OBLIGATIONS:
        out[ob] = np.maximum.reduceat(spells[ob].to_numpy(np.int8)[rows], start).astype(np.int8)
    # ids: the alliances of each pair-year, deduplicated, as a (n, k) matrix
    aid = pairs["atopid"].to_numpy(np.int64)[order]
    first = np.r_[True, (key[1:] != key[:-1]) | (aid[1:] != aid[:-1])]
    key, aid = key[first], aid[first]
    g = np.searchsorted(uniq, key)
    pos = np.arange(key.size) - np.searchsorted(key, key)  # rank within the key's run
    matrix = np.zeros((uniq.size, int(pos.max()) + 1 if pos.size else 1), np.int64)
    matrix[g, pos] = aid
    out["atopids"] = _id_labels(matrix)
    return out


def _flag(frame: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(frame[column]).fillna(0).to_numpy(np.int64) == 1


def _state(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.zeros(len(frame), np.int64)
    values = pd.to_numeric(frame[column]).fillna(0).to_numpy(np.int64)
    return np.where((values > 0) & (values < CODE_BASE), values, 0)


# -- the panel step ----------------------------------------------------------------------------
def default_queries(rules: "AllianceRules") -> tuple:
    """The third-party variables every panel has, as :class:`AllianceQuery` s (counts).

    ``n_targdef``: third states C != A with a defense promise to B applicable against A;
    ``n_chalally``: the same for promises to A against B; ``n_chaloff``: offense promises to A
    against B; ``n_chalneu``: neutrality (and, with ``neutrality_includes_nonagg``,
    non-aggression) promises to A applicable in a conflict with B. ``ptargdef`` etc. are the
    counts > 0. With ``flag_atopids`` a fifth count, of defense promises to B from other
    alliances, makes ``ptargdef_excl``.
    """
    from foedus.data.spec import AllianceQuery

    neutral = ("neutral", "nonagg") if rules.neutrality_includes_nonagg else ("neutral",)
    out = [AllianceQuery("n_targdef", "target", ("defense",), aggregate="count"),
           AllianceQuery("n_chalally", "challenger", ("defense",), aggregate="count"),
           AllianceQuery("n_chaloff", "challenger", ("offense",), aggregate="count"),
           AllianceQuery("n_chalneu", "challenger", neutral, aggregate="count")]
    if rules.flag_atopids:
        flagged = [int(i) for i in rules.flag_atopids]
        out.append(AllianceQuery("n_targdef_unflagged", "target", ("defense",),
                                 where=f"atopid not in {flagged}", aggregate="count"))
    return tuple(out)


def alliance_columns(
    frame: pd.DataFrame,
    members: pd.DataFrame,
    rules: "AllianceRules",
    ddyr: pd.DataFrame | None = None,
    log: "BuildLog | None" = None,
    table: pd.DataFrame | None = None,
) -> dict[str, object]:
    """The alliance columns for a dyad-year frame (arrays aligned with its rows).

    Parameters
    ----------
    frame : pandas.DataFrame
        Dyad-years (``ccode1`` = A, the potential challenger; ``ccode2`` = B; ``year``).
    members : pandas.DataFrame
        ATOP member-level frame (:func:`foedus.data.read_atop_members`).
    rules : AllianceRules
    ddyr : pandas.DataFrame, optional
        ATOP directed dyad-years (:func:`foedus.data.read_atop_ddyr`); dyadic ties come from it
        and it fixes the direction of promises (``rules.direction == "ddyr"``). Without it both
        come from the member-level file.
    log : BuildLog, optional
    table : pandas.DataFrame, optional
        The commitment table (:func:`foedus.data.commitments.commitment_table`); built from
        ``members`` and ``ddyr`` when not given (without provider attributes).
    """
    from foedus.data.commitment_queries import query_columns
    from foedus.data.commitments import build_commitments, counted, unowed_promises

    _check_rules(rules)
    note = (lambda msg, **k: log.note("alliances", msg, **k)) if log is not None else (lambda *a, **k: None)
    spells = member_spells(members, rules.version)
    mkeys = membership_keys(spells)
    ties = ddyr_ties(ddyr) if ddyr is not None else member_ties(pair_years(spells), spells)
    if rules.direction == "ddyr" and ddyr is None:
        note(f"ATOP {rules.version} has no directed dyad-year file: promises run from every member "
             "with the obligation to every other member (direction='members')")
    if table is None:
        table = build_commitments(members, rules.version, ddyr, direction=rules.direction)

    dyads = DyadIndex(frame["year"], frame["ccode1"], frame["ccode2"])
    t = dyads.year
    first, last = COVERAGE[rules.version]
    known = (t >= first) & (t <= last)
    if (~known).any():
        note(f"{int((~known).sum()):,} dyad-years outside ATOP {rules.version} coverage "
             f"({first}-{last}): alliance columns NA", rows=int((~known).sum()))

    unknown_rows = ~known

    def nullable(values, dtype="Int8"):
        data = np.asarray(values).astype(dtype.lower())
        if unknown_rows.any():
            data[unknown_rows] = 0
        return pd.arrays.IntegerArray(data, unknown_rows.copy())

    cols: dict[str, object] = {}
    tk = ties["key"].to_numpy()
    ty, ta, tb = split_dyad_year_key(tk)
    fwd, rev = dyads.locate(ty, ta, tb), dyads.locate(ty, tb, ta)  # A->B rows, B->A rows
    for ob in OBLIGATIONS:
        cols[ob] = dyads.put(fwd, ties[ob].to_numpy())
        cols[f"{ob}_rev"] = dyads.put(rev, ties[ob].to_numpy())
    cols["defense_ally"] = cols["defense"] | cols["defense_rev"]
    cols = {name: nullable(v) for name, v in cols.items()}
    ids = ties["atopids"].array
    labels = ["", *[c for c in ids.categories if c != ""]]
    label_of = pd.Categorical(ids, categories=labels).codes.astype(np.int64)
    code = dyads.put(fwd, label_of)  # 0 is "": no shared alliance
    cols["atopids"] = pd.Categorical.from_codes(np.where(known, code, -1), categories=labels)

    present = set(table["atopid"].astype(int)) | set(spells["atopid"].astype(int))
    unknown = [i for i in sorted(set(rules.exclude_atopids) | set(rules.flag_atopids)) if int(i) not in present]
    if unknown:
        note(f"ATOP ids {unknown} are not in ATOP {rules.version}: nothing to exclude or flag")

    queries = default_queries(rules)
    dropped: dict[str, int] = {}
    used = sorted({o for q in queries for o in q.obligations})
    if ddyr is not None and rules.direction == "ddyr":
        dropped["not owed to this member (ATOP ddyr)"] = unowed_promises(spells, ties, used)
    counted(table, rules, used, counts=dropped)
    for why, count in sorted(dropped.items()):
        if count:
            note(f"third-party coding: {count:,} promise-years dropped ({why})", dropped=count)
    values = query_columns(dyads, table, mkeys, rules, queries)
    for name in ("targdef", "chalally", "chaloff", "chalneu"):
        n = values[f"n_{name}"]
        cols[f"n_{name}"] = nullable(n, "Int16")
        cols[f"p{name}"] = nullable(n > 0)
        if name == "targdef" and rules.flag_atopids:
            cols["ptargdef_excl"] = nullable((n > 0) & (values["n_targdef_unflagged"] == 0))
    for q in rules.queries:
        why: dict[str, int] = {}
        values = query_columns(dyads, table, mkeys, rules, (q,), why)
        cols[q.name] = query_column(values[q.name], rules.queries, q.name, known)
        na = why.get("query filter is NA (a missing value in a column it reads)", 0)
        if q.where:
            note(f"query {q.name}: filter {q.where!r} keeps {int(counted(table, rules, q.obligations, q.where).sum()):,} "
                 f"promise-years, drops {why.get('query filter', 0) + na:,}"
                 + (f", {na:,} of them because the filter is NA on a missing value" if na else ""),
                 dropped=why.get("query filter", 0) + na, dropped_na=na)
    return cols


def query_column(values, queries, name: str, known: np.ndarray):
    """A query's values as a panel column: NA outside the alliance data's years.

    ``any`` -> Int8 (0/1), ``count`` -> Int16, ages -> Int16 (NA also when no promise
    applies), ``ids`` -> categorical string ("" when none).
    """
    aggregate = next(q.aggregate for q in queries if q.name == name)
    if aggregate == "ids":
        codes = np.where(known, values.codes, -1)
        return pd.Categorical.from_codes(codes, categories=values.categories)
    values = np.asarray(values)
    missing = ~known | (values < 0) if aggregate in ("newest_age", "oldest_age") else ~known
    dtype = np.int8 if aggregate == "any" else np.int16
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(dtype), missing)


def _check_rules(rules: "AllianceRules") -> None:
    if rules.version not in COVERAGE:
        raise ValueError(f"AllianceRules.version={rules.version!r}: ATOP versions are {sorted(COVERAGE)}")
    bad = [c for c in rules.exclude_conditions if c not in CONDITIONS or c == "adversary"]
    if bad:
        raise ValueError(
            f"AllianceRules.exclude_conditions: unknown condition(s) {bad}; choose among "
            f"{[c for c in CONDITIONS if c != 'adversary']} (adversary conditions are set by "
            "adversary_conditions / unnamed_adversary)"
        )


def step_columns(spec: "PanelSpec") -> tuple:
    """The columns :func:`add_alliances` adds under ``spec`` (its panel-step declaration)."""
    rules = spec.alliances
    third = []
    for name in ("targdef", "chalally", "chaloff", "chalneu"):
        third += [f"n_{name}", f"p{name}"]
        if name == "targdef" and rules.flag_atopids:
            third.append("ptargdef_excl")
    return (*(c for ob in OBLIGATIONS for c in (ob, f"{ob}_rev")), "defense_ally", "atopids",
            *third, *(q.name for q in rules.queries))


def add_alliances(frame: pd.DataFrame, spec: "PanelSpec", log: "BuildLog") -> pd.DataFrame:
    """Panel step: ATOP dyadic ties and third-party commitments (same rows, new columns).

    Reads the member-level file of ``spec.alliances.version`` and, for 5.1, ATOP's directed
    dyad-year file; the third-party variables and ``spec.alliances.queries`` come from the
    spec's commitment table (:func:`foedus.data.commitments.commitment_table`, cached). See
    :func:`alliance_columns` and ``docs/panel-alliances.md``.
    """
    from foedus.data import read_atop_ddyr, read_atop_members
    from foedus.data.commitments import commitment_table

    rules = spec.alliances
    members = read_atop_members(rules.version)
    ddyr = read_atop_ddyr(rules.version) if rules.version == "5.1" else None
    cols = alliance_columns(frame, members, rules, ddyr, log, commitment_table(spec))
    return frame.assign(**cols)
