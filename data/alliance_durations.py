"""Alliance durations: one row per alliance-year in counting-process form (after Morrow 1991).

The unit is the ATOP alliance (``atopid``), followed from its formation to its termination or
the end of observation, split at calendar-year boundaries so that a covariate can change every
year. Row ``(atopid, year)`` covers the interval ``(start, stop]`` measured in years since the
alliance's formation date (days / 365.25); ``ended`` is 1 on the row whose interval ends with the
alliance's termination and 0 elsewhere. This is the layout of R's
``Surv(start, stop, ended)`` and of :func:`foedus.models.coxph`'s ``entry``/``duration``.

**The design is reconstructed.** Morrow (1991, AJPS 35(4): 904-933) tests that asymmetric
alliances form more easily and last longer and that changes in members' capabilities make an
alliance more likely to be broken, on alliances formed 1815-1965; his exact codings are not
available. Every rule below is ours, with its source, and the uncertain ones have alternatives
(fields of :class:`AllianceDurationSpec`, or extra columns shown side by side).

Coding rules
------------
alliances
    ATOP 5.1 alliance-level file (``atop5_1a.csv``), every obligation type (the columns
    ``defense``, ``offense``, ``neutral``, ``nonagg``, ``consul`` are kept for subsets), with
    formation year ``begyr`` in ``years`` (default 1815-1965, Morrow's period).
founding members
    Members (ATOP member-level file) whose first entry date equals the alliance's formation date
    (the earliest entry of any member; ATOP's ``begyr/begmo/begday`` agree with it for every
    alliance). Later entrants and exits do not change the coded members: the unit is the alliance
    across all its ATOP phases (``maxphase``), as ATOP dates the alliance itself (our choice).
termination
    ATOP's alliance end date (``endyr/endmo/endday``; unknown day -> last day of the month, the
    reader's rule). In force at the end of ATOP 5.1's coverage (end coded 0), or ending after
    ``observe_until``: right-censored at the end of ``observe_until`` (default 2017: the last
    year whose lagged capability change NMC 6.0, ending 2016, provides). Any end counts as a
    termination (expiry, renunciation, a member's disappearance, ...): ATOP's date does not
    distinguish a broken alliance from one that lapsed.
asym (default asymmetry)
    1 when the founding members include at least one COW major power and at least one other
    state in the baseline year, 0 when all are majors or all are minor powers (COW
    ``majors2016``, the status rule of :mod:`foedus.data.majors`). ``all_major`` marks the
    all-major symmetric alliances (alternative: three categories).
cap_gap (alternative asymmetry)
    ``(max - min) / (max + min)`` of the founding members' CINC in the baseline year: 0 for
    equal capabilities, near 1 when the weakest member has almost none.
cinc_change (time-varying)
    Sum over founding members of ``|CINC(y - 1) - CINC(baseline)|`` in percentage points of
    the system's capabilities (CINC x 100): the change known at the start of year y; 0 in the
    formation year. Members without a CINC in either year are left out of the sum
    (``n_measured`` counts those kept); NaN when none is measured.
share_change (alternative)
    Change in the distribution of capabilities *within* the alliance: half the L1 distance
    between the founding members' capability shares (each member's CINC over the measured
    members' total) in year y - 1 and in the baseline year; 0-1.
baseline year
    The formation year, or 1816 for alliances formed in 1815 (NMC and ``majors2016`` start in
    1816).

Sources: ATOP 5.1 codebook (Leeds 2022); COW NMC 6.0 codebook (Singer, Bremer & Stuckey 1972;
Greig & Enterline 2021); COW State System Membership 2016 (major powers).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from foedus.data.lookup import state_year_lookup
from foedus.data.majors import major_status
from foedus.data.options import documented, option
from foedus.data.units import UnitFrame, UnitSpec
from foedus.data.spells import expand_spells

_STEP = "alliance_durations"
DAYS_PER_YEAR = 365.25
#: First year of NMC 6.0 and of majors2016.
FIRST_COW_YEAR = 1816
#: Last year of ATOP 5.1 coverage.
ATOP_LAST_YEAR = 2018


@documented
@dataclass(frozen=True)
class AllianceDurationSpec(UnitSpec):
    """Alliance-years of ATOP alliances, counting-process form (see the module docstring)."""

    keys = ("atopid", "year")
    title = "ATOP alliance-years (counting process, after Morrow 1991, reconstructed)"
    years: tuple = option((1815, 1965), "formation years (first, last) of the alliances included",
                          source="Morrow (1991)")
    observe_until: int = option(2017, "last calendar year observed; later terminations are "
                                "censored at its end")
    atop_version: str = option("5.1", "ATOP release (alliance and member files)")
    nmc_version: str = option("6.0", "NMC release (CINC of the members)")

    def __post_init__(self) -> None:
        if isinstance(self.years, list):
            object.__setattr__(self, "years", tuple(self.years))
        if len(self.years) != 2 or self.years[0] > self.years[1]:
            raise ValueError(f"years={self.years!r} must be (first, last) formation years")
        if not self.years[1] <= self.observe_until <= ATOP_LAST_YEAR:
            raise ValueError(f"observe_until={self.observe_until} must lie between the last formation "
                             f"year {self.years[1]} and the end of ATOP coverage {ATOP_LAST_YEAR}")

    def build(self, columns=None) -> UnitFrame:
        from foedus.data import read_atop_alliances, read_atop_members, read_majors, read_nmc

        log = []
        alliances = read_atop_alliances(self.atop_version)
        members = read_atop_members(self.atop_version)
        frame = alliance_years(alliances, members, read_nmc(self.nmc_version), read_majors(),
                               years=self.years, observe_until=self.observe_until, log=log)
        return UnitFrame(frame, self, log=tuple(log))


def founding_members(alliances: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """(atopid, member) of the members whose first entry date is the alliance's formation date."""
    first = members.groupby(["atopid", "member"], sort=True, as_index=False)["start"].min()
    formed = first.groupby("atopid")["start"].transform("min")
    out = first.loc[first["start"] == formed, ["atopid", "member"]]
    out = out[out["atopid"].isin(alliances["atopid"])]
    mismatch = alliances.set_index("atopid")["start"].reindex(out["atopid"]).to_numpy() != \
        first.loc[out.index, "start"].to_numpy()
    if mismatch.any():
        raise ValueError(f"{int(mismatch.sum())} founding-member entry dates differ from the alliance's "
                         "formation date in the ATOP alliance-level file")
    return out.reset_index(drop=True)


