"""Column order, dtypes, value digests and build log of small panels with every step on, as the
code before declared panel steps built them (tests/data/test_panel_steps.py).

The declared-step builder (``foedus.data.steps``) re-orders and checks the steps but must build
the same panels. The generator runs the panel code *of a fixed git commit* (``REFERENCE_COMMIT``:
main's HEAD before the change, when ``STEPS`` held "module:function" strings), extracted with
``git archive`` and imported in a child process (``make_alliance_columns.extract``), so
regenerating the fixture never runs the new code.

Command (needs ``FOEDUS_DATA_DIR``)::

    python tests/reference/make_panel_steps.py tests/reference/panel_steps.json
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_alliance_columns import digest, extract  # noqa: E402

REFERENCE_COMMIT = "ea49e2a"

#: spec name -> a Python expression of the spec (evaluated with foedus.data.spec's names and
#: TARGDEF_IDS in scope): every step on, then the other branches of spec-dependent columns
SPECS = {
    "all_steps": (
        "PanelSpec(years=(1900, 1920), alliances=AllianceRules(queries=(TARGDEF_IDS, "
        "AllianceQuery('nchal', side='challenger', aggregate='count')), pact_formation='kv2017', "
        "flag_atopids=(1005,)), outcomes=DisputeOutcomes(defenders=True), "
        "covariates=Covariates(mindist=True, rivalries=True, nuclear='first_test', "
        "sscore=('unweighted_global', 'weighted_global')), "
        "temporal=Temporal(midcount=True, spline_knots=(1, 4, 9)))"),
    "vdem_nondirected_prd": (
        "PanelSpec(years=(1950, 1960), directed=False, covariates=Covariates(regime='vdem'), "
        "sample=Sample(politically_relevant=True))"),
    "no_alliances": (
        "PanelSpec(years=(1950, 1955), alliances=None, covariates=Covariates(contiguity=False, "
        "distance=False, sscore=()))"),
}

CHILD = r'''
import json, sys
sys.path.insert(0, sys.argv[1])
import foedus
assert foedus.__file__.startswith(sys.argv[1]), foedus.__file__
from foedus.data.spec import AllianceQuery, AllianceRules, Covariates, DisputeOutcomes, PanelSpec, Sample, Temporal
from foedus.data.commitments import TARGDEF_IDS
from foedus.data.panel import build_panel
sys.path.insert(0, sys.argv[2])
from make_panel_steps import SPECS, describe

print(json.dumps({name: describe(build_panel(eval(text), cache=False)) for name, text in SPECS.items()}))
'''


def describe(panel) -> dict:
    """What the test compares: columns in order with dtype and value digest; the build log."""
    frame = panel.frame
    return {"rows": len(frame), "columns": [[c, str(frame[c].dtype), digest(frame[c])] for c in frame.columns],
            "log": json.loads(json.dumps(list(panel.log), default=str))}


def main(path: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pkg = extract(REFERENCE_COMMIT, Path(tmp))
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", FOEDUS_CACHE=str(Path(tmp) / "cache"))
        result = subprocess.run([sys.executable, "-c", CHILD, str(pkg), str(Path(__file__).parent)],
                                check=True, capture_output=True, text=True, env=env)
    data = json.loads(result.stdout)
    data["_commit"] = REFERENCE_COMMIT
    Path(path).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).with_name("panel_steps.json")))
