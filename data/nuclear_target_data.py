"""A user's target-year file (Fuhrmann & Sechser's foreign nuclear deployments and US troops).

These data are not public data foedus can ship; ``Covariates.nuclear_target_data`` names the
user's CSV by path and sha256, and the nuclear step joins it as ``deployment2`` / ``us_troops2``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: Variables of a user's target-year file (Fuhrmann & Sechser's data are not shipped) and the
#: panel columns they become.
TARGET_DATA = {"deployment": "deployment2", "us_troops": "us_troops2"}


def read_target_data(path, sha256: str | None = None) -> pd.DataFrame:
    """A user's CSV of target-year variables: ``ccode``, ``year``, ``deployment``, ``us_troops``.

    Fuhrmann & Sechser's foreign nuclear deployment data and their US-troops variable are not
    public data foedus can ship; a user who has them writes one row per state-year (``ccode``
    = the COW code of the state hosting the weapons / troops; ``deployment`` 0/1; ``us_troops``
    as the user's source codes it) and every state-year of the sample must be listed (0 where
    there is none): a panel row without a match gets NA.

    Parameters
    ----------
    path : path-like
    sha256 : str, optional
        The file's expected sha256 (the panel spec records it so that a changed file is never
        mistaken for a cached panel's).
    """
    from foedus.data.fetch import sha256_file

    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"{path}: target-year data file not found")
    digest = sha256_file(path)
    if sha256 and digest != sha256:
        raise ValueError(f"{path}: sha256 {digest} differs from the {sha256} recorded in the panel "
                         "spec; the file changed: make the spec again from the new file")
    raw = pd.read_csv(path)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    missing = {"ccode", "year", *TARGET_DATA} - set(raw.columns)
    if missing:
        raise ValueError(f"{path}: column(s) {sorted(missing)} missing; need ccode, year, "
                         f"{', '.join(TARGET_DATA)} (columns are {list(raw.columns)})")
    out = raw[["ccode", "year", *TARGET_DATA]].apply(pd.to_numeric, errors="coerce")
    bad = out[["ccode", "year"]].isna().any(axis=1) | ~out["ccode"].between(1, 999)
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise ValueError(f"{path}, line {line}: ccode/year missing or not a COW code")
    dup = out.duplicated(["ccode", "year"])
    if dup.any():
        line = int(np.flatnonzero(dup.to_numpy())[0]) + 2
        raise ValueError(f"{path}, line {line}: (ccode, year) listed twice")
    return out.astype({"ccode": "int64", "year": "int64"})
