"""Readers for Militarized Interstate Dispute data: COW MID (A, B), GML MID, Maoz dyadic MID.

Date convention (all MID readers)
---------------------------------
``start`` and ``end`` are built with the *widest-interval* convention: an unknown start day
(-9) is the first day of the start month and an unknown end day is the last day of the end
month (an unknown month, allowed by the codebook but absent from the releases, would be January
/ December). This follows the MID Dispute Coding Manual (section "MID Dates"): "If no day or
days are specified, then ultimately it will be assumed that the dispute could have started or
ended any time during the relevant year-month." It is the interval whose length the codebook's
``MaxDur`` ("Maximum duration of dispute") measures. The day/month/year columns are kept, with
-9 turned into NA, so that other conventions can be applied.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from foedus.data.readers._base import (check_order, check_rows, check_states, check_unique, compact_ints,
                                       dates, load, read_csv, registered, require_columns, to_bool, to_int,
                                       to_str)
from foedus.data.registry import DataFile

MIDA_FILES = {"5.0": "MIDA 5.0.csv", "4.3": "MIDA 4.3.csv", "4.2": "MIDA_4.2.csv"}
MIDB_FILES = {"5.0": "MIDB 5.0.csv", "4.3": "MIDB 4.3.csv", "4.2": "MIDB_4.2.csv", "3.10": "MIDB_3.10.csv"}

YEARS = (1816, 2030)
MISSING = (-9,)
# Errata kept as published (ranges widened so the releases load): MID 4.2 dispute 2581 has hiact
# 22 (codebook 0-21; the dispute is gone from 4.3); MID 4.2/4.3 code USR in dispute 365 with
# hostlev 0 (codebook 1-5; 5.0 codes 1).
HIACT_MAX = 22
HOSTLEV_MIN = 0

# Columns of the participant schema, in order (see read_mid_participants).
PARTICIPANT_COLUMNS = ["dispnum", "dispnum4", "ccode", "stabb", "styear", "stmon", "stday", "endyear",
                       "endmon", "endday", "sidea", "revstate", "revtype1", "revtype2", "fatality",
                       "fatalpre", "hiact", "hostlev", "orig", "version", "start", "end"]


def _version_file(files: dict[str, str], version: str, what: str) -> str:
    try:
        return files[version]
    except KeyError:
        raise KeyError(f"no {what} file for MID {version}; available: {', '.join(files)}") from None


def _dispnums(raw: pd.DataFrame, f: DataFile) -> dict[str, pd.Series]:
    """MID 5 and 3.x call the dispute number ``dispnum``; MID 4.x ``dispnum3`` (+ ``dispnum4``).

    The MID 5.0 codebook: "The variable now called DispNum matches the variable that was called
    DispNum3 in the MID4 dataset." ``dispnum4`` (-9 when the dispute has none) is kept, NA otherwise.
    """
    if "dispnum3" in raw.columns:
        require_columns(raw, ["dispnum3", "dispnum4"], f)
        return {"dispnum": to_int(raw, "dispnum3", "int32", f, nullable=False, lo=1),
                "dispnum4": to_int(raw, "dispnum4", "Int32", f, na_codes=MISSING, lo=1)}
    require_columns(raw, ["dispnum"], f)
    return {"dispnum": to_int(raw, "dispnum", "int32", f, nullable=False, lo=1),
            "dispnum4": pd.array([pd.NA] * len(raw), dtype="Int32")}


def _dates(raw: pd.DataFrame, out: pd.DataFrame, f: DataFile, mon: str = "stmon", endmon: str = "endmon") -> None:
    out["styear"] = to_int(raw, "styear", "int16", f, nullable=False, lo=YEARS[0], hi=YEARS[1])
    out["stmon"] = to_int(raw, mon, "Int8", f, na_codes=MISSING, lo=1, hi=12)
    out["stday"] = to_int(raw, "stday", "Int8", f, na_codes=MISSING, lo=1, hi=31)
    out["endyear"] = to_int(raw, "endyear", "int16", f, nullable=False, lo=YEARS[0], hi=YEARS[1])
    out["endmon"] = to_int(raw, endmon, "Int8", f, na_codes=MISSING, lo=1, hi=12)
    out["endday"] = to_int(raw, "endday", "Int8", f, na_codes=MISSING, lo=1, hi=31)


def _extras(raw: pd.DataFrame, out: pd.DataFrame, known: set[str], f: DataFile) -> pd.DataFrame:
    """Keep release-specific columns (e.g. ``changes_1`` in 4.2) after the common schema."""
    extra = [c for c in raw.columns if c not in known]
    if extra:
        more = raw[extra].copy()
        compact_ints(more, extra, f)
        out = pd.concat([out, more], axis=1)
    return out


def _sidea(raw: pd.DataFrame, f: DataFile) -> pd.Series:
    """Side A as nullable boolean. MID 4.2 codes two rows (NTH, RUS in dispute 370, both added in
    4.2 and removed in 4.3) with sidea = 2, a value the codebook does not define: NA here."""
    s = to_int(raw, "sidea", "Int8", f, lo=0, hi=2 if f.version == "4.2" else 1)
    return s.mask(s == 2).astype("boolean")


def _parse_midb(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    base = ["stabb", "ccode", "stday", "stmon", "styear", "endday", "endmon", "endyear", "sidea", "revstate",
            "revtype1", "revtype2", "fatality", "fatalpre", "hiact", "hostlev", "orig", "version"]
    require_columns(raw, base, f)
    check_rows(raw, f)
    out = pd.DataFrame(_dispnums(raw, f))
    out["ccode"] = to_int(raw, "ccode", "int16", f, nullable=False, lo=1, hi=999)
    out["stabb"] = to_str(raw, "stabb")
    _dates(raw, out, f)
    out["sidea"] = _sidea(raw, f)
    out["revstate"] = to_int(raw, "revstate", "Int8", f, na_codes=MISSING, lo=0, hi=1)
    out["revtype1"] = to_int(raw, "revtype1", "Int8", f, na_codes=MISSING, lo=0, hi=4)
    out["revtype2"] = to_int(raw, "revtype2", "Int8", f, na_codes=MISSING, lo=0, hi=4)
    out["fatality"] = to_int(raw, "fatality", "Int8", f, na_codes=MISSING, lo=0, hi=6)
    out["fatalpre"] = to_int(raw, "fatalpre", "Int32", f, na_codes=MISSING, lo=0)
    out["hiact"] = to_int(raw, "hiact", "Int8", f, na_codes=MISSING, lo=0, hi=HIACT_MAX)
    out["hostlev"] = to_int(raw, "hostlev", "Int8", f, na_codes=MISSING, lo=HOSTLEV_MIN, hi=5)
    out["orig"] = to_bool(raw, "orig", f)
    out["version"] = pd.Series(f.version, index=raw.index, dtype="string")
    out["start"] = dates(out, "styear", "stmon", "stday", f, unknown="first")
    out["end"] = dates(out, "endyear", "endmon", "endday", f, unknown="last")
    check_order(out, "start", "end", f)
    check_unique(out, ["dispnum", "ccode", "sidea", "styear", "stmon", "stday"], f)
    check_states(out, ["ccode"], f)
    return _extras(raw, out[PARTICIPANT_COLUMNS], set(base) | {"dispnum", "dispnum3", "dispnum4"}, f)


def read_mid_participants(version: str = "5.0") -> pd.DataFrame:
    """COW MID participant-level data (MIDB), one schema for releases 5.0, 4.3, 4.2 and 3.10.

    One row per state's participation on one side of a dispute (a state that switched sides has
    two rows). Start/end dates: see the module docstring (widest-interval convention).

    Returns
    -------
    pandas.DataFrame
        ======== ============== ==================================================================
        dispnum  int32          dispute number (``dispnum3`` in 4.x releases)
        dispnum4 Int32          4.x ``dispnum4`` (-9 -> NA); all NA for 5.0 and 3.10
        ccode    int16          COW state number
        stabb    string         COW abbreviation
        styear   int16          start year of participation
        stmon    Int8           start month (-9 -> NA)
        stday    Int8           start day (-9 "missing" -> NA)
        endyear  int16          end year
        endmon   Int8           end month (-9 -> NA)
        endday   Int8           end day (-9 -> NA)
        sidea    boolean        on side A (the side of the first state to take militarized action);
                                NA only for the two MID 4.2 rows coded 2 (undocumented value)
        revstate Int8           revisionist state (1/0)
        revtype1 Int8           revision type 1 (0 n/a, 1 territory, 2 policy, 3 regime, 4 other;
                                -9 missing -> NA)
        revtype2 Int8           revision type 2 (same codes; 0 = not applicable)
        fatality Int8           fatality level 0-6 (-9 missing -> NA)
        fatalpre Int32          precise fatalities (-9 missing -> NA)
        hiact    Int8           highest action 0-21 (-9 missing -> NA)
        hostlev  Int8           hostility level 1-5 (one erratum 0 in 4.2/4.3, kept)
        orig     bool           originator (involved on the dispute's first day)
        version  string         registry version ("5.0", "4.3", "4.2", "3.10"); the files' own
                                ``version`` columns (5, 4.3000002, 4.2, 3.1) are not kept
        start    datetime64[ns] first day of participation (unknown day -> 1st of month)
        end      datetime64[ns] last day of participation (unknown day -> last of month)
        ======== ============== ==================================================================

        MID 4.2 also carries ``changes_1``..``changes_3`` (kept after these columns).
        Key: (dispnum, ccode, sidea, styear, stmon, stday) is unique.
    """
    f = registered("cow-mid", version, _version_file(MIDB_FILES, version, "participant (MIDB)"))
    return load("mid_participants", 2, f, _parse_midb)


def _parse_mida(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_csv(path, f)
    ongo = next((c for c in ("ongo2014", "ongo2010") if c in raw.columns), "ongo2014")
    base = ["stday", "stmon", "styear", "endday", "endmon", "endyear", "outcome", "settle", "fatality",
            "fatalpre", "maxdur", "mindur", "hiact", "hostlev", "recip", "numa", "numb", ongo, "version"]
    require_columns(raw, base, f)
    check_rows(raw, f)
    out = pd.DataFrame(_dispnums(raw, f))
    _dates(raw, out, f)
    out["outcome"] = to_int(raw, "outcome", "Int8", f, na_codes=MISSING, lo=0, hi=9)
    out["settle"] = to_int(raw, "settle", "Int8", f, na_codes=MISSING, lo=1, hi=4)
    out["fatality"] = to_int(raw, "fatality", "Int8", f, na_codes=MISSING, lo=0, hi=6)
    out["fatalpre"] = to_int(raw, "fatalpre", "Int32", f, na_codes=MISSING, lo=0)
    out["maxdur"] = to_int(raw, "maxdur", "Int32", f, na_codes=MISSING, lo=0)
    out["mindur"] = to_int(raw, "mindur", "Int32", f, na_codes=MISSING, lo=0)
    out["hiact"] = to_int(raw, "hiact", "Int8", f, na_codes=MISSING, lo=0, hi=HIACT_MAX)
    out["hostlev"] = to_int(raw, "hostlev", "Int8", f, na_codes=MISSING, lo=HOSTLEV_MIN, hi=5)
    out["recip"] = to_bool(raw, "recip", f)
    out["numa"] = to_int(raw, "numa", "int16", f, nullable=False, lo=1)
    out["numb"] = to_int(raw, "numb", "int16", f, nullable=False, lo=1)
    out["ongoing"] = to_bool(raw, ongo, f)
    out["version"] = pd.Series(f.version, index=raw.index, dtype="string")
    out["start"] = dates(out, "styear", "stmon", "stday", f, unknown="first")
    out["end"] = dates(out, "endyear", "endmon", "endday", f, unknown="last")
    check_order(out, "start", "end", f)
    check_unique(out, ["dispnum"], f)
    return _extras(raw, out, set(base) | {"dispnum", "dispnum3", "dispnum4"}, f)


def read_mid_disputes(version: str = "5.0") -> pd.DataFrame:
    """COW MID dispute-level data (MIDA) for releases 5.0, 4.3 and 4.2 (3.10's MIDA is not registered).

    Returns
    -------
    pandas.DataFrame
        ======== ============== ==================================================================
        dispnum  int32          dispute number (``dispnum3`` in 4.x); unique
        dispnum4 Int32          4.x ``dispnum4`` (-9 -> NA); all NA for 5.0
        styear.. int16/Int8     styear, stmon, stday, endyear, endmon, endday as in
                                :func:`read_mid_participants` (-9 -> NA)
        outcome  Int8           1 victory A ... 9 joins ongoing war (-9 missing -> NA)
        settle   Int8           1 negotiated, 2 imposed, 3 none, 4 unclear (-9 -> NA)
        fatality Int8           fatality level 0-6 (-9 -> NA)
        fatalpre Int32          precise fatalities (-9 -> NA)
        maxdur   Int32          maximum duration in days
        mindur   Int32          minimum duration in days
        hiact    Int8           highest action 0-21 (-9 -> NA)
        hostlev  Int8           hostility level 1-5
        recip    bool           reciprocated
        numa     int16          number of states on side A; ``numb`` (int16) on side B
        ongoing  bool           ongoing at the end of coverage (``ongo2014`` / ``ongo2010``)
        version  string         registry version
        start    datetime64[ns] first possible start day (widest interval)
        end      datetime64[ns] last possible end day (widest interval)
        ======== ============== ==================================================================

        4.x releases also keep ``link1``..``link3`` (and 4.2 ``changes_1``, ``changes_2``).
    """
    f = registered("cow-mid", version, _version_file(MIDA_FILES, version, "dispute (MIDA)"))
    return load("mid_disputes", 1, f, _parse_mida)


def read_maoz_dyadic_mid(version: str = "4.02") -> pd.DataFrame:
    """Maoz et al. dyadic MID data (``dyadic_mid_4.02.dta``), directed dispute-dyad-year rows.

    All 59 columns of the Stata file are kept with their names (``disno``, ``statea``,
    ``stateb``, ``year``, ``strtday``..``endyear``, ``sideaa``, ``orignata``, ``hihost``, ...),
    value labels not applied; integer columns are stored in the smallest integer dtype
    (``statea``/``stateb``/``year`` int16, ``disno`` int32 or smaller). The fatality levels
    ``fatlev``, ``fatleva``, ``fatlevb`` use -9 for missing and are NA here; other columns are as
    published. Added: ``start``/``end`` (datetime64[ns], widest-interval convention).
    """
    f = registered("cow-dyadic-mid", version, "dyadic_mid_4.02.dta")

    def parse(path: Path, f: DataFile) -> pd.DataFrame:
        from foedus.data.errors import SchemaError
        try:
            raw = pd.read_stata(path, convert_categoricals=False)
        except Exception as err:
            raise SchemaError(f.relpath, f"cannot be read as a Stata file: {err}") from err
        require_columns(raw, ["disno", "statea", "stateb", "year", "strtday", "strtmnth", "strtyr",
                              "endday", "endmnth", "endyear"], f)
        check_rows(raw, f)
        out = raw.copy()
        numeric = [c for c in out.columns if pd.api.types.is_numeric_dtype(out[c])]
        compact_ints(out, [c for c in numeric if c not in ("fatlev", "fatleva", "fatlevb")], f)
        compact_ints(out, [c for c in ("fatlev", "fatleva", "fatlevb") if c in out], f, na_codes=MISSING)
        for c in ("statea", "stateb"):
            out[c] = to_int(out, c, "int16", f, nullable=False, lo=1, hi=999)
        out["year"] = to_int(out, "year", "int16", f, nullable=False, lo=YEARS[0], hi=YEARS[1])
        for c, hi in (("strtday", 31), ("endday", 31), ("strtmnth", 12), ("endmnth", 12)):
            out[c] = to_int(out, c, "Int8", f, na_codes=MISSING, lo=1, hi=hi)
        out["start"] = dates(out, "strtyr", "strtmnth", "strtday", f, unknown="first")
        out["end"] = dates(out, "endyear", "endmnth", "endday", f, unknown="last")
        check_order(out, "start", "end", f)
        check_states(out, ["statea", "stateb"], f)
        return out

    return load("maoz_dyadic_mid", 1, f, parse)


def _parse_gml(path: Path, f: DataFile) -> pd.DataFrame:
    from foedus.data.readers.peacesciencer import read_rda
    raw = read_rda(path, f, "gml_part")
    cols = ["dispnum", "ccode", "styear", "stmon", "stday", "endyear", "endmon", "endday", "sidea", "hiact", "orig"]
    require_columns(raw, cols, f)
    check_rows(raw, f)
    out = pd.DataFrame({"dispnum": to_int(raw, "dispnum", "int32", f, nullable=False, lo=1),
                        "dispnum4": pd.array([pd.NA] * len(raw), dtype="Int32"),
                        "ccode": to_int(raw, "ccode", "int16", f, nullable=False, lo=1, hi=999),
                        "stabb": pd.Series(pd.NA, index=raw.index, dtype="string")})
    _dates(raw, out, f)
    out["sidea"] = to_bool(raw, "sidea", f).astype("boolean")
    for c in ("revstate", "revtype1", "revtype2", "fatality", "hostlev"):
        out[c] = pd.array([pd.NA] * len(raw), dtype="Int8")
    out["fatalpre"] = pd.array([pd.NA] * len(raw), dtype="Int32")
    out["hiact"] = to_int(raw, "hiact", "Int8", f, na_codes=MISSING, lo=0, hi=HIACT_MAX)
    out["orig"] = to_bool(raw, "orig", f)
    out["version"] = pd.Series("gml-2.2.1", index=raw.index, dtype="string")
    out["start"] = dates(out, "styear", "stmon", "stday", f, unknown="first")
    out["end"] = dates(out, "endyear", "endmon", "endday", f, unknown="last")
    check_order(out, "start", "end", f)
    check_unique(out, ["dispnum", "ccode", "sidea", "styear", "stmon", "stday"], f)
    check_states(out, ["ccode"], f)
    extra = [c for c in raw.columns if c not in cols]
    more = raw[extra].copy()
    compact_ints(more, [c for c in extra if pd.api.types.is_numeric_dtype(more[c])], f)
    for c in ("obsid_start", "obsid_end"):
        if c in more:
            more[c] = more[c].astype("string")
    return pd.concat([out[PARTICIPANT_COLUMNS], more], axis=1)


def read_gml_participants(version: str = "1.2.9") -> pd.DataFrame:
    """GML MID 2.2.1 participant-level data (peacesciencer's ``gml_part``), in the MIDB schema.

    Gibler, Miller and Little (2016) re-examined every MID 1816-2001 and corrected dates,
    participants and dropped/merged disputes; peacesciencer ships their participant file.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`read_mid_participants`, same dtypes and date convention, with these
        differences: ``gml_part`` has no ``stabb``, ``revstate``, ``revtype1``, ``revtype2``,
        ``fatality``, ``fatalpre``, ``hostlev`` (all NA here) and no ``dispnum4`` (NA);
        ``version`` is ``"gml-2.2.1"``. Kept after them, as published by peacesciencer:
        ``obsid_start``/``obsid_end`` (string, Archigos leader ids), ``dummy_stday``/
        ``dummy_endday`` (peacesciencer's imputed days), ``anymiss_leader_start``,
        ``anymiss_leader_end``, ``allmiss_leader_start``, ``allmiss_leader_end`` (0/1).
    """
    f = registered("peacesciencer", version, "gml_part.rda")
    return load("gml_participants", 2, f, _parse_gml)
