"""The universe of dyad-years: every pair of COW system members in every year.

The universe comes first; every later panel step is a left join onto it. A directed universe has
one row per ordered pair (A, B), A != B, of states that were both system members in the year
(``system2016``); a non-directed universe keeps the pairs with ``ccode1 < ccode2``.

The pairs are built by index arithmetic on the state-years sorted by (year, ccode): year ``t``
with ``n_t`` members contributes the ``n_t * n_t`` index pairs of its block, from which the
diagonal (and, non-directed, the lower triangle) is dropped. No loop over years or states.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from foedus.data.spells import expand_spells

if TYPE_CHECKING:  # pragma: no cover
    from foedus.data.panel import BuildLog
    from foedus.data.spec import PanelSpec

KEYS = ["ccode1", "ccode2", "year"]
#: First and last year of each COW state system release (system2016: 1816-2016, its codebook);
#: a panel's years must lie inside (checked when a PanelSpec is made).
COVERAGE = {"2016": (1816, 2016)}


def _check_system(system: pd.DataFrame) -> None:
    missing = {"ccode", "year"} - set(system.columns)
    if missing:
        raise ValueError(
            f"state-year frame (COW system2016) lacks column(s) {sorted(missing)}; "
            "expected at least ccode and year"
        )
    if system[["ccode", "year"]].isna().any().any():
        bad = system.index[system[["ccode", "year"]].isna().any(axis=1)][:5].tolist()
        raise ValueError(f"state-year frame has missing ccode/year in rows {bad}")
    dup = system.duplicated(["ccode", "year"])
    if dup.any():
        first = system.loc[dup, ["ccode", "year"]].iloc[0].tolist()
        raise ValueError(
            f"state-year frame lists {int(dup.sum())} (ccode, year) pair(s) twice, e.g. {first}; "
            "each state-year must appear once"
        )


def _pairs(
    system: pd.DataFrame, years: tuple[int, int] | None, directed: bool
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """State-years sorted by (year, ccode), and the row indices (i, j) of every pair."""
    _check_system(system)
    sy = system[["ccode", "year"]].astype(np.int64)
    if years is not None:
        sy = sy[(sy["year"] >= years[0]) & (sy["year"] <= years[1])]
    sy = sy.sort_values(["year", "ccode"], kind="stable").reset_index(drop=True)
    code = sy["ccode"].to_numpy()
    year = sy["year"].to_numpy()
    # block of each state-year = its year's members; n = block size, start = block's first row
    _, start_of_year, n_of_year = np.unique(year, return_index=True, return_counts=True)
    n = np.repeat(n_of_year, n_of_year)
    start = np.repeat(start_of_year, n_of_year)
    i = np.repeat(np.arange(len(code)), n)
    offset = np.repeat(np.cumsum(n) - n, n)  # where row k's n pairs begin in the output
    j = np.repeat(start, n) + (np.arange(len(i)) - offset)
    keep = code[i] < code[j] if not directed else i != j
    return sy, i[keep], j[keep]


def _frame(sy: pd.DataFrame, i: np.ndarray, j: np.ndarray) -> pd.DataFrame:
    code = sy["ccode"].to_numpy()
    return pd.DataFrame(
        {
            "ccode1": code[i].astype(np.int16),
            "ccode2": code[j].astype(np.int16),
            "year": sy["year"].to_numpy()[i].astype(np.int16),
        }
    )


def dyad_years(
    system: pd.DataFrame, years: tuple[int, int] | None = None, directed: bool = True
) -> pd.DataFrame:
    """All pairs of states that are system members in the same year.

    Parameters
    ----------
    system : pandas.DataFrame
        State-years with columns ``ccode`` and ``year`` (COW ``system2016``), one row each.
    years : (int, int), optional
        First and last year kept (inclusive); all years when omitted.
    directed : bool
        Ordered pairs (A, B) and (B, A) when True; only ``ccode1 < ccode2`` when False.

    Returns
    -------
    pandas.DataFrame
        ``ccode1``, ``ccode2``, ``year`` (int16), sorted by year, ccode1, ccode2, with a fresh
        RangeIndex.

    Notes
    -----
    Year ``t`` with ``n_t`` members yields ``n_t (n_t - 1)`` directed rows.
    """
    return _frame(*_pairs(system, years, directed))


def member_days(system: pd.DataFrame, states: pd.DataFrame) -> pd.DataFrame:
    """First and last day of membership of each state-year (COW ``states2016`` spells).

    Parameters
    ----------
    system : pandas.DataFrame
        State-years (``ccode``, ``year``).
    states : pandas.DataFrame
        Membership spells: ``ccode`` with either ``start``/``end`` (datetime64) or the official
        ``styear, stmonth, stday, endyear, endmonth, endday`` columns.

    Returns
    -------
    pandas.DataFrame
        ``ccode``, ``year``, ``first``, ``last``: the spell clipped to the calendar year, as
        days since 1970-01-01 (int64).

    Raises
    ------
    ValueError
        When a state-year lies in no spell, or in two (COW 2016 has at most one spell of a
        state in any year; the same-day rule relies on it).
    """
    if {"start", "end"} <= set(states.columns):
        st = pd.to_datetime(states["start"])
        en = pd.to_datetime(states["end"])
    else:
        parts = ["styear", "stmonth", "stday", "endyear", "endmonth", "endday"]
        missing = set(parts) - set(states.columns)
        if missing:
            raise ValueError(f"states frame (COW states2016) lacks column(s) {sorted(missing)}")
        st = pd.to_datetime(
            dict(year=states["styear"], month=states["stmonth"], day=states["stday"])
        )
        en = pd.to_datetime(
            dict(year=states["endyear"], month=states["endmonth"], day=states["endday"])
        )
    st_day = st.to_numpy("datetime64[D]").astype(np.int64)
    en_day = en.to_numpy("datetime64[D]").astype(np.int64)
    y0 = st.dt.year.to_numpy(np.int64)
    y1 = en.dt.year.to_numpy(np.int64)
    spell, yr = expand_spells(y0, y1, "state system membership", states)
    jan1 = (yr - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    dec31 = (yr - 1969).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64) - 1
    days = pd.DataFrame(
        {
            "ccode": states["ccode"].to_numpy(np.int64)[spell],
            "year": yr,
            "first": np.maximum(st_day[spell], jan1),
            "last": np.minimum(en_day[spell], dec31),
        }
    )
    if days.duplicated(["ccode", "year"]).any():
        raise ValueError(
            "states frame has two membership spells of one state in the same year: "
            f"{days.loc[days.duplicated(['ccode', 'year']), ['ccode', 'year']].head().values.tolist()}"
        )
    out = system[["ccode", "year"]].astype(np.int64).merge(
        days, on=["ccode", "year"], how="left", validate="one_to_one"
    )
    if out["first"].isna().any():
        bad = out.loc[out["first"].isna(), ["ccode", "year"]].head().values.tolist()
        raise ValueError(
            f"state-years {bad} of the system file lie in no membership spell of the states "
            "file; use the same COW release for both"
        )
    out[["first", "last"]] = out[["first", "last"]].astype(np.int64)
    return out


def universe_from_frames(
    system: pd.DataFrame,
    years: tuple[int, int] | None = None,
    directed: bool = True,
    states: pd.DataFrame | None = None,
    same_day: bool = False,
    log: "BuildLog | None" = None,
) -> pd.DataFrame:
    """The dyad-year universe from the state-year and membership-spell frames.

    Parameters
    ----------
    system : pandas.DataFrame
        State-years (``ccode``, ``year``): COW ``system2016``.
    years : (int, int), optional
        First and last year (inclusive).
    directed : bool
        Directed (all ordered pairs) or non-directed (``ccode1 < ccode2``).
    states : pandas.DataFrame, optional
        Membership spells (COW ``states2016``); required when ``same_day`` is True.
    same_day : bool
        Drop dyad-years whose two states were both members during the year but never on the
        same day (e.g. a state that left the system before the other entered it).
    log : BuildLog, optional
        Receives the row count and the rows the same-day rule dropped.
    """
    sy, i, j = _pairs(system, years, directed)
    frame = _frame(sy, i, j)
    if same_day:
        if states is None:
            raise ValueError("same_day=True needs the membership spells (states2016)")
        days = member_days(sy, states)  # aligned with sy's rows
        first, last = days["first"].to_numpy(), days["last"].to_numpy()
        keep = np.maximum(first[i], first[j]) <= np.minimum(last[i], last[j])
        dropped = frame.loc[~keep]
        frame = frame.loc[keep].reset_index(drop=True)
        if log is not None:
            example = ", ".join(
                f"{a}-{b} {t}" for a, b, t in dropped.head(3).itertuples(index=False)
            )
            log.note(
                "universe",
                f"same-day rule dropped {len(dropped):,} dyad-years whose states were never "
                f"members on the same day" + (f" (e.g. {example})" if len(dropped) else ""),
                dropped=len(dropped),
            )
    if log is not None:
        kind = "directed" if directed else "non-directed"
        log.note("universe", f"{len(frame):,} {kind} dyad-years", rows=len(frame))
    return frame


def build_universe(spec: "PanelSpec", log: "BuildLog | None" = None) -> pd.DataFrame:
    """The universe of a panel spec: COW system members paired within each year.

    Parameters
    ----------
    spec : PanelSpec
        Uses ``years``, ``directed`` and ``same_day``.
    log : BuildLog, optional

    Returns
    -------
    pandas.DataFrame
        ``ccode1``, ``ccode2``, ``year`` (int16), sorted by year, ccode1, ccode2.
    """
    from foedus.data import read_states, read_system

    states = read_states() if spec.same_day else None
    return universe_from_frames(
        read_system(), tuple(spec.years), spec.directed, states, spec.same_day, log
    )