def alliance_years(alliances, members, nmc, majors, *, years=(1815, 1965), observe_until=2017,
                   log=None) -> pd.DataFrame:
    """The alliance-year frame from ATOP alliance/member frames, NMC and COW majors.

    Parameters
    ----------
    alliances, members : DataFrame
        As returned by :func:`foedus.data.read_atop_alliances` / ``read_atop_members``
        (``atopid``, ``begyr``, ``start``, ``end``, ``in_force``; members ``atopid``,
        ``member``, ``start``).
    nmc : DataFrame
        ``ccode``, ``year``, ``cinc``.
    majors : DataFrame
        COW major-power spells (``ccode``, ``styear``, ``endyear``).
    years, observe_until
        See :class:`AllianceDurationSpec`.
    log : list, optional
        Build records (``{"step", "message", ...counts}``) are appended to it.
    """
    log = [] if log is None else log
    sel = alliances[(alliances["begyr"] >= years[0]) & (alliances["begyr"] <= years[1])]
    sel = sel.sort_values("atopid").reset_index(drop=True)
    start = sel["start"].to_numpy("datetime64[D]")
    window_end = np.datetime64(f"{observe_until + 1}-01-01", "D")  # end of 31 Dec observe_until
    end = sel["end"].to_numpy("datetime64[D]")  # NaT when in force at the end of coverage
    ended = ~np.isnat(end) & (end < window_end)
    exit_date = np.where(ended, end, window_end)
    if (exit_date <= start).any():
        bad = sel.loc[exit_date <= start, "atopid"].tolist()
        raise ValueError(f"alliances {bad[:10]} end on or before their formation date")
    first_year = sel["begyr"].to_numpy(np.int64)
    last_year = (exit_date - np.timedelta64(1, "D")).astype("datetime64[Y]").astype(np.int64) + 1970
    rep, year = expand_spells(first_year, last_year, "alliances", sel)
    jan1 = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    jan1_next = (year + 1 - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    piece_start = np.maximum(jan1, start[rep])
    piece_stop = np.minimum(jan1_next, exit_date[rep])
    origin = start[rep]
    rows = pd.DataFrame({
        "atopid": sel["atopid"].to_numpy()[rep],
        "year": year.astype(np.int16),
        "start": (piece_start - origin).astype(np.int64) / DAYS_PER_YEAR,
        "stop": (piece_stop - origin).astype(np.int64) / DAYS_PER_YEAR,
        "ended": ((year == last_year[rep]) & ended[rep]).astype(np.int8),
    })

    founders = founding_members(sel, members)
    baseline = np.maximum(sel["begyr"].to_numpy(np.int64), FIRST_COW_YEAR)
    fixed = _formation_covariates(sel, founders, baseline, nmc, majors)
    changes = _capability_change(rows, sel, founders, baseline, nmc)
    keep = ["atopid", "begyr", "bilat", "defense", "offense", "neutral", "nonagg", "consul"]
    out = rows.merge(sel[keep], on="atopid", how="left", validate="many_to_one")
    out = out.merge(fixed, on="atopid", how="left", validate="many_to_one")
    out = pd.concat([out, changes], axis=1)
    if len(out) != len(rows):
        raise RuntimeError("alliance-year joins changed the number of rows (a bug)")

    n = len(sel)
    log.append({"step": _STEP, "message": (
        f"ATOP alliances formed {years[0]}-{years[1]}: {n}; terminated by the end of {observe_until}: "
        f"{int(ended.sum())}; right-censored: {int(n - ended.sum())} "
        f"({int(sel['in_force'].sum())} in force at the end of ATOP coverage)"),
        "alliances": n, "terminated": int(ended.sum()), "censored": int(n - ended.sum())})
    log.append({"step": _STEP, "message": (
        f"{len(out):,} alliance-years; founding members: {len(founders):,}; asymmetric "
        f"(major-minor) alliances: {int((fixed['asym'] == 1).sum())}, all-major: "
        f"{int((fixed['all_major'] == 1).sum())}, all-minor: {int((fixed['all_minor'] == 1).sum())}; "
        f"alliance-years without a capability change (no founding member measured): "
        f"{int(out['cinc_change'].isna().sum())}"),
        "rows": len(out), "cinc_change_missing": int(out["cinc_change"].isna().sum())})
    return out


def _formation_covariates(sel, founders, baseline, nmc, majors) -> pd.DataFrame:
    base_year = pd.Series(baseline, index=sel["atopid"].to_numpy()).reindex(founders["atopid"]).to_numpy()
    major = major_status(founders["member"].to_numpy(), base_year, majors)
    cinc = state_year_lookup(founders["member"].to_numpy(), base_year, nmc, "cinc")
    f = founders.assign(major=np.nan_to_num(major, nan=0.0), cinc=cinc)
    g = f.groupby("atopid", sort=True)
    n_major = g["major"].sum()
    n = g.size()
    hi, lo = g["cinc"].max(), g["cinc"].min()
    measured = g["cinc"].count()
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where((measured >= 2) & (hi + lo > 0), (hi - lo) / (hi + lo), np.nan)
    return pd.DataFrame({
        "atopid": n.index.to_numpy(),
        "n_founders": n.to_numpy(np.int16),
        "asym": ((n_major > 0) & (n_major < n)).to_numpy(np.float64),
        "all_major": (n_major == n).to_numpy(np.float64),
        "all_minor": (n_major == 0).to_numpy(np.float64),
        "cap_gap": gap,
    })


def _capability_change(rows, sel, founders, baseline, nmc) -> pd.DataFrame:
    """cinc_change, share_change and n_measured for every alliance-year row (vectorised over the
    founding-member x alliance-year pairs)."""
    base_of = pd.Series(baseline, index=sel["atopid"].to_numpy())
    pairs = rows[["atopid", "year"]].reset_index().merge(founders, on="atopid", how="inner")
    base_year = base_of.reindex(pairs["atopid"]).to_numpy()
    then = np.maximum(pairs["year"].to_numpy(np.int64) - 1, base_year)
    c0 = state_year_lookup(pairs["member"].to_numpy(), base_year, nmc, "cinc")
    c1 = state_year_lookup(pairs["member"].to_numpy(), then, nmc, "cinc")
    ok = ~(np.isnan(c0) | np.isnan(c1))
    pairs = pairs.assign(c0=np.where(ok, c0, 0.0), c1=np.where(ok, c1, 0.0), ok=ok.astype(np.float64))
    pairs["abs"] = np.abs(pairs["c1"] - pairs["c0"]) * 100.0
    g = pairs.groupby("index", sort=True)
    tot0, tot1 = g["c0"].transform("sum"), g["c1"].transform("sum")
    with np.errstate(divide="ignore", invalid="ignore"):
        pairs["share_abs"] = np.abs(pairs["c1"] / tot1 - pairs["c0"] / tot0)
    sums = g[["abs", "share_abs", "ok"]].sum()
    n_ok = sums["ok"].reindex(np.arange(len(rows)), fill_value=0.0).to_numpy()
    cinc_change = np.where(n_ok > 0, sums["abs"].reindex(np.arange(len(rows))).to_numpy(), np.nan)
    share = np.where(n_ok > 0, 0.5 * sums["share_abs"].reindex(np.arange(len(rows))).to_numpy(), np.nan)
    return pd.DataFrame({"cinc_change": cinc_change, "share_change": share,
                         "n_measured": n_ok.astype(np.int16)})


__all__ = ["AllianceDurationSpec", "alliance_years", "founding_members"]
