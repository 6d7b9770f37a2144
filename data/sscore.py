"""Alliance-portfolio similarity: Signorino & Ritter's (1999) S, from ATOP alliance ties.

Columns added (``Covariates.sscore`` lists the variants)
--------------------------------------------------------
s_un_glo : unweighted, global (every system member is a dimension of the portfolio)
s_wt_glo : CINC-weighted, global
s_un_reg : unweighted, regional (the members of the two states' COW regions)
s_wt_reg : CINC-weighted, regional

The measure
-----------
State ``i``'s alliance portfolio in a year is the vector ``a_i = (a_ik)`` of its tie levels with
every state ``k`` of the comparison set. With weights ``w_k`` and the largest possible distance
``d_max`` on one dimension (Signorino & Ritter 1999, eq. 6 with absolute distances):

.. math:: S_{ij} = 1 - \\frac{2 \\sum_k w_k |a_{ik} - a_{jk}|}{d_{\\max} \\sum_k w_k}

S is 1 for identical portfolios, -1 for opposite extremes, and symmetric. Unweighted: ``w_k = 1``.
Weighted: ``w_k`` is ``k``'s CINC score (NMC 6.0) in the year, the capability weighting of
Signorino & Ritter; a state without a CINC score gets weight 0 (counted in the build log).

Tie levels (ATOP)
-----------------
Ties come from ATOP's directed dyad-year file (``atop5_1ddyr``; Leeds et al. 2002); releases
without one (4.01) derive it from the member-level file
(:func:`foedus.data.alliances.directed_ties`). Signorino &
Ritter's ordinal scale for COW alliances is defense pact 3, neutrality or non-aggression pact 2,
entente 1, no alliance 0 (``d_max = 3``). foedus maps ATOP's obligations onto the same four
levels, ranked by the depth of the commitment:

===== ==========================================================
level ATOP obligation in force between the two states that year
===== ==========================================================
3     defense
2     offense or neutrality (and no defense)
1     non-aggression or consultation only
0     none
===== ==========================================================

By default (``Covariates.sscore_nonaggression = 1``) this places ATOP's non-aggression pacts
with consultation at the entente level rather than with neutrality (COW pools neutrality and non-aggression in one type; ATOP separates them, and a
non-aggression promise is the weakest of ATOP's obligations). ``sscore_nonaggression = 2`` gives
Signorino & Ritter's COW scale instead (neutrality *or* non-aggression 2), the convention of
EUGene's S-scores that Johnson & Leeds (2011) used; the default stays 1 because it is the
coding foedus has always used (no silent change) and ATOP's own typology ranks non-aggression
below neutrality (Leeds et al. 2002). ATOP's rows are directed (what
state A promised B); a portfolio entry is the higher of the two directions, so ``a_ik = a_ki``.
A state's tie with itself is the highest level (3), the convention of the tau-b and S literature
(Bueno de Mesquita 1975; Signorino & Ritter 1999; EUGene). The S-scores use every ATOP tie in
the file, whatever the panel's ``AllianceRules`` say about which commitments apply.

Comparison sets
---------------
Global: all COW system members of the year (the panel's states). Regional: the members of the
COW region of state A and of the region of state B (one region when they share it). Regions
follow the COW state-number ranges used by EUGene: Americas 2-165, Europe 200-395, Africa
402-626, Middle East 630-698, Asia and Oceania 700-990 (:func:`cow_region`).

Computation
-----------
Per year, all pairs at once. For ordinal levels ``0..d_max``,
``|x - y| = sum_{c=1..d_max} |1[x >= c] - 1[y >= c]|``, and for 0/1 indicators
``sum_k w_k |b_ik - b_jk| = r_i + r_j - 2 (B W B')_ij`` with ``r = B w``: three matrix products
per year (one per threshold ``c``), no loop over pairs. Regional sums restrict the products to
the columns of a region.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from foedus.data.keys import CODE_BASE
from foedus.data.lookup import state_year_lookup

_STEP = "sscore"

#: Highest tie level.
D_MAX = 3

#: Variant name (spec) -> (column, weighted, regional).
VARIANTS = {
    "unweighted_global": ("s_un_glo", False, False),
    "weighted_global": ("s_wt_glo", True, False),
    "unweighted_regional": ("s_un_reg", False, True),
    "weighted_regional": ("s_wt_reg", True, True),
}

#: Upper bound (inclusive) of each COW region's state numbers, in region order 1..5.
REGION_BOUNDS = ((199, 1, "Americas"), (399, 2, "Europe"), (626, 3, "Africa"),
                 (699, 4, "Middle East"), (999, 5, "Asia and Oceania"))

#: Years covered by ATOP 5.1.
COVERAGE = (1815, 2018)


def cow_region(ccode) -> np.ndarray:
    """COW region (1 Americas, 2 Europe, 3 Africa, 4 Middle East, 5 Asia/Oceania) by ccode."""
    ccode = np.asarray(ccode, dtype=np.int64)
    bounds = np.array([b for b, _, _ in REGION_BOUNDS])
    return np.searchsorted(bounds, ccode, side="left") + 1


def tie_levels(ddyr: pd.DataFrame, nonaggression: int = 1) -> pd.DataFrame:
    """Tie level (0..3) of each directed ATOP dyad-year (see the module docstring).

    Parameters
    ----------
    ddyr : pandas.DataFrame
        ATOP directed dyad-years: ``stateA``, ``stateB`` (or ``ccode1``, ``ccode2``), ``year``
        and the 0/1 obligations ``defense``, ``offense``, ``neutral``, ``nonagg``, ``consul``.
    nonaggression : {1, 2}
        Level of a non-aggression pact without defense, offense or neutrality
        (``Covariates.sscore_nonaggression``): 1 (foedus's default, with consultation) or 2
        (Signorino & Ritter's COW scale, where neutrality and non-aggression share level 2).

    Returns
    -------
    pandas.DataFrame
        ``ccode1``, ``ccode2``, ``year``, ``level``: what ``ccode1`` promised ``ccode2``.
        :func:`s_scores` takes the higher of the two directions.
    """
    d = ddyr.rename(columns={"stateA": "ccode1", "stateB": "ccode2"})
    flag = {c: pd.to_numeric(d[c]).fillna(0).to_numpy() > 0
            for c in ("defense", "offense", "neutral", "nonagg", "consul")}
    if nonaggression not in (1, 2):
        raise ValueError(f"tie_levels: nonaggression must be 1 or 2, got {nonaggression!r}")
    level = np.select(
        [flag["defense"], flag["offense"] | flag["neutral"], flag["nonagg"], flag["consul"]],
        [3, 2, nonaggression, 1], 0,
    )
    return pd.DataFrame({"ccode1": d["ccode1"].to_numpy(np.int64),
                         "ccode2": d["ccode2"].to_numpy(np.int64),
                         "year": d["year"].to_numpy(np.int64), "level": level})


def _indicators(levels: np.ndarray, dtype=np.float64) -> np.ndarray:
    """``[1[A >= 1], 1[A >= 2], ..., 1[A >= D_MAX]]`` side by side: (n, D_MAX * n)."""
    return np.concatenate([levels >= c for c in range(1, D_MAX + 1)], axis=1).astype(dtype)


def _pair_distance(ind: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``sum_k w_k |a_ik - a_jk|`` for all pairs (i, j) from the stacked indicators.

    With ``B`` the stacked indicators and ``w`` tiled over the ``D_MAX`` blocks,
    ``sum_c sum_k w_k |b_cik - b_cjk| = r_i + r_j - 2 (B diag(w) B')_ij``, ``r = B w``: one
    matrix product. Unweighted sums are integers, exact in float32 (the faster product).
    """
    wt = np.tile(w, D_MAX).astype(ind.dtype)
    r = (ind @ wt).astype(np.float64)
    return r[:, None] + r[None, :] - 2.0 * ((ind * wt) @ ind.T).astype(np.float64)


def _s_from_indicators(ind: np.ndarray, w: np.ndarray, region: np.ndarray | None) -> np.ndarray:
    if region is None:
        with np.errstate(invalid="ignore", divide="ignore"):
            return 1.0 - 2.0 * _pair_distance(ind, w) / (D_MAX * w.sum())
    n = len(w)
    regions, ri = np.unique(region, return_inverse=True)
    dist = np.empty((len(regions), n, n))
    wsum = np.empty(len(regions))
    for k in range(len(regions)):  # at most five regions
        in_k = ri == k
        dist[k] = _pair_distance(ind[:, np.tile(in_k, D_MAX)], w[in_k])
        wsum[k] = w[in_k].sum()
    same = ri[:, None] == ri[None, :]
    i, j = np.arange(n)[:, None], np.arange(n)[None, :]
    d = dist[ri[:, None], i, j] + np.where(same, 0.0, dist[ri[None, :], i, j])
    total = wsum[ri][:, None] + np.where(same, 0.0, wsum[ri][None, :])
    with np.errstate(invalid="ignore", divide="ignore"):
        return 1.0 - 2.0 * d / (D_MAX * total)


def s_matrix(levels: np.ndarray, w: np.ndarray, region: np.ndarray | None = None) -> np.ndarray:
    """S for all pairs of one year's states.

    Parameters
    ----------
    levels : (n, n) int array
        Tie levels ``a_ik`` (diagonal = ``D_MAX``).
    w : (n,) float array
        Weights of the portfolio dimensions (ones for unweighted S).
    region : (n,) int array, optional
        Region of each state; when given, the comparison set of pair (i, j) is the states of
        i's and j's regions.
    """
    return _s_from_indicators(_indicators(levels), np.asarray(w, dtype=np.float64), region)


def s_scores(
    frame: pd.DataFrame,
    ties: pd.DataFrame,
    variants=("unweighted_global",),
    cinc: pd.DataFrame | None = None,
    coverage: tuple[int, int] = COVERAGE,
) -> dict[str, np.ndarray]:
    """S-score columns for every dyad-year of ``frame`` (see the module docstring).

    Parameters
    ----------
    frame : pandas.DataFrame
        Dyad-years (``ccode1``, ``ccode2``, ``year``); the states of a year are those that
        appear in it.
    ties : pandas.DataFrame
        Output of :func:`tie_levels`.
    variants : sequence of str
        Keys of :data:`VARIANTS`.
    cinc : pandas.DataFrame, optional
        NMC state-years (``ccode``, ``year``, ``cinc``); needed by the weighted variants.
    coverage : (int, int)
        Years of the alliance data; S is NaN outside them.

    Returns
    -------
    dict
        Column name -> float array aligned with ``frame``.
    """
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        raise ValueError(f"unknown S-score variant(s) {sorted(unknown)}; known: {sorted(VARIANTS)}")
    if cinc is None and any(VARIANTS[v][1] for v in variants):
        raise ValueError("weighted S-scores need CINC weights (cinc=...)")
    c1 = frame["ccode1"].to_numpy(np.int64)
    c2 = frame["ccode2"].to_numpy(np.int64)
    year = frame["year"].to_numpy(np.int64)
    if len(frame) == 0:
        return {VARIANTS[v][0]: np.zeros(0) for v in variants}
    # the states of each year, sorted by (year, ccode), from a (year, ccode) presence grid
    y0 = int(year.min())
    present = np.zeros((int(year.max()) - y0 + 1, CODE_BASE), bool)
    present[year - y0, c1] = True
    present[year - y0, c2] = True
    s_year, s_code = np.nonzero(present)
    s_year = s_year + y0
    years, start, count = np.unique(s_year, return_index=True, return_counts=True)
    # position of each state in its year's block, and where each year's n x n block starts
    pos = np.arange(len(s_code)) - np.repeat(start, count)
    pos_grid = np.full((CODE_BASE, present.shape[0]), -1, np.int64)
    pos_grid[s_code, s_year - y0] = pos
    block_start = np.concatenate([[0], np.cumsum(count.astype(np.int64) ** 2)[:-1]])
    block_of_year = np.zeros(present.shape[0], np.int64)
    block_of_year[years - y0] = np.arange(len(years))
    row_block = block_of_year[year - y0]
    yi = year - y0
    flat_index = block_start[row_block] + pos_grid[c1, yi] * count[row_block] + pos_grid[c2, yi]

    weight = None
    if cinc is not None:
        weight = state_year_lookup(s_code, s_year, cinc, "cinc")
        weight = np.nan_to_num(weight, nan=0.0)
    region = cow_region(s_code)
    tie_year = ties["year"].to_numpy(np.int64)
    tie_order = np.argsort(tie_year, kind="stable")
    tie_lo = np.searchsorted(tie_year[tie_order], years, side="left")
    tie_hi = np.searchsorted(tie_year[tie_order], years, side="right")
    t1 = ties["ccode1"].to_numpy(np.int64)[tie_order]
    t2 = ties["ccode2"].to_numpy(np.int64)[tie_order]
    tl = ties["level"].to_numpy(np.int64)[tie_order]

    flat = {v: np.full(int(np.sum(count.astype(np.int64) ** 2)), np.nan) for v in variants}
    # The yearly matrices are small (n <= ~200): BLAS threads only contend with each other
    # (measured 10-20x slower than one thread on a loaded 2-core machine).
    with threadpool_limits(limits=1, user_api="blas"):
        for k, y in enumerate(years):  # one small dense problem per year (~200 years)
            if not (coverage[0] <= y <= coverage[1]):
                continue
            lo, hi, n = start[k], start[k] + count[k], int(count[k])
            sl = slice(tie_lo[k], tie_hi[k])
            p1, p2 = pos_grid[t1[sl], y - y0], pos_grid[t2[sl], y - y0]
            member = (p1 >= 0) & (p2 >= 0)  # ties with non-members are not portfolio dimensions
            levels = np.zeros((n, n), np.int64)
            levels[p1[member], p2[member]] = tl[sl][member]
            levels = np.maximum(levels, levels.T)  # the stronger of the two directions
            np.fill_diagonal(levels, D_MAX)
            ind = {}
            for v in variants:
                _, weighted, regional = VARIANTS[v]
                dtype = np.float64 if weighted else np.float32
                if dtype not in ind:
                    ind[dtype] = _indicators(levels, dtype)
                w = weight[lo:hi] if weighted else np.ones(n)
                s = _s_from_indicators(ind[dtype], w, region[lo:hi] if regional else None)
                flat[v][block_start[k]:block_start[k] + n * n] = s.reshape(-1)
    return {VARIANTS[v][0]: flat[v][flat_index] for v in variants}


def step_columns(spec) -> tuple:
    """The columns :func:`add_sscore` adds under ``spec`` (its panel-step declaration; an
    unknown variant is left to the step's own error)."""
    return tuple(VARIANTS[v][0] for v in spec.covariates.sscore if v in VARIANTS)


def add_sscore(frame: pd.DataFrame, spec, log=None) -> pd.DataFrame:
    """Panel step: S-scores from the ties of the spec's ATOP release (see the module docstring)."""
    from foedus.data import read_nmc
    from foedus.data.alliances import COVERAGE as ATOP_COVERAGE
    from foedus.data.alliances import directed_ties

    version = spec.alliances.version if spec.alliances is not None else "5.1"
    coverage = ATOP_COVERAGE[version]
    variants = tuple(spec.covariates.sscore)
    weighted = any(VARIANTS[v][1] for v in variants if v in VARIANTS)
    cinc = read_nmc() if weighted else None
    nonagg = spec.covariates.sscore_nonaggression
    cols = s_scores(frame, tie_levels(directed_ties(version), nonagg), variants, cinc, coverage)
    if log is not None:
        source = "directed dyad-year file" if version == "5.1" else "member-level file"
        msg = (f"S-scores {', '.join(cols)} from ATOP {version} ties ({source}; defense 3, "
               f"offense/neutrality 2, non-aggression {nonagg}, consultation 1); NaN outside "
               f"{coverage[0]}-{coverage[1]}")
        counts = {}
        if cinc is not None:
            states = pd.DataFrame({
                "ccode": np.concatenate([frame["ccode1"], frame["ccode2"]]),
                "year": np.concatenate([frame["year"], frame["year"]]),
            }).drop_duplicates()
            w = state_year_lookup(states["ccode"], states["year"], cinc, "cinc")
            counts["zero_weight_state_years"] = int(np.isnan(w).sum())
            msg += f"; {counts['zero_weight_state_years']} state-years without CINC weigh 0"
        log.note(_STEP, msg, **counts)
    return frame.assign(**cols)
