"""The estimator registry: one entry per foedus.models estimator, covariances checked before a fit."""
import numpy as np
import pandas as pd
import pytest

import foedus.models as fm
from foedus.models.registry import ESTIMATORS, get_estimator
from foedus.replication import run


def test_every_entry_is_the_public_estimator_of_its_name():
    for name, entry in ESTIMATORS.items():
        assert getattr(fm, name) is entry.fit
    assert run.ESTIMATORS["relogit"] == "Rare-events logit"
    assert run.NO_EVENTS == {"ols", "lpm_fe"}
    assert run.FAMILY == {"probit": "probit", "logit": "logit", "relogit": "logit", "firth": "logit"}


def test_unknown_estimator_and_unsupported_covariance_are_refused():
    with pytest.raises(ValueError, match="has no estimator 'tobit'"):
        get_estimator("tobit")
    with pytest.raises(ValueError, match="clogit does not support cov_type 'twoway'"):
        get_estimator("clogit").check_cov("twoway")
    with pytest.raises(ValueError, match="unknown cov_type"):
        get_estimator("logit").check_cov("bootstrap")
    get_estimator("logit").check_cov("twoway")


def test_clogit_refuses_an_unsupported_covariance_before_fitting():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"ccode1": np.repeat([1, 2, 3, 4], 5), "ccode2": 9,
                       "year": np.tile(range(5), 4), "x": rng.normal(size=20)})
    df["y"] = (rng.normal(size=20) + df.x > 0).astype(float)
    with pytest.raises(ValueError, match="does not support cov_type 'HC1'"):
        fm.clogit("y ~ x", df, cov_type="HC1")


def test_a_study_model_with_an_unsupported_covariance_fails_before_fitting():
    from foedus.replication.run import Prepared, fit_model
    from foedus.replication.study import Model

    frame = pd.DataFrame({"ccode1": [1, 1, 2, 2], "ccode2": 9, "year": [1, 2, 1, 2],
                          "dispute": [0.0, 1.0, 1.0, 0.0], "x": [0.1, 0.5, 0.3, 0.2]})
    prepared = Prepared(frame, 4, 0, 0, {}, {})
    model = Model("m", "M", "dispute ~ x", estimator="clogit", cov_types=("classical", "robust"))
    with pytest.raises(ValueError, match="clogit does not support cov_type 'HC1'"):
        fit_model(model, prepared, "v")
    with pytest.raises(ValueError, match="model 'm': foedus.models has no estimator 'tobit'"):
        fit_model(Model("m", "M", "dispute ~ x", estimator="tobit"), prepared, "v")
