"""foedus: replicable research on military alliances and war.

The public API lives here; the work is done in the subpackages
:mod:`foedus.data` (registry, readers, panels), :mod:`foedus.models`
(estimators) and :mod:`foedus.replication` (studies).
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("foedus")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
