"""Readers for regime data: Polity (5, IV 2018, IV 2015) and the V-Dem polyarchy extract."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from foedus.data.readers._base import (check_rows, check_unique, compact_ints, load, read_csv, registered,
                                       require_columns, to_float, to_int, to_str)
from foedus.data.registry import DataFile

POLITY_FILES = {"5-2018": "p5v2018.csv", "4-2018": "p4v2018.csv", "4-2015": "polity4v2015.csv"}
POLITY_ALIASES = {"5": "5-2018", "4": "4-2018"}

# Polity's special codes: -66 interruption (foreign occupation), -77 interregnum (collapse of
# central authority), -88 transition. They are not scores: NA in these columns, kept in
# ``polity_code``. ``polity2`` (the "combined" score, which prorates transitions and sets
# interregna to 0) has no special codes and is kept as published.
SPECIAL = (-66, -77, -88)
SCORED = ["democ", "autoc", "polity", "xrreg", "xrcomp", "xropen", "xconst", "parreg", "parcomp", "exrec",
          "exconst", "polcomp"]


def _parse_polity(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    require_columns(raw, ["ccode", "scode", "country", "year", "polity", "polity2", *SCORED], f)
    check_rows(raw, f)
    out = raw.copy()
    out["ccode"] = to_int(raw, "ccode", "int16", f, nullable=False, lo=1, hi=999)
    out["year"] = to_int(raw, "year", "int16", f, nullable=False, lo=1700, hi=2030)
    out["scode"] = to_str(raw, "scode")
    out["country"] = to_str(raw, "country")
    code = pd.to_numeric(raw["polity"], errors="coerce")
    out["polity_code"] = code.where(code.isin(SPECIAL)).astype("Int8")
    for c in SCORED:
        out[c] = to_int(raw, c, "Int8", f, na_codes=SPECIAL, lo=-10, hi=10)
    out["polity2"] = to_int(raw, "polity2", "Int8", f, lo=-10, hi=10)
    rest = [c for c in raw.columns if c not in {"ccode", "year", "scode", "country", "polity2", *SCORED}]
    compact_ints(out, [c for c in rest if pd.api.types.is_numeric_dtype(out[c])], f)
    check_unique(out, ["ccode", "year"], f)
    return out


def read_polity(version: str = "5") -> pd.DataFrame:
    """Polity state-years: ``"5"`` (Polity5, 1776-2018), ``"4-2018"`` or ``"4-2015"`` (Polity IV).

    The registered files are CSV conversions of the official workbooks (the 2018 ones start with a
    UTF-8 byte-order mark, stripped here).

    Returns
    -------
    pandas.DataFrame
        All published columns. Typed:

        =========== ====== ===========================================================
        ccode       int16  Polity's country code (mostly COW's; (ccode, year) unique)
        year        int16  year
        scode       string Polity country abbreviation; ``country`` (string) name
        democ       Int8   institutionalised democracy 0-10; -66/-77/-88 -> NA
        autoc       Int8   institutionalised autocracy 0-10; -66/-77/-88 -> NA
        polity      Int8   democ - autoc, -10..10; -66/-77/-88 -> NA
        polity2     Int8   combined score -10..10 as published (NA where blank)
        polity_code Int8   -66 interruption, -77 interregnum, -88 transition, else NA
        =========== ====== ===========================================================

        The components ``xrreg``, ``xrcomp``, ``xropen``, ``xconst``, ``parreg``, ``parcomp``,
        ``exrec``, ``exconst``, ``polcomp`` are Int8 with -66/-77/-88 -> NA. The remaining
        columns (``flag``, ``durable``, ``change``, ``regtrans``, dates of regime change, ...)
        are kept as published (smallest integer dtype; their -66/-77/-88 codes unchanged, since
        there they are values, e.g. ``change`` = -88 marks a transition).
    """
    version = POLITY_ALIASES.get(version, version)
    if version not in POLITY_FILES:
        raise KeyError(f"no Polity version {version!r}; available: 5, {', '.join(POLITY_FILES)}")
    f = registered("polity", version, POLITY_FILES[version])
    return load("polity", 1, f, _parse_polity)


def _parse_vdem(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    require_columns(raw, ["year", "COWcode", "v2x_polyarchy"], f)
    check_rows(raw, f)
    has_code = pd.to_numeric(raw["COWcode"], errors="coerce").notna() | raw["COWcode"].isna()
    raw = raw[raw["COWcode"].notna() & has_code].reset_index(drop=True)
    out = pd.DataFrame({
        "ccode": to_int(raw, "COWcode", "int16", f, nullable=False, lo=1, hi=999),
        "year": to_int(raw, "year", "int16", f, nullable=False, lo=1700, hi=2030),
        "polyarchy": to_float(raw, "v2x_polyarchy", f, lo=0, hi=1),
    })
    check_unique(out, ["ccode", "year"], f)
    return out


def read_vdem(version: str = "v10-extract") -> pd.DataFrame:
    """V-Dem electoral democracy index by COW state-year (3-column extract of V-Dem v10).

    Returns
    -------
    pandas.DataFrame
        ccode (int16), year (int16), polyarchy (float64, ``v2x_polyarchy``, 0-1; NaN where V-Dem
        has no score). The extract's rows without a COW code (750 rows: V-Dem units that are not
        COW states, such as colonies before independence) are left out because they cannot be
        joined to COW state-years; (ccode, year) is unique.
    """
    f = registered("vdem-polyarchy", version, "vdem-poly.csv")
    return load("vdem", 1, f, _parse_vdem)
