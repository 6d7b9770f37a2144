"""Direct contiguity (COW Direct Contiguity 3.2, Stinnett et al. 2002).

The official file (``contdir.csv``) lists spells: a non-directed pair of states, a contiguity type
and the first and last month (``begin``, ``end`` as YYYYMM) in which it holds. Types: 1 land or
river border; 2, 3, 4, 5 separated by at most 12, 24, 150, 400 miles of water. A pair with no
spell in force is not contiguous (type 0 here).

Columns added
-------------
conttype : Int8
    0 (not contiguous) to 5, for the dyad-year; NA outside the data's years (1816-2016).
contig_land : Int8
    1 when ``conttype == 1``.
contig_400 : Int8
    1 when the two states are contiguous by land or by up to 400 miles of water
    (``1 <= conttype <= 5``).

A relationship that changes within a year
-----------------------------------------
``Covariates.contiguity_rule`` decides which type the dyad-year gets:

- ``"closest"`` (default): the closest type (smallest non-zero code) of any spell in force at
  some time during the year. A dyad that becomes land-contiguous in June is land-contiguous that
  year. This is the rule of peacesciencer before its 1.0 release (minimum type over the
  spell-years) and the usual reading of "contiguous during the year".
- ``"earliest"``: the type in force in the first month of the year in which both states are
  system members (a month covered by no spell is type 0). This reproduces peacesciencer's
  current ``add_contiguity(slice = "first")``, which expands spells (and explicit "no
  contiguity" spells for the months of joint membership without a spell) to months and keeps
  each dyad-year's first month.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from foedus.data.lookup import dyad_year_index, in_years, nullable_int, state_year_lookup
from foedus.data.spells import expand_spells

_STEP = "contiguity"
#: The columns the panel step adds.
COLUMNS = ("conttype", "contig_land", "contig_400")

#: Years covered by COW Direct Contiguity 3.2.
COVERAGE = (1816, 2016)


def _yyyymm(values) -> tuple[np.ndarray, np.ndarray]:
    """(year, month) from YYYYMM integers or from dates."""
    s = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.year.to_numpy(np.int64), s.dt.month.to_numpy(np.int64)
    v = pd.to_numeric(s).to_numpy(np.int64)
    return v // 100, v % 100


def spell_years(spells: pd.DataFrame) -> pd.DataFrame:
    """Expand contiguity spells to directed dyad-years with the months each spell covers.

    Parameters
    ----------
    spells : pandas.DataFrame
        ``ccode1``, ``ccode2``, ``conttype``, ``begin``, ``end`` (YYYYMM or dates); one direction
        per pair is enough (both directions are produced).

    Returns
    -------
    pandas.DataFrame
        ``ccode1``, ``ccode2``, ``year``, ``conttype``, ``first_month``, ``last_month``: one row
        per spell and year (a year can hold several spells of a dyad).
    """
    y0, m0 = _yyyymm(spells["begin"])
    y1, m1 = _yyyymm(spells["end"])
    bad = (y1 < y0) | ((y1 == y0) & (m1 < m0))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"contiguity spell {row} ends before it begins: {spells.iloc[row].to_dict()}")
    rep, year = expand_spells(y0, y1, "contiguity spells", spells)
    first = np.where(year == y0[rep], m0[rep], 1)
    last = np.where(year == y1[rep], m1[rep], 12)
    a = spells["ccode1"].to_numpy(np.int64)[rep]
    b = spells["ccode2"].to_numpy(np.int64)[rep]
    t = spells["conttype"].to_numpy(np.int64)[rep]
    both = lambda x, y: np.concatenate([x, y])  # noqa: E731 - both directions of each pair
    return pd.DataFrame({
        "ccode1": both(a, b), "ccode2": both(b, a), "year": both(year, year),
        "conttype": both(t, t), "first_month": both(first, first), "last_month": both(last, last),
    })


def contiguity_type(
    frame: pd.DataFrame,
    spells: pd.DataFrame,
    rule: str = "closest",
    first_month: np.ndarray | None = None,
    coverage: tuple[int, int] = COVERAGE,
) -> np.ndarray:
    """Contiguity type (0-5, float with NaN outside ``coverage``) of each dyad-year of ``frame``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Dyad-years (``ccode1``, ``ccode2``, ``year``).
    spells : pandas.DataFrame
        Contiguity spells (see :func:`spell_years`).
    rule : {"closest", "earliest"}
        See the module docstring.
    first_month : numpy.ndarray, optional
        For ``"earliest"``: the first month (1-12) of each dyad-year in which both states are
        members; January when omitted.
    coverage : (int, int)
        Years covered by the spells file.
    """
    if rule not in ("closest", "earliest"):
        raise ValueError(f"contiguity rule must be 'closest' or 'earliest', got {rule!r}")
    sy = spell_years(spells)
    if rule == "closest":
        per_year = sy.groupby(["ccode1", "ccode2", "year"], sort=False, as_index=False)["conttype"].min()
        idx = dyad_year_index(frame, per_year)
        value = np.where(idx >= 0, per_year["conttype"].to_numpy()[np.maximum(idx, 0)], 0)
    else:
        month = np.ones(len(frame), np.int64) if first_month is None else np.asarray(first_month, np.int64)
        # a dyad-year can hold several spells; look each one up and keep the one covering the month
        sy = sy.sort_values(["ccode1", "ccode2", "year", "first_month"], kind="stable")
        sy["k"] = sy.groupby(["ccode1", "ccode2", "year"], sort=False).cumcount()
        value = np.zeros(len(frame), np.int64)
        for k in range(int(sy["k"].max()) + 1 if len(sy) else 0):  # at most a few spells a year
            part = sy[sy["k"] == k]
            idx = dyad_year_index(frame, part)
            hit = idx >= 0
            j = np.maximum(idx, 0)
            covers = hit & (part["first_month"].to_numpy()[j] <= month) & (month <= part["last_month"].to_numpy()[j])
            t = part["conttype"].to_numpy()[j]
            value = np.where(covers & ((value == 0) | (t < value)), t, value)
    out = value.astype(np.float64)
    out[~in_years(frame["year"], *coverage)] = np.nan
    return out


def contiguity_columns(conttype: np.ndarray) -> dict:
    """``conttype``, ``contig_land``, ``contig_400`` (nullable Int8) from a float type array."""
    known = ~np.isnan(conttype)
    t = np.where(known, conttype, 0).astype(np.int64)
    return {
        "conttype": nullable_int(t, known),
        "contig_land": nullable_int(t == 1, known),
        "contig_400": nullable_int((t >= 1) & (t <= 5), known),
    }


def normalise_contdir(raw: pd.DataFrame) -> pd.DataFrame:
    """The official contdir columns (statelno, statehno) renamed to ccode1, ccode2."""
    out = raw.rename(columns={"statelno": "ccode1", "statehno": "ccode2"})
    missing = {"ccode1", "ccode2", "conttype", "begin", "end"} - set(out.columns)
    if missing:
        raise ValueError(f"contiguity spells (COW contdir 3.2) lack column(s) {sorted(missing)}")
    return out


def first_joint_month(frame: pd.DataFrame, states: pd.DataFrame) -> np.ndarray:
    """First month of each dyad-year in which both states are system members (COW states2016).

    Only needed by the ``"earliest"`` rule. A state with two membership spells in one year is
    taken from its first spell's start in that year.
    """
    st = pd.to_datetime(states["start"])
    en = pd.to_datetime(states["end"])
    y0, y1 = st.dt.year.to_numpy(np.int64), en.dt.year.to_numpy(np.int64)
    n = y1 - y0 + 1
    rep = np.repeat(np.arange(len(states)), n)
    year = y0[rep] + (np.arange(rep.size) - np.repeat(np.cumsum(n) - n, n))
    month = np.where(year == y0[rep], st.dt.month.to_numpy(np.int64)[rep], 1)
    table = pd.DataFrame({"ccode": states["ccode"].to_numpy(np.int64)[rep], "year": year,
                          "month": month})
    table = table.groupby(["ccode", "year"], as_index=False)["month"].min()
    m1 = state_year_lookup(frame["ccode1"], frame["year"], table, "month")
    m2 = state_year_lookup(frame["ccode2"], frame["year"], table, "month")
    return np.nan_to_num(np.fmax(m1, m2), nan=1).astype(np.int64)


def add_contiguity(frame: pd.DataFrame, spec, log=None) -> pd.DataFrame:
    """Panel step: COW direct contiguity (see the module docstring)."""
    from foedus.data import read_contdir

    rule = spec.covariates.contiguity_rule
    month = None
    if rule == "earliest":
        from foedus.data import read_states

        month = first_joint_month(frame, read_states())
    conttype = contiguity_type(frame, normalise_contdir(read_contdir()), rule, month)
    cols = contiguity_columns(conttype)
    if log is not None:
        outside = int(np.isnan(conttype).sum())
        log.note(_STEP, f"COW direct contiguity 3.2, rule '{rule}': "
                 f"{int((conttype >= 1).sum()):,} contiguous dyad-years; {outside:,} outside "
                 f"{COVERAGE[0]}-{COVERAGE[1]} (NA)", contiguous=int((conttype >= 1).sum()),
                 outside=outside)
    return frame.assign(**cols)
