"""Digests of the alliance columns as the pre-commitment-layer code computed them (1816-2014).

Why a digest of old code's output is an independent check here: the commitment layer
(``foedus.data.commitments``) re-expresses every alliance variable through one query engine,
and ``tests/data/test_commitments.py`` must show that nothing changed. The generator runs the
alliance code *of a fixed git commit* (``REFERENCE_COMMIT``, main's HEAD before the refactor:
fixed ``count_applicable`` columns), extracted with ``git archive`` into a temporary folder
and imported there in a child process, so regenerating the fixture never runs the new code.

Command (``make reference`` runs it; needs ``FOEDUS_DATA_DIR``)::

    python tests/reference/make_alliance_columns.py tests/reference/alliance_columns.json
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REFERENCE_COMMIT = "338eb8b"
#: variants of AllianceRules (keyword arguments) whose columns are digested
VARIANTS = {
    "default": {},
    "flags_intra_nonagg": {"flag_atopids": [3180, 3181, 3075, 3150, 3205], "intra_alliance": True,
                           "neutrality_includes_nonagg": True},
    "secret_never_location": {"secret": "exclude", "unnamed_adversary": "never",
                              "exclude_conditions": ["location"], "exclude_atopids": [3180]},
    "members_noadv": {"direction": "members", "adversary_conditions": False},
}
YEARS = (1816, 2014)

CHILD = r'''
import json, sys
sys.path.insert(0, sys.argv[1])
import foedus
assert foedus.__file__.startswith(sys.argv[1]), foedus.__file__
from foedus.data.spec import AllianceRules, Covariates, PanelSpec
from foedus.data.panel import BuildLog
from foedus.data.universe import build_universe
from foedus.data.alliances import add_alliances
from foedus.data.nuclear_defenders import add_nuclear
sys.path.insert(0, sys.argv[2])
from make_alliance_columns import VARIANTS, YEARS, digest

out = {}
for name, kw in VARIANTS.items():
    spec = PanelSpec(years=YEARS, alliances=AllianceRules(**kw), disputes=None, temporal=None,
                     covariates=Covariates(nuclear="bleek2017"))
    log = BuildLog()
    frame = build_universe(spec, log)
    frame = add_alliances(frame, spec, log)
    frame = add_nuclear(frame, spec, log)
    out[name] = {c: digest(frame[c]) for c in frame.columns if c not in ("ccode1", "ccode2", "year")}
    out[name]["_rows"] = len(frame)
    out[name]["_keys"] = digest(frame["year"].astype("int64") * 10**6 + frame["ccode1"].astype("int64") * 1000
                                + frame["ccode2"].astype("int64"))
print(json.dumps(out))
'''


def digest(column) -> str:
    """sha256 of a column's values, NA distinguished from every value (dtype-independent)."""
    import hashlib

    import numpy as np
    import pandas as pd

    s = pd.Series(column)
    if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object:
        text = "\n".join("<NA>" if pd.isna(v) else str(v) for v in s.tolist())
        return hashlib.sha256(text.encode()).hexdigest()
    na = s.isna().to_numpy()
    values = s.astype("float64").fillna(0).to_numpy(np.float64)
    values = np.where(na, np.nan, values)
    return hashlib.sha256(np.ascontiguousarray(values).tobytes()).hexdigest()


def extract(commit: str, dest: Path) -> Path:
    """The package ``foedus`` of a git commit, laid out for import, under ``dest``; returns the
    folder to put on ``sys.path`` (the repository maps data/, models/, replication/ into it)."""
    repo = Path(__file__).resolve().parents[2]
    src, pkg = dest / "src", dest / "pkg"
    src.mkdir()
    pkg.mkdir()
    archive = subprocess.run(["git", "-C", str(repo), "archive", commit, "foedus", "data", "models",
                              "replication"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    subprocess.run(["cp", "-r", str(src / "foedus"), str(pkg / "foedus")], check=True)
    for sub in ("data", "models", "replication"):
        subprocess.run(["cp", "-r", str(src / sub), str(pkg / "foedus" / sub)], check=True)
    return pkg


def main(path: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pkg = extract(REFERENCE_COMMIT, Path(tmp))
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        result = subprocess.run([sys.executable, "-c", CHILD, str(pkg), str(Path(__file__).parent)],
                                check=True, capture_output=True, text=True, env=env)
    data = json.loads(result.stdout)
    data["_commit"] = REFERENCE_COMMIT
    data["_years"] = list(YEARS)
    Path(path).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).with_name("alliance_columns.json")))
