"""The mechanical verdict: is a published claim reproduced by an estimate?

The rule is fixed before any result is seen and is printed in every table's notes
(:data:`RULE`). It uses only the sign of the estimate and its two-sided p-value.
"""
from __future__ import annotations

import math

from foedus.replication.study import Claim

#: Two-sided significance level of every verdict.
ALPHA = 0.05

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"

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
