"""The mechanical verdict: is a published claim reproduced by an estimate?

The rule is fixed before any result is seen and is printed in every table's notes
(:data:`RULE`). It uses only the sign of the estimate and its two-sided p-value.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from foedus.replication.study import Claim

if TYPE_CHECKING:
    from foedus.replication.run import StudyResult

#: Two-sided significance level of every verdict.
ALPHA = 0.05

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
#: What a table shows for a model that could not be fitted (it has no verdict).
NOT_ESTIMABLE = "not estimable"

RULE = (
    f"Verdict rule (fixed in advance, applied mechanically): a claim of a significant positive "
    f"(negative) effect is reproduced when the estimate is positive (negative) and its two-sided "
    f"p-value is below {ALPHA}; a claim of no evidence of an effect is reproduced when the two-sided "
    f"p-value is at least {ALPHA}, whatever the sign. Anything else is not reproduced."
)


def verdict(claim: Claim, estimate: float, pvalue: float) -> str:
    """Return ``"reproduced"`` or ``"not reproduced"`` for one claim and one estimate.

    Parameters
    ----------
    claim : Claim
    estimate : float
        The coefficient of ``claim.variable``.
    pvalue : float
        Its two-sided p-value under the covariance being judged.

    Raises
    ------
    ValueError
        The estimate or p-value is not a finite number (a failed fit has no verdict).
    """
    if not (math.isfinite(estimate) and math.isfinite(pvalue)):
        raise ValueError(
            f"no verdict for {claim.variable!r}: estimate={estimate!r}, p={pvalue!r} are not finite"
        )
    significant = pvalue < ALPHA
    if claim.effect == "none":
        return NOT_REPRODUCED if significant else REPRODUCED
    sign_ok = estimate > 0 if claim.effect == "positive" else estimate < 0
    return REPRODUCED if (significant and sign_ok) else NOT_REPRODUCED


def judge(claim, b: float, p: float) -> str:
    """The verdict, or 'no verdict' when the standard error is not a finite number."""
    if not (math.isfinite(b) and math.isfinite(p)):
        return "no verdict (SE not finite)"
    return verdict(claim, b, p)


def verdict_rows(result: "StudyResult") -> list[tuple[str, str, str]]:
    """``(claim, data version, verdict)`` for every published claim of a study run: the main
    model's claimed variables (first covariance) and the claims about its summaries."""
    study, rows = result.study, []
    main = study.main
    for c in study.claims if main is not None else ():
        for d in study.data:
            fit = result.fit(d.name, main.name)
            if not fit.estimable:
                verdict_text = NOT_ESTIMABLE
            elif c.variable in fit.params.index:
                cov = main.cov_types[0]
                verdict_text = judge(c, float(fit.params[c.variable]),
                                     float(fit.pvalues(cov)[c.variable]))
            else:
                continue  # a claim about a variable of another model (an alternative coding)
            rows.append((f"{c.variable} {c.expected}", d.label, verdict_text))
    for s in study.summaries:
        for c in s.claims:
            for d in study.data:
                ok, _ = c.check(result.summary(d.name, s.name))
                rows.append((c.text, d.label, REPRODUCED if ok else NOT_REPRODUCED))
    return rows


def verdict_summary(results: list) -> str:
    """One screen: every study's claims and verdicts (the end of ``foedus replicate --all``)."""
    lines = ["Claims and verdicts (main model, first covariance; details in each table.md):"]
    for result in results:
        lines.append(f"  {result.study.name}")
        rows = verdict_rows(result)
        if not rows:
            lines.append("    (no published claim declared: estimates only)")
        for claim, data, v in rows:
            text = claim if len(claim) <= 58 else claim[:57] + "…"
            lines.append(f"    {v:<15} {text:<58} [{data}]")
    return "\n".join(lines)
