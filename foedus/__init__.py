"""foedus: replicable research on military alliances and war.

The public API lives here; the work is done in the subpackages :mod:`foedus.data` (registry,
readers, panels), :mod:`foedus.models` (estimators) and :mod:`foedus.replication` (studies).

>>> import foedus
>>> spec = foedus.PanelSpec(years=(1816, 2000))
>>> panel = foedus.build_panel(spec)                     # doctest: +SKIP
>>> foedus.models.probit("dispute ~ ptargdef", panel)    # doctest: +SKIP
>>> foedus.replicate("johnson_leeds_2011")               # doctest: +SKIP
"""
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from foedus.data.panel import Panel, build_panel
from foedus.data.spec import (
    AllianceQuery,
    AllianceRules,
    Covariates,
    DisputeRules,
    PanelSpec,
    Sample,
    Temporal,
)

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
    # Subpackages load on first use, so `import foedus` stays fast.
    if name in {"data", "models", "replication"}:
        return import_module(f"foedus.{name}")
    if name == "replicate":  # foedus.replicate("johnson_leeds_2011") writes results/<study>/
        return import_module("foedus.replication.pipeline").replicate
    raise AttributeError(f"module 'foedus' has no attribute {name!r}")
