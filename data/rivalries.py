"""Strategic rivalries (Thompson & Dreyer 2012), from peacesciencer's ``td_rivalries``.

Thompson, William R., and David R. Dreyer. 2012. *Handbook of International Rivalries,
1494-2010*. CQ Press. peacesciencer 1.2.9 ships the rivalry list as ``td_rivalries`` (one row per
rivalry: the two COW codes, ``styear``, ``endyear``); a dyad may have several rivalries
(Britain-France 1494-1716 and 1731-1904).

Columns added
-------------
rivalry : Int8
    1 when a strategic rivalry between A and B is in force in the year
    (``styear <= year <= endyear``; the dyad is unordered, so A->B and B->A agree).
rivalyears : float
    Years the rivalry in force has lasted, counting its first year as 1
    (``year - styear + 1``); 0 when no rivalry is in force. This is our reading of the
    "rivalyears" control of Leeds & Johnson (2017, Table A7) and Morrow (2017): the duration of
    the dyad's current rivalry (their command files are not available here; the indicator
    ``rivalry`` is the documented alternative).

Both are NA outside the list's coverage (1494-2010); a rivalry coded as ending in 2010 may be
ongoing (the list stops there).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from foedus.data.lookup import dyad_year_lookup, in_years, nullable_int
from foedus.data.spells import expand_spells

_STEP = "rivalries"
#: The columns the panel step adds.
COLUMNS = ("rivalry", "rivalyears")

#: Years covered by Thompson & Dreyer's list.
COVERAGE = (1494, 2010)


def rivalry_dyad_years(rivalries: pd.DataFrame) -> pd.DataFrame:
    """Directed dyad-years of rivalries in force: ``ccode1, ccode2, year, rivalyears``.

    Each rivalry gives both directions; a dyad-year in two overlapping rivalries keeps the
    longer-lasting one.
    """
    y0 = rivalries["styear"].to_numpy(np.int64)
    y1 = rivalries["endyear"].to_numpy(np.int64)
    rep, years = expand_spells(y0, y1, "td_rivalries", rivalries)
    age = years - y0[rep]  # 0, 1, ... within a rivalry
    a = rivalries["ccode1"].to_numpy(np.int64)[rep]
    b = rivalries["ccode2"].to_numpy(np.int64)[rep]
    out = pd.DataFrame({"ccode1": np.concatenate([a, b]), "ccode2": np.concatenate([b, a]),
                        "year": np.concatenate([years, years]),
                        "rivalyears": np.concatenate([age + 1, age + 1]).astype("float64")})
    return out.groupby(["ccode1", "ccode2", "year"], as_index=False, sort=True)["rivalyears"].max()


def add_rivalries(frame: pd.DataFrame, spec, log=None) -> pd.DataFrame:
    """Panel step: ``rivalry`` and ``rivalyears`` (see the module docstring)."""
    from foedus.data.readers.peacesciencer import read_peacesciencer

    table = rivalry_dyad_years(read_peacesciencer("td_rivalries"))
    years = dyad_year_lookup(frame, table, "rivalyears")
    known = in_years(frame["year"], *COVERAGE)
    years = np.where(known, np.nan_to_num(years, nan=0.0), np.nan)
    if log is not None:
        log.note(_STEP, f"Thompson & Dreyer strategic rivalries (peacesciencer td_rivalries): "
                 f"{int((years > 0).sum()):,} dyad-years in a rivalry; "
                 f"{int((~known).sum()):,} outside 1494-2010 are NA",
                 rivalry=int((years > 0).sum()), outside=int((~known).sum()))
    return frame.assign(rivalry=nullable_int(years > 0, known), rivalyears=years)
