"""Defense pacts from COW Formal Alliances v4.1 (Gibler 2009), a file the user supplies.

foedus never downloads the COW alliance data (its maintainer's request): :func:`cow_alliance_file`
finds the user's copy. :func:`cow_defense_promises` turns member records into promise records in
the layout of the ATOP commitment table's (:func:`foedus.data.commitments.records`), so the
same applicability engine counts them; used by the nuclear step with
``Covariates.nuclear_alliances = 'cow'`` (Fuhrmann & Sechser 2014, model 1).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from foedus.data.keys import dyad_year_key, membership_key

#: Years covered by COW Formal Alliances v4.1.
COW_ALLIANCE_YEARS = (1816, 2012)


def _cow_member_years(members: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    need = {"version4id", "ccode", "defense", "mem_st_year", "mem_end_year"}
    missing = need - set(members.columns)
    if missing:
        raise ValueError(f"COW alliance member frame lacks column(s) {sorted(missing)}; "
                         "pass the rows of alliance_v4.1_by_member (read_cow_alliance)")
    m = members.loc[pd.to_numeric(members["defense"], errors="coerce") == 1,
                    ["version4id", "ccode", "mem_st_year", "mem_end_year"]]
    first = np.clip(pd.to_numeric(m["mem_st_year"]).to_numpy(np.float64), years[0], None)
    last = pd.to_numeric(m["mem_end_year"], errors="coerce").fillna(years[1])
    last = np.clip(last.to_numpy(np.float64), None, years[1])
    first, last = first.astype(np.int64), last.astype(np.int64)
    n = np.clip(last - first + 1, 0, None)
    return pd.DataFrame({
        "atopid": np.repeat(m["version4id"].to_numpy(np.int64), n),
        "member": np.repeat(m["ccode"].to_numpy(np.int64), n),
        "year": np.repeat(first, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)),
    }).drop_duplicates()


def cow_defense_promises(
    members: pd.DataFrame, years: tuple[int, int]
) -> tuple[pd.DataFrame, np.ndarray]:
    """Defense promises and membership keys from COW alliance member records.

    Every two members of the same COW Type I (defense) alliance in a year promise each other
    defense (Gibler 2009, COW Formal Alliances codebook v4.1: a defense pact obliges its
    signatories to intervene militarily on behalf of any other). COW codes no adversary
    conditions. A member counts in every year from its first to its last membership year; an
    open membership (no end year: in force at the end of the data) runs to ``years[1]``.

    Parameters
    ----------
    members : DataFrame
        COW ``alliance_v4.1_by_member`` rows (``version4id``, ``ccode``, ``defense``,
        ``mem_st_year``, ``mem_end_year``), e.g. from :func:`foedus.data.read_cow_alliance`.
    years : (first, last)

    Returns
    -------
    promise : DataFrame
        ``c``, ``x``, ``year``, ``atopid`` and ``unit`` (both the COW ``version4id``),
        ``adv1``, ``adv2`` (0: COW codes no adversary conditions).
    mkeys : ndarray
        Sorted membership keys in the layout of :func:`foedus.data.alliances.membership_keys`.
    """
    my = _cow_member_years(members, years)
    pairs = my.merge(my, on=["atopid", "year"], suffixes=("_c", "_x"))
    pairs = pairs.loc[pairs["member_c"] != pairs["member_x"]]
    promise = pd.DataFrame({
        "c": pairs["member_c"].to_numpy(np.int64), "x": pairs["member_x"].to_numpy(np.int64),
        "year": pairs["year"].to_numpy(np.int64), "atopid": pairs["atopid"].to_numpy(np.int64),
        "unit": pairs["atopid"].to_numpy(np.int64),  # COW alliances have no phases
        "adv1": np.zeros(len(pairs), np.int64), "adv2": np.zeros(len(pairs), np.int64),
    }).sort_values(["year", "x", "c", "atopid"], kind="stable").reset_index(drop=True)
    mkeys = np.unique(membership_key(my["atopid"], my["year"], my["member"]))
    return promise, mkeys


def cow_defense_ally(frame: pd.DataFrame, promise: pd.DataFrame) -> np.ndarray:
    """Whether A and B are members of the same COW defense pact in the year (bool array)."""
    key = np.unique(dyad_year_key(promise["year"], promise["c"], promise["x"]))
    fkey = dyad_year_key(frame["year"], frame["ccode1"], frame["ccode2"])
    if not key.size:
        return np.zeros(len(frame), bool)
    return key[np.clip(np.searchsorted(key, fkey), 0, key.size - 1)] == fkey


def cow_alliance_file() -> Path:
    """Where the user put COW ``alliance_v4.1_by_member.csv`` (offline folder or cache).

    foedus never downloads this file (its maintainer's request). Put the official file in
    ``$FOEDUS_DATA_DIR/cow-alliance-4.1/`` (or the cache's ``files/cow-alliance-4.1/``).

    Raises
    ------
    FileNotFoundError
        The file is in neither place; the message says where to put it.
    """
    from foedus.data.fetch import cache_path, local_path
    from foedus.data.readers._base import registered

    ref = registered("cow-alliance", "4.1", "alliance_v4.1_by_member.csv")
    path = local_path(ref)
    if path is None:
        raise FileNotFoundError(
            "COW Formal Alliances v4.1 (alliance_v4.1_by_member.csv) is not on this machine and "
            "foedus never downloads it (its maintainer's request). Download it from "
            "https://correlatesofwar.org/data-sets/formal-alliances/ and put it in "
            f"$FOEDUS_DATA_DIR/cow-alliance-4.1/ (or in {cache_path(ref).parent}/)."
        )
    return path
