"""Covariance estimators chosen by name (a name -> class registry, as in linearmodels).

Every estimator is a sandwich ``B M B`` built from the bread ``B`` (the inverse information
matrix of the fitted model) and the per-observation scores ``u_i = r_i x_i``, where ``r_i`` is
the derivative of observation i's log-likelihood with respect to its linear index. Cluster
sums are computed with one sparse (groups x n) product, O(n k), and the meat from the
(G x k) matrix of sums, O(G k^2): no loop over clusters, no n x n matrix. A model whose
scores are not of that form (several equations: :mod:`foedus.models.heckprobit`) passes its
(n x k) matrix of per-observation scores as ``X`` with ``r_i = 1``.

========================  =====================================================================
name                      estimator
========================  =====================================================================
``classical``             inverse information ``B`` (alias ``nonrobust``)
``HC0`` / ``robust``      Huber-White ``B (sum u_i u_i') B``
``HC1``                   HC0 x n / (n - k)
``cluster``               one-way cluster, x G / (G - 1)  (``groups`` = column, "directed_dyad",
                          "dyad" / "undirected_dyad", several columns, or an array)
``twoway``                Cameron-Gelbach-Miller two-way cluster (default: challenger and target)
``dyadic``                Aronow, Samii & Assenova (2015) dyadic-robust
========================  =====================================================================
"""
from __future__ import annotations

import warnings
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import sparse

from ._numerics import weighted_gram

__all__ = [
    "COVARIANCE_ESTIMATORS",
    "CovarianceEstimator",
    "Classical",
    "HC0",
    "HC1",
    "Clustered",
    "TwoWayClustered",
    "DyadicRobust",
    "NonPSDCovarianceWarning",
    "resolve_groups",
    "get_covariance_estimator",
    "check_cov_type",
    "COV_TYPES",
]

DEFAULT_MEMBERS = ("ccode1", "ccode2")


class NonPSDCovarianceWarning(UserWarning):
    """A covariance matrix has negative eigenvalues."""


# --------------------------------------------------------------------------- groups


def _codes(values, label: str) -> np.ndarray:
    values = pd.Series(np.asarray(values)) if not isinstance(values, pd.Series) else values
    if values.isna().any():
        first = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise ValueError(
            f"cluster variable {label!r} has {int(values.isna().sum())} missing values "
            f"(first at row {first} of the estimation sample); drop those rows before fitting"
        )
    codes, _ = pd.factorize(values)  # hashing, no sort: sums over groups ignore their order
    return codes.astype(np.int64)


def _combine(codes_a: np.ndarray, codes_b: np.ndarray) -> np.ndarray:
    combined = codes_a * (int(codes_b.max()) + 1) + codes_b
    codes, _ = pd.factorize(combined)
    return codes.astype(np.int64)


def _member_arrays(frame, members):
    if frame is None:
        raise ValueError("dyad groups need the data frame (fit with a formula or pass data=)")
    missing = [m for m in members if m not in frame.columns]
    if missing:
        raise KeyError(
            f"dyad member columns {missing} not in the data; set cov_kwds['members'] to the "
            f"(challenger, target) column names"
        )
    a = frame[members[0]].to_numpy()
    b = frame[members[1]].to_numpy()
    return a, b


def resolve_groups(spec, frame, n: int, members=DEFAULT_MEMBERS) -> np.ndarray:
    """Turn a group specification into integer codes 0..G-1, one per observation.

    ``spec`` is a column name; ``"directed_dyad"`` (``members`` as an ordered pair);
    ``"dyad"`` / ``"undirected_dyad"`` (the pair as (min, max)); a tuple/list of column names
    (their combination); or an array of length ``n``.
    """
    if isinstance(spec, str):
        if spec == "directed_dyad":
            a, b = _member_arrays(frame, members)
            return _combine(_codes(a, members[0]), _codes(b, members[1]))
        if spec in ("dyad", "undirected_dyad"):
            a, b = _member_arrays(frame, members)
            lo, hi = np.minimum(a, b), np.maximum(a, b)
            return _combine(_codes(lo, "min(" + ",".join(members) + ")"),
                            _codes(hi, "max(" + ",".join(members) + ")"))
        if frame is None or spec not in frame.columns:
            raise KeyError(f"cluster column {spec!r} not found in the data")
        return _codes(frame[spec], spec)
    if isinstance(spec, (tuple, list)) and spec and all(isinstance(s, str) for s in spec):
        codes = resolve_groups(spec[0], frame, n, members)
        for s in spec[1:]:
            codes = _combine(codes, resolve_groups(s, frame, n, members))
        return codes
    arr = np.asarray(spec)
    if arr.shape[0] != n:
        raise ValueError(f"groups array has {arr.shape[0]} entries, the model has {n} observations")
    return _codes(arr, "groups")


