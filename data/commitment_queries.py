"""Queries on the commitment table: which promises apply against an adversary, reduced to one
value per dyad-year (Leeds 2003; Johnson & Leeds 2011).

For each dyad-year (A = ``ccode1``, B = ``ccode2``) and a side (the *target* B or the
*challenger* A), the promises of third states to that side that apply against the other side
(:func:`aggregate_applicable`), reduced to any, the count of providers, the newest / oldest
alliance age or the list of ATOP ids. :func:`query_columns` evaluates the
:class:`~foedus.data.spec.AllianceQuery` s of a panel on the table of
:mod:`foedus.data.commitments`, whose :func:`~foedus.data.commitments.counted` applies the
:class:`~foedus.data.spec.AllianceRules` filters first.

Applicability
-------------
A promise of C to X in year t applies against Y when C != Y and
- it names no adversary (``adv1 = adv2 = 0``) and, unless ``AllianceRules.intra_alliance``,
  Y is not a member of the promise's alliance phase in year t; or
- it names Y as an adversary and (unless ``intra_alliance``) Y is not a member of the phase.

Computation without (dyad-year, third state) pairs
--------------------------------------------------
For a promisee X and year t, every adversary Y that is neither a member of an alliance phase
through which X holds an unconditional promise nor named by a promise to X sees the same set
of applicable promises: all unconditional ones. That *base* value is computed once per
(X, t) and read by every row. Only the *touched* triples (t, X, Y) -- Y a member of one of
those phases, or named -- are evaluated promise by promise (a few million pairs for
1816-2014), and override the base.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from foedus.data import alliances as al
from foedus.data.commitments import AGGREGATES, counted, records
from foedus.data.dyad_index import DyadIndex, expand_ranges
from foedus.data.keys import (CODE_BASE, YEAR_BASE, dyad_year_key, membership_key, split_dyad_year_key,
                              state_year_key)

if TYPE_CHECKING:  # pragma: no cover
    from foedus.data.spec import AllianceRules


def applies_against(c, adv1, adv2, unit, year, y, mkeys: np.ndarray,
                    intra_alliance: bool = False) -> np.ndarray:
    """The applicability rule, promise by promise: does the promise of ``c`` (conditional on
    ``adv1``/``adv2``, 0 = none; alliance phase ``unit``) in ``year`` apply against ``y``?

    True when ``c != y``, the promise names no adversary or names ``y``, and (unless
    ``intra_alliance``) ``y`` is not a member of the phase in the year. :func:`applicable_values`
    evaluates the same rule on whole (promisee, year, phase) blocks of unconditional promises.
    """
    c, adv1, adv2, y = (np.asarray(v, np.int64) for v in (c, adv1, adv2, y))
    ok = (c != y) & (((adv1 == 0) & (adv2 == 0)) | (adv1 == y) | (adv2 == y))
    if not intra_alliance:
        ok &= ~al._is_member(mkeys, unit, year, y)
    return ok


def _reduce(group: np.ndarray, rec: dict, rows: np.ndarray, aggregate: str):
    """Distinct groups and one value per group (ids: a Categorical of ';'-joined ids).

    ``group`` is ascending and, within a group, ``rec["c"][rows]`` too (the records are sorted
    by (year, promisee, provider, atopid) in :func:`aggregate_applicable`), so runs replace
    hashing.
    """
    if group.size == 0:
        empty = np.zeros(0, np.int64)
        return empty, (pd.Categorical([], categories=[""]) if aggregate == "ids" else empty)
    start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    keys = group[start]
    if aggregate == "any":
        return keys, np.ones(keys.size, np.int64)
    if aggregate == "count":
        c = rec["c"][rows]
        new = np.r_[True, (group[1:] != group[:-1]) | (c[1:] != c[:-1])]
        return keys, np.add.reduceat(new.astype(np.int64), start)
    if aggregate == "ids":
        pair = np.unique(group.astype(np.int64) * 100_000 + rec["atopid"][rows])  # ids < 100000
        g, v = pair // 100_000, pair % 100_000
        _, first, size = np.unique(g, return_index=True, return_counts=True)
        matrix = np.zeros((keys.size, int(size.max())), np.int64)
        matrix[np.repeat(np.arange(keys.size), size), np.arange(g.size) - np.repeat(first, size)] = v
        return keys, al._id_labels(matrix)
    reduce = np.minimum if aggregate == "newest_age" else np.maximum
    return keys, reduce.reduceat(rec["age"][rows], start)


def aggregate_applicable(dyads: DyadIndex, side: str, rec: dict | pd.DataFrame, mkeys: np.ndarray,
                         intra_alliance: bool = False, aggregate: str = "count"):
    """One value per dyad-year from the promises to one side that apply against the other.

    Parameters
    ----------
    dyads : DyadIndex
    side : {"target", "challenger"}
        "target": promisee X = ``ccode2``, adversary Y = ``ccode1``; "challenger": the reverse.
    rec : dict or pandas.DataFrame
        Promise records: ``c``, ``x``, ``year``, ``atopid``, ``unit`` (alliance phase),
        ``adv1``, ``adv2`` (named adversaries, 0 = none), and ``age`` for the age aggregates
        (:func:`records`; :func:`foedus.data.cow_alliances.cow_defense_promises` has the layout).
    mkeys : numpy.ndarray
        Membership keys (unit, year, member) (:func:`foedus.data.alliances.membership_keys`).
    intra_alliance : bool
        A promise applies even when Y is a member of its alliance (only C == Y is excluded).
    aggregate : {"any", "count", "newest_age", "oldest_age", "ids"}

    Returns
    -------
    numpy.ndarray or pandas.Categorical
        ``any``: int (0/1); ``count``: int (distinct providers); ``newest_age`` /
        ``oldest_age``: int, -1 when no promise applies; ``ids``: Categorical of ';'-joined
        ascending ATOP ids ("" when none).
    """
    return scatter(dyads, side, applicable_values(rec, mkeys, intra_alliance, aggregate))


class Applicable(NamedTuple):
    """Per-(year, promisee) base values and per-(year, promisee, adversary) overrides."""

    base_keys: np.ndarray  # (t, x) keys
    base_vals: np.ndarray
    tri: np.ndarray  # touched (t, x, y) keys
    tri_vals: np.ndarray
    empty: int  # the value when nothing applies (codes of "" for ids)
    labels: list | None  # ids: the categories the values index


def applicable_values(rec: dict | pd.DataFrame, mkeys: np.ndarray, intra_alliance: bool = False,
                      aggregate: str = "count") -> Applicable:
    """The side-independent half of :func:`aggregate_applicable` (a promise to X applying
    against Y is the same fact for the target query of (Y, X) and the challenger query of (X, Y))."""
    if aggregate not in AGGREGATES:
        raise ValueError(f"aggregate must be one of {AGGREGATES}, got {aggregate!r}")
    rec = {k: np.asarray(rec[k], np.int64) for k in ("c", "x", "year", "atopid", "unit", "adv1", "adv2")} | (
        {"age": np.asarray(rec["age"], np.int64)} if "age" in rec else {})
    xt = state_year_key(rec["year"], rec["x"])
    order = np.lexsort((rec["atopid"], rec["c"], xt))  # runs of (t, x), providers ascending within
    rec = {k: v[order] for k, v in rec.items()}
    xt = xt[order]
    c, t, unit, a1, a2 = (rec[k] for k in ("c", "year", "unit", "adv1", "adv2"))
    x = rec["x"]
    named = (a1 != 0) | (a2 != 0)

    # base: every unconditional promise to (x, t) applies against an untouched adversary
    general = np.flatnonzero(~named)
    base_keys, base_vals = _reduce(xt[general], rec, general, aggregate)

    # touched triples (t, x, y): y a member of a phase of an unconditional promise, or named
    ux = np.unique(membership_key(unit[general], t[general], x[general]))
    uy, ux_x = ux // CODE_BASE, ux % CODE_BASE
    lo = np.searchsorted(mkeys, uy * CODE_BASE)
    hi = np.searchsorted(mkeys, (uy + 1) * CODE_BASE)
    rr, idx = expand_ranges(lo, hi - 1)
    tri = np.concatenate([dyad_year_key(uy[rr] % YEAR_BASE, ux_x[rr], mkeys[idx] % CODE_BASE),
                          dyad_year_key(t[named], x[named], a1[named])[a1[named] > 0],
                          dyad_year_key(t[named], x[named], a2[named])[a2[named] > 0]])
    tri = np.unique(tri)
    tri = tri[tri % CODE_BASE != (tri // CODE_BASE) % CODE_BASE]  # y == x is no dyad

    # the promises of (x, t) that apply against y, for each touched triple. Unconditional
    # promises are taken by block (x, t, phase): a block applies or not as a whole (y a member
    # of the phase or not), so blocked blocks -- usually the big multilateral one that made y
    # touched -- are never listed promise by promise.
    ty = tri % CODE_BASE
    blocks = general[np.lexsort((unit[general], xt[general]))]  # (xt, phase) runs
    bstart = np.flatnonzero(np.r_[True, (xt[blocks][1:] != xt[blocks][:-1])
                                  | (unit[blocks][1:] != unit[blocks][:-1])]) if blocks.size else blocks
    bend = np.r_[bstart[1:], blocks.size]
    bxt, bunit = xt[blocks][bstart], unit[blocks][bstart]
    ti, b = expand_ranges(np.searchsorted(bxt, tri // CODE_BASE, "left"), np.searchsorted(bxt, tri // CODE_BASE, "right") - 1)
    if not intra_alliance:
        keep = ~al._is_member(mkeys, bunit[b], tri[ti] // (CODE_BASE * CODE_BASE), ty[ti])
        ti, b = ti[keep], b[keep]
    rr, pos = expand_ranges(bstart[b], bend[b] - 1)
    ti_g, r_g = ti[rr], blocks[pos]
    ok = c[r_g] != ty[ti_g]  # the adversary's own promise is never a third party's
    ti_g, r_g = ti_g[ok], r_g[ok]
    # adversary-specific promises, record by record
    nam = np.flatnonzero(named)
    nxt = xt[nam]
    ti, rn = expand_ranges(np.searchsorted(nxt, tri // CODE_BASE, "left"), np.searchsorted(nxt, tri // CODE_BASE, "right") - 1)
    r = nam[rn]
    ok = applies_against(c[r], a1[r], a2[r], unit[r], t[r], ty[ti], mkeys, intra_alliance)
    ti = np.concatenate([ti_g, ti[ok]])
    r = np.concatenate([r_g, r[ok]])
    order = np.lexsort((r, ti))  # r ascending = providers ascending within (t, x)
    ti, r = ti[order], r[order]
    tri_keys, tri_vals = _reduce(ti, rec, r, aggregate)

    empty = -1 if aggregate in ("newest_age", "oldest_age") else 0
    if aggregate == "ids":
        labels = pd.Index(base_vals.categories).union(pd.Index(tri_vals.categories)).union(pd.Index([""]))
        empty = labels.get_loc("")
        base_vals = labels.get_indexer(base_vals.categories)[base_vals.codes]
        tri_vals = labels.get_indexer(tri_vals.categories)[tri_vals.codes]
    full = np.full(tri.size, empty, np.int64)
    full[tri_keys] = tri_vals
    return Applicable(base_keys, np.asarray(base_vals, np.int64), tri, full, empty,
                      list(labels) if aggregate == "ids" else None)


def scatter(dyads: DyadIndex, side: str, values: Applicable):
    """:func:`applicable_values` as one value per row of ``dyads`` (see :func:`aggregate_applicable`)."""
    if side not in ("target", "challenger"):
        raise ValueError(f"side must be 'target' or 'challenger', got {side!r}")
    side_col = "ccode2" if side == "target" else "ccode1"
    tri = values.tri
    ty, tx, tyv = split_dyad_year_key(tri)
    located = dyads.locate(ty, tyv, tx) if side == "target" else dyads.locate(ty, tx, tyv)
    k = values.base_keys
    out = dyads.by_state_year(side_col, k // CODE_BASE, k % CODE_BASE, values.base_vals, values.empty)
    hit, rows = located
    out[rows] = values.tri_vals[hit]
    if values.labels is not None:
        return pd.Categorical.from_codes(out, categories=values.labels)
    return out


def query_columns(dyads: DyadIndex, table: pd.DataFrame, mkeys: np.ndarray, rules: "AllianceRules",
                  queries, counts: dict | None = None) -> dict:
    """Columns (numpy arrays / Categoricals aligned with ``dyads``) of :class:`AllianceQuery` s."""
    out, done = {}, {}
    for q in queries:
        key = (tuple(sorted(q.obligations)), q.where, q.aggregate)
        if key not in done:  # e.g. ptargdef and pchalally: the same promises, two sides
            mask = counted(table, rules, q.obligations, q.where, counts)
            rec = records(table, mask, rules.adversary_conditions)
            done[key] = applicable_values(rec, mkeys, rules.intra_alliance, q.aggregate)
        out[q.name] = scatter(dyads, q.side, done[key])
    return out


__all__ = ["Applicable", "aggregate_applicable", "applicable_values", "applies_against", "query_columns",
           "scatter"]
