"""Natural cubic spline terms of peace years (Beck, Katz & Tucker 1998), for panels and formulas.

Both layers use them: the temporal panel step (:mod:`foedus.data.temporal`) adds
``peaceyrs_s1 ...`` columns with :func:`btscs_spline_basis`, and the models' formulas accept
``btscs_spline(peaceyrs, knots=...)`` (a formulaic stateful transform, registered by
:func:`register_formula_transforms`). The module sits beside both so that ``foedus.models``
does not depend on ``foedus.data``.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
import pandas as pd


def _float(values) -> np.ndarray:
    if isinstance(values, pd.Series):
        return pd.to_numeric(values).astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray(values, dtype=np.float64)


def btscs_spline_basis(x, knots: Iterable[float], lower: float, upper: float) -> np.ndarray:
    """Natural cubic spline terms of ``x`` (one column per interior knot).

    Parameters
    ----------
    x : array-like
        Peace years (NaN allowed).
    knots : sequence of float
        Interior knots (Beck, Katz & Tucker 1998 use three).
    lower, upper : float
        Boundary knots (the range of the data the model is fitted on).

    Returns
    -------
    numpy.ndarray, shape (n, len(knots))

    Notes
    -----
    Truncated-power form of the natural cubic spline (Hastie, Tibshirani & Friedman 2009,
    eqs. 5.4-5.5): with all knots ``xi_1 < ... < xi_M`` (boundaries included),

    .. math:: d_k(x) = \\frac{(x - \\xi_k)_+^3 - (x - \\xi_M)_+^3}{\\xi_M - \\xi_k},\\qquad
              N_k(x) = d_k(x) - d_{M-1}(x),\\quad k = 1, \\dots, M - 2.

    Together with an intercept and ``x`` itself, the ``M - 2`` terms span the natural cubic
    splines with these knots (cubic between knots, linear beyond the boundaries): the space of
    R's ``splines::ns(x, knots = knots, Boundary.knots = c(lower, upper))``. Enter ``peaceyrs``
    linearly next to them, as Beck, Katz & Tucker do.
    """
    inner = sorted(float(k) for k in knots)
    if not inner:
        raise ValueError("btscs_spline needs at least one interior knot")
    if not (lower < inner[0] and inner[-1] < upper):
        raise ValueError(
            f"interior knots {inner} must lie strictly inside the boundary knots ({lower}, {upper})"
        )
    xi = np.array([lower, *inner, upper])
    x = np.asarray(x, dtype=np.float64)
    m = xi.size

    def cube(k: int) -> np.ndarray:  # (x - xi_k)_+^3
        t = np.maximum(x - xi[k], 0.0)
        return t * t * t

    tail = cube(m - 1)

    def d(k: int) -> np.ndarray:
        return (cube(k) - tail) / (xi[m - 1] - xi[k])

    last = d(m - 2)
    out = np.empty((x.size, m - 2))
    for k in range(m - 2):
        out[:, k] = d(k) - last
    return out


def _btscs_spline(x, knots=None, df=None, lower_bound=None, upper_bound=None, _state=None):
    """Formula transform (formulaic): natural cubic spline terms of peace years.

    The boundary knots (and, with ``df``, the interior knots at quantiles of ``x``) are taken
    from the data the model is fitted on and stored in the model's state, so predictions on new
    data use the same basis.

    Parameters
    ----------
    x : array-like
        Peace years.
    knots : sequence of float, optional
        Interior knots, e.g. ``knots=(1, 4, 7)``.
    df : int, optional
        Number of terms when ``knots`` is not given: ``df`` interior knots at equally spaced
        quantiles of ``x``.
    lower_bound, upper_bound : float, optional
        Boundary knots; the range of ``x`` by default.

    Examples
    --------
    >>> from foedus.splines import btscs_spline  # doctest: +SKIP
    >>> foedus.models.logit("dispute ~ capprop + peaceyrs + btscs_spline(peaceyrs, knots=(1, 4, 7))",
    ...                     panel)  # doctest: +SKIP
    """
    from formulaic.materializers.types import FactorValues

    state = {} if _state is None else _state
    x = _float(x)
    if "lower" not in state:
        if knots is not None and df is not None:
            raise ValueError("btscs_spline: give knots or df, not both")
        state["lower"] = float(np.nanmin(x) if lower_bound is None else lower_bound)
        state["upper"] = float(np.nanmax(x) if upper_bound is None else upper_bound)
        if knots is None:
            if not df:
                raise ValueError("btscs_spline: give the interior knots (knots=...) or df")
            knots = np.nanquantile(x, np.linspace(0, 1, int(df) + 2)[1:-1]).tolist()
        state["knots"] = [float(k) for k in knots]
    basis = btscs_spline_basis(x, state["knots"], state["lower"], state["upper"])
    return FactorValues(
        {i + 1: basis[:, i] for i in range(basis.shape[1])},
        kind="numerical", spans_intercept=False, format="{name}[{field}]", encoded=False,
    )


@functools.cache
def _transform():
    from formulaic.transforms import TRANSFORMS
    from formulaic.utils.stateful_transforms import stateful_transform

    transform = stateful_transform(_btscs_spline)
    TRANSFORMS.setdefault("btscs_spline", transform)
    return transform


def register_formula_transforms() -> None:
    """Make ``btscs_spline(...)`` usable by name in formulaic formulas (``foedus.models``).

    Adds the transform to formulaic's table of default transforms. Importing ``btscs_spline``
    from this module does the same; formulaic itself is imported only then, so building a panel
    does not pay for it.
    """
    _transform()


def __getattr__(name: str):
    # ``btscs_spline`` (the stateful formula transform, see :func:`_btscs_spline`) is created on
    # first access, which also registers it with formulaic.
    if name == "btscs_spline":
        return _transform()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
