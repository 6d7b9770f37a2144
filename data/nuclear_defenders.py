"""The nuclear panel step: nuclear status of both sides and the target's nuclear and non-nuclear
third-party defenders (Fuhrmann & Sechser 2014's ``targdef_nuc`` / ``targdef_nonnuc``).

Columns (:data:`VARIABLES`): ``nuclear1``, ``nuclear2`` (the spec's coding,
:mod:`foedus.data.nuclear_status`) and the counts of third states C != A with a defense promise
to B that applies against A, split by C's nuclear status. The promises come from ATOP under the
panel's alliance rules (:func:`atop_defense_promises`, the same as ``n_targdef``) or from COW
Formal Alliances defense pacts (:mod:`foedus.data.cow_alliances`); a user's target-year file
adds ``deployment2`` / ``us_troops2`` (:mod:`foedus.data.nuclear_target_data`). See
``docs/nuclear-status.md``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from foedus.data.cow_alliances import (COW_ALLIANCE_YEARS, cow_alliance_file, cow_defense_ally,
                                       cow_defense_promises)
from foedus.data.nuclear_status import is_nuclear, nuclear_status_table
from foedus.data.nuclear_target_data import TARGET_DATA, read_target_data

if TYPE_CHECKING:  # pragma: no cover
    from foedus.data.panel import BuildLog
    from foedus.data.spec import AllianceRules, PanelSpec

#: Columns added to a directed dyad-year frame (ccode1 = potential challenger A, ccode2 = target B).
VARIABLES = {
    "nuclear1": "A is a nuclear power in the year",
    "nuclear2": "B is a nuclear power in the year",
    "n_targdef_nuc": "number of third states C != A that are nuclear powers in the year and have "
                     "a defense promise to B that applies against A",
    "n_targdef_nonnuc": "number of such third states that are not nuclear powers",
    "targdef_nuc": "B has a defense pact with a nuclear power (n_targdef_nuc > 0)",
    "targdef_nonnuc": "B has a defense pact with a non-nuclear power (n_targdef_nonnuc > 0)",
}


def add_nuclear_status(frame: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Add ``nuclear1`` and ``nuclear2`` (bool) to a dyad-year frame; rows and order kept."""
    out = frame.copy()
    year = frame["year"].to_numpy()
    out["nuclear1"] = is_nuclear(frame["ccode1"].to_numpy(), year, table)
    out["nuclear2"] = is_nuclear(frame["ccode2"].to_numpy(), year, table)
    return out


def defender_counts(
    frame: pd.DataFrame,
    promise,
    mkeys: np.ndarray,
    table: pd.DataFrame,
    intra_alliance: bool,
    covered: np.ndarray | None = None,
) -> pd.DataFrame:
    """The target's applicable third-party defenders, split by their nuclear status.

    The counting is :func:`foedus.data.commitment_queries.aggregate_applicable` (side "target",
    aggregate "count"), run once on the promises made by states that are nuclear powers in the
    promise's year and once on the others: a third state C != A counts when some defense
    promise C -> B applies against A (adversary conditions; unless ``intra_alliance``, not from
    an alliance A belongs to).

    Parameters
    ----------
    frame : DataFrame
        Dyad-years with ``ccode1``, ``ccode2``, ``year``.
    promise : dict or DataFrame
        Defense promise records ``c``, ``x``, ``year``, ``atopid``, ``unit``, ``adv1``, ``adv2``
        (:func:`atop_defense_promises`, or :func:`foedus.data.cow_alliances.cow_defense_promises`).
    mkeys : ndarray
        Alliance membership keys (:func:`foedus.data.alliances.membership_keys`).
    table : DataFrame
        A :func:`foedus.data.nuclear_status.nuclear_status_table`.
    intra_alliance : bool
    covered : ndarray of bool, optional
        Rows inside the alliance data's years; the others get NA (never 0).

    Returns
    -------
    DataFrame
        ``n_targdef_nuc``, ``n_targdef_nonnuc`` (Int16), ``targdef_nuc``, ``targdef_nonnuc``
        (boolean), on ``frame``'s index.
    """
    from foedus.data.dyad_index import DyadIndex
    from foedus.data.commitment_queries import aggregate_applicable

    dyads = DyadIndex(frame["year"], frame["ccode1"], frame["ccode2"])
    rec = {k: np.asarray(promise[k]) for k in ("c", "x", "year", "atopid", "unit", "adv1", "adv2")}
    nuc = is_nuclear(rec["c"], rec["year"], table)
    counts = {
        name: aggregate_applicable(dyads, "target", {k: v[mask] for k, v in rec.items()}, mkeys,
                                   intra_alliance, "count")
        for name, mask in (("n_targdef_nuc", nuc), ("n_targdef_nonnuc", ~nuc))
    }
    out = pd.DataFrame({k: pd.array(v, dtype="Int16") for k, v in counts.items()},
                       index=frame.index)
    if covered is not None:
        out.loc[~np.asarray(covered, dtype=bool), list(counts)] = pd.NA
    out["targdef_nuc"] = (out["n_targdef_nuc"] > 0).astype("boolean")
    out["targdef_nonnuc"] = (out["n_targdef_nonnuc"] > 0).astype("boolean")
    return out


