"""The authors' performance opportunities (alliance x war), with the columns their designs need.

Berkemeier & Fuhrmann (2018) and Leeds & Anac (2005) publish one row per opportunity; foedus uses
their rows as they are (no row is added or removed) and adds only columns derived by a stated
rule:

``war_start_year`` (Berkemeier & Fuhrmann)
    Year the war began: the earliest ``StartYear1`` of the COW inter-state war (v4.0) numbered
    ``cowwarid``; for the five IWD wars COW does not list (``cowwarid`` missing) the first
    four-digit year in the IWD war name (e.g. "Bizerte1961").
``pre1945_sample`` / ``pre1945_war``
    The two period rules for "1816-1944 vs 1945-2003": the authors' ``sample`` flag (1 = inside
    Leeds, Long & Mitchell's 1816-1944 coverage; it puts the World War II opportunities of
    alliances formed in 1945 after 1945) and the war's start year (before 1945).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from foedus.data.errors import SchemaError
from foedus.data.readers.alliance_reliability import read_berkemeier_fuhrmann_2018, read_leeds_anac_2005
from foedus.data.readers.cow_war import read_cow_interstate_war
from foedus.data.units import UnitFrame, UnitSpec


def war_start_years(bf: pd.DataFrame, wars: pd.DataFrame) -> pd.Series:
    """Start year of each opportunity's war (rule in the module docstring), aligned with ``bf``."""
    first = wars.groupby("WarNum")["StartYear1"].min()
    from_cow = bf["cowwarid"].map(first).astype("Int16")
    unknown = bf["cowwarid"].notna() & from_cow.isna()
    if unknown.any():
        raise SchemaError("berkemeier-fuhrmann-2018-rep/BerkemeierFuhrmannRAP2018_0303.dta",
                          f"cowwarid not in COW inter-state wars v4.0: {sorted(set(bf.loc[unknown, 'cowwarid']))}",
                          column="cowwarid")
    from_name = pd.to_numeric(bf["warname"].str.extract(r"((?:18|19|20)\d\d)", expand=False),
                              errors="coerce").astype("Int16")
    out = from_cow.fillna(from_name)
    if out.isna().any():
        raise SchemaError("berkemeier-fuhrmann-2018-rep/BerkemeierFuhrmannRAP2018_0303.dta",
                          "war start year unknown (no cowwarid and no year in warname)", column="warname",
                          rows=(out.index[out.isna()] + 1).tolist())
    return out.rename("war_start_year")


def berkemeier_fuhrmann_opportunities() -> pd.DataFrame:
    """Berkemeier & Fuhrmann's 576 opportunities with ``war_start_year``, ``pre1945_sample``, ``pre1945_war``."""
    bf = read_berkemeier_fuhrmann_2018()
    bf["war_start_year"] = war_start_years(bf, read_cow_interstate_war("4.0"))
    bf["pre1945_sample"] = bf["sample"].eq(1)
    bf["pre1945_war"] = bf["war_start_year"].lt(1945).astype(bool)
    return bf


def leeds_anac_opportunities() -> pd.DataFrame:
    """Leeds & Anac's 137 opportunities as published (no derived columns)."""
    return read_leeds_anac_2005()


@dataclass(frozen=True)
class BerkemeierFuhrmannRows(UnitSpec):
    """Berkemeier & Fuhrmann's (2018) 576 alliance x war opportunities, with the derived columns
    of :func:`berkemeier_fuhrmann_opportunities` (no option: the authors' rows as published)."""

    keys = ("atopid", "warid")
    title = "Berkemeier & Fuhrmann (2018) opportunities (authors' rows)"

    def build(self, columns=None) -> UnitFrame:
        frame = berkemeier_fuhrmann_opportunities()
        log = ({"step": "authors_rows", "message": f"{len(frame)} opportunities as published; added "
                "war_start_year (COW v4.0 via cowwarid, else the year in warname), pre1945_sample, "
                "pre1945_war"},)
        return UnitFrame(frame, self, log=log)


@dataclass(frozen=True)
class LeedsAnacRows(UnitSpec):
    """Leeds & Anac's (2005) 137 opportunities (ally x alliance x war), as published."""

    keys = ("war", "atopid", "ccode1")
    title = "Leeds & Anac (2005) opportunities (authors' rows)"

    def build(self, columns=None) -> UnitFrame:
        frame = leeds_anac_opportunities()
        return UnitFrame(frame, self, log=({"step": "authors_rows",
                                            "message": f"{len(frame)} opportunities as published"},))
