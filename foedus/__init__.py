"""foedus: replicable research on military alliances and war.

The public API lives here; the work is done in the subpackages :mod:`foedus.data` (registry,
readers, panels), :mod:`foedus.models` (estimators) and :mod:`foedus.replication` (studies).

>>> import foedus
>>> spec = foedus.PanelSpec(years=(1816, 2000))
>>> panel = foedus.build_panel(spec)                     # doctest: +SKIP
>>> foedus.models.probit("dispute ~ ptargdef", panel)    # doctest: +SKIP
>>> foedus.replicate("johnson_leeds_2011")               # doctest: +SKIP
"""
import logging
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

# A library logs and leaves the output to the application (the logging HOWTO): messages of
# ``foedus.*`` loggers show only where a handler is installed, as the command line does.
logging.getLogger("foedus").addHandler(logging.NullHandler())


#: Public names and their modules, loaded on first use so that ``import foedus`` (and the command
#: line's ``--help``) stays fast.
_NAMES = {
    "AllianceQuery": "foedus.data.spec", "AllianceRules": "foedus.data.spec",
    "Covariates": "foedus.data.spec",
    "DisputeRules": "foedus.data.spec", "PanelSpec": "foedus.data.spec",
    "Sample": "foedus.data.spec", "Temporal": "foedus.data.spec",
    "Panel": "foedus.data.panel", "build_panel": "foedus.data.panel",
    "replicate": "foedus.replication.pipeline",
}

try:
    __version__ = version("foedus")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = [
    "AllianceQuery",
    "AllianceRules",
    "Covariates",
    "DisputeRules",
    "Panel",
    "PanelSpec",
    "Sample",
    "Temporal",
    "build_panel",
    "replicate",
    "data",
    "models",
    "replication",
    "__version__",
]


def __getattr__(name: str):
    # Subpackages and the public names load on first use, so `import foedus` stays fast.
    if name in {"data", "models", "replication"}:
        return import_module(f"foedus.{name}")
    if name in _NAMES:  # e.g. foedus.replicate("johnson_leeds_2011") writes results/<study>/
        return getattr(import_module(_NAMES[name]), name)
    raise AttributeError(f"module 'foedus' has no attribute {name!r}")


def __dir__() -> list:
    return sorted(set(globals()) | set(__all__))
