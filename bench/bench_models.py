"""Benchmark foedus.models on a dyad-year-sized rare-event design, and the same fits in R.

Usage::

    python bench/bench_models.py [--repeat 3] [--no-r]         # the real panel (FOEDUS_DATA_DIR)
    python bench/bench_models.py --synthetic [--rows 2000000]   # simulated design
    python bench/bench_models.py --panel panel.parquet --formula "y ~ x1 + x2"
    python bench/bench_models.py --study johnson_leeds_2011     # a study's preparation only

Real panel (default when the releases are available): the full 1816-2014 directed panel built
by ``foedus.build_panel`` with its default spec, and the Johnson & Leeds (2011) regressors plus
land contiguity (12 regressors with the constant and the cubic in peace years).

Synthetic design: 200 states -> 39,800 directed dyads x 50 years (~2 million rows), 12
regressors plus a constant (dummies and continuous, some antisymmetric in the dyad), ~3%
events. Reports the median wall time over ``--repeat`` runs of: logit, rare-events logit with
bias correction, Firth logit, the dyadic-robust covariance (from a fitted logit), and peak
traced memory of each fit relative to the design matrix. When ``Rscript`` is on the PATH the
same fits run in R once (glm logit, Zelig relogit, brglm2 Firth; the data are passed as a
binary file) and the ratios R / foedus are printed. Targets (issue 5): logit < 1.5 s,
relogit < 2 s, Firth < 3.5 s, dyadic < 1 s, peak memory < 3x the design matrix.

Study (``--study NAME``; johnson_leeds_2011 after the fits on the real panel; issue 18): the
panels of the study's first data version from the cache, then, for every model, its estimation
sample (``replication.run.prepare``) and its float64 design (``models._design.build_design``,
``build_selection_design`` with a selection equation): median wall and CPU time of each stage over all the
models, and its peak traced memory (the samples of every model are held, as the designs read them).
Run it with another checkout's interpreter to compare two versions of the code.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import special

import foedus.models as fm
from foedus.threads import available_cores, fit_threads

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load import background_load  # noqa: E402

#: Quiet targets (issue 18 for the fits, issue 5 for the dyadic covariance); loaded: <= 1.5x quiet.
TARGETS = {"logit": 1.0, "relogit": 1.2, "firth": 1.5, "dyadic": 1.0}
REAL_FORMULA = (
    "dispute ~ ptargdef + pchalally + pchaloff + pchalneu + ln_distance + capprop + jdem"
    " + s_un_glo + contig_land + peaceyrs + peaceyrs2 + peaceyrs3"
)


def synthetic(rows: int, seed: int = 0):
    """A directed dyad-year design with ~``rows`` rows, 12 regressors and ~3% events."""
    rng = np.random.default_rng(seed)
    n_states = 200
    years = max(1, round(rows / (n_states * (n_states - 1))))
    a, b = np.meshgrid(np.arange(n_states), np.arange(n_states), indexing="ij")
    mask = a != b
    c1 = np.repeat(a[mask], years)
    c2 = np.repeat(b[mask], years)
    year = np.tile(np.arange(years) + 1950, mask.sum())
    n = c1.size
    cap = rng.lognormal(size=n_states)
    s_prop = rng.normal(0, 0.5, n_states)
    X = np.empty((n, 13))
    X[:, 0] = 1.0
    X[:, 1] = cap[c1] / (cap[c1] + cap[c2])                 # capability share (antisymmetric)
    X[:, 2] = rng.random(n) < 0.1                             # defence pact
    X[:, 3] = rng.random(n) < 0.05                            # contiguity
    X[:, 4] = rng.uniform(4, 9, n)                            # log distance
    X[:, 5] = rng.random(n) < 0.15                            # major power in dyad
    X[:, 6] = rng.normal(size=n)                              # democracy (challenger)
    X[:, 7] = rng.normal(size=n)                              # democracy (target)
    X[:, 8] = rng.normal(size=n)                              # S-score
    X[:, 9] = rng.exponential(10, n) / 10                     # peace years / 10
    X[:, 10] = X[:, 9] ** 2 / 10
    X[:, 11] = rng.random(n) < 0.2                            # third-party commitment
    X[:, 12] = rng.normal(size=n)                             # trade
    beta = np.array([-2.7, 0.8, -0.5, 0.9, -0.2, 0.4, -0.1, 0.05, -0.3, -0.6, 0.1, 0.3, 0.05])
    eta = X @ beta + s_prop[c1] + s_prop[c2]
    y = (rng.random(n) < special.expit(eta)).astype(np.float64)
    names = ["const", "capprop", "defpact", "contig", "ldist", "majpow", "dem1", "dem2",
             "sscore", "peaceyrs", "peaceyrs2", "thirdparty", "trade"]
    frame = pd.DataFrame({"ccode1": c1, "ccode2": c2, "year": year})
    return y, X, names, frame


def timed(fn, repeat):
    """Median wall time and median process CPU time (all threads) over ``repeat`` runs.

    On a shared machine the CPU time shows the work done when the wall time is inflated by
    other processes; on an idle machine wall <= CPU (BLAS may use several threads).
    """
    times, cpu, out = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(times), statistics.median(cpu), out


def peak_memory(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


R_SCRIPT = r"""
args <- commandArgs(TRUE); n <- as.integer(args[2]); k <- as.integer(args[3])
con <- file(args[1], "rb"); v <- readBin(con, "double", n * (k + 1)); close(con)
m <- matrix(v, nrow = n, ncol = k + 1)
d <- as.data.frame(m[, -2]); names(d) <- c("y", paste0("x", 1:(k - 1)))
f <- as.formula(paste("y ~", paste(paste0("x", 1:(k - 1)), collapse = " + ")))
tm <- function(expr) unname(system.time(expr)["elapsed"])
cat("logit", tm(glm(f, family = binomial, data = d)), "\n")
# Zelig and brglm2 are timed where installed (not Debian packages)
if (requireNamespace("Zelig", quietly = TRUE)) {
  # do.call puts the formula object itself into the call (Zelig re-evaluates mf$formula)
  cat("relogit", tm(do.call(Zelig:::relogit, list(formula = f, data = d, tau = NULL,
                                                   bias.correct = TRUE))), "\n")
}
if (requireNamespace("brglm2", quietly = TRUE)) {
  cat("firth", tm(glm(f, family = binomial, data = d, method = brglm2::brglmFit,
                      type = "AS_mean")), "\n")
}
"""


def run_r(y, X, workdir):
    if shutil.which("Rscript") is None:
        return None
    path = Path(workdir) / "design.bin"
    np.column_stack([y, X]).T.astype(np.float64).tofile(path)  # column-major for R
    script = Path(workdir) / "bench.R"
    script.write_text(R_SCRIPT)
    proc = subprocess.run(["Rscript", str(script), str(path), str(X.shape[0]), str(X.shape[1])],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print("R failed:", proc.stderr[-2000:])
        return None
    out = {}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[0]] = float(parts[1])
    return out


def bench_study(name: str, repeat: int) -> None:
    """Time the preparation of every model of study ``name`` (see the module docstring)."""
    from foedus.data.units import unit_keys
    from foedus.models._design import build_design
    from foedus.models._selection_design import build_selection_design
    from foedus.models.errors import DesignError
    from foedus.replication.registry import get_study
    from foedus.replication.run import BuildPanel, _columns_needed, prepare
    from foedus.replication.sample import float_frame

    study = get_study(name)
    data = study.data[0]
    need = _columns_needed(study)
    frames, keys = {}, {}
    for (version, variant), spec in study.panel_specs().items():
        if version != data.name:
            continue
        keys[variant] = unit_keys(spec)
        wanted = need.get(variant, set())
        panel = BuildPanel()(spec, columns=None if wanted is None else sorted(wanted))
        columns = (sorted(wanted) if wanted is not None
                   else [c for c in panel.frame.columns if c not in keys[variant]])
        frames[variant] = float_frame(panel.frame, list(keys[variant]) + columns, keys[variant])
    models = study.models
    samples = {}

    def samples_of_all():
        for m in models:
            samples[m.name] = prepare(m, frames, keys[m.panel])

    def designs_of_all():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for m in models:
                select = dict(m.options).get("select")
                try:  # a design refused by its checks was built before them: its time counts
                    if select:
                        build_selection_design(m.formula, select, samples[m.name].frame)
                    else:
                        build_design(m.formula, samples[m.name].frame, binary=False)
                except (DesignError, ValueError):
                    pass

    rows = sum(len(f) for f in frames.values())
    print(f"{name} ({data.label}): {len(models)} models, {len(frames)} panels, {rows:,} rows; "
          f"median of {repeat} runs")
    for label, fn in (("prepare", samples_of_all), ("build_design", designs_of_all)):
        wall, cpu, _ = timed(fn, repeat)
        peak = peak_memory(fn)
        print(f"  {label:<13} wall {wall:7.2f} s  cpu {cpu:7.2f} s  peak {peak / 2**20:8.0f} MiB")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-r", action="store_true", help="skip the R comparison")
    parser.add_argument("--panel", help="real panel (.parquet or .csv) instead of synthetic data")
    parser.add_argument("--formula", help="model formula for --panel")
    parser.add_argument("--synthetic", action="store_true",
                        help="simulated design even when the real releases are available")
    parser.add_argument("--study", help="time the preparation of this study's models only")
    args = parser.parse_args(argv)
    if args.study:
        bench_study(args.study, args.repeat)
        return 0

    if not args.panel and not args.synthetic and os.environ.get("FOEDUS_DATA_DIR"):
        import foedus

        frame = foedus.build_panel(foedus.PanelSpec(years=(1816, 2014))).frame
        design = fm.Logit(REAL_FORMULA, frame, check_separation="fast").design
        y, X, names, frame = design.y, design.X, design.exog_names, design.frame
        label = "real directed panel 1816-2014"
    elif args.panel:
        frame = (pd.read_parquet(args.panel) if args.panel.endswith(".parquet")
                 else pd.read_csv(args.panel))
        design = fm.Logit(args.formula, frame).design
        y, X, names, frame = design.y, design.X, design.exog_names, design.frame
        label = f"panel {args.panel}"
    else:
        y, X, names, frame = synthetic(args.rows)
        label = "synthetic dyad-years"
    X = np.ascontiguousarray(X)
    n, k = X.shape
    print(f"{label}: {n:,} rows x {k} columns, {y.mean():.2%} events, "
          f"design matrix {X.nbytes / 2**20:.0f} MiB; median of {args.repeat} runs")

    logit_model = fm.Logit(endog=y, exog=X, data=frame, check_separation="fast")
    relogit_model = fm.RareEventsLogit(endog=y, exog=X, data=frame, check_separation="fast")
    firth_model = fm.FirthLogit(endog=y, exog=X, data=frame)
    fits = {
        "logit": logit_model.fit,
        "relogit": relogit_model.fit,
        "firth": firth_model.fit,
    }
    base = logit_model.fit()

    def dyadic():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", fm.NonPSDCovarianceWarning)
            return base.with_cov("dyadic")

    fits["dyadic"] = dyadic
    cores = available_cores()

    def measure(threads):
        """Median wall and CPU time of every fit with ``threads`` BLAS threads per fit."""
        os.environ["FOEDUS_THREADS"] = str(threads)
        try:
            return {name: timed(fn, args.repeat)[:2] for name, fn in fits.items()}
        finally:
            os.environ.pop("FOEDUS_THREADS")

    policy = fit_threads()
    quiet = {"policy": measure(policy), "all": measure(cores)}
    memory = {name: peak_memory(fn) / X.nbytes for name, fn in fits.items()}
    with background_load() as n_load:
        load_avg = os.getloadavg()[0]
        loaded = {"policy": measure(policy), "all": measure(cores)}
    print(f"threads: foedus policy {policy} per fit; 'all' = {cores} (every core, numpy's default). "
          f"Loaded = {n_load} busy-loop processes (bench/_load.py); load average then {load_avg:.1f}")
    r_times = None if args.no_r else run_r(y, X, tempfile.mkdtemp(prefix="foedus-bench-"))
    print(f"{'model':<9}{'quiet s':>9}{'loaded s':>10}{'ratio':>7}{'cpu q/l':>13}"
          f"{'all-thr q':>11}{'all-thr l':>11}{'target':>8}{'peak/X':>8}{'R s':>8}{'R/quiet':>9}")
    for name in fits:
        q, lo = quiet["policy"][name], loaded["policy"][name]
        aq, al = quiet["all"][name], loaded["all"][name]
        r = (r_times or {}).get(name)
        print(f"{name:<9}{q[0]:>9.3f}{lo[0]:>10.3f}{lo[0] / q[0]:>7.2f}{f'{q[1]:.2f}/{lo[1]:.2f}':>13}"
              f"{aq[0]:>11.3f}{al[0]:>11.3f}{TARGETS[name]:>8.1f}{memory[name]:>8.2f}"
              f"{(f'{r:.2f}' if r else '-'):>8}{(f'{r / q[0]:.1f}x' if r else '-'):>9}")
    pass_bytes = X.nbytes
    print(f"one pass over the design = {pass_bytes / 1e6:.0f} MB of memory traffic")
    if r_times is None and not args.no_r:
        print("(R not found: no comparison)")
    print("R: glm logit, Zelig:::relogit(bias.correct=TRUE), brglm2 AS_mean; one run each; "
          "R has no dyadic-robust estimator to time")
    if label.startswith("real"):  # the real releases: a study's preparation as well
        bench_study("johnson_leeds_2011", args.repeat)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.exit(main())
