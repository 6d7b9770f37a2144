"""Benchmark the selection probit (``foedus.models.heckprobit``) beside the probit it extends.

Usage::

    python bench/bench_heckprobit.py [--repeat 3]

Data: the full 1816-2014 directed panel (``foedus.build_panel`` with its default spec; needs
``FOEDUS_DATA_DIR``). Selection: the Johnson & Leeds (2011) equation for ``dispute`` (about
1.3 million rows); outcome, among initiated dyad-years, the target's use of force from the MID 5.0
participant file (``targ_force``, defined in tests/reference/heckprobit_panel.py; a test outcome,
not J&L's). Reports the median wall and CPU time over ``--repeat`` runs of the selection-equation
probit and of the heckprobit fit on the same rows, their ratio (target, issue 13: heckprobit
<= 5x the probit), and the heckprobit fit's passes over the panel (evaluations of the unselected
rows' probit terms, issue 18; 4 on this panel in December 2026).
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_models import timed  # noqa: E402  (the shared timer)

import foedus  # noqa: E402
import foedus.models as fm  # noqa: E402

TARGET_RATIO = 5.0
SELECT = ("dispute ~ ptargdef + pchaloff + pchalneu + pchalally + ln_distance + capprop + jdem"
          " + s_un_glo + peaceyrs + peaceyrs2 + peaceyrs3")
OUTCOME = "targ_force ~ ptargdef + pchaloff + pchalneu + capprop"


def _outcome_rule():
    path = HERE.parent / "tests" / "reference" / "heckprobit_panel.py"
    spec = importlib.util.spec_from_file_location("heckprobit_panel", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.target_force


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not os.environ.get("FOEDUS_DATA_DIR"):
        print("FOEDUS_DATA_DIR not set: the heckprobit benchmark needs the real panel; skipped")
        return 0
    frame = foedus.build_panel(foedus.PanelSpec(years=(1816, 2014))).frame
    frame = frame.assign(targ_force=_outcome_rule()(frame))
    hp = importlib.import_module("foedus.models.heckprobit")
    from foedus.models._memo import clear_memos
    passes = []
    one_pass = hp._unselected_pass
    hp._unselected_pass = lambda d, gamma: passes.append(1) or one_pass(d, gamma)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fm.MissingDataWarning)
        rows = fm.HeckProbit(OUTCOME, frame, select=SELECT).design.frame  # complete cases
        t_p, c_p, probit = timed(lambda: fm.probit(SELECT, rows), args.repeat)
        # each repeat from scratch: the selection probit is memoised across a study's fits
        t_h, c_h, heck = timed(lambda: clear_memos() or fm.heckprobit(OUTCOME, rows, select=SELECT),
                               args.repeat)
        hp._unselected_pass = one_pass
        t_m, c_m, _ = timed(lambda: fm.heckprobit(OUTCOME, rows, select=SELECT), args.repeat)
    print(f"real directed panel 1816-2014: {heck.nobs:,} selection rows, {heck.n_selected:,} "
          f"selected, {heck.n_events:,} with outcome 1; median of {args.repeat} runs")
    print(f"1-minute load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'model':<12}{'wall s':>9}{'cpu s':>9}{'iterations':>12}")
    print(f"{'probit':<12}{t_p:>9.3f}{c_p:>9.3f}{probit.iterations:>12}")
    print(f"{'heckprobit':<12}{t_h:>9.3f}{c_h:>9.3f}{heck.iterations:>12}")
    print(f"{'  memo hit':<12}{t_m:>9.3f}{c_m:>9.3f}   (same selection equation as the last fit)")
    print(f"heckprobit / probit: {t_h / t_p:.1f}x wall (target <= {TARGET_RATIO:.0f}x); "
          f"rho = {heck.rho:.3f}, converged = {heck.converged}; "
          f"{len(passes) // args.repeat} passes over the panel per heckprobit fit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
