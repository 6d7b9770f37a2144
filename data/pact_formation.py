"""Kenwick & Vasquez (2017): formation and "from birth" variables of the target's defense pacts.

Kenwick, Michael R., and John A. Vasquez. 2017. "Defense Pacts and Deterrence: Caveat Emptor."
Journal of Politics 79(1). The rules are those of the authors' ``gen_vars.do``, which works on
Johnson & Leeds's (2011) data sorted by directed dyad and year, with the target's applicable
defense pacts in the columns ``t_def_atopid1``-``t_def_atopid13``. Here the pacts of a row are
the ATOP ids of the panel's ``targdef_ids`` query (:data:`foedus.data.commitments.TARGDEF_IDS`),
and "previous observation" is the previous row of the same directed dyad in the panel, which may
be years earlier (a state that leaves the system and returns). With ``S_t`` the pacts of row t,
``t - k`` the k-th earlier row of the same directed dyad and ``y_t`` its year:

``def_form``
    a pact of ``S_t`` is absent from ``S_{t-1}``: ``N_t = S_t \\ S_{t-1}`` is not empty (0 on
    the dyad's first row; its pacts are "from birth", not new).
``def_form_5yr``
    ``def_form`` in row t, or some pact of ``N_{t-k}`` (k = 1..4, only rows with
    ``y_{t-k} >= y_t - 5``) is still in ``S_t``. As written it is not ANDed with ``ptargdef``
    (it implies a current pact only because ``N_t`` and the lagged pacts are checked against
    ``S_t``), and it looks 4 *rows* back, not 5 calendar years.
``def_form_15yr``
    the same with k = 1..14 and ``y_{t-k} >= y_t - 15``.
``def_form_6to15``
    ``ptargdef & !def_form_5yr & def_form_15yr``.
``fbdef``
    some pact of ``S_t`` is in ``S`` of the dyad's first row ("from birth"; for dyads present
    in 1816 the "birth" is 1816, the first year of the data).
``all_from_birth``
    every pact of ``S_t`` is from birth (0 when ``S_t`` is empty).
``nfbdef``
    ``ptargdef & !all_from_birth``.
``def_form_16plus``
    ``ptargdef & !def_form_5yr & !def_form_6to15 & !all_from_birth``.

The authors' data hold at most 13 pacts per row (13 columns); the panel keeps every pact (the
build log counts rows with more than 13). Computation: one sort by (dyad, year), the pact lists
exploded to (row, id) pairs, and membership tests of pair keys: 14 vectorised lag steps, no
loop over rows or dyads.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from foedus.data.keys import dyad_id

_STEP = "pact_formation"
#: The gen_vars.do windows: (rows back, calendar years back).
WINDOW_5YR = (4, 5)
WINDOW_15YR = (14, 15)
COLUMNS = ("def_form", "def_form_5yr", "def_form_15yr", "def_form_6to15", "fbdef",
           "all_from_birth", "nfbdef", "def_form_16plus")


def explode_ids(ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(row position, ATOP id) pairs of a ';'-joined id column ('' or NA: no pact)."""
    s = ids.astype("string").fillna("")
    has = (s != "").to_numpy()
    rows = np.flatnonzero(has)
    parts = s[has].str.split(";")
    lengths = parts.str.len().to_numpy(np.int64)
    flat = np.concatenate(parts.to_numpy()) if rows.size else np.array([], dtype=str)
    return np.repeat(rows, lengths), flat.astype(np.int64)


