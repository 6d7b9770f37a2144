"""docs/architecture.md is kept true by the code layout: every module it names exists, and every
module of the package is named on it (a new module means a line on the page)."""
import re
from pathlib import Path

from foedus.replication.registry import STUDIES

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("data", "data/readers", "models", "replication", "replication/multiverse", "foedus")
PAGE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _modules():
    return {p.name for folder in FOLDERS for p in (ROOT / folder).glob("*.py")
            if p.name != "__init__.py" and p.name != "__main__.py"}


def test_every_module_named_on_the_page_exists():
    named = set(re.findall(r"([A-Za-z_][\w]*\.py)\b", PAGE))
    missing = sorted(named - _modules())
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"


def test_every_module_is_on_the_page():
    named = set(re.findall(r"([A-Za-z_][\w]*\.py)\b", PAGE))
    readers = {p.name for p in (ROOT / "data" / "readers").glob("*.py")}  # shown as readers/*.py
    cli = {m for m in _modules() if m.startswith("_cli_")}  # shown as the command line's modules
    studies = {m.split(":")[0].rsplit(".", 1)[1] + ".py" for m in STUDIES.values()}  # <paper>.py
    absent = sorted(_modules() - named - readers - cli - studies)
    assert not absent, f"modules missing from docs/architecture.md: {absent}"
