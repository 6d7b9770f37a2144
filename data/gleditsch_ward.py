"""The Gleditsch–Ward state system: its universe, capitals, minimum distances, and the COW<->GW
code mapping through which the COW-keyed data (alliances, MIDs, NMC, contiguity, majors, Polity)
are joined onto it.

Universe
--------
Gleditsch & Ward (1999) list independent states with dated spells (peacesciencer ``gw_states``,
which leaves out GW's microstates). A state is a member in every calendar year its spell
touches; a dyad-year is a pair of members of the same year, as peacesciencer's
``create_dyadyears(system = "gw")``. peacesciencer's own ``gw_ddy`` also drops the pairs whose
members never coexisted on a day of the year (its ``false_gw_dyads``): the panel's ``same_day``
option does the same here, from the GW dates.

COW<->GW mapping
----------------
Each GW state-year gets the COW code of the same state (``ccode``): the GW code itself, except
where the two lists code one state differently (:data:`GW_TO_COW`; Gleditsch & Ward 1999 discuss where their
list departs from COW's, and peacesciencer's ``data-raw/cow_gw_years.R`` lists the cases):

- Serbia: GW 340 (1878-1915 and from 5 June 2006) is COW 345, COW's code for Serbia before,
  during (as Yugoslavia) and after Yugoslavia; GW 345 (Yugoslavia, to 4 June 2006) is COW 345 as
  well. A COW code goes to one GW state a year (every COW-keyed join needs unique COW pairs): in
  2006 the GW state in force on 1 January, GW 345; GW 340 keeps its own code in 2006.
- Germany: GW treats unification as West Germany (260) absorbing East Germany (265) and keeps
  260; COW has Germany 255 re-enter on 3 October 1990. GW 260 is COW 260 to 1990, 255 from 1991.
- Yemen: GW keeps 678 for unified Yemen; COW codes unified Yemen 679 from 22 May 1990. GW 678 is
  COW 678 to 1990, 679 from 1991.

In a transition year the GW state takes the COW code in force on 1 January (so COW's 255 and 679
of 1990 have no GW state; ``GW_TO_COW`` is the one place to change that). GW states without a
COW counterpart keep their GW code: GW 89 (United Provinces of Central America), 99 (Gran
Colombia), 563/564 (Transvaal, Orange Free State), 711 (Tibet), 815 (Vietnam before 1893), and
every GW state-year in which the COW counterpart is not a COW system member (e.g. Canada
1867-1919). The panel flags them (``cowsys1``/``cowsys2`` = 0) and the build log counts them:
COW state-year sources have no rows there (NaN), while sources that code absence as 0
(contiguity, majors, ATOP ties) give 0. COW state-years with no GW state (microstates such as
54-60, 221, 223, 232, 331, 403, 591 and the Pacific states) are outside the GW universe, also
counted.

Keys
----
A GW panel is keyed by ``gwcode1``, ``gwcode2``, ``year``; ``ccode1``/``ccode2`` carry the COW
codes every COW-keyed step joins on, and ``ddyad``/``dyad`` are computed from the GW codes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from foedus.data.keys import dyad_id, undirected_dyad_id
from foedus.data.spells import expand_spells

if TYPE_CHECKING:  # pragma: no cover
    from foedus.data.panel import BuildLog
    from foedus.data.spec import PanelSpec

_STEP = "universe"
#: First and last year of peacesciencer 1.2.9's gw_states (its spells end on 2017-12-31).
COVERAGE = (1816, 2017)

#: GW codes whose COW code differs: (gwcode, first year, last year, ccode, why).
GW_TO_COW: tuple[tuple[int, int, int, int, str], ...] = (
    (340, 1816, 2005, 345, "Serbia: COW codes Serbia 345 before, as and after Yugoslavia"),
    (340, 2007, 9999, 345, "Serbia (in 2006 COW 345 is GW 345's, in force on 1 January)"),
    (260, 1991, 9999, 255, "Germany: COW's Germany (255) re-enters on 1990-10-03"),
    (678, 1991, 9999, 679, "Yemen: COW codes unified Yemen 679 from 1990-05-22"),
)


def gw_state_years(states: pd.DataFrame, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """GW state-years from dated spells: a state is a member in every year its spell touches.

    Parameters
    ----------
    states : pandas.DataFrame
        ``gwcode``, ``startdate``, ``enddate`` (peacesciencer ``gw_states``).
    years : (int, int), optional
        First and last year kept.

    Returns
    -------
    pandas.DataFrame
        ``gwcode``, ``year`` (int64), unique, sorted by gwcode, year.
    """
    missing = {"gwcode", "startdate", "enddate"} - set(states.columns)
    if missing:
        raise ValueError(f"GW states frame (peacesciencer gw_states) lacks column(s) {sorted(missing)}")
    y0 = pd.to_datetime(states["startdate"]).dt.year.to_numpy(np.int64)
    y1 = pd.to_datetime(states["enddate"]).dt.year.to_numpy(np.int64)
    rep, year = expand_spells(y0, y1, "gw_states", states)
    out = pd.DataFrame({
        "gwcode": states["gwcode"].to_numpy(np.int64)[rep],
        "year": year,
    })
    if years is not None:
        out = out[(out["year"] >= years[0]) & (out["year"] <= years[1])]
    return out.drop_duplicates().sort_values(["gwcode", "year"]).reset_index(drop=True)


def cow_code(gwcode, year) -> np.ndarray:
    """The COW code of each GW state-year (:data:`GW_TO_COW`; otherwise the GW code), int64."""
    g = np.asarray(gwcode, dtype=np.int64)
    y = np.asarray(year, dtype=np.int64)
    out = g.copy()
    for gw, first, last, cow, _ in GW_TO_COW:
        out[(g == gw) & (y >= first) & (y <= last)] = cow
    return out


def cow_gw_table(gw_years: pd.DataFrame, cow_system: pd.DataFrame) -> pd.DataFrame:
    """The COW<->GW state-year table: each GW state-year with its COW code and whether that code
    is a COW system member in the year.

    Returns
    -------
    pandas.DataFrame
        ``gwcode``, ``year``, ``ccode`` (int64), ``cowsys`` (bool).
    """
    out = gw_years[["gwcode", "year"]].astype(np.int64).copy()
    out["ccode"] = cow_code(out["gwcode"], out["year"])
    twice = out.duplicated(["ccode", "year"], keep=False)
    if twice.any():
        raise ValueError("the COW<->GW mapping gives one COW code to two GW states in a year: "
                         f"{out.loc[twice].head(4).to_dict('records')}; fix GW_TO_COW")
    cow = pd.MultiIndex.from_frame(cow_system[["ccode", "year"]].astype(np.int64))
    out["cowsys"] = pd.MultiIndex.from_frame(out[["ccode", "year"]]).isin(cow)
    return out


def gw_universe_from_frames(
    states: pd.DataFrame, cow_system: pd.DataFrame, years: tuple[int, int], directed: bool = True,
    same_day: bool = False, log: "BuildLog | None" = None,
) -> pd.DataFrame:
    """The GW dyad-year universe with the COW codes of both states.

    Parameters
    ----------
    states : pandas.DataFrame
        GW spells (``gwcode``, ``startdate``, ``enddate``).
    cow_system : pandas.DataFrame
        COW state-years (``ccode``, ``year``; ``system2016``), for the ``cowsys`` flags and the
        counts of COW state-years outside the GW universe.
    years : (int, int)
    directed : bool
        All ordered pairs, or ``gwcode1 < gwcode2``.
    same_day : bool
        Drop pairs never members on the same day (peacesciencer's ``gw_ddy`` drops them).
    log : BuildLog, optional

    Returns
    -------
    pandas.DataFrame
        ``ccode1``, ``ccode2``, ``year`` (int16), ``gwcode1``, ``gwcode2`` (int16), ``cowsys1``,
        ``cowsys2`` (int8: the COW counterpart is a COW system member in the year), sorted by
        year, gwcode1, gwcode2.
    """
    from foedus.data.universe import universe_from_frames

    sy = gw_state_years(states, years).rename(columns={"gwcode": "ccode"})
    spells = states.rename(columns={"gwcode": "ccode", "startdate": "start", "enddate": "end"})
    # the universe's pair arithmetic and same-day rule, run on GW codes
    pairs = universe_from_frames(sy, years, directed, spells if same_day else None, same_day, log)
    pairs = pairs.rename(columns={"ccode1": "gwcode1", "ccode2": "gwcode2"})
    table = cow_gw_table(sy.rename(columns={"ccode": "gwcode"}), cow_system)
    lookup = table.set_index(["gwcode", "year"])
    cols = {}
    for side in ("1", "2"):
        idx = pd.MultiIndex.from_arrays([pairs[f"gwcode{side}"].astype(np.int64),
                                         pairs["year"].astype(np.int64)])
        row = lookup.index.get_indexer(idx)
        cols[f"ccode{side}"] = lookup["ccode"].to_numpy()[row].astype(np.int16)
        cols[f"cowsys{side}"] = lookup["cowsys"].to_numpy()[row].astype(np.int8)
    frame = pd.DataFrame({"ccode1": cols["ccode1"], "ccode2": cols["ccode2"], "year": pairs["year"],
                          "gwcode1": pairs["gwcode1"], "gwcode2": pairs["gwcode2"],
                          "cowsys1": cols["cowsys1"], "cowsys2": cols["cowsys2"]})
    if log is not None:
        _log_mapping(frame, table, cow_system, years, log)
    return frame


def _log_mapping(frame, table, cow_system, years, log) -> None:
    remapped = table["ccode"] != table["gwcode"]
    log.note(_STEP, f"Gleditsch-Ward system (peacesciencer gw_states); COW codes through "
             f"foedus.data.gleditsch_ward.GW_TO_COW: {int(remapped.sum()):,} GW state-years take "
             "a COW code different from their GW code (Serbia 340->345 except 2006, Germany "
             "260->255 and Yemen 678->679 from 1991)", remapped=int(remapped.sum()))
    no_cow = int((~table["cowsys"]).sum())
    rows = int(((frame["cowsys1"] == 0) | (frame["cowsys2"] == 0)).sum())
    log.note(_STEP, f"{no_cow:,} GW state-years have no COW system member counterpart (COW state-year "
             f"data NaN, dyadic data coded as absent there); {rows:,} dyad-years have such a state (cowsys1/cowsys2 = 0)",
             gw_without_cow=no_cow, dyad_years_without_cow=rows)
    cow = cow_system[["ccode", "year"]].astype(np.int64)
    cow = cow[(cow["year"] >= years[0]) & (cow["year"] <= years[1])]
    reached = pd.MultiIndex.from_frame(table[["ccode", "year"]])
    outside = int((~pd.MultiIndex.from_frame(cow).isin(reached)).sum())
    log.note(_STEP, f"{outside:,} COW system state-years have no GW state (microstates and "
             "others GW do not list) and are outside the GW universe", cow_without_gw=outside)


def build_gw_universe(spec: "PanelSpec", log: "BuildLog | None" = None) -> pd.DataFrame:
    """The universe of a ``system="gw"`` panel spec (``years``, ``directed``, ``same_day``)."""
    from foedus.data import read_peacesciencer, read_system

    return gw_universe_from_frames(read_peacesciencer("gw_states"), read_system(spec.system_version),
                                   tuple(spec.years), spec.directed, spec.same_day, log)


def gw_dyad_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """``ddyad`` and ``dyad`` from the GW codes (a GW panel's dyads are GW pairs)."""
    frame["ddyad"] = dyad_id(frame["gwcode1"], frame["gwcode2"])
    frame["dyad"] = undirected_dyad_id(frame["gwcode1"], frame["gwcode2"])
    return frame


def add_gw_distance(frame: pd.DataFrame, spec, log=None) -> pd.DataFrame:
    """Panel step (GW panels): capital distance from peacesciencer ``gw_capitals`` and minimum
    distance from ``gw_mindist``, keyed by the GW codes; the same functions and options
    (``capital_rule``, ``capital_fixes``) as :func:`foedus.data.distance.add_distance`."""
    from foedus.data import read_peacesciencer
    from foedus.data.distance import CAPITAL_FIXES, capital_distance, fix_capitals, minimum_distance

    cov = spec.covariates
    by_gw = pd.DataFrame({"ccode1": frame["gwcode1"], "ccode2": frame["gwcode2"], "year": frame["year"]})
    cols: dict[str, np.ndarray] = {}
    if cov.distance:
        capitals = read_peacesciencer("gw_capitals").rename(columns={"gwcode": "ccode"})
        if cov.capital_fixes:
            capitals, changed = fix_capitals(capitals)
            if log is not None:
                log.note("distance", f"GW capital coordinates corrected for "
                         f"{', '.join(n for _, n in CAPITAL_FIXES)} ({changed} capital spells)",
                         fixed=changed)
        d = capital_distance(by_gw, capitals, cov.capital_rule)
        cols["distance"] = d
        with np.errstate(divide="ignore"):
            cols["ln_distance"] = np.where(d > 0, np.log(d), np.nan)
        if log is not None:
            log.note("distance", f"capital distance (gw_capitals, rule '{cov.capital_rule}'): "
                     f"{int(np.isnan(d).sum()):,} dyad-years lack a capital (NaN)",
                     missing=int(np.isnan(d).sum()))
    if cov.mindist:
        mindist = read_peacesciencer("gw_mindist").rename(columns={"gwcode1": "ccode1", "gwcode2": "ccode2"})
        m = minimum_distance(by_gw, mindist)
        cols["mindist"] = m
        if log is not None:
            log.note("distance", f"minimum distance (gw_mindist): {int(np.isnan(m).sum()):,} "
                     "dyad-years NaN", missing=int(np.isnan(m).sum()))
    return frame.assign(**cols)


__all__ = ["COVERAGE", "GW_TO_COW", "gw_state_years", "cow_code", "cow_gw_table",
           "gw_universe_from_frames", "build_gw_universe", "gw_dyad_ids", "add_gw_distance"]