def formation_variables(ccode1, ccode2, year, ids: pd.Series, ptargdef) -> dict:
    """The gen_vars.do variables (module docstring) as 0/1 float arrays aligned with the rows.

    ``ids``: the target's applicable defense pacts per row (';'-joined ATOP ids);
    ``ptargdef``: 0/1; a missing value is "not 1", as Stata's ``ptargdef==1``.
    """
    c1 = np.asarray(ccode1, np.int64)
    c2 = np.asarray(ccode2, np.int64)
    yr = np.asarray(year, np.int64)
    n = yr.size
    ptd = np.asarray(ptargdef, np.float64)
    order = np.lexsort((yr, c2, c1))  # sorted position p holds row order[p]
    pos = np.empty(n, np.int64)
    pos[order] = np.arange(n)
    dyad = dyad_id(c1, c2)[order]
    ys = yr[order]
    first = np.r_[True, dyad[1:] != dyad[:-1]]
    first_pos = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    rows, pact = explode_ids(ids)
    p = pos[rows]  # pairs in sorted positions
    big = np.int64(100_000)  # ATOP ids are 4-digit
    if pact.size and pact.max() >= big:
        raise ValueError(f"ATOP id {int(pact.max())} too large for the pair keys")
    held = np.unique(p * big + pact)  # sorted once; membership by binary search

    def holds(where: np.ndarray, ids_: np.ndarray) -> np.ndarray:
        if held.size == 0:
            return np.zeros(where.size, bool)
        q = where * big + ids_
        i = np.minimum(np.searchsorted(held, q), held.size - 1)
        return held[i] == q

    prev_ok = ~first[p]
    new = prev_ok & ~holds(np.maximum(p - 1, 0), pact)  # pair (p, id) newly held at p
    np_, nid = p[new], pact[new]

    def window(rows_back: int, years_back: int) -> np.ndarray:
        out = np.zeros(n, bool)
        out[np_] = True  # def_form itself (lag 0)
        for k in range(1, rows_back + 1):
            t = np_ + k
            ok = t < n
            t, ids_k, src = t[ok], nid[ok], np_[ok]
            ok = (dyad[t] == dyad[src]) & (ys[src] >= ys[t] - years_back)
            t, ids_k = t[ok], ids_k[ok]
            hit = holds(t, ids_k)
            out[t[hit]] = True
        return out

    def_form = np.zeros(n, bool)
    def_form[np_] = True
    f5 = window(*WINDOW_5YR)
    f15 = window(*WINDOW_15YR)
    born = holds(first_pos[p], pact)  # pair's pact was held on the dyad's first row
    any_pact = np.zeros(n, bool)
    any_pact[p] = True
    not_born = np.zeros(n, bool)
    not_born[p[~born]] = True
    fb = np.zeros(n, bool)
    fb[p[born]] = True
    all_fb = any_pact & ~not_born
    is_def = ptd[order] == 1
    f6to15 = is_def & ~f5 & f15
    cols = {
        "def_form": def_form, "def_form_5yr": f5, "def_form_15yr": f15,
        "def_form_6to15": f6to15, "fbdef": fb, "all_from_birth": all_fb,
        "nfbdef": is_def & ~all_fb, "def_form_16plus": is_def & ~f5 & ~f6to15 & ~all_fb,
    }
    return {name: v.astype(np.float64)[pos] for name, v in cols.items()}  # panel row order


def add_pact_formation(frame: pd.DataFrame, spec, log=None) -> pd.DataFrame:
    """Panel step: the Kenwick & Vasquez (2017) variables (module docstring) from the
    ``targdef_ids`` alliance query."""
    if "targdef_ids" not in frame.columns:
        raise ValueError(
            "AllianceRules.pact_formation='kv2017' needs the alliance query 'targdef_ids' "
            "(add foedus.data.commitments.TARGDEF_IDS to AllianceRules.queries)")
    ptargdef = pd.to_numeric(frame["ptargdef"]).astype("Float64").to_numpy(np.float64, na_value=np.nan)
    cols = formation_variables(frame["ccode1"], frame["ccode2"], frame["year"],
                               frame["targdef_ids"], ptargdef)
    if log is not None:
        rows, _ = explode_ids(frame["targdef_ids"])
        over = int((np.bincount(rows, minlength=len(frame)) > 13).sum())
        log.note(_STEP, f"Kenwick & Vasquez (2017) pact formation variables (gen_vars.do rules) "
                 f"from targdef_ids: def_form in {int(cols['def_form'].sum()):,} dyad-years; "
                 f"{over:,} dyad-years hold more than the 13 pacts of the authors' data (all "
                 "kept)", def_form=int(cols["def_form"].sum()), over13=over)
    return frame.assign(**cols)
