"""Where a binary fit spends its work: passes over the design per fit, CPU time per pass and
per kernel, on the real Johnson & Leeds design (or a synthetic one without the releases).

Usage::

    python bench/bench_numerics.py [--repeat 5] [--synthetic]

On a shared machine wall times mean little; this reports process CPU time (medians of
``--repeat`` runs, one BLAS thread) and counts that do not depend on the load:

* passes per fit: calls of the chunked kernels of ``foedus.models._numerics`` (a fused
  Newton pass, a hat-diagonal pass, a weighted cross-product) on the full design, each one
  read of it, and all rows the kernels read in units of n (the Newton start's subsample fit
  included; the iteration count is the full-data Newton's);
* CPU time of one pass over the design, of each part of a pass (X beta, X'r, X'WX) and of the
  transcendental kernels per pass (logit, probit; the probit kernel of foedus before issue 18,
  two ``log_ndtr`` and an exponential, is timed next to today's for comparison);
* each fit's CPU time as a multiple of one fused logit pass.
"""
from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy import special

os.environ.setdefault("FOEDUS_THREADS", "1")
import foedus.models as fm  # noqa: E402
from foedus.models import _numerics as nu  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_models import REAL_FORMULA, synthetic  # noqa: E402

KERNELS = ("fused_pass", "hat_score", "weighted_gram")
COUNTS: dict[str, int] = {}  # kernel -> calls on the full design
ROWS = [0]  # rows read by all kernel calls (the Newton start's subsample included)
FULL_ROWS = [0]  # rows of the benchmark design


def _counting(name, fn):
    def wrapper(X, *args, **kwargs):
        ROWS[0] += X.shape[0]
        if X.shape[0] == FULL_ROWS[0]:
            COUNTS[name] = COUNTS.get(name, 0) + 1
        return fn(X, *args, **kwargs)
    return wrapper



def count_passes():
    """Replace the kernels by counting wrappers wherever they were imported by name."""
    originals = {name: getattr(nu, name) for name in KERNELS}
    # import_module: foedus.models.firth and .relogit are also the names of functions
    for module in map(importlib.import_module, ("foedus.models._numerics", "foedus.models.binary",
                                                "foedus.models.firth", "foedus.models.relogit")):
        for name, fn in originals.items():
            if hasattr(module, name):
                setattr(module, name, _counting(name, fn))


def cpu(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        c0 = time.process_time()
        out = fn()
        times.append(time.process_time() - c0)
    return statistics.median(times), out


def chunked(n, body):
    def run():
        for start in range(0, n, nu.CHUNK):
            body(slice(start, min(start + nu.CHUNK, n)))
    return run


def probit_before_issue_18(y, eta):
    """The probit Newton kernel of foedus before issue 18 (for comparison only)."""
    q = 2.0 * y - 1.0
    log_phi = -0.5 * eta**2 - 0.5 * np.log(2.0 * np.pi)
    lam = q * np.exp(log_phi - special.log_ndtr(q * eta))
    return special.log_ndtr(q * eta), lam, lam * (lam + eta)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--synthetic", action="store_true")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    if os.environ.get("FOEDUS_DATA_DIR") and not args.synthetic:
        import foedus

        frame = foedus.build_panel(foedus.PanelSpec(years=(1816, 2014))).frame
        design = fm.Logit(REAL_FORMULA, frame, check_separation="fast").design
        y, X, label = design.y, np.ascontiguousarray(design.X), "real J&L design"
    else:
        y, X, _, _ = synthetic(2_000_000)
        label = "synthetic design"
    n, k = X.shape
    print(f"{label}: {n:,} x {k}, {X.nbytes / 1e6:.0f} MB per pass; CPU medians of "
          f"{args.repeat}; chunk {nu.CHUNK} rows; FOEDUS_THREADS={os.environ['FOEDUS_THREADS']}")

    beta_logit = fm.Logit(endog=y, exog=X, check_separation=False).fit().params
    eta = X @ np.asarray(beta_logit)
    w = np.full(n, 0.01)
    logit, probit = nu.FAMILIES["logit"], nu.FAMILIES["probit"]
    parts = {
        "X beta": chunked(n, lambda s: X[s] @ np.asarray(beta_logit)),
        "r' X": chunked(n, lambda s: w[s] @ X[s]),
        "X'WX": chunked(n, lambda s: X[s].T @ (X[s] * w[s, None])),
        "logit kernel": chunked(n, lambda s: logit.evaluate(y[s], eta[s])),
        "probit kernel": chunked(n, lambda s: probit.evaluate_newton(y[s], eta[s])),
        "probit kernel (before #18)": chunked(n, lambda s: probit_before_issue_18(y[s], eta[s])),
        "probit Fisher weight": chunked(n, lambda s: probit.fisher_weight(eta[s])),
        "fused logit pass": lambda: nu.fused_pass(X, y, np.asarray(beta_logit), logit),
        "fused probit pass": lambda: nu.fused_pass(X, y, np.asarray(beta_logit), probit,
                                                   newton=True),
    }
    unit = None
    for name, fn in parts.items():
        t, _ = cpu(fn, args.repeat)
        if name == "fused logit pass":
            unit = t
        print(f"  {name:<28}{1000 * t:>8.1f} ms CPU")

    count_passes()
    FULL_ROWS[0] = n
    fits = {
        "logit": lambda: fm.Logit(endog=y, exog=X, check_separation="fast").fit(),
        "probit": lambda: fm.Probit(endog=y, exog=X, check_separation="fast").fit(),
        "relogit": lambda: fm.RareEventsLogit(endog=y, exog=X, check_separation="fast").fit(),
        "firth": lambda: fm.FirthLogit(endog=y, exog=X).fit(),
    }
    print(f"{'fit':<9}{'CPU s':>8}{'x pass':>8}{'iter':>6}{'rows read':>11}  "
          "full-design passes (kernel calls)")
    for name, fn in fits.items():
        COUNTS.clear()
        ROWS[0] = 0
        t, res = cpu(fn, 1)
        calls, rows = dict(COUNTS), ROWS[0] / n
        t, _ = cpu(fn, args.repeat)
        print(f"{name:<9}{t:>8.3f}{t / unit:>8.1f}{res.iterations:>6}{rows:>10.2f}n  "
              f"{sum(calls.values())} {calls}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
