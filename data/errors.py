"""Errors raised by the data layer. Each names the file, what is wrong and what to do."""
from __future__ import annotations

from collections.abc import Sequence


class DataError(Exception):
    """Base class of the data layer's errors."""


class HashMismatchError(DataError, ValueError):
    """A file's sha256 differs from the registry's: it is not the published file."""

    def __init__(self, file: str, expected: str, actual: str, hint: str = ""):
        self.file, self.expected, self.actual, self.hint = file, expected, actual, hint
        hint = hint or ("The file is not the published release (corrupted, truncated or edited). "
                        "Delete it and fetch again with `foedus data fetch`, or replace it with the "
                        "official file.")
        super().__init__(f"{file}: sha256 mismatch\n  expected {expected}\n  actual   {actual}\n{hint}")

    def __reduce__(self):  # errors raised in worker processes reach the parent intact
        return type(self), (self.file, self.expected, self.actual, self.hint)


class SchemaError(DataError, ValueError):
    """A file parsed but does not have the expected shape (columns, keys, ranges, row count)."""

    def __init__(self, file: str, problem: str, column: str | None = None,
                 rows: Sequence | None = None, hint: str = ""):
        self.file, self.problem, self.column, self.hint = file, problem, column, hint
        self.rows = list(rows) if rows is not None else []
        parts = [f"{file}: {problem}"]
        if column is not None:
            parts[0] = f"{file}: column {column!r}: {problem}"
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:5])
            more = f" (and {len(self.rows) - 5} more)" if len(self.rows) > 5 else ""
            parts.append(f"  offending rows (file line numbers): {shown}{more}")
        parts.append(hint or "Check that the file is the unmodified official release "
                             "(`foedus data verify`); re-download it if not.")
        super().__init__("\n".join(parts))

    def __reduce__(self):
        return type(self), (self.file, self.problem, self.column, self.rows, self.hint)


class DataNotFoundError(DataError, FileNotFoundError):
    """A registered file is neither in the offline folder nor in the cache, and cannot be fetched."""


class SpecError(DataError, ValueError, TypeError):
    """A panel spec names an unknown option, a value of the wrong type, a choice that does not
    exist, or years outside the chosen data's coverage."""


class ConfigError(DataError, ValueError):
    """The user's config file (``foedus config path``) is not valid TOML or has an unknown key or
    a value of the wrong type."""
