"""The commitment table: one row per ATOP promise-year, and the rules that filter it.

Two layers (``docs/panel-alliances.md`` documents both, column by column):

The commitment table (:func:`commitment_table`, :func:`build_commitments`)
    One row per (year, provider, recipient, ATOP id, phase, obligation): state ``provider``
    promised ``recipient`` that obligation in that year through that alliance phase, with the
    promise's conditions, the alliance's attributes and the provider's status in the year. It
    holds every promise of the release (the panel's rules are *not* applied to it), so a user
    can filter it freely.
Queries (:mod:`foedus.data.commitment_queries`)
    For each dyad-year (A = ``ccode1``, B = ``ccode2``) and a side (the *target* B or the
    *challenger* A), the promises of third states to that side that apply against the other
    side, reduced to one value (any, count of providers, newest / oldest alliance age, list of
    ATOP ids). Which promises count is decided in two places only: :func:`counted` (the
    :class:`~foedus.data.spec.AllianceRules` filters: secrecy, wartime, excluded alliances,
    conditions, non-system providers) and
    :func:`foedus.data.commitment_queries.aggregate_applicable` (whether a promise to X applies
    against adversary Y). Every third-party variable of the panel (``ptargdef``,
    ``pchalally``, ``pchaloff``, ``pchalneu``, the ``n_*`` counts, ``ptargdef_excl``, the
    nuclear / non-nuclear defender counts) and every :class:`~foedus.data.spec.AllianceQuery`
    goes through them.

The rules of applicability and how they are computed without (dyad-year, third state) pairs
are in :mod:`foedus.data.commitment_queries`.
"""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from foedus.data import alliances as al
from foedus.data.alliances import _PHASES, CONDITIONS, OBLIGATIONS, SECRET_ALLIANCE
from foedus.data.dyad_index import find_sorted
from foedus.data.keys import CODE_BASE, dyad_year_key, state_year_key, unit_year_key

if TYPE_CHECKING:  # pragma: no cover
    from foedus.data.panel import BuildLog
    from foedus.data.spec import AllianceQuery, AllianceRules, PanelSpec

#: Bump when the table's columns or their coding change (part of the cache key).
TABLE_SCHEMA = 1
AGGREGATES = ("any", "count", "newest_age", "oldest_age", "ids")
#: condition columns of the table, in order (ATOP member-level variables per obligation)
CONDITION_COLUMNS = ("location", "conflict", "number", "demand", "nonprovocation")
#: ATOP codes consultation conditions too (concoadv, concoloc, concocon)
_CONSUL_CONDITIONS = {"adversary": "concoadv", "location": "concoloc", "conflict": "concocon"}


def _condition_column(name: str, obligation: str) -> str | None:
    if obligation == "consul":
        return _CONSUL_CONDITIONS.get(name)
    return CONDITIONS[name].get(obligation)


def _nullable_flag(frame: pd.DataFrame, column: str, rows: np.ndarray) -> pd.arrays.BooleanArray:
    """``column == 1`` at ``rows`` as a nullable boolean (NA where blank or the column is absent)."""
    if column not in frame:
        return pd.array(np.full(rows.size, pd.NA), dtype="boolean")
    values = pd.to_numeric(frame[column]).to_numpy(np.float64)[rows]
    return pd.arrays.BooleanArray(values == 1, np.isnan(values))


def _query(*args, **kwargs):
    from foedus.data.spec import AllianceQuery

    return AllianceQuery(*args, **kwargs)


#: Ready-made queries for the deterrence debate (declare them in ``AllianceRules.queries``).
#: ``ptargoff``: some third state C != A promised the target B offensive support applicable
#: against the challenger A (ATOP offense obligation C -> B; Leeds & Johnson 2017, Table A7);
#: ``ptargneu``: some C promised B neutrality applicable in a conflict with A; ``targdef_ids``:
#: the ATOP ids of the alliances through which the target holds an applicable third-party
#: defense promise (Kenwick & Vasquez 2017 build pact age and formation from them; each id's
#: formation year is ``alliance_start`` of the commitment table, or ATOP's ``begyr``).
PTARGOFF = _query("ptargoff", "target", ("offense",), aggregate="any")
PTARGNEU = _query("ptargneu", "target", ("neutral",), aggregate="any")
TARGDEF_IDS = _query("targdef_ids", "target", ("defense",), aggregate="ids")


