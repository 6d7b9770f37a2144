"""Regime type: Polity (polity2) or V-Dem (polyarchy), democracy dummies, joint democracy.

Columns added (Polity: ``Covariates.regime`` = "polity5", "polity4-2018", "polity4-2015")
-------------------------------------------------------------------------------------------
polity2_1, polity2_2 : float
    Polity's ``polity2`` of state A and B (-10..10).
dem1, dem2 : Int8
    1 when ``polity2 >= Covariates.democracy_threshold`` (6 by default: the "coherent democracy"
    range 6..10 of the Polity IV manual, Marshall & Jaggers).
jdem : Int8
    1 when both are democracies.
polity2_min : float
    The lower of the two scores (the "weak link", Dixon 1994; Oneal & Russett 1997).

Columns added (V-Dem: ``Covariates.regime = "vdem"``)
----------------------------------------------------
polyarchy1, polyarchy2 : float
    V-Dem's electoral democracy index ``v2x_polyarchy`` (0..1).
dem1, dem2, jdem : Int8
    ``polyarchy > Covariates.polyarchy_threshold`` (0.5 by default, the necessary condition for
    electoral democracy in Lührmann, Tannenberg & Lindberg 2018).
polyarchy_min : float
    The weak link.

polity versus polity2
---------------------
Polity's ``polity`` score carries three special codes: -66 (interruption: foreign occupation),
-77 (interregnum: collapse of central authority) and -88 (transition). Polity's own ``polity2``
series, published in the same file, converts them (Polity IV manual, section on polity2): -66 is
missing, -77 is 0, and -88 is prorated across the transition years. foedus uses ``polity2`` as
published and never reads the special codes as scores. :func:`check_polity2` verifies the rules
on the file (a -66 year has no polity2; a -77 year has polity2 = 0; others lie in -10..10).

Polity's country codes
----------------------
Polity numbers some states differently from COW. :data:`POLITY_TO_COW` maps them, following the
country list of the Polity5 / Polity IV manuals against COW's ``states2016``:

======================= ======= ===================== ======================================
Polity state            Polity  COW                   rule
======================= ======= ===================== ======================================
Kosovo (2008-)          341     347 Kosovo            recode (COW 341 is Montenegro)
Montenegro (2006-)      348     341 Montenegro        recode
Sudan-North (2011-)     626     625 Sudan             recode (COW 626 is South Sudan)
South Sudan (2011-)     525     626 South Sudan       recode
Austria (1816-1918)     305     300 Austria-Hungary   fill
Sardinia (1816-1860)    324     325 Italy/Sardinia    fill
Serbia (-1918, 2006-)   342     345 Serbia/Yugoslavia fill
Yugoslavia, Serbia and  347     345                   fill
Montenegro (1991-2006)
USSR (1922-1991)        364     365 Russia            fill
Ethiopia (1993-)        529     530 Ethiopia          fill
Pakistan (1947-1971)    769     770 Pakistan          fill
Vietnam (1976-)         818     816 Vietnam           fill
======================= ======= ===================== ======================================

A *recode* renumbers Polity's rows. A *fill* copies Polity's rows to the COW code only for years
in which Polity has no row under the COW code itself (so in 1922 Russia keeps Polity's 365 row,
and in 2006 COW 345 takes Serbia and Montenegro's row before Serbia's). Germany (255/260/265),
Yemen (678/679/680), Czechoslovakia/Czech Republic (315/316) and South Vietnam (817) already use
COW's numbers.

V-Dem's ``COWcode`` column is V-Dem's own COW mapping and is used as is.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from foedus.data.lookup import nullable_int, state_year_lookup

_STEP = "regime"

#: (polity ccode, first year, last year, COW ccode, kind) - see the module docstring.
POLITY_TO_COW: tuple[tuple[int, int, int, int, str], ...] = (
    (341, 2008, 9999, 347, "recode"),
    (348, 2006, 9999, 341, "recode"),
    (626, 2011, 9999, 625, "recode"),
    (525, 2011, 9999, 626, "recode"),
    (305, 1816, 1918, 300, "fill"),
    (324, 1816, 1860, 325, "fill"),
    (347, 1991, 2006, 345, "fill"),
    (342, 1816, 9999, 345, "fill"),
    (364, 1922, 1991, 365, "fill"),
    (529, 1993, 9999, 530, "fill"),
    (769, 1947, 1971, 770, "fill"),
    (818, 1976, 9999, 816, "fill"),
)

#: Covariates.regime -> read_polity version.
POLITY_VERSIONS = {"polity5": "5-2018", "polity4-2018": "4-2018", "polity4-2015": "4-2015"}


def polity_cow(polity: pd.DataFrame) -> pd.DataFrame:
    """Polity state-years re-keyed to COW state numbers (``ccode``, ``year``, ``polity2``).

    Applies :data:`POLITY_TO_COW`; the result has unique (ccode, year).
    """
    p = polity[["ccode", "year", "polity2"]].copy()
    p["ccode"] = p["ccode"].astype(np.int64)
    p["year"] = p["year"].astype(np.int64)
    code, year = p["ccode"].to_numpy(), p["year"].to_numpy()
    new = code.copy()
    for src, y0, y1, dst, kind in POLITY_TO_COW:
        if kind == "recode":
            new[(code == src) & (year >= y0) & (year <= y1)] = dst
    p["ccode"] = new
    p["rank"] = 0  # native rows first
    fills = []
    for rank, (src, y0, y1, dst, kind) in enumerate(POLITY_TO_COW, start=1):
        if kind == "fill":
            rows = p[(code == src) & (year >= y0) & (year <= y1)]
            fills.append(rows.assign(ccode=dst, rank=rank))
    p = pd.concat([p, *fills], ignore_index=True)
    p = p.sort_values(["ccode", "year", "rank"], kind="stable")
    p = p.drop_duplicates(["ccode", "year"], keep="first")
    return p[["ccode", "year", "polity2"]].reset_index(drop=True)


def check_polity2(polity: pd.DataFrame) -> dict[str, int]:
    """Count rows of a Polity frame that break Polity's polity2 rules (all 0 for a clean file).

    Uses ``polity_code`` (the special code, NA otherwise) as :func:`foedus.data.read_polity`
    returns it, or the raw ``polity`` column with its -66/-77/-88 codes.
    """
    if "polity_code" in polity.columns:
        code = pd.to_numeric(polity["polity_code"]).astype("Float64")
    else:
        raw = pd.to_numeric(polity["polity"]).astype("Float64")
        code = raw.where(raw.isin([-66, -77, -88]))
    p2 = pd.to_numeric(polity["polity2"]).astype("Float64")
    return {
        "occupation_with_polity2": int(((code == -66) & p2.notna()).fillna(False).sum()),
        "interregnum_not_zero": int(((code == -77) & (p2 != 0)).fillna(False).sum()),
        "out_of_range": int((p2.notna() & ((p2 < -10) | (p2 > 10))).fillna(False).sum()),
    }


def democracy_columns(
    score1: np.ndarray, score2: np.ndarray, threshold: float, strict: bool = False,
    prefix: str = "polity2",
) -> dict:
    """Dyadic democracy columns from the two sides' scores.

    ``dem = score >= threshold`` (``score > threshold`` when ``strict``), NA when the score is NA.
    Column names: ``polity2_1``/``polity2_2`` for Polity, ``polyarchy1``/``polyarchy2`` otherwise
    (the panel vocabulary), then ``dem1``, ``dem2``, ``jdem`` and ``<prefix>_min``.
    """
    k1, k2 = ~np.isnan(score1), ~np.isnan(score2)
    with np.errstate(invalid="ignore"):
        d1 = score1 > threshold if strict else score1 >= threshold
        d2 = score2 > threshold if strict else score2 >= threshold
    # joint democracy is known to be 0 as soon as one side is known to be no democracy
    jknown = (k1 & k2) | (k1 & ~d1) | (k2 & ~d2)
    return {
        f"{prefix}_1" if prefix == "polity2" else f"{prefix}1": score1,
        f"{prefix}_2" if prefix == "polity2" else f"{prefix}2": score2,
        "dem1": nullable_int(d1, k1),
        "dem2": nullable_int(d2, k2),
        "jdem": nullable_int(d1 & d2 & k1 & k2, jknown),
        # the weak link is unknown when either side is
        f"{prefix}_min": np.where(k1 & k2, np.fmin(score1, score2), np.nan),
    }


def regime_from_frame(frame: pd.DataFrame, scores: pd.DataFrame, column: str, threshold: float,
                      strict: bool, prefix: str, log=None, source: str = "") -> pd.DataFrame:
    """Look up ``scores[column]`` for both sides and add the democracy columns."""
    s1 = state_year_lookup(frame["ccode1"], frame["year"], scores, column)
    s2 = state_year_lookup(frame["ccode2"], frame["year"], scores, column)
    cols = democracy_columns(s1, s2, threshold, strict, prefix)
    if log is not None:
        miss = int((np.isnan(s1) | np.isnan(s2)).sum())
        log.note(_STEP, f"{source}: {miss:,} dyad-years lack one side's {column} (NA)", missing=miss)
    return frame.assign(**cols)


def step_columns(spec) -> tuple:
    """The columns :func:`add_regime` adds under ``spec`` (its panel-step declaration)."""
    prefix = "polyarchy" if spec.covariates.regime == "vdem" else "polity2"
    sep = "_" if prefix == "polity2" else ""
    return (f"{prefix}{sep}1", f"{prefix}{sep}2", "dem1", "dem2", "jdem", f"{prefix}_min")


def add_regime(frame: pd.DataFrame, spec, log=None) -> pd.DataFrame:
    """Panel step: Polity ``polity2`` or V-Dem ``polyarchy`` (see the module docstring)."""
    cov = spec.covariates
    if cov.regime == "vdem":
        from foedus.data import read_vdem

        return regime_from_frame(frame, read_vdem(), "polyarchy", cov.polyarchy_threshold, True,
                                 "polyarchy", log, "V-Dem v10 polyarchy")
    from foedus.data import read_polity

    raw = read_polity(POLITY_VERSIONS[cov.regime])
    bad = check_polity2(raw)
    if log is not None and any(bad.values()):
        log.note(_STEP, f"{cov.regime}: rows breaking Polity's polity2 rules: {bad}", **bad)
    return regime_from_frame(frame, polity_cow(raw), "polity2", cov.democracy_threshold, False,
                             "polity2", log, cov.regime)
