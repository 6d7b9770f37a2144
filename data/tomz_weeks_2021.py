"""Tomz & Weeks (2021), Study 1: the respondents, prepared as in the authors' do-files.

A port of ``2017-04-YouGov-prepdata.do`` (recodes, outcomes, attention checks, covariates) and
of the rescaling block of ``2017-04-YouGov-mainfx.do`` (lines 23-29), plus the five-point
outcome that file builds (line 63). Every rule cites its do-file line as ``prep:<line>`` or
``mainfx:<line>``. Both files are registered (``foedus data path tomz-weeks-2021``).

The unit of analysis is the survey respondent (1,200 rows; no row is ever removed here).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from foedus.data.fetch import resolve
from foedus.data.readers._base import registered
from foedus.data.readers.tomz_weeks import read_tomz_weeks_2021
from foedus.data.options import documented, option
from foedus.data.units import UnitFrame, UnitSpec

__all__ = ["CONTROLS", "REGIONS", "TREATMENTS", "TomzWeeksRespondents", "prepare", "rescale"]

#: The authors' controls, ``local cs`` (mainfx:36).
CONTROLS = ("hawk", "intl", "pid7", "nat", "male", "white", "age", "ed4")
#: The five randomised treatments after prep:16-35 (``region`` keeps its four codes).
TREATMENTS = ("ally", "dem", "ints", "cost", "region")
#: The authors' command files this port follows (verified on every build, listed in provenance).
DO_FILES = ("2017-04-YouGov-prepdata.do", "2017-04-YouGov-mainfx.do")
#: Indicators of Stata's ``ib4.region`` (mainfx:37): South America (4) is the base category.
REGIONS = {"africa": 1, "asia": 2, "eeurope": 3}


def _recode(s: pd.Series, mapping: dict) -> pd.Series:
    """Stata ``recode``: listed codes mapped, other values unchanged (NA stays NA)."""
    return s.astype("Float64").replace({float(k): float(v) for k, v in mapping.items()})


def prepare(raw: pd.DataFrame | None = None) -> pd.DataFrame:
    """The frame ``2017-04-YouGov-prepdata.do`` saves as ``2017-04-YouGov-prepped.dta``.

    Parameters
    ----------
    raw : DataFrame, optional
        :func:`foedus.data.read_tomz_weeks_2021` (read when omitted).

    Returns
    -------
    pandas.DataFrame
        One row per respondent, the do-file's columns in its order (prep:128-131) after
        ``respondent``; numbers as Stata stores them (float64; NA where Stata has ``.``):

        ============ =====================================================================
        ally         1 alliance, 0 none (prep:16, ``recode alliance 1=0 2=1``)
        dem          1 democracy, 0 not (prep:21)
        ints         1 high stakes (attacker's success hurts the U.S.), 0 low (prep:26)
        cost         1 LOW costs, 0 high (prep:31; "NOTE 1 = LOW")
        region       1 Africa, 2 Asia, 3 Eastern Europe, 4 South America (as published)
        ck_*         1 if the manipulation check matches the treatment (prep:59-67; the regime
                     check codes the reverse of ``regime``, so a match is ``regime != mck``)
        strike       support on 0-100: 100 (pref - 1) / 4 (prep:42)
        strike2      100 if pref is 4 or 5 (favor), 0 if 1-3 (prep:44)
        r_hm, r_hn,  mediators on 0-100: 1..5 -> 0, 25, 50, 75, 100 (prep:49-50)
        m_oblig
        hawk         reversed, 1 least .. 5 most hawkish (prep:77)
        intl         internationalism 1-5 as published
        pid7         1-7, "not sure" (8) -> 4, independent (prep:84)
        pid3         1 Democrat (pid7 1-2), 2 independent (3-5), 3 Republican (6-7) (prep:87)
        nat1, nat2   nationalism items 1-5
        nat          mean of nat1 and nat2 (prep:94, Stata ``alpha nat1 nat2, gen(nat)``: the
                     mean of the items a respondent answered; the items correlate positively,
                     so alpha reverses neither)
        polint       political interest 1 hardly at all .. 4 most of the time; don't know -> NA
                     (prep:97-98)
        male         1 male, 0 female (prep:106)
        white        1 white, 0 any other answer (prep:110)
        age          (2016 - birth year) / 10, in decades (prep:114; ``birth`` abbreviates
                     ``birthyr``)
        ed4          1 high school or less (educ 1-2), 2 some college (3-4), 3 BA (5),
                     4 post-graduate (6) (prep:118)
        weight       survey weight as published
        ============ =====================================================================
    """
    r = read_tomz_weeks_2021() if raw is None else raw
    out = pd.DataFrame({"respondent": r["respondent"].to_numpy(), "starttime": r["starttime"].to_numpy()})
    # treatments (prep:16-35)
    out["ally"] = _recode(r["alliance"], {1: 0, 2: 1})
    out["dem"] = _recode(r["regime"], {1: 0, 2: 1})
    out["ints"] = _recode(r["stakes"], {1: 1, 2: 0})
    out["cost"] = _recode(r["costs"], {1: 0, 2: 1})
    out["region"] = r["region"].astype("Float64")
    # attention checks (prep:59-67): `cond(a == b, 1, 0)` is 0 when either side is missing
    out["ck_alliance"] = (r["alliance"] == r["mck_alliance"]).fillna(False).astype("Float64")
    out["ck_regime"] = ((r["regime"] != r["mck_regime"]) & r["mck_regime"].notna()).fillna(False).astype("Float64")
    out["ck_ints"] = (r["stakes"] == r["mck_stakes"]).fillna(False).astype("Float64")
    out["ck_costs"] = (r["costs"] == r["mck_costs"]).fillna(False).astype("Float64")
    out["ck_region"] = (r["region"] == r["mck_region"]).fillna(False).astype("Float64")
    # outcomes (prep:42-44)
    pref = r["pref"].astype("Float64")
    out["strike"] = 100 * (pref - 1) / 4
    out["strike2"] = _recode(pref, {4: 100, 5: 100, 1: 0, 2: 0, 3: 0})
    # mediators on 0-100 (prep:49-50)
    for m in ("r_hm", "r_hn", "m_oblig"):
        out[m] = _recode(r[m], {5: 100, 4: 75, 3: 50, 2: 25, 1: 0})
    # covariates (prep:77-98)
    out["hawk"] = _recode(r["hawk"], {1: 5, 2: 4, 3: 3, 4: 2, 5: 1})
    out["intl"] = r["intl"].astype("Float64")
    out["pid7"] = _recode(r["pid7"], {8: 4})
    out["pid3"] = _recode(out["pid7"], {1: 1, 2: 1, 3: 2, 4: 2, 5: 2, 6: 3, 7: 3})
    out["nat1"] = r["nat1"].astype("Float64")
    out["nat2"] = r["nat2"].astype("Float64")
    out["nat"] = _alpha_mean(out[["nat1", "nat2"]])
    # `recode polint 4=1 3=2 2=3 1=4 *=.`: every other value (don't know) is missing
    out["polint"] = r["newsint"].map({4: 1.0, 3: 2.0, 2: 3.0, 1: 4.0}).astype("Float64")
    # demographics (prep:106-118); Stata's `*=0` sends every other value, missing too, to 0
    out["male"] = _recode(r["gender"], {1: 1, 2: 0})
    out["white"] = (r["race"] == 1).fillna(False).astype("Float64")
    out["age"] = (2016 - r["birthyr"].astype("Float64")) / 10
    out["ed4"] = _recode(r["educ"], {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 4})
    out["weight"] = r["weight"].astype("float64")
    numeric = [c for c in out.columns if c not in ("respondent", "starttime")]
    out[numeric] = out[numeric].astype("float64")  # NA as NaN, as the models read it
    return out


def _alpha_mean(items: pd.DataFrame) -> pd.Series:
    """Stata ``alpha ..., gen()``: the mean of each row's non-missing items.

    alpha reverses an item that correlates negatively with the scale; the port refuses such
    data rather than guess, since the published items correlate positively.
    """
    corr = items.astype("float64").corr().to_numpy()
    if np.any(corr[np.triu_indices_from(corr, 1)] < 0):
        raise ValueError("nationalism items correlate negatively: Stata's alpha would reverse one; "
                         "this port assumes the published (positively correlated) items")
    return items.astype("float64").mean(axis=1, skipna=True)


def rescale(prepped: pd.DataFrame) -> pd.DataFrame:
    """The rescaling of ``2017-04-YouGov-mainfx.do`` (lines 23-29) and ``strike5`` (line 63).

    hawk, intl, nat: (x - 1) / 4; pid7: (x - 1) / 6; ed4: (x - 1) / 3, all on 0-1; age / 10
    (centuries); ``strike5`` = strike / 25, the five-point outcome on 0-4. Returns a copy.
    """
    out = prepped.copy()
    for c in ("hawk", "intl", "nat"):
        out[c] = (out[c] - 1) / 4
    out["pid7"] = (out["pid7"] - 1) / 6
    out["age"] = out["age"] / 10
    out["ed4"] = (out["ed4"] - 1) / 3
    # `recode strike 0=0 25=1 50=2 75=3 100=4, gen(strike5)`
    out["strike5"] = out["strike"].map({0.0: 0.0, 25.0: 1.0, 50.0: 2.0, 75.0: 3.0, 100.0: 4.0})
    return out


@documented
@dataclass(frozen=True)
class TomzWeeksRespondents(UnitSpec):
    """The 1,200 respondents of Tomz & Weeks (2021) Study 1, prepared as the authors' do-files.

    The frame also holds ``africa``, ``asia``, ``eeurope``: 0/1 indicators of ``region``, the
    expansion of Stata's ``ib4.region`` (South America the base). No row is removed.
    """

    keys = ("respondent",)
    title = "Tomz & Weeks (2021) Study 1 respondents (YouGov, April 2017)"
    rescaled: bool = option(
        True, "True: the controls rescaled to 0-1 and strike5 added (rescale), as every model of "
        "2017-04-YouGov-mainfx.do; False: the frame prepdata.do saves (prepare)",
        source="Tomz & Weeks (2021) replication do-files")

    def build(self, columns=None) -> UnitFrame:
        for name in DO_FILES:  # the rules' source: its hash is checked and recorded like the data's
            resolve(registered("tomz-weeks-2021", "rep", name))
        frame = prepare(read_tomz_weeks_2021())
        log = [{"step": "prepare", "message": f"{len(frame)} respondents prepared as "
                "2017-04-YouGov-prepdata.do; no row removed"}]
        if self.rescaled:
            frame = rescale(frame)
            log.append({"step": "rescale", "message": "controls rescaled to 0-1 and strike5 added as "
                        "2017-04-YouGov-mainfx.do lines 23-29 and 63"})
        for name, code in REGIONS.items():
            frame[name] = (frame["region"] == code).astype("float64")
        return UnitFrame(frame, self, tuple(log))