# -- the table -----------------------------------------------------------------------------------
def build_commitments(
    members: pd.DataFrame,
    version: str = "5.1",
    ddyr: pd.DataFrame | None = None,
    *,
    direction: str = "ddyr",
    alliances: pd.DataFrame | None = None,
    system: pd.DataFrame | None = None,
    majors: pd.DataFrame | None = None,
    nuclear: pd.DataFrame | None = None,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """The commitment table of an ATOP release (see the module docstring and the docs page).

    Parameters
    ----------
    members : pandas.DataFrame
        ATOP member-level frame (:func:`foedus.data.read_atop_members`).
    version : str
        ATOP release (its coverage fixes the exit date of members still in at the end).
    ddyr : pandas.DataFrame, optional
        ATOP directed dyad-years; with ``direction="ddyr"`` a promise C -> X of an obligation
        is kept only when this file flags it for (C, X, year) (ATOP's member rows do not say to
        whom an asymmetric obligation is owed).
    direction : {"ddyr", "members"}
    alliances : pandas.DataFrame, optional
        ATOP alliance-level frame, for ``alliance_start`` (``begyr``); without it the earliest
        member entry of the alliance is used.
    system, majors, nuclear : pandas.DataFrame, optional
        COW system state-years (``ccode``, ``year``), COW major-power spells (``read_majors``),
        a :func:`foedus.data.nuclear_status.nuclear_status_table`: ``provider_system``,
        ``provider_major``, ``provider_nuclear`` (NA columns when not given; no
        ``provider_nuclear`` column without ``nuclear``).
    years : (int, int), optional
        Keep these years only.

    Returns
    -------
    pandas.DataFrame
        Sorted by (year, provider, recipient, atopid, phase, obligation), which is unique.
    """
    spells = al.member_spells(members, version)
    pairs = al.pair_years(spells)
    if years is not None:
        pairs = pairs.loc[(pairs["year"] >= years[0]) & (pairs["year"] <= years[1])]
    ties = al.ddyr_ties(ddyr) if (ddyr is not None and direction == "ddyr") else None
    parts = [_obligation_rows(pairs.loc[_owed(pairs, spells, ob, ties)], spells, ob, code)
             for code, ob in enumerate(OBLIGATIONS)]
    table = pd.concat(parts, ignore_index=True)
    table["obligation"] = pd.Categorical.from_codes(table["obligation"].to_numpy(),
                                                    categories=list(OBLIGATIONS))

    # alliance start, phase start, age
    aid = table["atopid"].to_numpy(np.int64)
    alliance_start = al._year_of(spells.groupby("atopid")["d0"].min().reindex(aid).to_numpy())
    if alliances is not None:
        begyr = alliances.set_index("atopid")["begyr"].astype(np.int64)
        found = pd.Series(aid).isin(begyr.index).to_numpy()
        alliance_start = np.where(found, begyr.reindex(aid).fillna(0).to_numpy(np.int64), alliance_start)
    unit = aid * _PHASES + table["phase"].to_numpy(np.int64)
    phase_start = al._year_of(spells.groupby("unit")["d0"].min().reindex(unit).to_numpy())
    year = table["year"].to_numpy(np.int64)
    table["alliance_start"] = alliance_start.astype(np.int16)
    table["phase_start"] = phase_start.astype(np.int16)
    table["age"] = (year - alliance_start).astype(np.int16)

    mkeys = al.membership_keys(spells)
    unit_year, size = np.unique(mkeys // CODE_BASE, return_counts=True)
    table["n_members"] = size[np.searchsorted(unit_year, unit_year_key(unit, year))].astype(np.int16)

    provider, y = table["provider"].to_numpy(np.int64), year
    table["provider_major"] = _state_year_flag(provider, y, None if majors is None else _major_years(majors))
    table["provider_system"] = _state_year_flag(provider, y, system)
    if nuclear is not None:
        from foedus.data.nuclear_status import is_nuclear

        table["provider_nuclear"] = pd.array(is_nuclear(provider, y, nuclear), dtype="boolean")
    order = np.lexsort([table[c].cat.codes if c == "obligation" else table[c].to_numpy()
                        for c in ("obligation", "phase", "atopid", "recipient", "provider", "year")])
    return table.iloc[order].reset_index(drop=True)


def _owed(pairs: pd.DataFrame, spells: pd.DataFrame, ob: str, ties: pd.DataFrame | None,
          unowed: bool = False) -> np.ndarray:
    """Pair-years whose promisor's row has the obligation and (with ``ties``, ATOP's directed
    file) to whom ATOP's directed file says it is owed; ``unowed``: those it says are not."""
    keep = spells[ob].to_numpy()[pairs["row"].to_numpy()] == 1
    if ties is None:
        return np.zeros_like(keep) if unowed else keep
    key = dyad_year_key(pairs["year"].to_numpy()[keep], pairs["c"].to_numpy()[keep], pairs["x"].to_numpy()[keep])
    pos = find_sorted(ties["key"].to_numpy(), key)
    owed = np.where(pos >= 0, ties[ob].to_numpy()[np.maximum(pos, 0)], 0) == 1
    out = np.zeros_like(keep)
    out[np.flatnonzero(keep)[owed != unowed]] = True
    return out


def unowed_promises(spells: pd.DataFrame, ties: pd.DataFrame, obligations) -> int:
    """Member-level promise-years of ``obligations`` that ATOP's directed file (``ties``,
    :func:`foedus.data.alliances.ddyr_ties`) does not owe (left out of the commitment table
    under ``direction="ddyr"``; reported in the build log)."""
    pairs = al.pair_years(spells)
    return int(sum(_owed(pairs, spells, ob, ties, unowed=True).sum() for ob in obligations))


def _obligation_rows(p: pd.DataFrame, spells: pd.DataFrame, ob: str, code: int) -> pd.DataFrame:
    row = p["row"].to_numpy()
    unit = p["unit"].to_numpy(np.int64)
    out = pd.DataFrame({
        "year": p["year"].to_numpy(np.int16), "provider": p["c"].to_numpy(np.int16),
        "recipient": p["x"].to_numpy(np.int16), "atopid": p["atopid"].to_numpy(np.int16),
        "phase": (unit % _PHASES).astype(np.int8), "obligation": np.full(len(p), code, np.int8),
    })
    column = _condition_column("adversary", ob)
    limited = (al._flag(spells, column)[row] if column is not None and column in spells
               else np.zeros(len(p), bool))
    out["adversary"] = limited
    out["adv1"] = np.where(limited, al._state(spells, "statthr1")[row], 0).astype(np.int16)
    out["adv2"] = np.where(limited, al._state(spells, "statthr2")[row], 0).astype(np.int16)
    for name in CONDITION_COLUMNS:
        column = _condition_column(name, ob)
        out[name] = al._flag(spells, column)[row] if column is not None and column in spells else False
    if "pubsecr" in spells:
        secr = pd.to_numeric(spells["pubsecr"]).to_numpy(np.float64)[row]
        out["secret"] = pd.arrays.IntegerArray(np.nan_to_num(secr).astype(np.int8), np.isnan(secr))
    else:
        out["secret"] = pd.array(np.full(len(p), pd.NA), dtype="Int8")
    out["wartime"] = _nullable_flag(spells, "wartime", row)
    out["bilateral"] = _nullable_flag(spells, "bilat", row)
    return out


def _major_years(majors: pd.DataFrame) -> pd.DataFrame:
    from foedus.data.majors import major_years

    return major_years(majors)


def _state_year_flag(ccode: np.ndarray, year: np.ndarray, table: pd.DataFrame | None):
    """Whether (ccode, year) is a row of ``table`` (``ccode``, ``year``); NA without a table or
    outside its years."""
    if table is None:
        return pd.array(np.full(ccode.size, pd.NA), dtype="boolean")
    keys = np.unique(state_year_key(table["year"], table["ccode"]))
    hit = find_sorted(keys, state_year_key(year, ccode)) >= 0
    y = table["year"].to_numpy(np.int64)
    outside = (year < y.min()) | (year > y.max())
    return pd.arrays.BooleanArray(hit, outside)


def table_key(spec: "PanelSpec") -> dict:
    """What the commitment table of a spec depends on (the key of its cache)."""
    rules = spec.alliances
    cov = spec.covariates
    return {"schema": TABLE_SCHEMA, "version": rules.version, "direction": rules.direction,
            "years": list(spec.years), "system_version": spec.system_version,
            "nuclear": None if cov is None else cov.nuclear,
            "nuclear_overrides": [] if cov is None else list(cov.nuclear_overrides)}


def commitment_table(spec: "PanelSpec | None" = None, *, cache: bool = True) -> pd.DataFrame:
    """The commitment table for a spec's ATOP release and years (cached on disk).

    Parameters
    ----------
    spec : PanelSpec, optional
        ``alliances.version`` and ``alliances.direction`` fix the promises, ``years`` the
        rows, ``covariates.nuclear`` (and its overrides) adds ``provider_nuclear``. The
        panel's applicability rules are not applied (see :func:`counted`).
    cache : bool
        Read / write ``<FOEDUS_CACHE>/commitments/<digest>.parquet`` (digest: sha256 of
        :func:`table_key`, as the panel cache).

    Returns
    -------
    pandas.DataFrame
        Columns documented in ``docs/panel-alliances.md`` ("The commitment table").
    """
    from foedus.data import read_atop_alliances, read_atop_ddyr, read_atop_members, read_majors, read_system
    from foedus.data.panel import cached_frame
    from foedus.data.spec import PanelSpec

    spec = spec or PanelSpec()
    if spec.alliances is None:
        raise ValueError("commitment_table(spec): spec.alliances is None; give a spec with AllianceRules")
    key = table_key(spec)
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]

    def build() -> pd.DataFrame:
        rules = spec.alliances
        nuclear = None
        if spec.covariates is not None and spec.covariates.nuclear is not None:
            from foedus.data.nuclear_status import nuclear_status_table

            nuclear = nuclear_status_table(spec.covariates.nuclear, spec.covariates.nuclear_overrides)
        return build_commitments(
            read_atop_members(rules.version), rules.version,
            read_atop_ddyr(rules.version) if rules.version == "5.1" else None,
            direction=rules.direction, alliances=read_atop_alliances(rules.version),
            system=read_system(spec.system_version), majors=read_majors(), nuclear=nuclear,
            years=tuple(spec.years))

    return cached_frame("commitments", digest, build, cache=cache)


# -- the rules -----------------------------------------------------------------------------------
def counted(table: pd.DataFrame, rules: "AllianceRules", obligations=OBLIGATIONS, where: str = "",
            counts: dict | None = None) -> np.ndarray:
    """Mask of the table's promises that enter third-party coding under ``rules``.

    The filters, in order (each one's removals are added to ``counts``): the obligations;
    ``secret="exclude"`` drops ATOP ``pubsecr == 2`` (a missing ``pubsecr`` is not known to be
    secret and is kept); ``exclude_atopids``; ``exclude_conditions``; ``unnamed_adversary=
    "never"`` (with ``adversary_conditions``) drops adversary-conditional promises naming no
    state; ``wartime="exclude"`` drops ``wartime == 1`` (missing kept);
    ``nonsystem_providers="drop"`` drops providers outside the COW system that year; finally
    the query's ``where`` expression.
    """
    counts = {} if counts is None else counts
    keep = table["obligation"].isin(list(obligations)).to_numpy()

    def drop(mask, why: str) -> None:
        nonlocal keep
        mask = np.asarray(mask, bool)
        counts[why] = counts.get(why, 0) + int((keep & mask).sum())
        keep = keep & ~mask

    if rules.secret == "exclude":
        drop(table["secret"].fillna(0).to_numpy() == SECRET_ALLIANCE, "secret alliance")
    if rules.exclude_atopids:
        drop(table["atopid"].isin([int(i) for i in rules.exclude_atopids]).to_numpy(), "excluded atopid")
    for name in rules.exclude_conditions:
        drop(table[name].to_numpy(bool), f"condition: {name}")
    if rules.adversary_conditions and rules.unnamed_adversary == "never":
        unnamed = (table["adversary"].to_numpy(bool) & (table["adv1"].to_numpy() == 0)
                   & (table["adv2"].to_numpy() == 0))
        drop(unnamed, "adversary condition without named states")
    if rules.wartime == "exclude":
        drop(table["wartime"].fillna(False).to_numpy(bool), "formed in wartime")
    if rules.nonsystem_providers == "drop":
        system = table["provider_system"]
        if system.isna().all() and len(system):
            raise ValueError("AllianceRules.nonsystem_providers='drop' needs the COW system "
                             "membership of providers (build_commitments(system=...))")
        drop(~system.fillna(True).to_numpy(bool), "provider not a COW system member")
    if where:
        try:
            mask = table.eval(where)
        except Exception as exc:  # pandas raises many kinds; name the query and the columns
            raise ValueError(f"alliance query filter {where!r} failed on the commitment table "
                             f"({exc}); its columns: {list(table.columns)}") from None
        mask = pd.array(mask, dtype="boolean")
        drop(np.asarray(mask.isna()), "query filter is NA (a missing value in a column it reads)")
        drop(~np.asarray(mask.fillna(True), bool), "query filter")
    return keep


def records(table: pd.DataFrame, mask: np.ndarray, adversary_conditions: bool = True) -> dict:
    """What :func:`foedus.data.commitment_queries.aggregate_applicable` reads, for the promises in ``mask``."""
    t = table.loc[mask]
    phase = t["phase"].to_numpy(np.int64)
    aid = t["atopid"].to_numpy(np.int64)
    zero = np.zeros(len(t), np.int64)
    return {"c": t["provider"].to_numpy(np.int64), "x": t["recipient"].to_numpy(np.int64),
            "year": t["year"].to_numpy(np.int64), "atopid": aid, "unit": aid * _PHASES + phase,
            "adv1": t["adv1"].to_numpy(np.int64) if adversary_conditions else zero,
            "adv2": t["adv2"].to_numpy(np.int64) if adversary_conditions else zero,
            "age": t["age"].to_numpy(np.int64)}


__all__ = ["AGGREGATES", "PTARGNEU", "PTARGOFF", "TARGDEF_IDS", "build_commitments", "commitment_table",
           "counted", "records", "table_key", "unowed_promises"]
