"""Data: registry of upstream releases, readers, and dyad-year panels.

The names below load on first use (PEP 562), so that ``import foedus.data.spec`` or the command
line's ``--help`` does not import pandas and every reader.
"""
from importlib import import_module

# Bound eagerly: these names are also submodules' names (``foedus.data.fetch``), which an import of
# the submodule would otherwise leave in their place. The fetch module does not import pandas.
from foedus.data.fetch import fetch, resolve  # noqa: E402,F401

#: Public name -> the module that defines it (the readers come from :mod:`foedus.data.readers`).
_NAMES = {
    "DataError": "foedus.data.errors", "DataNotFoundError": "foedus.data.errors",
    "HashMismatchError": "foedus.data.errors", "SchemaError": "foedus.data.errors",
    "DataFile": "foedus.data.registry", "Dataset": "foedus.data.registry",
    "Registry": "foedus.data.registry", "current_registry": "foedus.data.registry",
    "use_registry": "foedus.data.registry",
    "commitment_table": "foedus.data.commitments",
    "StateYearSpec": "foedus.data.state_years",
}


def __getattr__(name: str):
    if name == "__all__":
        return ["fetch", "resolve", *_NAMES, *import_module("foedus.data.readers").__all__]
    if name in _NAMES:
        return getattr(import_module(_NAMES[name]), name)
    if name.startswith("read_") or name == "clear_memory_cache":
        readers = import_module("foedus.data.readers")
        if name in readers.__all__:
            return getattr(readers, name)
    raise AttributeError(f"module 'foedus.data' has no attribute {name!r}")


def __dir__() -> list:
    return sorted(set(globals()) | set(__getattr__("__all__")))