def cluster_sums(X: np.ndarray, r: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Per-group score sums S_g = sum_{i in g} r_i x_i as a (G x k) array, in O(n k)."""
    G = int(codes.max()) + 1
    n = X.shape[0]
    # (n x G) CSR with one entry per row, built without sorting; its transpose times X
    indicator = sparse.csr_matrix((r, codes, np.arange(n + 1)), shape=(n, G))
    return np.asarray(indicator.T @ X)


def _fix_psd(V: np.ndarray, psd: str, label: str) -> tuple[np.ndarray, list[str]]:
    """Check positive semi-definiteness; warn, clip negative eigenvalues, or raise."""
    if psd not in ("warn", "clip", "raise", "ignore"):
        raise ValueError("psd must be 'warn', 'clip', 'raise' or 'ignore'")
    vals, vecs = np.linalg.eigh(V)
    scale = max(float(np.max(np.abs(vals))), np.finfo(float).tiny)
    neg = vals < -1e-12 * scale
    if not neg.any():
        return V, []
    msg = (f"{label} covariance is not positive semi-definite: {int(neg.sum())} negative "
           f"eigenvalue(s), smallest {vals.min():.3e}")
    if psd == "raise":
        raise np.linalg.LinAlgError(msg)
    if psd == "clip":
        clipped = (vecs * np.clip(vals, 0.0, None)) @ vecs.T
        return (clipped + clipped.T) / 2.0, [msg + "; negative eigenvalues clipped to zero"]
    if psd == "warn":
        warnings.warn(msg + "; pass cov_kwds={'psd': 'clip'} to clip them to zero",
                      NonPSDCovarianceWarning, stacklevel=5)
    return V, [msg]


def standard_errors(V: np.ndarray, names) -> np.ndarray:
    """Square roots of the variances; NaN (with a :class:`NonPSDCovarianceWarning` naming the
    coefficients) where a variance is negative, as a non-PSD cluster or dyadic-robust
    covariance left unclipped can give."""
    var = np.diag(np.asarray(V, dtype=np.float64)).copy()
    negative = var < 0
    if negative.any():
        shown = ", ".join(f"{names[j]!r} ({var[j]:.3e})" for j in np.flatnonzero(negative))
        warnings.warn(f"negative variance for {shown}: its standard error is NaN. The covariance "
                      "is not positive semi-definite; pass cov_kwds={'psd': 'clip'} to clip it",
                      NonPSDCovarianceWarning, stacklevel=3)
        var[negative] = np.nan
    return np.sqrt(var)


# --------------------------------------------------------------------------- estimators


class CovarianceEstimator:
    """Base class.

    Parameters
    ----------
    bread : ndarray (k, k)
        Inverse information matrix.
    X : ndarray (n, k)
    score_factor : ndarray (n,)
        r_i with score u_i = r_i x_i (prior weights included).
    frame : DataFrame or None
        Estimation-sample rows, for group columns.
    **kwds
        Estimator options (see each class).
    """

    name = ""
    label = ""

    def __init__(self, bread, X, score_factor, frame=None, **kwds):
        self.bread = bread
        self.X = X
        self.r = score_factor
        self.frame = frame
        self.nobs, self.k = X.shape
        self.kwds = kwds
        self._notes: list[str] = []  # filled once, by _compute
        self._check_kwds()

    allowed: tuple = ()

    def _check_kwds(self):
        extra = set(self.kwds) - set(self.allowed)
        if extra:
            raise TypeError(
                f"cov_type {self.name!r} does not take {sorted(extra)}; it takes {list(self.allowed)}"
            )

    def _sandwich(self, meat):
        V = self.bread @ meat @ self.bread
        return (V + V.T) / 2.0

    def _hc_meat(self):
        return weighted_gram(self.X, self.r**2)

    @cached_property
    def _computed(self) -> tuple[np.ndarray, tuple[str, ...]]:
        V = self._compute()
        return V, tuple(self._notes)

    @property
    def cov(self) -> np.ndarray:
        """The covariance matrix (computed on first access, once)."""
        return self._computed[0]

    @property
    def notes(self) -> list[str]:
        """What the computation reported (clusters, factors applied, clipping); a new list on
        every access, so reading it twice never repeats a note."""
        return list(self._computed[1])

    def _compute(self) -> np.ndarray:
        raise NotImplementedError


class Classical(CovarianceEstimator):
    """Inverse of the information matrix (model-based)."""

    name = "classical"
    label = "classical (inverse information)"

    def _compute(self):
        return self.bread


class HC0(CovarianceEstimator):
    """Huber-White heteroskedasticity-robust sandwich, no small-sample factor."""

    name = "HC0"
    label = "robust (HC0)"

    def _compute(self):
        return self._sandwich(self._hc_meat())


class HC1(CovarianceEstimator):
    """HC0 times n / (n - k)."""

    name = "HC1"
    label = "robust (HC1)"

    def _compute(self):
        self._notes.append("small-sample factor n/(n-k) applied")
        return self._sandwich(self._hc_meat()) * self.nobs / (self.nobs - self.k)


class Clustered(CovarianceEstimator):
    """One-way cluster-robust sandwich.

    Options: ``groups`` (column name, ``"directed_dyad"``, ``"dyad"``/``"undirected_dyad"``,
    list of columns, or array), ``members`` (challenger/target columns, default
    ``("ccode1", "ccode2")``), ``small_sample`` (bool, default True: multiply by G/(G-1), the
    factor of R ``sandwich::vcovCL(type="HC0")`` and of Stata's ``vce(cluster)`` for ML models).
    """

    name = "cluster"
    allowed = ("groups", "members", "small_sample")

    @property
    def label(self):
        return f"cluster ({self._group_label()})"

    def _group_label(self):
        g = self.kwds.get("groups")
        return g if isinstance(g, str) else ("+".join(g) if isinstance(g, (list, tuple)) else "array")

    def _meat(self, codes, small_sample):
        S = cluster_sums(self.X, self.r, codes)
        G = S.shape[0]
        if G < 2:
            raise ValueError("clustered covariance needs at least two clusters")
        meat = S.T @ S
        return meat * (G / (G - 1) if small_sample else 1.0), G

    def _compute(self):
        if self.kwds.get("groups") is None:
            raise ValueError("cov_type='cluster' needs cov_kwds={'groups': ...}")
        members = tuple(self.kwds.get("members", DEFAULT_MEMBERS))
        codes = resolve_groups(self.kwds["groups"], self.frame, self.nobs, members)
        small = self.kwds.get("small_sample", True)
        meat, G = self._meat(codes, small)
        self._notes.append(f"{G} clusters" + ("; factor G/(G-1) applied" if small else ""))
        return self._sandwich(meat)


class TwoWayClustered(Clustered):
    """Two-way cluster-robust sandwich (Cameron, Gelbach & Miller 2011).

    V = V_1 + V_2 - V_12, with V_12 clustered on the intersection of the two dimensions and
    each term multiplied by its own G/(G-1) (as ``sandwich::vcovCL`` with two cluster
    variables). Options: ``groups`` (pair of specs, default the challenger and target
    columns), ``members``, ``small_sample``, ``psd`` ("warn", "clip", "raise", "ignore").
    The sum is not guaranteed positive semi-definite.
    """

    name = "twoway"
    allowed = ("groups", "members", "small_sample", "psd")

    @property
    def label(self):
        g = self.kwds.get("groups", tuple(self.kwds.get("members", DEFAULT_MEMBERS)))
        return f"two-way cluster ({g[0]} & {g[1]})"

    def _compute(self):
        members = tuple(self.kwds.get("members", DEFAULT_MEMBERS))
        groups = self.kwds.get("groups", members)
        if len(groups) != 2:
            raise ValueError("cov_type='twoway' needs groups=(dimension_1, dimension_2)")
        small = self.kwds.get("small_sample", True)
        c1 = resolve_groups(groups[0], self.frame, self.nobs, members)
        c2 = resolve_groups(groups[1], self.frame, self.nobs, members)
        c12 = _combine(c1, c2)
        m1, g1 = self._meat(c1, small)
        m2, g2 = self._meat(c2, small)
        m12, g12 = self._meat(c12, small)
        self._notes.append(f"{g1} and {g2} clusters, {g12} intersections"
                          + ("; factor G/(G-1) applied per dimension" if small else ""))
        V, notes = _fix_psd(self._sandwich(m1 + m2 - m12), self.kwds.get("psd", "warn"),
                            "two-way cluster")
        self._notes += notes
        return V


class DyadicRobust(CovarianceEstimator):
    r"""Dyadic cluster-robust covariance (Aronow, Samii & Assenova 2015).

    Allows correlation between any two observations whose dyads share a state.

    Options: ``members`` (challenger/target columns, default ``("ccode1", "ccode2")``),
    ``small_sample`` (bool, default True: multiply by N/(N-1), N the number of states),
    ``psd`` ("warn" (default), "clip", "raise", "ignore").

    Notes
    -----
    Aronow, Samii & Assenova (2015, Political Analysis 23(4): 564-577) write the estimator as
    :math:`\hat V = \sum_{s=1}^{N} \hat V_{C,s} - \hat V_D - (N-2)\hat V_0`, where
    :math:`\hat V_{C,s}` clusters all observations involving state s, :math:`\hat V_D`
    clusters on the dyad and :math:`\hat V_0` is HC0. Expanding the meats, the HC0 terms
    cancel and

    .. math::

        M = \sum_{s} S_s S_s' - \sum_{d} S_d S_d',
        \qquad S_s = \sum_{i:\, s \in \text{dyad}(i)} u_i,\quad S_d = \sum_{i \in d} u_i,

    which is what is computed here: one sparse product for the per-state sums and one for
    the per-dyad sums, O(n k + (N + D) k^2) instead of N + 2 sandwich fits. The per-state
    sum counts a pair of observations once for each state they share. Observations of the
    same *undirected* dyad -- (a, b) in any year and (b, a) in any year -- share both states
    and are counted twice, so the dyad term must cluster on the undirected dyad to bring
    them back to once; clustering on the directed dyad would leave (a, b)-(b, a) pairs
    double-counted. The matrix is not guaranteed positive semi-definite; with regressors that
    are antisymmetric in the dyad (e.g. the challenger's share of capabilities) it can fall
    below HC0, and is then checked and optionally clipped.
    """

    name = "dyadic"
    label = "dyadic-robust (Aronow, Samii & Assenova 2015)"
    allowed = ("members", "small_sample", "psd")

    def _compute(self):
        members = tuple(self.kwds.get("members", DEFAULT_MEMBERS))
        a, b = _member_arrays(self.frame, members)
        if np.any(pd.isna(a)) or np.any(pd.isna(b)):
            raise ValueError(f"dyad member columns {members} have missing values")
        inv, states = pd.factorize(np.concatenate([a, b]))
        N = states.shape[0]
        n = self.nobs
        ca, cb = inv[:n].astype(np.int64), inv[n:].astype(np.int64)
        if np.any(ca == cb):
            raise ValueError(f"{int((ca == cb).sum())} rows have {members[0]} == {members[1]}")
        # per-state sums: each observation adds its score to both of its states; an (n x N)
        # CSR matrix with two entries per row, built without sorting
        indices = np.empty(2 * n, dtype=np.int64)
        indices[0::2], indices[1::2] = ca, cb
        data = np.repeat(self.r, 2)
        per_state = sparse.csr_matrix((data, indices, np.arange(0, 2 * n + 1, 2)), shape=(n, N))
        S_state = np.asarray(per_state.T @ self.X)
        dyad = _combine(np.minimum(ca, cb), np.maximum(ca, cb))
        S_dyad = cluster_sums(self.X, self.r, dyad)
        meat = S_state.T @ S_state - S_dyad.T @ S_dyad
        small = self.kwds.get("small_sample", True)
        if small:
            meat = meat * N / (N - 1)
        self._notes.append(f"{N} states, {S_dyad.shape[0]} undirected dyads; "
                          + ("factor N/(N-1) applied" if small else "no small-sample factor"))
        V, notes = _fix_psd(self._sandwich(meat), self.kwds.get("psd", "warn"), "dyadic-robust")
        self._notes += notes
        return V


COVARIANCE_ESTIMATORS: dict[str, type[CovarianceEstimator]] = {
    "classical": Classical,
    "nonrobust": Classical,
    "HC0": HC0,
    "robust": HC0,
    "HC1": HC1,
    "cluster": Clustered,
    "twoway": TwoWayClustered,
    "dyadic": DyadicRobust,
}


#: Every name of the registry: what an estimator whose scores are per observation supports.
COV_TYPES: tuple[str, ...] = tuple(COVARIANCE_ESTIMATORS)


def check_cov_type(cov_type: str, supported=COV_TYPES, estimator: str = "this estimator") -> None:
    """Raise ValueError before any fit if ``cov_type`` is unknown or not among ``supported``."""
    get_covariance_estimator(cov_type)
    if cov_type not in supported:
        raise ValueError(f"{estimator} does not support cov_type {cov_type!r}; it supports "
                         f"{', '.join(map(repr, supported))}")


def get_covariance_estimator(cov_type: str) -> type[CovarianceEstimator]:
    """Look up a covariance estimator class by name."""
    try:
        return COVARIANCE_ESTIMATORS[cov_type]
    except KeyError:
        raise ValueError(
            f"unknown cov_type {cov_type!r}; choose one of {sorted(COVARIANCE_ESTIMATORS)}"
        ) from None
