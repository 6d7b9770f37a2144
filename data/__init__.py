"""Data: registry of upstream releases, readers, and dyad-year panels."""

# Registry, fetching and readers (the data layer's public API).
from foedus.data.errors import DataError, DataNotFoundError, HashMismatchError, SchemaError
from foedus.data.fetch import fetch, resolve
from foedus.data.readers import *  # noqa: F403  (re-export every reader)
from foedus.data.readers import __all__ as _readers_all
from foedus.data.commitments import commitment_table
from foedus.data.registry import DataFile, Dataset, Registry, current_registry, use_registry

__all__ = [
    "DataError", "DataNotFoundError", "commitment_table", "DataFile", "Dataset", "HashMismatchError", "Registry", "SchemaError",
    "current_registry", "fetch", "resolve", "use_registry", *_readers_all,
]
