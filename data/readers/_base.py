"""Machinery shared by the readers: locate, parse, validate, cache.

A reader is a parse function (verified file -> typed frame) plus checks. :func:`load` runs it:

1. the registered file is located and its sha256 verified (:mod:`foedus.data.fetch`);
2. a frame parsed earlier in this process is returned as a copy (memory cache keyed by the
   reader, its schema version and the file's sha256);
3. otherwise a parquet copy in ``<cache>/parsed/`` is read, keyed by the same plus the
   fingerprint of the readers' code (a damaged copy warns once and is rebuilt;
   :mod:`foedus.data.cache`);
4. otherwise the file is parsed and validated, and only a valid frame is written to the parquet
   cache (atomically), when the cache folder is usable.

Frames returned to callers are copies: mutating one never changes what the next call returns.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from foedus.data.cache import cache_folder, code_fingerprint, read_entry, write_entry
from foedus.data.errors import SchemaError
from foedus.data.fetch import resolve, sha256_file, untracked
from foedus.data.registry import DataFile, current_registry

_MEMORY: dict[tuple[str, int, str], pd.DataFrame] = {}

Parser = Callable[[Path, DataFile], pd.DataFrame]


def registered(dataset: str, version: str | None, name: str) -> DataFile:
    return current_registry().get(dataset, version).file(name)


def load(reader: str, schema_version: int, f: DataFile, parse: Parser) -> pd.DataFrame:
    """Return the parsed, validated frame of registered file ``f`` (see module docstring)."""
    path = resolve(f)
    return load_path(reader, schema_version, path, f, parse)


def load_path(reader: str, schema_version: int, path: Path, f: DataFile, parse: Parser,
              digest: str | None = None) -> pd.DataFrame:
    digest = digest or sha256_file(path)
    key = (reader, schema_version, digest)
    frame = _MEMORY.get(key)
    if frame is None:
        folder = cache_folder("parsed")
        name = f"{reader}-s{schema_version}-{code_fingerprint('readers')}-{digest[:24]}.parquet"
        entry = read_entry(folder / name) if folder is not None else None
        if entry is None:
            frame = parse(path, f)
            if folder is not None:
                write_entry(folder / name, frame, {"reader": reader, "file": f.relpath, "sha256": digest})
        else:
            frame = entry[0]
        _MEMORY[key] = frame
    return frame.copy()


def clear_memory_cache() -> None:
    """Forget frames parsed in this process (the parquet cache on disk stays)."""
    _MEMORY.clear()


# --------------------------------------------------------------------------- parsing helpers


def read_csv(path: Path, f: DataFile, *, encoding: str = "utf-8-sig", **kwargs) -> pd.DataFrame:
    """Read a published CSV: BOM stripped, CR/LF/CRLF line endings, quoted fields.

    Parse failures become :class:`SchemaError` naming the file.
    """
    label = f.relpath
    raw = path.read_bytes()
    if not raw.strip():
        raise SchemaError(label, "the file is empty", hint="Re-download the file (`foedus data fetch`).")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as err:
        raise SchemaError(label, f"not valid {encoding} text at byte {err.start}") from err
    # CR-only files (old Mac exports) are normalised so that line numbers in errors are right.
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
    try:
        return pd.read_csv(io.StringIO(text), low_memory=False, **kwargs)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise SchemaError(label, f"cannot be parsed as CSV: {err}") from err


def file_lines(frame: pd.DataFrame, mask) -> list[int]:
    """File line numbers (header = line 1) of the rows selected by ``mask`` (0-based index)."""
    idx = np.flatnonzero(np.asarray(mask))
    return (idx + 2).tolist()


def require_columns(frame: pd.DataFrame, columns: Iterable[str], f: DataFile) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f.relpath, f"required column(s) missing: {', '.join(missing)}; "
                          f"the file has: {', '.join(map(str, frame.columns))}",
                          column=missing[0],
                          hint="A renamed or missing column means this is not the official file "
                               "(or a release this reader does not know).")


def check_rows(frame: pd.DataFrame, f: DataFile) -> None:
    """The registered row count when known; at least one data row always."""
    if f.rows is not None and len(frame) != f.rows:
        raise SchemaError(f.relpath, f"expected {f.rows} data rows, found {len(frame)}",
                          hint="The file is truncated or has extra rows; re-download it.")
    if len(frame) == 0:
        raise SchemaError(f.relpath, "the file has a header but no data rows",
                          hint="The file is truncated; re-download it (`foedus data fetch`).")


def check_order(frame: pd.DataFrame, start: str, end: str, f: DataFile) -> None:
    """Every spell (participation, membership, contiguity) ends on or after the day it starts."""
    bad = (frame[end] < frame[start]).fillna(False).to_numpy(bool)
    if bad.any():
        raise SchemaError(f.relpath, f"ends before it starts ({end} < {start})", column=end,
                          rows=file_lines(frame, bad))


def check_states(frame: pd.DataFrame, columns: Iterable[str], f: DataFile) -> None:
    """Every state code is a member of the COW state system (``states2016``).

    None of the registered releases has a code outside it, so there is no list of exceptions.
    """
    from foedus.data.readers.cow import read_states

    with untracked():  # a check, not an input: provenance must not depend on the parse cache
        known = read_states()["ccode"].unique()
    for c in columns:
        bad = (~frame[c].isin(known) & frame[c].notna()).to_numpy(bool)
        if bad.any():
            codes = sorted(set(frame.loc[bad, c].astype(int)))
            raise SchemaError(f.relpath, f"state code(s) {codes[:10]} not in the COW state system "
                              "(states2016)", column=c, rows=file_lines(frame, bad),
                              hint="COW state numbers are listed in states2016.csv; a code outside "
                                   "it means this is not the official file, or a release foedus "
                                   "does not know.")


def check_unique(frame: pd.DataFrame, keys: Sequence[str], f: DataFile) -> None:
    dup = frame.duplicated(list(keys), keep=False)
    if dup.any():
        raise SchemaError(f.relpath, f"key ({', '.join(keys)}) is not unique", column=keys[0],
                          rows=file_lines(frame, dup))


def _non_numeric(raw: pd.Series, parsed: pd.Series) -> pd.Series:
    """Cells holding text that is not a number (blank cells are NA, not errors)."""
    if pd.api.types.is_numeric_dtype(raw):
        return pd.Series(False, index=raw.index)
    return parsed.isna() & raw.notna() & (raw.astype("string").str.strip() != "")


def _numeric(frame: pd.DataFrame, column: str, f: DataFile, na_codes: Sequence[float]) -> pd.Series:
    """The column as numbers, its missing-value codes as NA; text in it is an error."""
    s = pd.to_numeric(frame[column], errors="coerce")
    bad_text = _non_numeric(frame[column], s)
    if bad_text.any():
        raise SchemaError(f.relpath, "non-numeric values", column=column, rows=file_lines(frame, bad_text))
    if na_codes:
        s = s.mask(s.isin(list(na_codes)))
    return s


def to_int(frame: pd.DataFrame, column: str, dtype: str, f: DataFile, *,
           na_codes: Sequence[float] = (), nullable: bool = True,
           lo: float | None = None, hi: float | None = None) -> pd.Series:
    """Convert one column to an integer dtype, validating it.

    ``na_codes`` become NA; ``nullable=False`` makes any NA an error and returns a numpy dtype
    (``dtype`` lower-case, e.g. ``"int16"``) instead of the pandas nullable one (``"Int16"``).
    ``lo``/``hi`` bound the valid (non-NA) values.
    """
    s = _numeric(frame, column, f, na_codes)
    if not nullable and s.isna().any():
        raise SchemaError(f.relpath, "missing values in a column that must be complete", column=column,
                          rows=file_lines(frame, s.isna()))
    frac = s.notna() & (s != np.floor(s))
    if frac.any():
        raise SchemaError(f.relpath, "non-integer values", column=column, rows=file_lines(frame, frac))
    out_of_range = pd.Series(False, index=s.index)
    if lo is not None:
        out_of_range |= s < lo
    if hi is not None:
        out_of_range |= s > hi
    info = np.iinfo(dtype.lower())
    out_of_range |= (s < info.min) | (s > info.max)
    if out_of_range.any():
        raise SchemaError(f.relpath, f"values outside [{lo}, {hi}]", column=column,
                          rows=file_lines(frame, out_of_range.fillna(False)))
    if nullable:
        return s.astype(dtype[0].upper() + dtype[1:])
    return s.astype(dtype.lower())


def to_bool(frame: pd.DataFrame, column: str, f: DataFile) -> pd.Series:
    """A 0/1 column as bool; any other value is an error."""
    s = pd.to_numeric(frame[column], errors="coerce")
    bad = ~s.isin([0, 1])
    if bad.any():
        raise SchemaError(f.relpath, "expected 0 or 1", column=column, rows=file_lines(frame, bad))
    return s.astype(bool)


def to_float(frame: pd.DataFrame, column: str, f: DataFile, *, na_codes: Sequence[float] = (),
             lo: float | None = None, hi: float | None = None) -> pd.Series:
    s = _numeric(frame, column, f, na_codes)
    bad = pd.Series(False, index=s.index)
    if lo is not None:
        bad |= s < lo
    if hi is not None:
        bad |= s > hi
    if bad.any():
        raise SchemaError(f.relpath, f"values outside [{lo}, {hi}]", column=column, rows=file_lines(frame, bad))
    return s.astype("float64")


def to_str(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("string").str.strip()


def compact_ints(frame: pd.DataFrame, columns: Iterable[str], f: DataFile,
                 na_codes: Sequence[float] = ()) -> None:
    """In place: store each integer-valued numeric column in the smallest integer dtype.

    Columns with NA become pandas nullable integers; columns with fractions stay float64.
    """
    for c in columns:
        s = pd.to_numeric(frame[c], errors="coerce")
        if s.isna().sum() > frame[c].isna().sum():
            continue  # holds text: leave as is
        if na_codes:
            s = s.mask(s.isin(list(na_codes)))
        if (s.dropna() != np.floor(s.dropna())).any():
            frame[c] = s.astype("float64")
            continue
        lo, hi = (s.min(), s.max()) if s.notna().any() else (0, 0)
        for dt in ("int8", "int16", "int32", "int64"):
            info = np.iinfo(dt)
            if info.min <= lo and hi <= info.max:
                break
        frame[c] = s.astype(dt.capitalize() if s.isna().any() else dt)


def assemble_date(year: pd.Series, month: pd.Series, day: pd.Series, *, unknown: str) -> pd.Series:
    """Build dates from year/month/day with NA parts (widest-interval convention).

    ``unknown="first"``: a missing day is the 1st of the month and a missing month is January
    (the earliest date the event could have occurred); ``unknown="last"``: a missing day is the
    last day of the month and a missing month is December. A missing year gives NaT.
    Impossible dates (e.g. 31 April) raise ``ValueError``.
    """
    y = pd.to_numeric(year, errors="coerce").astype("Float64")
    m = pd.to_numeric(month, errors="coerce").astype("Float64").fillna(1 if unknown == "first" else 12)
    d = pd.to_numeric(day, errors="coerce").astype("Float64")
    ok = y.notna()
    first = pd.to_datetime(pd.DataFrame({"year": y[ok].astype("int64"), "month": m[ok].astype("int64"),
                                         "day": 1}))
    if unknown == "first":
        filled = d[ok].fillna(1).astype("int64")
    else:
        filled = d[ok].fillna(first.dt.days_in_month.astype("Float64")).astype("int64")
    too_big = filled > first.dt.days_in_month
    if too_big.any():
        err = ValueError("day beyond the end of its month")
        err.labels = too_big[too_big].index.tolist()
        raise err
    out = pd.Series(pd.NaT, index=year.index, dtype="datetime64[ns]")
    out[ok] = (first + pd.to_timedelta(filled - 1, unit="D")).astype("datetime64[ns]")
    return out


def dates(frame: pd.DataFrame, year: str, month: str, day: str, f: DataFile, *, unknown: str) -> pd.Series:
    try:
        return assemble_date(frame[year], frame[month], frame[day], unknown=unknown)
    except ValueError as err:
        rows = file_lines(frame, frame.index.isin(getattr(err, "labels", [])))
        raise SchemaError(f.relpath, f"cannot build dates from {year}/{month}/{day}: {err}",
                          column=day, rows=rows) from err
