"""Bad sample weights get the same clear error on every supported scikit-learn.

scikit-learn 1.9 rejects all-zero weights in its own validation and 1.6 does
not; the estimators check weights themselves, so these messages must not
depend on which release is installed (CI runs this file on the minimum too).
"""

import re

import numpy as np
import pytest

from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor

X = np.arange(12.0).reshape(6, 2)
TARGETS = {
    ScratchMLPClassifier: np.array([0, 1, 0, 1, 0, 1]),
    ScratchMLPRegressor: np.linspace(0.0, 1.0, 6),
}
BAD_WEIGHTS = {
    "all zero": ([0.0] * 6, "must contain at least one non-zero weight"),
    "negative": ([1.0, -1.0, 1.0, 1.0, 1.0, 1.0], "Negative values"),
    "NaN": ([1.0, np.nan, 1.0, 1.0, 1.0, 1.0], "sample_weight contains NaN"),
    "inf": ([1.0, np.inf, 1.0, 1.0, 1.0, 1.0], "sample_weight contains infinity"),
    "too short": ([1.0, 1.0], re.escape("sample_weight.shape == (2,), expected (6,)")),
    "2-D": (np.ones((6, 2)), "Sample weights must be 1D"),
}


@pytest.mark.parametrize("case", BAD_WEIGHTS, ids=str)
@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
@pytest.mark.parametrize("Estimator", TARGETS, ids=lambda e: e.__name__)
def test_bad_sample_weight_is_a_clear_error(Estimator, solver, case):
    weights, message = BAD_WEIGHTS[case]
    estimator = Estimator(solver=solver, max_iter=2, random_state=0)
    with pytest.raises(ValueError, match=message):
        estimator.fit(X, TARGETS[Estimator], sample_weight=weights)
    assert not hasattr(estimator, "coefs_")  # nothing half-fitted is left


@pytest.mark.parametrize("case", ["all zero", "negative", "NaN"])
@pytest.mark.parametrize("Estimator", TARGETS, ids=lambda e: e.__name__)
def test_bad_sample_weight_in_partial_fit(Estimator, case):
    weights, message = BAD_WEIGHTS[case]
    extra = {"classes": [0, 1]} if Estimator is ScratchMLPClassifier else {}
    estimator = Estimator(random_state=0)
    with pytest.raises(ValueError, match=message):
        estimator.partial_fit(X, TARGETS[Estimator], sample_weight=weights, **extra)
