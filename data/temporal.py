"""Temporal dependence in binary time-series cross-section data: peace years and their terms.

Beck, Katz & Tucker (1998) model the dependence of a dyad's disputes over time with a function of
the years since the dyad's last dispute ("peace years"), entered as a natural cubic spline;
Carter & Signorino (2010) recommend the cubic polynomial ``t, t^2, t^3``.

Columns added
-------------
peaceyrs : float
    Years since the dyad's last dispute (see "The clock" below); NaN where the dispute data
    have no value (years outside their coverage).
peaceyrs2, peaceyrs3 : float
    Its square and cube (``Temporal.polynomial``).
peaceyrs_s1 ... peaceyrs_sK : float
    Natural cubic spline terms (:func:`foedus.splines.btscs_spline_basis`) at the interior knots
    ``Temporal.spline_knots``, boundary knots at the lowest and highest peace years of the panel
    (both reported in the build log).

The clock
---------
``peaceyrs`` in year ``t`` is ``t - L - 1``, where ``L`` is the last year before ``t`` in which a
dispute event occurred in the dyad: 0 in the year after an event, and an event year itself counts
the years of peace that preceded it.

- Event (``Temporal.clock``): ``"onset"`` (default) a dyadic dispute began (``onset``);
  ``"ongoing"`` any dispute year, its onset or a continuation (``onset`` or ``ongoing``).
- Direction (``Temporal.directed_clock``): by default a dispute in either direction resets the
  clock of both directed dyads (``onset`` is dyadic). When True, only a dispute A initiated
  against B (``dispute``) resets the A->B clock (directed panels with ``clock="onset"`` only).
- Before a dyad's first observed event (``Temporal.start``): ``"entry"`` counts from the dyad's
  first year in the panel (``L`` = that year - 1), ``"1816"`` from the start of the COW system
  (``L`` = 1815) whatever the dyad's entry.
- Years are calendar years: a dyad that leaves the system and returns (Germany 1945-1990)
  keeps counting across the gap.
- Disputes before the panel's first year (``PanelSpec.years``) are not seen: build from 1816 to
  count them.

``Temporal.convention = "peacesciencer"`` reproduces peacesciencer's ``add_peace_years``
(``stevemisc::sbtscs``, after ``DAMisc::btscs``): the event is every dispute year (onset or
continuation), the clock counts rows within the dyad (a gap in the dyad's years counts as one
step), and it starts at 0 on the dyad's first row. ``clock`` and ``start`` are then not used.

Computation: one pass over the years in order (about 200), each a vectorised step over that
year's dyads, carrying every dyad's last event and clock start in arrays indexed by dyad: no
sort of the panel and no loop over dyads.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from foedus.data.keys import CODE_BASE, dyad_id
from foedus.splines import btscs_spline_basis

_STEP = "temporal"

#: Year before the first year of the COW state system.
SYSTEM_START = 1816


def _float(values) -> np.ndarray:
    if isinstance(values, pd.Series):
        return pd.to_numeric(values).astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray(values, dtype=np.float64)


def peace_years(
    ccode1, ccode2, year, event, *, start: str = "entry", count: str = "years",
    first_year: int = SYSTEM_START,
) -> np.ndarray:
    """Years (or rows) since each dyad's last event, aligned with the input rows.

    Parameters
    ----------
    ccode1, ccode2, year : array-like of int
        Dyad-year keys, in any order (each (ccode1, ccode2, year) once).
    event : array-like of 0/1 (NaN allowed)
        Whether the clock resets in this dyad-year. NaN rows are not events and get NaN.
    start : {"entry", "1816"}
        Before a dyad's first event, count from its first row (``"entry"``) or from
        ``first_year`` (``"1816"``).
    count : {"years", "rows"}
        Calendar years, or rows within the dyad (peacesciencer; ``start`` is then ``"entry"``).
    first_year : int
        The year the ``"1816"`` clock starts.

    Returns
    -------
    numpy.ndarray of float

    Notes
    -----
    With ``L_t`` the last event before ``t`` (or the start), ``peaceyrs_t = t - L_t - 1``
    (Beck, Katz & Tucker 1998; the counter of ``btscs``).
    """
    c1 = np.asarray(ccode1, dtype=np.int64)
    c2 = np.asarray(ccode2, dtype=np.int64)
    yr = np.asarray(year, dtype=np.int64)
    ev = _float(event)
    if start not in ("entry", "1816"):
        raise ValueError(f"start must be 'entry' or '1816', got {start!r}")
    if count not in ("years", "rows"):
        raise ValueError(f"count must be 'years' or 'rows', got {count!r}")
    n = yr.size
    out = np.full(n, np.nan)
    if n == 0:
        return out
    if min(c1.min(), c2.min()) < 0 or max(c1.max(), c2.max()) >= CODE_BASE:
        raise ValueError(f"peace_years: state codes must lie in 0..{CODE_BASE - 1}")
    # one pass over the years (in order) carrying each dyad's state in arrays indexed by its id
    dyad = dyad_id(c1, c2)
    order = np.argsort(yr, kind="stable")
    blocks = np.split(order, np.flatnonzero(np.diff(yr[order])) + 1)
    n_dyads = CODE_BASE * CODE_BASE
    never = np.iinfo(np.int64).min
    last = np.full(n_dyads, never)   # time of the dyad's last event (year or row number)
    base = np.full(n_dyads, never)   # time before its first row (start of the clock)
    rows = np.zeros(n_dyads, np.int64)
    stamp = np.full(n_dyads, -1, np.int64)
    for rows_k in blocks:  # ~200 years, each a vectorised step
        d = dyad[rows_k]
        slot = np.arange(d.size)
        stamp[d] = slot  # a dyad listed twice in the year keeps only its last slot
        if (stamp[d] != slot).any():
            raise ValueError("peace_years: some dyad-year appears twice")
        t = rows[d] if count == "rows" else yr[rows_k]
        new = base[d] == never
        if count == "rows" or start == "entry":
            base[d[new]] = t[new] - 1
        else:
            base[d[new]] = first_year - 1
        since = np.where(last[d] == never, base[d], last[d])
        e = ev[rows_k]
        out[rows_k] = np.where(np.isnan(e), np.nan, t - since - 1)
        hit = e == 1
        last[d[hit]] = t[hit]
        rows[d] += 1
    return out


# ------------------------------------------------------------------------------------ panel step


def _any_year(onset: np.ndarray, ongoing: np.ndarray) -> np.ndarray:
    """1 in any dispute year (onset or continuation), NaN where either is unknown."""
    out = np.fmax(onset, ongoing)
    out[np.isnan(onset) | np.isnan(ongoing)] = np.nan
    return out


def clock_event(frame: pd.DataFrame, temporal, directed: bool) -> tuple[np.ndarray, str]:
    """The 0/1/NaN event that resets the clock, and a description of it."""
    def col(name: str) -> np.ndarray:
        if name not in frame.columns:
            raise ValueError(f"peace years need the dispute column '{name}' (run the disputes step)")
        return _float(frame[name])

    if temporal.convention == "peacesciencer":
        return _any_year(col("onset"), col("ongoing")), "every dispute year (peacesciencer)"
    if temporal.directed_clock:
        if not directed:
            raise ValueError("Temporal.directed_clock needs a directed panel (PanelSpec.directed)")
        if temporal.clock != "onset":
            raise ValueError("Temporal.directed_clock counts only from disputes A initiated "
                             "(clock='onset'); continuation years have no direction")
        return col("dispute"), "a dispute A initiated against B"
    if temporal.clock == "onset":
        return col("onset"), "a dispute onset (either side)"
    return _any_year(col("onset"), col("ongoing")), "any dispute year (onset or continuation)"


def step_columns(spec) -> tuple:
    """The columns :func:`add_peace_years` adds under ``spec`` (its panel-step declaration)."""
    temporal = spec.temporal
    return (("peaceyrs",) + ("peaceyrs2", "peaceyrs3") * temporal.polynomial
            + tuple(f"peaceyrs_s{i + 1}" for i in range(len(temporal.spline_knots))))


def add_peace_years(frame: pd.DataFrame, spec, log=None) -> pd.DataFrame:
    """Panel step: ``peaceyrs`` and its polynomial and spline terms (module docstring)."""
    temporal = spec.temporal
    event, what = clock_event(frame, temporal, spec.directed)
    ps = temporal.convention == "peacesciencer"
    py = peace_years(frame["ccode1"], frame["ccode2"], frame["year"], event,
                     start="entry" if ps else temporal.start, count="rows" if ps else "years")
    cols: dict[str, np.ndarray] = {"peaceyrs": py}
    if temporal.polynomial:
        cols["peaceyrs2"] = py ** 2
        cols["peaceyrs3"] = py ** 3
    if temporal.spline_knots:
        lower, upper = float(np.nanmin(py)), float(np.nanmax(py))
        # peace years are whole numbers in a short range: evaluate the basis once per value
        table = btscs_spline_basis(np.arange(lower, upper + 1), temporal.spline_knots, lower, upper)
        table = np.vstack([table, np.full(table.shape[1], np.nan)])  # last row: NaN years
        basis = table[np.where(np.isnan(py), -1, py - lower).astype(np.int64)]
        for i in range(basis.shape[1]):
            cols[f"peaceyrs_s{i + 1}"] = basis[:, i]
        if log is not None:
            log.note(_STEP, f"spline terms peaceyrs_s1..s{basis.shape[1]}: interior knots "
                     f"{list(temporal.spline_knots)}, boundary knots {lower:g}, {upper:g}")
    if log is not None:
        rule = ("rows within the dyad from its first row (peacesciencer)" if ps else
                f"calendar years from the dyad's {'entry' if temporal.start == 'entry' else '1816'}")
        log.note(_STEP, f"peace years: the clock resets at {what}; counted in {rule}; "
                 f"{int(np.isnan(py).sum()):,} dyad-years NaN (no dispute data)",
                 missing=int(np.isnan(py).sum()))
        if spec.years[0] > SYSTEM_START:
            log.note(_STEP, f"disputes before {spec.years[0]} are not seen by the peace-years "
                     "clock (the panel starts there)")
    return frame.assign(**cols)


def prior_onsets(ccode1, ccode2, year, onset) -> np.ndarray:
    """Per row, the number of earlier years of its directed dyad with ``onset == 1``.

    Rows are taken in year order within each (ccode1, ccode2); unknown onsets (NaN) add nothing
    and their own row is NaN. Vectorised: one sort, one cumulative sum.
    """
    key = dyad_id(_float(ccode1), _float(ccode2))
    year = np.asarray(year, dtype=np.int64)
    onset = _float(onset)
    order = np.lexsort((year, key))
    e = np.nan_to_num(onset[order], nan=0.0)
    before = np.cumsum(e) - e  # events strictly before each sorted row, across dyads
    k = key[order]
    first = np.r_[True, k[1:] != k[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(k.size), 0))
    out = np.empty(k.size)
    out[order] = before - before[start]
    out[np.isnan(onset)] = np.nan
    return out


def add_midcount(frame: pd.DataFrame, spec, log=None) -> pd.DataFrame:
    """Panel step: ``midcount``, the dyad's earlier MID onsets.

    ``midcount`` in year t = the number of years before t in which a dyadic MID between A and B
    began (``onset``: either side, the dispute step's history rule), counted over the panel's
    years (build from 1816 to see every earlier dispute). Several MIDs begun in one year count
    once (the panel has one row per dyad-year). NaN where ``onset`` is unknown. This is our
    reading of the "midcount" control of Leeds & Johnson (2017, Table A7) and Morrow (2017),
    whose command files are not available here.
    """
    if "onset" not in frame.columns:
        raise ValueError("midcount needs the dispute column 'onset' (run the disputes step)")
    mc = prior_onsets(frame["ccode1"], frame["ccode2"], frame["year"], frame["onset"])
    if log is not None:
        log.note("midcount", f"midcount: earlier years with a MID onset in the dyad, from "
                 f"{spec.years[0]}; {int(np.isnan(mc).sum()):,} dyad-years NaN (no dispute data)",
                 missing=int(np.isnan(mc).sum()))
    return frame.assign(midcount=mc)
