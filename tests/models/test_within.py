"""lpm_fe's within transformation against linearmodels' PanelOLS on an unbalanced panel."""
import numpy as np
import pandas as pd
import pytest
from linearmodels import PanelOLS

import foedus.models as fm
from foedus.models._within import within


@pytest.fixture(scope="module")
def panel():
    rng = np.random.default_rng(7)
    nd = 300
    start, length = rng.integers(1900, 1990, nd), rng.integers(1, 60, nd)
    d = np.repeat(np.arange(nd), length)
    year = np.repeat(start, length) + np.concatenate([np.arange(k) for k in length])
    n = d.size
    x1 = rng.normal(size=n) + 0.02 * (year - 1950)
    x2 = rng.normal(size=n) + d % 5
    y = (rng.random(n) < 0.1 + 0.05 * (x1 > 0)).astype(float)
    return pd.DataFrame({"y": y, "x1": x1, "x2": x2, "ccode1": d // 20 + 2,
                         "ccode2": d % 20 + 200, "year": year})


@pytest.mark.parametrize("time_effects", [False, True])
def test_lpm_fe_slopes_and_llf_equal_panelols(panel, time_effects):
    res = fm.lpm_fe("y ~ x1 + x2", panel, time_effects=time_effects)
    idx = pd.MultiIndex.from_arrays([panel.ccode1 * 1000 + panel.ccode2, panel.year])
    ref = PanelOLS(pd.Series(panel.y.to_numpy(), index=idx),
                   pd.DataFrame(panel[["x1", "x2"]].to_numpy(), index=idx, columns=["x1", "x2"]),
                   entity_effects=True, time_effects=time_effects
                   ).fit(cov_type="unadjusted", debiased=False)
    np.testing.assert_allclose(res.params.to_numpy(), ref.params.to_numpy(), rtol=1e-10)
    assert res.llf == pytest.approx(ref.loglik, rel=1e-12)


def test_two_way_within_is_orthogonal_to_both_sets_of_dummies(panel):
    ent = pd.factorize(panel.ccode1 * 1000 + panel.ccode2)[0]
    per = pd.factorize(panel.year)[0]
    out = within(panel[["x1", "x2"]].to_numpy(), ent, per)
    for codes in (ent, per):
        sums = np.stack([np.bincount(codes, weights=out[:, j]) for j in range(2)])
        assert np.abs(sums).max() < 1e-9
