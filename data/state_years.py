"""State-year (monadic) panels: one row per state system member and year.

A :class:`StateYearSpec` is a :class:`~foedus.data.units.UnitSpec` (a unit other than the
dyad-year, built by :func:`~foedus.data.units.build_unit`), not a ``PanelSpec`` option: a
``PanelSpec``'s alliance, dispute and temporal rules are dyadic (who promised whom, who initiated
against whom, years since the dyad's last dispute) and have no monadic meaning, while its cache,
left-join check and sample filters are keyed on ``ccode1, ccode2, year``. What a state-year does
share with a dyad-year is the universe (the same state system, COW or Gleditsch–Ward, and the
same COW<->GW mapping) and the state-level lookups the panel steps use for each side of a dyad
(NMC CINC, :func:`foedus.data.majors.major_status`, :func:`foedus.data.regime.polity_cow`); those
are called here.

Columns
-------
ccode, year : int16
    COW state code and year (keys; for ``system="gw"`` ``ccode`` is the mapped COW code and
    ``gwcode`` the GW code, with ``cowsys`` = 1 when the COW counterpart is a COW member).
cinc : float64
    NMC 6.0 composite index of national capability; NaN where NMC has no row.
major : Int8
    COW major power at any time in the year (majors2016); NA outside 1816-2016.
polity2, dem : float64, Int8
    Polity ``polity2`` (COW-keyed, :func:`foedus.data.regime.polity_cow`) and ``polity2 >=
    democracy_threshold``; NA where Polity has no score.
n_defense, defense : Int16, Int8
    Number of ATOP alliances with a defense obligation (alliance-level ``defense`` = 1) of which
    the state is a member in the year (a membership spell, entry year to exit year, touches the
    year; a member still in at the end of coverage counts to its last year), and whether there is
    at least one. NA outside the ATOP release's coverage.
mid_onsets, mid_involved, mid_onset : Int16, Int16, Int8
    COW MID participant data: distinct MIDs the state begins participating in during the year
    (its participation's start year), distinct MIDs in which it participates at any time in the
    year (start year <= year <= end year; joiners included), and ``mid_onsets > 0``. NA outside
    the release's coverage.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from foedus.data.lookup import in_years, nullable_int, state_year_lookup
from foedus.data.options import documented, option
from foedus.data.units import UnitFrame, UnitSpec
from foedus.data.spells import expand_spells

_STEP = "state_years"


def state_year_universe(system: str = "cow", years: tuple = (1816, 2014),
                        system_version: str = "2016") -> pd.DataFrame:
    """The state-years of a state system: COW ``system2016`` or GW ``gw_states`` (with the COW
    codes of :mod:`foedus.data.gleditsch_ward`), sorted by year, code."""
    from foedus.data import read_system

    cow = read_system(system_version)
    if system == "cow":
        sy = cow[["ccode", "year"]].astype(np.int64)
        sy = sy[(sy["year"] >= years[0]) & (sy["year"] <= years[1])]
        return sy.sort_values(["year", "ccode"]).reset_index(drop=True).astype(np.int16)
    from foedus.data import read_peacesciencer
    from foedus.data.gleditsch_ward import cow_gw_table, gw_state_years

    table = cow_gw_table(gw_state_years(read_peacesciencer("gw_states"), years), cow)
    table = table.sort_values(["year", "gwcode"]).reset_index(drop=True)
    return pd.DataFrame({"ccode": table["ccode"].astype(np.int16), "year": table["year"].astype(np.int16),
                         "gwcode": table["gwcode"].astype(np.int16),
                         "cowsys": table["cowsys"].astype(np.int8)})


def defense_pact_counts(members: pd.DataFrame, alliances: pd.DataFrame,
                        last_year: int) -> pd.DataFrame:
    """Number of defense alliances of each member-year (see the module docstring).

    Parameters
    ----------
    members : pandas.DataFrame
        ATOP member-level rows: ``atopid``, ``member``, ``yrent``, ``yrexit`` (NA = in force).
    alliances : pandas.DataFrame
        ATOP alliance-level rows: ``atopid``, ``defense``.
    last_year : int
        Last year of the release's coverage (the exit year of members still in force).

    Returns
    -------
    pandas.DataFrame
        ``ccode``, ``year``, ``n_defense`` (int64), one row per state-year with at least one.
    """
    pacts = set(alliances.loc[alliances["defense"] == 1, "atopid"].astype(int))
    # ATOP also codes one non-COW member (8152): no state-year of any system has it
    m = members.loc[members["atopid"].isin(pacts) & (members["member"].astype(np.int64) < 1000)]
    y0 = m["yrent"].to_numpy(np.int64)
    y1 = pd.array(m["yrexit"], dtype="Int64").fillna(last_year).to_numpy(np.int64)
    rep, year = expand_spells(y0, y1, "ATOP members", m)
    years = pd.DataFrame({
        "ccode": m["member"].to_numpy(np.int64)[rep],
        "year": year,
        "atopid": m["atopid"].to_numpy(np.int64)[rep],
    }).drop_duplicates()
    return years.groupby(["ccode", "year"], as_index=False).size().rename(columns={"size": "n_defense"})


def mid_counts(participants: pd.DataFrame) -> pd.DataFrame:
    """``mid_onsets`` and ``mid_involved`` of each state-year with a MID (module docstring).

    Parameters
    ----------
    participants : pandas.DataFrame
        MID participant rows: ``dispnum``, ``ccode``, ``styear``, ``endyear``.
    """
    y0 = participants["styear"].to_numpy(np.int64)
    y1 = participants["endyear"].to_numpy(np.int64)
    rep, year = expand_spells(y0, y1, "MID participants", participants)
    active = pd.DataFrame({
        "ccode": participants["ccode"].to_numpy(np.int64)[rep],
        "year": year,
        "dispnum": participants["dispnum"].to_numpy(np.int64)[rep],
    }).drop_duplicates()
    involved = (active.groupby(["ccode", "year"], as_index=False).size()
                .rename(columns={"size": "mid_involved"}))
    starts = pd.DataFrame({"ccode": participants["ccode"].to_numpy(np.int64), "year": y0,
                           "dispnum": participants["dispnum"].to_numpy(np.int64)}).drop_duplicates()
    onsets = (starts.groupby(["ccode", "year"], as_index=False).size()
              .rename(columns={"size": "mid_onsets"}))
    return involved.merge(onsets, on=["ccode", "year"], how="left").fillna({"mid_onsets": 0})


def _counts(frame: pd.DataFrame, table: pd.DataFrame, column: str, coverage) -> tuple:
    v = state_year_lookup(frame["ccode"], frame["year"], table, column)
    covered = in_years(frame["year"], *coverage)
    v = np.where(np.isnan(v), 0.0, v)
    return v, covered


@documented
@dataclass(frozen=True)
class StateYearSpec(UnitSpec):
    """A state-year panel: the state system's members and the state-level covariates.

    Examples
    --------
    >>> StateYearSpec(years=(1946, 2000), regime=None).keys
    ('ccode', 'year')
    """

    keys: ClassVar[tuple] = ("ccode", "year")
    title: ClassVar[str] = "State-years"

    system: str = option("cow", "state system: 'cow' (system2016) or 'gw' (Gleditsch & Ward 1999, "
                         "peacesciencer gw_states, with the COW codes of foedus.data.gleditsch_ward)",
                         ("cow", "gw"))
    years: tuple = option((1816, 2014), "first and last year (inclusive)")
    system_version: str = option("2016", "COW state system membership release")
    capabilities: bool = option(True, "NMC 6.0 CINC (cinc)")
    majors: bool = option(True, "COW major power status (major; majors2016)")
    regime: str | None = option("polity5", "Polity release behind polity2 and dem (None: not added)",
                                ("polity5", "polity4-2018", "polity4-2015", None))
    democracy_threshold: float = option(6, "a state is a democracy when polity2 >= this value")
    alliances: str | None = option("5.1", "ATOP release behind n_defense and defense (None: not added)",
                                   ("5.1", "4.01", None))
    disputes: str | None = option("5.0", "COW MID release behind mid_onsets, mid_involved, mid_onset "
                                  "(None: not added)", ("5.0", "4.3", "4.2", "3.10", None))

    def __post_init__(self) -> None:
        from foedus.data.errors import SpecError
        from foedus.data.regime import POLITY_VERSIONS

        object.__setattr__(self, "years", tuple(int(y) for y in self.years))
        problems = []
        if self.system not in ("cow", "gw"):
            problems.append(f"system={self.system!r} is not one of ('cow', 'gw')")
        if len(self.years) != 2 or self.years[0] > self.years[1]:
            problems.append(f"years={self.years!r} must be (first, last) with first <= last")
        if self.regime is not None and self.regime not in POLITY_VERSIONS:
            problems.append(f"regime={self.regime!r} is not one of {(*POLITY_VERSIONS, None)}")
        if self.alliances not in (None, "5.1", "4.01"):
            problems.append(f"alliances={self.alliances!r}: an ATOP release ('5.1', '4.01') or None")
        if self.disputes not in (None, "5.0", "4.3", "4.2", "3.10"):
            problems.append(f"disputes={self.disputes!r}: a COW MID release ('5.0', '4.3', '4.2', "
                            "'3.10') or None")
        if problems:
            raise SpecError("StateYearSpec: " + "; ".join(problems))

    def build(self, columns: list | None = None) -> UnitFrame:
        """The state-year frame (keys ``ccode``, ``year``; ``gwcode`` for GW) and its log."""
        from foedus.data.panel import BuildLog

        log = BuildLog()
        frame = state_year_universe(self.system, self.years, self.system_version)
        log.note(_STEP, f"{len(frame):,} state-years ({'COW' if self.system == 'cow' else 'Gleditsch-Ward'}"
                 f" system, {self.years[0]}-{self.years[1]})", rows=len(frame))
        cols: dict = {}
        if self.capabilities:
            from foedus.data import read_nmc

            cols["cinc"] = state_year_lookup(frame["ccode"], frame["year"], read_nmc(), "cinc")
            log.note(_STEP, f"NMC CINC: {int(np.isnan(cols['cinc']).sum()):,} state-years NaN",
                     missing=int(np.isnan(cols["cinc"]).sum()))
        if self.majors:
            from foedus.data import read_majors
            from foedus.data.majors import major_status

            m = major_status(frame["ccode"], frame["year"], read_majors())
            cols["major"] = nullable_int(m == 1, ~np.isnan(m))
        if self.regime is not None:
            from foedus.data import read_polity
            from foedus.data.regime import POLITY_VERSIONS, polity_cow

            p = state_year_lookup(frame["ccode"], frame["year"],
                                  polity_cow(read_polity(POLITY_VERSIONS[self.regime])), "polity2")
            cols["polity2"] = p
            with np.errstate(invalid="ignore"):
                cols["dem"] = nullable_int(p >= self.democracy_threshold, ~np.isnan(p))
            log.note(_STEP, f"{self.regime}: {int(np.isnan(p).sum()):,} state-years lack polity2",
                     missing=int(np.isnan(p).sum()))
        if self.alliances is not None:
            from foedus.data import read_atop_alliances, read_atop_members
            from foedus.data.alliances import COVERAGE

            cover = COVERAGE[self.alliances]
            counts = defense_pact_counts(read_atop_members(self.alliances),
                                         read_atop_alliances(self.alliances), cover[1])
            n, covered = _counts(frame, counts, "n_defense", cover)
            cols["n_defense"] = nullable_int(n, covered, "Int16")
            cols["defense"] = nullable_int(n > 0, covered)
        if self.disputes is not None:
            from foedus.data import read_mid_participants
            from foedus.data.disputes import COVERAGE

            cover = COVERAGE[("cow-mid", self.disputes)]
            mids = mid_counts(read_mid_participants(self.disputes))
            onsets, covered = _counts(frame, mids, "mid_onsets", cover)
            involved, _ = _counts(frame, mids, "mid_involved", cover)
            cols["mid_onsets"] = nullable_int(onsets, covered, "Int16")
            cols["mid_involved"] = nullable_int(involved, covered, "Int16")
            cols["mid_onset"] = nullable_int(onsets > 0, covered)
            log.note(_STEP, f"COW MID {self.disputes}: {int((onsets > 0).sum()):,} state-years "
                     "with a MID onset", onsets=int((onsets > 0).sum()))
        frame = frame.assign(**cols)
        return UnitFrame(frame=frame, spec=self, log=tuple(log.records))


__all__ = ["StateYearSpec", "state_year_universe", "defense_pact_counts", "mid_counts"]
