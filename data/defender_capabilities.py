"""The target's applicable third-party defenders and their capabilities, on initiated dyad-years.

Panel step :func:`add_defender_capabilities` (``DisputeOutcomes(defenders=True)``). For every
directed dyad-year with an initiation (``dispute == 1``: the rows of an outcome equation) it
lists the third states C != A whose ATOP defense promise to B in the year applies against A,
under the panel's alliance rules (the promises of :func:`foedus.data.nuclear_defenders.atop_defense_promises`,
the coding behind ``ptargdef``/``n_targdef``: adversary conditions, secret alliances, excluded
ids, and, unless ``AllianceRules.intra_alliance``, no promise from an alliance A belongs to),
and adds

``targ_def_n``     the number of such defenders (equals the panel's ``n_targdef``);
``targ_def_cinc``  the sum of their CINC scores (NMC, lagged as ``Covariates.capabilities_lag``);
                   NA when a defender's CINC is missing.

Other rows are NA: the columns are built for the outcome equation of a selection model, which
reads them only where a dispute was initiated. The defenders are formed as (row, defender)
pairs by merges on the few thousand initiated rows — no loop over dyads.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from foedus.data.panel import BuildLog
    from foedus.data.spec import PanelSpec

STEP = "defender_capabilities"
COLUMNS = ("targ_def_n", "targ_def_cinc")


def applicable_defenders(rows: pd.DataFrame, promise: pd.DataFrame, mkeys: np.ndarray,
                         intra_alliance: bool = False) -> pd.DataFrame:
    """Distinct (row, defender) pairs: C != A whose defense promise C -> B applies against A.

    Parameters
    ----------
    rows : pandas.DataFrame
        Dyad-years (``ccode1`` = A, ``ccode2`` = B, ``year``); positions are the ``row`` ids.
    promise : pandas.DataFrame
        Defense promises ``c, x, year, unit, adv1, adv2`` (:func:`foedus.data.nuclear_defenders.atop_defense_promises`).
    mkeys : numpy.ndarray
        :func:`foedus.data.alliances.membership_keys`.
    intra_alliance : bool
        Count promises from an alliance A belongs to.

    Returns
    -------
    pandas.DataFrame
        ``row``, ``c`` (int64), sorted, one line per defender of a row.
    """
    from foedus.data.commitment_queries import applies_against

    d = pd.DataFrame({"row": np.arange(len(rows)), "a": rows["ccode1"].to_numpy(np.int64),
                      "x": rows["ccode2"].to_numpy(np.int64), "year": rows["year"].to_numpy(np.int64)})
    p = promise[["c", "x", "year", "unit", "adv1", "adv2"]].astype("int64")
    m = d.merge(p, on=["x", "year"])
    ok = applies_against(m["c"], m["adv1"], m["adv2"], m["unit"].to_numpy(), m["year"].to_numpy(),
                         m["a"], mkeys, intra_alliance)  # the one applicability rule
    pairs = m.loc[ok, ["row", "c"]].drop_duplicates().sort_values(["row", "c"])
    return pairs.reset_index(drop=True)


def add_defender_capabilities(frame: pd.DataFrame, spec: "PanelSpec",
                              log: "BuildLog | None" = None) -> pd.DataFrame:
    """Panel step: :data:`COLUMNS` on dyad-years with ``dispute == 1``, NA elsewhere."""
    from foedus.data import read_atop_ddyr, read_atop_members, read_nmc
    from foedus.data.lookup import state_year_lookup
    from foedus.data.nuclear_defenders import atop_defense_promises

    if spec.alliances is None:
        raise ValueError("DisputeOutcomes(defenders=True) needs the panel's alliances "
                         "(PanelSpec.alliances is None)")
    rules = spec.alliances
    ddyr = read_atop_ddyr(rules.version) if rules.version == "5.1" else None
    promise, mkeys = atop_defense_promises(read_atop_members(rules.version), rules, ddyr)
    init = (frame["dispute"] == 1).fillna(False).to_numpy(bool)
    rows = frame.loc[init, ["ccode1", "ccode2", "year"]]
    pairs = applicable_defenders(rows, promise, mkeys, rules.intra_alliance)
    lag = spec.covariates.capabilities_lag if spec.covariates is not None else 0
    cinc = state_year_lookup(pairs["c"].to_numpy(), rows["year"].to_numpy()[pairs["row"].to_numpy()],
                             read_nmc(), "cinc", lag=lag)
    r = pairs["row"].to_numpy()
    n = np.bincount(r, minlength=len(rows))
    total = np.bincount(r, weights=np.nan_to_num(cinc), minlength=len(rows))
    unknown = np.bincount(r, weights=np.isnan(cinc), minlength=len(rows)) > 0
    total[unknown] = np.nan
    out = frame.copy(deep=False)
    n_col = np.full(len(frame), np.nan)
    c_col = np.full(len(frame), np.nan)
    n_col[init], c_col[init] = n, total
    out["targ_def_n"] = pd.array(np.where(np.isnan(n_col), 0, n_col).astype(np.int16), dtype="Int16")
    out.loc[~init, "targ_def_n"] = pd.NA
    out["targ_def_cinc"] = c_col
    if log is not None:
        log.note(STEP, f"{int(init.sum()):,} initiated dyad-years: {int((n > 0).sum()):,} targets with "
                       f"applicable third-party defenders ({len(pairs):,} defender-rows); "
                       f"{int(unknown.sum()):,} with a defender's CINC missing (NA)",
                 initiated=int(init.sum()), with_defenders=int((n > 0).sum()),
                 cinc_missing=int(unknown.sum()))
    return out