def atop_defense_promises(
    members: pd.DataFrame,
    rules: "AllianceRules",
    ddyr: pd.DataFrame | None = None,
    log: "BuildLog | None" = None,
    commitments: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """ATOP defense promise records and membership keys, coded exactly as the panel's ``ptargdef``.

    The records are the commitment table's defense promises that the alliance rules count
    (:func:`foedus.data.commitments.counted`), so that ``n_targdef_nuc + n_targdef_nonnuc ==
    n_targdef`` under the same rules. ``commitments``: the spec's table (built from
    ``members`` and ``ddyr`` when not given).
    """
    from foedus.data import alliances as al
    from foedus.data.commitments import build_commitments, counted, records

    if commitments is None:
        commitments = build_commitments(members, rules.version, ddyr, direction=rules.direction)
    mask = counted(commitments, rules, ("defense",))
    return (pd.DataFrame(records(commitments, mask, rules.adversary_conditions)),
            al.membership_keys(al.member_spells(members, rules.version)))


def step_columns(spec: "PanelSpec") -> tuple:
    """The columns :func:`add_nuclear` adds under ``spec`` (its panel-step declaration)."""
    cov = spec.covariates
    return (*VARIABLES, *("cow_defense_ally",) * (cov.nuclear_alliances == "cow"),
            *(tuple(TARGET_DATA.values()) if cov.nuclear_target_data else ()))


def add_nuclear(frame: pd.DataFrame, spec: "PanelSpec", log: "BuildLog") -> pd.DataFrame:
    """Panel step: nuclear status of both sides and the target's nuclear / non-nuclear defenders.

    Adds the columns of :data:`VARIABLES` (and, with COW alliances, ``cow_defense_ally``: A and B
    in the same COW defense pact). The coding, overrides and alliance source come from
    ``spec.covariates`` (``nuclear``, ``nuclear_overrides``, ``nuclear_alliances``); whether a
    promise applies against the challenger follows ``spec.alliances`` (ATOP: every rule of the
    alliance step; COW: ``intra_alliance`` only, COW codes no conditions).
    """
    cov = spec.covariates
    table = nuclear_status_table(cov.nuclear, cov.nuclear_overrides)
    first, last = spec.years
    shown = table[(table["first_year"] <= last) & (table["last_year"].fillna(last) >= first)]
    log.note("nuclear", f"nuclear powers ({cov.nuclear}"
             + (f", overrides {', '.join(cov.nuclear_overrides)}" if cov.nuclear_overrides else "")
             + "): " + ", ".join(f"{r.stateabb or r.ccode} {r.first_year}-"
                                 + ("" if pd.isna(r.last_year) else str(r.last_year))
                                 for r in shown.itertuples()),
             states=len(shown))
    out = add_nuclear_status(frame, table)
    year = frame["year"].to_numpy(np.int64)
    intra = spec.alliances.intra_alliance if spec.alliances is not None else False
    if cov.nuclear_alliances == "cow":
        from foedus.data.readers.cow_alliance import read_cow_alliance

        lo, hi = COW_ALLIANCE_YEARS
        promise, mkeys = cow_defense_promises(read_cow_alliance(cow_alliance_file()),
                                              (max(first, lo), min(last, hi)))
        covered = (year >= lo) & (year <= hi)
        ally = pd.array(cow_defense_ally(frame, promise), dtype="boolean")
        ally[~covered] = pd.NA
        out["cow_defense_ally"] = ally
        source = "COW Formal Alliances v4.1 defense pacts"
    else:
        if spec.alliances is None:
            raise ValueError("Covariates.nuclear_alliances='atop' needs the panel's alliances "
                             "(PanelSpec.alliances is None); set alliances or use 'cow'")
        from foedus.data import read_atop_ddyr, read_atop_members
        from foedus.data.alliances import COVERAGE

        rules = spec.alliances
        ddyr = read_atop_ddyr(rules.version) if rules.version == "5.1" else None
        from foedus.data.commitments import commitment_table

        promise, mkeys = atop_defense_promises(read_atop_members(rules.version), rules, ddyr,
                                               commitments=commitment_table(spec))
        lo, hi = COVERAGE[rules.version]
        covered = (year >= lo) & (year <= hi)
        source = f"ATOP {rules.version} defense promises (the panel's alliance rules)"
    counts = defender_counts(frame, promise, mkeys, table, intra, covered)
    for column in counts.columns:
        out[column] = counts[column].to_numpy()
    if cov.nuclear_target_data:
        from foedus.data.lookup import state_year_lookup

        path, digest = cov.nuclear_target_data
        extra = read_target_data(path, digest)
        for src, column in TARGET_DATA.items():
            out[column] = state_year_lookup(frame["ccode2"], frame["year"], extra, src)
        unmatched = int(np.isnan(out["deployment2"].to_numpy()).sum())
        log.note("nuclear", f"target-year data from {path} (sha256 {digest[:12]}...): "
                 f"{unmatched:,} dyad-years whose target-year is not in the file (NA)",
                 unmatched=unmatched)
    log.note("nuclear", f"third-party defenders of the target from {source}: dyad-years with a "
             "nuclear defender, with a non-nuclear defender, outside the alliance data's years",
             with_nuclear=int(counts["targdef_nuc"].fillna(False).sum()),
             with_nonnuclear=int(counts["targdef_nonnuc"].fillna(False).sum()),
             not_covered=int((~covered).sum()))
    return out
