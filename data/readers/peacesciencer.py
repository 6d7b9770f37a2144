"""Readers for the data objects of the R package peacesciencer (``.rda`` files, via pyreadr)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from foedus.data.errors import SchemaError
from foedus.data.readers._base import (check_unique, compact_ints, load, registered, require_columns,
                                       to_float, to_int)
from foedus.data.registry import DataFile

VERSION = "1.2.9"


def read_rda(path: Path, f: DataFile, name: str) -> pd.DataFrame:
    """Read object ``name`` from an R data file; failures become :class:`SchemaError`."""
    import pyreadr

    try:
        objects = pyreadr.read_r(str(path))
    except Exception as err:
        raise SchemaError(f.relpath, f"cannot be read as an R data file: {err}",
                          hint="pyreadr reads data frames only; this object may be a list.") from err
    if name not in objects:
        raise SchemaError(f.relpath, f"has no object {name!r}; it has: {', '.join(objects)}")
    frame = objects[name]
    if frame is None or not isinstance(frame, pd.DataFrame):
        raise SchemaError(f.relpath, f"object {name!r} is not a data frame")
    return frame.reset_index(drop=True)


def _tidy(raw: pd.DataFrame, f: DataFile) -> pd.DataFrame:
    """R stores integers as doubles: give integer-valued columns integer dtypes; text as string."""
    out = raw.copy()
    compact_ints(out, [c for c in out.columns if pd.api.types.is_float_dtype(out[c])
                       or pd.api.types.is_integer_dtype(out[c])], f)
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            values = out[c].dropna()
            if len(values) and all(hasattr(v, "year") for v in values.iloc[:50]):
                out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
            else:
                out[c] = out[c].astype("string")
    return out


def read_peacesciencer(name: str, version: str = VERSION) -> pd.DataFrame:
    """Any data-frame object shipped by peacesciencer, by its R name (e.g. ``"cow_ddy"``).

    Integer-valued columns get the smallest integer dtype (nullable when they hold NA), text
    columns ``string``, R ``Date`` columns datetime64[ns]; names and values are as published.
    ``ps_bib`` (a list, not a data frame) cannot be read.
    """
    f = registered("peacesciencer", version, f"{name}.rda")
    return load(f"ps_{name}", 1, f, lambda p, f: _tidy(read_rda(p, f, name), f))


def _parse_capitals(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_rda(path, f, "cow_capitals")
    require_columns(raw, ["ccode", "statenme", "capital", "stdate", "enddate", "lat", "lng"], f)
    out = pd.DataFrame({
        "ccode": to_int(raw, "ccode", "int16", f, nullable=False, lo=1, hi=999),
        "statenme": raw["statenme"].astype("string"),
        "capital": raw["capital"].astype("string"),
        "stdate": pd.to_datetime(raw["stdate"]).astype("datetime64[ns]"),
        "enddate": pd.to_datetime(raw["enddate"]).astype("datetime64[ns]"),
        "lat": to_float(raw, "lat", f, lo=-90, hi=90),
        "lng": to_float(raw, "lng", f, lo=-180, hi=180),
    })
    check_unique(out, ["ccode", "stdate"], f)
    return out


def read_capitals(version: str = VERSION) -> pd.DataFrame:
    """COW state capitals with coordinates (peacesciencer ``cow_capitals``), one row per capital spell.

    Returns
    -------
    pandas.DataFrame
        ======== ============== ===================================
        ccode    int16          COW state number
        statenme string         state name
        capital  string         capital city
        stdate   datetime64[ns] first day the city is the capital
        enddate  datetime64[ns] last day (2024-12-31 = current)
        lat      float64        latitude (degrees)
        lng      float64        longitude (degrees)
        ======== ============== ===================================
    """
    f = registered("peacesciencer", version, "cow_capitals.rda")
    return load("ps_cow_capitals_typed", 1, f, _parse_capitals)


def _parse_mindist(path: Path, f: DataFile) -> pd.DataFrame:
    raw = read_rda(path, f, "cow_mindist")
    require_columns(raw, ["ccode1", "ccode2", "year", "mindist"], f)
    out = pd.DataFrame({
        "ccode1": to_int(raw, "ccode1", "int16", f, nullable=False, lo=1, hi=999),
        "ccode2": to_int(raw, "ccode2", "int16", f, nullable=False, lo=1, hi=999),
        "year": to_int(raw, "year", "int16", f, nullable=False, lo=1816, hi=2030),
        "mindist": to_float(raw, "mindist", f, lo=0),
    })
    check_unique(out, ["ccode1", "ccode2", "year"], f)
    return out


def read_mindist(version: str = VERSION) -> pd.DataFrame:
    """Minimum distance between states' territories (peacesciencer ``cow_mindist``; Schvitz et al.'s cshapes).

    Returns
    -------
    pandas.DataFrame
        ccode1, ccode2 (int16), year (int16), mindist (float64, kilometres). One row per
        non-directed pair-year as shipped (ccode1 < ccode2); (ccode1, ccode2, year) is unique.
    """
    f = registered("peacesciencer", version, "cow_mindist.rda")
    return load("ps_cow_mindist_typed", 1, f, _parse_mindist)
